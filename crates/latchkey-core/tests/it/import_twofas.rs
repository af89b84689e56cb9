//! 2FAS backups (schemas 1 to 4, plain and encrypted) from Aegis's importer tests.

use latchkey_core::import::{self, ImportError};

use crate::import_vectors::{
    AIR_CANADA, AIRBNB, ALL_SEVEN, BOEING, DENO, ISSUU, Vector, WWE, assert_fixture_gives, fixture,
};

fn restore(name: &str, password: Option<&str>) -> Result<import::Restored, ImportError> {
    import::by_id("2fas")
        .unwrap()
        .restore(&fixture(name), password)
}

/// What each fixture holds, as Aegis's DatabaseImporterTest expects it.
fn cases() -> Vec<(&'static str, bool, Vec<Vector>)> {
    // Schema 1 keeps no type, algorithm, digits or period: everything is a default TOTP.
    let schema1 = ALL_SEVEN[..6].iter().map(|v| v.default_totp()).collect();
    // Schema 2 keeps algorithm and digits but no type: HOTP entries arrive as TOTP.
    let schema2 = vec![
        DENO,
        AIRBNB,
        ISSUU.default_totp(),
        Vector {
            algorithm: WWE.algorithm,
            digits: WWE.digits,
            ..WWE.default_totp()
        },
    ];
    let v4 = vec![DENO, ISSUU, AIR_CANADA, WWE, BOEING];
    vec![
        ("2fas_authenticator.json", false, schema1),
        ("2fas_authenticator_plain.2fas", false, schema2.clone()),
        ("2fas_authenticator_encrypted.2fas", true, schema2),
        (
            "2fas_authenticator_plain_v3.2fas",
            false,
            ALL_SEVEN[..6].to_vec(),
        ),
        (
            "2fas_authenticator_encrypted_v3.2fas",
            true,
            ALL_SEVEN[..6].to_vec(),
        ),
        ("2fas_authenticator_plain_v4.2fas", false, v4.clone()),
        ("2fas_authenticator_encrypted_v4.2fas", true, v4),
    ]
}

#[test]
fn every_2fas_fixture_gives_exactly_its_vectors() {
    for (name, encrypted, want) in cases() {
        assert_fixture_gives(name, "2fas", encrypted, &want);
    }
}

#[test]
fn an_encrypted_2fas_backup_needs_the_right_password() {
    for name in [
        "2fas_authenticator_encrypted.2fas",
        "2fas_authenticator_encrypted_v3.2fas",
        "2fas_authenticator_encrypted_v4.2fas",
    ] {
        assert_eq!(restore(name, None).unwrap_err(), ImportError::NeedsPassword);
        assert_eq!(
            restore(name, Some("Test")).unwrap_err(),
            ImportError::WrongPassword
        );
        assert_eq!(
            restore(name, Some("")).unwrap_err(),
            ImportError::WrongPassword
        );
    }
}

#[test]
fn a_newer_2fas_schema_is_unsupported() {
    let text = String::from_utf8(fixture("2fas_authenticator_plain_v4.2fas")).unwrap();
    let newer = text.replace("\"schemaVersion\":4", "\"schemaVersion\":5");
    let err = import::by_id("2fas")
        .unwrap()
        .restore(newer.as_bytes(), None)
        .unwrap_err();
    assert!(
        matches!(&err, ImportError::Unsupported(what) if what.contains("schema 5")),
        "{err:?}"
    );
}

#[test]
fn a_changed_byte_in_the_encrypted_accounts_is_damage_not_a_wrong_password() {
    let text = String::from_utf8(fixture("2fas_authenticator_encrypted_v4.2fas")).unwrap();
    let tampered = text.replace(
        "\"servicesEncrypted\":\"PCeJ",
        "\"servicesEncrypted\":\"PCeK",
    );
    assert_ne!(tampered, text);
    let err = import::by_id("2fas")
        .unwrap()
        .restore(tampered.as_bytes(), Some("test"))
        .unwrap_err();
    assert!(matches!(err, ImportError::Damaged(_)), "{err:?}");
}

#[test]
fn a_truncated_2fas_backup_is_an_error_never_a_panic() {
    let format = import::by_id("2fas").unwrap();
    for (name, _, _) in cases() {
        let bytes = fixture(name);
        for len in (0..bytes.len() - 1).step_by(13) {
            let cut = &bytes[..len];
            let result = format.restore(cut, Some("test"));
            assert!(
                matches!(
                    result,
                    Err(ImportError::Damaged(_) | ImportError::WrongFormat(_))
                ),
                "{name} cut at {len}: {result:?}"
            );
        }
    }
}
