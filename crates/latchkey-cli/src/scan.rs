//! `latchkey scan`, and the QR sources of `latchkey add`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use latchkey_core::Account;
use latchkey_core::import::google;
use latchkey_core::otpauth;
use latchkey_scan::{Found, PayloadKind, ScanError};
use serde_json::json;

use crate::session::now;

/// Where to look for a QR code.
#[derive(Args, Default)]
pub struct QrSource {
    /// Read the QR code in this image file (PNG, JPEG, WebP, GIF, BMP)
    #[arg(long = "qr", value_name = "IMAGE")]
    pub qr: Option<PathBuf>,
    /// Read the QR code shown on the screen (every monitor)
    #[arg(long)]
    pub screen: bool,
    /// Read the image (or otpauth:// link) on the clipboard
    #[arg(long)]
    pub clipboard: bool,
}

impl QrSource {
    pub fn given(&self) -> bool {
        self.qr.is_some() || self.screen || self.clipboard
    }

    /// Every QR code from the chosen source.
    pub fn scan(&self) -> Result<Vec<Found>, ScanError> {
        if let Some(path) = &self.qr {
            latchkey_scan::decode_file(path)
        } else if self.screen {
            screen()
        } else {
            latchkey_scan::source::clipboard()
        }
    }
}

fn screen() -> Result<Vec<Found>, ScanError> {
    let mut all = Vec::new();
    let mut unreadable = false;
    for monitor in latchkey_scan::source::screens()? {
        match latchkey_scan::decode_image(&monitor.image) {
            Ok(found) => all.extend(found),
            Err(ScanError::Unreadable) => unreadable = true,
            Err(_) => {}
        }
    }
    all.sort_by_key(Found::kind);
    match (all.is_empty(), unreadable) {
        (false, _) => Ok(all),
        (true, true) => Err(ScanError::Unreadable),
        (true, false) => Err(ScanError::NoCode),
    }
}

#[derive(Args)]
pub struct ScanArgs {
    /// An image file
    #[arg(value_name = "IMAGE", required_unless_present_any = ["screen", "clipboard"], conflicts_with_all = ["screen", "clipboard"])]
    image: Option<PathBuf>,
    /// Scan every monitor
    #[arg(long, conflicts_with = "clipboard")]
    screen: bool,
    /// Scan the image on the clipboard
    #[arg(long)]
    clipboard: bool,
    /// Print JSON: each code's kind and text
    #[arg(long)]
    json: bool,
}

/// Prints every decoded text on its own line (they may hold secrets: this is what the
/// person asked to see).
pub fn scan(args: ScanArgs) -> Result<()> {
    let source = QrSource {
        qr: args.image,
        screen: args.screen,
        clipboard: args.clipboard,
    };
    let found = source.scan()?;
    if args.json {
        let items: Vec<_> = found
            .iter()
            .map(|f| json!({"kind": kind_name(f.kind()), "text": f.text()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
    } else {
        for f in &found {
            println!("{}", f.text());
        }
    }
    Ok(())
}

fn kind_name(kind: PayloadKind) -> &'static str {
    match kind {
        PayloadKind::Otpauth => "otpauth",
        PayloadKind::Migration => "otpauth-migration",
        PayloadKind::WebLink => "web-link",
        _ => "text",
    }
}

/// The accounts in the setup codes of a QR source: one per `otpauth://` code, every
/// account of a Google Authenticator export.
pub fn accounts(source: &QrSource) -> Result<Vec<Account>> {
    let setup = latchkey_scan::setup_codes(source.scan()?)?;
    let mut out = Vec::new();
    for f in setup {
        if f.kind() == PayloadKind::Migration {
            let batch = google::parse_uri(f.text())?;
            if batch.size > 1 {
                eprintln!(
                    "This is code {} of {} of a Google Authenticator export; add the others too.",
                    batch.index + 1,
                    batch.size
                );
            }
            for (name, why) in &batch.skipped {
                eprintln!("Skipped {name}: {why}.");
            }
            out.extend(
                batch
                    .accounts
                    .into_iter()
                    .map(|u| Account::new(u.issuer, u.account, u.otp, now())),
            );
        } else {
            let u = otpauth::parse(f.text())?;
            out.push(Account::new(u.issuer, u.account, u.otp, now()));
        }
    }
    if out.is_empty() {
        bail!("the export holds no account Latchkey can use");
    }
    Ok(out)
}
