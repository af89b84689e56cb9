//! Request extractors that answer in the API's error shape: a JSON body, and the signed-in
//! caller from `Authorization: Bearer <token>`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::error::ApiError;
use crate::{session, token};

/// A JSON request body; malformed input is a 400 `invalid_json`.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.",
            )),
            Err(rejection) => Err(ApiError::bad_request("invalid_json", rejection.body_text())),
        }
    }
}

/// The signed-in user making the request.
pub(crate) struct Caller {
    pub(crate) user_id: String,
    pub(crate) token_hash: [u8; 32],
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::unauthorized(
                "unauthenticated",
                "Sign in first, then send Authorization: Bearer <token>.",
            ));
        };
        let bearer = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty());
        let invalid = || {
            ApiError::unauthorized(
                "invalid_token",
                "This sign-in is unknown or has expired. Sign in again.",
            )
        };
        let token_hash = token::hash(bearer.ok_or_else(invalid)?);
        let now = state.clock.now();
        let user_id = state
            .db
            .read(move |c| session::user_for(c, &token_hash, now))
            .await?
            .ok_or_else(invalid)?;
        Ok(Self {
            user_id,
            token_hash,
        })
    }
}
