//! Google Authenticator's "Transfer accounts" export: QR codes holding
//! `otpauth-migration://offline?data=<base64 protobuf>`, several accounts per code and
//! several codes per batch.
//!
//! The protobuf (`MigrationPayload`: fields 1 accounts, 3 batch size, 4 batch index,
//! 5 batch id; in each account 1 secret, 2 name, 3 issuer, 4 algorithm, 5 digits, 6
//! type, 7 counter) is read by hand: it is small and flat. What is lost: nothing Latchkey uses — the export has no
//! period (always 30 s) and no icons. MD5 entries (never produced for real accounts)
//! are reported as skipped rather than guessed at.
//!
//! ```
//! use latchkey_core::import::google;
//! let batch = google::parse_uri(
//!     "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC",
//! ).unwrap();
//! assert_eq!(batch.accounts[0].issuer, "Example");
//! assert_eq!(batch.accounts[0].account, "alice@google.com");
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use zeroize::Zeroizing;

use super::ImportError;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};
use crate::otpauth::OtpauthUri;

const FORMAT: &str = "a Google Authenticator export (otpauth-migration://)";

/// One QR code of an export.
#[derive(Debug, Default)]
pub struct Batch {
    /// The accounts it holds, in order.
    pub accounts: Vec<OtpauthUri>,
    /// Entries that could not be taken, with the reason (names only, never secrets).
    pub skipped: Vec<(String, &'static str)>,
    /// Which code of the batch this is (0-based).
    pub index: u32,
    /// How many codes the batch has.
    pub size: u32,
    /// The batch's random id: codes of one export share it.
    pub id: i32,
}

/// Parses one `otpauth-migration://offline?data=…` text.
pub fn parse_uri(text: &str) -> Result<Batch, ImportError> {
    let text = text.trim();
    let lower = text.get(..20).unwrap_or("").to_ascii_lowercase();
    if !lower.starts_with("otpauth-migration://") {
        return Err(ImportError::WrongFormat(FORMAT));
    }
    let query = text.split_once('?').map(|(_, q)| q).unwrap_or("");
    let data = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("data="))
        .ok_or(ImportError::Damaged("it has no data"))?;
    let data = Zeroizing::new(
        percent_encoding::percent_decode_str(data)
            .decode_utf8_lossy()
            .into_owned(),
    );
    // A raw '+' in the QR text may have been turned into a space by a form decoder,
    // and padding is sometimes dropped: undo both before decoding.
    let cleaned: Zeroizing<String> = Zeroizing::new(
        data.chars()
            .map(|c| if c == ' ' { '+' } else { c })
            .filter(|&c| c != '=')
            .collect(),
    );
    let bytes = Zeroizing::new(
        STANDARD_NO_PAD
            .decode(cleaned.as_bytes())
            .map_err(|_| ImportError::Damaged("its data is not base64"))?,
    );
    parse_payload(&bytes)
}

/// Parses the protobuf `MigrationPayload`.
pub fn parse_payload(bytes: &[u8]) -> Result<Batch, ImportError> {
    let mut batch = Batch {
        size: 1,
        ..Batch::default()
    };
    let mut r = Reader(bytes);
    while let Some((field, value)) = r.field()? {
        match (field, value) {
            (1, Value::Bytes(b)) => match entry(b)? {
                Ok(uri) => batch.accounts.push(uri),
                Err(skip) => batch.skipped.push(skip),
            },
            (3, Value::Varint(n)) => batch.size = n as u32,
            (4, Value::Varint(n)) => batch.index = n as u32,
            // int32 fields carry negatives as 10-byte varints: the low 32 bits are the value.
            (5, Value::Varint(n)) => batch.id = n as u32 as i32,
            _ => {}
        }
    }
    Ok(batch)
}

type Entry = Result<OtpauthUri, (String, &'static str)>;

/// One `OtpParameters`. The outer error is damage; the inner one an entry we skip.
fn entry(bytes: &[u8]) -> Result<Entry, ImportError> {
    let (mut secret, mut name, mut issuer) =
        (Zeroizing::new(Vec::new()), String::new(), String::new());
    let (mut algorithm, mut digits, mut kind, mut counter) = (0u64, 0u64, 0u64, 0u64);
    let mut r = Reader(bytes);
    while let Some((field, value)) = r.field()? {
        match (field, value) {
            (1, Value::Bytes(b)) => secret = Zeroizing::new(b.to_vec()),
            (2, Value::Bytes(b)) => name = String::from_utf8_lossy(b).into_owned(),
            (3, Value::Bytes(b)) => issuer = String::from_utf8_lossy(b).into_owned(),
            (4, Value::Varint(n)) => algorithm = n,
            (5, Value::Varint(n)) => digits = n,
            (6, Value::Varint(n)) => kind = n,
            (7, Value::Varint(n)) => counter = n,
            _ => {}
        }
    }
    let (issuer, account) = split_name(issuer, name);
    let label = if issuer.is_empty() {
        account.clone()
    } else {
        format!("{issuer}: {account}")
    };
    let algorithm = match algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        _ => return Ok(Err((label, "it uses MD5, which Latchkey does not support"))),
    };
    let digits = match digits {
        0 | 1 => 6,
        2 => 8,
        _ => return Ok(Err((label, "its number of digits is unknown"))),
    };
    let kind = match kind {
        1 => Kind::Hotp { counter },
        0 | 2 => Kind::Totp { period: 30 },
        _ => return Ok(Err((label, "its type is unknown"))),
    };
    match OtpParams::new(kind, algorithm, digits, Secret::from_bytes(secret.to_vec())) {
        Ok(otp) => Ok(Ok(OtpauthUri {
            issuer,
            account,
            otp,
            image: None,
        })),
        Err(_) => Ok(Err((label, "its secret is empty"))),
    }
}

/// `name` may be "Issuer:account"; with no issuer field, the prefix is the issuer, and
/// a prefix equal to the issuer field is dropped (Google writes both).
fn split_name(issuer: String, name: String) -> (String, String) {
    match name.split_once(':') {
        Some((prefix, rest)) if issuer.is_empty() => {
            (prefix.trim().to_string(), rest.trim().to_string())
        }
        Some((prefix, rest)) if prefix.trim() == issuer => (issuer, rest.trim().to_string()),
        _ => (issuer, name),
    }
}

enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Other,
}

/// A protobuf wire-format reader: just enough for this message.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, ImportError> {
        let mut value = 0u64;
        for i in 0..10 {
            let (&b, rest) = self
                .0
                .split_first()
                .ok_or(ImportError::Damaged("a number is cut short"))?;
            self.0 = rest;
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ImportError::Damaged("a number is too long"))
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], ImportError> {
        let n = usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.0.len())
            .ok_or(ImportError::Damaged("a field is cut short"))?;
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }

    fn field(&mut self) -> Result<Option<(u64, Value<'a>)>, ImportError> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => self.take(8).map(|_| Value::Other)?,
            2 => {
                let len = self.varint()?;
                Value::Bytes(self.take(len)?)
            }
            5 => self.take(4).map(|_| Value::Other)?,
            _ => {
                return Err(ImportError::Damaged(
                    "it uses an unknown protobuf wire type",
                ));
            }
        };
        Ok(Some((key >> 3, value)))
    }
}

#[cfg(test)]
mod tests;
