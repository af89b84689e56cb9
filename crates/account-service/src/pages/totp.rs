//! Setting up the authenticator app on `/account/security/totp`: a new pending secret,
//! shown as an inline SVG QR code of its `otpauth://` URI and as text in groups of four,
//! then confirmed with a code from the app — after which the recovery codes are shown.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rusqlite::params;
use serde_json::json;
use zeroize::Zeroizing;

use super::browser::SignedIn;
use super::html::{csrf_field, escape, layout, maybe_notice};
use super::security::{CodeForm, HERE, codes_html, require_user};
use super::{Page, PageError, Posted, Visitor, body};
use crate::api::AppState;
use crate::api::mfa;
use crate::error::ApiError;
use crate::{second_factor, totp};

/// `POST /account/security/totp`: a new pending secret, then the setup page.
pub(crate) async fn start_setup(
    State(s): State<AppState>,
    Posted { visitor, .. }: Posted<super::account::Nothing>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    // The answer (secret and URI) is shown by the setup page, from the database.
    let _shown_next = mfa::totp_setup(State(s.clone()), user.caller())
        .await
        .map_err(|e| PageError::new(&visitor, e))?;
    Ok(Redirect::to("/account/security/totp").into_response())
}

/// `GET /account/security/totp`: the pending secret as a QR code and as text.
pub(crate) async fn setup_page(
    State(s): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, "/account/security/totp")?;
    match pending_uri(&s, user)
        .await
        .map_err(|e| PageError::new(&visitor, e))?
    {
        Some(uri) => Ok(setup_html(&visitor, &uri, None, StatusCode::OK)),
        None => Ok(Redirect::to(HERE).into_response()),
    }
}

/// The `otpauth://` URI of the user's pending (unconfirmed) secret, if there is one.
async fn pending_uri(s: &AppState, user: &SignedIn) -> Result<Option<Zeroizing<String>>, ApiError> {
    let keys = Arc::clone(&s.keys);
    let issuer = s.name.clone();
    let user_id = user.user_id.clone();
    s.db.read(move |c| {
        let (email, pending, active): (String, Option<Vec<u8>>, bool) = c.query_row(
            "SELECT email, totp_pending, totp_secret IS NOT NULL FROM users WHERE id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let Some(sealed) = pending.filter(|_| !active) else {
            return Ok(None);
        };
        let secret = second_factor::open_secret(&keys, &user_id, &sealed)?;
        Ok(Some(totp::otpauth_uri(&issuer, &email, &secret)))
    })
    .await
}

/// The secret in an `otpauth://` URI, grouped in fours for typing.
fn grouped_secret(uri: &str) -> String {
    let secret = uri
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("secret="))
        .unwrap_or_default();
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The URI as an inline SVG QR code.
fn qr_svg(uri: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(|_| ApiError::internal())?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#111827"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    // Inline in HTML: drop the XML declaration; label the image.
    let svg = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
    Ok(svg.replacen(
        "<svg ",
        r#"<svg role="img" aria-label="QR code to scan with your authenticator app" "#,
        1,
    ))
}

fn setup_html(visitor: &Visitor, uri: &str, error: Option<&str>, status: StatusCode) -> Response {
    let qr = match qr_svg(uri) {
        Ok(svg) => svg,
        Err(e) => return PageError::new(visitor, e).into_response(),
    };
    let main = format!(
        r#"<h1>Set up two-factor authentication</h1>
<section class="card">
  <ol class="steps">
    <li>
      <h2>Scan the QR code</h2>
      <p>Open an authenticator app (such as Latchkey) and add an account by scanning this code.</p>
      <figure class="qr">{qr}</figure>
    </li>
    <li>
      <h2>Or enter the key by hand</h2>
      <p>If you cannot scan, type this key into the app. It is time-based, 6 digits.</p>
      <p><code class="secret">{secret}</code></p>
    </li>
    <li>
      <h2>Enter the code from the app</h2>
      {error}
      <form method="post" action="/account/security/totp/confirm" class="stack">{csrf}
        <label>6-digit code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" required autofocus class="code"></label>
        <div class="actions"><button class="primary">Turn on two-factor</button> <a href="/account/security">Cancel</a></div>
      </form>
    </li>
  </ol>
</section>"#,
        secret = escape(&grouped_secret(uri)),
        error = maybe_notice("error", error),
        csrf = csrf_field(visitor),
    );
    Page::with_status(
        status,
        layout(Some(visitor), "Set up two-factor authentication", &main),
    )
    .into_response()
}

/// `POST /account/security/totp/confirm`: on a right code, 2FA is on and the recovery
/// codes are shown — this once.
pub(crate) async fn confirm(
    State(s): State<AppState>,
    Posted { visitor, form }: Posted<CodeForm>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    let request = body(json!({ "code": form.code }))?;
    match mfa::totp_confirm(State(s.clone()), user.caller(), request).await {
        Ok(answer) => Ok(codes_html(
            &visitor,
            &answer.0,
            "Two-factor authentication is on.",
        )),
        Err(e) if e.code() == "invalid_code" => {
            let uri = pending_uri(&s, user)
                .await?
                .ok_or_else(ApiError::internal)?;
            Ok(setup_html(&visitor, &uri, Some(e.message()), e.status()))
        }
        Err(e) => Err(PageError::new(&visitor, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::grouped_secret;

    #[test]
    fn groups_the_uri_secret_in_fours() {
        let uri = "otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=A";
        assert_eq!(
            grouped_secret(uri),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
    }
}
