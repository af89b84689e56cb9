//! passkey-rs's credential store over the vault's [`StoredPasskey`] records.
//!
//! passkey-rs works on its own `Passkey` (a `coset::CoseKey` private key, not
//! serialisable); the vault keeps the key as COSE_Key CBOR bytes in a zeroizing buffer.
//! Keys are decoded only for the credentials a ceremony asks for.

use std::sync::Arc;

use latchkey_core::passkeys::StoredPasskey;
use passkey_authenticator::{CredentialStore, DiscoverabilitySupport, StoreInfo};
use passkey_crypto::CoseKey;
use passkey_crypto::coset::CborSerializable;
use passkey_types::ctap2::make_credential::{
    Options, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
};
use passkey_types::ctap2::{Ctap2Error, StatusCode};
use passkey_types::webauthn::PublicKeyCredentialDescriptor;
use passkey_types::{CredentialExtensions, Passkey};
use zeroize::Zeroizing;

/// Unix seconds, from the caller.
pub(super) type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub(super) struct VaultStore {
    pub(super) passkeys: Vec<StoredPasskey>,
    pub(super) clock: Clock,
}

impl VaultStore {
    pub(super) fn get(&self, credential_id: &[u8]) -> Option<&StoredPasskey> {
        self.passkeys
            .iter()
            .find(|p| p.credential_id == credential_id)
    }

    fn get_mut(&mut self, credential_id: &[u8]) -> Option<&mut StoredPasskey> {
        self.passkeys
            .iter_mut()
            .find(|p| p.credential_id == credential_id)
    }

    /// Records a signature made now with `credential_id`.
    pub(super) fn touch(&mut self, credential_id: &[u8]) {
        let now = (self.clock)();
        if let Some(p) = self.get_mut(credential_id) {
            p.last_used_at = Some(now);
        }
    }
}

/// The private key of `stored`, decoded.
pub(super) fn private_key(stored: &StoredPasskey) -> Result<CoseKey, StatusCode> {
    // A key that does not decode is a damaged vault record, not a protocol error; CTAP2
    // has no better code for it.
    CoseKey::from_slice(&stored.private_key).map_err(|_| Ctap2Error::InvalidCredential.into())
}

fn to_passkey(stored: &StoredPasskey) -> Result<Passkey, StatusCode> {
    Ok(Passkey {
        key: private_key(stored)?,
        credential_id: stored.credential_id.clone().into(),
        rp_id: stored.rp_id.clone(),
        user_handle: Some(stored.user_handle.clone().into()),
        username: Some(stored.user_name.clone()),
        user_display_name: Some(stored.user_display_name.clone()),
        counter: Some(stored.counter),
        extensions: CredentialExtensions::default(),
    })
}

fn to_stored(
    passkey: Passkey,
    user: &PublicKeyCredentialUserEntity,
    now: i64,
) -> Result<StoredPasskey, StatusCode> {
    // coset encodes into a fresh Vec, which goes straight into the zeroizing buffer.
    let private_key = Zeroizing::new(
        passkey
            .key
            .to_vec()
            .map_err(|_| StatusCode::from(Ctap2Error::Other))?,
    );
    Ok(StoredPasskey {
        credential_id: passkey.credential_id.to_vec(),
        rp_id: passkey.rp_id,
        user_handle: user.id.to_vec(),
        user_name: user.name.clone().unwrap_or_default(),
        user_display_name: user.display_name.clone().unwrap_or_default(),
        private_key,
        counter: passkey.counter.unwrap_or(0),
        created_at: now,
        last_used_at: None,
    })
}

#[async_trait::async_trait]
impl CredentialStore for VaultStore {
    type PasskeyItem = Passkey;

    /// The RP's credentials among `ids` (all of them if `None`), newest first: CTAP2
    /// getAssertion step 9 takes the most recent. The user handle is not a filter: an
    /// excluded or allowed credential is found by its id and RP alone.
    async fn find_credentials(
        &self,
        ids: Option<&[PublicKeyCredentialDescriptor]>,
        rp_id: &str,
        _user_handle: Option<&[u8]>,
    ) -> Result<Vec<Passkey>, StatusCode> {
        let mut found: Vec<&StoredPasskey> = self
            .passkeys
            .iter()
            .filter(|p| p.rp_id == rp_id)
            .filter(|p| ids.is_none_or(|ids| ids.iter().any(|d| *d.id == *p.credential_id)))
            .collect();
        if found.is_empty() {
            return Err(Ctap2Error::NoCredentials.into());
        }
        found.sort_by_key(|p| std::cmp::Reverse(p.created_at));
        found.into_iter().map(to_passkey).collect()
    }

    /// CTAP2 makeCredential step 10: a new credential for an account this vault already
    /// holds a passkey for (same RP and user handle) replaces it.
    async fn save_credential(
        &mut self,
        cred: Passkey,
        user: PublicKeyCredentialUserEntity,
        _rp: PublicKeyCredentialRpEntity,
        _options: Options,
    ) -> Result<(), StatusCode> {
        let stored = to_stored(cred, &user, (self.clock)())?;
        self.passkeys
            .retain(|p| !(p.rp_id == stored.rp_id && p.user_handle == stored.user_handle));
        self.passkeys.push(stored);
        Ok(())
    }

    /// passkey-rs calls this with the advanced signature counter before it signs.
    async fn update_credential(&mut self, cred: &Passkey) -> Result<(), StatusCode> {
        let stored = self
            .get_mut(&cred.credential_id)
            .ok_or(StatusCode::from(Ctap2Error::NoCredentials))?;
        stored.counter = cred.counter.unwrap_or(stored.counter);
        Ok(())
    }

    async fn get_info(&self) -> StoreInfo {
        // Every passkey keeps its user handle and names, so the vault can list them and
        // a sign-in without an allow list finds them.
        StoreInfo {
            discoverability: DiscoverabilitySupport::ForcedDiscoverable,
        }
    }
}
