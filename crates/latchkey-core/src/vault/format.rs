//! The vault file's byte layout (docs/vault-format.md is the prose version).
//!
//! ```text
//! "LATCHKEY" | u16 version | u32 H | header (H bytes JSON)    <- all of this is the body's AAD
//! u32 K | key block (K bytes JSON: the master key wrapped once per slot)
//! 12-byte nonce | body ciphertext ‖ 16-byte GCM tag
//! ```
//! Integers are little-endian.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::VaultError;
use super::crypto::KdfParams;

pub(crate) const MAGIC: &[u8; 8] = b"LATCHKEY";
/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u16 = 1;
const MAX_SECTION: usize = 1 << 20;

/// The plain but authenticated header.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    pub format: String,
    pub version: u16,
    pub vault_id: Uuid,
    pub cipher: String,
    pub slots: Vec<Slot>,
}

/// One way to unlock the vault.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Slot {
    /// Random id, also part of the keychain entry name.
    pub id: Uuid,
    /// Unix seconds when the slot was added.
    pub created_at: i64,
    /// What kind of secret opens it.
    #[serde(flatten)]
    pub kind: SlotKind,
}

/// The kinds of key slot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SlotKind {
    /// A random 32-byte key kept by the OS keychain under `entry`.
    Keychain {
        /// The keychain entry's account name (service is [`crate::keystore::SERVICE`]).
        entry: String,
    },
    /// A key derived from a password with Argon2id.
    Password {
        /// Always "argon2id" in version 1.
        kdf: String,
        /// Argon2 costs.
        params: KdfParams,
        /// 16 random bytes, base64.
        salt: String,
    },
    /// A key a FIDO2 security key computes with its hmac-secret extension (CTAP 2.1
    /// §12.5): HMAC-SHA-256 under a secret bound to `credential_id`, of `salt`.
    Fido2HmacSecret {
        /// The key's credential (made for this purpose), base64url.
        credential_id: String,
        /// The RP ID the credential was made for.
        rp_id: String,
        /// 32 random bytes, base64: the hmac-secret input.
        salt: String,
        /// A name for the person ("YubiKey 5C").
        name: String,
        /// The key verifies its holder (PIN or fingerprint) before answering. The
        /// key's answer differs with and without verification (CTAP 2.1 §12.5
        /// CredRandomWithUV), so this is fixed when the slot is made.
        #[serde(default)]
        uv: bool,
    },
}

impl Slot {
    /// The AAD that binds a wrapped master key to this vault and to this slot's
    /// parameters: moving a wrapped key to another slot or vault, or weakening the
    /// KDF costs, makes unwrapping fail.
    pub(crate) fn aad(&self, vault_id: &Uuid) -> Vec<u8> {
        let mut a = b"latchkey-slot-v1\0".to_vec();
        a.extend_from_slice(vault_id.as_bytes());
        a.extend_from_slice(self.id.as_bytes());
        match &self.kind {
            SlotKind::Keychain { entry } => {
                a.extend_from_slice(b"keychain\0");
                a.extend_from_slice(entry.as_bytes());
            }
            SlotKind::Password { kdf, params, salt } => {
                a.extend_from_slice(b"password\0");
                a.extend_from_slice(kdf.as_bytes());
                for n in [params.m_kib, params.t, params.p] {
                    a.extend_from_slice(&n.to_le_bytes());
                }
                a.extend_from_slice(salt.as_bytes());
            }
            SlotKind::Fido2HmacSecret {
                credential_id,
                rp_id,
                salt,
                name: _,
                uv,
            } => {
                // The name is only a label: renaming must not lock the vault.
                a.extend_from_slice(b"fido2-hmac-secret\0");
                for part in [credential_id, rp_id, salt] {
                    a.extend_from_slice(part.as_bytes());
                    a.push(0);
                }
                a.push(u8::from(*uv));
            }
        }
        a
    }
}

/// The master key wrapped under one slot's key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct WrappedKey {
    pub slot: Uuid,
    pub nonce: String,
    pub key: String,
}

