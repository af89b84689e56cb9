//! Register, sign in with, list and remove a passkey through `Service`, against the
//! account service; and the refusals a client must surface as sentences.

use latchkey_passkey::{BearerToken, Error, Service, attestation_object};

use crate::soft_key::{SoftKey, Tampered};
use crate::support::Server;

/// Signs up `email` (no second factor yet) and returns its bearer token.
async fn user(s: &Server, email: &str) -> BearerToken {
    s.sign_up(email).await;
    let reply = s.sign_in(email).await;
    BearerToken::new(reply["token"].as_str().unwrap())
}

/// The password step of a sign-in that then needs a second factor: its MFA token.
async fn mfa_token(s: &Server, email: &str) -> String {
    let reply = s.sign_in(email).await;
    assert_eq!(reply["mfa_required"], true, "{reply}");
    assert!(
        reply["methods"]
            .as_array()
            .unwrap()
            .contains(&"passkey".into())
    );
    reply["mfa_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_signs_in_lists_and_removes_a_security_key_passkey() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    // The origin is the service's public one, not the address we reach it at.
    assert_eq!(service.discovery().origin, "http://localhost:8088");
    assert_eq!(service.discovery().rp_id, "localhost");
    let token = user(&s, "alice@example.com").await;
    let key = SoftKey::new();

    let added = service.register(&key, &token, "YubiKey").await.unwrap();
    assert_eq!(added.name, "YubiKey");
    // The service verified the attestationObject we rebuilt from SoftToken's fields.
    assert_eq!(key.original_objects.lock().unwrap().len(), 1);

    let mfa = mfa_token(&s, "alice@example.com").await;
    let session = service.sign_in_second_factor(&key, &mfa).await.unwrap();
    assert_ne!(session, token);

    let list = service.list(&session).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(
        (list[0].id.as_str(), list[0].name.as_str()),
        (added.id.as_str(), "YubiKey")
    );
    assert!(list[0].last_used_at.is_some(), "{list:?}");

    service.remove(&session, &added.id).await.unwrap();
    assert!(service.list(&session).await.unwrap().is_empty());
    // With no passkey left, the password alone signs in again.
    assert!(s.sign_in("alice@example.com").await["token"].is_string());
    let err = service.remove(&session, &added.id).await.unwrap_err();
    assert!(
        matches!(&err, Error::Service { status: 404, .. }),
        "{err:?}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilt_packed_x5c_attestation_object_equals_the_tokens_own() {
    let key = SoftKey::new();
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    service.register(&key, &token, "Key").await.unwrap();
    let original = key.original_objects.lock().unwrap()[0].clone();
    let value: ciborium::Value = ciborium::from_reader(&original[..]).unwrap();
    let map = value.as_map().unwrap();
    let get = |k: &str| {
        &map.iter()
            .find(|(key, _)| key.as_text() == Some(k))
            .unwrap()
            .1
    };
    let stmt = get("attStmt").as_map().unwrap();
    let keys: Vec<&str> = stmt.iter().map(|(k, _)| k.as_text().unwrap()).collect();
    assert_eq!(
        keys,
        ["alg", "sig", "x5c"],
        "SoftToken's packed statement has an x5c chain"
    );

    let att = latchkey_passkey::AttestationStatement {
        alg: Some(-7),
        sig: stmt[1].1.as_bytes().unwrap().clone(),
        x5c: stmt[2]
            .1
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_bytes().unwrap().clone())
            .collect(),
    };
    let rebuilt = attestation_object("packed", get("authData").as_bytes().unwrap(), &att).unwrap();
    assert_eq!(rebuilt, original);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_the_wrong_origin_gets_the_services_origin_mismatch() {
    let s = Server::start().await;
    let found = Service::discover(&s.base).await.unwrap();
    let mut discovery = found.discovery().clone();
    // Same host and RP ID, another port: what a page elsewhere would send.
    discovery.origin = "http://localhost:9999".into();
    let wrong = Service::from_discovery(&s.base, discovery).unwrap();
    let token = user(&s, "alice@example.com").await;

    let err = wrong
        .register(&SoftKey::new(), &token, "Key")
        .await
        .unwrap_err();
    let Error::Service {
        status,
        code,
        message,
    } = &err
    else {
        panic!("not the service's refusal: {err:?}");
    };
    assert_eq!((*status, code.as_str()), (400, "origin_mismatch"));
    assert!(message.contains("http://localhost:8088"), "{message}");
    // The error's text is the service's sentence.
    assert_eq!(err.to_string(), *message);
    assert!(found.list(&token).await.unwrap().is_empty());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_assertion_signature_is_refused() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    let key = SoftKey::new();
    service.register(&key, &token, "Key").await.unwrap();

    let mfa = mfa_token(&s, "alice@example.com").await;
    let err = service
        .sign_in_second_factor(&Tampered(&key), &mfa)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service { status: 401, code, .. } if code == "invalid_passkey"),
        "{err:?}"
    );
    assert!(!err.to_string().is_empty());
    // The untampered key still gets in on the same sign-in attempt.
    let session = service.sign_in_second_factor(&key, &mfa).await.unwrap();
    assert_eq!(service.list(&session).await.unwrap().len(), 1);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_of_something_that_is_not_a_service_is_a_sentence() {
    let s = Server::start().await;
    let err = Service::discover(&format!("{}/nothing-here", s.base))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service { status: 404, .. }),
        "{err:?}"
    );
    let err = Service::discover("http://127.0.0.1:1").await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("could not reach the account service"),
        "{err}"
    );
    s.stop().await;
}

