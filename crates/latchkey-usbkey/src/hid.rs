//! CTAPHID framing (CTAP 2.1 §11.2) over hidapi, for the commands whose clientDataHash
//! must be the caller's: ctap-hid-fido2 always sends SHA-256 of its `challenge` argument
//! and keeps its own transport private, so makeCredential, getAssertion and getInfo go
//! through this small transport instead.
//!
//! A device handle is opened per operation and closed afterwards, and never while
//! ctap-hid-fido2 holds one: on Linux every open hidraw handle receives every report,
//! and the crate's reader does not skip other channels' packets.

use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;

const PACKET: usize = 64;
const INIT_DATA: usize = PACKET - 7;
const CONT_DATA: usize = PACKET - 5;
const BROADCAST: [u8; 4] = [0xFF; 4];

/// CTAPHID commands (§11.2.9), with the frame-type bit 0x80 set.
const CMD_INIT: u8 = 0x86;
const CMD_WINK: u8 = 0x88;
const CMD_CBOR: u8 = 0x90;
const CMD_CANCEL: u8 = 0x91;
const CMD_KEEPALIVE: u8 = 0xBB;
const CMD_ERROR: u8 = 0xBF;

/// KEEPALIVE status: the key waits for a touch.
const STATUS_UPNEEDED: u8 = 2;

/// A key that says nothing for this long has gone (keys send KEEPALIVE every 100 ms
/// while they work, and give up waiting for a touch after about 30 s).
const SILENCE: Duration = Duration::from_secs(5);
const READ_SLICE_MS: i32 = 250;

/// One CTAPHID channel on an open device.
pub(crate) struct Channel {
    device: hidapi::HidDevice,
    cid: [u8; 4],
}

impl Channel {
    /// Opens the device at `path` and allocates a channel (CTAPHID_INIT).
    pub(crate) fn open(path: &str) -> Result<Self, Error> {
        let api = hidapi::HidApi::new().map_err(|e| Error::Open(e.to_string()))?;
        let c_path = CString::new(path).map_err(|_| Error::Open("bad device path".into()))?;
        let device = api
            .open_path(&c_path)
            .map_err(|e| Error::Open(e.to_string()))?;
        let mut channel = Self {
            device,
            cid: BROADCAST,
        };
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| Error::Device(e.to_string()))?;
        let reply = channel.transact(CMD_INIT, &nonce, &AtomicBool::new(false), &mut || ())?;
        // nonce(8) ‖ new CID(4) ‖ protocol version ‖ device version(3) ‖ capabilities
        if reply.len() < 17 || reply[..8] != nonce {
            return Err(Error::Malformed("CTAPHID_INIT answer".into()));
        }
        channel.cid.copy_from_slice(&reply[8..12]);
        Ok(channel)
    }

    /// Sends a CTAP2 command (`cmd` byte ‖ CBOR) and returns the CBOR of a successful
    /// answer. `on_touch` runs once when the key starts waiting for a touch.
    pub(crate) fn cbor(
        &mut self,
        cmd: u8,
        cbor: &[u8],
        cancel: &AtomicBool,
        on_touch: &mut dyn FnMut(),
    ) -> Result<Vec<u8>, Error> {
        let mut payload = Vec::with_capacity(cbor.len() + 1);
        payload.push(cmd);
        payload.extend_from_slice(cbor);
        let mut reply = self.transact(CMD_CBOR, &payload, cancel, on_touch)?;
        match reply.first() {
            None => Err(Error::Malformed("empty CTAP answer".into())),
            Some(0) => Ok(reply.split_off(1)),
            Some(&status) => Err(Error::from_status(status)),
        }
    }

    /// Makes the key blink (CTAPHID_WINK).
    pub(crate) fn wink(&mut self) -> Result<(), Error> {
        self.transact(CMD_WINK, &[], &AtomicBool::new(false), &mut || ())
            .map(drop)
    }

    fn transact(
        &mut self,
        cmd: u8,
        data: &[u8],
        cancel: &AtomicBool,
        on_touch: &mut dyn FnMut(),
    ) -> Result<Vec<u8>, Error> {
        self.send(cmd, data)?;
        let mut touch_announced = false;
        let mut cancel_sent = false;
        loop {
            if cancel.load(Ordering::Relaxed) && !cancel_sent {
                // The key answers the pending request with KEEPALIVE_CANCEL.
                self.send(CMD_CANCEL, &[])?;
                cancel_sent = true;
            }
            let packet = self.read_packet()?;
            match packet[4] {
                CMD_KEEPALIVE => {
                    if packet[7] == STATUS_UPNEEDED && !touch_announced {
                        touch_announced = true;
                        on_touch();
                    }
                }
                CMD_ERROR => {
                    return Err(Error::Device(format!("CTAPHID error 0x{:02x}", packet[7])));
                }
                c if c == cmd => return self.read_rest(&packet),
                _ => return Err(Error::Malformed("unexpected CTAPHID command".into())),
            }
        }
    }

    /// Reads the next packet for our channel; others' packets are skipped.
    fn read_packet(&self) -> Result<[u8; PACKET], Error> {
        let started = Instant::now();
        let mut buf = [0u8; PACKET];
        loop {
            let n = self
                .device
                .read_timeout(&mut buf, READ_SLICE_MS)
                .map_err(|_| Error::Removed)?;
            if n == 0 {
                if started.elapsed() > SILENCE {
                    return Err(Error::Removed);
                }
                continue;
            }
            if buf[..4] == self.cid {
                return Ok(buf);
            }
        }
    }

    /// Gathers a message from its initialization packet and continuation packets.
    fn read_rest(&self, first: &[u8; PACKET]) -> Result<Vec<u8>, Error> {
        let len = usize::from(u16::from_be_bytes([first[5], first[6]]));
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(&first[7..7 + len.min(INIT_DATA)]);
        let mut seq = 0u8;
        while out.len() < len {
            let packet = self.read_packet()?;
            if packet[4] != seq {
                return Err(Error::Malformed("CTAPHID continuation out of order".into()));
            }
            let take = (len - out.len()).min(CONT_DATA);
            out.extend_from_slice(&packet[5..5 + take]);
            seq = seq.wrapping_add(1);
        }
        Ok(out)
    }

    fn send(&self, cmd: u8, data: &[u8]) -> Result<(), Error> {
        let len =
            u16::try_from(data.len()).map_err(|_| Error::Device("request too long".into()))?;
        for report in frames(self.cid, cmd, data, len) {
            self.device.write(&report).map_err(|_| Error::Removed)?;
        }
        Ok(())
    }
}

