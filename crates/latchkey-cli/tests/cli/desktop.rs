//! A virtual desktop for the screen and clipboard tests: Xvfb, an image shown in a
//! real X window (ImageMagick's `display`), xclip for the clipboard, qrencode to make
//! the codes. Missing tools fail the tests with the package to install.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn tool(name: &str, package: &str) -> Command {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is missing: apt-get install {package} (scripts/deps --test does)"
    );
    Command::new(name)
}

/// An Xvfb server with the given screen sizes, killed on drop.
pub struct Xvfb {
    child: Child,
    pub display: String,
    shown: Vec<Child>,
}

impl Xvfb {
    pub fn start(screens: &[&str]) -> Self {
        let mut cmd = tool("Xvfb", "xvfb");
        cmd.args(["-displayfd", "1", "-nolisten", "tcp"]);
        for (i, size) in screens.iter().enumerate() {
            cmd.args(["-screen", &i.to_string(), size]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Xvfb picks a free display and writes its number once it accepts clients.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let display = format!(":{}", line.trim());
        assert!(
            line.trim().parse::<u32>().is_ok(),
            "Xvfb did not start: {line:?}"
        );
        Self {
            child,
            display,
            shown: Vec::new(),
        }
    }

    /// Shows an image in a window on screen `screen` at (x, y).
    pub fn show(&mut self, image: &Path, screen: u32, x: u32, y: u32) {
        let child = tool("display", "imagemagick")
            .args(["-geometry", &format!("+{x}+{y}")])
            .arg(image)
            .env("DISPLAY", format!("{}.{screen}", self.display))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.shown.push(child);
    }

    /// Puts a file on the clipboard with a MIME type (xclip keeps serving it).
    pub fn clip(&mut self, file: &Path, mime: &str) {
        let status = tool("xclip", "xclip")
            .args(["-selection", "clipboard", "-t", mime, "-i"])
            .arg(file)
            .env("DISPLAY", &self.display)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        for c in &mut self.shown {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Renders `text` as a QR code PNG with qrencode (module size `px`).
pub fn qr_png(dir: &Path, name: &str, text: &str, px: u32) -> PathBuf {
    let out = dir.join(name);
    let status = tool("qrencode", "qrencode")
        .args(["-s", &px.to_string(), "-m", "4", "-o"])
        .arg(&out)
        .arg(text)
        .status()
        .unwrap();
    assert!(status.success());
    out
}

/// Retries `f` until it returns `Some` or `limit` passes (a window takes a moment to map).
pub fn eventually<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(150));
    }
}
