//! A bare Tauri 2 window showing one static page, built with the app's own
//! dependencies: the floor `scripts/bench-app` compares Latchkey's memory against.

use tauri::{WebviewUrl, WebviewWindowBuilder};

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    let page = "data:text/html,<!doctype html><title>bare</title><h1>A bare Tauri window</h1>";
    let result = tauri::Builder::default()
        .setup(move |app| {
            let url = WebviewUrl::External(page.parse()?);
            WebviewWindowBuilder::new(app, "main", url)
                .title("bare")
                .inner_size(460.0, 720.0)
                .build()?;
            eprintln!("bare: window built");
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        eprintln!("bare: {e}");
        std::process::exit(1);
    }
}
