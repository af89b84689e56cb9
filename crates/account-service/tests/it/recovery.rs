//! Recovery codes under concurrency.

use std::sync::Arc;

use crate::support::{Server, assert_one_in, assert_one_won_others_refused, race_second_factors};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_racing_uses_of_one_recovery_code_let_exactly_one_in() {
    let s = Arc::new(Server::start().await);
    let u = s.user_with_totp("ivan@example.com").await;
    // Each request has its own sign-in attempt, so only the code itself can stop them.
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(s.mfa_token(&u.email).await);
    }
    let code = &u.recovery_codes[0];
    let attempts = tokens
        .into_iter()
        .map(|t| (t, "recovery_code", code.clone()))
        .collect();
    let statuses = race_second_factors(&s, attempts).await;
    assert_one_won_others_refused(&statuses, &[401, 429]);
    // Exactly one code was spent.
    let status = s.get("/api/v1/mfa/recovery-codes", Some(&u.token)).await;
    assert_eq!(status.body["remaining"], 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_racing_uses_of_one_mfa_token_let_exactly_one_in() {
    let s = Arc::new(Server::start().await);
    let u = s.user_with_totp("jude@example.com").await;
    let mfa_token = s.mfa_token(&u.email).await;
    // Different valid codes, one sign-in attempt: the attempt is single-use.
    let attempts = (0..50)
        .map(|i| {
            (
                mfa_token.clone(),
                "recovery_code",
                u.recovery_codes[i % 10].clone(),
            )
        })
        .collect();
    let statuses = race_second_factors(&s, attempts).await;
    assert_one_in(&statuses);
    let status = s.get("/api/v1/mfa/recovery-codes", Some(&u.token)).await;
    assert_eq!(status.body["remaining"], 9);
}
