//! Reading recovery codes out of pasted text or a site's download.
//!
//! Sites print codes in many shapes: GitHub `a1b2c-3d4e5`, Google `1234 5678` (numbered,
//! often in two columns), Microsoft `ABCDE-FGHIJ-KLMNO-PQRST-UVWXY`, Bitwarden 32
//! characters in groups of four, Discord and X a plain `abcd1234`. So the rule is about
//! shape, not about any one site, and whatever does not fit is reported, not guessed at.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use super::RecoveryError;

/// Most groups a code may have (Bitwarden shows 8 groups of 4).
const MAX_GROUPS: usize = 8;
/// Fewest characters in a group of a multi-group code; shorter groups are dates
/// (`2024-01-15`) or prose (`Page 1 of 2`).
const MIN_GROUP_LEN: usize = 3;
/// Letters and digits in a code, separators not counted.
const CODE_LEN: std::ops::RangeInclusive<usize> = 6..=40;
/// Bullets stripped from the start of a line when whitespace follows.
const BULLETS: &[char] = &['-', '*', '+', '>', '•', '·', '◦', '‣', '–', '—'];
/// Quotes and trailing list punctuation stripped around a code.
const QUOTES: &[char] = &['"', '\'', '`', '“', '”', '‘', '’'];

/// Codes read from text, in order, without duplicates.
pub struct Parsed {
    /// The codes as shown: trimmed, groups joined by their original single separator
    /// (a non-breaking space or Unicode hyphen becomes a plain one).
    pub codes: Vec<Zeroizing<String>>,
    /// 1-based numbers of non-blank lines that held something other than codes.
    pub ignored_lines: Vec<usize>,
    /// How many codes were dropped because an equal one (ignoring case, spaces and
    /// dashes) came earlier.
    pub duplicates: usize,
}

/// Reads one code per line, or per column when columns are separated by a tab or two
/// or more spaces (Google prints two columns).
///
/// Leading numbering (`1.`, `01)`, `(3)`, `[4]`, `#5`, each followed by whitespace),
/// bullets (`-`, `*`, `•`, …, followed by whitespace), quotes, backticks and trailing
/// commas are stripped; a cell holding only such a marker counts as blank. What remains
/// is a code when it is 1 to 8 groups of ASCII letters and digits joined by single
/// spaces or dashes, 6 to 40 characters in all, at least 3 in each group when there are
/// several, no group reads as a capitalised word (`January`), and it holds a digit. A
/// code without a digit (a hex code can lack one) is kept only when a code with digits
/// in the same text has the same shape and every one of its characters also appears in
/// the codes with digits. A byte order mark and CRLF line ends are accepted; blank lines
/// are skipped silently.
///
/// # Errors
///
/// [`RecoveryError::NoCodes`] when no code is found.
pub fn parse(text: &str) -> Result<Parsed, RecoveryError> {
    let cells = read_cells(text);

    // Digit-free candidates are judged against the codes that have digits.
    let mut alphabet = 0u128;
    let mut shapes = Vec::new();
    for (_, found) in &cells {
        if let Some(code) = found.as_ref().filter(|c| c.has_digit) {
            alphabet |= code.alphabet;
            shapes.push(code.shape.as_str());
        }
    }
    let accepted = |c: &Candidate| {
        c.has_digit || (c.alphabet & !alphabet == 0 && shapes.contains(&c.shape.as_str()))
    };

    let mut parsed = Parsed {
        codes: Vec::new(),
        ignored_lines: Vec::new(),
        duplicates: 0,
    };
    let mut seen: Vec<Zeroizing<String>> = Vec::new();
    for (line, found) in &cells {
        match found.as_ref().filter(|c| accepted(c)) {
            Some(code) if seen.contains(&code.normalised) => parsed.duplicates += 1,
            Some(code) => {
                seen.push(code.normalised.clone());
                parsed.codes.push(code.display.clone());
            }
            None if parsed.ignored_lines.last() != Some(line) => parsed.ignored_lines.push(*line),
            None => {}
        }
    }
    alphabet.zeroize();
    if parsed.codes.is_empty() {
        return Err(RecoveryError::NoCodes);
    }
    Ok(parsed)
}

/// Splits text into (line number, candidate) cells; a cell that is not code-shaped is
/// kept as `None` so its line can be reported.
fn read_cells(text: &str) -> Vec<(usize, Option<Candidate>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cells = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let found: Vec<_> = (line.split('\t').flat_map(|part| part.split("  ")))
            .map(strip_decoration)
            .filter(|cell| !cell.is_empty())
            .map(candidate)
            .collect();
        // Not columns after all, perhaps: one code printed with wide gaps (`1234  5678`).
        if found.len() > 1 && found.iter().all(Option::is_none) {
            let joined = Zeroizing::new(line.split_whitespace().collect::<Vec<_>>().join(" "));
            if let Some(whole) = candidate(strip_decoration(&joined)) {
                cells.push((index + 1, Some(whole)));
                continue;
            }
        }
        cells.extend(found.into_iter().map(|found| (index + 1, found)));
    }
    cells
}

