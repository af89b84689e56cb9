//! `latchkey key …`: USB FIDO2 security keys (list, info, wink, PIN, discoverable
//! credentials, fingerprints), over `latchkey-usbkey`.
//!
//! Results go to stdout; prompts, "Touch your security key…" and progress go to stderr.
//! `key list` with no key plugged in says so on stderr and succeeds (an empty list is
//! an answer, `--json` prints `[]`); every other command fails with exit code 1.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use latchkey_usbkey::{Error as KeyError, KeyDescriptor, KeyEvent, Prompt, UsbKey};
use zeroize::Zeroizing;

#[derive(Args)]
pub struct KeyArgs {
    /// Which key, when several are plugged in: its number in `latchkey key list`
    #[arg(long, global = true, value_name = "N")]
    device: Option<usize>,
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Subcommand)]
enum KeyCommand {
    /// List the security keys plugged in
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Show what a key is and can do
    Info {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Make a key blink, to tell which one it is
    Wink,
    /// Set or change the key's PIN (LATCHKEY_KEY_PIN and LATCHKEY_KEY_NEW_PIN for scripts)
    #[command(subcommand)]
    Pin(PinCommand),
    /// The passkeys stored on the key (discoverable credentials)
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// The fingerprints a key with a sensor knows
    #[command(subcommand)]
    Fingerprints(FingerprintsCommand),
}

#[derive(Subcommand)]
enum PinCommand {
    /// Set the first PIN of a key that has none
    Set,
    /// Change the PIN
    Change,
}

#[derive(Subcommand)]
enum CredentialsCommand {
    /// List the passkeys on the key
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Delete a passkey by its credential id (as listed)
    Delete {
        /// The credential id (base64url)
        id: String,
    },
}

#[derive(Subcommand)]
enum FingerprintsCommand {
    /// List the enrolled fingerprints
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Enrol a fingerprint (touch the sensor until it says done)
    Add {
        /// A name for it
        #[arg(long)]
        name: Option<String>,
    },
    /// Rename a fingerprint
    Rename {
        /// The fingerprint id (as listed)
        id: String,
        /// The new name
        name: String,
    },
    /// Delete a fingerprint
    Delete {
        /// The fingerprint id (as listed)
        id: String,
    },
}

pub fn run(args: KeyArgs) -> Result<()> {
    let device = args.device;
    match args.command {
        KeyCommand::List { json } => list(json),
        KeyCommand::Info { json } => info(&open(device)?, json),
        KeyCommand::Wink => open(device)?.wink().context("winking"),
        KeyCommand::Pin(PinCommand::Set) => {
            let key = open(device)?;
            let new = new_pin()?;
            key.set_pin(&new).context("setting the PIN")?;
            eprintln!("The PIN is set.");
            Ok(())
        }
        KeyCommand::Pin(PinCommand::Change) => {
            let key = open(device)?;
            let current = read_pin("Current PIN: ", "LATCHKEY_KEY_PIN", None)?;
            let new = new_pin()?;
            key.change_pin(&current, &new).context("changing the PIN")?;
            eprintln!("The PIN is changed.");
            Ok(())
        }
        KeyCommand::Credentials(c) => credentials(&open(device)?, c),
        KeyCommand::Fingerprints(c) => fingerprints(&open(device)?, c),
    }
}

fn list(json: bool) -> Result<()> {
    let keys = latchkey_usbkey::list().context("listing security keys")?;
    if json {
        println!("{}", serde_json::to_string_pretty(&keys)?);
    } else if keys.is_empty() {
        eprintln!("no security key is plugged in");
    } else {
        for (n, k) in keys.iter().enumerate() {
            println!(
                "{}  {}  {:04x}:{:04x}  {}",
                n + 1,
                k.product,
                k.vid,
                k.pid,
                k.path
            );
        }
    }
    Ok(())
}

pub(crate) fn open(device: Option<usize>) -> Result<UsbKey> {
    let descriptor: KeyDescriptor = match device {
        Some(0) => bail!("--device counts from 1, as `latchkey key list` does"),
        Some(n) => latchkey_usbkey::choose(Some(n - 1))?,
        None => latchkey_usbkey::choose(None)?,
    };
    Ok(UsbKey::open(Some(descriptor), Arc::new(Terminal))?)
}

fn info(key: &UsbKey, json: bool) -> Result<()> {
    let info = key.info().context("reading the key's info")?;
    if json {
        println!("{}", serde_json::to_string_pretty(&info)?);
        return Ok(());
    }
    let d = key.descriptor();
    let options: Vec<String> = info
        .options
        .iter()
        .map(|(n, on)| format!("{n}={on}"))
        .collect();
    println!(
        "Product:        {} ({:04x}:{:04x})",
        d.product, d.vid, d.pid
    );
    println!("Versions:       {}", info.versions.join(", "));
    println!("AAGUID:         {}", info.aaguid);
    println!("Extensions:     {}", info.extensions.join(", "));
    println!("Options:        {}", options.join(", "));
    let pin = match info.pin_retries {
        Some(n) => format!("set, {n} tries left"),
        None => "not set".to_owned(),
    };
    println!(
        "PIN:            {pin} (at least {} characters)",
        info.min_pin_length
    );
    if let Some(n) = info.remaining_discoverable_credentials {
        println!("Passkey room:   {n} more");
    }
    if let Some(v) = info.firmware() {
        println!("Firmware:       {v}");
    }
    println!("Transports:     {}", info.transports.join(", "));
    let algs: Vec<String> = info.algorithms.iter().map(|a| alg_name(*a)).collect();
    println!("Algorithms:     {}", algs.join(", "));
    Ok(())
}

fn alg_name(alg: i64) -> String {
    match alg {
        -7 => "ES256".into(),
        -8 => "EdDSA".into(),
        -35 => "ES384".into(),
        -257 => "RS256".into(),
        other => other.to_string(),
    }
}

fn credentials(key: &UsbKey, cmd: CredentialsCommand) -> Result<()> {
    match cmd {
        CredentialsCommand::List { json } => {
            let creds = key
                .credentials()
                .context("listing the passkeys on the key")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&creds)?);
            } else if creds.is_empty() {
                eprintln!("no passkeys are stored on this key");
            } else {
                for c in creds {
                    println!(
                        "{}  {}  {}  {}",
                        c.rp_id, c.user_name, c.display_name, c.credential_id
                    );
                }
            }
            Ok(())
        }
        CredentialsCommand::Delete { id } => {
            key.delete_credential(&id).context("deleting the passkey")?;
            eprintln!("Deleted.");
            Ok(())
        }
    }
}

