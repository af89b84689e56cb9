//! Fake application and web pages for the "screenshot" cases: a header bar, a sidebar,
//! paragraphs drawn as dark dashes, buttons, icons and a card that holds the QR code.
//!
//! The point is clutter a detector must ignore — text-like strokes, square icons, edges
//! of panels — in the proportions of a real page, not looks.

use image::{Rgb, RgbImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_filled_rect_mut, draw_hollow_rect_mut};
use imageproc::rect::Rect;

/// Brand colours used for header bars, buttons and brand-coloured codes.
pub const ACCENTS: &[Rgb<u8>] = &[
    Rgb([26, 115, 232]), // blue
    Rgb([36, 41, 47]),   // near-black
    Rgb([15, 123, 63]),  // green
    Rgb([179, 38, 30]),  // red
    Rgb([103, 58, 183]), // purple
    Rgb([0, 120, 140]),  // teal
    Rgb([230, 81, 0]),   // orange
    Rgb([88, 101, 242]), // blurple
];

/// The colours of a page.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub background: Rgb<u8>,
    pub text: Rgb<u8>,
    pub card: Rgb<u8>,
    pub border: Rgb<u8>,
    pub accent: Rgb<u8>,
}

impl Theme {
    pub fn light(rng: &mut fastrand::Rng) -> Self {
        let g = rng.u8(240..=255);
        Theme {
            background: Rgb([g, g, g.saturating_add(rng.u8(0..4))]),
            text: Rgb([rng.u8(20..80); 3]),
            card: Rgb([255, 255, 255]),
            border: Rgb([rng.u8(200..225); 3]),
            accent: ACCENTS[rng.usize(..ACCENTS.len())],
        }
    }

    pub fn dark(rng: &mut fastrand::Rng) -> Self {
        let g = rng.u8(12..34);
        Theme {
            background: Rgb([g, g, g.saturating_add(rng.u8(0..6))]),
            text: Rgb([rng.u8(170..225); 3]),
            card: Rgb([g.saturating_add(rng.u8(8..20)); 3]),
            border: Rgb([g.saturating_add(rng.u8(25..45)); 3]),
            accent: ACCENTS[rng.usize(..ACCENTS.len())],
        }
    }
}

fn rect(page: &mut RgbImage, x: i32, y: i32, w: u32, h: u32, colour: Rgb<u8>) {
    if w > 0 && h > 0 {
        draw_filled_rect_mut(page, Rect::at(x, y).of_size(w, h), colour);
    }
}

/// A line of "words": dashes of random widths, `height` tall, up to `width` px long.
fn text_line(
    page: &mut RgbImage,
    rng: &mut fastrand::Rng,
    x: i32,
    y: i32,
    width: i32,
    height: u32,
    c: Rgb<u8>,
) {
    let mut cx = x;
    while cx < x + width {
        let w = rng
            .i32(height as i32..height as i32 * 8)
            .min(x + width - cx);
        rect(page, cx, y, w.max(1) as u32, height, c);
        cx += w + rng.i32(height as i32 / 2 + 2..height as i32 + 4);
    }
}

/// Paragraphs of text lines filling a column from `top` down to `bottom`.
pub fn paragraphs(
    page: &mut RgbImage,
    rng: &mut fastrand::Rng,
    column: (i32, i32),
    top: i32,
    bottom: i32,
    theme: &Theme,
    scale: f32,
) {
    let line = (rng.f32() * 8.0 + 20.0) * scale;
    let glyph = (line * 0.42) as u32;
    let (left, width) = column;
    let mut y = top as f32;
    while y + line < bottom as f32 {
        for _ in 0..rng.usize(2..7) {
            if y + line >= bottom as f32 {
                break;
            }
            let len = (width as f32 * (0.5 + 0.5 * rng.f32())) as i32;
            text_line(page, rng, left, y as i32, len, glyph, theme.text);
            y += line;
        }
        if rng.u8(..3) == 0 {
            button(page, rng, left, y as i32 + 4, scale, theme);
        }
        y += line * 1.6;
    }
}

fn button(page: &mut RgbImage, rng: &mut fastrand::Rng, x: i32, y: i32, scale: f32, theme: &Theme) {
    let (w, h) = ((rng.f32() * 80.0 + 90.0) * scale, 36.0 * scale);
    rect(page, x, y, w as u32, h as u32, theme.accent);
    let glyph = (h * 0.3) as u32;
    rect(
        page,
        x + (w * 0.2) as i32,
        y + ((h - glyph as f32) / 2.0) as i32,
        (w * 0.6) as u32,
        glyph,
        Rgb([245; 3]),
    );
}

