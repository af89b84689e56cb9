//! The app's commands through Tauri's IPC on the mock runtime: the real command
//! wiring, argument names and error sentences, over a real vault file and a memory
//! keychain. (The real Secret Service, the real window and the clipboard are
//! exercised by the end-to-end tests in `tests/e2e/`.)

// Tests fail by panicking; unwrap and expect are how they say "this must hold".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use latchkey_app::state::AppState;
use latchkey_core::keystore::KeyStore;
use latchkey_core::vault::{LockedVault, Unlock};
use latchkey_core::{Account, otpauth};
use serde_json::{Value, json};
use tauri::Manager;

mod mock_app;
use mock_app::MockApp;

const URI: &str = "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
/// The app on the mock runtime (see `mock_app`).
type Harness = MockApp;

fn first_id(h: &Harness) -> String {
    h.ok("accounts", json!({}))[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn opens_straight_to_codes_when_the_keychain_holds_the_key() {
    let h = Harness::new(true, |s| s);
    assert_eq!(h.ok("status", json!({})), json!({"state": "unlocked"}));
    assert!(h.vault_path().exists(), "the first start creates the vault");
    assert_eq!(
        h.keychain.entry_names().len(),
        1,
        "its key went to the keychain"
    );
    assert_eq!(h.ok("accounts", json!({})), json!([]));
}

#[test]
fn adds_from_a_link_and_shows_the_code_the_seed_gives() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    let added = h.ok("add_uri", json!({"uri": URI}));
    assert_eq!(added[0]["issuer"], "GitHub");
    assert_eq!(added[0]["label"], "alice@example.com");
    assert_eq!(added[0]["kind"], "totp");
    assert!(
        added[0].get("secret").is_none(),
        "no seed in the account view"
    );
    let codes = h.ok("codes", json!({}));
    let until = codes[0]["validUntil"].as_u64().unwrap();
    let otp = otpauth::parse(URI).unwrap().otp;
    assert_eq!(codes[0]["code"], otp.code_at(until - 1).value());
    assert_eq!(codes[0]["next"], otp.code_at(until).value());
    assert_eq!(
        h.err("add_uri", json!({"uri": URI})),
        "GitHub (alice@example.com) is already in Latchkey."
    );
    assert!(
        h.err("add_uri", json!({"uri": "https://example.com"}))
            .ends_with('.')
    );
}

#[test]
fn manual_form_validates_and_hotp_codes_are_used_once() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    let form = |secret: &str| {
        json!({"account": {"issuer": "Bank", "label": "me", "secret": secret,
        "kind": "hotp", "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0}})
    };
    let bad = h.err("add_manual", form("not base32!"));
    assert!(
        bad.starts_with(char::is_uppercase) && bad.ends_with('.'),
        "{bad}"
    );
    // RFC 4226 appendix D: the ASCII key "12345678901234567890".
    h.ok("add_manual", form("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    let id = first_id(&h);
    assert_eq!(h.ok("hotp_code", json!({"id": id})), "755224");
    assert_eq!(h.ok("hotp_code", json!({"id": id})), "287082");
    assert_eq!(
        h.ok("codes", json!({})),
        json!([]),
        "HOTP accounts have no rolling code"
    );
}

#[test]
fn password_vault_without_keychain_unlocks_and_locks() {
    let h = Harness::new(false, |s| s);
    let status = h.ok("status", json!({}));
    assert_eq!(status["state"], "setup");
    assert!(
        status["reason"].as_str().unwrap().contains("No keychain"),
        "{status}"
    );
    assert_eq!(
        h.err("create_vault", json!({"password": "short"})),
        "Choose a password of at least 8 characters."
    );
    h.ok("create_vault", json!({"password": "correct horse"}));
    h.ok("add_uri", json!({"uri": URI}));
    assert_eq!(h.ok("lock", json!({}))["password"], true);
    assert_eq!(
        h.err("accounts", json!({})),
        "Latchkey is locked. Unlock it to go on."
    );
    assert_eq!(
        h.ok("status", json!({})),
        json!({"state": "locked", "reason": "Latchkey is locked.", "password": true})
    );
    assert_eq!(
        h.err("unlock", json!({"password": "wrong"})),
        "Wrong password. Passwords are case-sensitive."
    );
    h.ok("unlock", json!({"password": "correct horse"}));
    assert_eq!(h.ok("accounts", json!({}))[0]["issuer"], "GitHub");
}

#[test]
fn a_keychain_vault_locked_by_the_person_unlocks_without_a_password() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    assert_eq!(
        h.ok("lock", json!({})),
        json!({"state": "locked", "reason": "Latchkey is locked.", "password": false})
    );
    assert_eq!(h.ok("status", json!({}))["password"], false);
    h.ok("unlock", json!({"password": ""}));
    assert_eq!(h.ok("status", json!({})), json!({"state": "unlocked"}));
}

#[test]
fn recovery_codes_are_saved_used_once_and_warned_about() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    h.ok("add_uri", json!({"uri": URI}));
    let id = first_id(&h);
    let r = h.ok(
        "set_recovery",
        json!({"id": id, "text": "1. aaaa-1111\n2. bbbb-2222\n3. cccc-3333"}),
    );
    assert_eq!(
        (
            r["total"].as_u64(),
            r["remaining"].as_u64(),
            r["low"].as_bool()
        ),
        (Some(3), Some(3), Some(false))
    );
    let r = h.ok("use_recovery", json!({"id": id, "code": "BBBB 2222"}));
    assert_eq!(
        (r["remaining"].as_u64(), r["low"].as_bool()),
        (Some(2), Some(true))
    );
    assert!(r["codes"][1]["usedAt"].is_i64());
    assert!(
        h.err("use_recovery", json!({"id": id, "code": "bbbb-2222"}))
            .contains("already been used")
    );
    assert_eq!(
        h.ok("accounts", json!({}))[0]["recovery"],
        json!({"total": 3, "remaining": 2, "low": true})
    );
    let sheet = h.ok("recovery_sheet", json!({"id": id}));
    let sheet = sheet.as_str().unwrap();
    assert!(sheet.contains("<code>aaaa-1111</code>") && sheet.contains("class=\"used\""));
}

#[test]
fn reveals_the_secret_only_when_asked_and_renames_tags_deletes() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    h.ok("add_uri", json!({"uri": URI}));
    let id = first_id(&h);
    assert_eq!(
        h.ok("reveal_secret", json!({"id": id}))["secret"],
        "JBSWY3DPEHPK3PXP"
    );
    let renamed = h.ok(
        "rename_account",
        json!({"id": id, "issuer": " GitHub Work ", "label": "al"}),
    );
    assert_eq!(
        (renamed["issuer"].as_str(), renamed["label"].as_str()),
        (Some("GitHub Work"), Some("al"))
    );
    let tagged = h.ok(
        "set_tags",
        json!({"id": id, "tags": ["work", "Work", " ", "dev"]}),
    );
    assert_eq!(tagged["tags"], json!(["work", "dev"]));
    assert!(
        h.err(
            "set_icon",
            json!({"id": id, "icon": "https://evil.example/x.png"})
        )
        .contains("icon")
    );
    h.ok("delete_account", json!({"id": id}));
    assert_eq!(
        h.err("reveal_secret", json!({"id": id})),
        "That account is no longer in the vault."
    );
    assert_eq!(
        h.err("delete_account", json!({"id": "not-a-uuid"})),
        "That account is no longer in the vault."
    );
}

#[test]
fn sees_and_keeps_what_another_process_saved_meanwhile() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    h.ok("add_uri", json!({"uri": URI}));
    // The CLI adds an account while the app is open.
    add_elsewhere(
        &h.vault_path(),
        h.keychain.as_ref(),
        "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab",
    );
    let names: Vec<String> = h
        .ok("accounts", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["issuer"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["GitHub", "GitLab"]);
    add_elsewhere(
        &h.vault_path(),
        h.keychain.as_ref(),
        "otpauth://totp/Proton:c?secret=MFRGGZDFMZTWQ2LK&issuer=Proton",
    );
    // A change made in the app lands on top of the other process's save.
    h.ok(
        "add_uri",
        json!({"uri": "otpauth://totp/npm:d?secret=ONSWG4TFOQ&issuer=npm"}),
    );
    let on_disk = LockedVault::read(&h.vault_path())
        .unwrap()
        .unlock(Unlock::Keychain(h.keychain.as_ref()))
        .unwrap();
    let issuers: Vec<&str> = on_disk
        .accounts()
        .iter()
        .map(|a| a.issuer.as_str())
        .collect();
    assert_eq!(issuers, ["GitHub", "GitLab", "Proton", "npm"]);
}

fn add_elsewhere(path: &Path, keychain: &dyn KeyStore, uri: &str) {
    let mut v = LockedVault::read_for_update(path)
        .unwrap()
        .unlock(Unlock::Keychain(keychain))
        .unwrap();
    let u = otpauth::parse(uri).unwrap();
    v.add(Account::new(u.issuer, u.account, u.otp, 1)).unwrap();
    v.save(1).unwrap();
}

#[test]
fn settings_are_kept_and_clamped() {
    let h = Harness::new(true, |s| s);
    let s = h.ok(
        "set_settings",
        json!({"settings": {"autoLockMinutes": 2, "clipboardClearSeconds": 10, "theme": "mauve"}}),
    );
    assert_eq!(
        s,
        json!({"autoLockMinutes": 2, "clipboardClearSeconds": 10, "theme": "system"})
    );
    assert_eq!(h.ok("settings", json!({})), s);
    let on_disk: Value =
        serde_json::from_slice(&std::fs::read(h.dir.path().join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(on_disk, s);
}

#[test]
fn auto_lock_waits_for_the_idle_time_and_can_be_turned_off() {
    let h = Harness::new(true, |s| s);
    let state = h.window.state::<AppState>();
    h.ok("status", json!({}));
    h.ok(
        "set_settings",
        json!({"settings": {"autoLockMinutes": 2, "clipboardClearSeconds": 30, "theme": "system"}}),
    );
    h.ok("touch", json!({}));
    let now = std::time::Instant::now();
    assert_eq!(state.idle_for_lock(now + Duration::from_secs(119)), None);
    assert_eq!(state.idle_for_lock(now + Duration::from_secs(121)), Some(2));
    h.ok(
        "set_settings",
        json!({"settings": {"autoLockMinutes": 0, "clipboardClearSeconds": 30, "theme": "system"}}),
    );
    assert_eq!(
        state.idle_for_lock(now + Duration::from_secs(86_400)),
        None,
        "0 never locks"
    );
    h.ok("lock", json!({}));
    h.ok(
        "set_settings",
        json!({"settings": {"autoLockMinutes": 1, "clipboardClearSeconds": 30, "theme": "system"}}),
    );
    assert_eq!(
        state.idle_for_lock(now + Duration::from_secs(600)),
        None,
        "a locked app has nothing to lock"
    );
}

#[test]
fn the_same_link_twice_in_a_row_is_taken_once() {
    let h = Harness::new(true, |s| s);
    let state = h.window.state::<AppState>();
    state.hold_link(URI.into());
    state.hold_link(URI.into());
    state.hold_link("otpauth://totp/B:b?secret=GEZDGNBV".into());
    assert_eq!(
        state.take_links(),
        [
            URI.to_string(),
            "otpauth://totp/B:b?secret=GEZDGNBV".to_string()
        ]
    );
}

const PASSWORD: &str = "correct horse";

/// Opens the vault file as it is on disk now, the way the next start would.
fn opens(path: &Path, how: Unlock<'_>) -> Result<usize, String> {
    LockedVault::read(path)
        .and_then(|v| v.unlock(how))
        .map(|v| v.accounts().len())
        .map_err(|e| e.to_string())
}

#[test]
fn a_keychain_vault_gains_a_password_that_then_unlocks_it() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    h.ok("add_uri", json!({"uri": URI}));
    let info = h.ok("vault_info", json!({}));
    assert_eq!(
        (&info["hasPassword"], &info["hasKeychain"]),
        (&json!(false), &json!(true))
    );
    assert_eq!(
        h.err("set_password", json!({"password": "short"})),
        "Choose a password of at least 8 characters."
    );
    h.ok("set_password", json!({"password": PASSWORD}));
    let info = h.ok("vault_info", json!({}));
    assert_eq!(
        (&info["hasPassword"], &info["hasKeychain"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(opens(&h.vault_path(), Unlock::Password(PASSWORD)), Ok(1));
    assert_eq!(
        opens(&h.vault_path(), Unlock::Keychain(h.keychain.as_ref())),
        Ok(1)
    );
    // The app goes on changing the vault under its renewed key.
    h.ok(
        "add_uri",
        json!({"uri": "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab"}),
    );
    assert_eq!(opens(&h.vault_path(), Unlock::Password(PASSWORD)), Ok(2));
    h.ok("lock", json!({}));
    h.ok("unlock", json!({"password": PASSWORD}));
    assert_eq!(h.ok("accounts", json!({})).as_array().unwrap().len(), 2);
}

#[test]
fn changes_the_password_only_with_the_current_one() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    h.ok("set_password", json!({"password": PASSWORD}));
    let before = h.vault_bytes();
    assert_eq!(
        h.err("set_password", json!({"password": "battery staple"})),
        "Enter the current password."
    );
    assert_eq!(
        h.err(
            "set_password",
            json!({"current": "Correct horse", "password": "battery staple"})
        ),
        "That is not the current password. Passwords are case-sensitive."
    );
    h.assert_vault_unchanged(&before);
    assert_eq!(opens(&h.vault_path(), Unlock::Password(PASSWORD)), Ok(0));

    h.ok(
        "set_password",
        json!({"current": PASSWORD, "password": "battery staple"}),
    );
    assert_eq!(
        opens(&h.vault_path(), Unlock::Password(PASSWORD)),
        Err("wrong password".into())
    );
    assert_eq!(
        opens(&h.vault_path(), Unlock::Password("battery staple")),
        Ok(0)
    );
    assert_eq!(
        opens(&h.vault_path(), Unlock::Keychain(h.keychain.as_ref())),
        Ok(0)
    );
    assert_eq!(
        h.keychain.entry_names().len(),
        1,
        "the old keychain key is gone"
    );
}

#[test]
fn removing_the_password_leaves_the_keychain_to_open_the_vault() {
    let h = Harness::new(true, |s| s);
    h.ok("status", json!({}));
    h.ok("add_uri", json!({"uri": URI}));
    h.ok("set_password", json!({"password": PASSWORD}));
    let before = h.vault_bytes();
    assert_eq!(
        h.err("remove_password", json!({"current": "wrong password"})),
        "That is not the current password. Passwords are case-sensitive."
    );
    h.assert_vault_unchanged(&before);

    h.ok("remove_password", json!({"current": PASSWORD}));
    assert!(!LockedVault::read(&h.vault_path()).unwrap().has_password());
    assert_eq!(
        opens(&h.vault_path(), Unlock::Password(PASSWORD)),
        Err("this vault has no password".into())
    );
    assert_eq!(
        opens(&h.vault_path(), Unlock::Keychain(h.keychain.as_ref())),
        Ok(1)
    );
    assert_eq!(h.ok("vault_info", json!({}))["hasPassword"], false);
    assert_eq!(
        h.err("remove_password", json!({"current": PASSWORD})),
        "This vault has no password to remove."
    );
    h.ok("lock", json!({}));
    h.ok("unlock", json!({"password": ""}));
    assert_eq!(h.ok("accounts", json!({}))[0]["issuer"], "GitHub");
}

#[test]
fn a_password_only_vault_keeps_its_password_and_can_change_it() {
    let h = Harness::new(false, |s| s);
    h.ok("create_vault", json!({"password": PASSWORD}));
    let before = h.vault_bytes();
    assert_eq!(
        h.err("remove_password", json!({"current": PASSWORD})),
        "The password is the only way to open this vault, so it cannot be removed."
    );
    h.assert_vault_unchanged(&before);
    assert_eq!(opens(&h.vault_path(), Unlock::Password(PASSWORD)), Ok(0));
    // Changing it needs no keychain.
    h.ok(
        "set_password",
        json!({"current": PASSWORD, "password": "battery staple"}),
    );
    assert!(!LockedVault::read(&h.vault_path()).unwrap().has_keychain());
    assert_eq!(
        opens(&h.vault_path(), Unlock::Password("battery staple")),
        Ok(0)
    );
}
