//! Ente Auth's exports (formats.md §5.1; Ente's `docs/docs/auth/migration/export.md`).
//!
//! - The **plain** export is a list of `otpauth://` links, one a line, read by the same
//!   code as any list of links ([`super::uris`]). Each link carries Ente's `codeDisplay`
//!   parameter, URL-encoded JSON: its `tags` become the account's tags, and codes whose
//!   `trashed` is true are skipped "in Ente's trash" rather than brought back to life.
//! - The **encrypted** export is JSON, `{"version":1, "kdfParams":{"memLimit", "opsLimit",
//!   "salt"}, "encryptedData", "encryptionNonce"}`: the key is Argon2id v1.3 with
//!   libsodium's `crypto_pwhash` meaning of the numbers (`opsLimit` passes, `memLimit`
//!   in bytes, so `memLimit / 1024` KiB, one lane, 32 bytes), and the plain export is
//!   sealed as one `crypto_secretstream_xchacha20poly1305` message tagged FINAL, whose
//!   24-byte header is `encryptionNonce` ([`secretstream`]).
//!
//! The Argon2 cost is capped before any memory is taken: at most 1 GiB, and at most
//! libsodium's "sensitive" work of 1 GiB × 4 passes (Ente derives export keys at that
//! product: 256 MiB × 16 passes, or 128 MiB × 32 on a phone short of memory). Larger
//! costs are refused as unsupported; impossible ones (under 8 KiB, no pass) as damage.
//! A wrong password and changed ciphertext look the same to the cipher; both are
//! reported as a wrong password.
//!
//! What is lost: everything else in `codeDisplay` (pinned, notes, position, usage
//! counts, icons); Latchkey has no place for them.

mod secretstream;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::Zeroizing;

use super::{Format, ImportError, Restored, Skipped, uris::Uris};
use secretstream::{HEADER_BYTES, Pull, PullError, TAG_FINAL};

const FORMAT: &str = "an Ente Auth export";
/// libsodium's `crypto_pwhash_MEMLIMIT_SENSITIVE`: the most memory an export may ask for.
const MAX_MEM_BYTES: u64 = 1 << 30;
/// `MEMLIMIT_SENSITIVE × OPSLIMIT_SENSITIVE`, the work Ente keeps constant.
const MAX_WORK: u64 = MAX_MEM_BYTES * 4;
/// libsodium's `crypto_pwhash_argon2id_MEMLIMIT_MIN`.
const MIN_MEM_BYTES: u64 = 8192;
/// `crypto_pwhash_SALTBYTES`.
const SALT_BYTES: usize = 16;

pub(super) struct Ente;

/// Enough of the encrypted export to recognise it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[allow(dead_code)]
    kdf_params: IgnoredAny,
    #[allow(dead_code)]
    encrypted_data: IgnoredAny,
    #[allow(dead_code)]
    encryption_nonce: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sealed {
    version: u64,
    kdf_params: KdfParams,
    encrypted_data: String,
    encryption_nonce: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KdfParams {
    mem_limit: u64,
    ops_limit: u64,
    salt: String,
}

/// The parts of Ente's `codeDisplay` that Latchkey keeps.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeDisplay {
    trashed: bool,
    tags: Vec<String>,
}

impl Format for Ente {
    fn id(&self) -> &'static str {
        "ente"
    }

    fn name(&self) -> &'static str {
        "Ente Auth (plain or encrypted export)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        self.encrypted(bytes)
            || (Uris.detect(bytes) && bytes.windows(12).any(|w| w == b"codeDisplay="))
    }

    fn encrypted(&self, bytes: &[u8]) -> bool {
        serde_json::from_slice::<Probe>(bytes).is_ok()
    }

    fn restore(&self, bytes: &[u8], password: Option<&str>) -> Result<Restored, ImportError> {
        if bytes.trim_ascii_start().starts_with(b"{") {
            if !self.encrypted(bytes) {
                let ours = |key: &[u8]| bytes.windows(key.len()).any(|w| w == key);
                return Err(if ours(b"\"kdfParams\"") || ours(b"\"encryptedData\"") {
                    ImportError::Damaged("its JSON is cut short")
                } else {
                    ImportError::WrongFormat(FORMAT)
                });
            }
            let password = password.ok_or(ImportError::NeedsPassword)?;
            let plain = open(bytes, password)?;
            return restore_plain(&plain);
        }
        restore_plain(bytes)
    }
}

