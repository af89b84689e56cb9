//! Error answers: real statuses and the `{error, message}` shape.

use reqwest::Method;
use serde_json::json;

use crate::support::{PASSWORD, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_refuses_duplicates_and_bad_input() {
    let s = Server::start().await;
    s.sign_up("mia@example.com").await;
    let r = s
        .post(
            "/api/v1/users",
            None,
            json!({ "email": " MIA@example.com", "password": PASSWORD }),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "email_taken"));
    let r = s
        .post(
            "/api/v1/users",
            None,
            json!({ "email": "not-an-email", "password": PASSWORD }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "invalid_email"));
    let r = s
        .post(
            "/api/v1/users",
            None,
            json!({ "email": "nia@example.com", "password": "short" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "weak_password"));
    let r = s
        .post("/api/v1/users", None, json!({ "email": "nia@example.com" }))
        .await;
    assert_eq!((r.status, r.error()), (400, "invalid_json"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_400_and_missing_content_type_415() {
    let s = Server::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/users", s.base);
    let r = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_json");
    let r = http.post(&url).body("{}").send().await.unwrap();
    assert_eq!(r.status(), 415);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_refuses_wrong_password_and_unknown_email_alike() {
    let s = Server::start().await;
    s.sign_up("noa@example.com").await;
    for (email, password) in [
        ("noa@example.com", "wrong password"),
        ("nobody@example.com", PASSWORD),
    ] {
        let r = s
            .post(
                "/api/v1/sessions",
                None,
                json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!((r.status, r.error()), (401, "invalid_credentials"));
        assert_eq!(r.body["message"], "Wrong email or password.");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_needs_a_valid_bearer_token() {
    let s = Server::start().await;
    for (method, path) in [
        (Method::GET, "/api/v1/me"),
        (Method::POST, "/api/v1/mfa/totp/setup"),
        (Method::GET, "/api/v1/mfa/recovery-codes"),
        (Method::POST, "/api/v1/mfa/recovery-codes/regenerate"),
        (Method::DELETE, "/api/v1/sessions/current"),
    ] {
        let r = s.call(method.clone(), path, None, Some(json!({}))).await;
        assert_eq!(
            (r.status, r.error()),
            (401, "unauthenticated"),
            "{method} {path}"
        );
        let r = s
            .call(method.clone(), path, Some("made-up"), Some(json!({})))
            .await;
        assert_eq!(
            (r.status, r.error()),
            (401, "invalid_token"),
            "{method} {path}"
        );
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_expire_after_thirty_days() {
    let s = Server::start().await;
    s.sign_up("ola@example.com").await;
    let token = s.token("ola@example.com").await;
    s.clock.advance(30 * 24 * 3600 - 1);
    assert_eq!(s.get("/api/v1/me", Some(&token)).await.status, 200);
    s.clock.advance(1);
    assert_eq!(
        s.get("/api/v1/me", Some(&token)).await.error(),
        "invalid_token"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_and_methods_answer_json() {
    let s = Server::start().await;
    let r = s.get("/api/v1/nothing-here", None).await;
    assert_eq!((r.status, r.error()), (404, "not_found"));
    let r = s.get("/api/v1/users", None).await;
    assert_eq!((r.status, r.error()), (405, "method_not_allowed"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_answer_a_page() {
    let s = Server::start().await;
    let r = reqwest::get(format!("{}/no-such-page", s.base))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(r.headers().contains_key("content-security-policy"));
    let html = r.text().await.unwrap();
    assert!(html.contains("There is nothing at this address."), "{html}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_factor_endpoints_refuse_out_of_order_calls() {
    let s = Server::start().await;
    s.sign_up("pia@example.com").await;
    let token = s.token("pia@example.com").await;
    let r = s
        .post(
            "/api/v1/mfa/totp/confirm",
            Some(&token),
            json!({ "code": "123456" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "no_pending_totp"));
    let r = s
        .delete(
            "/api/v1/mfa",
            Some(&token),
            Some(json!({ "totp_code": "123456" })),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "mfa_not_enabled"));
    let r = s
        .post(
            "/api/v1/mfa/recovery-codes/regenerate",
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "mfa_not_enabled"));

    let setup = s
        .post("/api/v1/mfa/totp/setup", Some(&token), json!({}))
        .await;
    let r = s
        .post(
            "/api/v1/mfa/totp/confirm",
            Some(&token),
            json!({ "code": "12345" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "invalid_code"));
    let totp = totp_rs::Totp::from_url(setup.body["otpauth_uri"].as_str().unwrap()).unwrap();
    let code = totp.generate(u64::try_from(s.now()).unwrap()).to_string();
    assert_eq!(
        s.post(
            "/api/v1/mfa/totp/confirm",
            Some(&token),
            json!({ "code": code })
        )
        .await
        .status,
        200
    );
    let r = s
        .post("/api/v1/mfa/totp/setup", Some(&token), json!({}))
        .await;
    assert_eq!((r.status, r.error()), (409, "totp_already_enabled"));

    // The second step wants exactly one factor and a live MFA token.
    let mfa_token = s.mfa_token("pia@example.com").await;
    let r = s
        .post(
            "/api/v1/sessions/mfa",
            None,
            json!({ "mfa_token": mfa_token }),
        )
        .await;
    assert_eq!((r.status, r.error()), (400, "missing_code"));
    let r = s.second_factor("not-a-token", "totp_code", "123456").await;
    assert_eq!((r.status, r.error()), (401, "invalid_mfa_token"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_names_the_service() {
    let s = Server::start().await;
    let r = s.get("/.well-known/latchkey", None).await;
    assert_eq!(
        r.body,
        json!({
            "origin": "http://localhost:8088",
            "rp_id": "localhost",
            "api": "/api/v1",
            "name": "Latchkey Demo",
        })
    );
    s.stop().await;
}
