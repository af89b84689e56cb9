//! `/teams/{id}`: the team page over the API's own team handlers. While the team
//! requires two-factor authentication, a member without it gets a 403 page that says
//! why and where to turn it on.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::html::{csrf_field, escape, layout};
use super::security::require_user;
use super::{Page, PageError, Posted, Visitor, body};
use crate::api::AppState;
use crate::api::teams;

/// `GET /teams/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    visitor: Visitor,
    Path(team_id): Path<String>,
) -> Result<Response, PageError> {
    let user = require_user(&visitor, &format!("/teams/{team_id}"))?;
    let team = match teams::show(State(s.clone()), user.caller(), Path(team_id)).await {
        Ok(team) => serde_json::to_value(team.0).unwrap_or_default(),
        Err(e) if e.code() == "team_requires_2fa" => {
            let main = r#"<section class="card narrow">
  <h1>Two-factor authentication required</h1>
  <p>This team requires every member to use two-factor authentication, and your account does not have it turned on yet.</p>
  <p>Set up an authenticator app for your account; then you can open this team again.</p>
  <p><a class="button primary" href="/account/security">Set up two-factor authentication</a></p>
</section>"#;
            let html = layout(Some(&visitor), "Two-factor authentication required", main);
            return Ok(Page::with_status(e.status(), html).into_response());
        }
        Err(e) => return Err(PageError::new(&visitor, e)),
    };
    Ok(Page::ok(team_html(&visitor, &team)).into_response())
}

fn team_html(visitor: &Visitor, team: &Value) -> String {
    let admin = team["role"] == json!("admin");
    let required = team["require_2fa"] == json!(true);
    let members: String = team["members"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let two_factor = match m["two_factor"].as_bool() {
                Some(true) => r#"<td><span class="badge on">On</span></td>"#,
                Some(false) => r#"<td><span class="badge off">Off</span></td>"#,
                None => "",
            };
            format!(
                "<tr><td>{}</td><td>{}</td>{two_factor}</tr>",
                escape(m["email"].as_str().unwrap_or_default()),
                escape(m["role"].as_str().unwrap_or_default()),
            )
        })
        .collect();
    let two_factor_head = if admin { "<th>Two-factor</th>" } else { "" };
    let settings = if admin {
        let checked = if required { " checked" } else { "" };
        format!(
            r#"<section class="card">
  <h2>Security settings</h2>
  <form method="post" action="/teams/{id}/settings" class="stack">{csrf}
    <label class="check"><input type="checkbox" name="require_2fa" value="on"{checked}>
      Require two-factor authentication for all members</label>
    <small>Members without it cannot open the team until they turn it on.</small>
    <div><button class="primary">Save</button></div>
  </form>
</section>"#,
            id = escape(team["id"].as_str().unwrap_or_default()),
            csrf = csrf_field(visitor),
        )
    } else if required {
        r#"<p class="muted">This team requires two-factor authentication.</p>"#.to_owned()
    } else {
        String::new()
    };
    let main = format!(
        r#"<h1>{name}</h1>
<section class="card">
  <h2>Members</h2>
  <table><thead><tr><th>Email</th><th>Role</th>{two_factor_head}</tr></thead><tbody>{members}</tbody></table>
</section>
{settings}"#,
        name = escape(team["name"].as_str().unwrap_or_default()),
    );
    layout(
        Some(visitor),
        team["name"].as_str().unwrap_or("Team"),
        &main,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SettingsForm {
    require_2fa: Option<String>,
}

/// `POST /teams/{id}/settings` (admins).
pub(crate) async fn settings(
    State(s): State<AppState>,
    Path(team_id): Path<String>,
    Posted { visitor, form }: Posted<SettingsForm>,
) -> Result<Response, PageError> {
    let here = format!("/teams/{team_id}");
    let user = require_user(&visitor, &here)?;
    let request = body(json!({ "require_2fa": form.require_2fa.is_some() }))?;
    let _saved = teams::settings(State(s.clone()), user.caller(), Path(team_id), request)
        .await
        .map_err(|e| PageError::new(&visitor, e))?;
    Ok(Redirect::to(&here).into_response())
}
