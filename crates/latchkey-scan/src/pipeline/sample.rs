//! Sampling a detected grid's modules ourselves, when rqrr found a grid it could not read.
//!
//! rqrr reads each module as one pixel of its own black-and-white image, at the point
//! its perspective maps the module's centre to. That fails when the threshold around
//! the code was wrong (page text touching a code with no quiet zone drags a block's
//! threshold) or when blur shifts edges by half a module. Here the grid's corners are
//! taken as rqrr found them, every module is averaged over its middle in the *grey*
//! input, and the averages are split by one threshold chosen over this code alone
//! (Otsu's). Small shifts of the grid and the neighbouring version sizes are tried
//! too: a corner off by a third of a module, or a timing pattern miscounted by one
//! version, is the common way a detection goes wrong.

use image::GrayImage;
use zeroize::Zeroize;

use super::read::{Sighting, decode_bits};

/// Grid shifts tried, in modules (x, y): none first, then each way by a third.
const SHIFTS: [(f32, f32); 9] = [
    (0.0, 0.0),
    (-0.33, 0.0),
    (0.33, 0.0),
    (0.0, -0.33),
    (0.0, 0.33),
    (-0.33, -0.33),
    (0.33, 0.33),
    (-0.33, 0.33),
    (0.33, -0.33),
];

/// Tries to read an undecoded grid from the grey input.
pub(super) fn decode(image: &GrayImage, miss: &Sighting) -> Option<String> {
    let found = miss.size;
    // rqrr's own corners first, at its size and the neighbouring ones.
    if let Some(quad) = Quad::new(miss.corners) {
        for size in [found, found + 4, found.saturating_sub(4)] {
            if let Some(text) = read_quad(image, &quad, miss, size) {
                return Some(text);
            }
        }
    }
    // Then squares grown from the top-left corner along the top edge and along the
    // left edge, at module pitches a few per cent either way: page text touching a
    // code can spoil one finder pattern's corners (and so the far corner) while the
    // top-left one and the direction of one edge stay right.
    let [p0, p1, _, p3] = miss.corners;
    let steps = (found as f32 * 0.08 / 0.3).ceil() as i32;
    for (edge, turn) in [
        ((p1.0 - p0.0, p1.1 - p0.1), 1.0),
        ((p3.0 - p0.0, p3.1 - p0.1), -1.0),
    ] {
        let length = edge.0.hypot(edge.1);
        if length.is_nan() || length <= 0.0 {
            continue;
        }
        for step in (0..=2 * steps).map(|i| if i % 2 == 0 { i / 2 } else { -(i + 1) / 2 }) {
            let side = length * (1.0 + step as f32 * 0.3 / found as f32);
            let Some(quad) = Quad::square(p0, edge, turn, side) else {
                continue;
            };
            if let Some(text) = read_quad(image, &quad, miss, found) {
                return Some(text);
            }
        }
    }
    None
}

/// Reads the grid of `size` modules a side in `quad` (rqrr's grid coordinates
/// [0, found + 1]), at each of [`SHIFTS`].
fn read_quad(image: &GrayImage, quad: &Quad, miss: &Sighting, size: usize) -> Option<String> {
    if !(21..=177).contains(&size) {
        return None;
    }
    // The code covers [0, found] of rqrr's square whatever its true size.
    let grid = Grid {
        size,
        pitch: miss.size as f32 / size as f32,
        span: miss.size as f32 + 1.0,
    };
    for shift in SHIFTS {
        if !timing_fits(image, quad, &grid, shift, miss.inverted) {
            continue;
        }
        let mut values = module_values(image, quad, &grid, shift);
        let text = threshold(&values).and_then(|t| {
            let mut bits: Vec<bool> = values.iter().map(|&v| (v < t) != miss.inverted).collect();
            let text = decode_bits(size, &bits);
            bits.zeroize();
            text
        });
        values.zeroize();
        if text.is_some() {
            return text;
        }
    }
    None
}

/// A grid size to try, placed in rqrr's grid coordinates.
struct Grid {
    /// Modules a side.
    size: usize,
    /// One module, in rqrr's grid units.
    pitch: f32,
    /// rqrr's grid units between the corners.
    span: f32,
}

/// Whether the timing patterns (row 6 and column 6 between the finder patterns, dark
/// on even modules) read right at this placement, give or take a fifth of their modules:
/// a cheap test that spares rqrr's decoder (about a millisecond a try) placements that
/// are off by a module or more.
fn timing_fits(
    image: &GrayImage,
    quad: &Quad,
    grid: &Grid,
    shift: (f32, f32),
    inverted: bool,
) -> bool {
    let inner = 8..grid.size.saturating_sub(8);
    let cells: Vec<(usize, usize)> = inner
        .clone()
        .map(|i| (i, 6))
        .chain(inner.map(|i| (6, i)))
        .collect();
    let values: Vec<f32> = cells
        .iter()
        .map(|&(x, y)| module_value(image, quad, grid, shift, x, y))
        .collect();
    let Some(t) = threshold(&values) else {
        return false;
    };
    let wrong = cells
        .iter()
        .zip(&values)
        .filter(|&(&(x, y), &v)| ((v < t) != inverted) != ((x + y) % 2 == 0))
        .count();
    wrong * 5 <= cells.len()
}

