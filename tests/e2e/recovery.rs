//! An account's recovery codes: pasted in its details, marked used, the low warning.

use fantoccini::key::Key;
use serde::Deserialize;

use crate::harness::{App, Desktop, STEP, e2e, eventually};
use crate::tools::{random_secret, totp_uri};

const CODES: [&str; 5] = [
    "x7kq-2m9d",
    "p3rt-8w4z",
    "a9c2-h6jn",
    "m2v8-qe5t",
    "z4nd-7yb3",
];

#[derive(Debug, Deserialize)]
struct Shown {
    code: String,
    used: String,
    disabled: bool,
}

async fn shown(app: &App) -> Vec<Shown> {
    let list = app
        .eval(
            r#"return [...document.querySelectorAll('.recovery-code')].map(li => ({
                code: li.querySelector('.value').textContent.trim(),
                used: li.dataset.used,
                disabled: li.querySelector('.mark-used').disabled,
            }));"#,
        )
        .await;
    serde_json::from_value(list).unwrap()
}

/// "X7KQ 2M9D" and "x7kq-2m9d" are the same code.
fn same(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    norm(a) == norm(b)
}

#[test]
fn recovery_codes_are_kept_marked_used_and_warn_when_two_are_left() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "recovery").await;
        app.find("#search").await;
        app.add_link(&totp_uri(
            "Woodgrove",
            "frank@example.com",
            &random_secret(),
        ))
        .await;
        app.done().await;
        app.row("Woodgrove").await;

        app.click("button[aria-label=\"Details for Woodgrove\"]")
            .await;
        let text = app.find("#recovery-text").await;
        text.send_keys(&CODES.join(&Key::Enter.to_string()))
            .await
            .unwrap();
        app.click("#recovery-save").await;
        let codes = eventually("five saved codes", STEP, async || {
            Some(shown(&app).await).filter(|c| c.len() == 5)
        })
        .await;
        for (shown, pasted) in codes.iter().zip(CODES) {
            assert!(same(&shown.code, pasted), "{shown:?} for {pasted}");
            assert_eq!((shown.used.as_str(), shown.disabled), ("false", false));
        }
        assert_eq!(app.text("#recovery-remaining").await, "5 of 5 left");
        assert!(app.find_now(".recovery-low").await.is_none());

        for used in 1..=3 {
            app.click(".recovery-code[data-used=\"false\"] .mark-used")
                .await;
            eventually(&format!("{used} codes marked used"), STEP, async || {
                let now = shown(&app).await;
                (now.iter().filter(|c| c.used == "true").count() == used).then_some(())
            })
            .await;
        }
        assert_eq!(app.text("#recovery-remaining").await, "2 of 5 left");
        let warning = app.find(".recovery-low").await;
        assert!(warning.is_displayed().await.unwrap());
        let says = warning.text().await.unwrap();
        assert!(says.contains("Only 2 codes are left."), "{says}");
        let codes = shown(&app).await;
        for (i, c) in codes.iter().enumerate() {
            let used = i < 3;
            assert_eq!(
                (c.used.as_str(), c.disabled),
                (if used { "true" } else { "false" }, used),
                "code {i}: {c:?}"
            );
        }
        app.shot("recovery").await;

        // Back on the list, the account carries a "2 left" badge.
        app.click(".sheet button[aria-label=\"Close\"]").await;
        app.gone("[role=dialog]").await;
        let badge = eventually("the low badge on the row", STEP, async || {
            app.rows()
                .await
                .into_iter()
                .find(|r| r.issuer == "Woodgrove")
                .and_then(|r| r.badge)
        })
        .await;
        assert_eq!(badge, "2 left");
        app.shot("recovery-badge").await;
        app.close().await;
    });
}
