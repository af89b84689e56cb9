//! credentialManagement answers (CTAP 2.1 §6.8): one parser for the live key and
//! the recorded answers in `tests/vectors`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::Value;
use serde::Serialize;

use crate::cbor::{self, as_bytes, as_i64, as_string, as_u32, int_key, text_key};
use crate::error::Error;

/// How full a key's discoverable-credential storage is (getCredsMetadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CredsMetadata {
    /// Discoverable credentials stored (existingResidentCredentialsCount).
    pub existing: u32,
    /// How many more fit at most (maxPossibleRemainingResidentCredentialsCount); the
    /// real number can be lower, depending on key types and sizes.
    pub max_remaining: u32,
}

/// A relying party that has discoverable credentials on a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredRelyingParty {
    /// The RP id (`example.com`).
    pub id: String,
    /// The RP's name, empty if the key did not keep one.
    pub name: String,
    /// SHA-256 of the RP id, as the key reports it: what enumerateCredentialsBegin takes.
    pub id_hash: [u8; 32],
}

/// A discoverable credential stored on a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCredential {
    /// The relying party's id (`example.com`).
    pub rp_id: String,
    /// The account name.
    pub user_name: String,
    /// The account's display name.
    pub display_name: String,
    /// The credential id, base64url without padding: what `delete` takes.
    pub credential_id: String,
    /// The credProtect level (1–3), 0 if the key did not say.
    pub cred_protect: u8,
    /// The relying party's name, empty if the key did not keep one.
    pub rp_name: String,
    /// The user handle, base64url without padding.
    pub user_id: String,
    /// The credential key's COSE algorithm (-7 ES256, -8 EdDSA), if the key said.
    pub public_key_alg: Option<i64>,
}

/// One enumerateRPs or enumerateCredentials answer. The Begin answer also says how
/// many there are in all (totalRPs, totalCredentials); GetNext answers do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enumerated<T> {
    /// The relying party or credential.
    pub item: T,
    /// How many the enumeration has, in a Begin answer.
    pub total: Option<u32>,
}

/// Reads a getCredsMetadata answer (the CBOR after the status byte).
pub fn creds_metadata_from_cbor(bytes: &[u8]) -> Result<CredsMetadata, Error> {
    let map = cbor::decode_map(bytes)?;
    let count = |key, what| {
        int_key(&map, key)
            .and_then(as_u32)
            .ok_or_else(|| cbor::missing(what))
    };
    Ok(CredsMetadata {
        existing: count(0x01, "existingResidentCredentialsCount")?,
        max_remaining: count(0x02, "maxPossibleRemainingResidentCredentialsCount")?,
    })
}

/// Reads an enumerateRPsBegin or enumerateRPsGetNextRP answer:
/// `{3: rp, 4: rpIDHash, 5: totalRPs (Begin only)}`.
pub fn relying_party_from_cbor(bytes: &[u8]) -> Result<Enumerated<StoredRelyingParty>, Error> {
    let map = cbor::decode_map(bytes)?;
    let rp = int_key(&map, 0x03)
        .and_then(Value::as_map)
        .ok_or_else(|| cbor::missing("rp"))?;
    let id_hash = int_key(&map, 0x04)
        .and_then(as_bytes)
        .and_then(|h| <[u8; 32]>::try_from(h).ok())
        .ok_or_else(|| cbor::missing("rpIDHash"))?;
    Ok(Enumerated {
        item: StoredRelyingParty {
            id: text_key(rp, "id")
                .and_then(as_string)
                .ok_or_else(|| cbor::missing("rp.id"))?,
            name: text_key(rp, "name").and_then(as_string).unwrap_or_default(),
            id_hash,
        },
        total: int_key(&map, 0x05).and_then(as_u32),
    })
}

/// Reads an enumerateCredentialsBegin or enumerateCredentialsGetNextCredential answer
/// for a credential of `rp`: `{6: user, 7: credentialID, 8: publicKey,
/// 9: totalCredentials (Begin only), 10: credProtect, 11: largeBlobKey}`.
pub fn credential_from_cbor(
    bytes: &[u8],
    rp: &StoredRelyingParty,
) -> Result<Enumerated<StoredCredential>, Error> {
    let map = cbor::decode_map(bytes)?;
    let user = int_key(&map, 0x06)
        .and_then(Value::as_map)
        .ok_or_else(|| cbor::missing("user"))?;
    let user_id = text_key(user, "id")
        .and_then(as_bytes)
        .ok_or_else(|| cbor::missing("user.id"))?;
    let credential_id = int_key(&map, 0x07)
        .and_then(Value::as_map)
        .and_then(|d| text_key(d, "id"))
        .and_then(as_bytes)
        .ok_or_else(|| cbor::missing("credentialID"))?;
    let name = |key| text_key(user, key).and_then(as_string).unwrap_or_default();
    Ok(Enumerated {
        item: StoredCredential {
            rp_id: rp.id.clone(),
            user_name: name("name"),
            display_name: name("displayName"),
            credential_id: URL_SAFE_NO_PAD.encode(credential_id),
            cred_protect: int_key(&map, 0x0A)
                .and_then(as_u32)
                .and_then(|l| u8::try_from(l).ok())
                .unwrap_or(0),
            rp_name: rp.name.clone(),
            user_id: URL_SAFE_NO_PAD.encode(user_id),
            // COSE_Key label 3 is alg (RFC 9052 §7.1).
            public_key_alg: int_key(&map, 0x08)
                .and_then(Value::as_map)
                .and_then(|k| int_key(k, 3))
                .and_then(as_i64),
        },
        total: int_key(&map, 0x09).and_then(as_u32),
    })
}
