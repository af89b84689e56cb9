//! Rendering a planned case into image bytes. Screen-like scenes are in [`screen`],
//! camera- and resampling-like damage in [`camera`].

mod camera;
mod screen;

use image::{Rgb, RgbImage};

use crate::page::{self, Theme};
use crate::plan::{Case, Category};
use crate::qr;

pub const WHITE: Rgb<u8> = Rgb([255, 255, 255]);

/// A rendered case: the file's bytes and a note of the parameters used.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub note: String,
}

/// Renders a case. The same case always gives the same bytes.
pub fn render(case: &Case) -> Rendered {
    let mut rng = case.rng(2);
    let (image, note) = draw(case, &mut rng);
    let format = match case.format {
        crate::format::Format::Jpeg(q) => format!("JPEG q{q}"),
        other => other.extension().to_uppercase(),
    };
    let note = format!("{}x{} {format}, {note}", image.width(), image.height());
    Rendered {
        bytes: case.format.encode(&image),
        note,
    }
}

fn draw(case: &Case, rng: &mut fastrand::Rng) -> (RgbImage, String) {
    use Category as C;
    let text = case.payloads.first().map_or("", String::as_str);
    match case.category {
        C::Clean => screen::clean(case.index, text, rng),
        C::Screenshot1080 => screen::screenshot(rng, (1920, 1080), &case.payloads),
        C::Screenshot1440 => screen::screenshot(rng, (2560, 1440), &case.payloads),
        C::DarkMode => screen::dark_mode(rng, text),
        C::Brand => screen::brand(rng, text),
        C::LowContrast => screen::low_contrast(rng, text),
        C::QuietZone => screen::quiet_zone(case.index, text, rng),
        C::RawUtf8 => screen::raw_utf8(case.index, &case.payloads, rng),
        C::TwoCodes => screen::two_codes(rng, &case.payloads),
        C::NoCode => screen::no_code(case.index, rng),
        C::Blur => camera::blur(rng, text),
        C::Jpeg => camera::jpeg(rng, text),
        C::Rotation => camera::rotation(case.index, text, rng),
        C::Perspective => camera::perspective(rng, text),
        C::Noise => camera::noise(rng, text),
        C::Photo => camera::photo(rng, text),
        C::Scaled => camera::scaled(case.index, text, rng),
        C::Migration => camera::migration(case.index, text, rng),
    }
}

/// A module size in `lo..hi` px: whole pixels (crisp, as most pages render) or, when
/// `fractional`, tenths (as a page at 125 % zoom renders).
pub fn module_size(rng: &mut fastrand::Rng, lo: f32, hi: f32, fractional: bool) -> f32 {
    let m = lo + rng.f32() * (hi - lo);
    if fractional {
        (m * 10.0).round() / 10.0
    } else {
        m.round()
    }
}

/// A code rendered in two colours: `dark` modules on a `light` quiet zone.
pub fn code_image(text: &str, module: f32, quiet: f32, dark: Rgb<u8>, light: Rgb<u8>) -> RgbImage {
    qr::tint(&qr::render(&qr::encode(text), module, quiet), dark, light)
}

/// Black on white with the standard 4-module quiet zone (2 on some sites).
pub fn plain_code(rng: &mut fastrand::Rng, text: &str, module: f32) -> RgbImage {
    let quiet = if rng.u8(..4) == 0 { 2.0 } else { 4.0 };
    code_image(text, module, quiet, Rgb([rng.u8(0..40); 3]), WHITE)
}

/// The starting point of most damage cases: a light app window with the code in a card,
/// or the bare code on white with a margin. Returns the image and its background.
pub fn base_scene(
    rng: &mut fastrand::Rng,
    text: &str,
    module: f32,
) -> (RgbImage, Rgb<u8>, &'static str) {
    let code = plain_code(rng, text, module);
    if rng.bool() {
        let theme = Theme::light(rng);
        let (w, h) = [(1024, 768), (1280, 800), (800, 600)][rng.usize(..3)];
        let (w, h) = (w.max(code.width() + 120), h.max(code.height() + 200));
        let (mut image, area) = page::draw(rng, w, h, &theme);
        page::card(&mut image, rng, area, &code, &theme);
        (image, theme.background, "window")
    } else {
        let margin = rng.u32(16..64);
        (crate::damage::pad(&code, margin, WHITE), WHITE, "bare code")
    }
}
