//! `latchkey recovery add|list|use`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use latchkey_core::recovery::sheet::utc_date;
use latchkey_core::recovery::{self, LOW_THRESHOLD, RecoveryCodes, RecoveryError};
use serde_json::json;
use zeroize::Zeroizing;

use crate::session::{self, now};

#[derive(Subcommand)]
pub enum RecoveryCommand {
    /// Save an account's recovery codes (from a file, standard input, or the arguments)
    #[command(after_help = "Examples:
  latchkey recovery add github --file github-recovery-codes.txt
  wl-paste | latchkey recovery add github --file -
  latchkey recovery add github --replace --file new-codes.txt")]
    Add {
        /// The account
        query: String,
        /// A text file with one code per line ("-" reads standard input)
        #[arg(long, conflicts_with = "codes")]
        file: Option<PathBuf>,
        /// The codes themselves
        codes: Vec<String>,
        /// Replace the current set (it is kept as history)
        #[arg(long)]
        replace: bool,
    },
    /// Show an account's recovery codes and which are used
    #[command(after_help = "Examples:
  latchkey recovery list github
  latchkey recovery list github --json")]
    List {
        /// The account
        query: String,
        /// Print JSON (this includes the codes)
        #[arg(long)]
        json: bool,
    },
    /// Mark a recovery code used; with no CODE, pick the next unused one and print it
    #[command(after_help = "Examples:
  latchkey recovery use github              # prints the next unused code, marks it used
  latchkey recovery use github 'A1B2C-3D4E5' # you typed this one at the site")]
    Use {
        /// The account
        query: String,
        /// The code you used (case, spaces and dashes do not matter)
        code: Option<String>,
    },
}

pub fn run(path: &Path, cmd: RecoveryCommand) -> Result<()> {
    match cmd {
        RecoveryCommand::Add {
            query,
            file,
            codes,
            replace,
        } => add(path, &query, file, codes, replace),
        RecoveryCommand::List { query, json } => list(path, &query, json),
        RecoveryCommand::Use { query, code } => use_code(path, &query, code.as_deref()),
    }
}

fn read_text(file: Option<PathBuf>, codes: Vec<String>) -> Result<Zeroizing<String>> {
    match file {
        Some(p) if p.as_os_str() == "-" => {
            let mut text = Zeroizing::new(String::new());
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("reading standard input")?;
            Ok(text)
        }
        Some(p) => Ok(Zeroizing::new(
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?,
        )),
        None if codes.is_empty() => {
            bail!("give the codes, or --file FILE (\"-\" for standard input)")
        }
        None => Ok(Zeroizing::new(codes.join("\n"))),
    }
}

fn add(
    path: &Path,
    query: &str,
    file: Option<PathBuf>,
    codes: Vec<String>,
    replace: bool,
) -> Result<()> {
    let text = read_text(file, codes)?;
    let parsed = recovery::parse(&text)?;
    let mut vault = session::open(path, true)?;
    let i = vault.select(query)?;
    let Some(a) = vault.account_mut(i) else {
        bail!("the account vanished")
    };
    let name = a.display_name();
    if a.recovery.current().is_some() && !replace {
        bail!(
            "{name} already has recovery codes; add --replace to replace them (the old set is kept as history)"
        );
    }
    let (count, ignored, dups) = (
        parsed.codes.len(),
        parsed.ignored_lines.clone(),
        parsed.duplicates,
    );
    a.recovery.replace(parsed, now());
    vault.save(now())?;
    println!("Saved {count} recovery codes for {name}.");
    if dups > 0 {
        println!(
            "Dropped {dups} repeated {}.",
            if dups == 1 { "code" } else { "codes" }
        );
    }
    if !ignored.is_empty() {
        let lines: Vec<String> = ignored.iter().map(usize::to_string).collect();
        println!(
            "Ignored lines that do not look like codes: {}.",
            lines.join(", ")
        );
    }
    Ok(())
}

fn list(path: &Path, query: &str, as_json: bool) -> Result<()> {
    let vault = session::open(path, false)?;
    let a = &vault.accounts()[vault.select(query)?];
    let Some(set) = a.recovery.current() else {
        bail!(
            "{} has no recovery codes saved; add them with `latchkey recovery add`",
            a.display_name()
        );
    };
    if as_json {
        let codes: Vec<_> = set
            .codes()
            .iter()
            .map(|c| json!({"code": c.code(), "used_at": c.used_at()}))
            .collect();
        let out = json!({"account": a.display_name(), "added_at": set.added_at(), "remaining": set.remaining(),
            "superseded_sets": a.recovery.superseded().len(), "codes": codes});
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "Recovery codes for {} ({} of {} unused):",
        a.display_name(),
        set.remaining(),
        set.codes().len()
    );
    for c in set.codes() {
        match c.used_at() {
            Some(t) => println!("  {:24} used {}", c.code(), ago(t)),
            None => println!("  {}", c.code()),
        }
    }
    warn_if_low(&a.recovery, &a.display_name());
    Ok(())
}

fn use_code(path: &Path, query: &str, code: Option<&str>) -> Result<()> {
    let mut vault = session::open(path, true)?;
    let i = vault.select(query)?;
    let Some(a) = vault.account_mut(i) else {
        bail!("the account vanished")
    };
    let name = a.display_name();
    let used = match a.recovery.use_code(code, now()) {
        Ok(c) => Zeroizing::new(c.code().to_string()),
        Err(RecoveryError::AlreadyUsed { used_at }) => {
            bail!(
                "that recovery code of {name} was already used {}",
                ago(used_at)
            )
        }
        Err(e) => return Err(e.into()),
    };
    vault.save(now())?;
    let a = &vault.accounts()[i];
    if code.is_none() {
        println!("{}", *used);
    }
    eprintln!(
        "Marked as used; {} left for {name}.",
        plural(a.recovery.remaining())
    );
    warn_if_low(&a.recovery, &name);
    Ok(())
}

fn warn_if_low(codes: &RecoveryCodes, name: &str) {
    if codes.is_low() {
        let left = match codes.remaining() {
            0 => "no recovery codes".to_string(),
            n => format!("only {}", plural(n)),
        };
        eprintln!(
            "warning: {left} left for {name} (Latchkey warns at {LOW_THRESHOLD} or fewer). Generate a new set at the site, then run `latchkey recovery add QUERY --replace --file FILE`."
        );
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 recovery code".into()
    } else {
        format!("{n} recovery codes")
    }
}

fn ago(t: i64) -> String {
    let d = (now() - t).max(0);
    match d {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", d / 60),
        3600..=86_399 => format!("{} h ago", d / 3600),
        _ => format!("{} days ago ({})", d / 86_400, utc_date(t)),
    }
}
