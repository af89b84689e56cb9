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
