//! Scenes as a screen shows them: clean renders, full-screen screenshots, dark mode,
//! brand colours, low contrast, thin quiet zones, two codes, and pages with none.

use image::{Rgb, RgbImage};

use super::{WHITE, code_image, module_size, plain_code};
use crate::damage;
use crate::page::{self, ACCENTS, Theme};

/// Module sizes of the clean category, from barely readable to huge.
const CLEAN_MODULES: [f32; 15] = [
    1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 17.5, 20.0,
];

pub fn clean(index: usize, text: &str, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    let module = CLEAN_MODULES[index % CLEAN_MODULES.len()];
    let code = code_image(text, module, 4.0, Rgb([0; 3]), WHITE);
    let image = damage::pad(&code, rng.u32(0..24), WHITE);
    (image, format!("module {module} px"))
}

/// A full-screen page with one card per payload (two cards side by side for two).
fn page_with_codes(
    rng: &mut fastrand::Rng,
    size: (u32, u32),
    theme: &Theme,
    codes: &[RgbImage],
) -> RgbImage {
    let (mut image, area) = page::draw(rng, size.0, size.1, theme);
    let n = codes.len().max(1) as i32;
    for (i, code) in codes.iter().enumerate() {
        let slot = (area.0 + area.2 / n * i as i32, area.1, area.2 / n, area.3);
        page::card(&mut image, rng, slot, code, theme);
    }
    image
}

pub fn screenshot(
    rng: &mut fastrand::Rng,
    size: (u32, u32),
    texts: &[String],
) -> (RgbImage, String) {
    let theme = Theme::light(rng);
    let fractional = rng.bool();
    let module = module_size(rng, 3.0, 8.0, fractional);
    let codes: Vec<RgbImage> = texts.iter().map(|t| plain_code(rng, t, module)).collect();
    let image = page_with_codes(rng, size, &theme, &codes);
    (image, format!("light page, module {module} px"))
}

/// Light modules on a dark card, as a site's dark theme inverts its code.
pub fn dark_mode(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let theme = Theme::dark(rng);
    let size = [(1920, 1080), (2560, 1440), (1280, 800)][rng.usize(..3)];
    let fractional = rng.bool();
    let module = module_size(rng, 3.0, 8.0, fractional);
    let quiet = if rng.bool() { 4.0 } else { 2.0 };
    let code = code_image(text, module, quiet, theme.text, theme.card);
    let image = page_with_codes(rng, size, &theme, &[code]);
    (
        image,
        format!("dark page, inverted code, module {module} px"),
    )
}

/// A pale tint of a colour (towards white by `t`).
fn pale(c: Rgb<u8>, t: f32) -> Rgb<u8> {
    Rgb(c
        .0
        .map(|v| (f32::from(v) + t * (255.0 - f32::from(v))).round() as u8))
}

/// Modules in a brand colour on a pale tint of it, or white modules on the brand colour.
pub fn brand(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let accent = ACCENTS[rng.usize(..ACCENTS.len())];
    let fractional = rng.bool();
    let module = module_size(rng, 3.0, 8.0, fractional);
    let inverted = rng.u8(..4) == 0;
    let (dark, light) = if inverted {
        (Rgb([250; 3]), accent)
    } else {
        (accent, pale(accent, 0.85 + rng.f32() * 0.15))
    };
    let code = code_image(text, module, 4.0, dark, light);
    let note = format!("{:?} on {:?}, module {module} px", dark.0, light.0);
    if rng.bool() {
        let theme = Theme {
            accent,
            ..Theme::light(rng)
        };
        return (
            page_with_codes(rng, (1280, 800), &theme, &[code]),
            format!("page, {note}"),
        );
    }
    (damage::pad(&code, rng.u32(8..48), light), note)
}

/// Grey modules on a slightly lighter grey: 25–60 levels apart.
pub fn low_contrast(rng: &mut fastrand::Rng, text: &str) -> (RgbImage, String) {
    let dark = rng.u8(70..160);
    let light = dark + rng.u8(25..=60);
    let fractional = rng.bool();
    let module = module_size(rng, 3.0, 8.0, fractional);
    let code = code_image(text, module, 4.0, Rgb([dark; 3]), Rgb([light; 3]));
    let note = format!("grey {dark} on {light}, module {module} px");
    if rng.bool() {
        let theme = Theme {
            background: Rgb([light; 3]),
            card: Rgb([light; 3]),
            ..Theme::light(rng)
        };
        return (
            page_with_codes(rng, (1280, 800), &theme, &[code]),
            format!("page, {note}"),
        );
    }
    (damage::pad(&code, rng.u32(8..48), Rgb([light; 3])), note)
}

