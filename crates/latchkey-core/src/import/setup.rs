//! The accounts in the texts of setup QR codes: one per `otpauth://` link, every
//! account of a Google Authenticator `otpauth-migration://` export.

use crate::Account;
use crate::import::google;
use crate::otpauth;

/// What a set of setup codes held.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Setup {
    /// The accounts, in the order of the codes.
    pub accounts: Vec<Account>,
    /// Sentences for the person: skipped accounts, other parts of an export to scan.
    pub notes: Vec<String>,
}

/// Why setup codes gave no account.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// A link is not a valid `otpauth://` URI.
    #[error(transparent)]
    Uri(#[from] otpauth::UriError),
    /// An export could not be read.
    #[error(transparent)]
    Export(#[from] super::ImportError),
    /// The codes hold no account Latchkey can use.
    #[error("the export holds no account Latchkey can use")]
    Empty,
}

/// Reads every text (each an `otpauth://` or `otpauth-migration://` link) into
/// accounts created at `now`.
pub fn accounts<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    now: i64,
) -> Result<Setup, SetupError> {
    let mut setup = Setup::default();
    for text in texts {
        if text.trim_start().starts_with("otpauth-migration:") {
            let batch = google::parse_uri(text)?;
            if batch.size > 1 {
                setup.notes.push(format!(
                    "This is code {} of {} of a Google Authenticator export; add the others too.",
                    batch.index + 1,
                    batch.size
                ));
            }
            for (name, why) in &batch.skipped {
                setup.notes.push(format!("Skipped {name}: {why}."));
            }
            setup.accounts.extend(
                batch
                    .accounts
                    .into_iter()
                    .map(|u| Account::new(u.issuer, u.account, u.otp, now)),
            );
        } else {
            let u = otpauth::parse(text)?;
            setup
                .accounts
                .push(Account::new(u.issuer, u.account, u.otp, now));
        }
    }
    if setup.accounts.is_empty() {
        return Err(SetupError::Empty);
    }
    Ok(setup)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn reads_links_and_exports_in_order() {
        let migration = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhABGAEgACi0q4%2FYBQ%3D%3D";
        let setup = accounts(
            [
                "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
                migration,
            ],
            7,
        )
        .unwrap();
        let names: Vec<_> = setup.accounts.iter().map(|a| a.issuer.as_str()).collect();
        assert_eq!(names, ["GitHub", "Example"]);
        assert!(setup.accounts.iter().all(|a| a.created_at == 7));
    }

    #[test]
    fn refuses_a_bad_link_and_an_empty_list() {
        assert!(matches!(
            accounts(["otpauth://totp/x?secret=!!"], 0),
            Err(SetupError::Uri(_))
        ));
        assert!(matches!(accounts([], 0), Err(SetupError::Empty)));
    }
}
