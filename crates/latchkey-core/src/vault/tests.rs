#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::keystore::MemoryKeyStore;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};
use crate::recovery;

/// Cheap Argon2 costs so the suite stays fast; the KDF itself is tested at full cost
/// through the CLI and the benchmarks.
pub(super) const FAST: KdfParams = KdfParams {
    m_kib: 64,
    t: 1,
    p: 1,
};
pub(super) const NOW: i64 = 1_700_000_000;
const SEED: &[u8] = b"\x9a\x11seed-bytes-for-tests\x01\xff";

pub(super) fn account(issuer: &str, seed: &[u8]) -> Account {
    let otp = OtpParams::new(
        Kind::Totp { period: 30 },
        Algorithm::Sha256,
        8,
        Secret::from_bytes(seed.to_vec()),
    )
    .unwrap();
    Account::new(issuer, "alice@example.com", otp, NOW)
}

pub(super) fn new_vault(
    dir: &tempfile::TempDir,
    keychain: Option<&dyn KeyStore>,
    password: Option<&str>,
) -> (PathBuf, Vault) {
    let path = dir.path().join("vault.latchkey");
    let vault = Vault::create(
        &path,
        NewVault {
            keychain,
            password,
            kdf: FAST,
        },
        NOW,
    )
    .unwrap();
    (path, vault)
}

pub(super) fn reopen(path: &Path, how: Unlock<'_>) -> Result<Vault, VaultError> {
    LockedVault::read_for_update(path)?.unlock(how)
}

#[test]
fn keychain_vault_round_trips_accounts_and_recovery_codes() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    let mut a = account("GitHub", SEED);
    a.tags = vec!["work".into()];
    a.recovery
        .replace(recovery::parse("1234 5678\nabcd-ef12\n").unwrap(), NOW);
    a.recovery.use_code(Some("12345678"), NOW + 5).unwrap();
    let code_before = a.otp.code_at(1_234_567_890).value().to_string();
    vault.add(a).unwrap();
    let mut h = account("Bank", b"another seed 123");
    h.otp = OtpParams::new(
        Kind::Hotp { counter: 41 },
        Algorithm::Sha1,
        6,
        Secret::from_bytes(b"k".to_vec()),
    )
    .unwrap();
    vault.add(h).unwrap();
    vault.save(NOW + 10).unwrap();
    drop(vault);

    let v = reopen(&path, Unlock::Keychain(&store)).unwrap();
    assert_eq!(v.accounts().len(), 2);
    let a = &v.accounts()[0];
    assert_eq!(
        (a.issuer.as_str(), a.label.as_str()),
        ("GitHub", "alice@example.com")
    );
    assert_eq!(a.otp.secret().as_bytes(), SEED);
    assert_eq!(a.otp.code_at(1_234_567_890).value(), code_before);
    assert_eq!(a.tags, vec!["work".to_string()]);
    assert_eq!(a.recovery.remaining(), 1);
    assert_eq!(
        a.recovery.current().unwrap().codes()[0].used_at(),
        Some(NOW + 5)
    );
    assert_eq!(v.accounts()[1].otp.kind(), Kind::Hotp { counter: 41 });
    assert_eq!(v.saved_at(), NOW + 10);
}

#[test]
fn password_vault_opens_with_password_and_rejects_a_wrong_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir, None, Some("correct horse"));
    vault.add(account("X", SEED)).unwrap();
    vault.save(NOW).unwrap();
    drop(vault);
    assert!(matches!(
        reopen(&path, Unlock::Password("wrong horse")),
        Err(VaultError::WrongPassword)
    ));
    assert!(matches!(
        reopen(&path, Unlock::Keychain(&MemoryKeyStore::new())),
        Err(VaultError::NoKeychainSlot)
    ));
    assert_eq!(
        reopen(&path, Unlock::Password("correct horse"))
            .unwrap()
            .accounts()
            .len(),
        1
    );
}

#[test]
fn keychain_problems_are_reported_distinctly() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, vault) = new_vault(&dir, Some(&store), None);
    drop(vault);
    store.set_unavailable(true);
    let err = reopen(&path, Unlock::Keychain(&store)).unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::Keychain(crate::keystore::KeyStoreError::Unavailable(_))
        ),
        "{err}"
    );
    assert!(matches!(
        reopen(&path, Unlock::Password("x")),
        Err(VaultError::NoPasswordSlot)
    ));
    store.set_unavailable(false);
    let entry = store.entry_names().pop().unwrap();
    store.set(&entry, &[7u8; 32]).unwrap();
    assert!(matches!(
        reopen(&path, Unlock::Keychain(&store)),
        Err(VaultError::KeychainKeyMismatch)
    ));
    store.delete(&entry).unwrap();
    assert!(matches!(
        reopen(&path, Unlock::Keychain(&store)),
        Err(VaultError::KeychainEntryMissing(_))
    ));
}

