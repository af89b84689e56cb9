//! The pipeline on clean codes at every size, in pages, inverted, and several at once.
//! Damage is in `tests_damage.rs`, hostile input in `tests_garbage.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use image::GrayImage;

use super::tests_render::*;
use super::{Outcome, scan};

pub const LINK: &str = "https://example.com/help/two-factor";
/// A Google Authenticator export: long, so a dense (version 10+) code.
pub const MIGRATION: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhABGAEgACi0q4%2FYBQ%3D%3DCjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6Ym9iQGdvb2dsZS5jb20aB0V4YW1wbGUgASgBMAIQARgBIAAotKuP2AU%3D";

/// Scans and checks that exactly `expected` came out, and nothing is called unreadable.
#[track_caller]
pub fn assert_reads(image: &GrayImage, expected: &[&str]) {
    let Outcome { texts, unreadable } = scan(image);
    assert_eq!(
        texts,
        expected,
        "{}×{} image",
        image.width(),
        image.height()
    );
    assert!(!unreadable);
}

#[test]
fn reads_clean_code_at_every_module_size_from_1_to_20_px() {
    for px in [1, 2, 3, 4, 5, 6, 8, 11, 14, 20] {
        assert_reads(&code(SETUP, px), &[SETUP]);
    }
}

#[test]
fn reads_codes_resized_to_fractional_module_sizes() {
    // A browser zoom or an image viewer's resize: 1.3 to 5.4 px per module, smoothed.
    for (px, factor) in [(2, 0.65), (3, 0.6), (2, 1.4), (4, 0.65), (3, 1.8)] {
        assert_reads(&resize(&code(SETUP, px), factor), &[SETUP]);
    }
}

#[test]
fn reads_dense_migration_export() {
    for px in [2, 3, 6] {
        assert_reads(&code(MIGRATION, px), &[MIGRATION]);
    }
}

#[test]
fn reads_light_on_dark_code() {
    for px in [1, 3, 8] {
        assert_reads(&invert(&code(SETUP, px)), &[SETUP]);
    }
}

#[test]
fn reads_dark_mode_page() {
    let mut p = page(1280, 800, 11);
    paste(&mut p, &code(SETUP, 5), 700, 250);
    assert_reads(&invert(&p), &[SETUP]);
}

#[test]
fn reads_code_embedded_in_1080p_screenshot() {
    let mut p = page(1920, 1080, 1);
    paste(&mut p, &code(SETUP, 6), 1300, 400);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn reads_small_module_code_in_1080p_screenshot_at_full_size() {
    // 3 px modules do not survive the first, half-size attempt.
    let mut p = page(1920, 1080, 2);
    paste(&mut p, &code(SETUP, 3), 800, 300);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn reads_code_embedded_in_1440p_screenshot() {
    let mut p = page(2560, 1440, 3);
    paste(&mut p, &code(SETUP, 5), 300, 700);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn reads_code_in_huge_4000_by_3000_capture() {
    let mut p = page(4000, 3000, 4);
    paste(&mut p, &code(SETUP, 40), 1500, 800);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn reads_small_code_in_huge_capture_through_the_full_size_attempts() {
    // 4 px modules in 4000×3000: the quarter-size first attempt cannot see them.
    let mut p = page(4000, 3000, 5);
    paste(&mut p, &code(SETUP, 4), 2900, 2300);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn returns_both_codes_of_a_page_in_reading_order() {
    let mut p = page(1920, 1080, 6);
    paste(&mut p, &code(LINK, 6), 1200, 500);
    paste(&mut p, &code(SETUP, 6), 200, 250);
    assert_reads(&p, &[SETUP, LINK]);
}

#[test]
fn returns_a_code_shown_twice_once() {
    let mut p = page(1600, 900, 7);
    paste(&mut p, &code(SETUP, 5), 100, 200);
    paste(&mut p, &code(SETUP, 5), 900, 200);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn page_without_code_gives_nothing_and_is_not_unreadable() {
    for (w, h, seed) in [(1920, 1080, 9), (800, 600, 10)] {
        let out = scan(&page(w, h, seed));
        assert!(out.texts.is_empty());
        assert!(!out.unreadable);
    }
}

#[test]
fn plan_shrinks_big_inputs_first_and_never_reads_more_than_max_view() {
    use super::plan::{MAX_GROWN, MAX_VIEW, Scale, plan};
    for (w, h) in [
        (200, 200),
        (1920, 1080),
        (2560, 1440),
        (4000, 3000),
        (10000, 8000),
        (100_000, 21),
    ] {
        let plan = plan(w, h);
        for a in &plan {
            let (read, limit) = match a.scale {
                Scale::Shrink(k) => (
                    u64::from(w.div_ceil(k)) * u64::from(h.div_ceil(k)),
                    MAX_VIEW,
                ),
                Scale::Grow(s) => (u64::from(w * s) * u64::from(h * s), MAX_GROWN),
            };
            assert!(read <= limit, "{w}×{h}: {a:?}");
        }
        let first = plan.first().map(|a| a.scale);
        if w >= 1920 && h >= 1080 {
            assert!(
                matches!(first, Some(Scale::Shrink(k)) if k >= 2),
                "{w}×{h} starts at {first:?}"
            );
        }
    }
}

#[test]
fn reads_latin1_payload_as_latin1() {
    // QR byte mode's default encoding is ISO 8859-1; rqrr's `decode()` rejects it.
    let (bits, n) = modules_of(b"otpauth://totp/Caf\xe9?secret=JBSWY3DPEHPK3PXP");
    let img = GrayImage::from_fn((n + 8) * 4, (n + 8) * 4, |x, y| {
        let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
        let dark = mx < n && my < n && bits[(my * n + mx) as usize];
        image::Luma([if dark { 0 } else { 255 }])
    });
    assert_reads(&img, &["otpauth://totp/Café?secret=JBSWY3DPEHPK3PXP"]);
}

#[test]
fn reads_code_in_a_large_noisy_photo() {
    // Pixel noise everywhere but the code: the full-size bitmap is "busy" and is read in
    // tiles, which keeps rqrr from its slow path on noise.
    let mut rng = Rng::new(17);
    let mut img = GrayImage::from_fn(2400, 1600, |_, _| image::Luma([rng.next() as u8]));
    paste(&mut img, &code(SETUP, 4), 1500, 900);
    assert_reads(&img, &[SETUP]);
}
