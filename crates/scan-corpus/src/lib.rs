//! # scan-corpus
//!
//! Benchmark tooling for `latchkey-scan` (issue 3, "Performance target"): a deterministic
//! generator of QR images in the conditions a desktop user meets them — screenshots, dark
//! mode, brand colours, blur, JPEG, rotation, perspective, phone photos, dense Google
//! Authenticator exports — and a side-by-side comparison of `latchkey scan` with
//! `zbarimg`, both run as whole processes.
//!
//! Every image comes from a [`plan::Case`]: its category, its payloads and its own seed.
//! Rendering a case twice gives the same bytes, so the corpus needs no storing.
//!
//! ```no_run
//! for case in scan_corpus::plan::cases().iter().take(3) {
//!     let image = scan_corpus::scene::render(case);
//!     println!("{} {} bytes: {}", case.file_name(), image.bytes.len(), image.note);
//! }
//! ```
//!
//! Binaries: `gen-corpus OUT_DIR`, `compare CORPUS_DIR --latchkey PATH`, and `scan-once`,
//! a stand-in for `latchkey scan` built on `latchkey_scan::decode_file`.

// This is a developer tool, never shipped: a failed write or a broken invariant while
// generating a corpus should stop loudly rather than be threaded through error types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod damage;
pub mod format;
pub mod manifest;
pub mod migration;
pub mod page;
pub mod payload;
pub mod plan;
pub mod qr;
pub mod report;
pub mod run;
pub mod scene;

/// A per-case random source: seeded from the category and index, never from the clock,
/// so that one case renders the same bytes whether or not its neighbours are rendered.
pub fn rng_for(category: &str, index: usize, salt: u64) -> fastrand::Rng {
    // FNV-1a over the name, then mixed with the index and a salt per use.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in category.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^= (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt.rotate_left(32);
    fastrand::Rng::with_seed(h)
}
