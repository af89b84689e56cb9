//! The passkey commands through Tauri's IPC on the mock runtime, against the real
//! account service started in-process: linking by the device flow (the user code
//! approved through the service's API as the person's browser would), a platform
//! passkey made after the person's confirmation, registered, listed, used to sign in,
//! removed; a declined confirmation that makes nothing; a cancelled link; and every
//! security-key command answering at once when no key is plugged in.

// Tests fail by panicking; unwrap and expect are how they say "this must hold".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use account_service::LocalServer;
use latchkey_app::state::{AppState, now};
use latchkey_passkey::{BearerToken, PlatformAuthenticator, Service};
use serde_json::{Value, json};
use tauri::Manager;
use tokio::runtime::Runtime;

mod mock_app;
use mock_app::MockApp;

const PASSWORD: &str = "correct horse battery staple";
const EMAIL: &str = "alice@example.com";
const KEY_WAIT: Duration = Duration::from_millis(300);
const NO_KEY: &str = "No security key is plugged in. Insert one and try again.";

/// The account service on 127.0.0.1 with a fresh database, and a runtime to run the
/// passkey client on.
struct Server {
    rt: Runtime,
    local: LocalServer,
}

impl Server {
    fn start() -> Self {
        Self {
            rt: Runtime::new().unwrap(),
            local: LocalServer::start().unwrap(),
        }
    }

    fn post(&self, path: &str, body: Value) -> Value {
        self.local.post(path, None, &body).unwrap().1
    }

    /// Signs `EMAIL` up and in; its bearer token (what a finished link gives).
    fn user_token(&self) -> String {
        self.post(
            "/api/v1/users",
            json!({"email": EMAIL, "password": PASSWORD}),
        );
        let reply = self.post(
            "/api/v1/sessions",
            json!({"email": EMAIL, "password": PASSWORD}),
        );
        reply["token"].as_str().unwrap().to_owned()
    }

    /// `POST /device/{verb}` for `user_code` as the signed-in person, as the `/link`
    /// page does when they click Approve (or Deny).
    fn decide(&self, token: &str, verb: &str, user_code: &str) {
        let path = format!("/api/v1/device/{verb}");
        let body = json!({ "user_code": user_code });
        let (status, _) = self.local.post(&path, Some(token), &body).unwrap();
        assert_eq!(status, 204, "{verb} {user_code}");
    }

    /// The account's passkeys as the service lists them.
    fn passkeys(&self, token: &str) -> Vec<Value> {
        self.rt.block_on(async {
            let service = Service::discover(self.local.base()).await.unwrap();
            let list = service.list(&BearerToken::new(token)).await.unwrap();
            list.into_iter()
                .map(|p| json!({"id": p.id, "name": p.name}))
                .collect()
        })
    }
}

/// The app on the mock runtime (see `mock_app`), with the passkey steps the tests share.
struct Harness(MockApp);

impl std::ops::Deref for Harness {
    type Target = MockApp;
    fn deref(&self) -> &MockApp {
        &self.0
    }
}

impl Harness {
    /// No security key is plugged in on a test machine: say so after a short wait.
    fn new() -> Self {
        Self(MockApp::new(true, |s| s.with_key_wait(KEY_WAIT)))
    }

