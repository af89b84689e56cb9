//! `latchkey import` and `latchkey export`: what leaves one vault comes back into
//! another with the same codes; encrypted backups need their password; a look
//! (`--dry-run`) changes nothing; duplicates are named and not added twice.

use std::path::Path;

use crate::run::Sandbox;

const LINKS: [&str; 4] = [
    "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    "otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJQ&counter=5&issuer=Bank&digits=8&algorithm=SHA256",
    "otpauth://totp/Work:bob?secret=MFRGGZDFMZTWQ2LK&issuer=Work&period=60&algorithm=SHA512&digits=7",
    "otpauth://steam/Steam:gamer?secret=ONSWG4TFOQ&issuer=Steam",
];
const AT: &str = "1700000000";

fn codes(sb: &Sandbox) -> serde_json::Value {
    sb.ok(&["code", "--at", AT, "--json"]).json()
}

/// A vault holding every link.
fn full() -> Sandbox {
    let sb = Sandbox::new();
    sb.add(&LINKS);
    sb
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn links_exported_then_imported_give_the_same_codes() {
    let from = full();
    let out = from.ok(&["export", "--format", "uris", "-", "--yes"]);
    assert_eq!(out.stdout.lines().count(), LINKS.len(), "{out}");
    assert!(out.stderr.starts_with("warning: "), "{out}");

    let to = Sandbox::new();
    let file = to.dir().join("links.txt");
    std::fs::write(&file, &out.stdout).unwrap();
    let out = to.ok(&["import", file.to_str().unwrap(), "--yes"]);
    assert!(
        out.stdout.contains("4 accounts new:\n  GitHub (alice)\n"),
        "{out}"
    );
    assert!(
        out.stdout
            .ends_with("Added 4 accounts. `latchkey code` shows their codes.\n")
    );
    assert_eq!(codes(&to), codes(&from));
    assert_eq!(to.accounts(), from.accounts());
}

#[test]
fn a_backup_opens_with_its_password_only() {
    let from = full();
    let backup = from.dir().join("backup.latchkey");
    let path = backup.to_str().unwrap();
    let out = from
        .cmd(&["export", "--format", "latchkey", path])
        .env("LATCHKEY_EXPORT_PASSWORD", "tr0ub4dor")
        .run()
        .success();
    assert!(out.stdout.starts_with("Wrote 4 accounts to "), "{out}");
    assert_eq!(mode(&backup), 0o600);

    let to = Sandbox::new();
    let wrong = to
        .cmd(&["import", path, "--yes"])
        .env("LATCHKEY_IMPORT_PASSWORD", "Tr0ub4dor")
        .run()
        .failure();
    wrong.says(
        "wrong password for this export",
        Some("passwords are case-sensitive; check LATCHKEY_IMPORT_PASSWORD if it is set"),
    );
    assert!(!to.vault.exists(), "nothing was created");

    let out = to
        .cmd(&["import", path, "--yes"])
        .env("LATCHKEY_IMPORT_PASSWORD", "tr0ub4dor")
        .run()
        .success();
    assert!(
        out.stdout.contains("backup.latchkey: Latchkey backup"),
        "{out}"
    );
    assert_eq!(codes(&to), codes(&from));

    let again = from
        .cmd(&["export", "--format", "latchkey", path])
        .env("LATCHKEY_EXPORT_PASSWORD", "x")
        .run()
        .failure();
    again.says(
        &format!("{path} already exists"),
        Some("choose another name, or add --force to replace it"),
    );
}

#[test]
fn an_aegis_export_imports_back_with_its_password() {
    let from = full();
    let file = from.dir().join("aegis.json");
    let path = file.to_str().unwrap();
    let out = from
        .cmd(&["export", "--format", "aegis", path])
        .env("LATCHKEY_EXPORT_PASSWORD", "correct battery")
        .run()
        .success();
    assert!(out.stdout.contains("for Aegis to import"), "{out}");
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"slots\""),
        "an encrypted Aegis vault: {text}"
    );

    let to = Sandbox::new();
    let out = to
        .cmd(&["import", path, "--yes"])
        .env("LATCHKEY_IMPORT_PASSWORD", "correct battery")
        .run()
        .success();
    assert!(out.stdout.contains("Aegis"), "{out}");
    assert_eq!(codes(&to), codes(&from));
}

