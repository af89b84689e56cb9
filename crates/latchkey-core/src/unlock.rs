//! The unlock policy the CLI and the desktop app share: the OS keychain first, then
//! the password.
//!
//! ```
//! use latchkey_core::keystore::{KeyStore, MemoryKeyStore};
//! use latchkey_core::unlock::{self, Outcome};
//! use latchkey_core::vault::{KdfParams, LockedVault, NewVault, Vault};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("vault.latchkey");
//! let keychain = MemoryKeyStore::new();
//! let new = NewVault { keychain: None, password: Some("pw"), kdf: KdfParams { m_kib: 64, t: 1, p: 1 } };
//! drop(Vault::create(&path, new, 0).unwrap());
//!
//! let locked = LockedVault::read(&path).unwrap();
//! let Outcome::NeedsPassword { locked, why } = unlock::with_keychain(locked, Ok(&keychain)).unwrap() else {
//!     panic!("a password-only vault needs its password");
//! };
//! assert_eq!(why, unlock::Why::PasswordOnly);
//! assert!(locked.unlock(latchkey_core::vault::Unlock::Password("pw")).is_ok());
//! ```

use crate::keystore::{KeyStore, KeyStoreError};
use crate::vault::{LockedVault, Unlock, Vault, VaultError, fido2_slots};

/// What trying the keychain came to.
#[non_exhaustive]
pub enum Outcome {
    /// The keychain opened the vault.
    Open(Vault),
    /// The keychain did not open the vault, but its password or a security key
    /// ([`crate::vault::fido2_slots`]) can.
    NeedsPassword {
        /// The vault, still locked, to open with the password.
        locked: LockedVault,
        /// Why the keychain was not enough.
        why: Why,
    },
}

/// Why a vault needs its password.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Why {
    /// The vault has no keychain slot.
    PasswordOnly,
    /// There is no usable keychain (no Secret Service running, say).
    NoKeychain(String),
    /// The keychain is there but could not give the vault's key.
    KeychainFailed(String),
}

impl std::fmt::Display for Why {
    /// A sentence for the unlock screen.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::PasswordOnly => f.write_str("This vault is protected by a password."),
            Why::NoKeychain(_) => {
                f.write_str("No keychain was found, so Latchkey needs your password.")
            }
            Why::KeychainFailed(e) => write!(
                f,
                "The keychain could not give the vault's key ({e}), so Latchkey needs your password."
            ),
        }
    }
}

/// Tries the keychain (`store`, or why there is none) on a vault that has a keychain
/// slot. A vault that only the keychain opens fails with the keychain's error.
pub fn with_keychain(
    locked: LockedVault,
    store: Result<&dyn KeyStore, &KeyStoreError>,
) -> Result<Outcome, VaultError> {
    let fallback = locked.has_password() || !fido2_slots(locked.slots()).is_empty();
    if !locked.has_keychain() {
        return match fallback {
            true => Ok(Outcome::NeedsPassword {
                locked,
                why: Why::PasswordOnly,
            }),
            false => Err(VaultError::NoPasswordSlot),
        };
    }
    let tried = match store {
        Ok(store) => locked.master_key(Unlock::Keychain(store)),
        Err(e) => Err(VaultError::Keychain(e.clone())),
    };
    let problem = match tried {
        Ok(key) => return locked.open(key).map(Outcome::Open),
        Err(e) => e,
    };
    if !fallback {
        return Err(problem);
    }
    let why = match (&problem, store) {
        (_, Err(e)) => Why::NoKeychain(e.to_string()),
        (e, Ok(_)) => Why::KeychainFailed(e.to_string()),
    };
    Ok(Outcome::NeedsPassword { locked, why })
}
