//! Everything that can go wrong opening or saving a vault, in words a person understands.

use std::path::PathBuf;

use crate::keystore::KeyStoreError;

/// Errors from the vault. No message ever contains key material or a seed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// There is no vault file at the path.
    #[error("there is no vault at {0}")]
    NotFound(PathBuf),
    /// The vault file is missing but its `.bak` is there (the vault was lost or moved).
    #[error("there is no vault at {}, but its backup {} is there", .0.display(), crate::vault::file::backup_path(.0).display())]
    OnlyBackup(PathBuf),
    /// A vault (or its backup) already exists where a new one was to be created.
    #[error("a vault already exists at {0}")]
    AlreadyExists(PathBuf),
    /// The file does not start with the Latchkey magic bytes.
    #[error("this file is not a Latchkey vault")]
    NotAVault,
    /// The file is a Latchkey vault of a format version this build does not know.
    #[error(
        "this vault uses format version {0}, which this version of Latchkey cannot read; update Latchkey"
    )]
    UnsupportedVersion(u16),
    /// The file ends before its structure does.
    #[error("the vault file is truncated (incomplete)")]
    Truncated,
    /// The structure is damaged in a way that is detected before decryption.
    #[error("the vault file is damaged: {0}")]
    Corrupt(&'static str),
    /// Authenticated decryption failed although the key was right: the header or the
    /// body was changed or damaged.
    #[error("the vault failed its integrity check: it was modified or damaged")]
    Tampered,
    /// The password does not open the password slot.
    #[error("wrong password")]
    WrongPassword,
    /// The keychain holds a key for this vault but it does not open the vault.
    #[error("the key in the OS keychain does not open this vault")]
    KeychainKeyMismatch,
    /// The keychain is reachable but has no entry for this vault.
    #[error("the OS keychain has no key for this vault (entry \"{0}\")")]
    KeychainEntryMissing(String),
    /// The keychain could not be used.
    #[error(transparent)]
    Keychain(#[from] KeyStoreError),
    /// The vault has no password slot to try.
    #[error("this vault has no password")]
    NoPasswordSlot,
    /// The vault has no keychain slot to try.
    #[error("this vault is not linked to the OS keychain")]
    NoKeychainSlot,
    /// No security-key slot has that id.
    #[error("this vault has no such security-key slot")]
    NoSuchSlot,
    /// The security key's answer does not open its slot (another key, or a reset key).
    #[error("this security key does not unlock this vault")]
    WrongSecurityKey,
    /// The requested change would leave no way to unlock the vault.
    #[error("this is the vault's only way to unlock; add another before removing it")]
    LastSlot,
    /// Another vault (a different vault id) has replaced the one that was open.
    #[error("the vault file was replaced by a different vault")]
    Replaced,
    /// Another process holds the writer lock.
    #[error("another Latchkey process is changing the vault; try again in a moment")]
    Busy,
    /// A change was attempted on a vault opened read-only.
    #[error("the vault was opened read-only")]
    ReadOnly,
    /// The account is already in the vault (same issuer and secret).
    #[error("this account is already in the vault as {0}")]
    Duplicate(String),
    /// The operating system's random number generator failed.
    #[error("the system's random number generator failed")]
    Rng,
    /// A file-system operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What we were doing.
        context: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
}

impl VaultError {
    pub(crate) fn io(context: &'static str, source: std::io::Error) -> Self {
        Self::Io { context, source }
    }
}
