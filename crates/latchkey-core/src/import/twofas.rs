//! 2FAS Authenticator backups (`.2fas`, JSON), plain and password-protected, schema
//! versions 1 to 4.
//!
//! Sources: 2FAS's own backup model and cipher (twofas/2fas-android:
//! `BackupContent.kt`, `BackupCipherImpl.kt`, `BackupKeyGeneratorPbkdf.kt`) and the
//! fixtures of Aegis's importer tests; summarised in formats.md §5.2. A backup is
//! `{"schemaVersion", "services": [...], "groups": [{id, name}], …}`; each service has
//! `name`, `secret` (base32) and `otp {account, issuer, label, digits, period,
//! algorithm, counter, tokenType}`. Schema 1 and 2 backups have no `tokenType` and are
//! TOTP. In a protected backup `services` is empty and `servicesEncrypted` is
//! `b64(ciphertext ‖ tag):b64(salt):b64(iv)` — AES-256-GCM under PBKDF2-HMAC-SHA256
//! (10,000 iterations, 256-byte salt) — of the services array; `reference` is a known
//! text sealed the same way, which tells a wrong password from a damaged file.
//!
//! Lost on import: icons and badge colours (2FAS's own icon collection), the order,
//! and the original `otpauth://` link (its fields are all kept). A service's group
//! becomes its tag.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::Zeroizing;

use super::sealed::{self, Prf};
use super::{Format, ImportError, Restored, Skipped};
use crate::Account;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

const FORMAT: &str = "a 2FAS backup";
/// The newest schema this reader knows.
const NEWEST_SCHEMA: u64 = 4;
/// 2FAS's fixed PBKDF2 iteration count (the file does not carry one).
const ITERATIONS: u32 = 10_000;

pub(super) struct TwoFas;

/// Just enough of the top level to recognise a backup.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[serde(rename = "schemaVersion")]
    _schema_version: u64,
    services: Option<IgnoredAny>,
    services_encrypted: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Backup {
    schema_version: u64,
    #[serde(default)]
    services: Option<Vec<Service>>,
    #[serde(default)]
    groups: Option<Vec<Group>>,
    services_encrypted: Option<String>,
    reference: Option<String>,
}

#[derive(Deserialize)]
struct Group {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Service {
    name: Option<String>,
    secret: Option<Zeroizing<String>>,
    otp: Option<Otp>,
    group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Otp {
    account: Option<String>,
    issuer: Option<String>,
    label: Option<String>,
    digits: Option<u64>,
    period: Option<u64>,
    algorithm: Option<String>,
    counter: Option<u64>,
    token_type: Option<String>,
}

impl Format for TwoFas {
    fn id(&self) -> &'static str {
        "2fas"
    }

    fn name(&self) -> &'static str {
        "2FAS Authenticator (.2fas)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        serde_json::from_slice::<Probe>(bytes)
            .is_ok_and(|p| p.services.is_some() || p.services_encrypted.is_some())
    }

    fn encrypted(&self, bytes: &[u8]) -> bool {
        serde_json::from_slice::<Probe>(bytes).is_ok_and(|p| p.services_encrypted.is_some())
    }

    fn restore(&self, bytes: &[u8], password: Option<&str>) -> Result<Restored, ImportError> {
        let backup: Backup = serde_json::from_slice(bytes).map_err(|e| {
            if e.is_data() {
                ImportError::WrongFormat(FORMAT)
            } else {
                ImportError::Damaged("it is cut short or is not JSON")
            }
        })?;
        if backup.schema_version > NEWEST_SCHEMA {
            return Err(ImportError::Unsupported(format!(
                "2FAS backup schema {} (Latchkey reads 1 to {NEWEST_SCHEMA})",
                backup.schema_version
            )));
        }
        let services = match &backup.services_encrypted {
            None => backup.services.unwrap_or_default(),
            Some(sealed) => {
                let password = password.ok_or(ImportError::NeedsPassword)?;
                decrypt(sealed, backup.reference.as_deref(), password)?
            }
        };
        let groups: HashMap<String, String> = backup
            .groups
            .unwrap_or_default()
            .into_iter()
            .filter_map(|g| Some((g.id?, g.name?)))
            .collect();
        let mut out = Restored::default();
        for (n, service) in services.into_iter().enumerate() {
            match account(&service, &groups) {
                Ok(a) => out.accounts.push(a),
                Err(reason) => out.skipped.push(Skipped {
                    name: service
                        .name
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("entry {}", n + 1)),
                    reason,
                }),
            }
        }
        Ok(out)
    }
}

/// Checks the password on `reference` (when there is one), then opens the services.
fn decrypt(
    services: &str,
    reference: Option<&str>,
    password: &str,
) -> Result<Vec<Service>, ImportError> {
    if let Some(reference) = reference {
        open_part(reference, password)?.ok_or(ImportError::WrongPassword)?;
    }
    let plain = open_part(services, password)?.ok_or(if reference.is_some() {
        // The password opened the check value, so the accounts themselves are damaged.
        ImportError::Damaged("its encrypted accounts do not verify")
    } else {
        ImportError::WrongPassword
    })?;
    serde_json::from_slice(&plain)
        .map_err(|_| ImportError::Damaged("its decrypted accounts are not a list of services"))
}

