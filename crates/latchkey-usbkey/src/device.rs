//! Finding keys and opening one; the guarded calls into ctap-hid-fido2 and our
//! transport.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ctap_hid_fido2::{FidoKeyHid, FidoKeyHidFactory, HidParam, LibCfg};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::hid::Channel;
use crate::info::Info;
use crate::prompt::{KeyEvent, Prompt};

/// getInfo's CTAP2 command byte.
const GET_INFO: u8 = 0x04;

/// A connected FIDO security key, as listed by [`list`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyDescriptor {
    /// USB vendor id.
    pub vid: u16,
    /// USB product id.
    pub pid: u16,
    /// The product name the key reports.
    pub product: String,
    /// The operating system's HID path (`/dev/hidraw3`, …).
    pub path: String,
}

/// The FIDO security keys plugged in now (HID usage page 0xF1D0).
pub fn list() -> Result<Vec<KeyDescriptor>, Error> {
    let devices = guarded(ctap_hid_fido2::get_fidokey_devices)?;
    let mut keys: Vec<KeyDescriptor> = devices
        .into_iter()
        .filter_map(|d| match d.param {
            HidParam::Path(path) => Some(KeyDescriptor {
                vid: d.vid,
                pid: d.pid,
                product: d.product_string,
                path,
            }),
            HidParam::VidPid { .. } => None,
        })
        .collect();
    keys.sort_by(|a, b| a.path.cmp(&b.path));
    keys.dedup_by(|a, b| a.path == b.path);
    Ok(keys)
}

/// The key to use: number `index` (0-based, in [`list`] order), or the only one.
pub fn choose(index: Option<usize>) -> Result<KeyDescriptor, Error> {
    let mut keys = list()?;
    match (index, keys.len()) {
        (_, 0) => Err(Error::NoKey),
        (Some(i), n) if i >= n => Err(Error::NoSuchKey(i)),
        (Some(i), _) => Ok(keys.swap_remove(i)),
        (None, 1) => Ok(keys.swap_remove(0)),
        (None, n) => Err(Error::Ambiguous(n)),
    }
}

/// Waits up to `timeout` for exactly one key, telling `prompt` to insert one.
pub fn wait_for_key(prompt: &dyn Prompt, timeout: Duration) -> Result<KeyDescriptor, Error> {
    let started = Instant::now();
    let mut asked = false;
    loop {
        match choose(None) {
            Err(Error::NoKey) if started.elapsed() < timeout => {
                if !asked {
                    prompt.event(KeyEvent::InsertKey);
                    asked = true;
                }
                std::thread::sleep(Duration::from_millis(300));
            }
            other => return other,
        }
    }
}

/// An open USB security key.
///
/// Every call blocks (a key waits for a touch); run them off a UI thread. Calls on one
/// `UsbKey` are serialised; [`UsbKey::cancel`] may be called from another thread.
pub struct UsbKey {
    pub(crate) descriptor: KeyDescriptor,
    pub(crate) info: Info,
    pub(crate) prompt: Arc<dyn Prompt>,
    pub(crate) cancel: AtomicBool,
    busy: Mutex<()>,
}

impl std::fmt::Debug for UsbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsbKey")
            .field("descriptor", &self.descriptor)
            .finish_non_exhaustive()
    }
}

impl UsbKey {
    /// Opens `descriptor`, or the only key plugged in, and reads its getInfo.
    pub fn open(descriptor: Option<KeyDescriptor>, prompt: Arc<dyn Prompt>) -> Result<Self, Error> {
        let descriptor = match descriptor {
            Some(d) => d,
            None => choose(None)?,
        };
        let bytes = guarded(|| {
            Channel::open(&descriptor.path)?.cbor(
                GET_INFO,
                &[],
                &AtomicBool::new(false),
                &mut || (),
            )
        })??;
        let info = Info::from_cbor(&bytes)?;
        if !info.fido2() {
            return Err(Error::Unsupported("FIDO2 (it is a U2F-only key)".into()));
        }
        Ok(Self {
            descriptor,
            info,
            prompt,
            cancel: AtomicBool::new(false),
            busy: Mutex::new(()),
        })
    }

