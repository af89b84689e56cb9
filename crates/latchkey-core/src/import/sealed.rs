//! The sealing 2FAS and andOTP exports share: a 256-bit key from PBKDF2-HMAC (RFC 8018
//! §5.2) over the password, then AES-256-GCM with a 96-bit nonce and the 128-bit tag
//! appended to the ciphertext, no associated data. Keys and plaintexts are wiped on drop.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::Hmac;
use zeroize::Zeroizing;

/// The most PBKDF2 iterations an export may ask for. Real ones use 10,000 (2FAS) or
/// 140,000–160,000 (andOTP); a count far beyond that is a damaged or hostile file, and
/// honouring it would hang the import for minutes.
pub(super) const MAX_ITERATIONS: u32 = 2_000_000;

/// The hash under PBKDF2's HMAC.
#[derive(Clone, Copy, Debug)]
pub(super) enum Prf {
    /// HMAC-SHA-1 (andOTP).
    Sha1,
    /// HMAC-SHA-256 (2FAS).
    Sha256,
}

/// PBKDF2 of the password into a 256-bit key; `None` when `iterations` is 0 or above
/// [`MAX_ITERATIONS`].
pub(super) fn derive(
    prf: Prf,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Option<Zeroizing<[u8; 32]>> {
    if !(1..=MAX_ITERATIONS).contains(&iterations) {
        return None;
    }
    let mut key = Zeroizing::new([0u8; 32]);
    let out = key.as_mut();
    // HMAC takes keys of any length, so these never fail; `?` keeps that unproven
    // assumption from ever becoming a panic.
    match prf {
        Prf::Sha1 => pbkdf2::pbkdf2::<Hmac<sha1::Sha1>>(password, salt, iterations, out).ok()?,
        Prf::Sha256 => {
            pbkdf2::pbkdf2::<Hmac<sha2::Sha256>>(password, salt, iterations, out).ok()?
        }
    }
    Some(key)
}

/// Opens `ciphertext ‖ tag`; `None` when the nonce is not 12 bytes or the tag does not
/// verify (a wrong key or a changed byte).
pub(super) fn open(key: &[u8; 32], nonce: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let nonce = <[u8; 12]>::try_from(nonce).ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(&Nonce::from(nonce), sealed)
        .ok()
        .map(Zeroizing::new)
}