/// Opens one `b64(ciphertext ‖ tag):b64(salt):b64(iv)` part; `Ok(None)` when the
/// password does not open it.
fn open_part(part: &str, password: &str) -> Result<Option<Zeroizing<Vec<u8>>>, ImportError> {
    let mut fields = part.split(':');
    let (Some(sealed), Some(salt), Some(iv), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(ImportError::Damaged(
            "its encrypted part is not ciphertext:salt:iv",
        ));
    };
    let b64 = |s: &str| {
        STANDARD
            .decode(s)
            .map_err(|_| ImportError::Damaged("its encrypted part is not base64"))
    };
    let (sealed, salt, iv) = (b64(sealed)?, b64(salt)?, b64(iv)?);
    if salt.is_empty() || iv.len() != 12 || sealed.len() < 16 {
        return Err(ImportError::Damaged(
            "its encrypted part has a wrong-sized salt, iv or tag",
        ));
    }
    let key = sealed::derive(Prf::Sha256, password.as_bytes(), &salt, ITERATIONS)
        .ok_or(ImportError::Damaged("its key derivation failed"))?;
    Ok(sealed::open(&key, &iv, &sealed))
}

/// One service as an account, or why not (never quoting the secret).
fn account(service: &Service, groups: &HashMap<String, String>) -> Result<Account, String> {
    let otp = service.otp.as_ref();
    let field = |f: fn(&Otp) -> Option<&String>| otp.and_then(f).cloned().unwrap_or_default();
    let mut issuer = service.name.clone().unwrap_or_default();
    if issuer.is_empty() {
        issuer = field(|o| o.issuer.as_ref());
    }
    let mut label = field(|o| o.account.as_ref());
    if label.is_empty() {
        // Schema 1 and 2 labels are "Issuer:account".
        let full = field(|o| o.label.as_ref());
        label = match full.split_once(':') {
            Some((_, acct)) => acct.trim().to_owned(),
            None => full,
        };
    }
    let secret = Secret::from_base32(service.secret.as_ref().map_or("", |s| s.as_str()))
        .map_err(|e| e.to_string())?;
    let algorithm = match otp.and_then(|o| o.algorithm.as_deref()) {
        None | Some("") => Algorithm::Sha1,
        Some(name) => Algorithm::parse(name).map_err(|e| e.to_string())?,
    };
    let digits = otp.and_then(|o| o.digits).unwrap_or(6);
    let digits = u8::try_from(digits).map_err(|_| format!("{digits} digits is not supported"))?;
    let kind = match otp.and_then(|o| o.token_type.as_deref()) {
        None | Some("TOTP") => {
            let period = otp.and_then(|o| o.period).unwrap_or(30);
            let period = u32::try_from(period)
                .map_err(|_| format!("a period of {period} s is not supported"))?;
            Kind::Totp { period }
        }
        Some("HOTP") => Kind::Hotp {
            counter: otp.and_then(|o| o.counter).unwrap_or(0),
        },
        Some("STEAM") => Kind::Steam,
        Some(other) => {
            let shown: String = other.chars().take(16).collect();
            return Err(format!("the token type {shown:?} is not supported"));
        }
    };
    let otp = OtpParams::new(kind, algorithm, digits, secret).map_err(|e| e.to_string())?;
    let mut account = Account::new(issuer, label, otp, 0);
    if let Some(group) = service.group_id.as_ref().and_then(|id| groups.get(id)) {
        account.tags.push(group.clone());
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_service_in_a_group_is_tagged_and_an_unknown_type_is_skipped() {
        let file = br#"{"schemaVersion":4,"groups":[{"id":"g1","name":"Work"}],"services":[
            {"name":"GitHub","secret":"JBSWY3DPEHPK3PXP","groupId":"g1",
             "otp":{"account":"alice","tokenType":"TOTP","digits":6,"period":30}},
            {"name":"Odd","secret":"JBSWY3DPEHPK3PXP","otp":{"tokenType":"YANDEX"}},
            {"secret":"JBSWY3DPEHPK3PXP","otp":{"label":"Bank:me"}}]}"#;
        assert!(TwoFas.detect(file));
        assert!(!TwoFas.encrypted(file));
        let r = TwoFas.restore(file, None).unwrap();
        assert_eq!(r.accounts.len(), 2);
        assert_eq!(r.accounts[0].tags, ["Work"]);
        assert_eq!(
            (r.accounts[1].issuer.as_str(), r.accounts[1].label.as_str()),
            ("", "me")
        );
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].name, "Odd");
    }

    #[test]
    fn a_newer_schema_is_unsupported() {
        let file = br#"{"schemaVersion":5,"services":[]}"#;
        assert!(matches!(
            TwoFas.restore(file, None),
            Err(ImportError::Unsupported(_))
        ));
    }

    #[test]
    fn a_malformed_encrypted_part_is_damaged_not_a_panic() {
        for part in ["", "a:b", "a:b:c:d", "!!:AA==:AA==", "AAAA:AAAA:AAAA"] {
            let file =
                format!(r#"{{"schemaVersion":4,"services":[],"servicesEncrypted":"{part}"}}"#);
            assert!(TwoFas.encrypted(file.as_bytes()));
            let err = TwoFas.restore(file.as_bytes(), Some("test")).unwrap_err();
            assert!(matches!(err, ImportError::Damaged(_)), "{part}: {err:?}");
        }
    }
}
