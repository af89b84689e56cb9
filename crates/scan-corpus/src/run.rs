//! Running a reader as a whole process, timing it, and judging its output.

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// One run of a reader on one image.
#[derive(Clone, Debug)]
pub struct Run {
    /// Standard output, lossily decoded as UTF-8.
    pub stdout: String,
    /// Spawn to exit.
    pub elapsed: Duration,
    /// The exit code; `None` when killed by a signal or timed out.
    pub exit: Option<i32>,
    pub timed_out: bool,
}

impl Run {
    /// A crash or hang: timed out, killed by a signal, or a Rust panic's exit code 101.
    pub fn crashed(&self) -> bool {
        self.timed_out || matches!(self.exit, None | Some(101))
    }
}

/// Runs `program args…`, discarding stderr, killing it after `timeout`.
pub fn run(program: &Path, args: &[&OsStr], timeout: Duration) -> anyhow::Result<Run> {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| anyhow::anyhow!("starting {}: {e}", program.display()))?;
    // Outputs are a few lines, far below a pipe's buffer, so waiting before reading
    // cannot deadlock; reading after exit keeps the timing free of polling.
    let status = child.wait_timeout(timeout)?;
    let elapsed = start.elapsed();
    let timed_out = status.is_none();
    if timed_out {
        child.kill()?;
        child.wait()?;
    }
    let mut bytes = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_end(&mut bytes)?;
    }
    let exit = status.and_then(|s| s.code());
    Ok(Run {
        stdout: String::from_utf8_lossy(&bytes).into_owned(),
        elapsed,
        exit,
        timed_out,
    })
}

/// Whether a reader's output is exactly the expected set of texts: each expected text
/// appears as whole lines (a payload may itself span lines), repeats are tolerated, and
/// nothing else but blank lines remains. No expected text means nothing may be printed.
pub fn matches(stdout: &str, expected: &[String]) -> bool {
    let mut rest = stdout.replace("\r\n", "\n");
    let mut texts: Vec<&String> = expected.iter().collect();
    // Longest first, so a text that is part of another is not removed from inside it.
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    for text in texts {
        if !remove_lines(&mut rest, text) {
            return false;
        }
    }
    rest.trim().is_empty()
}

/// Removes every occurrence of `text` that starts and ends at line boundaries.
fn remove_lines(out: &mut String, text: &str) -> bool {
    let mut found = false;
    let mut from = 0;
    while let Some(offset) = out.get(from..).and_then(|s| s.find(text)) {
        let start = from + offset;
        let end = start + text.len();
        let bytes = out.as_bytes();
        let starts_line = start == 0 || bytes[start - 1] == b'\n';
        let ends_line = end == out.len() || bytes[end] == b'\n';
        if starts_line && ends_line && !text.is_empty() {
            out.replace_range(start..end, "");
            found = true;
            from = start;
        } else {
            from = start + text.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn accepts_exact_sets_in_any_order_and_multiline_payloads() {
        assert!(matches("b\na\n", &s(&["a", "b"])));
        assert!(matches("line one\nline two\n", &s(&["line one\nline two"])));
        assert!(matches("a\na\n", &s(&["a"])));
        assert!(matches("", &[]));
    }

    #[test]
    fn rejects_missing_extra_or_partial_texts() {
        assert!(!matches("a\n", &s(&["a", "b"])));
        assert!(!matches("a\nc\n", &s(&["a"])));
        assert!(!matches("ab\n", &s(&["a"])));
        assert!(!matches("x\n", &[]));
    }
}
