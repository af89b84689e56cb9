//! USB FIDO2 security keys for Latchkey: passkeys through the
//! [`latchkey_passkey::Authenticator`] trait, key management (PIN, discoverable
//! credentials, fingerprints), and hmac-secret to unlock a vault.
//!
//! Built on [ctap-hid-fido2] 3.6.1, with two additions over a small CTAPHID transport
//! of our own (module `hid`): makeCredential, getAssertion and getInfo, because the
//! crate always sends SHA-256 of its `challenge` argument as the clientDataHash, while a
//! WebAuthn client has the hash already; and credential management (module `credman`),
//! because the crate authenticates the GetNext subcommands, which strict keys refuse.
//! Our parsers for those answers are public and tested on recorded real-key answers.
//! PIN tokens, PIN changes and bioEnrollment use the crate.
//!
//! Every call **blocks** (a key waits for a touch for up to ~30 s): run it with
//! `spawn_blocking` or on a thread of its own. PINs come from a [`Prompt`], which also
//! hears what the key is doing ([`KeyEvent`]).
//!
//! ```no_run
//! use std::sync::Arc;
//! use latchkey_usbkey::{HmacSecret, KeyEvent, Prompt, UsbKey};
//! use zeroize::Zeroizing;
//!
//! struct Terminal;
//! impl Prompt for Terminal {
//!     fn pin(&self, _retries: Option<u32>) -> Option<Zeroizing<String>> {
//!         Some(Zeroizing::new("123456".to_owned()))
//!     }
//!     fn event(&self, event: KeyEvent) {
//!         if event == KeyEvent::TouchKey {
//!             eprintln!("Touch your security key…");
//!         }
//!     }
//! }
//!
//! # fn main() -> Result<(), latchkey_usbkey::Error> {
//! let key = UsbKey::open(None, Arc::new(Terminal))?; // the only key plugged in
//! println!("AAGUID {}", key.info()?.aaguid);
//! let credential = key.create_hmac_secret_credential("latchkey-vault")?;
//! let with_pin = key.info()?.pin_set(); // then the key asks Terminal for its PIN
//! let secret = key.hmac_secret("latchkey-vault", &credential, &[7; 32], with_pin)?;
//! assert_eq!(secret.len(), 32);
//! # Ok(()) }
//! ```
//!
//! Output: the library prints nothing itself. ctap-hid-fido2's keep-alive message and
//! logs are switched off, but the crate still `println!`s "- anything error" or
//! "Anything Extension!" to **stdout** when a key's answer to a command it parses has a
//! key it does not know (bio enrolment, hmac-secret); our own
//! parsers ignore unknown keys silently. A panic inside the crate or hidapi is caught
//! and becomes an [`Error`], though the default panic hook still writes it to stderr.
//!
//! Linux: the user needs access to `/dev/hidraw*`; see the README.
//!
//! [ctap-hid-fido2]: https://docs.rs/ctap-hid-fido2/3.6.1

mod cbor;
mod credman;
mod device;
mod error;
mod hid;
mod hmac_secret;
mod info;
mod manage;
mod pin_token;
mod prompt;
mod vault_slot;
mod webauthn;

pub use credman::{
    CredsMetadata, Enumerated, StoredCredential, StoredRelyingParty, credential_from_cbor,
    creds_metadata_from_cbor, relying_party_from_cbor,
};
pub use device::{KeyDescriptor, UsbKey, choose, list, wait_for_key};
pub use error::Error;
pub use hmac_secret::HmacSecret;
pub use info::Info;
pub use manage::Fingerprint;
pub use prompt::{KeyEvent, NoPrompt, Prompt};
pub use vault_slot::{Answer, EnrolError, Enrolment, VAULT_RP_ID, answer, enrol};
pub use webauthn::{CredProtect, Extensions, assertion_from_cbor, attestation_from_cbor};
