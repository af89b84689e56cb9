//! `/link`: approving the desktop app (RFC 8628 §3.3). The app shows a user code and
//! this address (`verification_uri`, or `verification_uri_complete` with the code
//! filled in); the signed-in person checks the code and approves or denies it through
//! the API's own `device/approve` and `device/deny` handlers.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::html::{csrf_field, escape, layout, maybe_notice, notice};
use super::security::require_user;
use super::{Page, PageError, Posted, Visitor, body};
use crate::api::AppState;
use crate::api::device;
use crate::token::normalize_user_code;

/// Escaped in a query value; `-` stays, so codes read as the app shows them.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-');

/// The one client that links: what the person is told is asking.
const CLIENT_NAME: &str = "Latchkey desktop app";

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CodeQuery {
    user_code: Option<String>,
}

/// `GET /link` (enter the code) and `GET /link?user_code=…` (approve or deny it).
pub(crate) async fn page(visitor: Visitor, Query(q): Query<CodeQuery>) -> Response {
    let here = match &q.user_code {
        Some(code) => format!(
            "/link?user_code={}",
            percent_encoding::utf8_percent_encode(code, QUERY_VALUE)
        ),
        None => "/link".to_owned(),
    };
    if let Err(redirect) = require_user(&visitor, &here) {
        return redirect.into_response();
    }
    match q
        .user_code
        .as_deref()
        .map(normalize_user_code)
        .filter(|c| !c.is_empty())
    {
        Some(code) => Page::ok(decide_html(&visitor, &code)).into_response(),
        None => Page::ok(enter_html(&visitor, None)).into_response(),
    }
}

fn enter_html(visitor: &Visitor, error: Option<&str>) -> String {
    let main = format!(
        r#"<section class="card narrow">
  <h1>Link a device</h1>
  <p>Enter the code shown in the {CLIENT_NAME}.</p>
  {error}
  <form method="get" action="/link" class="stack">
    <label>Code <input name="user_code" class="code" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="BCDF-GHJK" required autofocus></label>
    <button class="primary">Continue</button>
  </form>
</section>"#,
        error = maybe_notice("error", error),
    );
    layout(Some(visitor), "Link a device", &main)
}

fn decide_html(visitor: &Visitor, code: &str) -> String {
    let email = visitor
        .user
        .as_ref()
        .map(|u| u.email.as_str())
        .unwrap_or_default();
    let main = format!(
        r#"<section class="card narrow">
  <h1>Link the {CLIENT_NAME}?</h1>
  <p>The {CLIENT_NAME} is asking to sign in to your account <strong>{email}</strong>.</p>
  <p>Check that the app shows this code:</p>
  <p class="usercode">{code}</p>
  <p class="muted">If you did not start linking in the app, or the codes differ, deny it.</p>
  <div class="actions">
    <form method="post" action="/link/approve" class="inline">{csrf}<input type="hidden" name="user_code" value="{code}"><button class="primary">Approve</button></form>
    <form method="post" action="/link/deny" class="inline">{csrf}<input type="hidden" name="user_code" value="{code}"><button>Deny</button></form>
  </div>
</section>"#,
        email = escape(email),
        code = escape(code),
        csrf = csrf_field(visitor),
    );
    layout(Some(visitor), "Link a device", &main)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DecisionForm {
    user_code: String,
}

/// `POST /link/approve`.
pub(crate) async fn approve(
    State(s): State<AppState>,
    posted: Posted<DecisionForm>,
) -> Result<Response, PageError> {
    decide(s, posted, true).await
}

/// `POST /link/deny`.
pub(crate) async fn deny(
    State(s): State<AppState>,
    posted: Posted<DecisionForm>,
) -> Result<Response, PageError> {
    decide(s, posted, false).await
}

async fn decide(
    s: AppState,
    Posted { visitor, form }: Posted<DecisionForm>,
    approve: bool,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, "/link")?;
    let request = body(json!({ "user_code": form.user_code }))?;
    let result = if approve {
        device::approve(State(s.clone()), user.caller(), request).await
    } else {
        device::deny(State(s.clone()), user.caller(), request).await
    };
    if let Err(e) = result {
        let html = enter_html(&visitor, Some(e.message()));
        return Ok(Page::with_status(e.status(), html).into_response());
    }
    let (title, text) = if approve {
        (
            "Device linked",
            format!("The {CLIENT_NAME} is now signed in to your account. You can go back to it."),
        )
    } else {
        (
            "Link denied",
            format!("The {CLIENT_NAME} was not linked. You can close this page."),
        )
    };
    let main = format!(
        r#"<section class="card narrow"><h1>{title}</h1>{}<p><a href="/account/security">Go to your account</a></p></section>"#,
        notice(if approve { "ok" } else { "info" }, &text),
    );
    Ok(Page::ok(layout(Some(&visitor), title, &main)).into_response())
}
