//! `latchkey passkey list|register|remove|sign-in`: passkeys at the account services the
//! vault is linked to, made by the platform authenticator (keys in the vault) or a USB
//! security key.
//!
//! Authenticator calls block (a confirmation, a touch), so each command runs the
//! service's begin step, then the authenticator outside any async code, then the finish.

use std::path::Path;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use latchkey_core::passkeys::Holder;
use latchkey_core::vault::Vault;
use latchkey_passkey::{
    Attestation, Authenticator, PlatformAuthenticator, Service, SignIn, service_passkey,
};
use latchkey_usbkey::UsbKey;
use serde_json::json;
use zeroize::Zeroizing;

use crate::authenticators::{aaguid, platform, refused};
use crate::linked::{connect, describe, hinted, runtime, select, with_hints};
use crate::session::{self, now};

/// Where `passkey sign-in` reads the service password from, for scripts.
const SERVICE_PASSWORD_ENV: &str = "LATCHKEY_SERVICE_PASSWORD";

#[derive(Subcommand)]
pub enum PasskeyCommand {
    /// Show a linked service's passkeys and which authenticator holds each
    #[command(after_help = "Examples:
  latchkey passkey list
  latchkey passkey list example.com --json")]
    List {
        /// The linked service: part of its address or account (needed when several are linked)
        service: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Make a new passkey and register it with a linked service
    #[command(after_help = "Examples:
  latchkey passkey register                       # on this computer, asks first
  latchkey passkey register example.com --usb --name 'YubiKey 5C'")]
    Register {
        /// The linked service: part of its address or account
        service: Option<String>,
        /// The passkey's name at the service [default: Latchkey on HOSTNAME, or the key's product name]
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        with: With,
    },
    /// Remove a passkey from a linked service (and its private key from this computer)
    #[command(
        override_usage = "latchkey passkey remove [OPTIONS] [SERVICE] <ID>",
        after_help = "Examples:
  latchkey passkey remove 6f1c2b9e          # the ID (or its start) from `latchkey passkey list`
  latchkey passkey remove example.com 6f1c2b9e --yes"
    )]
    Remove {
        /// [SERVICE] ID: the linked service (when several are linked), then the passkey's ID
        #[arg(value_name = "ARGS", num_args = 1..=2, required = true)]
        args: Vec<String>,
        /// Remove without asking
        #[arg(long)]
        yes: bool,
    },
    /// Sign in to a service with your password and a passkey as the second factor
    #[command(after_help = "Examples:
  latchkey passkey sign-in https://accounts.example.com --email alice@example.com
  LATCHKEY_SERVICE_PASSWORD=… latchkey passkey sign-in URL --email E --usb")]
    SignIn {
        /// The service's address
        url: String,
        /// The account's email address
        #[arg(long)]
        email: String,
        #[command(flatten)]
        with: With,
    },
}

/// Which authenticator makes or uses the passkey.
#[derive(Args)]
pub struct With {
    /// This computer: the passkey's private key lives in the vault (the default)
    #[arg(long, conflicts_with = "usb")]
    platform: bool,
    /// A USB security key
    #[arg(long)]
    usb: bool,
    /// Confirm the platform authenticator's question without asking (for scripts)
    #[arg(long)]
    yes: bool,
}

pub fn run(path: &Path, cmd: PasskeyCommand) -> Result<()> {
    with_hints(match cmd {
        PasskeyCommand::List { service, json } => list(path, service.as_deref(), json),
        PasskeyCommand::Register {
            service,
            name,
            with,
        } => register(path, service.as_deref(), name, &with),
        PasskeyCommand::Remove { args, yes } => match args.as_slice() {
            [id] => remove(path, None, id, yes),
            [service, id] => remove(path, Some(service), id, yes),
            _ => bail!("give the passkey's ID, optionally after the service"),
        },
        PasskeyCommand::SignIn { url, email, with } => sign_in(path, &url, &email, &with),
    })
}

