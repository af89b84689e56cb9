//! Passkeys in the real app against a real account service: linking by the device
//! flow through the Passkeys sheet, then a passkey on "This computer".
//!
//! The account service runs in this test process (the `account-service` library's
//! `LocalServer`, on its own runtime and thread) and listens on 127.0.0.1; the app, a
//! separate process, reaches it over HTTP as it would any service. `cargo test -p
//! latchkey-app --test e2e` does not build the `account-service` binary, so the library
//! stands in for it: it is the same server the binary's `main` runs.

use std::time::Duration;

use account_service::LocalServer;
use serde_json::{Value, json};

use crate::harness::{App, Desktop, e2e, eventually};

const EMAIL: &str = "dana@example.com";
const PASSWORD: &str = "correct horse battery staple";
/// One poll interval (5 s) and the page's round trips, with room to spare.
const LINKING: Duration = Duration::from_secs(30);

/// Signs a person up (no TOTP: a new account has none) and in at `service`, as their
/// browser would; the session's bearer token.
fn signed_in_user(service: &LocalServer) -> String {
    let account = json!({"email": EMAIL, "password": PASSWORD});
    let (status, _) = service.post("/api/v1/users", None, &account).unwrap();
    assert!(status < 300, "sign-up: {status}");
    let (status, session) = service.post("/api/v1/sessions", None, &account).unwrap();
    assert_eq!(status, 200, "sign-in: {session}");
    session["token"].as_str().unwrap().to_owned()
}

/// The person approves `user_code` on the service's `/link` page.
fn approve(service: &LocalServer, token: &str, user_code: &str) {
    let body = json!({ "user_code": user_code });
    let (status, reply) = service
        .post("/api/v1/device/approve", Some(token), &body)
        .unwrap();
    assert_eq!(status, 204, "approving {user_code}: {reply}");
}

/// The text of the whole page, to look for a sentence in.
async fn page_text(app: &App) -> String {
    let text = app.eval("return document.body.innerText").await;
    text.as_str().unwrap_or_default().to_owned()
}

#[test]
fn links_a_service_and_adds_a_passkey_on_this_computer() {
    e2e(async || {
        let service = LocalServer::start().unwrap();
        let browser = signed_in_user(&service);
        let app = App::launch(Desktop::start(), "passkeys").await;
        app.find("#search").await;

        app.click("#passkeys-button").await;
        app.find("#link-service").await;
        assert!(page_text(&app).await.contains("No service linked yet"));
        app.click("#link-service").await;
        app.find("#link-url")
            .await
            .send_keys(service.base())
            .await
            .unwrap();
        app.click("#link-start").await;
        // RFC 8628 §6.1: 8 letters of the base-20 alphabet, shown as XXXX-XXXX.
        let code = app.text("#link-code").await;
        assert_eq!(code.len(), 9, "{code}");
        assert!(
            page_text(&app).await.contains("Waiting for approval"),
            "the sheet waits"
        );
        app.shot("passkeys-link-code").await;
        approve(&service, &browser, &code);

        let host = service.base().trim_start_matches("http://").to_owned();
        let linked = format!("Linked to {EMAIL} at {host}.");
        eventually("the link to be made", LINKING, async || {
            page_text(&app).await.contains(&linked).then_some(())
        })
        .await;
        app.gone("#link-code").await;

        // Add a passkey: "This computer" is the default place; the platform
        // authenticator asks before it makes one.
        app.eval(
            "[...document.querySelectorAll('button')]
                .find(b => b.textContent.includes('Add a passkey')).click()",
        )
        .await;
        app.click("#passkey-create").await;
        let asked = app.text("#prompt-title").await;
        assert_eq!(asked, format!("Create a passkey for {EMAIL} on localhost?"));
        app.shot("passkeys-confirm").await;
        app.click("#prompt-confirm").await;

        // Unnamed, it is named after this computer (the app runs on this host too).
        let default_name = latchkey_passkey::this_computer();
        let row = format!("{default_name} This computer · added");
        eventually("the passkey in the list", LINKING, async || {
            let names = app
                .eval(
                    "return [...document.querySelectorAll('.passkeys li')]
                        .map(li => li.innerText.replace(/\\s+/g, ' ').trim())",
                )
                .await;
            let rows: Vec<String> = serde_json::from_value(names).ok()?;
            match rows.as_slice() {
                [one] if one.starts_with(&row) => Some(()),
                _ => None,
            }
        })
        .await;
        let text = page_text(&app).await;
        assert!(
            text.contains(&format!(
                "Passkey “{default_name}” added. It lives on this computer."
            )),
            "{text}"
        );
        app.shot("passkeys").await;

        // The service has it, under the name the app gave it.
        let (status, list) = {
            let reply = reqwest::Client::new()
                .get(format!("{}/api/v1/passkeys", service.base()))
                .bearer_auth(&browser)
                .send()
                .await
                .unwrap();
            (
                reply.status().as_u16(),
                reply.json::<Value>().await.unwrap(),
            )
        };
        assert_eq!(status, 200, "{list}");
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(names, [default_name.as_str()], "{list}");
        app.close().await;
    });
}
