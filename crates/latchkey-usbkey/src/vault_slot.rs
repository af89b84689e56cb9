//! A security key as a way to unlock the vault: enrolling a key into a new
//! `fido2-hmac-secret` slot, and finding which slot a plugged-in key answers. The CLI
//! (`latchkey vault key …`) and the app (Settings › Unlocking, the unlock screen) both
//! call these, so they make and open the same slots.

use latchkey_core::vault::{Fido2Slot, NewFido2Slot, VaultError, new_fido2_salt};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::hmac_secret::HmacSecret;

/// The RP ID of the credentials made for unlocking vaults. It is not a web domain, so
/// no site can ask a key to use them.
pub const VAULT_RP_ID: &str = "latchkey-vault";

/// What enrolling a key produced: the new slot's parts and the key's answer, to pass to
/// `Vault::add_fido2_slot(enrolment.slot(name), enrolment.secret(), now)`.
pub struct Enrolment {
    credential_id: Vec<u8>,
    salt: [u8; 32],
    uv: bool,
    secret: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolment")
            .field("uv", &self.uv)
            .finish_non_exhaustive()
    }
}

impl Enrolment {
    /// The slot to add, named `name`.
    pub fn slot<'a>(&'a self, name: &'a str) -> NewFido2Slot<'a> {
        NewFido2Slot {
            credential_id: &self.credential_id,
            rp_id: VAULT_RP_ID,
            salt: &self.salt,
            name,
            uv: self.uv,
        }
    }

    /// The key's hmac-secret answer, which wraps the vault's master key.
    pub fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// Whether the key checked its PIN to answer (and will have to, to unlock).
    pub fn verifies_holder(&self) -> bool {
        self.uv
    }
}

/// Why enrolling failed: the key, or the system's random number generator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnrolError {
    /// The key refused or failed.
    #[error(transparent)]
    Key(#[from] Error),
    /// No salt could be drawn.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Makes a vault credential on `key` (a touch) and asks it for the secret of a fresh
/// salt (a second touch, with the PIN when `uv`). Pass `uv` true for a key with a PIN:
/// then a lost key without its PIN does not open a copy of the vault.
pub fn enrol(key: &dyn HmacSecret, uv: bool) -> Result<Enrolment, EnrolError> {
    let credential_id = key.create_hmac_secret_credential(VAULT_RP_ID)?;
    let salt = new_fido2_salt()?;
    let secret = key.hmac_secret(VAULT_RP_ID, &credential_id, &salt, uv)?;
    Ok(Enrolment {
        credential_id,
        salt,
        uv,
        secret,
    })
}

/// A slot a key answered (its id) and the key's answer, for `Unlock::Fido2`.
pub type Answer = (Uuid, Zeroizing<[u8; 32]>);

/// Asks `key` for each of `slots` in turn and returns the first slot it answers, with
/// its answer. A key that holds none of the slots' credentials says so at once, without
/// a touch; that is `None`.
pub fn answer(key: &dyn HmacSecret, slots: &[Fido2Slot]) -> Result<Option<Answer>, Error> {
    for slot in slots {
        match key.hmac_secret(&slot.rp_id, &slot.credential_id, &slot.salt, slot.uv) {
            Ok(secret) => return Ok(Some((slot.id, secret))),
            Err(Error::NoCredentials) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}
