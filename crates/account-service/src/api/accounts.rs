//! Accounts and signing in: `POST /users`, `POST /sessions`, `POST /sessions/mfa`,
//! `DELETE /sessions/current`, `GET /me`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use webauthn_rs::prelude::PublicKeyCredential;
use zeroize::Zeroizing;

use super::AppState;
use super::extract::{Caller, JsonBody};
use crate::error::ApiError;
use crate::second_factor::{self, Factor, Outcome};
use crate::{passkey, password, recovery, session, token};

#[derive(Deserialize)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

pub(crate) async fn create_user(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<Credentials>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let email = normalize_email(&body.email)?;
    let password = Zeroizing::new(body.password);
    if password.chars().count() < password::MIN_LEN || password.len() > password::MAX_LEN {
        return Err(ApiError::bad_request(
            "weak_password",
            format!(
                "Choose a password of at least {} characters (and at most {} bytes).",
                password::MIN_LEN,
                password::MAX_LEN
            ),
        ));
    }
    let password_hash = s.passwords.hash(password).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let now = s.clock.now();
    let user_id = id.clone();
    s.db.write(move |tx| {
        if find_user(tx, &email)?.is_some() {
            return Err(ApiError::conflict(
                "email_taken",
                "An account with this email already exists.",
            ));
        }
        tx.execute(
            "INSERT INTO users (id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![user_id, email, password_hash, now],
        )?;
        Ok(())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// Trimmed and lower-cased; one `@` with something on both sides; no spaces and no `:`
/// (it would break the `otpauth://` label, where the email is the account name).
fn normalize_email(input: &str) -> Result<String, ApiError> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        })
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ':');
    if valid {
        Ok(email)
    } else {
        Err(ApiError::bad_request(
            "invalid_email",
            "Enter an email address like name@example.com.",
        ))
    }
}

