//! Linking the desktop app: the OAuth 2.0 Device Authorization Grant (RFC 8628).
//!
//! The app asks for a code pair (§3.1–3.2), shows the user code, and polls the token
//! endpoint (§3.4–3.5) while the signed-in user approves (or denies) the code here or on
//! the `/link` page. Device codes are 32 random bytes kept as SHA-256; user codes are 8
//! letters from RFC 8628 §6.1's base-20 alphabet. The access token is a bearer token like
//! any other, issued once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::extract::{Caller, JsonBody};
use crate::error::ApiError;
use crate::{session, token};

/// The only client: the Latchkey desktop app.
const CLIENT_ID: &str = "latchkey";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// How long a code pair lives.
pub(crate) const EXPIRES_IN: i64 = 600;
/// The minimum seconds between polls (§3.2 `interval`); §3.5 `slow_down` adds 5.
pub(crate) const INTERVAL: i64 = 5;

#[derive(Deserialize)]
pub(crate) struct CodeRequest {
    client_id: String,
}

/// `POST /device/code` (§3.1, §3.2).
pub(crate) async fn code(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<CodeRequest>,
) -> Result<Json<Value>, ApiError> {
    if body.client_id != CLIENT_ID {
        return Err(ApiError::unauthorized(
            "invalid_client",
            "Unknown client_id.",
        ));
    }
    let now = s.clock.now();
    let device_code = token::new_token()?;
    let hash = device_code.hash;
    let user_code =
        s.db.write(move |tx| {
            // Expired grants are kept an hour so late polls still get `expired_token`.
            tx.execute(
                "DELETE FROM device_grants WHERE expires_at <= ?1",
                params![now - 3600],
            )?;
            // A clash among live user codes is unlikely (2^34.6 codes); draw again if so.
            for _ in 0..5 {
                let user_code = token::user_code()?;
                let inserted = tx.execute(
                    "INSERT INTO device_grants (device_code_hash, user_code, client_id, created_at,
                         expires_at, interval, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending') ON CONFLICT DO NOTHING",
                    params![
                        &hash[..],
                        user_code,
                        CLIENT_ID,
                        now,
                        now + EXPIRES_IN,
                        INTERVAL
                    ],
                )?;
                if inserted == 1 {
                    return Ok(user_code);
                }
            }
            Err(ApiError::internal())
        })
        .await?;
    let verification_uri = format!("{}/link", s.origin);
    Ok(Json(json!({
        "device_code": device_code.text,
        "user_code": user_code,
        "verification_uri_complete": format!("{verification_uri}?user_code={user_code}"),
        "verification_uri": verification_uri,
        "expires_in": EXPIRES_IN,
        "interval": INTERVAL,
    })))
}

#[derive(Deserialize)]
pub(crate) struct Decision {
    user_code: String,
}

/// `POST /device/approve`: the signed-in caller lets the device in as themselves.
pub(crate) async fn approve(
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<Decision>,
) -> Result<StatusCode, ApiError> {
    decide(&s, Some(caller.user_id), &body.user_code).await
}

/// `POST /device/deny`: the signed-in caller refuses the device (it gets
/// `access_denied`).
pub(crate) async fn deny(
    State(s): State<AppState>,
    _caller: Caller,
    JsonBody(body): JsonBody<Decision>,
) -> Result<StatusCode, ApiError> {
    decide(&s, None, &body.user_code).await
}

async fn decide(
    s: &AppState,
    approve_as: Option<String>,
    user_code: &str,
) -> Result<StatusCode, ApiError> {
    let user_code = token::normalize_user_code(user_code);
    let now = s.clock.now();
    s.db.write(move |tx| {
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM device_grants WHERE user_code = ?1 AND expires_at > ?2",
                params![user_code, now],
                |r| r.get(0),
            )
            .optional()?;
        match status.as_deref() {
            None => Err(ApiError::not_found(
                "invalid_user_code",
                "No device is waiting with that code. Codes expire after 10 minutes; start linking again in the app.",
            )),
            Some("pending") => {
                let (status, user_id) = match &approve_as {
                    Some(user_id) => ("approved", Some(user_id.as_str())),
                    None => ("denied", None),
                };
                tx.execute(
                    "UPDATE device_grants SET status = ?2, user_id = ?3 WHERE user_code = ?1",
                    params![user_code, status, user_id],
                )?;
                Ok(StatusCode::NO_CONTENT)
            }
            Some(_) => Err(ApiError::conflict(
                "already_decided",
                "This code was already approved or denied.",
            )),
        }
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct TokenRequest {
    device_code: String,
    grant_type: String,
}

struct Grant {
    expires_at: i64,
    interval: i64,
    last_polled_at: Option<i64>,
    status: String,
    user_id: Option<String>,
}

/// `POST /device/token` (§3.4, §3.5).
pub(crate) async fn token(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<TokenRequest>,
) -> Result<Json<Value>, ApiError> {
    if body.grant_type != GRANT_TYPE {
        return Err(ApiError::bad_request(
            "unsupported_grant_type",
            format!("grant_type must be {GRANT_TYPE}."),
        ));
    }
    let hash = token::hash(&body.device_code);
    let now = s.clock.now();
    s.db.write(move |tx| {
        let grant = tx
            .query_row(
                "SELECT expires_at, interval, last_polled_at, status, user_id FROM device_grants
                 WHERE device_code_hash = ?1",
                params![&hash[..]],
                |r| {
                    Ok(Grant {
                        expires_at: r.get(0)?,
                        interval: r.get(1)?,
                        last_polled_at: r.get(2)?,
                        status: r.get(3)?,
                        user_id: r.get(4)?,
                    })
                },
            )
            .optional()?;
        let Some(grant) = grant else {
            return Ok(Err(oauth_error("invalid_grant", "Unknown device_code.")));
        };
        if now >= grant.expires_at {
            return Ok(Err(oauth_error(
                "expired_token",
                "The code expired before it was approved. Start linking again.",
            )));
        }
        match (grant.status.as_str(), grant.user_id) {
            ("pending", _) => {
                // §3.5: polling faster than `interval` gets slow_down, and the interval
                // grows by 5 seconds for this and every later request.
                let too_soon = grant.last_polled_at.is_some_and(|t| now - t < grant.interval);
                let interval = if too_soon { grant.interval + 5 } else { grant.interval };
                tx.execute(
                    "UPDATE device_grants SET last_polled_at = ?2, interval = ?3 WHERE device_code_hash = ?1",
                    params![&hash[..], now, interval],
                )?;
                Ok(Err(if too_soon {
                    oauth_error("slow_down", "Polling too fast; wait longer between requests.")
                } else {
                    oauth_error("authorization_pending", "Waiting for the user to approve.")
                }))
            }
            ("approved", Some(user_id)) => {
                tx.execute(
                    "UPDATE device_grants SET status = 'issued' WHERE device_code_hash = ?1",
                    params![&hash[..]],
                )?;
                let access_token = session::issue(tx, &user_id, session::Kind::Device, now)?;
                Ok(Ok(Json(json!({
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": session::TOKEN_SECONDS,
                }))))
            }
            ("denied", _) => Ok(Err(oauth_error("access_denied", "The user refused to link this device."))),
            _ => Ok(Err(oauth_error(
                "invalid_grant",
                "This code was already used to link a device.",
            ))),
        }
    })
    .await?
}

/// RFC 6749 §5.2 errors are 400s.
fn oauth_error(code: &'static str, message: &'static str) -> ApiError {
    ApiError::bad_request(code, message)
}
