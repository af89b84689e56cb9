//! Latchkey's passkeys: the [`Authenticator`] trait that USB security keys and the
//! platform authenticator sit behind, and the WebAuthn client that registers passkeys
//! with an account service and signs in with them.
//!
//! The client plays the browser's part: it learns the service's origin from
//! `/.well-known/latchkey`, builds clientDataJSON for that origin byte for byte as a
//! browser does ([`ClientData`]), hands the authenticator only its hash (as CTAP2 does),
//! and rebuilds the attestationObject from the authenticator's fields
//! ([`attestation_object`]).
//!
//! [`PlatformAuthenticator`] is Latchkey's own authenticator: software passkeys (made by
//! 1Password's passkey-rs) whose private keys live in the vault, used after the person
//! confirms ([`Confirm`]) in an unlocked vault. Its keys are not synced (BE = BS = 0).
//!
//! The desktop gets its token by linking ([`Service::start_link`], then
//! [`Service::wait_for_link`]: RFC 8628's device flow, approved in a browser), and keeps
//! the link in the vault ([`Service::linked_service`]). A UI runs a ceremony in halves
//! ([`Service::begin_registration`], the authenticator on a blocking thread,
//! [`Service::finish_registration`]; the same for sign-in) so it never blocks on a touch.
//!
//! ```no_run
//! # async fn demo(key: &dyn latchkey_passkey::Authenticator) -> Result<(), latchkey_passkey::Error> {
//! use latchkey_passkey::{BearerToken, Service};
//!
//! let service = Service::discover("http://127.0.0.1:8088").await?;
//! let token = BearerToken::new("token from signing in");
//! let passkey = service.register(key, &token, "Laptop").await?;
//! println!("added {} ({})", passkey.name, passkey.id);
//! for p in service.list(&token).await? {
//!     println!("{}: {}", p.id, p.name);
//! }
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod account;
mod attestation;
mod authenticator;
mod client_data;
mod link;
mod platform;
mod service;
mod wire;

pub use account::{Me, SignIn};
pub use attestation::{AttestationError, attestation_object};
pub use authenticator::{
    Assertion, Attestation, AttestationStatement, Authenticator, AuthenticatorError,
    GetAssertionRequest, MakeCredentialRequest, RelyingParty, User,
};
pub use client_data::{Ceremony, ClientData};
pub use link::{DeviceAuthorization, LinkPoll, service_passkey, this_computer};
pub use platform::{Confirm, PlatformAuthenticator, Prompt};
pub use service::{BearerToken, Error, PendingRegistration, PendingSignIn, Service};
pub use wire::{Discovery, Passkey};
