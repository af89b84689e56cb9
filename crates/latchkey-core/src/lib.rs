//! # latchkey-core
//!
//! The domain of Latchkey, a desktop authenticator: one-time codes, `otpauth://` URIs,
//! the encrypted vault and its key slots, the OS keychain behind [`keystore::KeyStore`],
//! and recovery codes. It knows nothing of user interfaces, command lines or servers;
//! the CLI and the desktop app are thin layers over it.
//!
//! ```
//! use latchkey_core::otpauth;
//! let uri = otpauth::parse("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example").unwrap();
//! assert_eq!(uri.issuer, "Example");
//! assert_eq!(uri.otp.code_at(1_257_894_000).value(), "528064");
//! ```

pub mod account;
pub mod export;
pub mod import;
pub mod keystore;
pub mod otp;
pub mod otpauth;
pub mod passkeys;
pub mod recovery;
pub mod unlock;
pub mod vault;

pub use account::Account;
