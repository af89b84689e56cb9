//! `latchkey`: the Latchkey authenticator from the command line.
//!
//! Every command is a thin layer over `latchkey-core`; the vault, codes, URIs and
//! recovery codes all live there.

mod accounts;
mod authenticators;
mod codes;
mod key;
mod link;
mod linked;
mod passkey;
mod recovery;
mod scan;
mod session;
mod transfer;
mod vault_cmd;
mod vault_key;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const AFTER_HELP: &str = "\
Examples:
  latchkey add 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub'
  latchkey add --issuer Example --account bob --secret 'jbsw y3dp ehpk 3pxp'
  latchkey code github            # one account's code, with seconds left
  latchkey code                   # every account's current code
  latchkey recovery add github --file github-recovery-codes.txt
  latchkey recovery use github

QUERY is a case-insensitive part of an account's issuer or name.
The vault's key is kept by the OS keychain; with no keychain, Latchkey asks for a
password (or reads LATCHKEY_PASSWORD, for scripts).";

/// A desktop authenticator: TOTP/HOTP/Steam codes and recovery codes, in an encrypted vault.
#[derive(Parser)]
#[command(name = "latchkey", version, about, after_help = AFTER_HELP)]
struct Cli {
    /// The vault file [default: the platform's data folder]
    #[arg(long, global = true, env = "LATCHKEY_VAULT", value_name = "PATH")]
    vault: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add an account from an otpauth:// URI or from its parts
    #[command(after_help = "Examples:
  latchkey add 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub'
  latchkey add --issuer Example --account bob --secret 'jbsw y3dp ehpk 3pxp' --digits 8
  latchkey add --issuer Bank --account me --secret JBSWY3DPEHPK3PXP --hotp --counter 5
  latchkey add --screen            # the setup QR code the site shows, on any monitor
  latchkey add --qr export.png     # also every account of a Google Authenticator export
  wl-paste | latchkey add -        # the URI from standard input, not the shell history")]
    Add(accounts::AddArgs),
    /// List accounts
    #[command(after_help = "Examples:
  latchkey list
  latchkey list --json | jq -r '.[].issuer'")]
    List(accounts::ListArgs),
    /// Show codes: one account's, or every account's
    #[command(after_help = "Examples:
  latchkey code                    # every account, with seconds left
  latchkey code github             # one account; only the code when piped
  latchkey code github --next      # the code after this one
  latchkey code github --at 1700000000 --json")]
    Code(codes::CodeArgs),
    /// Change an account's issuer or name
    #[command(after_help = "Examples:
  latchkey rename github --account alice@work.example
  latchkey rename 'GitHub:alice' --issuer 'GitHub (work)'")]
    Rename(accounts::RenameArgs),
    /// Read the QR codes in an image, on the screen or on the clipboard
    #[command(after_help = "Examples:
  latchkey scan setup-qr.png       # prints each code's text on its own line
  latchkey scan --screen           # the QR code a web page shows, on any monitor
  latchkey scan --clipboard --json")]
    Scan(scan::ScanArgs),
    /// Remove an account
    #[command(after_help = "Examples:
  latchkey remove 'Example:bob'     # asks first
  latchkey remove example --force  # for scripts")]
    Remove(accounts::RemoveArgs),
    /// Add the accounts of another app's export (or a Latchkey backup)
    #[command(after_help = "Examples:
  latchkey import aegis-export.json --dry-run   # what would be added; changes nothing
  latchkey import backup.latchkey               # asks for the backup's password
  latchkey import transfer-1.png transfer-2.png # every code of a Google Authenticator transfer
  latchkey import links.txt --format uris --yes

Encrypted exports ask for their password, or read LATCHKEY_IMPORT_PASSWORD.")]
    Import(transfer::ImportArgs),
    /// Write the accounts out: an encrypted backup, or links, QR codes or a sheet
    #[command(after_help = "Examples:
  latchkey export --format latchkey backup.latchkey  # encrypted; asks for a password
  latchkey export --format uris links.txt            # asks first: plain secrets
  latchkey export --format sheet - --yes > sheet.html  # to print and keep offline
  latchkey export --format qr qr-codes               # one SVG per account

The backup's password is asked twice, or read from LATCHKEY_EXPORT_PASSWORD.
uris, sheet and qr hold your secrets unencrypted: they are written only after you
confirm (or with --yes), as files only you can read.")]
    Export(transfer::ExportArgs),
    /// Keep and use an account's recovery codes
    #[command(
        subcommand,
        after_help = "Examples:
  latchkey recovery add github --file ~/Downloads/github-recovery-codes.txt
  latchkey recovery add github 1234-5678 8765-4321
  latchkey recovery list github
  latchkey recovery use github     # prints the next unused code and marks it used
  latchkey recovery add github --replace --file new-codes.txt"
    )]
    Recovery(recovery::RecoveryCommand),
    /// Inspect the vault; manage its password and security keys
    #[command(
        subcommand,
        after_help = "Examples:
  latchkey vault info
  latchkey vault password set
  latchkey vault key add --name 'YubiKey 5C'"
    )]
    Vault(vault_cmd::VaultCommand),
    /// USB FIDO2 security keys: info, PIN, stored passkeys, fingerprints
    #[command(after_help = "Examples:
  latchkey key list
  latchkey key info --json
  latchkey key --device 2 wink      # which one is number 2?
  latchkey key pin change
  latchkey key credentials list
  latchkey key credentials delete CREDENTIAL_ID
  latchkey key fingerprints add --name 'left thumb'

PINs are asked for without echo, or read from LATCHKEY_KEY_PIN (and
LATCHKEY_KEY_NEW_PIN) for scripts.")]
    Key(key::KeyArgs),
    /// Link this vault to your account on an account service (you approve in a browser)
    #[command(after_help = "Examples:
  latchkey link https://accounts.example.com
  latchkey link http://localhost:8088 --no-browser --name 'work laptop'")]
    Link(link::LinkArgs),
    /// Passkeys at linked services: list, register, remove, sign in with one
    #[command(
        subcommand,
        after_help = "Examples:
  latchkey passkey list
  latchkey passkey register --name 'This laptop'   # the key stays in the vault
  latchkey passkey register --usb
  latchkey passkey remove 6f1c2b9e
  latchkey passkey sign-in https://accounts.example.com --email alice@example.com

SERVICE is a case-insensitive part of a linked service's address or account."
    )]
    Passkey(passkey::PasskeyCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = session::vault_path(cli.vault).and_then(|path| match cli.command {
        Command::Add(a) => accounts::add(&path, a),
        Command::List(a) => accounts::list(&path, a),
        Command::Code(a) => codes::code(&path, a),
        Command::Rename(a) => accounts::rename(&path, a),
        Command::Remove(a) => accounts::remove(&path, a),
        Command::Scan(a) => scan::scan(a),
        Command::Import(a) => linked::with_hints(transfer::import(&path, a)),
        Command::Export(a) => linked::with_hints(transfer::export(&path, a)),
        Command::Recovery(c) => recovery::run(&path, c),
        Command::Vault(c) => vault_cmd::run(&path, c),
        Command::Key(a) => key::run(a),
        Command::Link(a) => linked::with_hints(link::link(&path, a)),
        Command::Passkey(c) => passkey::run(&path, c),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if let Some(hint) = session::hint(&e) {
                eprintln!("hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}
