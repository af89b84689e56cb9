//! Recovery codes: the single-use backup codes a website hands out when two-factor
//! sign-in is set up, kept offline per account.
//!
//! Codes arrive as pasted text or a downloaded file ([`parse`]), become the account's
//! current [`RecoverySet`] ([`RecoveryCodes::replace`]), and are crossed off one by one
//! ([`RecoveryCodes::use_code`]). When a site issues a new set, the old one is kept as
//! superseded history rather than deleted, so the user can still see what they had.
//!
//! Codes are shown as the site printed them (`a1b2c-3d4e5`, `1234 5678`) but compared in
//! a normalised form: lower case, without spaces or dashes. Every code lives in a
//! [`Zeroizing`] buffer, `Debug` output never shows one, and no error message holds one.
//! Times are Unix seconds passed in by the caller; nothing here reads the clock.
//!
//! ```
//! use latchkey_core::recovery::{self, RecoveryCodes, RecoveryError};
//!
//! let text = "GitHub recovery codes\n1. a1b2c-3d4e5\n2. f6a7b-8c9d0\n3. 0a1b2-c3d4e\n";
//! let parsed = recovery::parse(text).unwrap();
//! assert_eq!(parsed.ignored_lines, [1]);
//!
//! let mut codes = RecoveryCodes::default();
//! codes.replace(parsed, 1_700_000_000);
//! assert_eq!(codes.remaining(), 3);
//!
//! let used = codes.use_code(Some("A1B2C 3D4E5"), 1_700_000_100).unwrap();
//! assert_eq!(used.code(), "a1b2c-3d4e5");
//! assert!(matches!(
//!     codes.use_code(Some("a1b2c-3d4e5"), 1_700_000_200),
//!     Err(RecoveryError::AlreadyUsed { used_at: 1_700_000_100 })
//! ));
//! assert!(codes.is_low()); // 2 left
//! ```

mod parse;
pub mod sheet;
#[cfg(test)]
mod tests;

pub use parse::{Parsed, parse};

use std::fmt;

use zeroize::Zeroizing;

/// [`RecoveryCodes::is_low`] warns when this many unused codes or fewer remain.
pub const LOW_THRESHOLD: usize = 2;

/// Errors in reading or using recovery codes. No message contains a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecoveryError {
    /// The text held nothing that looks like a recovery code.
    #[error("no recovery codes were found in the text")]
    NoCodes,
    /// The account has no recovery codes saved.
    #[error("this account has no recovery codes saved")]
    NoCurrentSet,
    /// The code to use was empty once spaces and dashes were removed.
    #[error("no recovery code was given")]
    EmptyCode,
    /// The code is not in the account's current set (it may belong to a replaced set).
    #[error("that code is not one of this account's current recovery codes")]
    NotFound,
    /// The code was already used, at `used_at` (Unix seconds).
    #[error("that recovery code has already been used")]
    AlreadyUsed {
        /// When the code was first used, in Unix seconds.
        used_at: i64,
    },
    /// Every code in the current set has been used.
    #[error("every recovery code in the current set has been used")]
    AllUsed,
}

/// One single-use code, as the site showed it, and when it was used.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode {
    code: Zeroizing<String>,
    used_at: Option<i64>,
}

impl RecoveryCode {
    /// Rebuilds a code from storage; the vault loader's constructor.
    pub fn restore(code: String, used_at: Option<i64>) -> Self {
        Self {
            code: Zeroizing::new(code),
            used_at,
        }
    }

    /// The code as the site showed it, for display.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// When the code was used, in Unix seconds; `None` while unused.
    pub fn used_at(&self) -> Option<i64> {
        self.used_at
    }

    /// True once the code has been used.
    pub fn is_used(&self) -> bool {
        self.used_at.is_some()
    }

    /// True when `normalised` (see [`parse::normalise`]) is this code.
    fn matches(&self, normalised: &str) -> bool {
        *parse::normalise(&self.code) == *normalised
    }
}

/// The codes a site issued together, in the order it listed them.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoverySet {
    added_at: i64,
    superseded_at: Option<i64>,
    codes: Vec<RecoveryCode>,
}

impl RecoverySet {
    /// Rebuilds a set from storage; the vault loader's constructor.
    pub fn restore(added_at: i64, superseded_at: Option<i64>, codes: Vec<RecoveryCode>) -> Self {
        Self {
            added_at,
            superseded_at,
            codes,
        }
    }

    /// When the set was added to the vault, in Unix seconds.
    pub fn added_at(&self) -> i64 {
        self.added_at
    }

