//! One rqrr pass over a black-and-white bitmap, with its panics contained.

use std::panic::{AssertUnwindSafe, catch_unwind};

use image::GrayImage;
use zeroize::Zeroize;

use super::binarise::Bitmap;

/// Where a bitmap sits in the input: input = bitmap × `scale` + (`x`, `y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Frame {
    pub scale: f32,
    pub x: f32,
    pub y: f32,
}

/// A grid rqrr detected, placed in input coordinates, and its text if it decoded.
pub(super) struct Sighting {
    /// The decoded text, `None` if the grid did not decode.
    pub text: Option<String>,
    /// The grid's centre, in input pixels.
    pub centre: (f32, f32),
    /// Half the grid's diagonal, in input pixels.
    pub radius: f32,
    /// rqrr's bounds of the grid (top-left, top-right, bottom-right, bottom-left), in
    /// input pixels: its grid coordinates (0, 0) to (size + 1, size + 1).
    pub corners: [(f32, f32); 4],
    /// Modules a side, as rqrr measured it.
    pub size: usize,
    /// Whether the code was seen light on dark.
    pub inverted: bool,
}

/// Side of the tiles a busy bitmap is read in, and how far apart they start (so a code
/// up to `TILE - STEP` pixels wide is whole in at least one tile).
const TILE: usize = 1024;
const STEP: usize = 768;
/// Finder-like row patterns per megapixel above which a bitmap counts as busy. Pages
/// and codes show 300–400 (a lone code filling a small image more, but small images
/// are never tiled); pixel noise or a textured photo 3000 and up.
const BUSY_HITS_PER_MP: usize = 1500;

/// Detects and decodes every grid in `bitmap` (or in its negative, for light-on-dark
/// codes). `frame` maps bitmap coordinates back to the input image's.
///
/// A busy bitmap larger than a tile is read tile by tile. rqrr's grouping of finder
/// candidates grows much faster than linearly with their number (every candidate pair
/// is checked on a fresh copy of the whole image, and far-apart noise candidates send
/// its alignment-pattern search on a spiral of millions of steps): 2048×2048 pixel
/// noise took seconds in one piece and never more than a few tens of milliseconds
/// per 1024×1024 tile.
pub(super) fn read(bitmap: &Bitmap, invert: bool, frame: Frame) -> Vec<Sighting> {
    let (w, h) = (bitmap.width, bitmap.height);
    let busy = finder_hits(bitmap, invert) > BUSY_HITS_PER_MP * w * h / 1_000_000;
    if !busy || (w <= TILE && h <= TILE) {
        return read_window(bitmap, invert, frame, (0, 0, w, h));
    }
    let starts = |n: usize| {
        (0..n.saturating_sub(TILE - STEP))
            .step_by(STEP)
            .map(move |s| s.min(n.saturating_sub(TILE)))
    };
    let mut sightings = Vec::new();
    for y in starts(h) {
        for x in starts(w) {
            sightings.extend(read_window(
                bitmap,
                invert,
                frame,
                (x, y, TILE.min(w), TILE.min(h)),
            ));
        }
    }
    sightings
}

/// Reads the `(x, y, width, height)` window of `bitmap`.
fn read_window(
    bitmap: &Bitmap,
    invert: bool,
    frame: Frame,
    window: (usize, usize, usize, usize),
) -> Vec<Sighting> {
    let (x0, y0, w, h) = window;
    let stride = bitmap.width;
    let frame = Frame {
        x: frame.x + x0 as f32 * frame.scale,
        y: frame.y + y0 as f32 * frame.scale,
        ..frame
    };
    guarded(w, h, || {
        let dark = |x: usize, y: usize| (bitmap.dark[(y + y0) * stride + x + x0] != 0) != invert;
        let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(w, h, dark);
        prepared
            .detect_grids()
            .iter()
            .map(|grid| sighting(grid, frame, invert))
            .collect()
    })
}

/// Like [`read`], but lets rqrr threshold the grey image itself (quirc's running row
/// average at 95 %). It keeps the corners of blurred finder patterns sharper than
/// [`super::binarise::local`] does, which decides some heavy blurs.
pub(super) fn read_grey(image: &GrayImage, invert: bool, frame: Frame) -> Vec<Sighting> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    guarded(w, h, || {
        let src = image.as_raw();
        let grey = |x: usize, y: usize| {
            if invert {
                255 - src[y * w + x]
            } else {
                src[y * w + x]
            }
        };
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
        prepared
            .detect_grids()
            .iter()
            .map(|grid| sighting(grid, frame, invert))
            .collect()
    })
}

