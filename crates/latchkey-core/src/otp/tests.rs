//! Published vectors (formats.md §1): RFC 4226 Appendix D, RFC 6238 Appendix B with the
//! per-algorithm seeds, the small public vectors of §1.4, and counters past 2^32. Code
//! windows and parameter checks are in `tests/windows_and_limits.rs`, secrets and base32
//! in `tests/secret.rs`, the totp-rs cross-check in `tests/totp_rs_peer.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod secret;
mod totp_rs_peer;
mod windows_and_limits;

use super::*;

use Algorithm::{Sha1, Sha256, Sha512};

/// RFC 4226's key, also RFC 6238's SHA-1 seed.
const SEED20: &[u8] = b"12345678901234567890";
/// RFC 6238's SHA-256 seed: the RFC's prose says SEED20 for every mode, but its
/// published codes come from the reference code's longer seeds (an erratum).
const SEED32: &[u8] = b"12345678901234567890123456789012";
/// RFC 6238's SHA-512 seed (same erratum).
const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

fn params(kind: Kind, algorithm: Algorithm, digits: u8, key: &[u8]) -> OtpParams {
    OtpParams::new(kind, algorithm, digits, Secret::from_bytes(key.to_vec())).unwrap()
}

fn base32(kind: Kind, algorithm: Algorithm, digits: u8, text: &str) -> OtpParams {
    OtpParams::new(kind, algorithm, digits, Secret::from_base32(text).unwrap()).unwrap()
}

const fn totp(period: u32) -> Kind {
    Kind::Totp { period }
}

/// RFC 4226 Appendix D: (count, truncated decimal, 6-digit HOTP); the 7- and 8-digit
/// codes are the last 7 and 8 digits of the truncated value.
const RFC4226: [(u64, u32, &str); 10] = [
    (0, 1_284_755_224, "755224"),
    (1, 1_094_287_082, "287082"),
    (2, 137_359_152, "359152"),
    (3, 1_726_969_429, "969429"),
    (4, 1_640_338_314, "338314"),
    (5, 868_254_676, "254676"),
    (6, 1_918_287_922, "287922"),
    (7, 82_162_583, "162583"),
    (8, 673_399_871, "399871"),
    (9, 645_520_489, "520489"),
];

#[test]
fn rfc4226_appendix_d_truncated_values_and_six_digit_codes() {
    for (count, truncated_value, code) in RFC4226 {
        assert_eq!(
            truncated(Sha1, SEED20, count),
            truncated_value,
            "count {count}"
        );
        let hotp = params(Kind::Hotp { counter: count }, Sha1, 6, SEED20);
        assert_eq!(hotp.code_at(0).value(), code, "count {count}");
        assert_eq!(hotp.code_for_counter(count), code, "count {count}");
    }
}

#[test]
fn rfc4226_derived_seven_and_eight_digit_codes_are_zero_padded() {
    let seven = [
        "4755224", "4287082", "7359152", "6969429", "0338314", "8254676", "8287922", "2162583",
        "3399871", "5520489",
    ];
    let eight = [
        "84755224", "94287082", "37359152", "26969429", "40338314", "68254676", "18287922",
        "82162583", "73399871", "45520489",
    ];
    let p7 = params(Kind::Hotp { counter: 0 }, Sha1, 7, SEED20);
    let p8 = params(Kind::Hotp { counter: 0 }, Sha1, 8, SEED20);
    for count in 0..10u64 {
        assert_eq!(p7.code_for_counter(count), seven[count as usize]);
        assert_eq!(p8.code_for_counter(count), eight[count as usize]);
    }
}

/// RFC 6238 Appendix B: (time, step, SHA1, SHA256, SHA512), 8 digits, 30 s.
const RFC6238: [(u64, u64, &str, &str, &str); 6] = [
    (59, 0x1, "94287082", "46119246", "90693936"),
    (
        1_111_111_109,
        0x0235_23EC,
        "07081804",
        "68084774",
        "25091201",
    ),
    (
        1_111_111_111,
        0x0235_23ED,
        "14050471",
        "67062674",
        "99943326",
    ),
    (
        1_234_567_890,
        0x0273_EF07,
        "89005924",
        "91819424",
        "93441116",
    ),
    (
        2_000_000_000,
        0x03F9_40AA,
        "69279037",
        "90698825",
        "38618901",
    ),
    (
        20_000_000_000,
        0x27BC_86AA,
        "65353130",
        "77737706",
        "47863826",
    ),
];

#[test]
fn rfc6238_appendix_b_with_per_algorithm_seeds() {
    let sha1 = params(totp(30), Sha1, 8, SEED20);
    let sha256 = params(totp(30), Sha256, 8, SEED32);
    let sha512 = params(totp(30), Sha512, 8, SEED64);
    for (t, step, c1, c256, c512) in RFC6238 {
        assert_eq!(sha1.code_at(t).counter(), step, "t={t}");
        assert_eq!(sha1.code_at(t).value(), c1, "SHA1 t={t}");
        assert_eq!(sha256.code_at(t).value(), c256, "SHA256 t={t}");
        assert_eq!(sha512.code_at(t).value(), c512, "SHA512 t={t}");
    }
}

#[test]
fn rfc6238_sha256_with_the_prose_seed_gives_a_different_code() {
    // The erratum: with the 20-byte seed the RFC's prose names, SHA-256 at t=59 is not
    // the published 46119246.
    let wrong_seed = params(totp(30), Sha256, 8, SEED20);
    assert_eq!(wrong_seed.code_at(59).value(), "32247374");
}

