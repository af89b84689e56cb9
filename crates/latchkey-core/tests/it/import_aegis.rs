//! Aegis vaults: Aegis's own test files give its shared test vectors; cut, changed and
//! hostile files are refused, never with a panic. (Our Aegis export: export_aegis.rs.)

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_core::import::{self, Format, ImportError, Restored};
use serde_json::{Value, json};

use crate::import_vectors::{ALL_SEVEN, assert_fixture_gives, fixture, skipped};

fn aegis() -> &'static dyn Format {
    import::by_id("aegis").unwrap()
}

#[test]
fn aegis_plain_fixture_gives_the_shared_vectors() {
    assert_fixture_gives("aegis_plain.json", "aegis", false, &ALL_SEVEN);
}

#[test]
fn aegis_encrypted_fixture_gives_the_shared_vectors_with_its_password() {
    assert_fixture_gives("aegis_encrypted.json", "aegis", true, &ALL_SEVEN);
}

#[test]
fn aegis_encrypted_fixture_needs_the_right_password() {
    let file = fixture("aegis_encrypted.json");
    assert_eq!(
        aegis().restore(&file, None).unwrap_err(),
        ImportError::NeedsPassword
    );
    assert_eq!(
        aegis().restore(&file, Some("Test")).unwrap_err(),
        ImportError::WrongPassword
    );
}

#[test]
fn aegis_v2_groups_become_tags() {
    let restored = aegis()
        .restore(&fixture("aegis_plain_grouped_v2.json"), None)
        .unwrap();
    let tags: Vec<_> = restored
        .accounts
        .iter()
        .map(|a| (a.issuer.as_str(), a.tags.clone()))
        .collect();
    let none = Vec::<String>::new;
    assert_eq!(
        tags,
        [
            ("Deno", vec!["group1".to_owned()]),
            ("SPDX", none()),
            ("Airbnb", vec!["group1".to_owned()]),
            ("Issuu", vec!["group2".to_owned()]),
            ("Air Canada", none()),
            ("WWE", none()),
            ("Boeing", none()),
        ]
    );
}

/// A plain vault with contents `db`.
fn plain(db: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"version": 1, "header": {"slots": null, "params": null}, "db": db}))
        .unwrap()
}

fn entry(kind: &str, issuer: &str, info: Value, extra: Value) -> Value {
    let mut e = json!({"type": kind, "uuid": "3ae6f1ad-2e65-4ed2-a953-1ec0dff2386d", "name": "me",
        "issuer": issuer, "note": "n", "favorite": true, "icon": null, "info": info});
    e.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    e
}

