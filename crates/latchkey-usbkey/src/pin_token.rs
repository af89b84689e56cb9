//! The pinUvAuthToken (CTAP 2.1 §6.5.2) and `authenticate` of PIN/UV auth protocols
//! one and two (§6.5.6, §6.5.7), which turns it into a request's pinUvAuthParam.
//!
//! Getting the token (ECDH with the key's keyAgreement, the PIN hash encrypted with
//! AES-256-CBC) is ctap-hid-fido2's public `get_pinuv_auth_token_with_permission` /
//! `get_pin_token`; from then on the token is ours: held in zeroizing memory, never
//! printed, and used to authenticate requests we send over our own transport.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::Error;

/// A pinUvAuthToken and the protocol it was obtained with.
pub(crate) struct PinUvAuthToken {
    protocol: u8,
    key: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for PinUvAuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinUvAuthToken")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

impl PinUvAuthToken {
    /// Takes over a decrypted token. Protocol one tokens are 16 or 32 bytes (§6.5.6
    /// leaves the length to the key), protocol two tokens 32 (§6.5.7).
    pub(crate) fn new(protocol: u8, key: Vec<u8>) -> Result<Self, Error> {
        let key = Zeroizing::new(key);
        let fits = match protocol {
            1 => key.len() == 16 || key.len() == 32,
            2 => key.len() == 32,
            _ => false,
        };
        if !fits {
            return Err(Error::Malformed(format!(
                "a {}-byte PIN token for PIN/UV auth protocol {protocol}",
                key.len()
            )));
        }
        Ok(Self { protocol, key })
    }

    /// The PIN/UV auth protocol (1 or 2): a request's pinUvAuthProtocol.
    pub(crate) fn protocol(&self) -> u8 {
        self.protocol
    }

    /// `authenticate(pinUvAuthToken, message)`: HMAC-SHA-256 of `message` under the
    /// token, its first 16 bytes for protocol one (§6.5.6), all 32 for protocol two
    /// (§6.5.7).
    pub(crate) fn authenticate(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .map_err(|_| Error::Device("the PIN token cannot key an HMAC".into()))?;
        mac.update(message);
        let mut tag = mac.finalize().into_bytes().to_vec();
        if self.protocol == 1 {
            tag.truncate(16);
        }
        Ok(tag)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    // Expected tags computed independently with Python's hmac module:
    //   hmac.new(bytes(range(16)), b"\x02", hashlib.sha256).digest()[:16].hex()
    //   hmac.new(bytes(range(32)), b"\x02", hashlib.sha256).digest().hex()
    // (b"\x02" is enumerateRPsBegin's message: the subcommand, no parameters.)

    #[test]
    fn protocol_one_authenticates_with_a_16_byte_truncated_hmac() {
        let token = PinUvAuthToken::new(1, (0..16).collect()).unwrap();
        assert_eq!(
            hex(&token.authenticate(&[0x02]).unwrap()),
            "cbf55e4db035bb1fe64239d18676d99c"
        );
    }

    #[test]
    fn protocol_two_authenticates_with_the_full_hmac() {
        let token = PinUvAuthToken::new(2, (0..32).collect()).unwrap();
        assert_eq!(
            hex(&token.authenticate(&[0x02]).unwrap()),
            "4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d"
        );
    }

    #[test]
    fn rejects_tokens_of_the_wrong_length_or_protocol() {
        assert!(PinUvAuthToken::new(2, vec![0; 16]).is_err());
        assert!(PinUvAuthToken::new(1, vec![0; 20]).is_err());
        assert!(PinUvAuthToken::new(3, vec![0; 32]).is_err());
    }

    #[test]
    fn debug_does_not_show_the_token() {
        let token = PinUvAuthToken::new(2, vec![0xAB; 32]).unwrap();
        assert_eq!(format!("{token:?}"), "PinUvAuthToken { protocol: 2, .. }");
    }
}
