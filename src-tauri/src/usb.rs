//! The app's side of a USB security key operation: a [`Prompt`] that tells the UI what
//! the key is doing and asks for its PIN through [`Prompts`], finding the key (waiting
//! for one to be plugged in), and the key's errors as sentences.
//!
//! Every call here blocks: commands run them on a blocking thread.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use latchkey_usbkey::{KeyEvent, Prompt, UsbKey};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use zeroize::Zeroizing;

use crate::error::{Error, sentence};
use crate::prompts::{Answer, Event, Prompts};

/// How often the wait for a key looks at the Cancel button.
const WAIT_SLICE: Duration = Duration::from_millis(500);

/// The person's side of a key operation: `events` hears what the key does; a PIN is
/// the one the command was given, or asked for on `events`.
pub struct KeyPrompt<R: Runtime> {
    app: AppHandle<R>,
    events: Option<Channel<Event>>,
    given: Option<Zeroizing<String>>,
    asked: AtomicU32,
    /// The tries left the key reported when the given PIN turned out wrong.
    wrong: Mutex<Option<Option<u32>>>,
    insert_shown: AtomicBool,
}

impl<R: Runtime> KeyPrompt<R> {
    /// Reports on `events` and asks the person for the PIN there.
    pub fn asking(app: &AppHandle<R>, events: Channel<Event>) -> Arc<Self> {
        Arc::new(Self::new(app, Some(events), None))
    }

    /// Uses `pin` (the one the UI sent with the command), once.
    pub fn with_pin(
        app: &AppHandle<R>,
        pin: Zeroizing<String>,
        events: Option<Channel<Event>>,
    ) -> Arc<Self> {
        Arc::new(Self::new(app, events, Some(pin)))
    }

    /// Needs nothing from the person.
    pub fn silent(app: &AppHandle<R>) -> Arc<Self> {
        Arc::new(Self::new(app, None, None))
    }

    fn new(
        app: &AppHandle<R>,
        events: Option<Channel<Event>>,
        given: Option<Zeroizing<String>>,
    ) -> Self {
        Self {
            app: app.clone(),
            events,
            given,
            asked: AtomicU32::new(0),
            wrong: Mutex::new(None),
            insert_shown: AtomicBool::new(false),
        }
    }

    /// The next step of the operation may ask for the given PIN once more (each key
    /// call asks for it afresh).
    pub fn again(&self) {
        self.asked.store(0, Ordering::SeqCst);
    }

    fn send(&self, event: Event) {
        if let Some(events) = &self.events {
            let _ = events.send(event);
        }
    }

    /// The key's error as the UI says it. A given PIN is tried once: the key asking
    /// again means it was wrong, which is what the person needs to hear.
    pub fn say(&self, e: latchkey_usbkey::Error) -> Error {
        use latchkey_usbkey::Error as E;
        let wrong = *self.wrong.lock().unwrap_or_else(PoisonError::into_inner);
        match (e, wrong) {
            (E::PinRequired, Some(retries)) => wrong_pin(retries),
            (E::PinRequired, None) if self.given.is_none() && self.events.is_some() => cancelled(),
            (e, _) => say(e),
        }
    }
}

impl<R: Runtime> Prompt for KeyPrompt<R> {
    fn pin(&self, retries: Option<u32>) -> Option<Zeroizing<String>> {
        let before = self.asked.fetch_add(1, Ordering::SeqCst);
        if let Some(pin) = &self.given {
            if before == 0 {
                return Some(pin.clone());
            }
            *self.wrong.lock().unwrap_or_else(PoisonError::into_inner) = Some(retries);
            return None;
        }
        let events = self.events.as_ref()?;
        let event = Event::Pin {
            retries,
            wrong: before > 0,
        };
        match self.app.state::<Prompts>().ask(events, event) {
            Some(Answer::Pin(pin)) => Some(pin),
            _ => None,
        }
    }

    fn event(&self, event: KeyEvent) {
        match event {
            KeyEvent::TouchKey => self.send(Event::Touch),
            KeyEvent::InsertKey if !self.insert_shown.swap(true, Ordering::SeqCst) => {
                self.send(Event::Insert)
            }
            KeyEvent::FingerprintSample { remaining, status } => self.send(Event::Sample {
                good: status == "good",
                remaining,
                message: sample_message(&status, remaining),
            }),
            _ => {}
        }
    }
}

