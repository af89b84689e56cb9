//! Linking this desktop to an account on a service (RFC 8628, `latchkey-passkey`'s
//! device flow): the service gives a user code, the person approves it in a browser
//! where they are signed in, and Latchkey polls until it gets the account's token.
//!
//! A pending link lives here, under a random id the UI names it by. Its device code
//! (which is as good as the token once approved) never crosses IPC.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use latchkey_core::passkeys::LinkedService;
use latchkey_passkey::{DeviceAuthorization, Service};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::watch;

use super::blocking;
use super::passkeys::{ServiceView, say};
use crate::error::Error;
use crate::state::now;

/// A link begun and not yet approved (`LinkStart` in the UI).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkStart {
    pub link: String,
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: u64,
}

struct Pending {
    service: Service,
    auth: DeviceAuthorization,
    started: Instant,
    /// Set to `true` by `cancel_link`; the wait stops before its next poll.
    cancel: watch::Sender<bool>,
}

/// The pending links, by id.
#[derive(Default)]
pub struct Links(Mutex<HashMap<String, Pending>>);

impl Links {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, Pending>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The link's service and codes, and a receiver that turns `true` on cancel.
    fn get(
        &self,
        link: &str,
    ) -> Result<(Service, DeviceAuthorization, watch::Receiver<bool>), Error> {
        self.with(|m| {
            m.get(link)
                .map(|p| (p.service.clone(), p.auth.clone(), p.cancel.subscribe()))
                .ok_or_else(expired)
        })
    }
}

fn expired() -> Error {
    Error::say("That link has expired. Start again.")
}

/// "accounts.example.com" → "https://accounts.example.com"; no trailing slash.
fn base_url(url: &str) -> Result<String, Error> {
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() || url.contains(char::is_whitespace) {
        return Err(Error::say(
            "That is not a web address. Enter the service's address, such as https://accounts.example.com.",
        ));
    }
    Ok(match url.contains("://") {
        true => url.to_owned(),
        false => format!("https://{url}"),
    })
}

/// Starts linking to the service at `url`: the code the person confirms there.
#[tauri::command]
pub async fn link_service<R: Runtime>(app: AppHandle<R>, url: String) -> Result<LinkStart, Error> {
    let base = base_url(&url)?;
    let service = Service::discover(&base)
        .await
        .map_err(|e| unreachable(&base, e))?;
    let auth = service
        .start_link(&latchkey_passkey::this_computer())
        .await
        .map_err(say)?;
    let link = uuid::Uuid::new_v4().to_string();
    let start = LinkStart {
        link: link.clone(),
        user_code: auth.user_code.clone(),
        verification_uri: auth.verification_uri.clone(),
        expires_in: auth.expires_in.as_secs(),
    };
    let (cancel, _) = watch::channel(false);
    app.state::<Links>().with(|m| {
        // Links left behind (a closed sheet) go once their codes have expired.
        m.retain(|_, p| p.started.elapsed() < p.auth.expires_in);
        m.insert(
            link,
            Pending {
                service,
                auth,
                started: Instant::now(),
                cancel,
            },
        );
    });
    Ok(start)
}

fn unreachable(base: &str, e: latchkey_passkey::Error) -> Error {
    match e {
        latchkey_passkey::Error::Http(_) => Error::say(format!(
            "Could not reach the account service at {base}. Check the address and your connection."
        )),
        e => say(e),
    }
}

/// Opens the service's page for confirming a pending link in the default browser.
#[tauri::command]
pub async fn open_link<R: Runtime>(app: AppHandle<R>, link: String) -> Result<(), Error> {
    let (_, auth, _) = app.state::<Links>().get(&link)?;
    let page = auth
        .verification_uri_complete
        .unwrap_or(auth.verification_uri);
    open_in_browser(&page).map_err(|e| {
        Error::say(format!(
            "Could not open a browser ({e}). Open {page} yourself."
        ))
    })
}

/// The desktop's "open this address" program; no plugin needed for one call.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(windows)]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", windows)))]
    let mut cmd = std::process::Command::new("xdg-open");
    // Not waited for: xdg-open may stay until the browser exits. A thread reaps it.
    let mut child = cmd.arg(url).spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Waits until the person approves a pending link, then keeps it in the vault.
#[tauri::command]
pub async fn wait_for_link<R: Runtime>(
    app: AppHandle<R>,
    link: String,
) -> Result<ServiceView, Error> {
    let (service, auth, mut cancelled) = app.state::<Links>().get(&link)?;
    // `wait_for_link` honours the interval, slow_down and expiry; the select drops
    // it (between polls, or mid-request) as soon as the person cancels.
    let token = tokio::select! {
        token = service.wait_for_link(&auth, tokio::time::sleep) => Some(token),
        Ok(_) = cancelled.wait_for(|yes| *yes) => None,
    };
    app.state::<Links>().with(|m| m.remove(&link));
    let Some(token) = token else {
        return Err(Error::say("Linking was cancelled."));
    };
    let token = token.map_err(link_error)?;
    let me = service.me(&token).await.map_err(say)?;
    let linked = service.linked_service(&token, &me, now());
    blocking(app, move |state, _| {
        state.change(|v| Ok(ServiceView::from(keep(v.services_mut(), linked))))
    })
    .await
}

fn link_error(e: latchkey_passkey::Error) -> Error {
    match e {
        latchkey_passkey::Error::LinkDenied => {
            Error::say("The link was refused in the browser. Nothing was linked.")
        }
        latchkey_passkey::Error::LinkExpired => {
            Error::say("The code expired before it was approved. Start linking again.")
        }
        e => say(e),
    }
}

/// Adds `linked` to the vault's services; linking the same account on the same service
/// again renews its token and keeps the passkeys registered from here.
fn keep(services: &mut Vec<LinkedService>, mut linked: LinkedService) -> &LinkedService {
    let same = services
        .iter()
        .position(|s| s.base_url == linked.base_url && s.account == linked.account);
    match same {
        Some(i) => {
            let old = services.remove(i);
            linked.id = old.id;
            linked.passkeys = old.passkeys;
            services.insert(i, linked);
            &services[i]
        }
        None => {
            services.push(linked);
            &services[services.len() - 1]
        }
    }
}

/// Gives up a pending link (its wait ends with "Linking was cancelled.").
#[tauri::command]
pub async fn cancel_link<R: Runtime>(app: AppHandle<R>, link: String) -> Result<(), Error> {
    app.state::<Links>().with(|m| {
        if let Some(p) = m.remove(&link) {
            p.cancel.send_replace(true);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_is_taken_as_https_and_spaces_are_refused() {
        assert_eq!(
            base_url(" accounts.example.com/ ").ok(),
            Some("https://accounts.example.com".into())
        );
        assert_eq!(
            base_url("http://127.0.0.1:8088").ok(),
            Some("http://127.0.0.1:8088".into())
        );
        assert!(base_url("not a url").is_err());
        assert!(base_url("").is_err());
    }
}
