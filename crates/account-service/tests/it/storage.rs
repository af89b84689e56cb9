//! What is on disk: persistence across restarts, no TOTP secret in clear, the key file.

use account_service::{ManualClock, StartError};
use serde_json::json;

use crate::support::{Server, T0};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_survives_a_restart_on_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested").join("accounts.sqlite3");
    let clock = ManualClock::new(T0);
    let s = Server::start_on(&data, clock.clone()).await.unwrap();
    let u = s.user_with_totp("quinn@example.com").await;
    let team = s
        .post("/api/v1/teams", Some(&u.token), json!({ "name": "Kept" }))
        .await;
    s.stop().await;

    clock.advance(60);
    let s = Server::start_on(&data, clock.clone()).await.unwrap();
    let me = s.get("/api/v1/me", Some(&u.token)).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(me.body["mfa"]["totp"], true);
    assert_eq!(me.body["mfa"]["recovery_codes_remaining"], 10);
    assert_eq!(me.body["teams"][0]["id"], team.body["id"]);
    // The TOTP secret still opens (same server key), and codes still work.
    let r = s
        .sign_in_with(&u.email, "totp_code", &u.code_at(s.now()))
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let r = s
        .sign_in_with(&u.email, "recovery_code", &u.recovery_codes[0])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_secrets_and_recovery_codes_are_not_in_the_data_file_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("accounts.sqlite3");
    let s = Server::start_on(&data, ManualClock::new(T0)).await.unwrap();
    // One user mid-setup (pending secret), one with TOTP on.
    s.sign_up("rae@example.com").await;
    let token = s.token("rae@example.com").await;
    let pending = s
        .post("/api/v1/mfa/totp/setup", Some(&token), json!({}))
        .await;
    let pending = pending.body["secret"].as_str().unwrap().to_owned();
    let u = s.user_with_totp("sam@example.com").await;
    let active = u.totp.secret().to_base32();
    let raw = u.totp.secret().as_bytes().to_vec();

    // Read the database and its write-ahead log while the server runs, and after.
    let mut files = Vec::new();
    for suffix in ["", "-wal"] {
        files.push(std::fs::read(format!("{}{suffix}", data.display())).unwrap_or_default());
    }
    s.stop().await;
    files.push(std::fs::read(&data).unwrap());
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    assert!(
        files.iter().any(|f| contains(f, b"sam@example.com")),
        "the check reads the right files"
    );
    for file in &files {
        for secret in [&pending, &active] {
            assert!(!contains(file, secret.as_bytes()));
            assert!(!contains(file, secret.to_lowercase().as_bytes()));
        }
        assert!(!contains(file, &raw));
        for code in &u.recovery_codes {
            assert!(!contains(file, code.as_bytes()));
            assert!(!contains(file, code.replace('-', "").as_bytes()));
        }
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_key_file_is_created_owner_only_beside_the_data() {
    use std::os::unix::fs::PermissionsExt;
    let s = Server::start().await;
    let key = s.data.with_extension("key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let data_mode = std::fs::metadata(&s.data).unwrap().permissions().mode();
    assert_eq!(data_mode & 0o077, 0, "the data file is owner-only too");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_to_start_with_a_missing_or_foreign_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("accounts.sqlite3");
    let key = data.with_extension("key");
    Server::start_on(&data, ManualClock::new(T0))
        .await
        .unwrap()
        .stop()
        .await;
    let original = std::fs::read(&key).unwrap();

    std::fs::remove_file(&key).unwrap();
    let err = Server::start_on(&data, ManualClock::new(T0))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StartError::KeyMismatch { .. }), "{err:?}");
    assert!(
        !key.exists(),
        "no new key is made for a database that had one"
    );

    // Another service's key.
    let other = tempfile::tempdir().unwrap();
    let other_data = other.path().join("other.sqlite3");
    Server::start_on(&other_data, ManualClock::new(T0))
        .await
        .unwrap()
        .stop()
        .await;
    std::fs::copy(other_data.with_extension("key"), &key).unwrap();
    let err = Server::start_on(&data, ManualClock::new(T0))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StartError::KeyMismatch { .. }), "{err:?}");

    std::fs::write(&key, b"not a key\n").unwrap();
    let err = Server::start_on(&data, ManualClock::new(T0))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StartError::KeyDamaged { .. }), "{err:?}");

    std::fs::write(&key, original).unwrap();
    Server::start_on(&data, ManualClock::new(T0))
        .await
        .unwrap()
        .stop()
        .await;
}
