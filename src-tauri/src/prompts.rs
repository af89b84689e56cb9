//! What an authenticator asks of the person while it works, and their answers.
//!
//! An authenticator call blocks on its own thread (`spawn_blocking`). When it needs the
//! person (confirm a new passkey, a PIN), it reports an [`Event`] on the command's
//! channel and waits here; the UI answers with the `answer_prompt` command, or stops
//! the whole operation with `cancel_authenticator`. One operation runs at a time: an
//! authenticator ceremony is modal for the person too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use zeroize::Zeroizing;

use crate::error::Error;

/// What the authenticator needs from the person now (`AuthenticatorEvent` in the UI).
#[derive(Debug, Clone, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// No security key is plugged in.
    Insert,
    /// The key waits for a touch.
    Touch,
    /// The key needs its PIN; `wrong` after a wrong one.
    Pin { retries: Option<u32>, wrong: bool },
    /// The platform authenticator asks before making a passkey.
    Confirm { rp_id: String, user_name: String },
    /// A fingerprint sample was taken.
    Sample {
        good: bool,
        remaining: u32,
        message: String,
    },
    /// Talking to the service.
    Working,
}

/// The person's answer to a `Pin` or `Confirm` event. The PIN is wiped when dropped,
/// and its Debug output is redacted.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Answer {
    Pin(Zeroizing<String>),
    Confirm(bool),
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Pin(_) => f.write_str("Pin(<redacted>)"),
            Answer::Confirm(yes) => write!(f, "Confirm({yes})"),
        }
    }
}

/// How to stop the device an operation is waiting on (a security key's touch).
type Stop = Box<dyn Fn() + Send>;

/// The operation under way, if any: where its next answer goes, whether the person
/// cancelled it, and how to stop the key it waits on.
#[derive(Default)]
pub struct Prompts {
    waiting: Mutex<Option<Sender<Option<Answer>>>>,
    cancelled: AtomicBool,
    stop: Mutex<Option<Stop>>,
}

impl Prompts {
    /// A new operation begins: a cancel from an earlier one no longer counts.
    pub fn begin(&self) {
        self.cancelled.store(false, Ordering::SeqCst);
        *self.stop.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// What [`Prompts::cancel`] also does for this operation (tell the key to give up
    /// waiting for a touch).
    pub fn on_cancel(&self, stop: impl Fn() + Send + 'static) {
        *self.stop.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(stop));
    }

    /// Reports `event` and blocks until the person answers; `None` when they cancel.
    pub fn ask(&self, events: &Channel<Event>, event: Event) -> Option<Answer> {
        if self.is_cancelled() {
            return None;
        }
        let (tx, rx) = channel();
        *self.waiting.lock().unwrap_or_else(PoisonError::into_inner) = Some(tx);
        let _ = events.send(event);
        rx.recv().ok().flatten()
    }

    /// Hands `answer` to the operation waiting for one.
    pub fn answer(&self, answer: Answer) -> Result<(), Error> {
        let tx = self
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match tx {
            Some(tx) if tx.send(Some(answer)).is_ok() => Ok(()),
            _ => Err(Error::say("Nothing is waiting for an answer.")),
        }
    }

    /// Stops the operation: a waiting prompt answers `None`, and later checks of
    /// [`Prompts::is_cancelled`] say so.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        if let Some(stop) = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            stop();
        }
        if let Some(tx) = self
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = tx.send(None);
        }
    }

    /// Whether the person cancelled the operation under way.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_answer_never_shows_in_debug() {
        let a: Answer =
            serde_json::from_str(r#"{"pin":"123456"}"#).unwrap_or(Answer::Confirm(false));
        assert_eq!(format!("{a:?}"), "Pin(<redacted>)");
    }

    #[test]
    fn an_answer_with_nothing_waiting_is_refused() {
        let p = Prompts::default();
        assert!(p.answer(Answer::Confirm(true)).is_err());
    }
}
