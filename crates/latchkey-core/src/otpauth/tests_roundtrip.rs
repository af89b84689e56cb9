//! The writer: exact canonical strings, and round trips (parse → to_uri → parse gives the
//! same fields; to_uri of what was read gives the same string) over generated accounts
//! with awkward text and over the valid URIs of formats.md §2.3.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::tests::ok;
use super::*;
use crate::otp::Algorithm::{Sha1, Sha256, Sha512};
use crate::otp::tests::Rng;
use crate::otp::{Algorithm, Kind, Secret};

/// Pieces that stress the label and query syntax, percent-decoding and UTF-8.
const PIECES: &[&str] = &[
    "GitHub",
    "ACME Co",
    "alice@example.com",
    "a:b",
    ":",
    "x&y=z",
    "why?",
    "#hash",
    "100%",
    "%3A",
    "%20",
    "%",
    "1+1",
    "+",
    "/slash/",
    "semi;colon",
    "tab\t",
    "é",
    "Ünïcødé",
    "橡皮鸭",
    "🔑",
    " ",
    "  two  ",
    "=",
    "'quote\"",
    "\\",
    "<>",
    "~._-",
    "\u{FEFF}",
];

fn text(rng: &mut Rng, max_pieces: u64) -> String {
    (0..rng.below(max_pieces + 1))
        .map(|_| rng.pick(PIECES))
        .collect()
}

fn otp(rng: &mut Rng) -> OtpParams {
    let secret: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
    let any_period = 1 + rng.below(300) as u32;
    let any_counter = rng.next();
    let kind = match rng.below(3) {
        0 => Kind::Totp {
            period: rng.pick(&[1, 30, 60, 86_400, u32::MAX, any_period]),
        },
        1 => Kind::Hotp {
            counter: rng.pick(&[0, 1, 10_300, u64::MAX, any_counter]),
        },
        _ => Kind::Steam,
    };
    let algorithm = rng.pick(&[Sha1, Sha256, Sha512]);
    let digits = rng.pick(&[6, 7, 8]);
    OtpParams::new(kind, algorithm, digits, Secret::from_bytes(secret)).unwrap()
}

#[test]
fn generated_accounts_read_back_equal_and_writing_is_a_fixed_point() {
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    for case in 0..3000 {
        let issuer = text(&mut rng, 3);
        // Leading spaces of an account are lost after a separator (see
        // `leading_spaces_of_an_account_with_an_issuer_are_lost`).
        let account = text(&mut rng, 3).trim_start_matches(' ').to_owned();
        let otp = otp(&mut rng);
        let image = Some(text(&mut rng, 2)).filter(|i| !i.is_empty() && rng.below(3) == 0);
        let original = OtpauthUri {
            issuer,
            account,
            otp,
            image,
        };

        let written = original.to_uri();
        let read = parse(&written).unwrap_or_else(|e| panic!("case {case}: {written:?}: {e}"));
        assert_eq!(read, original, "case {case}: {}", written.as_str());
        assert_eq!(read.to_uri().as_str(), written.as_str(), "case {case}");

        let plain = to_uri(&original.issuer, &original.account, &original.otp);
        let read = parse(&plain).unwrap();
        assert_eq!(read.image, None, "case {case}");
        assert_eq!(
            (&read.issuer, &read.account, &read.otp),
            (&original.issuer, &original.account, &original.otp)
        );
    }
}

