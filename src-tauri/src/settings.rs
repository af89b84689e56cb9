//! The app's settings: plain JSON beside the vault's data, nothing secret in it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What the person can set. The field names are the UI's (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Lock after this many minutes without use; 0 never locks.
    pub auto_lock_minutes: u32,
    /// Clear a copied code from the clipboard after this many seconds; 0 never clears.
    pub clipboard_clear_seconds: u32,
    /// "system", "light" or "dark".
    pub theme: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auto_lock_minutes: 5,
            clipboard_clear_seconds: 30,
            theme: "system".into(),
        }
    }
}

impl Settings {
    /// Keeps values in their ranges: a day at most for the timers, a known theme.
    pub fn checked(mut self) -> Self {
        self.auto_lock_minutes = self.auto_lock_minutes.min(24 * 60);
        self.clipboard_clear_seconds = self.clipboard_clear_seconds.min(24 * 3600);
        if !matches!(self.theme.as_str(), "system" | "light" | "dark") {
            self.theme = "system".into();
        }
        self
    }

    /// Reads the settings file; defaults when it is missing or unreadable (settings
    /// are a convenience: a damaged file must not keep the app from starting).
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
            .unwrap_or_default()
            .checked()
    }

    /// Writes the settings file (write then rename, so a crash leaves the old one).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(tmp, path)
    }
}

/// Where the settings live: `LATCHKEY_SETTINGS`, else the platform's config folder.
pub fn default_path() -> PathBuf {
    std::env::var_os("LATCHKEY_SETTINGS")
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("latchkey").join("settings.json")))
        .unwrap_or_else(|| PathBuf::from("latchkey-settings.json"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn saves_and_loads_and_survives_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s").join("settings.json");
        assert_eq!(Settings::load(&path), Settings::default());
        let s = Settings {
            auto_lock_minutes: 1,
            clipboard_clear_seconds: 0,
            theme: "dark".into(),
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }

    #[test]
    fn clamps_out_of_range_values() {
        let s = Settings {
            auto_lock_minutes: 1_000_000,
            clipboard_clear_seconds: 5,
            theme: "purple".into(),
        }
        .checked();
        assert_eq!((s.auto_lock_minutes, s.theme.as_str()), (1440, "system"));
    }
}
