//! The real OS keychain: the Secret Service of the inherited D-Bus session, which
//! `scripts/test` makes a throwaway gnome-keyring. These tests run only when
//! `LATCHKEY_REQUIRE_KEYCHAIN` is set (so a plain `cargo test` never writes to your own
//! keyring), and then an unreachable keychain is a failure, not a skip.

use std::process::Command;

use latchkey_core::keystore::{KeyStore, OsKeyStore, SERVICE};
use serde_json::Value;

use crate::oathtool;
use crate::run::{NO_BUS, Sandbox};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const KEYCHAIN_HINT: &str = "unlock your desktop keyring (or start one), or set a password with `latchkey vault password set` while it works";

/// True when the keychain tests should run; panics when they must but cannot.
fn keychain_required() -> bool {
    if std::env::var_os("LATCHKEY_REQUIRE_KEYCHAIN").is_none() {
        eprintln!(
            "skipped: set LATCHKEY_REQUIRE_KEYCHAIN=1 in a throwaway keyring (scripts/test does) to run this"
        );
        return false;
    }
    let probe = OsKeyStore::open().and_then(|s| s.get("latchkey-cli test probe").map(|_| ()));
    if let Err(e) = probe {
        panic!("LATCHKEY_REQUIRE_KEYCHAIN is set but the OS keychain is unreachable: {e}");
    }
    true
}

#[track_caller]
fn secret_tool(args: &[&str]) -> std::process::Output {
    match Command::new("secret-tool").args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("secret-tool is missing: apt-get install libsecret-tools (or run scripts/test)")
        }
        Err(e) => panic!("cannot run secret-tool: {e}"),
    }
}

/// The key `secret-tool` (libsecret, another client) finds under `entry`, if any.
fn lookup(entry: &str) -> Option<String> {
    let out = secret_tool(&["lookup", "service", SERVICE, "username", entry]);
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// Deletes the keychain entries a test made, however it ends.
#[derive(Default)]
struct Cleanup(Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for entry in &self.0 {
            let _ = Command::new("secret-tool")
                .args(["clear", "service", SERVICE, "username", entry])
                .output();
        }
    }
}

/// The vault's slots, from `vault info --json`.
fn slots_of(sb: &Sandbox) -> Vec<Value> {
    sb.ok(&["vault", "info", "--json"]).json()["slots"]
        .as_array()
        .unwrap()
        .clone()
}

fn entry(slot: &Value) -> String {
    assert_eq!(slot["type"], "keychain", "{slot}");
    slot["entry"].as_str().unwrap().to_string()
}

fn code_at(sb: &Sandbox, t: u64) -> String {
    sb.ok(&["code", "github", "--at", &t.to_string()]).stdout
}