/// What to tell the person after a fingerprint sample.
fn sample_message(status: &str, remaining: u32) -> String {
    match (status, remaining) {
        (_, 0) => "Fingerprint saved.".into(),
        ("good", _) => "Good. Lift and touch again.".into(),
        (why, _) => sentence(&format!("{why}: lift and touch again")),
    }
}

pub fn no_key() -> Error {
    Error::say("No security key is plugged in. Insert one and try again.")
}

fn cancelled() -> Error {
    Error::say("Cancelled.")
}

fn wrong_pin(retries: Option<u32>) -> Error {
    Error::say(match retries {
        Some(1) => "That PIN is wrong. 1 try left before the key locks itself.".into(),
        Some(n) => format!("That PIN is wrong. {n} tries left before the key locks itself."),
        None => "That PIN is wrong.".into(),
    })
}

/// A security key error as the UI says it.
pub fn say(e: latchkey_usbkey::Error) -> Error {
    use latchkey_usbkey::Error as E;
    match e {
        E::NoKey => no_key(),
        E::Ambiguous(n) => Error::say(format!(
            "{n} security keys are plugged in. Leave only the one to use plugged in and try again."
        )),
        E::NoSuchKey(_) => {
            Error::say("That security key is no longer plugged in. Plug it back in and try again.")
        }
        E::Removed => Error::say(
            "The security key was removed before it finished. Plug it back in and try again.",
        ),
        E::Cancelled => {
            Error::say("The security key was not touched in time, or the request was cancelled.")
        }
        E::WrongPin { retries } => wrong_pin(retries),
        E::PinBlocked => Error::say(
            "That PIN was wrong too many times, so the key is locked. Reset it to use it again (this erases its passkeys).",
        ),
        E::PinNotSet => Error::say("This key has no PIN yet. Set one first."),
        E::PinPolicy(why) => Error::say(sentence(&format!("that PIN is not allowed: {why}"))),
        e => Error::say(sentence(&e.to_string())),
    }
}

/// Opens the key the UI listed as `id` (its HID path).
pub fn open<R: Runtime>(id: &str, prompt: Arc<KeyPrompt<R>>) -> Result<UsbKey, Error> {
    let keys = latchkey_usbkey::list().map_err(say)?;
    if keys.is_empty() {
        return Err(no_key());
    }
    let descriptor = keys
        .into_iter()
        .find(|k| k.path == id)
        .ok_or_else(|| say(latchkey_usbkey::Error::NoSuchKey(0)))?;
    let p: Arc<dyn Prompt> = prompt.clone();
    UsbKey::open(Some(descriptor), p).map_err(|e| prompt.say(e))
}

/// The one key plugged in, waiting up to `timeout` for it ("insert" on the prompt's
/// events meanwhile) and giving up early when the person cancels. Cancel also stops
/// the key while it waits for a touch.
pub fn plugged<R: Runtime>(
    app: &AppHandle<R>,
    prompt: Arc<KeyPrompt<R>>,
    timeout: Duration,
) -> Result<Arc<UsbKey>, Error> {
    let prompts = app.state::<Prompts>();
    let started = Instant::now();
    let descriptor = loop {
        let left = timeout.saturating_sub(started.elapsed());
        match latchkey_usbkey::wait_for_key(prompt.as_ref(), left.min(WAIT_SLICE)) {
            Err(latchkey_usbkey::Error::NoKey) if prompts.is_cancelled() => {
                return Err(cancelled());
            }
            Err(latchkey_usbkey::Error::NoKey) if !left.is_zero() => {}
            other => break other.map_err(say)?,
        }
    };
    let p: Arc<dyn Prompt> = prompt.clone();
    let key = Arc::new(UsbKey::open(Some(descriptor), p).map_err(|e| prompt.say(e))?);
    let weak = Arc::downgrade(&key);
    prompts.on_cancel(move || {
        if let Some(key) = weak.upgrade() {
            key.cancel();
        }
    });
    Ok(key)
}
