//! The encrypted vault (format v1, see `docs/vault-format.md`).
//!
//! A random 256-bit master key encrypts the body (the accounts) with AES-256-GCM, a
//! fresh nonce on every save, and the plain header as associated data. Key slots
//! wrap the master key: `keychain` (a random key the OS keychain keeps) and
//! `password` (Argon2id). Saves are atomic and keep a `.bak`; a writer lock stops two
//! processes from racing; a file that fails to open is never written.
//!
//! ```
//! use latchkey_core::keystore::MemoryKeyStore;
//! use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
//! use latchkey_core::vault::{KdfParams, LockedVault, NewVault, Unlock, Vault};
//! use latchkey_core::Account;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("vault.latchkey");
//! let keychain = MemoryKeyStore::new();
//! let new = NewVault { keychain: Some(&keychain), password: None, kdf: KdfParams::DEFAULT };
//! let mut vault = Vault::create(&path, new, 1_700_000_000).unwrap();
//! let otp = OtpParams::new(Kind::Totp { period: 30 }, Algorithm::Sha1, 6,
//!     Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()).unwrap();
//! vault.add(Account::new("Example", "alice", otp, 1_700_000_000)).unwrap();
//! vault.save(1_700_000_000).unwrap();
//! drop(vault);
//!
//! let vault = LockedVault::read(&path).unwrap().unlock(Unlock::Keychain(&keychain)).unwrap();
//! assert_eq!(vault.accounts()[0].issuer, "Example");
//! ```

mod body;
mod crypto;
mod error;
pub mod file;
mod format;
mod passkey_recs;
mod slots;

use std::path::{Path, PathBuf};
use std::time::Duration;

use uuid::Uuid;

use crate::account::{self, Account, QueryError};
use crate::keystore::KeyStore;
use crate::passkeys::{LinkedService, StoredPasskey};
pub use crypto::KdfParams;
pub use error::VaultError;
use file::WriteLock;
pub use format::{FORMAT_VERSION, Slot, SlotKind};
use format::{Header, RawFile, WrappedKey};
use slots::{SlotSpec, build_slots, forget_entries, unwrap_master};

/// How long a writer waits for another process's lock before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Where the vault lives when no path is given: the platform's data folder
/// (`~/.local/share/latchkey/vault.latchkey` on Linux,
/// `~/Library/Application Support/latchkey/vault.latchkey` on macOS,
/// `%APPDATA%\latchkey\vault.latchkey` on Windows).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("latchkey").join("vault.latchkey"))
}

fn has_password(slots: &[Slot]) -> bool {
    slots
        .iter()
        .any(|s| matches!(s.kind, SlotKind::Password { .. }))
}

fn has_keychain(slots: &[Slot]) -> bool {
    slots
        .iter()
        .any(|s| matches!(s.kind, SlotKind::Keychain { .. }))
}

/// A secret that opens a slot.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    /// The key kept in this key store (the OS keychain).
    Keychain(&'a dyn KeyStore),
    /// A password.
    Password(&'a str),
    /// The hmac-secret output a security key gave for the `slot`'s credential and salt.
    Fido2 {
        /// The [`SlotKind::Fido2HmacSecret`] slot it answers.
        slot: Uuid,
        /// The key's 32-byte hmac-secret output.
        secret: &'a [u8; 32],
    },
}

/// What a security key needs to answer a [`SlotKind::Fido2HmacSecret`] slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fido2Slot {
    /// The slot's id, for [`Unlock::Fido2`].
    pub id: Uuid,
    /// The credential id to ask the key for.
    pub credential_id: Vec<u8>,
    /// The RP ID the credential was made for.
    pub rp_id: String,
    /// The hmac-secret input.
    pub salt: [u8; 32],
    /// The name the person gave the key.
    pub name: String,
    /// Ask the key to verify its holder (PIN) before it answers.
    pub uv: bool,
}

/// A new security-key slot: the credential the key made and the salt it was asked about.
#[derive(Debug, Clone, Copy)]
pub struct NewFido2Slot<'a> {
    /// The credential (made with the hmac-secret extension).
    pub credential_id: &'a [u8],
    /// The RP ID it was made for.
    pub rp_id: &'a str,
    /// The salt from [`new_fido2_salt`].
    pub salt: &'a [u8; 32],
    /// A name for the person.
    pub name: &'a str,
    /// Whether the key verified its holder (PIN) when it answered.
    pub uv: bool,
}

