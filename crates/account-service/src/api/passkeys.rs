//! Passkeys of the signed-in user (`/passkeys…`) and the passkey challenge of a sign-in's
//! second step (`POST /sessions/mfa/passkey-options`); the answer to that challenge goes
//! to `POST /sessions/mfa` (see `accounts`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential, Uuid, WebauthnError};
use zeroize::Zeroizing;

use super::AppState;
use super::extract::{Caller, JsonBody};
use crate::error::ApiError;
use crate::passkey::{self, Ceremony};
use crate::{second_factor, session, token};

/// `POST /passkeys/registration-options`: a registration challenge for the caller, which
/// excludes the credentials they already have. Answers `{ceremony_id, publicKey}`; the
/// ceremony id comes back with the authenticator's response within 5 minutes.
pub(crate) async fn registration_options(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let webauthn = Arc::clone(&s.webauthn);
    let now = s.clock.now();
    let user_id = caller.user_id;
    s.db.write(move |tx| {
        let email: String = tx.query_row(
            "SELECT email FROM users WHERE id = ?1",
            rusqlite::params![user_id],
            |r| r.get(0),
        )?;
        let exclude = passkey::credentials(tx, &user_id)?
            .iter()
            .map(|p| p.cred_id().clone())
            .collect();
        // The user handle is the account's random id, never the email.
        let handle = Uuid::parse_str(&user_id).map_err(|_| ApiError::internal())?;
        let (options, state) = webauthn
            .start_passkey_registration(handle, &email, &email, Some(exclude))
            .map_err(|e| {
                tracing::error!(error = %e, "cannot start a passkey registration");
                ApiError::internal()
            })?;
        let ceremony = token::new_token()?;
        passkey::put_state(
            tx,
            &ceremony.hash,
            &user_id,
            Ceremony::Registration,
            &state,
            now,
        )?;
        let mut body = serde_json::to_value(&options).map_err(|_| ApiError::internal())?;
        if let Value::Object(map) = &mut body {
            map.insert("ceremony_id".into(), Value::String(ceremony.text));
        }
        Ok(Json(body))
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct RegisterBody {
    ceremony_id: String,
    name: String,
    credential: Box<RegisterPublicKeyCredential>,
}

/// `POST /passkeys`: finishes a registration. The ceremony is spent by this call whether
/// the response verifies or not.
pub(crate) async fn register(
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<RegisterBody>,
) -> Result<(StatusCode, Json<passkey::Summary>), ApiError> {
    let name = passkey::normalize_name(&body.name)?;
    let webauthn = Arc::clone(&s.webauthn);
    let origin = s.origin.clone();
    let now = s.clock.now();
    let user_id = caller.user_id;
    let ceremony = token::hash(&body.ceremony_id);
    // A refused response is an `Ok(Err(..))` so that the spent ceremony is committed.
    s.db.write(move |tx| {
        let state: PasskeyRegistration =
            passkey::take_state(tx, &ceremony, &user_id, Ceremony::Registration, now)?;
        let new = match webauthn.finish_passkey_registration(&body.credential, &state) {
            Ok(new) => new,
            Err(e) => return Ok(Err(registration_refused(&e, &origin))),
        };
        if passkey::is_registered(tx, &new)? {
            return Ok(Err(ApiError::conflict(
                "passkey_exists",
                "This passkey is already registered.",
            )));
        }
        Ok(Ok(passkey::insert(tx, &user_id, &name, &new, now)?))
    })
    .await?
    .map(|summary| (StatusCode::CREATED, Json(summary)))
}

fn registration_refused(e: &WebauthnError, origin: &str) -> ApiError {
    match e {
        WebauthnError::InvalidRPOrigin => ApiError::bad_request(
            "origin_mismatch",
            format!(
                "The passkey response was made for another origin: its clientDataJSON.origin \
                 must be {origin}. Start again from that origin."
            ),
        ),
        WebauthnError::UserNotVerified => ApiError::bad_request(
            "user_not_verified",
            "The authenticator did not verify the user (PIN or biometrics); passkeys need it.",
        ),
        other => {
            tracing::debug!(error = %other, "passkey registration refused");
            ApiError::bad_request(
                "passkey_refused",
                format!("The passkey response did not verify ({other}). Start again."),
            )
        }
    }
}

/// `GET /passkeys`.
pub(crate) async fn list(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<passkey::Summary>>, ApiError> {
    let user_id = caller.user_id;
    s.db.read(move |c| passkey::list(c, &user_id).map(Json))
        .await
}

/// `DELETE /passkeys/{id}`: only the caller's own (404 otherwise). Removing the last
/// second factor turns two-factor authentication off, recovery codes included, as
/// `DELETE /mfa` does.
pub(crate) async fn remove(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let user_id = caller.user_id;
    s.db.write(move |tx| {
        if !passkey::delete(tx, &user_id, &id)? {
            return Err(ApiError::not_found(
                "passkey_not_found",
                "You have no passkey with this id.",
            ));
        }
        if !second_factor::enabled(tx, &user_id)? {
            tx.execute(
                "DELETE FROM recovery_codes WHERE user_id = ?1",
                rusqlite::params![user_id],
            )?;
        }
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct SignInOptionsBody {
    mfa_token: String,
}

/// `POST /sessions/mfa/passkey-options`: a challenge over the user's passkeys for this
/// sign-in, kept under the MFA token (a new request replaces the open one). Answers
/// `{publicKey}`; the assertion goes to `POST /sessions/mfa` as `passkey`.
pub(crate) async fn sign_in_options(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<SignInOptionsBody>,
) -> Result<Json<Value>, ApiError> {
    let webauthn = Arc::clone(&s.webauthn);
    let now = s.clock.now();
    let mfa_token = Zeroizing::new(body.mfa_token);
    s.db.write(move |tx| {
        let user_id = session::challenge_user(tx, &mfa_token, now)?;
        let passkeys = passkey::credentials(tx, &user_id)?;
        if passkeys.is_empty() {
            return Err(ApiError::bad_request(
                "no_passkeys",
                "This account has no passkey. Use a code from your authenticator app or a recovery code.",
            ));
        }
        let (options, state) = webauthn
            .start_passkey_authentication(&passkeys)
            .map_err(|e| {
                tracing::error!(error = %e, "cannot start a passkey authentication");
                ApiError::internal()
            })?;
        let key = token::hash(&mfa_token);
        passkey::put_state(tx, &key, &user_id, Ceremony::Authentication, &state, now)?;
        let body = serde_json::to_value(&options).map_err(|_| ApiError::internal())?;
        Ok(Json(body))
    })
    .await
}
