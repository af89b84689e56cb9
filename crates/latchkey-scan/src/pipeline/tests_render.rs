//! Test images: QR codes rendered with the `qrcode` crate, then damaged the ways real
//! screenshots and photos are. Everything is deterministic (a fixed-seed xorshift).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use image::{GrayImage, Luma};
use qrcode::{Color, EcLevel, QrCode};

pub const SETUP: &str =
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

/// A tiny deterministic PRNG, so the tests need no `rand`.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A value in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }
}

/// The code for `text` at error-correction level M, as rows of dark flags.
pub fn modules(text: &str) -> (Vec<bool>, u32) {
    modules_of(text.as_bytes())
}

/// The code for raw bytes (which need not be UTF-8).
pub fn modules_of(bytes: &[u8]) -> (Vec<bool>, u32) {
    let code = QrCode::with_error_correction_level(bytes, EcLevel::M).unwrap();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    (dark, code.width() as u32)
}

/// Renders `text` with square modules of `px` pixels and a quiet zone of `quiet`
/// modules, in the given grey levels.
pub fn code_with(text: &str, px: u32, quiet: u32, dark: u8, light: u8) -> GrayImage {
    let (bits, n) = modules(text);
    let side = (n + 2 * quiet) * px;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / px).checked_sub(quiet), (y / px).checked_sub(quiet));
        let on = matches!((mx, my), (Some(mx), Some(my)) if mx < n && my < n && bits[(my * n + mx) as usize]);
        Luma([if on { dark } else { light }])
    })
}

/// Black on white with the standard 4-module quiet zone.
pub fn code(text: &str, px: u32) -> GrayImage {
    code_with(text, px, 4, 0, 255)
}

/// A `w`×`h` light-grey page with UI-like content: panels, buttons and rows of
/// glyph-sized dark marks (text), from `seed`.
pub fn page(w: u32, h: u32, seed: u64) -> GrayImage {
    let mut rng = Rng::new(seed);
    let mut img = GrayImage::from_pixel(w, h, Luma([242]));
    fill(&mut img, 0, 0, w, 48.min(h), 40); // a dark title bar
    for _ in 0..12 {
        let (x, y) = (rng.below(w), rng.below(h));
        let shade = [255, 225, 90, 180][rng.below(4) as usize];
        fill(
            &mut img,
            x,
            y,
            60 + rng.below(300),
            20 + rng.below(200),
            shade,
        );
    }
    // Lines of "text": 7–9 px marks with 2–4 px gaps, like a 12 px font.
    let mut y = 60;
    while y + 16 < h {
        let mut x = 10 + rng.below(40);
        let end = (x + 200 + rng.below(w / 2)).min(w.saturating_sub(10));
        while x + 10 < end {
            let gw = 3 + rng.below(6);
            fill(&mut img, x, y + rng.below(3), gw, 8 + rng.below(3), 30);
            x += gw + 2 + rng.below(3) + if rng.below(6) == 0 { 6 } else { 0 };
        }
        y += 22 + rng.below(30);
    }
    img
}

pub fn fill(img: &mut GrayImage, x: u32, y: u32, w: u32, h: u32, v: u8) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, Luma([v]));
        }
    }
}

/// Copies `part` onto `img` with its top-left at (x, y).
pub fn paste(img: &mut GrayImage, part: &GrayImage, x: u32, y: u32) {
    image::imageops::replace(img, part, i64::from(x), i64::from(y));
}

/// Samples `src` bilinearly at (x, y), `bg` outside it.
fn sample(src: &GrayImage, x: f32, y: f32, bg: u8) -> u8 {
    let (x, y) = (x - 0.5, y - 0.5);
    let (x0, y0) = (x.floor(), y.floor());
    let at = |xi: f32, yi: f32| {
        if xi < 0.0 || yi < 0.0 || xi >= src.width() as f32 || yi >= src.height() as f32 {
            f32::from(bg)
        } else {
            f32::from(src.get_pixel(xi as u32, yi as u32)[0])
        }
    };
    let (fx, fy) = (x - x0, y - y0);
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1.0, y0) * fx;
    let bottom = at(x0, y0 + 1.0) * (1.0 - fx) + at(x0 + 1.0, y0 + 1.0) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

