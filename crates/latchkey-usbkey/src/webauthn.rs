//! authenticatorMakeCredential and authenticatorGetAssertion with the caller's
//! clientDataHash (CTAP 2.1 §6.1, §6.2), sent over our own CTAPHID transport.
//!
//! The PIN, when one is needed, becomes a pinUvAuthParam through ctap-hid-fido2
//! (`create_pin_auth`: a PIN token, then authenticate(token, clientDataHash)); the key
//! keeps the token valid across channels, so the request that uses it can follow on ours.

use ciborium::Value;
use latchkey_passkey::{
    Assertion, Attestation, AttestationStatement, Authenticator, AuthenticatorError,
    GetAssertionRequest, MakeCredentialRequest,
};

use crate::cbor::{self, as_bytes, as_i64, as_string, int, int_key, text, text_key};
use crate::device::UsbKey;
use crate::error::Error;
use crate::prompt::KeyEvent;

const MAKE_CREDENTIAL: u8 = 0x01;
const GET_ASSERTION: u8 = 0x02;

/// credProtect levels (CTAP 2.1 §12.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CredProtect {
    /// Usable without user verification (the default).
    UserVerificationOptional = 1,
    /// Without UV only when the RP names the credential id.
    UserVerificationOptionalWithCredentialIdList = 2,
    /// Always needs user verification.
    UserVerificationRequired = 3,
}

/// The makeCredential extensions this crate asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extensions {
    /// Ask for a credProtect level.
    pub cred_protect: Option<CredProtect>,
    /// Ask for an hmac-secret (a per-credential HMAC key, see [`crate::HmacSecret`]).
    pub hmac_secret: bool,
}

/// How the request proves user verification.
enum Verification {
    /// No UV asked.
    None,
    /// The key's own UV (fingerprint): `options.uv = true`.
    BuiltIn,
    /// A PIN-derived pinUvAuthParam.
    Pin,
}

impl UsbKey {
    /// makeCredential with extensions; [`Authenticator::make_credential`] asks for none.
    pub fn make_credential_with(
        &self,
        request: &MakeCredentialRequest,
        extensions: Extensions,
    ) -> Result<Attestation, Error> {
        let uv_not_required = self.info.option("makeCredUvNotRqd") == Some(true);
        let verification = self.verification(
            request.user_verification
                || (self.info.pin_set() && (request.resident_key || !uv_not_required)),
        )?;
        let answer = self.send_with_verification(
            verification,
            &request.client_data_hash,
            |auth| make_credential_cbor(request, extensions, auth),
            MAKE_CREDENTIAL,
        )?;
        attestation_from_cbor(&answer)
    }

    /// getAssertion with the caller's clientDataHash.
    pub(crate) fn get_assertion_inner(
        &self,
        request: &GetAssertionRequest,
    ) -> Result<Assertion, Error> {
        let verification = self.verification(request.user_verification)?;
        let answer = self.send_with_verification(
            verification,
            &request.client_data_hash,
            |auth| get_assertion_cbor(request, auth),
            GET_ASSERTION,
        )?;
        assertion_from_cbor(&answer, &request.allow_credentials)
    }

    fn verification(&self, wanted: bool) -> Result<Verification, Error> {
        if !wanted {
            return Ok(Verification::None);
        }
        if self.info.pin_set() {
            // A fingerprint the key already knows beats typing the PIN.
            if self.info.option("uv") == Some(true) {
                return Ok(Verification::BuiltIn);
            }
            return Ok(Verification::Pin);
        }
        if self.info.option("uv") == Some(true) {
            return Ok(Verification::BuiltIn);
        }
        Err(Error::PinNotSet)
    }

    fn send_with_verification(
        &self,
        verification: Verification,
        client_data_hash: &[u8; 32],
        build: impl Fn(Auth<'_>) -> Result<Vec<u8>, Error>,
        command: u8,
    ) -> Result<Vec<u8>, Error> {
        let protocol = self.pin_protocol();
        let result = match verification {
            Verification::None => self.send(command, &build(Auth::None)?),
            Verification::BuiltIn => self.send(command, &build(Auth::BuiltIn)?),
            Verification::Pin => self.with_pin(|pin| {
                let param = self.with_library(|k| k.create_pin_auth(pin, client_data_hash))?;
                self.send(
                    command,
                    &build(Auth::Pin {
                        param: &param,
                        protocol,
                    })?,
                )
            }),
        };
        if result.is_ok() {
            self.prompt.event(KeyEvent::Done);
        }
        result
    }

    fn send(&self, command: u8, cbor: &[u8]) -> Result<Vec<u8>, Error> {
        let prompt = &self.prompt;
        self.with_channel(|c| {
            c.cbor(command, cbor, &self.cancel, &mut || {
                prompt.event(KeyEvent::TouchKey)
            })
        })
    }
}

impl Authenticator for UsbKey {
    fn make_credential(
        &self,
        request: &MakeCredentialRequest,
    ) -> Result<Attestation, AuthenticatorError> {
        Ok(self.make_credential_with(request, Extensions::default())?)
    }

