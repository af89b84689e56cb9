//! The auto-lock: after the configured time without use, the vault locks itself and
//! the codes leave the window.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{App, Desktop, STEP, e2e, eventually};
use crate::tools::{assert_code, random_secret, totp_uri};

/// The shortest auto-lock the app has: 1 minute (0 means never). Rust checks the idle
/// time every 5 s, so it locks between 60 and 65 s after the last use it heard of.
const IDLE: Duration = Duration::from_secs(60);
const CHECK: Duration = Duration::from_secs(5);

#[test]
fn locks_itself_after_a_minute_without_use() {
    e2e(async || {
        let desktop = Desktop::start();
        desktop.write_settings(json!({
            "autoLockMinutes": 1,
            "clipboardClearSeconds": 30,
            "theme": "system",
        }));
        // The vault opens after this, and opening it counts as use.
        let launched = Instant::now();
        let app = App::launch(desktop, "auto-lock").await;
        app.find("#search").await;
        let secret = random_secret();
        app.add_link(&totp_uri("Coho", "lena@example.com", &secret))
            .await;
        app.done().await;
        let row = app.row("Coho").await;
        assert_code(&row.code, &secret, "the Coho row");
        // The last click; from here on the test only reads the page (WebDriver reads
        // send no input events, so they are not use).
        let last_use = Instant::now();
        eprintln!(
            "waiting up to {:.0?} for the auto-lock",
            IDLE + CHECK + STEP
        );

        let locked_at = eventually("the auto-lock", IDLE + CHECK + STEP, async || {
            app.find_now("#unlock-title").await.map(|_| Instant::now())
        })
        .await;
        let after = locked_at - launched;
        eprintln!(
            "locked {:.1?} after the launch, {:.1?} after the last click",
            after,
            locked_at - last_use
        );
        assert!(
            after >= IDLE,
            "locked {after:?} after the launch, before a minute without use"
        );
        // Nothing of the codes is left in the window.
        assert!(
            app.rows().await.is_empty(),
            "codes still shown while locked"
        );
        assert!(app.find_now("#search").await.is_none());
        let page = app.eval("return document.body.innerText").await;
        let page = page.as_str().unwrap_or_default().replace(' ', "");
        for code in crate::tools::codes_now(&secret) {
            assert!(
                !page.contains(&code),
                "the locked window still shows the code {code}: {page}"
            );
        }
        assert!(
            !page.contains("Coho"),
            "the locked window names the account"
        );
        assert_eq!(
            app.text(".unlock .reason").await,
            "Latchkey locked after a minute without use."
        );
        app.gone("#unlock-password").await;
        app.shot("auto-lock").await;

        // The keychain opens it again.
        app.click("#unlock-submit").await;
        let row = app.row("Coho").await;
        assert_code(&row.code, &secret, "the Coho row after unlocking");
        app.close().await;
    });
}
