//! An account in the vault, and how a person names one on the command line.

use uuid::Uuid;

use crate::otp::OtpParams;
use crate::recovery::RecoveryCodes;

/// One 2FA account: who issued it, whose it is, how to make its codes, its recovery codes.
///
/// There is deliberately no `Serialize`: only the vault's own encrypted body format
/// writes seeds, so nothing else can send one over IPC or into a log by accident.
#[derive(Debug)]
#[non_exhaustive]
pub struct Account {
    /// Stable random id.
    pub id: Uuid,
    /// The service, e.g. "GitHub"; may be empty.
    pub issuer: String,
    /// The account at that service, e.g. "alice@example.com".
    pub label: String,
    /// The code parameters and secret.
    pub otp: OtpParams,
    /// Unix seconds when added.
    pub created_at: i64,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// An icon reference (a brand name or a data URL); the vault does not interpret it.
    pub icon: Option<String>,
    /// The service's recovery codes for this account.
    pub recovery: RecoveryCodes,
}

impl Account {
    /// A new account with a fresh id and no recovery codes.
    pub fn new(
        issuer: impl Into<String>,
        label: impl Into<String>,
        otp: OtpParams,
        now: i64,
    ) -> Self {
        Self {
            id: Uuid::new_v4(),
            issuer: issuer.into(),
            label: label.into(),
            otp,
            created_at: now,
            tags: Vec::new(),
            icon: None,
            recovery: RecoveryCodes::default(),
        }
    }

    /// "Issuer (label)", or whichever of the two is present.
    pub fn display_name(&self) -> String {
        match (self.issuer.is_empty(), self.label.is_empty()) {
            (false, false) => format!("{} ({})", self.issuer, self.label),
            (false, true) => self.issuer.clone(),
            _ => self.label.clone(),
        }
    }

    /// The code to show now: for TOTP and Steam the one valid at `unix_time`; for HOTP
    /// the code at the stored counter, which then moves on (each HOTP code is used once).
    pub fn take_code(&mut self, unix_time: u64) -> crate::otp::Code {
        let code = self.otp.code_at(unix_time);
        if let crate::otp::Kind::Hotp { .. } = self.otp.kind() {
            self.otp.set_counter(code.counter().saturating_add(1));
        }
        code
    }

    /// True when this account has the same issuer (ignoring case) and the same secret.
    pub fn same_as(&self, issuer: &str, otp: &OtpParams) -> bool {
        self.issuer.eq_ignore_ascii_case(issuer) && self.otp.secret() == otp.secret()
    }
}

/// Why a query did not pick exactly one account.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// No account's "issuer:label" contains the query.
    #[error("no account matches \"{0}\"")]
    NotFound(String),
    /// Several accounts match; their display names are listed.
    #[error("\"{query}\" matches {} accounts: {}", .candidates.len(), .candidates.join(", "))]
    Ambiguous {
        /// What was asked.
        query: String,
        /// The accounts it matched.
        candidates: Vec<String>,
    },
}

/// Picks one account by a case-insensitive substring of "issuer:label" (ykman's rule),
/// so a query can name the issuer, the label, or both. When several match, an exact match of the issuer, the label or
/// "issuer:label" wins; otherwise the query is ambiguous.
pub fn select(accounts: &[Account], query: &str) -> Result<usize, QueryError> {
    let q = query.trim().to_lowercase();
    let hits: Vec<usize> = accounts
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            format!("{}:{}", a.issuer, a.label)
                .to_lowercase()
                .contains(&q)
        })
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [] => Err(QueryError::NotFound(query.to_string())),
        [one] => Ok(*one),
        many => {
            let exact: Vec<usize> = many
                .iter()
                .copied()
                .filter(|&i| {
                    let a = &accounts[i];
                    let full = format!("{}:{}", a.issuer, a.label).to_lowercase();
                    a.issuer.to_lowercase() == q || a.label.to_lowercase() == q || full == q
                })
                .collect();
            match exact.as_slice() {
                [one] => Ok(*one),
                _ => Err(QueryError::Ambiguous {
                    query: query.to_string(),
                    candidates: many.iter().map(|&i| accounts[i].display_name()).collect(),
                }),
            }
        }
    }
}