#[test]
fn every_save_uses_a_fresh_nonce_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    let first = std::fs::read(&path).unwrap();
    vault.save(NOW).unwrap();
    let second = std::fs::read(&path).unwrap();
    assert_eq!(std::fs::read(file::backup_path(&path)).unwrap(), first);
    let tail = |b: &[u8]| b[b.len() - 28..].to_vec();
    assert_ne!(
        tail(&first),
        tail(&second),
        "same body under the same key must not reuse a nonce"
    );
    let (n1, n2) = (
        format::parse(&first).unwrap().body_nonce,
        format::parse(&second).unwrap().body_nonce,
    );
    assert_ne!(n1, n2);
}

#[test]
fn no_encoding_of_a_seed_or_recovery_code_appears_in_the_file() {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), Some("pw"));
    let mut a = account("Leak", SEED);
    a.recovery
        .replace(recovery::parse("zq9x-7v2m-88kk\n").unwrap(), NOW);
    vault.add(a).unwrap();
    vault.save(NOW).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let hay = String::from_utf8_lossy(&bytes).to_lowercase();
    let b32 = data_encoding::BASE32_NOPAD.encode(SEED).to_lowercase();
    let hex: String = SEED.iter().map(|b| format!("{b:02x}")).collect();
    for needle in [
        b32,
        hex,
        STANDARD_NO_PAD.encode(SEED).to_lowercase(),
        URL_SAFE_NO_PAD.encode(SEED).to_lowercase(),
        "zq9x".into(),
    ] {
        assert!(
            !hay.contains(&needle[..needle.len().min(12)]),
            "found {needle} in the vault file"
        );
    }
    assert!(
        !bytes.windows(8).any(|w| w == &SEED[..8]),
        "raw seed bytes in the file"
    );
}

#[test]
fn tampering_anywhere_is_detected_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    vault.add(account("T", SEED)).unwrap();
    vault.save(NOW).unwrap();
    drop(vault);
    let good = std::fs::read(&path).unwrap();
    // Every single-byte flip must fail to open, whichever byte it hits.
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x01;
        std::fs::write(&path, &bad).unwrap();
        let res = reopen(&path, Unlock::Keychain(&store));
        assert!(res.is_err(), "flipping byte {i} went unnoticed");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bad,
            "a failed open wrote the file"
        );
    }
    // Every truncation fails too, with an error rather than a panic.
    for len in 0..good.len() {
        std::fs::write(&path, &good[..len]).unwrap();
        assert!(
            reopen(&path, Unlock::Keychain(&store)).is_err(),
            "truncated to {len} opened"
        );
    }
    std::fs::write(&path, &good).unwrap();
    assert!(reopen(&path, Unlock::Keychain(&store)).is_ok());
}

#[test]
fn header_changes_fail_authentication() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, vault) = new_vault(&dir, Some(&store), Some("pw"));
    drop(vault);
    let good = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&good).to_string();
    let created = format!("\"created_at\":{NOW}");
    let edits = [
        (created.clone(), format!("\"created_at\":{}", NOW + 1)),
        ("\"m_kib\":64".to_string(), "\"m_kib\":65".to_string()),
    ];
    for (from, to) in edits {
        assert!(text.contains(&from), "{from} not in header");
        let bad = text.replacen(&from, &to, 1);
        let mut bytes = good.clone();
        // Same length edits keep the layout valid; only authentication can catch them.
        let at = text.find(&from).unwrap();
        bytes[at..at + to.len()].copy_from_slice(&bad.as_bytes()[at..at + to.len()]);
        std::fs::write(&path, &bytes).unwrap();
        assert!(reopen(&path, Unlock::Keychain(&store)).is_err());
        assert!(reopen(&path, Unlock::Password("pw")).is_err());
    }
    let mut bytes = good.clone();
    bytes[8] = 2; // format version 2
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        reopen(&path, Unlock::Keychain(&store)),
        Err(VaultError::UnsupportedVersion(2))
    ));
    std::fs::write(&path, b"not a vault at all").unwrap();
    assert!(matches!(
        reopen(&path, Unlock::Keychain(&store)),
        Err(VaultError::NotAVault)
    ));
}

