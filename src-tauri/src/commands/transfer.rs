//! Import and export (Settings › Import and export), over `latchkey_core::{import,
//! export}` as `latchkey import` and `latchkey export` use them.
//!
//! An import is two steps: [`import_preview`] reads the file and says what it would
//! add, keeping the accounts here under a random id (their seeds never cross IPC);
//! [`import_confirm`] adds them once the person says yes. An export is written by
//! Rust straight to the file the save dialog gave: only encrypted exports go out
//! without the person's explicit confirmation, and files are made readable by their
//! owner only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use latchkey_core::import::{self, Format, ImportError};
use latchkey_core::vault::{KdfParams, VaultError};
use latchkey_core::{Account, export};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use zeroize::Zeroizing;

use super::blocking;
use crate::error::{Error, sentence};
use crate::state::{AppState, now};
use crate::views::{AccountView, kind_name};

/// Imports read but not yet confirmed, by id. Dropped when the vault locks.
#[derive(Default)]
pub struct Imports(Mutex<HashMap<String, Vec<Account>>>);

impl Imports {
    fn held(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Account>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets every pending import (and the seeds in it).
    pub fn clear(&self) {
        self.held().clear();
    }
}

/// What an import would do, as the preview lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// What [`import_confirm`] takes; `None` while a password is needed.
    id: Option<String>,
    /// The format's name ("Aegis (JSON)").
    format: &'static str,
    /// The export is encrypted: ask for its password and preview again.
    needs_password: bool,
    new: Vec<NewAccount>,
    duplicates: Vec<String>,
    skipped: Vec<SkippedEntry>,
}

#[derive(Serialize)]
pub struct NewAccount {
    name: String,
    issuer: String,
    label: String,
    kind: &'static str,
}

#[derive(Serialize)]
pub struct SkippedEntry {
    name: String,
    reason: String,
}

/// Reads an export (the file the person chose, base64, as `scan_image` takes an
/// image) in `format` (an import id) or the format it is recognised as.
#[tauri::command]
pub async fn import_preview<R: Runtime>(
    app: AppHandle<R>,
    data: Zeroizing<String>,
    format: Option<String>,
    password: Option<Zeroizing<String>>,
) -> Result<ImportPreview, Error> {
    blocking(app, move |state, app| {
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .map_err(|_| Error::say("That file could not be read."))?,
        );
        let format = format_of(format.as_deref(), &bytes)?;
        let password = password
            .as_deref()
            .map(String::as_str)
            .filter(|p| !p.is_empty());
        if password.is_none() && format.encrypted(&bytes) {
            return Ok(needs_password(format));
        }
        let restored = match format.restore(&bytes, password) {
            Err(ImportError::NeedsPassword) => return Ok(needs_password(format)),
            other => other.map_err(import_error)?,
        };
        let preview = state.read(|v| Ok(import::preview(v.accounts(), restored)))?;
        let view = ImportPreview {
            id: None,
            format: format.name(),
            needs_password: false,
            new: preview.new.iter().map(new_account).collect(),
            duplicates: preview.duplicates,
            skipped: preview
                .skipped
                .into_iter()
                .map(|s| SkippedEntry {
                    name: s.name,
                    reason: s.reason,
                })
                .collect(),
        };
        let id = uuid::Uuid::new_v4().to_string();
        let imports = app.state::<Imports>();
        let mut held = imports.held();
        // One import at a time: a new look replaces one left unanswered.
        held.clear();
        held.insert(id.clone(), preview.new);
        Ok(ImportPreview {
            id: Some(id),
            ..view
        })
    })
    .await
}

fn needs_password(format: &dyn Format) -> ImportPreview {
    ImportPreview {
        id: None,
        format: format.name(),
        needs_password: true,
        new: Vec::new(),
        duplicates: Vec::new(),
        skipped: Vec::new(),
    }
}

fn new_account(a: &Account) -> NewAccount {
    NewAccount {
        name: a.display_name(),
        issuer: a.issuer.clone(),
        label: a.label.clone(),
        kind: kind_name(a.otp.kind()),
    }
}

/// The formats' names, for saying which files Latchkey reads.
fn format_names() -> String {
    let names: Vec<_> = import::formats().iter().map(|f| f.name()).collect();
    names.join(", ")
}

fn format_of(given: Option<&str>, bytes: &[u8]) -> Result<&'static dyn Format, Error> {
    match given {
        Some(id) => import::by_id(id)
            .ok_or_else(|| Error::say(format!("Latchkey has no import format “{id}”."))),
        None => import::detect(bytes).ok_or_else(|| {
            Error::say(format!(
                "Latchkey does not recognise this file as an export it can read. It reads exports of: {}.",
                format_names()
            ))
        }),
    }
}

fn import_error(e: ImportError) -> Error {
    match e {
        ImportError::WrongPassword => {
            Error::say("That password does not open this export. Passwords are case-sensitive.")
        }
        ImportError::Unknown => Error::say(format!(
            "Latchkey does not recognise this file as an export it can read. It reads exports of: {}.",
            format_names()
        )),
        e => Error::say(sentence(&e.to_string())),
    }
}

