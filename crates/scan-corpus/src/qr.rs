//! QR encoding (the `qrcode` crate) and rendering at any module size.
//!
//! Rendering is by exact area coverage, so a 2.5 px module gives the grey edges a
//! browser's smooth scaling gives, and integer sizes stay crisp.

use image::{GrayImage, Luma, Rgb, RgbImage};
use qrcode::{Color, EcLevel, QrCode, Version};

/// An encoded QR code: its module grid.
pub struct Code {
    /// Modules per side, without quiet zone.
    pub width: usize,
    /// QR version (1–40).
    pub version: i16,
    dark: Vec<bool>,
}

impl Code {
    /// Whether the module at column `x`, row `y` is dark.
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    fn is_dark(&self, x: i64, y: i64) -> bool {
        let w = self.width as i64;
        (0..w).contains(&x) && (0..w).contains(&y) && self.dark[(y * w + x) as usize]
    }
}

/// Encodes text at error-correction level M, what most sites and Google Authenticator use.
pub fn encode(text: &str) -> Code {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .expect("payload fits a QR code");
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    };
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Code {
        width: code.width(),
        version,
        dark,
    }
}

/// The version [`encode`] would choose, without placing modules or choosing a mask
/// (ten times cheaper, which matters when sizing migration payloads).
pub fn version_of(text: &str) -> i16 {
    let bits =
        qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).expect("payload fits a QR code");
    match bits.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    }
}

/// Side in pixels of a render with `module` px per module and `quiet` modules of margin.
pub fn rendered_side(code: &Code, module: f32, quiet: f32) -> u32 {
    ((code.width as f32 + 2.0 * quiet) * module).round() as u32
}

/// Renders a code as grey levels, 0 = dark module, 255 = light, with `quiet` modules
/// of light margin on each side. Fractional module sizes are anti-aliased.
pub fn render(code: &Code, module: f32, quiet: f32) -> GrayImage {
    let side = rendered_side(code, module, quiet);
    GrayImage::from_fn(side, side, |x, y| {
        // The pixel's square in module coordinates.
        let to_module = |p: u32| p as f32 / module - quiet;
        let (x0, x1) = (to_module(x), to_module(x + 1));
        let (y0, y1) = (to_module(y), to_module(y + 1));
        let mut dark = 0.0;
        for my in y0.floor() as i64..y1.ceil() as i64 {
            for mx in x0.floor() as i64..x1.ceil() as i64 {
                if code.is_dark(mx, my) {
                    let ox = x1.min(mx as f32 + 1.0) - x0.max(mx as f32);
                    let oy = y1.min(my as f32 + 1.0) - y0.max(my as f32);
                    dark += ox * oy;
                }
            }
        }
        let fraction = dark / ((x1 - x0) * (y1 - y0));
        Luma([(255.0 * (1.0 - fraction)).round().clamp(0.0, 255.0) as u8])
    })
}

/// Colours a grey render: 0 becomes `dark`, 255 becomes `light`, edges blend.
pub fn tint(gray: &GrayImage, dark: Rgb<u8>, light: Rgb<u8>) -> RgbImage {
    RgbImage::from_fn(gray.width(), gray.height(), |x, y| {
        let t = f32::from(gray.get_pixel(x, y)[0]) / 255.0;
        Rgb(std::array::from_fn(|c| {
            (f32::from(dark[c]) + t * (f32::from(light[c]) - f32::from(dark[c]))).round() as u8
        }))
    })
}
