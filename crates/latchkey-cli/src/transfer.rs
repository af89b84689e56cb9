//! `latchkey import` and `latchkey export`: other apps' exports into the vault, and
//! the vault out as an encrypted backup, otpauth:// links, QR codes or a sheet. The
//! formats all live in `latchkey_core::{import, export}`; this file asks and prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use latchkey_core::Account;
use latchkey_core::export;
use latchkey_core::import::{self, Format, ImportError, Preview, Restored};
use latchkey_core::vault::{KdfParams, VaultError};
use zeroize::Zeroizing;

use crate::linked::hinted;
use crate::session::{self, now};

pub const IMPORT_PASSWORD_ENV: &str = "LATCHKEY_IMPORT_PASSWORD";
pub const EXPORT_PASSWORD_ENV: &str = "LATCHKEY_EXPORT_PASSWORD";

#[derive(Args)]
pub struct ImportArgs {
    /// The export file, or images of QR codes (every code of a Google Authenticator
    /// transfer)
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The export's format [default: recognised from the file]
    #[arg(long, value_name = "ID")]
    format: Option<String>,
    /// Show what would be added, and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Add the new accounts without asking
    #[arg(long)]
    yes: bool,
}

/// The `--format` ids, for hints ("latchkey, uris").
fn format_ids() -> String {
    let ids: Vec<_> = import::formats().iter().map(|f| f.id()).collect();
    ids.join(", ")
}

fn format_of(given: Option<&str>, bytes: &[u8]) -> Result<&'static dyn Format> {
    match given {
        Some(id) => import::by_id(id).ok_or_else(|| {
            hinted(
                format!("there is no import format \"{id}\""),
                format!("--format takes one of: {}", format_ids()),
            )
        }),
        None => import::detect(bytes).ok_or_else(|| {
            hinted(
                ImportError::Unknown.to_string(),
                format!(
                    "if you know what made it, name its format with --format (one of: {})",
                    format_ids()
                ),
            )
        }),
    }
}

