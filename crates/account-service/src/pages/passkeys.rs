//! Passkeys in the browser: adding and removing them on `/account/security`, and the
//! options for "Use a passkey" at the second-factor step of `/login`.
//!
//! The WebAuthn ceremonies themselves are the API's (`api::passkeys`): these handlers
//! only swap the bearer token for the session cookie (or the MFA token for the `lk_mfa`
//! cookie) and check the CSRF token. `passkey.js` asks for options here (JSON), runs
//! `navigator.credentials.create`/`get`, and posts the answer in an ordinary form, so a
//! finished ceremony ends on a page like every other form.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::account::Nothing;
use super::browser::{MFA_COOKIE, cookie};
use super::security::{HERE, require_user};
use super::{PageError, Posted, body};
use crate::api::AppState;
use crate::api::passkeys;
use crate::error::ApiError;

/// The script behind the passkey buttons; the CSP allows scripts from this origin only.
const SCRIPT: &str = include_str!("passkey.js");

/// `GET /static/passkey.js`.
pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SCRIPT,
    )
        .into_response()
}

fn not_signed_in() -> ApiError {
    ApiError::unauthorized(
        "unauthenticated",
        "Your sign-in has ended. Reload the page and sign in again.",
    )
}

/// `POST /account/security/passkeys/options`: registration options for the signed-in
/// user, as the API's `POST /passkeys/registration-options` answers them (JSON).
pub(crate) async fn registration_options(
    State(s): State<AppState>,
    Posted { visitor, .. }: Posted<Nothing>,
) -> Response {
    let Some(user) = &visitor.user else {
        return not_signed_in().into_response();
    };
    passkeys::registration_options(State(s.clone()), user.caller())
        .await
        .into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AddForm {
    name: String,
    ceremony_id: String,
    /// The `RegistrationResponseJSON`, as text.
    credential: String,
}

/// `POST /account/security/passkeys`: finishes the registration that
/// [`registration_options`] started, then back to the security page.
pub(crate) async fn add(
    State(s): State<AppState>,
    Posted { visitor, form }: Posted<AddForm>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    let fail = |e| PageError::new(&visitor, e);
    let credential: Value = serde_json::from_str(&form.credential).map_err(|_| {
        fail(ApiError::bad_request(
            "invalid_credential",
            "The browser sent no passkey. Go back and try again.",
        ))
    })?;
    let request = body(json!({
        "ceremony_id": form.ceremony_id,
        "name": form.name,
        "credential": credential,
    }))
    .map_err(|_| {
        fail(ApiError::bad_request(
            "invalid_credential",
            "The browser's passkey response could not be read. Go back and try again.",
        ))
    })?;
    let _created = passkeys::register(State(s.clone()), user.caller(), request)
        .await
        .map_err(fail)?;
    Ok(Redirect::to("/account/security?done=passkey_added#passkeys").into_response())
}

/// `POST /account/security/passkeys/{id}/remove`.
pub(crate) async fn remove(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Posted { visitor, .. }: Posted<Nothing>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    passkeys::remove(State(s.clone()), user.caller(), Path(id))
        .await
        .map_err(|e| PageError::new(&visitor, e))?;
    Ok(Redirect::to("/account/security?done=passkey_removed#passkeys").into_response())
}

/// `POST /login/second-factor/passkey-options`: the API's sign-in challenge for the
/// sign-in in the `lk_mfa` cookie (JSON). The answer is posted to
/// `/login/second-factor` with `method=passkey`.
pub(crate) async fn sign_in_options(
    State(s): State<AppState>,
    headers: HeaderMap,
    Posted { .. }: Posted<Nothing>,
) -> Response {
    let Some(mfa_token) = cookie(&headers, MFA_COOKIE) else {
        return ApiError::unauthorized(
            "invalid_mfa_token",
            "This sign-in has ended. Start again with your email and password.",
        )
        .into_response();
    };
    let request = match body(json!({ "mfa_token": mfa_token })) {
        Ok(request) => request,
        Err(e) => return e.into_response(),
    };
    passkeys::sign_in_options(State(s.clone()), request)
        .await
        .into_response()
}
