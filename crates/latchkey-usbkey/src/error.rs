//! What can go wrong with a security key, and how CTAP status codes map onto it.

use latchkey_passkey::AuthenticatorError;

/// Why a security key operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No FIDO security key is connected.
    #[error("no security key is plugged in")]
    NoKey,
    /// Several keys are connected and the caller did not choose one.
    #[error("{0} security keys are plugged in; choose one with --device")]
    Ambiguous(usize),
    /// The chosen key is not (or no longer) in the list of connected keys.
    #[error("there is no security key number {0}")]
    NoSuchKey(usize),
    /// The key could not be opened (permissions, or another program holds it).
    #[error("could not open the security key: {0}")]
    Open(String),
    /// The key disappeared in the middle of an operation.
    #[error("the security key was removed")]
    Removed,
    /// The person declined, did not touch the key in time, or the request was cancelled.
    #[error("the request was cancelled or timed out")]
    Cancelled,
    /// The operation needs a PIN and none was given.
    #[error("this security key needs its PIN")]
    PinRequired,
    /// The PIN is wrong; the key allows this many more tries before it blocks.
    #[error("wrong PIN ({retries} tries left)", retries = .retries.map_or_else(|| "some".to_owned(), |n| n.to_string()))]
    WrongPin {
        /// Tries left before the PIN blocks, if the key said.
        retries: Option<u32>,
    },
    /// Too many wrong PINs in a row: the key must be re-plugged before the next try.
    #[error("too many wrong PINs: unplug the security key and plug it in again")]
    PinAuthBlocked,
    /// The PIN is blocked for good; only a reset (which erases the key) helps.
    #[error("the PIN is blocked; the security key must be reset, which erases its passkeys")]
    PinBlocked,
    /// The key has no PIN yet.
    #[error("this security key has no PIN; set one with `latchkey key pin set`")]
    PinNotSet,
    /// A new PIN breaks the key's rules (too short, too long, or the same as before).
    #[error("the new PIN is not allowed: {0}")]
    PinPolicy(String),
    /// An excluded credential is on this key (CTAP2_ERR_CREDENTIAL_EXCLUDED).
    #[error("this security key already holds a passkey for this account")]
    CredentialExcluded,
    /// None of the allowed credentials is on this key (CTAP2_ERR_NO_CREDENTIALS).
    #[error("this security key holds no passkey for this account")]
    NoCredentials,
    /// The key has no room for another discoverable credential or fingerprint.
    #[error("the security key is full")]
    Full,
    /// The key does not support what was asked (an algorithm, option or command).
    #[error("the security key does not support {0}")]
    Unsupported(String),
    /// The key answered with a CTAP status we do not handle specially.
    #[error("the security key refused: CTAP status 0x{0:02x}")]
    Ctap(u8),
    /// The key's answer could not be understood.
    #[error("could not understand the security key's answer: {0}")]
    Malformed(String),
    /// Anything else the USB stack or ctap-hid-fido2 reported.
    #[error("the security key failed: {0}")]
    Device(String),
}

/// CTAP2 status codes (CTAP 2.1 §8.2) the mapping below names.
pub(crate) mod status {
    pub const CREDENTIAL_EXCLUDED: u8 = 0x19;
    pub const UNSUPPORTED_ALGORITHM: u8 = 0x26;
    pub const OPERATION_DENIED: u8 = 0x27;
    pub const KEY_STORE_FULL: u8 = 0x28;
    pub const UNSUPPORTED_OPTION: u8 = 0x2B;
    pub const KEEPALIVE_CANCEL: u8 = 0x2D;
    pub const NO_CREDENTIALS: u8 = 0x2E;
    pub const USER_ACTION_TIMEOUT: u8 = 0x2F;
    pub const PIN_INVALID: u8 = 0x31;
    pub const PIN_BLOCKED: u8 = 0x32;
    pub const PIN_AUTH_INVALID: u8 = 0x33;
    pub const PIN_AUTH_BLOCKED: u8 = 0x34;
    pub const PIN_NOT_SET: u8 = 0x35;
    pub const PUAT_REQUIRED: u8 = 0x36;
    pub const PIN_POLICY_VIOLATION: u8 = 0x37;
    pub const ACTION_TIMEOUT: u8 = 0x3A;
    pub const UP_REQUIRED: u8 = 0x3B;
    pub const UV_BLOCKED: u8 = 0x3C;
}

