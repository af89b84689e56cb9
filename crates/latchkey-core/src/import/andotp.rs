//! andOTP backups: the plain JSON export and both encrypted ones.
//!
//! Sources: andOTP's backup code (`BackupHelper`, `EncryptionHelper`; the app is archived)
//! as Aegis's importer reads it, and Aegis's fixtures; summarised in formats.md §4.2.
//! - **Plain** (`otp_accounts.json`): a JSON array of `{"secret" (base32, padded),
//!   "issuer", "label", "digits", "type": TOTP|HOTP|STEAM, "algorithm", "period" or
//!   "counter", "tags": [..], "thumbnail", "last_used", "used_frequency"}`.
//! - **Encrypted** (`.json.aes`, andOTP 0.6.3 and later):
//!   `[iterations: u32 BE][salt: 12 B][nonce: 12 B][ciphertext][tag: 16 B]`, key =
//!   PBKDF2-HMAC-SHA1(password, salt, iterations, 256 bit), AES-256-GCM.
//! - **Old encrypted** (before 0.6.3): `[nonce: 12 B][ciphertext][tag: 16 B]` with key =
//!   SHA-256(password). Those versions wrote no `issuer`; their label is
//!   "Issuer - Issuer:account", which is split back into issuer and account.
//!
//! Neither encrypted form has a header, so a file of the new form is recognised by its
//! iteration count (andOTP draws it from 140,000 to 160,000) and an old one only as a
//! last resort: binary that is no other known kind of file. With no check value, a
//! changed byte and a wrong password look the same (the GCM tag fails): both are
//! reported as a wrong password.
//!
//! Lost on import: the thumbnail (andOTP's built-in icon names), usage counts and last-use
//! times. Tags are kept.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::sealed::{self, Prf};
use super::{Format, ImportError, Restored, Skipped};
use crate::Account;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

const FORMAT: &str = "an andOTP backup";
const NONCE: usize = 12;
const SALT: usize = 12;
const TAG: usize = 16;
/// Iterations count, salt, nonce: the new format's header.
const HEADER: usize = 4 + SALT + NONCE;
/// The iteration counts andOTP writes.
const ANDOTP_ITERATIONS: std::ops::RangeInclusive<u32> = 140_000..=160_000;
/// Starts of binary files that are something else (SQLite, zip, Stratum backups).
const OTHER_MAGIC: [&[u8]; 3] = [b"SQLite format 3\0", b"PK\x03\x04", b"AUTHENTICATORPRO"];

pub(super) struct AndOtp;

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "secret")]
    _secret: serde::de::IgnoredAny,
    #[serde(rename = "type")]
    _kind: serde::de::IgnoredAny,
    #[serde(rename = "algorithm")]
    _algorithm: serde::de::IgnoredAny,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Entry {
    secret: Option<Zeroizing<String>>,
    issuer: Option<String>,
    label: Option<String>,
    digits: Option<u64>,
    #[serde(rename = "type")]
    kind: Option<String>,
    algorithm: Option<String>,
    period: Option<u64>,
    counter: Option<u64>,
    tags: Option<Vec<String>>,
}

/// The new format's iteration count, when the bytes are long enough to hold its header.
fn iterations(bytes: &[u8]) -> Option<u32> {
    let head = bytes.get(..4)?;
    (bytes.len() >= HEADER + TAG).then(|| u32::from_be_bytes([head[0], head[1], head[2], head[3]]))
}

/// Binary (so not the plain export) and long enough to be sealed.
fn looks_sealed(bytes: &[u8]) -> bool {
    bytes.len() > NONCE + TAG && std::str::from_utf8(bytes).is_err()
}

impl Format for AndOtp {
    fn id(&self) -> &'static str {
        "andotp"
    }

    fn name(&self) -> &'static str {
        "andOTP (JSON or encrypted .json.aes)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        if let Ok(entries) = serde_json::from_slice::<Vec<Probe>>(bytes) {
            return !entries.is_empty();
        }
        looks_sealed(bytes)
            && (iterations(bytes).is_some_and(|n| ANDOTP_ITERATIONS.contains(&n))
                || !OTHER_MAGIC.iter().any(|m| bytes.starts_with(m)))
    }

    fn encrypted(&self, bytes: &[u8]) -> bool {
        looks_sealed(bytes)
    }

    fn restore(&self, bytes: &[u8], password: Option<&str>) -> Result<Restored, ImportError> {
        let plain;
        let json: &[u8] = if let Ok(text) = std::str::from_utf8(bytes) {
            if !text.trim_start().starts_with('[') {
                return Err(ImportError::WrongFormat(FORMAT));
            }
            bytes
        } else if bytes.len() <= NONCE + TAG {
            return Err(ImportError::Damaged(
                "it is too short to hold an encrypted backup",
            ));
        } else {
            let password = password.ok_or(ImportError::NeedsPassword)?;
            plain = decrypt(bytes, password).ok_or(ImportError::WrongPassword)?;
            &plain
        };
        let entries: Vec<Entry> = serde_json::from_slice(json)
            .map_err(|_| ImportError::Damaged("it is cut short or is not andOTP's JSON"))?;
        let mut out = Restored::default();
        for (n, entry) in entries.iter().enumerate() {
            match account(entry) {
                Ok(a) => out.accounts.push(a),
                Err(reason) => out.skipped.push(Skipped {
                    name: entry
                        .label
                        .clone()
                        .filter(|l| !l.is_empty())
                        .unwrap_or_else(|| format!("entry {}", n + 1)),
                    reason,
                }),
            }
        }
        Ok(out)
    }
}

