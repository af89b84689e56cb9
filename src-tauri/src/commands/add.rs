//! Adding accounts: a link, the manual form, a QR code on the screen, in an image,
//! on the clipboard.

use base64::Engine;
use latchkey_core::import::setup;
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
use latchkey_core::{Account, vault::VaultError};
use serde::Deserialize;
use tauri::{AppHandle, Runtime};
use zeroize::Zeroizing;

use super::blocking;
use crate::error::Error;
use crate::state::{AppState, now};
use crate::views::AccountView;

/// Adds the account(s) of an `otpauth://` or `otpauth-migration://` link.
#[tauri::command]
pub async fn add_uri<R: Runtime>(
    app: AppHandle<R>,
    uri: String,
) -> Result<Vec<AccountView>, Error> {
    let uri = Zeroizing::new(uri);
    blocking(app, move |state, _| add_texts(state, [uri.trim()])).await
}

/// The manual form's fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManualAccount {
    issuer: String,
    label: String,
    secret: Zeroizing<String>,
    kind: String,
    algorithm: String,
    digits: u8,
    period: u32,
    counter: u64,
}

#[tauri::command]
pub async fn add_manual<R: Runtime>(
    app: AppHandle<R>,
    account: ManualAccount,
) -> Result<AccountView, Error> {
    blocking(app, move |state, _| {
        let m = account;
        if m.issuer.trim().is_empty() && m.label.trim().is_empty() {
            return Err(Error::say(
                "Give the account a service name or an account name.",
            ));
        }
        let kind = match m.kind.as_str() {
            "hotp" => Kind::Hotp { counter: m.counter },
            "steam" => Kind::Steam,
            _ => Kind::Totp { period: m.period },
        };
        let secret = Secret::from_base32(&m.secret)?;
        let otp = OtpParams::new(kind, Algorithm::parse(&m.algorithm)?, m.digits, secret)?;
        let account = Account::new(m.issuer.trim(), m.label.trim(), otp, now());
        let mut added = add_all(state, vec![account])?;
        added
            .pop()
            .ok_or_else(|| Error::say("The account was not added."))
    })
    .await
}

/// Adds the account(s) in the setup QR code shown on any monitor.
#[tauri::command]
pub async fn scan_screen<R: Runtime>(app: AppHandle<R>) -> Result<Vec<AccountView>, Error> {
    blocking(app, |state, _| {
        let found = latchkey_scan::setup_codes(latchkey_scan::decode_screens()?)?;
        add_texts(state, found.iter().map(|f| f.text()))
    })
    .await
}

/// Adds the account(s) in the QR code of an image (a file the person opened or
/// dropped, base64).
#[tauri::command]
pub async fn scan_image<R: Runtime>(
    app: AppHandle<R>,
    data: String,
) -> Result<Vec<AccountView>, Error> {
    blocking(app, move |state, _| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|_| Error::say("That file could not be read as an image."))?;
        let found = latchkey_scan::setup_codes(latchkey_scan::decode_bytes(&bytes)?)?;
        add_texts(state, found.iter().map(|f| f.text()))
    })
    .await
}

/// Adds the account(s) in the image or `otpauth://` link on the clipboard.
#[tauri::command]
pub async fn paste_clipboard<R: Runtime>(app: AppHandle<R>) -> Result<Vec<AccountView>, Error> {
    blocking(app, |state, _| {
        let found = latchkey_scan::setup_codes(latchkey_scan::source::clipboard()?)?;
        add_texts(state, found.iter().map(|f| f.text()))
    })
    .await
}

fn add_texts<'a>(
    state: &AppState,
    texts: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<AccountView>, Error> {
    add_all(state, setup::accounts(texts, now())?.accounts)
}

/// Adds every account that is not already in the vault; fails only when none is new.
fn add_all(state: &AppState, accounts: Vec<Account>) -> Result<Vec<AccountView>, Error> {
    state.change(|v| {
        let mut added = Vec::new();
        let mut duplicate = None;
        for account in accounts {
            match v.add(account) {
                Ok(a) => added.push(AccountView::from(a)),
                Err(VaultError::Duplicate(name)) => duplicate = Some(name),
                Err(e) => return Err(e.into()),
            }
        }
        match (added.is_empty(), duplicate) {
            (true, Some(name)) => Err(Error::say(format!("{name} is already in Latchkey."))),
            _ => Ok(added),
        }
    })
}
