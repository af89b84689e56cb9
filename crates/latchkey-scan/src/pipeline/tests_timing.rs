//! A report to run by hand, not a test that asserts anything about time:
//!
//! ```text
//! cargo test -p latchkey-scan --lib --release -- --ignored --nocapture pipeline_report
//! ```
//!
//! For each kind of image it prints the median time of `scan` and which attempts of the
//! plan decode it on their own (`n` normal, `i` inverted, `.` neither), which is how the
//! plan's order was chosen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use image::GrayImage;

use super::plan::{Attempt, plan, view};
use super::tests_render::*;
use super::{binarise, binarised, read, reading, resample, scan};

fn report_cases() -> Vec<(String, GrayImage)> {
    let mut v: Vec<(String, GrayImage)> = Vec::new();
    for px in [1, 2, 3, 4, 8, 20] {
        v.push((format!("px{px}"), code(SETUP, px)));
    }
    v.push(("px1.5".into(), resize(&code(SETUP, 3), 0.5)));
    v.push(("px2.6".into(), resize(&code(SETUP, 4), 0.65)));
    for (name, w, h, px, seed) in [
        ("1080p", 1920, 1080, 6, 1),
        ("1080p-px3", 1920, 1080, 3, 2),
        ("1440p", 2560, 1440, 5, 3),
        ("4000x3000", 4000, 3000, 40, 4),
        ("4k-px8", 3840, 2160, 8, 5),
    ] {
        let mut p = page(w, h, seed);
        paste(&mut p, &code(SETUP, px), w / 2, h / 3);
        if name == "1080p" {
            v.push(("1080p-dark".into(), invert(&p)));
        }
        v.push((name.into(), p));
    }
    v.push(("grey110/150".into(), code_with(SETUP, 6, 4, 110, 150)));
    v.push(("grey200/230".into(), code_with(SETUP, 6, 4, 200, 230)));
    for sigma in [1.0, 1.5, 2.0, 2.5] {
        v.push((
            format!("blur{sigma}"),
            image::imageops::blur(&code(SETUP, 8), sigma),
        ));
    }
    for q in [25, 40, 60] {
        v.push((format!("jpeg{q}"), jpeg(&code(SETUP, 4), q)));
    }
    for a in [7.0, 30.0, 45.0] {
        v.push((format!("rot{a}"), rotate(&code(SETUP, 5), a, 255)));
    }
    let quad = [(0.1, 0.05), (0.85, 0.12), (0.95, 0.9), (0.05, 0.95)];
    v.push((
        "perspective".into(),
        warp(&code(SETUP, 6), quad, 500, 500, 255),
    ));
    v.push(("salt2%".into(), salt(&code(SETUP, 5), 0.02, 7)));
    v.push(("salt5%".into(), salt(&code(SETUP, 5), 0.05, 8)));
    v.push(("no-quiet".into(), code_with(SETUP, 5, 0, 0, 255)));
    let photo = rotate(&code_with(SETUP, 5, 4, 60, 200), 12.0, 200);
    v.push((
        "photo-like".into(),
        jpeg(&image::imageops::blur(&photo, 1.2), 40),
    ));
    v.push(("empty-page".into(), page(1920, 1080, 9)));
    v
}

fn median_ms(img: &GrayImage) -> f64 {
    let mut t: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(scan(img));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[2]
}

fn attempt_marks(img: &GrayImage, plan: &[Attempt]) -> String {
    plan.iter()
        .map(|a| {
            let (v, to_view) = view(img, a.scale);
            let g = if a.median {
                resample::median3(&v)
            } else {
                v.into_owned()
            };
            let f = read::Frame {
                scale: 1.0 / to_view,
                x: 0.0,
                y: 0.0,
            };
            let bitmap = binarised(&g, a.threshold);
            let pass = |inv| reading(&g, bitmap.as_ref(), inv, f);
            let mark = if pass(false).iter().any(|s| s.text.is_some()) {
                'n'
            } else if pass(true).iter().any(|s| s.text.is_some()) {
                'i'
            } else {
                '.'
            };
            let start = Instant::now();
            std::hint::black_box(pass(false));
            format!("{mark}{:.0} ", start.elapsed().as_secs_f64() * 1000.0)
        })
        .collect()
}

#[test]
#[ignore = "a report to run by hand in release mode"]
fn pipeline_report() {
    for (name, img) in report_cases() {
        let plan = plan(img.width(), img.height());
        let out = scan(&img);
        println!(
            "{name:>12} {:>5}x{:<5} {:>8.1} ms  found {} unreadable {:5}  attempts {}  {:?}",
            img.width(),
            img.height(),
            median_ms(&img),
            out.texts.len(),
            out.unreadable,
            attempt_marks(&img, &plan),
            plan.iter()
                .map(|a| (a.scale, a.median, a.threshold))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
#[ignore = "a report to run by hand in release mode"]
fn stage_cost_report() {
    const F: read::Frame = read::Frame {
        scale: 1.0,
        x: 0.0,
        y: 0.0,
    };
    let img = page(1920, 1080, 9);
    let time = |name: &str, f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..5 {
            f();
        }
        println!(
            "{name:>20} {:>7.2} ms",
            start.elapsed().as_secs_f64() * 200.0
        );
    };
    time("clone", &mut || drop(std::hint::black_box(img.clone())));
    time("shrink2", &mut || {
        drop(std::hint::black_box(resample::shrink(&img, 2)))
    });
    time("median", &mut || {
        drop(std::hint::black_box(resample::median3(&img)))
    });
    time("binarise", &mut || {
        drop(std::hint::black_box(binarise::local(&img, 24)))
    });
    let b = binarise::local(&img, 24);
    time("read", &mut || {
        drop(std::hint::black_box(read::read(&b, false, F)))
    });
    time("read inverted", &mut || {
        drop(std::hint::black_box(read::read(&b, true, F)))
    });
    time("rqrr prepare", &mut || {
        let mut p = rqrr::PreparedImage::prepare(img.clone());
        std::hint::black_box(p.detect_grids().len());
    });
}

/// The same report for image files: `FILES="a.png b.jpg" cargo test … file_report`.
#[test]
#[ignore = "a report to run by hand in release mode"]
fn file_report() {
    for path in std::env::var("FILES")
        .unwrap_or_default()
        .split_whitespace()
    {
        let img = image::open(path).unwrap().to_luma8();
        let plan = plan(img.width(), img.height());
        let out = scan(&img);
        println!(
            "{path}: {:.1} ms found {} unreadable {} attempts {}",
            median_ms(&img),
            out.texts.len(),
            out.unreadable,
            attempt_marks(&img, &plan)
        );
    }
}