    /// Which key this is.
    pub fn descriptor(&self) -> &KeyDescriptor {
        &self.descriptor
    }

    /// Asks the key to abandon the request it is working on (waiting for a touch). The
    /// request then fails with [`Error::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Makes the key blink so the person can tell which one it is.
    pub fn wink(&self) -> Result<(), Error> {
        self.with_channel(|c| c.wink())
    }

    /// The PIN/UV auth protocol to use: 1 when the key offers it (every CTAP2 key
    /// does, and ctap-hid-fido2 has used it longest), else 2.
    pub(crate) fn pin_protocol(&self) -> u8 {
        let p = &self.info.pin_uv_auth_protocols;
        if p.is_empty() || p.contains(&1) { 1 } else { 2 }
    }

    /// Runs `op` on a fresh channel of our own transport.
    pub(crate) fn with_channel<T>(
        &self,
        op: impl FnOnce(&mut Channel) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _busy = self
            .busy
            .lock()
            .map_err(|_| Error::Device("a previous call panicked".into()))?;
        self.cancel.store(false, Ordering::Relaxed);
        guarded(|| op(&mut Channel::open(&self.descriptor.path)?))?
    }

    /// Runs `op` on a ctap-hid-fido2 handle opened for it, with the crate's stdout
    /// messages switched off.
    pub(crate) fn with_library<T, E: std::fmt::Display>(
        &self,
        op: impl FnOnce(&FidoKeyHid) -> Result<T, E>,
    ) -> Result<T, Error> {
        self.with_library_checked(|k| op(k).map_err(|e| Error::from_library(&e)))
    }

    /// [`UsbKey::with_library`] for an `op` that maps the crate's errors itself.
    pub(crate) fn with_library_checked<T>(
        &self,
        op: impl FnOnce(&FidoKeyHid) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _busy = self
            .busy
            .lock()
            .map_err(|_| Error::Device("a previous call panicked".into()))?;
        let mut cfg = LibCfg::init();
        cfg.enable_log = false;
        cfg.enable_keep_alive_msg = false;
        cfg.keep_alive_msg = String::new();
        cfg.use_pre_credential_management = !self.info.has_credential_management();
        cfg.use_pre_bio_enrollment = !self.info.has_bio_enrollment();
        let params = [HidParam::Path(self.descriptor.path.clone())];
        let protocol = self.pin_protocol();
        guarded(|| {
            let key = FidoKeyHidFactory::create_by_params(&params, &cfg)
                .map_err(|e| Error::Open(e.to_string()))?
                .with_pin_protocol_version(protocol);
            op(&key)
        })?
    }

    /// PIN tries left, from the key.
    pub fn pin_retries(&self) -> Result<u32, Error> {
        let n = self.with_library(|k| k.get_pin_retries())?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    /// Runs `op` with the PIN from the prompt, asking again after a wrong PIN while
    /// tries are left (at most three times: a key blocks PIN entry after three wrong
    /// tries until it is re-plugged).
    pub(crate) fn with_pin<T>(
        &self,
        mut op: impl FnMut(&str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut retries = self.pin_retries().ok();
        for _ in 0..3 {
            self.prompt.event(KeyEvent::EnterPin);
            let pin: Zeroizing<String> = self.prompt.pin(retries).ok_or(Error::PinRequired)?;
            match op(&pin) {
                Err(Error::WrongPin { .. }) => {
                    retries = self.pin_retries().ok();
                    if retries == Some(0) {
                        return Err(Error::PinBlocked);
                    }
                }
                other => return other,
            }
        }
        Err(Error::WrongPin { retries })
    }
}

/// Runs `f`, turning a panic inside ctap-hid-fido2 or hidapi (`HidApi::new().expect`,
/// or a device pulled out mid-read) into an error.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let text = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if text.contains("HidApi") || text.contains("HidAPI") {
            Error::Open("the USB HID system could not be started".into())
        } else {
            Error::Removed
        }
    })
}