#[test]
fn create_refuses_to_replace_a_vault_or_an_orphaned_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    vault.save(NOW).unwrap();
    drop(vault);
    let again = Vault::create(
        &path,
        NewVault {
            keychain: Some(&store),
            password: None,
            kdf: FAST,
        },
        NOW,
    );
    assert!(matches!(again, Err(VaultError::AlreadyExists(_))));
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        reopen(&path, Unlock::Keychain(&store)),
        Err(VaultError::OnlyBackup(_))
    ));
    let again = Vault::create(
        &path,
        NewVault {
            keychain: Some(&store),
            password: None,
            kdf: FAST,
        },
        NOW,
    );
    assert!(
        matches!(again, Err(VaultError::AlreadyExists(p)) if p.ends_with("vault.latchkey.bak"))
    );
}

#[test]
fn changing_the_password_renews_the_master_key_and_keychain_entry() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), Some("old"));
    vault.add(account("R", SEED)).unwrap();
    vault.save(NOW).unwrap();
    let old_file = std::fs::read(&path).unwrap();
    let old_entries = store.entry_names();
    vault
        .set_password("new", FAST, Some(&store), NOW + 1)
        .unwrap();
    drop(vault);
    assert_ne!(
        store.entry_names(),
        old_entries,
        "keychain key was not renewed"
    );
    assert_eq!(
        store.entry_names().len(),
        1,
        "old keychain entry left behind"
    );
    assert!(matches!(
        reopen(&path, Unlock::Password("old")),
        Err(VaultError::WrongPassword)
    ));
    let bak = file::backup_path(&path);
    assert!(
        matches!(
            reopen(&bak, Unlock::Password("old")),
            Err(VaultError::WrongPassword)
        ),
        "the .bak kept the old key"
    );
    assert_eq!(
        reopen(&path, Unlock::Password("new"))
            .unwrap()
            .accounts()
            .len(),
        1
    );
    assert_eq!(
        reopen(&path, Unlock::Keychain(&store))
            .unwrap()
            .accounts()
            .len(),
        1
    );
    // The old password still opens the old copy, but its master key opens nothing new.
    let old = format::parse(&old_file).unwrap();
    let old_key = unwrap_master(&old.header, &old.keys, Unlock::Password("old")).unwrap();
    let new = format::parse(&std::fs::read(&path).unwrap()).unwrap();
    assert!(crypto::open(&old_key, &new.body_nonce, &new.body, &new.aad).is_none());
}

#[test]
fn password_can_be_removed_only_when_the_keychain_remains() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, None, Some("pw"));
    assert!(matches!(
        vault.remove_password(&store, NOW),
        Err(VaultError::LastSlot)
    ));
    drop(vault);
    let dir2 = tempfile::tempdir().unwrap();
    let (path2, mut vault) = new_vault(&dir2, Some(&store), Some("pw"));
    vault.remove_password(&store, NOW).unwrap();
    drop(vault);
    assert!(matches!(
        reopen(&path2, Unlock::Password("pw")),
        Err(VaultError::NoPasswordSlot)
    ));
    assert!(reopen(&path2, Unlock::Keychain(&store)).is_ok());
    assert!(reopen(&path, Unlock::Password("pw")).is_ok());
}

#[test]
fn a_failed_rekey_leaves_the_vault_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    let entries = store.entry_names();
    store.set_unavailable(true);
    assert!(vault.set_password("pw", FAST, Some(&store), NOW).is_err());
    store.set_unavailable(false);
    assert_eq!(store.entry_names(), entries);
    drop(vault);
    assert!(reopen(&path, Unlock::Keychain(&store)).is_ok());
}

#[test]
fn read_only_vaults_refuse_to_save_and_writers_exclude_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, vault) = new_vault(&dir, Some(&store), None);
    assert!(matches!(
        file::lock(&path, Duration::from_millis(50)),
        Err(VaultError::Busy)
    ));
    drop(vault);
    let mut ro = LockedVault::read(&path)
        .unwrap()
        .unlock(Unlock::Keychain(&store))
        .unwrap();
    assert!(matches!(ro.save(NOW), Err(VaultError::ReadOnly)));
    assert!(file::lock(&path, Duration::from_millis(50)).is_ok());
}

#[test]
fn duplicates_are_refused_and_debug_output_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (_path, mut vault) = new_vault(&dir, Some(&store), None);
    vault.add(account("Dup", SEED)).unwrap();
    assert!(matches!(
        vault.add(account("dup", SEED)),
        Err(VaultError::Duplicate(_))
    ));
    vault.add(account("Dup", b"a different seed")).unwrap();
    let dbg = format!("{vault:?} {:?}", vault.accounts());
    let b32 = data_encoding::BASE32_NOPAD.encode(SEED);
    assert!(!dbg.contains(&b32) && !dbg.contains("seed-bytes"), "{dbg}");
}
