//! An account's recovery codes: save, use, print.

use latchkey_core::recovery;
use tauri::{AppHandle, Runtime};
use zeroize::Zeroizing;

use super::blocking;
use crate::error::Error;
use crate::state::{AppState, now};
use crate::views::RecoveryView;

#[tauri::command]
pub async fn recovery<R: Runtime>(app: AppHandle<R>, id: String) -> Result<RecoveryView, Error> {
    blocking(app, move |state, _| {
        state.read(|v| {
            Ok(RecoveryView::from(
                &v.accounts()[AppState::index(v, &id)?].recovery,
            ))
        })
    })
    .await
}

/// Replaces the account's recovery codes with those in `text` (pasted, or a .txt the
/// site offered).
#[tauri::command]
pub async fn set_recovery<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    text: String,
) -> Result<RecoveryView, Error> {
    let text = Zeroizing::new(text);
    blocking(app, move |state, _| {
        let parsed = recovery::parse(&text)?;
        state.change(|v| {
            let a = AppState::account_mut(v, &id)?;
            a.recovery.replace(parsed, now());
            Ok(RecoveryView::from(&a.recovery))
        })
    })
    .await
}

/// Marks one code used.
#[tauri::command]
pub async fn use_recovery<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    code: String,
) -> Result<RecoveryView, Error> {
    let code = Zeroizing::new(code);
    blocking(app, move |state, _| {
        state.change(|v| {
            let a = AppState::account_mut(v, &id)?;
            a.recovery.use_code(Some(&code), now())?;
            Ok(RecoveryView::from(&a.recovery))
        })
    })
    .await
}

/// A printable HTML sheet of the account's codes.
#[tauri::command]
pub async fn recovery_sheet<R: Runtime>(app: AppHandle<R>, id: String) -> Result<String, Error> {
    blocking(app, move |state, _| {
        state.touch();
        state.read(|v| {
            Ok(recovery::sheet::html(
                &v.accounts()[AppState::index(v, &id)?],
                now(),
            ))
        })
    })
    .await
}
