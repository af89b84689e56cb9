//! Finding, creating and unlocking the vault, and talking to the person at the terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use latchkey_core::keystore::{KeyStore, KeyStoreError, OsKeyStore};
use latchkey_core::unlock::{self, Outcome, Why};
use latchkey_core::vault::{self, KdfParams, LockedVault, NewVault, Unlock, Vault, VaultError};
use zeroize::Zeroizing;

pub const PASSWORD_ENV: &str = "LATCHKEY_PASSWORD";
pub const NEW_PASSWORD_ENV: &str = "LATCHKEY_NEW_PASSWORD";

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn vault_path(given: Option<PathBuf>) -> Result<PathBuf> {
    given.or_else(vault::default_path).ok_or_else(|| {
        anyhow!("cannot tell where to keep the vault: this system has no data folder")
    })
}

/// Opens the vault, read-only or for changes: the keychain first, then the password.
pub fn open(path: &Path, for_update: bool) -> Result<Vault> {
    let locked = if for_update {
        LockedVault::read_for_update(path)
    } else {
        LockedVault::read(path)
    }?;
    // The keychain is only reached for a vault that has a keychain slot.
    let store = match locked.has_keychain() {
        true => OsKeyStore::open(),
        false => Err(KeyStoreError::Unavailable("not needed".into())),
    };
    let store = store.as_ref().map(|s| s as &dyn KeyStore);
    let (locked, why) = match unlock::with_keychain(locked, store) {
        Ok(Outcome::Open(vault)) => return Ok(vault),
        Ok(Outcome::NeedsPassword { locked, why }) => (locked, why),
        Ok(_) => bail!("this vault cannot be opened here"),
        Err(e) => {
            return Err(anyhow::Error::new(e).context("this vault opens only with the OS keychain"));
        }
    };
    if let Some(key) = crate::vault_key::try_unlock(&locked)? {
        return Ok(locked.open(key)?);
    }
    if !locked.has_password() {
        bail!("this vault opens with the OS keychain or a security key; plug in the security key");
    }
    if let Why::KeychainFailed(e) | Why::NoKeychain(e) = &why {
        eprintln!("The OS keychain could not unlock the vault ({e}); using the password instead.");
    }
    let password = read_password(PASSWORD_ENV, "Vault password: ")?;
    let key = locked.master_key(Unlock::Password(&password))?;
    Ok(locked.open(key)?)
}

/// Opens the vault for changes, creating it first if there is none yet. Two processes
/// racing to create it both end up using the one that won.
pub fn open_or_create(path: &Path) -> Result<Vault> {
    if path.exists() || vault::file::backup_path(path).exists() {
        return open(path, true);
    }
    match create(path) {
        Err(e)
            if matches!(
                e.downcast_ref::<VaultError>(),
                Some(VaultError::AlreadyExists(_))
            ) =>
        {
            open(path, true)
        }
        other => other,
    }
}

fn create(path: &Path) -> Result<Vault> {
    let keychain = OsKeyStore::open();
    if let Ok(store) = &keychain {
        let new = NewVault {
            keychain: Some(store as &dyn KeyStore),
            password: None,
            kdf: KdfParams::DEFAULT,
        };
        match Vault::create(path, new, now()) {
            Ok(v) => {
                eprintln!(
                    "Created a new vault at {}; its key is kept by {}.",
                    path.display(),
                    store.name()
                );
                return Ok(v);
            }
            Err(VaultError::Keychain(e)) => {
                eprintln!("The OS keychain refused to keep the vault's key ({e}).")
            }
            Err(e) => return Err(e.into()),
        }
    } else if let Err(e) = &keychain {
        eprintln!("Note: {e}.");
    }
    eprintln!("Protecting the new vault with a password instead.");
    let password = new_password(PASSWORD_ENV)?;
    let new = NewVault {
        keychain: None,
        password: Some(&password),
        kdf: KdfParams::DEFAULT,
    };
    let vault = Vault::create(path, new, now())?;
    eprintln!(
        "Created a new vault at {}, protected by your password.",
        path.display()
    );
    Ok(vault)
}

/// A password from `env`, or typed at the terminal without echo.
pub fn read_password(env: &str, prompt: &str) -> Result<Zeroizing<String>> {
    if let Ok(pw) = std::env::var(env) {
        return Ok(Zeroizing::new(pw));
    }
    if !std::io::stdin().is_terminal() {
        bail!("a password is needed and there is no terminal to ask for it; set {env}");
    }
    Ok(Zeroizing::new(
        rpassword::prompt_password(prompt).context("reading the password")?,
    ))
}

/// A new password from `env`, or typed twice at the terminal.
pub fn new_password(env: &str) -> Result<Zeroizing<String>> {
    let pw = read_password(env, "New vault password: ")?;
    if pw.is_empty() {
        bail!("the password cannot be empty");
    }
    if std::env::var(env).is_err() {
        let again = read_password(env, "Repeat the password: ")?;
        if *again != *pw {
            bail!("the two passwords differ");
        }
    }
    Ok(pw)
}

/// Asks a yes/no question at the terminal; `None` when there is no terminal.
pub fn confirm(question: &str) -> Option<bool> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    Some(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// A hint for errors a person can act on.
pub fn hint(e: &anyhow::Error) -> Option<&'static str> {
    use latchkey_core::account::QueryError;
    if let Some(v) = e.downcast_ref::<VaultError>() {
        return match v {
            VaultError::NotFound(_) => Some(
                "add your first account with `latchkey add URI`, or point --vault at an existing vault",
            ),
            VaultError::OnlyBackup(_) => Some(
                "if the vault was lost, copy the backup back in its place (cp PATH.bak PATH), then try again",
            ),
            VaultError::WrongPassword => {
                Some("passwords are case-sensitive; check LATCHKEY_PASSWORD if it is set")
            }
            VaultError::Tampered | VaultError::Truncated | VaultError::Corrupt(_) => Some(
                "the file was left untouched; if a .bak file is beside it, it holds the previous save",
            ),
            VaultError::Keychain(_) => Some(
                "unlock your desktop keyring (or start one), or set a password with `latchkey vault password set` while it works",
            ),
            VaultError::KeychainEntryMissing(_) | VaultError::KeychainKeyMismatch => Some(
                "the keychain item holding this vault's key was deleted or replaced; restore it from a keyring backup, or open the vault with its password if it has one",
            ),
            VaultError::Busy => Some("wait for the other latchkey process (or the app) to finish"),
            VaultError::AlreadyExists(_) => {
                Some("open it instead, or choose another path with --vault")
            }
            VaultError::Duplicate(_) => Some("see `latchkey list`"),
            _ => None,
        };
    }
    if let Some(k) = e.downcast_ref::<latchkey_usbkey::Error>() {
        return crate::key::hint(k);
    }
    match e.downcast_ref::<QueryError>() {
        Some(QueryError::Ambiguous { .. }) => Some("use more of the name, e.g. `Issuer:account`"),
        Some(QueryError::NotFound(_)) => Some("see `latchkey list` for the accounts in the vault"),
        _ => None,
    }
}
