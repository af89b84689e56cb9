//! Bitwarden's unencrypted vault export, JSON or CSV: the logins that carry a TOTP key.
//!
//! Sources: Bitwarden's export formats (help article "Condition a Bitwarden .csv or
//! .json"; the JSON is `{"encrypted": false, "folders": [..], "items": [{"type",
//! "name", "login": {"username", "totp", ..}}]}`, the CSV has `name`,
//! `login_username` and `login_totp` columns) and Aegis's fixtures (formats.md §4.2).
//! `login.totp` is an `otpauth://` link, Bitwarden's `steam://SECRET`, or a bare
//! base32 secret, which Bitwarden treats as TOTP-SHA1, 6 digits, 30 s. Items without a
//! TOTP key are not accounts and are passed over silently. When the link names no
//! issuer or account, the item's name and username fill them in; a Steam or bare key
//! has no label of its own, so the item's name becomes the issuer.
//!
//! Encrypted exports (password-protected or tied to the account's key) are refused
//! with a hint to export again unencrypted: their keys come from the Bitwarden account.
//!
//! Lost on import: everything that is not the TOTP key (passwords, URIs, notes,
//! folders); none of it belongs in an authenticator.

use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::Zeroizing;

use super::{Format, ImportError, Restored, Skipped};
use crate::otp::{Algorithm, Kind, OtpParams, Secret};
use crate::{Account, otpauth};

const FORMAT: &str = "a Bitwarden export";

pub(super) struct Bitwarden;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[serde(rename = "encrypted")]
    _encrypted: bool,
    items: Option<IgnoredAny>,
    password_protected: Option<IgnoredAny>,
    #[serde(rename = "encKeyValidation_DO_NOT_EDIT")]
    key_validation: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Export {
    encrypted: bool,
    #[serde(default)]
    items: Option<Vec<Item>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Item {
    name: Option<String>,
    login: Option<Login>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Login {
    username: Option<String>,
    totp: Option<Zeroizing<String>>,
}

impl Format for Bitwarden {
    fn id(&self) -> &'static str {
        "bitwarden"
    }

    fn name(&self) -> &'static str {
        "Bitwarden (unencrypted .json or .csv)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        if let Ok(p) = serde_json::from_slice::<Probe>(bytes) {
            return p.items.is_some()
                || p.password_protected.is_some()
                || p.key_validation.is_some();
        }
        std::str::from_utf8(bytes).is_ok_and(|t| csv_columns(t).is_some())
    }

    /// Encrypted exports are refused outright, so no password is ever asked for.
    fn encrypted(&self, _: &[u8]) -> bool {
        false
    }

    fn restore(&self, bytes: &[u8], _: Option<&str>) -> Result<Restored, ImportError> {
        let text = std::str::from_utf8(bytes).map_err(|_| ImportError::WrongFormat(FORMAT))?;
        if !text.trim_start().starts_with('{') {
            return restore_csv(text);
        }
        let export: Export = serde_json::from_slice(bytes).map_err(|e| {
            if e.is_data() {
                ImportError::WrongFormat(FORMAT)
            } else {
                ImportError::Damaged("it is cut short or is not JSON")
            }
        })?;
        if export.encrypted {
            return Err(ImportError::Unsupported(
                "an encrypted Bitwarden export; export it unencrypted".into(),
            ));
        }
        let mut out = Restored::default();
        for item in export.items.unwrap_or_default() {
            let login = item.login.unwrap_or_default();
            let totp = login.totp.as_ref().map_or("", |t| t.as_str());
            add(
                &mut out,
                item.name.as_deref().unwrap_or(""),
                login.username.as_deref().unwrap_or(""),
                totp,
            );
        }
        Ok(out)
    }
}

/// Adds the account an item's TOTP field describes, or a skipped entry; an empty field
/// is not an account and adds nothing.
fn add(out: &mut Restored, name: &str, username: &str, totp: &str) {
    let totp = totp.trim();
    if totp.is_empty() {
        return;
    }
    match account(name, username, totp) {
        Ok(a) => out.accounts.push(a),
        Err(reason) => out.skipped.push(Skipped {
            name: if name.is_empty() {
                "an unnamed item".into()
            } else {
                name.to_owned()
            },
            reason,
        }),
    }
}

fn account(name: &str, username: &str, totp: &str) -> Result<Account, String> {
    let scheme = totp.get(..10).unwrap_or(totp).to_ascii_lowercase();
    if scheme.starts_with("otpauth:") || scheme.starts_with("steam://") {
        let uri = otpauth::parse(totp).map_err(|e| e.to_string())?;
        let steam = scheme.starts_with("steam://");
        let issuer = if (steam || uri.issuer.is_empty()) && !name.is_empty() {
            name.to_owned()
        } else {
            uri.issuer
        };
        let account = if uri.account.is_empty() {
            username.to_owned()
        } else {
            uri.account
        };
        return Ok(Account::new(issuer, account, uri.otp, 0));
    }
    let secret = Secret::from_base32(totp).map_err(|e| e.to_string())?;
    let otp = OtpParams::new(Kind::Totp { period: 30 }, Algorithm::Sha1, 6, secret)
        .map_err(|e| e.to_string())?;
    Ok(Account::new(name, username, otp, 0))
}