/// The form codes are compared in: ASCII lower case, without whitespace or dashes.
pub(super) fn normalise(code: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(code.len()));
    for c in code.chars() {
        if !(c.is_whitespace() || is_dash(c)) {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A cell that has the shape of a code.
struct Candidate {
    /// As shown, with non-breaking spaces and hyphens made plain.
    display: Zeroizing<String>,
    normalised: Zeroizing<String>,
    /// `x` per character, separators kept: `xxxxx-xxxxx`. Lengths only, no secret.
    shape: String,
    /// One bit per ASCII character used.
    alphabet: u128,
    has_digit: bool,
}

// Which characters a code uses is a little of the code.
impl Drop for Candidate {
    fn drop(&mut self) {
        self.alphabet.zeroize();
    }
}

/// Returns the cell as a code if it has the shape of one (see [`parse`]).
fn candidate(cell: &str) -> Option<Candidate> {
    let mut display = Zeroizing::new(String::with_capacity(cell.len()));
    let mut shape = String::with_capacity(cell.len());
    let (mut groups, mut group_len, mut alphabet) = (0, 0, 0u128);
    for c in cell.chars() {
        let separator = match c {
            ' ' | '\u{a0}' | '\u{202f}' => ' ',
            c if is_dash(c) => '-',
            c if c.is_ascii_alphanumeric() => {
                display.push(c);
                shape.push('x');
                alphabet |= 1u128 << u32::from(c);
                group_len += 1;
                continue;
            }
            _ => return None,
        };
        // A separator must close a group long enough, never start or double up.
        if group_len < MIN_GROUP_LEN {
            return None;
        }
        display.push(separator);
        shape.push(separator);
        groups += 1;
        group_len = 0;
    }
    let groups = groups + 1;
    let alnum = display.len() + 1 - groups;
    let short_last = group_len == 0 || (groups > 1 && group_len < MIN_GROUP_LEN);
    if short_last || groups > MAX_GROUPS || !CODE_LEN.contains(&alnum) {
        return None;
    }
    if display.split([' ', '-']).any(reads_as_word) {
        return None;
    }
    let has_digit = display.bytes().any(|b| b.is_ascii_digit());
    let normalised = normalise(&display);
    Some(Candidate {
        display,
        normalised,
        shape,
        alphabet,
        has_digit,
    })
}

/// `January`, `Generated`: a capital and then only lower-case letters.
fn reads_as_word(group: &str) -> bool {
    let mut chars = group.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && group.len() >= MIN_GROUP_LEN
        && chars.all(|c| c.is_ascii_lowercase())
}

/// A dash between groups: hyphen-minus, and the hyphens, figure dash, en dash and minus
/// sign that word processors and web pages put in its place.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2013}' | '\u{2212}')
}

/// Strips whitespace, list markers, trailing commas and quotes around a cell.
fn strip_decoration(cell: &str) -> &str {
    let mut s = cell.trim();
    // Markers may stack, as in `1. - code`.
    while let Some(rest) = strip_bullet(s).or_else(|| strip_number(s)) {
        s = rest;
    }
    s.trim_end_matches([',', ';'])
        .trim_end()
        .trim_matches(QUOTES)
        .trim()
}

/// `- code` → `code`; the bullet needs whitespace after it, or nothing (a bare bullet).
fn strip_bullet(s: &str) -> Option<&str> {
    let rest = s.strip_prefix(BULLETS)?;
    let trimmed = rest.trim_start();
    (rest.is_empty() || trimmed.len() < rest.len()).then_some(trimmed)
}

/// `1. code`, `01) code`, `(3) code`, `[4] code`, `#5 code` → `code`. The number needs
/// a delimiter (optional after `#`) and then whitespace or nothing, so a code that is
/// only digits, like `12345678` or `1234 5678`, is never cut.
fn strip_number(s: &str) -> Option<&str> {
    let open = s.chars().next().filter(|c| matches!(c, '(' | '[' | '#'));
    let rest = &s[open.map_or(0, char::len_utf8)..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let after = &rest[digits..];
    let after = match open {
        Some('(') => after.strip_prefix(')')?,
        Some('[') => after.strip_prefix(']')?,
        Some(_) => after.strip_prefix(['.', ')', ':']).unwrap_or(after),
        None => after.strip_prefix(['.', ')', ':'])?,
    };
    let trimmed = after.trim_start();
    (after.is_empty() || trimmed.len() < after.len()).then_some(trimmed)
}

impl fmt::Debug for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parsed")
            .field("codes", &self.codes.len())
            .field("ignored_lines", &self.ignored_lines)
            .field("duplicates", &self.duplicates)
            .finish()
    }
}
