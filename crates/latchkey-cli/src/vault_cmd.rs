//! `latchkey vault info` and `latchkey vault password set|remove`.

use std::path::Path;

use anyhow::Result;
use clap::Subcommand;
use latchkey_core::keystore::{KeyStore, OsKeyStore};
use latchkey_core::vault::{KdfParams, SlotKind};
use serde_json::json;

use crate::session::{self, NEW_PASSWORD_ENV, now};

#[derive(Subcommand)]
pub enum VaultCommand {
    /// Where the vault is, how it is protected, what it holds
    #[command(after_help = "Examples:
  latchkey vault info
  latchkey --vault ~/backup/vault.latchkey vault info --json")]
    Info {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Set, change or remove the vault password
    #[command(subcommand)]
    #[command(after_help = "Examples:
  latchkey vault password set
  LATCHKEY_NEW_PASSWORD=... latchkey vault password set   # for scripts
  latchkey vault password remove")]
    Password(PasswordCommand),
    /// Unlock the vault with a FIDO2 security key: add, remove, list
    #[command(subcommand)]
    #[command(after_help = "Examples:
  latchkey vault key add --name 'YubiKey 5C'
  latchkey vault key list
  latchkey vault key remove 'YubiKey 5C'")]
    Key(crate::vault_key::KeyCommand),
}

#[derive(Subcommand)]
pub enum PasswordCommand {
    /// Set or change the password (reads LATCHKEY_NEW_PASSWORD if set)
    #[command(after_help = "Examples:
  latchkey vault password set")]
    Set,
    /// Remove the password; the OS keychain alone then unlocks the vault
    #[command(after_help = "Examples:
  latchkey vault password remove")]
    Remove,
}

pub fn run(path: &Path, cmd: VaultCommand) -> Result<()> {
    match cmd {
        VaultCommand::Info { json } => info(path, json),
        VaultCommand::Password(PasswordCommand::Set) => set_password(path),
        VaultCommand::Password(PasswordCommand::Remove) => remove_password(path),
        VaultCommand::Key(c) => crate::vault_key::run(path, c),
    }
}

fn slot_json(kind: &SlotKind) -> serde_json::Value {
    match kind {
        SlotKind::Keychain { entry } => json!({"type": "keychain", "entry": entry}),
        SlotKind::Password { kdf, params, .. } => {
            json!({"type": "password", "kdf": kdf, "memory_kib": params.m_kib, "iterations": params.t, "lanes": params.p})
        }
        SlotKind::Fido2HmacSecret { name, .. } => json!({"type": "security-key", "name": name}),
        _ => json!({"type": "unknown"}),
    }
}

fn info(path: &Path, as_json: bool) -> Result<()> {
    let vault = session::open(path, false)?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let backup = latchkey_core::vault::file::backup_path(path);
    let slots: Vec<_> = vault.slots().iter().map(|s| slot_json(&s.kind)).collect();
    let recovery = vault
        .accounts()
        .iter()
        .filter(|a| a.recovery.current().is_some())
        .count();
    let low: Vec<String> = vault
        .accounts()
        .iter()
        .filter(|a| a.recovery.is_low())
        .map(|a| a.display_name())
        .collect();
    let out = json!({
        "path": path.display().to_string(), "id": vault.id().to_string(),
        "format_version": latchkey_core::vault::FORMAT_VERSION, "cipher": "AES-256-GCM",
        "size_bytes": size, "saved_at": vault.saved_at(), "backup": backup.exists().then(|| backup.display().to_string()),
        "accounts": vault.accounts().len(), "accounts_with_recovery_codes": recovery,
        "low_on_recovery_codes": low, "slots": slots,
    });
    if as_json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("Vault:     {}", path.display());
    println!(
        "Format:    Latchkey vault v{}, AES-256-GCM, {size} bytes",
        latchkey_core::vault::FORMAT_VERSION
    );
    println!(
        "Accounts:  {} ({recovery} with recovery codes)",
        vault.accounts().len()
    );
    for s in vault.slots() {
        match &s.kind {
            SlotKind::Keychain { .. } => println!("Unlock:    OS keychain"),
            SlotKind::Password { params, .. } => println!(
                "Unlock:    password (Argon2id, {} MiB, {} passes, {} lane)",
                params.m_kib / 1024,
                params.t,
                params.p
            ),
            SlotKind::Fido2HmacSecret { name, .. } => {
                println!("Unlock:    security key \"{name}\" (FIDO2 hmac-secret)")
            }
            _ => println!("Unlock:    (a kind this version does not know)"),
        }
    }
    if backup.exists() {
        println!("Backup:    {}", backup.display());
    }
    for name in low {
        println!("warning: few recovery codes left for {name}");
    }
    Ok(())
}

fn keychain_if_needed(vault: &latchkey_core::vault::Vault) -> Result<Option<OsKeyStore>> {
    let needs = vault
        .slots()
        .iter()
        .any(|s| matches!(s.kind, SlotKind::Keychain { .. }));
    Ok(if needs {
        Some(OsKeyStore::open()?)
    } else {
        None
    })
}

fn set_password(path: &Path) -> Result<()> {
    let mut vault = session::open(path, true)?;
    let keychain = keychain_if_needed(&vault)?;
    let had = vault
        .slots()
        .iter()
        .any(|s| matches!(s.kind, SlotKind::Password { .. }));
    let password = session::new_password(NEW_PASSWORD_ENV)?;
    vault.set_password(
        &password,
        KdfParams::DEFAULT,
        keychain.as_ref().map(|k| k as &dyn KeyStore),
        now(),
    )?;
    println!(
        "{} The vault's master key was renewed, so copies of the old file do not open with the new key.",
        if had {
            "Password changed."
        } else {
            "Password set: it unlocks the vault when the OS keychain cannot."
        }
    );
    Ok(())
}

fn remove_password(path: &Path) -> Result<()> {
    let mut vault = session::open(path, true)?;
    let keychain = OsKeyStore::open()?;
    vault.remove_password(&keychain, now())?;
    println!(
        "Password removed; the OS keychain ({}) unlocks the vault.",
        keychain.name()
    );
    Ok(())
}
