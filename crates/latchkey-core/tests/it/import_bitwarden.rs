//! Bitwarden's unencrypted exports (JSON and CSV) from Aegis's importer tests.

use latchkey_core::import::{self, ImportError};

use crate::import_vectors::{AIRBNB, BOEING, DENO, SPDX, assert_fixture_gives, fixture};

#[test]
fn both_bitwarden_fixtures_give_exactly_their_vectors() {
    // The Steam item's key is a bare steam://SECRET: the item's name is its issuer.
    for (name, steam_item) in [
        ("bitwarden.json", "Test Steam"),
        ("bitwarden.csv", "Test 4"),
    ] {
        let want = [DENO, SPDX, AIRBNB, BOEING.named(steam_item, "")];
        assert_fixture_gives(name, "bitwarden", false, &want);
    }
}

#[test]
fn an_encrypted_bitwarden_export_is_refused_with_a_hint() {
    let text = String::from_utf8(fixture("bitwarden.json")).unwrap();
    let encrypted = text.replace("\"encrypted\": false", "\"encrypted\": true");
    assert_ne!(encrypted, text);
    let format = import::detect(encrypted.as_bytes()).unwrap();
    assert_eq!(format.id(), "bitwarden");
    let err = format.restore(encrypted.as_bytes(), None).unwrap_err();
    assert_eq!(
        err,
        ImportError::Unsupported("an encrypted Bitwarden export; export it unencrypted".into())
    );
    assert_eq!(
        err.to_string(),
        "this export uses an encrypted Bitwarden export; export it unencrypted, which Latchkey cannot read yet"
    );
}

#[test]
fn a_truncated_bitwarden_json_export_is_an_error_never_a_panic() {
    let format = import::by_id("bitwarden").unwrap();
    let bytes = fixture("bitwarden.json");
    for len in (0..bytes.len() - 2).step_by(7) {
        let result = format.restore(&bytes[..len], None);
        assert!(
            matches!(
                result,
                Err(ImportError::Damaged(_) | ImportError::WrongFormat(_))
            ),
            "cut at {len}: {result:?}"
        );
    }
}

#[test]
fn a_truncated_bitwarden_csv_export_never_panics() {
    let format = import::by_id("bitwarden").unwrap();
    let bytes = fixture("bitwarden.csv");
    for len in 0..bytes.len() {
        if let Ok(r) = format.restore(&bytes[..len], None) {
            assert!(r.accounts.len() <= 4);
        }
    }
}
