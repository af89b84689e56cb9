//! Where images come from besides files: the clipboard and the screen.
//!
//! Both talk to the desktop (X11, Wayland, the xdg-desktop-portal) and may block for a
//! moment; interactive programs call them off their UI thread.

mod clipboard;
mod screen;

pub use clipboard::clipboard;
pub use screen::{Monitor, screens};
