//! authenticatorGetInfo (CTAP 2.1 §6.4): what a key is and what it can do.
//!
//! ctap-hid-fido2's parser is private to it, so the answer is read here, by the one
//! function [`Info::from_cbor`] that both the live key and the recorded test vectors go
//! through.

use ciborium::Value;
use serde::Serialize;

use crate::cbor::{self, as_bytes, as_i64, as_string, as_u32, int_key, strings, text_key};
use crate::error::Error;

/// A security key's getInfo answer, plus its PIN retry count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Info {
    /// CTAP versions: `U2F_V2`, `FIDO_2_0`, `FIDO_2_1_PRE`, `FIDO_2_1`, …
    pub versions: Vec<String>,
    /// Extensions: `credProtect`, `hmac-secret`, …
    pub extensions: Vec<String>,
    /// The model's AAGUID as 32 lowercase hex digits.
    pub aaguid: String,
    /// Options and their state, in the key's order (`rk`, `up`, `clientPin`, `uv`, …).
    pub options: Vec<(String, bool)>,
    /// PIN/UV auth protocols, preferred first.
    pub pin_uv_auth_protocols: Vec<u32>,
    /// Transports: `usb`, `nfc`, …
    pub transports: Vec<String>,
    /// COSE algorithms of credential keys the key makes (-7 ES256, -8 EdDSA).
    pub algorithms: Vec<i64>,
    /// Shortest PIN the key accepts, in Unicode code points (4 unless the key says).
    pub min_pin_length: u32,
    /// The key wants its PIN changed before use.
    pub force_pin_change: bool,
    /// The firmware version, if the key reports it.
    pub firmware_version: Option<u32>,
    /// How many more discoverable credentials fit, if the key reports it.
    pub remaining_discoverable_credentials: Option<u32>,
    /// PIN tries left before the PIN blocks; `None` when no PIN is set or not asked.
    pub pin_retries: Option<u32>,
}

impl Info {
    /// Reads a getInfo answer (the CBOR after the status byte).
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, Error> {
        let map = cbor::decode_map(bytes)?;
        let aaguid = int_key(&map, 0x03)
            .and_then(as_bytes)
            .filter(|a| a.len() == 16)
            .ok_or_else(|| cbor::missing("the AAGUID"))?;
        Ok(Self {
            versions: int_key(&map, 0x01).map(strings).unwrap_or_default(),
            extensions: int_key(&map, 0x02).map(strings).unwrap_or_default(),
            aaguid: aaguid.iter().map(|b| format!("{b:02x}")).collect(),
            options: int_key(&map, 0x04).map(options).unwrap_or_default(),
            pin_uv_auth_protocols: int_key(&map, 0x06)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(as_u32).collect())
                .unwrap_or_default(),
            transports: int_key(&map, 0x09).map(strings).unwrap_or_default(),
            algorithms: int_key(&map, 0x0A).map(algorithms).unwrap_or_default(),
            force_pin_change: int_key(&map, 0x0C)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            // CTAP 2.1 §6.4: absent means the default of 4.
            min_pin_length: int_key(&map, 0x0D).and_then(as_u32).unwrap_or(4),
            firmware_version: int_key(&map, 0x0E).and_then(as_u32),
            remaining_discoverable_credentials: int_key(&map, 0x14).and_then(as_u32),
            pin_retries: None,
        })
    }

    /// The state of option `name`: `Some(true)` supported and on, `Some(false)`
    /// supported and off, `None` not supported.
    pub fn option(&self, name: &str) -> Option<bool> {
        self.options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, on)| *on)
    }

    /// A PIN is set (`clientPin` is true).
    pub fn pin_set(&self) -> bool {
        self.option("clientPin") == Some(true)
    }

    /// The key supports the CTAP 2.1 credentialManagement command (not only the
    /// 2.1-PRE prototype).
    pub(crate) fn has_credential_management(&self) -> bool {
        self.option("credMgmt") == Some(true)
    }

    /// The key supports the CTAP 2.1 bioEnrollment command (not only the prototype).
    pub(crate) fn has_bio_enrollment(&self) -> bool {
        self.option("bioEnroll").is_some()
    }

    /// The key has a fingerprint sensor (final or prototype command).
    pub fn has_fingerprint_sensor(&self) -> bool {
        self.option("bioEnroll").is_some() || self.option("userVerificationMgmtPreview").is_some()
    }

    /// The firmware version for people: YubiKeys report 5.7.1 as 0x050701 (one byte a
    /// part); a number outside that shape is shown as it is.
    pub fn firmware(&self) -> Option<String> {
        self.firmware_version.map(|v| match v {
            0x01_00_00..=0xFF_FF_FF => format!("{}.{}.{}", v >> 16, (v >> 8) & 0xFF, v & 0xFF),
            v => v.to_string(),
        })
    }

    /// The key speaks CTAP2 (not only U2F).
    pub fn fido2(&self) -> bool {
        self.versions.iter().any(|v| v.starts_with("FIDO_2"))
    }
}

fn options(v: &Value) -> Vec<(String, bool)> {
    v.as_map()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((as_string(k)?, v.as_bool()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// `[{type: "public-key", alg: -7}, …]` → `[-7, …]`.
fn algorithms(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_map)
                .filter_map(|m| text_key(m, "alg").and_then(as_i64))
                .collect()
        })
        .unwrap_or_default()
}
