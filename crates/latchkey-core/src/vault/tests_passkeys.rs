#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Passkeys, linked services and security-key slots in the vault.

use super::tests::{FAST, NOW, new_vault, reopen};
use super::*;
use crate::keystore::MemoryKeyStore;
use crate::passkeys::{Holder, ServicePasskey};

const PRIVATE_KEY: &[u8] = b"\xa5\x01\x02\x03\x26-private-cose-key-bytes-\x00\xff";
const TOKEN: &str = "tok_secret-bearer-token-value";

fn passkey() -> StoredPasskey {
    StoredPasskey {
        credential_id: vec![7; 16],
        rp_id: "example.com".into(),
        user_handle: vec![1, 2, 3],
        user_name: "alice@example.com".into(),
        user_display_name: "Alice".into(),
        private_key: zeroize::Zeroizing::new(PRIVATE_KEY.to_vec()),
        counter: 3,
        created_at: NOW,
        last_used_at: Some(NOW + 9),
    }
}

fn service() -> LinkedService {
    LinkedService {
        id: Uuid::new_v4(),
        base_url: "http://127.0.0.1:8088".into(),
        origin: "http://127.0.0.1:8088".into(),
        rp_id: "127.0.0.1".into(),
        account: "alice@example.com".into(),
        token: zeroize::Zeroizing::new(TOKEN.into()),
        account_id: None,
        linked_at: NOW,
        passkeys: vec![
            ServicePasskey {
                id: "pk_1".into(),
                credential_id: vec![7; 16],
                name: "Laptop".into(),
                holder: Holder::Platform,
                created_at: NOW,
            },
            ServicePasskey {
                id: "pk_2".into(),
                credential_id: vec![9; 64],
                name: "YubiKey".into(),
                holder: Holder::SecurityKey {
                    aaguid: "ee882879721c491397753dfcce97072a".into(),
                    product: "YubiKey 5 NFC".into(),
                },
                created_at: NOW + 1,
            },
        ],
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn passkeys_and_linked_services_survive_a_save_and_stay_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    vault.passkeys_mut().push(passkey());
    vault.services_mut().push(service());
    vault.save(NOW + 10).unwrap();
    drop(vault);

    let file = std::fs::read(&path).unwrap();
    for secret in [
        PRIVATE_KEY,
        TOKEN.as_bytes(),
        b"alice@example.com",
        b"YubiKey",
    ] {
        assert!(!contains(&file, secret), "found plaintext in the file");
    }
    let v = reopen(&path, Unlock::Keychain(&store)).unwrap();
    let p = &v.passkeys()[0];
    assert_eq!(&p.private_key[..], PRIVATE_KEY);
    assert_eq!(
        (p.counter, p.last_used_at, &p.user_handle[..]),
        (3, Some(NOW + 9), &[1u8, 2, 3][..])
    );
    let s = &v.services()[0];
    assert_eq!(s.token.as_str(), TOKEN);
    assert_eq!(s.passkeys, service().passkeys);
    assert_eq!(
        s.passkeys[1].holder.describe(),
        "security key (YubiKey 5 NFC)"
    );
}

#[test]
fn debug_output_hides_private_keys_and_tokens() {
    let text = format!("{:?} {:?}", passkey(), service());
    assert!(
        !text.contains("private-cose") && !text.contains(TOKEN),
        "{text}"
    );
    assert!(text.contains("example.com"));
}

#[test]
fn a_vault_saved_before_passkeys_existed_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    vault.save(NOW).unwrap();
    drop(vault);
    // An empty list is not written at all: the body is what older builds wrote.
    let v = reopen(&path, Unlock::Keychain(&store)).unwrap();
    assert!(v.passkeys().is_empty() && v.services().is_empty());
}

const HMAC: [u8; 32] = [0x42; 32];

fn add_key(vault: &mut Vault) -> (Uuid, [u8; 32]) {
    let salt = new_fido2_salt().unwrap();
    let new = NewFido2Slot {
        credential_id: &[5; 48],
        rp_id: "latchkey.local",
        salt: &salt,
        name: "YubiKey",
        uv: true,
    };
    let id = vault.add_fido2_slot(new, &HMAC, NOW + 1).unwrap();
    (id, salt)
}

