//! Unlocking, locking, how the vault unlocks (its password), and the idle clock.

use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use zeroize::Zeroizing;

use super::blocking;
use crate::error::Error;
use crate::prompts::{Event, Prompts};
use crate::usb::{self, KeyPrompt};
use crate::views::LockState;

/// What the UI starts from: unlocked (the keychain opened the vault), locked (with
/// the reason), or setup (no vault and no keychain).
#[tauri::command]
pub async fn status<R: Runtime>(app: AppHandle<R>) -> Result<LockState, Error> {
    blocking(app, |state, app| {
        let s = state.status()?;
        if s == LockState::Unlocked {
            crate::deliver_links(app);
        }
        Ok(s)
    })
    .await
}

/// Unlocks with the password (or with the keychain, when it is empty).
#[tauri::command]
pub async fn unlock<R: Runtime>(app: AppHandle<R>, password: String) -> Result<(), Error> {
    let password = Zeroizing::new(password);
    blocking(app, move |state, app| {
        state.unlock(&password)?;
        crate::deliver_links(app);
        Ok(())
    })
    .await
}

/// Unlocks with a security key plugged in (or inserted within the wait): the key's
/// hmac-secret for one of the vault's security-key slots opens it. `events` says
/// "insert", "touch" or asks for the PIN meanwhile.
#[tauri::command]
pub async fn unlock_with_key<R: Runtime>(
    app: AppHandle<R>,
    events: Channel<Event>,
) -> Result<(), Error> {
    app.state::<Prompts>().begin();
    blocking(app, move |state, app| {
        let slots = state.unlocking_keys()?;
        if slots.is_empty() {
            return Err(Error::say(
                "No security key unlocks this vault. Use your password.",
            ));
        }
        let prompt = KeyPrompt::asking(app, events);
        let key = usb::plugged(app, prompt.clone(), state.key_wait())?;
        if let Some((slot, secret)) =
            latchkey_usbkey::answer(key.as_ref(), &slots).map_err(|e| prompt.say(e))?
        {
            state.unlock_with_key(slot, &secret)?;
            crate::deliver_links(app);
            return Ok(());
        }
        Err(Error::say(
            "This security key does not unlock this vault. Try another key, or your password.",
        ))
    })
    .await
}

/// Creates a vault protected by a password (when there is no keychain).
#[tauri::command]
pub async fn create_vault<R: Runtime>(app: AppHandle<R>, password: String) -> Result<(), Error> {
    let password = Zeroizing::new(password);
    blocking(app, move |state, _| state.create_with_password(&password)).await
}

/// Sets the vault's password, or changes it (then `current` must be the password it
/// has now). At least 8 characters.
#[tauri::command]
pub async fn set_password<R: Runtime>(
    app: AppHandle<R>,
    current: Option<String>,
    password: String,
) -> Result<(), Error> {
    let current = Zeroizing::new(current);
    let password = Zeroizing::new(password);
    blocking(app, move |state, _| {
        state.set_password(current.as_deref(), &password)
    })
    .await
}

/// Removes the vault's password (`current`); the keychain alone then opens the vault.
#[tauri::command]
pub async fn remove_password<R: Runtime>(app: AppHandle<R>, current: String) -> Result<(), Error> {
    let current = Zeroizing::new(current);
    blocking(app, move |state, _| state.remove_password(&current)).await
}

/// Locks now.
#[tauri::command]
pub async fn lock<R: Runtime>(app: AppHandle<R>) -> Result<LockState, Error> {
    blocking(app, |state, app| {
        Ok(lock_now(state, app, "Latchkey is locked."))
    })
    .await
}

/// The person is using the app (for the auto-lock clock).
#[tauri::command]
pub async fn touch<R: Runtime>(app: AppHandle<R>) -> Result<(), Error> {
    blocking(app, |state, _| {
        state.touch();
        Ok(())
    })
    .await
}

/// The UI has put its first screen on the display. With `LATCHKEY_STARTUP_TRACE` set,
/// says so on stderr, once (`scripts/bench-app` times start-up by that line).
#[tauri::command]
pub async fn painted<R: Runtime>(app: AppHandle<R>, phases: String) -> Result<(), Error> {
    blocking(app, move |state, _| {
        if let Some(ms) = state.first_paint() {
            // `phases`: the UI's own timings (page start, status, load, frames).
            let phases: String = phases.chars().take(200).collect();
            eprintln!("latchkey-app: first screen painted {ms} ms after start ({phases})");
        }
        Ok(())
    })
    .await
}

/// Locks and tells the UI why, and whether a password will be needed.
pub fn lock_now<R: Runtime>(
    state: &crate::state::AppState,
    app: &AppHandle<R>,
    reason: &str,
) -> LockState {
    let locked = state.lock(reason);
    // An import read but not confirmed holds seeds: they go with the key.
    if let Some(imports) = app.try_state::<super::transfer::Imports>() {
        imports.clear();
    }
    // The payload is the lock state itself: reason, password, securityKey, keyOnly.
    let _ = app.emit("locked", &locked);
    locked
}
