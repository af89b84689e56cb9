//! `latchkey scan`, and the QR sources of `latchkey add`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use latchkey_core::Account;
use latchkey_core::import::setup;
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
            latchkey_scan::decode_screens()
        } else {
            latchkey_scan::source::clipboard()
        }
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
    let read = setup::accounts(setup.iter().map(Found::text), now())?;
    for note in &read.notes {
        eprintln!("{note}");
    }
    Ok(read.accounts)
}
