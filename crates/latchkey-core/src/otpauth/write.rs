//! The canonical writer behind [`to_uri`].

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::otp::{Kind, OtpParams};

/// Bytes written as they are: RFC 3986's unreserved characters, plus `@`, which is legal
/// in both path and query and keeps `alice@example.com` readable. Everything else is
/// percent-encoded, `:` too, so that the only literal colon is the label's separator;
/// a space becomes `%20` (never `+`), which every reader understands.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// The fixed text of a URI (scheme, type, parameter names, the longest counter) fits
/// well within this many bytes.
const FIXED_PARTS: usize = 160;

/// Writes the canonical URI of one account, for export or a QR code:
/// `otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`.
/// See the module docs for HOTP, Steam and an empty issuer. The result holds the secret,
/// so it is zeroized on drop.
pub fn to_uri(issuer: &str, account: &str, otp: &OtpParams) -> Zeroizing<String> {
    write(issuer, account, otp, None)
}

pub(super) fn write(
    issuer: &str,
    account: &str,
    otp: &OtpParams,
    image: Option<&str>,
) -> Zeroizing<String> {
    // Without an issuer a colon in the account would be read back as a separator (the
    // reader takes `%3A` as one when the label has no literal colon), so such a label
    // starts with a bare separator: `:a%3Ab` is account "a:b" with no issuer.
    let separator = !issuer.is_empty() || account.contains(':');
    let issuer = encode(issuer);
    let account = encode(account);
    let image = image.map(encode);
    let secret = otp.secret().to_base32();
    // All the room is taken up front: a growing string would leave copies of the secret
    // behind in freed memory.
    let capacity = FIXED_PARTS
        + 2 * issuer.len()
        + account.len()
        + secret.len()
        + image.as_ref().map_or(0, String::len);
    let mut out = Zeroizing::new(String::with_capacity(capacity));
    out.push_str(match otp.kind() {
        Kind::Hotp { .. } => "otpauth://hotp/",
        // Steam goes out as TOTP with `encoder=steam` (KeePassXC's and pyotp's form):
        // more readers know `totp` than `steam`, and one that knows neither
        // still computes the right HMAC, only shown as digits.
        Kind::Totp { .. } | Kind::Steam => "otpauth://totp/",
    });
    out.push_str(&issuer);
    if separator {
        out.push(':');
    }
    out.push_str(&account);
    out.push_str("?secret=");
    out.push_str(&secret);
    if !issuer.is_empty() {
        out.push_str("&issuer=");
        out.push_str(&issuer);
    }
    out.push_str("&algorithm=");
    out.push_str(otp.algorithm().as_str());
    out.push_str("&digits=");
    out.push_str(&otp.digits().to_string());
    match otp.kind() {
        Kind::Totp { period } => out.push_str(&format!("&period={period}")),
        Kind::Hotp { counter } => out.push_str(&format!("&counter={counter}")),
        Kind::Steam => out.push_str("&period=30&encoder=steam"),
    }
    if let Some(image) = image {
        out.push_str("&image=");
        out.push_str(&image);
    }
    out
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, KEEP).to_string()
}
