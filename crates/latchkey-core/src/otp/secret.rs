//! The shared secret of an OTP account: raw bytes, zeroized on drop, never printed.

use zeroize::{Zeroize, Zeroizing};

use super::OtpError;

/// Raw key bytes. Debug output is redacted; there is no `Display` and no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Decodes base32 leniently: case-insensitive; spaces, dashes, `=` padding
    /// (also `%3D`) and line breaks are ignored; any length is accepted.
    pub fn from_base32(text: &str) -> Result<Self, OtpError> {
        let mut clean = Zeroizing::new(String::with_capacity(text.len()));
        let text = text.replace("%3D", "").replace("%3d", "");
        for c in text.chars() {
            match c {
                ' ' | '-' | '=' | '\t' | '\r' | '\n' => {}
                c => clean.push(c.to_ascii_uppercase()),
            }
        }
        if clean.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        if let Some(bad) = clean.chars().find(|c| !matches!(c, 'A'..='Z' | '2'..='7')) {
            let shown = if bad.is_ascii_graphic() { bad.to_string() } else { format!("U+{:04X}", u32::from(bad)) };
            return Err(OtpError::InvalidBase32(format!("\"{shown}\" is not a base32 letter (A–Z, 2–7)")));
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

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret([REDACTED; {} bytes])", self.0.len())
    }
}
