//! `otpauth://` key URIs: a lenient reader and a canonical writer.
//!
//! The format is Google's "Key Uri Format" wiki page: `otpauth://TYPE/LABEL?PARAMETERS`,
//! where LABEL is `ISSUER:ACCOUNT` or just `ACCOUNT`. Many producers bend it, so
//! [`parse`] accepts what real apps write:
//!
//! - surrounding whitespace; the scheme and type in any case; types `totp`, `hotp` and
//!   `steam`, plus `encoder=steam` on `totp` and Bitwarden's `steam://SECRET`;
//! - secrets in lower case, with `=` or `%3D` padding, spaces or dashes, of any size
//!   from one byte up (see [`Secret::from_base32`](crate::otp::Secret::from_base32));
//! - `hotp` without `counter` (the wiki requires it; it starts at 0);
//! - a literal `:` or an encoded `%3A` between issuer and account, followed by optional
//!   spaces; raw spaces and a raw `#` in the label (nothing is cut off as a fragment);
//! - `+` as a space in query values (form encoding) but not in the label;
//! - percent-encoded UTF-8; lower-case algorithm names; unknown parameters (ignored);
//!   `period` on `hotp` (ignored); repeated parameters (the first one counts);
//!   empty `algorithm`, `digits`, `period` or `counter` values (the default is used).
//!
//! When the `issuer` parameter and the label's prefix disagree, the parameter wins and
//! the account is what follows the label's separator, as yubikey-manager and Ente do.
//!
//! It rejects, with a [`UriError`] whose message never holds the secret: other schemes,
//! other types, a missing, empty or non-base32 secret (including a length no encoder
//! writes, a sign of lost characters), digits other than 6 to 8, a zero or non-numeric
//! period, an algorithm other than SHA1/SHA256/SHA512, and a non-numeric counter.
//!
//! [`to_uri`] writes one canonical form, which [`parse`] reads back to the same fields:
//! `otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`,
//! with unpadded upper-case base32, `counter` instead of `period` for HOTP, and for
//! Steam `digits=5&period=30&encoder=steam` on a `totp` URI (KeePassXC's form: readers
//! that know no Steam still see a plain TOTP). Issuer and account are percent-encoded,
//! `:` included, so only the separator is a literal colon (without an issuer, an account
//! holding a colon gets a bare leading one: `:a%3Ab`); the issuer parameter is left out
//! when there is no issuer. One thing does not survive: spaces at the start of an
//! account that has an issuer, because the wiki makes them part of the separator.
//!
//! ```
//! use latchkey_core::otp::Kind;
//! use latchkey_core::otpauth;
//!
//! let uri = otpauth::parse(" otpauth://TOTP/ACME%20Co:john?secret=jbsw y3dp ehpk 3pxp&issuer=ACME+Co ")?;
//! assert_eq!((uri.issuer.as_str(), uri.account.as_str()), ("ACME Co", "john"));
//! assert_eq!(uri.otp.kind(), Kind::Totp { period: 30 });
//! assert_eq!(
//!     uri.to_uri().as_str(),
//!     "otpauth://totp/ACME%20Co:john?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"
//! );
//! # Ok::<(), otpauth::UriError>(())
//! ```

mod read;
mod write;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cases_20_38;
#[cfg(test)]
mod tests_lenient;
#[cfg(test)]
mod tests_roundtrip;

pub use write::to_uri;

use zeroize::Zeroizing;

use crate::otp::{OtpError, OtpParams};

/// One account as an `otpauth://` URI describes it.
///
/// The derived `Debug` is safe to log: the secret inside [`OtpParams`] prints redacted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpauthUri {
    /// The service, e.g. "GitHub"; empty when the URI names none.
    pub issuer: String,
    /// The account at that service, e.g. "alice@example.com"; may be empty.
    pub account: String,
    /// Kind, algorithm, digits and secret.
    pub otp: OtpParams,
    /// The `image` parameter (a logo URL) as given, if any.
    pub image: Option<String>,
}

impl OtpauthUri {
    /// The canonical URI (see [`to_uri`]), with the `image` parameter when there is one.
    pub fn to_uri(&self) -> Zeroizing<String> {
        write::write(
            &self.issuer,
            &self.account,
            &self.otp,
            self.image.as_deref(),
        )
    }
}

/// Reads an `otpauth://` (or `steam://`) URI leniently; see the module docs for what is
/// accepted.
pub fn parse(text: &str) -> Result<OtpauthUri, UriError> {
    read::parse(text)
}

/// Why a URI could not be read. Messages never contain the secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// The text does not start with `otpauth://` or `steam://`.
    #[error("this is not an otpauth:// link")]
    NotOtpauth,
    /// The type after `otpauth://` is not `totp`, `hotp` or `steam` (a long one is cut short).
    #[error("the OTP type {0:?} is not supported (use totp, hotp or steam)")]
    UnknownType(String),
    /// There is no `secret` parameter.
    #[error("the link has no secret")]
    MissingSecret,
    /// `digits` is not a whole number.
    #[error("the number of digits must be 6, 7 or 8, not {0:?}")]
    InvalidDigits(String),
    /// `period` is not a whole number of seconds.
    #[error("the period must be a whole number of seconds, not {0:?}")]
    InvalidPeriod(String),
    /// `counter` is not a whole number.
    #[error("the counter must be a whole number, not {0:?}")]
    InvalidCounter(String),
    /// A value codes cannot be computed with: empty or non-base32 secret, digits out of
    /// range, a zero period or an unknown algorithm.
    #[error(transparent)]
    Otp(#[from] OtpError),
}
