//! Errors as the UI shows them: one sentence a person understands.

use latchkey_core::vault::VaultError;

/// A command's error: the sentence the UI shows. It never holds a secret (the library
/// errors it comes from hold none).
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct Error(String);

impl Error {
    /// An error with this sentence.
    pub fn say(sentence: impl Into<String>) -> Self {
        Self(sentence.into())
    }

    /// The vault is locked; the UI goes back to its unlock screen.
    pub fn locked() -> Self {
        Self::say("Latchkey is locked. Unlock it to go on.")
    }

    /// No account has this id (it was deleted meanwhile, say).
    pub fn no_account() -> Self {
        Self::say("That account is no longer in the vault.")
    }

    /// The sentence.
    pub fn message(&self) -> &str {
        &self.0
    }
}

/// "the file is damaged" → "The file is damaged."
pub fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return "Something went wrong.".into(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl From<VaultError> for Error {
    fn from(e: VaultError) -> Self {
        let extra = match &e {
            VaultError::WrongPassword => " Passwords are case-sensitive.",
            VaultError::Tampered | VaultError::Truncated | VaultError::Corrupt(_) => {
                " The file was left untouched; a .bak file beside it holds the previous save."
            }
            _ => "",
        };
        Self(format!("{}{extra}", sentence(&e.to_string())))
    }
}

macro_rules! sentence_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Self(sentence(&e.to_string()))
            }
        }
    )*};
}

sentence_from!(
    latchkey_core::otpauth::UriError,
    latchkey_core::otp::OtpError,
    latchkey_core::recovery::RecoveryError,
    latchkey_core::import::setup::SetupError,
    latchkey_core::keystore::KeyStoreError,
    latchkey_scan::ScanError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_sentences() {
        assert_eq!(sentence("no QR code found"), "No QR code found.");
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence("  "), "Something went wrong.");
    }

    #[test]
    fn wrong_password_reads_as_a_sentence_with_a_hint() {
        let e = Error::from(VaultError::WrongPassword);
        assert!(
            e.message().starts_with(char::is_uppercase),
            "{}",
            e.message()
        );
        assert!(e.message().ends_with("case-sensitive."), "{}", e.message());
    }
}
