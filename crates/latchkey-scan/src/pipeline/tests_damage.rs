//! The pipeline on codes damaged the ways screenshots and photos damage them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use image::{DynamicImage, GrayImage, Rgb, RgbImage};

use super::scan;
use super::tests::{LINK, assert_reads};
use super::tests_render::*;

#[test]
fn reads_low_contrast_grey_on_grey() {
    for (dark, light) in [(110, 150), (200, 230), (40, 75)] {
        assert_reads(&code_with(SETUP, 6, 4, dark, light), &[SETUP]);
    }
}

#[test]
fn reads_code_under_uneven_light() {
    // A shadow across a photographed screen: 250 on the left fading to 120 on the right.
    let c = code(SETUP, 6);
    let w = c.width() as f32;
    let lit = GrayImage::from_fn(c.width(), c.height(), |x, y| {
        let light = 250.0 - 130.0 * x as f32 / w;
        let v = f32::from(c.get_pixel(x, y)[0]) / 255.0;
        image::Luma([(20.0 + v * (light - 20.0)) as u8])
    });
    assert_reads(&lit, &[SETUP]);
}

#[test]
fn reads_gaussian_blurred_code_from_sigma_1_to_2_5() {
    for sigma in [1.0, 1.5, 2.0, 2.5] {
        assert_reads(&image::imageops::blur(&code(SETUP, 8), sigma), &[SETUP]);
    }
}

#[test]
fn reads_jpeg_at_quality_25_to_60() {
    for quality in [25, 40, 60] {
        for px in [3, 5] {
            assert_reads(&jpeg(&code(SETUP, px), quality), &[SETUP]);
        }
    }
}

#[test]
fn reads_jpeg_screenshot_with_dark_mode_code() {
    let mut p = page(1280, 720, 12);
    paste(&mut p, &code(SETUP, 5), 500, 200);
    assert_reads(&jpeg(&invert(&p), 40), &[SETUP]);
}

#[test]
fn reads_codes_rotated_by_7_30_and_45_degrees() {
    for degrees in [7.0, 30.0, 45.0, 90.0, 173.0] {
        assert_reads(&rotate(&code(SETUP, 5), degrees, 255), &[SETUP]);
    }
}

#[test]
fn reads_rotated_code_in_a_page() {
    let mut p = page(1280, 800, 13);
    paste(&mut p, &rotate(&code(SETUP, 6), 30.0, 242), 400, 150);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn reads_code_under_mild_perspective() {
    let c = code(SETUP, 6);
    let quads = [
        [(0.1, 0.05), (0.85, 0.12), (0.95, 0.9), (0.05, 0.95)],
        [(0.05, 0.05), (0.95, 0.15), (0.95, 0.85), (0.05, 0.95)],
        [(0.15, 0.1), (0.85, 0.1), (0.98, 0.95), (0.02, 0.95)],
    ];
    for quad in quads {
        assert_reads(&warp(&c, quad, 450, 450, 255), &[SETUP]);
    }
}

#[test]
fn reads_code_with_salt_and_pepper_noise() {
    for (fraction, seed) in [(0.01, 1), (0.03, 2), (0.05, 3)] {
        assert_reads(&salt(&code(SETUP, 5), fraction, seed), &[SETUP]);
    }
}

#[test]
fn reads_code_with_thin_or_no_quiet_zone() {
    for quiet in [0, 1, 2] {
        assert_reads(&code_with(SETUP, 5, quiet, 0, 255), &[SETUP]);
    }
}

#[test]
fn reads_code_with_a_one_module_quiet_zone_against_a_busy_background() {
    let mut p = page(900, 700, 14);
    paste(&mut p, &code_with(SETUP, 5, 1, 0, 255), 300, 150);
    assert_reads(&p, &[SETUP]);
}

#[test]
fn reads_brand_coloured_codes_after_greyscale_conversion() {
    let colours = [
        (Rgb([20, 60, 200]), Rgb([250, 220, 40])), // blue on yellow
        (Rgb([230, 120, 0]), Rgb([255, 255, 255])), // orange on white
        (Rgb([0, 120, 60]), Rgb([230, 245, 235])), // green on mint
        (Rgb([255, 255, 255]), Rgb([200, 30, 60])), // white on red
    ];
    let grey = code(SETUP, 5);
    for (ink, paper) in colours {
        let rgb = RgbImage::from_fn(grey.width(), grey.height(), |x, y| {
            if grey.get_pixel(x, y)[0] < 128 {
                ink
            } else {
                paper
            }
        });
        assert_reads(&DynamicImage::ImageRgb8(rgb).to_luma8(), &[SETUP]);
    }
}

#[test]
fn reads_photo_like_combination_of_damage() {
    // Grey on grey, rotated, blurred, JPEG-compressed.
    let c = rotate(&code_with(SETUP, 5, 4, 60, 200), 12.0, 200);
    assert_reads(&jpeg(&image::imageops::blur(&c, 1.2), 40), &[SETUP]);
}

#[test]
fn half_covered_code_is_unreadable_not_absent() {
    // Blank the middle of the data area but keep the finder, timing and alignment
    // patterns, so rqrr still sees the grid.
    let (bits, n) = modules(SETUP);
    let px = 6;
    let mut img = code(SETUP, px);
    let (lo, hi) = (9, n - 10);
    for y in lo..hi {
        for x in 0..n {
            let keep = x < 9 || x >= n - 9 || (x == 6);
            if !keep && bits[(y * n + x) as usize] {
                fill(&mut img, (x + 4) * px, (y + 4) * px, px, px, 255);
            }
        }
    }
    let out = scan(&img);
    assert!(out.texts.is_empty(), "{:?}", out.texts);
    assert!(out.unreadable);
}

#[test]
fn damaged_code_next_to_a_good_one_gives_the_good_one() {
    let mut broken = code(LINK, 6);
    let side = broken.width();
    fill(&mut broken, side / 2 - 30, side / 3, 60, side / 3, 0);
    let mut p = page(1600, 900, 15);
    paste(&mut p, &code(SETUP, 6), 100, 200);
    paste(&mut p, &broken, 900, 200);
    let out = scan(&p);
    assert_eq!(out.texts, [SETUP]);
}

/// A longer otpauth URI (version 8 at level M), like the corpus's blurred ones.
const LONG: &str = "otpauth://hotp/Banque%20Cr%C3%A9dit%20Mutuel:dev.null@mail.example.net?\
secret=IM3PCADOQ2U3Q5E2TBYMWLRQFJ2ETFZM&issuer=Banque%20Cr%C3%A9dit%20Mutuel&counter=260";

#[test]
fn reads_code_blurred_over_half_a_module() {
    // σ 2.1 on 5 px modules: only the sharpened attempt separates the modules.
    assert_reads(&image::imageops::blur(&code(LONG, 5), 2.1), &[LONG]);
}

#[test]
fn reads_large_blurred_jpeg_code_read_at_full_size() {
    // A version-14 code at 5 px in a window, blurred and JPEG-compressed: the full-size
    // attempts see the grid but cannot decode it; the upscaled attempts on the crop
    // around it, which the whole window is too large for, do.
    let text: String = std::iter::once("otpauth-migration://offline?data=")
        .chain(std::iter::repeat_n(
            "CnoKFO4qrRbQhq8dlm3%2BqpMqu7WIbpJ9EkZm",
            11,
        ))
        .collect();
    let mut p = page(1280, 800, 17);
    paste(&mut p, &code(&text, 5), 300, 60);
    assert_reads(&jpeg(&image::imageops::blur(&p, 1.2), 88), &[text.as_str()]);
}
