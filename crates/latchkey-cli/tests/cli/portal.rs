//! `latchkey scan --screen` on a Wayland desktop goes through the xdg-desktop-portal
//! Screenshot interface. No compositor runs here, so a stand-in portal answers on a
//! private D-Bus session bus (a real `dbus-daemon`) exactly as the portal specification
//! says: a Request object path built from the caller's name and `handle_token`, then a
//! `Response` signal carrying the picture's `file://` URI.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

use crate::desktop::qr_png;
use crate::run::{Run, Sandbox};

const URI: &str = "otpauth://totp/Wayland:alice?secret=JBSWY3DPEHPK3PXP&issuer=Wayland";

/// A private session bus, killed on drop.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start() -> Self {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is missing: apt-get install dbus");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        Self {
            daemon,
            address: address.trim().to_string(),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

struct FakeScreenshot {
    picture: PathBuf,
    response: u32,
}

#[zbus::interface(name = "org.freedesktop.portal.Screenshot")]
impl FakeScreenshot {
    async fn screenshot(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] conn: &zbus::Connection,
        _parent_window: &str,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        let sender = header
            .sender()
            .map(|s| s.trim_start_matches(':').replace('.', "_"))
            .unwrap_or_default();
        let token = options
            .get("handle_token")
            .and_then(|v| String::try_from(v.clone()).ok())
            .unwrap_or_default();
        let path = format!("/org/freedesktop/portal/desktop/request/{sender}/{token}");
        let uri = format!(
            "file://{}",
            self.picture.display().to_string().replace(' ', "%20")
        );
        let results: HashMap<&str, Value<'_>> = HashMap::from([("uri", Value::from(uri.as_str()))]);
        conn.emit_signal(
            header.sender().cloned(),
            path.as_str(),
            "org.freedesktop.portal.Request",
            "Response",
            &(self.response, results),
        )
        .await?;
        OwnedObjectPath::try_from(path).map_err(|e| zbus::fdo::Error::Failed(e.to_string()))
    }
}

fn serve(bus: &Bus, picture: PathBuf, response: u32) -> zbus::blocking::Connection {
    zbus::blocking::connection::Builder::address(bus.address.as_str())
        .unwrap()
        .name("org.freedesktop.portal.Desktop")
        .unwrap()
        .serve_at(
            "/org/freedesktop/portal/desktop",
            FakeScreenshot { picture, response },
        )
        .unwrap()
        .build()
        .unwrap()
}

fn scan_on_wayland(bus: &Bus) -> crate::run::Out {
    Run::new(&["scan", "--screen"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("WAYLAND_DISPLAY", "wayland-test")
        .env_remove("DISPLAY")
        .run()
}

#[test]
fn screen_scan_on_wayland_reads_the_portals_picture_and_removes_it() {
    let sb = Sandbox::new();
    let dir = sb.dir().join("Pictures folder");
    std::fs::create_dir_all(&dir).unwrap();
    let picture = qr_png(&dir, "Screenshot from today.png", URI, 5);
    let bus = Bus::start();
    let _portal = serve(&bus, picture.clone(), 0);
    let out = scan_on_wayland(&bus).success();
    assert_eq!(out.stdout.trim_end(), URI);
    assert!(
        !picture.exists(),
        "the portal's screenshot file was left behind"
    );
}

#[test]
fn a_refused_portal_screenshot_is_a_clear_error() {
    let sb = Sandbox::new();
    let picture = qr_png(sb.dir(), "shot.png", URI, 5);
    let bus = Bus::start();
    let _portal = serve(&bus, picture, 1);
    scan_on_wayland(&bus).failure().says(
        "the screen could not be captured: the screenshot was cancelled or refused",
        None,
    );
}