/// Adds the new accounts of the import `id`; duplicates are checked again under the
/// writer lock (another process may have added some since the preview).
#[tauri::command]
pub async fn import_confirm<R: Runtime>(
    app: AppHandle<R>,
    id: String,
) -> Result<Vec<AccountView>, Error> {
    blocking(app, move |state, app| {
        let accounts =
            app.state::<Imports>().held().remove(&id).ok_or_else(|| {
                Error::say("That import is no longer open. Choose the file again.")
            })?;
        add_new(state, accounts)
    })
    .await
}

fn add_new(state: &AppState, accounts: Vec<Account>) -> Result<Vec<AccountView>, Error> {
    state.update(|vault| {
        let t = now();
        let mut added = Vec::new();
        for mut account in accounts {
            account.created_at = t;
            match vault.add(account) {
                Ok(a) => added.push(AccountView::from(a)),
                // Added elsewhere since the preview: already there, fine.
                Err(VaultError::Duplicate(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if !added.is_empty() {
            vault.save(t)?;
        }
        Ok(added)
    })
}

/// Drops the import `id` without adding anything.
#[tauri::command]
pub async fn import_cancel<R: Runtime>(app: AppHandle<R>, id: String) -> Result<(), Error> {
    app.state::<Imports>().held().remove(&id);
    Ok(())
}

/// What `export_file` writes.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// An encrypted Latchkey backup.
    Latchkey,
    /// An encrypted Aegis vault.
    Aegis,
    /// `otpauth://` links, one a line (plain secrets).
    Uris,
    /// A printable HTML sheet (plain secrets).
    Sheet,
}

/// What was written, for the closing sentence.
#[derive(Serialize)]
pub struct Exported {
    accounts: usize,
    path: String,
}

/// Writes every account to `path`. Encrypted formats need a `password` of at least 8
/// characters; plain ones need `confirmedPlain` (the person saw the warning). An
/// existing file is replaced only with `replace`.
#[tauri::command]
pub async fn export_file<R: Runtime>(
    app: AppHandle<R>,
    format: ExportFormat,
    path: PathBuf,
    password: Option<Zeroizing<String>>,
    confirmed_plain: Option<bool>,
    replace: Option<bool>,
) -> Result<Exported, Error> {
    blocking(app, move |state, _| {
        let replace = replace.unwrap_or(false);
        let password = password.as_deref().map(String::as_str).unwrap_or_default();
        match format {
            ExportFormat::Latchkey | ExportFormat::Aegis if password.chars().count() < 8 => {
                return Err(Error::say(
                    "Choose a password of at least 8 characters for the export.",
                ));
            }
            ExportFormat::Uris | ExportFormat::Sheet if confirmed_plain != Some(true) => {
                return Err(Error::say(
                    "This export holds your secrets unencrypted: confirm that you understand before saving it.",
                ));
            }
            _ => {}
        }
        if !replace && path.exists() {
            return Err(Error::say(format!(
                "{} already exists. Choose another name.",
                path.display()
            )));
        }
        let kdf = state.kdf();
        let accounts = state.read(|vault| {
            write(format, vault.accounts(), &path, (password, kdf), replace)
        })?;
        Ok(Exported {
            accounts,
            path: path.display().to_string(),
        })
    })
    .await
}

fn write(
    format: ExportFormat,
    accounts: &[Account],
    path: &Path,
    (password, kdf): (&str, KdfParams),
    replace: bool,
) -> Result<usize, Error> {
    let failed = |e: export::ExportError| Error::say(sentence(&e.to_string()));
    match format {
        ExportFormat::Latchkey => {
            if replace {
                remove_if_there(path)?;
            }
            export::backup(accounts, path, password, kdf, now()).map_err(failed)?;
        }
        ExportFormat::Aegis => {
            let bytes =
                export::aegis(accounts, password, export::ScryptParams::AEGIS).map_err(failed)?;
            write_secret_file(path, &bytes, replace)?;
        }
        ExportFormat::Uris => write_secret_file(path, export::uris(accounts).as_bytes(), replace)?,
        ExportFormat::Sheet => {
            let sheet = export::sheet(accounts, now()).map_err(failed)?;
            write_secret_file(path, sheet.as_bytes(), replace)?;
        }
    }
    Ok(accounts.len())
}

fn cannot_write(path: &Path, e: std::io::Error) -> Error {
    Error::say(format!(
        "{} could not be written ({}).",
        path.display(),
        e.to_string().trim_end_matches('.')
    ))
}

fn remove_if_there(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(cannot_write(path, e)),
        _ => Ok(()),
    }
}

/// Writes a file only its owner can read (0600), never replacing one unless `replace`.
fn write_secret_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), Error> {
    export::write_private(path, bytes, replace).map_err(|e| cannot_write(path, e))
}

/// Asks where to save an export (the system's save dialog, which itself asks before
/// replacing a file); `None` when the person cancels.
#[tauri::command]
pub async fn choose_export_path<R: Runtime>(
    app: AppHandle<R>,
    name: String,
) -> Result<Option<String>, Error> {
    blocking(app, move |_, app| {
        let dialog = app
            .try_state::<tauri_plugin_dialog::Dialog<R>>()
            .ok_or_else(|| Error::say("This system offers no save dialog."))?;
        let chosen = dialog.file().set_file_name(name).blocking_save_file();
        Ok(chosen
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}
