//! Passkeys: the account services this desktop is linked to, and the passkeys it
//! registers with them — made by Latchkey's platform authenticator (keys in the vault)
//! or by a security key. Bearer tokens and private keys stay in Rust: the UI sees
//! names, places and dates.

use latchkey_core::passkeys::{Holder, LinkedService, ServicePasskey, StoredPasskey};
use latchkey_passkey::{
    Attestation, Authenticator, AuthenticatorError, BearerToken, MakeCredentialRequest,
    PlatformAuthenticator, Prompt, Service,
};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use uuid::Uuid;

use latchkey_usbkey::Extensions;

use super::blocking;
use crate::error::{Error, sentence};
use crate::prompts::{Answer, Event, Prompts};
use crate::state::now;
use crate::usb::{self, KeyPrompt};

/// Where a passkey's private key lives, as the UI shows it.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum HolderView {
    Platform,
    SecurityKey { product: String, aaguid: String },
}

/// A passkey registered with a linked service from here.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePasskeyView {
    pub id: String,
    pub name: String,
    pub holder: HolderView,
    pub created_at: i64,
}

/// A linked service: where, which account, since when. Never its token.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    pub id: String,
    pub base_url: String,
    pub origin: String,
    pub rp_id: String,
    pub account: String,
    pub linked_at: i64,
    pub passkeys: Vec<ServicePasskeyView>,
}

impl From<&ServicePasskey> for ServicePasskeyView {
    fn from(p: &ServicePasskey) -> Self {
        let holder = match &p.holder {
            Holder::SecurityKey { aaguid, product } => HolderView::SecurityKey {
                product: product.clone(),
                aaguid: aaguid.clone(),
            },
            _ => HolderView::Platform,
        };
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            holder,
            created_at: p.created_at,
        }
    }
}

impl From<&LinkedService> for ServiceView {
    fn from(s: &LinkedService) -> Self {
        Self {
            id: s.id.to_string(),
            base_url: s.base_url.clone(),
            origin: s.origin.clone(),
            rp_id: s.rp_id.clone(),
            account: s.account.clone(),
            linked_at: s.linked_at,
            passkeys: s.passkeys.iter().map(ServicePasskeyView::from).collect(),
        }
    }
}

/// A library error as the UI says it.
pub(crate) fn say(e: latchkey_passkey::Error) -> Error {
    match e {
        latchkey_passkey::Error::Authenticator(AuthenticatorError::Cancelled) => {
            Error::say("No passkey was made: the request was declined or timed out.")
        }
        e => Error::say(sentence(&e.to_string())),
    }
}

fn no_service() -> Error {
    Error::say("That service is no longer linked. Link it again to go on.")
}

fn index(services: &[LinkedService], id: &str) -> Result<usize, Error> {
    let id = Uuid::parse_str(id).map_err(|_| no_service())?;
    services
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(no_service)
}

/// What a ceremony with a linked service needs: its client and the account's token.
async fn connect<R: Runtime>(
    app: &AppHandle<R>,
    id: String,
) -> Result<(Service, BearerToken, LinkedService), Error> {
    let linked = blocking(app.clone(), move |state, _| {
        state.read(|v| Ok(v.services()[index(v.services(), &id)?].clone()))
    })
    .await?;
    let service = Service::discover(&linked.base_url).await.map_err(say)?;
    let token = BearerToken::new(linked.token.as_str());
    Ok((service, token, linked))
}

#[tauri::command]
pub async fn services<R: Runtime>(app: AppHandle<R>) -> Result<Vec<ServiceView>, Error> {
    blocking(app, |state, _| {
        state.read(|v| Ok(v.services().iter().map(ServiceView::from).collect()))
    })
    .await
}

/// Forgets a linked service (its token with it). Passkeys stay registered there.
#[tauri::command]
pub async fn unlink_service<R: Runtime>(app: AppHandle<R>, service: String) -> Result<(), Error> {
    blocking(app, move |state, _| {
        state.change(|v| {
            let i = index(v.services(), &service)?;
            v.services_mut().remove(i);
            Ok(())
        })
    })
    .await
}

/// Makes a passkey on `holder` ("platform" or "securityKey") for the account of a
/// linked service and registers it there as `name`. `events` says what the
/// authenticator needs from the person meanwhile.
#[tauri::command]
pub async fn add_passkey<R: Runtime>(
    app: AppHandle<R>,
    service: String,
    holder: String,
    name: String,
    events: Channel<Event>,
) -> Result<ServicePasskeyView, Error> {
    app.state::<Prompts>().begin();
    let (client, token, linked) = connect(&app, service).await?;
    let pending = client.begin_registration(&token).await.map_err(say)?;
    let request = pending.request().clone();
    let (attestation, made, holder) = match holder.as_str() {
        "platform" => {
            let (attestation, made) = platform(app.clone(), request, events.clone()).await?;
            (attestation, made, Holder::Platform)
        }
        "securityKey" => security_key(app.clone(), request, events.clone()).await?,
        _ => return Err(Error::say("Choose this computer or a security key.")),
    };
    let _ = events.send(Event::Working);
    let name = match (name.trim(), &holder) {
        ("", Holder::SecurityKey { product, .. }) if !product.is_empty() => product.clone(),
        ("", _) => latchkey_passkey::this_computer(),
        (n, _) => n.to_owned(),
    };
    let passkey = client
        .finish_registration(&token, pending, &attestation, &name)
        .await
        .map_err(say)?;
    let record = latchkey_passkey::service_passkey(&passkey, &attestation, holder);
    blocking(app, move |state, _| {
        state.change(|v| {
            keep_new_passkeys(v.passkeys_mut(), made);
            let i = index(v.services(), &linked.id.to_string())?;
            v.services_mut()[i].passkeys.push(record.clone());
            Ok(ServicePasskeyView::from(&record))
        })
    })
    .await
}

