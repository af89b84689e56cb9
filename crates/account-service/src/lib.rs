//! # account-service
//!
//! The reference account service that Latchkey, the desktop authenticator, talks to: a
//! small web service with exactly the sign-in security a real one has, so the app and its
//! end-to-end tests have a real peer.
//!
//! - accounts with Argon2id passwords and bearer tokens;
//! - two-factor sign-in with an authenticator app (TOTP, ±1 step, each step accepted
//!   once), a passkey (WebAuthn, through webauthn-rs) or a recovery code (ten,
//!   single-use, stored as keyed hashes), and a per-user lock after 5 wrong tries;
//! - teams whose admins can require two-factor authentication;
//! - linking the desktop app with the OAuth 2.0 Device Authorization Grant (RFC 8628).
//!
//! It speaks the JSON API in `docs/account-service.openapi.yaml` (the contract is
//! `shared/design/account-service-api.md`). Data is one SQLite file; TOTP secrets in it
//! are sealed with AES-256-GCM under a server key kept in a file beside it.
//!
//! [`serve`] runs the service on a listener you bind; the `account-service` binary is a
//! thin command line over it. Time comes from the [`Clock`] in the [`Config`], so tests
//! can drive TOTP steps, lockouts and expiry with a [`ManualClock`]. For tests and demos,
//! [`LocalServer`] runs it on a free loopback port with a throwaway data file, from a
//! thread of its own ([`local`] says more).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use account_service::{Config, serve_with_shutdown};
//!
//! let dir = tempfile::tempdir()?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let config = Config::new(dir.path().join("accounts.sqlite3"));
//! let server = tokio::spawn(serve_with_shutdown(config, listener, async {
//!     stopped.await.ok();
//! }));
//!
//! let discovery: serde_json::Value = reqwest::get(format!("http://{addr}/.well-known/latchkey"))
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(discovery["api"], "/api/v1");
//! assert_eq!(discovery["rp_id"], "localhost");
//!
//! stop.send(()).ok();
//! server.await??;
//! # Ok(())
//! # }
//! ```

mod api;
mod clock;
mod config;
mod db;
mod error;
mod keys;
pub mod local;
mod pages;
mod passkey;
mod password;
mod recovery;
mod schema;
mod second_factor;
mod session;
mod token;
mod totp;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

pub use clock::{Clock, ManualClock};
pub use config::Config;
pub use error::StartError;
pub use local::LocalServer;

/// Serves the API on `listener` until the process ends.
pub async fn serve(config: Config, listener: TcpListener) -> Result<(), StartError> {
    serve_with_shutdown(config, listener, std::future::pending()).await
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in
/// flight and returns.
///
/// The data file and key file are opened (and created) before the first request is
/// answered; requests that arrive meanwhile wait in the listener's queue.
pub async fn serve_with_shutdown(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let data = config.data.display().to_string();
    let state = open_off_thread(config).await?;
    serve_opened(state, &data, listener, shutdown).await
}

/// [`open`] on a blocking thread: SQLite and the key file are file I/O.
async fn open_off_thread(config: Config) -> Result<api::AppState, StartError> {
    tokio::task::spawn_blocking(move || open(config))
        .await
        .map_err(|e| StartError::Config(format!("start-up task failed: {e}")))?
}

/// Serves the opened service on `listener` until `shutdown` completes.
async fn serve_opened(
    state: api::AppState,
    data: &str,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, origin = %state.origin, %data, "account service listening");
    }
    let app = api::router(state.clone()).merge(pages::router(state));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(StartError::Serve)
}

/// Opens the database and the server key (checking they belong together).
fn open(config: Config) -> Result<api::AppState, StartError> {
    let origin = config.origin.trim_end_matches('/').to_owned();
    if !(origin.starts_with("http://") || origin.starts_with("https://")) {
        return Err(StartError::Config(format!(
            "the origin must start with http:// or https://, not {origin:?}"
        )));
    }
    let webauthn = passkey::relying_party(&origin, &config.rp_id, &config.name)?;
    let db = db::Db::open(&config.data)?;
    let key_path = config.key_path();
    let keys = db.blocking(|conn| {
        let recorded = schema::key_fingerprint(conn)?;
        // A new key may only be made for a database that has never had one.
        let keys =
            keys::ServerKey::load_or_create(&key_path, recorded.is_none())?.ok_or_else(|| {
                StartError::KeyMismatch {
                    path: key_path.clone(),
                }
            })?;
        match recorded {
            None => schema::set_key_fingerprint(conn, &keys.fingerprint())?,
            Some(r) if token::same(&r, &keys.fingerprint()) => {}
            Some(_) => {
                return Err(StartError::KeyMismatch {
                    path: key_path.clone(),
                });
            }
        }
        Ok(keys)
    })?;
    let passwords = password::Passwords::new().map_err(|_| StartError::Random)?;
    Ok(api::AppState::new(api::Shared {
        db,
        keys: Arc::new(keys),
        webauthn: Arc::new(webauthn),
        passwords,
        origin,
        rp_id: config.rp_id,
        name: config.name,
        clock: config.clock,
    }))
}
