//! Adding accounts: a pasted setup link, a QR code on the screen, and an
//! `otpauth://` link opened while the app runs.

use std::fs::File;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{APP, App, Desktop, e2e, eventually};
use crate::tools::{assert_code, qr_png, random_secret, totp_uri};

#[test]
fn adds_an_account_from_a_setup_link_with_oathtools_codes() {
    e2e(async || {
        let desktop = Desktop::start();
        let (before, _) = desktop.keychain_items();
        assert!(before.trim().is_empty(), "a fresh keyring holds {before}");

        let app = App::launch(desktop, "add-link").await;
        // The first start with a keychain makes the vault, keeps its key in the keychain
        // and opens straight to the (empty) codes screen: no password asked for.
        assert_eq!(app.text("#empty-title").await, "Add your first account");
        assert!(app.find_now("#unlock-password").await.is_none());
        assert!(app.desktop.vault().is_file(), "no vault file was made");
        let (items, attributes) = app.desktop.keychain_items();
        assert_eq!(
            items.lines().filter(|l| l.starts_with('[')).count(),
            1,
            "one Latchkey item in the Secret Service, found:\n{items}"
        );
        assert!(
            items
                .lines()
                .any(|l| l.strip_prefix("secret = ").is_some_and(|s| s.len() >= 16)),
            "the item holds no key:\n{items}"
        );
        assert!(
            attributes.contains("attribute.service = Latchkey"),
            "{attributes}"
        );

        let secret = random_secret();
        let uri = totp_uri("Northwind", "alice@example.com", &secret);
        let shown = app.add_link(&uri).await;
        assert_code(&shown, &secret, "the confirm step");
        assert_eq!(app.text("#confirm-title").await, "Northwind added");
        app.shot("add-link-confirm").await;
        app.done().await;

        let row = app.row("Northwind").await;
        assert_code(&row.code, &secret, "the Northwind row");
        assert!(
            row.code.len() == 7 && row.code.as_bytes()[3] == b' ',
            "the code is not grouped for reading: {:?}",
            row.code
        );
        assert_eq!(app.rows().await.len(), 1);
        let vault = std::fs::read(app.desktop.vault()).unwrap();
        assert!(
            !vault.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the secret is in the vault file in the clear"
        );
        app.shot("add-link").await;
        app.close().await;
    });
}

#[test]
fn scans_a_qr_code_shown_on_the_screen() {
    e2e(async || {
        let mut desktop = Desktop::start();
        let secret = random_secret();
        let uri = totp_uri("Contoso", "bob@example.com", &secret);
        let qr = qr_png(desktop.dir(), &uri);
        // Beside the app's window (460×720 at 0,0), as a site's page would be.
        desktop.show(&qr, 600, 80);

        let app = App::launch(desktop, "scan-screen").await;
        app.find("#search").await;
        app.click("#add-button").await;
        app.click("#scan-screen").await;
        let shown = app.confirm_code().await;
        assert_code(&shown, &secret, "the confirm step after scanning");
        assert_eq!(app.text("#confirm-title").await, "Contoso added");
        app.shot("scan-screen").await;
        app.desktop.screenshot_screen("scan-screen-desktop");
        app.done().await;

        let row = app.row("Contoso").await;
        assert_code(&row.code, &secret, "the Contoso row");
        app.close().await;
    });
}

#[test]
fn a_link_opened_while_the_app_runs_goes_to_the_running_app() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "deep-link").await;
        app.find("#search").await;
        // Notes each time the add sheet's link field comes or goes, to count the opens.
        app.eval(
            r#"window.e2eSheets = []; let last = null;
            new MutationObserver(() => {
                const now = document.querySelector('#add-uri')?.value ?? null;
                if (now !== last) window.e2eSheets.push(now);
                last = now;
            }).observe(document.body, { childList: true, subtree: true });"#,
        )
        .await;
        let secret = random_secret();
        let uri = totp_uri("Fabrikam", "carol@example.com", &secret);

        // What a browser does with an otpauth:// link: start the app with it. The
        // second process must hand the link over and exit.
        let log = app.desktop.dir().join("second.log");
        let started = Instant::now();
        let mut second = app
            .desktop
            .command(APP)
            .arg(&uri)
            .stdout(Stdio::null())
            .stderr(File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(status) = second.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(10) {
                let _ = second.kill();
                let _ = second.wait();
                panic!(
                    "the second latchkey-app was still running after 10 s: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let took = started.elapsed();
        assert!(
            status.success(),
            "the second latchkey-app failed ({status}): {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        eprintln!("the second instance handed the link over and exited in {took:.1?}");

        // The running app opens the add sheet with the link filled in and a warning.
        let field = app.find("#add-uri").await;
        let value = eventually(
            "the link in the add sheet",
            crate::harness::STEP,
            async || {
                field
                    .prop("value")
                    .await
                    .ok()
                    .flatten()
                    .filter(|v| !v.is_empty())
            },
        )
        .await;
        assert_eq!(value, uri);
        let notice = app.text(".sheet .notice.warn").await;
        assert!(
            notice.starts_with("A setup link was opened in Latchkey."),
            "{notice}"
        );
        assert!(
            app.rows().await.is_empty(),
            "added before the person agreed"
        );
        app.shot("deep-link").await;

        app.click("#add-uri-submit").await;
        let shown = app.confirm_code().await;
        assert_code(&shown, &secret, "the confirm step of the opened link");
        app.done().await;
        let row = app.row("Fabrikam").await;
        assert_code(&row.code, &secret, "the Fabrikam row");
        // One link, one sheet: it stays closed after Done.
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let opens = app.eval("return window.e2eSheets").await;
        assert!(
            app.find_now("[role=dialog]").await.is_none(),
            "a sheet is open again after Done; the link field came and went: {opens}"
        );
        assert_eq!(
            opens,
            serde_json::json!([uri, null]),
            "the link field came and went"
        );
        app.shot("deep-link-added").await;
        app.close().await;
    });
}