    /// Answers the next authenticator prompt with `answer` once one is waiting, from
    /// another thread (the command under test blocks this one).
    fn answer_when_asked(&self, answer: Value) -> std::thread::JoinHandle<()> {
        let window = self.window.clone();
        std::thread::spawn(move || {
            for _ in 0..200 {
                let args = json!({ "answer": answer });
                if mock_app::call(&window, "answer_prompt", args).is_ok() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            panic!("no prompt came");
        })
    }

    /// Links to `server` through the commands, as the Passkeys sheet does: the person
    /// (signed in as `token` in their browser) approves the user code the app shows.
    /// Takes one poll interval (5 s).
    fn link(&self, server: &Server, token: &str) -> String {
        let start = self.ok("link_service", json!({"url": server.local.base()}));
        let code = start["userCode"].as_str().unwrap();
        assert_eq!(start["verificationUri"], "http://localhost:8088/link");
        assert_eq!(start["expiresIn"], 600);
        assert!(
            !start.to_string().contains("device"),
            "the device code stays in Rust: {start}"
        );
        server.decide(token, "approve", code);
        let linked = self.ok("wait_for_link", json!({"link": start["link"]}));
        assert_eq!(linked["account"], EMAIL);
        assert_eq!(linked["rpId"], "localhost");
        let services = self.ok("services", json!({}));
        assert_eq!(services, json!([linked]));
        let vault = self
            .app
            .state::<AppState>()
            .read(|v| Ok(v.services()[0].token.to_string()))
            .unwrap();
        assert!(
            !services.to_string().contains(&vault),
            "the token never crosses IPC"
        );
        linked["id"].as_str().unwrap().to_owned()
    }
}

#[test]
fn registers_a_platform_passkey_after_a_yes_and_signs_in_with_it() {
    let server = Server::start();
    let token = server.user_token();
    let h = Harness::new();
    assert_eq!(h.ok("status", json!({})), json!({"state": "unlocked"}));
    let service = h.link(&server, &token);

    let answered = h.answer_when_asked(json!({"confirm": true}));
    let added = h.ok(
        "add_passkey",
        json!({"service": service, "holder": "platform", "name": "Laptop", "events": "__CHANNEL__:1"}),
    );
    answered.join().unwrap();
    assert_eq!(added["name"], "Laptop");
    assert_eq!(added["holder"], json!({"kind": "platform"}));
    let on_service = server.passkeys(&token);
    assert_eq!(on_service.len(), 1, "{on_service:?}");
    assert_eq!(on_service[0]["id"], added["id"]);
    let listed = h.ok("services", json!({}));
    assert_eq!(listed[0]["passkeys"][0]["name"], "Laptop");

    // The private key is in the vault: a platform authenticator over it signs in.
    let stored = h
        .app
        .state::<AppState>()
        .read(|v| Ok(v.passkeys().to_vec()))
        .unwrap();
    assert_eq!(stored.len(), 1);
    let reply = server.post(
        "/api/v1/sessions",
        json!({"email": EMAIL, "password": PASSWORD}),
    );
    let mfa = reply["mfa_token"].as_str().unwrap().to_owned();
    let session = server.rt.block_on(async {
        let client = Service::discover(server.local.base()).await.unwrap();
        let auth = PlatformAuthenticator::new(stored, |_: &_| true, now);
        client.sign_in_second_factor(&auth, &mfa).await
    });
    assert!(session.is_ok(), "{session:?}");

    h.ok(
        "remove_passkey",
        json!({"service": service, "passkey": added["id"]}),
    );
    assert!(server.passkeys(&token).is_empty());
    let left = h
        .app
        .state::<AppState>()
        .read(|v| Ok(v.passkeys().len()))
        .unwrap();
    assert_eq!(left, 0, "its private key left the vault too");
    assert_eq!(h.ok("services", json!({}))[0]["passkeys"], json!([]));
}

#[test]
fn a_declined_confirmation_makes_and_registers_nothing() {
    let server = Server::start();
    let token = server.user_token();
    let h = Harness::new();
    h.ok("status", json!({}));
    let service = h.link(&server, &token);

    let answered = h.answer_when_asked(json!({"confirm": false}));
    let err = mock_app::call(
        &h.window,
        "add_passkey",
        json!({"service": service, "holder": "platform", "name": "", "events": "__CHANNEL__:1"}),
    )
    .unwrap_err();
    answered.join().unwrap();
    assert_eq!(err, "No passkey was made: you declined.");
    assert!(server.passkeys(&token).is_empty());
    let stored = h
        .app
        .state::<AppState>()
        .read(|v| Ok(v.passkeys().len()))
        .unwrap();
    assert_eq!(stored, 0);
    // Nothing is left waiting for an answer.
    let late = mock_app::call(
        &h.window,
        "answer_prompt",
        json!({"answer": {"confirm": true}}),
    );
    assert_eq!(late.unwrap_err(), "Nothing is waiting for an answer.");
}

#[test]
fn links_through_the_commands_then_adds_this_computer_and_lists_it() {
    let server = Server::start();
    let token = server.user_token();
    let h = Harness::new();
    h.ok("status", json!({}));
    let service = h.link(&server, &token);

    let answered = h.answer_when_asked(json!({"confirm": true}));
    let added = h.ok(
        "add_passkey",
        json!({"service": service, "holder": "platform", "name": " ", "events": "__CHANNEL__:1"}),
    );
    answered.join().unwrap();
    // No name given: the passkey is named after this computer, as links are.
    let default_name = latchkey_passkey::this_computer();
    assert!(default_name.starts_with("Latchkey on "), "{default_name}");
    assert_eq!(added["name"], default_name.as_str());
    let listed = h.ok("services", json!({}));
    assert_eq!(listed[0]["passkeys"], json!([added]));
    assert_eq!(
        listed[0]["passkeys"][0]["holder"],
        json!({"kind": "platform"})
    );
    let on_service = server.passkeys(&token);
    assert_eq!(
        on_service,
        vec![json!({"id": added["id"], "name": default_name})]
    );

    // A security key, with none plugged in: the clear sentence after the wait, and
    // nothing registered.
    let err = mock_app::call(
        &h.window,
        "add_passkey",
        json!({"service": service, "holder": "securityKey", "name": "", "events": "__CHANNEL__:2"}),
    )
    .unwrap_err();
    assert_eq!(err, NO_KEY);
    assert_eq!(server.passkeys(&token).len(), 1);

    // Linking the same account again renews the link and keeps its passkeys.
    let again = h.link(&server, &token);
    assert_eq!(again, service);
    assert_eq!(h.ok("services", json!({}))[0]["passkeys"], json!([added]));
}

#[test]
fn a_cancelled_or_refused_link_keeps_nothing() {
    let server = Server::start();
    let token = server.user_token();
    let h = Harness::new();
    h.ok("status", json!({}));

    let start = h.ok("link_service", json!({"url": server.local.base()}));
    let link = start["link"].clone();
    let window = h.window.clone();
    let cancel = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        mock_app::call(&window, "cancel_link", json!({"link": link})).unwrap();
    });
    let err = mock_app::call(&h.window, "wait_for_link", json!({"link": start["link"]}));
    cancel.join().unwrap();
    assert_eq!(err.unwrap_err(), "Linking was cancelled.");
    let again = mock_app::call(&h.window, "wait_for_link", json!({"link": start["link"]}));
    assert_eq!(again.unwrap_err(), "That link has expired. Start again.");

    let start = h.ok("link_service", json!({"url": server.local.base()}));
    server.decide(&token, "deny", start["userCode"].as_str().unwrap());
    let err = mock_app::call(&h.window, "wait_for_link", json!({"link": start["link"]}));
    assert_eq!(
        err.unwrap_err(),
        "The link was refused in the browser. Nothing was linked."
    );
    assert_eq!(h.ok("services", json!({})), json!([]));

    let err = mock_app::call(
        &h.window,
        "link_service",
        json!({"url": "http://127.0.0.1:1"}),
    );
    assert_eq!(
        err.unwrap_err(),
        "Could not reach the account service at http://127.0.0.1:1. Check the address and your connection."
    );
}

