//! Which attempts the pipeline makes, in which order, on which view of the input.

use std::borrow::Cow;

use image::GrayImage;

use super::resample;

/// Roughly the most pixels the first attempt works at (960×540); larger inputs are
/// box-shrunk by a whole factor. 1080p and 1440p screenshots go to half size, 4K to a
/// third, 4000×3000 photos to a quarter: a code drawn at 6 px or more per module stays
/// readable and rqrr does a quarter of the work or less.
const FIRST_PIXELS: u64 = 960 * 540;
/// The most pixels any attempt binarises and hands to rqrr (about 4000×4000). Larger
/// inputs are only ever read shrunk.
pub(super) const MAX_VIEW: u64 = 16_000_000;
/// The most pixels an upscaled attempt may have: upscaling is for small crops, not
/// for finding a tiny code in a whole screenshot.
pub(super) const MAX_GROWN: u64 = 4_000_000;
/// The most pixels one scan hands to rqrr over all its attempts: caps the retries on a
/// huge image with no code in it.
pub(super) const MAX_WORK: u64 = 64_000_000;
/// The largest view rqrr's own row threshold is tried on: it is there for small
/// blurred codes, and unlike [`super::read::read`] it cannot split a busy image into tiles.
const MAX_ROWS: u64 = 1_000_000;
/// Block contrast (grey levels) under which [`super::binarise::local`] treats a block as flat.
const FLAT: u8 = 24;
/// The same, for faint codes: 200 on 230 that blur or JPEG has flattened further.
const FAINT: u8 = 8;
/// No QR code fits in fewer pixels a side (21 modules of 1 px).
pub(super) const MIN_SIDE: u32 = 21;

/// How one attempt derives its view from the input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Scale {
    /// Box-shrink by this whole factor (1 is the input itself).
    Shrink(u32),
    /// Upscale by this factor, bilinear. (Nearest-neighbour, exact for screenshots,
    /// added nothing in measurements: whole-pixel 1 px modules already read at 1×.)
    Grow(u32),
}

/// How an attempt turns grey into black and white.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Threshold {
    /// [`super::binarise::local`] with this flat range.
    Local(u8),
    /// rqrr's own row threshold ([`super::read::read_grey`]).
    Rows,
    /// [`super::binarise::mean`] over a square 1/16 of the view's longer side across.
    Mean,
}

/// One attempt: a view, an optional speckle filter or sharpening, a threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Attempt {
    pub scale: Scale,
    pub median: bool,
    /// An unsharp mask ([`super::resample::unsharp`]) before thresholding, for blur.
    pub sharpen: bool,
    pub threshold: Threshold,
}

/// The attempts for an input of this size, cheapest and likeliest first.
pub(super) fn plan(width: u32, height: u32) -> Vec<Attempt> {
    if width < MIN_SIDE || height < MIN_SIDE {
        return Vec::new();
    }
    let pixels = u64::from(width) * u64::from(height);
    let shrunk = |k: u32| u64::from(width.div_ceil(k)) * u64::from(height.div_ceil(k));
    // The smallest whole shrink factor that brings the input under MAX_VIEW…
    let floor = (1..=u32::MAX).find(|&k| shrunk(k) <= MAX_VIEW).unwrap_or(1);
    // …and the one the first attempt uses: about FIRST_PIXELS, but never so small
    // that the short side drops under what a code needs.
    let first = ((pixels / FIRST_PIXELS) as f64).sqrt() as u32;
    let first = first.min(width.min(height) / MIN_SIDE).max(floor).max(1);
    let at = |scale, median, threshold| Attempt {
        scale,
        median,
        sharpen: false,
        threshold,
    };
    let mut plan = vec![at(Scale::Shrink(first), false, Threshold::Local(FLAT))];
    let mut k = first;
    while k > floor {
        k = (k / 2).max(floor);
        plan.push(at(Scale::Shrink(k), false, Threshold::Local(FLAT)));
    }
    // Other filters at the first scale (shrinking already averages noise away): rqrr's
    // own threshold for heavy blur, a median for speckle.
    if shrunk(first) <= MAX_ROWS {
        plan.push(at(Scale::Shrink(first), false, Threshold::Rows));
    }
    plan.push(at(Scale::Shrink(first), true, Threshold::Local(FLAT)));
    // And a median at full size (or as near as MAX_VIEW allows) for a shrunk input:
    // modules of a fractional 3–4 px on a busy 1080p page split into runs of uneven
    // width that the median evens out, and that shrinking would blur together.
    if floor < first {
        plan.push(at(Scale::Shrink(floor), true, Threshold::Local(FLAT)));
    }
    // Small inputs: grow so that 1–2 px modules reach 4–8 px. Bilinear rebuilds the
    // edges of fractional modules (a resized image), and a threshold against a small
    // neighbourhood undoes the blur the resizing left; ×4 for modules of 1.2–1.3 px.
    for s in [3, 4] {
        if pixels * u64::from(s * s) <= MAX_GROWN {
            plan.push(at(Scale::Grow(s), false, Threshold::Mean));
        }
    }
    plan.push(at(Scale::Shrink(first), false, Threshold::Local(FAINT)));
    // Last, heavy blur (σ over half a module) that no threshold separates: sharpen
    // first. It comes after everything else, so it costs only images nothing else read.
    plan.push(Attempt {
        sharpen: true,
        ..at(Scale::Shrink(first), false, Threshold::Local(FLAT))
    });
    plan
}

/// The size of the view an attempt reads.
pub(super) fn view_size(image: &GrayImage, scale: Scale) -> (u64, u64) {
    let (w, h) = (u64::from(image.width()), u64::from(image.height()));
    match scale {
        Scale::Shrink(k) => (
            w.div_ceil(u64::from(k.max(1))),
            h.div_ceil(u64::from(k.max(1))),
        ),
        Scale::Grow(s) => (w * u64::from(s), h * u64::from(s)),
    }
}

/// The view an attempt reads, and the factor from input to view coordinates.
pub(super) fn view(image: &GrayImage, scale: Scale) -> (Cow<'_, GrayImage>, f32) {
    match scale {
        Scale::Shrink(1) => (Cow::Borrowed(image), 1.0),
        Scale::Shrink(k) => (Cow::Owned(resample::shrink(image, k)), 1.0 / k as f32),
        Scale::Grow(s) => (Cow::Owned(resample::grow(image, s)), s as f32),
    }
}
