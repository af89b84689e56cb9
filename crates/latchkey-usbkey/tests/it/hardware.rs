//! A real key: runs only with `LATCHKEY_TEST_USB_KEY=1` and exactly one key plugged in.
//! Touch the key whenever it blinks. `LATCHKEY_KEY_PIN` gives the PIN for a key that
//! has one; PIN-less keys run the PIN-less flows only.
//!
//! `LATCHKEY_TEST_USB_KEY=1 cargo test -p latchkey-usbkey --test it hardware -- --test-threads=1 --nocapture`

use std::sync::Arc;

use account_service::LocalServer;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_passkey::{BearerToken, MakeCredentialRequest, RelyingParty, Service, User};
use latchkey_usbkey::{CredProtect, Extensions, HmacSecret, KeyEvent, Prompt, UsbKey};
use serde_json::json;
use zeroize::Zeroizing;

struct EnvPrompt;

impl Prompt for EnvPrompt {
    fn pin(&self, _retries: Option<u32>) -> Option<Zeroizing<String>> {
        std::env::var("LATCHKEY_KEY_PIN").ok().map(Zeroizing::new)
    }
    fn event(&self, event: KeyEvent) {
        if event == KeyEvent::TouchKey {
            eprintln!("Touch your security key…");
        }
    }
}

fn key() -> Option<UsbKey> {
    if std::env::var("LATCHKEY_TEST_USB_KEY").as_deref() != Ok("1") {
        eprintln!("skipped: set LATCHKEY_TEST_USB_KEY=1 with one key plugged in");
        return None;
    }
    Some(UsbKey::open(None, Arc::new(EnvPrompt)).unwrap())
}

#[test]
fn reads_info_and_winks() {
    let Some(key) = key() else { return };
    let info = key.info().unwrap();
    assert_eq!(info.aaguid.len(), 32);
    assert!(info.versions.iter().any(|v| v.starts_with("FIDO_2")));
    assert_eq!(info.pin_retries.is_some(), info.pin_set());
    key.wink().unwrap();
}

#[test]
fn hmac_secret_is_stable_per_salt() {
    let Some(key) = key() else { return };
    let id = key.create_hmac_secret_credential("latchkey.test").unwrap();
    let a = key
        .hmac_secret("latchkey.test", &id, &[1; 32], false)
        .unwrap();
    let b = key
        .hmac_secret("latchkey.test", &id, &[1; 32], false)
        .unwrap();
    let c = key
        .hmac_secret("latchkey.test", &id, &[2; 32], false)
        .unwrap();
    assert_eq!(*a, *b);
    assert_ne!(*a, *c);
    if key.info().unwrap().pin_set() && std::env::var("LATCHKEY_KEY_PIN").is_ok() {
        // With the PIN the key answers from its other secret (CredRandomWithUV).
        let verified = key
            .hmac_secret("latchkey.test", &id, &[1; 32], true)
            .unwrap();
        let again = key
            .hmac_secret("latchkey.test", &id, &[1; 32], true)
            .unwrap();
        assert_eq!(*verified, *again);
        assert_ne!(*verified, *a);
    }
}

#[test]
fn lists_credentials_with_the_pin() {
    let Some(key) = key_with_pin() else { return };
    let creds = key.credentials().unwrap();
    assert!(creds.iter().all(|c| !c.rp_id.is_empty()));
}

/// The key must have a PIN, and `LATCHKEY_KEY_PIN` must give it.
fn key_with_pin() -> Option<UsbKey> {
    let key = key()?;
    if !key.info().unwrap().pin_set() || std::env::var("LATCHKEY_KEY_PIN").is_err() {
        eprintln!("skipped: the key has no PIN, or LATCHKEY_KEY_PIN is not set");
        return None;
    }
    Some(key)
}

/// Makes a discoverable credential (the person touches the key) and returns its id as
/// `credentials()` lists it.
fn make_discoverable(key: &UsbKey, rp_id: &str, user: &[u8]) -> String {
    let request = MakeCredentialRequest {
        client_data_hash: [3; 32],
        rp: RelyingParty {
            id: rp_id.into(),
            name: "Latchkey credman test".into(),
        },
        user: User {
            id: user.to_vec(),
            name: format!("{}@{rp_id}", String::from_utf8_lossy(user)),
            display_name: "Credman Test".into(),
        },
        algorithms: vec![-7],
        exclude_credentials: Vec::new(),
        user_verification: true,
        resident_key: true,
    };
    let extensions = Extensions {
        cred_protect: Some(CredProtect::UserVerificationRequired),
        hmac_secret: false,
    };
    let made = key.make_credential_with(&request, extensions).unwrap();
    URL_SAFE_NO_PAD.encode(made.credential_id)
}

/// Two credentials for one RP and one for another, so the enumeration needs both
/// enumerateRPsGetNextRP and enumerateCredentialsGetNextCredential (sent without a
/// pinUvAuthParam, as strict keys demand); then deleting them all. Three touches.
#[test]
fn lists_and_deletes_discoverable_credentials() {
    let Some(key) = key_with_pin() else { return };
    let before = key.credentials_metadata().unwrap();
    let made = [
        (
            "a.credman.latchkey.test",
            make_discoverable(&key, "a.credman.latchkey.test", b"one"),
        ),
        (
            "a.credman.latchkey.test",
            make_discoverable(&key, "a.credman.latchkey.test", b"two"),
        ),
        (
            "b.credman.latchkey.test",
            make_discoverable(&key, "b.credman.latchkey.test", b"one"),
        ),
    ];
    assert_eq!(
        key.credentials_metadata().unwrap().existing,
        before.existing + 3
    );
    let listed = key.credentials().unwrap();
    for (rp_id, id) in &made {
        let found = listed
            .iter()
            .find(|c| &c.credential_id == id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert_eq!(&found.rp_id, rp_id);
        assert_eq!(found.display_name, "Credman Test");
        assert!(found.user_name.ends_with(*rp_id));
        assert_eq!(found.cred_protect, 3);
        assert_eq!(found.public_key_alg, Some(-7));
    }
    assert_eq!(listed.len() as u32, before.existing + 3);
    for (_, id) in &made {
        key.delete_credential(id).unwrap();
    }
    let after = key.credentials().unwrap();
    assert!(
        made.iter()
            .all(|(_, id)| after.iter().all(|c| &c.credential_id != id))
    );
    assert_eq!(
        key.credentials_metadata().unwrap().existing,
        before.existing
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_and_signs_in_to_the_account_service() {
    let Some(key) = key() else { return };
    let server = LocalServer::start().unwrap();
    let body = json!({ "email": "key@example.com", "password": "correct horse battery staple" });
    server.post("/api/v1/users", None, &body).unwrap();
    let (_, signed_in) = server.post("/api/v1/sessions", None, &body).unwrap();
    let token = BearerToken::new(signed_in["token"].as_str().unwrap());

    let service = Service::discover(server.base()).await.unwrap();
    // webauthn-rs in the service verifies the attestation the key signed over our hash.
    let added = service.register(&key, &token, "USB key").await.unwrap();
    let (_, again) = server.post("/api/v1/sessions", None, &body).unwrap();
    let mfa = again["mfa_token"].as_str().unwrap();
    service.sign_in_second_factor(&key, mfa).await.unwrap();
    service.remove(&token, &added.id).await.unwrap();
    server.stop().unwrap();
}
