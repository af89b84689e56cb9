//! `latchkey link URL`: link the vault to an account on an account service with the
//! device flow (RFC 8628). The person approves in a browser where they are signed in;
//! the vault keeps the token that approval gives.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use clap::Args;
use latchkey_passkey::Service;

use crate::linked::runtime;
use crate::session::{self, now};

#[derive(Args)]
pub struct LinkArgs {
    /// The service's address, such as https://accounts.example.com
    url: String,
    /// How this computer is named to the service [default: Latchkey on HOSTNAME]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Only print the address; do not open a web browser
    #[arg(long)]
    no_browser: bool,
}

pub fn link(path: &Path, args: LinkArgs) -> Result<()> {
    let rt = runtime()?;
    let service = rt
        .block_on(Service::discover(&args.url))
        .with_context(|| format!("finding the account service at {}", args.url))?;
    let name = args.name.unwrap_or_else(latchkey_passkey::this_computer);
    let auth = rt
        .block_on(service.start_link(&name))
        .context("starting to link")?;

    // The person needs these while we wait, so they go out at once, on stdout.
    println!(
        "To link this computer, open {} and enter the code {}",
        auth.verification_uri, auth.user_code
    );
    let page = auth
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&auth.verification_uri);
    if !args.no_browser && open_browser(page) {
        println!("Opened it in your web browser.");
    }
    println!(
        "Waiting for your approval (the code expires in {} minutes)…",
        auth.expires_in.as_secs().div_ceil(60)
    );
    std::io::stdout().flush().ok();

    let token = rt.block_on(service.wait_for_link(&auth, tokio::time::sleep))?;
    let me = rt
        .block_on(service.me(&token))
        .context("reading which account was linked")?;

    // The vault is opened only now: holding it through minutes of waiting would lock
    // out the app and other commands.
    let mut vault = session::open_or_create(path)?;
    let linked = service.linked_service(&token, &me, now());
    let services = vault.services_mut();
    // Linking the same account again renews the token and keeps what is known about
    // its passkeys.
    match services
        .iter_mut()
        .find(|s| s.base_url == linked.base_url && s.account == linked.account)
    {
        Some(old) => {
            old.token = linked.token;
            old.origin = linked.origin;
            old.rp_id = linked.rp_id;
            old.linked_at = linked.linked_at;
        }
        None => services.push(linked),
    }
    vault.save(now())?;
    println!("Linked to {} at {}", me.email, service.base_url());
    Ok(())
}

/// Opens `url` in the desktop's browser; false when there is no opener to run.
fn open_browser(url: &str) -> bool {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("explorer", &[])
    } else {
        ("xdg-open", &[])
    };
    let child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            // Reap it whenever it ends; the browser itself outlives it.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}
