//! The corpus plan: which images exist, their payloads and file formats.
//!
//! Planning is cheap (no pixels), so tests can check every payload without rendering
//! the 300-odd images.

use crate::format::Format;
use crate::{migration, payload, rng_for};

/// The kinds of image, each a condition a desktop user meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Clean,
    Screenshot1080,
    Screenshot1440,
    DarkMode,
    Brand,
    LowContrast,
    Blur,
    Jpeg,
    Rotation,
    Perspective,
    Noise,
    Photo,
    QuietZone,
    Scaled,
    Migration,
    RawUtf8,
    TwoCodes,
    NoCode,
}

impl Category {
    pub const ALL: [Category; 18] = [
        Category::Clean,
        Category::Screenshot1080,
        Category::Screenshot1440,
        Category::DarkMode,
        Category::Brand,
        Category::LowContrast,
        Category::Blur,
        Category::Jpeg,
        Category::Rotation,
        Category::Perspective,
        Category::Noise,
        Category::Photo,
        Category::QuietZone,
        Category::Scaled,
        Category::Migration,
        Category::RawUtf8,
        Category::TwoCodes,
        Category::NoCode,
    ];

    /// The name used in file names, the manifest and the tables.
    pub fn name(self) -> &'static str {
        match self {
            Category::Clean => "clean",
            Category::Screenshot1080 => "screenshot-1080p",
            Category::Screenshot1440 => "screenshot-1440p",
            Category::DarkMode => "dark-mode",
            Category::Brand => "brand-colour",
            Category::LowContrast => "low-contrast",
            Category::Blur => "blur",
            Category::Jpeg => "jpeg",
            Category::Rotation => "rotation",
            Category::Perspective => "perspective",
            Category::Noise => "noise",
            Category::Photo => "photo",
            Category::QuietZone => "quiet-zone",
            Category::Scaled => "scaled",
            Category::Migration => "migration",
            Category::RawUtf8 => "raw-utf8",
            Category::TwoCodes => "two-codes",
            Category::NoCode => "no-code",
        }
    }

    /// How many images of this kind the corpus holds: more where users meet it most.
    pub fn count(self) -> usize {
        match self {
            Category::Clean => 30,
            Category::Screenshot1080 => 25,
            Category::Screenshot1440 | Category::DarkMode | Category::Blur | Category::Jpeg => 20,
            Category::Rotation | Category::Photo | Category::Scaled | Category::Migration => 20,
            Category::TwoCodes | Category::RawUtf8 => 12,
            _ => 15,
        }
    }
}

/// One image of the corpus, before rendering.
#[derive(Clone, Debug)]
pub struct Case {
    pub category: Category,
    /// Index within the category.
    pub index: usize,
    /// The exact texts encoded, which a reader must output: none, one or two.
    pub payloads: Vec<String>,
    pub format: Format,
}

impl Case {
    pub fn file_name(&self) -> String {
        format!(
            "{}-{:03}.{}",
            self.category.name(),
            self.index,
            self.format.extension()
        )
    }

    /// The case's random source for one purpose (`salt`): payloads, format and drawing
    /// draw from separate streams so a change to one leaves the others as they were.
    pub fn rng(&self, salt: u64) -> fastrand::Rng {
        rng_for(self.category.name(), self.index, salt)
    }
}

/// Every case of the corpus, category by category.
pub fn cases() -> Vec<Case> {
    Category::ALL
        .iter()
        .flat_map(|&c| (0..c.count()).map(move |i| case(c, i)))
        .collect()
}

/// One case: its payloads and format.
pub fn case(category: Category, index: usize) -> Case {
    let mut rng = rng_for(category.name(), index, 0);
    let payloads = payloads(category, &mut rng);
    let format = format(category, index, &mut rng_for(category.name(), index, 1));
    Case {
        category,
        index,
        payloads,
        format,
    }
}

fn payloads(category: Category, rng: &mut fastrand::Rng) -> Vec<String> {
    use Category as C;
    match category {
        C::NoCode => vec![],
        C::Migration => vec![migration::dense_export(rng)],
        C::RawUtf8 => vec![payload::otpauth_raw_utf8(rng)],
        C::TwoCodes => {
            let second = match rng.u8(..3) {
                0 => payload::web_link(rng),
                1 => payload::otpauth(rng),
                _ => migration::dense_export(rng),
            };
            vec![payload::otpauth(rng), second]
        }
        // Some pages show a link (to an app store, say) where a setup code might be.
        C::Screenshot1080 | C::Screenshot1440 | C::DarkMode if rng.u8(..5) == 0 => {
            vec![payload::web_link(rng)]
        }
        _ => vec![payload::otpauth(rng)],
    }
}

/// Mostly PNG and JPEG, with WebP, GIF and BMP where such files occur.
fn format(category: Category, index: usize, rng: &mut fastrand::Rng) -> Format {
    use Category as C;
    let good_jpeg = Format::Jpeg(rng.u8(80..=95));
    match (category, index % 10) {
        (C::Jpeg, _) => Format::Jpeg(rng.u8(25..=60)),
        (C::Photo, _) => Format::Jpeg(rng.u8(50..=85)),
        (C::Clean, 3 | 8) => Format::WebP,
        (C::Clean, 4) | (C::Brand, 2) | (C::NoCode, 4) => Format::Gif,
        (C::Clean, 9) | (C::LowContrast, 3) => Format::Bmp,
        (C::Screenshot1080 | C::Screenshot1440 | C::QuietZone | C::Migration, 7) => Format::WebP,
        (
            C::Screenshot1080 | C::Screenshot1440 | C::DarkMode | C::Perspective | C::RawUtf8,
            1 | 5,
        ) => good_jpeg,
        (
            C::Brand | C::Blur | C::Rotation | C::Noise | C::Scaled | C::TwoCodes | C::NoCode,
            1 | 6,
        ) => good_jpeg,
        (C::Migration, 1 | 4) => good_jpeg,
        _ => Format::Png,
    }
}
