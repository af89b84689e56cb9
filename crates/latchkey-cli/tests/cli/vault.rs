//! `latchkey vault info` and `latchkey vault password set` on a password vault.

use crate::run::{PASSWORD, Sandbox};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const OTHER: &str = "otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Other";

fn two_accounts_one_with_codes() -> Sandbox {
    let sb = Sandbox::new();
    sb.add(&[GITHUB, OTHER]);
    sb.ok(&[
        "recovery",
        "add",
        "github",
        "8d2f5-a1c7e",
        "47b0e-9f3d2",
        "c5e81-7a2b4",
        "0f9a3-d6e12",
    ]);
    sb
}

#[test]
fn vault_info_says_where_the_vault_is_and_how_it_is_locked() {
    let sb = two_accounts_one_with_codes();
    let out = sb.ok(&["vault", "info"]);
    let size = sb.bytes().len();
    let expected = format!(
        "Vault:     {}\n\
         Format:    Latchkey vault v1, AES-256-GCM, {size} bytes\n\
         Accounts:  2 (1 with recovery codes)\n\
         Unlock:    password (Argon2id, 64 MiB, 3 passes, 1 lane)\n\
         Backup:    {}\n",
        sb.vault.display(),
        sb.backup().display()
    );
    assert_eq!(out.stdout, expected);
    assert_eq!(out.stderr, "");
}

#[test]
fn vault_info_json_gives_the_same_facts() {
    let sb = two_accounts_one_with_codes();
    let v = sb.ok(&["vault", "info", "--json"]).json();
    assert_eq!(v["path"], sb.vault.display().to_string());
    assert_eq!(v["backup"], sb.backup().display().to_string());
    assert_eq!(v["size_bytes"], sb.bytes().len());
    assert_eq!(
        (&v["format_version"], &v["cipher"]),
        (&1.into(), &"AES-256-GCM".into())
    );
    assert_eq!(
        (&v["accounts"], &v["accounts_with_recovery_codes"]),
        (&2.into(), &1.into())
    );
    assert_eq!(v["low_on_recovery_codes"], serde_json::json!([]));
    assert_eq!(
        v["slots"],
        serde_json::json!([{"type": "password", "kdf": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 1}])
    );
    assert_eq!(v["id"].as_str().unwrap().len(), 36);
    assert!(v["saved_at"].as_i64().unwrap() > 1_600_000_000);
}

#[test]
fn a_new_password_replaces_the_old_one() {
    let sb = two_accounts_one_with_codes();
    let before = sb.accounts();
    let out = sb
        .cmd(&["vault", "password", "set"])
        .env("LATCHKEY_NEW_PASSWORD", "a much newer passphrase")
        .run()
        .success();
    assert_eq!(
        out.stdout,
        "Password changed. The vault's master key was renewed, so copies of the old file do not open with the new key.\n"
    );
    let old = sb.fails(&["list"]);
    old.says(
        "wrong password",
        Some("passwords are case-sensitive; check LATCHKEY_PASSWORD if it is set"),
    );
    let new = sb
        .cmd(&["list", "--json"])
        .env("LATCHKEY_PASSWORD", "a much newer passphrase")
        .run()
        .success();
    let accounts: Vec<_> = new
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account"].clone())
        .collect();
    assert_eq!(accounts.len(), before.len());
}

#[test]
fn after_a_password_change_the_old_password_opens_nothing_beside_the_vault() {
    let sb = two_accounts_one_with_codes();
    sb.cmd(&["vault", "password", "set"])
        .env("LATCHKEY_NEW_PASSWORD", "a much newer passphrase")
        .run()
        .success();
    sb.fails(&["list"]).says(
        "wrong password",
        Some("passwords are case-sensitive; check LATCHKEY_PASSWORD if it is set"),
    );
    // A person changes a password because the old one leaked; the copy Latchkey keeps
    // beside the vault must not hand every seed to whoever has the old one.
    let bak = sb.cmd(&["list"]).env("LATCHKEY_VAULT", sb.backup()).run();
    assert!(
        !bak.status.success(),
        "the .bak opened with the old password:\n{bak}"
    );
}

#[test]
fn password_set_without_a_terminal_needs_the_variable() {
    let sb = two_accounts_one_with_codes();
    let before = sb.bytes();
    sb.fails(&["vault", "password", "set"]).says(
        "a password is needed and there is no terminal to ask for it; set LATCHKEY_NEW_PASSWORD",
        None,
    );
    sb.cmd(&["vault", "password", "set"])
        .env("LATCHKEY_NEW_PASSWORD", "")
        .run()
        .failure()
        .says("the password cannot be empty", None);
    assert_eq!(sb.bytes(), before);
    assert!(
        sb.cmd(&["list"])
            .env("LATCHKEY_PASSWORD", PASSWORD)
            .run()
            .status
            .success()
    );
}

#[test]
fn removing_the_only_password_without_a_keychain_is_refused() {
    let sb = two_accounts_one_with_codes();
    let before = sb.bytes();
    let out = sb.fails(&["vault", "password", "remove"]);
    assert!(
        out.error().starts_with("no OS keychain is available ("),
        "{out}"
    );
    assert_eq!(sb.bytes(), before);
}

#[test]
fn vault_keys_without_a_security_key_say_so_and_write_nothing() {
    let sb = two_accounts_one_with_codes();
    let before = sb.bytes();
    let out = sb.ok(&["vault", "key", "list"]);
    assert_eq!(
        out.stdout,
        "No security key unlocks this vault; add one with `latchkey vault key add`.\n"
    );
    // This machine has no security key plugged in (CI never does).
    sb.fails(&["vault", "key", "add", "--name", "YubiKey"]).says(
        "no security key is plugged in",
        Some(
            "plug in your security key (on Linux you may need the udev rule in crates/latchkey-usbkey/README.md)",
        ),
    );
    sb.fails(&["vault", "key", "remove", "YubiKey"]).says(
        "no security key named \"YubiKey\" unlocks this vault (see `latchkey vault key list`)",
        None,
    );
    assert!(sb.bytes() == before, "the vault file was written");
}

#[test]
fn a_vault_with_a_security_key_slot_still_opens_with_its_password() {
    use latchkey_core::vault::{LockedVault, Unlock};
    let sb = two_accounts_one_with_codes();
    // The slot as `vault key add` makes it; the key's answer is made up (no key here).
    let mut v = LockedVault::read_for_update(&sb.vault)
        .unwrap()
        .unlock(Unlock::Password(crate::run::PASSWORD))
        .unwrap();
    let salt = latchkey_core::vault::new_fido2_salt().unwrap();
    let new = latchkey_core::vault::NewFido2Slot {
        credential_id: &[9; 64],
        rp_id: "latchkey-vault",
        salt: &salt,
        name: "YubiKey 5C",
        uv: true,
    };
    v.add_fido2_slot(new, &[7; 32], 1).unwrap();
    drop(v);
    let out = sb.ok(&["vault", "info"]);
    assert!(
        out.stdout
            .contains("Unlock:    security key \"YubiKey 5C\" (FIDO2 hmac-secret)\n"),
        "{out}"
    );
    let listed = sb.ok(&["vault", "key", "list"]).stdout;
    assert!(listed.trim_end().ends_with("  YubiKey 5C"), "{listed}");
    assert_eq!(
        sb.ok(&["list", "--json"]).json().as_array().unwrap().len(),
        2
    );

    sb.ok(&["vault", "key", "remove", "YubiKey 5C"]);
    assert!(!sb.ok(&["vault", "info"]).stdout.contains("security key"));
}
