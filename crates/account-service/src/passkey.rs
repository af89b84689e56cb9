//! Passkeys as a second factor (WebAuthn through webauthn-rs): the stored credentials, the
//! server-side state of the two ceremonies, and checking a sign-in assertion.
//!
//! - **Relying party.** One `Webauthn` is built at start from `--origin` and `--rp-id`
//!   ([`relying_party`]); a response whose `clientDataJSON.origin` is not exactly that
//!   origin is refused (no other ports, no subdomains).
//! - **Ceremony state stays on the server.** webauthn-rs's `PasskeyRegistration` and
//!   `PasskeyAuthentication` hold the challenge. They are kept in `webauthn_ceremonies`
//!   under the SHA-256 of a random ceremony id (registration) or of the sign-in's MFA
//!   token (authentication), bound to the user, for [`CEREMONY_SECONDS`]. The first
//!   attempt to finish takes (deletes) the state, right or wrong, so every challenge is
//!   answered at most once: a replayed response finds nothing to answer.
//! - **After a sign-in** the credential's counter and backup flags are written back
//!   (`Passkey::update_credential`); webauthn-rs refuses a non-zero counter that did not
//!   grow, a sign of a cloned authenticator.
//!
//! Every function here runs inside the caller's transaction.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

use crate::error::{ApiError, StartError};
use crate::token;

/// How long a ceremony (registration or sign-in) may take, as the WebAuthn timeout too.
pub(crate) const CEREMONY_SECONDS: i64 = 300;
/// The longest passkey name, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 64;

/// Builds the relying party from the service's origin and RP ID.
pub(crate) fn relying_party(origin: &str, rp_id: &str, name: &str) -> Result<Webauthn, StartError> {
    let url = Url::parse(origin)
        .map_err(|e| StartError::Config(format!("the origin {origin:?} is not a URL: {e}")))?;
    WebauthnBuilder::new(rp_id, &url)
        .map(|b| {
            b.rp_name(name)
                .timeout(Duration::from_secs(CEREMONY_SECONDS.unsigned_abs()))
        })
        .and_then(WebauthnBuilder::build)
        .map_err(|_| {
            StartError::Config(format!(
                "the WebAuthn RP ID {rp_id:?} must be the host of the origin {origin:?} or a \
                 domain it belongs to (an IP address cannot be an RP ID)"
            ))
        })
}

/// The two ceremonies whose state is kept between their start and finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ceremony {
    Registration,
    Authentication,
}

impl Ceremony {
    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Authentication => "authentication",
        }
    }

    fn unknown(self) -> ApiError {
        match self {
            Self::Registration => ApiError::bad_request(
                "invalid_ceremony",
                "This passkey registration is unknown, already finished or not yours. \
                 Start again: POST /api/v1/passkeys/registration-options.",
            ),
            Self::Authentication => ApiError::bad_request(
                "no_passkey_challenge",
                "No passkey challenge is open for this sign-in (each one is answered once). \
                 Ask for one: POST /api/v1/sessions/mfa/passkey-options.",
            ),
        }
    }

    fn expired(self) -> ApiError {
        let again = match self {
            Self::Registration => "POST /api/v1/passkeys/registration-options",
            Self::Authentication => "POST /api/v1/sessions/mfa/passkey-options",
        };
        ApiError::bad_request(
            "ceremony_expired",
            format!("The passkey ceremony took longer than 5 minutes. Start again: {again}."),
        )
    }
}

/// Keeps a ceremony's state under `key_hash` for [`CEREMONY_SECONDS`], replacing one kept
/// there before. Expired states of everyone are dropped on the way.
pub(crate) fn put_state<S: Serialize>(
    conn: &Connection,
    key_hash: &[u8; 32],
    user_id: &str,
    kind: Ceremony,
    state: &S,
    now: i64,
) -> Result<(), ApiError> {
    let json = serde_json::to_string(state).map_err(|e| {
        tracing::error!(error = %e, "cannot serialise WebAuthn ceremony state");
        ApiError::internal()
    })?;
    conn.execute(
        "DELETE FROM webauthn_ceremonies WHERE expires_at <= ?1",
        params![now],
    )?;
    conn.execute(
        "INSERT OR REPLACE INTO webauthn_ceremonies (id_hash, user_id, kind, state, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            &key_hash[..],
            user_id,
            kind.as_str(),
            json,
            now + CEREMONY_SECONDS
        ],
    )?;
    Ok(())
}

