//! A plain list of `otpauth://` links, one a line — what many apps export as "plain
//! text" (FreeOTP+'s URI list, Ente Auth's plain export, `latchkey export --format
//! uris`). Google Authenticator `otpauth-migration://` lines are read too. Blank lines
//! and `#` comments are ignored; a line that is not a valid link is skipped with the
//! reason. Spec: the Key URI format (formats.md §2). Lost: nothing the URI carries;
//! app-specific extras (Ente's `codeDisplay` notes, icons) are ignored.

use std::collections::{BTreeMap, BTreeSet};

use zeroize::Zeroizing;

use super::{Format, ImportError, Restored, Skipped, google};
use crate::{Account, otpauth};

pub(super) struct Uris;

/// The lines of `bytes` that hold links.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

impl Format for Uris {
    fn id(&self) -> &'static str {
        "uris"
    }

    fn name(&self) -> &'static str {
        "a list of otpauth:// links"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        let mut any = false;
        for (_, line) in lines(text) {
            let lower = line.get(..10).unwrap_or(line).to_ascii_lowercase();
            if !lower.starts_with("otpauth:") && !lower.starts_with("otpauth-mi") {
                return false;
            }
            any = true;
        }
        any
    }

    fn encrypted(&self, _: &[u8]) -> bool {
        false
    }

    fn restore(&self, bytes: &[u8], _: Option<&str>) -> Result<Restored, ImportError> {
        let text = Zeroizing::new(
            String::from_utf8(bytes.to_vec())
                .map_err(|_| ImportError::WrongFormat("a list of otpauth:// links"))?,
        );
        let mut out = Restored::default();
        // Google Authenticator transfers: batch id → (codes in the batch, codes seen).
        let mut batches: BTreeMap<i32, (u32, BTreeSet<u32>)> = BTreeMap::new();
        for (n, line) in lines(&text) {
            let name = format!("line {}", n + 1);
            if line.to_ascii_lowercase().starts_with("otpauth-migration:") {
                match google::parse_uri(line) {
                    Ok(batch) => {
                        let seen = batches.entry(batch.id).or_default();
                        seen.0 = batch.size;
                        seen.1.insert(batch.index);
                        out.accounts.extend(
                            batch
                                .accounts
                                .into_iter()
                                .map(|u| Account::new(u.issuer, u.account, u.otp, 0)),
                        );
                        out.skipped
                            .extend(batch.skipped.into_iter().map(|(name, why)| Skipped {
                                name,
                                reason: why.to_owned(),
                            }));
                    }
                    Err(e) => out.skipped.push(Skipped {
                        name,
                        reason: e.to_string(),
                    }),
                }
                continue;
            }
            match otpauth::parse(line) {
                Ok(u) => out
                    .accounts
                    .push(Account::new(u.issuer, u.account, u.otp, 0)),
                Err(e) => out.skipped.push(Skipped {
                    name,
                    reason: e.to_string(),
                }),
            }
        }
        for (size, seen) in batches.values() {
            for missing in (0..*size).filter(|i| !seen.contains(i)) {
                out.skipped.push(Skipped {
                    name: "Google Authenticator transfer".into(),
                    reason: format!(
                        "code {} of {} is not here: import every code the app shows",
                        missing + 1,
                        size
                    ),
                });
            }
        }
        if out.accounts.is_empty() && out.skipped.is_empty() {
            return Err(ImportError::WrongFormat("a list of otpauth:// links"));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::import::{self, preview};

    const LIST: &str = "# exported\n\
        otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n\
        \n\
        otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJQ&counter=5&issuer=Bank\n\
        otpauth://totp/Broken?secret=!!!\n\
        otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n";

    #[test]
    fn reads_links_skips_bad_lines_and_finds_duplicates() {
        let format = import::detect(LIST.as_bytes()).unwrap();
        assert_eq!(format.id(), "uris");
        assert!(!format.encrypted(LIST.as_bytes()));
        let restored = format.restore(LIST.as_bytes(), None).unwrap();
        assert_eq!(restored.accounts.len(), 3);
        assert_eq!(restored.skipped.len(), 1);
        assert_eq!(restored.skipped[0].name, "line 5");
        assert!(
            !restored.skipped[0].reason.contains("!!!"),
            "no secret in reasons"
        );

        let mut existing = Account::new("Bank", "me", restored.accounts[1].otp.clone(), 1);
        existing.label = "me, old".into();
        let p = preview(&[existing], restored);
        let new: Vec<_> = p.new.iter().map(|a| a.issuer.as_str()).collect();
        assert_eq!(
            new,
            ["GitHub"],
            "the second GitHub line is the same account"
        );
        assert_eq!(p.duplicates, ["Bank (me, old)", "GitHub (alice)"]);
        assert_eq!(p.skipped.len(), 1);
    }

    /// Code `index` of a Google Authenticator transfer of `size` codes (batch id 7),
    /// its protobuf written by hand: each code names its batch, index and size.
    fn migration(index: u8, size: u8, secret: &[u8]) -> String {
        use base64::Engine;
        // MigrationPayload { otp_parameters (1) { secret (1), name (2), issuer (3),
        // type (6) = TOTP }, batch_size (3), batch_index (4), batch_id (5) }.
        let mut otp = vec![0x0a, secret.len() as u8];
        otp.extend_from_slice(secret);
        otp.extend_from_slice(&[0x12, 1, b'a' + index, 0x1a, 1, b'X', 0x30, 2]);
        let mut payload = vec![0x0a, otp.len() as u8];
        payload.extend_from_slice(&otp);
        payload.extend_from_slice(&[0x18, size, 0x20, index, 0x28, 7]);
        let data = base64::engine::general_purpose::STANDARD.encode(payload);
        format!(
            "otpauth-migration://offline?data={}",
            data.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        )
    }

    #[test]
    fn a_google_transfer_missing_one_of_its_codes_says_which() {
        let both = format!(
            "{}\n{}\n",
            migration(0, 2, b"0123456789"),
            migration(1, 2, b"abcdefghij")
        );
        let restored = Uris.restore(both.as_bytes(), None).unwrap();
        assert_eq!(restored.accounts.len(), 2);
        assert!(restored.skipped.is_empty(), "{:?}", restored.skipped);

        let first = migration(0, 2, b"0123456789");
        let restored = Uris.restore(first.as_bytes(), None).unwrap();
        assert_eq!(restored.accounts.len(), 1);
        assert_eq!(
            restored.skipped,
            [Skipped {
                name: "Google Authenticator transfer".into(),
                reason: "code 2 of 2 is not here: import every code the app shows".into(),
            }]
        );
    }

    #[test]
    fn text_that_is_not_a_list_of_links_is_not_taken_for_one() {
        for text in ["", "hello\notpauth://totp/x?secret=JBSWY3DP", "{\"db\": 1}"] {
            assert!(!Uris.detect(text.as_bytes()), "{text:?}");
        }
        assert_eq!(
            Uris.restore(b"\n# nothing\n", None).unwrap_err(),
            ImportError::WrongFormat("a list of otpauth:// links")
        );
        assert!(import::detect(b"\xff\xfe").is_none());
    }
}
