//! Payload texts: `otpauth://` URIs in the shapes real sites emit, and web links.
//!
//! The variety matters more than realism of any one URI: parameter order, optional
//! parameters, 80- and 160-bit secrets, percent-encoded and raw UTF-8 labels all change
//! the QR version and the encoding modes, which is what stresses a reader.

use data_encoding::BASE32_NOPAD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub const ISSUERS: &[&str] = &[
    "GitHub",
    "Google",
    "Microsoft",
    "Amazon Web Services",
    "Dropbox",
    "Proton",
    "Cloudflare",
    "GitLab",
    "Discord",
    "Coinbase",
    "Nextcloud",
    "Mastodon (fosstodon.org)",
    "Banque Crédit Mutuel",
    "Zürcher Kantonalbank",
    "Sparkasse Köln-Bonn",
    "日本通信",
    "Ελληνική Τράπεζα",
    "ACME Corp. (Staging)",
    "Ünïcødé & Söns",
    "Atlassian",
];

pub const USERS: &[&str] = &[
    "alice",
    "bob.smith",
    "j.doe+2fa",
    "maría.garcía",
    "zoë",
    "admin",
    "ops-team",
    "李雷",
    "dev.null",
    "firstname.middlename.lastname.with.a.rather.long.name",
];

pub const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.example.net",
    "corp.example.co.uk",
    "bücher.example",
];

/// What URIs escape in a label or a parameter: everything but RFC 3986's unreserved
/// characters and `@`, which sites leave raw in e-mail addresses.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// A random account: issuer, e-mail-like name and a secret of 10 or 20 bytes.
#[derive(Clone, Debug)]
pub struct Account {
    pub issuer: String,
    pub name: String,
    pub secret: Vec<u8>,
    /// 1 = SHA1, 2 = SHA256, 3 = SHA512 (the migration enum's numbering).
    pub algorithm: u8,
    pub digits: u8,
    pub hotp_counter: Option<u64>,
}

impl Account {
    pub fn random(rng: &mut fastrand::Rng) -> Self {
        let issuer = ISSUERS[rng.usize(..ISSUERS.len())].to_string();
        let name = format!(
            "{}@{}",
            USERS[rng.usize(..USERS.len())],
            DOMAINS[rng.usize(..DOMAINS.len())]
        );
        let mut secret = vec![0u8; if rng.bool() { 10 } else { 20 }];
        rng.fill(&mut secret);
        let algorithm = [1, 1, 1, 2, 3][rng.usize(..5)];
        let digits = if rng.u8(..4) == 0 { 8 } else { 6 };
        let hotp_counter = (rng.u8(..8) == 0).then(|| rng.u64(..1000));
        Self {
            issuer,
            name,
            secret,
            algorithm,
            digits,
            hotp_counter,
        }
    }
}

/// An `otpauth://` URI for a random account, non-ASCII percent-encoded as the Key URI
/// format asks.
pub fn otpauth(rng: &mut fastrand::Rng) -> String {
    otpauth_for(&Account::random(rng), rng, false)
}

/// An `otpauth://` URI whose label and issuer carry raw UTF-8, as some generators emit.
/// Such QR codes have no ECI header, so a reader must guess the byte encoding.
pub fn otpauth_raw_utf8(rng: &mut fastrand::Rng) -> String {
    let mut account = Account::random(rng);
    let non_ascii: Vec<&str> = ISSUERS.iter().copied().filter(|i| !i.is_ascii()).collect();
    account.issuer = non_ascii[rng.usize(..non_ascii.len())].to_string();
    otpauth_for(&account, rng, true)
}

/// Writes an account as a key URI, choosing the optional parts the way various sites do.
pub fn otpauth_for(account: &Account, rng: &mut fastrand::Rng, raw_utf8: bool) -> String {
    let esc = |s: &str| {
        if raw_utf8 {
            escape_ascii_only(s)
        } else {
            utf8_percent_encode(s, LABEL).to_string()
        }
    };
    let kind = if account.hotp_counter.is_some() {
        "hotp"
    } else {
        "totp"
    };
    let label = format!("{}:{}", esc(&account.issuer), esc(&account.name));
    let mut params = vec![
        format!("secret={}", BASE32_NOPAD.encode(&account.secret)),
        format!("issuer={}", esc(&account.issuer)),
    ];
    let algorithm = ["SHA1", "SHA256", "SHA512"][usize::from(account.algorithm - 1)];
    if account.algorithm != 1 || rng.bool() {
        params.push(format!("algorithm={algorithm}"));
    }
    if account.digits != 6 || rng.bool() {
        params.push(format!("digits={}", account.digits));
    }
    match account.hotp_counter {
        Some(counter) => params.push(format!("counter={counter}")),
        None if rng.u8(..5) == 0 => params.push("period=60".to_string()),
        None if rng.bool() => params.push("period=30".to_string()),
        None => {}
    }
    rng.shuffle(&mut params);
    format!("otpauth://{kind}/{label}?{}", params.join("&"))
}

/// Escapes only the ASCII characters that would break the URI, leaving UTF-8 raw.
fn escape_ascii_only(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' | '&' | '#' | '?' | '%' | '+' | '/' | ':' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A web link of the kind a page shows beside or instead of a setup code.
pub fn web_link(rng: &mut fastrand::Rng) -> String {
    const HOSTS: &[&str] = &[
        "www.example.com",
        "apps.example.org",
        "example.net",
        "go.example.co.uk",
    ];
    const PATHS: &[&str] = &["download", "app/install", "help/two-factor", "r", "mobile"];
    let host = HOSTS[rng.usize(..HOSTS.len())];
    let path = PATHS[rng.usize(..PATHS.len())];
    match rng.u8(..3) {
        0 => format!("https://{host}/{path}"),
        1 => format!(
            "https://{host}/{path}?utm_source=qr&utm_campaign=2fa-{}",
            rng.u32(1000..99999)
        ),
        _ => {
            let token: String = (0..rng.usize(8..24)).map(|_| rng.alphanumeric()).collect();
            format!("https://{host}/{path}/{token}")
        }
    }
}
