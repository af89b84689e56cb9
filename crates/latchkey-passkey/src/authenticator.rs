//! The authenticator seen from the WebAuthn client: CTAP2's authenticatorMakeCredential
//! and authenticatorGetAssertion, in the terms WebAuthn §6.3.2 and §6.3.3 use.
//!
//! The client hands over only the SHA-256 of clientDataJSON, as CTAP2 does, so a USB key
//! (ctap-hid-fido2), a software platform authenticator (passkey-rs) and test doubles all
//! fit. The outputs are the authenticator's raw bytes; the client builds the WebAuthn
//! JSON from them.

use std::fmt;

/// The relying party a credential is bound to (CTAP2 `rp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// The RP ID, a domain such as `example.com`.
    pub id: String,
    /// A name to show the person.
    pub name: String,
}

/// The account a credential is made for (CTAP2 `user`).
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// The user handle: opaque bytes chosen by the relying party, at most 64.
    pub id: Vec<u8>,
    /// An account name, such as an email address.
    pub name: String,
    /// A name to show the person.
    pub display_name: String,
}

impl fmt::Debug for User {
    // The user handle identifies the account across sites only to its RP: keep it out
    // of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

/// authenticatorMakeCredential's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MakeCredentialRequest {
    /// SHA-256 of the clientDataJSON bytes the client will send.
    pub client_data_hash: [u8; 32],
    pub rp: RelyingParty,
    pub user: User,
    /// COSE algorithms the RP accepts, most preferred first (-7 is ES256).
    pub algorithms: Vec<i64>,
    /// Credential ids already registered: an authenticator holding one must refuse.
    pub exclude_credentials: Vec<Vec<u8>>,
    /// The RP requires user verification (PIN, fingerprint, unlocked vault).
    pub user_verification: bool,
    /// Make a discoverable (resident) credential.
    pub resident_key: bool,
}

/// authenticatorGetAssertion's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAssertionRequest {
    pub rp_id: String,
    /// SHA-256 of the clientDataJSON bytes the client will send.
    pub client_data_hash: [u8; 32],
    /// Credentials the RP accepts; empty means a discoverable credential.
    pub allow_credentials: Vec<Vec<u8>>,
    /// The RP requires user verification.
    pub user_verification: bool,
}

/// An attestation statement's fields as CTAP2 authenticators return them. Security keys
/// use `packed`, `fido-u2f` or `none`, which need no more than these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttestationStatement {
    /// The signature's COSE algorithm (`packed` only).
    pub alg: Option<i64>,
    /// The attestation signature; empty for `none`.
    pub sig: Vec<u8>,
    /// The attestation certificate chain, leaf first; empty for self attestation.
    pub x5c: Vec<Vec<u8>>,
}

/// authenticatorMakeCredential's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// The attestation statement format: `packed`, `fido-u2f` or `none`.
    pub fmt: String,
    /// The raw authenticator data, with the attested credential data in it.
    pub auth_data: Vec<u8>,
    pub att_stmt: AttestationStatement,
    /// The new credential's id.
    pub credential_id: Vec<u8>,
    /// How the client reaches the authenticator (`usb`, `internal`, …), if known.
    pub transports: Vec<String>,
}

/// authenticatorGetAssertion's output.
#[derive(Clone, PartialEq, Eq)]
pub struct Assertion {
    /// The credential that signed.
    pub credential_id: Vec<u8>,
    /// The raw authenticator data.
    pub auth_data: Vec<u8>,
    /// The signature over `auth_data ‖ client_data_hash` (ASN.1 DER for ES256).
    pub signature: Vec<u8>,
    /// The user handle, which discoverable credentials return.
    pub user_handle: Option<Vec<u8>>,
}

impl fmt::Debug for Assertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Assertion")
            .field("credential_id", &self.credential_id.len())
            .field("auth_data", &self.auth_data.len())
            .finish_non_exhaustive()
    }
}

/// Why an authenticator did not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthenticatorError {
    /// The person declined, or did not touch the key in time.
    #[error("the authenticator request was cancelled or timed out")]
    Cancelled,
    /// An excluded credential is on this authenticator (CTAP2_ERR_CREDENTIAL_EXCLUDED).
    #[error("this authenticator already holds a passkey for this account")]
    CredentialExcluded,
    /// None of the allowed credentials is on this authenticator (CTAP2_ERR_NO_CREDENTIALS).
    #[error("this authenticator holds no passkey for this account")]
    NoCredentials,
    /// The authenticator failed; the text says how.
    #[error("the authenticator failed: {0}")]
    Device(String),
}

/// Something that makes and uses WebAuthn credentials: a USB security key, the platform
/// authenticator, a test double.
///
/// Calls **block**: a security key waits for a touch, for seconds. Callers with a UI run
/// them off the UI thread (`spawn_blocking`); an async trait would only hide that.
/// Implementations use interior mutability, so one can be shared across threads.
pub trait Authenticator: Send + Sync {
    /// authenticatorMakeCredential (CTAP2 0x01).
    fn make_credential(
        &self,
        request: &MakeCredentialRequest,
    ) -> Result<Attestation, AuthenticatorError>;

    /// authenticatorGetAssertion (CTAP2 0x02).
    fn get_assertion(&self, request: &GetAssertionRequest)
    -> Result<Assertion, AuthenticatorError>;
}
