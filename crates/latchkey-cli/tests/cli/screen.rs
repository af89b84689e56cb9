//! `latchkey scan --screen|--clipboard` and `latchkey add --screen|--clipboard` on a
//! real (virtual) X desktop.

use std::time::Duration;

use crate::desktop::{Xvfb, eventually, qr_png};
use crate::oathtool::Totp;
use crate::run::{Out, Run, Sandbox};

const URI: &str = "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";

fn scan(x: &Xvfb, args: &[&str]) -> Out {
    Run::new(&[&["scan"], args].concat())
        .env("DISPLAY", &x.display)
        .run()
}

/// Scans until the shown window is there.
fn scan_until_found(x: &Xvfb, args: &[&str]) -> Out {
    eventually(Duration::from_secs(15), || {
        Some(scan(x, args)).filter(|o| o.status.success())
    })
    .unwrap_or_else(|| panic!("never found: {}", scan(x, args)))
}

#[test]
fn scan_screen_finds_a_code_shown_on_the_second_x_screen() {
    let sb = Sandbox::new();
    let mut x = Xvfb::start(&["1280x800x24", "1920x1080x24"]);
    x.show(&qr_png(sb.dir(), "qr.png", URI, 5), 1, 1300, 600);
    let out = scan_until_found(&x, &["--screen"]);
    assert_eq!(out.stdout.trim_end(), URI);
}

#[test]
fn scan_screen_reads_a_dark_mode_code() {
    let sb = Sandbox::new();
    let qr = qr_png(sb.dir(), "qr.png", URI, 6);
    let dark = sb.dir().join("dark.png");
    let negate = std::process::Command::new("convert")
        .arg(&qr)
        .arg("-negate")
        .arg(&dark)
        .status()
        .unwrap();
    assert!(negate.success(), "convert (imagemagick) failed");
    let mut x = Xvfb::start(&["1920x1080x24"]);
    x.show(&dark, 0, 200, 150);
    let out = scan_until_found(&x, &["--screen", "--json"]);
    assert_eq!(out.json()[0]["text"], URI);
    assert_eq!(out.json()[0]["kind"], "otpauth");
}

#[test]
fn scan_screen_with_no_code_says_so() {
    let x = Xvfb::start(&["1024x768x24"]);
    scan(&x, &["--screen"])
        .failure()
        .says("no QR code found", None);
}

#[test]
fn add_screen_adds_the_shown_account_with_oathtools_codes() {
    let sb = Sandbox::new();
    let mut x = Xvfb::start(&["1920x1080x24"]);
    x.show(&qr_png(sb.dir(), "qr.png", URI, 4), 0, 900, 400);
    let added = eventually(Duration::from_secs(15), || {
        Some(
            sb.cmd(&["add", "--screen"])
                .env("DISPLAY", &x.display)
                .run(),
        )
        .filter(|o| o.status.success())
    })
    .expect("add --screen never succeeded");
    assert!(
        added
            .stdout
            .starts_with("Added ACME Co (john.doe@email.com)."),
        "{added}"
    );
    let acme = Totp {
        secret: "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
        algorithm: "SHA1",
        digits: 6,
        period: 30,
    };
    sb.assert_codes_match("acme", &acme, &[59, 1_111_111_109, 2_000_000_000]);
}

#[test]
fn clipboard_image_and_clipboard_link_are_both_read() {
    let sb = Sandbox::new();
    let mut x = Xvfb::start(&["800x600x24"]);
    x.clip(&qr_png(sb.dir(), "qr.png", URI, 4), "image/png");
    assert_eq!(
        scan_until_found(&x, &["--clipboard"]).stdout.trim_end(),
        URI
    );

    let link = sb.dir().join("link.txt");
    std::fs::write(
        &link,
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    )
    .unwrap();
    x.clip(&link, "UTF8_STRING");
    let out = eventually(Duration::from_secs(5), || {
        Some(
            sb.cmd(&["add", "--clipboard"])
                .env("DISPLAY", &x.display)
                .run(),
        )
        .filter(|o| o.status.success())
    })
    .expect("add --clipboard never succeeded");
    assert!(
        out.stdout.starts_with("Added Example (alice@google.com)."),
        "{out}"
    );

    let note = sb.dir().join("note.txt");
    std::fs::write(&note, "just some text").unwrap();
    x.clip(&note, "UTF8_STRING");
    let refused = eventually(Duration::from_secs(5), || {
        Some(scan(&x, &["--clipboard"]))
            .filter(|o| o.stderr.contains("no image or otpauth:// link"))
    })
    .expect("plain text on the clipboard was not refused");
    refused
        .failure()
        .says("the clipboard holds no image or otpauth:// link", None);
}

#[test]
fn add_qr_file_takes_every_account_of_a_page_of_google_export_codes() {
    let sb = Sandbox::new();
    let discord = "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D";
    let example = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";
    let (a, b) = (
        qr_png(sb.dir(), "a.png", discord, 5),
        qr_png(sb.dir(), "b.png", example, 5),
    );
    let page = sb.dir().join("page.png");
    let joined = std::process::Command::new("convert")
        .arg(&a)
        .arg(&b)
        .args(["+append"])
        .arg(&page)
        .status()
        .unwrap();
    assert!(joined.success());
    let out = sb.ok(&["add", "--qr", page.to_str().unwrap()]);
    assert!(
        out.stdout.contains("Added Discord (johndoe@example.com)."),
        "{out}"
    );
    assert!(
        out.stdout.contains("Added Example (alice@google.com)."),
        "{out}"
    );
    assert!(out.stdout.contains("2 added, 0 already there."), "{out}");
    assert_eq!(
        sb.ok(&["code", "example", "--at", "1257894000"])
            .stdout
            .trim(),
        "528064"
    );
    // Scanning the same page again adds nothing twice.
    let again = sb.ok(&["add", "--qr", page.to_str().unwrap()]);
    assert!(
        again.stdout.contains("0 added, 2 already there."),
        "{again}"
    );
}

#[test]
fn add_qr_refuses_a_web_link_and_a_non_image() {
    let sb = Sandbox::new();
    let link = qr_png(sb.dir(), "link.png", "https://example.com/login", 5);
    sb.fails(&["add", "--qr", link.to_str().unwrap()]).says(
        "this QR code is not a 2FA setup code (it contains a web link)",
        None,
    );
    let text = sb.dir().join("notes.png");
    std::fs::write(&text, "not an image").unwrap();
    sb.fails(&["add", "--qr", text.to_str().unwrap()]).says(
        "unsupported image format (use PNG, JPEG, WebP, GIF or BMP)",
        None,
    );
    assert!(!sb.vault.exists(), "a failed add created a vault");
}