    fn get_assertion(
        &self,
        request: &GetAssertionRequest,
    ) -> Result<Assertion, AuthenticatorError> {
        Ok(self.get_assertion_inner(request)?)
    }
}

/// What goes into the request to verify the user.
#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    BuiltIn,
    Pin { param: &'a [u8], protocol: u8 },
}

fn descriptors(ids: &[Vec<u8>]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| {
                Value::Map(vec![
                    (text("id"), Value::Bytes(id.clone())),
                    (text("type"), text("public-key")),
                ])
            })
            .collect(),
    )
}

/// The makeCredential request map (keys 0x01–0x09), in canonical order.
fn make_credential_cbor(
    request: &MakeCredentialRequest,
    extensions: Extensions,
    auth: Auth<'_>,
) -> Result<Vec<u8>, Error> {
    let mut user = vec![(text("id"), Value::Bytes(request.user.id.clone()))];
    if !request.user.name.is_empty() {
        user.push((text("name"), text(&request.user.name)));
    }
    if !request.user.display_name.is_empty() {
        user.push((text("displayName"), text(&request.user.display_name)));
    }
    let algorithms = if request.algorithms.is_empty() {
        vec![-7]
    } else {
        request.algorithms.clone()
    };
    let params = algorithms
        .iter()
        .map(|alg| {
            Value::Map(vec![
                (text("alg"), int(*alg)),
                (text("type"), text("public-key")),
            ])
        })
        .collect();
    let mut map = vec![
        (int(1), Value::Bytes(request.client_data_hash.to_vec())),
        (
            int(2),
            Value::Map(vec![
                (text("id"), text(&request.rp.id)),
                (text("name"), text(&request.rp.name)),
            ]),
        ),
        (int(3), Value::Map(user)),
        (int(4), Value::Array(params)),
    ];
    if !request.exclude_credentials.is_empty() {
        map.push((int(5), descriptors(&request.exclude_credentials)));
    }
    let mut ext = Vec::new();
    if let Some(level) = extensions.cred_protect {
        ext.push((text("credProtect"), int(level as i64)));
    }
    if extensions.hmac_secret {
        ext.push((text("hmac-secret"), Value::Bool(true)));
    }
    if !ext.is_empty() {
        map.push((int(6), Value::Map(ext)));
    }
    let mut options = Vec::new();
    if request.resident_key {
        options.push((text("rk"), Value::Bool(true)));
    }
    if matches!(auth, Auth::BuiltIn) {
        options.push((text("uv"), Value::Bool(true)));
    }
    if !options.is_empty() {
        map.push((int(7), Value::Map(options)));
    }
    if let Auth::Pin { param, protocol } = auth {
        map.push((int(8), Value::Bytes(param.to_vec())));
        map.push((int(9), int(protocol.into())));
    }
    cbor::encode(&Value::Map(map))
}

/// The getAssertion request map (keys 0x01–0x07), in canonical order.
fn get_assertion_cbor(request: &GetAssertionRequest, auth: Auth<'_>) -> Result<Vec<u8>, Error> {
    let mut map = vec![
        (int(1), text(&request.rp_id)),
        (int(2), Value::Bytes(request.client_data_hash.to_vec())),
    ];
    if !request.allow_credentials.is_empty() {
        map.push((int(3), descriptors(&request.allow_credentials)));
    }
    if matches!(auth, Auth::BuiltIn) {
        map.push((int(5), Value::Map(vec![(text("uv"), Value::Bool(true))])));
    }
    if let Auth::Pin { param, protocol } = auth {
        map.push((int(6), Value::Bytes(param.to_vec())));
        map.push((int(7), int(protocol.into())));
    }
    cbor::encode(&Value::Map(map))
}

/// A makeCredential answer (`{1: fmt, 2: authData, 3: attStmt}`) as the
/// [`Attestation`] latchkey-passkey rebuilds the attestationObject from.
pub fn attestation_from_cbor(bytes: &[u8]) -> Result<Attestation, Error> {
    let map = cbor::decode_map(bytes)?;
    let fmt = int_key(&map, 1)
        .and_then(as_string)
        .ok_or_else(|| cbor::missing("fmt"))?;
    let auth_data = int_key(&map, 2)
        .and_then(as_bytes)
        .ok_or_else(|| cbor::missing("authData"))?;
    let statement = int_key(&map, 3)
        .and_then(Value::as_map)
        .ok_or_else(|| cbor::missing("attStmt"))?;
    let att_stmt = AttestationStatement {
        alg: text_key(statement, "alg").and_then(as_i64),
        sig: text_key(statement, "sig")
            .and_then(as_bytes)
            .unwrap_or_default(),
        x5c: text_key(statement, "x5c")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(as_bytes).collect())
            .unwrap_or_default(),
    };
    let credential_id = credential_id(&auth_data)?;
    Ok(Attestation {
        fmt,
        auth_data,
        att_stmt,
        credential_id,
        transports: vec!["usb".to_owned()],
    })
}