impl WrappedKey {
    pub fn new(slot: Uuid, nonce: [u8; 12], key: &[u8]) -> Self {
        Self {
            slot,
            nonce: STANDARD.encode(nonce),
            key: STANDARD.encode(key),
        }
    }
    pub fn decode(&self) -> Result<([u8; 12], Vec<u8>), VaultError> {
        let nonce = decode_nonce(&self.nonce)?;
        let key = STANDARD
            .decode(&self.key)
            .map_err(|_| VaultError::Corrupt("a wrapped key is not base64"))?;
        Ok((nonce, key))
    }
}

fn decode_nonce(s: &str) -> Result<[u8; 12], VaultError> {
    STANDARD
        .decode(s)
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or(VaultError::Corrupt("a nonce is malformed"))
}

/// A vault file split into its parts, nothing decrypted.
pub(crate) struct RawFile {
    pub header: Header,
    /// Magic, version, length and header bytes exactly as read: the body's AAD.
    pub aad: Vec<u8>,
    pub keys: Vec<WrappedKey>,
    pub body_nonce: [u8; 12],
    pub body: Vec<u8>,
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], VaultError> {
        if self.0.len() < n {
            return Err(VaultError::Truncated);
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn u32(&mut self) -> Result<usize, VaultError> {
        let b = self.take(4)?;
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if n > MAX_SECTION {
            return Err(VaultError::Corrupt("a section length is implausible"));
        }
        Ok(n)
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<RawFile, VaultError> {
    let mut r = Reader(bytes);
    if bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes) {
        return Err(VaultError::Truncated);
    }
    if !bytes.starts_with(MAGIC) {
        return Err(VaultError::NotAVault);
    }
    r.take(MAGIC.len())?;
    let v = r.take(2)?;
    let version = u16::from_le_bytes([v[0], v[1]]);
    if version != FORMAT_VERSION {
        return Err(VaultError::UnsupportedVersion(version));
    }
    let h = r.u32()?;
    let header_bytes = r.take(h)?;
    let aad = bytes[..MAGIC.len() + 2 + 4 + h].to_vec();
    let header: Header = serde_json::from_slice(header_bytes)
        .map_err(|_| VaultError::Corrupt("the header is not valid"))?;
    if header.format != "latchkey-vault"
        || header.version != version
        || header.cipher != "AES-256-GCM"
    {
        return Err(VaultError::Corrupt(
            "the header does not describe a Latchkey v1 vault",
        ));
    }
    let k = r.u32()?;
    let keys: Vec<WrappedKey> = serde_json::from_slice(r.take(k)?)
        .map_err(|_| VaultError::Corrupt("the key block is not valid"))?;
    let nonce = r.take(12)?;
    let body_nonce: [u8; 12] = nonce.try_into().map_err(|_| VaultError::Truncated)?;
    if r.0.len() < 16 {
        return Err(VaultError::Truncated);
    }
    Ok(RawFile {
        header,
        aad,
        keys,
        body_nonce,
        body: r.0.to_vec(),
    })
}

/// Serialises the header; the returned bytes are the body's AAD and the file's prefix.
pub(crate) fn header_prefix(header: &Header) -> Result<Vec<u8>, VaultError> {
    let json = serde_json::to_vec(header)
        .map_err(|_| VaultError::Corrupt("the header could not be written"))?;
    let mut out = Vec::with_capacity(14 + json.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    Ok(out)
}

/// Assembles a whole file from its header prefix, wrapped keys and encrypted body.
pub(crate) fn assemble(
    prefix: &[u8],
    keys: &[WrappedKey],
    nonce: &[u8; 12],
    body: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let kb = serde_json::to_vec(keys)
        .map_err(|_| VaultError::Corrupt("the key block could not be written"))?;
    let mut out = Vec::with_capacity(prefix.len() + 4 + kb.len() + 12 + body.len());
    out.extend_from_slice(prefix);
    out.extend_from_slice(&(kb.len() as u32).to_le_bytes());
    out.extend_from_slice(&kb);
    out.extend_from_slice(nonce);
    out.extend_from_slice(body);
    Ok(out)
}
