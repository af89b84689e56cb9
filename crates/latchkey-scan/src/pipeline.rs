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
//! A grid that no attempt decoded gets a last try: its modules are sampled from the
//! grey input by hand ([`sample`]), at rqrr's corners and at squares grown from its
//! top-left corner, which rescues codes whose far finder patterns page text has joined.
//!
//! The pipeline stops after the first attempt that decodes something, unless a grid was
//! seen that no attempt has decoded yet (a second code on the page); then it goes on.
//! One consequence: a page with one normal code and a second code that only a later
//! attempt (upscaling, say) could even detect returns just the first.

mod binarise;
mod plan;
mod read;
mod resample;
mod sample;
mod tally;

use std::borrow::Cow;

use image::GrayImage;

use plan::{Attempt, MAX_WORK, MIN_SIDE, Scale, Threshold, plan, view, view_size};
use read::Frame;
use tally::Tally;

/// The unsharp mask of sharpening attempts: the mean over 5×5 pixels taken out at
/// 150 %.
const SHARPEN_RADIUS: usize = 2;
const SHARPEN_PERCENT: i32 = 150;

/// What the pipeline found.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Distinct decoded texts, in reading order of their position (top to bottom, then
    /// left to right).
    pub texts: Vec<String>,
    /// True when a grid was detected that no stage could decode.
    pub unreadable: bool,
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
    // Grids still undecoded that no shrunk attempt handed over (a small input is read
    // at full size from the start): their surroundings get the small-image plan too,
    // whose upscaled attempts the whole image was too large for.
    for (centre, radius) in tally.take_unrefined() {
        reread_around(image, centre, radius, &mut tally);
    }
    // Last, grids nothing decoded: sample their modules from the grey input.
    // Several attempts often see a grid at the same corners; each placement is
    // sampled once.
    let mut unread: Vec<read::Sighting> = Vec::new();
    for miss in tally.take_misses() {
        if tally.decoded_at(miss.centre) || unread.iter().any(|u| same_corners(u, &miss)) {
            continue;
        }
        match sample::decode(image, &miss) {
            Some(text) => {
                tally.add(vec![read::Sighting {
                    text: Some(text),
                    ..miss
                }]);
            }
            None => unread.push(miss),
        }
    }
    tally.add(unread);
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
        } else if attempt.sharpen {
            filtered = resample::unsharp(view, SHARPEN_RADIUS, SHARPEN_PERCENT);
            &filtered
        } else {
            view
        };
        let bitmap = binarised(grey, attempt.threshold);
        let pass = |invert| reading(grey, bitmap.as_ref(), invert, *view_frame);
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

/// Whether two sightings put a grid's corners within 2 px of each other.
fn same_corners(a: &read::Sighting, b: &read::Sighting) -> bool {
    a.corners
        .iter()
        .zip(&b.corners)
        .all(|(p, q)| (p.0 - q.0).hypot(p.1 - q.1) < 2.0)
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

/// The black-and-white image an attempt hands to rqrr; `None` when rqrr thresholds the
/// grey image itself.
fn binarised(grey: &GrayImage, threshold: Threshold) -> Option<binarise::Bitmap> {
    match threshold {
        Threshold::Local(flat) => Some(binarise::local(grey, flat)),
        Threshold::Mean => {
            let radius = (grey.width().max(grey.height()) / 32).max(2) as usize;
            Some(binarise::mean(grey, radius, 100))
        }
        Threshold::Rows => None,
    }
}

/// One rqrr pass over an attempt's image, normal or inverted.
fn reading(
    grey: &GrayImage,
    bitmap: Option<&binarise::Bitmap>,
    invert: bool,
    frame: Frame,
) -> Vec<read::Sighting> {
    match bitmap {
        Some(bitmap) => read::read(bitmap, invert, frame),
        None => read::read_grey(grey, invert, frame),
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
mod tests_sample;
#[cfg(test)]
mod tests_timing;
