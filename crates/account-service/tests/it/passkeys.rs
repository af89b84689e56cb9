//! Passkeys end to end: software authenticators from webauthn-authenticator-rs
//! (SoftPasskey: packed self-attestation; SoftToken: packed attestation with an x5c
//! chain) register through the API and answer the sign-in's passkey challenge, acting as
//! the browser would for the service's origin.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::task::JoinSet;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::softtoken::SoftToken;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

use crate::support::{Reply, Server, assert_one_won_others_refused};

/// The origin the service announces, which a browser on it would put in clientDataJSON.
async fn origin(s: &Server) -> Url {
    let d = s.get("/.well-known/latchkey", None).await;
    Url::parse(d.body["origin"].as_str().unwrap()).unwrap()
}

/// `POST /passkeys/registration-options`: (ceremony id, options).
async fn registration_options(s: &Server, token: &str) -> (String, CreationChallengeResponse) {
    let r = s
        .post(
            "/api/v1/passkeys/registration-options",
            Some(token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let ceremony = r.body["ceremony_id"].as_str().unwrap().to_owned();
    (ceremony, serde_json::from_value(r.body).unwrap())
}

/// The authenticator's registration response for `options`, made at `origin`.
fn make_credential(
    authenticator: &mut impl WebauthnAuthenticator,
    origin: &Url,
    options: CreationChallengeResponse,
) -> Value {
    let credential = authenticator
        .do_registration(origin.clone(), options)
        .unwrap();
    serde_json::to_value(credential).unwrap()
}

async fn finish_registration(
    s: &Server,
    token: &str,
    ceremony: &str,
    name: &str,
    credential: Value,
) -> Reply {
    s.post(
        "/api/v1/passkeys",
        Some(token),
        json!({ "ceremony_id": ceremony, "name": name, "credential": credential }),
    )
    .await
}

/// Registers a passkey made by `authenticator` for the user of `token`; returns its id.
async fn register(
    s: &Server,
    token: &str,
    authenticator: &mut impl WebauthnAuthenticator,
    name: &str,
) -> String {
    let origin = origin(s).await;
    let (ceremony, options) = registration_options(s, token).await;
    let credential = make_credential(authenticator, &origin, options);
    let r = finish_registration(s, token, &ceremony, name, credential).await;
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["name"], name);
    assert_eq!(r.body["created_at"], s.now());
    r.body["id"].as_str().unwrap().to_owned()
}

/// The authenticator's assertion for a fresh passkey challenge of `mfa_token`.
async fn assertion(
    s: &Server,
    mfa_token: &str,
    authenticator: &mut impl WebauthnAuthenticator,
) -> Value {
    let r = s
        .post(
            "/api/v1/sessions/mfa/passkey-options",
            None,
            json!({ "mfa_token": mfa_token }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let options: RequestChallengeResponse = serde_json::from_value(r.body).unwrap();
    let response = authenticator
        .do_authentication(origin(s).await, options)
        .unwrap();
    serde_json::to_value(response).unwrap()
}

async fn answer(s: &Server, mfa_token: &str, passkey: &Value) -> Reply {
    s.post(
        "/api/v1/sessions/mfa",
        None,
        json!({ "mfa_token": mfa_token, "passkey": passkey }),
    )
    .await
}

/// Signs in with the password, then with `authenticator` as the second factor.
async fn sign_in_with_passkey(
    s: &Server,
    email: &str,
    authenticator: &mut impl WebauthnAuthenticator,
) -> Reply {
    let r = s.sign_in(email).await;
    assert_eq!(r.body["mfa_required"], true, "{r:?}");
    assert!(
        r.body["methods"]
            .as_array()
            .unwrap()
            .contains(&json!("passkey")),
        "{r:?}"
    );
    let mfa_token = r.body["mfa_token"].as_str().unwrap().to_owned();
    let response = assertion(s, &mfa_token, authenticator).await;
    answer(s, &mfa_token, &response).await
}

/// Signs up `email` and returns a bearer token from before any second factor.
async fn user(s: &Server, email: &str) -> String {
    s.sign_up(email).await;
    s.token(email).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soft_passkey_registers_and_is_the_second_factor_at_sign_in() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let mut authenticator = SoftPasskey::new(true);
    let id = register(&s, &token, &mut authenticator, "Laptop").await;

    let me = s.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["mfa"]["passkeys"], 1, "{me:?}");
    let r = s.sign_in("alice@example.com").await;
    assert_eq!(r.body["mfa_required"], true, "{r:?}");
    assert_eq!(r.body["methods"], json!(["passkey"]), "{r:?}");

    s.clock.advance(60);
    let r = sign_in_with_passkey(&s, "alice@example.com", &mut authenticator).await;
    assert_eq!(r.status, 200, "{r:?}");
    let new_token = r.body["token"].as_str().unwrap();
    let list = s.get("/api/v1/passkeys", Some(new_token)).await;
    assert_eq!(
        list.body,
        json!([{ "id": id, "name": "Laptop", "created_at": s.now() - 60, "last_used_at": s.now() }])
    );
    s.stop().await;
}

/// The signature counter stored for the user's only passkey, read from the data file.
fn stored_counter(s: &Server) -> u64 {
    let db = rusqlite::Connection::open(&s.data).unwrap();
    let json: String = db
        .query_row("SELECT passkey FROM passkeys", [], |r| r.get(0))
        .unwrap();
    let passkey: Value = serde_json::from_str(&json).unwrap();
    passkey["cred"]["counter"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soft_token_with_packed_x5c_attestation_registers_and_signs_in() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let (mut authenticator, _ca) = SoftToken::new(true).unwrap();
    register(&s, &token, &mut authenticator, "Security key").await;
    // The stored counter follows the authenticator's, so a cloned key would show.
    let mut counter = stored_counter(&s);
    for _ in 0..2 {
        let r = sign_in_with_passkey(&s, "alice@example.com", &mut authenticator).await;
        assert_eq!(r.status, 200, "{r:?}");
        let now = stored_counter(&s);
        assert!(now > counter, "counter {counter} -> {now}");
        counter = now;
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_registration_made_for_another_origin() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let mut authenticator = SoftPasskey::new(true);
    let (ceremony, options) = registration_options(&s, &token).await;
    // Same host and RP ID, another port: a page elsewhere asking for our RP's passkey.
    let elsewhere = Url::parse("http://localhost:9999").unwrap();
    let credential = make_credential(&mut authenticator, &elsewhere, options);
    let r = finish_registration(&s, &token, &ceremony, "Laptop", credential).await;
    assert_eq!((r.status, r.error()), (400, "origin_mismatch"), "{r:?}");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("http://localhost:8088"),
        "{r:?}"
    );
    let list = s.get("/api/v1/passkeys", Some(&token)).await;
    assert_eq!(list.body, json!([]));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_reused_expired_and_foreign_ceremony_ids() {
    let s = Server::start().await;
    let alice = user(&s, "alice@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let origin = origin(&s).await;
    let mut authenticator = SoftPasskey::new(true);

    // Another user's ceremony is refused, and stays usable by its owner.
    let (ceremony, options) = registration_options(&s, &alice).await;
    let credential = make_credential(&mut authenticator, &origin, options);
    let r = finish_registration(&s, &bob, &ceremony, "Mine now", credential.clone()).await;
    assert_eq!((r.status, r.error()), (400, "invalid_ceremony"), "{r:?}");
    let r = finish_registration(&s, &alice, &ceremony, "Laptop", credential).await;
    assert_eq!(r.status, 201, "{r:?}");

    // Used once: a second response to the same ceremony is refused.
    let mut other = SoftPasskey::new(true);
    let (_, options) = registration_options(&s, &alice).await;
    let credential = make_credential(&mut other, &origin, options);
    let r = finish_registration(&s, &alice, &ceremony, "Phone", credential).await;
    assert_eq!((r.status, r.error()), (400, "invalid_ceremony"), "{r:?}");

    // A refused response spends the ceremony too.
    let (ceremony, options) = registration_options(&s, &alice).await;
    let stale = make_credential(
        &mut other,
        &Url::parse("http://localhost:1").unwrap(),
        options,
    );
    let r = finish_registration(&s, &alice, &ceremony, "Phone", stale).await;
    assert_eq!(r.status, 400, "{r:?}");
    let r = finish_registration(&s, &alice, &ceremony, "Phone", json!({})).await;
    assert_eq!(r.status, 400, "{r:?}");

    // Expired after 5 minutes.
    let (ceremony, options) = registration_options(&s, &alice).await;
    let credential = make_credential(&mut other, &origin, options);
    s.clock.advance(301);
    let r = finish_registration(&s, &alice, &ceremony, "Phone", credential).await;
    assert_eq!((r.status, r.error()), (400, "ceremony_expired"), "{r:?}");

    let list = s.get("/api/v1/passkeys", Some(&alice)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1, "{list:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_replayed_passkey_assertion() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let mut authenticator = SoftPasskey::new(true);
    register(&s, &token, &mut authenticator, "Laptop").await;

    let mfa_token = s.mfa_token("alice@example.com").await;
    let response = assertion(&s, &mfa_token, &mut authenticator).await;
    let r = answer(&s, &mfa_token, &response).await;
    assert_eq!(r.status, 200, "{r:?}");
    // The same response again: the sign-in attempt is finished.
    let r = answer(&s, &mfa_token, &response).await;
    assert_eq!((r.status, r.error()), (401, "invalid_mfa_token"), "{r:?}");

    // On a new sign-in attempt: its challenge is another one.
    let mfa_token = s.mfa_token("alice@example.com").await;
    let r = answer(&s, &mfa_token, &response).await;
    assert_eq!(
        (r.status, r.error()),
        (400, "no_passkey_challenge"),
        "{r:?}"
    );
    let _fresh = assertion(&s, &mfa_token, &mut authenticator).await;
    let r = answer(&s, &mfa_token, &response).await;
    assert_eq!((r.status, r.error()), (401, "invalid_passkey"), "{r:?}");
    // That wrong try spent the challenge: nothing left to answer without new options.
    let r = answer(&s, &mfa_token, &response).await;
    assert_eq!(
        (r.status, r.error()),
        (400, "no_passkey_challenge"),
        "{r:?}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_racing_copies_of_one_assertion_let_exactly_one_in() {
    let s = Arc::new(Server::start().await);
    let token = user(&s, "alice@example.com").await;
    let mut authenticator = SoftPasskey::new(true);
    register(&s, &token, &mut authenticator, "Laptop").await;
    let mfa_token = s.mfa_token("alice@example.com").await;
    let response = assertion(&s, &mfa_token, &mut authenticator).await;
    let mut racers = JoinSet::new();
    for _ in 0..20 {
        let (s, mfa_token, response) = (Arc::clone(&s), mfa_token.clone(), response.clone());
        racers.spawn(async move { answer(&s, &mfa_token, &response).await.status });
    }
    let statuses = racers.join_all().await;
    assert_one_won_others_refused(&statuses, &[400, 401]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passkey_assertions_count_towards_the_lockout() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let mut authenticator = SoftPasskey::new(true);
    register(&s, &token, &mut authenticator, "Laptop").await;

    let mfa_token = s.mfa_token("alice@example.com").await;
    for attempt in 1..=5 {
        let mut response = assertion(&s, &mfa_token, &mut authenticator).await;
        // Another signature: what an attacker without the private key can send.
        response["response"]["signature"] = json!("A".repeat(64));
        let r = answer(&s, &mfa_token, &response).await;
        let expected = if attempt < 5 { 401 } else { 429 };
        assert_eq!(r.status, expected, "attempt {attempt}: {r:?}");
    }
    let response = assertion(&s, &mfa_token, &mut authenticator).await;
    let r = answer(&s, &mfa_token, &response).await;
    assert_eq!(r.status, 429, "{r:?}");
    assert!(r.retry_after.is_some(), "{r:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_deletes_only_the_owners_passkeys() {
    let s = Server::start().await;
    let alice = user(&s, "alice@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let laptop = register(&s, &alice, &mut SoftPasskey::new(true), "Laptop").await;
    s.clock.advance(1);
    let phone = register(&s, &alice, &mut SoftPasskey::new(true), "Phone").await;

    let list = s.get("/api/v1/passkeys", Some(&alice)).await;
    let names: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Laptop", "Phone"]);
    assert_eq!(s.get("/api/v1/passkeys", Some(&bob)).await.body, json!([]));

    let r = s
        .delete(&format!("/api/v1/passkeys/{laptop}"), Some(&bob), None)
        .await;
    assert_eq!((r.status, r.error()), (404, "passkey_not_found"), "{r:?}");
    let r = s
        .delete(&format!("/api/v1/passkeys/{laptop}"), Some(&alice), None)
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    let r = s
        .delete(&format!("/api/v1/passkeys/{laptop}"), Some(&alice), None)
        .await;
    assert_eq!(r.status, 404, "{r:?}");
    let list = s.get("/api/v1/passkeys", Some(&alice)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["id"], phone.as_str());

    // Without a bearer token nothing is shown or removed.
    let r = s.get("/api/v1/passkeys", None).await;
    assert_eq!((r.status, r.error()), (401, "unauthenticated"), "{r:?}");
    let r = s
        .delete(&format!("/api/v1/passkeys/{phone}"), None, None)
        .await;
    assert_eq!(r.status, 401, "{r:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_only_passkey_turns_two_factor_off() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let id = register(&s, &token, &mut SoftPasskey::new(true), "Laptop").await;
    s.mfa_token("alice@example.com").await;

    let r = s
        .delete(&format!("/api/v1/passkeys/{id}"), Some(&token), None)
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    let r = s.sign_in("alice@example.com").await;
    assert!(r.body["token"].is_string(), "{r:?}");
    let me = s.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["mfa"]["passkeys"], 0, "{me:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_two_factor_off_removes_passkeys_too() {
    let s = Server::start().await;
    let alice = s.user_with_totp("alice@example.com").await;
    let mut authenticator = SoftPasskey::new(true);
    register(&s, &alice.token, &mut authenticator, "Laptop").await;
    let r = s.sign_in("alice@example.com").await;
    assert_eq!(
        r.body["methods"],
        json!(["totp", "recovery_code", "passkey"]),
        "{r:?}"
    );

    // A user with only TOTP gets no passkey challenge.
    let bob = s.user_with_totp("bob@example.com").await;
    let mfa_token = s.mfa_token(&bob.email).await;
    let r = s
        .post(
            "/api/v1/sessions/mfa/passkey-options",
            None,
            json!({ "mfa_token": mfa_token }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "no_passkeys"), "{r:?}");

    s.clock.advance(30);
    let code = alice.code_at(s.now());
    let r = s
        .delete(
            "/api/v1/mfa",
            Some(&alice.token),
            Some(json!({ "totp_code": code })),
        )
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    let me = s.get("/api/v1/me", Some(&alice.token)).await;
    assert_eq!(me.body["mfa"]["passkeys"], 0, "{me:?}");
    let r = s.sign_in("alice@example.com").await;
    assert!(r.body["token"].is_string(), "{r:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_satisfies_a_team_that_requires_two_factor() {
    let s = Server::start().await;
    let token = user(&s, "alice@example.com").await;
    let team = s
        .post("/api/v1/teams", Some(&token), json!({ "name": "Ops" }))
        .await;
    let path = format!("/api/v1/teams/{}", team.body["id"].as_str().unwrap());
    let r = s
        .put(
            &format!("{path}/settings"),
            Some(&token),
            json!({ "require_2fa": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(s.get(&path, Some(&token)).await.status, 403);
    register(&s, &token, &mut SoftPasskey::new(true), "Laptop").await;
    assert_eq!(s.get(&path, Some(&token)).await.status, 200);
    s.stop().await;
}
