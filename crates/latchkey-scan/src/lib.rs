//! # latchkey-scan
//!
//! Finds the QR codes in an image — a file, a pasted image, a screenshot of every
//! monitor — and reads them, harder than a plain reader does: inverted (dark mode),
//! small, huge, blurred, low-contrast, JPEG-damaged, rotated and mildly skewed codes.
//! The decoder is rqrr behind a pipeline of retries ([`pipeline`]); rqrr's panics on
//! odd images are caught.
//!
//! ```no_run
//! let found = latchkey_scan::decode_file(std::path::Path::new("setup-qr.png")).unwrap();
//! let setup = latchkey_scan::setup_codes(found).unwrap();
//! println!("{}", setup[0].text());
//! ```

mod pipeline;
pub mod source;

use std::path::Path;

use zeroize::Zeroizing;

/// What a QR code holds, as far as Latchkey cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PayloadKind {
    /// An `otpauth://` URI: one account's setup.
    Otpauth,
    /// A Google Authenticator export (`otpauth-migration://`): several accounts.
    Migration,
    /// A web link.
    WebLink,
    /// Anything else.
    Other,
}

impl PayloadKind {
    /// Classifies decoded text by its scheme (case-insensitive).
    pub fn of(text: &str) -> Self {
        let lower = text
            .trim_start()
            .get(..24)
            .unwrap_or(text.trim_start())
            .to_ascii_lowercase();
        if lower.starts_with("otpauth://") || lower.starts_with("steam://") {
            Self::Otpauth
        } else if lower.starts_with("otpauth-migration://") {
            Self::Migration
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            Self::WebLink
        } else {
            Self::Other
        }
    }
}

/// One decoded QR code. Its text may hold a seed: it is wiped on drop and never printed
/// by `Debug`.
#[derive(Clone)]
pub struct Found {
    text: Zeroizing<String>,
    kind: PayloadKind,
}

impl Found {
    /// Wraps decoded text.
    pub fn new(text: String) -> Self {
        let kind = PayloadKind::of(&text);
        Self {
            text: Zeroizing::new(text),
            kind,
        }
    }
    /// The decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// What kind of payload it is.
    pub fn kind(&self) -> PayloadKind {
        self.kind
    }
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Found({:?}, [REDACTED; {} bytes])",
            self.kind,
            self.text.len()
        )
    }
}

/// Why no usable code came out of an image. Messages are written for people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// Nothing that looks like a QR code is in the image.
    #[error("no QR code found")]
    NoCode,
    /// A QR code is there but could not be decoded.
    #[error("a QR code was found but could not be read — try a larger or sharper image")]
    Unreadable,
    /// The QR codes found are not 2FA setup codes.
    #[error("this QR code is not a 2FA setup code (it contains {0})")]
    NotTwoFactor(&'static str),
    /// The bytes are not an image in a format we read.
    #[error("unsupported image format (use PNG, JPEG, WebP, GIF or BMP)")]
    UnsupportedFormat,
    /// The image is in a known format but damaged.
    #[error("the image could not be decoded: {0}")]
    BadImage(String),
    /// Reading a file failed.
    #[error("{context}: {source}")]
    Io {
        /// What we were doing.
        context: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The screen could not be captured.
    #[error("the screen could not be captured: {0}")]
    Screen(String),
    /// The clipboard could not be read, or holds no image.
    #[error("{0}")]
    Clipboard(String),
}

/// Every QR code in an image, otpauth and migration codes first.
pub fn decode_image(image: &image::DynamicImage) -> Result<Vec<Found>, ScanError> {
    let outcome = pipeline::scan(&image.to_luma8());
    let mut found: Vec<Found> = outcome.texts.into_iter().map(Found::new).collect();
    if found.is_empty() {
        return Err(if outcome.unreadable {
            ScanError::Unreadable
        } else {
            ScanError::NoCode
        });
    }
    found.sort_by_key(|f| f.kind);
    Ok(found)
}

/// Decodes image bytes of any supported format, then scans them.
pub fn decode_bytes(bytes: &[u8]) -> Result<Vec<Found>, ScanError> {
    decode_image(&load(bytes)?)
}

/// Captures every monitor ([`source::screens`]) and scans each: the setup codes
/// first, as [`setup_codes`] orders them.
pub fn decode_screens() -> Result<Vec<Found>, ScanError> {
    let mut all = Vec::new();
    let mut unreadable = false;
    for monitor in source::screens()? {
        match decode_image(&monitor.image) {
            Ok(found) => all.extend(found),
            Err(ScanError::Unreadable) => unreadable = true,
            Err(_) => {}
        }
    }
    all.sort_by_key(Found::kind);
    match (all.is_empty(), unreadable) {
        (false, _) => Ok(all),
        (true, true) => Err(ScanError::Unreadable),
        (true, false) => Err(ScanError::NoCode),
    }
}

/// Reads an image file and scans it.
pub fn decode_file(path: &Path) -> Result<Vec<Found>, ScanError> {
    let bytes = std::fs::read(path).map_err(|source| ScanError::Io {
        context: format!("reading {}", path.display()),
        source,
    })?;
    decode_bytes(&bytes)
}

/// Loads image bytes, telling an unknown format apart from a damaged file. A file that
/// claims more than 16,384 pixels a side or 512 MiB of pixels (a decompression bomb) is
/// refused before anything is allocated.
pub fn load(bytes: &[u8]) -> Result<image::DynamicImage, ScanError> {
    let format = image::guess_format(bytes).map_err(|_| ScanError::UnsupportedFormat)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(512 * 1024 * 1024);
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Unsupported(_) => ScanError::UnsupportedFormat,
        image::ImageError::Limits(_) => {
            ScanError::BadImage("it is larger than Latchkey reads".into())
        }
        other => ScanError::BadImage(other.to_string()),
    })
}

/// Keeps the 2FA setup codes (otpauth and migration), or says what was found instead.
pub fn setup_codes(found: Vec<Found>) -> Result<Vec<Found>, ScanError> {
    let what = match found.first().map(Found::kind) {
        None => return Err(ScanError::NoCode),
        Some(PayloadKind::WebLink) => "a web link",
        Some(PayloadKind::Other) => "text, not an otpauth:// link",
        Some(_) => "",
    };
    let setup: Vec<Found> = found
        .into_iter()
        .filter(|f| matches!(f.kind, PayloadKind::Otpauth | PayloadKind::Migration))
        .collect();
    if setup.is_empty() {
        Err(ScanError::NotTwoFactor(what))
    } else {
        Ok(setup)
    }
}
