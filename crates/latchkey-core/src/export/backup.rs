//! The encrypted backup: a Latchkey vault file with a single password slot, so the
//! `latchkey` import format (or `latchkey --vault FILE`) opens it on any computer,
//! without the keychain of the one that made it.

use std::path::Path;

use super::ExportError;
use crate::Account;
use crate::vault::{KdfParams, NewVault, Vault, file};

/// Writes `accounts` to a new vault file at `path`, protected by `password` (Argon2id
/// with `kdf`). Refuses to replace an existing file (or one whose `.bak` is there).
/// Every field of each account is kept; ids are kept too.
pub fn backup(
    accounts: &[Account],
    path: &Path,
    password: &str,
    kdf: KdfParams,
    now: i64,
) -> Result<(), ExportError> {
    let new = NewVault {
        keychain: None,
        password: Some(password),
        kdf,
    };
    let mut vault = Vault::create(path, new, now)?;
    for account in accounts {
        vault.add(copy(account))?;
    }
    let saved = vault.save(now);
    drop(vault);
    // The vault's helpers are of no use beside a backup: the lock file, and the `.bak`
    // the second save kept (an empty vault under the same password).
    for helper in [file::backup_path(path), lock_path(path)] {
        let _ = std::fs::remove_file(helper);
    }
    if saved.is_err() {
        let _ = std::fs::remove_file(path);
    }
    Ok(saved?)
}

fn lock_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    s.into()
}

/// A field-for-field copy (accounts are not `Clone`, so that seeds are not copied
/// around by accident).
pub(crate) fn copy(a: &Account) -> Account {
    Account {
        id: a.id,
        issuer: a.issuer.clone(),
        label: a.label.clone(),
        otp: a.otp.clone(),
        created_at: a.created_at,
        tags: a.tags.clone(),
        icon: a.icon.clone(),
        recovery: a.recovery.clone(),
    }
}
