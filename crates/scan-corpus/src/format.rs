//! Image file formats the corpus is written in: the ones `latchkey scan` promises to
//! read, and which zbarimg (through ImageMagick) reads too, so both tools get the same file.

use std::io::Cursor;

use image::codecs::bmp::BmpEncoder;
use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ExtendedColorType, ImageEncoder, RgbImage};

/// A file format; JPEG carries its quality (1–100).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg(u8),
    /// Lossless WebP: the `image` crate writes no lossy WebP.
    WebP,
    /// GIF, quantised to 256 colours by the encoder.
    Gif,
    Bmp,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg(_) => "jpg",
            Format::WebP => "webp",
            Format::Gif => "gif",
            Format::Bmp => "bmp",
        }
    }

    /// Encodes an image into the bytes of a file of this format.
    pub fn encode(self, image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        let (w, h) = image.dimensions();
        let rgb = ExtendedColorType::Rgb8;
        match self {
            Format::Png => PngEncoder::new(&mut out).write_image(image, w, h, rgb),
            Format::Jpeg(q) => {
                JpegEncoder::new_with_quality(&mut out, q).write_image(image, w, h, rgb)
            }
            Format::WebP => WebPEncoder::new_lossless(&mut out).write_image(image, w, h, rgb),
            Format::Bmp => {
                BmpEncoder::new(&mut Cursor::new(&mut out)).write_image(image, w, h, rgb)
            }
            Format::Gif => {
                let rgba = DynamicImage::ImageRgb8(image.clone()).into_rgba8();
                GifEncoder::new(&mut out).encode(&rgba, w, h, ExtendedColorType::Rgba8)
            }
        }
        .expect("encoding to memory does not fail");
        out
    }
}