/// Quiet zones of 0–2 modules against the image edge, a coloured panel, or page text.
pub fn quiet_zone(index: usize, text: &str, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    let quiet = [0.0, 0.5, 1.0, 2.0][rng.usize(..4)];
    let module = module_size(rng, 3.0, 8.0, false);
    let code = code_image(text, module, quiet, Rgb([0; 3]), WHITE);
    let note = format!("quiet zone {quiet} modules, module {module} px");
    match index % 3 {
        0 => (code, format!("cropped to the code, {note}")),
        1 => {
            let panel = Rgb([rng.u8(60..140); 3]);
            (
                damage::pad(&code, rng.u32(10..60), panel),
                format!("on a grey panel, {note}"),
            )
        }
        _ => {
            // Straight onto a page of text, dashes running up to the code.
            let theme = Theme::light(rng);
            let (mut image, area) = page::draw(rng, 1024, 768, &theme);
            let x = area.0 + rng.i32(0..(area.2 - code.width() as i32).max(1));
            let y = area.1 + rng.i32(0..(area.3 - code.height() as i32).max(1));
            image::imageops::replace(&mut image, &code, i64::from(x), i64::from(y));
            (image, format!("inside page text, {note}"))
        }
    }
}

/// Raw UTF-8 payloads, bare or in a screenshot: only the byte encoding is hard here.
pub fn raw_utf8(index: usize, texts: &[String], rng: &mut fastrand::Rng) -> (RgbImage, String) {
    if index % 2 == 1 {
        return screenshot(rng, (1920, 1080), texts);
    }
    let module = module_size(rng, 3.0, 8.0, false);
    let code = plain_code(rng, &texts[0], module);
    (
        damage::pad(&code, rng.u32(8..32), WHITE),
        format!("bare code, module {module} px"),
    )
}

pub fn two_codes(rng: &mut fastrand::Rng, texts: &[String]) -> (RgbImage, String) {
    let size = [(1920, 1080), (2560, 1440), (1440, 900)][rng.usize(..3)];
    let theme = Theme::light(rng);
    let module = module_size(rng, 3.0, 6.0, false);
    let codes: Vec<RgbImage> = texts.iter().map(|t| plain_code(rng, t, module)).collect();
    (
        page_with_codes(rng, size, &theme, &codes),
        format!("two cards, module {module} px"),
    )
}

/// A pixel-art avatar: a random 8×8 block pattern, QR-like texture with no code in it.
fn avatar(
    image: &mut RgbImage,
    rng: &mut fastrand::Rng,
    x: u32,
    y: u32,
    block: u32,
    colour: Rgb<u8>,
) {
    for by in 0..8 {
        for bx in 0..8 {
            if rng.bool() {
                for py in 0..block {
                    for px in 0..block {
                        image.put_pixel(x + bx * block + px, y + by * block + py, colour);
                    }
                }
            }
        }
    }
}

/// Pages with no code, some with QR-like avatars and finder-like logos, some blurred.
pub fn no_code(index: usize, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    let dark = index % 3 == 1;
    let theme = if dark {
        Theme::dark(rng)
    } else {
        Theme::light(rng)
    };
    let size = [(1920, 1080), (1280, 800), (2560, 1440)][index % 3];
    let (mut image, area) = page::draw(rng, size.0, size.1, &theme);
    let mut note = format!("{} page", if dark { "dark" } else { "light" });
    if index.is_multiple_of(2) {
        let block = rng.u32(4..12);
        let (x, y) = (
            area.0 as u32 + rng.u32(0..200),
            area.1 as u32 + rng.u32(0..200),
        );
        avatar(&mut image, rng, x, y, block, theme.text);
        note.push_str(", block avatar");
    }
    if index % 5 == 3 {
        image = damage::blur(&image, 1.5);
        damage::noise(&mut image, rng, 10.0);
        note.push_str(", blurred and noisy");
    }
    (image, note)
}
