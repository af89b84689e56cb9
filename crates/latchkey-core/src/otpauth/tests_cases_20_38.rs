//! The URI cases of formats.md §2.3, numbers 20–38 (totp-rs, pyotp, yubikey-manager,
//! KeePassXC, Ente, Aegis, yubioath-flutter).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::tests::{TOTP_RS_SECRET, assert_fields, err, hotp, ok, totp};
use super::*;
use crate::otp::Algorithm::{Sha1, Sha256};
use crate::otp::Kind;

#[test]
fn case20_rejects_other_schemes_and_md5() {
    let http = format!("http://totp/GitHub:test?issuer=GitHub&secret={TOTP_RS_SECRET}");
    assert_eq!(err(&http), UriError::NotOtpauth);
    let md5 =
        format!("otpauth://totp/GitHub:test?issuer=GitHub&secret={TOTP_RS_SECRET}&algorithm=MD5");
    assert_eq!(
        err(&md5),
        UriError::Otp(OtpError::UnknownAlgorithm("MD5".into()))
    );
}

#[test]
fn case21_encoded_colon_inside_issuer_when_a_literal_colon_separates() {
    let u = ok(
        "otpauth://totp/Text%3A%20More%20Text:Secret?secret=FFFFFFFAAAAAABBBBBBB&issuer=Text%3A%20More%20Text",
    );
    assert_fields(&u, ("Text: More Text", "Secret"), totp(30), Sha1, 6);
}

#[test]
fn case22_lone_encoded_colon_separates_as_in_the_wiki_not_pyotp() {
    // pyotp keeps "a:b" as the account with no issuer; the wiki's ABNF, totp-rs and
    // Ente read issuer "a" and account "b". We follow the wiki.
    let u = ok("otpauth://totp/a%3Ab?secret=GEZDGNBV");
    assert_fields(&u, ("a", "b"), totp(30), Sha1, 6);
}

#[test]
fn case23_encoded_space_in_label_prefix_and_param() {
    let u = ok("otpauth://totp/Big%20Corp:bob?secret=GEZDGNBV&issuer=Big%20Corp");
    assert_fields(&u, ("Big Corp", "bob"), totp(30), Sha1, 6);
}

#[test]
fn case24_no_label_and_duplicate_params_are_valid() {
    let u = ok("otpauth://totp?algorithm=SHA1&secret=GEZDGNBV&algorithm=SHA1");
    assert_fields(&u, ("", ""), totp(30), Sha1, 6);
    assert_eq!(u.otp.secret().as_bytes(), b"12345");
    let codes: Vec<_> = [0, 30, 60]
        .map(|t| u.otp.code_at(t).value().to_owned())
        .into();
    assert_eq!(codes, ["734055", "662488", "289363"]);
}

#[test]
fn duplicate_params_first_one_wins() {
    let u = ok(
        "otpauth://totp/I:a?secret=GEZDGNBV&algorithm=SHA256&digits=8&algorithm=SHA1&digits=6&issuer=X&issuer=Y",
    );
    assert_fields(&u, ("X", "a"), totp(30), Sha256, 8);
    let u = ok("otpauth://totp/a?secret=GEZDGNBV&secret=JBSWY3DPEHPK3PXP");
    assert_eq!(u.otp.secret().as_bytes(), b"12345");
}

#[test]
fn case25_hotp_without_label_has_initial_counter() {
    let u = ok("otpauth://hotp?algorithm=SHA1&secret=GEZDGNBV&algorithm=SHA1&counter=1");
    assert_fields(&u, ("", ""), hotp(1), Sha1, 6);
    // HOTP ignores the clock: the code is the one for the stored counter.
    assert_eq!(u.otp.code_at(123_456).value(), "662488");
}

#[test]
fn case26_encoder_steam_ignores_period_and_digits() {
    let u = ok(
        "otpauth://totp/Steam:?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&period=15&digits=7&encoder=steam",
    );
    assert_fields(&u, ("Steam", ""), Kind::Steam, Sha1, 5);
    assert_eq!(u.otp.code_at(0).value(), "C5V56");
}

#[test]
fn case27_issuer_steam_without_encoder_is_plain_totp() {
    // The table's `SOME_SECRET` is not base32 (`_`), so that URI is rejected as such...
    let e = err("otpauth://totp/Steam:?secret=SOME_SECRET");
    assert!(
        matches!(e, UriError::Otp(OtpError::InvalidBase32(_))),
        "{e:?}"
    );
    // ...and with a real secret the issuer alone does not make it Steam (unlike totp-rs's
    // `steam` feature; like pyotp).
    let u = ok("otpauth://totp/Steam:?secret=GEZDGNBV");
    assert_fields(&u, ("Steam", ""), totp(30), Sha1, 6);
}

#[test]
fn case28_pyotp_invalid_uris_are_rejected() {
    // pyotp reports an issuer mismatch first; here the param wins and the secret is missing.
    let mismatch = err("otpauth://totp/SomeIssuer:?issuer=AnotherIssuer");
    assert_eq!(mismatch, UriError::MissingSecret);
    assert_eq!(
        err("otpauth://totp?digits=-1"),
        UriError::InvalidDigits("-1".into())
    );
    assert_eq!(
        err("otpauth://totp?algorithm=aes"),
        UriError::Otp(OtpError::UnknownAlgorithm("aes".into()))
    );
    assert_eq!(
        err("otpauth://derp?secret=foo"),
        UriError::UnknownType("derp".into())
    );
    assert_eq!(err("otpauth://totp"), UriError::MissingSecret);
}