/// An authenticator that must not be reached: it records being asked.
#[derive(Default)]
struct NeverAsked(std::sync::atomic::AtomicBool);

impl latchkey_passkey::Authenticator for NeverAsked {
    fn make_credential(
        &self,
        _: &latchkey_passkey::MakeCredentialRequest,
    ) -> Result<latchkey_passkey::Attestation, latchkey_passkey::AuthenticatorError> {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        Err(latchkey_passkey::AuthenticatorError::Cancelled)
    }
    fn get_assertion(
        &self,
        _: &latchkey_passkey::GetAssertionRequest,
    ) -> Result<latchkey_passkey::Assertion, latchkey_passkey::AuthenticatorError> {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        Err(latchkey_passkey::AuthenticatorError::Cancelled)
    }
}

/// WebAuthn §5.1.3 step 7: options naming an RP ID the origin may not speak for are
/// refused before any authenticator is asked (a page on evil.example asking for a
/// localhost passkey).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_for_an_rp_the_origin_may_not_use_never_reach_the_authenticator() {
    let s = Server::start().await;
    let found = Service::discover(&s.base).await.unwrap();
    let mut discovery = found.discovery().clone();
    discovery.origin = "http://evil.example:8088".into();
    let foreign = Service::from_discovery(&s.base, discovery).unwrap();
    let token = user(&s, "alice@example.com").await;

    let key = NeverAsked::default();
    let err = foreign.register(&key, &token, "Key").await.unwrap_err();
    assert!(matches!(err, Error::RpMismatch { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the service asked for a passkey for \"localhost\", which http://evil.example:8088 may not use"
    );
    assert!(
        !key.0.load(std::sync::atomic::Ordering::SeqCst),
        "the authenticator was asked"
    );

    // Sign-in too: a real passkey exists, the foreign client still may not use it.
    found
        .register(&SoftKey::new(), &token, "Key")
        .await
        .unwrap();
    let mfa = mfa_token(&s, "alice@example.com").await;
    let err = foreign.sign_in_second_factor(&key, &mfa).await.unwrap_err();
    assert!(matches!(err, Error::RpMismatch { .. }), "{err:?}");
    assert!(!key.0.load(std::sync::atomic::Ordering::SeqCst));
    s.stop().await;
}