fn list(path: &Path, query: Option<&str>, as_json: bool) -> Result<()> {
    let rt = runtime()?;
    let vault = session::open(path, false)?;
    let linked = &vault.services()[select(&vault, query)?];
    let (service, token) = connect(&rt, linked)?;
    let listed = rt
        .block_on(service.list(&token))
        .context("listing the passkeys")?;
    let mut rows = Vec::new();
    for p in &listed {
        let holder = linked
            .passkeys
            .iter()
            .find(|k| k.id == p.id)
            .map(|k| &k.holder);
        rows.push(json!({
            "id": p.id, "name": p.name, "created_at": p.created_at, "last_used_at": p.last_used_at,
            "held_by": holder.map(Holder::describe), "on_service": true,
        }));
    }
    // Removed elsewhere (on the service's page, say) but still remembered here.
    for k in linked
        .passkeys
        .iter()
        .filter(|k| !listed.iter().any(|p| p.id == k.id))
    {
        rows.push(json!({
            "id": k.id, "name": k.name, "created_at": k.created_at, "last_used_at": null,
            "held_by": k.holder.describe(), "on_service": false,
        }));
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!(
            "No passkeys for {}; add one with `latchkey passkey register`.",
            describe(linked)
        );
        return Ok(());
    }
    println!("Passkeys for {}:", describe(linked));
    for r in &rows {
        let held = r["held_by"]
            .as_str()
            .unwrap_or("another device or a browser");
        let gone = if r["on_service"] == true {
            ""
        } else {
            "  (no longer on the service)"
        };
        println!(
            "  {}  {}  held by {held}{gone}",
            r["id"].as_str().unwrap_or(""),
            r["name"].as_str().unwrap_or("")
        );
    }
    Ok(())
}
fn register(path: &Path, query: Option<&str>, name: Option<String>, with: &With) -> Result<()> {
    let rt = runtime()?;
    let mut vault = session::open(path, true)?;
    let i = select(&vault, query)?;
    // The key before the service: no ceremony is started for a key that is not there.
    let usb = if with.usb {
        Some(crate::key::open(None)?)
    } else {
        None
    };
    let (service, token) = connect(&rt, &vault.services()[i])?;
    let pending = rt
        .block_on(service.begin_registration(&token))
        .context("starting the registration")?;

    let made: Result<(Attestation, Holder, Option<PlatformAuthenticator>)> = match &usb {
        Some(key) => {
            let attestation = key
                .make_credential(pending.request())
                .map_err(|e| refused(e, false, "making a passkey on the security key"))?;
            let holder = Holder::SecurityKey {
                aaguid: aaguid(&attestation.auth_data),
                product: key.descriptor().product.clone(),
            };
            Ok((attestation, holder, None))
        }
        None => {
            let (auth, unanswered) = platform(&vault, with.yes);
            match auth.make_credential(pending.request()) {
                Ok(a) => Ok((a, Holder::Platform, Some(auth))),
                Err(e) => Err(refused(
                    e,
                    unanswered.load(Ordering::Relaxed),
                    "making a passkey",
                )),
            }
        }
    };
    let (attestation, holder, auth) = made?;
    let name = name.unwrap_or_else(|| match &holder {
        Holder::SecurityKey { product, .. } if !product.is_empty() => product.clone(),
        _ => latchkey_passkey::this_computer(),
    });
    let passkey = rt
        .block_on(service.finish_registration(&token, pending, &attestation, &name))
        .context("registering the passkey")?;

    // Only now that the service has it does the new private key go into the vault.
    if let Some(auth) = auth {
        *vault.passkeys_mut() = auth.passkeys();
    }
    let record = service_passkey(&passkey, &attestation, holder.clone());
    let linked = &mut vault.services_mut()[i];
    linked.passkeys.push(record);
    let at = describe(linked);
    vault.save(now())?;
    println!(
        "Registered passkey \"{}\" ({}) for {at}, held by {}.",
        passkey.name,
        passkey.id,
        holder.describe()
    );
    Ok(())
}