#[test]
fn rfc6238_six_digit_variants_keep_leading_zeros() {
    let p = params(totp(30), Sha1, 6, SEED20);
    for (t, code) in [
        (1_111_111_111, "050471"),
        (1_234_567_890, "005924"),
        (2_000_000_000, "279037"),
        (1_111_111_109, "081804"),
    ] {
        assert_eq!(p.code_at(t).value(), code, "t={t}");
    }
}

#[test]
fn pyotp_lower_case_secret_matches_google_authenticator() {
    let p = base32(totp(30), Sha1, 6, "wrn3pqx5uqxqvnqr");
    assert_eq!(p.code_at(1_297_553_958).value(), "102705");
}

#[test]
fn pyotp_five_byte_secret_with_each_algorithm() {
    let cases = [
        (Sha1, 0, "734055"),
        (Sha1, 30, "662488"),
        (Sha1, 60, "289363"),
        (Sha256, 0, "918961"),
        (Sha256, 9000, "934470"),
        (Sha512, 0, "816660"),
        (Sha512, 9000, "524153"),
    ];
    for (algorithm, t, code) in cases {
        let p = base32(totp(30), algorithm, 6, "GEZDGNBV");
        assert_eq!(p.secret().as_bytes(), b"12345");
        assert_eq!(p.code_at(t).value(), code, "{algorithm:?} t={t}");
    }
}

#[test]
fn pyotp_hotp_with_a_long_secret() {
    let p = base32(
        Kind::Hotp { counter: 0 },
        Sha1,
        6,
        "N3OVNIBRERIO5OHGVCMDGS4V4RJ3AUZOUN34J6FRM4P6JIFCG3ZA",
    );
    let codes: Vec<String> = (0..5).map(|c| p.code_for_counter(c)).collect();
    assert_eq!(codes, ["737863", "390601", "363354", "936780", "654019"]);
}

#[test]
fn totp_rs_one_second_step_vectors() {
    for (algorithm, code) in [(Sha1, "659761"), (Sha256, "076417"), (Sha512, "473536")] {
        let p = base32(totp(1), algorithm, 6, "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ");
        assert_eq!(p.secret().as_bytes(), b"TestSecretSuperSecret");
        assert_eq!(p.code_at(1000).value(), code, "{algorithm:?}");
    }
}

#[test]
fn dim13_wiki_secret_at_2009_11_10() {
    let p = base32(totp(30), Sha1, 6, "JBSWY3DPEHPK3PXP");
    assert_eq!(p.code_at(1_257_894_000).value(), "528064");
}

#[test]
fn steam_codes_match_keepassxc_and_pyotp() {
    let keepassxc = base32(Kind::Steam, Sha1, 5, "63BEDWCQZKTQWPESARIERL5DTTQFCJTK");
    assert_eq!(keepassxc.code_at(1_511_200_518).value(), "FR8RV");
    assert_eq!(keepassxc.code_at(1_511_200_714).value(), "9P3VP");
    for (secret, codes) in [
        ("BASE32SECRET3232", ["2TC8B", "YKKK4", "M4HQB", "DTVB3"]),
        (
            "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW",
            ["C5V56", "QJY8Y", "R3WQY", "JG3T3"],
        ),
    ] {
        // Steam ignores the algorithm and digits it is given.
        let p = base32(Kind::Steam, Sha512, 8, secret);
        assert_eq!((p.algorithm(), p.digits(), p.period()), (Sha1, 5, Some(30)));
        let got = [0, 30, 60, 90].map(|t| p.code_at(t).value().to_owned());
        assert_eq!(got, codes, "{secret}");
    }
}

#[test]
fn counters_past_two_to_the_32_use_all_64_bits() {
    // Expected codes computed with oathtool 2.6.7 (`oathtool -c N -d D <hex key>`).
    let p = params(Kind::Hotp { counter: 0 }, Sha1, 8, SEED20);
    assert_eq!(p.code_for_counter(1 << 33), "11166590");
    assert_eq!(p.code_for_counter(u64::MAX), "63094451");
    let p6 = params(
        Kind::Hotp {
            counter: (1 << 33) + 5,
        },
        Sha1,
        6,
        SEED20,
    );
    assert_eq!(p6.code_at(0).value(), "065679");
    // A one-second step makes the time itself the counter (`--totp=sha256 -s 1s`).
    let sha256 = params(totp(1), Sha256, 8, SEED32);
    assert_eq!(sha256.code_at(1 << 33).value(), "09628303");
    // t = 2^34, the top of the oathtool peer test's range.
    let sha1 = params(totp(30), Sha1, 8, SEED20);
    assert_eq!(sha1.code_at(1 << 34).counter(), 572_662_306);
    assert_eq!(sha1.code_at(1 << 34).value(), "39298797");
}

/// Seeded, so every run checks the same cases (shared by the otp and otpauth tests).
pub(crate) struct Rng(fastrand::Rng);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(fastrand::Rng::with_seed(seed))
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0.u64(..)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0.u64(0..n)
    }
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    pub(crate) fn key(&mut self) -> Vec<u8> {
        (0..1 + self.below(64)).map(|_| self.next() as u8).collect()
    }
    pub(crate) fn algorithm(&mut self) -> (Algorithm, totp_rs::Algorithm) {
        match self.below(3) {
            0 => (Sha1, totp_rs::Algorithm::SHA1),
            1 => (Sha256, totp_rs::Algorithm::SHA256),
            _ => (Sha512, totp_rs::Algorithm::SHA512),
        }
    }
}
