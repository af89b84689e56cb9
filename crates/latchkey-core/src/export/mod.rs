//! Taking accounts out of Latchkey: an encrypted backup ([`backup`], read back by the
//! `latchkey` import format), `otpauth://` links ([`uris`]), setup QR codes
//! ([`qr_svgs`]) and a printable sheet ([`sheet`]).
//!
//! Only the backup is encrypted. The links, the QR codes and the sheet hold every
//! secret in the clear: whoever reads them can make the codes. Those functions return
//! [`Zeroizing`] text so no copy outlives its use in this process; what the caller
//! writes to disk or paper is the person's to guard. Nothing here reads the clock.
//!
//! What each form keeps: the backup keeps every field of an account (kind, algorithm,
//! digits, period or counter, secret, tags, icon, recovery codes). The links and the
//! QR codes keep what an `otpauth://` URI carries (kind, algorithm, digits, period or
//! counter, secret, issuer and name) and lose tags, icons and recovery codes. The
//! sheet shows everything needed to set an account up again by hand.
//!
//! ```
//! use latchkey_core::{export, import, Account};
//! use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
//!
//! let otp = OtpParams::new(Kind::Hotp { counter: 7 }, Algorithm::Sha256, 8,
//!     Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()).unwrap();
//! let accounts = [Account::new("Bank", "me", otp, 0)];
//! let text = export::uris(&accounts);
//! let back = import::by_id("uris").unwrap().restore(text.as_bytes(), None).unwrap();
//! assert_eq!(back.accounts[0].otp, accounts[0].otp);
//! ```

mod aegis;
mod backup;
mod file;
mod qr;
mod sheet;
#[cfg(test)]
mod tests;

pub use aegis::{ScryptParams, aegis};
pub use backup::backup;
pub(crate) use backup::copy;
pub use file::write_private;
pub use qr::qr_svgs;
pub use sheet::sheet;

use zeroize::Zeroizing;

use crate::Account;
use crate::otpauth;
use crate::vault::VaultError;

/// Why an export could not be made. No message contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The backup file could not be written (it exists already, the folder is not
    /// writable, …).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// An account's link is too long to fit in a QR code.
    #[error("the link of {0} is too long for a QR code")]
    TooLongForQr(String),
}

/// Every account as its canonical `otpauth://` link (see [`otpauth::to_uri`]), one a
/// line, as the `uris` import format reads them back.
pub fn uris(accounts: &[Account]) -> Zeroizing<String> {
    let links: Vec<_> = accounts
        .iter()
        .map(|a| otpauth::to_uri(&a.issuer, &a.label, &a.otp))
        .collect();
    // All the room up front: a growing string would leave copies of secrets behind.
    let mut out = Zeroizing::new(String::with_capacity(
        links.iter().map(|l| l.len() + 1).sum(),
    ));
    for link in &links {
        out.push_str(link);
        out.push('\n');
    }
    out
}
