//! Aegis's key handling (docs/vault.md, "Security"): scrypt turns the password into a
//! key-encryption key (KEK), the KEK unwraps the random master key with AES-256-GCM,
//! and the master key decrypts the contents, again with AES-256-GCM and no associated
//! data. Aegis stores each nonce and tag apart from its ciphertext, hence the detached
//! calls. The export writes with the same functions.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use zeroize::Zeroizing;

use super::file::{CryptParams, PasswordSlot};
use crate::import::ImportError;

/// A 256-bit key (KEK or master key), wiped on drop.
pub(crate) type Key = Zeroizing<[u8; 32]>;

/// The most memory one slot may make scrypt take, 128·r·(N + p) bytes: 8 times what
/// Aegis's own costs need (32 MiB).
const MAX_MEMORY: u64 = 256 << 20;
/// The most work one slot may ask for, N·r·p: 16 times Aegis's own (2^18).
const MAX_WORK: u64 = 1 << 22;
/// A vault with more password slots than this is not one Aegis made (it writes one,
/// plus a backup-password slot at most); each costs a scrypt run to try.
pub(crate) const MAX_PASSWORD_SLOTS: usize = 4;

/// scrypt's cost parameters as an Aegis password slot stores them.
///
/// Only costs a password slot can sensibly carry are representable: N a power of two
/// of at least 2, and at most 8 times Aegis's memory (256 MiB) and 16 times its work,
/// so a hostile file cannot make Latchkey allocate gigabytes or compute for minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScryptParams {
    log_n: u8,
    r: u32,
    p: u32,
}

impl ScryptParams {
    /// Aegis's own costs: N = 2^15, r = 8, p = 1 (docs/vault.md, "KDF").
    pub const AEGIS: Self = Self {
        log_n: 15,
        r: 8,
        p: 1,
    };

    /// Costs `n`, `r`, `p`, or `None` when they are invalid or beyond the caps above.
    pub fn new(n: u64, r: u64, p: u64) -> Option<Self> {
        Self::check(n, r, p).ok()
    }

    /// As [`ScryptParams::new`], saying why a slot's costs are refused.
    pub(crate) fn check(n: u64, r: u64, p: u64) -> Result<Self, ImportError> {
        let invalid = ImportError::Damaged("the password slot's scrypt parameters are invalid");
        if n < 2 || !n.is_power_of_two() || r == 0 || p == 0 {
            return Err(invalid);
        }
        let memory = n.saturating_add(p).saturating_mul(r).saturating_mul(128);
        let work = n.saturating_mul(r).saturating_mul(p);
        if memory > MAX_MEMORY || work > MAX_WORK {
            return Err(ImportError::Damaged(
                "the password slot asks for scrypt costs far beyond Aegis's",
            ));
        }
        // The caps keep r and p far below u32::MAX (and r·p below scrypt's 2^30).
        let (Ok(log_n), Ok(r), Ok(p)) = (
            u8::try_from(n.trailing_zeros()),
            u32::try_from(r),
            u32::try_from(p),
        ) else {
            return Err(invalid);
        };
        Ok(Self { log_n, r, p })
    }

    /// N, the CPU/memory cost.
    pub fn n(&self) -> u64 {
        1 << self.log_n
    }
    /// r, the block size.
    pub fn r(&self) -> u32 {
        self.r
    }
    /// p, the parallelism.
    pub fn p(&self) -> u32 {
        self.p
    }
}

impl Default for ScryptParams {
    fn default() -> Self {
        Self::AEGIS
    }
}

/// The KEK: `scrypt(password, salt, N, r, p, 32)`, the password as UTF-8 bytes.
pub(crate) fn kek(password: &str, salt: &[u8], params: ScryptParams) -> Option<Key> {
    let p = scrypt::Params::new(params.log_n, params.r, params.p).ok()?;
    let mut out = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), salt, &p, out.as_mut()).ok()?;
    Some(out)
}

/// Decrypts and authenticates `ciphertext` (without its tag) into a wiped buffer.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; 12],
    tag: &[u8; 16],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    cipher
        .decrypt_inout_detached(
            &Nonce::from(*nonce),
            &[],
            buf.as_mut_slice().into(),
            &Tag::from(*tag),
        )
        .ok()?;
    Some(buf)
}

/// Encrypts `buf` in place under a fresh random nonce; returns (nonce, tag).
pub(crate) fn seal(key: &[u8; 32], buf: &mut [u8]) -> Option<([u8; 12], [u8; 16])> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let tag = cipher
        .encrypt_inout_detached(&Nonce::from(nonce), &[], buf.into())
        .ok()?;
    Some((nonce, tag.into()))
}

/// Tries `password` on each password slot in turn, as Aegis's docs/decrypt.py does.
/// A slot whose costs are refused is passed over; if no slot opens, that refusal is
/// the answer, else the password is wrong.
pub(crate) fn master_key(slots: &[PasswordSlot], password: &str) -> Result<Key, ImportError> {
    if slots.len() > MAX_PASSWORD_SLOTS {
        return Err(ImportError::Damaged(
            "the vault has too many password slots",
        ));
    }
    let mut refused = None;
    for slot in slots {
        match unwrap_slot(slot, password) {
            Ok(key) => return Ok(key),
            Err(ImportError::WrongPassword) => {}
            Err(e) => refused = Some(e),
        }
    }
    Err(refused.unwrap_or(ImportError::WrongPassword))
}

/// Step 1 and 2 of the unlock: the KEK from the password, then the master key.
fn unwrap_slot(slot: &PasswordSlot, password: &str) -> Result<Key, ImportError> {
    let params = ScryptParams::check(slot.n, slot.r, slot.p)?;
    let wrapped: [u8; 32] = hex(&slot.key, "a password slot's key is not 32 bytes of hex")?;
    let (nonce, tag) = crypt_params(&slot.key_params)?;
    let salt = data_encoding::HEXLOWER_PERMISSIVE
        .decode(slot.salt.as_bytes())
        .map_err(|_| ImportError::Damaged("a password slot's salt is not hex"))?;
    let kek = kek(password, &salt, params).ok_or(ImportError::Damaged(
        "the password slot's scrypt parameters are invalid",
    ))?;
    let plain = open(&kek, &nonce, &tag, &wrapped).ok_or(ImportError::WrongPassword)?;
    let key: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| ImportError::Damaged("a password slot's key is not 32 bytes"))?;
    Ok(Zeroizing::new(key))
}

/// A nonce and tag as `key_params` or the header's `params` give them.
pub(crate) fn crypt_params(p: &CryptParams) -> Result<([u8; 12], [u8; 16]), ImportError> {
    Ok((
        hex(&p.nonce, "a nonce is not 12 bytes of hex")?,
        hex(&p.tag, "a tag is not 16 bytes of hex")?,
    ))
}

/// Exactly `N` bytes of hex, else `Damaged(why)`.
fn hex<const N: usize>(text: &str, why: &'static str) -> Result<[u8; N], ImportError> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .map_err(|_| ImportError::Damaged(why))?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| ImportError::Damaged(why))
}
