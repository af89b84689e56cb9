//! What happens to a QR code between the site and the decoder: blur, sensor noise,
//! uneven light, rotation, perspective and resampling. JPEG is applied when the file is
//! written ([`crate::format`]).

use image::imageops::FilterType;
use image::{Rgb, RgbImage};
use imageproc::geometric_transformations::{
    Border, Interpolation, Projection, rotate_about_center_no_crop, warp_into,
};

/// Gaussian blur, as from an out-of-focus camera or a smooth upscale.
pub fn blur(image: &RgbImage, sigma: f32) -> RgbImage {
    imageproc::filter::gaussian_blur_f32(image, sigma)
}

/// A standard normal sample (Box–Muller), from the case's own random source.
fn gaussian(rng: &mut fastrand::Rng) -> f32 {
    let u = rng.f32().max(1e-7);
    let v = rng.f32();
    (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
}

/// Adds Gaussian noise of standard deviation `sigma` grey levels to every channel.
/// The same offset goes to all three channels of a pixel, like luminance noise.
pub fn noise(image: &mut RgbImage, rng: &mut fastrand::Rng, sigma: f32) {
    for pixel in image.pixels_mut() {
        let n = gaussian(rng) * sigma;
        for c in pixel.0.iter_mut() {
            *c = (f32::from(*c) + n).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Uneven lighting: a linear gradient in a random direction times a vignette, darkening
/// up to `strength` (0–1) of the brightness at the worst corner.
pub fn lighting(image: &mut RgbImage, rng: &mut fastrand::Rng, strength: f32) {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let angle = rng.f32() * std::f32::consts::TAU;
    let (dx, dy) = (angle.cos(), angle.sin());
    let half_diagonal = (w * w + h * h).sqrt() / 2.0;
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        let (rx, ry) = (x as f32 - w / 2.0, y as f32 - h / 2.0);
        let along = (rx * dx + ry * dy) / half_diagonal; // -1 … 1
        let radial = (rx * rx + ry * ry).sqrt() / half_diagonal; // 0 … 1
        let factor = 1.0 - strength * (0.6 * (along + 1.0) / 2.0 + 0.4 * radial * radial);
        for c in pixel.0.iter_mut() {
            *c = (f32::from(*c) * factor).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Rotates by `degrees` clockwise, growing the canvas so nothing is cut off.
pub fn rotate(image: &RgbImage, degrees: f32, background: Rgb<u8>) -> RgbImage {
    rotate_about_center_no_crop(
        image,
        degrees.to_radians(),
        Interpolation::Bilinear,
        Border::Constant(background),
    )
}

/// A mild perspective: each corner moves inwards by up to `amount` of the side, as when
/// a phone is not held square to a screen or a sheet. The canvas keeps its size.
pub fn perspective(
    image: &RgbImage,
    rng: &mut fastrand::Rng,
    amount: f32,
    background: Rgb<u8>,
) -> RgbImage {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let mut moved = corners;
    for (i, (x, y)) in moved.iter_mut().enumerate() {
        // Inwards: right corners move left, bottom corners move up.
        let sx = if i == 1 || i == 2 { -1.0 } else { 1.0 };
        let sy = if i >= 2 { -1.0 } else { 1.0 };
        *x += sx * rng.f32() * amount * w;
        *y += sy * rng.f32() * amount * h;
    }
    let projection =
        Projection::from_control_points(corners, moved).expect("corners in general position");
    let mut out = RgbImage::from_pixel(image.width(), image.height(), background);
    warp_into(
        image,
        projection,
        Interpolation::Bilinear,
        Border::Constant(background),
        &mut out,
    );
    out
}

/// Resamples by a fractional factor with a smooth filter, as image viewers and
/// HiDPI scaling do.
pub fn scale(image: &RgbImage, factor: f32, filter: FilterType) -> RgbImage {
    let w = ((image.width() as f32 * factor).round() as u32).max(1);
    let h = ((image.height() as f32 * factor).round() as u32).max(1);
    image::imageops::resize(image, w, h, filter)
}

/// Pastes `image` onto a canvas of `background` with `margin` px all round.
pub fn pad(image: &RgbImage, margin: u32, background: Rgb<u8>) -> RgbImage {
    let mut out = RgbImage::from_pixel(
        image.width() + 2 * margin,
        image.height() + 2 * margin,
        background,
    );
    image::imageops::replace(&mut out, image, i64::from(margin), i64::from(margin));
    out
}
