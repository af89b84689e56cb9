//! Security keys: the keys plugged in (info, PIN, passkeys and fingerprints on them,
//! a wink), and the keys that unlock the vault (fido2-hmac-secret slots).
//!
//! Every call to a key blocks (a touch can take half a minute), so each runs on a
//! blocking thread. A key is named by its HID path, as `security_keys` lists it; the
//! commands that need "the key" without the person choosing one (a new slot, a
//! passkey) wait for one to be plugged in. PINs the sheet collected come with the
//! command and are tried once; elsewhere the key asks for its PIN through
//! [`crate::prompts`].

use std::sync::Arc;

use latchkey_core::vault::fido2_slots;
use latchkey_usbkey::{Info, StoredCredential, UsbKey};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::blocking;
use crate::error::Error;
use crate::prompts::{Event, Prompts};
use crate::state::{AppState, now};
use crate::usb::{self, KeyPrompt};

/// A security key that unlocks the vault.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySlotView {
    pub id: String,
    pub name: String,
    pub created_at: i64,
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
        // Core saves (and replaces the .bak) itself.
        state.update(|v| Ok(v.remove_fido2_slot(id, now())?))?;
        slots(state)
    })
    .await
}

/// Makes a credential on the key plugged in (a touch) and reads its hmac-secret for a
/// fresh salt (another touch); the vault gets a slot that this answer opens.
#[tauri::command]
pub async fn add_key_slot<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    events: Channel<Event>,
) -> Result<Vec<KeySlotView>, Error> {
    app.state::<Prompts>().begin();
    blocking(app, move |state, app| {
        if !state.is_unlocked() {
            return Err(Error::locked());
        }
        let prompt = KeyPrompt::asking(app, events);
        let key = usb::plugged(app, prompt.clone(), state.key_wait())?;
        // A key with a PIN verifies its holder on every unlock (as the CLI's slots do):
        // a lost key and a copy of the vault file are not enough.
        let uv = key.info().map_err(|e| prompt.say(e))?.pin_set();
        let enrolment = latchkey_usbkey::enrol(key.as_ref(), uv).map_err(|e| match e {
            latchkey_usbkey::EnrolError::Key(e) => prompt.say(e),
            other => Error::say(other.to_string()),
        })?;
        let name = match name.trim() {
            "" => key.descriptor().product.clone(),
            n => n.to_owned(),
        };
        state.update(|v| {
            v.add_fido2_slot(enrolment.slot(&name), enrolment.secret(), now())?;
            Ok(())
        })?;
        slots(state)
    })
    .await
}

/// A security key plugged into this computer (`SecurityKeyView` in the UI).
#[derive(Debug, Serialize)]
pub struct SecurityKeyView {
    pub id: String,
    pub product: String,
}

/// The security keys plugged in; none is an empty list.
#[tauri::command]
pub async fn security_keys<R: Runtime>(app: AppHandle<R>) -> Result<Vec<SecurityKeyView>, Error> {
    blocking(app, |_, _| {
        let keys = latchkey_usbkey::list().map_err(usb::say)?;
        Ok(keys
            .into_iter()
            .map(|k| SecurityKeyView {
                id: k.path,
                product: k.product,
            })
            .collect())
    })
    .await
}

/// What the Security keys sheet shows about a key (`SecurityKeyInfo` in the UI).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityKeyInfo {
    pub id: String,
    pub product: String,
    pub aaguid: String,
    pub versions: Vec<String>,
    pub firmware: Option<String>,
    pub pin_set: bool,
    pub pin_retries: Option<u32>,
    pub remaining_passkeys: Option<u32>,
    pub fingerprints: bool,
}

fn info_view(key: &UsbKey, info: Info) -> SecurityKeyInfo {
    SecurityKeyInfo {
        id: key.descriptor().path.clone(),
        product: key.descriptor().product.clone(),
        pin_set: info.pin_set(),
        firmware: info.firmware(),
        fingerprints: info.has_fingerprint_sensor(),
        aaguid: info.aaguid,
        versions: info.versions,
        pin_retries: info.pin_retries,
        remaining_passkeys: info.remaining_discoverable_credentials,
    }
}

/// Runs `op` on the key named `id` on a blocking thread, with `prompt` made for it.
async fn with_key<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    id: String,
    prompt: impl FnOnce(&AppHandle<R>) -> Arc<KeyPrompt<R>> + Send + 'static,
    op: impl FnOnce(&UsbKey, &KeyPrompt<R>) -> Result<T, latchkey_usbkey::Error> + Send + 'static,
) -> Result<T, Error> {
    app.state::<Prompts>().begin();
    blocking(app, move |_, app| {
        let prompt = prompt(app);
        let key = usb::open(&id, prompt.clone())?;
        op(&key, &prompt).map_err(|e| prompt.say(e))
    })
    .await
}

/// A key's model, versions, firmware, PIN state and room left.
#[tauri::command]
pub async fn security_key_info<R: Runtime>(
    app: AppHandle<R>,
    key: String,
) -> Result<SecurityKeyInfo, Error> {
    with_key(app, key, KeyPrompt::silent, |k, _| {
        Ok(info_view(k, k.info()?))
    })
    .await
}

