//! Recovery codes under concurrency.

use std::sync::Arc;

use tokio::task::JoinSet;

use crate::support::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_racing_uses_of_one_recovery_code_let_exactly_one_in() {
    let s = Arc::new(Server::start().await);
    let u = s.user_with_totp("ivan@example.com").await;
    // Each request has its own sign-in attempt, so only the code itself can stop them.
    let mut tokens = Vec::new();
    for _ in 0..50 {
        tokens.push(s.mfa_token(&u.email).await);
    }
    let code = u.recovery_codes[0].clone();
    let mut racers = JoinSet::new();
    for mfa_token in tokens {
        let (s, code) = (Arc::clone(&s), code.clone());
        racers.spawn(async move {
            s.second_factor(&mfa_token, "recovery_code", &code)
                .await
                .status
        });
    }
    let statuses = racers.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 401, 429].contains(s)),
        "{statuses:?}"
    );
    // Exactly one code was spent.
    let status = s.get("/api/v1/mfa/recovery-codes", Some(&u.token)).await;
    assert_eq!(status.body["remaining"], 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_racing_uses_of_one_mfa_token_let_exactly_one_in() {
    let s = Arc::new(Server::start().await);
    let u = s.user_with_totp("jude@example.com").await;
    let mfa_token = s.mfa_token(&u.email).await;
    let mut racers = JoinSet::new();
    // Different valid codes, one sign-in attempt: the attempt is single-use.
    for i in 0..50 {
        let (s, mfa_token) = (Arc::clone(&s), mfa_token.clone());
        let code = u.recovery_codes[i % 10].clone();
        racers.spawn(async move {
            s.second_factor(&mfa_token, "recovery_code", &code)
                .await
                .status
        });
    }
    let statuses = racers.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    let status = s.get("/api/v1/mfa/recovery-codes", Some(&u.token)).await;
    assert_eq!(status.body["remaining"], 9);
}