/// Rotates by `degrees` about the centre onto a canvas large enough to hold it all.
pub fn rotate(src: &GrayImage, degrees: f32, bg: u8) -> GrayImage {
    let (s, c) = degrees.to_radians().sin_cos();
    let (w, h) = (src.width() as f32, src.height() as f32);
    let side = ((w * c.abs() + h * s.abs()).max(w * s.abs() + h * c.abs())).ceil() as u32;
    let (cx, cy, oc) = (w / 2.0, h / 2.0, side as f32 / 2.0);
    GrayImage::from_fn(side, side, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - oc, y as f32 + 0.5 - oc);
        Luma([sample(src, c * dx + s * dy + cx, -s * dx + c * dy + cy, bg)])
    })
}

/// Projects `src` so that its corners land on `quad` (top-left, top-right,
/// bottom-right, bottom-left, as fractions of the output), on a `w`×`h` canvas.
pub fn warp(src: &GrayImage, quad: [(f32, f32); 4], w: u32, h: u32, bg: u8) -> GrayImage {
    let q: Vec<(f64, f64)> = quad
        .iter()
        .map(|&(x, y)| (f64::from(x) * f64::from(w), f64::from(y) * f64::from(h)))
        .collect();
    let (sw, sh) = (f64::from(src.width()), f64::from(src.height()));
    // The homography taking the unit square to `quad` (Heckbert's square-to-quad), then
    // its inverse, to find for each output pixel where it comes from.
    let (x0, y0, x1, y1, x2, y2, x3, y3) = (
        q[0].0, q[0].1, q[1].0, q[1].1, q[2].0, q[2].1, q[3].0, q[3].1,
    );
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / den;
    let hh = (dx1 * dy3 - dx3 * dy1) / den;
    let m = [
        x1 - x0 + g * x1,
        x3 - x0 + hh * x3,
        x0,
        y1 - y0 + g * y1,
        y3 - y0 + hh * y3,
        y0,
        g,
        hh,
    ];
    // Inverse of [[a b c][d e f][g h 1]] by adjugate.
    let (a, b, c, d, e, f, g, hh) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
    let inv = [
        e - f * hh,
        c * hh - b,
        b * f - c * e,
        f * g - d,
        a - c * g,
        c * d - a * f,
        d * hh - e * g,
        b * g - a * hh,
        a * e - b * d,
    ];
    GrayImage::from_fn(w, h, |x, y| {
        let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
        let z = inv[6] * px + inv[7] * py + inv[8];
        let u = (inv[0] * px + inv[1] * py + inv[2]) / z;
        let v = (inv[3] * px + inv[4] * py + inv[5]) / z;
        Luma([sample(src, (u * sw) as f32, (v * sh) as f32, bg)])
    })
}

/// Encodes as JPEG at `quality` and decodes again.
pub fn jpeg(img: &GrayImage, quality: u8) -> GrayImage {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(img)
        .unwrap();
    image::load_from_memory(&bytes).unwrap().to_luma8()
}

/// Sets a `fraction` of pixels to pure black or white at random.
pub fn salt(img: &GrayImage, fraction: f32, seed: u64) -> GrayImage {
    let mut rng = Rng::new(seed);
    let mut out = img.clone();
    let per_million = (fraction * 1_000_000.0) as u32;
    for p in out.pixels_mut() {
        if rng.below(1_000_000) < per_million {
            p[0] = if rng.below(2) == 0 { 0 } else { 255 };
        }
    }
    out
}

/// Light-on-dark.
pub fn invert(img: &GrayImage) -> GrayImage {
    let mut out = img.clone();
    image::imageops::invert(&mut out);
    out
}

/// Resizes by a (fractional) factor with a triangle filter, as an image viewer or a
/// browser zoom would.
pub fn resize(img: &GrayImage, factor: f32) -> GrayImage {
    let (w, h) = (
        (img.width() as f32 * factor).round() as u32,
        (img.height() as f32 * factor).round() as u32,
    );
    image::imageops::resize(
        img,
        w.max(1),
        h.max(1),
        image::imageops::FilterType::Triangle,
    )
}
