//! TOTP (RFC 6238) as this service issues it: SHA-1, 6 digits, 30-second steps, 160-bit
//! secrets, codes accepted one step either side of now.
//!
//! This module only computes; the rule that each (user, step) is accepted once lives with
//! the stored `totp_last_step` in `second_factor`.

use data_encoding::BASE32_NOPAD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use totp_rs::{Algorithm, Builder};
use zeroize::Zeroizing;

use crate::error::ApiError;

pub(crate) const STEP_SECONDS: u64 = 30;
pub(crate) const DIGITS: u8 = 6;
/// Steps accepted either side of the current one (clock drift, slow typing).
pub(crate) const SKEW: u16 = 1;
/// 160 bits, as RFC 4226 recommends.
pub(crate) const SECRET_LEN: usize = 20;

pub(crate) fn new_secret() -> Result<Zeroizing<Vec<u8>>, ApiError> {
    Ok(Zeroizing::new(
        crate::token::random_bytes::<SECRET_LEN>()?.to_vec(),
    ))
}

/// The secret as authenticator apps expect it typed: base32, upper case, no padding.
pub(crate) fn base32(secret: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(BASE32_NOPAD.encode(secret))
}

/// Characters left as they are in a label or parameter; everything else is %-encoded
/// (notably `:`, which separates issuer from account, and `@`, `&`, `=`, space).
const KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_');

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`
/// (Key Uri Format, as Google Authenticator defined it).
pub(crate) fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> Zeroizing<String> {
    let issuer = utf8_percent_encode(issuer, KEEP).to_string();
    let account = utf8_percent_encode(account, KEEP);
    Zeroizing::new(format!(
        "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        base32(secret).as_str()
    ))
}

/// The time step `code` belongs to, if it is right for `now` within ±[`SKEW`] steps.
/// Spaces in the code are ignored ("123 456").
pub(crate) fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .build()
        .ok()?;
    totp.check(&code, u64::try_from(now).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1, truncated to 6 digits.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn accepts_rfc6238_vectors_and_reports_their_step() {
        assert_eq!(matching_step(RFC_SECRET, "287082", 59), Some(1));
        assert_eq!(
            matching_step(RFC_SECRET, "081804", 1_111_111_109),
            Some(37_037_036)
        );
        assert_eq!(
            matching_step(RFC_SECRET, "005924", 1_234_567_890),
            Some(41_152_263)
        );
    }

    #[test]
    fn accepts_one_step_of_skew_but_not_two() {
        // 081804 is the code of step 37037036 (t = 1111111109).
        assert!(matching_step(RFC_SECRET, "081804", 1_111_111_109 + 30).is_some());
        assert!(matching_step(RFC_SECRET, "081804", 1_111_111_109 - 30).is_some());
        assert!(matching_step(RFC_SECRET, "081804", 1_111_111_109 + 60).is_none());
        assert!(matching_step(RFC_SECRET, "081804", 1_111_111_109 - 60).is_none());
    }

    #[test]
    fn refuses_malformed_codes() {
        assert_eq!(matching_step(RFC_SECRET, "", 59), None);
        assert_eq!(matching_step(RFC_SECRET, "+87082", 59), None);
        assert_eq!(matching_step(RFC_SECRET, "2870820", 59), None);
        assert_eq!(matching_step(RFC_SECRET, "287 082", 59), Some(1));
    }

    #[test]
    fn otpauth_uri_escapes_issuer_and_account() {
        let uri = otpauth_uri("Latchkey Demo", "a+b@example.com", RFC_SECRET);
        assert_eq!(
            uri.as_str(),
            "otpauth://totp/Latchkey%20Demo:a%2Bb%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Latchkey%20Demo&algorithm=SHA1&digits=6&period=30"
        );
    }
}
