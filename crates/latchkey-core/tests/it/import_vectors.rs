//! The accounts in the import fixtures: Aegis's shared test vectors
//! (`VaultEntries.java` @f3731c23, formats.md §4.1), the fixtures themselves, and the
//! checks that an import gave exactly those accounts, in order.

use std::path::PathBuf;

use latchkey_core::Account;
use latchkey_core::import::{self, Restored};
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};

/// One expected account.
#[derive(Clone, Copy, Debug)]
pub struct Vector {
    pub issuer: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub secret: &'static str,
}

impl Vector {
    /// The same account as a default TOTP (SHA1, 6 digits, 30 s), as exports that
    /// keep nothing else store it.
    pub const fn default_totp(self) -> Self {
        Self {
            kind: Kind::Totp { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 6,
            ..self
        }
    }

    /// The same account with other names.
    pub const fn named(self, issuer: &'static str, name: &'static str) -> Self {
        Self {
            issuer,
            name,
            ..self
        }
    }

    /// A new account holding this vector, added at `now`.
    pub fn account(self, now: i64) -> Account {
        let secret = Secret::from_base32(self.secret).unwrap();
        let otp = OtpParams::new(self.kind, self.algorithm, self.digits, secret).unwrap();
        Account::new(self.issuer, self.name, otp, now)
    }
}

const fn v(
    issuer: &'static str,
    name: &'static str,
    kind: Kind,
    algorithm: Algorithm,
    digits: u8,
    secret: &'static str,
) -> Vector {
    Vector {
        issuer,
        name,
        kind,
        algorithm,
        digits,
        secret,
    }
}

use Algorithm::{Sha1, Sha256, Sha512};
use Kind::{Hotp, Steam, Totp};

// One line each, to read as the table it is. The eighth vector (Battle.net) is in
// none of the fixtures.
#[rustfmt::skip]
pub const DENO: Vector = v("Deno", "Mason", Totp { period: 30 }, Sha1, 6, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
#[rustfmt::skip]
pub const SPDX: Vector = v("SPDX", "James", Totp { period: 20 }, Sha256, 7, "5OM4WOOGPLQEF6UGN3CPEOOLWU");
#[rustfmt::skip]
pub const AIRBNB: Vector = v("Airbnb", "Elijah", Totp { period: 50 }, Sha512, 8, "7ELGJSGXNCCTV3O6LKJWYFV2RA");
#[rustfmt::skip]
pub const ISSUU: Vector = v("Issuu", "James", Hotp { counter: 1 }, Sha1, 6, "YOOMIXWS5GN6RTBPUFFWKTW5M4");
#[rustfmt::skip]
pub const AIR_CANADA: Vector = v("Air Canada", "Benjamin", Hotp { counter: 50 }, Sha256, 7, "KUVJJOM753IHTNDSZVCNKL7GII");
#[rustfmt::skip]
pub const WWE: Vector = v("WWE", "Mason", Hotp { counter: 10300 }, Sha512, 8, "5VAML3X35THCEBVRLV24CGBKOY");
#[rustfmt::skip]
pub const BOEING: Vector = v("Boeing", "Sophia", Steam, Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI");

/// The first seven vectors (all but Battle.net), as most fixtures hold them.
pub const ALL_SEVEN: [Vector; 7] = [DENO, SPDX, AIRBNB, ISSUU, AIR_CANADA, WWE, BOEING];

/// `tests/fixtures/import`.
fn fixtures() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "tests/fixtures/import"]
        .iter()
        .collect()
}

/// The bytes of `tests/fixtures/import/NAME`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that fixture `name` is detected as format `id`, encrypted or not, and that
/// restoring it (encrypted fixtures with the password "test") skips nothing and gives
/// exactly `want`, in order (see [`assert_accounts`]).
pub fn assert_fixture_gives(name: &str, id: &str, encrypted: bool, want: &[Vector]) -> Restored {
    let bytes = fixture(name);
    let format = import::detect(&bytes).unwrap_or_else(|| panic!("{name}: not detected"));
    assert_eq!(format.id(), id, "{name}");
    assert_eq!(format.encrypted(&bytes), encrypted, "{name}");
    let restored = format
        .restore(&bytes, encrypted.then_some("test"))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        restored.skipped.is_empty(),
        "{name}: {:?}",
        restored.skipped
    );
    assert_accounts(name, &restored.accounts, want);
    restored
}

/// The skipped entries as (name, reason).
pub fn skipped(restored: &Restored) -> Vec<(&str, &str)> {
    restored
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.as_str()))
        .collect()
}

/// Asserts that `got` is exactly `want`, in order: names, kind with its period or
/// counter, algorithm, digits and secret.
pub fn assert_accounts(file: &str, got: &[Account], want: &[Vector]) {
    let names = |a: &Account| format!("{}/{}", a.issuer, a.label);
    assert_eq!(
        got.len(),
        want.len(),
        "{file}: got {:?}",
        got.iter().map(names).collect::<Vec<_>>()
    );
    for (a, w) in got.iter().zip(want) {
        let what = format!("{file}: {}/{}", w.issuer, w.name);
        assert_eq!(
            (a.issuer.as_str(), a.label.as_str()),
            (w.issuer, w.name),
            "{what}"
        );
        assert_eq!(a.otp.kind(), w.kind, "{what}");
        assert_eq!(a.otp.algorithm(), w.algorithm, "{what}");
        assert_eq!(a.otp.digits(), w.digits, "{what}");
        assert_eq!(a.otp.secret().to_base32().as_str(), w.secret, "{what}");
    }
}

/// 2FAS, Bitwarden and andOTP (whose detection of old, headerless backups is a last
/// resort) claim no fixture of another format.
#[test]
fn twofas_bitwarden_and_andotp_claim_only_their_own_fixtures() {
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let bytes = fixture(&name);
        for (id, prefix) in [
            ("2fas", "2fas_"),
            ("bitwarden", "bitwarden"),
            ("andotp", "andotp_"),
        ] {
            let format = latchkey_core::import::by_id(id).unwrap();
            assert_eq!(
                format.detect(&bytes),
                name.starts_with(prefix),
                "{id} on {name}"
            );
        }
    }
}
