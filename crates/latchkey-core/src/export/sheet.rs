//! The printable sheet: every account on paper with what it takes to set it up again
//! by hand or by camera (its name, its setup QR code, its secret in groups of four,
//! its code settings) and its recovery codes, used ones struck through. One
//! self-contained HTML page: the QR codes are inline SVG, no script, no outside
//! resource; the styles are the recovery sheet's, plus print rules.

use std::fmt::Write;

use zeroize::Zeroizing;

use super::ExportError;
use super::qr::svg_of;
use crate::Account;
use crate::otp::Kind;
use crate::recovery::sheet::{STYLE, code_rows, escape, utc_date};

/// Styles on top of the recovery sheet's: one account per block, never split across
/// pages, the QR code beside the details.
const SHEET_STYLE: &str = "\
section { display: flex; gap: 1.5rem; padding: 1rem 0; border-top: 1px solid #ccc; break-inside: avoid; }
section h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
.qr svg { width: 42mm; height: 42mm; }
.secret { font-size: 1.2rem; word-spacing: .4em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0 1rem; margin: .5rem 0; }
dt { color: #555; }
dd { margin: 0; }
@page { margin: 15mm; }
@media print { body { margin: 0; } }
";

/// The sheet for `accounts`, printed at `now` (unix seconds). It holds every secret.
pub fn sheet(accounts: &[Account], now: i64) -> Result<Zeroizing<String>, ExportError> {
    let mut page = Zeroizing::new(String::with_capacity(4096 + 12_288 * accounts.len()));
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <title>Latchkey accounts — {today}</title>\n<style>\n{STYLE}{SHEET_STYLE}</style></head><body>\n\
         <h1>Latchkey accounts</h1>\n<p>{count} printed {today}. Anyone holding this sheet \
         can make your sign-in codes: keep it somewhere safe and offline.</p>\n",
        today = utc_date(now),
        count = match accounts.len() {
            1 => "1 account".to_string(),
            n => format!("{n} accounts"),
        },
    );
    for account in accounts {
        section(&mut page, account)?;
    }
    page.push_str(
        "<footer>Set an account up again by scanning its code, or by typing its secret \
         with the settings beside it. Each recovery code works once.</footer>\n</body></html>\n",
    );
    Ok(page)
}

fn section(page: &mut String, account: &Account) -> Result<(), ExportError> {
    let svg = svg_of(account)?;
    let inline = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
    let secret = account.otp.secret().to_base32();
    let (rows, summary) = code_rows(account);
    let _ = write!(
        page,
        "<section>\n<div class=\"qr\">{inline}</div>\n<div>\n<h2>{name}</h2>\n<dl>\n\
         <dt>Secret</dt><dd><code class=\"secret\">{grouped}</code></dd>\n\
         <dt>Type</dt><dd>{settings}</dd>\n",
        name = escape(&account.display_name()),
        grouped = groups(&secret).as_str(),
        settings = escape(&settings(account)),
    );
    if !account.tags.is_empty() {
        let _ = writeln!(
            page,
            "<dt>Tags</dt><dd>{}</dd>",
            escape(&account.tags.join(", "))
        );
    }
    let _ = write!(
        page,
        "</dl>\n<p>Recovery codes: {summary}</p>\n<ol>\n{rows}</ol>\n</div>\n</section>\n"
    );
    Ok(())
}

/// The base32 secret in groups of four ("JBSW Y3DP EHPK 3PXP"), easier to type.
fn groups(secret: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(secret.len() * 5 / 4 + 1));
    for (i, c) in secret.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// "TOTP, SHA1, 6 digits, every 30 s" and the like.
fn settings(account: &Account) -> String {
    let otp = &account.otp;
    let (kind, how) = match otp.kind() {
        Kind::Totp { period } => ("TOTP", format!("every {period} s")),
        Kind::Hotp { counter } => ("HOTP", format!("counter {counter}")),
        Kind::Steam => ("Steam Guard", "every 30 s".to_string()),
    };
    format!(
        "{kind}, {}, {} digits, {how}",
        otp.algorithm().as_str(),
        otp.digits()
    )
}