/// The HID output reports for one message: a report ID byte (0), then an initialization
/// packet `CID ‖ CMD ‖ BCNT ‖ data[..57]` and continuation packets `CID ‖ SEQ ‖ data[..59]`.
fn frames(cid: [u8; 4], cmd: u8, data: &[u8], len: u16) -> Vec<[u8; PACKET + 1]> {
    let mut reports = Vec::new();
    let mut first = [0u8; PACKET + 1];
    first[1..5].copy_from_slice(&cid);
    first[5] = cmd;
    first[6..8].copy_from_slice(&len.to_be_bytes());
    let head = data.len().min(INIT_DATA);
    first[8..8 + head].copy_from_slice(&data[..head]);
    reports.push(first);
    for (seq, chunk) in data[head..].chunks(CONT_DATA).enumerate() {
        let mut report = [0u8; PACKET + 1];
        report[1..5].copy_from_slice(&cid);
        report[5] = (seq & 0x7F) as u8;
        report[6..6 + chunk.len()].copy_from_slice(chunk);
        reports.push(report);
    }
    reports
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_long_message_into_init_and_continuation_packets() {
        let data: Vec<u8> = (0..=199u8).collect();
        let reports = frames([1, 2, 3, 4], CMD_CBOR, &data, 200);
        // 57 + 59 + 59 = 175 < 200 ≤ 57 + 3·59
        assert_eq!(reports.len(), 4);
        assert_eq!(reports[0][..8], [0, 1, 2, 3, 4, 0x90, 0, 200]);
        assert_eq!(reports[0][8], 0);
        assert_eq!(reports[1][5], 0, "first continuation has SEQ 0");
        assert_eq!(reports[1][6], 57);
        assert_eq!(reports[3][5], 2);
        assert_eq!(reports[3][6], 175);
        assert_eq!(reports[3][6 + 24], 199);
        assert_eq!(reports[3][6 + 25], 0, "padding after the last byte");
    }
}
