//! What crosses IPC to the UI: names, kinds and codes, never a seed (only
//! [`Secret`], which the person asks for explicitly).

use latchkey_core::Account;
use latchkey_core::otp::Kind;
use latchkey_core::recovery::RecoveryCodes;
use serde::Serialize;
use zeroize::Zeroizing;

/// The recovery codes of an account, counted.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RecoverySummary {
    pub total: usize,
    pub remaining: usize,
    pub low: bool,
}

/// One account as the list shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub issuer: String,
    pub label: String,
    pub kind: &'static str,
    pub digits: u8,
    pub period: u32,
    pub tags: Vec<String>,
    pub icon: Option<String>,
    pub recovery: Option<RecoverySummary>,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id.to_string(),
            issuer: a.issuer.clone(),
            label: a.label.clone(),
            kind: kind_name(a.otp.kind()),
            digits: a.otp.digits(),
            period: a.otp.period().unwrap_or(0),
            tags: a.tags.clone(),
            icon: a.icon.clone(),
            recovery: a.recovery.current().map(|set| RecoverySummary {
                total: set.codes().len(),
                remaining: set.remaining(),
                low: a.recovery.is_low(),
            }),
        }
    }
}

/// "totp", "hotp" or "steam".
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Hotp { .. } => "hotp",
        Kind::Steam => "steam",
        _ => "totp",
    }
}

/// The current and next code of a time-based account.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeView {
    pub id: String,
    pub code: String,
    pub next: String,
    pub period: u32,
    pub valid_until: u64,
}

/// Codes for every time-based account at `now` (HOTP accounts make theirs on demand).
pub fn codes(accounts: &[Account], now: u64) -> Vec<CodeView> {
    accounts
        .iter()
        .filter_map(|a| {
            let period = a.otp.period()?;
            let code = a.otp.code_at(now);
            let (_, until) = code.valid_window()?;
            Some(CodeView {
                id: a.id.to_string(),
                code: code.value().to_string(),
                next: a.otp.code_at(until).value().to_string(),
                period,
                valid_until: until,
            })
        })
        .collect()
}

/// One recovery code and when it was used.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodeView {
    pub code: String,
    pub used_at: Option<i64>,
}

/// An account's current recovery codes (they are what the panel is for).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryView {
    pub codes: Vec<RecoveryCodeView>,
    pub total: usize,
    pub remaining: usize,
    pub low: bool,
    pub added_at: Option<i64>,
}

impl From<&RecoveryCodes> for RecoveryView {
    fn from(r: &RecoveryCodes) -> Self {
        let set = r.current();
        Self {
            codes: set
                .map(|s| {
                    s.codes()
                        .iter()
                        .map(|c| RecoveryCodeView {
                            code: c.code().to_string(),
                            used_at: c.used_at(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            total: set.map_or(0, |s| s.codes().len()),
            remaining: r.remaining(),
            low: r.is_low(),
            added_at: set.map(|s| s.added_at()),
        }
    }
}

/// A seed shown on request: base32 and the `otpauth://` link. Zeroized when dropped
/// after serialising.
#[derive(Serialize)]
pub struct Secret {
    pub secret: Zeroizing<String>,
    pub uri: Zeroizing<String>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where the vault is and how it is protected.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultInfo {
    pub path: String,
    pub has_password: bool,
    pub has_keychain: bool,
    pub accounts: usize,
}

/// What a copy did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Copied {
    pub clears_in_seconds: u32,
}

/// The lock state the UI starts from.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum LockState {
    Unlocked,
    /// `password`: whether a password is needed (else Unlock uses the keychain).
    /// `security_key`: a security key can unlock it too; `key_only`: nothing else can
    /// now (no password, and the keychain cannot).
    #[serde(rename_all = "camelCase")]
    Locked {
        reason: String,
        password: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        security_key: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        key_only: bool,
    },
    Setup {
        reason: String,
    },
}

impl LockState {
    /// The unlock screen for a vault with these `slots`, `keychain_opens` saying
    /// whether the keychain can open it now.
    pub fn locked(
        reason: String,
        slots: &[latchkey_core::vault::Slot],
        has_password: bool,
        keychain_opens: bool,
    ) -> Self {
        let security_key = !latchkey_core::vault::fido2_slots(slots).is_empty();
        let key_only = security_key && !has_password && !keychain_opens;
        LockState::Locked {
            reason,
            password: !keychain_opens && !key_only,
            security_key,
            key_only,
        }
    }
}
