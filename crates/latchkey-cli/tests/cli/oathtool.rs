//! The peer the codes are checked against: OATH Toolkit's `oathtool`, run for real.

use std::process::Command;

/// Runs `oathtool ARGS` and returns its one line of output.
#[track_caller]
fn oathtool(args: &[String]) -> String {
    let out = match Command::new("oathtool").args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!(
                "oathtool is missing: apt-get install oathtool (or run scripts/test, which installs it)"
            )
        }
        Err(e) => panic!("cannot run oathtool: {e}"),
    };
    assert!(
        out.status.success(),
        "oathtool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The TOTP code at unix time `t`. `secret` is base32 as oathtool reads it.
#[track_caller]
pub fn totp(secret: &str, algorithm: &str, digits: u8, period: u32, t: u64) -> String {
    oathtool(&[
        format!("--totp={algorithm}"),
        format!("--digits={digits}"),
        format!("--time-step-size={period}s"),
        format!("--now=@{t}"),
        "--base32".into(),
        secret.into(),
    ])
}

/// The HOTP code for `counter`.
#[track_caller]
pub fn hotp(secret: &str, digits: u8, counter: u64) -> String {
    oathtool(&[
        "--hotp".into(),
        format!("--digits={digits}"),
        format!("--counter={counter}"),
        "--base32".into(),
        secret.into(),
    ])
}

/// A TOTP account as oathtool knows it.
pub struct Totp<'a> {
    pub secret: &'a str,
    pub algorithm: &'a str,
    pub digits: u8,
    pub period: u32,
}

impl crate::run::Sandbox {
    /// Asserts `latchkey code QUERY --at T` equals oathtool's code at each `t`.
    #[track_caller]
    pub fn assert_codes_match(&self, query: &str, account: &Totp<'_>, times: &[u64]) {
        for &t in times {
            let out = self.ok(&["code", query, "--at", &t.to_string()]);
            let expected = totp(
                account.secret,
                account.algorithm,
                account.digits,
                account.period,
                t,
            );
            assert_eq!(out.stdout.trim(), expected, "{query} at {t}");
        }
    }
}
