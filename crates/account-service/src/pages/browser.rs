//! What a browser brings: cookies, the signed-in [`Visitor`], CSRF-checked forms
//! ([`Posted`]), and the [`guard`] every page passes through (pre-session cookie, the
//! `Origin` check on POSTs, security headers).

use axum::extract::{Form, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::PageError;
use crate::api::AppState;
use crate::api::extract::Caller;
use crate::error::ApiError;
use crate::{session, token};

/// Carries the bearer token of a signed-in browser.
pub(crate) const SESSION_COOKIE: &str = "lk_session";
/// Carries the MFA token between the password and the second factor.
pub(crate) const MFA_COOKIE: &str = "lk_mfa";
/// A random per-browser value that CSRF tokens are bound to before signing in.
const PRE_COOKIE: &str = "lk_pre";

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The person behind a page request.
#[derive(Clone)]
pub(crate) struct Visitor {
    /// Set when the session cookie holds a live bearer token.
    pub(crate) user: Option<SignedIn>,
    /// The token every form on the page must send back.
    pub(crate) csrf: String,
}

#[derive(Clone)]
pub(crate) struct SignedIn {
    pub(crate) user_id: String,
    pub(crate) email: String,
    token_hash: [u8; 32],
}

impl SignedIn {
    /// The caller as the API handlers know it.
    pub(crate) fn caller(&self) -> Caller {
        Caller {
            user_id: self.user_id.clone(),
            token_hash: self.token_hash,
        }
    }
}

/// The value of the cookie `name`, if the request has it.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value with the attributes every cookie here has. `max_age` 0 deletes.
pub(crate) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<i64>,
) -> HeaderValue {
    let mut text = format!("{name}={value}; HttpOnly; SameSite=Lax; Path={path}");
    if let Some(seconds) = max_age {
        text.push_str(&format!("; Max-Age={seconds}"));
    }
    if state.origin.starts_with("https://") {
        text.push_str("; Secure");
    }
    // Names, paths and values here are base64url or fixed ASCII.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("lk_invalid=; Path=/"))
}

/// The CSRF token bound to `secret` (a session token or the pre-session value): an
/// HMAC keyed by it, so it can only be made by someone who holds the cookie.
fn csrf_for(secret: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(b"latchkey account-service csrf v1");
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The pre-session value of this request (from the cookie, or just made by [`guard`]).
#[derive(Clone)]
struct PreSession(String);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        if let Some(visitor) = parts.extensions.get::<Visitor>() {
            return Ok(visitor.clone());
        }
        let user = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(text) => signed_in(state, text).await?,
            None => None,
        };
        let csrf = match (&user, cookie(&parts.headers, SESSION_COOKIE)) {
            (Some(_), Some(session)) => csrf_for(session),
            _ => parts
                .extensions
                .get::<PreSession>()
                .map(|p| csrf_for(&p.0))
                .ok_or_else(ApiError::internal)?,
        };
        let visitor = Self { user, csrf };
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}

async fn signed_in(state: &AppState, text: &str) -> Result<Option<SignedIn>, ApiError> {
    let token_hash = token::hash(text);
    let now = state.clock.now();
    state
        .db
        .read(move |c| {
            let Some(user_id) = session::user_for(c, &token_hash, now)? else {
                return Ok(None);
            };
            let email: String = c.query_row(
                "SELECT email FROM users WHERE id = ?1",
                rusqlite::params![user_id],
                |r| r.get(0),
            )?;
            Ok(Some(SignedIn {
                user_id,
                email,
                token_hash,
            }))
        })
        .await
}

/// A posted form whose CSRF token matched, with the visitor who sent it.
pub(crate) struct Posted<T> {
    pub(crate) visitor: Visitor,
    pub(crate) form: T,
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Posted<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let refused = |visitor: &Visitor| {
            PageError::new(
                visitor,
                ApiError::forbidden(
                    "csrf",
                    "This form has expired or did not come from this site. Go back, reload the page and try again.",
                ),
            )
        };
        let Ok(Form(posted)) = Form::<WithCsrf<T>>::from_request(req, state).await else {
            // A form without its token is refused before anything else is said about it.
            return Err(refused(&visitor));
        };
        if posted.csrf.is_empty() || !token::same(posted.csrf.as_bytes(), visitor.csrf.as_bytes()) {
            return Err(refused(&visitor));
        }
        Ok(Self {
            visitor,
            form: posted.form,
        })
    }
}

/// Runs around every page: gives a new browser its pre-session cookie, refuses
/// cross-origin POSTs, and adds the security headers.
pub(crate) async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.method() == Method::POST && !same_origin(&state, req.headers()) {
        let error = ApiError::forbidden(
            "cross_origin",
            "This form was sent from another site, so it was refused.",
        );
        return with_headers(PageError::from(error).into_response());
    }
    let mut new_pre = None;
    let pre = match cookie(req.headers(), PRE_COOKIE) {
        Some(value) => value.to_owned(),
        None => match token::new_token() {
            Ok(t) => {
                new_pre = Some(t.text.clone());
                t.text
            }
            Err(e) => return with_headers(PageError::from(e).into_response()),
        },
    };
    req.extensions_mut().insert(PreSession(pre));
    let mut response = next.run(req).await;
    if let Some(value) = new_pre {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, PRE_COOKIE, &value, "/", None),
        );
    }
    with_headers(response)
}

/// No `Origin` (older browsers, same-origin navigations in some) passes; the CSRF
/// token still has to match. A present `Origin` must be exactly ours.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    headers
        .get(header::ORIGIN)
        .is_none_or(|origin| origin.as_bytes() == state.origin.as_bytes())
}

fn with_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not `no-referrer`: under it browsers send `Origin: null` with same-origin form
    // posts, which `same_origin` must refuse. `same-origin` still sends nothing to
    // other sites.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Pages show secrets, recovery codes or personal data: keep them out of caches.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
