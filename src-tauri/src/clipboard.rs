//! Copying a code, and clearing it from the clipboard later unless the person copied
//! something else meanwhile.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use zeroize::Zeroizing;

use crate::error::Error;

/// Puts `code` on the clipboard (marked as a secret, so clipboard managers that honour
/// the hint keep it out of their history) and clears it after `clear_after` seconds
/// (0: never) if it is still there.
pub fn copy_secret<R: Runtime>(
    app: &AppHandle<R>,
    code: Zeroizing<String>,
    clear_after: u32,
) -> Result<(), Error> {
    app.clipboard()
        .write_text(code.as_str())
        .map_err(|e| Error::say(format!("The code could not be copied ({e}).")))?;
    if clear_after == 0 {
        return Ok(());
    }
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(u64::from(clear_after)));
        let still_ours = app.clipboard().read_text().is_ok_and(|now| *now == *code);
        if still_ours && app.clipboard().clear().is_ok() {
            let _ = app.emit("clipboard-cleared", ());
        }
    });
    Ok(())
}
