//! The peers the app is checked against: `oathtool` for codes, `qrencode` for setup
//! QR codes, and fresh random secrets.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a tool and returns its trimmed standard output; panics with what it said on failure.
#[track_caller]
pub fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Seconds since the epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// oathtool's TOTP code (SHA-1, 6 digits, 30 s) for a base32 secret at unix time `t`.
pub fn totp_at(secret: &str, t: u64) -> String {
    run(Command::new("oathtool")
        .args(["--totp", "-b", "-N"])
        .arg(format!("@{t}"))
        .arg(secret))
}

/// The codes a window could honestly show right now: the current period's, and its
/// neighbours' (a code read just before or after a rollover).
pub fn codes_now(secret: &str) -> [String; 3] {
    let t = unix_now();
    [
        totp_at(secret, t - 30),
        totp_at(secret, t),
        totp_at(secret, t + 30),
    ]
}

/// Asserts `shown` (maybe grouped, "123 456") is oathtool's code for `secret` now.
#[track_caller]
pub fn assert_code(shown: &str, secret: &str, what: &str) -> String {
    let digits: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    let expected = codes_now(secret);
    assert!(
        digits.len() == 6 && expected.contains(&digits),
        "{what}: the window shows {shown:?}, oathtool says one of {expected:?}"
    );
    digits
}

/// A random 160-bit secret in base32, as sites hand them out.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 20];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .unwrap();
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// A setup link for a TOTP account (names without spaces or reserved characters).
pub fn totp_uri(issuer: &str, label: &str, secret: &str) -> String {
    format!("otpauth://totp/{issuer}:{label}?secret={secret}&issuer={issuer}")
}

/// Renders `text` as a QR code PNG with qrencode.
pub fn qr_png(dir: &Path, text: &str) -> PathBuf {
    qr_png_at(&dir.join("qr.png"), text)
}

/// Renders `text` as a QR code PNG with qrencode, to `out`.
pub fn qr_png_at(out: &Path, text: &str) -> PathBuf {
    run(Command::new("qrencode")
        .args(["-s", "6", "-m", "4", "-o"])
        .arg(out)
        .arg(text));
    out.to_path_buf()
}
