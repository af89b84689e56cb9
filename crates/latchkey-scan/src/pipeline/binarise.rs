//! Turning grey into black and white before rqrr sees the image.
//!
//! rqrr's own thresholding (quirc's) is a running average along each row. It is fine for
//! clean screenshots but loses codes on uneven light, low contrast and blur. Here we use
//! a block-based local threshold in the style of ZXing's `HybridBinarizer`: the image is
//! cut into 8×8 blocks; each block with real contrast gets its mean as a black point;
//! a flat block (a white margin, the middle of a large dark module) borrows its black
//! point from its neighbours above and to the left, or counts as background. Each pixel
//! is then compared with the average black point of the 5×5 blocks around its block.
//! That follows the light across the page and keeps large dark areas solid, which
//! rqrr's finder-pattern ratios need.

use image::GrayImage;

/// Side of a statistics block, in pixels.
const BLOCK: usize = 8;
/// Half the side of the neighbourhood of blocks whose black points are averaged.
const REACH: usize = 2;

/// A black-and-white image: one byte per pixel, 1 for dark (a QR module), 0 for light.
pub(super) struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub dark: Vec<u8>,
}

/// Binarises with local block thresholds. A block whose darkest and lightest pixels
/// differ by no more than `flat_range` grey levels is treated as flat (see the module
/// docs); lower values rescue faint codes at the cost of more noise.
pub(super) fn local(image: &GrayImage, flat_range: u8) -> Bitmap {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let (bw, bh) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let points = black_points(image, flat_range);
    let thresholds = smooth_points(&points, bw, bh);
    let src = image.as_raw();
    let mut dark = vec![0u8; width * height];
    for y in 0..height {
        let row = &src[y * width..(y + 1) * width];
        let out = &mut dark[y * width..(y + 1) * width];
        let trow = &thresholds[(y / BLOCK) * bw..(y / BLOCK + 1) * bw];
        for ((pixels, out), &t) in row.chunks(BLOCK).zip(out.chunks_mut(BLOCK)).zip(trow) {
            for (&p, d) in pixels.iter().zip(out) {
                *d = u8::from(u32::from(p) <= t);
            }
        }
    }
    Bitmap {
        width,
        height,
        dark,
    }
}

/// A block's black point and what it rests on.
#[derive(Clone, Copy)]
struct Point {
    value: u32,
    /// False for flat background, whose value is only "everything here is light" and
    /// says nothing about where dark and light part nearby.
    telling: bool,
}

/// One black point per block: the block's mean where it has contrast, otherwise a value
/// inherited from already computed neighbours, or "background".
fn black_points(image: &GrayImage, flat_range: u8) -> Vec<Point> {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let (bw, bh) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let src = image.as_raw();
    let mut sum = vec![0u32; bw * bh];
    let mut min = vec![u8::MAX; bw * bh];
    let mut max = vec![0u8; bw * bh];
    for y in 0..height {
        let base = (y / BLOCK) * bw;
        for (i, pixels) in src[y * width..(y + 1) * width].chunks(BLOCK).enumerate() {
            let b = base + i;
            sum[b] += pixels.iter().map(|&p| u32::from(p)).sum::<u32>();
            min[b] = pixels.iter().fold(min[b], |m, &p| m.min(p));
            max[b] = pixels.iter().fold(max[b], |m, &p| m.max(p));
        }
    }
    let mut points = vec![
        Point {
            value: 0,
            telling: false
        };
        bw * bh
    ];
    for by in 0..bh {
        let rows = BLOCK.min(height - by * BLOCK);
        for bx in 0..bw {
            let b = by * bw + bx;
            let count = (rows * BLOCK.min(width - bx * BLOCK)) as u32;
            points[b] = if max[b] - min[b] > flat_range {
                Point {
                    value: sum[b] / count.max(1),
                    telling: true,
                }
            } else {
                flat_point(&points, bw, bx, by, min[b], flat_range)
            };
        }
    }
    points
}

/// A flat block is the inside of a dark area when it is darker than the black point its
/// neighbours above and to the left settled on; it takes that black point. Otherwise it
/// is background, with a black point `flat_range` under its minimum so all of it reads
/// light. (ZXing uses half the minimum, which assumes ink near 0.)
fn flat_point(points: &[Point], bw: usize, bx: usize, by: usize, min: u8, flat_range: u8) -> Point {
    let background = Point {
        value: u32::from(min.saturating_sub(flat_range)),
        telling: false,
    };
    if bx == 0 || by == 0 {
        return background;
    }
    let up = points[(by - 1) * bw + bx];
    let left = points[by * bw + bx - 1];
    let up_left = points[(by - 1) * bw + bx - 1];
    let value = (up.value + 2 * left.value + up_left.value) / 4;
    if u32::from(min) < value {
        Point {
            value,
            telling: up.telling || left.telling || up_left.telling,
        }
    } else {
        background
    }
}

/// The threshold of each block: the mean of the telling black points among the
/// (2·REACH+1)² blocks around it, the window shifted inwards at the image's edges. Flat
/// background is left out of the mean: next to a 255 margin a 1.5 px module's grey
/// would otherwise read dark, next to a 150 margin a 110 module light. A block with
/// nothing telling around keeps its own point.
fn smooth_points(points: &[Point], bw: usize, bh: usize) -> Vec<u32> {
    let window = |i: usize, n: usize| {
        let side = (2 * REACH + 1).min(n);
        let start = i.saturating_sub(REACH).min(n - side);
        start..start + side
    };
    let mut out = vec![0u32; bw * bh];
    for by in 0..bh {
        let rows = window(by, bh);
        for bx in 0..bw {
            let cols = window(bx, bw);
            let (mut total, mut count) = (0u32, 0u32);
            for y in rows.clone() {
                for p in &points[y * bw + cols.start..y * bw + cols.end] {
                    if p.telling {
                        total += p.value;
                        count += 1;
                    }
                }
            }
            out[by * bw + bx] = total
                .checked_div(count)
                .unwrap_or(points[by * bw + bx].value);
        }
    }
    out
}

/// Binarises against the mean of the `(2·radius+1)²` square around each pixel (from an
/// integral image): dark where the pixel is under `percent` % of that mean. With a
/// radius of a few modules this follows a small, blurred code more closely than the
/// 40 px blocks of [`local`]; a 3×3-module finder centre still reads dark because the
/// square reaches the light ring around it.
pub(super) fn mean(image: &GrayImage, radius: usize, percent: u32) -> Bitmap {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let src = image.as_raw();
    // integral[(y + 1) * (width + 1) + x + 1] = sum of src[..=y][..=x]; u64 so that no
    // image size overflows it.
    let stride = width + 1;
    let mut integral = vec![0u64; stride * (height + 1)];
    for y in 0..height {
        let mut row_sum = 0u64;
        for x in 0..width {
            row_sum += u64::from(src[y * width + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row_sum;
        }
    }
    let mut dark = vec![0u8; width * height];
    for y in 0..height {
        let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(height));
        for x in 0..width {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(width));
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            let area = ((y1 - y0) * (x1 - x0)) as u64;
            let p = u64::from(src[y * width + x]);
            dark[y * width + x] = u8::from(p * area * 100 < sum * u64::from(percent));
        }
    }
    Bitmap {
        width,
        height,
        dark,
    }
}
