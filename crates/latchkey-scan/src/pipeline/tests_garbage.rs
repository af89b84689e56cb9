//! Hostile and degenerate input: the pipeline returns, never panics, and finds nothing
//! where there is nothing. Also the helpers' own edge cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use image::{GrayImage, Luma};

use super::tests_render::Rng;
use super::{binarise, resample, scan};

fn noise(w: u32, h: u32, seed: u64) -> GrayImage {
    let mut rng = Rng::new(seed);
    GrayImage::from_fn(w, h, |_, _| Luma([rng.next() as u8]))
}

#[test]
fn empty_and_tiny_images_give_nothing() {
    for (w, h) in [
        (0, 0),
        (0, 100),
        (100, 0),
        (1, 1),
        (20, 20),
        (21, 21),
        (1, 5000),
        (5000, 1),
    ] {
        let out = scan(&GrayImage::new(w, h));
        assert!(out.texts.is_empty() && !out.unreadable, "{w}×{h}");
    }
}

#[test]
fn flat_images_give_nothing() {
    for v in [0, 128, 255] {
        let out = scan(&GrayImage::from_pixel(500, 400, Luma([v])));
        assert!(out.texts.is_empty() && !out.unreadable, "all {v}");
    }
}

#[test]
fn random_noise_never_panics() {
    for (i, (w, h)) in [(21, 21), (64, 64), (300, 300), (1000, 700), (97, 1203)]
        .into_iter()
        .enumerate()
    {
        let out = scan(&noise(w, h, i as u64 + 1));
        assert!(out.texts.is_empty(), "{w}×{h}");
    }
}

#[test]
fn blocky_noise_never_panics() {
    // Random 4–9 px blocks: edges everywhere, plenty of finder-like runs.
    for seed in 1..6 {
        let mut rng = Rng::new(seed);
        let cells: Vec<u8> = (0..100 * 100)
            .map(|_| if rng.below(2) == 0 { 0 } else { 255 })
            .collect();
        let px = 4 + seed as u32;
        let img = GrayImage::from_fn(100 * px, 100 * px, |x, y| {
            Luma([cells[((y / px) * 100 + x / px) as usize]])
        });
        let _ = scan(&img);
    }
}

#[test]
fn extreme_aspect_ratios_never_panic() {
    for (w, h) in [
        (10_000, 21),
        (21, 10_000),
        (40_000, 30),
        (3, 4000),
        (4000, 3),
        (20_000, 800),
    ] {
        let _ = scan(&noise(w, h, u64::from(w)));
    }
}

#[test]
fn finder_hits_counts_finder_rows_of_both_polarities() {
    use super::binarise::Bitmap;
    // One row: light, then dark 2, light 2, dark 6, light 2, dark 2, light.
    let row = [0u8, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0];
    let bitmap = Bitmap {
        width: row.len(),
        height: 1,
        dark: row.to_vec(),
    };
    assert_eq!(super::read::finder_hits(&bitmap, false), 1);
    assert_eq!(super::read::finder_hits(&bitmap, true), 0);
    let flat = Bitmap {
        width: 4,
        height: 4,
        dark: vec![1; 16],
    };
    assert_eq!(super::read::finder_hits(&flat, false), 0);
}

#[test]
fn median_matches_sorting() {
    let img = noise(40, 30, 99);
    let filtered = resample::median3(&img);
    for y in 1..29 {
        for x in 1..39 {
            let mut v: Vec<u8> = (0..9)
                .map(|i| img.get_pixel(x + i % 3 - 1, y + i / 3 - 1)[0])
                .collect();
            v.sort_unstable();
            assert_eq!(filtered.get_pixel(x, y)[0], v[4], "at {x},{y}");
        }
    }
    assert_eq!(
        filtered.get_pixel(0, 0),
        img.get_pixel(0, 0),
        "borders are copied"
    );
}

#[test]
fn shrink_averages_blocks_including_partial_ones_at_the_edges() {
    let img = GrayImage::from_fn(5, 3, |x, _| Luma([if x < 2 { 0 } else { 200 }]));
    let small = resample::shrink(&img, 2);
    assert_eq!(small.dimensions(), (3, 2));
    assert_eq!(small.as_raw(), &[0, 200, 200, 0, 200, 200]);
    assert_eq!(
        resample::shrink(&GrayImage::new(0, 7), 3).dimensions(),
        (0, 3)
    );
}

#[test]
fn grown_images_keep_their_values() {
    let img = noise(7, 5, 3);
    let grown = resample::grow(&img, 3);
    assert_eq!(grown.dimensions(), (21, 15));
    assert_eq!(
        grown.get_pixel(20, 14),
        img.get_pixel(6, 4),
        "corners keep their value"
    );
    let flat = resample::grow(&GrayImage::from_pixel(4, 4, Luma([77])), 2);
    assert!(flat.pixels().all(|p| p[0] == 77));
    assert_eq!(
        resample::grow(&GrayImage::new(0, 3), 2).dimensions(),
        (0, 6)
    );
}

#[test]
fn binarisation_keeps_large_dark_areas_solid_and_flat_light_areas_light() {
    // A 40 px dark square in a light field: its middle has no contrast of its own.
    let img = GrayImage::from_fn(120, 120, |x, y| {
        Luma([if (40..80).contains(&x) && (40..80).contains(&y) {
            30
        } else {
            220
        }])
    });
    let bits = binarise::local(&img, 24);
    let at = |x: usize, y: usize| bits.dark[y * 120 + x];
    assert_eq!(at(60, 60), 1, "middle of the dark square");
    assert_eq!(at(45, 45), 1);
    assert_eq!(at(10, 10), 0, "flat margin");
    assert_eq!(at(100, 60), 0);
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    // A valid PNG header claiming 100,000 × 100,000 pixels.
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &[0u8; 4],
        2,
        2,
        image::ExtendedColorType::L8,
    )
    .unwrap();
    // Patch the IHDR width and height (bytes 16..24) and its CRC.
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    let err = crate::decode_bytes(&png).unwrap_err();
    assert!(
        matches!(err, crate::ScanError::BadImage(ref m) if m.contains("larger")),
        "{err}"
    );
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
