//! The hmac-secret extension (CTAP 2.1 §12.5) as a vault unlock factor: the key holds
//! a random secret per credential and returns HMAC-SHA-256(secret, salt), so the same
//! salt always yields the same 32 bytes, and only with the key present.

use ctap_hid_fido2::fidokey::GetAssertionArgsBuilder;
use ctap_hid_fido2::fidokey::get_assertion::get_assertion_params::Extension as AssertionExtension;
use latchkey_passkey::{MakeCredentialRequest, RelyingParty, User};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::device::UsbKey;
use crate::error::Error;
use crate::prompt::KeyEvent;
use crate::webauthn::Extensions;

/// A key that derives stable secrets from salts: what a vault needs to be unlocked with a
/// security key. [`UsbKey`] implements it; tests use a double.
pub trait HmacSecret: Send + Sync {
    /// Makes a non-discoverable credential with hmac-secret for `rp_id` (the person
    /// touches the key) and returns its id, which the caller stores next to the salt.
    fn create_hmac_secret_credential(&self, rp_id: &str) -> Result<Vec<u8>, Error>;

    /// HMAC-SHA-256 of `salt` under the credential's secret (the person touches the key).
    /// The same credential, salt and `user_verification` always give the same output;
    /// with `user_verification` the key first checks its PIN and uses its second secret
    /// for the credential (CTAP 2.1 §12.5, CredRandomWithUV), so the answer given
    /// without the PIN is of no use.
    fn hmac_secret(
        &self,
        rp_id: &str,
        credential_id: &[u8],
        salt: &[u8; 32],
        user_verification: bool,
    ) -> Result<Zeroizing<[u8; 32]>, Error>;
}

impl HmacSecret for UsbKey {
    fn create_hmac_secret_credential(&self, rp_id: &str) -> Result<Vec<u8>, Error> {
        // No RP will ever check this attestation: any clientDataHash will do.
        let mut client_data_hash = [0u8; 32];
        getrandom::fill(&mut client_data_hash).map_err(|e| Error::Device(e.to_string()))?;
        let request = MakeCredentialRequest {
            client_data_hash,
            rp: RelyingParty {
                id: rp_id.to_owned(),
                name: rp_id.to_owned(),
            },
            user: User {
                id: vec![0],
                name: "vault".into(),
                display_name: "vault".into(),
            },
            algorithms: vec![-7],
            exclude_credentials: Vec::new(),
            user_verification: false,
            resident_key: false,
        };
        let extensions = Extensions {
            hmac_secret: true,
            ..Extensions::default()
        };
        Ok(self
            .make_credential_with(&request, extensions)?
            .credential_id)
    }

    fn hmac_secret(
        &self,
        rp_id: &str,
        credential_id: &[u8],
        salt: &[u8; 32],
        user_verification: bool,
    ) -> Result<Zeroizing<[u8; 32]>, Error> {
        // ctap-hid-fido2 hashes its challenge into the clientDataHash, which hmac-secret
        // does not use; a fixed one is fine.
        let challenge = Sha256::digest(b"latchkey hmac-secret");
        let ask = |pin: Option<&str>| {
            self.prompt.event(KeyEvent::TouchKey);
            self.with_library(|k| {
                let builder = GetAssertionArgsBuilder::new(rp_id, &challenge)
                    .credential_id(credential_id)
                    .extensions(&[AssertionExtension::HmacSecret(Some(*salt))]);
                let args = match pin {
                    Some(pin) => builder.pin(pin).build(),
                    None => builder.without_pin_and_uv().build(),
                };
                k.get_assertion_with_args(&args)
            })
        };
        let assertions = match user_verification {
            true => self.with_pin(|pin| ask(Some(pin)))?,
            false => ask(None)?,
        };
        let output = assertions
            .into_iter()
            .flat_map(|a| a.extensions)
            .find_map(|e| match e {
                AssertionExtension::HmacSecret(Some(out)) => Some(Zeroizing::new(out)),
                _ => None,
            })
            .ok_or_else(|| Error::Unsupported("hmac-secret for this credential".into()))?;
        self.prompt.event(KeyEvent::Done);
        Ok(output)
    }
}
