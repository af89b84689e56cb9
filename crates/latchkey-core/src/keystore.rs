//! Where the vault's keychain slot keeps its key: the OS keychain, behind [`KeyStore`].
//!
//! Only a random 32-byte key-encryption key is stored there, never the vault itself
//! (Windows Credential Manager caps secrets at 2,560 bytes; KDE Wallet stores text
//! only, so the key is kept as base64). [`OsKeyStore`] uses keyring-core with the
//! platform's store: Secret Service on Linux, Keychain on macOS, Credential Manager
//! on Windows. [`MemoryKeyStore`] is for tests.
//!
//! Every call may block (D-Bus round trips, a keychain prompt): call from a worker
//! thread in interactive programs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

/// The service name Latchkey's entries carry in the OS keychain.
pub const SERVICE: &str = "Latchkey";

/// Errors from a key store.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum KeyStoreError {
    /// No keychain can be reached (no Secret Service on the session bus, no desktop session…).
    #[error("no OS keychain is available ({0})")]
    Unavailable(String),
    /// The keychain is there but refused or failed the request (locked, prompt dismissed…).
    #[error("the OS keychain refused the request ({0})")]
    Refused(String),
    /// An entry exists but does not hold a Latchkey key.
    #[error("the OS keychain entry \"{0}\" does not hold a valid Latchkey key")]
    BadEntry(String),
}

/// A place to keep small secrets under a name.
pub trait KeyStore: Send + Sync {
    /// A human name for messages, e.g. "Secret Service".
    fn name(&self) -> &str;
    /// Reads a key; `Ok(None)` when there is no entry of that name.
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError>;
    /// Creates or replaces a key.
    fn set(&self, entry: &str, key: &[u8]) -> Result<(), KeyStoreError>;
    /// Deletes a key; deleting a missing entry is not an error.
    fn delete(&self, entry: &str) -> Result<(), KeyStoreError>;
}

/// The operating system's keychain.
pub struct OsKeyStore {
    store: Arc<CredentialStore>,
    name: &'static str,
}

impl OsKeyStore {
    /// Connects to the platform keychain. Fails fast when there is none (e.g. no
    /// D-Bus session on Linux), so callers can fall back to a password.
    pub fn open() -> Result<Self, KeyStoreError> {
        let (store, name) = platform_store()?;
        Ok(Self { store, name })
    }

    fn entry(&self, name: &str) -> Result<Entry, KeyStoreError> {
        // On Linux, give the item a label people recognise in Seahorse or KWallet.
        #[cfg(target_os = "linux")]
        {
            let label = format!("Latchkey vault key ({name})");
            let modifiers = HashMap::from([("label", label.as_str())]);
            Entry::new_in_store_with_modifiers(&self.store, SERVICE, name, &modifiers)
                .map_err(map_err)
        }
        #[cfg(not(target_os = "linux"))]
        Entry::new_in_store(&self.store, SERVICE, name).map_err(map_err)
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<(Arc<CredentialStore>, &'static str), KeyStoreError> {
    let s = zbus_secret_service_keyring_store::Store::new()
        .map_err(|e| KeyStoreError::Unavailable(e.to_string()))?;
    Ok((s, "Secret Service"))
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<(Arc<CredentialStore>, &'static str), KeyStoreError> {
    let s = apple_native_keyring_store::keychain::Store::new()
        .map_err(|e| KeyStoreError::Unavailable(e.to_string()))?;
    Ok((s, "macOS Keychain"))
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<(Arc<CredentialStore>, &'static str), KeyStoreError> {
    let s = windows_native_keyring_store::Store::new()
        .map_err(|e| KeyStoreError::Unavailable(e.to_string()))?;
    Ok((s, "Windows Credential Manager"))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> Result<(Arc<CredentialStore>, &'static str), KeyStoreError> {
    Err(KeyStoreError::Unavailable(
        "this platform has no supported keychain".into(),
    ))
}

fn map_err(e: keyring_core::Error) -> KeyStoreError {
    use keyring_core::Error as E;
    match e {
        E::NoDefaultStore | E::NotSupportedByStore(_) => KeyStoreError::Unavailable(e.to_string()),
        other => KeyStoreError::Refused(other.to_string()),
    }
}

impl KeyStore for OsKeyStore {
    fn name(&self) -> &str {
        self.name
    }

    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        let text = match self.entry(entry)?.get_password() {
            Ok(t) => Zeroizing::new(t),
            Err(keyring_core::Error::NoEntry) => return Ok(None),
            Err(keyring_core::Error::BadEncoding(mut b)) => {
                zeroize::Zeroize::zeroize(&mut b);
                return Err(KeyStoreError::BadEntry(entry.into()));
            }
            Err(e) => return Err(map_err(e)),
        };
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyStoreError::BadEntry(entry.into()))?;
        Ok(Some(Zeroizing::new(bytes)))
    }

    fn set(&self, entry: &str, key: &[u8]) -> Result<(), KeyStoreError> {
        let text = Zeroizing::new(STANDARD.encode(key));
        self.entry(entry)?.set_password(&text).map_err(map_err)
    }

    fn delete(&self, entry: &str) -> Result<(), KeyStoreError> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}

type Entries = HashMap<String, Zeroizing<Vec<u8>>>;

/// An in-process key store for tests; can pretend to be unavailable.
#[derive(Default)]
pub struct MemoryKeyStore {
    entries: Mutex<Entries>,
    unavailable: std::sync::atomic::AtomicBool,
}

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
    /// Makes every later call fail with [`KeyStoreError::Unavailable`] (or work again).
    pub fn set_unavailable(&self, yes: bool) {
        self.unavailable
            .store(yes, std::sync::atomic::Ordering::SeqCst);
    }
    /// Names of the entries held.
    pub fn entry_names(&self) -> Vec<String> {
        self.lock()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Entries>, KeyStoreError> {
        if self.unavailable.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(KeyStoreError::Unavailable(
                "memory store switched off".into(),
            ));
        }
        self.entries
            .lock()
            .map_err(|_| KeyStoreError::Refused("poisoned".into()))
    }
}

impl KeyStore for MemoryKeyStore {
    fn name(&self) -> &str {
        "memory"
    }
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        Ok(self.lock()?.get(entry).cloned())
    }
    fn set(&self, entry: &str, key: &[u8]) -> Result<(), KeyStoreError> {
        self.lock()?
            .insert(entry.into(), Zeroizing::new(key.to_vec()));
        Ok(())
    }
    fn delete(&self, entry: &str) -> Result<(), KeyStoreError> {
        self.lock()?.remove(entry);
        Ok(())
    }
}
