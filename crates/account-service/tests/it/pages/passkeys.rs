//! Passkeys through the pages, as `passkey.js` drives them: options fetched with the
//! page's CSRF token, the authenticator's response posted in the page's form. The
//! authenticator is webauthn-authenticator-rs's SoftPasskey acting for the service's
//! origin; the same flow in real Chromium is `tests/browser/`.

use serde_json::Value;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

use super::{Browser, Visit, between};
use crate::support::Server;

/// The origin the service announces, which the browser's clientDataJSON would carry.
async fn origin(b: &Browser<'_>) -> Url {
    let d: Value = serde_json::from_str(&b.get("/.well-known/latchkey").await.html).unwrap();
    Url::parse(d["origin"].as_str().unwrap()).unwrap()
}

/// Posts only the page's CSRF token to `path` and reads the JSON answer.
async fn options(b: &Browser<'_>, page: &Visit, path: &str) -> Value {
    let answer = b.submit(page, path, &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    serde_json::from_str(&answer.html).unwrap()
}

async fn add_passkey(b: &Browser<'_>, authenticator: &mut SoftPasskey, name: &str) -> Visit {
    let page = b.get("/account/security").await;
    assert!(page.html.contains(r#"id="passkey-add""#));
    assert!(
        page.html
            .contains(r#"<script src="/static/passkey.js" defer>"#)
    );
    let json = options(b, &page, "/account/security/passkeys/options").await;
    let ceremony = json["ceremony_id"].as_str().unwrap().to_owned();
    let challenge: CreationChallengeResponse = serde_json::from_value(json).unwrap();
    let credential = authenticator
        .do_registration(origin(b).await, challenge)
        .unwrap();
    let credential = serde_json::to_string(&credential).unwrap();
    b.submit(
        &page,
        "/account/security/passkeys",
        &[
            ("name", name),
            ("ceremony_id", &ceremony),
            ("credential", &credential),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adds_a_passkey_signs_in_with_it_and_removes_it_through_the_pages() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let page = b.sign_up("grace@example.com").await;
    assert!(page.html.contains("No passkeys yet."));

    let mut authenticator = SoftPasskey::new(true);
    let added = add_passkey(&b, &mut authenticator, "Phone").await;
    assert_eq!(
        (added.status, added.path.as_str()),
        (200, "/account/security?done=passkey_added")
    );
    assert!(added.html.contains("Your passkey was added."));
    assert!(added.html.contains("<strong>Phone</strong>"));
    assert!(added.html.contains("never used"));
    // A passkey alone is two-factor on.
    assert!(added.html.contains(r#"<span class="badge on">On</span>"#));

    // Without its CSRF token the options route is refused like any form.
    let bare = b.post_raw("/account/security/passkeys/options", &[]).await;
    assert_eq!(bare.status, 403);

    b.log_out().await;
    let step = b.log_in("grace@example.com").await;
    assert!(
        step.path.starts_with("/login/second-factor") && step.path.ends_with("&method=passkey"),
        "{}",
        step.path
    );
    assert!(step.html.contains("Use a passkey"));
    // Grace has neither an authenticator app nor recovery codes: the step offers
    // neither, even when asked for the app's code.
    for html in [&step.html, &b.get("/login/second-factor").await.html] {
        assert!(html.contains(r#"id="passkey-sign-in""#), "{html}");
        assert!(!html.contains("recovery code"), "{html}");
        assert!(!html.contains("authenticator app"), "{html}");
        assert!(!html.contains(r#"name="code""#), "{html}");
    }

    // Something that is not a passkey response is refused on the page.
    let wrong = b
        .submit(
            &step,
            "/login/second-factor",
            &[("method", "passkey"), ("passkey", "{}")],
        )
        .await;
    assert_eq!(wrong.status, 400, "{}", wrong.html);
    assert!(wrong.html.contains("could not be read"), "{}", wrong.html);

    s.clock.advance(60);
    let json = options(&b, &step, "/login/second-factor/passkey-options").await;
    let challenge: RequestChallengeResponse = serde_json::from_value(json).unwrap();
    let assertion = authenticator
        .do_authentication(origin(&b).await, challenge)
        .unwrap();
    let assertion = serde_json::to_string(&assertion).unwrap();
    let signed_in = b
        .submit(
            &step,
            "/login/second-factor",
            &[
                ("method", "passkey"),
                ("passkey", &assertion),
                ("next", "/account/security"),
            ],
        )
        .await;
    assert_eq!(
        (signed_in.status, signed_in.path.as_str()),
        (200, "/account/security"),
        "{}",
        signed_in.html
    );
    assert!(signed_in.html.contains("last used"));

    let id = between(
        &signed_in.html,
        r#"action="/account/security/passkeys/"#,
        "/remove",
    )
    .unwrap();
    let removed = b
        .submit(
            &signed_in,
            &format!("/account/security/passkeys/{id}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.path, "/account/security?done=passkey_removed");
    assert!(removed.html.contains("No passkeys yet."));
    assert!(
        removed
            .html
            .contains(r#"<span class="badge off">Off</span>"#)
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_the_passkey_script_under_a_csp_that_allows_only_own_scripts() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let script = b.get("/static/passkey.js").await;
    assert_eq!(script.status, 200);
    assert_eq!(
        script.headers["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(script.html.contains("navigator.credentials.create"));
    let page = b.get("/login").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    s.stop().await;
}
