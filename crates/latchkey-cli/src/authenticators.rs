//! The authenticators the passkey commands use, as the terminal drives them: the
//! platform authenticator with a y/N question (or `--yes`), and a USB security key with
//! touch and PIN prompts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, anyhow};
use latchkey_core::vault::Vault;
use latchkey_passkey::{AuthenticatorError, Confirm, PlatformAuthenticator, Prompt};
use latchkey_usbkey::{KeyEvent, UsbKey};
use zeroize::Zeroizing;

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

/// The only USB security key plugged in, talking through the terminal.
pub fn open_usb() -> Result<UsbKey> {
    UsbKey::open(None, Arc::new(KeyPrompt)).map_err(|e| {
        let message = format!("opening the security key: {e}");
        match e {
            latchkey_usbkey::Error::NoKey => hinted(message, "plug in your security key"),
            latchkey_usbkey::Error::Ambiguous(_) => hinted(
                message,
                "leave only one security key plugged in; see `latchkey key list`",
            ),
            _ => anyhow!(message),
        }
    })
}

/// The attested credential data's AAGUID (authData bytes 37..53), as 32 hex digits.
pub fn aaguid(auth_data: &[u8]) -> String {
    auth_data
        .get(37..53)
        .map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
        .unwrap_or_default()
}

/// The terminal as a security key's prompt: touch and PIN requests on stderr.
struct KeyPrompt;

impl latchkey_usbkey::Prompt for KeyPrompt {
    fn pin(&self, retries: Option<u32>) -> Option<Zeroizing<String>> {
        if let Ok(pin) = std::env::var("LATCHKEY_KEY_PIN") {
            return Some(Zeroizing::new(pin));
        }
        if let Some(n) = retries {
            eprintln!("({n} tries left)");
        }
        rpassword::prompt_password("PIN for the security key: ")
            .ok()
            .map(Zeroizing::new)
    }

    fn event(&self, event: KeyEvent) {
        match event {
            KeyEvent::TouchKey => eprintln!("Touch your security key…"),
            KeyEvent::InsertKey => eprintln!("Plug in your security key…"),
            _ => {}
        }
    }
}