/// The security-key slots among `slots`, decoded; malformed ones are skipped.
pub fn fido2_slots(slots: &[Slot]) -> Vec<Fido2Slot> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    slots
        .iter()
        .filter_map(|s| match &s.kind {
            SlotKind::Fido2HmacSecret {
                credential_id,
                rp_id,
                salt,
                name,
                uv,
            } => Some(Fido2Slot {
                id: s.id,
                credential_id: URL_SAFE_NO_PAD.decode(credential_id).ok()?,
                rp_id: rp_id.clone(),
                salt: STANDARD.decode(salt).ok()?.try_into().ok()?,
                name: name.clone(),
                uv: *uv,
            }),
            _ => None,
        })
        .collect()
}

/// A fresh random salt for a new security-key slot.
pub fn new_fido2_salt() -> Result<[u8; 32], VaultError> {
    crypto::random_bytes::<32>()
}

/// How to protect a new vault. At least one of the two must be given.
pub struct NewVault<'a> {
    /// Keep a random key in this store (normally [`crate::keystore::OsKeyStore`]).
    pub keychain: Option<&'a dyn KeyStore>,
    /// Also (or instead) protect with this password.
    pub password: Option<&'a str>,
    /// Argon2id costs for the password slot.
    pub kdf: KdfParams,
}

/// The unwrapped master key, opaque outside this module.
pub struct MasterKey(crypto::Key);

/// A vault file read from disk, not yet decrypted.
pub struct LockedVault {
    path: PathBuf,
    raw: RawFile,
    lock: Option<WriteLock>,
}

impl LockedVault {
    /// Reads a vault for reading only (no lock is taken: saves are atomic renames, so
    /// a reader always sees a whole file).
    pub fn read(path: &Path) -> Result<Self, VaultError> {
        Self::read_inner(path, None)
    }

    /// Takes the writer lock, then reads: changes made through the resulting vault
    /// cannot race another process.
    pub fn read_for_update(path: &Path) -> Result<Self, VaultError> {
        let lock = file::lock(path, LOCK_WAIT)?;
        Self::read_inner(path, Some(lock))
    }

    /// Reads a vault from bytes already in memory (a backup being imported). It has no
    /// path and no lock: it can be unlocked and read, never saved.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        Ok(Self {
            path: PathBuf::new(),
            raw: format::parse(bytes)?,
            lock: None,
        })
    }

    fn read_inner(path: &Path, lock: Option<WriteLock>) -> Result<Self, VaultError> {
        let Some(bytes) = file::read(path)? else {
            return Err(match file::backup_path(path).exists() {
                true => VaultError::OnlyBackup(path.to_path_buf()),
                false => VaultError::NotFound(path.to_path_buf()),
            });
        };
        let raw = format::parse(&bytes)?;
        Ok(Self {
            path: path.to_path_buf(),
            raw,
            lock,
        })
    }

    /// The vault's key slots, in order.
    pub fn slots(&self) -> &[Slot] {
        &self.raw.header.slots
    }

    /// The vault's random id.
    pub fn id(&self) -> Uuid {
        self.raw.header.vault_id
    }

    /// True when a password slot exists.
    pub fn has_password(&self) -> bool {
        has_password(self.slots())
    }

    /// True when a keychain slot exists.
    pub fn has_keychain(&self) -> bool {
        has_keychain(self.slots())
    }

    /// Unwraps the master key with a keychain key or a password.
    pub fn master_key(&self, how: Unlock<'_>) -> Result<MasterKey, VaultError> {
        unwrap_master(&self.raw.header, &self.raw.keys, how).map(MasterKey)
    }

    /// Decrypts the body with an unwrapped master key.
    pub fn open(self, key: MasterKey) -> Result<Vault, VaultError> {
        let raw = &self.raw;
        let plain = crypto::open(&key.0, &raw.body_nonce, &raw.body, &raw.aad)
            .ok_or(VaultError::Tampered)?;
        let body: body::Body = serde_json::from_slice(&plain)
            .map_err(|_| VaultError::Corrupt("the decrypted contents are not valid"))?;
        let accounts = body
            .accounts
            .into_iter()
            .map(body::AccountRec::into_account)
            .collect::<Result<_, _>>()?;
        Ok(Vault {
            path: self.path,
            header: self.raw.header,
            keys: self.raw.keys,
            master: key.0,
            accounts,
            passkeys: body.passkeys.into_iter().map(Into::into).collect(),
            services: body.services.into_iter().map(Into::into).collect(),
            saved_at: body.saved_at,
            lock: self.lock,
            exists: true,
        })
    }

    /// `master_key` then `open`.
    pub fn unlock(self, how: Unlock<'_>) -> Result<Vault, VaultError> {
        let key = self.master_key(how)?;
        self.open(key)
    }
}