/// The platform authenticator's makeCredential, on a blocking thread, asking the
/// person through `events` first. Returns its answer and the passkeys it made.
async fn platform<R: Runtime>(
    app: AppHandle<R>,
    request: MakeCredentialRequest,
    events: Channel<Event>,
) -> Result<(Attestation, Vec<StoredPasskey>), Error> {
    blocking(app, move |state, app| {
        let before = state.read(|v| Ok(v.passkeys().to_vec()))?;
        let known: Vec<Vec<u8>> = before.iter().map(|p| p.credential_id.clone()).collect();
        let asker = app.clone();
        let confirm = move |p: &Prompt| {
            let event = Event::Confirm {
                rp_id: p.rp_id().to_owned(),
                user_name: p.user_name().to_owned(),
            };
            matches!(
                asker.state::<Prompts>().ask(&events, event),
                Some(Answer::Confirm(true))
            )
        };
        let auth = PlatformAuthenticator::new(before, confirm, now);
        let attestation = auth.make_credential(&request).map_err(|e| match e {
            AuthenticatorError::Cancelled => Error::say("No passkey was made: you declined."),
            e => Error::say(sentence(&e.to_string())),
        })?;
        let made = auth
            .passkeys()
            .into_iter()
            .filter(|p| !known.contains(&p.credential_id))
            .collect();
        Ok((attestation, made))
    })
    .await
}

/// makeCredential on the security key plugged in (waiting for one, with "insert" on
/// `events`), asking for its PIN and a touch there. The key keeps the private key.
async fn security_key<R: Runtime>(
    app: AppHandle<R>,
    request: MakeCredentialRequest,
    events: Channel<Event>,
) -> Result<(Attestation, Vec<StoredPasskey>, Holder), Error> {
    blocking(app, move |state, app| {
        let prompt = KeyPrompt::asking(app, events);
        let key = usb::plugged(app, prompt.clone(), state.key_wait())?;
        let attestation = key
            .make_credential_with(&request, Extensions::default())
            .map_err(|e| match e {
                latchkey_usbkey::Error::Cancelled => Error::say(
                    "No passkey was made: the key was not touched in time, or you cancelled.",
                ),
                e => prompt.say(e),
            })?;
        let holder = Holder::SecurityKey {
            aaguid: key.info().map(|i| i.aaguid).unwrap_or_default(),
            product: key.descriptor().product.clone(),
        };
        Ok((attestation, Vec::new(), holder))
    })
    .await
}

/// Adds passkeys the platform authenticator made to the vault as it is now; one for an
/// account already held (same RP, same user handle) replaces it, as the authenticator did.
fn keep_new_passkeys(stored: &mut Vec<StoredPasskey>, made: Vec<StoredPasskey>) {
    for new in made {
        stored.retain(|p| !(p.rp_id == new.rp_id && p.user_handle == new.user_handle));
        stored.push(new);
    }
}

/// Removes a passkey from the service, and from this vault when it made it.
#[tauri::command]
pub async fn remove_passkey<R: Runtime>(
    app: AppHandle<R>,
    service: String,
    passkey: String,
) -> Result<(), Error> {
    let (client, token, linked) = connect(&app, service).await?;
    let record = linked
        .passkeys
        .iter()
        .find(|p| p.id == passkey)
        .cloned()
        .ok_or_else(|| Error::say("That passkey is no longer registered from here."))?;
    match client.remove(&token, &record.id).await {
        // Already gone there (removed on the service's page): forget it here too.
        Err(latchkey_passkey::Error::Service { status: 404, .. }) | Ok(()) => {}
        Err(e) => return Err(say(e)),
    }
    blocking(app, move |state, _| {
        state.change(|v| {
            if record.holder == Holder::Platform {
                v.passkeys_mut()
                    .retain(|p| p.credential_id != record.credential_id);
            }
            if let Ok(i) = index(v.services(), &linked.id.to_string()) {
                v.services_mut()[i].passkeys.retain(|p| p.id != record.id);
            }
            Ok(())
        })
    })
    .await
}

/// Answers the authenticator's PIN or confirmation request.
#[tauri::command]
pub async fn answer_prompt<R: Runtime>(app: AppHandle<R>, answer: Answer) -> Result<(), Error> {
    app.state::<Prompts>().answer(answer)
}

/// Stops the authenticator operation under way.
#[tauri::command]
pub async fn cancel_authenticator<R: Runtime>(app: AppHandle<R>) -> Result<(), Error> {
    app.state::<Prompts>().cancel();
    Ok(())
}
