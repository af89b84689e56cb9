//! Two-factor settings of the signed-in user: TOTP setup and confirm, turning 2FA off,
//! recovery codes.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::{Transaction, params};
use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::AppState;
use super::extract::{Caller, JsonBody};
use crate::error::ApiError;
use crate::second_factor::{self, Factor, Outcome};
use crate::{passkey, recovery, totp};

fn already_enabled() -> ApiError {
    ApiError::conflict(
        "totp_already_enabled",
        "An authenticator app is already set up. Turn two-factor authentication off first to set up another.",
    )
}

fn not_enabled() -> ApiError {
    ApiError::conflict(
        "mfa_not_enabled",
        "Two-factor authentication is not turned on for this account.",
    )
}

/// `POST /mfa/totp/setup`: a new pending secret (replacing any earlier pending one).
pub(crate) async fn totp_setup(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let keys = Arc::clone(&s.keys);
    let issuer = s.name.clone();
    let user_id = caller.user_id;
    s.db.write(move |tx| {
        let (email, active): (String, bool) = tx.query_row(
            "SELECT email, totp_secret IS NOT NULL FROM users WHERE id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if active {
            return Err(already_enabled());
        }
        let secret = totp::new_secret()?;
        tx.execute(
            "UPDATE users SET totp_pending = ?2 WHERE id = ?1",
            params![user_id, keys.seal_totp(&user_id, &secret)?],
        )?;
        Ok(Json(json!({
            "secret": totp::base32(&secret).as_str(),
            "otpauth_uri": totp::otpauth_uri(&issuer, &email, &secret).as_str(),
        })))
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct ConfirmBody {
    code: String,
}

/// `POST /mfa/totp/confirm`: the pending secret becomes active once a code from it is
/// right; answers the new recovery codes, the only time they are shown.
pub(crate) async fn totp_confirm(
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<ConfirmBody>,
) -> Result<Json<Value>, ApiError> {
    let keys = Arc::clone(&s.keys);
    let now = s.clock.now();
    let user_id = caller.user_id;
    s.db.write(move |tx| {
        let (pending, active, last_step): (Option<Vec<u8>>, bool, Option<i64>) = tx.query_row(
            "SELECT totp_pending, totp_secret IS NOT NULL, totp_last_step FROM users WHERE id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if active {
            return Err(already_enabled());
        }
        let Some(pending) = pending else {
            return Err(ApiError::conflict(
                "no_pending_totp",
                "Start the setup first: POST /api/v1/mfa/totp/setup.",
            ));
        };
        let secret = second_factor::open_secret(&keys, &user_id, &pending)?;
        if !second_factor::accept_step(tx, &user_id, &secret, &body.code, last_step, now)? {
            return Err(ApiError::bad_request(
                "invalid_code",
                "That code does not match. Check the time on your device and enter the current code.",
            ));
        }
        tx.execute(
            "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL,
                 totp_enabled_at = ?2, mfa_failures = 0, mfa_locked_until = NULL
             WHERE id = ?1",
            params![user_id, now],
        )?;
        let codes = recovery::replace(tx, &keys, &user_id, now)?;
        Ok(Json(codes_json(&codes)))
    })
    .await
}

fn codes_json(codes: &[Zeroizing<String>]) -> Value {
    json!({ "recovery_codes": codes.iter().map(|c| c.as_str()).collect::<Vec<_>>() })
}

#[derive(Deserialize)]
pub(crate) struct DisableBody {
    totp_code: Option<String>,
    recovery_code: Option<String>,
}

/// `DELETE /mfa`: turns two-factor authentication off (TOTP, passkeys, recovery codes),
/// with a current TOTP code or a recovery code. Wrong codes count towards the same lock
/// as at sign-in.
pub(crate) async fn disable(
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<DisableBody>,
) -> Result<StatusCode, ApiError> {
    let factor = Factor::from_fields(body.totp_code, body.recovery_code)?;
    let keys = Arc::clone(&s.keys);
    let webauthn = Arc::clone(&s.webauthn);
    let now = s.clock.now();
    let user_id = caller.user_id;
    s.db.write(move |tx| {
        if !second_factor::enabled(tx, &user_id)? {
            return Err(not_enabled());
        }
        Ok(
            match second_factor::check(tx, &keys, &webauthn, &user_id, &factor, now)? {
                Outcome::Accepted => {
                    turn_off(tx, &user_id)?;
                    Ok(StatusCode::NO_CONTENT)
                }
                Outcome::Rejected => Err(ApiError::forbidden(
                    "invalid_code",
                    "That code is not right. Two-factor authentication is still on.",
                )),
                Outcome::LockedOut { retry_after } => Err(ApiError::locked_out(retry_after)),
            },
        )
    })
    .await?
}

fn turn_off(tx: &Transaction<'_>, user_id: &str) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL,
             totp_last_step = NULL
         WHERE id = ?1",
        params![user_id],
    )?;
    tx.execute(
        "DELETE FROM recovery_codes WHERE user_id = ?1",
        params![user_id],
    )?;
    // Passkeys are only ever a second factor here, so turning 2FA off removes them.
    passkey::delete_all(tx, user_id)?;
    Ok(())
}

/// `GET /mfa/recovery-codes`.
pub(crate) async fn recovery_status(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<recovery::Status>, ApiError> {
    let user_id = caller.user_id;
    s.db.read(move |c| recovery::status(c, &user_id).map(Json))
        .await
}

/// `POST /mfa/recovery-codes/regenerate`: a new set; every old code stops working in the
/// same transaction.
pub(crate) async fn recovery_regenerate(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let keys = Arc::clone(&s.keys);
    let now = s.clock.now();
    let user_id = caller.user_id;
    s.db.write(move |tx| {
        if !second_factor::enabled(tx, &user_id)? {
            return Err(not_enabled());
        }
        let codes = recovery::replace(tx, &keys, &user_id, now)?;
        Ok(Json(codes_json(&codes)))
    })
    .await
}
