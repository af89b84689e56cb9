//! The commands the UI calls (`ui/src/lib/backend.ts` names each one). Each is a few
//! lines over the library crates; blocking work (keychain, KDF, disk, screen capture)
//! runs off the UI thread.

pub mod accounts;
pub mod add;
pub mod keys;
pub mod link;
pub mod lock;
pub mod passkeys;
pub mod recovery;
pub mod settings;
pub mod transfer;

use tauri::{AppHandle, Manager, Runtime};

use crate::error::Error;
use crate::state::AppState;

/// Runs `f` on a blocking thread with the app's state.
pub async fn blocking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    f: impl FnOnce(&AppState, &AppHandle<R>) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>(), &app))
        .await
        .map_err(|_| Error::say("Latchkey hit an internal error; please try again."))?
}
