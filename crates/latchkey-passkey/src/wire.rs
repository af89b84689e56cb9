//! The account service's JSON (account-service-api.md), and WebAuthn Level 3's JSON
//! forms of options and responses, with byte fields as base64url without padding.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize};

/// `GET /.well-known/latchkey`: what a service says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    /// The web origin its WebAuthn ceremonies belong to, such as `https://example.com`.
    pub origin: String,
    /// Its WebAuthn relying-party ID.
    pub rp_id: String,
    /// The API's path, such as `/api/v1`.
    pub api: String,
    /// The service's name.
    pub name: String,
}

/// A passkey registered with the service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Passkey {
    /// The service's id for it, used to remove it.
    pub id: String,
    /// The name the person gave it.
    pub name: String,
    /// When it was added, in Unix seconds.
    pub created_at: i64,
    /// When it last signed in, in Unix seconds.
    #[serde(default)]
    pub last_used_at: Option<i64>,
}

/// Bytes that arrive as base64url; padding and the standard alphabet are tolerated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct B64(pub Vec<u8>);

impl<'de> Deserialize<'de> for B64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let url: String = s
            .trim_end_matches('=')
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect();
        URL_SAFE_NO_PAD
            .decode(url)
            .map(B64)
            .map_err(serde::de::Error::custom)
    }
}

/// base64url without padding, as WebAuthn's JSON forms write bytes.
pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[derive(Debug, Deserialize)]
pub(crate) struct RegistrationOptions {
    pub ceremony_id: String,
    #[serde(rename = "publicKey")]
    pub public_key: CreationOptions,
}

/// PublicKeyCredentialCreationOptionsJSON: the parts a client acts on.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreationOptions {
    pub rp: RpJson,
    pub user: UserJson,
    pub challenge: B64,
    #[serde(default)]
    pub pub_key_cred_params: Vec<CredParam>,
    #[serde(default)]
    pub exclude_credentials: Option<Vec<Descriptor>>,
    #[serde(default)]
    pub authenticator_selection: Option<Selection>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RpJson {
    pub id: Option<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserJson {
    pub id: B64,
    pub name: String,
    pub display_name: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CredParam {
    #[serde(rename = "type")]
    pub type_: String,
    pub alg: i64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Descriptor {
    #[serde(rename = "type")]
    pub type_: String,
    pub id: B64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Selection {
    pub resident_key: Option<String>,
    #[serde(default)]
    pub require_resident_key: bool,
    pub user_verification: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AssertionOptions {
    #[serde(rename = "publicKey")]
    pub public_key: RequestOptions,
}

/// PublicKeyCredentialRequestOptionsJSON: the parts a client acts on.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequestOptions {
    pub challenge: B64,
    pub rp_id: Option<String>,
    #[serde(default)]
    pub allow_credentials: Vec<Descriptor>,
    pub user_verification: Option<String>,
}

/// Only `public-key` descriptors mean anything to a WebAuthn authenticator.
pub(crate) fn credential_ids(descriptors: Vec<Descriptor>) -> Vec<Vec<u8>> {
    descriptors
        .into_iter()
        .filter(|d| d.type_ == "public-key")
        .map(|d| d.id.0)
        .collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenReply {
    pub token: String,
}

/// The service's error body.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorReply {
    pub error: String,
    #[serde(default)]
    pub message: Option<String>,
}