fn fingerprints(key: &UsbKey, cmd: FingerprintsCommand) -> Result<()> {
    match cmd {
        FingerprintsCommand::List { json } => {
            let prints = key.fingerprints().context("listing fingerprints")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&prints)?);
            } else if prints.is_empty() {
                eprintln!("no fingerprints are enrolled");
            } else {
                for p in prints {
                    println!("{}  {}", p.id, p.name.as_deref().unwrap_or("(no name)"));
                }
            }
            Ok(())
        }
        FingerprintsCommand::Add { name } => {
            let id = key
                .add_fingerprint(name.as_deref())
                .context("enrolling a fingerprint")?;
            println!("{id}");
            Ok(())
        }
        FingerprintsCommand::Rename { id, name } => key
            .rename_fingerprint(&id, &name)
            .context("renaming the fingerprint"),
        FingerprintsCommand::Delete { id } => key
            .delete_fingerprint(&id)
            .context("deleting the fingerprint"),
    }
}

/// A hint for a security-key error a person can act on (see `session::hint`).
pub(crate) fn hint(e: &KeyError) -> Option<&'static str> {
    match e {
        KeyError::NoKey => Some(
            "plug in your security key (on Linux you may need the udev rule in crates/latchkey-usbkey/README.md)",
        ),
        KeyError::Ambiguous(_) | KeyError::NoSuchKey(_) => Some("see `latchkey key list`"),
        KeyError::Open(_) => Some(
            "on Linux, your user needs access to /dev/hidraw*; see crates/latchkey-usbkey/README.md",
        ),
        KeyError::PinRequired => Some("type it when asked, or set LATCHKEY_KEY_PIN for scripts"),
        _ => None,
    }
}

/// A PIN from `var` or, failing that, typed at the terminal without echo.
fn read_pin(prompt: &str, var: &str, retries: Option<u32>) -> Result<Zeroizing<String>> {
    if let Ok(pin) = std::env::var(var) {
        return Ok(Zeroizing::new(pin));
    }
    if let Some(n) = retries {
        eprintln!("({n} tries left)");
    }
    Ok(Zeroizing::new(
        rpassword::prompt_password(prompt).context("reading the PIN")?,
    ))
}

fn new_pin() -> Result<Zeroizing<String>> {
    if let Ok(pin) = std::env::var("LATCHKEY_KEY_NEW_PIN") {
        return Ok(Zeroizing::new(pin));
    }
    let first = read_pin("New PIN: ", "LATCHKEY_KEY_NEW_PIN", None)?;
    let again =
        Zeroizing::new(rpassword::prompt_password("New PIN again: ").context("reading the PIN")?);
    if first != again {
        bail!("the two PINs differ");
    }
    Ok(first)
}

/// The terminal as the key's [`Prompt`].
struct Terminal;

impl Prompt for Terminal {
    fn pin(&self, retries: Option<u32>) -> Option<Zeroizing<String>> {
        read_pin("PIN for the security key: ", "LATCHKEY_KEY_PIN", retries).ok()
    }

    fn event(&self, event: KeyEvent) {
        match event {
            KeyEvent::TouchKey => eprintln!("Touch your security key…"),
            KeyEvent::InsertKey => eprintln!("Plug in your security key…"),
            KeyEvent::FingerprintSample { remaining, status } => {
                eprintln!("Sample {status}; {remaining} more to go.")
            }
            _ => {}
        }
    }
}
