//! Enrolling a key into a vault slot and unlocking with it, through a real vault file;
//! the key is a double that computes hmac-secret as CTAP 2.1 §12.5 describes it: HMAC
//! under a per-credential random, one for answers with user verification and another
//! for answers without.

use std::collections::HashMap;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use latchkey_core::vault::{
    KdfParams, LockedVault, NewVault, Unlock, Vault, VaultError, fido2_slots,
};
use latchkey_usbkey::{Error, HmacSecret, VAULT_RP_ID, answer, enrol};
use sha2::Sha256;
use zeroize::Zeroizing;

/// A credential's two randoms: CredRandomWithoutUV and CredRandomWithUV.
type Randoms = ([u8; 32], [u8; 32]);

/// A key: credentials it made, each with its two randoms; PIN checks counted.
struct DoubleKey {
    seed: u8,
    credentials: Mutex<HashMap<Vec<u8>, Randoms>>,
    pin_asked: Mutex<u32>,
}

impl DoubleKey {
    fn new(seed: u8) -> Self {
        Self {
            seed,
            credentials: Mutex::default(),
            pin_asked: Mutex::new(0),
        }
    }
}

impl HmacSecret for DoubleKey {
    fn create_hmac_secret_credential(&self, rp_id: &str) -> Result<Vec<u8>, Error> {
        assert_eq!(rp_id, VAULT_RP_ID);
        let mut creds = self.credentials.lock().unwrap();
        let id = vec![self.seed, u8::try_from(creds.len()).unwrap(), 0xc7];
        let n = u8::try_from(creds.len()).unwrap();
        creds.insert(
            id.clone(),
            ([self.seed ^ n; 32], [self.seed.wrapping_add(n) ^ 0x5a; 32]),
        );
        Ok(id)
    }

    fn hmac_secret(
        &self,
        rp_id: &str,
        credential_id: &[u8],
        salt: &[u8; 32],
        user_verification: bool,
    ) -> Result<Zeroizing<[u8; 32]>, Error> {
        assert_eq!(rp_id, VAULT_RP_ID);
        let creds = self.credentials.lock().unwrap();
        let (without_uv, with_uv) = creds.get(credential_id).ok_or(Error::NoCredentials)?;
        if user_verification {
            *self.pin_asked.lock().unwrap() += 1;
        }
        let key = if user_verification {
            with_uv
        } else {
            without_uv
        };
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(salt);
        Ok(Zeroizing::new(mac.finalize().into_bytes().into()))
    }
}

fn vault(dir: &tempfile::TempDir) -> (std::path::PathBuf, Vault) {
    let path = dir.path().join("vault.latchkey");
    let new = NewVault {
        keychain: None,
        password: Some("pw"),
        kdf: KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        },
    };
    let v = Vault::create(&path, new, 1).unwrap();
    (path, v)
}

#[test]
fn an_enrolled_key_unlocks_the_vault_and_another_key_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut v) = vault(&dir);
    let yubikey = DoubleKey::new(1);
    let enrolment = enrol(&yubikey, true).unwrap();
    assert!(enrolment.verifies_holder());
    assert!(!format!("{enrolment:?}").contains(&format!("{:?}", enrolment.secret())));
    v.add_fido2_slot(enrolment.slot("YubiKey 5C"), enrolment.secret(), 2)
        .unwrap();
    drop(v);

    let locked = LockedVault::read(&path).unwrap();
    let slots = fido2_slots(locked.slots());
    assert_eq!(slots.len(), 1);
    assert_eq!((slots[0].name.as_str(), slots[0].uv), ("YubiKey 5C", true));
    let asked = *yubikey.pin_asked.lock().unwrap();
    let (slot, secret) = answer(&yubikey, &slots).unwrap().unwrap();
    assert_eq!(slot, slots[0].id);
    assert_eq!(
        *yubikey.pin_asked.lock().unwrap(),
        asked + 1,
        "unlocking asks the PIN"
    );
    locked
        .unlock(Unlock::Fido2 {
            slot,
            secret: &secret,
        })
        .unwrap();

    // Another key holds none of the credentials: no answer, and no PIN asked.
    let other = DoubleKey::new(9);
    assert!(answer(&other, &slots).unwrap().is_none());
    assert_eq!(*other.pin_asked.lock().unwrap(), 0);
}

#[test]
fn the_answer_without_the_pin_does_not_open_a_slot_made_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut v) = vault(&dir);
    let key = DoubleKey::new(3);
    let enrolment = enrol(&key, true).unwrap();
    v.add_fido2_slot(enrolment.slot("Key"), enrolment.secret(), 2)
        .unwrap();
    drop(v);
    let locked = LockedVault::read(&path).unwrap();
    let slot = &fido2_slots(locked.slots())[0];
    // What the key says to someone who does not know its PIN.
    let without = key
        .hmac_secret(&slot.rp_id, &slot.credential_id, &slot.salt, false)
        .unwrap();
    assert!(matches!(
        locked.master_key(Unlock::Fido2 {
            slot: slot.id,
            secret: &without,
        }),
        Err(VaultError::WrongSecurityKey)
    ));
}

#[test]
fn with_two_keys_enrolled_each_opens_its_own_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut v) = vault(&dir);
    let (a, b) = (DoubleKey::new(4), DoubleKey::new(5));
    for (key, name) in [(&a, "A"), (&b, "B")] {
        let e = enrol(key, false).unwrap();
        v.add_fido2_slot(e.slot(name), e.secret(), 2).unwrap();
    }
    drop(v);
    let locked = LockedVault::read(&path).unwrap();
    let slots = fido2_slots(locked.slots());
    let (slot_b, secret) = answer(&b, &slots).unwrap().unwrap();
    assert_eq!(slot_b, slots[1].id, "B answers the second slot, not A's");
    assert!(
        locked
            .master_key(Unlock::Fido2 {
                slot: slot_b,
                secret: &secret,
            })
            .is_ok()
    );
}

/// A key that fails (pulled out, wrong PIN) stops the search with its error.
#[test]
fn a_failing_key_reports_its_error() {
    struct Removed;
    impl HmacSecret for Removed {
        fn create_hmac_secret_credential(&self, _: &str) -> Result<Vec<u8>, Error> {
            Err(Error::Removed)
        }
        fn hmac_secret(
            &self,
            _: &str,
            _: &[u8],
            _: &[u8; 32],
            _: bool,
        ) -> Result<Zeroizing<[u8; 32]>, Error> {
            Err(Error::WrongPin { retries: Some(2) })
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, mut v) = vault(&dir);
    let e = enrol(&DoubleKey::new(6), true).unwrap();
    v.add_fido2_slot(e.slot("K"), e.secret(), 2).unwrap();
    drop(v);
    let slots = fido2_slots(LockedVault::read(&path).unwrap().slots());
    let err = answer(&Removed, &slots).unwrap_err();
    assert_eq!(err.to_string(), "wrong PIN (2 tries left)");
    let err = enrol(&Removed, true).unwrap_err();
    assert_eq!(err.to_string(), "the security key was removed");
}
