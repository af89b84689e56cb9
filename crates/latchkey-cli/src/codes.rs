//! `latchkey code`.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;
use clap::Args;
use latchkey_core::Account;
use latchkey_core::otp::{Code, Kind};
use serde_json::{Value, json};

use crate::accounts::kind_name;
use crate::session::{self, now};

#[derive(Args)]
pub struct CodeArgs {
    /// The account (part of its issuer or name); all accounts when left out
    query: Option<String>,
    /// Compute at this time instead of now (unix seconds)
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Show the code of the next period instead of the current one
    #[arg(long)]
    next: bool,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// "123456 (valid 17 s more)".
pub fn describe_code(code: &Code, at: u64) -> String {
    match code.remaining_at(at) {
        Some(left) => format!("{} (valid {left} s more)", code.value()),
        None => code.value().to_string(),
    }
}

fn time_code(a: &Account, at: u64, next: bool) -> Code {
    let at = if next {
        at + u64::from(a.otp.period().unwrap_or(30))
    } else {
        at
    };
    a.otp.code_at(at)
}

fn code_json(a: &Account, code: &Code, at: u64) -> Value {
    let mut v = json!({
        "issuer": a.issuer, "account": a.label, "type": kind_name(a.otp.kind()), "code": code.value(),
    });
    if let Some((from, until)) = code.valid_window() {
        v["valid_from"] = json!(from);
        v["valid_until"] = json!(until);
        v["seconds_left"] = json!(until.saturating_sub(at));
    } else {
        v["counter"] = json!(code.counter());
    }
    v
}

pub fn code(path: &Path, args: CodeArgs) -> Result<()> {
    let at = args.at.unwrap_or_else(|| now() as u64);
    match &args.query {
        Some(q) => one(path, q, at, &args),
        None => all(path, at, &args),
    }
}

fn one(path: &Path, query: &str, at: u64, args: &CodeArgs) -> Result<()> {
    // Opened for update (one unlock, one lock) because an HOTP code moves its counter on.
    let mut vault = session::open(path, true)?;
    let i = vault.select(query)?;
    let is_hotp = matches!(vault.accounts()[i].otp.kind(), Kind::Hotp { .. });
    let code = match vault.account_mut(i) {
        Some(a) if is_hotp => a.take_code(at),
        _ => time_code(&vault.accounts()[i], at, args.next),
    };
    if is_hotp {
        vault.save(now())?;
    }
    let account_json = code_json(&vault.accounts()[i], &code, at);
    if args.json {
        println!("{account_json}");
    } else if std::io::stdout().is_terminal() {
        println!("{}", describe_code(&code, at));
    } else {
        println!("{}", code.value());
    }
    Ok(())
}

fn all(path: &Path, at: u64, args: &CodeArgs) -> Result<()> {
    let vault = session::open(path, false)?;
    let accounts = vault.accounts();
    if args.json {
        let items: Vec<Value> = accounts
            .iter()
            .map(|a| match a.otp.kind() {
                Kind::Hotp { .. } => {
                    json!({"issuer": a.issuer, "account": a.label, "type": "hotp", "code": null})
                }
                _ => code_json(a, &time_code(a, at, args.next), at),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(());
    }
    let names: Vec<String> = accounts.iter().map(Account::display_name).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (a, name) in accounts.iter().zip(&names) {
        let shown = match a.otp.kind() {
            Kind::Hotp { .. } => {
                "[HOTP: `latchkey code QUERY` shows and uses the next code]".to_string()
            }
            _ => describe_code(&time_code(a, at, args.next), at),
        };
        println!("{name:width$}  {shown}");
    }
    Ok(())
}
