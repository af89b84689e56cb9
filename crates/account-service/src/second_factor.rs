//! Checking a second factor (a TOTP code, a recovery code or a passkey assertion), with
//! the replay and lockout rules that apply wherever one is asked for: signing in and
//! turning 2FA off.
//!
//! - **TOTP replay.** A code is accepted only if its time step is later than the last
//!   step this user had accepted (`users.totp_last_step`): each (user, step) works once,
//!   and an older code from the skew window cannot follow a newer one.
//! - **Lockout, per user.** [`MAX_FAILURES`] wrong codes in a row lock the user's second
//!   factor for [`LOCKOUT_SECONDS`]: every check answers 429 with `Retry-After` until
//!   then, even with the right code. The count is the user's, not the sign-in attempt's,
//!   because a fresh attempt costs an attacker who has the password nothing; the cost is
//!   that such an attacker can keep the real user's second factor locked, which is
//!   visible and safer than letting them guess. A right code resets the count. A passkey
//!   assertion that does not verify counts as a wrong code.
//! - **Passkey replay.** Each assertion answers a challenge kept server-side, which the
//!   first attempt spends (see `passkey`).
//!
//! Each check runs inside the caller's write transaction, so the lock, the code and the
//! counter are read and written atomically.

use rusqlite::{OptionalExtension, Transaction, params};

use webauthn_rs::prelude::{PublicKeyCredential, Webauthn};

use crate::error::ApiError;
use crate::keys::ServerKey;

/// Wrong codes in a row before the lock.
pub(crate) const MAX_FAILURES: i64 = 5;
/// How long the lock lasts.
pub(crate) const LOCKOUT_SECONDS: i64 = 300;

/// A second factor as the client sent it.
pub(crate) enum Factor {
    Totp(String),
    RecoveryCode(String),
    /// A WebAuthn assertion answering the challenge kept under `challenge` (the SHA-256
    /// of the sign-in's MFA token).
    Passkey {
        response: Box<PublicKeyCredential>,
        challenge: [u8; 32],
    },
}

impl Factor {
    /// Exactly one of the two fields must be given.
    pub(crate) fn from_fields(
        totp_code: Option<String>,
        recovery_code: Option<String>,
    ) -> Result<Self, ApiError> {
        match (totp_code, recovery_code) {
            (Some(code), None) => Ok(Self::Totp(code)),
            (None, Some(code)) => Ok(Self::RecoveryCode(code)),
            _ => Err(ApiError::bad_request(
                "missing_code",
                "Send exactly one of totp_code or recovery_code.",
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Accepted,
    Rejected,
    LockedOut { retry_after: i64 },
}

/// Checks `factor` for `user_id` at `now`, recording the result (used step or code,
/// failure count, lock). Commit the transaction whatever the outcome.
pub(crate) fn check(
    tx: &Transaction<'_>,
    keys: &ServerKey,
    webauthn: &Webauthn,
    user_id: &str,
    factor: &Factor,
    now: i64,
) -> Result<Outcome, ApiError> {
    let (failures, locked_until): (i64, Option<i64>) = tx.query_row(
        "SELECT mfa_failures, mfa_locked_until FROM users WHERE id = ?1",
        params![user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some(until) = locked_until.filter(|until| *until > now) {
        return Ok(Outcome::LockedOut {
            retry_after: until - now,
        });
    }
    let right = match factor {
        Factor::Totp(code) => use_totp_code(tx, keys, user_id, code, now)?,
        Factor::RecoveryCode(code) => crate::recovery::consume(tx, keys, user_id, code, now)?,
        Factor::Passkey {
            response,
            challenge,
        } => crate::passkey::verify_assertion(tx, webauthn, user_id, challenge, response, now)?,
    };
    if right {
        tx.execute(
            "UPDATE users SET mfa_failures = 0, mfa_locked_until = NULL WHERE id = ?1",
            params![user_id],
        )?;
        return Ok(Outcome::Accepted);
    }
    let failures = failures + 1;
    if failures >= MAX_FAILURES {
        let until = now + LOCKOUT_SECONDS;
        tx.execute(
            "UPDATE users SET mfa_failures = 0, mfa_locked_until = ?2 WHERE id = ?1",
            params![user_id, until],
        )?;
        tracing::warn!(user_id, "second factor locked after repeated wrong codes");
        return Ok(Outcome::LockedOut {
            retry_after: LOCKOUT_SECONDS,
        });
    }
    tx.execute(
        "UPDATE users SET mfa_failures = ?2 WHERE id = ?1",
        params![user_id, failures],
    )?;
    Ok(Outcome::Rejected)
}

/// True if `code` is right for the user's active TOTP secret at a step later than the
/// last accepted one; that step becomes the last accepted one.
fn use_totp_code(
    tx: &Transaction<'_>,
    keys: &ServerKey,
    user_id: &str,
    code: &str,
    now: i64,
) -> Result<bool, ApiError> {
    let row: Option<(Option<Vec<u8>>, Option<i64>)> = tx
        .query_row(
            "SELECT totp_secret, totp_last_step FROM users WHERE id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((Some(sealed), last_step)) = row else {
        return Ok(false);
    };
    let secret = open_secret(keys, user_id, &sealed)?;
    accept_step(tx, user_id, &secret, code, last_step, now)
}

/// The shared tail of TOTP checks (sign-in, disable, confirm): match the code, refuse a
/// step at or before `last_step`, record the step.
pub(crate) fn accept_step(
    tx: &Transaction<'_>,
    user_id: &str,
    secret: &[u8],
    code: &str,
    last_step: Option<i64>,
    now: i64,
) -> Result<bool, ApiError> {
    let Some(step) = crate::totp::matching_step(secret, code, now) else {
        return Ok(false);
    };
    let step = i64::try_from(step).map_err(|_| ApiError::internal())?;
    if last_step.is_some_and(|last| step <= last) {
        return Ok(false);
    }
    tx.execute(
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1",
        params![user_id, step],
    )?;
    Ok(true)
}

/// Opens a sealed TOTP secret; failure means the key or the row is wrong, a server fault.
pub(crate) fn open_secret(
    keys: &ServerKey,
    user_id: &str,
    sealed: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>, ApiError> {
    keys.open_totp(user_id, sealed).ok_or_else(|| {
        tracing::error!(
            user_id,
            "a stored TOTP secret does not open under the server key"
        );
        ApiError::internal()
    })
}

/// Whether the user has any second factor: an authenticator app or a passkey. (Recovery
/// codes are a way around a second factor, not one of their own.)
pub(crate) fn enabled(conn: &rusqlite::Connection, user_id: &str) -> Result<bool, ApiError> {
    Ok(conn.query_row(
        "SELECT totp_secret IS NOT NULL
             OR EXISTS (SELECT 1 FROM passkeys WHERE passkeys.user_id = users.id)
         FROM users WHERE id = ?1",
        params![user_id],
        |r| r.get(0),
    )?)
}
