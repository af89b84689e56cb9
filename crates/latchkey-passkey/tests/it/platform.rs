//! The platform authenticator (passkey-rs, keys in the vault) against the real account
//! service: webauthn-rs verifies every registration and sign-in; the vault round trip
//! is a real file in a tempdir.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use latchkey_core::keystore::MemoryKeyStore;
use latchkey_core::passkeys::StoredPasskey;
use latchkey_core::vault::{KdfParams, LockedVault, NewVault, Unlock, Vault};
use latchkey_passkey::{
    Assertion, Attestation, Authenticator, AuthenticatorError, BearerToken, Error,
    GetAssertionRequest, MakeCredentialRequest, PlatformAuthenticator, Prompt, RelyingParty,
    Service, User,
};

use crate::support::Server;

const UP: u8 = 0x01;
const UV: u8 = 0x04;
const BE: u8 = 0x08;
const BS: u8 = 0x10;
const AT: u8 = 0x40;

/// A person at the confirmation dialog: answers `yes` (switchable), remembers each prompt.
#[derive(Clone)]
struct Person {
    yes: Arc<AtomicBool>,
    prompts: Arc<Mutex<Vec<Prompt>>>,
}

impl Person {
    fn new(yes: bool) -> Self {
        Self {
            yes: Arc::new(AtomicBool::new(yes)),
            prompts: Arc::default(),
        }
    }

    fn answer(&self, yes: bool) {
        self.yes.store(yes, Ordering::SeqCst);
    }

    fn prompts(&self) -> Vec<Prompt> {
        self.prompts.lock().unwrap().clone()
    }

    fn authenticator(&self, passkeys: Vec<StoredPasskey>, now: i64) -> PlatformAuthenticator {
        let me = self.clone();
        let confirm = move |p: &Prompt| {
            me.prompts.lock().unwrap().push(p.clone());
            me.yes.load(Ordering::SeqCst)
        };
        PlatformAuthenticator::new(passkeys, confirm, move || now)
    }
}

/// Passes calls through and keeps what went in and came out.
#[derive(Default)]
struct Recorder<'a> {
    inner: Option<&'a dyn Authenticator>,
    made: Mutex<Vec<(MakeCredentialRequest, Attestation)>>,
    got: Mutex<Vec<(GetAssertionRequest, Assertion)>>,
}

impl<'a> Recorder<'a> {
    fn new(inner: &'a dyn Authenticator) -> Self {
        Self {
            inner: Some(inner),
            ..Self::default()
        }
    }
}

impl Authenticator for Recorder<'_> {
    fn make_credential(
        &self,
        r: &MakeCredentialRequest,
    ) -> Result<Attestation, AuthenticatorError> {
        let out = self.inner.unwrap().make_credential(r)?;
        self.made.lock().unwrap().push((r.clone(), out.clone()));
        Ok(out)
    }

    fn get_assertion(&self, r: &GetAssertionRequest) -> Result<Assertion, AuthenticatorError> {
        let out = self.inner.unwrap().get_assertion(r)?;
        self.got.lock().unwrap().push((r.clone(), out.clone()));
        Ok(out)
    }
}

fn flags(auth_data: &[u8]) -> u8 {
    auth_data[32]
}

fn counter(auth_data: &[u8]) -> u32 {
    u32::from_be_bytes(auth_data[33..37].try_into().unwrap())
}

async fn user(s: &Server, email: &str) -> BearerToken {
    s.sign_up(email).await;
    BearerToken::new(s.sign_in(email).await["token"].as_str().unwrap())
}

async fn mfa_token(s: &Server, email: &str) -> String {
    let reply = s.sign_in(email).await;
    assert_eq!(reply["mfa_required"], true, "{reply}");
    reply["mfa_token"].as_str().unwrap().to_owned()
}

fn new_vault(path: &Path, store: &MemoryKeyStore) -> Vault {
    let new = NewVault {
        keychain: Some(store),
        password: None,
        kdf: KdfParams::DEFAULT,
    };
    Vault::create(path, new, 0).unwrap()
}

