//! `/signup`, `/login`, `/login/second-factor`, `/logout`: the forms over the API's own
//! sign-up, sign-in, second-factor and sign-out handlers.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::browser::{MFA_COOKIE, SESSION_COOKIE, cookie, set_cookie};
use super::html::{csrf_field, escape, layout, layout_with_script, maybe_notice};
use super::{Page, PageError, Posted, Visitor, body};
use crate::api::AppState;
use crate::api::accounts;
use crate::error::ApiError;
use crate::session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Next {
    next: Option<String>,
}

/// `next` if it is a path on this site (not `//host`, not a scheme), else the default.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control()) =>
        {
            n.to_owned()
        }
        _ => "/account/security".to_owned(),
    }
}

/// The query string that carries `next` on to another page.
fn next_query(next: &str) -> String {
    format!(
        "?next={}",
        percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CredentialsForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn signup_form(visitor: Visitor) -> Page {
    Page::ok(signup_html(&visitor, "", None))
}

fn signup_html(visitor: &Visitor, email: &str, error: Option<&str>) -> String {
    let main = format!(
        r#"<section class="card narrow">
  <h1>Create your account</h1>
  {notice}
  <form method="post" action="/signup" class="stack">
    {csrf}
    <label>Email <input type="email" name="email" value="{email}" autocomplete="email" required autofocus></label>
    <label>Password <input type="password" name="password" autocomplete="new-password" minlength="8" required>
      <small>At least 8 characters. A long passphrase is best.</small></label>
    <button class="primary">Create account</button>
  </form>
  <p class="aside">Already have an account? <a href="/login">Sign in</a></p>
</section>"#,
        notice = maybe_notice("error", error),
        csrf = csrf_field(visitor),
        email = escape(email),
    );
    layout(Some(visitor), "Create account", &main)
}

pub(crate) async fn signup(
    State(s): State<AppState>,
    Posted { visitor, form }: Posted<CredentialsForm>,
) -> Result<Response, PageError> {
    let credentials = json!({ "email": form.email, "password": form.password });
    if let Err(e) = accounts::create_user(State(s.clone()), body(credentials.clone())?).await {
        let html = signup_html(&visitor, &form.email, Some(e.message()));
        return Ok(Page::with_status(e.status(), html).into_response());
    }
    let answer = accounts::sign_in(State(s.clone()), body(credentials)?)
        .await?
        .0;
    signed_in(&s, &answer, "/account/security")
}

pub(crate) async fn login_form(visitor: Visitor, Query(q): Query<Next>) -> Response {
    if visitor.user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    Page::ok(login_html(&visitor, "", q.next.as_deref(), None)).into_response()
}

fn login_html(visitor: &Visitor, email: &str, next: Option<&str>, error: Option<&str>) -> String {
    let main = format!(
        r#"<section class="card narrow">
  <h1>Sign in</h1>
  {notice}
  <form method="post" action="/login" class="stack">
    {csrf}
    <input type="hidden" name="next" value="{next}">
    <label>Email <input type="email" name="email" value="{email}" autocomplete="username" required autofocus></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
    <button class="primary">Continue</button>
  </form>
  <p class="aside">New here? <a href="/signup">Create an account</a></p>
</section>"#,
        notice = maybe_notice("error", error),
        csrf = csrf_field(visitor),
        next = escape(&safe_next(next)),
        email = escape(email),
    );
    layout(Some(visitor), "Sign in", &main)
}

pub(crate) async fn login(
    State(s): State<AppState>,
    Posted { visitor, form }: Posted<CredentialsForm>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref());
    let credentials = json!({ "email": form.email, "password": form.password });
    let answer = match accounts::sign_in(State(s.clone()), body(credentials)?).await {
        Ok(answer) => answer.0,
        Err(e) => {
            let html = login_html(&visitor, &form.email, Some(&next), Some(e.message()));
            return Ok(Page::with_status(e.status(), html).into_response());
        }
    };
    if let Some(mfa_token) = answer["mfa_token"].as_str() {
        let max_age = answer["expires_in"]
            .as_i64()
            .unwrap_or(session::MFA_TOKEN_SECONDS);
        let cookie = set_cookie(&s, MFA_COOKIE, mfa_token, "/login", Some(max_age));
        // Without an authenticator app, the passkey is the step to show first.
        let methods = &answer["methods"];
        let passkey_first =
            !methods_include(methods, "totp") && methods_include(methods, "passkey");
        let to = format!(
            "/login/second-factor{}{}",
            next_query(&next),
            if passkey_first { "&method=passkey" } else { "" }
        );
        return Ok((
            AppendHeaders([(header::SET_COOKIE, cookie)]),
            Redirect::to(&to),
        )
            .into_response());
    }
    signed_in(&s, &answer, &next)
}

fn methods_include(methods: &Value, method: &str) -> bool {
    methods
        .as_array()
        .is_some_and(|m| m.iter().any(|v| v.as_str() == Some(method)))
}

/// Sets the session cookie from an API answer `{"token"}` and goes on to `next`.
fn signed_in(s: &AppState, answer: &Value, next: &str) -> Result<Response, PageError> {
    let token = answer["token"].as_str().ok_or_else(ApiError::internal)?;
    let session = set_cookie(s, SESSION_COOKIE, token, "/", Some(session::TOKEN_SECONDS));
    let clear_mfa = set_cookie(s, MFA_COOKIE, "", "/login", Some(0));
    Ok((
        AppendHeaders([
            (header::SET_COOKIE, session),
            (header::SET_COOKIE, clear_mfa),
        ]),
        Redirect::to(next),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct FactorQuery {
    next: Option<String>,
    method: Option<String>,
}

pub(crate) async fn second_factor_form(
    State(s): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Query(q): Query<FactorQuery>,
) -> Response {
    let Some(mfa_token) = cookie(&headers, MFA_COOKIE) else {
        return Redirect::to("/login").into_response();
    };
    let Ok(methods) = methods_for(&s, mfa_token.to_owned()).await else {
        return Redirect::to(&format!(
            "/login{}",
            next_query(&safe_next(q.next.as_deref()))
        ))
        .into_response();
    };
    let method = Method::from_name(q.method.as_deref().unwrap_or_default());
    Page::ok(factor_html(
        &visitor,
        method,
        &methods,
        q.next.as_deref(),
        None,
    ))
    .into_response()
}

/// The second factors the person behind this sign-in attempt has, so the step offers
/// only those (the API checks whatever is posted regardless).
async fn methods_for(s: &AppState, mfa_token: String) -> Result<Vec<&'static str>, ApiError> {
    let now = s.clock.now();
    s.db.write(move |tx| {
        let user_id = session::challenge_user(tx, &mfa_token, now)?;
        accounts::second_factor_methods(tx, &user_id)
    })
    .await
}

/// Which second factor the step's form asks for.
#[derive(Clone, Copy, PartialEq)]
enum Method {
    Totp,
    RecoveryCode,
    Passkey,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::RecoveryCode => "recovery_code",
            Self::Passkey => "passkey",
        }
    }

    fn from_name(name: &str) -> Self {
        match name {
            "recovery_code" => Self::RecoveryCode,
            "passkey" => Self::Passkey,
            _ => Self::Totp,
        }
    }
}

fn factor_html(
    visitor: &Visitor,
    method: Method,
    methods: &[&str],
    next: Option<&str>,
    error: Option<&str>,
) -> String {
    let next = safe_next(next);
    let has = |name: &str| methods.contains(&name);
    // The method asked for, if the person has it; else the first they have.
    let method = [method, Method::Totp, Method::Passkey, Method::RecoveryCode]
        .into_iter()
        .find(|m| has(m.name()))
        .unwrap_or(Method::Totp);
    let query = escape(&next_query(&next));
    let link = |to: Method, text: &str| {
        if !has(to.name()) || to == method {
            return String::new();
        }
        let tail = match to {
            Method::Totp => String::new(),
            other => format!("&amp;method={}", other.name()),
        };
        format!(r#"<a href="/login/second-factor{query}{tail}">{text}</a>"#)
    };
    let others = [
        link(Method::Totp, "Use your authenticator app instead"),
        link(Method::RecoveryCode, "Use a recovery code instead"),
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let passkey = if has("passkey") {
        passkey_html(visitor, &next, method == Method::Passkey)
    } else {
        String::new()
    };
    if method == Method::Passkey {
        let main = format!(
            r#"<section class="card narrow">
  <h1>Two-factor authentication</h1>
  <p>Confirm it is you with one of your passkeys: your browser or device asks for your fingerprint, face or PIN.</p>
  {notice}
  {passkey}
  <p class="aside">{others}</p>
</section>"#,
            notice = maybe_notice("error", error),
        );
        return layout_with_script(visitor, "Two-factor authentication", &main);
    }
    let (intro, field) = if method == Method::RecoveryCode {
        (
            "Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.",
            r#"<label>Recovery code <input name="code" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="xxxxx-xxxxx" required autofocus></label>"#,
        )
    } else {
        (
            "Open your authenticator app and enter the 6-digit code it shows for this account.",
            r#"<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" placeholder="123456" required autofocus class="code"></label>"#,
        )
    };
    let method = method.name();
    let main = format!(
        r#"<section class="card narrow">
  <h1>Two-factor authentication</h1>
  <p>{intro}</p>
  {notice}
  <form method="post" action="/login/second-factor" class="stack">
    {csrf}
    <input type="hidden" name="method" value="{method}">
    <input type="hidden" name="next" value="{next}">
    {field}
    <button class="primary">Verify</button>
  </form>
  {passkey}
  <p class="aside">{others}</p>
</section>"#,
        notice = maybe_notice("error", error),
        csrf = csrf_field(visitor),
        next = escape(&next),
    );
    layout_with_script(visitor, "Two-factor authentication", &main)
}

/// "Use a passkey": `passkey.js` fetches the sign-in's challenge, runs
/// `navigator.credentials.get` and posts the assertion here as `method=passkey`. Hidden
/// until the script finds WebAuthn in the browser.
fn passkey_html(visitor: &Visitor, next: &str, primary: bool) -> String {
    format!(
        r#"<form method="post" action="/login/second-factor" class="stack passkey-step" id="passkey-sign-in" data-options="/login/second-factor/passkey-options" hidden>
    {csrf}
    <input type="hidden" name="method" value="passkey">
    <input type="hidden" name="next" value="{next}">
    <input type="hidden" name="passkey">
    <p class="notice error" role="alert" data-passkey-error hidden></p>
    <button{class}>Use a passkey</button>
  </form>
  <p class="muted" data-passkey-unsupported{hidden}>Signing in with a passkey needs a browser with passkey support and JavaScript turned on.</p>"#,
        csrf = csrf_field(visitor),
        next = escape(next),
        class = if primary { r#" class="primary""# } else { "" },
        hidden = if primary { "" } else { " hidden" },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct FactorForm {
    method: String,
    code: String,
    /// With `method=passkey`: the `AuthenticationResponseJSON`, as text.
    passkey: String,
    next: Option<String>,
}

pub(crate) async fn second_factor(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    Posted { visitor, form }: Posted<FactorForm>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref());
    let Some(mfa_token) = cookie(&headers, MFA_COOKIE) else {
        return Ok(Redirect::to(&format!("/login{}", next_query(&next))).into_response());
    };
    let method = Method::from_name(&form.method);
    let request = match method {
        Method::Passkey => {
            // Anything that is not JSON is left for the API to refuse as a wrong passkey.
            let passkey: Value = serde_json::from_str(&form.passkey).unwrap_or(Value::Null);
            json!({ "mfa_token": mfa_token, "passkey": passkey })
        }
        Method::RecoveryCode => json!({ "mfa_token": mfa_token, "recovery_code": form.code }),
        Method::Totp => json!({ "mfa_token": mfa_token, "totp_code": form.code }),
    };
    // A passkey response that is not an `AuthenticationResponseJSON` is a wrong passkey.
    let request = body(request).map_err(|_| {
        ApiError::bad_request(
            "unreadable_passkey",
            "The browser's passkey response could not be read.",
        )
    });
    match async { accounts::sign_in_second_factor(State(s.clone()), request?).await }.await {
        Ok(answer) => signed_in(&s, &answer.0, &next),
        Err(e) if matches!(e.code(), "invalid_mfa_token" | "mfa_token_expired") => {
            let html = login_html(&visitor, "", Some(&next), Some(e.message()));
            Ok(Page::with_status(e.status(), html).into_response())
        }
        Err(e) => {
            let message = match e.retry_after() {
                Some(seconds) => format!(
                    "Too many wrong codes. For your safety, two-factor sign-in is paused; try again in {} minute(s).",
                    (seconds + 59) / 60
                ),
                None if e.code() == "invalid_passkey" => {
                    "That passkey did not verify. Try again, or use a code.".to_owned()
                }
                None => e.message().to_owned(),
            };
            let methods = methods_for(&s, mfa_token.to_owned())
                .await
                .unwrap_or_default();
            let html = factor_html(&visitor, method, &methods, Some(&next), Some(&message));
            let mut response = Page::with_status(e.status(), html).into_response();
            if let Some(seconds) = e.retry_after() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, seconds.into());
            }
            Ok(response)
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Nothing {}

pub(crate) async fn logout(
    State(s): State<AppState>,
    Posted { visitor, .. }: Posted<Nothing>,
) -> Result<Response, PageError> {
    if let Some(user) = &visitor.user {
        accounts::sign_out(State(s.clone()), user.caller()).await?;
    }
    let clear = set_cookie(&s, SESSION_COOKIE, "", "/", Some(0));
    Ok((
        AppendHeaders([(header::SET_COOKIE, clear)]),
        Redirect::to("/login"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn follows_only_paths_on_this_site_after_signing_in() {
        assert_eq!(
            safe_next(Some("/link?user_code=BCDF-GHJK")),
            "/link?user_code=BCDF-GHJK"
        );
        for outside in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(outside)), "/account/security", "{outside:?}");
        }
        assert_eq!(safe_next(None), "/account/security");
    }
}
