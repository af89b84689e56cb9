//! Putting bytes on disk safely: a lock against two writers, and atomic, durable
//! replacement that keeps the previous file as `.bak`.
//!
//! A save writes `vault.tmp`, fsyncs it, hard-links the current file to `vault.bak`
//! (through `vault.bak.tmp`, renamed into place), renames `vault.tmp` over the vault
//! and fsyncs the directory. At every instant `vault` is either the old or the new
//! complete file; a crash leaves at worst a stray `vault.tmp`, which the next save
//! replaces.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::VaultError;

/// Holds the exclusive writer lock on a vault (`<vault>.lock`) until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The backup kept beside a vault.
pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

/// Takes the writer lock, waiting up to `wait` for another process to finish.
pub fn lock(path: &Path, wait: Duration) -> Result<WriteLock, VaultError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| VaultError::io("creating the vault's folder", e))?;
    }
    let lock_path = sibling(path, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| VaultError::io("opening the vault's lock file", e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(WriteLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(fs::TryLockError::WouldBlock) => return Err(VaultError::Busy),
            Err(fs::TryLockError::Error(e)) => return Err(VaultError::io("locking the vault", e)),
        }
    }
}

/// Reads the whole vault file; `Ok(None)` when it does not exist.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, VaultError> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(VaultError::io("reading the vault", e)),
    }
}

/// Atomically replaces (or creates) the vault with `bytes`. `create` refuses to
/// replace an existing file.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    create: bool,
    _lock: &WriteLock,
) -> Result<(), VaultError> {
    let tmp = sibling(path, ".tmp");
    // A stale temp file from a crash may have other permissions; start afresh.
    let _ = fs::remove_file(&tmp);
    {
        let mut f =
            secret_file(&tmp).map_err(|e| VaultError::io("writing the new vault file", e))?;
        f.write_all(bytes)
            .map_err(|e| VaultError::io("writing the new vault file", e))?;
        f.sync_all()
            .map_err(|e| VaultError::io("flushing the new vault file to disk", e))?;
    }
    if create {
        // Link fails if the name exists, so a create never replaces a vault.
        fs::hard_link(&tmp, path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => VaultError::AlreadyExists(path.to_path_buf()),
            _ => VaultError::io("creating the vault file", e),
        })?;
        let _ = fs::remove_file(&tmp);
    } else {
        keep_backup(path)?;
        fs::rename(&tmp, path).map_err(|e| VaultError::io("replacing the vault file", e))?;
    }
    sync_dir(path)
}

/// Makes the `.bak` a copy of the current vault (after a password change, so the
/// previous save, openable with the old password, is not kept).
pub fn replace_backup(path: &Path) -> Result<(), VaultError> {
    keep_backup(path)?;
    sync_dir(path)
}

fn keep_backup(path: &Path) -> Result<(), VaultError> {
    let bak_tmp = sibling(path, ".bak.tmp");
    let _ = fs::remove_file(&bak_tmp);
    if fs::hard_link(path, &bak_tmp).is_err() {
        // File systems without hard links: a copy is as good, just slower.
        fs::copy(path, &bak_tmp).map_err(|e| VaultError::io("keeping a backup of the vault", e))?;
    }
    fs::rename(&bak_tmp, backup_path(path))
        .map_err(|e| VaultError::io("keeping a backup of the vault", e))
}

#[cfg(unix)]
fn secret_file(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn secret_file(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

#[cfg(unix)]
fn sync_dir(path: &Path) -> Result<(), VaultError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| VaultError::io("flushing the vault's folder to disk", e))
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> Result<(), VaultError> {
    Ok(())
}
