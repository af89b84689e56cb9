//! # latchkey-app
//!
//! The Latchkey desktop app: a Tauri 2 shell over `latchkey-core` and
//! `latchkey-scan`. The UI (`ui/`, Svelte) calls the commands in [`commands`], each a
//! few lines over the libraries; seeds cross IPC only when the person asks to see one.
//! Around them: the tray (show, lock, quit), `otpauth://` links (a second launch hands
//! its link to the running app), a global shortcut (X11), remembered window state, and
//! the auto-lock clock.

mod clipboard;
pub mod commands;
mod error;
mod prompts;
mod settings;
pub mod state;
mod tray;
mod usb;
mod views;

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

pub use error::Error;
use state::AppState;

/// The app's commands and state on any runtime (the real one, or the mock runtime
/// in tests).
pub fn builder<R: Runtime>(b: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    use commands::{accounts, add, keys, link, lock, passkeys, recovery, settings, transfer};
    b.manage(state)
        .manage(prompts::Prompts::default())
        .manage(link::Links::default())
        .manage(transfer::Imports::default())
        .invoke_handler(tauri::generate_handler![
            lock::status,
            lock::unlock,
            lock::unlock_with_key,
            lock::create_vault,
            lock::set_password,
            lock::remove_password,
            lock::lock,
            lock::touch,
            lock::painted,
            accounts::accounts,
            accounts::codes,
            accounts::copy_code,
            accounts::hotp_code,
            accounts::rename_account,
            accounts::set_tags,
            accounts::set_icon,
            accounts::reveal_secret,
            accounts::delete_account,
            add::add_uri,
            add::add_manual,
            add::scan_screen,
            add::scan_image,
            add::paste_clipboard,
            recovery::recovery,
            recovery::set_recovery,
            recovery::use_recovery,
            recovery::recovery_sheet,
            settings::settings,
            settings::set_settings,
            settings::vault_info,
            passkeys::services,
            link::link_service,
            link::open_link,
            link::wait_for_link,
            link::cancel_link,
            passkeys::unlink_service,
            passkeys::add_passkey,
            passkeys::remove_passkey,
            passkeys::answer_prompt,
            passkeys::cancel_authenticator,
            keys::security_keys,
            keys::security_key_info,
            keys::set_key_pin,
            keys::key_passkeys,
            keys::delete_key_passkey,
            keys::fingerprints,
            keys::add_fingerprint,
            keys::rename_fingerprint,
            keys::delete_fingerprint,
            keys::wink_key,
            keys::key_slots,
            keys::add_key_slot,
            keys::remove_key_slot,
            transfer::import_preview,
            transfer::import_confirm,
            transfer::import_cancel,
            transfer::export_file,
            transfer::choose_export_path,
        ])
}

/// Runs the desktop app.
pub fn run() {
    let state = match AppState::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("latchkey-app: {}", e.message());
            std::process::exit(1);
        }
    };
    // single-instance first: a second launch (an otpauth:// link opened from the
    // browser) hands its arguments to this process and exits.
    let b = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            show(app)
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(|app| {
            setup(app.handle());
            Ok(())
        });
    if let Err(e) = builder(b, state).run(tauri::generate_context!()) {
        eprintln!("latchkey-app: {e}");
        std::process::exit(1);
    }
}

fn setup<R: Runtime>(app: &AppHandle<R>) {
    app.state::<AppState>().trace("setup started");
    software_compositing(app);
    if let Err(e) = tray::build(app) {
        eprintln!("latchkey-app: no tray icon ({e})");
    }
    app.state::<AppState>().trace("tray built");
    deep_links(app);
    app.state::<AppState>().trace("deep links set up");
    shortcut::register(app);
    let handle = app.clone();
    std::thread::spawn(move || auto_lock(handle));
    app.state::<AppState>().trace("setup done");
}

/// WebKitGTK composites pages on the GPU by default, which under llvmpipe or a
/// virtual display means a GL context and its buffers in the web process: ~60 MiB
/// and ~80 ms more before the first frame, for a window that shows a list. Drawing
/// in software instead is what a list of codes needs (docs/benchmarks.md).
#[cfg(target_os = "linux")]
fn software_compositing<R: Runtime>(app: &AppHandle<R>) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    for window in app.webview_windows().into_values() {
        let _ = window.with_webview(|webview| {
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn software_compositing<R: Runtime>(_app: &AppHandle<R>) {}

/// `otpauth://` links: those the app was started with, and those later launches
/// forward. They wait in the state until the vault is open.
fn deep_links<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    // Registering the handler writes a .desktop file and runs xdg-mime: off the
    // start-up path.
    #[cfg(target_os = "linux")]
    {
        let handle = app.clone();
        std::thread::spawn(move || {
            let _ = handle.deep_link().register_all();
        });
    }
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            app.state::<AppState>().hold_link(url.to_string());
        }
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            handle.state::<AppState>().hold_link(url.to_string());
        }
        show(&handle);
        deliver_links(&handle);
    });
}

/// Hands held links to the UI when the vault is open (the UI then asks to add them).
pub(crate) fn deliver_links<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    if !state.is_unlocked() {
        return;
    }
    for uri in state.take_links() {
        let _ = app.emit("deep-link", serde_json::json!({ "uri": uri }));
    }
}

/// Brings the main window to the front.
pub(crate) fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Locks the vault once it has been idle for the configured time.
fn auto_lock<R: Runtime>(app: AppHandle<R>) {
    loop {
        std::thread::sleep(Duration::from_secs(5));
        let state = app.state::<AppState>();
        if let Some(minutes) = state.idle_for_lock(std::time::Instant::now()) {
            let reason = match minutes {
                1 => "Latchkey locked after a minute without use.".to_string(),
                m => format!("Latchkey locked after {m} minutes without use."),
            };
            let _ = commands::lock::lock_now(&state, &app, &reason);
        }
    }
}

mod shortcut {
    //! The global shortcut that shows the window with the search field focused.
    //! It works on X11 (and macOS and Windows); Wayland compositors do not let an
    //! app grab keys, so there it is silently absent.
    use tauri::{AppHandle, Emitter, Runtime};
    use tauri_plugin_global_shortcut::{GlobalShortcutExt, ShortcutState};

    /// Ctrl+Alt+K: K for key, free in GNOME, KDE and Xfce by default.
    pub const SHORTCUT: &str = "ctrl+alt+k";

    pub fn register<R: Runtime>(app: &AppHandle<R>) {
        let plugin = tauri_plugin_global_shortcut::Builder::new()
            .with_handler(|app, _shortcut, event| {
                if event.state() == ShortcutState::Pressed {
                    super::show(app);
                    let _ = app.emit("search", ());
                }
            })
            .build();
        if let Err(e) = app.plugin(plugin) {
            eprintln!("latchkey-app: no global shortcut ({e})");
            return;
        }
        if let Err(e) = app.global_shortcut().register(SHORTCUT) {
            eprintln!("latchkey-app: the global shortcut {SHORTCUT} is not available ({e})");
        }
    }
}
