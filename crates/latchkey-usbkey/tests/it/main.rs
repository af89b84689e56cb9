//! Parsing recorded real-device CTAP answers (tests/vectors), and, with
//! `LATCHKEY_TEST_USB_KEY=1` and one key plugged in, the real thing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hardware;
mod vault_slot;
mod vectors;
