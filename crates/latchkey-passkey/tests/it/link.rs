//! A ceremony in halves (begin, the authenticator on a blocking thread, finish), as a
//! UI runs it; and linking with the device flow (RFC 8628) against the account service,
//! approved or denied through its API as the person's browser would.

use std::sync::Arc;

use latchkey_passkey::{Authenticator, BearerToken, Service};

use crate::soft_key::SoftKey;
use crate::support::Server;

async fn user(s: &Server, email: &str) -> BearerToken {
    s.sign_up(email).await;
    BearerToken::new(s.sign_in(email).await["token"].as_str().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_and_sign_in_in_halves_with_the_touch_on_a_blocking_thread() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    let key = Arc::new(SoftKey::new());

    let pending = service.begin_registration(&token).await.unwrap();
    assert_eq!(pending.request().rp.id, "localhost");
    assert_eq!(pending.request().user.name, "alice@example.com");
    assert_eq!(
        pending.request().client_data_hash,
        pending.client_data().hash()
    );
    let debug = format!("{pending:?}");
    assert!(!debug.contains("ceremony"), "{debug}");
    let k = key.clone();
    let (pending, attestation) = tokio::task::spawn_blocking(move || {
        let a = k.make_credential(pending.request());
        (pending, a)
    })
    .await
    .unwrap();
    let attestation = attestation.unwrap();
    let added = service
        .finish_registration(&token, pending, &attestation, "Key")
        .await
        .unwrap();
    assert_eq!(added.name, "Key");

    let reply = s.sign_in("alice@example.com").await;
    let mfa = reply["mfa_token"].as_str().unwrap();
    let pending = service.begin_sign_in(mfa).await.unwrap();
    assert_eq!(
        pending.request().allow_credentials,
        std::slice::from_ref(&attestation.credential_id)
    );
    let debug = format!("{pending:?}");
    assert!(!debug.contains(mfa), "{debug}");
    let k = key.clone();
    let (pending, assertion) = tokio::task::spawn_blocking(move || {
        let a = k.get_assertion(pending.request());
        (pending, a)
    })
    .await
    .unwrap();
    let session = service
        .finish_sign_in(pending, &assertion.unwrap())
        .await
        .unwrap();
    let list = service.list(&session).await.unwrap();
    assert_eq!(list[0].id, added.id);
    assert!(list[0].last_used_at.is_some(), "{list:?}");
    s.stop().await;
}
