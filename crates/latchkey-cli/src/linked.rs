//! Linked services from the CLI's side: choosing one by SERVICE, reaching it, the
//! network runtime, and the hints that go with their errors.

use std::fmt;

use anyhow::{Context, Result, anyhow};
use latchkey_core::passkeys::LinkedService;
use latchkey_core::vault::Vault;
use latchkey_passkey::{BearerToken, Error as ServiceError, Service};
use tokio::runtime::Runtime;

/// An error with something the person can do about it.
#[derive(Debug)]
struct Hinted {
    message: String,
    hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow!(Hinted {
        message: message.into(),
        hint: hint.into(),
    })
}

/// Prints an error this module knows a hint for, with the hint, and exits; other errors
/// go back to `main` (and its vault hints), as `key` does.
pub fn with_hints(result: Result<()>) -> Result<()> {
    let Err(e) = &result else { return result };
    let hint = match (e.downcast_ref::<Hinted>(), e.downcast_ref::<ServiceError>()) {
        (Some(h), _) => Some(h.hint.clone()),
        (None, Some(ServiceError::LinkDenied | ServiceError::LinkExpired)) => {
            Some("run `latchkey link URL` again and approve the new code".into())
        }
        (
            None,
            Some(ServiceError::Service {
                status: 401, code, ..
            }),
        ) if code == "invalid_token" || code == "unauthenticated" => Some(
            "the link may have expired or been revoked; link again with `latchkey link URL`".into(),
        ),
        (None, Some(ServiceError::Http(_))) => {
            Some("check the address, and that the service is up".into())
        }
        _ => None,
    };
    if let Some(hint) = hint {
        eprintln!("error: {e:#}");
        eprintln!("hint: {hint}");
        std::process::exit(1);
    }
    result
}

/// A runtime for the service's HTTP calls; authenticators run outside it.
pub fn runtime() -> Result<Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the network runtime")
}

/// The linked service `query` names (a case-insensitive part of its address or
/// account), or the only one.
pub fn select(vault: &Vault, query: Option<&str>) -> Result<usize> {
    let services = vault.services();
    if services.is_empty() {
        return Err(hinted(
            "no account service is linked to this vault",
            "link one with `latchkey link URL`",
        ));
    }
    let q = query.map(str::to_lowercase);
    let hits: Vec<usize> = (0..services.len())
        .filter(|&i| {
            q.as_deref().is_none_or(|q| {
                services[i].base_url.to_lowercase().contains(q)
                    || services[i].account.to_lowercase().contains(q)
            })
        })
        .collect();
    let names = |ids: &[usize]| -> String {
        ids.iter()
            .map(|&i| describe(&services[i]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (hits.as_slice(), query) {
        ([i], _) => Ok(*i),
        ([], Some(q)) => Err(hinted(
            format!("no linked service matches \"{q}\""),
            format!(
                "linked: {}; link another with `latchkey link URL`",
                names(&(0..services.len()).collect::<Vec<_>>())
            ),
        )),
        (_, None) => Err(hinted(
            "more than one service is linked; say which",
            format!("name part of its address or account: {}", names(&hits)),
        )),
        (_, Some(q)) => Err(hinted(
            format!("\"{q}\" matches more than one linked service"),
            format!("use more of its address or account: {}", names(&hits)),
        )),
    }
}

pub fn describe(s: &LinkedService) -> String {
    format!("{} at {}", s.account, s.base_url)
}

/// The service a link points at, and the link's token.
pub fn connect(rt: &Runtime, linked: &LinkedService) -> Result<(Service, BearerToken)> {
    let service = rt
        .block_on(Service::discover(&linked.base_url))
        .with_context(|| format!("reaching {}", linked.base_url))?;
    Ok((service, BearerToken::new(linked.token.as_str())))
}
