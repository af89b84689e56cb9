//! The shared secret of an OTP account: raw bytes, zeroized on drop, never printed.

use zeroize::{Zeroize, Zeroizing};

use super::OtpError;

/// Raw key bytes. Debug output is redacted; there is no `Display` and no `Serialize`.
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Decodes base32 leniently: case-insensitive; spaces, dashes, `=` padding
    /// (also `%3D`) and line breaks are ignored. Lengths that no encoder produces
    /// (1, 3 or 6 symbols past a multiple of 8) are rejected: they only come from a
    /// secret that lost characters on its way, and would give wrong codes silently.
    pub fn from_base32(text: &str) -> Result<Self, OtpError> {
        // Sized once so the upper-cased copy never reallocates and leaves an
        // unzeroized copy of the secret behind.
        let mut clean = Zeroizing::new(String::with_capacity(text.len()));
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("%3D")) {
                rest = rest.get(3..).unwrap_or_default();
                continue;
            }
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            match c {
                ' ' | '-' | '=' | '\t' | '\r' | '\n' => {}
                c => clean.push(c.to_ascii_uppercase()),
            }
        }
        if clean.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        // Only the offending character is shown, never the secret around it.
        if let Some(bad) = clean.chars().find(|c| !matches!(c, 'A'..='Z' | '2'..='7')) {
            let shown = if bad.is_ascii_graphic() {
                bad.to_string()
            } else {
                format!("U+{:04X}", u32::from(bad))
            };
            return Err(OtpError::InvalidBase32(format!(
                "\"{shown}\" is not a base32 letter (A–Z, 2–7)"
            )));
        }
        if matches!(clean.len() % 8, 1 | 3 | 6) {
            return Err(OtpError::InvalidBase32(format!(
                "{} characters is not a possible base32 length; is part of the secret missing?",
                clean.len()
            )));
        }
        let bytes = decode_base32(clean.as_bytes());
        if bytes.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        Ok(Self::from_bytes(bytes))
    }

    /// Canonical base32: upper case, no padding. The caller owns the zeroizing buffer.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// RFC 4648 base32 of checked upper-case symbols. Bits past the last whole byte are
/// dropped, as other authenticators do (so `AA` is one zero byte).
fn decode_base32(symbols: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(symbols.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &s in symbols {
        let v = match s {
            b'A'..=b'Z' => s - b'A',
            _ => s - b'2' + 26,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    acc.zeroize();
    out
}

/// Constant-time, so comparing a guess with a seed says nothing about where they differ.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0.len() == other.0.len() && bool::from(self.0.as_slice().ct_eq(other.0.as_slice()))
    }
}

impl Eq for Secret {}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret([REDACTED; {} bytes])", self.0.len())
    }
}
