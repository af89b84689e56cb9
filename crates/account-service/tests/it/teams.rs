//! Teams: membership, admin-only actions, and the require-2FA rule.

use serde_json::json;

use crate::support::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_requiring_two_factor_refuses_members_without_it_until_they_turn_it_on() {
    let s = Server::start().await;
    s.sign_up("admin@example.com").await;
    let admin = s.token("admin@example.com").await;
    s.sign_up("member@example.com").await;
    let member = s.token("member@example.com").await;
    s.sign_up("outsider@example.com").await;
    let outsider = s.token("outsider@example.com").await;

    let created = s
        .post("/api/v1/teams", Some(&admin), json!({ "name": "Ops" }))
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let team = format!("/api/v1/teams/{}", created.body["id"].as_str().unwrap());
    let added = s
        .post(
            &format!("{team}/members"),
            Some(&admin),
            json!({ "email": "Member@Example.com" }),
        )
        .await;
    assert_eq!(added.status, 201, "{added:?}");

    // Before the rule: the member sees the team but cannot change it.
    let seen = s.get(&team, Some(&member)).await;
    assert_eq!(seen.status, 200, "{seen:?}");
    assert_eq!(seen.body["name"], "Ops");
    assert_eq!(seen.body["role"], "member");
    assert_eq!(seen.body["members"].as_array().unwrap().len(), 2);
    assert!(seen.body["members"][0].get("two_factor").is_none());
    let r = s
        .put(
            &format!("{team}/settings"),
            Some(&member),
            json!({ "require_2fa": true }),
        )
        .await;
    assert_eq!((r.status, r.error()), (403, "not_team_admin"));
    let r = s
        .post(
            &format!("{team}/members"),
            Some(&member),
            json!({ "email": "outsider@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (403, "not_team_admin"));
    let r = s.get(&team, Some(&outsider)).await;
    assert_eq!((r.status, r.error()), (404, "team_not_found"));

    // The admin requires 2FA.
    let r = s
        .put(
            &format!("{team}/settings"),
            Some(&admin),
            json!({ "require_2fa": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let me = s.get("/api/v1/me", Some(&member)).await;
    assert_eq!(
        me.body["teams"],
        json!([{ "id": created.body["id"], "name": "Ops", "role": "member", "require_2fa": true }])
    );

    // Now the member without 2FA is refused, with a clear message; so is the admin's
    // team API, except settings.
    let refused = s.get(&team, Some(&member)).await;
    assert_eq!(
        (refused.status, refused.error()),
        (403, "team_requires_2fa")
    );
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("two-factor")
    );
    let r = s.get(&team, Some(&admin)).await;
    assert_eq!((r.status, r.error()), (403, "team_requires_2fa"));
    let r = s
        .post(
            &format!("{team}/members"),
            Some(&admin),
            json!({ "email": "outsider@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (403, "team_requires_2fa"));

    // The member turns TOTP on and is let in; the admin (with 2FA too) sees who has it.
    let setup = s
        .post("/api/v1/mfa/totp/setup", Some(&member), json!({}))
        .await;
    let totp = totp_rs::Totp::from_url(setup.body["otpauth_uri"].as_str().unwrap()).unwrap();
    let code = totp.generate(u64::try_from(s.now()).unwrap()).to_string();
    let r = s
        .post(
            "/api/v1/mfa/totp/confirm",
            Some(&member),
            json!({ "code": code }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let seen = s.get(&team, Some(&member)).await;
    assert_eq!(seen.status, 200, "{seen:?}");
    assert_eq!(seen.body["require_2fa"], true);

    // Turning the rule off lets the admin (still without 2FA) back in.
    let r = s
        .put(
            &format!("{team}/settings"),
            Some(&admin),
            json!({ "require_2fa": false }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let seen = s.get(&team, Some(&admin)).await;
    assert_eq!(seen.status, 200, "{seen:?}");
    let two_factor: Vec<_> = seen.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_owned(),
                m["two_factor"].clone(),
            )
        })
        .collect();
    assert_eq!(
        two_factor,
        [
            ("admin@example.com".to_owned(), json!(false)),
            ("member@example.com".to_owned(), json!(true))
        ]
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_members_checks_the_email_and_duplicates() {
    let s = Server::start().await;
    s.sign_up("owner@example.com").await;
    let owner = s.token("owner@example.com").await;
    s.sign_up("pat@example.com").await;
    let team = s
        .post("/api/v1/teams", Some(&owner), json!({ "name": "Team" }))
        .await;
    let members = format!(
        "/api/v1/teams/{}/members",
        team.body["id"].as_str().unwrap()
    );
    let r = s
        .post(
            &members,
            Some(&owner),
            json!({ "email": "nobody@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (404, "user_not_found"));
    assert_eq!(
        s.post(
            &members,
            Some(&owner),
            json!({ "email": "pat@example.com" })
        )
        .await
        .status,
        201
    );
    let r = s
        .post(
            &members,
            Some(&owner),
            json!({ "email": "pat@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "already_member"));
    let r = s
        .post(
            &members,
            Some(&owner),
            json!({ "email": "owner@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error()), (409, "already_member"));
    let r = s
        .post("/api/v1/teams", Some(&owner), json!({ "name": "  " }))
        .await;
    assert_eq!((r.status, r.error()), (400, "invalid_name"));
    let r = s.get("/api/v1/teams/no-such-team", Some(&owner)).await;
    assert_eq!((r.status, r.error()), (404, "team_not_found"));
    s.stop().await;
}