/// Takes (deletes) the state of `kind` kept under `key_hash` for `user_id`. Unknown,
/// already taken, another user's, or of the other kind: 400 (and another user's state is
/// left alone); expired: 400 `ceremony_expired`. Commit the transaction whatever the
/// ceremony's outcome, so the state cannot be used again.
pub(crate) fn take_state<S: DeserializeOwned>(
    tx: &Transaction<'_>,
    key_hash: &[u8; 32],
    user_id: &str,
    kind: Ceremony,
    now: i64,
) -> Result<S, ApiError> {
    let row: Option<(Vec<u8>, String, String, String, i64)> = tx
        .query_row(
            "SELECT id_hash, user_id, kind, state, expires_at FROM webauthn_ceremonies
             WHERE id_hash = ?1",
            params![&key_hash[..]],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((stored, owner, stored_kind, json, expires_at)) = row else {
        return Err(kind.unknown());
    };
    if !token::same(&stored, key_hash) || owner != user_id || stored_kind != kind.as_str() {
        return Err(kind.unknown());
    }
    if expires_at <= now {
        return Err(kind.expired());
    }
    tx.execute(
        "DELETE FROM webauthn_ceremonies WHERE id_hash = ?1",
        params![&key_hash[..]],
    )?;
    serde_json::from_str(&json).map_err(|e| {
        tracing::error!(error = %e, "stored WebAuthn ceremony state does not parse");
        ApiError::internal()
    })
}

/// A passkey as the API shows it.
#[derive(Debug, Serialize)]
pub(crate) struct Summary {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_at: i64,
    pub(crate) last_used_at: Option<i64>,
}

/// The user's passkeys, oldest first.
pub(crate) fn list(conn: &Connection, user_id: &str) -> Result<Vec<Summary>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, created_at, last_used_at FROM passkeys
         WHERE user_id = ?1 ORDER BY created_at, rowid",
    )?;
    let rows = stmt
        .query_map(params![user_id], |r| {
            Ok(Summary {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: r.get(2)?,
                last_used_at: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// How many passkeys the user has.
pub(crate) fn count(conn: &Connection, user_id: &str) -> Result<i64, ApiError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM passkeys WHERE user_id = ?1",
        params![user_id],
        |r| r.get(0),
    )?)
}

/// The user's credentials, as webauthn-rs needs them to start a ceremony.
pub(crate) fn credentials(conn: &Connection, user_id: &str) -> Result<Vec<Passkey>, ApiError> {
    let mut stmt =
        conn.prepare_cached("SELECT passkey FROM passkeys WHERE user_id = ?1 ORDER BY rowid")?;
    let rows = stmt
        .query_map(params![user_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    rows.iter().map(|json| parse(json)).collect()
}

fn parse(json: &str) -> Result<Passkey, ApiError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!(error = %e, "a stored passkey does not parse");
        ApiError::internal()
    })
}

fn to_json(passkey: &Passkey) -> Result<String, ApiError> {
    serde_json::to_string(passkey).map_err(|e| {
        tracing::error!(error = %e, "cannot serialise a passkey");
        ApiError::internal()
    })
}

/// Whether any account already has this credential (WebAuthn §7.1 step 22: refuse a
/// credential ID that is already registered).
pub(crate) fn is_registered(conn: &Connection, passkey: &Passkey) -> Result<bool, ApiError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM passkeys WHERE credential_id = ?1)",
        params![passkey.cred_id().as_slice()],
        |r| r.get(0),
    )?)
}

