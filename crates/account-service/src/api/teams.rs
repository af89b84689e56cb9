//! Teams: create, add members, require two-factor authentication, show.
//!
//! While a team requires 2FA, a member (admins included) without a second factor is
//! refused the team's API with 403 `team_requires_2fa` — except that an admin may still
//! change the team's settings, so a team can never lock out its own admins.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::AppState;
use super::extract::{Caller, JsonBody};
use crate::error::ApiError;
use crate::second_factor;

const MAX_NAME_LEN: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Admin,
    Member,
}

/// The caller's place in a team.
struct Membership {
    role: Role,
    require_2fa: bool,
}

/// The caller's membership; 404 if the team does not exist or the caller is not in it
/// (the two are not told apart).
fn membership(conn: &Connection, team_id: &str, user_id: &str) -> Result<Membership, ApiError> {
    conn.query_row(
        "SELECT m.role, t.require_2fa FROM team_members m JOIN teams t ON t.id = m.team_id
         WHERE m.team_id = ?1 AND m.user_id = ?2",
        params![team_id, user_id],
        |r| {
            Ok(Membership {
                role: if r.get::<_, String>(0)? == "admin" {
                    Role::Admin
                } else {
                    Role::Member
                },
                require_2fa: r.get(1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| {
        ApiError::not_found(
            "team_not_found",
            "There is no such team, or you are not in it.",
        )
    })
}

/// Membership, refused while the team requires 2FA and the caller has none.
fn admitted(conn: &Connection, team_id: &str, user_id: &str) -> Result<Membership, ApiError> {
    let m = membership(conn, team_id, user_id)?;
    if m.require_2fa && !second_factor::enabled(conn, user_id)? {
        return Err(ApiError::forbidden(
            "team_requires_2fa",
            "This team requires two-factor authentication. Set up an authenticator app for your account, then try again.",
        ));
    }
    Ok(m)
}

fn admin_only(m: &Membership) -> Result<(), ApiError> {
    if m.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "not_team_admin",
            "Only a team admin can do that.",
        ))
    }
}

#[derive(Deserialize)]
pub(crate) struct NewTeam {
    name: String,
}

/// `POST /teams`: the caller becomes its admin.
pub(crate) async fn create(
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewTeam>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
        return Err(ApiError::bad_request(
            "invalid_name",
            format!("Give the team a name of 1 to {MAX_NAME_LEN} characters."),
        ));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let now = s.clock.now();
    let team_id = id.clone();
    s.db.write(move |tx| {
        tx.execute(
            "INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)",
            params![team_id, name, now],
        )?;
        tx.execute(
            "INSERT INTO team_members (team_id, user_id, role, added_at) VALUES (?1, ?2, 'admin', ?3)",
            params![team_id, caller.user_id, now],
        )?;
        Ok(())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

#[derive(Deserialize)]
pub(crate) struct NewMember {
    email: String,
}

/// `POST /teams/{id}/members` (admins): adds an existing user by email.
pub(crate) async fn add_member(
    State(s): State<AppState>,
    caller: Caller,
    Path(team_id): Path<String>,
    JsonBody(body): JsonBody<NewMember>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let email = body.email.trim().to_lowercase();
    let now = s.clock.now();
    s.db.write(move |tx| {
        admin_only(&admitted(tx, &team_id, &caller.user_id)?)?;
        let user_id: String = tx
            .query_row("SELECT id FROM users WHERE email = ?1", params![email], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ApiError::not_found("user_not_found", "No account has that email address."))?;
        let added = tx.execute(
            "INSERT INTO team_members (team_id, user_id, role, added_at) VALUES (?1, ?2, 'member', ?3)
             ON CONFLICT DO NOTHING",
            params![team_id, user_id, now],
        )?;
        if added == 0 {
            return Err(ApiError::conflict("already_member", "That person is already in the team."));
        }
        Ok((
            StatusCode::CREATED,
            Json(json!({ "user_id": user_id, "email": email, "role": "member" })),
        ))
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct Settings {
    require_2fa: bool,
}

/// `PUT /teams/{id}/settings` (admins).
pub(crate) async fn settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(team_id): Path<String>,
    JsonBody(body): JsonBody<Settings>,
) -> Result<Json<Value>, ApiError> {
    s.db.write(move |tx| {
        admin_only(&membership(tx, &team_id, &caller.user_id)?)?;
        tx.execute(
            "UPDATE teams SET require_2fa = ?2 WHERE id = ?1",
            params![team_id, body.require_2fa],
        )?;
        Ok(Json(json!({ "require_2fa": body.require_2fa })))
    })
    .await
}

#[derive(Serialize)]
pub(crate) struct Team {
    id: String,
    name: String,
    require_2fa: bool,
    role: &'static str,
    members: Vec<Member>,
}

#[derive(Serialize)]
struct Member {
    user_id: String,
    email: String,
    role: String,
    /// Shown to admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    two_factor: Option<bool>,
}

/// `GET /teams/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(team_id): Path<String>,
) -> Result<Json<Team>, ApiError> {
    s.db.read(move |c| {
        let m = admitted(c, &team_id, &caller.user_id)?;
        let admin = m.role == Role::Admin;
        let name: String = c.query_row(
            "SELECT name FROM teams WHERE id = ?1",
            params![team_id],
            |r| r.get(0),
        )?;
        let mut stmt = c.prepare_cached(
            "SELECT u.id, u.email, m.role FROM team_members m
             JOIN users u ON u.id = m.user_id WHERE m.team_id = ?1 ORDER BY m.added_at, u.email",
        )?;
        let mut members = stmt
            .query_map(params![team_id], |r| {
                Ok(Member {
                    user_id: r.get(0)?,
                    email: r.get(1)?,
                    role: r.get(2)?,
                    two_factor: None,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        if admin {
            for member in &mut members {
                member.two_factor = Some(second_factor::enabled(c, &member.user_id)?);
            }
        }
        Ok(Json(Team {
            id: team_id,
            name,
            require_2fa: m.require_2fa,
            role: if admin { "admin" } else { "member" },
            members,
        }))
    })
    .await
}
