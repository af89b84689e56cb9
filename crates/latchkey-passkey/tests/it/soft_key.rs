//! A USB security-key double: kanidm's SoftToken driven at CTAP level (it is handed the
//! clientDataJSON hash, as a real key is), its answers taken apart into the fields a
//! CTAP2 makeCredential / getAssertion response carries.

use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::Value;
use latchkey_passkey::{
    Assertion, Attestation, AttestationStatement, Authenticator, AuthenticatorError,
    GetAssertionRequest, MakeCredentialRequest,
};
use serde_json::json;
use webauthn_authenticator_rs::AuthenticatorBackendHashedClientData;
use webauthn_authenticator_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse};
use webauthn_authenticator_rs::softtoken::SoftToken;

pub struct SoftKey {
    token: Mutex<SoftToken>,
    /// The attestationObjects SoftToken itself encoded, to compare with ours.
    pub original_objects: Mutex<Vec<Vec<u8>>>,
}

impl SoftKey {
    pub fn new() -> Self {
        let (token, _ca) = SoftToken::new(true).unwrap();
        Self {
            token: Mutex::new(token),
            original_objects: Mutex::new(Vec::new()),
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn device(e: impl std::fmt::Debug) -> AuthenticatorError {
    AuthenticatorError::Device(format!("{e:?}"))
}

fn field<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

/// Takes an attestationObject apart into CTAP2's fmt / authData / attStmt.
fn split_attestation_object(bytes: &[u8]) -> (String, Vec<u8>, AttestationStatement) {
    let object: Value = ciborium::from_reader(bytes).unwrap();
    let map = object.as_map().unwrap();
    let fmt = field(map, "fmt").unwrap().as_text().unwrap().to_owned();
    let auth_data = field(map, "authData").unwrap().as_bytes().unwrap().clone();
    let stmt = field(map, "attStmt").unwrap().as_map().unwrap();
    let att_stmt = AttestationStatement {
        alg: field(stmt, "alg").map(|v| i64::try_from(v.as_integer().unwrap()).unwrap()),
        sig: field(stmt, "sig")
            .map(|v| v.as_bytes().unwrap().clone())
            .unwrap_or_default(),
        x5c: field(stmt, "x5c")
            .map(|v| {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_bytes().unwrap().clone())
                    .collect()
            })
            .unwrap_or_default(),
    };
    (fmt, auth_data, att_stmt)
}

fn descriptors(ids: &[Vec<u8>]) -> Vec<serde_json::Value> {
    ids.iter()
        .map(|id| json!({ "type": "public-key", "id": b64(id) }))
        .collect()
}

impl Authenticator for SoftKey {
    fn make_credential(
        &self,
        r: &MakeCredentialRequest,
    ) -> Result<Attestation, AuthenticatorError> {
        let uv = if r.user_verification {
            "required"
        } else {
            "discouraged"
        };
        let options: CreationChallengeResponse = serde_json::from_value(json!({ "publicKey": {
            "rp": { "id": r.rp.id, "name": r.rp.name },
            "user": { "id": b64(&r.user.id), "name": r.user.name, "displayName": r.user.display_name },
            // Unused: SoftToken signs the clientDataHash it is given.
            "challenge": b64(&[0; 32]),
            "pubKeyCredParams": r.algorithms.iter().map(|alg| json!({ "type": "public-key", "alg": alg })).collect::<Vec<_>>(),
            "excludeCredentials": descriptors(&r.exclude_credentials),
            "authenticatorSelection": { "requireResidentKey": r.resident_key, "userVerification": uv },
            "attestation": "direct",
        }}))
        .map_err(device)?;
        let mut token = self.token.lock().unwrap();
        let reg = token
            .perform_register(r.client_data_hash.to_vec(), options.public_key, 30_000)
            .map_err(device)?;
        let object = reg.response.attestation_object;
        let (fmt, auth_data, att_stmt) = split_attestation_object(&object);
        self.original_objects.lock().unwrap().push(object);
        Ok(Attestation {
            fmt,
            auth_data,
            att_stmt,
            credential_id: reg.raw_id,
            transports: vec!["usb".into()],
        })
    }

    fn get_assertion(&self, r: &GetAssertionRequest) -> Result<Assertion, AuthenticatorError> {
        let uv = if r.user_verification {
            "required"
        } else {
            "discouraged"
        };
        let options: RequestChallengeResponse = serde_json::from_value(json!({ "publicKey": {
            "challenge": b64(&[0; 32]),
            "rpId": r.rp_id,
            "allowCredentials": descriptors(&r.allow_credentials),
            "userVerification": uv,
        }}))
        .map_err(device)?;
        let mut token = self.token.lock().unwrap();
        let cred = token
            .perform_auth(r.client_data_hash.to_vec(), options.public_key, 30_000)
            .map_err(device)?;
        Ok(Assertion {
            credential_id: cred.raw_id,
            auth_data: cred.response.authenticator_data,
            signature: cred.response.signature,
            user_handle: cred.response.user_handle,
        })
    }
}

/// Signs with the wrapped key, then changes the signature: what a forger would send.
pub struct Tampered<'a>(pub &'a SoftKey);

impl Authenticator for Tampered<'_> {
    fn make_credential(
        &self,
        r: &MakeCredentialRequest,
    ) -> Result<Attestation, AuthenticatorError> {
        self.0.make_credential(r)
    }

    fn get_assertion(&self, r: &GetAssertionRequest) -> Result<Assertion, AuthenticatorError> {
        let mut assertion = self.0.get_assertion(r)?;
        if let Some(last) = assertion.signature.last_mut() {
            *last ^= 0x01;
        }
        Ok(assertion)
    }
}
