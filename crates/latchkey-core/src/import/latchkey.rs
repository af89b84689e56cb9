//! A Latchkey backup (`latchkey export --format latchkey`), or any Latchkey vault file
//! that has a password: the vault format of `docs/vault-format.md`, opened with its
//! password. Lost: the account ids (each import gets fresh ones, so a backup can be
//! restored beside the vault it came from) and the vault's passkeys and linked
//! services, which belong to the vault that made them (they are listed as skipped).
//! Kept: every other field, recovery codes, tags and icons included.

use super::{Format, ImportError, Restored, Skipped};
use crate::Account;
use crate::vault::{LockedVault, Unlock, VaultError};

pub(super) struct Latchkey;

const NAME: &str = "a Latchkey backup";

impl Format for Latchkey {
    fn id(&self) -> &'static str {
        "latchkey"
    }

    fn name(&self) -> &'static str {
        "Latchkey backup (or vault file)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(b"LATCHKEY")
    }

    /// True when the file has a password slot; one without (a vault kept by a
    /// keychain or a security key) cannot be imported, and says so without a password.
    fn encrypted(&self, bytes: &[u8]) -> bool {
        LockedVault::from_bytes(bytes).is_ok_and(|v| v.has_password())
    }

    fn restore(&self, bytes: &[u8], password: Option<&str>) -> Result<Restored, ImportError> {
        let locked = LockedVault::from_bytes(bytes).map_err(damage)?;
        if !locked.has_password() {
            return Err(ImportError::Unsupported(
                "a vault that opens only with an OS keychain or a security key (open it with \
                 `--vault` and export a backup from it)"
                    .into(),
            ));
        }
        let password = password.ok_or(ImportError::NeedsPassword)?;
        let vault = locked.unlock(Unlock::Password(password)).map_err(damage)?;
        let mut out = Restored {
            accounts: vault.accounts().iter().map(fresh).collect(),
            skipped: Vec::new(),
        };
        let passkeys = vault.passkeys().len();
        if passkeys > 0 {
            out.skipped.push(Skipped {
                name: match passkeys {
                    1 => "1 passkey".into(),
                    n => format!("{n} passkeys"),
                },
                reason: "passkeys stay in the vault they were made in".into(),
            });
        }
        Ok(out)
    }
}

/// The account with a fresh id and `created_at` 0, as every importer gives them.
fn fresh(a: &Account) -> Account {
    let mut copy = crate::export::copy(a);
    copy.id = uuid::Uuid::new_v4();
    copy.created_at = 0;
    copy
}

fn damage(e: VaultError) -> ImportError {
    match e {
        VaultError::WrongPassword => ImportError::WrongPassword,
        VaultError::NotAVault => ImportError::WrongFormat(NAME),
        VaultError::UnsupportedVersion(v) => {
            ImportError::Unsupported(format!("vault format version {v}"))
        }
        VaultError::Truncated => ImportError::Damaged("the file is cut short"),
        VaultError::Corrupt(why) => ImportError::Damaged(why),
        _ => ImportError::Damaged("it failed its integrity check"),
    }
}
