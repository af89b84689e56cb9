//! The decode pipeline: rqrr behind retries, cheapest first.
//!
//! rqrr (a port of quirc) reads clean, mid-sized, dark-on-light codes. Everything else a
//! desktop user hands us is a retry: a smaller copy of a huge capture (rqrr's cost grows
//! with pixels), the full-size one, an inverted copy (dark mode), an upscaled one (modules
//! under ~2 px), a median-filtered one (speckle), a fainter threshold (washed-out
//! photos). Every attempt is binarised by [`binarise::local`] first, which handles uneven
//! light, low contrast, blur and JPEG blocks better than rqrr's own row threshold.
//!
//! When a shrunk attempt sees a grid it cannot decode, the input around that grid is
//! cut out and read again at full size, every which way: a cheap way to the full-size
//! detail of a 4K capture without reading all of it.
//!
//! The pipeline stops after the first attempt that decodes something, unless a grid was
//! seen that no attempt has decoded yet (a second code on the page); then it goes on.
//! One consequence: a page with one normal code and a second code that only a later
//! attempt (upscaling, say) could even detect returns just the first.

mod binarise;
mod read;
mod resample;
mod tally;

use std::borrow::Cow;

use image::GrayImage;

use read::Frame;
use tally::Tally;

/// What the pipeline found.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Distinct decoded texts, in reading order of their position (top to bottom, then
    /// left to right).
    pub texts: Vec<String>,
    /// True when a grid was detected that no stage could decode.
    pub unreadable: bool,
}

/// Roughly the most pixels the first attempt works at (960×540); larger inputs are
/// box-shrunk by a whole factor. 1080p and 1440p screenshots go to half size, 4K to a
/// third, 4000×3000 photos to a quarter: a code drawn at 6 px or more per module stays
/// readable and rqrr does a quarter of the work or less.
const FIRST_PIXELS: u64 = 960 * 540;
/// The most pixels any attempt binarises and hands to rqrr (about 4000×4000). Larger
/// inputs are only ever read shrunk.
const MAX_VIEW: u64 = 16_000_000;
/// The most pixels an upscaled attempt may have: upscaling is for small crops, not
/// for finding a tiny code in a whole screenshot.
const MAX_GROWN: u64 = 4_000_000;
/// The most pixels one scan hands to rqrr over all its attempts: caps the retries on a
/// huge image with no code in it.
const MAX_WORK: u64 = 64_000_000;
/// The largest view rqrr's own row threshold is tried on: it is there for small
/// blurred codes, and unlike [`read::read`] it cannot split a busy image into tiles.
const MAX_ROWS: u64 = 1_000_000;
/// Block contrast (grey levels) under which [`binarise::local`] treats a block as flat.
const FLAT: u8 = 24;
/// The same, for faint codes: 200 on 230 that blur or JPEG has flattened further.
const FAINT: u8 = 8;
/// No QR code fits in fewer pixels a side (21 modules of 1 px).
const MIN_SIDE: u32 = 21;

/// How one attempt derives its view from the input.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scale {
    /// Box-shrink by this whole factor (1 is the input itself).
    Shrink(u32),
    /// Upscale by this factor, bilinear. (Nearest-neighbour, exact for screenshots,
    /// added nothing in measurements: whole-pixel 1 px modules already read at 1×.)
    Grow(u32),
}

/// How an attempt turns grey into black and white.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Threshold {
    /// [`binarise::local`] with this flat range.
    Local(u8),
    /// rqrr's own row threshold ([`read::read_grey`]).
    Rows,
    /// [`binarise::mean`] over a square 1/16 of the view's longer side across.
    Mean,
}

/// One attempt: a view, an optional speckle filter, a threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Attempt {
    scale: Scale,
    median: bool,
    threshold: Threshold,
}

/// Finds and decodes every QR code in a greyscale image.
pub(crate) fn scan(image: &GrayImage) -> Outcome {
    let mut tally = Tally::default();
    let whole = Frame {
        scale: 1.0,
        x: 0.0,
        y: 0.0,
    };
    run(
        image,
        whole,
        &plan(image.width(), image.height()),
        &mut tally,
        &|t: &Tally| t.done(),
        true,
    );
    tally.outcome()
}

