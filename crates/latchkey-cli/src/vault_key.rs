//! `latchkey vault key add|remove|list`: unlocking the vault with a FIDO2 security key
//! (its hmac-secret extension), and using one when the keychain cannot unlock.

use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use latchkey_core::vault::{self, Fido2Slot, LockedVault, Unlock};

use crate::key;
use crate::session::{self, now};

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Let a security key unlock the vault (the key is touched twice)
    #[command(after_help = "Examples:
  latchkey vault key add --name 'YubiKey 5C'
  latchkey vault key add --device 2      # with several keys plugged in")]
    Add {
        /// A name to tell this key from others
        #[arg(long, default_value = "Security key")]
        name: String,
        /// Which key, counted as `latchkey key list` shows them
        #[arg(long, value_name = "N")]
        device: Option<usize>,
    },
    /// Stop a security key from unlocking the vault
    #[command(after_help = "Examples:
  latchkey vault key remove 'YubiKey 5C'")]
    Remove {
        /// The key's name (as `latchkey vault key list` shows), or its slot id
        name: String,
    },
    /// The security keys that unlock the vault
    List,
}

pub fn run(path: &Path, cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::Add { name, device } => add(path, &name, device),
        KeyCommand::Remove { name } => remove(path, &name),
        KeyCommand::List => list(path),
    }
}

fn add(path: &Path, name: &str, device: Option<usize>) -> Result<()> {
    let mut vault = session::open(path, true)?;
    if vault::fido2_slots(vault.slots())
        .iter()
        .any(|s| s.name == name)
    {
        bail!("a security key named \"{name}\" already unlocks this vault; choose another --name");
    }
    let usb = key::open(device)?;
    // A key with a PIN verifies its holder on every unlock: a lost key and a copy of
    // the vault file are not enough.
    let uv = usb.info().context("reading the key's info")?.pin_set();
    eprintln!("Touch the key twice: once to make its vault credential, once to answer.");
    let enrolment = latchkey_usbkey::enrol(&usb, uv).context("enrolling the security key")?;
    vault.add_fido2_slot(enrolment.slot(name), enrolment.secret(), now())?;
    println!(
        "\"{name}\" now unlocks the vault{}, besides its other ways.",
        if uv { " with its PIN" } else { "" }
    );
    if !uv {
        println!(
            "Note: this key has no PIN, so anyone holding it and a copy of the vault file can open the vault; set one with `latchkey key pin set`, then add the key again."
        );
    }
    if vault.has_password() {
        println!("Note: changing the vault password removes security keys; add them again then.");
    }
    Ok(())
}

fn remove(path: &Path, name: &str) -> Result<()> {
    let mut vault = session::open(path, true)?;
    let slots = vault::fido2_slots(vault.slots());
    let found: Vec<&Fido2Slot> = slots
        .iter()
        .filter(|s| s.name == name || s.id.to_string() == name)
        .collect();
    let slot = match found.as_slice() {
        [one] => *one,
        [] => bail!(
            "no security key named \"{name}\" unlocks this vault (see `latchkey vault key list`)"
        ),
        _ => bail!(
            "several security keys are named \"{name}\"; give the slot id instead (see `latchkey vault key list`)"
        ),
    };
    vault.remove_fido2_slot(slot.id, now())?;
    println!("\"{}\" no longer unlocks the vault.", slot.name);
    Ok(())
}

fn list(path: &Path) -> Result<()> {
    let locked = LockedVault::read(path)?;
    let slots = vault::fido2_slots(locked.slots());
    if slots.is_empty() {
        println!("No security key unlocks this vault; add one with `latchkey vault key add`.");
    }
    for s in slots {
        println!("{}  {}", s.id, s.name);
    }
    Ok(())
}

/// Opens `locked` with a plugged-in security key that has a slot, if there is one; `None`
/// when the vault has no security-key slot or no key is plugged in.
pub fn try_unlock(locked: &LockedVault) -> Result<Option<vault::MasterKey>> {
    let slots = vault::fido2_slots(locked.slots());
    if slots.is_empty() || std::env::var_os(session::PASSWORD_ENV).is_some() {
        return Ok(None);
    }
    let Ok(usb) = key::open(None) else {
        return Ok(None);
    };
    if let Some((slot, secret)) =
        latchkey_usbkey::answer(&usb, &slots).context("unlocking with the security key")?
    {
        return Ok(Some(locked.master_key(Unlock::Fido2 {
            slot,
            secret: &secret,
        })?));
    }
    eprintln!("The plugged-in security key does not unlock this vault.");
    Ok(None)
}
