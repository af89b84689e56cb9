//! HTML building: escaping, the page frame, and the few pieces every page shares.
//!
//! Pages are `format!` strings; every value that comes from a person or the database
//! goes through [`escape`] (text and attribute values alike).

use super::Visitor;

/// Escapes text for HTML element content and quoted attribute values.
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

/// The whole document: header (with the signed-in email and Sign out), then `main`.
pub(crate) fn layout(visitor: Option<&Visitor>, title: &str, main: &str) -> String {
    document(visitor, title, main, "")
}

/// [`layout`] plus `passkey.js`, for the pages with passkey buttons.
pub(crate) fn layout_with_script(visitor: &Visitor, title: &str, main: &str) -> String {
    document(
        Some(visitor),
        title,
        main,
        "\n  <script src=\"/static/passkey.js\" defer></script>",
    )
}

fn document(visitor: Option<&Visitor>, title: &str, main: &str, script: &str) -> String {
    let nav = match visitor.and_then(|v| v.user.as_ref().map(|u| (v, u))) {
        Some((v, user)) => format!(
            r#"<span class="who">{}</span>
      <form method="post" action="/logout" class="inline">{}<button class="link">Sign out</button></form>"#,
            escape(&user.email),
            csrf_field(v),
        ),
        None => r#"<a href="/login">Sign in</a> <a href="/signup">Create account</a>"#.to_owned(),
    };
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · Latchkey Demo</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/style.css">{script}
</head>
<body>
  <header class="top">
    <a class="brand" href="/"><span class="mark" aria-hidden="true">◆</span> Latchkey Demo</a>
    <nav>{nav}</nav>
  </header>
  <main>
{main}
  </main>
</body>
</html>
"#,
        title = escape(title),
    )
}

/// The hidden CSRF field every form carries.
pub(crate) fn csrf_field(visitor: &Visitor) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        escape(&visitor.csrf)
    )
}

/// A message box; `kind` is `error`, `ok` or `info`.
pub(crate) fn notice(kind: &str, text: &str) -> String {
    let role = if kind == "error" { "alert" } else { "status" };
    format!(
        r#"<p class="notice {kind}" role="{role}">{}</p>"#,
        escape(text)
    )
}

/// A notice when there is a message, nothing otherwise.
pub(crate) fn maybe_notice(kind: &str, text: Option<&str>) -> String {
    text.map(|t| notice(kind, t)).unwrap_or_default()
}

/// A Unix time as a UTC date, e.g. `28 Nov 2026`.
pub(crate) fn date(unix: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian.
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let name = usize::try_from(month - 1)
        .ok()
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or("?");
    format!("{day} {name} {year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn formats_unix_times_as_utc_dates() {
        assert_eq!(date(0), "1 Jan 1970");
        assert_eq!(date(951_782_400), "29 Feb 2000");
        assert_eq!(date(1_800_000_000), "15 Jan 2027");
    }
}