/// (id, password hash) of the user with this (normalised) email.
fn find_user(conn: &Connection, email: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT id, password_hash FROM users WHERE email = ?1",
            params![email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub(crate) async fn sign_in(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<Credentials>,
) -> Result<Json<Value>, ApiError> {
    let email = body.email.trim().to_lowercase();
    let password = Zeroizing::new(body.password);
    let user = s.db.read(move |c| find_user(c, &email)).await?;
    let stored = user.as_ref().map(|(_, hash)| hash.clone());
    let right = password.len() <= password::MAX_LEN && s.passwords.verify(password, stored).await?;
    let Some((user_id, _)) = user.filter(|_| right) else {
        return Err(ApiError::unauthorized(
            "invalid_credentials",
            "Wrong email or password.",
        ));
    };
    let now = s.clock.now();
    s.db.write(move |tx| {
        if !second_factor::enabled(tx, &user_id)? {
            let token = session::issue(tx, &user_id, session::Kind::Password, now)?;
            return Ok(Json(json!({ "token": token })));
        }
        let mfa_token = session::start_challenge(tx, &user_id, now)?;
        let methods = second_factor_methods(tx, &user_id)?;
        Ok(Json(json!({
            "mfa_required": true,
            "mfa_token": mfa_token,
            "methods": methods,
            "expires_in": session::MFA_TOKEN_SECONDS,
        })))
    })
    .await
}

/// The second factors `user_id` can sign in with now, as `methods` names them.
pub(crate) fn second_factor_methods(
    conn: &Connection,
    user_id: &str,
) -> Result<Vec<&'static str>, ApiError> {
    let mut methods = Vec::new();
    if totp_on(conn, user_id)? {
        methods.push("totp");
    }
    if recovery::status(conn, user_id)?.remaining > 0 {
        methods.push("recovery_code");
    }
    if passkey::count(conn, user_id)? > 0 {
        methods.push("passkey");
    }
    Ok(methods)
}

fn totp_on(conn: &Connection, user_id: &str) -> Result<bool, ApiError> {
    Ok(conn.query_row(
        "SELECT totp_secret IS NOT NULL FROM users WHERE id = ?1",
        params![user_id],
        |r| r.get(0),
    )?)
}

#[derive(Deserialize)]
pub(crate) struct SecondFactorBody {
    mfa_token: String,
    totp_code: Option<String>,
    recovery_code: Option<String>,
    /// An `AuthenticationResponseJSON` answering `POST /sessions/mfa/passkey-options`.
    passkey: Option<Box<PublicKeyCredential>>,
}

pub(crate) async fn sign_in_second_factor(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<SecondFactorBody>,
) -> Result<Json<Value>, ApiError> {
    let mfa_token = Zeroizing::new(body.mfa_token);
    let factor = match (body.totp_code, body.recovery_code, body.passkey) {
        (None, None, Some(response)) => Factor::Passkey {
            response,
            challenge: token::hash(&mfa_token),
        },
        (totp_code, recovery_code, None) => Factor::from_fields(totp_code, recovery_code)?,
        _ => {
            return Err(ApiError::bad_request(
                "missing_code",
                "Send exactly one of totp_code, recovery_code or passkey.",
            ));
        }
    };
    let rejected = if matches!(factor, Factor::Passkey { .. }) {
        ApiError::unauthorized(
            "invalid_passkey",
            "That passkey did not verify. Ask for a new challenge (passkey-options) and try again, or use a code.",
        )
    } else {
        ApiError::unauthorized(
            "invalid_code",
            "That code is not right. Try the current code from your authenticator app, or a recovery code.",
        )
    };
    let now = s.clock.now();
    let keys = Arc::clone(&s.keys);
    let webauthn = Arc::clone(&s.webauthn);
    // The outcome is committed whatever it is (a wrong code counts towards the lock, a
    // passkey challenge is spent), so the closure returns the answer as its `Ok` value.
    s.db.write(move |tx| {
        let user_id = session::challenge_user(tx, &mfa_token, now)?;
        Ok(
            match second_factor::check(tx, &keys, &webauthn, &user_id, &factor, now)? {
                Outcome::Accepted => {
                    session::finish_challenge(tx, &mfa_token, now)?;
                    let token = session::issue(tx, &user_id, session::Kind::Password, now)?;
                    Ok(Json(json!({ "token": token })))
                }
                Outcome::Rejected => Err(rejected),
                Outcome::LockedOut { retry_after } => Err(ApiError::locked_out(retry_after)),
            },
        )
    })
    .await?
}

pub(crate) async fn sign_out(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let hash = caller.token_hash;
    s.db.read(move |c| session::revoke(c, &hash)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub(crate) struct Me {
    id: String,
    email: String,
    mfa: MfaSummary,
    teams: Vec<TeamSummary>,
}

#[derive(Serialize)]
struct MfaSummary {
    totp: bool,
    passkeys: i64,
    recovery_codes_remaining: i64,
}

#[derive(Serialize)]
struct TeamSummary {
    id: String,
    name: String,
    role: String,
    require_2fa: bool,
}

pub(crate) async fn me(State(s): State<AppState>, caller: Caller) -> Result<Json<Me>, ApiError> {
    let user_id = caller.user_id;
    s.db.read(move |c| {
        let (email, totp): (String, bool) = c.query_row(
            "SELECT email, totp_secret IS NOT NULL FROM users WHERE id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = c.prepare_cached(
            "SELECT t.id, t.name, m.role, t.require_2fa FROM team_members m
             JOIN teams t ON t.id = m.team_id WHERE m.user_id = ?1 ORDER BY t.name, t.id",
        )?;
        let teams = stmt
            .query_map(params![user_id], |r| {
                Ok(TeamSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    require_2fa: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Json(Me {
            mfa: MfaSummary {
                totp,
                passkeys: passkey::count(c, &user_id)?,
                recovery_codes_remaining: recovery::status(c, &user_id)?.remaining,
            },
            id: user_id,
            email,
            teams,
        }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::normalize_email;

    #[test]
    fn normalizes_and_checks_emails() {
        assert_eq!(
            normalize_email(" Alice@Example.COM ").ok().as_deref(),
            Some("alice@example.com")
        );
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "a b@example.com",
            "a:b@example.com",
            "a@b@c",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
