//! End-to-end tests of the desktop app: the real `latchkey-app` binary (the debug
//! build, with `ui/dist` embedded) driven over WebDriver (tauri-driver in front of
//! WebKitWebDriver), on its own virtual X screen, its own D-Bus session and its own
//! gnome-keyring, with a throwaway HOME. Codes are checked against `oathtool`, the
//! clipboard with `xclip`, the keychain with `secret-tool`.
//!
//! Every test holds one lock (the app is single-instance per D-Bus session, and the
//! machine may be small), starts its own desktop, and saves a screenshot of the window
//! to `target/e2e-shots/<test>.png`. See `tests/e2e/README.md`.

// Tests fail by panicking; unwrap and expect are how they say "this must hold".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;
mod tools;

mod add;
mod autolock;
mod codes;
mod lock;
mod open_image;
mod passkeys;
mod paste;
mod recovery;
mod settings;
mod transfer;
mod window;
