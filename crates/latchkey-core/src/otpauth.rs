//! otpauth URIs (placeholder until the parser lands).
use crate::otp::OtpParams;
/// A parsed URI.
pub struct OtpauthUri { pub issuer: String, pub account: String, pub otp: OtpParams }
/// Parse.
pub fn parse(_s: &str) -> Result<OtpauthUri, String> { Err(String::new()) }