#[test]
fn a_security_key_slot_opens_the_vault_and_a_different_answer_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir, None, Some("pw"));
    vault
        .add(super::tests::account("GitHub", b"a seed for tests"))
        .unwrap();
    let (id, salt) = add_key(&mut vault);
    drop(vault);

    let locked = LockedVault::read(&path).unwrap();
    let slots = fido2_slots(locked.slots());
    assert_eq!(slots.len(), 1);
    assert_eq!(
        (slots[0].id, &slots[0].credential_id[..], slots[0].salt),
        (id, &[5u8; 48][..], salt)
    );
    assert_eq!(slots[0].rp_id, "latchkey.local");
    assert!(
        slots[0].uv,
        "the slot remembers that the key verifies its holder"
    );
    let v = locked
        .unlock(Unlock::Fido2 {
            slot: id,
            secret: &HMAC,
        })
        .unwrap();
    assert_eq!(v.accounts().len(), 1);

    let other = [0x43; 32];
    assert!(matches!(
        reopen(
            &path,
            Unlock::Fido2 {
                slot: id,
                secret: &other
            }
        ),
        Err(VaultError::WrongSecurityKey)
    ));
    assert!(matches!(
        reopen(
            &path,
            Unlock::Fido2 {
                slot: Uuid::new_v4(),
                secret: &HMAC
            }
        ),
        Err(VaultError::NoSuchSlot)
    ));
    // The password still opens it.
    assert!(reopen(&path, Unlock::Password("pw")).is_ok());
}

#[test]
fn a_security_key_slot_with_a_changed_salt_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir, None, Some("pw"));
    let (id, salt) = add_key(&mut vault);
    drop(vault);
    // Swap in another salt in the header: the slot's AAD changes, so the wrapped key
    // no longer opens even with the right answer for the old salt.
    let text = std::fs::read(&path).unwrap();
    let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b);
    let (old, new) = (b64(&salt), b64(&[0u8; 32]));
    let pos = text
        .windows(old.len())
        .position(|w| w == old.as_bytes())
        .unwrap();
    let mut tampered = text.clone();
    tampered[pos..pos + old.len()].copy_from_slice(new.as_bytes());
    std::fs::write(&path, &tampered).unwrap();
    assert!(
        reopen(
            &path,
            Unlock::Fido2 {
                slot: id,
                secret: &HMAC
            }
        )
        .is_err()
    );
}

#[test]
fn removing_a_security_key_slot_keeps_the_others_and_not_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir, None, Some("pw"));
    let (id, _) = add_key(&mut vault);
    vault.remove_fido2_slot(id, NOW + 2).unwrap();
    assert!(matches!(
        vault.remove_fido2_slot(id, NOW + 3),
        Err(VaultError::NoSuchSlot)
    ));
    drop(vault);
    for p in [path.clone(), file::backup_path(&path)] {
        assert!(
            matches!(
                reopen(
                    &p,
                    Unlock::Fido2 {
                        slot: id,
                        secret: &HMAC
                    }
                ),
                Err(VaultError::NoSuchSlot)
            ),
            "{} still opens with the removed key",
            p.display()
        );
    }
    assert!(reopen(&path, Unlock::Password("pw")).is_ok());
}

#[test]
fn the_only_slot_left_cannot_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(&dir, None, Some("pw"));
    let (id, _) = add_key(&mut vault);
    // The API never leaves a security key as the only slot; check the rule itself on
    // a vault whose slot list has only the key left.
    vault.header.slots.retain(|s| s.id == id);
    assert!(matches!(
        vault.remove_fido2_slot(id, NOW + 5),
        Err(VaultError::LastSlot)
    ));
    assert_eq!(vault.slots().len(), 1);
}

#[test]
fn changing_the_password_drops_security_key_slots() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir, None, Some("pw"));
    let (id, _) = add_key(&mut vault);
    vault.set_password("new", FAST, None, NOW + 3).unwrap();
    assert!(fido2_slots(vault.slots()).is_empty());
    drop(vault);
    assert!(matches!(
        reopen(
            &path,
            Unlock::Fido2 {
                slot: id,
                secret: &HMAC
            }
        ),
        Err(VaultError::NoSuchSlot)
    ));
    assert!(reopen(&path, Unlock::Password("new")).is_ok());
}

#[test]
fn a_keychain_vault_with_a_security_key_falls_back_to_the_key() {
    use crate::unlock::{Outcome, with_keychain};
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::new();
    let (path, mut vault) = new_vault(&dir, Some(&store), None);
    let (id, _) = add_key(&mut vault);
    drop(vault);
    // Another keychain (no entry for this vault): without the key slot this would be
    // an error; with it the vault waits for the security key.
    let locked = LockedVault::read(&path).unwrap();
    let Ok(Outcome::NeedsPassword { locked, .. }) =
        with_keychain(locked, Ok(&MemoryKeyStore::new()))
    else {
        panic!("expected a fallback to the security key");
    };
    assert!(
        locked
            .unlock(Unlock::Fido2 {
                slot: id,
                secret: &HMAC
            })
            .is_ok()
    );
}
