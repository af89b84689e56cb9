//! What the reader tolerates beyond the table of formats.md §2.3, what it rejects, and
//! that neither its errors nor its Debug output show the secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::tests::{assert_fields, err, hotp, ok, totp};
use super::*;
use crate::otp::Algorithm::{Sha1, Sha256};
use crate::otp::Kind;

/// "Hello!" DE AD BE EF: an 80-bit secret, as many sites still issue.
const HELLO: &str = "JBSWY3DPEHPK3PXP";

#[test]
fn scheme_and_type_are_case_insensitive_and_whitespace_is_trimmed() {
    let u = ok(" \n\tOtpAuth://HOTP/a?secret=GEZDGNBV&counter=3 \r\n");
    assert_fields(&u, ("", "a"), hotp(3), Sha1, 6);
    let u = ok("STEAM://jrzcl47cmxvoqmnpzr2f7j4rgi/");
    assert_eq!(u.otp.kind(), Kind::Steam);
}

#[test]
fn secret_tolerates_case_padding_encoded_padding_spaces_and_dashes() {
    for secret in [
        "jbswy3dpehpk3pxp",
        "JBSWY3DPEHPK3PXP======",
        "JBSWY3DPEHPK3PXP%3D%3d",
        "JBSW Y3DP EHPK 3PXP",
        "JBSW%20Y3DP+EHPK-3PXP",
        "jbsw-y3dp-ehpk-3pxp",
    ] {
        let u = ok(&format!("otpauth://totp/a?secret={secret}"));
        assert_eq!(
            u.otp.secret().as_bytes(),
            b"Hello!\xde\xad\xbe\xef",
            "{secret}"
        );
    }
}

#[test]
fn spaces_after_the_separator_belong_to_it() {
    for label in [
        "Example:%20%20alice",
        "Example: alice",
        "Example%3A%20alice",
    ] {
        let u = ok(&format!("otpauth://totp/{label}?secret={HELLO}"));
        assert_fields(&u, ("Example", "alice"), totp(30), Sha1, 6);
    }
}

#[test]
fn plus_is_a_plus_in_the_label_and_a_space_in_the_query() {
    let u = ok(&format!("otpauth://totp/A+B:c+d?secret={HELLO}"));
    assert_eq!((u.issuer.as_str(), u.account.as_str()), ("A+B", "c+d"));
    let u = ok(&format!("otpauth://totp/c?secret={HELLO}&issuer=A+B"));
    assert_eq!(u.issuer, "A B");
    let u = ok(&format!("otpauth://totp/c?secret={HELLO}&issuer=A%2BB"));
    assert_eq!(u.issuer, "A+B");
}

#[test]
fn hotp_without_counter_starts_at_zero_and_ignores_period_and_encoder() {
    let u = ok(&format!(
        "otpauth://hotp/a?secret={HELLO}&period=abc&encoder=steam"
    ));
    assert_fields(&u, ("", "a"), hotp(0), Sha1, 6);
}

#[test]
fn empty_values_fall_back_to_defaults_and_algorithm_case_is_free() {
    let u = ok(&format!(
        "otpauth://totp/a?secret={HELLO}&digits=&period=&algorithm=&issuer=&image="
    ));
    assert_fields(&u, ("", "a"), totp(30), Sha1, 6);
    assert_eq!(u.image, None);
    let u = ok(&format!("otpauth://totp/a?secret={HELLO}&algorithm=sha256"));
    assert_eq!(u.otp.algorithm(), Sha256);
}

#[test]
fn undecodable_label_bytes_become_replacement_characters() {
    let u = ok(&format!("otpauth://totp/%FF:b%?secret={HELLO}"));
    assert_eq!((u.issuer.as_str(), u.account.as_str()), ("\u{FFFD}", "b%"));
}