/// An open vault: the accounts in memory and the key to save them.
pub struct Vault {
    path: PathBuf,
    header: Header,
    keys: Vec<WrappedKey>,
    master: crypto::Key,
    accounts: Vec<Account>,
    passkeys: Vec<StoredPasskey>,
    services: Vec<LinkedService>,
    saved_at: i64,
    lock: Option<WriteLock>,
    exists: bool,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("id", &self.header.vault_id)
            .field("slots", &self.header.slots.len())
            .field("accounts", &self.accounts.len())
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a new, empty vault protected as `new` says, and writes it. Refuses to
    /// replace an existing file, and also when only its `.bak` is left (so a lost vault
    /// is restored, not silently replaced).
    pub fn create(path: &Path, new: NewVault<'_>, now: i64) -> Result<Self, VaultError> {
        let lock = file::lock(path, LOCK_WAIT)?;
        for existing in [path.to_path_buf(), file::backup_path(path)] {
            if existing.exists() {
                return Err(VaultError::AlreadyExists(existing));
            }
        }
        let mut vault = Self {
            path: path.to_path_buf(),
            header: Header {
                format: "latchkey-vault".into(),
                version: FORMAT_VERSION,
                vault_id: Uuid::new_v4(),
                cipher: "AES-256-GCM".into(),
                slots: Vec::new(),
            },
            keys: Vec::new(),
            master: crypto::random_key()?,
            accounts: Vec::new(),
            passkeys: Vec::new(),
            services: Vec::new(),
            saved_at: now,
            lock: Some(lock),
            exists: false,
        };
        let mut specs = Vec::new();
        if let Some(store) = new.keychain {
            specs.push(SlotSpec::Keychain(store));
        }
        if let Some(pw) = new.password {
            specs.push(SlotSpec::Password(pw, new.kdf));
        }
        if specs.is_empty() {
            return Err(VaultError::LastSlot);
        }
        let (slots, keys, created) =
            build_slots(&vault.header.vault_id, &vault.master, &specs, now)?;
        vault.header.slots = slots;
        vault.keys = keys;
        if let Err(e) = vault.save(now) {
            forget_entries(&specs, &created);
            return Err(e);
        }
        Ok(vault)
    }

    /// Where the vault lives.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The vault's random id.
    pub fn id(&self) -> Uuid {
        self.header.vault_id
    }
    /// The key slots.
    pub fn slots(&self) -> &[Slot] {
        &self.header.slots
    }
    /// True when a password slot exists.
    pub fn has_password(&self) -> bool {
        has_password(self.slots())
    }
    /// True when a keychain slot exists.
    pub fn has_keychain(&self) -> bool {
        has_keychain(self.slots())
    }
    /// When the vault was last saved (unix seconds).
    pub fn saved_at(&self) -> i64 {
        self.saved_at
    }
    /// All accounts, in the order they were added.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }
    /// One account to change.
    pub fn account_mut(&mut self, index: usize) -> Option<&mut Account> {
        self.accounts.get_mut(index)
    }
    /// Finds one account by a query (see [`account::select`]).
    pub fn select(&self, query: &str) -> Result<usize, QueryError> {
        account::select(&self.accounts, query)
    }

