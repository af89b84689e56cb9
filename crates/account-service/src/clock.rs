//! The service's notion of "now", in Unix seconds.
//!
//! Every rule that depends on time (TOTP steps, lockouts, token and device-code expiry)
//! reads it from a [`Clock`] handed in through [`Config`](crate::Config), never from the
//! system directly, so tests can move time with a [`ManualClock`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the service reads the time from: the system clock, or a [`ManualClock`].
#[derive(Clone, Debug, Default)]
pub struct Clock(Source);

#[derive(Clone, Debug, Default)]
enum Source {
    #[default]
    System,
    Manual(ManualClock),
}

impl Clock {
    /// The system clock (the default).
    pub fn system() -> Self {
        Self(Source::System)
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        match &self.0 {
            // A clock before 1970 is treated as 1970 rather than failing every request.
            Source::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Source::Manual(m) => m.now(),
        }
    }
}

impl From<ManualClock> for Clock {
    fn from(m: ManualClock) -> Self {
        Self(Source::Manual(m))
    }
}

/// A clock that only moves when told to. Clones share the same time, so a test keeps
/// one and gives the service another (via `Clock::from`).
///
/// ```
/// use account_service::{Clock, ManualClock};
/// let manual = ManualClock::new(1_700_000_000);
/// let clock = Clock::from(manual.clone());
/// manual.advance(30);
/// assert_eq!(clock.now(), 1_700_000_030);
/// ```
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock that reads `unix_seconds` until moved.
    pub fn new(unix_seconds: i64) -> Self {
        Self(Arc::new(AtomicI64::new(unix_seconds)))
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Sets the time.
    pub fn set(&self, unix_seconds: i64) {
        self.0.store(unix_seconds, Ordering::SeqCst);
    }

    /// Moves the time by `seconds` (negative moves it back).
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}