/// Sets the key's PIN, or changes it from `current`.
#[tauri::command]
pub async fn set_key_pin<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    current: Option<Zeroizing<String>>,
) -> Result<SecurityKeyInfo, Error> {
    with_key(app, key, KeyPrompt::silent, move |k, _| {
        match &current {
            Some(current) => k.change_pin(current, &pin)?,
            None => k.set_pin(&pin)?,
        }
        // The key's getInfo was read before the PIN was set: read it afresh.
        let fresh = UsbKey::open(
            Some(k.descriptor().clone()),
            Arc::new(latchkey_usbkey::NoPrompt),
        )?;
        Ok(info_view(&fresh, fresh.info()?))
    })
    .await
}

/// A discoverable passkey on a key (`KeyPasskeyView` in the UI).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPasskeyView {
    pub credential_id: String,
    pub rp_id: String,
    pub user_name: String,
    pub display_name: String,
}

impl From<StoredCredential> for KeyPasskeyView {
    fn from(c: StoredCredential) -> Self {
        Self {
            credential_id: c.credential_id,
            rp_id: c.rp_id,
            user_name: c.user_name,
            display_name: c.display_name,
        }
    }
}

fn key_passkey_list(k: &UsbKey) -> Result<Vec<KeyPasskeyView>, latchkey_usbkey::Error> {
    Ok(k.credentials()?
        .into_iter()
        .map(KeyPasskeyView::from)
        .collect())
}

/// The discoverable passkeys on the key.
#[tauri::command]
pub async fn key_passkeys<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
) -> Result<Vec<KeyPasskeyView>, Error> {
    let prompt = move |app: &AppHandle<R>| KeyPrompt::with_pin(app, pin, None);
    with_key(app, key, prompt, |k, _| key_passkey_list(k)).await
}

/// Deletes a passkey from the key; the passkeys left.
#[tauri::command]
pub async fn delete_key_passkey<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    credential: String,
) -> Result<Vec<KeyPasskeyView>, Error> {
    let prompt = move |app: &AppHandle<R>| KeyPrompt::with_pin(app, pin, None);
    with_key(app, key, prompt, move |k, p| {
        k.delete_credential(&credential)?;
        p.again();
        key_passkey_list(k)
    })
    .await
}

/// A fingerprint the key knows (`FingerprintView` in the UI).
#[derive(Debug, Serialize)]
pub struct FingerprintView {
    pub id: String,
    pub name: String,
}

fn fingerprint_list(k: &UsbKey) -> Result<Vec<FingerprintView>, latchkey_usbkey::Error> {
    Ok(k.fingerprints()?
        .into_iter()
        .enumerate()
        .map(|(i, f)| FingerprintView {
            name: f.name.unwrap_or_else(|| format!("Finger {}", i + 1)),
            id: f.id,
        })
        .collect())
}

/// The fingerprints the key knows.
#[tauri::command]
pub async fn fingerprints<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
) -> Result<Vec<FingerprintView>, Error> {
    let prompt = move |app: &AppHandle<R>| KeyPrompt::with_pin(app, pin, None);
    with_key(app, key, prompt, |k, _| fingerprint_list(k)).await
}

/// Enrols a fingerprint, reporting the touch and each sample on `events`.
#[tauri::command]
pub async fn add_fingerprint<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    name: String,
    events: Channel<Event>,
) -> Result<Vec<FingerprintView>, Error> {
    let prompt = move |app: &AppHandle<R>| KeyPrompt::with_pin(app, pin, Some(events));
    with_key(app, key, prompt, move |k, p| {
        // Named in a second step, so each step asks for the PIN once.
        let id = k.add_fingerprint(None)?;
        if !name.trim().is_empty() {
            p.again();
            k.rename_fingerprint(&id, name.trim())?;
        }
        p.again();
        fingerprint_list(k)
    })
    .await
}

#[tauri::command]
pub async fn rename_fingerprint<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    id: String,
    name: String,
) -> Result<Vec<FingerprintView>, Error> {
    if name.trim().is_empty() {
        return Err(Error::say("Give the fingerprint a name."));
    }
    let prompt = move |app: &AppHandle<R>| KeyPrompt::with_pin(app, pin, None);
    with_key(app, key, prompt, move |k, p| {
        k.rename_fingerprint(&id, name.trim())?;
        p.again();
        fingerprint_list(k)
    })
    .await
}

#[tauri::command]
pub async fn delete_fingerprint<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    pin: Zeroizing<String>,
    id: String,
) -> Result<Vec<FingerprintView>, Error> {
    let prompt = move |app: &AppHandle<R>| KeyPrompt::with_pin(app, pin, None);
    with_key(app, key, prompt, move |k, p| {
        k.delete_fingerprint(&id)?;
        p.again();
        fingerprint_list(k)
    })
    .await
}

/// Makes the key blink, to tell it from others.
#[tauri::command]
pub async fn wink_key<R: Runtime>(app: AppHandle<R>, key: String) -> Result<(), Error> {
    with_key(app, key, KeyPrompt::silent, |k, _| k.wink()).await
}
