//! Running the real `latchkey` binary in a sandbox: a vault file of its own in a temp
//! dir, no terminal on standard input, and none of the developer's `LATCHKEY_*`
//! variables. By default the Secret Service is out of reach, so the CLI uses a password.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_latchkey");
/// The password of every sandbox vault without a keychain.
pub const PASSWORD: &str = "correct horse battery staple";
/// A D-Bus address nothing listens on: the Secret Service cannot be reached.
pub const NO_BUS: &str = "unix:path=/nonexistent";

/// What one run printed, and how it ended.
pub struct Out {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Asserts exit status 0.
    #[track_caller]
    pub fn success(self) -> Self {
        assert!(self.status.success(), "expected success, got:\n{self}");
        self
    }

    /// Asserts a non-zero exit and an error as a person should see it: exactly one
    /// `error: …` line, at most one `hint: …` line, nothing else on stderr.
    #[track_caller]
    pub fn failure(self) -> Self {
        assert!(!self.status.success(), "expected failure, got:\n{self}");
        let errors = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .count();
        let hints = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("hint: "))
            .count();
        assert_eq!(
            (errors, hints.min(1)),
            (1, hints),
            "one error line, at most one hint:\n{self}"
        );
        assert_eq!(
            self.stderr.lines().count(),
            errors + hints,
            "stray stderr lines:\n{self}"
        );
        self
    }

    /// The text of the `error: …` line.
    pub fn error(&self) -> &str {
        self.stderr
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or("")
    }

    /// The text of the `hint: …` line, if any.
    pub fn hint(&self) -> Option<&str> {
        self.stderr.lines().find_map(|l| l.strip_prefix("hint: "))
    }

    /// Asserts the error line (and the hint, when given) read exactly so.
    #[track_caller]
    pub fn says(&self, error: &str, hint: Option<&str>) {
        assert_eq!(self.error(), error, "error line:\n{self}");
        assert_eq!(self.hint(), hint, "hint line:\n{self}");
    }

    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

impl fmt::Display for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "status: {}\n--- stdout\n{}--- stderr\n{}---",
            self.status, self.stdout, self.stderr
        )
    }
}

/// One command line, ready to run.
pub struct Run {
    cmd: Command,
    stdin: Vec<u8>,
}

impl Run {
    /// `latchkey ARGS` with piped stdio and no `LATCHKEY_*` variables from the parent.
    pub fn new(args: &[&str]) -> Self {
        let mut cmd = Command::new(BIN);
        cmd.args(args);
        for var in [
            "LATCHKEY_VAULT",
            "LATCHKEY_PASSWORD",
            "LATCHKEY_NEW_PASSWORD",
            "CLICOLOR_FORCE",
        ] {
            cmd.env_remove(var);
        }
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Self {
            cmd,
            stdin: Vec::new(),
        }
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Text on standard input (a pipe, never a terminal).
    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = text.as_bytes().to_vec();
        self
    }

    /// Starts the process without waiting for it.
    pub fn spawn(mut self) -> Running {
        let mut child = self
            .cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
        if let Some(mut pipe) = child.stdin.take() {
            // A process that exits without reading closes the pipe; that is its business.
            let _ = pipe.write_all(&self.stdin);
        }
        Running(child)
    }

    pub fn run(self) -> Out {
        self.spawn().finish()
    }
}

/// A started process.
pub struct Running(Child);

impl Running {
    /// Standard output as it is written, for a test that answers what the process
    /// prints; `finish` then reports only what was not taken.
    pub fn take_stdout(&mut self) -> std::process::ChildStdout {
        self.0.stdout.take().unwrap()
    }

    pub fn finish(self) -> Out {
        let out = self.0.wait_with_output().unwrap();
        Out {
            status: out.status,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// A temp dir with a vault path in it, and the environment to reach it.
pub struct Sandbox {
    dir: tempfile::TempDir,
    pub vault: PathBuf,
    keychain: bool,
}

impl Sandbox {
    /// No keychain: `LATCHKEY_PASSWORD` protects the vault, HOME points into the sandbox.
    pub fn new() -> Self {
        Self::make(false)
    }

    /// The keychain of the inherited D-Bus session, and no password.
    pub fn with_keychain() -> Self {
        Self::make(true)
    }

    fn make(keychain: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.latchkey");
        Self {
            dir,
            vault,
            keychain,
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn backup(&self) -> PathBuf {
        self.dir().join("vault.latchkey.bak")
    }

    /// `latchkey ARGS` on this sandbox's vault.
    pub fn cmd(&self, args: &[&str]) -> Run {
        let run = Run::new(args).env("LATCHKEY_VAULT", &self.vault);
        if self.keychain {
            return run;
        }
        let home = self.dir().join("home");
        run.env("DBUS_SESSION_BUS_ADDRESS", NO_BUS)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("share"))
            .env("LATCHKEY_PASSWORD", PASSWORD)
    }

    /// Runs and asserts success.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Out {
        self.cmd(args).run().success()
    }

    /// Runs and asserts a one-line error.
    #[track_caller]
    pub fn fails(&self, args: &[&str]) -> Out {
        self.cmd(args).run().failure()
    }

    /// Adds accounts from URIs, asserting each is added.
    #[track_caller]
    pub fn add(&self, uris: &[&str]) {
        for uri in uris {
            let out = self.ok(&["add", uri]);
            assert!(out.stdout.starts_with("Added "), "{out}");
        }
    }

    /// The vault file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.vault).unwrap()
    }

    /// The names of the files in the sandbox dir, sorted (the HOME dir left out).
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "home")
            .collect();
        names.sort();
        names
    }

    /// `(issuer, account)` of every account, from `list --json`.
    #[track_caller]
    pub fn accounts(&self) -> Vec<(String, String)> {
        let list = self.ok(&["list", "--json"]).json();
        let items = list.as_array().unwrap();
        items
            .iter()
            .map(|a| {
                (
                    a["issuer"].as_str().unwrap().into(),
                    a["account"].as_str().unwrap().into(),
                )
            })
            .collect()
    }
}
