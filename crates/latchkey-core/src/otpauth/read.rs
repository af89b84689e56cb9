//! The lenient reader behind [`super::parse`].

use percent_encoding::percent_decode_str;
use zeroize::Zeroizing;

use super::{OtpauthUri, UriError};
use crate::otp::{Algorithm, DIGITS_RANGE, Kind, OtpError, OtpParams, STEAM_DIGITS, Secret};

/// The `TYPE` in `otpauth://TYPE/...`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UriType {
    Totp,
    Hotp,
    Steam,
}

/// The parameters this reader knows, each at its first occurrence, form-decoded.
#[derive(Default)]
struct Query {
    secret: Option<Zeroizing<String>>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
    encoder: Option<String>,
    image: Option<String>,
}

pub(super) fn parse(text: &str) -> Result<OtpauthUri, UriError> {
    let text = text.trim();
    if let Some(rest) = strip_prefix_ignore_case(text, "steam://") {
        return parse_steam_scheme(rest);
    }
    let rest = strip_prefix_ignore_case(text, "otpauth://").ok_or(UriError::NotOtpauth)?;
    // All of the rest is the URI: a raw `#` in the label (Ente's `Acc !@#444`, formats.md
    // §2.3 case 35) is text, not the start of a fragment. The first `?` starts the query.
    let (head, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (type_name, label) = head.split_once('/').unwrap_or((head, ""));
    let uri_type = parse_type(type_name)?;
    let query = Query::parse(query);
    let otp = otp_params(uri_type, &query)?;
    let (label_issuer, account) = split_label(label);
    // The wiki only says parameter and label prefix "should be equal". When they are
    // not, the parameter wins, as in yubikey-manager and Ente; pyotp and totp-rs reject
    // the URI instead, and Aegis prefers the label.
    let issuer = query
        .issuer
        .filter(|i| !i.is_empty())
        .or(label_issuer)
        .unwrap_or_default();
    let image = query.image.filter(|i| !i.is_empty());
    Ok(OtpauthUri {
        issuer,
        account,
        otp,
        image,
    })
}

/// Bitwarden's `steam://SECRET`: everything after the scheme is the secret, and there
/// is no label. Aegis names such an account "Steam account"; we leave the account
/// empty for the caller to name, since the URI carries no name.
fn parse_steam_scheme(rest: &str) -> Result<OtpauthUri, UriError> {
    let secret = decode_form(rest.trim_end_matches('/'));
    if secret.trim().is_empty() {
        return Err(UriError::MissingSecret);
    }
    let secret = Secret::from_base32(&secret)?;
    Ok(OtpauthUri {
        issuer: "Steam".to_owned(),
        account: String::new(),
        otp: OtpParams::new(Kind::Steam, Algorithm::Sha1, STEAM_DIGITS, secret)?,
        image: None,
    })
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn parse_type(name: &str) -> Result<UriType, UriError> {
    match name.to_ascii_lowercase().as_str() {
        "totp" => Ok(UriType::Totp),
        "hotp" => Ok(UriType::Hotp),
        "steam" => Ok(UriType::Steam),
        // A long "type" is more likely a misplaced paste (a secret, even) than a type
        // name, so only its first few characters are kept.
        _ if name.chars().count() > 10 => Err(UriError::UnknownType(excerpt(name, 4))),
        _ => Err(UriError::UnknownType(name.to_owned())),
    }
}

impl Query {
    fn parse(query: &str) -> Self {
        let mut q = Self::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode_form(key).trim().to_ascii_lowercase();
            // Only the first occurrence counts, e.g. pyotp's `algorithm=SHA1&...&algorithm=SHA1`.
            let slot = match key.as_str() {
                "secret" => {
                    if q.secret.is_none() {
                        q.secret = Some(decode_form(value));
                    }
                    continue;
                }
                "issuer" => &mut q.issuer,
                "algorithm" => &mut q.algorithm,
                "digits" => &mut q.digits,
                "period" => &mut q.period,
                "counter" => &mut q.counter,
                "encoder" => &mut q.encoder,
                "image" => &mut q.image,
                // Unknown parameters (Ente's `codeDisplay`, `icon`, `foo`) are ignored.
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(decode_form(value).as_str().to_owned());
            }
        }
        q
    }
}

/// Splits `ISSUER:ACCOUNT`. A literal `:` is the separator when there is one; otherwise
/// the first `%3A` is, as in the wiki's ABNF (`issuer (":" / "%3A") *"%20" accountname`),
/// totp-rs and Ente. pyotp instead keeps `a%3Ab` whole as the account (formats.md §2.3
/// case 22); we follow the wiki. Trying the literal colon first lets an issuer or
/// account carry an encoded colon, which is how the writer puts one in.
fn split_label(raw: &str) -> (Option<String>, String) {
    let split = raw.split_once(':').or_else(|| {
        let at = raw.to_ascii_uppercase().find("%3A")?;
        Some((raw.get(..at)?, raw.get(at + 3..)?))
    });
    match split {
        // Spaces after the separator belong to it (`*"%20"` in the ABNF).
        Some((issuer, account)) => {
            let account = decode_path(account).trim_start_matches(' ').to_owned();
            (Some(decode_path(issuer)), account)
        }
        None => (None, decode_path(raw)),
    }
}

fn otp_params(uri_type: UriType, q: &Query) -> Result<OtpParams, UriError> {
    // pyotp and KeePassXC mark Steam with `encoder=steam` on a totp URI. Steam fixes
    // algorithm, digits and period, so those parameters are not even read (pyotp's
    // `period=15&digits=7&encoder=steam` is valid).
    let encoder_steam = given(&q.encoder).is_some_and(|e| e.eq_ignore_ascii_case("steam"));
    let (kind, algorithm, digits) = match uri_type {
        UriType::Steam => (Kind::Steam, Algorithm::Sha1, STEAM_DIGITS),
        UriType::Totp if encoder_steam => (Kind::Steam, Algorithm::Sha1, STEAM_DIGITS),
        UriType::Totp => (Kind::Totp { period: period(q)? }, algorithm(q)?, digits(q)?),
        // The wiki calls `counter` REQUIRED for hotp, but a new account's counter is 0
        // and some producers leave it out, so a missing counter means 0. `period`
        // means nothing for HOTP and is ignored (Ente writes it anyway).
        UriType::Hotp => (
            Kind::Hotp {
                counter: counter(q)?,
            },
            algorithm(q)?,
            digits(q)?,
        ),
    };
    // The secret is decoded last, once everything else is known to be good, so a URI
    // with several faults reports the parameter first (as pyotp does for `digits=-1`).
    let secret = q.secret.as_ref().ok_or(UriError::MissingSecret)?;
    let secret = Secret::from_base32(secret)?;
    Ok(OtpParams::new(kind, algorithm, digits, secret)?)
}

/// A parameter's trimmed value; an empty one counts as absent, so the default applies.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn algorithm(q: &Query) -> Result<Algorithm, UriError> {
    // `Algorithm::parse` takes any case, so Ente's `algorithm=sha512` is fine.
    Ok(given(&q.algorithm)
        .map(Algorithm::parse)
        .transpose()?
        .unwrap_or_default())
}