/// Decrypts an encrypted export to the plain one.
fn open(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let sealed: Sealed = serde_json::from_slice(bytes)
        .map_err(|_| ImportError::Damaged("its JSON is cut short or not an Ente export"))?;
    if sealed.version != 1 {
        return Err(ImportError::Unsupported(format!(
            "Ente export version {}",
            sealed.version
        )));
    }
    let decode = |text: &str, what| {
        STANDARD
            .decode(text)
            .map_err(|_| ImportError::Damaged(what))
    };
    let salt = decode(&sealed.kdf_params.salt, "its salt is not base64")?;
    let header: [u8; HEADER_BYTES] = decode(&sealed.encryption_nonce, "its nonce is not base64")?
        .try_into()
        .map_err(|_| ImportError::Damaged("its nonce is not 24 bytes"))?;
    let data = decode(&sealed.encrypted_data, "its data is not base64")?;
    let key = derive_key(password, &salt, &sealed.kdf_params)?;
    let (plain, tag) = Pull::new(&key, &header).pull(&data).map_err(|e| match e {
        PullError::TooShort => ImportError::Damaged("its data is cut short"),
        PullError::Forged => ImportError::WrongPassword,
    })?;
    if tag != TAG_FINAL {
        return Err(ImportError::Damaged("its data is cut short"));
    }
    Ok(plain)
}

/// libsodium's `crypto_pwhash(32, password, salt, opsLimit, memLimit, ARGON2ID13)`.
fn derive_key(
    password: &str,
    salt: &[u8],
    kdf: &KdfParams,
) -> Result<Zeroizing<[u8; 32]>, ImportError> {
    let (kib, passes) = cost(kdf.mem_limit, kdf.ops_limit)?;
    if salt.len() != SALT_BYTES {
        return Err(ImportError::Damaged("its salt is not 16 bytes"));
    }
    let impossible = ImportError::Damaged("its key-derivation settings are impossible");
    let params = Params::new(kib, passes, 1, Some(32)).map_err(|_| impossible.clone())?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut *key)
        .map_err(|_| impossible)?;
    Ok(key)
}

/// Argon2's memory in KiB and its passes, once the cost is one Ente could have
/// written and one we are willing to pay (checked before any memory is taken).
fn cost(mem_bytes: u64, ops: u64) -> Result<(u32, u32), ImportError> {
    if mem_bytes < MIN_MEM_BYTES || ops == 0 {
        return Err(ImportError::Damaged(
            "its key-derivation settings are impossible",
        ));
    }
    if mem_bytes > MAX_MEM_BYTES || mem_bytes.saturating_mul(ops) > MAX_WORK {
        return Err(ImportError::Unsupported(format!(
            "a password hash costing {} MiB × {ops} passes (the most Latchkey does is 1 GiB × 4)",
            mem_bytes >> 20
        )));
    }
    // Both fit: memory ≤ 1 GiB, and passes ≤ MAX_WORK / MIN_MEM_BYTES.
    let kib = u32::try_from(mem_bytes / 1024).unwrap_or(u32::MAX);
    let passes = u32::try_from(ops).unwrap_or(u32::MAX);
    Ok((kib, passes))
}