/// A logo made of nested squares: it looks like a finder pattern on purpose.
fn logo(page: &mut RgbImage, x: i32, y: i32, size: u32, fg: Rgb<u8>, bg: Rgb<u8>) {
    rect(page, x, y, size, size, fg);
    rect(
        page,
        x + size as i32 / 7,
        y + size as i32 / 7,
        size * 5 / 7,
        size * 5 / 7,
        bg,
    );
    rect(
        page,
        x + size as i32 * 2 / 7,
        y + size as i32 * 2 / 7,
        size * 3 / 7,
        size * 3 / 7,
        fg,
    );
}

/// The header bar: accent colour, a finder-like logo, menu entries and an avatar.
/// Returns its height.
fn header_bar(page: &mut RgbImage, rng: &mut fastrand::Rng, theme: &Theme, scale: f32) -> f32 {
    let w = page.width() as i32;
    let header = (rng.f32() * 20.0 + 52.0) * scale;
    rect(page, 0, 0, w as u32, header as u32, theme.accent);
    let icon = (header * 0.55) as u32;
    let icon_y = ((header - icon as f32) / 2.0) as i32;
    let white = Rgb([250; 3]);
    logo(
        page,
        (20.0 * scale) as i32,
        icon_y,
        icon,
        white,
        theme.accent,
    );
    let entry = ((90.0 * scale) as u32, icon / 3);
    for i in 0..rng.i32(3..6) {
        let x = w - (140.0 * scale) as i32 * (i + 1);
        rect(
            page,
            x,
            icon_y + icon as i32 / 3,
            entry.0,
            entry.1,
            Rgb([235; 3]),
        );
    }
    let avatar = (w - (40.0 * scale) as i32, header as i32 / 2);
    draw_filled_circle_mut(page, avatar, icon as i32 / 2, theme.card);
    header
}

/// Draws a whole page: header with logo and menu, a sidebar of links, and paragraphs.
/// Returns the page and the content area `(x, y, w, h)` where a card may go.
pub fn draw(
    rng: &mut fastrand::Rng,
    w: u32,
    h: u32,
    theme: &Theme,
) -> (RgbImage, (i32, i32, i32, i32)) {
    let scale = h as f32 / 1080.0;
    let mut page = RgbImage::from_pixel(w, h, theme.background);
    let header = header_bar(&mut page, rng, theme, scale) as i32;
    let (top, bottom) = (header + 24, h as i32 - 20);
    // Narrow windows have no sidebar.
    let sidebar = if w > 1000 {
        (rng.f32() * 100.0 + 220.0) * scale
    } else {
        0.0
    };
    if sidebar > 0.0 {
        rect(
            &mut page,
            0,
            header,
            sidebar as u32,
            h - header as u32,
            theme.card,
        );
        let links = (sidebar as i32 / 8, (sidebar * 0.7) as i32);
        paragraphs(&mut page, rng, links, top, bottom, theme, scale);
    }
    let left = sidebar as i32 + (40.0 * scale) as i32;
    let content = (left, top, w as i32 - left - 24, h as i32 - header - 48);
    let column = (left, (content.2 as f32 * 0.8) as i32);
    paragraphs(&mut page, rng, column, top, bottom, theme, scale);
    (page, content)
}

/// Places a card holding `code` at a random spot of `area`; returns the code's top-left.
pub fn card(
    page: &mut RgbImage,
    rng: &mut fastrand::Rng,
    area: (i32, i32, i32, i32),
    code: &RgbImage,
    theme: &Theme,
) -> (i32, i32) {
    let pad = rng.i32(16..48);
    let (cw, ch) = (
        code.width() as i32 + 2 * pad,
        code.height() as i32 + 2 * pad + 60,
    );
    let x = area.0 + rng.i32(0..=(area.2 - cw).max(0));
    let y = area.1 + rng.i32(0..=(area.3 - ch).max(0));
    rect(page, x, y, cw as u32, ch as u32, theme.card);
    draw_hollow_rect_mut(
        page,
        Rect::at(x, y).of_size(cw as u32, ch as u32),
        theme.border,
    );
    text_line(page, rng, x + pad, y + pad / 2, cw - 2 * pad, 8, theme.text);
    let code_at = (x + pad, y + pad + 10);
    image::imageops::replace(page, code, i64::from(code_at.0), i64::from(code_at.1));
    text_line(
        page,
        rng,
        x + pad,
        code_at.1 + code.height() as i32 + 16,
        cw - 2 * pad,
        8,
        theme.text,
    );
    code_at
}
