//! Reading accounts from other authenticators' exports: one module per format, all
//! behind [`Format`], whose [`Format::restore`] is a pure function of the file's bytes
//! and its password. Nothing here writes to a vault: [`preview`] says what an import
//! would add, what is already there and what could not be read, and the caller adds
//! the new accounts once the person confirms.
//!
//! ```
//! use latchkey_core::import::{self, Format};
//! let file = b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example\n";
//! let format = import::detect(file).unwrap();
//! assert_eq!(format.id(), "uris");
//! let restored = format.restore(file, None).unwrap();
//! let preview = import::preview(&[], restored);
//! assert_eq!(preview.new.len(), 1);
//! ```

pub(crate) mod aegis;
mod andotp;
mod bitwarden;
mod ente;
mod freeotp_plus;
pub mod google;
mod latchkey;
mod sealed;
pub mod setup;
mod twofas;
mod uris;

use crate::Account;

/// Why an export could not be read. No message contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file is not the kind of export this importer reads.
    #[error("this is not {0}")]
    WrongFormat(&'static str),
    /// The export is damaged or cut short.
    #[error("the export is damaged: {0}")]
    Damaged(&'static str),
    /// The export is encrypted and no password was given.
    #[error("this export is encrypted: enter the password it was made with")]
    NeedsPassword,
    /// The password does not open the export.
    #[error("wrong password for this export")]
    WrongPassword,
    /// The export uses something this version cannot read (a newer format version,
    /// an unknown encryption).
    #[error("this export uses {0}, which Latchkey cannot read yet")]
    Unsupported(String),
    /// No known format recognises the file.
    #[error("Latchkey does not recognise this file as an export it can read")]
    Unknown,
}

/// An entry of an export that could not become an account, and why (names only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The entry's name as the export gives it ("GitHub: alice"), or its position.
    pub name: String,
    /// Why, as a sentence for the person.
    pub reason: String,
}

/// What an export held.
#[derive(Debug, Default)]
pub struct Restored {
    /// The accounts, in the export's order; `created_at` is 0 (the caller stamps
    /// the time of the import).
    pub accounts: Vec<Account>,
    /// Entries that could not be read.
    pub skipped: Vec<Skipped>,
}

/// One export format.
pub trait Format: Sync {
    /// A short id for `--format` ("aegis", "2fas", …).
    fn id(&self) -> &'static str;
    /// The format's name for people ("Aegis (JSON)").
    fn name(&self) -> &'static str;
    /// Whether the bytes look like this format (cheap; no password needed).
    fn detect(&self, bytes: &[u8]) -> bool;
    /// Whether this export is encrypted (so [`Format::restore`] needs a password).
    fn encrypted(&self, bytes: &[u8]) -> bool;
    /// Reads the accounts: a pure function of the bytes and the password.
    fn restore(&self, bytes: &[u8], password: Option<&str>) -> Result<Restored, ImportError>;
}

/// Every format Latchkey reads, the most specific first (so [`detect`] tries them in
/// this order).
pub fn formats() -> &'static [&'static dyn Format] {
    &[
        &latchkey::Latchkey,
        // Before uris: its plain export is a list of links with Ente's codeDisplay.
        &ente::Ente,
        &uris::Uris,
        &freeotp_plus::FreeOtpPlus,
        &aegis::Aegis,
        &twofas::TwoFas,
        &bitwarden::Bitwarden,
        // Last: besides its JSON, it takes binary files no other format claims (old
        // andOTP backups have no header).
        &andotp::AndOtp,
    ]
}

/// The format with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Format> {
    formats().iter().copied().find(|f| f.id() == id)
}

/// The first format that recognises the bytes.
pub fn detect(bytes: &[u8]) -> Option<&'static dyn Format> {
    formats().iter().copied().find(|f| f.detect(bytes))
}

/// What importing would do to a vault holding `existing`.
#[derive(Debug, Default)]
pub struct Preview {
    /// Accounts the vault does not have yet, to add on confirmation.
    pub new: Vec<Account>,
    /// Accounts the vault already has (same secret and issuer), by their name there.
    pub duplicates: Vec<String>,
    /// Entries of the export that could not be read.
    pub skipped: Vec<Skipped>,
}

/// Sorts `restored` into new accounts and duplicates of `existing` (same issuer and
/// secret, as the vault itself decides), also within the export.
pub fn preview(existing: &[Account], restored: Restored) -> Preview {
    let mut out = Preview {
        skipped: restored.skipped,
        ..Preview::default()
    };
    for account in restored.accounts {
        let known = existing
            .iter()
            .chain(out.new.iter())
            .find(|a| a.same_as(&account.issuer, &account.otp));
        match known {
            Some(a) => out.duplicates.push(a.display_name()),
            None => out.new.push(account),
        }
    }
    out
}
