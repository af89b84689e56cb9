#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! Vectors from formats.md §3.2 (gnome-Authenticator, dim13/otpauth, scito/extract_otp_secrets).

use super::*;

const P: &str = "otpauth-migration://offline?data=";

fn b32(uri: &OtpauthUri) -> String {
    uri.otp.secret().to_base32().to_string()
}

#[test]
fn reads_gnome_authenticators_discord_sample() {
    let b = parse_uri(&format!("{P}CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D")).unwrap();
    assert_eq!((b.index, b.size, b.accounts.len()), (0, 1, 1));
    let a = &b.accounts[0];
    assert_eq!(
        (a.issuer.as_str(), a.account.as_str()),
        ("Discord", "johndoe@example.com")
    );
    assert_eq!(b32(a), "JRZCL47CMXVOQMNPZR2F7J4RGI");
    assert_eq!(
        (a.otp.algorithm(), a.otp.digits(), a.otp.kind()),
        (Algorithm::Sha1, 6, Kind::Totp { period: 30 })
    );
}

#[test]
fn splits_issuer_prefix_from_name_and_gives_the_published_code() {
    let b = parse_uri(&format!(
        "{P}CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC"
    ))
    .unwrap();
    let a = &b.accounts[0];
    assert_eq!(
        (a.issuer.as_str(), a.account.as_str()),
        ("Example", "alice@google.com")
    );
    assert_eq!(b32(a), "JBSWY3DPEHPK3PXP");
    assert_eq!(a.otp.code_at(1_257_894_000).value(), "528064"); // 2009-11-10T23:00Z
}

#[test]
fn accepts_raw_plus_slash_padding_and_plus_turned_into_space() {
    let data =
        "CjsKFBHMQnKu/odWlB/zUy+dfiRIaHj0EhhFeGFtcGxlOmFsaWNlQGdvb2dsZS5jb20aB0V4YW1wbGUwAg==";
    for text in [
        data.to_string(),
        data.replace('+', " "),
        data.trim_end_matches('=').to_string(),
    ] {
        let b = parse_uri(&format!("{P}{text}")).unwrap();
        assert_eq!(b32(&b.accounts[0]), "CHGEE4VO72DVNFA76NJS7HL6EREGQ6HU");
    }
}

#[test]
fn reads_negative_batch_ids_and_missing_issuers() {
    let b = parse_uri(&format!("{P}CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B")).unwrap();
    assert_eq!(b.id, -1_320_898_453);
    assert_eq!(
        (
            b.accounts[0].issuer.as_str(),
            b.accounts[0].account.as_str()
        ),
        ("raspberrypi", "pi@raspberrypi")
    );
    assert_eq!(b32(&b.accounts[0]), "7KSQL2JTUDIS5EF65KLMRQIIGY");
    let b = parse_uri(&format!("{P}CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACEAEYASAAKLzjp5n4%2F%2F%2F%2F%2FwE%3D")).unwrap();
    assert_eq!(b.id, -2_094_403_140);
    assert_eq!(
        (
            b.accounts[0].issuer.as_str(),
            b.accounts[0].account.as_str()
        ),
        ("", "pi@raspberrypi")
    );
}

#[test]
fn reads_hotp_with_its_counter() {
    let b = parse_uri(&format!("{P}CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D")).unwrap();
    let a = &b.accounts[0];
    assert_eq!(a.account, "hotp demo");
    assert_eq!(a.otp.kind(), Kind::Hotp { counter: 4 });
}

#[test]
fn reads_utf8_names() {
    let b = parse_uri(&format!("{P}CjYKEPqlBekzoNEukL7qlsjBCDYSHGVuY29kaW5nOiDCv8Okw4TDqcOJPyAoZGVtbykgASgBMAIQARgBIAAorfCurv%2F%2F%2F%2F%2F%2FAQ%3D%3D")).unwrap();
    let a = &b.accounts[0];
    assert_eq!(
        (a.issuer.as_str(), a.account.as_str()),
        ("encoding", "¿äÄéÉ? (demo)")
    );
}

/// Builds a payload by hand, so several entries and MD5 can be tested.
fn payload(entries: &[(&[u8], &str, &str, u8, u8)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (secret, name, issuer, alg, typ) in entries {
        let mut e = vec![0x0a, secret.len() as u8];
        e.extend_from_slice(secret);
        for (tag, s) in [(0x12u8, name), (0x1a, issuer)] {
            e.push(tag);
            e.push(s.len() as u8);
            e.extend_from_slice(s.as_bytes());
        }
        e.extend_from_slice(&[0x20, *alg, 0x28, 1, 0x30, *typ]);
        out.push(0x0a);
        out.push(e.len() as u8);
        out.extend_from_slice(&e);
    }
    out.extend_from_slice(&[0x10, 1, 0x18, 2, 0x20, 1]);
    out
}

#[test]
fn keeps_good_entries_and_names_the_skipped_ones() {
    let p = payload(&[
        (b"0123456789", "a@x", "One", 2, 2),
        (b"abcdefghij", "b@x", "Two", 4, 2),
        (b"", "c@x", "Three", 1, 2),
    ]);
    let b = parse_payload(&p).unwrap();
    assert_eq!((b.index, b.size), (1, 2));
    assert_eq!(b.accounts.len(), 1);
    assert_eq!(b.accounts[0].otp.algorithm(), Algorithm::Sha256);
    assert_eq!(b.skipped.len(), 2);
    assert!(b.skipped[0].0.contains("Two") && b.skipped[0].1.contains("MD5"));
    assert!(b.skipped[1].1.contains("empty"));
}

#[test]
fn damaged_or_foreign_input_is_an_error_not_a_panic() {
    assert!(matches!(
        parse_uri("otpauth://totp/x?secret=AA"),
        Err(ImportError::WrongFormat(_))
    ));
    assert!(matches!(
        parse_uri("otpauth-migration://offline?foo=1"),
        Err(ImportError::Damaged(_))
    ));
    assert!(matches!(
        parse_uri("otpauth-migration://offline?data=%%%"),
        Err(ImportError::Damaged(_))
    ));
    let good = payload(&[(b"0123456789", "a@x", "One", 1, 2)]);
    for cut in 1..good.len() - 6 {
        // Every truncation inside the entry is caught (the batch fields after it are optional).
        assert!(parse_payload(&good[..cut]).is_err(), "cut at {cut} parsed");
    }
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..20_000 {
        let bytes: Vec<u8> = (0..rng.usize(0..64)).map(|_| rng.u8(..)).collect();
        let _ = parse_payload(&bytes);
    }
}
