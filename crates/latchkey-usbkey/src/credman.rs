//! authenticatorCredentialManagement (CTAP 2.1 §6.8): listing and deleting the
//! discoverable credentials on a key, over our own transport and with our own parser.
//!
//! ctap-hid-fido2 attaches a pinUvAuthParam (and the rpIDHash) to
//! enumerateRPsGetNextRP and enumerateCredentialsGetNextCredential, which CTAP 2.1
//! sends bare and strict keys refuse with CTAP2_ERR_NOT_ALLOWED; and its parser is
//! private, so it cannot be tested on recorded answers. The crate still gets the PIN
//! token (ECDH and AES are its job); requests, their pinUvAuthParam and the answers
//! are handled here. The answer parsers are public so the recorded answers in
//! `tests/vectors` go through the same code as a live key.

mod answer;
mod request;

use std::sync::atomic::AtomicBool;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::Value;
use ctap_hid_fido2::fidokey::pin::Permission;

use crate::device::UsbKey;
use crate::error::Error;
use crate::hid::Channel;
use crate::pin_token::PinUvAuthToken;
pub use answer::{
    CredsMetadata, Enumerated, StoredCredential, StoredRelyingParty, credential_from_cbor,
    creds_metadata_from_cbor, relying_party_from_cbor,
};
use request::{
    CREDENTIAL_MANAGEMENT, CREDENTIAL_MANAGEMENT_PREVIEW, SubCommand, delete_params, request,
    rp_params,
};

impl UsbKey {
    /// How many discoverable credentials the key holds, and how many more fit. Needs
    /// the PIN.
    pub fn credentials_metadata(&self) -> Result<CredsMetadata, Error> {
        let answer = self
            .credential_management(|c, token| c.send(SubCommand::GetCredsMetadata, None, token))?;
        creds_metadata_from_cbor(&answer)
    }

    /// The discoverable credentials on the key, grouped by relying party in the key's
    /// order. Needs the PIN.
    pub fn credentials(&self) -> Result<Vec<StoredCredential>, Error> {
        self.credential_management(list)
    }

    /// Deletes the discoverable credential with this id (base64url, as listed).
    pub fn delete_credential(&self, credential_id: &str) -> Result<(), Error> {
        let id = URL_SAFE_NO_PAD
            .decode(credential_id.trim_end_matches('='))
            .map_err(|_| Error::Malformed("the credential id is not base64url".into()))?;
        self.credential_management(|c, token| {
            c.send(
                SubCommand::DeleteCredential,
                Some(delete_params(&id)),
                token,
            )
            .map(drop)
        })
    }

    /// Asks for the PIN, gets a token for credential management, and runs `op` with it
    /// on one channel of our transport (an enumeration must not be interrupted).
    fn credential_management<T>(
        &self,
        mut op: impl FnMut(&mut Session<'_>, &PinUvAuthToken) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let command = if self.info.has_credential_management() {
            CREDENTIAL_MANAGEMENT
        } else if self.info.option("credentialMgmtPreview") == Some(true) {
            CREDENTIAL_MANAGEMENT_PREVIEW
        } else {
            return Err(Error::Unsupported("credential management".into()));
        };
        if !self.info.pin_set() {
            return Err(Error::PinNotSet);
        }
        self.with_pin(|pin| {
            let token = self.credential_management_token(pin)?;
            self.with_channel(|channel| {
                let mut session = Session {
                    channel,
                    command,
                    cancel: &self.cancel,
                };
                op(&mut session, &token)
            })
        })
    }

    /// A pinUvAuthToken with the cm permission (§6.5.5.7) from a CTAP 2.1 key, or a
    /// legacy PIN token (getPinToken, all permissions) from a key without
    /// `pinUvAuthToken`, such as a FIDO_2_1_PRE key.
    fn credential_management_token(&self, pin: &str) -> Result<PinUvAuthToken, Error> {
        let token = if self.info.option("pinUvAuthToken") == Some(true) {
            self.with_library(|k| {
                k.get_pinuv_auth_token_with_permission(pin, Permission::CredentialManagement)
            })?
        } else {
            self.with_library(|k| k.get_pin_token(pin))?
        };
        PinUvAuthToken::new(self.pin_protocol(), token.key)
    }
}

/// A channel and the credentialManagement command byte the key understands.
struct Session<'a> {
    channel: &'a mut Channel,
    command: u8,
    cancel: &'a AtomicBool,
}

impl Session<'_> {
    fn send(
        &mut self,
        sub_command: SubCommand,
        params: Option<Value>,
        token: &PinUvAuthToken,
    ) -> Result<Vec<u8>, Error> {
        let request = request(sub_command, params, token)?;
        self.channel
            .cbor(self.command, &request, self.cancel, &mut || ())
    }
}

/// §6.8.3 and §6.8.4: enumerateRPsBegin, then GetNextRP until totalRPs are read; for
/// each RP enumerateCredentialsBegin, then GetNextCredential until totalCredentials.
/// A key with none answers the Begin with CTAP2_ERR_NO_CREDENTIALS.
fn list(s: &mut Session<'_>, token: &PinUvAuthToken) -> Result<Vec<StoredCredential>, Error> {
    let first = match s.send(SubCommand::EnumerateRPsBegin, None, token) {
        Err(Error::NoCredentials) => return Ok(Vec::new()),
        other => relying_party_from_cbor(&other?)?,
    };
    let mut rps = vec![first.item];
    for _ in 1..first.total.unwrap_or(1) {
        let next = s.send(SubCommand::EnumerateRPsGetNextRP, None, token)?;
        rps.push(relying_party_from_cbor(&next)?.item);
    }
    let mut out = Vec::new();
    for rp in &rps {
        let begin = SubCommand::EnumerateCredentialsBegin;
        let first = match s.send(begin, Some(rp_params(rp)), token) {
            Err(Error::NoCredentials) => continue,
            other => credential_from_cbor(&other?, rp)?,
        };
        out.push(first.item);
        for _ in 1..first.total.unwrap_or(1) {
            let next = s.send(
                SubCommand::EnumerateCredentialsGetNextCredential,
                None,
                token,
            )?;
            out.push(credential_from_cbor(&next, rp)?.item);
        }
    }
    Ok(out)
}
