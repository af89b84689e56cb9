//! Adding an account from an image file chosen with "Open image", and the errors a
//! person sees for files that hold no setup code.

use std::io::Read;
use std::process::Command;

use crate::harness::{App, Desktop, STEP, e2e, eventually};
use crate::tools::{assert_code, qr_png_at, random_secret, run, totp_uri};

/// What the sheet says for a QR code of a web page.
const WEB_LINK: &str = "This QR code is not a 2FA setup code (it contains a web link).";

#[test]
fn opens_a_qr_code_image_and_says_why_other_files_give_nothing() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "open-image").await;
        app.find("#search").await;
        let dir = app.desktop.dir().to_path_buf();

        // Random bytes named like a picture.
        let noise = dir.join("screenshot.png");
        let mut bytes = vec![0u8; 4096];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .unwrap();
        std::fs::write(&noise, &bytes).unwrap();
        // A real PNG cut short (a download that stopped half way).
        let full = qr_png_at(
            &dir.join("full.png"),
            "otpauth://totp/Cut:off?secret=JBSWY3DPEHPK3PXP",
        );
        let png = std::fs::read(&full).unwrap();
        let cut = dir.join("cut.png");
        std::fs::write(&cut, &png[..png.len() / 2]).unwrap();
        // A picture with no QR code in it.
        let blank = dir.join("blank.png");
        run(Command::new("convert")
            .args(["-size", "300x300", "xc:white"])
            .arg(&blank));
        // Not a picture at all.
        let notes = dir.join("notes.txt");
        std::fs::write(&notes, "otpauth is in here somewhere\n").unwrap();
        // A QR code, but of a web page, not a setup link.
        let web = qr_png_at(&dir.join("web.png"), "https://example.com/welcome");

        app.click("#add-button").await;
        app.find("#scan-screen").await;
        app.open_file(&notes).await;
        app.sheet_error(
            "“notes.txt” is not an image. Choose a screenshot or photo of the QR code.",
        )
        .await;
        app.open_file(&noise).await;
        app.sheet_error("Unsupported image format (use PNG, JPEG, WebP, GIF or BMP).")
            .await;
        app.open_file(&blank).await;
        app.sheet_error("No QR code found.").await;
        app.open_file(&web).await;
        app.sheet_error(WEB_LINK).await;
        app.open_file(&cut).await;
        let said = eventually("an error for the cut-off PNG", STEP, async || {
            let text = app.find_now(".sheet .error").await?.text().await.ok()?;
            Some(text.trim().to_string()).filter(|t| t != WEB_LINK && !t.is_empty())
        })
        .await;
        assert!(
            said.starts_with("The image could not be decoded") && said.ends_with('.'),
            "a cut-off PNG: {said:?}"
        );
        eprintln!("a cut-off PNG says: {said}");
        app.shot("open-image-error").await;
        assert!(
            app.rows().await.is_empty(),
            "a file with no setup code added a row"
        );

        // The setup code of a fresh account, as a site's QR code saved to a file.
        let secret = random_secret();
        let qr = qr_png_at(
            &dir.join("setup.png"),
            &totp_uri("Umbrella", "hana@example.com", &secret),
        );
        app.open_file(&qr).await;
        let shown = app.confirm_code().await;
        assert_code(&shown, &secret, "the confirm step of the opened image");
        assert_eq!(app.text("#confirm-title").await, "Umbrella added");
        app.shot("open-image").await;
        app.done().await;
        let row = app.row("Umbrella").await;
        assert_code(&row.code, &secret, "the Umbrella row");
        assert_eq!(app.issuers().await, ["Umbrella"]);
        app.close().await;
    });
}