#[test]
fn a_dry_run_changes_nothing_and_duplicates_are_not_added_twice() {
    let sb = Sandbox::new();
    sb.add(&LINKS[..1]);
    let file = sb.dir().join("links.txt");
    std::fs::write(&file, format!("{}\n{}\nnot a link\n", LINKS[0], LINKS[1])).unwrap();
    let file = file.to_str().unwrap();
    let (bytes, files) = (sb.bytes(), sb.files());

    let out = sb.ok(&["import", file, "--format", "uris", "--dry-run"]);
    assert!(
        out.stdout.contains(
            "1 account new:\n  Bank (me)\n1 already in the vault:\n  GitHub (alice)\n1 skipped:\n  line 3: "
        ),
        "{out}"
    );
    assert!(
        out.stdout.ends_with("Dry run: nothing was added.\n"),
        "{out}"
    );
    assert_eq!(sb.bytes(), bytes, "the vault is unchanged");
    assert_eq!(sb.files(), files);

    let refused = sb.fails(&["import", file, "--format", "uris"]);
    refused.says(
        "there is no terminal to confirm adding 1 account",
        Some("add --yes to add them, or --dry-run to only look"),
    );
    assert_eq!(sb.bytes(), bytes);

    sb.ok(&["import", file, "--format", "uris", "--yes"]);
    let out = sb.ok(&["import", file, "--format", "uris", "--yes"]);
    assert!(
        out.stdout
            .contains("No new accounts.\n2 already in the vault:\n"),
        "{out}"
    );
    assert!(out.stdout.ends_with("Nothing to add.\n"), "{out}");
    assert_eq!(sb.accounts().len(), 2);
}

#[test]
fn an_unknown_file_names_the_formats_to_try() {
    let sb = full();
    let file = sb.dir().join("notes.txt");
    std::fs::write(&file, "my passwords\n").unwrap();
    let out = sb.fails(&["import", file.to_str().unwrap()]);
    assert_eq!(
        out.error(),
        "Latchkey does not recognise this file as an export it can read"
    );
    let hint = out.hint().unwrap();
    assert!(
        hint.starts_with(
            "if you know what made it, name its format with --format (one of: latchkey"
        ),
        "{out}"
    );
    assert!(hint.contains("uris"), "{out}");
    let out = sb.fails(&["import", file.to_str().unwrap(), "--format", "nope"]);
    assert_eq!(out.error(), "there is no import format \"nope\"");
}