/// Runs `plan` over `image` (which sits at `frame` in the input) until `stop` holds.
/// With `refine`, grids that a shrunk attempt saw but could not decode are re-read from
/// the full-size pixels around them.
fn run(
    image: &GrayImage,
    frame: Frame,
    plan: &[Attempt],
    tally: &mut Tally,
    stop: &dyn Fn(&Tally) -> bool,
    refine: bool,
) {
    let mut cached: Option<(Scale, Cow<'_, GrayImage>, Frame)> = None;
    for attempt in plan {
        // Each attempt may read its view twice (normal and inverted).
        let (w, h) = view_size(image, attempt.scale);
        if !tally.spend(2 * w * h, MAX_WORK) {
            continue;
        }
        if !matches!(&cached, Some((scale, ..)) if *scale == attempt.scale) {
            let (view, to_view) = view(image, attempt.scale);
            let scaled = Frame {
                scale: frame.scale / to_view,
                ..frame
            };
            cached = Some((attempt.scale, view, scaled));
        }
        let Some((_, view, view_frame)) = &cached else {
            continue;
        };
        let filtered;
        let grey = if attempt.median {
            filtered = resample::median3(view);
            &filtered
        } else {
            view
        };
        let bitmap = match attempt.threshold {
            Threshold::Local(flat) => Some(binarise::local(grey, flat)),
            Threshold::Mean => {
                let radius = (grey.width().max(grey.height()) / 32).max(2) as usize;
                Some(binarise::mean(grey, radius, 100))
            }
            Threshold::Rows => None,
        };
        let pass = |invert| match &bitmap {
            Some(bitmap) => read::read(bitmap, invert, *view_frame),
            None => read::read_grey(grey, invert, *view_frame),
        };
        // The light-on-dark retry, when the normal reading decoded nothing. (A page
        // with a dark-on-light code and a light-on-dark one returns the first only.)
        if !tally.add(pass(false)) {
            tally.add(pass(true));
        }
        if refine && view_frame.scale > 1.0 {
            for (centre, radius) in tally.take_unrefined() {
                reread_around(image, centre, radius, tally);
            }
        }
        if stop(tally) {
            break;
        }
    }
}

/// Reads the full-size pixels around an undecoded grid with the plan for a small image.
fn reread_around(image: &GrayImage, centre: (f32, f32), radius: f32, tally: &mut Tally) {
    // The grid's side is about 1.4 radii; 1.2 radii each way leaves half a side of margin.
    let reach = radius * 1.2 + 8.0;
    let (x0, y0) = ((centre.0 - reach).max(0.0), (centre.1 - reach).max(0.0));
    let (x1, y1) = (
        (centre.0 + reach).min(image.width() as f32),
        (centre.1 + reach).min(image.height() as f32),
    );
    if !(x1 - x0 >= MIN_SIDE as f32 && y1 - y0 >= MIN_SIDE as f32) {
        return; // also rejects NaN
    }
    let (x, y, w, h) = (x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32);
    let crop = image::imageops::crop_imm(image, x, y, w, h).to_image();
    let frame = Frame {
        scale: 1.0,
        x: x as f32,
        y: y as f32,
    };
    run(
        &crop,
        frame,
        &plan(w, h),
        tally,
        &|t: &Tally| !t.pending_at(centre),
        false,
    );
}

/// The attempts for an input of this size, cheapest and likeliest first.
fn plan(width: u32, height: u32) -> Vec<Attempt> {
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
    // Small inputs: grow so that 1–2 px modules reach 4–8 px. Bilinear rebuilds the
    // edges of fractional modules (a resized image), and a threshold against a small
    // neighbourhood undoes the blur the resizing left; ×4 for modules of 1.2–1.3 px.
    for s in [3, 4] {
        if pixels * u64::from(s * s) <= MAX_GROWN {
            plan.push(at(Scale::Grow(s), false, Threshold::Mean));
        }
    }
    plan.push(at(Scale::Shrink(first), false, Threshold::Local(FAINT)));
    plan
}

/// The size of the view an attempt reads.
fn view_size(image: &GrayImage, scale: Scale) -> (u64, u64) {
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
fn view(image: &GrayImage, scale: Scale) -> (Cow<'_, GrayImage>, f32) {
    match scale {
        Scale::Shrink(1) => (Cow::Borrowed(image), 1.0),
        Scale::Shrink(k) => (Cow::Owned(resample::shrink(image, k)), 1.0 / k as f32),
        Scale::Grow(s) => (Cow::Owned(resample::grow(image, s)), s as f32),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_damage;
#[cfg(test)]
mod tests_garbage;
#[cfg(test)]
mod tests_render;
#[cfg(test)]
mod tests_timing;
