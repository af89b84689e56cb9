//! add, list, rename, remove.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Args;
use latchkey_core::Account;
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
use latchkey_core::otpauth;
use serde_json::json;
use zeroize::Zeroizing;

use crate::codes::describe_code;
use crate::scan::QrSource;
use crate::session::{self, now};

#[derive(Args)]
pub struct AddArgs {
    /// An otpauth:// URI, as in the site's setup QR code ("-" reads it from standard input)
    #[arg(value_name = "URI", required_unless_present_any = ["secret", "qr", "screen", "clipboard"], conflicts_with_all = ["qr", "screen", "clipboard"])]
    uri: Option<String>,
    #[command(flatten)]
    from: QrSource,
    /// The service, e.g. GitHub
    #[arg(long, conflicts_with = "uri")]
    issuer: Option<String>,
    /// Your account at the service, e.g. alice@example.com
    #[arg(long, conflicts_with = "uri")]
    account: Option<String>,
    /// The setup key in base32, spaces and dashes allowed ("-" reads it from standard input)
    #[arg(long, conflicts_with_all = ["uri", "qr", "screen", "clipboard"])]
    secret: Option<String>,
    /// SHA1, SHA256 or SHA512
    #[arg(long, default_value = "SHA1", conflicts_with = "uri")]
    algorithm: String,
    /// Code length, 6 to 8
    #[arg(long, default_value_t = 6, conflicts_with = "uri")]
    digits: u8,
    /// Seconds each code lasts
    #[arg(long, default_value_t = 30, conflicts_with = "uri")]
    period: u32,
    /// A counter-based (HOTP) account
    #[arg(long, conflicts_with_all = ["uri", "steam"])]
    hotp: bool,
    /// The HOTP counter to start from
    #[arg(long, default_value_t = 0, requires = "hotp")]
    counter: u64,
    /// A Steam Guard account (5-character codes)
    #[arg(long, conflicts_with = "uri")]
    steam: bool,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

fn stdin_if_dash(value: String) -> Result<Zeroizing<String>> {
    if value != "-" {
        return Ok(Zeroizing::new(value));
    }
    let mut text = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading standard input")?;
    Ok(Zeroizing::new(text.trim().to_string()))
}

fn account_from(args: AddArgs) -> Result<Account> {
    if let Some(uri) = args.uri {
        let parsed = otpauth::parse(&stdin_if_dash(uri)?)?;
        return Ok(Account::new(
            parsed.issuer,
            parsed.account,
            parsed.otp,
            now(),
        ));
    }
    let secret = stdin_if_dash(args.secret.unwrap_or_default())?;
    let kind = match (args.hotp, args.steam) {
        (true, _) => Kind::Hotp {
            counter: args.counter,
        },
        (_, true) => Kind::Steam,
        _ => Kind::Totp {
            period: args.period,
        },
    };
    let otp = OtpParams::new(
        kind,
        Algorithm::parse(&args.algorithm)?,
        args.digits,
        Secret::from_base32(&secret)?,
    )?;
    Ok(Account::new(
        args.issuer.unwrap_or_default(),
        args.account.unwrap_or_default(),
        otp,
        now(),
    ))
}

pub fn add(path: &Path, args: AddArgs) -> Result<()> {
    let json = args.json;
    let mut accounts = if args.from.given() {
        crate::scan::accounts(&args.from)?
    } else {
        vec![account_from(args)?]
    };
    let mut vault = session::open_or_create(path)?;
    if accounts.len() > 1 {
        return add_many(&mut vault, accounts, json);
    }
    let Some(account) = accounts.pop() else {
        bail!("nothing to add")
    };
    let added = vault.add(account)?;
    let (name, id, is_hotp) = (
        added.display_name(),
        added.id,
        matches!(added.otp.kind(), Kind::Hotp { .. }),
    );
    let t = now() as u64;
    let code = (!is_hotp).then(|| added.otp.code_at(t));
    // A code about to expire is a trap while typing it: offer the next one too.
    let next = code
        .as_ref()
        .filter(|c| c.remaining_at(t).is_some_and(|left| left <= 5))
        .and_then(|c| c.valid_window())
        .map(|(_, end)| added.otp.code_at(end).value().to_string());
    vault.save(now())?;
    if json {
        println!("{}", json!({ "id": id.to_string(), "name": name }));
        return Ok(());
    }
    println!("Added {name}.");
    match code {
        Some(code) => println!(
            "To finish setup, enter this code on the site: {}\nNew codes come every {} s; `latchkey code` shows them.",
            describe_code(&code, t),
            code.valid_window().map(|(a, b)| b - a).unwrap_or(30)
        ),
        None => println!(
            "To finish setup, run `latchkey code` with this account's name and enter the code on the site."
        ),
    }
    if let Some(next) = next {
        println!(
            "That code is about to change; if the site says it is wrong, enter the next one: {next}"
        );
    }
    Ok(())
}

/// Adds several accounts (a Google Authenticator export, a page of codes), skipping
/// those already in the vault, and saves once.
fn add_many(
    vault: &mut latchkey_core::vault::Vault,
    accounts: Vec<Account>,
    json: bool,
) -> Result<()> {
    let (mut added, mut skipped) = (Vec::new(), Vec::new());
    for account in accounts {
        let name = account.display_name();
        match vault.add(account) {
            Ok(a) => added.push(json!({"id": a.id.to_string(), "name": name})),
            Err(latchkey_core::vault::VaultError::Duplicate(_)) => skipped.push(name),
            Err(e) => return Err(e.into()),
        }
    }
    vault.save(now())?;
    if json {
        println!("{}", json!({"added": added, "already_in_vault": skipped}));
        return Ok(());
    }
    for a in &added {
        println!("Added {}.", a["name"].as_str().unwrap_or_default());
    }
    for name in &skipped {
        println!("Skipped {name}: already in the vault.");
    }
    println!(
        "{} added, {} already there. `latchkey code` shows their codes.",
        added.len(),
        skipped.len()
    );
    Ok(())
}

#[derive(Args)]
pub struct ListArgs {
    /// Print JSON (no secrets)
    #[arg(long)]
    json: bool,
}

pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Totp { .. } => "totp",
        Kind::Hotp { .. } => "hotp",
        Kind::Steam => "steam",
    }
}

