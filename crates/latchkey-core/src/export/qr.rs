//! Setup QR codes: each account's `otpauth://` link as the QR code a site shows when
//! two-factor sign-in is set up, for another authenticator's camera.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use zeroize::Zeroizing;

use super::ExportError;
use crate::Account;
use crate::otpauth;

/// The size of one QR module in SVG units (the image scales; this only sets the size
/// a viewer first shows it at).
pub(crate) const MODULE: u32 = 6;

/// Each account's display name and its setup QR code as an SVG document. The SVG
/// holds the secret (as the pattern of the code).
pub fn qr_svgs(accounts: &[Account]) -> Result<Vec<(String, Zeroizing<String>)>, ExportError> {
    accounts
        .iter()
        .map(|a| Ok((a.display_name(), svg_of(a)?)))
        .collect()
}

/// One account's setup QR code as an SVG document (with its `<?xml?>` line).
pub(crate) fn svg_of(account: &Account) -> Result<Zeroizing<String>, ExportError> {
    let link = otpauth::to_uri(&account.issuer, &account.label, &account.otp);
    // Medium error correction, as sites use: it survives a smudged printout and keeps
    // long links (SHA512, long names) within a size phone cameras read.
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
        .map_err(|_| ExportError::TooLongForQr(account.display_name()))?;
    Ok(Zeroizing::new(
        code.render::<svg::Color<'_>>()
            .module_dimensions(MODULE, MODULE)
            .dark_color(svg::Color("#000"))
            .light_color(svg::Color("#fff"))
            .build(),
    ))
}
