//! A second opinion from the totp-rs crate on deterministic pseudo-random cases: TOTP
//! codes, HOTP codes (totp-rs has no HOTP, but a 1 s step makes its time the counter)
//! and base32 decoding.

use super::*;
use crate::otp::tests::Rng;

/// totp-rs with the RFC checks off: it refuses secrets under 16 bytes otherwise.
fn peer(algorithm: totp_rs::Algorithm, digits: u8, step: u64, key: &[u8]) -> totp_rs::Totp {
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(digits)
        .with_step_duration(step)
        .with_secret(key.to_vec())
        .build_noncompliant()
}

#[test]
fn totp_codes_agree_with_totp_rs() {
    let mut rng = Rng::new(0x0DDB_1A5E_5BAD_5EED);
    for case in 0..400 {
        let key = rng.key();
        let (ours, theirs) = rng.algorithm();
        let digits = 6 + rng.below(3) as u8;
        let period = match rng.below(4) {
            0 => 30,
            1 => 60,
            _ => 1 + rng.below(300) as u32,
        };
        let t = rng.below(1 << 34);
        let expected = peer(theirs, digits, u64::from(period), &key)
            .generate(t)
            .to_string();
        let got = params(totp(period), ours, digits, &key).code_at(t);
        assert_eq!(
            got.value(),
            expected,
            "case {case}: {ours:?}/{digits}/{period}s t={t} key={}",
            data_encoding::HEXLOWER.encode(&key)
        );
    }
}

#[test]
fn hotp_codes_agree_with_totp_rs_at_a_one_second_step() {
    let mut rng = Rng::new(0xC0FF_EE00_1234_5678);
    for case in 0..200 {
        let key = rng.key();
        let (ours, theirs) = rng.algorithm();
        let digits = 6 + rng.below(3) as u8;
        let counter = if case % 4 == 0 {
            rng.below(100)
        } else {
            rng.next()
        };
        let expected = peer(theirs, digits, 1, &key).generate(counter).to_string();
        let hotp = params(Kind::Hotp { counter }, ours, digits, &key);
        assert_eq!(
            hotp.code_at(0).value(),
            expected,
            "case {case}: {ours:?}/{digits} counter={counter} key={}",
            data_encoding::HEXLOWER.encode(&key)
        );
    }
}

#[test]
fn base32_decoding_agrees_with_totp_rs() {
    let mut rng = Rng::new(0xBA5E_3200_0000_0001);
    for _ in 0..200 {
        let key = rng.key();
        let text = data_encoding::BASE32_NOPAD.encode(&key);
        let theirs = totp_rs::Secret::try_from_base32(&text).unwrap();
        let ours = Secret::from_base32(&text).unwrap();
        assert_eq!(ours.as_bytes(), theirs.as_ref(), "{text}");
    }
}