#[test]
fn rejects_bad_period_digits_and_counter() {
    let base = format!("otpauth://totp/a?secret={HELLO}");
    let hotp_base = format!("otpauth://hotp/a?secret={HELLO}");
    let cases = [
        (
            format!("{base}&period=0"),
            UriError::Otp(OtpError::ZeroPeriod),
        ),
        (
            format!("{base}&period=abc"),
            UriError::InvalidPeriod("abc".into()),
        ),
        (
            format!("{base}&period=-5"),
            UriError::InvalidPeriod("-5".into()),
        ),
        (
            format!("{base}&digits=9"),
            UriError::Otp(OtpError::UnsupportedDigits(9)),
        ),
        (
            format!("{base}&digits=5"),
            UriError::Otp(OtpError::UnsupportedDigits(5)),
        ),
        (
            format!("{base}&digits=300"),
            UriError::Otp(OtpError::UnsupportedDigits(300)),
        ),
        (
            format!("{base}&digits=six"),
            UriError::InvalidDigits("six".into()),
        ),
        (
            format!("{hotp_base}&counter=abc"),
            UriError::InvalidCounter("abc".into()),
        ),
        (
            format!("{hotp_base}&counter=-1"),
            UriError::InvalidCounter("-1".into()),
        ),
    ];
    for (uri, expected) in cases {
        assert_eq!(err(&uri), expected, "{uri}");
    }
}

#[test]
fn rejects_what_is_not_an_otpauth_uri() {
    assert_eq!(err(""), UriError::NotOtpauth);
    assert_eq!(err("JBSWY3DPEHPK3PXP"), UriError::NotOtpauth);
    assert_eq!(
        err("otpauth-migration://offline?data=CjEKCkhlbGxv"),
        UriError::NotOtpauth
    );
    assert_eq!(err("otpauth://"), UriError::UnknownType(String::new()));
    assert_eq!(
        err("otpauth://yaotp/a?secret=GEZDGNBV"),
        UriError::UnknownType("yaotp".into())
    );
    assert_eq!(err("steam://"), UriError::MissingSecret);
}

#[test]
fn error_messages_are_sentences() {
    let messages = [
        (UriError::NotOtpauth, "this is not an otpauth:// link"),
        (
            UriError::UnknownType("derp".into()),
            "the OTP type \"derp\" is not supported (use totp, hotp or steam)",
        ),
        (UriError::MissingSecret, "the link has no secret"),
        (
            UriError::InvalidDigits("-1".into()),
            "the number of digits must be 6, 7 or 8, not \"-1\"",
        ),
        (
            UriError::InvalidPeriod("abc".into()),
            "the period must be a whole number of seconds, not \"abc\"",
        ),
        (
            UriError::InvalidCounter("x".into()),
            "the counter must be a whole number, not \"x\"",
        ),
        (
            UriError::Otp(OtpError::ZeroPeriod),
            "the period must be at least 1 second",
        ),
    ];
    for (error, message) in messages {
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn error_messages_never_contain_the_secret() {
    let faults = [
        "otpauth://totp/a?secret=JBSWY3DP0EHPK3PXP",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3P",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=0",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=9",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=x",
        "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
        "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=x",
        "otpauth://derp/a?secret=JBSWY3DPEHPK3PXP",
        "otpauth://JBSWY3DPEHPK3PXP",
        "steam://JBSWY3DP_EHPK3PXP",
        "http://totp/a?secret=JBSWY3DPEHPK3PXP",
    ];
    for uri in faults {
        let e = err(uri);
        let shown = format!("{e} {e:?}").to_ascii_uppercase();
        for part in ["JBSWY3DPEHPK3PX", "Y3DP", "EHPK", "3PXP"] {
            assert!(!shown.contains(part), "{uri} -> {shown}");
        }
    }
}

#[test]
fn debug_output_does_not_show_the_secret() {
    let u = ok(&format!(
        "otpauth://totp/Example:alice?secret={HELLO}&issuer=Example"
    ));
    let debug = format!("{u:?} {:?}", u.otp);
    assert!(
        debug.contains("Example") && debug.contains("REDACTED"),
        "{debug}"
    );
    for leak in [HELLO, "48656c6c6f21deadbeef", "Hello!", "72, 101, 108"] {
        assert!(!debug.contains(leak), "{debug}");
    }
}
