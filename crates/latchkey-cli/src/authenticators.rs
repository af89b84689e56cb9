//! The authenticators the passkey commands use, as the terminal drives them: the
//! platform authenticator with a y/N question (or `--yes`); a USB security key is
//! opened by `key::open`, with the terminal's touch and PIN prompts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use latchkey_core::vault::Vault;
use latchkey_passkey::{AuthenticatorError, Confirm, PlatformAuthenticator, Prompt};

use crate::linked::hinted;
use crate::session::{self, now};

/// The person's yes at the terminal, or `--yes`; records when nobody could be asked.
struct Ask {
    yes: bool,
    unanswered: Arc<AtomicBool>,
}

impl Confirm for Ask {
    fn confirm(&self, prompt: &Prompt) -> bool {
        if self.yes {
            return true;
        }
        match session::confirm(&prompt.to_string()) {
            Some(answer) => answer,
            None => {
                self.unanswered.store(true, Ordering::Relaxed);
                false
            }
        }
    }
}

/// The platform authenticator over the vault's passkeys, and a flag for "nobody to ask".
pub fn platform(vault: &Vault, yes: bool) -> (PlatformAuthenticator, Arc<AtomicBool>) {
    let unanswered = Arc::new(AtomicBool::new(false));
    let ask = Ask {
        yes,
        unanswered: unanswered.clone(),
    };
    (
        PlatformAuthenticator::new(vault.passkeys().to_vec(), ask, now),
        unanswered,
    )
}

/// An authenticator's refusal, worded for what was asked of it.
pub fn refused(e: AuthenticatorError, unanswered: bool, what: &str) -> anyhow::Error {
    if unanswered {
        return hinted(
            format!("{what} needs your confirmation and there is no terminal to ask"),
            "add --yes to confirm without asking",
        );
    }
    anyhow::Error::new(e).context(format!("{what} did not happen"))
}

/// The attested credential data's AAGUID (authData bytes 37..53), as 32 hex digits.
pub fn aaguid(auth_data: &[u8]) -> String {
    auth_data
        .get(37..53)
        .map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
        .unwrap_or_default()
}
