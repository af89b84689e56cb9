//! The body's records for passkeys and linked services. Byte strings are base64url
//! without padding; the private key and the service token are encoded and decoded in
//! zeroizing buffers, like seeds.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::body::TextField;
use crate::passkeys::{Holder, LinkedService, ServicePasskey, StoredPasskey};

#[derive(Serialize, Deserialize)]
pub(crate) struct PasskeyRec {
    credential_id: Bytes,
    rp_id: String,
    user_handle: Bytes,
    user_name: String,
    #[serde(default)]
    user_display_name: String,
    private_key: SecretBytes,
    #[serde(default)]
    counter: u32,
    created_at: i64,
    #[serde(default)]
    last_used_at: Option<i64>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ServiceRec {
    id: Uuid,
    base_url: String,
    origin: String,
    rp_id: String,
    account: String,
    token: TextField,
    #[serde(default)]
    account_id: Option<Uuid>,
    linked_at: i64,
    #[serde(default)]
    passkeys: Vec<ServicePasskeyRec>,
}

#[derive(Serialize, Deserialize)]
struct ServicePasskeyRec {
    id: String,
    credential_id: Bytes,
    name: String,
    holder: HolderRec,
    created_at: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum HolderRec {
    Platform,
    SecurityKey {
        #[serde(default)]
        aaguid: String,
        #[serde(default)]
        product: String,
    },
}

impl From<&StoredPasskey> for PasskeyRec {
    fn from(p: &StoredPasskey) -> Self {
        Self {
            credential_id: Bytes(p.credential_id.clone()),
            rp_id: p.rp_id.clone(),
            user_handle: Bytes(p.user_handle.clone()),
            user_name: p.user_name.clone(),
            user_display_name: p.user_display_name.clone(),
            private_key: SecretBytes(p.private_key.clone()),
            counter: p.counter,
            created_at: p.created_at,
            last_used_at: p.last_used_at,
        }
    }
}

impl From<PasskeyRec> for StoredPasskey {
    fn from(r: PasskeyRec) -> Self {
        Self {
            credential_id: r.credential_id.0,
            rp_id: r.rp_id,
            user_handle: r.user_handle.0,
            user_name: r.user_name,
            user_display_name: r.user_display_name,
            private_key: r.private_key.0,
            counter: r.counter,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
        }
    }
}

impl From<&LinkedService> for ServiceRec {
    fn from(s: &LinkedService) -> Self {
        Self {
            id: s.id,
            base_url: s.base_url.clone(),
            origin: s.origin.clone(),
            rp_id: s.rp_id.clone(),
            account: s.account.clone(),
            token: TextField(s.token.clone()),
            account_id: s.account_id,
            linked_at: s.linked_at,
            passkeys: s.passkeys.iter().map(ServicePasskeyRec::from).collect(),
        }
    }
}

impl From<ServiceRec> for LinkedService {
    fn from(r: ServiceRec) -> Self {
        Self {
            id: r.id,
            base_url: r.base_url,
            origin: r.origin,
            rp_id: r.rp_id,
            account: r.account,
            token: r.token.0,
            account_id: r.account_id,
            linked_at: r.linked_at,
            passkeys: r.passkeys.into_iter().map(ServicePasskey::from).collect(),
        }
    }
}

impl From<&ServicePasskey> for ServicePasskeyRec {
    fn from(p: &ServicePasskey) -> Self {
        Self {
            id: p.id.clone(),
            credential_id: Bytes(p.credential_id.clone()),
            name: p.name.clone(),
            holder: match &p.holder {
                Holder::Platform => HolderRec::Platform,
                Holder::SecurityKey { aaguid, product } => HolderRec::SecurityKey {
                    aaguid: aaguid.clone(),
                    product: product.clone(),
                },
            },
            created_at: p.created_at,
        }
    }
}

impl From<ServicePasskeyRec> for ServicePasskey {
    fn from(r: ServicePasskeyRec) -> Self {
        Self {
            id: r.id,
            credential_id: r.credential_id.0,
            name: r.name,
            holder: match r.holder {
                HolderRec::Platform => Holder::Platform,
                HolderRec::SecurityKey { aaguid, product } => {
                    Holder::SecurityKey { aaguid, product }
                }
            },
            created_at: r.created_at,
        }
    }
}

/// Public bytes (credential ids, user handles) as base64url.
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        URL_SAFE_NO_PAD
            .decode(s)
            .map(Bytes)
            .map_err(|_| de::Error::custom("invalid base64url"))
    }
}

/// Secret bytes (a private key) as base64url, encoded and decoded without leaving an
/// unzeroized copy behind.
struct SecretBytes(Zeroizing<Vec<u8>>);

impl Serialize for SecretBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(URL_SAFE_NO_PAD.encode(&*self.0));
        s.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SecretBytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("base64url bytes")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SecretBytes, E> {
                let mut out = Zeroizing::new(Vec::with_capacity(v.len()));
                URL_SAFE_NO_PAD
                    .decode_vec(v, &mut out)
                    .map_err(|_| E::custom("invalid base64url"))?;
                Ok(SecretBytes(out))
            }
        }
        d.deserialize_str(V)
    }
}
