//! Reading accounts from other authenticators' exports. One module per format.
//!
//! Today: Google Authenticator's export QR codes ([`google`]). The other formats
//! (Aegis, 2FAS, Ente, andOTP, FreeOTP+, Bitwarden) join behind the same shape.

pub mod google;
pub mod setup;

/// Why an export could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The text is not the kind of export this importer reads.
    #[error("this is not {0}")]
    WrongFormat(&'static str),
    /// The export is damaged or cut short.
    #[error("the export is damaged: {0}")]
    Damaged(&'static str),
}
