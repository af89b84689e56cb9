//! Locking, and unlocking a keychain vault with one button.

use crate::harness::{App, Desktop, STEP, e2e, eventually, tool};
use crate::tools::{assert_code, random_secret, totp_uri};

#[test]
fn locks_and_unlocks_from_the_keychain_without_a_password() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "lock").await;
        app.find("#search").await;
        let secret = random_secret();
        app.add_link(&totp_uri("Tailspin", "erin@example.com", &secret))
            .await;
        app.done().await;
        app.row("Tailspin").await;

        app.click("#lock-button").await;
        app.find("#unlock-submit").await;
        // The keychain opens this vault, so the unlock screen asks for no password
        // (once Rust has said so).
        app.gone("#unlock-password").await;
        assert!(
            app.rows().await.is_empty(),
            "codes still shown while locked"
        );
        assert!(app.find_now("#search").await.is_none());
        assert_eq!(app.text("#unlock-title").await, "Unlock Latchkey");
        assert_eq!(app.text(".unlock .reason").await, "Latchkey is locked.");
        assert_eq!(app.text("#unlock-submit").await, "Unlock");
        app.shot("lock").await;

        app.click("#unlock-submit").await;
        let row = app.row("Tailspin").await;
        assert_code(&row.code, &secret, "the Tailspin row after unlocking");
        app.find("#search").await;
        assert!(app.find_now("#unlock-error").await.is_none());
        app.shot("lock-unlocked").await;
        app.close().await;
    });
}

/// The global shortcut (X11): Ctrl+Alt+K, pressed anywhere on the desktop, brings the
/// window up with the search field focused and any open sheet closed.
#[test]
fn the_global_shortcut_focuses_the_search() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "shortcut").await;
        app.find("#search").await;
        app.click("#add-button").await;
        app.find("#add-uri").await;
        let focused = "return document.activeElement && document.activeElement.id";
        assert_ne!(app.eval(focused).await, "search", "the sheet has the focus");

        let pressed = app
            .desktop
            .command(tool("xdotool"))
            .args(["key", "--clearmodifiers", "ctrl+alt+k"])
            .status()
            .unwrap();
        assert!(pressed.success(), "xdotool key failed");
        eventually("the search to have the focus", STEP, async || {
            (app.eval(focused).await == "search").then_some(())
        })
        .await;
        app.gone("#add-uri").await;
        app.shot("shortcut").await;
        app.close().await;
    });
}
