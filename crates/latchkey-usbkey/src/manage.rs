//! Looking after a key: its info, PIN and fingerprints. These go through
//! ctap-hid-fido2 (clientPIN and bioEnrollment need its PIN/UV auth protocol code);
//! discoverable credentials are managed in `credman`.

use serde::Serialize;
use zeroize::Zeroizing;

use crate::device::UsbKey;
use crate::error::{Error, lib_error};
use crate::info::Info;
use crate::prompt::{KeyEvent, Prompt};
use ctap_hid_fido2::FidoKeyHid;

/// CTAP 2.1 §6.5.1: a PIN is at most 63 bytes of UTF-8.
const MAX_PIN_BYTES: usize = 63;

/// An enrolled fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fingerprint {
    /// The template id, lowercase hex: what `rename` and `delete` take.
    pub id: String,
    /// The friendly name, if one was set.
    pub name: Option<String>,
}

impl UsbKey {
    /// The key's getInfo, with the PIN retry count when a PIN is set.
    pub fn info(&self) -> Result<Info, Error> {
        let mut info = self.info.clone();
        if info.pin_set() {
            info.pin_retries = Some(self.pin_retries()?);
        }
        Ok(info)
    }

    /// Sets the first PIN of a key that has none.
    pub fn set_pin(&self, new: &str) -> Result<(), Error> {
        self.check_new_pin(new)?;
        if self.info.pin_set() {
            return Err(Error::PinPolicy(
                "the key already has a PIN; change it instead".into(),
            ));
        }
        self.with_library(|k| k.set_new_pin(new))
    }

    /// Changes the PIN. The new PIN's length is checked here first, so a bad one does not
    /// cost a try.
    pub fn change_pin(&self, current: &str, new: &str) -> Result<(), Error> {
        self.check_new_pin(new)?;
        match self.with_library(|k| k.change_pin(current, new)) {
            Err(Error::WrongPin { .. }) => Err(Error::WrongPin {
                retries: self.pin_retries().ok(),
            }),
            other => other,
        }
    }

    fn check_new_pin(&self, new: &str) -> Result<(), Error> {
        let min = self.info.min_pin_length;
        if (new.chars().count() as u64) < u64::from(min) {
            return Err(Error::PinPolicy(format!(
                "it must be at least {min} characters"
            )));
        }
        if new.len() > MAX_PIN_BYTES {
            return Err(Error::PinPolicy(format!(
                "it must be at most {MAX_PIN_BYTES} bytes"
            )));
        }
        Ok(())
    }

    /// The enrolled fingerprints. Needs the PIN.
    pub fn fingerprints(&self) -> Result<Vec<Fingerprint>, Error> {
        self.require_sensor()?;
        let templates = self
            .with_pin(|pin| self.with_library(|k| k.bio_enrollment_enumerate_enrollments(pin)))?;
        Ok(templates
            .into_iter()
            .map(|t| Fingerprint {
                id: hex(&t.template_id),
                name: t.template_friendly_name,
            })
            .collect())
    }

    /// Enrols a fingerprint: the person touches the sensor again and again;
    /// [`KeyEvent::FingerprintSample`] reports each sample. Returns the new template id.
    pub fn add_fingerprint(&self, name: Option<&str>) -> Result<String, Error> {
        self.require_sensor()?;
        let pin: Zeroizing<String> = self.with_pin(|pin| {
            // Check the PIN up front, so the loop below does not ask twice.
            self.with_library(|k| k.get_pin_token(pin).map(drop))?;
            Ok(Zeroizing::new(pin.to_owned()))
        })?;
        self.prompt.event(KeyEvent::TouchKey);
        // One handle for the whole enrolment: the PIN token lives in its state.
        let prompt = &self.prompt;
        let id = self.with_library_checked(|k| enrol(k, &pin, prompt.as_ref()))?;
        let id = hex(&id);
        if let Some(name) = name {
            self.rename_fingerprint(&id, name)?;
        }
        self.prompt.event(KeyEvent::Done);
        Ok(id)
    }

    /// Gives a fingerprint a new name.
    pub fn rename_fingerprint(&self, id: &str, name: &str) -> Result<(), Error> {
        let template = unhex(id)?;
        self.with_pin(|pin| {
            self.with_library(|k| k.bio_enrollment_set_friendly_name(pin, &template, name))
        })
    }

    /// Removes a fingerprint.
    pub fn delete_fingerprint(&self, id: &str) -> Result<(), Error> {
        let template = unhex(id)?;
        self.with_pin(|pin| self.with_library(|k| k.bio_enrollment_remove(pin, &template)))
    }

    fn require_sensor(&self) -> Result<(), Error> {
        if self.info.has_fingerprint_sensor() {
            Ok(())
        } else {
            Err(Error::Unsupported("fingerprints (it has no sensor)".into()))
        }
    }
}

/// bioEnrollment's enrolBegin and captureNextSample until no samples remain.
fn enrol(k: &FidoKeyHid, pin: &str, prompt: &dyn Prompt) -> Result<Vec<u8>, Error> {
    let (status, mut sample) = k
        .bio_enrollment_begin(pin, Some(30_000))
        .map_err(lib_error)?;
    loop {
        prompt.event(KeyEvent::FingerprintSample {
            remaining: sample.remaining_samples,
            status: sample_status(sample.status),
        });
        if sample.is_finish {
            return Ok(status.template_id);
        }
        sample = k
            .bio_enrollment_next(&status, Some(30_000))
            .map_err(lib_error)?;
    }
}

/// lastEnrollSampleStatus (CTAP 2.1 §6.7.4) in words.
fn sample_status(code: u8) -> String {
    match code {
        0x00 => "good",
        0x01 => "too high",
        0x02 => "too low",
        0x03 => "too far left",
        0x04 => "too far right",
        0x05 => "too fast",
        0x06 => "too slow",
        0x07 => "poor quality",
        0x08 => "too skewed",
        0x09 => "too short",
        0x0A => "merge failure",
        0x0B => "already enrolled",
        0x0D => "no finger moved",
        0x0E => "no finger on the sensor",
        _ => "not recognised",
    }
    .to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, Error> {
    let bad = || Error::Malformed(format!("\"{s}\" is not a fingerprint id"));
    if !s.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}
