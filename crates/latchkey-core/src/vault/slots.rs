//! Key slots: making them (and wrapping the master key under each) and opening them.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::format::{Header, Slot, SlotKind, WrappedKey};
use super::{KdfParams, NewFido2Slot, Unlock, VaultError, crypto};
use crate::keystore::KeyStore;

/// New slots, the master key wrapped under each, and the keychain entries created.
pub(super) type BuiltSlots = (Vec<Slot>, Vec<WrappedKey>, Vec<String>);

pub(super) enum SlotSpec<'a> {
    Keychain(&'a dyn KeyStore),
    Password(&'a str, KdfParams),
}

/// Makes the slots and wraps `master` under each. Returns the keychain entries it
/// created so a failed save can remove them again.
pub(super) fn build_slots(
    vault_id: &Uuid,
    master: &crypto::Key,
    specs: &[SlotSpec<'_>],
    now: i64,
) -> Result<BuiltSlots, VaultError> {
    let (mut slots, mut keys, mut created) = (Vec::new(), Vec::new(), Vec::new());
    for spec in specs {
        let id = Uuid::new_v4();
        let (kind, kek) = match spec {
            SlotSpec::Keychain(store) => {
                let entry = format!("vault {vault_id} key {id}");
                let kek = crypto::random_key()?;
                if let Err(e) = store.set(&entry, kek.as_ref()) {
                    forget_entries(specs, &created);
                    return Err(e.into());
                }
                created.push(entry.clone());
                (SlotKind::Keychain { entry }, kek)
            }
            SlotSpec::Password(pw, params) => {
                let salt = crypto::random_bytes::<16>()?;
                let kek = crypto::derive(pw.as_bytes(), &salt, *params)?;
                (
                    SlotKind::Password {
                        kdf: "argon2id".into(),
                        params: *params,
                        salt: STANDARD.encode(salt),
                    },
                    kek,
                )
            }
        };
        let slot = Slot {
            id,
            created_at: now,
            kind,
        };
        let (nonce, wrapped) = crypto::seal(&kek, master.as_ref(), &slot.aad(vault_id))?;
        keys.push(WrappedKey::new(id, nonce, &wrapped));
        slots.push(slot);
    }
    Ok((slots, keys, created))
}

/// A security-key slot wrapping `master` under the key's hmac-secret output.
pub(super) fn fido2_slot(
    vault_id: &Uuid,
    master: &crypto::Key,
    new: NewFido2Slot<'_>,
    secret: &[u8; 32],
    now: i64,
) -> Result<(Slot, WrappedKey), VaultError> {
    let slot = Slot {
        id: Uuid::new_v4(),
        created_at: now,
        kind: SlotKind::Fido2HmacSecret {
            credential_id: URL_SAFE_NO_PAD.encode(new.credential_id),
            rp_id: new.rp_id.to_owned(),
            salt: STANDARD.encode(new.salt),
            name: new.name.to_owned(),
            uv: new.uv,
        },
    };
    let (nonce, wrapped) = crypto::seal(secret, master.as_ref(), &slot.aad(vault_id))?;
    let key = WrappedKey::new(slot.id, nonce, &wrapped);
    Ok((slot, key))
}

pub(super) fn forget_entries(specs: &[SlotSpec<'_>], entries: &[String]) {
    for spec in specs {
        if let SlotSpec::Keychain(store) = spec {
            for e in entries {
                let _ = store.delete(e);
            }
        }
    }
}

pub(super) fn unwrap_master(
    header: &Header,
    keys: &[WrappedKey],
    how: Unlock<'_>,
) -> Result<crypto::Key, VaultError> {
    let slot = header
        .slots
        .iter()
        .find(|s| match (&s.kind, how) {
            (SlotKind::Password { .. }, Unlock::Password(_))
            | (SlotKind::Keychain { .. }, Unlock::Keychain(_)) => true,
            (SlotKind::Fido2HmacSecret { .. }, Unlock::Fido2 { slot, .. }) => s.id == slot,
            _ => false,
        })
        .ok_or(match how {
            Unlock::Password(_) => VaultError::NoPasswordSlot,
            Unlock::Keychain(_) => VaultError::NoKeychainSlot,
            Unlock::Fido2 { .. } => VaultError::NoSuchSlot,
        })?;
    let wrapped = keys
        .iter()
        .find(|k| k.slot == slot.id)
        .ok_or(VaultError::Corrupt("a key slot has no wrapped key"))?;
    let (nonce, ct) = wrapped.decode()?;
    let aad = slot.aad(&header.vault_id);
    match (&slot.kind, how) {
        (SlotKind::Password { params, salt, .. }, Unlock::Password(pw)) => {
            let salt = Zeroizing::new(
                STANDARD
                    .decode(salt)
                    .map_err(|_| VaultError::Corrupt("a salt is not base64"))?,
            );
            let kek = crypto::derive(pw.as_bytes(), &salt, *params)?;
            crypto::open_key(&kek, &nonce, &ct, &aad).ok_or(VaultError::WrongPassword)
        }
        (SlotKind::Keychain { entry }, Unlock::Keychain(store)) => {
            let kek = store
                .get(entry)?
                .ok_or_else(|| VaultError::KeychainEntryMissing(entry.clone()))?;
            let kek: [u8; 32] = kek
                .as_slice()
                .try_into()
                .map_err(|_| VaultError::KeychainKeyMismatch)?;
            let kek = Zeroizing::new(kek);
            crypto::open_key(&kek, &nonce, &ct, &aad).ok_or(VaultError::KeychainKeyMismatch)
        }
        (SlotKind::Fido2HmacSecret { .. }, Unlock::Fido2 { secret, .. }) => {
            crypto::open_key(secret, &nonce, &ct, &aad).ok_or(VaultError::WrongSecurityKey)
        }
        _ => Err(VaultError::Corrupt("a key slot is of an unexpected kind")),
    }
}
