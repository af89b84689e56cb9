//! Ente Auth's exports: Aegis's real plain export, an encrypted export libsodium made
//! (tests/fixtures/import/make_ente_encrypted.py) and the Ente CLI's Argon2 and
//! secretstream vector (formats.md §5.1).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_core::Account;
use latchkey_core::import::{self, ImportError};
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Aegis's VaultEntries.java vectors (formats.md §4.1): issuer, name, kind, algorithm,
/// digits, base32 secret.
const VECTORS: [(&str, &str, Kind, Algorithm, u8, &str); 7] = [
    (
        "Deno",
        "Mason",
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        "4SJHB4GSD43FZBAI7C2HLRJGPQ",
    ),
    (
        "SPDX",
        "James",
        Kind::Totp { period: 20 },
        Algorithm::Sha256,
        7,
        "5OM4WOOGPLQEF6UGN3CPEOOLWU",
    ),
    (
        "Airbnb",
        "Elijah",
        Kind::Totp { period: 50 },
        Algorithm::Sha512,
        8,
        "7ELGJSGXNCCTV3O6LKJWYFV2RA",
    ),
    (
        "Issuu",
        "James",
        Kind::Hotp { counter: 1 },
        Algorithm::Sha1,
        6,
        "YOOMIXWS5GN6RTBPUFFWKTW5M4",
    ),
    (
        "Air Canada",
        "Benjamin",
        Kind::Hotp { counter: 50 },
        Algorithm::Sha256,
        7,
        "KUVJJOM753IHTNDSZVCNKL7GII",
    ),
    (
        "WWE",
        "Mason",
        Kind::Hotp { counter: 10300 },
        Algorithm::Sha512,
        8,
        "5VAML3X35THCEBVRLV24CGBKOY",
    ),
    (
        "Boeing",
        "Sophia",
        Kind::Steam,
        Algorithm::Sha1,
        5,
        "JRZCL47CMXVOQMNPZR2F7J4RGI",
    ),
];

/// Each account is exactly one vector (found by issuer and name), and there are `count`.
pub(crate) fn assert_vectors(accounts: &[Account], count: usize) {
    assert_eq!(accounts.len(), count);
    for a in accounts {
        let (issuer, name, kind, algorithm, digits, secret) = VECTORS
            .iter()
            .find(|v| (v.0, v.1) == (a.issuer.as_str(), a.label.as_str()))
            .unwrap_or_else(|| panic!("no vector for {}", a.display_name()));
        let expected = OtpParams::new(
            *kind,
            *algorithm,
            *digits,
            Secret::from_base32(secret).unwrap(),
        )
        .unwrap();
        assert_eq!(a.otp, expected, "{issuer} / {name}");
    }
}

#[test]
fn plain_export_gives_exactly_the_vectors() {
    let file = fixture("ente_auth.txt");
    let format = import::detect(&file).unwrap();
    assert_eq!(
        format.id(),
        "ente",
        "Ente wins over the plain list of links"
    );
    assert!(!format.encrypted(&file));
    let restored = format.restore(&file, None).unwrap();
    assert!(restored.skipped.is_empty());
    assert_vectors(&restored.accounts, 7);
    assert!(restored.accounts.iter().all(|a| a.tags.is_empty()));
    let order: Vec<_> = restored
        .accounts
        .iter()
        .map(|a| a.issuer.as_str())
        .collect();
    assert_eq!(
        order,
        [
            "Air Canada",
            "Airbnb",
            "Boeing",
            "Deno",
            "Issuu",
            "SPDX",
            "WWE"
        ]
    );
}

#[test]
fn encrypted_export_made_by_libsodium_gives_the_vectors() {
    let file = fixture("ente_auth_encrypted.json");
    let format = import::detect(&file).unwrap();
    assert_eq!(format.id(), "ente");
    assert!(format.encrypted(&file));
    assert_eq!(
        format.restore(&file, None).unwrap_err(),
        ImportError::NeedsPassword
    );
    let restored = format.restore(&file, Some("test")).unwrap();
    assert!(restored.skipped.is_empty());
    assert_vectors(&restored.accounts, 7);
    assert_eq!(
        format.restore(&file, Some("tset")).unwrap_err(),
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
    let skipped: Vec<_> = restored
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.as_str()))
        .collect();
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