/// The CSV export: a header naming the columns, then one login a row.
fn restore_csv(text: &str) -> Result<Restored, ImportError> {
    let (name, username, totp) = csv_columns(text).ok_or(ImportError::WrongFormat(FORMAT))?;
    let mut out = Restored::default();
    for row in records(text).iter().skip(1) {
        if row.iter().all(|f| f.is_empty()) {
            continue;
        }
        let field = |i: usize| unquote(row.get(i).copied().unwrap_or(""));
        add(&mut out, &field(name), &field(username), &field(totp));
    }
    Ok(out)
}

/// The positions of `name`, `login_username` and `login_totp` in the header row.
fn csv_columns(text: &str) -> Option<(usize, usize, usize)> {
    let header = text.lines().next()?;
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    let at = |n: &str| columns.iter().position(|c| *c == n);
    Some((at("name")?, at("login_username")?, at("login_totp")?))
}

/// Splits RFC 4180 CSV into rows of raw fields, borrowed from `text` (quoted fields keep
/// their quotes), so the passwords in other columns are never copied.
fn records(text: &str) -> Vec<Vec<&str>> {
    let bytes = text.as_bytes();
    let (mut rows, mut row, mut start, mut quoted) = (Vec::new(), Vec::new(), 0, false);
    let mut i = 0;
    while i < bytes.len() {
        match (quoted, bytes.get(i)) {
            (true, Some(b'"')) if bytes.get(i + 1) == Some(&b'"') => i += 1,
            (true, Some(b'"')) => quoted = false,
            (false, Some(b'"')) => quoted = true,
            (false, Some(b',')) => {
                row.push(text.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            (false, Some(b'\n')) => {
                let end = if i > start && bytes.get(i - 1) == Some(&b'\r') {
                    i - 1
                } else {
                    i
                };
                row.push(text.get(start..end).unwrap_or(""));
                rows.push(std::mem::take(&mut row));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        row.push(text.get(start..).unwrap_or(""));
        rows.push(row);
    }
    rows
}

/// A field's value: quotes removed and `""` turned back into `"`.
fn unquote(field: &str) -> Zeroizing<String> {
    let f = field.trim();
    match f.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(inner) => Zeroizing::new(inner.replace("\"\"", "\"")),
        None => Zeroizing::new(f.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_bare_secret_is_a_default_totp_named_after_the_item() {
        let file = br#"{"encrypted":false,"items":[
            {"type":1,"name":"Forge","login":{"username":"me","totp":"jbsw y3dp ehpk 3pxp"}},
            {"type":1,"name":"No key","login":{"username":"me","password":"p","totp":null}},
            {"type":2,"name":"A note"},
            {"type":1,"name":"Bad","login":{"totp":"not base32!"}}]}"#;
        assert!(Bitwarden.detect(file));
        let r = Bitwarden.restore(file, None).unwrap();
        assert_eq!(r.accounts.len(), 1);
        let a = &r.accounts[0];
        assert_eq!((a.issuer.as_str(), a.label.as_str()), ("Forge", "me"));
        assert_eq!(a.otp.kind(), Kind::Totp { period: 30 });
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].name, "Bad");
    }

    #[test]
    fn encrypted_exports_are_refused_with_a_hint() {
        for file in [
            r#"{"encrypted":true,"passwordProtected":true,"salt":"x","kdfType":0,"data":"2.x"}"#,
            r#"{"encrypted":true,"encKeyValidation_DO_NOT_EDIT":"2.x","items":[]}"#,
        ] {
            assert!(Bitwarden.detect(file.as_bytes()));
            assert_eq!(
                Bitwarden.restore(file.as_bytes(), None).unwrap_err(),
                ImportError::Unsupported(
                    "an encrypted Bitwarden export; export it unencrypted".into()
                )
            );
        }
    }

    #[test]
    fn csv_fields_may_be_quoted_and_hold_commas_and_newlines() {
        let csv = "folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\r\n\
            ,,login,\"Acme, Inc\",\"two\nlines\",,,\"a\"\"b\",\"p,w\",JBSWY3DPEHPK3PXP\r\n\
            ,,login,Plain,,,,,,\r\n";
        assert!(Bitwarden.detect(csv.as_bytes()));
        let r = Bitwarden.restore(csv.as_bytes(), None).unwrap();
        assert_eq!(r.accounts.len(), 1);
        assert_eq!(r.accounts[0].issuer, "Acme, Inc");
        assert_eq!(r.accounts[0].label, "a\"b");
    }
}
