//! Our codes against oathtool's (OATH Toolkit, `apt-get install oathtool`) on 1,200
//! deterministic pseudo-random cases: secrets of 1 to 64 bytes, SHA1/SHA256/SHA512, 6 to
//! 8 digits, periods of 1 to 300 s, times up to 2^34 and HOTP counters up to 2^64. Each
//! oathtool run prints the codes of four consecutive steps (`-w 3`), so every case
//! checks four codes. oathtool's HOTP mode is SHA1 only; a 1 s TOTP step (which the
//! period draw includes) covers HOTP with SHA256 and SHA512, since the time is then the
//! counter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::ErrorKind;
use std::process::Command;

use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};

const TOTP_CASES: usize = 900;
const HOTP_CASES: usize = 300;
/// `-w 3`: oathtool prints the code of the given step and of the 3 after it.
const WINDOW: u64 = 3;

/// Seeded, so every run checks the same cases.
struct Rng(fastrand::Rng);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(fastrand::Rng::with_seed(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.u64(..)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(0..n)
    }
    /// 1 to 64 bytes, with the common 80-bit (10-byte) and 160-bit keys drawn often.
    fn key(&mut self) -> Vec<u8> {
        let len = match self.below(8) {
            0 => 10,
            1 => 20,
            _ => 1 + self.below(64),
        };
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// One oathtool run and the codes we expect it to print.
struct Case {
    args: Vec<String>,
    expected: Vec<String>,
}

fn totp_case(rng: &mut Rng, index: usize) -> Case {
    let key = rng.key();
    let (algorithm, mode) = match rng.below(3) {
        0 => (Algorithm::Sha1, "SHA1"),
        1 => (Algorithm::Sha256, "SHA256"),
        _ => (Algorithm::Sha512, "SHA512"),
    };
    let digits = 6 + rng.below(3) as u8;
    let period = match rng.below(4) {
        0 => 30,
        1 => 60,
        _ => 1 + rng.below(300) as u32,
    };
    // The ends of the range come first, then random instants up to 2^34 (year 2514).
    let time = match index {
        0 => 0,
        1 => (1 << 34) - 1,
        _ => rng.below(1 << 34),
    };
    let otp = params(Kind::Totp { period }, algorithm, digits, key.clone());
    let step = otp.code_at(time).counter();
    let mut expected = vec![otp.code_at(time).value().to_owned()];
    expected.extend((1..=WINDOW).map(|i| otp.code_for_counter(step + i)));
    let args = [
        format!("--totp={mode}"),
        format!("--digits={digits}"),
        format!("--time-step-size={period}s"),
        format!("--now=@{time}"),
        format!("--window={WINDOW}"),
        data_encoding::HEXLOWER.encode(&key),
    ];
    Case {
        args: args.into(),
        expected,
    }
}

fn hotp_case(rng: &mut Rng, index: usize) -> Case {
    let key = rng.key();
    let digits = 6 + rng.below(3) as u8;
    // Small counters, counters past 2^32 and the very top (the window must not wrap).
    let counter = match index % 4 {
        0 => rng.below(1000),
        1 => (1 << 32) + rng.below(1 << 40),
        2 if index == 2 => u64::MAX - WINDOW,
        _ => rng.next() % (u64::MAX - WINDOW),
    };
    let otp = params(Kind::Hotp { counter }, Algorithm::Sha1, digits, key.clone());
    let mut expected = vec![otp.code_at(0).value().to_owned()];
    expected.extend((1..=WINDOW).map(|i| otp.code_for_counter(counter + i)));
    let args = [
        "--hotp".to_owned(),
        format!("--counter={counter}"),
        format!("--digits={digits}"),
        format!("--window={WINDOW}"),
        data_encoding::HEXLOWER.encode(&key),
    ];
    Case {
        args: args.into(),
        expected,
    }
}

fn params(kind: Kind, algorithm: Algorithm, digits: u8, key: Vec<u8>) -> OtpParams {
    OtpParams::new(kind, algorithm, digits, Secret::from_bytes(key)).unwrap()
}

/// Fails, rather than skips, without oathtool: a peer test that silently does not run
/// would hide a regression.
fn require_oathtool() {
    match Command::new("oathtool").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!("`oathtool --version` failed: {out:?}"),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            panic!("oathtool is not installed; this peer test needs it: apt-get install oathtool")
        }
        Err(e) => panic!("cannot run oathtool: {e}"),
    }
}

/// Runs oathtool for one case; a description of the mismatch, if any.
fn check(case: &Case) -> Option<String> {
    let out = Command::new("oathtool").args(&case.args).output().unwrap();
    let shown = || format!("oathtool {}", case.args.join(" "));
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Some(format!("{} failed: {}", shown(), stderr.trim()));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let theirs: Vec<&str> = stdout.lines().collect();
    (theirs != case.expected).then(|| {
        format!(
            "{}\n    oathtool: {theirs:?}\n    ours:     {:?}",
            shown(),
            case.expected
        )
    })
}

#[test]
fn codes_match_oathtool_on_1200_random_cases() {
    require_oathtool();
    let mut rng = Rng::new(0x5EED_0A7B_7001_2026);
    let mut cases: Vec<Case> = (0..TOTP_CASES).map(|i| totp_case(&mut rng, i)).collect();
    cases.extend((0..HOTP_CASES).map(|i| hotp_case(&mut rng, i)));
    let failures: Vec<String> = cases.iter().filter_map(check).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from oathtool; the first ones:\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}
