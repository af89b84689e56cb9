//! A ceremony in halves (begin, the authenticator on a blocking thread, finish), as a
//! UI runs it; and linking with the device flow (RFC 8628) against the account service,
//! approved or denied through its API as the person's browser would.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use account_service::{Clock, ManualClock};
use latchkey_passkey::{Authenticator, BearerToken, Error, LinkPoll, Service, SignIn};
use serde_json::json;

use crate::soft_key::SoftKey;
use crate::support::{PASSWORD, Server};

/// Any fixed time: the service's clock moves only when a test moves it.
const T0: i64 = 1_700_000_000;

async fn user(s: &Server, email: &str) -> BearerToken {
    s.sign_up(email).await;
    let service = Service::discover(&s.base).await.unwrap();
    match service.sign_in(email, PASSWORD).await.unwrap() {
        SignIn::Done(token) => token,
        other => panic!("{other:?}"),
    }
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

    let step = service
        .sign_in("alice@example.com", PASSWORD)
        .await
        .unwrap();
    let SignIn::SecondFactor { mfa_token, methods } = &step else {
        panic!("no second factor asked for: {step:?}");
    };
    assert!(methods.contains(&"passkey".to_owned()), "{methods:?}");
    assert!(!format!("{step:?}").contains(mfa_token.as_str()));
    let mfa = mfa_token.as_str();
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

/// The service on a clock the test moves, and alice signed in on it (in her browser).
async fn linking() -> (Server, ManualClock, Service, BearerToken) {
    let clock = ManualClock::new(T0);
    let s = Server::start_with_clock(Clock::from(clock.clone())).await;
    let service = Service::discover(&s.base).await.unwrap();
    let browser = user(&s, "alice@example.com").await;
    (s, clock, service, browser)
}

/// `POST /device/{approve|deny}` as the signed-in person, the way the `/link` page does.
async fn decide(base: &str, browser: &BearerToken, verb: &str, user_code: &str) {
    let reply = reqwest::Client::new()
        .post(format!("{base}/api/v1/device/{verb}"))
        .bearer_auth(browser.expose())
        .json(&json!({ "user_code": user_code }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 204, "{verb}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_once_approved_and_the_token_reads_the_account() {
    let (s, clock, service, browser) = linking().await;
    let auth = service.start_link("Latchkey test").await.unwrap();
    assert_eq!(auth.verification_uri, "http://localhost:8088/link");
    assert_eq!(
        auth.verification_uri_complete.as_deref(),
        Some(format!("http://localhost:8088/link?user_code={}", auth.user_code).as_str())
    );
    assert_eq!(
        (auth.interval, auth.expires_in),
        (Duration::from_secs(5), Duration::from_secs(600))
    );
    let debug = format!("{auth:?}");
    assert!(
        debug.contains(&auth.user_code) && !debug.contains("device_code"),
        "{debug}"
    );

    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::Pending);
    decide(&s.base, &browser, "approve", &auth.user_code).await;
    clock.advance(5);
    let LinkPoll::Linked(token) = service.poll_link(&auth).await.unwrap() else {
        panic!("not linked after approval");
    };
    assert_ne!(token, browser);
    let me = service.me(&token).await.unwrap();
    assert_eq!(me.email, "alice@example.com");

    let linked = service.linked_service(&token, &me, T0);
    assert_eq!(
        (
            linked.base_url.as_str(),
            linked.origin.as_str(),
            linked.rp_id.as_str()
        ),
        (s.base.as_str(), "http://localhost:8088", "localhost")
    );
    assert_eq!(
        (linked.account.as_str(), linked.linked_at),
        ("alice@example.com", T0)
    );
    assert_eq!(linked.token.as_str(), token.expose());
    assert!(!format!("{linked:?}").contains(token.expose()));
    // The device code is good for one token only.
    let err = service.poll_link(&auth).await.unwrap_err();
    assert!(
        matches!(&err, Error::Service { code, .. } if code == "invalid_grant"),
        "{err:?}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polling_sooner_than_the_interval_gets_slow_down_and_a_longer_interval() {
    let (s, clock, service, _) = linking().await;
    let auth = service.start_link("Latchkey test").await.unwrap();
    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::Pending);
    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::SlowDown);
    // The interval is now 10 s: 5 s later is still too soon, 10 s is not.
    clock.advance(5);
    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::SlowDown);
    clock.advance(15);
    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::Pending);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_honours_the_interval_and_adds_five_seconds_after_slow_down() {
    let (s, clock, service, browser) = linking().await;
    let auth = service.start_link("Latchkey test").await.unwrap();
    let waits = Arc::new(Mutex::new(Vec::new()));
    let (w, base, code) = (waits.clone(), s.base.clone(), auth.user_code.clone());
    let token = service
        .wait_for_link(&auth, move |d| {
            let n = {
                let mut waits = w.lock().unwrap();
                waits.push(d.as_secs());
                waits.len()
            };
            let (clock, base, code, browser) =
                (clock.clone(), base.clone(), code.clone(), browser.clone());
            async move {
                // The second wait ends early, as a suspended laptop's timer might: the
                // poll comes too soon and the service answers slow_down.
                if n != 2 {
                    clock.advance(i64::try_from(d.as_secs()).unwrap());
                }
                if n == 4 {
                    decide(&base, &browser, "approve", &code).await;
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(*waits.lock().unwrap(), [5, 5, 10, 10]);
    assert_eq!(service.me(&token).await.unwrap().email, "alice@example.com");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_link_polls_as_denied_and_ends_the_wait() {
    let (s, clock, service, browser) = linking().await;
    let auth = service.start_link("Latchkey test").await.unwrap();
    decide(&s.base, &browser, "deny", &auth.user_code).await;
    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::Denied);
    let err = service
        .wait_for_link(&auth, |d| {
            clock.advance(i64::try_from(d.as_secs()).unwrap());
            std::future::ready(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LinkDenied), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the link was refused on the account service"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_expire_after_ten_minutes() {
    let (s, clock, service, browser) = linking().await;
    let auth = service.start_link("Latchkey test").await.unwrap();
    let polls = Arc::new(Mutex::new(0));
    let p = polls.clone();
    let err = service
        .wait_for_link(&auth, |d| {
            *p.lock().unwrap() += 1;
            clock.advance(i64::try_from(d.as_secs()).unwrap());
            std::future::ready(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LinkExpired), "{err:?}");
    // Every 5 s for 600 s: the 120th poll is at the expiry instant.
    assert_eq!(*polls.lock().unwrap(), 120);
    assert_eq!(service.poll_link(&auth).await.unwrap(), LinkPoll::Expired);
    // Too late to approve, too.
    let reply = reqwest::Client::new()
        .post(format!("{}/api/v1/device/approve", s.base))
        .bearer_auth(browser.expose())
        .json(&json!({ "user_code": auth.user_code }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 404);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_services_are_spoken_to_over_tls() {
    use tokio::io::AsyncReadExt;
    // A listener that records the first bytes a client sends, then hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let first = tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut head = [0; 3];
        conn.read_exact(&mut head).await.unwrap();
        head
    });
    let err = Service::discover(&format!("https://{addr}"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http(_)), "{err:?}");
    // A TLS handshake record (content type 22, version 3.x): a ClientHello.
    let head = first.await.unwrap();
    assert_eq!(head[..2], [0x16, 0x03], "{head:?}");
}
