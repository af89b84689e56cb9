//! Aegis Authenticator's vault export, plain or encrypted: the JSON file its "Export"
//! writes, the same format as its own vault. Spec: beemdevelopment/Aegis
//! `docs/vault.md` (and the unlock steps of `docs/decrypt.py`); formats.md §4.
//!
//! An encrypted vault is opened through a password slot: scrypt (N, r, p from the
//! slot, capped so a hostile file cannot cost gigabytes) gives the key that unwraps
//! the master key, which decrypts the contents (AES-256-GCM throughout). Raw and
//! biometric slots are passed over: their keys stay on the phone. Vault file version
//! 1 and contents versions 1–3 are read; groups become tags (by name: v3's group
//! list, v2's per-entry `group`).
//!
//! Lost on import: notes, icons, favourites and usage counts (Latchkey keeps none of
//! them from Aegis), and entries of types Latchkey cannot make codes for — mOTP and
//! Yandex, which are skipped with the reason.

mod crypt;
mod db;
pub(crate) mod file;

pub use crypt::ScryptParams;
pub(crate) use crypt::{kek, seal};

use base64::Engine;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::{Format, ImportError, Restored};
use file::{PasswordSlot, VaultFile, Wiped};

/// The Aegis vault format.
pub(crate) struct Aegis;

const WHAT: &str = "an Aegis vault";

/// The top of a vault, read without keeping any of it (no secret is copied).
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "version")]
    _version: IgnoredAny,
    header: ProbeHeader,
    #[serde(rename = "db")]
    _db: IgnoredAny,
}

#[derive(Deserialize)]
struct ProbeHeader {
    #[serde(rename = "slots")]
    _slots: IgnoredAny,
    params: Option<IgnoredAny>,
}

fn probe(bytes: &[u8]) -> Option<Probe> {
    serde_json::from_slice(bytes).ok()
}

impl Format for Aegis {
    fn id(&self) -> &'static str {
        "aegis"
    }

    fn name(&self) -> &'static str {
        "Aegis (JSON vault)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        probe(bytes).is_some()
    }

    fn encrypted(&self, bytes: &[u8]) -> bool {
        probe(bytes).is_some_and(|p| p.header.params.is_some())
    }

    fn restore(&self, bytes: &[u8], password: Option<&str>) -> Result<Restored, ImportError> {
        let file: VaultFile<Wiped> = serde_json::from_slice(bytes).map_err(|e| {
            if e.is_eof() {
                ImportError::Damaged("the file ends early")
            } else {
                ImportError::WrongFormat(WHAT)
            }
        })?;
        if file.version != 1 {
            return Err(ImportError::Unsupported(format!(
                "Aegis vault file version {}",
                file.version
            )));
        }
        let contents = match &file.db.0 {
            Value::Object(_) => file.db,
            Value::String(db) => {
                let password = password.ok_or(ImportError::NeedsPassword)?;
                decrypt(&file.header, db, password)?
            }
            _ => {
                return Err(ImportError::Damaged(
                    "its db is neither contents nor ciphertext",
                ));
            }
        };
        db::restore(&contents.0)
    }
}

/// docs/vault.md, "Encryption": the master key from a password slot, then the
/// contents from `db` (base64 of the ciphertext, its tag in `header.params`).
fn decrypt(header: &file::Header, db: &str, password: &str) -> Result<Wiped, ImportError> {
    let (Some(slots), Some(params)) = (&header.slots, &header.params) else {
        return Err(ImportError::Damaged(
            "the encrypted vault has no slots or no params",
        ));
    };
    let slots = PasswordSlot::among(slots)?;
    if slots.is_empty() {
        return Err(ImportError::Unsupported(
            "an Aegis vault without a password (only biometric unlock)".into(),
        ));
    }
    let (nonce, tag) = crypt::crypt_params(params)?;
    let ciphertext = base64::engine::general_purpose::STANDARD
        .decode(db)
        .map_err(|_| ImportError::Damaged("its db is not base64"))?;
    let master = crypt::master_key(&slots, password)?;
    let plain = crypt::open(&master, &nonce, &tag, &ciphertext).ok_or(ImportError::Damaged(
        "its contents fail their integrity check: they were changed or damaged",
    ))?;
    serde_json::from_slice(&plain)
        .map_err(|_| ImportError::Damaged("its decrypted contents are not JSON"))
}
