//! Latchkey's platform authenticator: software passkeys whose private keys live in the
//! vault, made and used by 1Password's passkey-rs at the CTAP2 level.
//!
//! The caller opens the vault for update, builds a [`PlatformAuthenticator`] from its
//! passkeys, runs a ceremony (for example [`Service::register`](crate::Service::register)),
//! and writes [`PlatformAuthenticator::passkeys`] back before saving the vault.
//!
//! Decisions, and where passkey-rs 0.6 forced a hand:
//! - **User verification** is "the vault is unlocked and the person said yes" ([`Confirm`]).
//!   UP and UV are set only after a yes; a no is [`AuthenticatorError::Cancelled`] and
//!   stores nothing.
//! - **Backup flags**: these keys are not synced, so BE = BS = 0. passkey-rs sets both
//!   unconditionally (`Flags::default()`), so they are cleared here, and an assertion's
//!   authenticator data is signed again with the credential's key after clearing them
//!   (attestation is `none`, so registration has no signature to redo).
//! - **Signature counter**: kept, starting at 0 and advancing by one per assertion. A
//!   device-bound key can afford one, and then an RP sees when a copy of the vault signs.
//!   The cost: a vault restored from an older backup looks like such a copy, and an RP
//!   that enforces counters (webauthn-rs does) refuses it until the counter passes the
//!   last value it saw. So save the vault after every assertion, accepted or not.
//! - **Exclude list**: passkey-rs 0.6 makes a credential even when an excluded one is
//!   present; the confirmation hook refuses instead ([`AuthenticatorError::CredentialExcluded`]).
//! - **Attestation** is `none` with an all-zero AAGUID: there is nothing to attest.
//! - Every passkey is discoverable; one for an account already held (same RP, same user
//!   handle) replaces it, as CTAP2 makeCredential step 10 says.
//!
//! Private keys sit in the vault as COSE_Key CBOR in zeroizing buffers. While signing,
//! passkey-rs holds them as `coset::CoseKey`, which does not wipe itself.

mod confirm;
mod store;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_executor::block_on;
use latchkey_core::passkeys::StoredPasskey;
use passkey_crypto::iana::EnumI64;
use passkey_crypto::{AvailableBackend, AvailableSecretKey, SecretKeyT, iana};
use passkey_types::ctap2::make_credential::PublicKeyCredentialRpEntity;
use passkey_types::ctap2::{Aaguid, Ctap2Error, Flags, StatusCode, get_assertion, make_credential};
use passkey_types::webauthn::{
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters, PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
};

pub use confirm::{Confirm, Prompt};

use crate::authenticator::{
    Assertion, Attestation, AttestationStatement, Authenticator, AuthenticatorError,
    GetAssertionRequest, MakeCredentialRequest,
};
use confirm::Validator;
use store::VaultStore;

type Engine = passkey_authenticator::Authenticator<VaultStore, Validator, AvailableBackend>;

/// The platform authenticator over a vault's passkeys ([`StoredPasskey`]).
///
/// ```no_run
/// # fn demo(vault: &mut latchkey_core::vault::Vault, now: i64) -> Result<(), Box<dyn std::error::Error>> {
/// use latchkey_passkey::{PlatformAuthenticator, Prompt};
///
/// let confirm = |prompt: &Prompt| {
///     println!("{prompt} [y/N]");
///     false // ask the person here
/// };
/// let clock = || 1_700_000_000; // the system clock, in the app
/// let auth = PlatformAuthenticator::new(vault.passkeys().to_vec(), confirm, clock);
/// // … service.register(&auth, &token, "This computer").await? …
/// *vault.passkeys_mut() = auth.passkeys();
/// vault.save(now)?;
/// # Ok(()) }
/// ```
pub struct PlatformAuthenticator {
    engine: Mutex<Engine>,
}

impl PlatformAuthenticator {
    /// An authenticator holding `passkeys`, asking `confirm` before each ceremony, and
    /// reading Unix seconds from `clock` for `created_at` and `last_used_at`.
    pub fn new(
        passkeys: Vec<StoredPasskey>,
        confirm: impl Confirm + 'static,
        clock: impl Fn() -> i64 + Send + Sync + 'static,
    ) -> Self {
        let store = VaultStore {
            passkeys,
            clock: Arc::new(clock),
        };
        let validator = Validator(Box::new(confirm));
        let mut engine = Engine::new(Aaguid::new_empty(), store, validator, AvailableBackend);
        engine.set_make_credentials_with_signature_counter(true);
        Self {
            engine: Mutex::new(engine),
        }
    }

    /// The passkeys now, new ones and advanced counters included, to store in the vault.
    pub fn passkeys(&self) -> Vec<StoredPasskey> {
        self.engine().store().passkeys.clone()
    }

    fn engine(&self) -> MutexGuard<'_, Engine> {
        // A panic mid-ceremony leaves at worst a counter already advanced: still usable.
        self.engine.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for PlatformAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformAuthenticator")
            .field("passkeys", &self.engine().store().passkeys.len())
            .finish_non_exhaustive()
    }
}