/// Each module's mean grey, row by row; the module centres are shifted by `shift`
/// (in modules).
fn module_values(image: &GrayImage, quad: &Quad, grid: &Grid, shift: (f32, f32)) -> Vec<f32> {
    let size = grid.size;
    let mut values = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            values.push(module_value(image, quad, grid, shift, x, y));
        }
    }
    values
}

/// One module's mean grey over a 3×3 pattern a quarter-module apart: the middle of
/// the module, away from the edges that blur smears.
fn module_value(
    image: &GrayImage,
    quad: &Quad,
    grid: &Grid,
    shift: (f32, f32),
    x: usize,
    y: usize,
) -> f32 {
    const OFFSETS: [f32; 3] = [-0.25, 0.0, 0.25];
    let mut sum = 0.0;
    for oy in OFFSETS {
        for ox in OFFSETS {
            let u = (x as f32 + 0.5 + shift.0 + ox) * grid.pitch / grid.span;
            let v = (y as f32 + 0.5 + shift.1 + oy) * grid.pitch / grid.span;
            let (px, py) = quad.map(u, v);
            sum += bilinear(image, px, py);
        }
    }
    sum / 9.0
}

/// Otsu's threshold over the module values; `None` when they are all alike.
fn threshold(values: &[f32]) -> Option<f32> {
    let mut hist = [0u32; 256];
    for &v in values {
        hist[v.clamp(0.0, 255.0) as usize] += 1;
    }
    let total = values.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * f64::from(n))
        .sum();
    let (mut below, mut sum_below, mut best, mut at) = (0.0, 0.0, 0.0, None);
    for (i, &n) in hist.iter().enumerate() {
        below += f64::from(n);
        sum_below += i as f64 * f64::from(n);
        let above = total - below;
        if below == 0.0 || above == 0.0 {
            continue;
        }
        let (m0, m1) = (sum_below / below, (sum_all - sum_below) / above);
        let between = below * above * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            at = Some(i as f32 + 0.5);
        }
    }
    at
}

/// The grey level at a point, bilinear; white outside the image (a quiet zone).
fn bilinear(image: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = image.dimensions();
    let (fx, fy) = (x - 0.5, y - 0.5);
    if !(fx >= 0.0 && fy >= 0.0 && fx < (w - 1) as f32 && fy < (h - 1) as f32) {
        return 255.0;
    }
    let (x0, y0) = (fx as u32, fy as u32);
    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
    let p = |x, y| f32::from(image.get_pixel(x, y).0[0]);
    let top = p(x0, y0) + (p(x0 + 1, y0) - p(x0, y0)) * tx;
    let bottom = p(x0, y0 + 1) + (p(x0 + 1, y0 + 1) - p(x0, y0 + 1)) * tx;
    top + (bottom - top) * ty
}

/// The perspective that maps the unit square onto a grid's four corners (top-left,
/// top-right, bottom-right, bottom-left), after Heckbert's square-to-quad mapping.
struct Quad {
    m: [f32; 8],
}

impl Quad {
    fn new(c: [(f32, f32); 4]) -> Option<Self> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = c;
        let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
        let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
        let det = dx1 * dy2 - dx2 * dy1;
        if !det.is_finite() || det.abs() < 1e-6 {
            return None;
        }
        let g = (dx3 * dy2 - dx2 * dy3) / det;
        let h = (dx1 * dy3 - dx3 * dy1) / det;
        let m = [
            x1 - x0 + g * x1,
            x3 - x0 + h * x3,
            x0,
            y1 - y0 + g * y1,
            y3 - y0 + h * y3,
            y0,
            g,
            h,
        ];
        m.iter().all(|v| v.is_finite()).then_some(Self { m })
    }

    /// A square with corner `p0`, one edge along `edge` (the top edge when `turn` is
    /// 1, the left edge when it is -1) and sides `side` long.
    fn square(p0: (f32, f32), edge: (f32, f32), turn: f32, side: f32) -> Option<Self> {
        let length = edge.0.hypot(edge.1);
        let d = (edge.0 / length * side, edge.1 / length * side);
        // A quarter turn clockwise on screen (y down) from the top edge gives the left
        // edge; counter-clockwise from the left edge gives the top one.
        let n = (-d.1 * turn, d.0 * turn);
        let (along, across) = if turn > 0.0 { (d, n) } else { (n, d) };
        Self::new([
            p0,
            (p0.0 + along.0, p0.1 + along.1),
            (p0.0 + along.0 + across.0, p0.1 + along.1 + across.1),
            (p0.0 + across.0, p0.1 + across.1),
        ])
    }

    fn map(&self, u: f32, v: f32) -> (f32, f32) {
        let m = &self.m;
        let w = m[6] * u + m[7] * v + 1.0;
        (
            (m[0] * u + m[1] * v + m[2]) / w,
            (m[3] * u + m[4] * v + m[5]) / w,
        )
    }
}
