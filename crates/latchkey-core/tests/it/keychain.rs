//! The real OS keychain: on Linux, the Secret Service (gnome-keyring under
//! `dbus-run-session` in CI). Set `LATCHKEY_REQUIRE_KEYCHAIN=1` to make a missing
//! keychain a failure instead of a skip; the project's test command does.

use std::process::Command;

use latchkey_core::Account;
use latchkey_core::keystore::{KeyStore, OsKeyStore, SERVICE};
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
use latchkey_core::vault::{KdfParams, LockedVault, NewVault, SlotKind, Unlock, Vault, VaultError};

fn store() -> Option<OsKeyStore> {
    match OsKeyStore::open() {
        Ok(s) => Some(s),
        Err(e) if std::env::var_os("LATCHKEY_REQUIRE_KEYCHAIN").is_some() => {
            panic!("LATCHKEY_REQUIRE_KEYCHAIN is set but the OS keychain is unavailable: {e}")
        }
        Err(e) => {
            eprintln!("skipped: no OS keychain ({e})");
            None
        }
    }
}

fn keychain_entry(vault: &Vault) -> String {
    vault
        .slots()
        .iter()
        .find_map(|s| match &s.kind {
            SlotKind::Keychain { entry } => Some(entry.clone()),
            _ => None,
        })
        .unwrap()
}

/// What `secret-tool` (libsecret, a different client) finds for an entry.
fn secret_tool_lookup(entry: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", entry])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

#[test]
fn os_keychain_keeps_only_a_random_key_and_unlocks_the_vault() {
    let Some(store) = store() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kc.latchkey");
    let seed = b"keychain test seed 0123456789".to_vec();
    let mut vault = Vault::create(
        &path,
        NewVault {
            keychain: Some(&store),
            password: None,
            kdf: KdfParams::DEFAULT,
        },
        0,
    )
    .unwrap();
    let otp = OtpParams::new(
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        Secret::from_bytes(seed.clone()),
    )
    .unwrap();
    vault.add(Account::new("Keyring", "me", otp, 0)).unwrap();
    vault.save(1).unwrap();
    let entry = keychain_entry(&vault);
    drop(vault);

    // A fresh connection (as a new process would make) unlocks it.
    let again = OsKeyStore::open().unwrap();
    let v = LockedVault::read(&path)
        .unwrap()
        .unlock(Unlock::Keychain(&again))
        .unwrap();
    assert_eq!(v.accounts()[0].otp.secret().as_bytes(), seed.as_slice());

    // The keychain holds a 32-byte random key, visible to other Secret Service clients,
    // and neither the seed nor anything found in the vault file.
    let key = again.get(&entry).unwrap().unwrap();
    assert_eq!(key.len(), 32);
    if let Some(text) = secret_tool_lookup(&entry) {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&text)
            .unwrap();
        assert_eq!(decoded.as_slice(), key.as_slice());
    } else if std::env::var_os("LATCHKEY_REQUIRE_KEYCHAIN").is_some() {
        panic!("secret-tool could not find the entry {entry}");
    }
    let file = std::fs::read(&path).unwrap();
    assert!(!file.windows(16).any(|w| w == &key[..16]));
    assert!(!file.windows(16).any(|w| w == &seed[..16]));

    // Adding a password renews the keychain key and removes the old entry.
    let mut v = LockedVault::read_for_update(&path)
        .unwrap()
        .unlock(Unlock::Keychain(&again))
        .unwrap();
    v.set_password(
        "pw",
        KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        },
        Some(&again),
        2,
    )
    .unwrap();
    let renewed = keychain_entry(&v);
    drop(v);
    assert_ne!(renewed, entry);
    assert!(
        again.get(&entry).unwrap().is_none(),
        "old keychain entry left behind"
    );
    assert!(
        LockedVault::read(&path)
            .unwrap()
            .unlock(Unlock::Keychain(&again))
            .is_ok()
    );

    // Deleting the entry locks the keychain path out, and says which entry is missing.
    again.delete(&renewed).unwrap();
    let err = LockedVault::read(&path)
        .unwrap()
        .unlock(Unlock::Keychain(&again))
        .unwrap_err();
    assert!(
        matches!(err, VaultError::KeychainEntryMissing(ref e) if *e == renewed),
        "{err}"
    );
    assert!(
        LockedVault::read(&path)
            .unwrap()
            .unlock(Unlock::Password("pw"))
            .is_ok()
    );
}