fn reopen(path: &Path, store: &MemoryKeyStore) -> Vault {
    LockedVault::read_for_update(path)
        .unwrap()
        .unlock(Unlock::Keychain(store))
        .unwrap()
}

/// The COSE_Key's private scalar `d` (label -4).
fn private_scalar(cose: &[u8]) -> Vec<u8> {
    let key: ciborium::Value = ciborium::from_reader(cose).unwrap();
    let map = key.as_map().unwrap();
    let d = map
        .iter()
        .find(|(k, _)| k.as_integer() == Some((-4).into()))
        .unwrap();
    d.1.as_bytes().unwrap().clone()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_and_signs_in_again_from_a_reopened_vault() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.latchkey");
    let keychain = MemoryKeyStore::new();
    let mut vault = new_vault(&path, &keychain);
    let person = Person::new(true);

    // Register: webauthn-rs in the service verifies the "none" attestation.
    let auth = person.authenticator(vault.passkeys().to_vec(), 1_000);
    let rec = Recorder::new(&auth);
    service
        .register(&rec, &token, "This computer")
        .await
        .unwrap();
    let (request, made) = rec.made.lock().unwrap()[0].clone();
    assert!(request.user_verification, "the service requires UV");
    assert_eq!(made.fmt, "none");
    assert_eq!(made.transports, ["internal"]);
    assert_eq!(flags(&made.auth_data), UP | UV | AT, "BE and BS stay clear");
    assert_eq!(counter(&made.auth_data), 0);
    assert_eq!(
        person.prompts(),
        [Prompt::Register {
            rp_id: "localhost".into(),
            rp_name: request.rp.name.clone(),
            user_name: "alice@example.com".into(),
            user_display_name: request.user.display_name.clone(),
        }]
    );
    let made_keys = auth.passkeys();
    assert_eq!(made_keys.len(), 1);
    let key = &made_keys[0];
    assert_eq!(key.credential_id, made.credential_id);
    assert_eq!(key.user_handle, request.user.id);
    assert_eq!(
        (key.counter, key.created_at, key.last_used_at),
        (0, 1_000, None)
    );

    // Into the vault file and out again.
    *vault.passkeys_mut() = made_keys.clone();
    vault.save(1_000).unwrap();
    drop(vault);
    let file = std::fs::read(&path).unwrap();
    let d = private_scalar(&key.private_key);
    assert_eq!(d.len(), 32);
    for secret in [&key.private_key[..], &d[..]] {
        assert!(!contains(&file, secret), "raw key bytes in the vault file");
        for encoded in [
            hex(secret),
            STANDARD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
        ] {
            assert!(
                !contains(&file, encoded.as_bytes()),
                "encoded key in the vault file"
            );
        }
    }
    let mut vault = reopen(&path, &keychain);
    assert_eq!(vault.passkeys().len(), 1);
    assert_eq!(vault.passkeys()[0].private_key, key.private_key);

    // Sign in as the second factor with a fresh authenticator from the reopened vault.
    let auth = person.authenticator(vault.passkeys().to_vec(), 2_000);
    let rec = Recorder::new(&auth);
    let mfa = mfa_token(&s, "alice@example.com").await;
    let session = service.sign_in_second_factor(&rec, &mfa).await.unwrap();
    let (request, got) = rec.got.lock().unwrap()[0].clone();
    assert!(request.user_verification, "the service requires UV");
    assert_eq!(got.credential_id, key.credential_id);
    assert_eq!(flags(&got.auth_data), UP | UV);
    assert_eq!(got.auth_data[32] & (BE | BS), 0);
    assert_eq!(counter(&got.auth_data), 1);
    assert_eq!(got.user_handle.as_deref(), Some(&key.user_handle[..]));
    assert!(matches!(
        &person.prompts()[1],
        Prompt::SignIn { rp_id, user_name, .. } if rp_id == "localhost" && user_name == "alice@example.com"
    ));
    let used = auth.passkeys();
    assert_eq!((used[0].counter, used[0].last_used_at), (1, Some(2_000)));
    assert_eq!(used[0].created_at, 1_000);
    assert_eq!(service.list(&session).await.unwrap().len(), 1);

    // The advanced counter is saved, so the next sign-in counts on from it.
    *vault.passkeys_mut() = used;
    vault.save(2_000).unwrap();
    drop(vault);
    let vault = reopen(&path, &keychain);
    assert_eq!(vault.passkeys()[0].counter, 1);
    let auth = person.authenticator(vault.passkeys().to_vec(), 3_000);
    let mfa = mfa_token(&s, "alice@example.com").await;
    service.sign_in_second_factor(&auth, &mfa).await.unwrap();
    assert_eq!(auth.passkeys()[0].counter, 2);
    assert_eq!(auth.passkeys()[0].last_used_at, Some(3_000));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_cancels_and_changes_nothing() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    let person = Person::new(false);
    let auth = person.authenticator(Vec::new(), 1_000);

    let err = service.register(&auth, &token, "Laptop").await.unwrap_err();
    assert!(
        matches!(err, Error::Authenticator(AuthenticatorError::Cancelled)),
        "{err:?}"
    );
    assert_eq!(person.prompts().len(), 1, "the person was asked");
    assert!(auth.passkeys().is_empty());
    assert!(service.list(&token).await.unwrap().is_empty());

    // Declining a sign-in leaves the counter and last use alone.
    person.answer(true);
    service.register(&auth, &token, "Laptop").await.unwrap();
    person.answer(false);
    let mfa = mfa_token(&s, "alice@example.com").await;
    let err = service
        .sign_in_second_factor(&auth, &mfa)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Authenticator(AuthenticatorError::Cancelled)),
        "{err:?}"
    );
    let keys = auth.passkeys();
    assert_eq!((keys[0].counter, keys[0].last_used_at), (0, None));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_the_same_account_twice_is_excluded() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    let person = Person::new(true);
    let auth = person.authenticator(Vec::new(), 1_000);
    service.register(&auth, &token, "Laptop").await.unwrap();
    let before = auth.passkeys();

    let err = service.register(&auth, &token, "Again").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Authenticator(AuthenticatorError::CredentialExcluded)
        ),
        "{err:?}"
    );
    // Nothing was made or replaced, and nobody was asked to approve it.
    let after = auth.passkeys();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].credential_id, before[0].credential_id);
    assert_eq!(person.prompts().len(), 1);
    assert_eq!(service.list(&token).await.unwrap().len(), 1);

    // Another account on the same service is not excluded.
    let bob = user(&s, "bob@example.com").await;
    service.register(&auth, &bob, "Laptop").await.unwrap();
    assert_eq!(auth.passkeys().len(), 2);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_for_another_relying_party_is_not_offered() {
    let s = Server::start().await;
    let service = Service::discover(&s.base).await.unwrap();
    let token = user(&s, "alice@example.com").await;
    let person = Person::new(true);
    let here = person.authenticator(Vec::new(), 1_000);
    service.register(&here, &token, "Laptop").await.unwrap();
    let id = here.passkeys()[0].credential_id.clone();

    // A vault whose only passkey is for example.com.
    let elsewhere = person.authenticator(Vec::new(), 1_000);
    let request = MakeCredentialRequest {
        client_data_hash: [7; 32],
        rp: RelyingParty {
            id: "example.com".into(),
            name: "Example".into(),
        },
        user: User {
            id: vec![1; 16],
            name: "alice@example.com".into(),
            display_name: "Alice".into(),
        },
        algorithms: vec![-7],
        exclude_credentials: Vec::new(),
        user_verification: true,
        resident_key: true,
    };
    elsewhere.make_credential(&request).unwrap();
    let asked = person.prompts().len();
    let mfa = mfa_token(&s, "alice@example.com").await;
    let err = service
        .sign_in_second_factor(&elsewhere, &mfa)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Authenticator(AuthenticatorError::NoCredentials)),
        "{err:?}"
    );
    assert_eq!(person.prompts().len(), asked, "nothing to confirm");

    // The right credential id under the wrong RP id is not found either.
    let err = here
        .get_assertion(&GetAssertionRequest {
            rp_id: "example.com".into(),
            client_data_hash: [9; 32],
            allow_credentials: vec![id],
            user_verification: false,
        })
        .unwrap_err();
    assert!(matches!(err, AuthenticatorError::NoCredentials), "{err:?}");
    // While the real one still signs in.
    service.sign_in_second_factor(&here, &mfa).await.unwrap();
    s.stop().await;
}

