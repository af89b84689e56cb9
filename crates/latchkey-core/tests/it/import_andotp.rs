//! andOTP backups (plain, encrypted and the old encrypted format) from Aegis's
//! importer tests.

use latchkey_core::import::{self, ImportError};

use crate::import_vectors::{ALL_SEVEN, assert_fixture_gives, fixture};

/// Each file, whether it is encrypted, and how many of the vectors it holds (the old
/// format predates andOTP's Steam support: it has no Boeing).
const FILES: [(&str, bool, usize); 3] = [
    ("andotp_plain.json", false, 7),
    ("andotp_encrypted.bin", true, 7),
    ("andotp_encrypted_old.bin", true, 6),
];

#[test]
fn every_andotp_fixture_gives_exactly_its_vectors() {
    // The old format stored "Deno - Deno:Mason" as the label; it comes back as the
    // issuer "Deno" and the account "Mason".
    for (name, encrypted, count) in FILES {
        assert_fixture_gives(name, "andotp", encrypted, &ALL_SEVEN[..count]);
    }
}

#[test]
fn an_encrypted_andotp_backup_needs_the_right_password() {
    let format = import::by_id("andotp").unwrap();
    for name in ["andotp_encrypted.bin", "andotp_encrypted_old.bin"] {
        let bytes = fixture(name);
        assert_eq!(
            format.restore(&bytes, None).unwrap_err(),
            ImportError::NeedsPassword
        );
        assert_eq!(
            format.restore(&bytes, Some("tset")).unwrap_err(),
            ImportError::WrongPassword,
            "{name}"
        );
    }
}

#[test]
fn a_tampered_or_truncated_andotp_backup_is_an_error_never_a_panic() {
    let format = import::by_id("andotp").unwrap();
    let bytes = fixture("andotp_encrypted.bin");
    // A changed ciphertext byte fails the GCM tag; andOTP has no check value to tell
    // that from a wrong password.
    let mut tampered = bytes.clone();
    tampered[40] ^= 1;
    assert_eq!(
        format.restore(&tampered, Some("test")).unwrap_err(),
        ImportError::WrongPassword
    );
    // An absurd iteration count is refused rather than run.
    let mut absurd = bytes.clone();
    absurd[..4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        format.restore(&absurd, Some("test")).unwrap_err(),
        ImportError::WrongPassword
    );
    // Cut short: each try of the new format costs a full key derivation, so a few lengths.
    for len in [0, 3, 4, 20, 28, 43, 44, bytes.len() - 1] {
        let err = format.restore(&bytes[..len], Some("test")).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::Damaged(_) | ImportError::WrongPassword | ImportError::WrongFormat(_)
            ),
            "cut at {len}: {err:?}"
        );
    }
    let plain = fixture("andotp_plain.json");
    for len in (1..plain.len() - 1).step_by(11) {
        let result = format.restore(&plain[..len], None);
        assert!(
            matches!(result, Err(ImportError::Damaged(_))),
            "plain cut at {len}: {result:?}"
        );
    }
}