fn digits(q: &Query) -> Result<u8, UriError> {
    let Some(value) = given(&q.digits) else {
        return Ok(6);
    };
    let n: u32 = value
        .parse()
        .map_err(|_| UriError::InvalidDigits(excerpt(value, 16)))?;
    match u8::try_from(n) {
        Ok(d) if DIGITS_RANGE.contains(&d) => Ok(d),
        _ => Err(OtpError::UnsupportedDigits(n).into()),
    }
}

fn period(q: &Query) -> Result<u32, UriError> {
    let Some(value) = given(&q.period) else {
        return Ok(30);
    };
    match value.parse::<u32>() {
        Ok(0) => Err(OtpError::ZeroPeriod.into()),
        Ok(p) => Ok(p),
        Err(_) => Err(UriError::InvalidPeriod(excerpt(value, 16))),
    }
}

fn counter(q: &Query) -> Result<u64, UriError> {
    let Some(value) = given(&q.counter) else {
        return Ok(0);
    };
    value
        .parse()
        .map_err(|_| UriError::InvalidCounter(excerpt(value, 24)))
}

/// Form-decodes a query value: `+` is a space, then percent-decoding (bytes that are
/// not UTF-8 become U+FFFD). Zeroized because the value may be the secret.
fn decode_form(raw: &str) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(raw.len()));
    for (i, piece) in raw.split('+').enumerate() {
        if i > 0 {
            bytes.push(b' ');
        }
        bytes.extend(percent_decode_str(piece));
    }
    Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned())
}

/// Percent-decodes a label part; `+` stays a plus, as in any URI path.
fn decode_path(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

/// The start of a rejected value for an error message. Never called on the secret.
fn excerpt(value: &str, max_chars: usize) -> String {
    let mut out: String = value.chars().take(max_chars).collect();
    if value.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    out
}