/// Runs one rqrr pass with its panics contained.
///
/// rqrr can panic on odd images (an `assert!` in `Perspective::map`, WanzenBug/rqrr#54,
/// and a few other `assert!`s and `expect`s on degenerate geometry). The panic is
/// caught and the pass counts as having seen nothing. We do not touch the process-wide
/// panic hook from a library, so the default hook still prints the panic message to
/// stderr when that happens.
fn guarded(w: usize, h: usize, pass: impl FnOnce() -> Vec<Sighting>) -> Vec<Sighting> {
    // rqrr indexes column 0 of every row, and no code fits in fewer than 21×21 pixels.
    if w < 21 || h < 21 {
        return Vec::new();
    }
    catch_unwind(AssertUnwindSafe(pass)).unwrap_or_default()
}

fn sighting<G: rqrr::BitGrid>(grid: &rqrr::Grid<G>, frame: Frame, inverted: bool) -> Sighting {
    let b = &grid.bounds;
    let place = |p: &rqrr::Point| {
        (
            p.x as f32 * frame.scale + frame.x,
            p.y as f32 * frame.scale + frame.y,
        )
    };
    let cx = b.iter().map(|p| p.x as f32).sum::<f32>() / 4.0;
    let cy = b.iter().map(|p| p.y as f32).sum::<f32>() / 4.0;
    let radius = (b[0].x as f32 - b[2].x as f32).hypot(b[0].y as f32 - b[2].y as f32) / 2.0;
    Sighting {
        text: decode(grid),
        centre: (cx * frame.scale + frame.x, cy * frame.scale + frame.y),
        radius: radius * frame.scale,
        corners: [place(&b[0]), place(&b[1]), place(&b[2]), place(&b[3])],
        size: grid.grid.size(),
        inverted,
    }
}

/// Decodes modules given row by row (`true` is dark).
pub(super) fn decode_bits(size: usize, bits: &[bool]) -> Option<String> {
    if bits.len() != size * size {
        return None;
    }
    decode(&rqrr::Grid::new(rqrr::SimpleGrid::from_func(
        size,
        |x, y| bits[y * size + x],
    )))
}

/// Decodes a grid's bytes. QR byte mode has no declared encoding; UTF-8 is what every
/// otpauth generator writes, and the spec's default, ISO 8859-1, is the fallback
/// (rqrr's `decode()` would call such a code unreadable).
fn decode<G: rqrr::BitGrid>(grid: &rqrr::Grid<G>) -> Option<String> {
    let mut bytes = Vec::new();
    if grid.decode_to(&mut bytes).is_err() {
        bytes.zeroize(); // a partly decoded secret
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let mut raw = e.into_bytes();
            let text = raw.iter().map(|&b| char::from(b)).collect();
            raw.zeroize();
            Some(text)
        }
    }
}

/// How many places in `bitmap`'s rows look like the middle of a finder pattern (dark,
/// light, dark, light, dark runs in the ratio 1:1:3:1:1, with rqrr's tolerance).
pub(super) fn finder_hits(bitmap: &Bitmap, invert: bool) -> usize {
    let mut hits = 0;
    for row in bitmap.dark.chunks(bitmap.width.max(1)) {
        let mut runs = [0usize; 5];
        let mut run = 0;
        let mut last = None;
        for &p in row {
            let dark = (p != 0) != invert;
            if last == Some(dark) || last.is_none() {
                run += 1;
                last = Some(dark);
                continue;
            }
            runs.rotate_left(1);
            runs[4] = run;
            run = 1;
            last = Some(dark);
            // A light pixel closes a dark run: test the five runs before it.
            if !dark && runs[0] > 0 {
                let avg = (runs[0] + runs[1] + runs[3] + runs[4]) / 4;
                let err = avg * 3 / 4;
                let ok = |r: usize, k: usize| r + err >= k * avg && r <= k * avg + err;
                if ok(runs[0], 1)
                    && ok(runs[1], 1)
                    && ok(runs[2], 3)
                    && ok(runs[3], 1)
                    && ok(runs[4], 1)
                {
                    hits += 1;
                }
            }
        }
    }
    hits
}
