//! A printable recovery sheet for one account: a self-contained HTML page (no
//! scripts, no outside resources) with the unused codes in a grid and the used ones
//! struck through, to print and keep somewhere safe.

use crate::Account;

/// A UTC calendar date ("2026-11-28") from unix seconds (Howard Hinnant's
/// civil-from-days), for dates printed on sheets and in listings.
pub fn utc_date(t: i64) -> String {
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The styles every printed sheet shares (this one and the export sheet).
pub(crate) const STYLE: &str = "\
body { font: 14px/1.5 system-ui, sans-serif; margin: 2.5rem; color: #111; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p { margin: .25rem 0 1rem; color: #444; }
ol { columns: 2; list-style: decimal-leading-zero; padding-left: 2.2rem; }
li { margin: .35rem 0; break-inside: avoid; }
code { font: 1.1rem ui-monospace, monospace; letter-spacing: .05em; }
.used code { text-decoration: line-through; color: #888; }
footer { margin-top: 2rem; font-size: .85rem; color: #555; border-top: 1px solid #ccc; padding-top: .5rem; }
";

/// An account's current recovery codes as `<li>` rows (used ones struck through by
/// [`STYLE`]), and a sentence saying how many are left.
pub(crate) fn code_rows(account: &Account) -> (String, String) {
    let mut rows = String::new();
    let set = account.recovery.current();
    for code in set.map(|s| s.codes()).unwrap_or_default() {
        let (class, note) = match code.used_at() {
            Some(_) => (" class=\"used\"", " <small>(used)</small>"),
            None => ("", ""),
        };
        rows.push_str(&format!(
            "<li{class}><code>{}</code>{note}</li>\n",
            escape(code.code())
        ));
    }
    let summary = match set {
        Some(s) => format!("{} of {} codes unused.", s.remaining(), s.codes().len()),
        None => "No recovery codes are saved for this account.".into(),
    };
    (rows, summary)
}

/// The sheet for `account`, printed at `now` (unix seconds).
pub fn html(account: &Account, now: i64) -> String {
    let today = utc_date(now);
    let name = escape(&account.display_name());
    let (rows, summary) = code_rows(account);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <title>Recovery codes — {name}</title>\n<style>\n{STYLE}</style></head><body>\n\
         <h1>Recovery codes — {name}</h1>\n<p>{summary} Printed {today} from Latchkey.</p>\n\
         <ol>\n{rows}</ol>\n\
         <footer>Each code works once. Keep this sheet somewhere safe and offline; \
         anyone holding it can sign in as you.</footer>\n</body></html>\n"
    )
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::otp::{Algorithm, Kind, OtpParams, Secret};
    use crate::recovery::parse;

    #[test]
    fn lists_codes_strikes_used_ones_and_escapes_names() {
        let otp = OtpParams::new(
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        )
        .unwrap();
        let mut a = Account::new("<b>Evil</b> & Co", "alice", otp, 0);
        a.recovery
            .replace(parse("aaaa-1111\nbbbb-2222\ncccc-3333").unwrap(), 0);
        a.recovery.use_code(Some("bbbb-2222"), 5).unwrap();
        let page = html(&a, 1_795_827_600);
        assert!(page.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"));
        assert!(!page.contains("<b>Evil"));
        assert!(page.contains("<li><code>aaaa-1111</code></li>"));
        assert!(page.contains("<li class=\"used\"><code>bbbb-2222</code>"));
        assert!(page.contains("2 of 3 codes unused."));
        assert!(!page.contains("<script"));
        assert!(page.contains("Printed 2026-11-28"));
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_700_000_000), "2023-11-14");
        assert_eq!(utc_date(4_102_444_799), "2099-12-31");
    }
}
