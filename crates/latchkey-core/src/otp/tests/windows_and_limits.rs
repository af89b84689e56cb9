//! Code windows, HOTP counters, the far end of time, and what `OtpParams::new` and
//! `Algorithm::parse` accept.

use super::*;

#[test]
fn code_knows_its_window_and_time_left() {
    let p = params(totp(30), Sha1, 8, SEED20);
    let code = p.code_at(59);
    assert_eq!(code.valid_window(), Some((30, 60)));
    assert_eq!(code.remaining_at(59), Some(1));
    assert_eq!(code.remaining_at(30), Some(30));
    assert_eq!(
        code.remaining_at(75),
        Some(0),
        "never negative once expired"
    );
    assert_eq!(p.code_at(60).valid_window(), Some((60, 90)));
    let steam = params(Kind::Steam, Sha1, 5, SEED20);
    assert_eq!(steam.code_at(29).valid_window(), Some((0, 30)));
    let odd = params(totp(7), Sha1, 6, SEED20);
    assert_eq!(
        odd.code_at(20_000_000_000).valid_window(),
        Some((19_999_999_999, 20_000_000_006))
    );
}

#[test]
fn hotp_codes_have_no_window_and_ignore_the_clock() {
    let mut p = params(Kind::Hotp { counter: 4 }, Sha1, 6, SEED20);
    let code = p.code_at(1_234_567_890);
    assert_eq!((code.value(), code.counter()), ("338314", 4));
    assert_eq!((code.valid_window(), code.remaining_at(0)), (None, None));
    p.set_counter(5);
    assert_eq!(p.code_at(0).value(), "254676");
}

#[test]
fn the_end_of_time_does_not_overflow() {
    for period in [1, 30, u32::MAX] {
        let code = params(totp(period), Sha1, 6, SEED20).code_at(u64::MAX);
        let step = u64::MAX / u64::from(period);
        assert_eq!(code.counter(), step);
        let (start, end) = code.valid_window().unwrap();
        assert_eq!(start, step * u64::from(period), "period {period}");
        assert_eq!(
            end,
            start.saturating_add(u64::from(period)),
            "period {period}"
        );
    }
}

#[test]
fn new_rejects_what_codes_cannot_be_computed_with() {
    let key = || Secret::from_bytes(SEED20.to_vec());
    let e = |kind, digits, secret| OtpParams::new(kind, Sha1, digits, secret).unwrap_err();
    assert_eq!(
        e(totp(30), 6, Secret::from_bytes(Vec::new())),
        OtpError::EmptySecret
    );
    assert_eq!(e(totp(0), 6, key()), OtpError::ZeroPeriod);
    assert_eq!(e(totp(30), 5, key()), OtpError::UnsupportedDigits(5));
    assert_eq!(
        e(Kind::Hotp { counter: 0 }, 9, key()),
        OtpError::UnsupportedDigits(9)
    );
}

#[test]
fn algorithm_names_parse_in_any_case_with_or_without_a_dash() {
    for (name, algorithm) in [
        ("SHA1", Sha1),
        ("sha-1", Sha1),
        ("Sha256", Sha256),
        ("sha512", Sha512),
        (" SHA-512 ", Sha512),
    ] {
        assert_eq!(Algorithm::parse(name), Ok(algorithm), "{name}");
    }
    assert_eq!(
        Algorithm::parse("MD5"),
        Err(OtpError::UnknownAlgorithm("MD5".into()))
    );
    assert_eq!(Sha256.as_str(), "SHA256");
}
