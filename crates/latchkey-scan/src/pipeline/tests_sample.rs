//! Sampling modules by hand ([`super::sample`]), and the codes it rescues.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::read::Sighting;
use super::sample;
use super::tests_render::*;

/// A sighting of the code `px`-pixel modules wide at (`x`, `y`), with rqrr's corners
/// (grid coordinates 0 to size + 1) moved by `error` pixels each.
fn sighting(size: usize, px: f32, at: (f32, f32), error: [(f32, f32); 4]) -> Sighting {
    let side = (size as f32 + 1.0) * px;
    let corners = [(0.0, 0.0), (side, 0.0), (side, side), (0.0, side)];
    let mut placed = [(0.0, 0.0); 4];
    for (i, (c, e)) in corners.iter().zip(error).enumerate() {
        placed[i] = (at.0 + c.0 + e.0, at.1 + c.1 + e.1);
    }
    Sighting {
        text: None,
        centre: (at.0 + side / 2.0, at.1 + side / 2.0),
        radius: side * 0.7,
        corners: placed,
        size,
        inverted: false,
    }
}

#[test]
fn samples_a_grid_whose_far_corners_rqrr_misplaced() {
    // rqrr's bottom corners off by most of a finder pattern (page text merged into
    // it): the square grown from the top edge still fits.
    let (_, n) = modules(SETUP);
    let img = code(SETUP, 6);
    let miss = sighting(
        n as usize,
        6.0,
        (24.0, 24.0),
        [(0.0, 0.0), (1.0, 0.0), (9.0, -40.0), (-27.0, 12.0)],
    );
    assert_eq!(sample::decode(&img, &miss).as_deref(), Some(SETUP));
}

#[test]
fn samples_a_grid_placed_a_third_of_a_module_off() {
    let (_, n) = modules(SETUP);
    let img = code(SETUP, 6);
    let miss = sighting(n as usize, 6.0, (26.0, 22.0), [(0.0, 0.0); 4]);
    assert_eq!(sample::decode(&img, &miss).as_deref(), Some(SETUP));
}

#[test]
fn samples_nothing_from_a_grid_on_a_page_without_a_code() {
    let img = page(400, 400, 3);
    let miss = sighting(29, 6.0, (50.0, 50.0), [(0.0, 0.0); 4]);
    assert_eq!(sample::decode(&img, &miss), None);
}
