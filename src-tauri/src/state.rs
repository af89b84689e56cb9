//! The app's state: the vault while unlocked, the settings, the idle clock.
//!
//! The vault is held open read-only. Each change re-reads the file under the writer
//! lock with the master key already in memory ([`Vault::reopen`]), applies the change,
//! saves and lets the lock go, so the CLI can change the vault while the app runs and
//! neither overwrites the other.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use latchkey_core::Account;
use latchkey_core::keystore::{KeyStore, KeyStoreError, OsKeyStore};
use latchkey_core::unlock::{self, Outcome};
use latchkey_core::vault::{
    self, Fido2Slot, KdfParams, LockedVault, NewVault, Unlock, Vault, VaultError,
};
use uuid::Uuid;

use crate::error::Error;
use crate::settings::Settings;
use crate::views::LockState;

/// How the app reaches the OS keychain (a memory store in tests).
pub type Keychain = Arc<dyn Fn() -> Result<Arc<dyn KeyStore>, KeyStoreError> + Send + Sync>;

/// Everything the commands share.
pub struct AppState {
    vault_path: PathBuf,
    settings_path: PathBuf,
    keychain: Keychain,
    kdf: KdfParams,
    vault: Mutex<Option<Vault>>,
    /// Why the vault is locked when the person locked it or it locked itself; `None`
    /// before the first unlock.
    locked_because: Mutex<Option<String>>,
    settings: Mutex<Settings>,
    last_activity: Mutex<Instant>,
    /// `otpauth://` links that arrived before the UI could take them.
    pending_links: Mutex<Vec<String>>,
    /// The last link taken and when: a link can reach the app twice (the launch
    /// arguments and the deep-link plugin), and must open the add sheet once.
    last_link: Mutex<Option<(String, Instant)>>,
    /// The vault file as it was when last read or written.
    disk_stamp: Mutex<Option<Stamp>>,
    /// When the state was made (the app's start), and whether the first paint was seen.
    started: Instant,
    painted: std::sync::atomic::AtomicBool,
    /// `LATCHKEY_STARTUP_TRACE` was set at start (read once, not on every command).
    tracing: bool,
    /// How long an operation that needs a security key waits for one to be plugged in.
    key_wait: Duration,
}

/// What tells one save of the vault file from another: saves replace the file by a
/// rename, so a new inode, and a new modification time.
type Stamp = (std::time::SystemTime, u64, u64);

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some((m.modified().ok()?, m.len(), inode))
}

/// How long the same `otpauth://` link is taken as a repeat of the last one.
pub const SAME_LINK_WINDOW: Duration = Duration::from_secs(10);

/// How long an operation waits for a security key to be plugged in before it says
/// there is none.
pub const KEY_WAIT: Duration = Duration::from_secs(60);

/// Seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Refuses a password shorter than 8 characters.
fn check_new_password(password: &str) -> Result<(), Error> {
    if password.chars().count() < 8 {
        return Err(Error::say("Choose a password of at least 8 characters."));
    }
    Ok(())
}