    /// Adds an account; refuses a duplicate (same issuer and secret).
    pub fn add(&mut self, account: Account) -> Result<&Account, VaultError> {
        if let Some(dup) = self
            .accounts
            .iter()
            .find(|a| a.same_as(&account.issuer, &account.otp))
        {
            return Err(VaultError::Duplicate(dup.display_name()));
        }
        self.accounts.push(account);
        let last = self.accounts.len() - 1;
        Ok(&self.accounts[last])
    }

    /// The platform authenticator's passkeys.
    pub fn passkeys(&self) -> &[StoredPasskey] {
        &self.passkeys
    }
    /// The platform authenticator's passkeys, to add, update or remove (then save).
    pub fn passkeys_mut(&mut self) -> &mut Vec<StoredPasskey> {
        &mut self.passkeys
    }
    /// The account services this desktop is linked to.
    pub fn services(&self) -> &[LinkedService] {
        &self.services
    }
    /// The linked services, to change (then save).
    pub fn services_mut(&mut self) -> &mut Vec<LinkedService> {
        &mut self.services
    }

    /// Removes and returns an account.
    pub fn remove(&mut self, index: usize) -> Option<Account> {
        (index < self.accounts.len()).then(|| self.accounts.remove(index))
    }

    /// Reads the file again with this vault's master key: with `for_update`, under the
    /// writer lock, so that a long-lived holder (the desktop app) applies each change to
    /// the latest save, not over what another process wrote since. Fails with
    /// [`VaultError::Tampered`] if the master key changed meanwhile (a password set or
    /// removed elsewhere), and [`VaultError::Replaced`] if another vault now sits at the path.
    pub fn reopen(&self, for_update: bool) -> Result<Vault, VaultError> {
        let locked = if for_update {
            LockedVault::read_for_update(&self.path)
        } else {
            LockedVault::read(&self.path)
        }?;
        if locked.id() != self.id() {
            return Err(VaultError::Replaced);
        }
        locked.open(MasterKey(self.master.clone()))
    }

    /// Gives up the writer lock: the vault stays open for reading and other processes
    /// may write again. Saving then fails with [`VaultError::ReadOnly`] until
    /// [`Vault::reopen`] takes the lock afresh.
    pub fn release(&mut self) {
        self.lock = None;
    }

    /// Encrypts and writes the vault atomically, keeping the previous file as `.bak`.
    pub fn save(&mut self, now: i64) -> Result<(), VaultError> {
        let lock = self.lock.as_ref().ok_or(VaultError::ReadOnly)?;
        let body = body::Body {
            saved_at: now,
            accounts: self.accounts.iter().map(body::AccountRec::from).collect(),
            passkeys: self.passkeys.iter().map(Into::into).collect(),
            services: self.services.iter().map(Into::into).collect(),
        };
        let mut plain = body::ZeroizingWriter::with_capacity(256 + 320 * self.accounts.len());
        serde_json::to_writer(&mut plain, &body)
            .map_err(|_| VaultError::Corrupt("the contents could not be written"))?;
        drop(body);
        let prefix = format::header_prefix(&self.header)?;
        let (nonce, ct) = crypto::seal(&self.master, &plain.0, &prefix)?;
        let bytes = format::assemble(&prefix, &self.keys, &nonce, &ct)?;
        file::write_atomic(&self.path, &bytes, !self.exists, lock)?;
        self.exists = true;
        self.saved_at = now;
        Ok(())
    }

    /// Adds a security-key slot: the master key wrapped under the hmac-secret output
    /// `secret` that the key gave for the new slot's credential and salt. Saves the
    /// vault and returns the slot's id.
    pub fn add_fido2_slot(
        &mut self,
        new: NewFido2Slot<'_>,
        secret: &[u8; 32],
        now: i64,
    ) -> Result<Uuid, VaultError> {
        let (slot, key) = slots::fido2_slot(&self.header.vault_id, &self.master, new, secret, now)?;
        let id = slot.id;
        self.header.slots.push(slot);
        self.keys.push(key);
        if let Err(e) = self.save(now) {
            self.header.slots.pop();
            self.keys.pop();
            return Err(e);
        }
        Ok(id)
    }

