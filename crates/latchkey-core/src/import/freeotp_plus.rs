//! FreeOTP+'s JSON backup ("Export JSON"): `{"tokenOrder": ["Issuer:label", …],
//! "tokens": [{"type", "algo", "digits", "period", "counter", "secret", "issuerExt",
//! "issuerInt", "issuerAlt", "label", "labelAlt", "image", …}]}` — FreeOTP's legacy
//! `Token` as Gson writes it (helloworld1/FreeOTPPlus `token-data/…/legacy/Token.java`,
//! `ImportExportUtil.kt`; formats.md §4.2).
//!
//! Two quirks: `secret` is the raw key as an array of Java's *signed* bytes
//! (-128…127), and an HOTP `counter` is stored one below the counter of the link the
//! token came from (FreeOTP reads `counter=N` as N - 1 and writes `counter + 1` back
//! when it makes a link), so the next code is at `counter + 1`. Aegis imports the
//! stored value and corrects its test vectors by one; we add the one, which gives
//! the vectors themselves. FreeOTP shows codes as Steam's 5 characters when the issuer
//! is "Steam", so such TOTP tokens become Steam accounts.
//!
//! The issuer is the one the person set (`issuerAlt`), else the link's `issuer`
//! parameter (`issuerInt`), else the label's prefix (`issuerExt`); the name is
//! `labelAlt`, else `label`. A `category` (newer versions) becomes a tag. Tokens come
//! in the order of `tokens`. Lost: `tokenOrder`, images (paths on the phone) and
//! aliases.

use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::{Zeroize, Zeroizing};

use super::{Format, ImportError, Restored, Skipped};
use crate::Account;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

const FORMAT: &str = "a FreeOTP+ backup";

pub(super) struct FreeOtpPlus;

/// Enough of the backup to recognise it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[allow(dead_code)]
    tokens: Vec<IgnoredAny>,
    #[allow(dead_code)]
    token_order: Vec<IgnoredAny>,
}

#[derive(Deserialize)]
struct Backup {
    tokens: Vec<Token>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Token {
    #[serde(rename = "type")]
    kind: String,
    algo: Option<String>,
    digits: Option<i64>,
    period: Option<i64>,
    counter: i64,
    secret: SignedBytes,
    issuer_ext: Option<String>,
    issuer_int: Option<String>,
    issuer_alt: Option<String>,
    label: Option<String>,
    label_alt: Option<String>,
    category: Option<String>,
}

/// The key as Java's signed bytes, wiped when the token is dropped.
#[derive(Deserialize, Default)]
#[serde(transparent)]
struct SignedBytes(Vec<i64>);

impl Drop for SignedBytes {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Format for FreeOtpPlus {
    fn id(&self) -> &'static str {
        "freeotp-plus"
    }

    fn name(&self) -> &'static str {
        "FreeOTP+ (JSON backup)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        serde_json::from_slice::<Probe>(bytes).is_ok()
    }

    fn encrypted(&self, _: &[u8]) -> bool {
        false
    }

    fn restore(&self, bytes: &[u8], _: Option<&str>) -> Result<Restored, ImportError> {
        let backup: Backup = serde_json::from_slice(bytes).map_err(|_| {
            if bytes.trim_ascii_start().starts_with(b"{") && contains(bytes, b"\"tokens\"") {
                ImportError::Damaged("its JSON is cut short or a token is malformed")
            } else {
                ImportError::WrongFormat(FORMAT)
            }
        })?;
        let mut out = Restored::default();
        for (n, token) in backup.tokens.iter().enumerate() {
            match account(token) {
                Ok(account) => out.accounts.push(account),
                Err(reason) => out.skipped.push(Skipped {
                    name: token.name(n),
                    reason,
                }),
            }
        }
        Ok(out)
    }
}

fn contains(bytes: &[u8], key: &[u8]) -> bool {
    bytes.windows(key.len()).any(|w| w == key)
}

fn first_set<'a>(choices: &[&'a Option<String>]) -> &'a str {
    choices
        .iter()
        .filter_map(|c| c.as_deref())
        .find(|s| !s.trim().is_empty())
        .unwrap_or("")
}

impl Token {
    fn issuer(&self) -> &str {
        first_set(&[&self.issuer_alt, &self.issuer_int, &self.issuer_ext])
    }

    fn label(&self) -> &str {
        first_set(&[&self.label_alt, &self.label])
    }

    /// How the skipped list names the token ("Issuer: label", or its position).
    fn name(&self, n: usize) -> String {
        match (self.issuer(), self.label()) {
            ("", "") => format!("token {}", n + 1),
            ("", label) => label.to_owned(),
            (issuer, "") => issuer.to_owned(),
            (issuer, label) => format!("{issuer}: {label}"),
        }
    }
}

/// One token as an account, or why it cannot be one (never mentioning the secret).
fn account(t: &Token) -> Result<Account, String> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(t.secret.0.len()));
    for &b in &t.secret.0 {
        // Java's signed bytes; an unsigned 0…255 is taken too.
        let byte = i8::try_from(b)
            .map(|v| v.to_le_bytes()[0])
            .or_else(|_| u8::try_from(b))
            .map_err(|_| "its secret holds a number that is not a byte".to_owned())?;
        bytes.push(byte);
    }
    let secret = Secret::from_bytes(std::mem::take(&mut *bytes));
    let algorithm =
        Algorithm::parse(t.algo.as_deref().unwrap_or("SHA1")).map_err(|e| e.to_string())?;
    let digits = u8::try_from(t.digits.unwrap_or(6))
        .map_err(|_| format!("{} digits is not supported", t.digits.unwrap_or(6)))?;
    let kind = match t.kind.to_ascii_uppercase().as_str() {
        "TOTP" if t.issuer() == "Steam" || t.issuer_ext.as_deref() == Some("Steam") => Kind::Steam,
        "TOTP" => Kind::Totp {
            period: u32::try_from(t.period.unwrap_or(30))
                .map_err(|_| "its period is not a number of seconds".to_owned())?,
        },
        "HOTP" => Kind::Hotp {
            counter: t
                .counter
                .checked_add(1)
                .and_then(|c| u64::try_from(c).ok())
                .ok_or_else(|| "its counter is negative".to_owned())?,
        },
        other => {
            let shown: String = other.chars().take(16).collect();
            return Err(format!("the token type {shown:?} is not supported"));
        }
    };
    let otp = OtpParams::new(kind, algorithm, digits, secret).map_err(|e| e.to_string())?;
    let mut account = Account::new(t.issuer(), t.label(), otp, 0);
    if let Some(category) = t.category.as_deref().filter(|c| !c.trim().is_empty()) {
        account.tags.push(category.to_owned());
    }
    Ok(account)
}