/// The plain export: links, each read by [`Uris`], with `codeDisplay` applied.
fn restore_plain(bytes: &[u8]) -> Result<Restored, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::WrongFormat(FORMAT))?;
    let mut out = Restored::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = format!("line {}", n + 1);
        let one = match Uris.restore(line.as_bytes(), None) {
            Ok(one) => one,
            Err(e) => {
                out.skipped.push(Skipped {
                    name,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let display = code_display(line);
        for mut account in one.accounts {
            if display.trashed {
                out.skipped.push(Skipped {
                    name: account.display_name(),
                    reason: "in Ente's trash".into(),
                });
                continue;
            }
            account.tags.clone_from(&display.tags);
            out.accounts.push(account);
        }
        out.skipped.extend(one.skipped.into_iter().map(|s| Skipped {
            name: name.clone(),
            reason: s.reason,
        }));
    }
    if out.accounts.is_empty() && out.skipped.is_empty() {
        return Err(ImportError::WrongFormat(FORMAT));
    }
    Ok(out)
}

/// The `codeDisplay` parameter of a link; the defaults when it is absent or unreadable
/// (it only says how Ente shows a code, never how to make one).
fn code_display(line: &str) -> CodeDisplay {
    let Some((_, query)) = line.split_once('?') else {
        return CodeDisplay::default();
    };
    let Some(value) = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("codeDisplay="))
    else {
        return CodeDisplay::default();
    };
    // A form encoder writes spaces as '+'; a real '+' arrives as %2B.
    let value = value.replace('+', " ");
    let json = percent_encoding::percent_decode_str(&value).decode_utf8_lossy();
    let mut display: CodeDisplay = serde_json::from_str(&json).unwrap_or_default();
    display.tags.retain(|t| !t.trim().is_empty());
    display
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// The Ente CLI's Argon2 vector (cli/internal/crypto/crypto_test.go), which
    /// libsodium (PyNaCl) gives too.
    #[test]
    fn derives_the_ente_cli_key() {
        let salt = STANDARD.decode("vd0dcYMGNLKn/gpT6uTFTw==").unwrap();
        let kdf = KdfParams {
            mem_limit: 64 << 20,
            ops_limit: 2,
            salt: String::new(),
        };
        let key = derive_key("test_password", &salt, &kdf).unwrap();
        assert_eq!(
            STANDARD.encode(*key),
            "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0="
        );
    }

    #[test]
    fn accepts_every_cost_ente_writes_and_refuses_more() {
        // Ente's ladder keeps memory × passes at 1 GiB × 4 (crypto_util.dart).
        for (mib, ops) in [(1024, 4), (256, 16), (128, 32), (64, 64), (32, 128)] {
            assert_eq!(
                cost(mib << 20, ops).unwrap(),
                ((mib << 10) as u32, ops as u32)
            );
        }
        assert_eq!(cost(64 << 20, 2).unwrap(), (65536, 2));
        for (mem, ops) in [
            (2u64 << 30, 1),
            ((1 << 30) + 1024, 1),
            (256 << 20, 17),
            (8192, u64::MAX),
        ] {
            assert!(
                matches!(cost(mem, ops), Err(ImportError::Unsupported(_))),
                "{mem} {ops}"
            );
        }
        for (mem, ops) in [(1024, 2), (8191, 2), (64 << 20, 0), (0, 0)] {
            assert!(
                matches!(cost(mem, ops), Err(ImportError::Damaged(_))),
                "{mem} {ops}"
            );
        }
    }

    #[test]
    fn reads_tags_and_skips_only_what_is_unreadable() {
        let d = code_display(
            "otpauth://totp/A:b?secret=AA&codeDisplay=%7B%22tags%22%3A%5B%22My+tag%22%2C%22%22%5D%7D",
        );
        assert_eq!(d.tags, ["My tag"]);
        assert!(!d.trashed);
        for line in [
            "otpauth://totp/A:b",
            "otpauth://totp/A:b?codeDisplay=%7Bnot json",
            "x?codeDisplay=%FF",
        ] {
            let d = code_display(line);
            assert!(d.tags.is_empty() && !d.trashed, "{line}");
        }
    }
}
