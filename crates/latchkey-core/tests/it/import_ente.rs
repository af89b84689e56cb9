//! Ente Auth's exports: Aegis's real plain export, an encrypted export libsodium made
//! (tests/fixtures/import/make_ente_encrypted.py) and the Ente CLI's Argon2 and
//! secretstream vector (formats.md §5.1).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_core::import::{self, ImportError};

use crate::import_vectors::{
    AIR_CANADA, AIRBNB, BOEING, DENO, ISSUU, SPDX, Vector, WWE, assert_fixture_gives, fixture,
    skipped,
};

/// Both Ente fixtures list the accounts sorted by issuer.
const SORTED: [Vector; 7] = [AIR_CANADA, AIRBNB, BOEING, DENO, ISSUU, SPDX, WWE];

#[test]
fn plain_export_gives_exactly_the_vectors() {
    // Detected as "ente": Ente wins over the plain list of links.
    let restored = assert_fixture_gives("ente_auth.txt", "ente", false, &SORTED);
    assert!(restored.accounts.iter().all(|a| a.tags.is_empty()));
}

#[test]
fn encrypted_export_made_by_libsodium_gives_the_vectors() {
    let name = "ente_auth_encrypted.json";
    assert_fixture_gives(name, "ente", true, &SORTED);
    let (file, ente) = (fixture(name), import::by_id("ente").unwrap());
    assert_eq!(
        ente.restore(&file, None).unwrap_err(),
        ImportError::NeedsPassword
    );
    assert_eq!(
        ente.restore(&file, Some("tset")).unwrap_err(),
        ImportError::WrongPassword
    );
}

/// Replaces a field of the encrypted export's JSON.
fn with(file: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(file).unwrap();
    edit(&mut json);
    serde_json::to_vec(&json).unwrap()
}

fn edit_data(file: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    with(file, |j| {
        let mut data = STANDARD
            .decode(j["encryptedData"].as_str().unwrap())
            .unwrap();
        edit(&mut data);
        j["encryptedData"] = STANDARD.encode(data).into();
    })
}

#[test]
fn changed_or_cut_exports_are_refused() {
    let file = fixture("ente_auth_encrypted.json");
    let ente = import::by_id("ente").unwrap();
    // The cipher cannot tell a changed byte from a wrong key: both fail its MAC.
    let tampered = edit_data(&file, |d| d[40] ^= 0x20);
    assert_eq!(
        ente.restore(&tampered, Some("test")).unwrap_err(),
        ImportError::WrongPassword
    );
    let shortened = edit_data(&file, |d| d.truncate(d.len() - 1));
    assert_eq!(
        ente.restore(&shortened, Some("test")).unwrap_err(),
        ImportError::WrongPassword
    );
    let stub = edit_data(&file, |d| d.truncate(16));
    assert!(matches!(
        ente.restore(&stub, Some("test")),
        Err(ImportError::Damaged(_))
    ));
    let no_nonce = with(&file, |j| j["encryptionNonce"] = "AAAA".into());
    assert!(matches!(
        ente.restore(&no_nonce, Some("test")),
        Err(ImportError::Damaged(_))
    ));
    // A file cut anywhere is damaged, never a panic, and costs no key derivation.
    for end in 0..file.len() - 1 {
        match ente.restore(&file[..end], Some("test")) {
            Err(ImportError::Damaged(_) | ImportError::WrongFormat(_)) => {}
            other => panic!("cut at {end}: {other:?}"),
        }
    }
    assert!(matches!(
        ente.restore(&file[..file.len() / 2], Some("test")),
        Err(ImportError::Damaged(_))
    ));
}

#[test]
fn hostile_or_unknown_key_settings_are_refused_before_hashing() {
    let file = fixture("ente_auth_encrypted.json");
    let ente = import::by_id("ente").unwrap();
    let cases: [(&str, u64, ImportError); 4] = [
        ("memLimit", 2 << 30, ImportError::Unsupported(String::new())),
        ("opsLimit", 1000, ImportError::Unsupported(String::new())),
        ("memLimit", 1024, ImportError::Damaged("")),
        ("opsLimit", 0, ImportError::Damaged("")),
    ];
    for (field, value, kind) in cases {
        let hostile = with(&file, |j| j["kdfParams"][field] = value.into());
        let err = ente.restore(&hostile, Some("test")).unwrap_err();
        assert_eq!(
            std::mem::discriminant(&err),
            std::mem::discriminant(&kind),
            "{field}={value}: {err}"
        );
    }
    let newer = with(&file, |j| j["version"] = 2.into());
    assert_eq!(
        ente.restore(&newer, Some("test")).unwrap_err(),
        ImportError::Unsupported("Ente export version 2".into())
    );
}

/// formats.md §5.1: the Ente CLI's vector, as an export. Its plaintext "plain_text" is
/// no link, so it comes back as one skipped line — which only happens if Argon2id gave
/// the CLI's key and the secretstream opened with it.
#[test]
fn ente_cli_vector_opens_as_an_export() {
    let export = br#"{"version":1,"kdfParams":{"memLimit":67108864,"opsLimit":2,"salt":"vd0dcYMGNLKn/gpT6uTFTw=="},"encryptedData":"kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO","encryptionNonce":"v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ"}"#;
    let ente = import::detect(export).unwrap();
    assert_eq!(ente.id(), "ente");
    let restored = ente.restore(export, Some("test_password")).unwrap();
    assert!(restored.accounts.is_empty());
    assert_eq!(restored.skipped.len(), 1);
    assert_eq!(restored.skipped[0].name, "line 1");
}

#[test]
fn tags_are_kept_and_trashed_codes_skipped() {
    let text = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&codeDisplay=%7B%22pinned%22%3Atrue%2C%22trashed%22%3Afalse%2C%22tags%22%3A%5B%22Work%22%2C%22Open%20source%22%5D%2C%22note%22%3A%22n%22%7D\n\
        otpauth://totp/Bank:me?secret=GEZDGNBVGY3TQOJQ&issuer=Bank&codeDisplay=%7B%22trashed%22%3Atrue%2C%22tags%22%3A%5B%5D%7D\n\
        otpauth://totp/Broken?secret=!!!&codeDisplay=%7B%7D\n";
    let ente = import::detect(text.as_bytes()).unwrap();
    assert_eq!(ente.id(), "ente");
    let restored = ente.restore(text.as_bytes(), None).unwrap();
    assert_eq!(restored.accounts.len(), 1);
    assert_eq!(restored.accounts[0].tags, ["Work", "Open source"]);
    let skipped = skipped(&restored);
    assert_eq!(skipped[0], ("Bank (me)", "in Ente's trash"));
    assert_eq!(skipped[1].0, "line 3");
    assert!(!skipped[1].1.contains("!!!"), "no secret in reasons");
}

#[test]
fn detect_tells_ente_from_other_formats() {
    let links = b"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n";
    assert_eq!(import::detect(links).unwrap().id(), "uris");
    let freeotp = fixture("freeotp_plus.json");
    assert_eq!(import::detect(&freeotp).unwrap().id(), "freeotp-plus");
    let ente = import::by_id("ente").unwrap();
    assert!(!ente.detect(&freeotp) && !ente.detect(links));
    assert_eq!(
        ente.restore(&freeotp, Some("x")).unwrap_err(),
        ImportError::WrongFormat("an Ente Auth export")
    );
}
