//! TOTP rules at sign-in: replay, skew, lockout, and racing uses of one code.

use crate::support::{Server, assert_one_won_others_refused, race_second_factors};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejects_reused_totp_step() {
    let s = Server::start().await;
    let u = s.user_with_totp("carol@example.com").await;
    s.clock.advance(60);
    let code = u.code_at(s.now());
    let first = s.sign_in_with(&u.email, "totp_code", &code).await;
    assert_eq!(first.status, 200, "{first:?}");
    let replay = s.sign_in_with(&u.email, "totp_code", &code).await;
    assert_eq!((replay.status, replay.error()), (401, "invalid_code"));
    // Nor is the previous step's code, still inside the skew window, accepted after it.
    let older = s
        .sign_in_with(&u.email, "totp_code", &u.code_at(s.now() - 30))
        .await;
    assert_eq!(older.status, 401, "{older:?}");
    // The next step's code is fine.
    s.clock.advance(30);
    let next = s
        .sign_in_with(&u.email, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!(next.status, 200, "{next:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirming_code_cannot_be_used_again_to_sign_in() {
    let s = Server::start().await;
    let u = s.user_with_totp("dan@example.com").await;
    // user_with_totp confirmed with the code of this very step.
    let r = s
        .sign_in_with(&u.email, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!((r.status, r.error()), (401, "invalid_code"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepts_one_step_of_skew_and_refuses_two() {
    let s = Server::start().await;
    let u = s.user_with_totp("erin@example.com").await;
    s.clock.advance(600);
    let now = s.now();
    // Two steps away either side: refused.
    for t in [now + 60, now - 60] {
        let r = s.sign_in_with(&u.email, "totp_code", &u.code_at(t)).await;
        assert_eq!(
            (r.status, r.error()),
            (401, "invalid_code"),
            "code for {t} at {now}"
        );
    }
    // One step behind: accepted.
    let r = s
        .sign_in_with(&u.email, "totp_code", &u.code_at(now - 30))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    // One step ahead: accepted.
    let r = s
        .sign_in_with(&u.email, "totp_code", &u.code_at(now + 30))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_second_factor_after_five_wrong_codes_until_retry_after_passes() {
    let s = Server::start().await;
    let u = s.user_with_totp("frank@example.com").await;
    s.clock.advance(300);
    let mfa_token = s.mfa_token(&u.email).await;
    for attempt in 1..=4 {
        let r = s
            .second_factor(&mfa_token, "totp_code", &u.wrong_code_at(s.now()))
            .await;
        assert_eq!(
            (r.status, r.error()),
            (401, "invalid_code"),
            "attempt {attempt}"
        );
        assert_eq!(r.retry_after, None);
    }
    let fifth = s
        .second_factor(&mfa_token, "totp_code", &u.wrong_code_at(s.now()))
        .await;
    assert_eq!((fifth.status, fifth.error()), (429, "too_many_attempts"));
    assert_eq!(fifth.retry_after, Some(300));

    // The right code is refused too, with the time left.
    let right = s
        .second_factor(&mfa_token, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!((right.status, right.retry_after), (429, Some(300)));
    // So is a recovery code, and so is a fresh sign-in attempt: the lock is the user's.
    s.clock.advance(200);
    let fresh = s.mfa_token(&u.email).await;
    let r = s
        .second_factor(&fresh, "recovery_code", &u.recovery_codes[0])
        .await;
    assert_eq!((r.status, r.retry_after), (429, Some(100)));
    let r = s
        .second_factor(&fresh, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!((r.status, r.retry_after), (429, Some(100)));

    // Once Retry-After has passed, the right code works (the old MFA token has expired).
    s.clock.advance(100);
    let expired = s
        .second_factor(&mfa_token, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!(
        (expired.status, expired.error()),
        (401, "mfa_token_expired")
    );
    let r = s
        .second_factor(&fresh, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    // The recovery code refused during the lock was not used up.
    let r = s
        .sign_in_with(&u.email, "recovery_code", &u.recovery_codes[0])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_right_code_resets_the_count_of_wrong_ones() {
    let s = Server::start().await;
    let u = s.user_with_totp("gina@example.com").await;
    s.clock.advance(60);
    let mfa_token = s.mfa_token(&u.email).await;
    for _ in 0..4 {
        let r = s
            .second_factor(&mfa_token, "totp_code", &u.wrong_code_at(s.now()))
            .await;
        assert_eq!(r.status, 401);
    }
    assert_eq!(
        s.second_factor(&mfa_token, "totp_code", &u.code_at(s.now()))
            .await
            .status,
        200
    );
    let mfa_token = s.mfa_token(&u.email).await;
    for _ in 0..4 {
        let r = s
            .second_factor(&mfa_token, "totp_code", &u.wrong_code_at(s.now()))
            .await;
        assert_eq!(r.status, 401, "{r:?}");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_racing_uses_of_one_totp_code_let_exactly_one_in() {
    let s = std::sync::Arc::new(Server::start().await);
    let u = s.user_with_totp("hana@example.com").await;
    s.clock.advance(60);
    let code = u.code_at(s.now());
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(s.mfa_token(&u.email).await);
    }
    let attempts = tokens
        .into_iter()
        .map(|t| (t, "totp_code", code.clone()))
        .collect();
    let statuses = race_second_factors(&s, attempts).await;
    assert_one_won_others_refused(&statuses, &[401, 429]);
}
