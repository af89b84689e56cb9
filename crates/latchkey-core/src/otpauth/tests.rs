//! The URI cases of formats.md §2.3, numbers 1–19 (wiki, Aegis, totp-rs), and the helpers
//! the other test files share. Defaults when a case does not say: TOTP, SHA1, 6, 30 s.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::otp::{Algorithm, Kind};

use Algorithm::{Sha1, Sha256, Sha512};

/// totp-rs's test secret, "TestSecretSuperSecret" (shortened to `KRSX…OQ` in the table).
pub(super) const TOTP_RS_SECRET: &str = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ";

#[track_caller]
pub(super) fn ok(uri: &str) -> OtpauthUri {
    parse(uri).unwrap_or_else(|e| panic!("{uri:?} should parse: {e}"))
}

#[track_caller]
pub(super) fn err(uri: &str) -> UriError {
    match parse(uri) {
        Ok(parsed) => panic!("{uri:?} should be rejected, got {parsed:?}"),
        Err(e) => e,
    }
}

#[track_caller]
pub(super) fn assert_fields(
    uri: &OtpauthUri,
    (issuer, account): (&str, &str),
    kind: Kind,
    algorithm: Algorithm,
    digits: u8,
) {
    assert_eq!(
        (uri.issuer.as_str(), uri.account.as_str()),
        (issuer, account)
    );
    assert_eq!(uri.otp.kind(), kind, "kind");
    assert_eq!(uri.otp.algorithm(), algorithm, "algorithm");
    assert_eq!(uri.otp.digits(), digits, "digits");
}

pub(super) const fn totp(period: u32) -> Kind {
    Kind::Totp { period }
}

pub(super) const fn hotp(counter: u64) -> Kind {
    Kind::Hotp { counter }
}