fn expected_at(t: u64) -> String {
    format!("{}\n", oathtool::totp("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, t))
}

/// A vault created by `add` with the keychain; its entry is cleaned up with `cleanup`.
fn keychain_vault(cleanup: &mut Cleanup) -> (Sandbox, String) {
    let sb = Sandbox::with_keychain();
    let out = sb.ok(&["add", GITHUB]);
    assert_eq!(
        out.stderr,
        format!(
            "Created a new vault at {}; its key is kept by Secret Service.\n",
            sb.vault.display()
        )
    );
    let slots = slots_of(&sb);
    assert_eq!(slots.len(), 1, "only a keychain slot: {slots:?}");
    let first = entry(&slots[0]);
    cleanup.0.push(first.clone());
    (sb, first)
}

#[test]
fn a_keychain_vault_opens_in_new_processes_and_survives_password_changes() {
    if !keychain_required() {
        return;
    }
    let mut cleanup = Cleanup::default();
    let (sb, first) = keychain_vault(&mut cleanup);
    let key = lookup(&first).unwrap_or_else(|| panic!("secret-tool does not find {first}"));
    let search = secret_tool(&["search", "--all", "service", SERVICE]);
    let found = format!(
        "{}{}",
        String::from_utf8_lossy(&search.stdout),
        String::from_utf8_lossy(&search.stderr)
    );
    assert!(
        found.contains(&format!("attribute.username = {first}")),
        "{found}"
    );
    assert!(
        !String::from_utf8_lossy(&sb.bytes()).contains(&key),
        "the keychain key is in the vault file"
    );
    // Another process, no password anywhere: the keychain alone opens the vault.
    assert_eq!(code_at(&sb, 1_234_567_890), expected_at(1_234_567_890));

    let password = "for when the keyring is away";
    let out = sb
        .cmd(&["vault", "password", "set"])
        .env("LATCHKEY_NEW_PASSWORD", password)
        .run()
        .success();
    assert_eq!(
        out.stdout,
        "Password set: it unlocks the vault when the OS keychain cannot. The vault's master key was renewed, so copies of the old file do not open with the new key.\n"
    );
    let slots = slots_of(&sb);
    assert_eq!(slots.len(), 2, "{slots:?}");
    let second = entry(&slots[0]);
    cleanup.0.push(second.clone());
    assert_eq!(slots[1]["type"], "password");
    assert_ne!(second, first);
    assert_eq!(
        lookup(&first),
        None,
        "the old keychain entry is left behind"
    );
    assert!(
        lookup(&second).is_some(),
        "secret-tool does not find the renewed entry {second}"
    );

    // With the keyring out of reach, the password opens the vault, and says so.
    let away = sb
        .cmd(&["code", "github", "--at", "2000000000"])
        .env("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
    let out = away.env("LATCHKEY_PASSWORD", password).run().success();
    assert_eq!(out.stdout, expected_at(2_000_000_000));
    assert!(
        out.stderr
            .starts_with("The OS keychain could not unlock the vault ("),
        "{out}"
    );
    assert!(
        out.stderr.ends_with("; using the password instead.\n"),
        "{out}"
    );

    let out = sb.ok(&["vault", "password", "remove"]);
    assert_eq!(
        out.stdout,
        "Password removed; the OS keychain (Secret Service) unlocks the vault.\n"
    );
    let slots = slots_of(&sb);
    assert_eq!(slots.len(), 1, "{slots:?}");
    let third = entry(&slots[0]);
    cleanup.0.push(third.clone());
    assert_eq!(
        lookup(&second),
        None,
        "the second keychain entry is left behind"
    );
    assert!(lookup(&third).is_some());
    assert_eq!(code_at(&sb, 59), expected_at(59));

    // Keychain only, and the keyring out of reach: a clear refusal, the file untouched.
    let before = sb.bytes();
    let out = sb
        .cmd(&["list"])
        .env("DBUS_SESSION_BUS_ADDRESS", NO_BUS)
        .run()
        .failure();
    assert!(
        out.error()
            .contains("this vault opens only with the OS keychain: no OS keychain is available"),
        "{out}"
    );
    assert_eq!(out.hint(), Some(KEYCHAIN_HINT));
    assert_eq!(sb.bytes(), before);
}

const ENTRY_HINT: &str = "the keychain item holding this vault's key was deleted or replaced; restore it from a keyring backup, or open the vault with its password if it has one";

#[test]
fn a_missing_keychain_entry_is_named_and_the_file_is_untouched() {
    if !keychain_required() {
        return;
    }
    let mut cleanup = Cleanup::default();
    let (sb, first) = keychain_vault(&mut cleanup);
    let before = sb.bytes();
    secret_tool(&["clear", "service", SERVICE, "username", &first]);
    let out = sb.fails(&[
        "add",
        "otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Other",
    ]);
    assert_eq!(sb.bytes(), before);
    assert_eq!(out.hint(), Some(ENTRY_HINT));
    assert!(
        out.error().contains(&format!(
            "the OS keychain has no key for this vault (entry \"{first}\")"
        )),
        "{out}"
    );
    assert!(
        !out.error().contains("no OS keychain is available"),
        "the keychain is there; the entry is not:\n{out}"
    );
}