fn remove(path: &Path, query: Option<&str>, id: &str, yes: bool) -> Result<()> {
    let rt = runtime()?;
    let mut vault = session::open(path, true)?;
    let i = select(&vault, query)?;
    let linked = &vault.services()[i];
    let at = describe(linked);
    let (service, token) = connect(&rt, linked)?;
    let listed = rt
        .block_on(service.list(&token))
        .context("listing the passkeys")?;
    // The full ID or its start, among those on the service and those remembered here.
    let mut ids: Vec<(&str, &str)> = listed
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .chain(
            linked
                .passkeys
                .iter()
                .map(|k| (k.id.as_str(), k.name.as_str())),
        )
        .filter(|(pid, _)| *pid == id || pid.starts_with(id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let (pid, pname) = match ids.as_slice() {
        [one] => (one.0.to_owned(), one.1.to_owned()),
        [] => {
            return Err(hinted(
                format!("no passkey of {at} has the ID \"{id}\""),
                "see `latchkey passkey list`",
            ));
        }
        _ => {
            return Err(hinted(
                format!("more than one passkey of {at} has an ID starting \"{id}\""),
                "give more of the ID; see `latchkey passkey list`",
            ));
        }
    };
    if !yes {
        match session::confirm(&format!("Remove passkey \"{pname}\" from {at}?")) {
            Some(true) => {}
            Some(false) => bail!("kept passkey \"{pname}\""),
            None => bail!(
                "removing a passkey needs confirmation; add --yes to remove it without asking"
            ),
        }
    }
    if listed.iter().any(|p| p.id == pid) {
        rt.block_on(service.remove(&token, &pid))
            .context("removing the passkey from the service")?;
    }
    let linked = &mut vault.services_mut()[i];
    let known = linked
        .passkeys
        .iter()
        .position(|k| k.id == pid)
        .map(|j| linked.passkeys.remove(j));
    let mut also = "";
    if let Some(k) = &known
        && k.holder == Holder::Platform
    {
        vault
            .passkeys_mut()
            .retain(|s| s.credential_id != k.credential_id);
        also = ", and its private key from this computer";
    }
    vault.save(now())?;
    println!("Removed passkey \"{pname}\" from {at}{also}.");
    if let Some(Holder::SecurityKey { .. }) = known.as_ref().map(|k| &k.holder) {
        println!(
            "The security key still holds it; `latchkey key credentials list` shows it there."
        );
    }
    Ok(())
}

/// The authenticator a sign-in uses: a security key, or the vault's platform passkeys.
enum Using {
    Usb(UsbKey),
    Platform(Vault),
}

fn sign_in(path: &Path, url: &str, email: &str, with: &With) -> Result<()> {
    let rt = runtime()?;
    // The authenticator first: a missing key or a locked vault should stop us before
    // any password is asked for.
    let using = match with.usb {
        true => Using::Usb(crate::key::open(None)?),
        false => Using::Platform(session::open(path, true)?),
    };
    let service = rt
        .block_on(Service::discover(url))
        .with_context(|| format!("finding the account service at {url}"))?;
    let password: Zeroizing<String> = session::read_password(
        SERVICE_PASSWORD_ENV,
        &format!("Password for {email} at {}: ", service.base_url()),
    )?;
    let step = rt
        .block_on(service.sign_in(email, &password))
        .context("signing in")?;
    let SignIn::SecondFactor { mfa_token, methods } = step else {
        println!("Signed in as {email} (the account asks for no second factor).");
        return Ok(());
    };
    if !methods.iter().any(|m| m == "passkey") {
        return Err(hinted(
            format!("{email} has no passkey at {}", service.base_url()),
            "register one first: `latchkey passkey register`",
        ));
    }
    let pending = rt
        .block_on(service.begin_sign_in(&mfa_token))
        .context("starting the passkey step")?;
    let assertion = match using {
        Using::Usb(key) => key
            .get_assertion(pending.request())
            .map_err(|e| refused(e, false, "signing in with the security key"))?,
        Using::Platform(mut vault) => {
            let (auth, unanswered) = platform(&vault, with.yes);
            let result = auth.get_assertion(pending.request());
            if result.is_ok() {
                // The signature counter moved: keep it, whatever the service says.
                *vault.passkeys_mut() = auth.passkeys();
                vault.save(now())?;
            }
            result.map_err(|e| refused(e, unanswered.load(Ordering::Relaxed), "signing in"))?
        }
    };
    rt.block_on(service.finish_sign_in(pending, &assertion))
        .context("the passkey step")?;
    println!(
        "Signed in as {email} at {} with a passkey.",
        service.base_url()
    );
    Ok(())
}
