//! The server key: 32 random bytes in a file beside the database (mode 0600), from
//! which two keys are derived with HMAC-SHA256:
//!
//! - the **TOTP key** seals TOTP secrets with AES-256-GCM (a fresh 96-bit nonce each
//!   time; the user id as associated data, so a sealed secret moved to another user's
//!   row fails to open);
//! - the **recovery key** hashes recovery codes (HMAC-SHA256 over user id and code), so
//!   a copy of the database alone does not allow guessing the 50-bit codes offline.
//!
//! A third value, the key's fingerprint, is kept in the database; at start the two must
//! agree, so a lost or swapped key file stops the service instead of silently making
//! every TOTP secret unreadable.

use std::fmt;
use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{ApiError, StartError};

const NONCE_LEN: usize = 12;

pub(crate) struct ServerKey {
    totp: Zeroizing<[u8; 32]>,
    recovery: Zeroizing<[u8; 32]>,
    fingerprint: [u8; 32],
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKey(..)")
    }
}

impl ServerKey {
    /// Reads the key file, or creates it (0600, never overwriting) when `may_create`.
    /// Returns `None` when the file is missing and may not be created.
    pub(crate) fn load_or_create(
        path: &Path,
        may_create: bool,
    ) -> Result<Option<Self>, StartError> {
        let io_err = |source| StartError::KeyFile {
            path: path.to_owned(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let text = Zeroizing::new(text);
                let bytes = Zeroizing::new(STANDARD.decode(text.trim()).unwrap_or_default());
                let master: [u8; 32] =
                    bytes
                        .as_slice()
                        .try_into()
                        .map_err(|_| StartError::KeyDamaged {
                            path: path.to_owned(),
                        })?;
                Ok(Some(Self::derive(&Zeroizing::new(master))))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                let mut master = Zeroizing::new([0u8; 32]);
                getrandom::fill(master.as_mut()).map_err(|_| StartError::Random)?;
                let line = Zeroizing::new(format!("{}\n", STANDARD.encode(master.as_ref())));
                let mut file = create_private(path).map_err(io_err)?;
                file.write_all(line.as_bytes()).map_err(io_err)?;
                file.sync_all().map_err(io_err)?;
                Ok(Some(Self::derive(&master)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(e)),
        }
    }

    fn derive(master: &Zeroizing<[u8; 32]>) -> Self {
        Self {
            totp: Zeroizing::new(hmac(
                master.as_ref(),
                &[b"latchkey account-service totp v1"],
            )),
            recovery: Zeroizing::new(hmac(
                master.as_ref(),
                &[b"latchkey account-service recovery v1"],
            )),
            fingerprint: hmac(
                master.as_ref(),
                &[b"latchkey account-service fingerprint v1"],
            ),
        }
    }

    /// Identifies the key without revealing it (stored in the database).
    pub(crate) fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// Seals a TOTP secret for `user_id`: nonce ‖ ciphertext ‖ tag.
    pub(crate) fn seal_totp(&self, user_id: &str, secret: &[u8]) -> Result<Vec<u8>, ApiError> {
        let nonce = crate::token::random_bytes::<NONCE_LEN>()?;
        let cipher =
            Aes256Gcm::new_from_slice(self.totp.as_ref()).map_err(|_| ApiError::internal())?;
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: user_id.as_bytes(),
                },
            )
            .map_err(|_| ApiError::internal())?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`seal_totp`](Self::seal_totp) made for the same user; `None` if the
    /// data, the user or the key differ.
    pub(crate) fn open_totp(&self, user_id: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let (nonce, ciphertext) = sealed.split_at_checked(NONCE_LEN)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let cipher = Aes256Gcm::new_from_slice(self.totp.as_ref()).ok()?;
        cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: user_id.as_bytes(),
                },
            )
            .ok()
            .map(Zeroizing::new)
    }

    /// The stored form of a (normalised) recovery code.
    pub(crate) fn recovery_hash(&self, user_id: &str, code: &str) -> [u8; 32] {
        hmac(
            self.recovery.as_ref(),
            &[user_id.as_bytes(), b"\0", code.as_bytes()],
        )
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(key) else {
        return [0; 32];
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ServerKey {
        ServerKey::derive(&Zeroizing::new([7u8; 32]))
    }

    #[test]
    fn sealed_totp_secret_opens_only_for_its_user() {
        let k = key();
        let Ok(sealed) = k.seal_totp("user-a", b"0123456789abcdefghij") else {
            return;
        };
        assert_eq!(
            k.open_totp("user-a", &sealed).as_deref().map(Vec::as_slice),
            Some(&b"0123456789abcdefghij"[..])
        );
        assert!(k.open_totp("user-b", &sealed).is_none());
        assert!(
            ServerKey::derive(&Zeroizing::new([8u8; 32]))
                .open_totp("user-a", &sealed)
                .is_none()
        );
    }

    #[test]
    fn recovery_hashes_depend_on_user_and_code() {
        let k = key();
        assert_eq!(k.recovery_hash("a", "x"), k.recovery_hash("a", "x"));
        assert_ne!(k.recovery_hash("a", "x"), k.recovery_hash("b", "x"));
        assert_ne!(k.recovery_hash("a", "x"), k.recovery_hash("a", "y"));
    }
}
