//! Settings and vault information.

use tauri::{AppHandle, Runtime};

use super::blocking;
use crate::error::Error;
use crate::settings::Settings;
use crate::views::VaultInfo;

#[tauri::command]
pub async fn settings<R: Runtime>(app: AppHandle<R>) -> Result<Settings, Error> {
    blocking(app, |state, _| Ok(state.settings())).await
}

#[tauri::command]
pub async fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: Settings,
) -> Result<Settings, Error> {
    blocking(app, move |state, _| state.set_settings(settings)).await
}

#[tauri::command]
pub async fn vault_info<R: Runtime>(app: AppHandle<R>) -> Result<VaultInfo, Error> {
    blocking(app, |state, _| {
        let path = state.vault_path().display().to_string();
        state.read(|v| {
            Ok(VaultInfo {
                path,
                has_password: v.has_password(),
                has_keychain: v.has_keychain(),
                accounts: v.accounts().len(),
            })
        })
    })
    .await
}