#[test]
fn table_uris_normalise_to_a_canonical_form_that_reads_back_equal() {
    let table = [
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
        "otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air+Canada&algorithm=SHA256&digits=7&counter=50",
        "otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&algorithm=SHA1&digits=5&period=30",
        "otpauth://hotp/WWE:Mason?algorithm=sha512&digits=8&issuer=WWE&period=30&secret=5VAML3X35THCEBVRLV24CGBKOY&counter=10300&codeDisplay=%7B%7D",
        "steam://JRZCL47CMXVOQMNPZR2F7J4RGI",
        "otpauth://totp/Github%3Aconstantoine?issuer=Github&secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ",
        "otpauth://totp/Text%3A%20More%20Text:Secret?secret=FFFFFFFAAAAAABBBBBBB&issuer=Text%3A%20More%20Text",
        "otpauth://totp?algorithm=SHA1&secret=GEZDGNBV&algorithm=SHA1",
        "otpauth://totp/Steam:?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&period=15&digits=7&encoder=steam",
        "otpauth://totp/TestA:account?secret=abba&issuer=TestB",
        "otpauth://totp/Mongo Atlas:Acc !@#444?algorithm=sha1&digits=6&issuer=Mongo Atlas&period=30&secret=NI4CTTFEV4G2JFE6",
        "otpauth://totp/%E6%A9%A1%E7%9A%AE%E9%B8%AD?secret=2CWDCK4EOIN5DJDRMYUMYBBO4MKSR5AX&issuer=ente.io",
        "otpauth://totp/Example:alice@google.com?secret=AA======&issuer=Example",
        "otpauth://totp?secret=abcd&image=https%3A%2F%2Ftest.net%2Ftest.png",
    ];
    for uri in table {
        let read = ok(uri);
        let written = read.to_uri();
        let again = ok(&written);
        assert_eq!(again, read, "{uri} -> {}", written.as_str());
        assert_eq!(again.to_uri().as_str(), written.as_str());
    }
}

fn params(kind: Kind, algorithm: Algorithm, digits: u8, base32: &str) -> OtpParams {
    OtpParams::new(
        kind,
        algorithm,
        digits,
        Secret::from_base32(base32).unwrap(),
    )
    .unwrap()
}

#[test]
fn writes_the_canonical_form() {
    let hello = params(Kind::Totp { period: 30 }, Sha1, 6, "JBSWY3DPEHPK3PXP");
    let cases = [
        (
            ("Example", "alice@google.com"),
            hello.clone(),
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA1&digits=6&period=30",
        ),
        (
            ("Air Canada", "Benjamin"),
            params(
                Kind::Hotp { counter: 50 },
                Sha256,
                7,
                "KUVJJOM753IHTNDSZVCNKL7GII",
            ),
            "otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air%20Canada&algorithm=SHA256&digits=7&counter=50",
        ),
        (
            ("Valve", "test@example.com"),
            params(Kind::Steam, Sha512, 8, "63BEDWCQZKTQWPESARIERL5DTTQFCJTK"),
            "otpauth://totp/Valve:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam",
        ),
        (
            ("", "alice"),
            hello.clone(),
            "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30",
        ),
        (
            ("", "a:b"),
            hello.clone(),
            "otpauth://totp/:a%3Ab?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30",
        ),
        (
            ("a:b&c", "x y#?+%"),
            hello.clone(),
            "otpauth://totp/a%3Ab%26c:x%20y%23%3F%2B%25?secret=JBSWY3DPEHPK3PXP&issuer=a%3Ab%26c&algorithm=SHA1&digits=6&period=30",
        ),
        (
            ("ente.io", "橡皮鸭"),
            hello.clone(),
            "otpauth://totp/ente.io:%E6%A9%A1%E7%9A%AE%E9%B8%AD?secret=JBSWY3DPEHPK3PXP&issuer=ente.io&algorithm=SHA1&digits=6&period=30",
        ),
    ];
    for ((issuer, account), otp, expected) in cases {
        assert_eq!(to_uri(issuer, account, &otp).as_str(), expected);
    }
    let with_image = OtpauthUri {
        issuer: "I".into(),
        account: "a".into(),
        otp: hello,
        image: Some("https://test.net/test.png".into()),
    };
    assert_eq!(
        with_image.to_uri().as_str(),
        "otpauth://totp/I:a?secret=JBSWY3DPEHPK3PXP&issuer=I&algorithm=SHA1&digits=6&period=30&image=https%3A%2F%2Ftest.net%2Ftest.png"
    );
}

#[test]
fn leading_spaces_of_an_account_with_an_issuer_are_lost() {
    // The wiki's ABNF makes spaces after the separator part of it, so they cannot be
    // told apart from the account's own.
    let otp = params(Kind::Totp { period: 30 }, Sha1, 6, "JBSWY3DPEHPK3PXP");
    assert_eq!(ok(&to_uri("X", "  bob", &otp)).account, "bob");
    assert_eq!(ok(&to_uri("", "  bob", &otp)).account, "  bob");
}
