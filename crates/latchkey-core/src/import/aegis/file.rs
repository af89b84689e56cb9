//! The JSON layout of an Aegis vault file (docs/vault.md, "Format"), read by the
//! importer and written by the export, and [`Wiped`], the JSON value that holds the
//! secrets while it is read.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use zeroize::Zeroize;

/// `{"version": 1, "header": {...}, "db": ...}`; `db` is the contents (a plain vault)
/// or the base64 of their ciphertext (an encrypted one).
#[derive(Serialize, Deserialize)]
pub(crate) struct VaultFile<Db> {
    pub version: u64,
    pub header: Header,
    pub db: Db,
}

/// Both fields are null in a plain vault.
#[derive(Serialize, Deserialize)]
pub(crate) struct Header {
    /// Slots of every type; only password slots (type 1) are read.
    pub slots: Option<Vec<Value>>,
    /// The contents' nonce and tag.
    pub params: Option<CryptParams>,
}

/// An AES-GCM nonce (12 bytes) and tag (16 bytes), in hex.
#[derive(Serialize, Deserialize)]
pub(crate) struct CryptParams {
    pub nonce: String,
    pub tag: String,
}

/// The slot type of a password slot.
pub(crate) const PASSWORD_SLOT: u64 = 1;

/// A password slot: the master key wrapped under scrypt(password, salt, n, r, p).
#[derive(Serialize, Deserialize)]
pub(crate) struct PasswordSlot {
    #[serde(rename = "type")]
    pub kind: u64,
    pub uuid: String,
    /// The wrapped master key, 32 bytes in hex, without its tag.
    pub key: String,
    pub key_params: CryptParams,
    pub n: u64,
    pub r: u64,
    pub p: u64,
    /// 32 bytes in hex.
    pub salt: String,
    /// Aegis sets it once a slot no longer has the key-derivation bug of its issue
    /// #95; every slot Aegis writes today has it, and Aegis itself no longer reads it.
    #[serde(default)]
    pub repaired: bool,
    /// A second, "backup" password.
    #[serde(default)]
    pub is_backup: bool,
}

impl PasswordSlot {
    /// The password slots among `slots`; other types (raw, biometric) need keys that
    /// live on the phone, and a malformed password slot is damage.
    pub fn among(slots: &[Value]) -> Result<Vec<Self>, crate::import::ImportError> {
        slots
            .iter()
            .filter(|s| s.get("type").and_then(Value::as_u64) == Some(PASSWORD_SLOT))
            .map(|s| {
                Self::deserialize(s).map_err(|_| {
                    crate::import::ImportError::Damaged("a password slot is malformed")
                })
            })
            .collect()
    }
}

/// A JSON value whose strings are wiped when it is dropped: the contents of a vault
/// hold every secret as a base32 string.
pub(crate) struct Wiped(pub Value);

impl Drop for Wiped {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

impl<'de> Deserialize<'de> for Wiped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Wiped)
    }
}
