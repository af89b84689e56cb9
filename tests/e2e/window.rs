//! The window: where a person left it and how big, remembered across restarts.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{App, Desktop, Geometry, PYTHON, STEP, e2e_needing, eventually};
use crate::tools::{assert_code, random_secret, totp_uri};

/// Where the test puts the window: away from the default (460×720 at 0,0) on every count.
const MOVED: Geometry = Geometry {
    x: 310,
    y: 45,
    width: 620,
    height: 560,
};

#[test]
fn the_window_comes_back_where_and_as_big_as_it_was_left() {
    e2e_needing(&[PYTHON], async || {
        let mut app = App::launch(Desktop::start(), "window-state").await;
        app.find("#search").await;
        let secret = random_secret();
        app.add_link(&totp_uri("Litware", "gina@example.com", &secret))
            .await;
        app.done().await;
        app.row("Litware").await;

        let window = app.desktop.app_window().expect("no Latchkey window");
        let first = app.desktop.geometry(&window);
        assert_eq!(
            (first.width, first.height),
            (460, 720),
            "the first start is not the configured size: {first:?}"
        );
        assert!(
            !first.near(&MOVED, 20),
            "the test would not notice: {first:?}"
        );

        // What a person does with a mouse, done to the X window itself (this desktop
        // has no window manager): resize it, then move it.
        let (w, h) = (MOVED.width.to_string(), MOVED.height.to_string());
        let (x, y) = (MOVED.x.to_string(), MOVED.y.to_string());
        app.desktop.xdotool(&["windowsize", &window, &w, &h]);
        app.desktop.xdotool(&["windowmove", &window, &x, &y]);
        eventually(
            "the window to take its new place and size",
            STEP,
            async || app.desktop.geometry(&window).near(&MOVED, 0).then_some(()),
        )
        .await;
        // The page has been laid out at the new size (GTK saw the change).
        eventually("the page to be 620 px wide", STEP, async || {
            (app.eval("return window.innerWidth").await == MOVED.width).then_some(())
        })
        .await;
        app.shot("window-state-moved").await;

        // Closed as a window manager closes a window when its × is clicked. The app
        // has no tray host here, so closing its only window quits it, and the
        // window-state plugin writes the file as the app exits.
        let saved = app
            .desktop
            .home()
            .join(".config/dev.latchkey.app/.window-state.json");
        assert!(!saved.exists(), "a window state before the first exit");
        app.desktop.close_window(&window);
        eventually("the window to close", STEP, async || {
            app.desktop.app_window().is_none().then_some(())
        })
        .await;
        let state: Value = eventually("the window state file", STEP, async || {
            serde_json::from_slice(&std::fs::read(&saved).ok()?).ok()
        })
        .await;
        let main = &state["main"];
        let kept = Geometry {
            x: main["x"].as_i64().unwrap_or(-1) as i32,
            y: main["y"].as_i64().unwrap_or(-1) as i32,
            width: main["width"].as_i64().unwrap_or(-1) as i32,
            height: main["height"].as_i64().unwrap_or(-1) as i32,
        };
        assert!(
            kept.near(&MOVED, 4),
            "the app saved {kept:?}, the window was at {MOVED:?}: {state}"
        );

        // The next start, on the same desktop: the same place and size.
        app.relaunch().await;
        app.find("#search").await;
        let window = eventually("the Latchkey window again", STEP, async || {
            app.desktop.app_window()
        })
        .await;
        // GTK may place the window before it sizes it: give it a moment to settle.
        let since = Instant::now();
        let again = eventually("the window's geometry", STEP, async || {
            let g = app.desktop.geometry(&window);
            (g.near(&MOVED, 4) || since.elapsed() > Duration::from_secs(5)).then_some(g)
        })
        .await;
        assert!(
            again.near(&MOVED, 4),
            "the window came back as {again:?}; it was left as {MOVED:?}"
        );
        eprintln!("saved {kept:?}, came back as {again:?}");
        // The vault came back too, opened by the keychain with no password.
        let row = app.row("Litware").await;
        assert_code(&row.code, &secret, "the Litware row after the restart");
        assert!(app.find_now("#unlock-password").await.is_none());
        app.shot("window-state-restored").await;
        app.close().await;
    });
}
