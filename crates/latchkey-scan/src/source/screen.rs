//! The screen: every monitor, on X11 (RandR + GetImage) and on Wayland (the
//! xdg-desktop-portal Screenshot interface, which asks the person to allow it).

use image::{DynamicImage, RgbImage};

use crate::ScanError;

/// One monitor's picture.
pub struct Monitor {
    /// The monitor's name (e.g. "HDMI-1"), or "screen" when unknown.
    pub name: String,
    /// Its contents.
    pub image: DynamicImage,
}

/// Captures every monitor. X11 first when `DISPLAY` is set (fast, silent); otherwise
/// the portal, which works on Wayland desktops (GNOME, KDE, wlroots with a portal).
pub fn screens() -> Result<Vec<Monitor>, ScanError> {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return Err(ScanError::Screen(
            "reading the screen is not supported on this system yet; save the QR code as an image instead".into(),
        ));
    }
    let x11 = std::env::var_os("DISPLAY").map(|_| x11::capture());
    match x11 {
        Some(Ok(monitors)) => Ok(monitors),
        Some(Err(e)) if std::env::var_os("WAYLAND_DISPLAY").is_none() => Err(e),
        _ => portal::capture(),
    }
}

mod x11 {
    use x11rb::connection::Connection;
    use x11rb::protocol::randr::ConnectionExt as _;
    use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat};

    use super::{DynamicImage, Monitor, RgbImage, ScanError};

    fn err(e: impl std::fmt::Display) -> ScanError {
        ScanError::Screen(format!("X11: {e}"))
    }

    /// Every monitor of every X screen (a multi-head server has several roots).
    pub fn capture() -> Result<Vec<Monitor>, ScanError> {
        let (conn, _) = x11rb::connect(None).map_err(err)?;
        let mut monitors = Vec::new();
        for (i, screen) in conn.setup().roots.iter().enumerate() {
            for (name, x, y, w, h) in monitor_rects(&conn, screen, i) {
                let reply = conn
                    .get_image(ImageFormat::Z_PIXMAP, screen.root, x, y, w, h, !0)
                    .map_err(err)?
                    .reply()
                    .map_err(err)?;
                let image = to_rgb(&conn, reply.depth, &reply.data, u32::from(w), u32::from(h))?;
                monitors.push(Monitor { name, image });
            }
        }
        Ok(monitors)
    }

    type Rect = (String, i16, i16, u16, u16);

    /// RandR's monitors of one screen; the whole screen when RandR has none to offer.
    fn monitor_rects(
        conn: &impl Connection,
        screen: &x11rb::protocol::xproto::Screen,
        index: usize,
    ) -> Vec<Rect> {
        let listed = match conn
            .randr_get_monitors(screen.root, true)
            .map(|c| c.reply())
        {
            Ok(Ok(reply)) => reply
                .monitors
                .iter()
                .map(|m| {
                    let name = conn
                        .get_atom_name(m.name)
                        .ok()
                        .and_then(|c| c.reply().ok())
                        .map(|r| String::from_utf8_lossy(&r.name).into_owned())
                        .unwrap_or_else(|| "monitor".into());
                    (name, m.x, m.y, m.width, m.height)
                })
                .collect(),
            _ => Vec::new(),
        };
        if listed.is_empty() {
            vec![(
                format!("screen {index}"),
                0,
                0,
                screen.width_in_pixels,
                screen.height_in_pixels,
            )]
        } else {
            listed
        }
    }

    /// Z-pixmaps of depth 24/32 come as 32-bit little-endian BGRX on every X server
    /// Latchkey meets; other depths are refused rather than misread.
    fn to_rgb(
        conn: &impl Connection,
        depth: u8,
        data: &[u8],
        w: u32,
        h: u32,
    ) -> Result<DynamicImage, ScanError> {
        let bpp = conn
            .setup()
            .pixmap_formats
            .iter()
            .find(|f| f.depth == depth)
            .map(|f| f.bits_per_pixel);
        if !(depth == 24 || depth == 32) || bpp != Some(32) || data.len() < (w * h * 4) as usize {
            return Err(ScanError::Screen(format!(
                "X11: unsupported pixel format (depth {depth})"
            )));
        }
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        for px in data.chunks_exact(4).take((w * h) as usize) {
            rgb.extend_from_slice(&[px[2], px[1], px[0]]);
        }
        RgbImage::from_raw(w, h, rgb)
            .map(DynamicImage::ImageRgb8)
            .ok_or_else(|| err("short image"))
    }
}

mod portal {
    use std::collections::HashMap;

    use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

    use super::{Monitor, ScanError};

    fn err(e: impl std::fmt::Display) -> ScanError {
        ScanError::Screen(format!("the desktop portal: {e}"))
    }

    /// org.freedesktop.portal.Screenshot.Screenshot, then wait for the Request's
    /// Response signal. The token makes the request path known before the call, so
    /// the signal cannot be missed.
    pub fn capture() -> Result<Vec<Monitor>, ScanError> {
        let conn = zbus::blocking::Connection::session().map_err(err)?;
        let token = format!("latchkey{}", std::process::id());
        let sender = conn
            .unique_name()
            .map(|n| n.trim_start_matches(':').replace('.', "_"))
            .ok_or_else(|| err("no bus name"))?;
        let path = format!("/org/freedesktop/portal/desktop/request/{sender}/{token}");
        let request = zbus::blocking::Proxy::new(
            &conn,
            "org.freedesktop.portal.Desktop",
            path.as_str(),
            "org.freedesktop.portal.Request",
        )
        .map_err(err)?;
        let mut responses = request.receive_signal("Response").map_err(err)?;
        let portal = zbus::blocking::Proxy::new(
            &conn,
            "org.freedesktop.portal.Desktop",
            "/org/freedesktop/portal/desktop",
            "org.freedesktop.portal.Screenshot",
        )
        .map_err(err)?;
        let mut options: HashMap<&str, Value<'_>> = HashMap::new();
        options.insert("handle_token", Value::from(token.as_str()));
        options.insert("interactive", Value::from(false));
        let _handle: OwnedObjectPath = portal.call("Screenshot", &("", options)).map_err(err)?;
        let msg = responses.next().ok_or_else(|| err("no answer"))?;
        let (code, results): (u32, HashMap<String, OwnedValue>) =
            msg.body().deserialize().map_err(err)?;
        if code != 0 {
            return Err(ScanError::Screen(
                "the screenshot was cancelled or refused".into(),
            ));
        }
        let uri: String = results
            .get("uri")
            .and_then(|v| String::try_from(v.clone()).ok())
            .ok_or_else(|| err("no picture"))?;
        let file = uri
            .strip_prefix("file://")
            .ok_or_else(|| err("the picture is not a local file"))?;
        let file = percent_decode(file);
        let bytes = std::fs::read(&file).map_err(err)?;
        // The portal leaves the file in the pictures folder; it is a screen capture the
        // person did not ask to keep.
        let _ = std::fs::remove_file(&file);
        Ok(vec![Monitor {
            name: "screen".into(),
            image: crate::load(&bytes)?,
        }])
    }

    fn percent_decode(s: &str) -> String {
        let mut out = Vec::with_capacity(s.len());
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b[i],
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                (b'%', Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                (c, _, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
