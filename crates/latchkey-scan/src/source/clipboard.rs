//! The clipboard: a pasted image, or a copied `otpauth://` link.

use crate::{Found, PayloadKind, ScanError};

/// What the clipboard holds that may be a setup code: the QR codes in a copied image,
/// or copied text that is itself an `otpauth://` or `otpauth-migration://` link.
pub fn clipboard() -> Result<Vec<Found>, ScanError> {
    let mut board = arboard::Clipboard::new()
        .map_err(|e| ScanError::Clipboard(format!("the clipboard cannot be opened: {e}")))?;
    match board.get_image() {
        Ok(img) => {
            let (w, h) = (img.width as u32, img.height as u32);
            let rgba = image::RgbaImage::from_raw(w, h, img.bytes.into_owned())
                .ok_or_else(|| ScanError::Clipboard("the clipboard image is malformed".into()))?;
            crate::decode_image(&image::DynamicImage::ImageRgba8(rgba))
        }
        Err(_) => {
            let text = board
                .get_text()
                .map_err(|_| ScanError::Clipboard("the clipboard holds no image or link".into()))?;
            let found = Found::new(text.trim().to_string());
            drop(zeroize::Zeroizing::new(text));
            match found.kind() {
                PayloadKind::Otpauth | PayloadKind::Migration => Ok(vec![found]),
                _ => Err(ScanError::Clipboard(
                    "the clipboard holds no image or otpauth:// link".into(),
                )),
            }
        }
    }
}