impl Error {
    /// The error for a non-zero CTAP2 status byte.
    pub(crate) fn from_status(code: u8) -> Self {
        use status::*;
        match code {
            CREDENTIAL_EXCLUDED => Self::CredentialExcluded,
            NO_CREDENTIALS => Self::NoCredentials,
            OPERATION_DENIED | KEEPALIVE_CANCEL | USER_ACTION_TIMEOUT | ACTION_TIMEOUT
            | UP_REQUIRED => Self::Cancelled,
            PIN_INVALID => Self::WrongPin { retries: None },
            PIN_BLOCKED | UV_BLOCKED => Self::PinBlocked,
            PIN_AUTH_BLOCKED => Self::PinAuthBlocked,
            PIN_NOT_SET => Self::PinNotSet,
            PUAT_REQUIRED => Self::PinRequired,
            // A pinUvAuthParam that does not verify: with a PIN we derived ourselves, the
            // PIN was accepted, so this is a token or protocol mismatch, not a wrong PIN.
            PIN_AUTH_INVALID => Self::Device("the key rejected the PIN token".to_owned()),
            PIN_POLICY_VIOLATION => {
                Self::PinPolicy("it breaks the security key's PIN rules".to_owned())
            }
            KEY_STORE_FULL => Self::Full,
            UNSUPPORTED_ALGORITHM => Self::Unsupported("any of the requested algorithms".into()),
            UNSUPPORTED_OPTION => Self::Unsupported("a requested option".into()),
            other => Self::Ctap(other),
        }
    }

    /// ctap-hid-fido2 reports errors as text (`anyhow`); recover the CTAP status from
    /// "… err = 0x31 CTAP2_ERR_PIN_INVALID …", and a lost device from its read/write
    /// errors.
    pub(crate) fn from_library(err: &dyn std::fmt::Display) -> Self {
        let text = err.to_string();
        if let Some(code) = status_in(&text) {
            // 0xFE is the crate's own "read error" pseudo-status.
            if code == 0xFE {
                return Self::Removed;
            }
            return Self::from_status(code);
        }
        if text.contains("read error") || text.contains("write error") || text.contains("read err")
        {
            return Self::Removed;
        }
        if text.contains("Failed to open device") {
            return Self::Open(text);
        }
        Self::Device(text)
    }
}

/// [`Error::from_library`] by value, for `map_err`.
pub(crate) fn lib_error<E: std::fmt::Display>(err: E) -> Error {
    Error::from_library(&err)
}

/// The status byte in a ctap-hid-fido2 error message, if there is one.
fn status_in(text: &str) -> Option<u8> {
    let at = text.find("err = 0x")? + "err = 0x".len();
    let hex = text.get(at..at + 2)?;
    u8::from_str_radix(hex, 16).ok()
}

impl From<Error> for AuthenticatorError {
    fn from(err: Error) -> Self {
        match err {
            Error::Cancelled => Self::Cancelled,
            Error::CredentialExcluded => Self::CredentialExcluded,
            Error::NoCredentials => Self::NoCredentials,
            other => Self::Device(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_from_library_messages() {
        let msg = "response_status err = 0x31 CTAP2_ERR_PIN_INVALID   PIN Invalid.";
        assert!(matches!(
            Error::from_library(&msg),
            Error::WrongPin { retries: None }
        ));
        let msg =
            "response_status err = 0x2E CTAP2_ERR_NO_CREDENTIALS    No valid credentials provided.";
        assert!(matches!(Error::from_library(&msg), Error::NoCredentials));
        assert!(matches!(Error::from_library(&"read error"), Error::Removed));
        assert!(matches!(
            Error::from_library(&"something new"),
            Error::Device(_)
        ));
    }

    #[test]
    fn maps_ctap_status_onto_authenticator_errors() {
        let e: AuthenticatorError = Error::from_status(0x19).into();
        assert!(matches!(e, AuthenticatorError::CredentialExcluded));
        let e: AuthenticatorError = Error::from_status(0x27).into();
        assert!(matches!(e, AuthenticatorError::Cancelled));
        let e: AuthenticatorError = Error::from_status(0x2E).into();
        assert!(matches!(e, AuthenticatorError::NoCredentials));
        assert_eq!(
            Error::WrongPin { retries: Some(5) }.to_string(),
            "wrong PIN (5 tries left)"
        );
    }
}
