//! One-time passwords: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! Every function here is pure: the clock comes in as an argument, so codes can be
//! checked against published vectors and against `oathtool` at any instant.
//!
//! ```
//! use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
//! let params = OtpParams::new(
//!     Kind::Totp { period: 30 },
//!     Algorithm::Sha1,
//!     8,
//!     Secret::from_bytes(b"12345678901234567890".to_vec()),
//! )
//! .unwrap();
//! assert_eq!(params.code_at(59).value(), "94287082");
//! ```

mod secret;

pub use secret::Secret;

use hmac::{Hmac, KeyInit, Mac};

/// The HMAC hash function an account uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default and by far the most common.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name used in otpauth URIs and in the vault: `SHA1`, `SHA256`, `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// Parses a name case-insensitively, with or without a dash (`sha-256`).
    pub fn parse(name: &str) -> Result<Self, OtpError> {
        match name.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Ok(Self::Sha1),
            "SHA256" => Ok(Self::Sha256),
            "SHA512" => Ok(Self::Sha512),
            _ => Err(OtpError::UnknownAlgorithm(name.chars().take(32).collect())),
        }
    }
}

/// How the moving factor is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Time-based: the counter is `unix_time / period`.
    Totp {
        /// Step length in seconds, at least 1.
        period: u32,
    },
    /// Counter-based: the counter is kept in the vault and advanced each time a code is used.
    Hotp {
        /// The counter value the next code is computed from.
        counter: u64,
    },
    /// Steam Guard: TOTP-SHA1 with a 30 s period, shown as 5 characters.
    Steam,
}

/// Errors in OTP parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OtpError {
    /// The secret holds no bytes.
    #[error("the secret is empty")]
    EmptySecret,
    /// The secret is not valid base32 (after dropping spaces, dashes and padding).
    #[error("the secret is not valid base32: {0}")]
    InvalidBase32(String),
    /// The number of digits is outside what authenticators support.
    #[error("{0} digits is not supported (use 6 to 8)")]
    UnsupportedDigits(u32),
    /// A TOTP period of zero seconds.
    #[error("the period must be at least 1 second")]
    ZeroPeriod,
    /// An algorithm other than SHA1, SHA256 or SHA512.
    #[error("unknown algorithm \"{0}\" (use SHA1, SHA256 or SHA512)")]
    UnknownAlgorithm(String),
}

/// Steam Guard codes use this 26-symbol alphabet.
const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
/// Steam Guard codes are always 5 characters long.
pub const STEAM_DIGITS: u8 = 5;
/// Digits allowed for HOTP and TOTP.
pub const DIGITS_RANGE: std::ops::RangeInclusive<u8> = 6..=8;

/// Everything needed to compute codes for one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpParams {
    kind: Kind,
    algorithm: Algorithm,
    digits: u8,
    secret: Secret,
}

impl OtpParams {
    /// Checks and builds parameters. Steam forces SHA1 and 5 characters.
    pub fn new(
        kind: Kind,
        algorithm: Algorithm,
        digits: u8,
        secret: Secret,
    ) -> Result<Self, OtpError> {
        if secret.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        let (algorithm, digits) = match kind {
            Kind::Steam => (Algorithm::Sha1, STEAM_DIGITS),
            Kind::Totp { period: 0 } => return Err(OtpError::ZeroPeriod),
            _ if !DIGITS_RANGE.contains(&digits) => {
                return Err(OtpError::UnsupportedDigits(digits.into()));
            }
            _ => (algorithm, digits),
        };
        Ok(Self {
            kind,
            algorithm,
            digits,
            secret,
        })
    }

    /// The kind (TOTP, HOTP or Steam) with its period or counter.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// The HMAC algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
    /// Number of digits (5 characters for Steam).
    pub fn digits(&self) -> u8 {
        self.digits
    }
    /// The shared secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
    /// The period in seconds for time-based kinds, `None` for HOTP.
    pub fn period(&self) -> Option<u32> {
        match self.kind {
            Kind::Totp { period } => Some(period),
            Kind::Steam => Some(30),
            Kind::Hotp { .. } => None,
        }
    }

