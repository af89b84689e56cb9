//! The accounts list, codes, copying, and account details.

use latchkey_core::otp::Kind;
use latchkey_core::otpauth;
use tauri::{AppHandle, Runtime};
use zeroize::Zeroizing;

use super::blocking;
use crate::error::Error;
use crate::state::{AppState, now};
use crate::views::{self, AccountView, CodeView, Copied, Secret};

#[tauri::command]
pub async fn accounts<R: Runtime>(app: AppHandle<R>) -> Result<Vec<AccountView>, Error> {
    blocking(app, |state, _| {
        let list = state.read(|v| Ok(v.accounts().iter().map(AccountView::from).collect()));
        state.trace("accounts listed");
        list
    })
    .await
}

/// The current and next code of every time-based account.
#[tauri::command]
pub async fn codes<R: Runtime>(app: AppHandle<R>) -> Result<Vec<CodeView>, Error> {
    blocking(app, |state, _| {
        let codes = state.read(|v| Ok(views::codes(v.accounts(), now() as u64)));
        state.trace("codes made");
        codes
    })
    .await
}

/// Copies an account's code to the clipboard (an HOTP account's next code, which
/// moves its counter on) and clears it later.
#[tauri::command]
pub async fn copy_code<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Copied, Error> {
    blocking(app, move |state, app| {
        let code = take_code(state, &id)?;
        let seconds = state.settings().clipboard_clear_seconds;
        crate::clipboard::copy_secret(app, code, seconds)?;
        Ok(Copied {
            clears_in_seconds: seconds,
        })
    })
    .await
}

/// Makes (and uses up) an HOTP account's next code, to show.
#[tauri::command]
pub async fn hotp_code<R: Runtime>(app: AppHandle<R>, id: String) -> Result<String, Error> {
    blocking(app, move |state, _| Ok(take_code(state, &id)?.to_string())).await
}

/// The code to copy now: saved first when it is an HOTP code, so a code shown is
/// never shown again.
fn take_code(state: &AppState, id: &str) -> Result<Zeroizing<String>, Error> {
    let at = now() as u64;
    // One read answers for TOTP and Steam; HOTP needs a change (its counter moves).
    let unsaved = state.read(|v| {
        let a = &v.accounts()[AppState::index(v, id)?];
        Ok((!matches!(a.otp.kind(), Kind::Hotp { .. }))
            .then(|| Zeroizing::new(a.otp.code_at(at).value().to_string())))
    })?;
    match unsaved {
        Some(code) => Ok(code),
        None => state.change(|v| {
            let code = AppState::account_mut(v, id)?.take_code(at);
            Ok(Zeroizing::new(code.value().to_string()))
        }),
    }
}

#[tauri::command]
pub async fn rename_account<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    issuer: String,
    label: String,
) -> Result<AccountView, Error> {
    blocking(app, move |state, _| {
        let (issuer, label) = (issuer.trim().to_string(), label.trim().to_string());
        if issuer.is_empty() && label.is_empty() {
            return Err(Error::say(
                "Give the account a service name or an account name.",
            ));
        }
        state.change(|v| {
            let a = AppState::account_mut(v, &id)?;
            a.issuer = issuer;
            a.label = label;
            Ok(AccountView::from(&*a))
        })
    })
    .await
}

#[tauri::command]
pub async fn set_tags<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    tags: Vec<String>,
) -> Result<AccountView, Error> {
    blocking(app, move |state, _| {
        let mut clean: Vec<String> = Vec::new();
        for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if !clean.iter().any(|c| c.eq_ignore_ascii_case(t)) {
                clean.push(t.to_string());
            }
        }
        state.change(|v| {
            let a = AppState::account_mut(v, &id)?;
            a.tags = clean;
            Ok(AccountView::from(&*a))
        })
    })
    .await
}

#[tauri::command]
pub async fn set_icon<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    icon: Option<String>,
) -> Result<AccountView, Error> {
    blocking(app, move |state, _| {
        // An icon is a brand slug ("github") or "letter": short names, never URLs.
        if let Some(i) = &icon
            && (i.len() > 64 || !i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(Error::say("That icon name is not one Latchkey knows."));
        }
        state.change(|v| {
            let a = AppState::account_mut(v, &id)?;
            a.icon = icon;
            Ok(AccountView::from(&*a))
        })
    })
    .await
}

/// The seed, on the person's explicit request ("Show secret").
#[tauri::command]
pub async fn reveal_secret<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Secret, Error> {
    blocking(app, move |state, _| {
        state.touch();
        state.read(|v| {
            let a = &v.accounts()[AppState::index(v, &id)?];
            Ok(Secret {
                secret: a.otp.secret().to_base32(),
                uri: otpauth::to_uri(&a.issuer, &a.label, &a.otp),
            })
        })
    })
    .await
}

#[tauri::command]
pub async fn delete_account<R: Runtime>(app: AppHandle<R>, id: String) -> Result<(), Error> {
    blocking(app, move |state, _| {
        state.change(|v| {
            let i = AppState::index(v, &id)?;
            v.remove(i);
            Ok(())
        })
    })
    .await
}
