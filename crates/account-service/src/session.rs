//! Bearer tokens (after a full sign-in or a device grant) and MFA tokens (between the
//! password and the second factor). Both are random 32-byte tokens kept as SHA-256.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::ApiError;
use crate::token;

/// How long a bearer token stays valid.
pub(crate) const TOKEN_SECONDS: i64 = 30 * 24 * 3600;
/// How long the second-factor step may take.
pub(crate) const MFA_TOKEN_SECONDS: i64 = 300;

/// How a bearer token was obtained.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Password,
    Device,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Device => "device",
        }
    }
}

/// Issues a bearer token for `user_id`; returns its text (shown once).
pub(crate) fn issue(
    conn: &Connection,
    user_id: &str,
    kind: Kind,
    now: i64,
) -> Result<String, ApiError> {
    let new = token::new_token()?;
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            &new.hash[..],
            user_id,
            kind.as_str(),
            now,
            now + TOKEN_SECONDS
        ],
    )?;
    Ok(new.text)
}

/// The user a bearer token belongs to, if it is known and not expired.
pub(crate) fn user_for(
    conn: &Connection,
    hash: &[u8; 32],
    now: i64,
) -> Result<Option<String>, ApiError> {
    let row: Option<(Vec<u8>, String, i64)> = conn
        .query_row(
            "SELECT token_hash, user_id, expires_at FROM sessions WHERE token_hash = ?1",
            params![&hash[..]],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row
        .filter(|(stored, _, expires_at)| token::same(stored, hash) && *expires_at > now)
        .map(|(_, user_id, _)| user_id))
}

/// Ends the session whose token hashes to `hash`.
pub(crate) fn revoke(conn: &Connection, hash: &[u8; 32]) -> Result<(), ApiError> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        params![&hash[..]],
    )?;
    Ok(())
}

/// Starts the second-factor step for `user_id`; returns the MFA token's text.
pub(crate) fn start_challenge(
    conn: &Connection,
    user_id: &str,
    now: i64,
) -> Result<String, ApiError> {
    let new = token::new_token()?;
    conn.execute(
        "DELETE FROM mfa_challenges WHERE expires_at <= ?1",
        params![now],
    )?;
    conn.execute(
        "INSERT INTO mfa_challenges (token_hash, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![&new.hash[..], user_id, now, now + MFA_TOKEN_SECONDS],
    )?;
    Ok(new.text)
}

/// The user of an unused, unexpired MFA token. Wrong codes leave the token usable (for
/// typos) until it expires; [`finish_challenge`] spends it.
pub(crate) fn challenge_user(
    tx: &Transaction<'_>,
    mfa_token: &str,
    now: i64,
) -> Result<String, ApiError> {
    let hash = token::hash(mfa_token);
    let row: Option<(Vec<u8>, String, i64, Option<i64>)> = tx
        .query_row(
            "SELECT token_hash, user_id, expires_at, used_at FROM mfa_challenges
             WHERE token_hash = ?1",
            params![&hash[..]],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match row {
        Some((stored, user_id, expires_at, None)) if token::same(&stored, &hash) => {
            if expires_at > now {
                Ok(user_id)
            } else {
                Err(ApiError::unauthorized(
                    "mfa_token_expired",
                    "The sign-in took too long. Sign in with your password again.",
                ))
            }
        }
        _ => Err(ApiError::unauthorized(
            "invalid_mfa_token",
            "This sign-in attempt is unknown or already finished. Sign in with your password again.",
        )),
    }
}

/// Marks an MFA token used; true if this call was the one that did.
pub(crate) fn finish_challenge(
    tx: &Transaction<'_>,
    mfa_token: &str,
    now: i64,
) -> Result<bool, ApiError> {
    let changed = tx.execute(
        "UPDATE mfa_challenges SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        params![&token::hash(mfa_token)[..], now],
    )?;
    Ok(changed == 1)
}