    /// Sets the HOTP counter; does nothing for time-based kinds.
    pub fn set_counter(&mut self, value: u64) {
        if let Kind::Hotp { counter } = &mut self.kind {
            *counter = value;
        }
    }

    /// The code at `unix_time` (TOTP, Steam) or at the stored counter (HOTP).
    pub fn code_at(&self, unix_time: u64) -> Code {
        let (counter, period) = match self.kind {
            Kind::Hotp { counter } => (counter, None),
            _ => {
                let period = u64::from(self.period().unwrap_or(30));
                (unix_time / period, Some(period))
            }
        };
        let value = self.code_for_counter(counter);
        let valid = period.map(|p| {
            let start = counter * p;
            (start, start.saturating_add(p))
        });
        Code {
            value,
            counter,
            valid,
        }
    }

    /// The code for an explicit counter value (a time step for TOTP).
    pub fn code_for_counter(&self, counter: u64) -> String {
        let bin = truncated(self.algorithm, self.secret.as_bytes(), counter);
        match self.kind {
            Kind::Steam => steam_chars(bin),
            _ => decimal(bin, self.digits),
        }
    }
}

/// A computed code and the window it is valid in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    value: String,
    counter: u64,
    valid: Option<(u64, u64)>,
}

impl Code {
    /// The code as shown to a person: zero-padded digits, or 5 Steam characters.
    pub fn value(&self) -> &str {
        &self.value
    }
    /// The counter or time step the code was computed from.
    pub fn counter(&self) -> u64 {
        self.counter
    }
    /// For time-based codes, `[start, end)` in unix seconds.
    pub fn valid_window(&self) -> Option<(u64, u64)> {
        self.valid
    }
    /// Seconds left at `unix_time` before the code changes (time-based codes only).
    pub fn remaining_at(&self, unix_time: u64) -> Option<u64> {
        self.valid.map(|(_, end)| end.saturating_sub(unix_time))
    }
}

/// RFC 4226 §5.3: HMAC over the big-endian counter, then dynamic truncation to 31 bits.
pub fn truncated(algorithm: Algorithm, key: &[u8], counter: u64) -> u32 {
    let msg = counter.to_be_bytes();
    match algorithm {
        Algorithm::Sha1 => dynamic_truncate(&mac::<sha1::Sha1>(key, &msg)),
        Algorithm::Sha256 => dynamic_truncate(&mac::<sha2::Sha256>(key, &msg)),
        Algorithm::Sha512 => dynamic_truncate(&mac::<sha2::Sha512>(key, &msg)),
    }
}

fn mac<D: hmac::EagerHash>(key: &[u8], msg: &[u8]) -> Vec<u8>
where
    Hmac<D>: KeyInit + Mac,
{
    // HMAC accepts keys of any length, so this never fails; an empty result would make
    // `dynamic_truncate` return 0 rather than panic.
    match <Hmac<D> as KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The offset is the low nibble of the *last* byte of the digest (RFC 4226 §5.3).
fn dynamic_truncate(digest: &[u8]) -> u32 {
    let Some(last) = digest.last() else { return 0 };
    let offset = usize::from(last & 0x0f);
    match digest.get(offset..offset + 4) {
        Some(b) => u32::from_be_bytes([b[0], b[1], b[2], b[3]]) & 0x7fff_ffff,
        None => 0,
    }
}

fn decimal(bin: u32, digits: u8) -> String {
    let modulus = 10u64.pow(u32::from(digits));
    format!(
        "{:0width$}",
        u64::from(bin) % modulus,
        width = usize::from(digits)
    )
}

fn steam_chars(mut bin: u32) -> String {
    let mut out = String::with_capacity(usize::from(STEAM_DIGITS));
    for _ in 0..STEAM_DIGITS {
        out.push(char::from(STEAM_ALPHABET[(bin % 26) as usize]));
        bin /= 26;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
