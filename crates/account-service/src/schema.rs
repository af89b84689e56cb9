//! The database schema, as numbered migrations. `meta.schema_version` records how many
//! have been applied; a later feature adds a migration at the end and never edits an
//! applied one.
//!
//! Times are Unix seconds. Secrets are never stored in clear: passwords as Argon2id PHC
//! strings, tokens as SHA-256, recovery codes as HMAC-SHA256 under the server key, TOTP
//! secrets sealed with AES-256-GCM (see `keys`). Passkeys hold only public keys; ceremony
//! ids are kept as SHA-256 like tokens.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::StartError;

const MIGRATIONS: &[&str] = &[
    // 1: accounts, TOTP, recovery codes, sessions, teams, device linking.
    "
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    CREATE TABLE users (
        id               TEXT PRIMARY KEY,
        email            TEXT NOT NULL UNIQUE,
        password_hash    TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        totp_secret      BLOB,      -- sealed; NULL while TOTP is off
        totp_pending     BLOB,      -- sealed; set by setup, moved by confirm
        totp_enabled_at  INTEGER,
        totp_last_step   INTEGER,   -- the last TOTP time step accepted (replay guard)
        mfa_failures     INTEGER NOT NULL DEFAULT 0,  -- wrong second factors in a row
        mfa_locked_until INTEGER
    );
    CREATE TABLE recovery_codes (
        id         INTEGER PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash  BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        used_at    INTEGER
    );
    CREATE INDEX recovery_codes_by_user ON recovery_codes(user_id, code_hash);
    CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('password', 'device')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE mfa_challenges (
        token_hash BLOB PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
    );
    CREATE TABLE teams (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        require_2fa INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE team_members (
        team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role     TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        added_at INTEGER NOT NULL,
        PRIMARY KEY (team_id, user_id)
    );
    CREATE TABLE device_grants (
        device_code_hash BLOB PRIMARY KEY,
        user_code        TEXT NOT NULL UNIQUE,
        client_id        TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        expires_at       INTEGER NOT NULL,
        interval         INTEGER NOT NULL,
        last_polled_at   INTEGER,
        status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'issued')),
        user_id          TEXT REFERENCES users(id) ON DELETE CASCADE
    );
    ",
    // 2: passkeys as a second factor, and the server-side state of WebAuthn ceremonies.
    "
    CREATE TABLE passkeys (
        id            TEXT PRIMARY KEY,          -- our id (UUID), used in the API
        user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        credential_id BLOB NOT NULL UNIQUE,      -- the authenticator's credential ID
        name          TEXT NOT NULL,
        passkey       TEXT NOT NULL,             -- webauthn-rs Passkey as JSON: public key, counter, backup flags
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER
    );
    CREATE INDEX passkeys_by_user ON passkeys(user_id);
    CREATE TABLE webauthn_ceremonies (
        id_hash    BLOB PRIMARY KEY,  -- SHA-256 of the ceremony id (registration) or of the MFA token (sign-in)
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('registration', 'authentication')),
        state      TEXT NOT NULL,     -- webauthn-rs ceremony state as JSON (holds the challenge)
        expires_at INTEGER NOT NULL
    );
    ",
];

/// The schema version this build writes.
pub(crate) const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`VERSION`], in one transaction.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StartError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let has_meta: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        [],
        |r| r.get(0),
    )?;
    let current: i64 = if has_meta {
        tx.query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0)
    } else {
        0
    };
    if current > VERSION {
        return Err(StartError::SchemaTooNew {
            found: current,
            supported: VERSION,
        });
    }
    for sql in MIGRATIONS
        .iter()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![VERSION],
    )?;
    tx.commit()?;
    Ok(())
}

/// The server key's fingerprint recorded in the database, if any.
pub(crate) fn key_fingerprint(conn: &Connection) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'key_fingerprint'",
        [],
        |r| r.get(0),
    )
    .optional()
}

pub(crate) fn set_key_fingerprint(conn: &Connection, fingerprint: &[u8]) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('key_fingerprint', ?1)",
        params![fingerprint],
    )?;
    Ok(())
}
