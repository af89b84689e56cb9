//! The codes list: search, keyboard copy, and the clipboard clear.

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use serde_json::json;

use crate::harness::{App, Desktop, STEP, e2e, eventually};
use crate::tools::{assert_code, random_secret, totp_uri};

/// The clipboard clear time the settings file sets for these tests.
const CLEAR: Duration = Duration::from_secs(3);

async fn launch(name: &str) -> App {
    let desktop = Desktop::start();
    desktop.write_settings(json!({
        "autoLockMinutes": 5,
        "clipboardClearSeconds": CLEAR.as_secs(),
        "theme": "system",
    }));
    let app = App::launch(desktop, name).await;
    app.find("#search").await;
    app
}

/// Adds an account through the add sheet and returns its secret.
async fn add(app: &App, issuer: &str) -> String {
    let secret = random_secret();
    let shown = app
        .add_link(&totp_uri(issuer, "dana@example.com", &secret))
        .await;
    assert_code(&shown, &secret, &format!("the confirm step of {issuer}"));
    app.done().await;
    secret
}

/// What the screen reader is told last.
async fn announced(app: &App) -> String {
    app.eval("return document.querySelector('.app > [role=status]').textContent")
        .await
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn search_filters_enter_copies_and_the_clipboard_is_cleared() {
    e2e(async || {
        let app = launch("search-copy").await;
        let _fabrikam = add(&app, "Fabrikam").await;
        let northwind = add(&app, "Northwind").await;
        let _contoso = add(&app, "Contoso").await;
        assert_eq!(app.issuers().await, ["Fabrikam", "Northwind", "Contoso"]);

        // Part of one issuer: only that row.
        let search = app.find("#search").await;
        search.click().await.unwrap();
        search.send_keys("WIND").await.unwrap();
        eventually("the search to leave one row", STEP, async || {
            (app.issuers().await == ["Northwind"]).then_some(())
        })
        .await;
        app.shot("search").await;

        // Esc clears the search: every row again.
        app.keys(&Key::Escape.to_string()).await;
        eventually("Esc to bring every row back", STEP, async || {
            (app.issuers().await.len() == 3).then_some(())
        })
        .await;
        assert_eq!(search.prop("value").await.unwrap().as_deref(), Some(""));

        // ↓ moves from the search to the first row, ↓ to the second; Enter copies it.
        let rows = app.rows().await;
        let id_of = |issuer: &str| rows.iter().find(|r| r.issuer == issuer).unwrap().id.clone();
        for (step, issuer) in [(1, "Fabrikam"), (2, "Northwind")] {
            app.keys(&Key::Down.to_string()).await;
            let want = id_of(issuer);
            eventually(
                &format!("↓ #{step} to focus {issuer}"),
                STEP,
                async || (app.focused_row().await.as_deref() == Some(want.as_str())).then_some(()),
            )
            .await;
        }
        app.keys(&Key::Enter.to_string()).await;
        let copied_at = Instant::now();
        let row = eventually("the row to say Copied", STEP, async || {
            app.rows()
                .await
                .into_iter()
                .find(|r| r.issuer == "Northwind" && r.copied.is_some())
        })
        .await;
        // "Copied — clears in 3 s", counting down.
        let says = row.copied.clone().unwrap();
        let left = says
            .strip_prefix("Copied — clears in ")
            .and_then(|s| s.strip_suffix(" s"))
            .and_then(|n| n.parse::<u64>().ok());
        assert!(
            left.is_some_and(|n| (1..=CLEAR.as_secs()).contains(&n)),
            "the row says {says:?}"
        );
        let code = eventually("the code on the clipboard", STEP, async || {
            app.desktop.clipboard().filter(|c| !c.is_empty())
        })
        .await;
        assert_code(&code, &northwind, "the clipboard");
        assert!(
            code.chars().all(|c| c.is_ascii_digit()),
            "the clipboard holds {code:?}, not bare digits"
        );
        app.shot("search-copy").await;

        // Cleared after the clear time, not before.
        let cleared_after = eventually("the clipboard to be cleared", CLEAR * 3, async || {
            (app.desktop.clipboard().as_deref() != Some(code.as_str())).then(|| copied_at.elapsed())
        })
        .await;
        assert!(
            cleared_after >= CLEAR - Duration::from_millis(500),
            "cleared after {cleared_after:?}, before the {CLEAR:?} the settings say"
        );
        assert_eq!(app.desktop.clipboard().unwrap_or_default(), "");
        eprintln!("the clipboard was cleared {cleared_after:.1?} after the copy");
        eventually("the row to stop saying Copied", STEP, async || {
            let rows = app.rows().await;
            rows.iter().all(|r| r.copied.is_none()).then_some(())
        })
        .await;
        assert_eq!(announced(&app).await, "Clipboard cleared.");
        app.shot("search-copy-cleared").await;
        app.close().await;
    });
}

#[test]
fn a_clipboard_changed_after_copying_is_left_alone() {
    e2e(async || {
        let app = launch("clipboard-kept").await;
        let secret = add(&app, "Fabrikam").await;
        let row = app.row("Fabrikam").await;

        // A click copies too.
        app.click(&format!("[data-account-id=\"{}\"] .main", row.id))
            .await;
        let copied_at = Instant::now();
        let code = eventually("the code on the clipboard", STEP, async || {
            app.desktop.clipboard().filter(|c| !c.is_empty())
        })
        .await;
        assert_code(&code, &secret, "the clipboard");

        // The person copies something else before the clear time.
        let note = "meeting at 10, room 4";
        app.desktop.set_clipboard(note);
        assert!(
            copied_at.elapsed() < CLEAR,
            "too slow to beat the clear time"
        );
        assert_eq!(app.desktop.clipboard().as_deref(), Some(note));
        tokio::time::sleep(
            (CLEAR + Duration::from_millis(1500)).saturating_sub(copied_at.elapsed()),
        )
        .await;
        assert_eq!(
            app.desktop.clipboard().as_deref(),
            Some(note),
            "Latchkey cleared text it had not put there"
        );
        assert_ne!(announced(&app).await, "Clipboard cleared.");
        app.shot("clipboard-kept").await;
        app.close().await;
    });
}
