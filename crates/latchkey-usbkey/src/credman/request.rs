//! credentialManagement requests (CTAP 2.1 §6.8): which subcommands carry a
//! pinUvAuthParam, and what it covers.

use ciborium::Value;

use super::StoredRelyingParty;
use crate::cbor::{self, int, text};
use crate::error::Error;
use crate::pin_token::PinUvAuthToken;

/// The CTAP 2.1 command byte, and the FIDO_2_1_PRE prototype's
/// (`credentialMgmtPreview`); both take the same requests.
pub(crate) const CREDENTIAL_MANAGEMENT: u8 = 0x0A;
pub(crate) const CREDENTIAL_MANAGEMENT_PREVIEW: u8 = 0x41;

/// credentialManagement subcommands (§6.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
#[allow(clippy::enum_variant_names)]
pub(crate) enum SubCommand {
    GetCredsMetadata = 0x01,
    EnumerateRPsBegin = 0x02,
    EnumerateRPsGetNextRP = 0x03,
    EnumerateCredentialsBegin = 0x04,
    EnumerateCredentialsGetNextCredential = 0x05,
    DeleteCredential = 0x06,
}

impl SubCommand {
    /// The GetNext subcommands continue an enumeration the Begin authenticated: the
    /// platform sends only the subcommand (§6.8.3, §6.8.4).
    fn authenticated(self) -> bool {
        !matches!(
            self,
            Self::EnumerateRPsGetNextRP | Self::EnumerateCredentialsGetNextCredential
        )
    }
}

/// A credentialManagement request: `{1: subCommand, 2: subCommandParams,
/// 3: pinUvAuthProtocol, 4: pinUvAuthParam}`, where pinUvAuthParam =
/// authenticate(token, subCommand ‖ CBOR(subCommandParams)); a GetNext is `{1: subCommand}`.
pub(crate) fn request(
    sub_command: SubCommand,
    params: Option<Value>,
    token: &PinUvAuthToken,
) -> Result<Vec<u8>, Error> {
    let mut map = vec![(int(0x01), int(sub_command as i64))];
    if !sub_command.authenticated() {
        return cbor::encode(&Value::Map(map));
    }
    let mut message = vec![sub_command as u8];
    if let Some(params) = params {
        // Encoded once here and once inside the request; ciborium writes a Value the same
        // way each time (shortest forms, our key order), so the key hashes what it reads.
        message.extend(cbor::encode(&params)?);
        map.push((int(0x02), params));
    }
    map.push((int(0x03), int(token.protocol().into())));
    map.push((int(0x04), Value::Bytes(token.authenticate(&message)?)));
    cbor::encode(&Value::Map(map))
}

/// enumerateCredentialsBegin's parameters: `{1: rpIDHash}`.
pub(crate) fn rp_params(rp: &StoredRelyingParty) -> Value {
    Value::Map(vec![(int(0x01), Value::Bytes(rp.id_hash.to_vec()))])
}

/// deleteCredential's parameters: `{2: PublicKeyCredentialDescriptor}`.
pub(crate) fn delete_params(credential_id: &[u8]) -> Value {
    let descriptor = Value::Map(vec![
        (text("id"), Value::Bytes(credential_id.to_vec())),
        (text("type"), text("public-key")),
    ]);
    Value::Map(vec![(int(0x02), descriptor)])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn token(protocol: u8) -> PinUvAuthToken {
        let len = if protocol == 1 { 16 } else { 32 };
        PinUvAuthToken::new(protocol, (0..len).collect()).unwrap()
    }

    /// yubico.com's rpIDHash, from the recorded enumerateRPsBegin answer.
    const YUBICO_COM: &str = "378209b72defcba91dcbf854edb4daa648828a2cbd180afc77a74434655a1c7d";

    fn yubico_com() -> StoredRelyingParty {
        let mut id_hash = [0u8; 32];
        for (i, b) in id_hash.iter_mut().enumerate() {
            *b = u8::from_str_radix(&YUBICO_COM[2 * i..2 * i + 2], 16).unwrap();
        }
        StoredRelyingParty {
            id: "yubico.com".into(),
            name: String::new(),
            id_hash,
        }
    }

    // The expected requests were built independently in Python (cbor2 6.3, canonical
    // encoding; hmac + hashlib for the pinUvAuthParam), with token bytes(range(16)) for
    // protocol one and bytes(range(32)) for protocol two, e.g.
    //   msg = b"\x04" + cbor2.dumps({1: rp_id_hash}, canonical=True)
    //   cbor2.dumps({1: 4, 2: {1: rp_id_hash}, 3: 2,
    //                4: hmac.new(bytes(range(32)), msg, hashlib.sha256).digest()},
    //               canonical=True).hex()

    #[test]
    fn get_next_requests_carry_no_pin_uv_auth_param() {
        for protocol in [1, 2] {
            let t = token(protocol);
            let rp = request(SubCommand::EnumerateRPsGetNextRP, None, &t).unwrap();
            assert_eq!(hex(&rp), "a10103", "only {{1: 3}}");
            let cred =
                request(SubCommand::EnumerateCredentialsGetNextCredential, None, &t).unwrap();
            assert_eq!(hex(&cred), "a10105", "only {{1: 5}}");
        }
    }

    #[test]
    fn enumerate_rps_begin_carries_a_16_byte_param_with_protocol_one() {
        let req = request(SubCommand::EnumerateRPsBegin, None, &token(1)).unwrap();
        // {1: 2, 3: 1, 4: LEFT(HMAC(token, 02), 16)}
        assert_eq!(hex(&req), "a3010203010450cbf55e4db035bb1fe64239d18676d99c");
    }

    #[test]
    fn enumerate_credentials_begin_authenticates_its_rp_id_hash_with_protocol_two() {
        let req = request(
            SubCommand::EnumerateCredentialsBegin,
            Some(rp_params(&yubico_com())),
            &token(2),
        )
        .unwrap();
        assert_eq!(
            hex(&req),
            format!(
                "a4010402a1015820{YUBICO_COM}0302045820\
                 42557fc7633795c0b4aeb7e339ddadaefaba74ef7da8711ac65824127edf5d75"
            )
        );
    }

    #[test]
    fn delete_credential_authenticates_its_descriptor() {
        let id = [
            0x19, 0xf7, 0x78, 0x0c, 0xa0, 0xbc, 0xb9, 0xa6, 0xd5, 0x1e, 0xd7, 0x87, 0xfb, 0x6c,
            0x80, 0x03,
        ];
        let req = request(
            SubCommand::DeleteCredential,
            Some(delete_params(&id)),
            &token(1),
        )
        .unwrap();
        assert_eq!(
            hex(&req),
            "a4010602a102a26269645019f7780ca0bcb9a6d51ed787fb6c800364747970656a7075626c69632d6b6579\
             030104500ca31dda19bb94ccd1468a8b10cc6042"
        );
    }

    #[test]
    fn get_creds_metadata_is_authenticated() {
        let req = request(SubCommand::GetCredsMetadata, None, &token(2)).unwrap();
        // {1: 1, 3: 2, 4: HMAC(token, 01)}
        assert_eq!(
            hex(&req),
            "a3010103020458209b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7"
        );
    }
}
