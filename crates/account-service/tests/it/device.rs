//! Linking the desktop app with the device authorization grant (RFC 8628).

use serde_json::{Value, json};

use crate::support::{Reply, Server};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

async fn new_code(s: &Server) -> Value {
    let r = s
        .post(
            "/api/v1/device/code",
            None,
            json!({ "client_id": "latchkey" }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    r.body
}

async fn poll(s: &Server, code: &Value) -> Reply {
    s.post(
        "/api/v1/device/token",
        None,
        json!({ "device_code": code["device_code"], "grant_type": GRANT }),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_a_device_once_the_user_approves() {
    let s = Server::start().await;
    s.sign_up("kim@example.com").await;
    let user = s.token("kim@example.com").await;

    let code = new_code(&s).await;
    let user_code = code["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert!(user_code.chars().enumerate().all(|(i, c)| if i == 4 {
        c == '-'
    } else {
        "BCDFGHJKLMNPQRSTVWXZ".contains(c)
    }));
    assert_eq!(code["verification_uri"], "http://localhost:8088/link");
    assert_eq!(
        code["verification_uri_complete"],
        format!("http://localhost:8088/link?user_code={user_code}")
    );
    assert_eq!(
        (code["expires_in"].clone(), code["interval"].clone()),
        (json!(600), json!(5))
    );
    assert_eq!(code["device_code"].as_str().unwrap().len(), 43);

    // Pending; then polling faster than the interval is told to slow down.
    let r = poll(&s, &code).await;
    assert_eq!((r.status, r.error()), (400, "authorization_pending"));
    let r = poll(&s, &code).await;
    assert_eq!((r.status, r.error()), (400, "slow_down"));
    // The interval is now 10 s: 6 s later is too soon again (it grows to 15 s); 15 s
    // after that is fine.
    s.clock.advance(6);
    assert_eq!(poll(&s, &code).await.error(), "slow_down");
    s.clock.advance(15);
    assert_eq!(poll(&s, &code).await.error(), "authorization_pending");

    // Approving needs a signed-in user; the code may be typed loosely.
    let typed = user_code.replace('-', " ").to_lowercase();
    let r = s
        .post(
            "/api/v1/device/approve",
            None,
            json!({ "user_code": typed }),
        )
        .await;
    assert_eq!((r.status, r.error()), (401, "unauthenticated"));
    let r = s
        .post(
            "/api/v1/device/approve",
            Some(&user),
            json!({ "user_code": typed }),
        )
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    let r = s
        .post(
            "/api/v1/device/approve",
            Some(&user),
            json!({ "user_code": user_code }),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "already_decided"));

    s.clock.advance(20);
    let r = poll(&s, &code).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["token_type"], "Bearer");
    let access = r.body["access_token"].as_str().unwrap();
    let me = s.get("/api/v1/me", Some(access)).await;
    assert_eq!(
        (me.status, me.body["email"].clone()),
        (200, json!("kim@example.com"))
    );

    // The token is issued once.
    s.clock.advance(20);
    let r = poll(&s, &code).await;
    assert_eq!((r.status, r.error()), (400, "invalid_grant"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_code_expires_and_can_be_denied() {
    let s = Server::start().await;
    s.sign_up("lee@example.com").await;
    let user = s.token("lee@example.com").await;

    let expiring = new_code(&s).await;
    s.clock.advance(600);
    let r = poll(&s, &expiring).await;
    assert_eq!((r.status, r.error()), (400, "expired_token"));
    let r = s
        .post(
            "/api/v1/device/approve",
            Some(&user),
            json!({ "user_code": expiring["user_code"] }),
        )
        .await;
    assert_eq!((r.status, r.error()), (404, "invalid_user_code"));

    let denied = new_code(&s).await;
    let r = s
        .post(
            "/api/v1/device/deny",
            Some(&user),
            json!({ "user_code": denied["user_code"] }),
        )
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    let r = poll(&s, &denied).await;
    assert_eq!((r.status, r.error()), (400, "access_denied"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_endpoints_refuse_bad_requests() {
    let s = Server::start().await;
    let r = s
        .post("/api/v1/device/code", None, json!({ "client_id": "other" }))
        .await;
    assert_eq!((r.status, r.error()), (401, "invalid_client"));
    let code = new_code(&s).await;
    let r = s
        .post(
            "/api/v1/device/token",
            None,
            json!({ "device_code": code["device_code"], "grant_type": "password" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "unsupported_grant_type"));
    let r = s
        .post(
            "/api/v1/device/token",
            None,
            json!({ "device_code": "nope", "grant_type": GRANT }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "invalid_grant"));
    s.stop().await;
}
