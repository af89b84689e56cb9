//! What the vault keeps about passkeys: the platform authenticator's own credentials
//! (private keys and all, so they live under the vault's key), and the account services
//! the desktop is linked to, with which authenticator holds each passkey registered there.
//!
//! These are plain records; `latchkey-passkey` gives them meaning (signing, talking to
//! a service). The vault serialises them in its encrypted body.

use std::fmt;

use uuid::Uuid;
use zeroize::Zeroizing;

/// A passkey made by Latchkey's platform authenticator. The private key never leaves
/// the vault's encrypted body except into the authenticator that signs with it.
#[derive(Clone)]
pub struct StoredPasskey {
    /// The credential id the relying party knows it by.
    pub credential_id: Vec<u8>,
    /// The relying party's id, a domain such as `example.com`.
    pub rp_id: String,
    /// The RP's user handle (opaque bytes, at most 64).
    pub user_handle: Vec<u8>,
    /// The account name the RP gave, such as an email address.
    pub user_name: String,
    /// A name for the account, to show.
    pub user_display_name: String,
    /// The private key as a COSE_Key (CBOR), wiped when dropped.
    pub private_key: Zeroizing<Vec<u8>>,
    /// The signature counter last used (0 for keys that do not count).
    pub counter: u32,
    /// Unix seconds when it was made.
    pub created_at: i64,
    /// Unix seconds when it last signed, if ever.
    pub last_used_at: Option<i64>,
}

impl fmt::Debug for StoredPasskey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredPasskey")
            .field("rp_id", &self.rp_id)
            .field("user_name", &self.user_name)
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

/// An account service this desktop is linked to (RFC 8628 device authorization), and
/// the passkeys registered with it from here.
#[derive(Clone)]
pub struct LinkedService {
    /// Latchkey's own id for the link.
    pub id: Uuid,
    /// Where the service was found (`https://accounts.example.com`).
    pub base_url: String,
    /// The origin the service's pages are served from; clientDataJSON carries it.
    pub origin: String,
    /// The service's WebAuthn relying party id.
    pub rp_id: String,
    /// The account on the service (its email or user name).
    pub account: String,
    /// The bearer token the link produced, wiped when dropped, never shown.
    pub token: Zeroizing<String>,
    /// The vault account (TOTP) for the same service, if the person tied them.
    pub account_id: Option<Uuid>,
    /// Unix seconds when linked.
    pub linked_at: i64,
    /// Passkeys registered with this service from this desktop.
    pub passkeys: Vec<ServicePasskey>,
}

impl fmt::Debug for LinkedService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkedService")
            .field("base_url", &self.base_url)
            .field("account", &self.account)
            .field("passkeys", &self.passkeys)
            .finish_non_exhaustive()
    }
}

/// A passkey registered with a linked service, and where its private key lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePasskey {
    /// The service's id for it (used to remove it there).
    pub id: String,
    /// The WebAuthn credential id.
    pub credential_id: Vec<u8>,
    /// The name it was given.
    pub name: String,
    /// Which authenticator holds it.
    pub holder: Holder,
    /// Unix seconds when registered.
    pub created_at: i64,
}

/// The authenticator that holds a passkey's private key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Holder {
    /// Latchkey's platform authenticator (a [`StoredPasskey`] in this vault).
    Platform,
    /// A USB security key.
    SecurityKey {
        /// The key's AAGUID (model), as 32 hex digits; empty if unknown.
        aaguid: String,
        /// The product name the key reported, to help the person find it.
        product: String,
    },
}

impl Holder {
    /// A short description for people: "this computer" or the key's product name.
    pub fn describe(&self) -> String {
        match self {
            Holder::Platform => "this computer (Latchkey)".into(),
            Holder::SecurityKey { product, .. } if !product.is_empty() => {
                format!("security key ({product})")
            }
            Holder::SecurityKey { .. } => "a security key".into(),
        }
    }
}