#[test]
fn a_pin_answer_is_accepted_only_while_asked() {
    let h = Harness::new();
    h.ok("status", json!({}));
    let err = mock_app::call(
        &h.window,
        "answer_prompt",
        json!({"answer": {"pin": "123456"}}),
    )
    .unwrap_err();
    assert_eq!(err, "Nothing is waiting for an answer.");
    assert!(!err.contains("123456"));
}

/// Every command that talks to a key says there is none, promptly, when none is
/// plugged in (the test machine has none), and the listing is just empty.
#[test]
fn security_key_commands_say_no_key_is_plugged_in() {
    let h = Harness::new();
    h.ok("status", json!({}));
    assert_eq!(h.ok("security_keys", json!({})), json!([]));
    assert_eq!(h.ok("key_slots", json!({})), json!([]));
    let key = "/dev/hidraw9";
    let pin = "123456";
    let calls = [
        ("security_key_info", json!({"key": key})),
        (
            "set_key_pin",
            json!({"key": key, "pin": pin, "current": null}),
        ),
        ("key_passkeys", json!({"key": key, "pin": pin})),
        (
            "delete_key_passkey",
            json!({"key": key, "pin": pin, "credential": "AAAA"}),
        ),
        ("fingerprints", json!({"key": key, "pin": pin})),
        (
            "add_fingerprint",
            json!({"key": key, "pin": pin, "name": "Left", "events": "__CHANNEL__:1"}),
        ),
        (
            "rename_fingerprint",
            json!({"key": key, "pin": pin, "id": "01", "name": "Left"}),
        ),
        (
            "delete_fingerprint",
            json!({"key": key, "pin": pin, "id": "01"}),
        ),
        ("wink_key", json!({"key": key})),
        (
            "add_key_slot",
            json!({"name": "Blue key", "events": "__CHANNEL__:2"}),
        ),
    ];
    for (cmd, args) in calls {
        let err = mock_app::call(&h.window, cmd, args).unwrap_err();
        assert_eq!(err, NO_KEY, "{cmd}");
        assert!(!err.contains(pin), "{cmd}");
    }
    assert_eq!(h.ok("key_slots", json!({})), json!([]));

    // A vault no key unlocks says so instead of waiting for one.
    h.ok("lock", json!({}));
    let err = mock_app::call(
        &h.window,
        "unlock_with_key",
        json!({"events": "__CHANNEL__:3"}),
    );
    assert_eq!(
        err.unwrap_err(),
        "No security key unlocks this vault. Use your password."
    );
}
