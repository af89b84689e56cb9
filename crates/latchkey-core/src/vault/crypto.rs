//! The vault's primitives: AES-256-GCM with random 96-bit nonces, Argon2id, and the OS RNG.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use super::VaultError;

/// A 256-bit key (master key or key-encryption key), wiped on drop.
pub(crate) type Key = Zeroizing<[u8; 32]>;

/// Argon2id cost parameters as stored in a password slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations (passes over memory).
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// What new password slots use: 64 MiB, 3 passes, 1 lane (about 150 ms on a
    /// 2020s laptop core; stronger than the OWASP minimum of 19 MiB / 2 passes).
    pub const DEFAULT: Self = Self {
        m_kib: 64 * 1024,
        t: 3,
        p: 1,
    };

    /// Rejects parameters that are too weak to create or too costly to open (a
    /// tampered header must not make us allocate terabytes).
    pub(crate) fn check(&self) -> Result<(), VaultError> {
        let ok = (8..=4 * 1024 * 1024).contains(&self.m_kib)
            && (1..=64).contains(&self.t)
            && (1..=16).contains(&self.p)
            && self.m_kib >= 8 * self.p;
        if ok {
            Ok(())
        } else {
            Err(VaultError::Corrupt(
                "the password slot's KDF parameters are out of range",
            ))
        }
    }
}

pub(crate) fn random_key() -> Result<Key, VaultError> {
    let mut k = Zeroizing::new([0u8; 32]);
    getrandom::fill(k.as_mut()).map_err(|_| VaultError::Rng)?;
    Ok(k)
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| VaultError::Rng)?;
    Ok(b)
}

/// Derives a key-encryption key from a password.
pub(crate) fn derive(password: &[u8], salt: &[u8], params: KdfParams) -> Result<Key, VaultError> {
    params.check()?;
    let p = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|_| VaultError::Corrupt("the password slot's KDF parameters are invalid"))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(password, salt, out.as_mut())
        .map_err(|_| VaultError::Corrupt("the password slot's KDF parameters are invalid"))?;
    Ok(out)
}

/// Encrypts with a fresh random nonce; returns (nonce, ciphertext ‖ tag).
pub(crate) fn seal(
    key: &[u8; 32],
    plaintext: &[u8],
    aad: &[u8],
) -> Result<([u8; 12], Vec<u8>), VaultError> {
    let nonce = random_bytes::<12>()?;
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| VaultError::Rng)?;
    let ct = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| VaultError::Corrupt("encryption failed"))?;
    Ok((nonce, ct))
}

/// Decrypts and authenticates; any change to key, nonce, ciphertext or AAD fails.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; 12],
    ciphertext: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// Unwraps a 32-byte key.
pub(crate) fn open_key(
    kek: &[u8; 32],
    nonce: &[u8; 12],
    wrapped: &[u8],
    aad: &[u8],
) -> Option<Key> {
    let plain = open(kek, nonce, wrapped, aad)?;
    let arr: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(Zeroizing::new(arr))
}
