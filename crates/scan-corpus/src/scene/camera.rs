//! Damaged scenes: blur, JPEG, rotation, perspective, noise, phone photos, resampling,
//! and dense migration codes under several of these.

use image::imageops::FilterType;
use image::{Rgb, RgbImage};

use super::{WHITE, base_scene, module_size, plain_code};
use crate::damage;
use crate::page::{self, Theme};

pub fn blur(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    // Blur is paired with modules large enough that the code is still there to read.
    let fractional = rng.bool();
    let module = module_size(rng, 4.0, 10.0, fractional);
    let sigma = ((0.8 + rng.f32() * 1.7) * 10.0).round() / 10.0;
    let (image, _, kind) = base_scene(rng, text, module);
    (
        damage::blur(&image, sigma),
        format!("{kind}, module {module} px, blur σ {sigma}"),
    )
}

pub fn jpeg(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let fractional = rng.bool();
    let module = module_size(rng, 3.0, 8.0, fractional);
    let (image, _, kind) = base_scene(rng, text, module);
    (image, format!("{kind}, module {module} px"))
}

/// Even indices turn a little (1–10°, either way), odd ones by any angle.
pub fn rotation(index: usize, text: &str, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    let module = module_size(rng, 4.0, 8.0, false);
    let angle = if index.is_multiple_of(2) {
        let a = 1.0 + rng.f32() * 9.0;
        if rng.bool() { a } else { -a }
    } else {
        15.0 + rng.f32() * 330.0
    };
    let angle = angle.round();
    let (image, background, kind) = base_scene(rng, text, module);
    (
        damage::rotate(&image, angle, background),
        format!("{kind}, module {module} px, rotated {angle}°"),
    )
}

pub fn perspective(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let module = module_size(rng, 4.0, 8.0, false);
    let amount = 0.04 + rng.f32() * 0.08;
    let (image, background, kind) = base_scene(rng, text, module);
    let image = damage::perspective(&image, rng, amount, background);
    (
        image,
        format!(
            "{kind}, module {module} px, corners moved up to {:.0} %",
            amount * 100.0
        ),
    )
}

pub fn noise(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let module = module_size(rng, 3.0, 8.0, false);
    let sigma = rng.u8(8..=30);
    let (mut image, _, kind) = base_scene(rng, text, module);
    damage::noise(&mut image, rng, f32::from(sigma));
    (
        image,
        format!("{kind}, module {module} px, noise σ {sigma}"),
    )
}

/// A phone photo of a printed or displayed code: a sheet on a desk, seen at an angle,
/// lit unevenly, a little out of focus, with sensor noise (JPEG comes with the file).
pub fn photo(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let module = module_size(rng, 5.0, 10.0, true);
    let code = plain_code(rng, text, module);
    let (w, h) = [(1024, 768), (1280, 960), (1600, 1200)][rng.usize(..3)];
    let (w, h) = (w.max(code.width() + 200), h.max(code.height() + 200));
    let desk = Rgb([rng.u8(90..150), rng.u8(80..130), rng.u8(60..110)]);
    let mut image = RgbImage::from_pixel(w, h, desk);
    let sheet = damage::pad(&code, rng.u32(30..80), Rgb([rng.u8(225..250); 3]));
    let x = rng.u32(0..=(w - sheet.width()));
    let y = rng.u32(0..=(h - sheet.height()));
    image::imageops::replace(&mut image, &sheet, i64::from(x), i64::from(y));
    let amount = 0.03 + rng.f32() * 0.07;
    let mut image = damage::perspective(&image, rng, amount, desk);
    let light = 0.2 + rng.f32() * 0.3;
    damage::lighting(&mut image, rng, light);
    let sigma = 0.5 + rng.f32();
    let mut image = damage::blur(&image, sigma);
    let grain = 4.0 + rng.f32() * 8.0;
    damage::noise(&mut image, rng, grain);
    let note = format!(
        "module {module} px, perspective {:.0} %, light −{:.0} %, blur σ {sigma:.1}, noise σ {grain:.0}",
        amount * 100.0,
        light * 100.0
    );
    (image, note)
}

const FACTORS: [f32; 4] = [0.6, 0.75, 1.3, 1.7];
const FILTERS: [(FilterType, &str); 4] = [
    (FilterType::Triangle, "triangle"),
    (FilterType::CatmullRom, "Catmull-Rom"),
    (FilterType::Lanczos3, "Lanczos3"),
    (FilterType::Gaussian, "Gaussian"),
];

/// A crisp render resampled by a fractional factor with a smooth filter.
pub fn scaled(index: usize, text: &str, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    let module = module_size(rng, 3.0, 6.0, false);
    let factor = FACTORS[index % 4];
    let (filter, name) = FILTERS[(index / 4) % 4];
    let (image, _, kind) = base_scene(rng, text, module);
    let image = damage::scale(&image, factor, filter);
    (
        image,
        format!(
            "{kind}, module {module} px scaled {factor}× ({name}) = {:.2} px",
            module * factor
        ),
    )
}

/// Dense exports: bare, in a screenshot, slightly blurred, or resampled.
pub fn migration(index: usize, text: &str, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    let version = crate::qr::encode(text).version;
    let (image, note) = match index % 4 {
        0 => {
            let module = module_size(rng, 2.0, 6.0, true);
            let code = plain_code(rng, text, module);
            (
                damage::pad(&code, rng.u32(0..32), WHITE),
                format!("bare code, module {module} px"),
            )
        }
        1 => {
            let module = module_size(rng, 3.0, 5.0, false);
            let theme = Theme::light(rng);
            let code = plain_code(rng, text, module);
            let (mut image, area) = page::draw(rng, 1920, 1080, &theme);
            page::card(&mut image, rng, area, &code, &theme);
            (image, format!("1080p page, module {module} px"))
        }
        2 => {
            let module = module_size(rng, 4.0, 6.0, false);
            let sigma = 0.8 + rng.f32() * 0.4;
            let (image, _, kind) = base_scene(rng, text, module);
            (
                damage::blur(&image, sigma),
                format!("{kind}, module {module} px, blur σ {sigma:.1}"),
            )
        }
        _ => {
            let module = module_size(rng, 4.0, 5.0, false);
            let factor = if rng.bool() { 0.75 } else { 1.3 };
            let (image, _, kind) = base_scene(rng, text, module);
            let image = damage::scale(&image, factor, FilterType::Triangle);
            (
                image,
                format!("{kind}, module {module} px scaled {factor}×"),
            )
        }
    };
    (image, format!("version {version}, {note}"))
}