#[test]
fn works_without_any_async_runtime_and_finds_discoverable_passkeys() {
    let person = Person::new(true);
    let auth = person.authenticator(Vec::new(), 5);
    let request = MakeCredentialRequest {
        client_data_hash: [1; 32],
        rp: RelyingParty {
            id: "example.org".into(),
            name: "Example".into(),
        },
        user: User {
            id: vec![2; 16],
            name: "carol".into(),
            display_name: "Carol".into(),
        },
        algorithms: vec![-7],
        exclude_credentials: Vec::new(),
        user_verification: false,
        resident_key: false,
    };
    let made = auth.make_credential(&request).unwrap();
    // No allow list: the discoverable credential is found by RP id alone.
    let got = auth
        .get_assertion(&GetAssertionRequest {
            rp_id: "example.org".into(),
            client_data_hash: [3; 32],
            allow_credentials: Vec::new(),
            user_verification: false,
        })
        .unwrap();
    assert_eq!(got.credential_id, made.credential_id);
    assert_eq!(got.user_handle, Some(vec![2; 16]));
    // Confirmed in an unlocked vault is verified, asked for or not.
    assert_eq!(flags(&got.auth_data), UP | UV);
    assert_eq!(person.prompts().len(), 2);
}

/// The authenticator makes ES256 and EdDSA keys only, in the RP's order of preference,
/// and says so plainly when an RP accepts neither.
#[test]
fn makes_only_es256_or_eddsa_keys_in_the_rps_order() {
    let person = Person::new(true);
    let request = |algorithms: Vec<i64>| MakeCredentialRequest {
        client_data_hash: [3; 32],
        rp: RelyingParty {
            id: "example.net".into(),
            name: "Example".into(),
        },
        user: User {
            id: vec![2; 16],
            name: "bob@example.net".into(),
            display_name: "Bob".into(),
        },
        algorithms,
        exclude_credentials: Vec::new(),
        user_verification: false,
        resident_key: true,
    };
    // The COSE key's kty sits right after the credential id in authData: 0xa? map
    // header, then 0x01 (kty) and 0x01 (OKP) or 0x02 (EC2).
    let kty = |a: &Attestation| {
        let at = 37 + 16;
        let len = usize::from(u16::from_be_bytes([a.auth_data[at], a.auth_data[at + 1]]));
        let key = &a.auth_data[at + 2 + len..];
        assert_eq!(key[1], 0x01, "kty label first in canonical CBOR");
        key[2]
    };
    let auth = person.authenticator(Vec::new(), 1_000);
    let eddsa = auth.make_credential(&request(vec![-257, -8, -7])).unwrap();
    assert_eq!(kty(&eddsa), 0x01, "EdDSA (OKP) key expected");
    let auth = person.authenticator(Vec::new(), 1_000);
    let es256 = auth.make_credential(&request(vec![-7, -8])).unwrap();
    assert_eq!(kty(&es256), 0x02, "ES256 (EC2) key expected");
    let auth = person.authenticator(Vec::new(), 1_000);
    let err = auth.make_credential(&request(vec![-257, -48])).unwrap_err();
    assert!(
        err.to_string().contains("none of the signature algorithms"),
        "{err}"
    );
    assert!(auth.passkeys().is_empty());
}
