//! A bare Tauri 2 window showing one static page, built with the app's own
//! dependencies: the floor `scripts/bench-app` compares Latchkey's memory against.
//! The page is served through a custom scheme, the way the app's own assets are.
//! `--software`: WebKit draws without GPU compositing, as Latchkey does.

use tauri::http::Response;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

const PAGE: &str = "<!doctype html><html><head><meta charset=utf-8><title>bare</title></head>\
                    <body><h1>A bare Tauri window</h1></body></html>";

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    let result = tauri::Builder::default()
        .register_uri_scheme_protocol("bare", |_ctx, _request| {
            Response::builder()
                .header("Content-Type", "text/html")
                .body(PAGE.as_bytes().to_vec())
                .unwrap_or_default()
        })
        .setup(|app| {
            let url = WebviewUrl::CustomProtocol("bare://localhost/".parse()?);
            WebviewWindowBuilder::new(app, "main", url)
                .title("bare")
                .inner_size(460.0, 720.0)
                .on_page_load(|_, payload| {
                    if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                        eprintln!("bare: page loaded");
                    }
                })
                .build()?;
            #[cfg(target_os = "linux")]
            if std::env::args().any(|a| a == "--software") {
                use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
                let window = app.get_webview_window("main").ok_or("no window")?;
                window.with_webview(|webview| {
                    if let Some(settings) = webview.inner().settings() {
                        settings
                            .set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                    }
                })?;
            }
            eprintln!("bare: window built");
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        eprintln!("bare: {e}");
        std::process::exit(1);
    }
}
