//! What the service needs to start: where its data lives, who it says it is, and its clock.

use std::path::{Path, PathBuf};

use crate::Clock;

/// The service's settings. [`Config::new`] fills in the documented defaults.
#[derive(Clone, Debug)]
pub struct Config {
    /// The SQLite database file. It is created, with its parent folder, if missing;
    /// the server key lives beside it (see [`Config::key_path`]).
    pub data: PathBuf,
    /// The public origin, e.g. `http://localhost:8088`: device-linking URLs are built
    /// on it, and WebAuthn responses must come from exactly it.
    pub origin: String,
    /// The WebAuthn relying-party ID: the origin's host or a domain it belongs to
    /// (`localhost` by default). Passkeys are bound to it: changing it orphans them.
    pub rp_id: String,
    /// The service's display name: the TOTP issuer and discovery's `name`.
    pub name: String,
    /// Where "now" comes from; [`Clock::system`] unless a test sets another.
    pub clock: Clock,
}

impl Config {
    /// The origin used when none is given.
    pub const DEFAULT_ORIGIN: &'static str = "http://localhost:8088";
    /// The RP ID used when none is given.
    pub const DEFAULT_RP_ID: &'static str = "localhost";
    /// The display name used when none is given.
    pub const DEFAULT_NAME: &'static str = "Latchkey Demo";

    /// Defaults for everything but the data file.
    pub fn new(data: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            origin: Self::DEFAULT_ORIGIN.to_owned(),
            rp_id: Self::DEFAULT_RP_ID.to_owned(),
            name: Self::DEFAULT_NAME.to_owned(),
            clock: Clock::system(),
        }
    }

    /// The default data file: `account-service.sqlite3` in the user's data folder
    /// under `latchkey` (e.g. `~/.local/share/latchkey/` on Linux).
    pub fn default_data_path() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join("latchkey").join("account-service.sqlite3"))
    }

    /// The server key file: the data file's name with the extension `.key`, in the
    /// same folder. Losing it makes stored TOTP secrets unreadable.
    pub fn key_path(&self) -> PathBuf {
        key_path_for(&self.data)
    }
}

fn key_path_for(data: &Path) -> PathBuf {
    data.with_extension("key")
}
