//! `latchkey vault key add|remove|list`: unlocking the vault with a FIDO2 security key
//! (its hmac-secret extension), and using one when the keychain cannot unlock.

use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use latchkey_core::vault::{self, Fido2Slot, LockedVault, NewFido2Slot, Unlock};
use latchkey_usbkey::HmacSecret;

use crate::key;
use crate::session::{self, now};

/// The RP ID of the credentials made for unlocking vaults: not a web domain, so no site
/// can ask a key to use them.
pub const VAULT_RP_ID: &str = "latchkey-vault";

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
    eprintln!("Making a credential for the vault on the key.");
    let credential = usb
        .create_hmac_secret_credential(VAULT_RP_ID)
        .context("making the key's vault credential")?;
    let salt = vault::new_fido2_salt()?;
    eprintln!("Once more, to read the key's secret.");
    let secret = usb
        .hmac_secret(VAULT_RP_ID, &credential, &salt, uv)
        .context("reading the key's hmac-secret")?;
    let new = NewFido2Slot {
        credential_id: &credential,
        rp_id: VAULT_RP_ID,
        salt: &salt,
        name,
        uv,
    };
    vault.add_fido2_slot(new, &secret, now())?;
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
    // Each slot names the credential that its own key made; another key answers
    // "no credentials" at once, without a touch.
    for slot in &slots {
        match usb.hmac_secret(&slot.rp_id, &slot.credential_id, &slot.salt, slot.uv) {
            Ok(secret) => {
                let how = Unlock::Fido2 {
                    slot: slot.id,
                    secret: &secret,
                };
                return Ok(Some(locked.master_key(how)?));
            }
            Err(latchkey_usbkey::Error::NoCredentials) => continue,
            Err(e) => return Err(e).context("unlocking with the security key"),
        }
    }
    eprintln!("The plugged-in security key does not unlock this vault.");
    Ok(None)
}
