//! Adding from the clipboard: Ctrl+V in the add sheet, and its "Paste from clipboard"
//! button, with a setup link or a QR code image copied by another program.

use crate::harness::{App, Desktop, e2e};
use crate::tools::{assert_code, qr_png_at, random_secret, totp_uri};

#[test]
fn ctrl_v_in_the_add_sheet_adds_a_copied_setup_link() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "paste-keys").await;
        app.find("#search").await;
        let secret = random_secret();
        let uri = totp_uri("Proseware", "ivan@example.com", &secret);
        // Copied in another program (the site's "can't scan?" link).
        app.desktop.set_clipboard(&uri);

        app.click("#add-button").await;
        app.find("#scan-screen").await;
        // Ctrl+V on the real keyboard, with the focus where the sheet put it (its
        // first button, not a text field).
        let focused = app
            .eval("return document.activeElement?.closest('.sheet') ? document.activeElement.id : null")
            .await;
        assert_eq!(focused, "scan-screen", "the focus is not in the sheet");
        let window = app.desktop.app_window().expect("no Latchkey window");
        app.desktop.press(&window, "ctrl+v");
        let shown = app.confirm_code().await;
        assert_code(&shown, &secret, "the confirm step of the pasted link");
        assert_eq!(app.text("#confirm-title").await, "Proseware added");
        app.shot("paste-keys").await;
        app.done().await;
        let row = app.row("Proseware").await;
        assert_code(&row.code, &secret, "the Proseware row");
        app.close().await;
    });
}

/// Ctrl+V with a QR code *image* on the clipboard. WebKitGTK's paste event carries
/// no image (its `clipboardData` is empty: no items, no files, no types, for a
/// clipboard offering `image/png`), so the sheet falls back to asking Rust to read
/// the clipboard, as the "Paste from clipboard" button does.
#[test]
fn ctrl_v_in_the_add_sheet_adds_a_copied_qr_image() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "paste-keys-image").await;
        app.find("#search").await;
        let secret = random_secret();
        let qr = qr_png_at(
            &app.desktop.dir().join("copied.png"),
            &totp_uri("Wingtip", "lee@example.com", &secret),
        );
        app.desktop.set_clipboard_image(&qr);
        app.click("#add-button").await;
        app.find("#scan-screen").await;
        let window = app.desktop.app_window().expect("no Latchkey window");
        app.desktop.press(&window, "ctrl+v");
        let shown = app.confirm_code().await;
        assert_code(&shown, &secret, "the confirm step of the pasted image");
        app.done().await;
        let row = app.row("Wingtip").await;
        assert_code(&row.code, &secret, "the Wingtip row");
        app.close().await;
    });
}

#[test]
fn the_paste_button_reads_a_qr_image_or_a_link_and_says_when_there_is_neither() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "paste-button").await;
        app.find("#search").await;

        // A screenshot of the site's QR code, copied as an image.
        let secret = random_secret();
        let qr = qr_png_at(
            &app.desktop.dir().join("copied.png"),
            &totp_uri("Adatum", "judy@example.com", &secret),
        );
        app.desktop.set_clipboard_image(&qr);
        app.click("#add-button").await;
        app.click("#paste-clipboard").await;
        let shown = app.confirm_code().await;
        assert_code(&shown, &secret, "the confirm step of the copied image");
        assert_eq!(app.text("#confirm-title").await, "Adatum added");
        app.shot("paste-button-image").await;
        app.done().await;

        // Text that is not a setup link: a sentence, and nothing added.
        app.desktop.set_clipboard("see you at 10");
        app.click("#add-button").await;
        app.click("#paste-clipboard").await;
        app.sheet_error("The clipboard holds no image or otpauth:// link.")
            .await;
        assert_eq!(app.issuers().await, ["Adatum"]);

        // A link, in the same sheet.
        let second = random_secret();
        app.desktop
            .set_clipboard(&totp_uri("Relecloud", "kim@example.com", &second));
        app.click("#paste-clipboard").await;
        let shown = app.confirm_code().await;
        assert_code(&shown, &second, "the confirm step of the copied link");
        app.done().await;
        let row = app.row("Relecloud").await;
        assert_code(&row.code, &second, "the Relecloud row");
        assert_eq!(app.rows().await.len(), 2);
        app.close().await;
    });
}
