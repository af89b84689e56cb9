//! The test desktop and the app on it.
//!
//! [`Desktop`]: a folder with a throwaway HOME, an Xvfb screen, a private D-Bus session
//! and a gnome-keyring unlocked in it, so nothing touches your own keyring, your own
//! `otpauth://` handler or a Latchkey you have running. [`App`]: tauri-driver (with
//! WebKitWebDriver behind it) started on that desktop, and a WebDriver session that
//! launches `latchkey-app` there. Everything started is killed on drop.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::{Value, json};

/// The app under test (cargo builds it before this test target).
pub const APP: &str = env!("CARGO_BIN_EXE_latchkey-app");

/// How long a step of the UI may take before the test gives up.
pub const STEP: Duration = Duration::from_secs(10);

/// One test at a time: two apps on one D-Bus session would hand off to each other,
/// and two WebKit instances at once crowd a small machine.
static LOCK: Mutex<()> = Mutex::new(());

/// What the tests run, and the package (or command) that provides it.
const TOOLS: &[(&str, &str)] = &[
    ("Xvfb", "apt-get install xvfb"),
    ("dbus-daemon", "apt-get install dbus"),
    ("gnome-keyring-daemon", "apt-get install gnome-keyring"),
    ("secret-tool", "apt-get install libsecret-tools"),
    ("WebKitWebDriver", "apt-get install webkit2gtk-driver"),
    (
        "tauri-driver",
        "cargo install tauri-driver --version 2.1.0 --locked",
    ),
    ("oathtool", "apt-get install oathtool"),
    ("xclip", "apt-get install xclip"),
    ("qrencode", "apt-get install qrencode"),
    ("display", "apt-get install imagemagick"),
    ("import", "apt-get install imagemagick"),
    ("xdotool", "apt-get install xdotool"),
    ("convert", "apt-get install imagemagick"),
];

/// What [`Desktop::close_window`] runs, besides [`TOOLS`].
pub const PYTHON: (&str, &str) = ("python3", "apt-get install python3");

