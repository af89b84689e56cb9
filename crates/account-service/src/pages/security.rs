//! `/account/security`: two-factor authentication for the signed-in person — its state,
//! recovery codes (shown once, with a download; how many remain; regenerate), turning
//! 2FA off, passkeys (listed, added, removed), and the person's teams. Setting up the
//! authenticator app is in `pages::totp`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::browser::SignedIn;
use super::html::{csrf_field, date, escape, layout, layout_with_script, maybe_notice, notice};
use super::{Page, PageError, Posted, Visitor, body};
use crate::api::AppState;
use crate::api::{accounts, mfa, passkeys};
use crate::error::ApiError;
use crate::passkey;

pub(super) const HERE: &str = "/account/security";

/// The signed-in user, or a redirect to the sign-in page that comes back to `here`.
pub(crate) fn require_user<'a>(
    visitor: &'a Visitor,
    here: &str,
) -> Result<&'a SignedIn, PageError> {
    visitor.user.as_ref().ok_or_else(|| {
        let next = percent_encoding::utf8_percent_encode(here, percent_encoding::NON_ALPHANUMERIC);
        PageError::SignIn(Redirect::to(&format!("/login?next={next}")))
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Done {
    done: Option<String>,
}

/// `GET /account/security`.
pub(crate) async fn overview(
    State(s): State<AppState>,
    visitor: Visitor,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    let fail = |e| PageError::new(&visitor, e);
    let me = serde_json::to_value(
        accounts::me(State(s.clone()), user.caller())
            .await
            .map_err(fail)?
            .0,
    )
    .map_err(|_| fail(ApiError::internal()))?;
    let codes = mfa::recovery_status(State(s.clone()), user.caller())
        .await
        .map_err(fail)?
        .0;
    let passkeys = passkeys::list(State(s.clone()), user.caller())
        .await
        .map_err(fail)?
        .0;
    let done = match q.done.as_deref() {
        Some("disabled") => notice("ok", "Two-factor authentication is off."),
        Some("passkey_added") => notice("ok", "Your passkey was added."),
        Some("passkey_removed") => notice("ok", "The passkey was removed."),
        _ => String::new(),
    };
    let totp = me["mfa"]["totp"] == json!(true);
    // A passkey is a second factor too: a passkey-only user has two-factor on.
    let two_factor = if totp || !passkeys.is_empty() {
        enabled_html(
            &visitor,
            &Factors {
                totp,
                remaining: codes.remaining,
                total: codes.total,
                generated_at: codes.generated_at,
            },
        )
    } else {
        disabled_html(&visitor)
    };
    let disable = if totp {
        disable_html(&visitor, None)
    } else {
        String::new()
    };
    let main = format!(
        r#"<h1>Security</h1>
{done}
{two_factor}
{passkeys}
{disable}
{teams}"#,
        passkeys = passkeys_html(&visitor, &passkeys),
        teams = teams_html(&me["teams"]),
    );
    Ok(Page::ok(layout_with_script(&visitor, "Security", &main)).into_response())
}

fn disabled_html(visitor: &Visitor) -> String {
    format!(
        r#"<section class="card">
  <div class="row"><h2>Two-factor authentication</h2><span class="badge off">Off</span></div>
  <p>Protect your account with a second step at sign-in: a 6-digit code from an authenticator app on your phone or computer. Someone who learns your password still cannot sign in.</p>
  <form method="post" action="/account/security/totp">{csrf}<button class="primary">Set up two-factor authentication</button></form>
</section>"#,
        csrf = csrf_field(visitor),
    )
}

/// What the "on" state shows: whether the authenticator app is set up, and the
/// recovery codes.
struct Factors {
    totp: bool,
    remaining: i64,
    total: i64,
    generated_at: Option<i64>,
}

/// Two-factor is on through passkeys alone: offer the authenticator app and recovery
/// codes; turning it off is removing the passkeys.
fn passkey_only_html(visitor: &Visitor, f: &Factors) -> String {
    format!(
        r#"<section class="card">
  <div class="row"><h2>Two-factor authentication</h2><span class="badge on">On</span></div>
  <p>Signing in asks for one of your passkeys after your password. Removing all of them turns two-factor authentication off.</p>
  <form method="post" action="/account/security/totp">{csrf}<button>Also set up an authenticator app</button></form>
</section>
<section class="card">
  <h2>Recovery codes</h2>
  <p>Use one to sign in if you lose your passkeys. Each code works once.</p>
  {stat}
  <form method="post" action="/account/security/recovery-codes">{csrf}<button>{make} recovery codes</button></form>
</section>"#,
        csrf = csrf_field(visitor),
        make = if f.total > 0 { "Regenerate" } else { "Make" },
        stat = if f.total > 0 {
            format!(
                r#"<p class="stat"><strong>{}</strong> of {} remaining</p>"#,
                f.remaining, f.total
            )
        } else {
            r#"<p class="muted">You have no recovery codes yet.</p>"#.to_owned()
        },
    )
}

fn enabled_html(visitor: &Visitor, f: &Factors) -> String {
    let (remaining, total) = (f.remaining, f.total);
    if !f.totp {
        return passkey_only_html(visitor, f);
    }
    let low = if remaining <= 3 {
        notice(
            "info",
            "You are running low on recovery codes. Make a new set so you are not locked out.",
        )
    } else {
        String::new()
    };
    let made = f
        .generated_at
        .map(|t| format!(" · made {}", date(t)))
        .unwrap_or_default();
    format!(
        r#"<section class="card">
  <div class="row"><h2>Two-factor authentication</h2><span class="badge on">On</span></div>
  <p>Signing in asks for a code from your authenticator app, or a passkey, after your password.</p>
</section>
<section class="card">
  <h2>Recovery codes</h2>
  <p>Use one to sign in if you lose access to your authenticator app. Each code works once.</p>
  <p class="stat"><strong>{remaining}</strong> of {total} remaining<span class="muted">{made}</span></p>
  {low}
  <form method="post" action="/account/security/recovery-codes">{csrf}
    <button>Regenerate recovery codes</button>
    <small>Your current codes stop working at once; the new ones are shown one time.</small>
  </form>
</section>"#,
        csrf = csrf_field(visitor),
    )
}

/// "Turn off two-factor authentication", with a code; last on the page.
fn disable_html(visitor: &Visitor, error: Option<&str>) -> String {
    format!(
        r#"<section class="card danger">
  <h2>Turn off two-factor authentication</h2>
  <p>Signing in will only need your password. Your authenticator app setup, passkeys and recovery codes are removed.</p>
  {error}
  <form method="post" action="/account/security/disable" class="stack">{csrf}
    <label>Current code from your app, or a recovery code
      <input name="code" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required></label>
    <button class="danger">Turn off two-factor</button>
  </form>
</section>"#,
        csrf = csrf_field(visitor),
        error = maybe_notice("error", error),
    )
}

/// The Passkeys card: each passkey (name, added, last used) with Remove, and "Add a
/// passkey", which `passkey.js` runs (the form stays hidden without it).
fn passkeys_html(visitor: &Visitor, passkeys: &[passkey::Summary]) -> String {
    let csrf = csrf_field(visitor);
    let list = if passkeys.is_empty() {
        r#"<p class="muted">No passkeys yet. A passkey lets you finish signing in with your fingerprint, face or device PIN instead of a code.</p>"#.to_owned()
    } else {
        let items: String = passkeys
            .iter()
            .map(|p| {
                let used = p.last_used_at.map_or("never used".to_owned(), |t| {
                    format!("last used {}", date(t))
                });
                format!(
                    r#"<li><span><strong>{name}</strong> <span class="muted">added {added} · {used}</span></span>
      <form method="post" action="/account/security/passkeys/{id}/remove" class="inline">{csrf}<button class="small" aria-label="Remove {name}">Remove</button></form></li>"#,
                    name = escape(&p.name),
                    added = date(p.created_at),
                    id = escape(&p.id),
                )
            })
            .collect();
        format!(r#"<ul class="plain passkeys">{items}</ul>"#)
    };
    format!(
        r#"<section class="card" id="passkeys">
  <h2>Passkeys</h2>
  {list}
  <form method="post" action="/account/security/passkeys" class="stack" id="passkey-add" data-options="/account/security/passkeys/options" hidden>{csrf}
    <input type="hidden" name="ceremony_id">
    <input type="hidden" name="credential">
    <label>Name for the new passkey
      <input type="text" name="name" maxlength="64" placeholder="e.g. Work laptop" autocomplete="off" required>
      <small>Your browser or device asks you to confirm with your fingerprint, face or PIN.</small></label>
    <p class="notice error" role="alert" data-passkey-error hidden></p>
    <button class="primary">Add a passkey</button>
  </form>
  <p class="muted" data-passkey-unsupported>Adding a passkey needs a browser with passkey support and JavaScript turned on.</p>
</section>"#
    )
}

fn teams_html(teams: &Value) -> String {
    let Some(teams) = teams.as_array().filter(|t| !t.is_empty()) else {
        return String::new();
    };
    let items: String = teams
        .iter()
        .map(|t| {
            let id = t["id"].as_str().unwrap_or_default();
            let name = t["name"].as_str().unwrap_or_default();
            let required = if t["require_2fa"] == json!(true) {
                r#" <span class="badge">2FA required</span>"#
            } else {
                ""
            };
            format!(
                r#"<li><a href="/teams/{}">{}</a>{required}</li>"#,
                escape(id),
                escape(name)
            )
        })
        .collect();
    format!(r#"<section class="card"><h2>Your teams</h2><ul class="plain">{items}</ul></section>"#)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CodeForm {
    pub(super) code: String,
}

/// `POST /account/security/recovery-codes`: a new set, shown once.
pub(crate) async fn regenerate(
    State(s): State<AppState>,
    Posted { visitor, .. }: Posted<super::account::Nothing>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    let answer = mfa::recovery_regenerate(State(s.clone()), user.caller())
        .await
        .map_err(|e| PageError::new(&visitor, e))?;
    Ok(codes_html(
        &visitor,
        &answer.0,
        "New recovery codes are ready. Your old codes no longer work.",
    ))
}

pub(super) fn codes_html(visitor: &Visitor, answer: &Value, headline: &str) -> Response {
    let codes: Vec<&str> = answer["recovery_codes"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let items: String = codes
        .iter()
        .map(|c| format!("<li><code>{}</code></li>", escape(c)))
        .collect();
    let text = Zeroizing::new(format!(
        "Latchkey Demo recovery codes\nEach code works once.\n\n{}\n",
        codes.join("\n")
    ));
    let href = format!(
        "data:text/plain;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
    );
    let main = format!(
        r#"<h1>Save your recovery codes</h1>
{headline}
<section class="card">
  <p>If you lose your phone or your authenticator app, a recovery code lets you sign in. Each code works once. Keep them somewhere safe, such as a password manager or a printed copy.</p>
  <p><strong>This is the only time these codes are shown.</strong></p>
  <ol class="codes">{items}</ol>
  <div class="actions">
    <a class="button" href="{href}" download="latchkey-demo-recovery-codes.txt">Download .txt</a>
    <span class="hint">To copy them, select the list and press Ctrl+C (⌘C on a Mac).</span>
  </div>
</section>
<p><a class="button primary" href="/account/security">I have saved my codes</a></p>"#,
        headline = notice("ok", headline),
        href = escape(&href),
    );
    Page::ok(layout(Some(visitor), "Recovery codes", &main)).into_response()
}

/// `POST /account/security/disable`: with a current TOTP code (digits) or a recovery
/// code (anything else).
pub(crate) async fn disable(
    State(s): State<AppState>,
    Posted { visitor, form }: Posted<CodeForm>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, HERE)?;
    let digits = form
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| c.is_ascii_digit());
    let field = if digits { "totp_code" } else { "recovery_code" };
    let request = body(json!({ field: form.code }))?;
    match mfa::disable(State(s.clone()), user.caller(), request).await {
        Ok(_) => Ok(Redirect::to("/account/security?done=disabled").into_response()),
        Err(e) if matches!(e.code(), "invalid_code" | "too_many_attempts") => {
            let fail = |e| PageError::new(&visitor, e);
            let codes = mfa::recovery_status(State(s.clone()), user.caller())
                .await
                .map_err(fail)?
                .0;
            let message = match e.retry_after() {
                Some(seconds) => format!(
                    "Too many wrong codes. Try again in {} minute(s).",
                    (seconds + 59) / 60
                ),
                None => e.message().to_owned(),
            };
            let main = format!(
                "<h1>Security</h1>\n{}\n{}",
                enabled_html(
                    &visitor,
                    &Factors {
                        totp: true,
                        remaining: codes.remaining,
                        total: codes.total,
                        generated_at: codes.generated_at,
                    },
                ),
                disable_html(&visitor, Some(&message)),
            );
            Ok(
                Page::with_status(e.status(), layout(Some(&visitor), "Security", &main))
                    .into_response(),
            )
        }
        Err(e) => Err(PageError::new(&visitor, e)),
    }
}