/// Stores a newly registered passkey.
pub(crate) fn insert(
    conn: &Connection,
    user_id: &str,
    name: &str,
    passkey: &Passkey,
    now: i64,
) -> Result<Summary, ApiError> {
    let id = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO passkeys (id, user_id, credential_id, name, passkey, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            user_id,
            passkey.cred_id().as_slice(),
            name,
            to_json(passkey)?,
            now
        ],
    )?;
    Ok(Summary {
        id,
        name: name.to_owned(),
        created_at: now,
        last_used_at: None,
    })
}

/// Deletes one of the user's passkeys; false if the user has none with that id.
pub(crate) fn delete(conn: &Connection, user_id: &str, id: &str) -> Result<bool, ApiError> {
    let changed = conn.execute(
        "DELETE FROM passkeys WHERE id = ?1 AND user_id = ?2",
        params![id, user_id],
    )?;
    Ok(changed == 1)
}

/// Deletes all the user's passkeys and open ceremonies (2FA turned off).
pub(crate) fn delete_all(conn: &Connection, user_id: &str) -> Result<(), ApiError> {
    conn.execute("DELETE FROM passkeys WHERE user_id = ?1", params![user_id])?;
    conn.execute(
        "DELETE FROM webauthn_ceremonies WHERE user_id = ?1",
        params![user_id],
    )?;
    Ok(())
}

/// Checks a sign-in assertion against the challenge kept under `key_hash` (the MFA
/// token's hash): true if it verifies with one of the user's passkeys, which then gets
/// its counter, backup flags and `last_used_at` updated. The challenge is spent either
/// way. No challenge open (or expired) is a 400, not a wrong factor.
pub(crate) fn verify_assertion(
    tx: &Transaction<'_>,
    webauthn: &Webauthn,
    user_id: &str,
    key_hash: &[u8; 32],
    response: &PublicKeyCredential,
    now: i64,
) -> Result<bool, ApiError> {
    let state: PasskeyAuthentication =
        take_state(tx, key_hash, user_id, Ceremony::Authentication, now)?;
    let result = match webauthn.finish_passkey_authentication(response, &state) {
        Ok(result) => result,
        Err(e) => {
            // The error names a failed check, never key material.
            tracing::debug!(user_id, error = %e, "passkey assertion refused");
            return Ok(false);
        }
    };
    // The passkey may have been removed since the challenge was made.
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT id, passkey FROM passkeys WHERE user_id = ?1 AND credential_id = ?2",
            params![user_id, result.cred_id().as_slice()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, json)) = row else {
        return Ok(false);
    };
    let mut passkey = parse(&json)?;
    passkey.update_credential(&result);
    tx.execute(
        "UPDATE passkeys SET passkey = ?2, last_used_at = ?3 WHERE id = ?1",
        params![id, to_json(&passkey)?, now],
    )?;
    Ok(true)
}

/// A passkey name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
pub(crate) fn normalize_name(input: &str) -> Result<String, ApiError> {
    let name = input.trim();
    let count = name.chars().count();
    if count == 0 || count > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "invalid_name",
            format!("Name the passkey with 1 to {MAX_NAME_CHARS} characters, e.g. \"Laptop\"."),
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(normalize_name("  Laptop ").ok().as_deref(), Some("Laptop"));
        assert!(normalize_name("   ").is_err());
        assert!(normalize_name("a\nb").is_err());
        assert!(normalize_name(&"x".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(normalize_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn relying_party_must_match_the_origin() {
        assert!(relying_party("http://localhost:8088", "localhost", "t").is_ok());
        assert!(relying_party("https://login.example.com", "example.com", "t").is_ok());
        assert!(relying_party("https://example.com", "other.example", "t").is_err());
        assert!(relying_party("https://notexample.com", "example.com", "t").is_err());
        assert!(relying_party("http://127.0.0.1:8088", "127.0.0.1", "t").is_err());
    }
}
