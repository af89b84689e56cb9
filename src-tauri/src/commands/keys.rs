//! Security keys: the keys plugged in (info, PIN, passkeys and fingerprints on them,
//! a wink), and the keys that unlock the vault (fido2-hmac-secret slots).
//!
//! The slots are listed and removed here from the vault alone. Everything that talks
//! to a key waits for `latchkey-usbkey`; until this build has it, those commands say
//! so in a sentence.

use latchkey_core::vault::fido2_slots;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::blocking;
use crate::error::Error;
use crate::prompts::Event;
use crate::state::{AppState, now};

/// A security key that unlocks the vault.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySlotView {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// What the commands that need a USB security key answer in this build.
pub(crate) fn not_available() -> Error {
    Error::say("Security keys are not available in this build of Latchkey.")
}

fn slots(state: &AppState) -> Result<Vec<KeySlotView>, Error> {
    state.read(|v| {
        let created = |id: Uuid| {
            v.slots()
                .iter()
                .find(|s| s.id == id)
                .map_or(0, |s| s.created_at)
        };
        Ok(fido2_slots(v.slots())
            .into_iter()
            .map(|s| KeySlotView {
                id: s.id.to_string(),
                name: s.name,
                created_at: created(s.id),
            })
            .collect())
    })
}

/// The security keys that unlock the vault.
#[tauri::command]
pub async fn key_slots<R: Runtime>(app: AppHandle<R>) -> Result<Vec<KeySlotView>, Error> {
    blocking(app, |state, _| slots(state)).await
}

/// Stops a security key from unlocking the vault.
#[tauri::command]
pub async fn remove_key_slot<R: Runtime>(
    app: AppHandle<R>,
    slot: String,
) -> Result<Vec<KeySlotView>, Error> {
    blocking(app, move |state, _| {
        let id = Uuid::parse_str(&slot)
            .map_err(|_| Error::say("That security key no longer unlocks this vault."))?;
        state.change(|v| Ok(v.remove_fido2_slot(id, now())?))?;
        slots(state)
    })
    .await
}

/// Makes a credential on the key plugged in and adds a slot its hmac-secret opens.
#[tauri::command]
pub async fn add_key_slot<R: Runtime>(
    _app: AppHandle<R>,
    name: String,
    events: Channel<Event>,
) -> Result<Vec<KeySlotView>, Error> {
    let _ = (name, events);
    Err(not_available())
}

/// The security keys plugged in.
#[tauri::command]
pub async fn security_keys<R: Runtime>(_app: AppHandle<R>) -> Result<Vec<()>, Error> {
    Err(not_available())
}

/// A key's model, versions, firmware, PIN state and room left.
#[tauri::command]
pub async fn security_key_info<R: Runtime>(_app: AppHandle<R>, key: String) -> Result<(), Error> {
    let _ = key;
    Err(not_available())
}

/// Sets the key's PIN, or changes it from `current`.
#[tauri::command]
pub async fn set_key_pin<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    current: Option<Zeroizing<String>>,
) -> Result<(), Error> {
    let _ = (key, pin, current);
    Err(not_available())
}

/// The discoverable passkeys on the key.
#[tauri::command]
pub async fn key_passkeys<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
) -> Result<(), Error> {
    let _ = (key, pin);
    Err(not_available())
}

/// Deletes a passkey from the key.
#[tauri::command]
pub async fn delete_key_passkey<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    credential: String,
) -> Result<(), Error> {
    let _ = (key, pin, credential);
    Err(not_available())
}

/// The fingerprints the key knows.
#[tauri::command]
pub async fn fingerprints<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
) -> Result<(), Error> {
    let _ = (key, pin);
    Err(not_available())
}

/// Enrols a fingerprint, reporting each sample on `events`.
#[tauri::command]
pub async fn add_fingerprint<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    name: String,
    events: Channel<Event>,
) -> Result<(), Error> {
    let _ = (key, pin, name, events);
    Err(not_available())
}

#[tauri::command]
pub async fn rename_fingerprint<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    id: String,
    name: String,
) -> Result<(), Error> {
    let _ = (key, pin, id, name);
    Err(not_available())
}

#[tauri::command]
pub async fn delete_fingerprint<R: Runtime>(
    _app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    id: String,
) -> Result<(), Error> {
    let _ = (key, pin, id);
    Err(not_available())
}

/// Makes the key blink, to tell it from others.
#[tauri::command]
pub async fn wink_key<R: Runtime>(_app: AppHandle<R>, key: String) -> Result<(), Error> {
    let _ = key;
    Err(not_available())
}