/// The credential id inside authenticator data with attested credential data:
/// rpIdHash(32) ‖ flags(1) ‖ signCount(4) ‖ aaguid(16) ‖ idLength(2, BE) ‖ id.
fn credential_id(auth_data: &[u8]) -> Result<Vec<u8>, Error> {
    const AT: u8 = 0x40;
    let bad = || Error::Malformed("authenticator data without a credential".into());
    if auth_data.get(32).is_none_or(|flags| flags & AT == 0) {
        return Err(bad());
    }
    let len = auth_data.get(53..55).ok_or_else(bad)?;
    let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    Ok(auth_data.get(55..55 + len).ok_or_else(bad)?.to_vec())
}

/// A getAssertion answer. The key may leave out the credential when the allow list had
/// exactly one (CTAP 2.1 §6.2.2); it is that one then. When a discoverable request
/// matches several credentials, this is the first the key offers (the most recent).
pub fn assertion_from_cbor(bytes: &[u8], allow: &[Vec<u8>]) -> Result<Assertion, Error> {
    let map = cbor::decode_map(bytes)?;
    let credential_id = match int_key(&map, 1).and_then(Value::as_map) {
        Some(c) => text_key(c, "id")
            .and_then(as_bytes)
            .ok_or_else(|| cbor::missing("credential id"))?,
        None if allow.len() == 1 => allow[0].clone(),
        None => return Err(cbor::missing("credential")),
    };
    Ok(Assertion {
        credential_id,
        auth_data: int_key(&map, 2)
            .and_then(as_bytes)
            .ok_or_else(|| cbor::missing("authData"))?,
        signature: int_key(&map, 3)
            .and_then(as_bytes)
            .ok_or_else(|| cbor::missing("signature"))?,
        user_handle: int_key(&map, 4)
            .and_then(Value::as_map)
            .and_then(|u| text_key(u, "id"))
            .and_then(as_bytes),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use latchkey_passkey::{RelyingParty, User};

    fn decode(bytes: &[u8]) -> Vec<(Value, Value)> {
        cbor::decode_map(bytes).unwrap()
    }

    #[test]
    fn make_credential_sends_the_callers_hash_untouched() {
        let request = MakeCredentialRequest {
            client_data_hash: [0xAB; 32],
            rp: RelyingParty {
                id: "example.org".into(),
                name: "Example".into(),
            },
            user: User {
                id: vec![1, 2],
                name: "a@example.org".into(),
                display_name: String::new(),
            },
            algorithms: vec![-8, -7],
            exclude_credentials: vec![vec![5; 4]],
            user_verification: true,
            resident_key: true,
        };
        let ext = Extensions {
            cred_protect: Some(CredProtect::UserVerificationRequired),
            hmac_secret: true,
        };
        let map = decode(
            &make_credential_cbor(
                &request,
                ext,
                Auth::Pin {
                    param: &[7; 16],
                    protocol: 1,
                },
            )
            .unwrap(),
        );
        assert_eq!(int_key(&map, 1), Some(&Value::Bytes(vec![0xAB; 32])));
        let algs: Vec<i64> = int_key(&map, 4)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                text_key(p.as_map().unwrap(), "alg")
                    .and_then(as_i64)
                    .unwrap()
            })
            .collect();
        assert_eq!(algs, [-8, -7], "the RP's order of preference");
        let user = int_key(&map, 3).unwrap().as_map().unwrap();
        assert!(
            text_key(user, "displayName").is_none(),
            "empty names are left out"
        );
        let ext = int_key(&map, 6).unwrap().as_map().unwrap();
        assert_eq!(text_key(ext, "credProtect").and_then(as_i64), Some(3));
        assert_eq!(text_key(ext, "hmac-secret"), Some(&Value::Bool(true)));
        let options = int_key(&map, 7).unwrap().as_map().unwrap();
        assert_eq!(text_key(options, "rk"), Some(&Value::Bool(true)));
        assert!(
            text_key(options, "uv").is_none(),
            "a PIN replaces the uv option"
        );
        assert_eq!(int_key(&map, 8), Some(&Value::Bytes(vec![7; 16])));
        assert_eq!(int_key(&map, 9).and_then(as_i64), Some(1));
    }

    #[test]
    fn get_assertion_with_built_in_uv_sets_the_uv_option() {
        let request = GetAssertionRequest {
            rp_id: "example.org".into(),
            client_data_hash: [0x11; 32],
            allow_credentials: Vec::new(),
            user_verification: true,
        };
        let map = decode(&get_assertion_cbor(&request, Auth::BuiltIn).unwrap());
        assert_eq!(
            int_key(&map, 1).and_then(as_string).as_deref(),
            Some("example.org")
        );
        assert_eq!(int_key(&map, 2), Some(&Value::Bytes(vec![0x11; 32])));
        assert!(int_key(&map, 3).is_none(), "no allow list: discoverable");
        let options = int_key(&map, 5).unwrap().as_map().unwrap();
        assert_eq!(text_key(options, "uv"), Some(&Value::Bool(true)));
        assert!(int_key(&map, 6).is_none());
    }
}
