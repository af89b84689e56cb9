//! Random secrets handed to clients, and how they are kept: bearer tokens, MFA tokens
//! and device codes are 32 random bytes (base64url), stored only as their SHA-256.
//!
//! Rows are found by that hash (an index lookup on the hash of a 256-bit random value
//! tells a timing attacker nothing about the token), and the found hash is compared
//! again in constant time before it counts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// A freshly made token: the text goes to the client once, the hash to the database.
pub(crate) struct NewToken {
    pub(crate) text: String,
    pub(crate) hash: [u8; 32],
}

/// Fills `N` bytes from the operating system's generator.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| {
        tracing::error!("the system random number generator failed");
        ApiError::internal()
    })?;
    Ok(b)
}

pub(crate) fn new_token() -> Result<NewToken, ApiError> {
    let text = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let hash = hash(&text);
    Ok(NewToken { text, hash })
}

/// SHA-256 of a token's text.
pub(crate) fn hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Constant-time equality of two hashes (or any equal-length secrets).
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// RFC 8628 §6.1: base-20 consonants, no vowels (no words) and no look-alikes.
const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";

/// A device-flow user code like `WDJB-MJHT` (20^8 ≈ 2^34.6 combinations).
pub(crate) fn user_code() -> Result<String, ApiError> {
    let mut out = String::with_capacity(9);
    let mut chosen = 0;
    while chosen < 8 {
        for byte in random_bytes::<16>()? {
            // Rejection sampling: 240 is the largest multiple of 20 below 256.
            if byte < 240 && chosen < 8 {
                if chosen == 4 {
                    out.push('-');
                }
                out.push(char::from(USER_CODE_ALPHABET[usize::from(byte % 20)]));
                chosen += 1;
            }
        }
    }
    Ok(out)
}

/// The form user codes are stored and compared in: upper case, `XXXX-XXXX`. Spaces and
/// dashes typed by the user are ignored.
pub(crate) fn normalize_user_code(input: &str) -> String {
    let letters: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match (letters.get(..4), letters.get(4..)) {
        (Some(a), Some(b)) if !b.is_empty() => format!("{a}-{b}"),
        _ => letters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_use_the_unambiguous_alphabet() {
        for _ in 0..200 {
            let Ok(code) = user_code() else { return };
            assert_eq!(code.len(), 9);
            assert_eq!(code.as_bytes()[4], b'-');
            assert!(
                code.bytes()
                    .filter(|b| *b != b'-')
                    .all(|b| USER_CODE_ALPHABET.contains(&b))
            );
        }
    }

    #[test]
    fn normalizes_typed_user_codes() {
        assert_eq!(normalize_user_code("wdjb mjht"), "WDJB-MJHT");
        assert_eq!(normalize_user_code(" WDJB-MJHT "), "WDJB-MJHT");
        assert_eq!(normalize_user_code("wdjbmjht"), "WDJB-MJHT");
    }

    #[test]
    fn tokens_are_32_random_bytes_hashed_with_sha256() {
        let (Ok(a), Ok(b)) = (new_token(), new_token()) else {
            return;
        };
        assert_eq!(a.text.len(), 43);
        assert_ne!(a.text, b.text);
        assert!(same(&a.hash, &hash(&a.text)));
        assert!(!same(&a.hash, &b.hash));
    }
}