/// Where a program is: on PATH, or (tauri-driver) in cargo's bin folder.
fn which(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(cargo) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(cargo).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

pub fn tool(name: &str) -> PathBuf {
    which(name).unwrap_or_else(|| panic!("{name} disappeared while the tests ran"))
}

/// Runs one end-to-end test: skips it (saying why) when a tool is missing, unless
/// `LATCHKEY_E2E_REQUIRED=1` makes that a failure; otherwise waits its turn and runs
/// `body` on a fresh tokio runtime.
pub fn e2e(body: impl AsyncFnOnce()) {
    e2e_needing(&[], body);
}

/// [`e2e`] for a test that also runs the tools in `extra` (name, how to install it).
pub fn e2e_needing(extra: &[(&str, &str)], body: impl AsyncFnOnce()) {
    let test = std::thread::current()
        .name()
        .unwrap_or("an end-to-end test")
        .to_string();
    let missing: Vec<String> = TOOLS
        .iter()
        .chain(extra)
        .filter(|(name, _)| which(name).is_none())
        .map(|(name, how)| format!("{name} ({how})"))
        .collect();
    if !missing.is_empty() {
        let why = format!(
            "the end-to-end tests need {}; scripts/deps --test installs them",
            missing.join(", ")
        );
        if std::env::var("LATCHKEY_E2E_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("LATCHKEY_E2E_REQUIRED=1 but {why}");
        }
        eprintln!("skipped {test}: {why} (LATCHKEY_E2E_REQUIRED=1 makes this a failure)");
        return;
    }
    // A failed test must not stop the others.
    let _turn = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let started = Instant::now();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(body());
    eprintln!("{test}: {:.1} s", started.elapsed().as_secs_f64());
}

/// Polls `probe` every 100 ms until it gives a value; fails after `limit`.
pub async fn eventually<T>(
    what: &str,
    limit: Duration,
    mut probe: impl AsyncFnMut() -> Option<T>,
) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "gave up after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where screenshots go: `target/e2e-shots/`.
pub fn shots_dir() -> PathBuf {
    let dir = Path::new(APP)
        .ancestors()
        .nth(2)
        .map(|target| target.join("e2e-shots"))
        .unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A private desktop: Xvfb, a D-Bus session with an unlocked gnome-keyring, a HOME.
pub struct Desktop {
    dir: tempfile::TempDir,
    pub display: String,
    bus: String,
    /// More environment for what runs on this desktop (see [`Desktop::with_env`]).
    env: Vec<(String, String)>,
    windows: Vec<Child>,
    xvfb: Child,
    dbus: Child,
}

impl Desktop {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        std::fs::create_dir_all(home.join(".local/share")).unwrap();
        std::fs::create_dir_all(home.join(".cache")).unwrap();
        // gnome-keyring and WebKit want a private runtime folder.
        let run = dir.path().join("run");
        std::fs::create_dir(&run).unwrap();
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();

        // Xvfb picks a free display and writes its number once it accepts clients.
        let mut xvfb = Command::new(tool("Xvfb"))
            .args(["-displayfd", "1", "-nolisten", "tcp"])
            .args(["-screen", "0", "1280x800x24"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let number = first_line(&mut xvfb);
        assert!(
            number.parse::<u32>().is_ok(),
            "Xvfb did not start: {number:?}"
        );

        let mut desktop = Self {
            dir,
            display: format!(":{number}"),
            bus: String::new(),
            env: Vec::new(),
            windows: Vec::new(),
            xvfb,
            // Replaced just below; a child that has already exited.
            dbus: Command::new("true").spawn().unwrap(),
        };
        let mut dbus = desktop
            .command(tool("dbus-daemon"))
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        desktop.bus = first_line(&mut dbus);
        let _ = desktop.dbus.wait();
        desktop.dbus = dbus;
        assert!(
            desktop.bus.starts_with("unix:"),
            "dbus-daemon did not start: {:?}",
            desktop.bus
        );

        // Creates the login keyring with this password (or unlocks it), then stays in the
        // background until the bus goes away.
        let mut keyring = desktop
            .command(tool("gnome-keyring-daemon"))
            .args(["--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(b"latchkey-e2e")
            .unwrap();
        assert!(
            keyring.wait().unwrap().success(),
            "gnome-keyring-daemon failed"
        );
        desktop
    }

    /// A command that runs on this desktop: its screen, bus, keyring and HOME, and the
    /// app's vault and settings in the test's folder.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let home = self.dir.path().join("home");
        let mut cmd = Command::new(program);
        cmd.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("DISPLAY", &self.display)
            .env("GDK_BACKEND", "x11")
            .env("NO_AT_BRIDGE", "1")
            .env("LATCHKEY_VAULT", self.vault())
            .env("LATCHKEY_SETTINGS", self.settings())
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS");
        if !self.bus.is_empty() {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.bus);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// This desktop with `key=value` in the environment of what runs on it (the app
    /// included), e.g. a GTK theme.
    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The desktop's HOME (its `.config`, `.local/share` and `.cache` inside).
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.latchkey")
    }

    pub fn settings(&self) -> PathBuf {
        self.dir.path().join("settings.json")
    }

    /// Writes the settings file the app reads at start.
    pub fn write_settings(&self, settings: Value) {
        std::fs::write(self.settings(), settings.to_string()).unwrap();
    }

    /// Shows an image in a window at (x, y), and waits until it is on screen.
    pub fn show(&mut self, image: &Path, x: u32, y: u32) {
        let child = self
            .command(tool("display"))
            .args(["-title", "e2e-qr", "-geometry", &format!("+{x}+{y}")])
            .arg(image)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.windows.push(child);
        let start = Instant::now();
        while !self
            .command(tool("xdotool"))
            .args(["search", "--onlyvisible", "--name", "e2e-qr"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
        {
            assert!(start.elapsed() < STEP, "the image window never appeared");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The text on the clipboard, or `None` when it holds none.
    pub fn clipboard(&self) -> Option<String> {
        let out = self
            .command(tool("xclip"))
            .args(["-selection", "clipboard", "-o"])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Puts text on the clipboard the way another program would (xclip keeps serving it).
    pub fn set_clipboard(&self, text: &str) {
        let mut xclip = self
            .command(tool("xclip"))
            .args(["-selection", "clipboard", "-i"])
            .stdin(Stdio::piped())
            // xclip forks a server that keeps any pipe open: no pipes but stdin.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        xclip
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(xclip.wait().unwrap().success(), "xclip -i failed");
    }

    /// Puts a PNG on the clipboard, as copying an image in a browser does.
    pub fn set_clipboard_image(&self, png: &Path) {
        let status = self
            .command(tool("xclip"))
            .args(["-selection", "clipboard", "-t", "image/png", "-i"])
            .arg(png)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "xclip -t image/png failed");
    }

    /// Presses keys on the X keyboard (XTEST) with the input focus on `window`, as a
    /// person typing into it does.
    pub fn press(&self, window: &str, keys: &str) {
        self.xdotool(&["windowfocus", "--sync", window]);
        self.xdotool(&["key", "--clearmodifiers", keys]);
    }

    /// What `secret-tool search --all service Latchkey` finds in this desktop's keyring:
    /// (stdout: labels and secrets, stderr: the attributes).
    pub fn keychain_items(&self) -> (String, String) {
        let out = self
            .command(tool("secret-tool"))
            .args([
                "search",
                "--all",
                "service",
                latchkey_core::keystore::SERVICE,
            ])
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The X window of the app (its top-level window, titled "Latchkey").
    pub fn app_window(&self) -> Option<String> {
        let found = self
            .command(tool("xdotool"))
            .args(["search", "--onlyvisible", "--name", "^Latchkey$"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .map(|l| l.trim().to_string())
    }

    /// Where a window is on the screen and how big: (x, y, width, height).
    pub fn geometry(&self, window: &str) -> Geometry {
        let out = self
            .command(tool("xdotool"))
            .args(["getwindowgeometry", "--shell", window])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |name: &str| -> i32 {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("no {name} for window {window}: {text}"))
        };
        Geometry {
            x: field("X"),
            y: field("Y"),
            width: field("WIDTH"),
            height: field("HEIGHT"),
        }
    }

    /// Runs xdotool with these arguments on this desktop; panics if it fails.
    pub fn xdotool(&self, args: &[&str]) {
        let status = self.command(tool("xdotool")).args(args).status().unwrap();
        assert!(status.success(), "xdotool {args:?} failed");
    }

    /// Asks a window to close the way a window manager does when its × is clicked: a
    /// `WM_PROTOCOLS` client message with `WM_DELETE_WINDOW`. This desktop has no
    /// window manager, hence no ×, and xdotool 3.2016 has no command for it, so python3
    /// sends it through libX11 (tests calling this run under
    /// `e2e_needing(&[PYTHON], …)`).
    pub fn close_window(&self, window: &str) {
        const SCRIPT: &str = r#"
import ctypes, sys
from ctypes import c_int, c_long, c_ulong, c_void_p, c_char_p
x = ctypes.CDLL("libX11.so.6")
x.XOpenDisplay.restype = c_void_p
x.XOpenDisplay.argtypes = [c_char_p]
x.XInternAtom.restype = c_ulong
x.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
x.XSendEvent.argtypes = [c_void_p, c_ulong, c_int, c_long, c_void_p]
x.XFlush.argtypes = [c_void_p]
x.XCloseDisplay.argtypes = [c_void_p]
class ClientMessage(ctypes.Structure):
    _fields_ = [("type", c_int), ("serial", c_ulong), ("send_event", c_int),
                ("display", c_void_p), ("window", c_ulong), ("message_type", c_ulong),
                ("format", c_int), ("data", c_long * 5)]
class Event(ctypes.Union):
    _fields_ = [("xclient", ClientMessage), ("pad", c_long * 24)]
d = x.XOpenDisplay(None)
if not d:
    sys.exit("cannot open the display")
window = int(sys.argv[1], 0)
e = Event()
e.xclient.type = 33  # ClientMessage
e.xclient.window = window
e.xclient.message_type = x.XInternAtom(d, b"WM_PROTOCOLS", 0)
e.xclient.format = 32
e.xclient.data[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
e.xclient.data[1] = 0  # CurrentTime
if not x.XSendEvent(d, window, 0, 0, ctypes.byref(e)):
    sys.exit("XSendEvent failed")
x.XFlush(d)
x.XCloseDisplay(d)
"#;
        let out = self
            .command(tool("python3"))
            .args(["-c", SCRIPT, window])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "sending WM_DELETE_WINDOW to {window} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The whole virtual screen as a PNG (what a person would see).
    pub fn screenshot_screen(&self, name: &str) -> PathBuf {
        self.capture("root", name)
            .unwrap_or_else(|| shots_dir().join(format!("{name}.png")))
    }

    /// One X window (or "root") saved to `target/e2e-shots/<name>.png`; `None` when
    /// no PNG came out.
    pub fn capture(&self, window: &str, name: &str) -> Option<PathBuf> {
        let path = shots_dir().join(format!("{name}.png"));
        let _ = std::fs::remove_file(&path);
        let _ = self
            .command(tool("import"))
            .args(["-window", window])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let png = std::fs::read(&path).unwrap_or_default();
        png.starts_with(b"\x89PNG").then_some(path)
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in self
            .windows
            .iter_mut()
            .chain([&mut self.xvfb, &mut self.dbus])
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Reads one line a child prints on its stdout once it is ready.
fn first_line(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim().to_string()
}

/// A port P with P+1 free as well (tauri-driver and WebKitWebDriver).
fn free_ports() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// A window's place and size on the screen, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl Geometry {
    /// Whether `other` is this one give or take `slack` pixels on every side.
    pub fn near(&self, other: &Geometry, slack: i32) -> bool {
        (self.x - other.x).abs() <= slack
            && (self.y - other.y).abs() <= slack
            && (self.width - other.width).abs() <= slack
            && (self.height - other.height).abs() <= slack
    }
}

/// One row of the codes list, as the window shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub id: String,
    pub index: u32,
    pub issuer: String,
    pub code: String,
    pub copied: Option<String>,
    pub badge: Option<String>,
}

/// tauri-driver in its own process group, so the driver, WebKitWebDriver and the app
/// it launched all go when it is dropped.
struct Driver(Option<Child>);

impl Driver {
    /// Kills the driver's whole process group, once.
    fn stop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts tauri-driver (its output to `log`) on `desktop` and opens a WebDriver
/// session, which launches the app.
async fn session(desktop: &Desktop, log: &Path) -> (Client, Driver) {
    let port = free_ports();
    let out = File::create(log).unwrap();
    let driver = Driver(Some(
        desktop
            .command(tool("tauri-driver"))
            .args(["--port", &port.to_string()])
            .args(["--native-port", &(port + 1).to_string()])
            .arg("--native-driver")
            .arg(tool("WebKitWebDriver"))
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .process_group(0)
            .spawn()
            .unwrap(),
    ));
    // Both the intermediary and the native driver must accept connections.
    eventually("tauri-driver to listen", STEP, async || {
        (TcpStream::connect(("127.0.0.1", port)).is_ok()
            && TcpStream::connect(("127.0.0.1", port + 1)).is_ok())
        .then_some(())
    })
    .await;
    let mut caps = serde_json::Map::new();
    caps.insert("tauri:options".into(), json!({ "application": APP }));
    match ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
    {
        Ok(client) => (client, driver),
        Err(e) => panic!(
            "no WebDriver session: {e}\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        ),
    }
}

/// `latchkey-app` running on a [`Desktop`], driven over WebDriver.
pub struct App {
    pub client: Client,
    // Dropped first (fields drop in order): the app goes before its desktop.
    _driver: Driver,
    pub desktop: Desktop,
    log: PathBuf,
    name: String,
}

impl App {
    /// Starts tauri-driver on `desktop` and opens a session, which launches the app.
    /// `name` names the screenshot taken if the test fails.
    pub async fn launch(desktop: Desktop, name: &str) -> Self {
        let _ = std::fs::remove_file(shots_dir().join(format!("{name}-failed.png")));
        let log = desktop.dir().join("driver.log");
        let (client, driver) = session(&desktop, &log).await;
        Self {
            client,
            _driver: driver,
            desktop,
            log,
            name: name.to_string(),
        }
    }

    /// Starts the app again on the same desktop (same HOME, vault, settings and
    /// keyring), as a person does the next day: a new tauri-driver and session. Call it
    /// once the app has quit; whatever is left of the old one is killed first.
    pub async fn relaunch(&mut self) {
        // The driver's process group: tauri-driver, WebKitWebDriver and what is left
        // of the app. The old session then ends at once (nothing answers).
        self._driver.stop();
        let _ = self.client.clone().close().await;
        let log = self.desktop.dir().join("driver-again.log");
        let (client, driver) = session(&self.desktop, &log).await;
        self.client = client;
        self._driver = driver;
        self.log = log;
    }

    /// The driver's and the app's output so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits for an element (10 s at most).
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(STEP)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on screen: {e}"))
    }

    /// The element if it is there now.
    pub async fn find_now(&self, css: &str) -> Option<Element> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => Some(e),
            Err(CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::NoSuchElement =>
            {
                None
            }
            Err(e) => panic!("finding {css}: {e}"),
        }
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// Waits until nothing matches `css`.
    pub async fn gone(&self, css: &str) {
        eventually(&format!("{css} to go away"), STEP, async || {
            self.find_now(css).await.is_none().then_some(())
        })
        .await;
    }

    /// The element's text once it has some.
    pub async fn text(&self, css: &str) -> String {
        eventually(&format!("text in {css}"), STEP, async || {
            let text = self.find(css).await.text().await.ok()?;
            (!text.trim().is_empty()).then(|| text.trim().to_string())
        })
        .await
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The rows of the codes list now.
    pub async fn rows(&self) -> Vec<Row> {
        let rows = self
            .eval(
                r#"return [...document.querySelectorAll('[data-account-id]')].map(r => ({
                    id: r.dataset.accountId,
                    index: Number(r.dataset.index),
                    issuer: r.querySelector('.issuer')?.textContent.trim() ?? '',
                    code: r.querySelector('.code')?.textContent.trim() ?? '',
                    copied: r.querySelector('.copied')?.textContent.trim() ?? null,
                    badge: r.querySelector('.badge')?.textContent.trim() ?? null,
                }));"#,
            )
            .await;
        serde_json::from_value(rows).unwrap()
    }

    /// Waits for the row of `issuer` and for its code.
    pub async fn row(&self, issuer: &str) -> Row {
        eventually(&format!("the {issuer} row with a code"), STEP, async || {
            self.rows()
                .await
                .into_iter()
                .find(|r| r.issuer == issuer && r.code.chars().any(|c| c.is_ascii_digit()))
        })
        .await
    }

    /// The issuers of the rows shown, in order.
    pub async fn issuers(&self) -> Vec<String> {
        let mut rows = self.rows().await;
        rows.sort_by_key(|r| r.index);
        rows.into_iter().map(|r| r.issuer).collect()
    }

    /// The id of the account whose row holds the focus, if any.
    pub async fn focused_row(&self) -> Option<String> {
        self.eval(
            "return document.activeElement?.closest('[data-account-id]')?.dataset.accountId ?? null",
        )
        .await
        .as_str()
        .map(str::to_string)
    }

    /// Types `keys` into whatever has the focus.
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("typing {keys:?}: {e}"));
    }

    /// Opens the add sheet, pastes `uri` into the link field and adds it; returns the
    /// code the confirm step shows.
    pub async fn add_link(&self, uri: &str) -> String {
        self.click("#add-button").await;
        self.find("#add-uri").await.send_keys(uri).await.unwrap();
        self.click("#add-uri-submit").await;
        self.confirm_code().await
    }

    /// Gives the add sheet's file picker a file, as choosing it in the "Open image"
    /// dialog does (WebDriver sets an `<input type=file>`'s file from a path).
    pub async fn open_file(&self, path: &Path) {
        self.find(".sheet input[type=file]")
            .await
            .send_keys(path.to_str().unwrap())
            .await
            .unwrap_or_else(|e| panic!("choosing {}: {e}", path.display()));
    }

    /// Waits until the add sheet shows the error `sentence`; panics with what it
    /// shows instead (another error, or a confirm step).
    pub async fn sheet_error(&self, sentence: &str) {
        let start = Instant::now();
        loop {
            if let Some(code) = self.find_now("#confirm-code").await {
                panic!(
                    "wanted the error {sentence:?}, got a confirm step showing {:?}",
                    code.text().await.unwrap_or_default()
                );
            }
            let now = match self.find_now(".sheet .error").await {
                Some(e) => e.text().await.unwrap_or_default().trim().to_string(),
                None => String::new(),
            };
            if now == sentence {
                return;
            }
            assert!(
                start.elapsed() < STEP,
                "gave up after {STEP:?} waiting for the error {sentence:?}; the sheet says {now:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The code on the confirm step, once it shows one.
    pub async fn confirm_code(&self) -> String {
        eventually("a code on the confirm step", STEP, async || {
            if let Some(error) = self.find_now(".sheet .error").await {
                panic!("the add sheet says: {}", error.text().await.unwrap());
            }
            let text = self.find_now("#confirm-code").await?.text().await.ok()?;
            text.chars()
                .any(|c| c.is_ascii_digit())
                .then(|| text.trim().to_string())
        })
        .await
    }

    /// Clicks Done on the confirm step and waits for the sheet to close.
    pub async fn done(&self) {
        self.click("#done-button").await;
        self.gone("[role=dialog]").await;
    }

    /// Saves a screenshot of the window to `target/e2e-shots/<name>.png`, read from
    /// the X server: the pixels on the display, not WebKit's own rendering of the page
    /// (which, with compositing off, waits for a repaint a still page never asks for).
    pub async fn shot(&self, name: &str) -> PathBuf {
        let window = self
            .desktop
            .app_window()
            .unwrap_or_else(|| panic!("no Latchkey window on the display"));
        let path = self
            .desktop
            .capture(&window, name)
            .unwrap_or_else(|| panic!("no screenshot of window {window}"));
        eprintln!("screenshot: {}", path.display());
        path
    }

    /// Ends the session (WebKitWebDriver closes the app); drop does the rest.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let shot = self
                .desktop
                .screenshot_screen(&format!("{}-failed", self.name));
            eprintln!(
                "screen at the failure: {}\n--- tauri-driver, WebKitWebDriver and app output:\n{}",
                shot.display(),
                self.log_text()
            );
        }
    }
}