    /// When a newer set replaced this one, in Unix seconds; `None` for the current set.
    pub fn superseded_at(&self) -> Option<i64> {
        self.superseded_at
    }

    /// All codes, used and unused, in their original order.
    pub fn codes(&self) -> &[RecoveryCode] {
        &self.codes
    }

    /// How many codes are still unused.
    pub fn remaining(&self) -> usize {
        self.codes.iter().filter(|c| !c.is_used()).count()
    }
}

/// One account's recovery codes: the set in use and the sets it replaced.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RecoveryCodes {
    current: Option<RecoverySet>,
    superseded: Vec<RecoverySet>,
}

impl RecoveryCodes {
    /// Rebuilds an account's codes from storage; the vault loader's constructor.
    pub fn restore(current: Option<RecoverySet>, superseded: Vec<RecoverySet>) -> Self {
        Self {
            current,
            superseded,
        }
    }

    /// The set in use, if any.
    pub fn current(&self) -> Option<&RecoverySet> {
        self.current.as_ref()
    }

    /// Replaced sets, oldest first. Their codes can no longer be used.
    pub fn superseded(&self) -> &[RecoverySet] {
        &self.superseded
    }

    /// Makes `parsed` the current set, added at `now`; the previous current set, if
    /// any, moves to the end of [`superseded`](Self::superseded) with
    /// `superseded_at = now`. Sites invalidate old codes when they issue new ones, so
    /// the old set is history only.
    pub fn replace(&mut self, parsed: Parsed, now: i64) {
        let codes = parsed.codes.into_iter().map(|code| RecoveryCode {
            code,
            used_at: None,
        });
        let new = RecoverySet {
            added_at: now,
            superseded_at: None,
            codes: codes.collect(),
        };
        if let Some(mut old) = self.current.replace(new) {
            old.superseded_at = Some(now);
            self.superseded.push(old);
        }
    }

    /// Marks a code of the current set as used at `now` and returns it.
    ///
    /// With `None`, takes the first unused code in the site's order. With `Some`, the
    /// given code is matched ignoring case, spaces and dashes. Codes of superseded sets
    /// are not found: the site no longer accepts them.
    ///
    /// # Errors
    ///
    /// [`NoCurrentSet`](RecoveryError::NoCurrentSet) without a current set;
    /// [`AllUsed`](RecoveryError::AllUsed) when `None` finds no unused code;
    /// [`EmptyCode`](RecoveryError::EmptyCode), [`NotFound`](RecoveryError::NotFound) or
    /// [`AlreadyUsed`](RecoveryError::AlreadyUsed) for a given code. Nothing changes on error.
    pub fn use_code(
        &mut self,
        code: Option<&str>,
        now: i64,
    ) -> Result<&RecoveryCode, RecoveryError> {
        let set = self.current.as_mut().ok_or(RecoveryError::NoCurrentSet)?;
        let found = match code {
            None => set
                .codes
                .iter_mut()
                .find(|c| !c.is_used())
                .ok_or(RecoveryError::AllUsed)?,
            Some(code) => {
                let wanted = parse::normalise(code);
                if wanted.is_empty() {
                    return Err(RecoveryError::EmptyCode);
                }
                let found = set.codes.iter_mut().find(|c| c.matches(&wanted));
                let found = found.ok_or(RecoveryError::NotFound)?;
                if let Some(used_at) = found.used_at {
                    return Err(RecoveryError::AlreadyUsed { used_at });
                }
                found
            }
        };
        found.used_at = Some(now);
        Ok(found)
    }

    /// Unused codes in the current set; 0 when there is none.
    pub fn remaining(&self) -> usize {
        self.current.as_ref().map_or(0, RecoverySet::remaining)
    }

    /// True when a current set exists and [`LOW_THRESHOLD`] or fewer of its codes remain:
    /// time to ask the site for new ones.
    pub fn is_low(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|set| set.remaining() <= LOW_THRESHOLD)
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveryCode")
            .field("code", &format_args!("[REDACTED]"))
            .field("used_at", &self.used_at)
            .finish()
    }
}

impl fmt::Debug for RecoverySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoverySet")
            .field("added_at", &self.added_at)
            .field("superseded_at", &self.superseded_at)
            .field("codes", &self.codes.len())
            .field("remaining", &self.remaining())
            .finish()
    }
}

impl fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveryCodes")
            .field("current", &self.current)
            .field("superseded", &self.superseded)
            .finish()
    }
}
