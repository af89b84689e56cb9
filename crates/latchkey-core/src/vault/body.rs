//! The decrypted body: JSON records of the accounts. Only this module serialises seeds.
//!
//! Seeds and recovery codes go through [`ZeroizingWriter`] on the way out and are
//! decoded straight from the (zeroizing) plaintext buffer on the way in, so no
//! unzeroized copy is left behind in freed memory.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::VaultError;
use crate::account::Account;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};
use crate::recovery::{RecoveryCode, RecoveryCodes, RecoverySet};

#[derive(Serialize, Deserialize)]
pub(crate) struct Body {
    pub saved_at: i64,
    pub accounts: Vec<AccountRec>,
    /// The platform authenticator's passkeys (added after the first release of v1:
    /// absent in older files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passkeys: Vec<super::passkey_recs::PasskeyRec>,
    /// Linked account services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<super::passkey_recs::ServiceRec>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct AccountRec {
    id: Uuid,
    issuer: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    algorithm: String,
    digits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    secret: SecretField,
    created_at: i64,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    icon: Option<String>,
    #[serde(default)]
    recovery: Option<SetRec>,
    #[serde(default)]
    recovery_history: Vec<SetRec>,
}

#[derive(Serialize, Deserialize)]
struct SetRec {
    added_at: i64,
    #[serde(default)]
    superseded_at: Option<i64>,
    codes: Vec<CodeRec>,
}

#[derive(Serialize, Deserialize)]
struct CodeRec {
    code: TextField,
    #[serde(default)]
    used_at: Option<i64>,
}

impl From<&Account> for AccountRec {
    fn from(a: &Account) -> Self {
        let (kind, period, counter) = match a.otp.kind() {
            Kind::Totp { period } => ("totp", Some(period), None),
            Kind::Hotp { counter } => ("hotp", None, Some(counter)),
            Kind::Steam => ("steam", None, None),
        };
        Self {
            id: a.id,
            issuer: a.issuer.clone(),
            label: a.label.clone(),
            kind: kind.into(),
            algorithm: a.otp.algorithm().as_str().into(),
            digits: a.otp.digits(),
            period,
            counter,
            secret: SecretField(a.otp.secret().clone()),
            created_at: a.created_at,
            tags: a.tags.clone(),
            icon: a.icon.clone(),
            recovery: a.recovery.current().map(SetRec::from),
            recovery_history: a.recovery.superseded().iter().map(SetRec::from).collect(),
        }
    }
}

impl From<&RecoverySet> for SetRec {
    fn from(s: &RecoverySet) -> Self {
        Self {
            added_at: s.added_at(),
            superseded_at: s.superseded_at(),
            codes: s
                .codes()
                .iter()
                .map(|c| CodeRec {
                    code: TextField(Zeroizing::new(c.code().to_string())),
                    used_at: c.used_at(),
                })
                .collect(),
        }
    }
}

impl SetRec {
    fn into_set(self) -> RecoverySet {
        let codes = self
            .codes
            .into_iter()
            .map(|mut c| RecoveryCode::restore(std::mem::take(&mut *c.code.0), c.used_at))
            .collect();
        RecoverySet::restore(self.added_at, self.superseded_at, codes)
    }
}

impl AccountRec {
    pub fn into_account(self) -> Result<Account, VaultError> {
        let kind = match (self.kind.as_str(), self.period, self.counter) {
            ("totp", Some(period), _) => Kind::Totp { period },
            ("hotp", _, Some(counter)) => Kind::Hotp { counter },
            ("steam", _, _) => Kind::Steam,
            _ => return Err(VaultError::Corrupt("an account record has an unknown type")),
        };
        let algorithm = Algorithm::parse(&self.algorithm)
            .map_err(|_| VaultError::Corrupt("an account record has an unknown algorithm"))?;
        let otp = OtpParams::new(kind, algorithm, self.digits, self.secret.0)
            .map_err(|_| VaultError::Corrupt("an account record has invalid code parameters"))?;
        let mut account = Account::new(self.issuer, self.label, otp, self.created_at);
        account.id = self.id;
        account.tags = self.tags;
        account.icon = self.icon;
        account.recovery = RecoveryCodes::restore(
            self.recovery.map(SetRec::into_set),
            self.recovery_history
                .into_iter()
                .map(SetRec::into_set)
                .collect(),
        );
        Ok(account)
    }
}

/// A seed, stored as canonical base32.
struct SecretField(Secret);

impl Serialize for SecretField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_base32())
    }
}

impl<'de> Deserialize<'de> for SecretField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SecretField;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a base32 secret")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SecretField, E> {
                Secret::from_base32(v)
                    .map(SecretField)
                    .map_err(|_| E::custom("invalid secret"))
            }
        }
        d.deserialize_str(V)
    }
}

/// A secret text (recovery code, token) that is wiped when dropped.
pub(super) struct TextField(pub(super) Zeroizing<String>);

impl Serialize for TextField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TextField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TextField;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextField, E> {
                Ok(TextField(Zeroizing::new(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A growable buffer that wipes every allocation it lets go of.
pub(crate) struct ZeroizingWriter(pub Zeroizing<Vec<u8>>);

impl ZeroizingWriter {
    pub fn with_capacity(n: usize) -> Self {
        Self(Zeroizing::new(Vec::with_capacity(n)))
    }
}

impl std::io::Write for ZeroizingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let need = self.0.len() + buf.len();
        if need > self.0.capacity() {
            let mut bigger = Vec::with_capacity(need.max(self.0.capacity() * 2));
            bigger.extend_from_slice(&self.0);
            // The old allocation is zeroized (whole capacity) when replaced.
            self.0 = Zeroizing::new(bigger);
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
