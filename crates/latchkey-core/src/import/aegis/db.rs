//! The vault's contents (docs/vault.md, "Vault content"): `{"version", "entries",
//! "groups"}` to accounts. An entry that cannot become an account is skipped with the
//! reason; the others are still read.

use std::collections::HashMap;

use serde_json::Value;

use crate::Account;
use crate::import::{ImportError, Restored, Skipped};
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

/// The contents versions this reads: 1 (no groups), 2 (a group name per entry) and 3
/// (a group list, entries naming groups by uuid).
const VERSIONS: std::ops::RangeInclusive<u64> = 1..=3;

/// The accounts in decrypted (or plain) contents.
pub(super) fn restore(contents: &Value) -> Result<Restored, ImportError> {
    let version = contents
        .get("version")
        .and_then(Value::as_u64)
        .ok_or(ImportError::Damaged("the vault's contents have no version"))?;
    if !VERSIONS.contains(&version) {
        return Err(ImportError::Unsupported(format!(
            "Aegis vault contents version {version}"
        )));
    }
    let entries = contents
        .get("entries")
        .and_then(Value::as_array)
        .ok_or(ImportError::Damaged(
            "the vault's contents have no entry list",
        ))?;
    let groups: HashMap<&str, &str> = contents
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| Some((text(g, "uuid")?, text(g, "name")?)))
        .collect();

    let mut out = Restored::default();
    for (i, entry) in entries.iter().enumerate() {
        match account(entry, &groups) {
            Ok(a) => out.accounts.push(a),
            Err(reason) => out.skipped.push(Skipped {
                name: entry_name(entry, i),
                reason,
            }),
        }
    }
    Ok(out)
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// "Issuer: name" as Aegis shows an entry, or its position.
fn entry_name(entry: &Value, i: usize) -> String {
    match (text(entry, "issuer"), text(entry, "name")) {
        (Some(issuer), Some(name)) if !issuer.is_empty() && !name.is_empty() => {
            format!("{issuer}: {name}")
        }
        (Some(s), _) | (_, Some(s)) if !s.is_empty() => s.to_owned(),
        _ => format!("entry {}", i + 1),
    }
}

/// One entry. Fields an `otpauth://` URI may leave out (algorithm, digits, period)
/// default as there (SHA1, 6, 30); the secret and an HOTP counter must be present.
fn account(entry: &Value, groups: &HashMap<&str, &str>) -> Result<Account, String> {
    let kind = text(entry, "type").ok_or("it has no type")?;
    let info = entry
        .get("info")
        .filter(|i| i.is_object())
        .ok_or("it has no code parameters")?;
    let kind = match kind {
        "totp" => Kind::Totp {
            period: number(info, "period", 30)?,
        },
        "hotp" => Kind::Hotp {
            counter: info
                .get("counter")
                .ok_or("it has no counter")?
                .as_u64()
                .ok_or("its counter is not a whole number")?,
        },
        "steam" => Kind::Steam,
        "motp" => return Err("Latchkey does not make mOTP codes (MD5 with a PIN)".into()),
        "yandex" => return Err("Latchkey does not make Yandex codes (with a PIN)".into()),
        other => {
            let shown: String = other.chars().take(16).collect();
            return Err(format!("Latchkey does not know the code type \"{shown}\""));
        }
    };
    let algorithm = match text(info, "algo") {
        // Steam's algorithm is fixed (SHA1); OtpParams sets it.
        Some(name) if kind != Kind::Steam => Algorithm::parse(name).map_err(|e| e.to_string())?,
        _ => Algorithm::Sha1,
    };
    let digits = number(info, "digits", 6)?;
    let secret = text(info, "secret").ok_or("it has no secret")?;
    let secret = Secret::from_base32(secret).map_err(|e| e.to_string())?;
    let otp = OtpParams::new(kind, algorithm, digits, secret).map_err(|e| e.to_string())?;

    let issuer = text(entry, "issuer").unwrap_or_default();
    let name = text(entry, "name").unwrap_or_default();
    let mut account = Account::new(issuer, name, otp, 0);
    account.tags = tags(entry, groups);
    Ok(account)
}

/// A small whole-number field, or `default` when it is absent or null.
fn number<T: TryFrom<u64>>(info: &Value, key: &str, default: T) -> Result<T, String> {
    match info.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| format!("its {key} is not a small whole number")),
    }
}

/// Group names: from `groups` (uuids, v3) when the entry has that list, else from
/// the v2 `group` name, as Aegis decides. Unknown uuids are dropped, as Aegis does.
fn tags(entry: &Value, groups: &HashMap<&str, &str>) -> Vec<String> {
    let names: Vec<&str> = match entry.get("groups") {
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(|id| groups.get(id.as_str()?).copied())
            .collect(),
        _ => text(entry, "group").into_iter().collect(),
    };
    let mut tags: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if !name.is_empty() && !tags.iter().any(|t| t == name) {
            tags.push(name.to_owned());
        }
    }
    tags
}