#[test]
fn case29_image_param_is_kept() {
    // pyotp decodes the secret only when computing a code; `abc` never decodes (3 symbols
    // are not whole bytes), so the table's URI is rejected here, and `abcd` shows `image`.
    let e = err("otpauth://totp?secret=abc&image=foobar");
    assert!(
        matches!(e, UriError::Otp(OtpError::InvalidBase32(_))),
        "{e:?}"
    );
    let u = ok("otpauth://totp?secret=abcd&image=foobar");
    assert_eq!(u.image.as_deref(), Some("foobar"));
    let u = ok("otpauth://totp/a?secret=abcd&image=https%3A%2F%2Ftest.net%2Ftest.png");
    assert_eq!(u.image.as_deref(), Some("https://test.net/test.png"));
}

#[test]
fn case30_issuer_from_param_then_label_then_none() {
    let u = ok("otpauth://totp/TestA:account?secret=abba&issuer=TestB");
    assert_fields(&u, ("TestB", "account"), totp(30), Sha1, 6);
    let u = ok("otpauth://totp/Test:account?secret=abba");
    assert_fields(&u, ("Test", "account"), totp(30), Sha1, 6);
    let u = ok("otpauth://totp/account?secret=abba");
    assert_fields(&u, ("", "account"), totp(30), Sha1, 6);
}

#[test]
fn case31_lower_case_unpadded_secret_and_counter_ignored_on_totp() {
    let u = ok(
        "otpauth://totp/Issuer:account?secret=abba&issuer=Issuer&algorithm=SHA256&digits=7&period=20&counter=5",
    );
    assert_fields(&u, ("Issuer", "account"), totp(20), Sha256, 7);
    assert_eq!(u.otp.secret().as_bytes(), [0x00, 0x42]);
}

#[test]
fn case32_keepassxc_steam_uri_gives_its_code() {
    let u = ok(
        "otpauth://totp/test:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam",
    );
    assert_fields(&u, ("Valve", "test@example.com"), Kind::Steam, Sha1, 5);
    assert_eq!(u.otp.code_at(1_511_200_518).value(), "FR8RV");
}

#[test]
fn case33_encoded_colon_separates_encoded_label() {
    let u = ok("otpauth://totp/example%20finance%3Aee%40ff.gg?secret=ASKZNWOU6SVYAMVS");
    assert_fields(&u, ("example finance", "ee@ff.gg"), totp(30), Sha1, 6);
}

#[test]
fn case34_issuer_only_in_param_keeps_whole_label_as_account() {
    let u = ok("otpauth://totp/testdata@ente.io?secret=ASKZNWOU6SVYAMVS&issuer=GitHub");
    assert_fields(&u, ("GitHub", "testdata@ente.io"), totp(30), Sha1, 6);
    let u = ok("otpauth://hotp/testdata@ente.io?secret=ASKZNWOU6SVYAMVS&issuer=GitHub&counter=15");
    assert_fields(&u, ("GitHub", "testdata@ente.io"), hotp(15), Sha1, 6);
}

#[test]
fn case35_raw_spaces_and_hash_in_label_are_not_a_fragment() {
    let u = ok(
        "otpauth://totp/Mongo Atlas:Acc !@#444?algorithm=sha1&digits=6&issuer=Mongo Atlas&period=30&secret=NI4CTTFEV4G2JFE6",
    );
    assert_fields(&u, ("Mongo Atlas", "Acc !@#444"), totp(30), Sha1, 6);
    assert_eq!(u.otp.secret().to_base32().as_str(), "NI4CTTFEV4G2JFE6");
}

#[test]
fn case36_percent_encoded_utf8_account() {
    let u = ok(
        "otpauth://totp/%E6%A9%A1%E7%9A%AE%E9%B8%AD?secret=2CWDCK4EOIN5DJDRMYUMYBBO4MKSR5AX&issuer=ente.io",
    );
    assert_fields(&u, ("ente.io", "橡皮鸭"), totp(30), Sha1, 6);
}

#[test]
fn case37_one_byte_secret_is_valid_and_empty_secret_is_not() {
    let u = ok("otpauth://totp/test:test?secret=AA&algo=SHA1&digits=6&period=30");
    assert_fields(&u, ("test", "test"), totp(30), Sha1, 6);
    assert_eq!(u.otp.secret().as_bytes(), [0]);
    let e = err("otpauth://totp/test:test?secret=&algo=SHA1&digits=6&period=30");
    assert_eq!(e, UriError::Otp(OtpError::EmptySecret));
    assert_eq!(e.to_string(), "the secret is empty");
}

#[test]
fn case38_padded_secret_is_accepted() {
    let u = ok("otpauth://totp/Example:alice@google.com?secret=AA======&issuer=Example");
    assert_fields(&u, ("Example", "alice@google.com"), totp(30), Sha1, 6);
    assert_eq!(u.otp.secret().as_bytes(), [0]);
}