#[test]
fn case01_wiki_example_reads_issuer_account_and_secret_bytes() {
    let u = ok("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
    assert_fields(&u, ("Example", "alice@google.com"), totp(30), Sha1, 6);
    assert_eq!(u.otp.secret().as_bytes(), b"Hello!\xde\xad\xbe\xef");
    // dim13/otpauth's vector for this secret (formats.md §1.4).
    assert_eq!(u.otp.code_at(1_257_894_000).value(), "528064");
    assert_eq!(u.image, None);
}

#[test]
fn case02_encoded_space_in_label_and_issuer_param() {
    let u = ok(
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
    );
    assert_fields(&u, ("ACME Co", "john.doe@email.com"), totp(30), Sha1, 6);
    assert_eq!(
        u.otp.secret().as_bytes(),
        [
            0x3d, 0xc6, 0xca, 0xa4, 0x82, 0x4a, 0x6d, 0x28, 0x87, 0x67, 0xb2, 0x33, 0x1e, 0x20,
            0xb4, 0x31, 0x66, 0xcb, 0x85, 0xd9
        ]
    );
}

#[test]
fn case03_reads_sha512() {
    let u = ok(
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA512&digits=6&period=30",
    );
    assert_fields(&u, ("ACME Co", "john.doe@email.com"), totp(30), Sha512, 6);
}

#[test]
fn case04_aegis_plain_totp() {
    let u = ok(
        "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno&algorithm=SHA1&digits=6&period=30",
    );
    assert_fields(&u, ("Deno", "Mason"), totp(30), Sha1, 6);
    assert_eq!(
        u.otp.secret().to_base32().as_str(),
        "4SJHB4GSD43FZBAI7C2HLRJGPQ"
    );
}

#[test]
fn case05_reads_seven_digits_and_twenty_second_period() {
    let u = ok(
        "otpauth://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&issuer=SPDX&algorithm=SHA256&digits=7&period=20",
    );
    assert_fields(&u, ("SPDX", "James"), totp(20), Sha256, 7);
}

#[test]
fn case06_reads_eight_digits_and_fifty_second_period() {
    let u = ok(
        "otpauth://totp/Airbnb:Elijah?secret=7ELGJSGXNCCTV3O6LKJWYFV2RA&issuer=Airbnb&algorithm=SHA512&digits=8&period=50",
    );
    assert_fields(&u, ("Airbnb", "Elijah"), totp(50), Sha512, 8);
}

#[test]
fn case07_reads_hotp_counter() {
    let u = ok(
        "otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&algorithm=SHA1&digits=6&counter=1",
    );
    assert_fields(&u, ("Issuu", "James"), hotp(1), Sha1, 6);
    assert_eq!(u.otp.period(), None);
}

#[test]
fn case08_plus_is_a_space_in_the_query_and_percent20_in_the_path() {
    let u = ok(
        "otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air+Canada&algorithm=SHA256&digits=7&counter=50",
    );
    assert_fields(&u, ("Air Canada", "Benjamin"), hotp(50), Sha256, 7);
}

#[test]
fn case09_reads_hotp_sha512_eight_digits() {
    let u = ok(
        "otpauth://hotp/WWE:Mason?secret=5VAML3X35THCEBVRLV24CGBKOY&issuer=WWE&algorithm=SHA512&digits=8&counter=10300",
    );
    assert_fields(&u, ("WWE", "Mason"), hotp(10300), Sha512, 8);
}

#[test]
fn case10_steam_type_gives_five_character_codes() {
    let u = ok(
        "otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&algorithm=SHA1&digits=5&period=30",
    );
    assert_fields(&u, ("Boeing", "Sophia"), Kind::Steam, Sha1, 5);
    assert_eq!(u.otp.period(), Some(30));
    assert_eq!(u.otp.code_at(0).value().len(), 5);
}

#[test]
fn case11_ente_hotp_with_lower_case_algorithm_period_and_code_display_equals_case09() {
    let ente = ok(
        "otpauth://hotp/WWE:Mason?algorithm=sha512&digits=8&issuer=WWE&period=30&secret=5VAML3X35THCEBVRLV24CGBKOY&counter=10300&codeDisplay=%7B%22pinned%22%3Afalse%2C%22trashed%22%3Afalse%7D",
    );
    let aegis = ok(
        "otpauth://hotp/WWE:Mason?secret=5VAML3X35THCEBVRLV24CGBKOY&issuer=WWE&algorithm=SHA512&digits=8&counter=10300",
    );
    assert_eq!(ente, aegis);
}

#[test]
fn case12_bitwarden_steam_scheme_has_issuer_steam_and_no_account() {
    let u = ok("steam://JRZCL47CMXVOQMNPZR2F7J4RGI");
    assert_fields(&u, ("Steam", ""), Kind::Steam, Sha1, 5);
    let case10 = ok("otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI");
    assert_eq!(u.otp, case10.otp);
}

#[test]
fn case13_unpadded_34_character_secret_with_defaults() {
    let u = ok(&format!(
        "otpauth://totp/GitHub:test?secret={TOTP_RS_SECRET}"
    ));
    assert_fields(&u, ("GitHub", "test"), totp(30), Sha1, 6);
    assert_eq!(u.otp.secret().as_bytes(), b"TestSecretSuperSecret");
}

#[test]
fn case14_unknown_param_is_ignored() {
    let u = ok(&format!(
        "otpauth://totp/GitHub:test?secret={TOTP_RS_SECRET}&digits=8&period=60&algorithm=SHA256&foo=bar"
    ));
    assert_fields(&u, ("GitHub", "test"), totp(60), Sha256, 8);
}

#[test]
fn case15_encoded_at_signs_in_issuer_and_account() {
    let u = ok(&format!(
        "otpauth://totp/Github%40:constantoine%40github.com?issuer=Github%40&secret={TOTP_RS_SECRET}&digits=6&algorithm=SHA1"
    ));
    assert_fields(
        &u,
        ("Github@", "constantoine@github.com"),
        totp(30),
        Sha1,
        6,
    );
}

#[test]
fn case16_encoded_colon_is_the_separator_when_the_label_has_no_literal_one() {
    let u = ok(&format!(
        "otpauth://totp/Github%3Aconstantoine?issuer=Github&secret={TOTP_RS_SECRET}&digits=6&algorithm=SHA1"
    ));
    assert_fields(&u, ("Github", "constantoine"), totp(30), Sha1, 6);
}

#[test]
fn case17_param_issuer_wins_over_label_prefix() {
    // totp-rs and pyotp reject this URI; we follow yubikey-manager and Ente.
    let u = ok(&format!(
        "otpauth://totp/GitHub:test?issuer=Gitlab&secret={TOTP_RS_SECRET}&digits=8&period=60&algorithm=SHA256"
    ));
    assert_fields(&u, ("Gitlab", "test"), totp(60), Sha256, 8);
}

#[test]
fn case18_param_issuer_wins_when_only_the_case_differs() {
    let u = ok(&format!(
        "otpauth://totp/Github:constantoine%40github.com?issuer=GitHub&secret={TOTP_RS_SECRET}&digits=6&algorithm=SHA1"
    ));
    assert_fields(&u, ("GitHub", "constantoine@github.com"), totp(30), Sha1, 6);
}

#[test]
fn case19_rejects_truncated_or_missing_secrets() {
    // "ABC" is 15 bits: no base32 encoder writes 3 symbols, so part of it is missing.
    let e = err("otpauth://totp/GitHub:test:?secret=ABC&digits=8&period=60&algorithm=SHA256");
    assert!(
        matches!(&e, UriError::Otp(OtpError::InvalidBase32(why)) if why.contains("length")),
        "{e:?}"
    );
    assert_eq!(err("otpauth://totp/GitHub:test"), UriError::MissingSecret);
    // totp-rs fails here because it has no HOTP; we do, so only the secret is missing.
    assert_eq!(err("otpauth://hotp/123"), UriError::MissingSecret);
}
