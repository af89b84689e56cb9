//! Settings: the vault's password (Settings › Unlocking), and the theme.

use latchkey_core::vault::{LockedVault, Unlock, VaultError};
use serde_json::json;

use crate::harness::{App, Desktop, STEP, e2e, eventually};
use crate::tools::{random_secret, totp_uri};

/// Whether `password` opens the vault file as it is on disk now.
fn opens_with(app: &App, password: &str) -> bool {
    let locked = LockedVault::read(&app.desktop.vault()).unwrap();
    match locked.master_key(Unlock::Password(password)) {
        Ok(_) => true,
        Err(VaultError::WrongPassword | VaultError::NoPasswordSlot) => false,
        Err(e) => panic!("the vault file does not read: {e}"),
    }
}

async fn type_into(app: &App, css: &str, text: &str) {
    app.find(css).await.send_keys(text).await.unwrap();
}

/// A keychain vault gains a backup password from Settings; the file on disk then opens
/// with it, and a confirmation that differs is refused before anything is written.
#[test]
fn a_password_added_in_settings_opens_the_vault_file() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "settings-password").await;
        app.find("#search").await;
        app.add_link(&totp_uri("Contoso", "gus@example.com", &random_secret()))
            .await;
        app.done().await;

        app.click("#settings-button").await;
        assert_eq!(
            app.text("#unlocking-summary").await,
            "Opens with your system keychain."
        );
        app.click("#password-add").await;
        let password = "paper lantern 42";
        type_into(&app, "#password-new", password).await;
        type_into(&app, "#password-confirm", "paper lantern 24").await;
        app.click("#password-submit").await;
        app.find("#password-confirm-problem").await;
        assert!(
            !opens_with(&app, password),
            "a mismatched password was saved"
        );

        app.find("#password-confirm").await.clear().await.unwrap();
        type_into(&app, "#password-confirm", password).await;
        app.click("#password-submit").await;
        eventually("the summary to name the password", STEP, async || {
            (app.text("#unlocking-summary").await
                == "Opens with your system keychain and with a password.")
                .then_some(())
        })
        .await;
        assert!(
            opens_with(&app, password),
            "the new password does not open the file"
        );
        assert!(!opens_with(&app, "paper lantern 24"));
        app.shot("settings-password").await;
        app.close().await;
    });
}

/// The window follows the desktop's dark theme, and the theme setting overrides it.
#[test]
fn follows_the_desktop_theme_unless_told_otherwise() {
    e2e(async || {
        const BACKGROUND: &str = "return getComputedStyle(document.body).backgroundColor";
        let desktop = Desktop::start().with_env("GTK_THEME", "Adwaita:dark");
        desktop.write_settings(json!({ "theme": "system" }));
        let mut app = App::launch(desktop, "theme-dark").await;
        app.find("#search").await;
        // --bg in ui/src/app.css: #111318 dark, #f6f7f9 light.
        assert_eq!(app.eval(BACKGROUND).await, "rgb(17, 19, 24)");
        app.shot("theme-dark").await;

        app.desktop.write_settings(json!({ "theme": "light" }));
        app.relaunch().await;
        app.find("#search").await;
        eventually("the light theme", STEP, async || {
            (app.eval(BACKGROUND).await == "rgb(246, 247, 249)").then_some(())
        })
        .await;
        app.close().await;
    });
}