impl Authenticator for PlatformAuthenticator {
    fn make_credential(
        &self,
        r: &MakeCredentialRequest,
    ) -> Result<Attestation, AuthenticatorError> {
        let request = make_credential::Request {
            client_data_hash: r.client_data_hash.to_vec().into(),
            rp: PublicKeyCredentialRpEntity {
                id: r.rp.id.clone(),
                name: Some(r.rp.name.clone()),
            },
            user: PublicKeyCredentialUserEntity {
                id: r.user.id.clone().into(),
                display_name: r.user.display_name.clone(),
                name: r.user.name.clone(),
            },
            pub_key_cred_params: algorithms(&r.algorithms),
            exclude_list: Some(descriptors(&r.exclude_credentials)),
            extensions: None,
            options: make_credential::Options {
                rk: r.resident_key,
                up: true,
                uv: r.user_verification,
            },
            pin_auth: None,
            pin_protocol: None,
        };
        let response = block_on(self.engine().make_credential(request)).map_err(error)?;
        if response.fmt != "none" {
            // Our Attestation cannot carry another format's statement as passkey-rs
            // returns it (a CBOR map); 0.6 only ever says "none".
            return Err(AuthenticatorError::Device(format!(
                "unexpected attestation format {:?}",
                response.fmt
            )));
        }
        let mut auth_data = response.auth_data;
        auth_data.flags.remove(Flags::BE | Flags::BS);
        let credential_id = auth_data
            .attested_credential_data
            .as_ref()
            .map(|acd| acd.credential_id().to_vec())
            .ok_or_else(|| AuthenticatorError::Device("no credential was made".into()))?;
        Ok(Attestation {
            fmt: response.fmt,
            auth_data: auth_data.to_vec(),
            att_stmt: AttestationStatement::default(),
            credential_id,
            transports: vec!["internal".into()],
        })
    }

    fn get_assertion(&self, r: &GetAssertionRequest) -> Result<Assertion, AuthenticatorError> {
        let request = get_assertion::Request {
            rp_id: r.rp_id.clone(),
            client_data_hash: r.client_data_hash.to_vec().into(),
            allow_list: (!r.allow_credentials.is_empty())
                .then(|| descriptors(&r.allow_credentials)),
            extensions: None,
            options: get_assertion::Options {
                up: true,
                uv: r.user_verification,
            },
            pin_auth: None,
            pin_protocol: None,
        };
        let mut engine = self.engine();
        let response = block_on(engine.get_assertion(request)).map_err(error)?;
        let credential_id = response
            .credential
            .map(|c| c.id.to_vec())
            .ok_or(AuthenticatorError::NoCredentials)?;

        // passkey-rs signed authData with BE|BS set; clear them and sign again
        // (WebAuthn §6.3.3 step 11: the signature covers authData ‖ clientDataHash).
        let mut auth_data = response.auth_data;
        auth_data.flags.remove(Flags::BE | Flags::BS);
        let auth_data = auth_data.to_vec();
        let stored = engine
            .store()
            .get(&credential_id)
            .ok_or(AuthenticatorError::NoCredentials)?;
        let cose = store::private_key(stored).map_err(error)?;
        let mut key = AvailableSecretKey::from_cose_key(&cose)
            .map_err(|e| error(StatusCode::from(Ctap2Error::from(e))))?;
        let mut signed = Vec::with_capacity(auth_data.len() + 32);
        signed.extend_from_slice(&auth_data);
        signed.extend_from_slice(&r.client_data_hash);
        let signature = key.sign(&signed);
        engine.store_mut().touch(&credential_id);

        Ok(Assertion {
            credential_id,
            auth_data,
            signature,
            user_handle: response.user.map(|u| u.id.to_vec()),
        })
    }
}

/// The RP's algorithms that COSE names, in the RP's order; passkey-rs picks the first
/// its crypto backend supports.
/// The RP's algorithms that this authenticator makes keys for, in the RP's order:
/// ES256 (-7) and EdDSA (-8). The crypto backend could also make ML-DSA keys, kilobytes
/// each in the vault and not yet what RPs expect; an RP that accepts neither gets
/// CTAP2_ERR_UNSUPPORTED_ALGORITHM.
fn algorithms(algs: &[i64]) -> Vec<PublicKeyCredentialParameters> {
    const MADE_HERE: [i64; 2] = [-7, -8];
    algs.iter()
        .filter(|alg| MADE_HERE.contains(alg))
        .filter_map(|&alg| iana::Algorithm::from_i64(alg))
        .map(|alg| PublicKeyCredentialParameters {
            ty: PublicKeyCredentialType::PublicKey,
            alg,
        })
        .collect()
}

fn descriptors(ids: &[Vec<u8>]) -> Vec<PublicKeyCredentialDescriptor> {
    ids.iter()
        .map(|id| PublicKeyCredentialDescriptor {
            ty: PublicKeyCredentialType::PublicKey,
            id: id.clone().into(),
            transports: None,
        })
        .collect()
}

fn error(code: StatusCode) -> AuthenticatorError {
    match code {
        StatusCode::Known(Ctap2Error::OperationDenied) => AuthenticatorError::Cancelled,
        StatusCode::Known(Ctap2Error::CredentialExcluded) => AuthenticatorError::CredentialExcluded,
        StatusCode::Known(Ctap2Error::NoCredentials) => AuthenticatorError::NoCredentials,
        StatusCode::Known(Ctap2Error::UnsupportedAlgorithm) => AuthenticatorError::Device(
            "none of the signature algorithms the service accepts is supported".into(),
        ),
        StatusCode::Known(Ctap2Error::InvalidCredential) => {
            AuthenticatorError::Device("a passkey in the vault is damaged".into())
        }
        other => AuthenticatorError::Device(format!("CTAP2 error 0x{:02x}", u8::from(other))),
    }
}
