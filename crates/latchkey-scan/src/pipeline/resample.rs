//! Views of the input at other scales, and the smoothing filters the pipeline retries with.
//!
//! Every function here is plain integer or float arithmetic over a [`GrayImage`]; none
//! can panic on any size, including empty images.

use image::GrayImage;

/// Averages each `k`×`k` block into one pixel (a box filter). Unlike nearest-neighbour
/// this keeps thin strokes as grey rather than dropping them, and it averages noise and
/// JPEG ringing away; the binariser turns the grey edges back into black and white.
pub(super) fn shrink(image: &GrayImage, k: u32) -> GrayImage {
    let k = k.max(1) as usize;
    let (w, h) = (image.width() as usize, image.height() as usize);
    let (ow, oh) = (w.div_ceil(k), h.div_ceil(k));
    let mut out = Vec::with_capacity(ow * oh);
    let mut sums = vec![0u32; ow];
    for rows in image.as_raw().chunks(w.max(1) * k).take(oh) {
        sums.fill(0);
        for row in rows.chunks(w.max(1)) {
            let runs = row.chunks_exact(k);
            let rest = runs.remainder();
            if k == 2 {
                // The common case (1080p and 1440p screenshots), kept simple enough for
                // the compiler to vectorise.
                for (sum, pair) in sums.iter_mut().zip(runs) {
                    *sum += u32::from(pair[0]) + u32::from(pair[1]);
                }
            } else {
                for (sum, run) in sums.iter_mut().zip(runs) {
                    *sum += run.iter().map(|&p| u32::from(p)).sum::<u32>();
                }
            }
            if let Some(last) = sums.get_mut(w / k).filter(|_| !rest.is_empty()) {
                *last += rest.iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        let n_rows = rows.len() / w.max(1);
        for (ox, &sum) in sums.iter().enumerate() {
            let n_cols = k.min(w - ox * k);
            out.push((sum / (n_rows * n_cols).max(1) as u32) as u8);
        }
    }
    GrayImage::from_raw(ow as u32, oh as u32, out).unwrap_or_default()
}

/// Bilinear upscaling by `s`. Better than nearest-neighbour when modules are a fractional
/// number of pixels (a resized or photographed code): edges land between input pixels,
/// and rqrr, which measures runs in whole pixels, gets finer steps.
pub(super) fn grow(image: &GrayImage, s: u32) -> GrayImage {
    let s = s.max(1);
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return GrayImage::new(w * s, h * s);
    }
    let src = image.as_raw();
    let at = |x: u32, y: u32| f32::from(src[(y * w + x) as usize]);
    // Sample positions of output pixel centres, clamped to the input's pixel centres.
    let coord = |o: u32, n: u32| -> (u32, u32, f32) {
        let f = ((o as f32 + 0.5) / s as f32 - 0.5).clamp(0.0, (n - 1) as f32);
        let i = f.floor() as u32;
        (i, (i + 1).min(n - 1), f - i as f32)
    };
    let xs: Vec<(u32, u32, f32)> = (0..w * s).map(|o| coord(o, w)).collect();
    let mut out = Vec::with_capacity(xs.len() * (h * s) as usize);
    for oy in 0..h * s {
        let (y0, y1, fy) = coord(oy, h);
        for &(x0, x1, fx) in &xs {
            let top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
            let bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
            out.push((top + (bottom - top) * fy + 0.5) as u8);
        }
    }
    GrayImage::from_raw(w * s, h * s, out).unwrap_or_default()
}

/// 3×3 median: removes salt-and-pepper specks, which otherwise split a module's run
/// and hide the 1:1:3:1:1 finder pattern, while keeping edges where they are. The
/// border rows and columns are copied.
///
/// Each column's three pixels are sorted once (`lo ≤ mid ≤ hi`); the median of the nine
/// is then `med(max of the los, med of the mids, min of the his)` over three columns.
pub(super) fn median3(image: &GrayImage) -> GrayImage {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let src = image.as_raw();
    let mut out = src.clone();
    if w < 3 || h < 3 {
        return image.clone();
    }
    let (mut lo, mut mid, mut hi) = (vec![0u8; w], vec![0u8; w], vec![0u8; w]);
    for y in 1..h - 1 {
        let (a, b, c) = (
            &src[(y - 1) * w..y * w],
            &src[y * w..(y + 1) * w],
            &src[(y + 1) * w..(y + 2) * w],
        );
        for x in 0..w {
            let (p, q, r) = (a[x], b[x], c[x]);
            let (p, q) = (p.min(q), p.max(q));
            let (q, r) = (q.min(r), q.max(r));
            let (p, q) = (p.min(q), p.max(q));
            (lo[x], mid[x], hi[x]) = (p, q, r);
        }
        let row = &mut out[y * w + 1..(y + 1) * w - 1];
        for (x, o) in row.iter_mut().enumerate() {
            let l = lo[x].max(lo[x + 1]).max(lo[x + 2]);
            let m = median_of_3(mid[x], mid[x + 1], mid[x + 2]);
            let u = hi[x].min(hi[x + 1]).min(hi[x + 2]);
            *o = median_of_3(l, m, u);
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap_or_default()
}

fn median_of_3(a: u8, b: u8, c: u8) -> u8 {
    a.min(b).max(a.max(b).min(c))
}

/// Unsharp mask: each pixel pushed away from the mean of the `(2·radius+1)²` square
/// around it by `percent` % of the difference. Blur spreads a module's ink over its
/// neighbours until thin light gaps between dark modules no longer dip under any
/// threshold; taking the local mean back out restores those dips.
pub(super) fn unsharp(image: &GrayImage, radius: usize, percent: i32) -> GrayImage {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let src = image.as_raw();
    // Separable box sums: rows first, then columns over the row sums.
    let mut rows = vec![0u32; w * h];
    for y in 0..h {
        let line = &src[y * w..(y + 1) * w];
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            rows[y * w + x] = line[x0..x1].iter().map(|&p| u32::from(p)).sum();
        }
    }
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sum: u32 = (y0..y1).map(|yy| rows[yy * w + x]).sum();
            let mean = (sum / ((y1 - y0) * (x1 - x0)).max(1) as u32) as i32;
            let p = i32::from(src[y * w + x]);
            out.push((p + (p - mean) * percent / 100).clamp(0, 255) as u8);
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap_or_default()
}
