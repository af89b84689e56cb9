//! The web pages: signing up and in (with the second-factor step), the security page
//! (authenticator app, recovery codes, turning 2FA off), team pages and `/link`, where a
//! signed-in person approves the desktop app (RFC 8628).
//!
//! Plain server-rendered HTML and one small stylesheet; one small script
//! (`passkey.js`, from this origin only) runs the WebAuthn ceremonies. Every page
//! handler turns its form into the same request the JSON API takes and calls the API's
//! own handler, so the rules (passwords, TOTP replay, lockout, recovery-code use,
//! teams, device grants) live in one place. What is added here is only what a browser
//! needs:
//!
//! - **Sessions**: the `lk_session` cookie carries an ordinary bearer token (issued,
//!   hashed, looked up and revoked exactly as the API's), `HttpOnly; SameSite=Lax;
//!   Path=/`, plus `Secure` when the origin is https.
//! - **CSRF**: every form carries a token derived from the session token (or, before
//!   signing in, from a random `lk_pre` cookie), checked in constant time; POSTs whose
//!   `Origin` is present and not the service's own are refused first.
//! - **Headers**: a strict CSP, no framing, no referrer; `Cache-Control: no-store` on
//!   every page (they show secrets, codes or personal data).

mod account;
mod browser;
mod html;
mod link;
mod passkeys;
mod security;
mod teams;
mod totp;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::AppState;
use crate::error::ApiError;

pub(crate) use browser::{Posted, Visitor};

const STYLESHEET: &str = include_str!("style.css");

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/signup", get(account::signup_form).post(account::signup))
        .route("/login", get(account::login_form).post(account::login))
        .route(
            "/login/second-factor",
            get(account::second_factor_form).post(account::second_factor),
        )
        .route(
            "/login/second-factor/passkey-options",
            post(passkeys::sign_in_options),
        )
        .route("/logout", post(account::logout))
        .route("/account/security", get(security::overview))
        .route(
            "/account/security/totp",
            get(totp::setup_page).post(totp::start_setup),
        )
        .route("/account/security/totp/confirm", post(totp::confirm))
        .route(
            "/account/security/recovery-codes",
            post(security::regenerate),
        )
        .route("/account/security/disable", post(security::disable))
        .route("/account/security/passkeys", post(passkeys::add))
        .route(
            "/account/security/passkeys/options",
            post(passkeys::registration_options),
        )
        .route(
            "/account/security/passkeys/{id}/remove",
            post(passkeys::remove),
        )
        .route("/teams/{id}", get(teams::show))
        .route("/teams/{id}/settings", post(teams::settings))
        .route("/link", get(link::page))
        .route("/link/approve", post(link::approve))
        .route("/link/deny", post(link::deny))
        // Before the guard, so a missing page gets the same headers as the others.
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            browser::guard,
        ))
        .route("/static/style.css", get(stylesheet))
        .route("/static/passkey.js", get(passkeys::script))
        .with_state(state)
}

/// Any other address: a page that says so (the API answers JSON under /api/v1).
async fn not_found(visitor: Visitor) -> PageError {
    PageError::new(
        &visitor,
        ApiError::not_found("not_found", "There is nothing at this address."),
    )
}

async fn home(visitor: Visitor) -> Redirect {
    if visitor.user.is_some() {
        Redirect::to("/account/security")
    } else {
        Redirect::to("/login")
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Builds an API request body from JSON, as the API would have parsed it.
fn body<T: DeserializeOwned>(value: Value) -> Result<crate::api::extract::JsonBody<T>, ApiError> {
    serde_json::from_value(value)
        .map(crate::api::extract::JsonBody)
        .map_err(|_| ApiError::internal())
}

/// An HTML page with a status.
pub(crate) struct Page {
    status: StatusCode,
    html: String,
}

impl Page {
    fn ok(html: String) -> Self {
        Self {
            status: StatusCode::OK,
            html,
        }
    }

    fn with_status(status: StatusCode, html: String) -> Self {
        Self { status, html }
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            self.html,
        )
            .into_response()
    }
}

/// What a page answers instead of itself: an error page with the API error's status
/// and sentence, or (for a visitor who is not signed in) the way to the sign-in page.
pub(crate) enum PageError {
    Failed {
        error: ApiError,
        visitor: Option<Box<Visitor>>,
    },
    SignIn(Redirect),
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self::Failed {
            error,
            visitor: None,
        }
    }
}

impl PageError {
    fn new(visitor: &Visitor, error: ApiError) -> Self {
        Self::Failed {
            error,
            visitor: Some(Box::new(visitor.clone())),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (error, visitor) = match self {
            PageError::SignIn(redirect) => return redirect.into_response(),
            PageError::Failed { error, visitor } => (error, visitor),
        };
        let status = error.status();
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
            s if s.is_server_error() => "Something went wrong",
            _ => "That did not work",
        };
        let body = format!(
            r#"<section class="card"><h1>{}</h1><p>{}</p><p><a href="/account/security">Back to your account</a></p></section>"#,
            html::escape(title),
            html::escape(error.message()),
        );
        Page::with_status(status, html::layout(visitor.as_deref(), title, &body)).into_response()
    }
}
