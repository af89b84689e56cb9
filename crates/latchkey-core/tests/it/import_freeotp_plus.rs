//! FreeOTP+'s JSON backup: Aegis's real fixture, and what a damaged or odd file does.

use latchkey_core::import::{self, ImportError};
use latchkey_core::otp::Kind;

use crate::import_vectors::{
    AIR_CANADA, AIRBNB, DENO, ISSUU, SPDX, WWE, assert_fixture_gives, fixture,
};

/// The fixture stores each HOTP counter one below the vector (WWE 10299, Air Canada 49,
/// Issuu 0), as FreeOTP does; the import adds the one back, so the accounts are the
/// vectors themselves and not Aegis's "vector - 1".
#[test]
fn backup_gives_exactly_the_vectors() {
    let want = [WWE, AIR_CANADA, ISSUU, AIRBNB, SPDX, DENO];
    assert_fixture_gives("freeotp_plus.json", "freeotp-plus", false, &want);
}

fn restore(json: &str) -> Result<import::Restored, ImportError> {
    import::by_id("freeotp-plus")
        .unwrap()
        .restore(json.as_bytes(), None)
}

#[test]
fn odd_tokens_are_skipped_with_a_reason_and_no_secret() {
    let json = r#"{"tokenOrder":[],"tokens":[
        {"type":"TOTP","secret":[1,2,300],"label":"big","issuerExt":"A"},
        {"type":"HOTP","secret":[1,2,3],"counter":-2,"label":"neg"},
        {"type":"MOTP","secret":[1,2,3]},
        {"type":"TOTP","secret":[1,2,3],"digits":5,"issuerExt":"Five"},
        {"type":"TOTP","secret":[],"label":"empty"},
        {"type":"TOTP","secret":[1,2,3],"period":0,"label":"zero"},
        {"type":"HOTP","secret":[-1,-128,127],"counter":-1,"label":"fresh"}
    ]}"#;
    let restored = restore(json).unwrap();
    let names: Vec<_> = restored.skipped.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["A: big", "neg", "token 3", "Five", "empty", "zero"]);
    assert!(restored.skipped.iter().all(|s| !s.reason.contains("300")));
    let fresh = &restored.accounts[0];
    assert_eq!(
        fresh.otp.kind(),
        Kind::Hotp { counter: 0 },
        "stored -1 is link counter 0"
    );
    assert_eq!(fresh.otp.secret().as_bytes(), [0xff, 0x80, 0x7f]);
}

#[test]
fn steam_edited_names_and_categories() {
    let json = r#"{"tokenOrder":["Steam:me"],"tokens":[
        {"type":"TOTP","algo":"SHA1","digits":5,"period":30,"secret":[1,2,3,4,5],
         "issuerExt":"Steam","issuerInt":"Steam","label":"me"},
        {"type":"TOTP","secret":[1,2,3,4,5],"issuerExt":"Old","issuerInt":"Old",
         "issuerAlt":"New","label":"a","labelAlt":"b","category":"Work"}
    ]}"#;
    let restored = restore(json).unwrap();
    assert!(restored.skipped.is_empty());
    assert_eq!(restored.accounts[0].otp.kind(), Kind::Steam);
    let edited = &restored.accounts[1];
    assert_eq!(
        (edited.issuer.as_str(), edited.label.as_str()),
        ("New", "b")
    );
    assert_eq!(edited.tags, ["Work"]);
}

#[test]
fn cut_or_foreign_files_are_refused_without_panicking() {
    let file = fixture("freeotp_plus.json");
    let format = import::by_id("freeotp-plus").unwrap();
    for end in 0..file.len() {
        match format.restore(&file[..end], None) {
            Err(ImportError::Damaged(_) | ImportError::WrongFormat(_)) => {}
            other => panic!("cut at {end}: {other:?}"),
        }
    }
    assert!(matches!(
        format.restore(&file[..file.len() / 2], None),
        Err(ImportError::Damaged(_))
    ));
    assert_eq!(
        restore(r#"{"services":[]}"#).unwrap_err(),
        ImportError::WrongFormat("a FreeOTP+ backup")
    );
    assert!(!format.detect(&fixture("ente_auth.txt")));
    assert!(
        !format.detect(br#"{"tokens":[]}"#),
        "tokenOrder is part of the format"
    );
}
