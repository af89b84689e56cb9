//! `latchkey_scan::decode_bytes` on arbitrary bytes: it must return, never panic or abort.
//!
//! ```text
//! cd crates/latchkey-scan && cargo +nightly fuzz run decode
//! ```
//!
//! Images whose header claims more than `MAX_PIXELS` are skipped before decoding: the
//! image decoders would spend the run allocating and filling them, and the pipeline's
//! cost grows with pixels. The pipeline's own size handling (shrinking anything over
//! 16 MP) is covered by its unit tests instead.
//!
//! rqrr panics that the pipeline catches on purpose still reach the panic hook;
//! libfuzzer-sys's hook would abort on them, so this target puts back a hook that only
//! counts them. A panic that escapes `decode_bytes` still aborts the run, because
//! libfuzzer-sys turns an unwinding fuzz target into an abort.

#![no_main]

use std::io::Cursor;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use libfuzzer_sys::fuzz_target;

const MAX_PIXELS: u64 = 1 << 16;

static CAUGHT: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let n = CAUGHT.fetch_add(1, Ordering::Relaxed);
            if n < 20 || n.is_power_of_two() {
                eprintln!("panic #{} (caught inside the pipeline?): {info}", n + 1);
            }
        }));
    });
    let dims = image::ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok());
    if let Some((w, h)) = dims {
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return;
        }
    }
    let _ = latchkey_scan::decode_bytes(data);
});
