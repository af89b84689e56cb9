//! How a key talks to the person holding it: PIN requests and progress events.

use zeroize::Zeroizing;

/// Something the person should know about while a key works.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyEvent {
    /// The key waits for a touch: it usually blinks.
    TouchKey,
    /// No key is plugged in yet ([`crate::wait_for_key`] waits for one).
    InsertKey,
    /// The key needs its PIN; [`Prompt::pin`] is called next.
    EnterPin,
    /// A fingerprint sample was taken during enrolment.
    FingerprintSample {
        /// Samples still needed; 0 when the enrolment is complete.
        remaining: u32,
        /// How the sample went: "good" or what was wrong with it.
        status: String,
    },
    /// The key finished the operation.
    Done,
}

/// The person's side of a key operation. Implementations must not block for long in
/// [`Prompt::event`]: the key is waiting.
pub trait Prompt: Send + Sync {
    /// Asks for the key's PIN. `retries` is how many wrong tries are left, when known.
    /// `None` means the person declined.
    fn pin(&self, retries: Option<u32>) -> Option<Zeroizing<String>>;

    /// Tells the person what the key is doing.
    fn event(&self, event: KeyEvent);
}

/// A prompt with no person behind it: no PIN, events ignored. Operations that need a
/// PIN fail with [`crate::Error::PinRequired`].
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPrompt;

impl Prompt for NoPrompt {
    fn pin(&self, _retries: Option<u32>) -> Option<Zeroizing<String>> {
        None
    }

    fn event(&self, _event: KeyEvent) {}
}