#[test]
fn plain_secrets_are_written_only_when_confirmed_and_only_for_their_owner() {
    let sb = full();
    let sheet = sb.dir().join("sheet.html");
    let out = sb.fails(&["export", "--format", "sheet", sheet.to_str().unwrap()]);
    out.says(
        "this export holds your secrets unencrypted, and there is no terminal to confirm it",
        Some("add --yes to write it anyway, or use --format latchkey for an encrypted backup"),
    );
    assert!(!sheet.exists());

    sb.ok(&[
        "export",
        "--format",
        "sheet",
        sheet.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(mode(&sheet), 0o600);
    let page = std::fs::read_to_string(&sheet).unwrap();
    assert_eq!(page.matches("<section>").count(), 4);
    assert!(!page.contains("<script"));
    let refused = sb.fails(&[
        "export",
        "--format",
        "uris",
        sheet.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(
        refused.hint(),
        Some("choose another name, or add --force to replace it")
    );
    sb.ok(&[
        "export",
        "--format",
        "uris",
        sheet.to_str().unwrap(),
        "--yes",
        "--force",
    ]);
    assert_eq!(std::fs::read_to_string(&sheet).unwrap().lines().count(), 4);

    let qr = sb.dir().join("qr");
    sb.ok(&["export", "--format", "qr", qr.to_str().unwrap(), "--yes"]);
    let mut names: Vec<_> = std::fs::read_dir(&qr)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-GitHub_alice.svg",
            "02-Bank_me.svg",
            "03-Work_bob.svg",
            "04-Steam_gamer.svg"
        ]
    );
    assert_eq!(mode(&qr), 0o700);
    assert_eq!(mode(&qr.join("01-GitHub_alice.svg")), 0o600);
}

/// A picture of Google Authenticator's "Transfer accounts" QR code (made with qrencode,
/// read by our scanner) imports like the link it shows.
#[test]
fn an_image_of_an_export_qr_code_imports_its_accounts() {
    let sb = Sandbox::new();
    let example = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";
    let png = crate::desktop::qr_png(sb.dir(), "transfer.png", example, 6);
    let out = sb.ok(&["import", png.to_str().unwrap(), "--yes"]);
    assert!(
        out.stdout
            .contains("1 account new:\n  Example (alice@google.com)\n"),
        "{out}"
    );
    let list = sb.ok(&["list", "--json"]).json();
    assert_eq!(list[0]["issuer"], "Example");

    // An image with no QR code: the scanner's sentence, nothing added.
    let blank = sb.dir().join("blank.png");
    let status = std::process::Command::new("convert")
        .args(["-size", "64x64", "xc:white"])
        .arg(&blank)
        .status()
        .unwrap();
    assert!(status.success());
    let before = sb.bytes();
    let err = sb.fails(&["import", blank.to_str().unwrap(), "--yes"]);
    assert!(
        err.error().starts_with("reading the QR codes in the image"),
        "{err}"
    );
    assert!(sb.bytes() == before);
}

/// The two codes of one Google Authenticator transfer, as two pictures: imported
/// together they are one batch; one alone says which code is missing.
#[test]
fn every_code_of_a_google_transfer_in_one_import() {
    // Two codes of batch 1 (of 2), each holding one account: built with the protobuf
    // layout of formats.md §3 (secret, name, issuer, type TOTP; size 2, index, id 1).
    let part = |index: u8, name: &str, secret: &[u8]| {
        let mut otp = vec![0x0a, secret.len() as u8];
        otp.extend_from_slice(secret);
        otp.extend_from_slice(&[0x12, name.len() as u8]);
        otp.extend_from_slice(name.as_bytes());
        otp.extend_from_slice(&[0x1a, 7]);
        otp.extend_from_slice(b"Example");
        otp.extend_from_slice(&[0x30, 2]);
        let mut payload = vec![0x0a, otp.len() as u8];
        payload.extend_from_slice(&otp);
        payload.extend_from_slice(&[0x18, 2, 0x20, index, 0x28, 1]);
        let data = data_encoding::BASE64.encode(&payload);
        let data = data
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        format!("otpauth-migration://offline?data={data}")
    };
    let sb = Sandbox::new();
    let one = crate::desktop::qr_png(sb.dir(), "1.png", &part(0, "ann", b"0123456789"), 6);
    let two = crate::desktop::qr_png(sb.dir(), "2.png", &part(1, "bob", b"abcdefghij"), 6);

    let alone = sb.ok(&["import", one.to_str().unwrap(), "--dry-run"]);
    assert!(
        alone.stdout.contains(
            "1 skipped:\n  Google Authenticator transfer: code 2 of 2 is not here: import every code the app shows\n"
        ),
        "{alone}"
    );
    let both = sb.ok(&[
        "import",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "--yes",
    ]);
    assert!(
        both.stdout
            .contains("2 accounts new:\n  Example (ann)\n  Example (bob)\n"),
        "{both}"
    );
    assert!(!both.stdout.contains("skipped"), "{both}");
    assert_eq!(
        sb.ok(&["list", "--json"]).json().as_array().unwrap().len(),
        2
    );
}