#[test]
fn aegis_v3_groups_by_uuid_and_unsupported_types_skipped_with_a_reason() {
    let totp = json!({"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30});
    let pin = json!({"secret": "JBSWY3DPEHPK3PXP", "algo": "MD5", "digits": 6, "period": 10, "pin": "1234"});
    let db = json!({"version": 3, "groups": [{"uuid": "g-1", "name": "Work"}, {"uuid": "g-2", "name": "Home"}],
    "entries": [
        entry("totp", "A", totp.clone(), json!({"groups": ["g-2", "g-1", "g-unknown"], "group": "ignored"})),
        entry("motp", "B", pin.clone(), json!({})),
        entry("yandex", "C", pin, json!({})),
        entry("totp", "D", json!({"secret": "JBSWY3DPEHPK3PXP", "digits": 9}), json!({})),
        entry("hotp", "E", totp, json!({})),
        entry("sms", "", json!({"secret": "JBSWY3DPEHPK3PXP"}), json!({"name": ""})),
    ]});
    let restored = aegis().restore(&plain(db), None).unwrap();
    assert_eq!(restored.accounts.len(), 1);
    assert_eq!(restored.accounts[0].tags, ["Home", "Work"]);
    assert_eq!(
        skipped(&restored),
        [
            (
                "B: me",
                "Latchkey does not make mOTP codes (MD5 with a PIN)"
            ),
            ("C: me", "Latchkey does not make Yandex codes (with a PIN)"),
            ("D: me", "9 digits is not supported (use 6 to 8)"),
            ("E: me", "it has no counter"),
            ("entry 6", "Latchkey does not know the code type \"sms\""),
        ]
    );
}

#[test]
fn aegis_versions_it_does_not_know_are_refused() {
    let newer = plain(json!({"version": 4, "entries": []}));
    assert!(matches!(
        aegis().restore(&newer, None),
        Err(ImportError::Unsupported(_))
    ));
    let mut file: Value =
        serde_json::from_slice(&plain(json!({"version": 3, "entries": []}))).unwrap();
    file["version"] = json!(2);
    let file = serde_json::to_vec(&file).unwrap();
    assert!(matches!(
        aegis().restore(&file, None),
        Err(ImportError::Unsupported(_))
    ));
}

#[test]
fn cut_aegis_files_are_refused_without_a_panic() {
    for name in ["aegis_plain.json", "aegis_encrypted.json"] {
        let file = fixture(name);
        let whole = file.trim_ascii_end();
        for end in 0..whole.len() {
            let result = aegis().restore(&whole[..end], Some("test"));
            assert!(result.is_err(), "{name} cut at {end} was read");
        }
        assert_eq!(
            aegis()
                .restore(&whole[..whole.len() / 2], Some("test"))
                .unwrap_err(),
            ImportError::Damaged("the file ends early")
        );
    }
}

fn encrypted() -> Value {
    serde_json::from_slice(&fixture("aegis_encrypted.json")).unwrap()
}

fn restore(file: &Value) -> Result<Restored, ImportError> {
    aegis().restore(&serde_json::to_vec(file).unwrap(), Some("test"))
}

/// Flips one bit of the hex field at `pointer`.
fn flip_hex(file: &mut Value, pointer: &str) {
    let field = file.pointer_mut(pointer).unwrap();
    let mut bytes = data_encoding::HEXLOWER
        .decode(field.as_str().unwrap().as_bytes())
        .unwrap();
    bytes[0] ^= 1;
    *field = json!(data_encoding::HEXLOWER.encode(&bytes));
}

#[test]
fn changed_aegis_ciphertext_is_refused_as_damage_or_a_wrong_password() {
    let mut db = encrypted();
    let mut bytes = STANDARD.decode(db["db"].as_str().unwrap()).unwrap();
    bytes[10] ^= 0x80;
    db["db"] = json!(STANDARD.encode(&bytes));
    let damaged = restore(&db).unwrap_err();
    assert!(matches!(damaged, ImportError::Damaged(_)), "{damaged:?}");

    for pointer in ["/header/params/tag", "/header/params/nonce"] {
        let mut file = encrypted();
        flip_hex(&mut file, pointer);
        assert!(
            matches!(restore(&file), Err(ImportError::Damaged(_))),
            "{pointer}"
        );
    }
    for pointer in [
        "/header/slots/0/key",
        "/header/slots/0/key_params/tag",
        "/header/slots/0/salt",
    ] {
        let mut file = encrypted();
        flip_hex(&mut file, pointer);
        assert_eq!(
            restore(&file).unwrap_err(),
            ImportError::WrongPassword,
            "{pointer}"
        );
    }
}

#[test]
fn hostile_aegis_scrypt_costs_are_refused_before_any_work() {
    let costs = [
        (1u64 << 40, 8u64, 1u64),
        (1 << 22, 8, 1),
        (1 << 15, 1 << 20, 1),
        (1 << 15, 8, 1 << 33),
        (1 << 15, 8, 1 << 20),
        (2, 1, u64::MAX),
        (u64::MAX, u64::MAX, u64::MAX),
        (32767, 8, 1),
        (0, 8, 1),
        (1 << 15, 0, 1),
    ];
    for (n, r, p) in costs {
        let mut file = encrypted();
        let slot = &mut file["header"]["slots"][0];
        slot["n"] = json!(n);
        slot["r"] = json!(r);
        slot["p"] = json!(p);
        // Refused as damage before any key derivation (a derivation at these costs
        // would not return in the test's lifetime, or would answer WrongPassword).
        let err = restore(&file).unwrap_err();
        assert!(
            matches!(err, ImportError::Damaged(_)),
            "N={n} r={r} p={p}: {err:?}"
        );
    }
    let mut file = encrypted();
    file["header"]["slots"][0]["n"] = json!(-1);
    assert!(matches!(restore(&file), Err(ImportError::Damaged(_))));
}

#[test]
fn aegis_vault_with_only_a_biometric_slot_says_so() {
    let mut file = encrypted();
    file["header"]["slots"][0]["type"] = json!(2);
    assert!(matches!(restore(&file), Err(ImportError::Unsupported(_))));
}

#[test]
fn randomly_changed_aegis_files_never_panic() {
    let plain = fixture("aegis_plain.json");
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..2000 {
        let mut file = plain.clone();
        for _ in 0..rng.usize(1..4) {
            let i = rng.usize(..file.len());
            file[i] = rng.u8(..);
        }
        let _ = aegis().restore(&file, None);
    }
}
