//! The JSON API (`/api/v1`) and discovery, as the contract in
//! `shared/design/account-service-api.md` and `docs/account-service.openapi.yaml` define.
//!
//! Handlers are thin: they read the request, run one database closure (a transaction
//! where anything is written) through the domain modules, and shape the answer.

// `pub(crate)`: the web pages (`crate::pages`) call these same handlers.
pub(crate) mod accounts;
pub(crate) mod device;
pub(crate) mod extract;
pub(crate) mod mfa;
pub(crate) mod passkeys;
pub(crate) mod teams;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get, post, put};
use serde_json::{Value, json};

use crate::Clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::keys::ServerKey;
use crate::password::Passwords;

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

pub(crate) struct Shared {
    pub(crate) db: Db,
    pub(crate) keys: Arc<ServerKey>,
    /// The WebAuthn relying party, built once from the origin and RP ID.
    pub(crate) webauthn: Arc<webauthn_rs::Webauthn>,
    pub(crate) passwords: Passwords,
    pub(crate) origin: String,
    pub(crate) rp_id: String,
    pub(crate) name: String,
    pub(crate) clock: Clock,
}

impl AppState {
    pub(crate) fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub(crate) fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/users", post(accounts::create_user))
        .route("/sessions", post(accounts::sign_in))
        .route("/sessions/current", delete(accounts::sign_out))
        .route("/sessions/mfa", post(accounts::sign_in_second_factor))
        .route(
            "/sessions/mfa/passkey-options",
            post(passkeys::sign_in_options),
        )
        .route("/me", get(accounts::me))
        .route("/mfa", delete(mfa::disable))
        .route("/mfa/totp/setup", post(mfa::totp_setup))
        .route("/mfa/totp/confirm", post(mfa::totp_confirm))
        .route("/mfa/recovery-codes", get(mfa::recovery_status))
        .route(
            "/mfa/recovery-codes/regenerate",
            post(mfa::recovery_regenerate),
        )
        .route("/passkeys", get(passkeys::list).post(passkeys::register))
        .route(
            "/passkeys/registration-options",
            post(passkeys::registration_options),
        )
        .route("/passkeys/{id}", delete(passkeys::remove))
        .route("/teams", post(teams::create))
        .route("/teams/{id}", get(teams::show))
        .route("/teams/{id}/members", post(teams::add_member))
        .route("/teams/{id}/settings", put(teams::settings))
        .route("/device/code", post(device::code))
        .route("/device/approve", post(device::approve))
        .route("/device/deny", post(device::deny))
        .route("/device/token", post(device::token));
    // Unknown addresses under /api/v1 answer JSON here; the pages answer the rest.
    Router::new()
        .route("/.well-known/latchkey", get(discovery))
        .nest("/api/v1", api.fallback(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn discovery(State(s): State<AppState>) -> axum::Json<Value> {
    axum::Json(json!({
        "origin": s.origin,
        "rp_id": s.rp_id,
        "api": "/api/v1",
        "name": s.name,
    }))
}

async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "There is nothing at this address.")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This address does not accept that method.",
    )
}