/// The texts of the QR codes in an image file (a screenshot of Google Authenticator's
/// "Transfer accounts" codes, say), one a line, when `bytes` is an image; `None` when
/// it is not one.
fn qr_texts(bytes: &[u8]) -> Result<Option<Zeroizing<Vec<u8>>>> {
    const IMAGES: [&[u8]; 5] = [b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM"];
    if !IMAGES.iter().any(|magic| bytes.starts_with(magic)) {
        return Ok(None);
    }
    let found = latchkey_scan::decode_bytes(bytes).context("reading the QR codes in the image")?;
    let mut text = Zeroizing::new(Vec::new());
    for f in found {
        text.extend_from_slice(f.text().as_bytes());
        text.push(b'\n');
    }
    Ok(Some(text))
}

/// One file's format and what it holds; links (and images of QR codes) are returned
/// as text instead, to be read together with the other files' links, so that the codes
/// of one Google Authenticator transfer are checked as one batch.
enum Read {
    Export(&'static dyn Format, Restored),
    Links(Zeroizing<Vec<u8>>),
}

fn read_file(file: &Path, format: Option<&str>) -> Result<Read> {
    let bytes =
        Zeroizing::new(std::fs::read(file).with_context(|| format!("reading {}", file.display()))?);
    // An image of setup or export QR codes is read as the list of links it shows.
    let bytes = qr_texts(&bytes)?.unwrap_or(bytes);
    let format = format_of(format, &bytes)?;
    if format.id() == "uris" {
        return Ok(Read::Links(bytes));
    }
    let password = match format.encrypted(&bytes) {
        true => Some(session::read_password(
            IMPORT_PASSWORD_ENV,
            &format!("Password of {}: ", file.display()),
        )?),
        false => None,
    };
    let restored = format
        .restore(&bytes, password.as_deref().map(String::as_str))
        .map_err(import_error)?;
    Ok(Read::Export(format, restored))
}

pub fn import(path: &Path, args: ImportArgs) -> Result<()> {
    let mut restored = Restored::default();
    let mut links = Zeroizing::new(Vec::new());
    for file in &args.files {
        match read_file(file, args.format.as_deref())? {
            Read::Export(format, r) => {
                println!("{}: {}", file.display(), format.name());
                restored.accounts.extend(r.accounts);
                restored.skipped.extend(r.skipped);
            }
            Read::Links(text) => {
                println!("{}: otpauth:// links", file.display());
                links.extend_from_slice(&text);
                links.push(b'\n');
            }
        }
    }
    if !links.is_empty() {
        let uris = import::by_id("uris").context("the links format is missing")?;
        let r = uris.restore(&links, None).map_err(import_error)?;
        restored.accounts.extend(r.accounts);
        restored.skipped.extend(r.skipped);
    }
    drop(links);
    // Look with the vault opened for reading: the writer lock is taken only after the
    // person said yes, so the app and other commands are not held up by the question.
    let existing = path
        .exists()
        .then(|| session::open(path, false))
        .transpose()?;
    let preview = import::preview(
        existing.as_ref().map_or(&[][..], |v| v.accounts()),
        restored,
    );
    print_preview(&preview);
    if args.dry_run {
        // A look changes nothing, not even by creating a vault.
        println!("Dry run: nothing was added.");
        return Ok(());
    }
    let count = preview.new.len();
    if count == 0 {
        println!("Nothing to add.");
        return Ok(());
    }
    if !args.yes {
        match session::confirm(&format!("Add {}?", accounts(count))) {
            Some(true) => {}
            Some(false) => {
                println!("Nothing was added.");
                return Ok(());
            }
            None => {
                return Err(hinted(
                    format!("there is no terminal to confirm adding {}", accounts(count)),
                    "add --yes to add them, or --dry-run to only look",
                ));
            }
        }
    }
    // The same vault, read again under the lock with the key already unwrapped (no
    // second password prompt); what another process added meanwhile is kept.
    let mut vault = match &existing {
        Some(v) => v.reopen(true)?,
        None => session::open_or_create(path)?,
    };
    drop(existing);
    let t = now();
    let mut added = 0;
    for mut account in preview.new {
        account.created_at = t;
        match vault.add(account) {
            Ok(_) => added += 1,
            // Added by another process since the look: already there, fine.
            Err(VaultError::Duplicate(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    vault.save(t)?;
    let count = added;
    println!(
        "Added {}. `latchkey code` shows their codes.",
        accounts(count)
    );
    Ok(())
}

fn import_error(e: ImportError) -> anyhow::Error {
    match e {
        ImportError::WrongPassword | ImportError::NeedsPassword => hinted(
            e.to_string(),
            format!("passwords are case-sensitive; check {IMPORT_PASSWORD_ENV} if it is set"),
        ),
        other => other.into(),
    }
}

fn print_preview(preview: &Preview) {
    if preview.new.is_empty() {
        println!("No new accounts.");
    } else {
        println!("{} new:", accounts(preview.new.len()));
    }
    for a in &preview.new {
        println!("  {}", a.display_name());
    }
    if !preview.duplicates.is_empty() {
        println!("{} already in the vault:", preview.duplicates.len());
        for name in &preview.duplicates {
            println!("  {name}");
        }
    }
    if !preview.skipped.is_empty() {
        println!("{} skipped:", preview.skipped.len());
        for s in &preview.skipped {
            println!("  {}: {}", s.name, s.reason);
        }
    }
}

fn accounts(n: usize) -> String {
    match n {
        1 => "1 account".into(),
        n => format!("{n} accounts"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An encrypted Latchkey backup (restore it with `latchkey import`)
    Latchkey,
    /// An encrypted Aegis vault
    Aegis,
    /// otpauth:// links, one a line (plain secrets)
    Uris,
    /// A printable HTML sheet: QR codes, secrets, recovery codes (plain secrets)
    Sheet,
    /// A folder of setup QR codes, one SVG per account (plain secrets)
    Qr,
}

#[derive(Args)]
pub struct ExportArgs {
    /// What to write
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// The file to write ("-": standard output, for uris and sheet); for qr, a new folder
    #[arg(value_name = "OUT")]
    out: PathBuf,
    /// Write plain secrets (uris, sheet, qr) without asking
    #[arg(long)]
    yes: bool,
    /// Replace OUT if it exists
    #[arg(long)]
    force: bool,
}

pub fn export(path: &Path, args: ExportArgs) -> Result<()> {
    let to_stdout = args.out.as_os_str() == "-";
    if to_stdout && !matches!(args.format, ExportFormat::Uris | ExportFormat::Sheet) {
        bail!("only uris and sheet can be written to standard output; give a file name");
    }
    if !to_stdout && !args.force && args.out.exists() {
        return Err(hinted(
            format!("{} already exists", args.out.display()),
            "choose another name, or add --force to replace it",
        ));
    }
    let vault = session::open(path, false)?;
    let accounts = vault.accounts();
    match args.format {
        ExportFormat::Latchkey => backup(accounts, &args),
        ExportFormat::Aegis => {
            let password = export_password()?;
            let bytes = export::aegis(accounts, &password, export::ScryptParams::AEGIS)?;
            write_secret_file(&args.out, &bytes, args.force)?;
            println!(
                "Wrote {} to {}, encrypted with your password, for Aegis to import.",
                self::accounts(accounts.len()),
                args.out.display()
            );
            Ok(())
        }
        plain => {
            confirm_plain(&args)?;
            let written = match plain {
                ExportFormat::Qr => write_qr(accounts, &args)?,
                ExportFormat::Uris => write_text(&export::uris(accounts), &args)?,
                _ => write_text(&export::sheet(accounts, now())?, &args)?,
            };
            if let Some(what) = written {
                eprintln!("Wrote {} to {what}.", self::accounts(accounts.len()));
            }
            Ok(())
        }
    }
}

/// The new password of an encrypted export: from the environment, or typed twice.
fn export_password() -> Result<Zeroizing<String>> {
    let password = session::read_password(EXPORT_PASSWORD_ENV, "Password for the export: ")?;
    if password.is_empty() {
        bail!("the password cannot be empty");
    }
    if std::env::var(EXPORT_PASSWORD_ENV).is_err() {
        let again = session::read_password(EXPORT_PASSWORD_ENV, "Repeat the password: ")?;
        if *again != *password {
            bail!("the two passwords differ");
        }
    }
    Ok(password)
}

fn backup(accounts: &[Account], args: &ExportArgs) -> Result<()> {
    let password = export_password()?;
    if args.force {
        remove_if_there(&args.out)?;
    }
    export::backup(accounts, &args.out, &password, KdfParams::DEFAULT, now())?;
    println!(
        "Wrote {} to {}, encrypted with your password. Restore them with `latchkey import {}`.",
        self::accounts(accounts.len()),
        args.out.display(),
        args.out.display()
    );
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("replacing {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Plain secrets leave only when the person says so.
fn confirm_plain(args: &ExportArgs) -> Result<()> {
    const WARNING: &str = "warning: this export holds your secrets unencrypted: anyone who reads it can make your codes.";
    if args.yes {
        eprintln!("{WARNING}");
        return Ok(());
    }
    let question = format!("{WARNING}\nWrite it anyway?");
    match session::confirm(&question) {
        Some(true) => Ok(()),
        Some(false) => bail!("nothing was written"),
        None => Err(hinted(
            "this export holds your secrets unencrypted, and there is no terminal to confirm it",
            "add --yes to write it anyway, or use --format latchkey for an encrypted backup",
        )),
    }
}

/// Writes `text` to OUT (or standard output); returns where, for the closing line.
fn write_text(text: &str, args: &ExportArgs) -> Result<Option<String>> {
    if args.out.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .context("writing to standard output")?;
        return Ok(None);
    }
    write_secret_file(&args.out, text.as_bytes(), args.force)?;
    Ok(Some(args.out.display().to_string()))
}

fn write_qr(accounts: &[Account], args: &ExportArgs) -> Result<Option<String>> {
    let codes = export::qr_svgs(accounts)?;
    let dir = &args.out;
    if !(args.force && dir.is_dir()) {
        make_private_dir(dir)?;
    }
    for (i, (name, svg)) in codes.iter().enumerate() {
        let file = dir.join(format!("{:02}-{}.svg", i + 1, file_name(name)));
        write_secret_file(&file, svg.as_bytes(), args.force)?;
    }
    Ok(Some(format!("{} (one SVG each)", dir.display())))
}

/// An account name as a portable file name: letters, digits, `.`, `-` and `_` kept,
/// runs of anything else one `_`.
fn file_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
            true => out.push(c),
            false if !out.ends_with('_') => out.push('_'),
            false => {}
        }
    }
    let out = out
        .trim_matches(['_', '.'])
        .chars()
        .take(60)
        .collect::<String>();
    if out.is_empty() {
        "account".into()
    } else {
        out
    }
}

#[cfg(unix)]
fn make_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

#[cfg(not(unix))]
fn make_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir(dir).with_context(|| format!("creating {}", dir.display()))
}

/// Writes a file only its owner can read (0600), never replacing one unless `replace`.
fn write_secret_file(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    export::write_private(path, bytes, replace)
        .with_context(|| format!("writing {}", path.display()))
}
