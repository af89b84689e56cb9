//! The seed's whole two-factor story, end to end over HTTP.

use serde_json::json;

use crate::support::{PASSWORD, Server, strings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_flow_from_sign_up_to_turning_two_factor_off() {
    let s = Server::start().await;
    let email = "alice@example.com";

    // Sign up and sign in: no second factor yet.
    let id = s.sign_up(email).await;
    let token = s.token(email).await;
    let me = s.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["id"], id.as_str());
    assert_eq!(me.body["email"], email);
    assert_eq!(
        me.body["mfa"],
        json!({ "totp": false, "passkeys": 0, "recovery_codes_remaining": 0 })
    );

    // Set up TOTP: a pending secret and an otpauth URI naming the service and the user.
    let setup = s
        .post("/api/v1/mfa/totp/setup", Some(&token), json!({}))
        .await;
    assert_eq!(setup.status, 200, "{setup:?}");
    let uri = setup.body["otpauth_uri"].as_str().unwrap();
    let totp = totp_rs::Totp::from_url(uri).unwrap();
    assert_eq!(totp.issuer(), Some("Latchkey Demo"));
    assert_eq!(totp.account_name(), email);
    assert_eq!(
        totp.secret().to_base32(),
        setup.body["secret"].as_str().unwrap()
    );
    let code_at = |t: i64| totp.generate(u64::try_from(t).unwrap()).to_string();
    // Not on until confirmed.
    assert_eq!(
        s.get("/api/v1/me", Some(&token)).await.body["mfa"]["totp"],
        false
    );

    // Confirm with a code computed here: 10 recovery codes, shown once.
    let confirm = s
        .post(
            "/api/v1/mfa/totp/confirm",
            Some(&token),
            json!({ "code": code_at(s.now()) }),
        )
        .await;
    assert_eq!(confirm.status, 200, "{confirm:?}");
    let codes = strings(&confirm.body["recovery_codes"]);
    assert_eq!(codes.len(), 10);
    let status = s.get("/api/v1/mfa/recovery-codes", Some(&token)).await;
    assert_eq!(status.body["remaining"], 10);
    assert_eq!(status.body["total"], 10);
    assert_eq!(status.body["generated_at"], s.now());
    assert!(status.body.get("recovery_codes").is_none());

    // Sign out: the token stops working.
    assert_eq!(
        s.delete("/api/v1/sessions/current", Some(&token), None)
            .await
            .status,
        204
    );
    assert_eq!(s.get("/api/v1/me", Some(&token)).await.status, 401);

    // Sign in: the password alone is not enough now.
    let first = s.sign_in(email).await;
    assert_eq!(first.body["mfa_required"], true);
    assert_eq!(first.body["methods"], json!(["totp", "recovery_code"]));
    assert!(first.body.get("token").is_none());
    s.clock.advance(30);
    let mfa_token = first.body["mfa_token"].as_str().unwrap();
    let done = s
        .second_factor(mfa_token, "totp_code", &code_at(s.now()))
        .await;
    assert_eq!(done.status, 200, "{done:?}");
    let token = done.body["token"].as_str().unwrap().to_owned();
    let me = s.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["mfa"]["totp"], true);
    // The MFA token was spent.
    s.clock.advance(30);
    let again = s
        .second_factor(mfa_token, "totp_code", &code_at(s.now()))
        .await;
    assert_eq!((again.status, again.error()), (401, "invalid_mfa_token"));

    // Sign in with a recovery code (typed in capitals, without the dash); it works once.
    let mfa_token = s.mfa_token(email).await;
    let typed = codes[0].replace('-', "").to_uppercase();
    let done = s.second_factor(&mfa_token, "recovery_code", &typed).await;
    assert_eq!(done.status, 200, "{done:?}");
    let token = done.body["token"].as_str().unwrap().to_owned();
    assert_eq!(
        s.get("/api/v1/me", Some(&token)).await.body["mfa"]["recovery_codes_remaining"],
        9
    );
    let mfa_token = s.mfa_token(email).await;
    let reused = s
        .second_factor(&mfa_token, "recovery_code", &codes[0])
        .await;
    assert_eq!((reused.status, reused.error()), (401, "invalid_code"));

    // Regenerate: every old code stops working, the new ones work.
    let regen = s
        .post(
            "/api/v1/mfa/recovery-codes/regenerate",
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(regen.status, 200, "{regen:?}");
    let new_codes = strings(&regen.body["recovery_codes"]);
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|c| !codes.contains(c)));
    let old = s
        .second_factor(&mfa_token, "recovery_code", &codes[1])
        .await;
    assert_eq!((old.status, old.error()), (401, "invalid_code"));
    let new = s
        .second_factor(&mfa_token, "recovery_code", &new_codes[0])
        .await;
    assert_eq!(new.status, 200, "{new:?}");
    let token = new.body["token"].as_str().unwrap().to_owned();

    // Turn 2FA off with a current code: sign-in no longer asks for a second factor.
    s.clock.advance(30);
    let off = s
        .delete(
            "/api/v1/mfa",
            Some(&token),
            Some(json!({ "totp_code": code_at(s.now()) })),
        )
        .await;
    assert_eq!(off.status, 204, "{off:?}");
    let me = s.get("/api/v1/me", Some(&token)).await;
    assert_eq!(
        me.body["mfa"],
        json!({ "totp": false, "passkeys": 0, "recovery_codes_remaining": 0 })
    );
    let plain = s
        .post(
            "/api/v1/sessions",
            None,
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert!(plain.body["token"].is_string(), "{plain:?}");
    assert!(plain.body.get("mfa_required").is_none());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turns_two_factor_off_with_a_recovery_code_and_not_with_a_wrong_one() {
    let s = Server::start().await;
    let u = s.user_with_totp("bob@example.com").await;
    let wrong = s
        .delete(
            "/api/v1/mfa",
            Some(&u.token),
            Some(json!({ "recovery_code": "aaaaa-aaaaa" })),
        )
        .await;
    assert_eq!((wrong.status, wrong.error()), (403, "invalid_code"));
    assert_eq!(
        s.get("/api/v1/me", Some(&u.token)).await.body["mfa"]["totp"],
        true
    );
    let off = s
        .delete(
            "/api/v1/mfa",
            Some(&u.token),
            Some(json!({ "recovery_code": u.recovery_codes[3] })),
        )
        .await;
    assert_eq!(off.status, 204, "{off:?}");
    assert!(s.sign_in(&u.email).await.body["token"].is_string());
    // Off means off: codes of the old secret and recovery codes are gone.
    let status = s.get("/api/v1/mfa/recovery-codes", Some(&u.token)).await;
    assert_eq!(
        (
            status.body["remaining"].clone(),
            status.body["total"].clone()
        ),
        (json!(0), json!(0))
    );
    s.stop().await;
}