    /// Removes a security-key slot. Refuses to remove the last slot. Saves.
    pub fn remove_fido2_slot(&mut self, id: Uuid, now: i64) -> Result<(), VaultError> {
        let index = self
            .header
            .slots
            .iter()
            .position(|s| s.id == id && matches!(s.kind, SlotKind::Fido2HmacSecret { .. }))
            .ok_or(VaultError::NoSuchSlot)?;
        if self.header.slots.len() == 1 {
            return Err(VaultError::LastSlot);
        }
        let slot = self.header.slots.remove(index);
        let key_index = self.keys.iter().position(|k| k.slot == id);
        let key = key_index.map(|i| self.keys.remove(i));
        if let Err(e) = self.save(now) {
            self.header.slots.insert(index, slot);
            if let (Some(i), Some(k)) = (key_index, key) {
                self.keys.insert(i, k);
            }
            return Err(e);
        }
        // The `.bak` would still open with the removed key.
        file::replace_backup(&self.path)
    }

    /// Sets or changes the password. The master key is replaced (and the keychain key
    /// with it), so an old copy of the file and an old password no longer open new saves.
    /// Security-key slots wrap the old master key and cannot be renewed without the
    /// key, so they are removed: add them again afterwards. Saves the vault.
    pub fn set_password(
        &mut self,
        password: &str,
        kdf: KdfParams,
        keychain: Option<&dyn KeyStore>,
        now: i64,
    ) -> Result<(), VaultError> {
        let mut specs = self.keychain_specs(keychain)?;
        specs.push(SlotSpec::Password(password, kdf));
        self.rekey(&specs, now)
    }

    /// Removes the password slot, keeping (and renewing) the keychain slot; like
    /// [`Vault::set_password`], it removes security-key slots. Saves.
    pub fn remove_password(&mut self, keychain: &dyn KeyStore, now: i64) -> Result<(), VaultError> {
        if !self.has_password() {
            return Err(VaultError::NoPasswordSlot);
        }
        let specs = self.keychain_specs(Some(keychain))?;
        if specs.is_empty() {
            return Err(VaultError::LastSlot);
        }
        self.rekey(&specs, now)
    }

    fn keychain_specs<'a>(
        &self,
        keychain: Option<&'a dyn KeyStore>,
    ) -> Result<Vec<SlotSpec<'a>>, VaultError> {
        match (self.has_keychain(), keychain) {
            (false, _) => Ok(Vec::new()),
            (true, Some(store)) => Ok(vec![SlotSpec::Keychain(store)]),
            (true, None) => Err(VaultError::Keychain(
                crate::keystore::KeyStoreError::Unavailable(
                    "it is needed to renew the vault's keychain key".into(),
                ),
            )),
        }
    }

    /// Replaces the master key and every slot, saves, then deletes the old keychain
    /// entries. On failure the vault in memory and on disk is as before.
    fn rekey(&mut self, specs: &[SlotSpec<'_>], now: i64) -> Result<(), VaultError> {
        let master = crypto::random_key()?;
        let (slots, keys, created) = build_slots(&self.header.vault_id, &master, specs, now)?;
        let old_master = std::mem::replace(&mut self.master, master);
        let old_keys = std::mem::replace(&mut self.keys, keys);
        let old_slots = std::mem::replace(&mut self.header.slots, slots);
        if let Err(e) = self.save(now) {
            self.master = old_master;
            self.keys = old_keys;
            self.header.slots = old_slots;
            forget_entries(specs, &created);
            return Err(e);
        }
        // The `.bak` still holds the old master key under the old password: replace it
        // with the new file so no copy Latchkey keeps opens with the old secrets.
        file::replace_backup(&self.path)?;
        let stores: Vec<&dyn KeyStore> = specs
            .iter()
            .filter_map(|s| {
                if let SlotSpec::Keychain(k) = s {
                    Some(*k)
                } else {
                    None
                }
            })
            .collect();
        for slot in old_slots {
            if let (SlotKind::Keychain { entry }, Some(store)) = (&slot.kind, stores.first()) {
                // Best effort: a leftover entry opens nothing new, since the master key changed.
                let _ = store.delete(entry);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_passkeys;