/// Tries the new format (when its iteration count is sane), then the old one.
fn decrypt(bytes: &[u8], password: &str) -> Option<Zeroizing<Vec<u8>>> {
    if let Some(n) = iterations(bytes).filter(|n| (1..=sealed::MAX_ITERATIONS).contains(n)) {
        let (salt, rest) = bytes.get(4..)?.split_at_checked(SALT)?;
        let (nonce, sealed_part) = rest.split_at_checked(NONCE)?;
        let key = sealed::derive(Prf::Sha1, password.as_bytes(), salt, n)?;
        if let Some(plain) = sealed::open(&key, nonce, sealed_part) {
            return Some(plain);
        }
    }
    // The old format's key is one unsalted hash of the password (andOTP's choice, not ours).
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&Sha256::digest(password.as_bytes()));
    let (nonce, sealed_part) = bytes.split_at_checked(NONCE)?;
    sealed::open(&key, nonce, sealed_part)
}

/// Issuer and account: the fields, or the old "Issuer - Issuer:account" label.
fn names(entry: &Entry) -> (String, String) {
    let label = entry.label.clone().unwrap_or_default();
    if let Some(issuer) = &entry.issuer {
        return (issuer.clone(), label);
    }
    match label.split_once(" - ") {
        Some((issuer, rest)) => {
            let account = rest
                .strip_prefix(issuer)
                .and_then(|r| r.strip_prefix(':'))
                .unwrap_or(rest);
            (issuer.to_owned(), account.trim_start().to_owned())
        }
        None => (String::new(), label),
    }
}

/// One entry as an account, or why not (never quoting the secret).
fn account(entry: &Entry) -> Result<Account, String> {
    let secret = Secret::from_base32(entry.secret.as_ref().map_or("", |s| s.as_str()))
        .map_err(|e| e.to_string())?;
    let algorithm = match entry.algorithm.as_deref() {
        None | Some("") => Algorithm::Sha1,
        Some(name) => Algorithm::parse(name).map_err(|e| e.to_string())?,
    };
    let digits = entry.digits.unwrap_or(6);
    let digits = u8::try_from(digits).map_err(|_| format!("{digits} digits is not supported"))?;
    let kind = match entry
        .kind
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("TOTP") => {
            let period = entry.period.unwrap_or(30);
            let period = u32::try_from(period)
                .map_err(|_| format!("a period of {period} s is not supported"))?;
            Kind::Totp { period }
        }
        Some("HOTP") => Kind::Hotp {
            counter: entry.counter.unwrap_or(0),
        },
        Some("STEAM") => Kind::Steam,
        other => {
            let shown: String = other.unwrap_or("none").chars().take(16).collect();
            return Err(format!("the type {shown:?} is not supported"));
        }
    };
    let otp = OtpParams::new(kind, algorithm, digits, secret).map_err(|e| e.to_string())?;
    let (issuer, label) = names(entry);
    let mut account = Account::new(issuer, label, otp, 0);
    account.tags = entry.tags.clone().unwrap_or_default();
    Ok(account)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn tags_are_kept_and_a_bad_entry_is_skipped() {
        let file = br#"[{"secret":"JBSWY3DPEHPK3PXP====","issuer":"GitHub","label":"alice",
            "digits":6,"type":"TOTP","algorithm":"SHA1","period":30,"tags":["work","code"]},
            {"secret":"JBSWY3DPEHPK3PXP","label":"Odd","digits":6,"type":"MOTP","algorithm":"MD5"}]"#;
        assert!(AndOtp.detect(file));
        assert!(!AndOtp.encrypted(file));
        let r = AndOtp.restore(file, None).unwrap();
        assert_eq!(r.accounts.len(), 1);
        assert_eq!(r.accounts[0].tags, ["work", "code"]);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].name, "Odd");
    }

    #[test]
    fn old_labels_are_split_into_issuer_and_account() {
        let entry = |label: &str| Entry {
            label: Some(label.into()),
            ..Entry::default()
        };
        assert_eq!(
            names(&entry("Deno - Deno:Mason")),
            ("Deno".into(), "Mason".into())
        );
        assert_eq!(names(&entry("A - b")), ("A".into(), "b".into()));
        assert_eq!(names(&entry("solo")), (String::new(), "solo".into()));
    }

    #[test]
    fn other_binary_files_and_other_json_are_not_claimed() {
        let mut sqlite = b"SQLite format 3\0".to_vec();
        sqlite.extend([0xff; 64]);
        assert!(!AndOtp.detect(&sqlite));
        assert!(!AndOtp.detect(b"[]"));
        assert!(!AndOtp.detect(br#"[{"name":"x","otpGenerator":{}}]"#));
        assert!(!AndOtp.detect(br#"{"secret":"x","type":"TOTP","algorithm":"SHA1"}"#));
    }

    #[test]
    fn an_absurd_iteration_count_is_not_honoured() {
        // u32::MAX iterations would take hours; the file is tried as the old format
        // instead, which fails at once.
        let mut file = vec![0xff, 0xff, 0xff, 0xff];
        file.extend([0x80; 60]);
        assert_eq!(
            AndOtp.restore(&file, Some("test")).unwrap_err(),
            ImportError::WrongPassword
        );
    }
}