pub fn list(path: &Path, args: ListArgs) -> Result<()> {
    let vault = session::open(path, false)?;
    if args.json {
        let items: Vec<_> = vault
            .accounts()
            .iter()
            .map(|a| {
                json!({
                    "id": a.id.to_string(), "issuer": a.issuer, "account": a.label,
                    "type": kind_name(a.otp.kind()), "algorithm": a.otp.algorithm().as_str(),
                    "digits": a.otp.digits(), "period": a.otp.period(),
                    "counter": match a.otp.kind() { Kind::Hotp { counter } => Some(counter), _ => None },
                    "tags": a.tags, "recovery_codes_left": a.recovery.current().map(|_| a.recovery.remaining()),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(());
    }
    if vault.accounts().is_empty() {
        println!("The vault is empty. Add an account with `latchkey add URI`.");
        return Ok(());
    }
    let width = vault
        .accounts()
        .iter()
        .map(|a| a.issuer.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    for a in vault.accounts() {
        let recovery = match a.recovery.current() {
            Some(_) if a.recovery.is_low() => {
                format!("  [{} recovery codes left!]", a.recovery.remaining())
            }
            Some(_) => format!("  [{} recovery codes]", a.recovery.remaining()),
            None => String::new(),
        };
        println!(
            "{:width$}  {}  ({}){recovery}",
            a.issuer,
            a.label,
            kind_name(a.otp.kind())
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct RenameArgs {
    /// The account to rename
    query: String,
    /// The new issuer
    #[arg(long, required_unless_present = "account")]
    issuer: Option<String>,
    /// The new account name
    #[arg(long)]
    account: Option<String>,
}

pub fn rename(path: &Path, args: RenameArgs) -> Result<()> {
    let mut vault = session::open(path, true)?;
    let i = vault.select(&args.query)?;
    let Some(a) = vault.account_mut(i) else {
        bail!("the account vanished")
    };
    let old = a.display_name();
    if let Some(issuer) = args.issuer {
        a.issuer = issuer;
    }
    if let Some(account) = args.account {
        a.label = account;
    }
    let new = a.display_name();
    vault.save(now())?;
    println!("Renamed {old} to {new}.");
    Ok(())
}

#[derive(Args)]
pub struct RemoveArgs {
    /// The account to remove
    query: String,
    /// Do not ask for confirmation
    #[arg(long)]
    force: bool,
}

pub fn remove(path: &Path, args: RemoveArgs) -> Result<()> {
    let mut vault = session::open(path, true)?;
    let i = vault.select(&args.query)?;
    let name = vault.accounts()[i].display_name();
    if !args.force {
        let question = format!(
            "Remove {name}? Unless 2FA is turned off at the site first, you will need a recovery code to sign in."
        );
        match session::confirm(&question) {
            Some(true) => {}
            Some(false) => bail!("kept {name}"),
            None => {
                bail!("removing {name} needs confirmation; add --force to remove without asking")
            }
        }
    }
    vault.remove(i);
    vault.save(now())?;
    println!("Removed {name}.");
    Ok(())
}