/// Core's refusals to remove the password, as the Settings sheet says them.
fn slot_error(e: VaultError) -> Error {
    match e {
        VaultError::NoPasswordSlot => Error::say("This vault has no password to remove."),
        VaultError::LastSlot => {
            Error::say("The password is the only way to open this vault, so it cannot be removed.")
        }
        e => e.into(),
    }
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; go on with it.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// The state for the real app: the vault at `LATCHKEY_VAULT` or the platform data
    /// folder, the OS keychain.
    pub fn from_env() -> Result<Self, Error> {
        let vault_path = std::env::var_os("LATCHKEY_VAULT")
            .map(PathBuf::from)
            .or_else(vault::default_path)
            .ok_or_else(|| Error::say("This system has no data folder to keep the vault in."))?;
        let keychain: Keychain =
            Arc::new(|| OsKeyStore::open().map(|s| Arc::new(s) as Arc<dyn KeyStore>));
        Ok(Self::new(
            vault_path,
            crate::settings::default_path(),
            keychain,
            KdfParams::DEFAULT,
        ))
    }

    /// A state over explicit parts (tests use a memory keychain and cheap KDF costs).
    pub fn new(
        vault_path: PathBuf,
        settings_path: PathBuf,
        keychain: Keychain,
        kdf: KdfParams,
    ) -> Self {
        let settings = Settings::load(&settings_path);
        Self {
            vault_path,
            settings_path,
            keychain,
            kdf,
            vault: Mutex::new(None),
            locked_because: Mutex::new(None),
            settings: Mutex::new(settings),
            last_activity: Mutex::new(Instant::now()),
            pending_links: Mutex::new(Vec::new()),
            last_link: Mutex::new(None),
            disk_stamp: Mutex::new(None),
            started: Instant::now(),
            painted: std::sync::atomic::AtomicBool::new(false),
            tracing: std::env::var_os("LATCHKEY_STARTUP_TRACE").is_some(),
            key_wait: KEY_WAIT,
        }
    }

    /// The same state waiting `wait` for a security key instead of [`KEY_WAIT`].
    pub fn with_key_wait(mut self, wait: Duration) -> Self {
        self.key_wait = wait;
        self
    }

    /// How long to wait for a security key to be plugged in.
    pub fn key_wait(&self) -> Duration {
        self.key_wait
    }

    /// The Argon2 costs new password slots (and encrypted backups) get.
    pub fn kdf(&self) -> KdfParams {
        self.kdf
    }

    /// Where the vault lives.
    pub fn vault_path(&self) -> &std::path::Path {
        &self.vault_path
    }

    /// Unlocked already, or unlocks with the keychain when it can (and the person did
    /// not lock the app), or says what the unlock screen needs.
    pub fn status(&self) -> Result<LockState, Error> {
        self.trace("status asked");
        if guard(&self.vault).is_some() {
            return Ok(LockState::Unlocked);
        }
        let keychain = (self.keychain)();
        self.trace("keychain reached");
        if let Some(reason) = guard(&self.locked_because).clone() {
            let locked = LockedVault::read(&self.vault_path)?;
            let keychain_opens = locked.has_keychain() && keychain.is_ok();
            return Ok(LockState::locked(
                reason,
                locked.slots(),
                locked.has_password(),
                keychain_opens,
            ));
        }
        if !self.vault_path.exists() && !vault::file::backup_path(&self.vault_path).exists() {
            return self.create_with_keychain(keychain);
        }
        let locked = LockedVault::read(&self.vault_path)?;
        let store = keychain.as_ref().map(|s| s.as_ref());
        match unlock::with_keychain(locked, store)? {
            Outcome::Open(vault) => {
                self.trace("vault opened");
                self.opened(vault);
                Ok(LockState::Unlocked)
            }
            Outcome::NeedsPassword { why, locked } => Ok(LockState::locked(
                why.to_string(),
                locked.slots(),
                locked.has_password(),
                false,
            )),
            _ => Err(Error::say(
                "This vault cannot be opened by this version of Latchkey.",
            )),
        }
    }

    fn create_with_keychain(
        &self,
        keychain: Result<Arc<dyn KeyStore>, KeyStoreError>,
    ) -> Result<LockState, Error> {
        let store = match keychain {
            Ok(store) => store,
            Err(e) => {
                return Ok(LockState::Setup {
                    reason: format!(
                        "No keychain was found ({e}), so choose a password to protect your new vault."
                    ),
                });
            }
        };
        let new = NewVault {
            keychain: Some(store.as_ref()),
            password: None,
            kdf: self.kdf,
        };
        match Vault::create(&self.vault_path, new, now()) {
            Ok(vault) => {
                self.opened(vault);
                Ok(LockState::Unlocked)
            }
            Err(VaultError::Keychain(e)) => Ok(LockState::Setup {
                reason: format!(
                    "The keychain refused to keep the vault's key ({e}), so choose a password instead."
                ),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Unlocks with the password, or with the keychain when `password` is empty.
    pub fn unlock(&self, password: &str) -> Result<(), Error> {
        let locked = LockedVault::read(&self.vault_path)?;
        let vault = if password.is_empty() {
            let store = (self.keychain)()?;
            locked.unlock(Unlock::Keychain(store.as_ref()))?
        } else {
            locked.unlock(Unlock::Password(password))?
        };
        self.opened(vault);
        Ok(())
    }

    /// The security keys that can unlock the vault file, as it is on disk.
    pub fn unlocking_keys(&self) -> Result<Vec<Fido2Slot>, Error> {
        Ok(vault::fido2_slots(
            LockedVault::read(&self.vault_path)?.slots(),
        ))
    }

    /// Unlocks with the hmac-secret output a security key gave for `slot`.
    pub fn unlock_with_key(&self, slot: Uuid, secret: &[u8; 32]) -> Result<(), Error> {
        let locked = LockedVault::read(&self.vault_path)?;
        let vault = locked.unlock(Unlock::Fido2 { slot, secret })?;
        self.opened(vault);
        Ok(())
    }

    /// Creates a password-protected vault (when there is no keychain).
    pub fn create_with_password(&self, password: &str) -> Result<(), Error> {
        check_new_password(password)?;
        let new = NewVault {
            keychain: None,
            password: Some(password),
            kdf: self.kdf,
        };
        let vault = Vault::create(&self.vault_path, new, now())?;
        self.opened(vault);
        Ok(())
    }

    fn opened(&self, mut vault: Vault) {
        vault.release();
        *guard(&self.disk_stamp) = stamp(&self.vault_path);
        *guard(&self.vault) = Some(vault);
        *guard(&self.locked_because) = None;
        self.touch();
    }

    /// Forgets the vault (and its key) until the next unlock. Says whether unlocking
    /// will need the password (the keychain cannot open this vault).
    pub fn lock(&self, reason: &str) -> LockState {
        let vault = guard(&self.vault).take();
        *guard(&self.locked_because) = Some(reason.to_string());
        let keychain_slot = vault.as_ref().is_some_and(|v| v.has_keychain());
        let keychain_opens = keychain_slot && (self.keychain)().is_ok();
        match &vault {
            Some(v) => LockState::locked(
                reason.to_string(),
                v.slots(),
                v.has_password(),
                keychain_opens,
            ),
            None => LockState::locked(reason.to_string(), &[], true, keychain_opens),
        }
    }

    /// Whether the vault is open.
    pub fn is_unlocked(&self) -> bool {
        guard(&self.vault).is_some()
    }

    /// Reads from the open vault, picking up saves other processes made since.
    pub fn read<T>(&self, f: impl FnOnce(&Vault) -> Result<T, Error>) -> Result<T, Error> {
        let mut held = guard(&self.vault);
        let vault = held.as_mut().ok_or_else(Error::locked)?;
        if self.changed_on_disk() {
            match vault.reopen(false) {
                Ok(fresh) => {
                    *vault = fresh;
                    *guard(&self.disk_stamp) = stamp(&self.vault_path);
                }
                Err(e) => return Err(self.lost(&mut held, e)),
            }
        }
        f(vault)
    }

    /// Changes the vault: re-reads it under the writer lock, applies `f`, saves.
    pub fn change<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T, Error>) -> Result<T, Error> {
        self.update(|vault| {
            let out = f(vault)?;
            vault.save(now())?;
            Ok(out)
        })
    }

    /// Re-reads the vault under the writer lock and applies `f`, which saves (or
    /// fails and writes nothing); then lets the lock go and keeps the result open.
    pub(crate) fn update<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut held = guard(&self.vault);
        let current = held.as_ref().ok_or_else(Error::locked)?;
        let mut fresh = match current.reopen(true) {
            Ok(v) => v,
            Err(VaultError::Busy) => return Err(VaultError::Busy.into()),
            Err(e) => return Err(self.lost(&mut held, e)),
        };
        let out = f(&mut fresh)?;
        fresh.release();
        *held = Some(fresh);
        *guard(&self.disk_stamp) = stamp(&self.vault_path);
        drop(held);
        self.touch();
        Ok(out)
    }

    /// Sets the password, or changes it: a vault that has one needs `current`, checked
    /// against the file before anything is written. Core renews the master key (and the
    /// keychain's key with it) and saves.
    pub fn set_password(&self, current: Option<&str>, password: &str) -> Result<(), Error> {
        check_new_password(password)?;
        self.update(|vault| {
            if vault.has_password() {
                self.check_current(current.unwrap_or_default())?;
            }
            let keychain = vault
                .has_keychain()
                .then(|| (self.keychain)())
                .transpose()?;
            vault.set_password(password, self.kdf, keychain.as_deref(), now())?;
            Ok(())
        })
    }

    /// Removes the password, once `current` is checked against the file; only a vault
    /// the keychain also opens may lose it. Core renews the master key and saves.
    pub fn remove_password(&self, current: &str) -> Result<(), Error> {
        self.update(|vault| {
            // Core refuses these too, but only after the keychain and the password
            // check: say so first.
            if !vault.has_password() {
                return Err(slot_error(VaultError::NoPasswordSlot));
            }
            if !vault.has_keychain() {
                return Err(slot_error(VaultError::LastSlot));
            }
            self.check_current(current)?;
            let keychain = (self.keychain)()?;
            vault
                .remove_password(keychain.as_ref(), now())
                .map_err(slot_error)
        })
    }

    /// Whether `current` opens the password slot of the file as it is now (the caller
    /// holds the writer lock, so this is the file about to change).
    fn check_current(&self, current: &str) -> Result<(), Error> {
        if current.is_empty() {
            return Err(Error::say("Enter the current password."));
        }
        let locked = LockedVault::read(&self.vault_path)?;
        match locked.master_key(Unlock::Password(current)) {
            Ok(_) => Ok(()),
            Err(VaultError::WrongPassword) => Err(Error::say(
                "That is not the current password. Passwords are case-sensitive.",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The file changed under us in a way our key no longer opens (a password set
    /// elsewhere renews the master key): lock, and say so.
    fn lost(&self, held: &mut Option<Vault>, e: VaultError) -> Error {
        *held = None;
        let reason = format!(
            "The vault was changed by another program ({}); unlock it again.",
            e.to_string().trim_end_matches('.')
        );
        *guard(&self.locked_because) = Some(reason.clone());
        Error::say(reason)
    }

    fn changed_on_disk(&self) -> bool {
        stamp(&self.vault_path) != *guard(&self.disk_stamp)
    }

    /// The index of the account with this id.
    pub fn index(vault: &Vault, id: &str) -> Result<usize, Error> {
        let id = Uuid::parse_str(id).map_err(|_| Error::no_account())?;
        vault
            .accounts()
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(Error::no_account)
    }

    /// The account with this id, to change.
    pub fn account_mut<'v>(vault: &'v mut Vault, id: &str) -> Result<&'v mut Account, Error> {
        let i = Self::index(vault, id)?;
        vault.account_mut(i).ok_or_else(Error::no_account)
    }

    /// Records that the person used the app now.
    pub fn touch(&self) {
        *guard(&self.last_activity) = Instant::now();
    }

    /// When the vault should lock itself: `Some(minutes)` once it has been idle that
    /// long at `now`.
    pub fn idle_for_lock(&self, now: Instant) -> Option<u32> {
        let minutes = guard(&self.settings).auto_lock_minutes;
        let idle = now.saturating_duration_since(*guard(&self.last_activity));
        (minutes > 0 && self.is_unlocked() && idle >= Duration::from_secs(u64::from(minutes) * 60))
            .then_some(minutes)
    }

    /// The settings now.
    pub fn settings(&self) -> Settings {
        guard(&self.settings).clone()
    }

    /// Changes and saves the settings.
    pub fn set_settings(&self, new: Settings) -> Result<Settings, Error> {
        let new = new.checked();
        new.save(&self.settings_path)
            .map_err(|e| Error::say(format!("The settings could not be saved ({e}).")))?;
        *guard(&self.settings) = new.clone();
        Ok(new)
    }

    /// With `LATCHKEY_STARTUP_TRACE` set, prints how long after start `what` happened
    /// (start-up profiling; `scripts/bench-app` reads these lines).
    pub fn trace(&self, what: &str) {
        if self.tracing {
            eprintln!(
                "latchkey-app: {what} {} ms after start",
                self.started.elapsed().as_millis()
            );
        }
    }

    /// Milliseconds from start to the first paint, the first time the UI reports one
    /// and only when tracing.
    pub fn first_paint(&self) -> Option<u128> {
        let first = !self.painted.swap(true, std::sync::atomic::Ordering::SeqCst);
        (first && self.tracing).then(|| self.started.elapsed().as_millis())
    }

    /// Keeps a link for the UI until it is ready; the same link again within
    /// [`SAME_LINK_WINDOW`] is dropped.
    pub fn hold_link(&self, link: String) {
        let mut last = guard(&self.last_link);
        if matches!(&*last, Some((l, at)) if *l == link && at.elapsed() < SAME_LINK_WINDOW) {
            return;
        }
        *last = Some((link.clone(), Instant::now()));
        guard(&self.pending_links).push(link);
    }

    /// The links held so far.
    pub fn take_links(&self) -> Vec<String> {
        std::mem::take(&mut guard(&self.pending_links))
    }
}
