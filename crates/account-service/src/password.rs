//! Account passwords: Argon2id (the crate's defaults, 19 MiB / 2 passes, the OWASP
//! minimum) in PHC strings. Hashing is slow and memory-hungry on purpose, so it runs on
//! the blocking pool and at most one hash per CPU core runs at once.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use crate::error::ApiError;

/// Passwords shorter than this are refused at sign-up.
pub(crate) const MIN_LEN: usize = 8;
/// Longer passwords are refused outright (hashing them costs the same, but the limit
/// keeps request bodies and work bounded).
pub(crate) const MAX_LEN: usize = 1024;

pub(crate) struct Passwords {
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the email is unknown so that
    /// "no such user" takes as long as "wrong password".
    decoy: String,
}

impl Passwords {
    pub(crate) fn new() -> Result<Self, ApiError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let random = crate::token::random_bytes::<16>()?;
        let decoy = hash_blocking(&random)?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(cores)),
            decoy,
        })
    }

    /// Hashes a new password.
    pub(crate) async fn hash(&self, password: Zeroizing<String>) -> Result<String, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal())?;
        tokio::task::spawn_blocking(move || hash_blocking(password.as_bytes()))
            .await
            .map_err(|_| ApiError::internal())?
    }

    /// Checks a password against a stored hash; `None` (no such user) checks against
    /// the decoy and is always false.
    pub(crate) async fn verify(
        &self,
        password: Zeroizing<String>,
        stored: Option<String>,
    ) -> Result<bool, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal())?;
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.decoy.clone());
        let ok = tokio::task::spawn_blocking(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok()
        })
        .await
        .map_err(|_| ApiError::internal())?;
        Ok(known && ok)
    }
}

fn hash_blocking(password: &[u8]) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password)
        .map(|h| h.to_string())
        .map_err(|_| ApiError::internal())
}
