//! Several `latchkey` processes at once: the writer lock makes them take turns, so no
//! change is lost and no HOTP code is handed out twice.

use data_encoding::BASE32_NOPAD;

use crate::oathtool;
use crate::run::{Out, Sandbox};

const WRITERS: usize = 8;

/// Starts every `add` before waiting for any.
fn add_all_at_once(sb: &Sandbox) -> Vec<Out> {
    let secrets: Vec<String> = (0..WRITERS)
        .map(|i| BASE32_NOPAD.encode(format!("concurrent seed {i}").as_bytes()))
        .collect();
    let running: Vec<_> = (0..WRITERS)
        .map(|i| {
            let issuer = format!("Writer{i}");
            sb.cmd(&[
                "add",
                "--issuer",
                &issuer,
                "--account",
                "w",
                "--secret",
                &secrets[i],
            ])
            .spawn()
        })
        .collect();
    running.into_iter().map(|r| r.finish()).collect()
}

fn issuers(sb: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = sb
        .accounts()
        .into_iter()
        .map(|(issuer, _)| issuer)
        .collect();
    names.sort();
    names
}

#[test]
fn concurrent_adds_to_one_vault_all_land() {
    let sb = Sandbox::new();
    sb.add(&["otpauth://totp/First:f?secret=JBSWY3DPEHPK3PXP&issuer=First"]);
    for out in add_all_at_once(&sb) {
        let out = out.success();
        assert!(out.stdout.starts_with("Added Writer"), "{out}");
    }
    let mut expected: Vec<String> = (0..WRITERS).map(|i| format!("Writer{i}")).collect();
    expected.push("First".into());
    expected.sort();
    assert_eq!(issuers(&sb), expected);
}

#[test]
fn concurrent_first_adds_all_land() {
    let sb = Sandbox::new();
    let outs = add_all_at_once(&sb);
    let failed: Vec<String> = outs
        .iter()
        .filter(|o| !o.status.success())
        .map(|o| o.error().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {WRITERS} adds failed: {failed:?}",
        failed.len()
    );
    assert_eq!(issuers(&sb).len(), WRITERS);
}

#[test]
fn concurrent_hotp_codes_never_repeat() {
    let sb = Sandbox::new();
    sb.add(&["otpauth://hotp/Bank:me?secret=JBSWY3DPEHPK3PXP&counter=100&issuer=Bank"]);
    let running: Vec<_> = (0..6).map(|_| sb.cmd(&["code", "bank"]).spawn()).collect();
    let mut codes: Vec<String> = running
        .into_iter()
        .map(|r| r.finish().success().stdout.trim().to_string())
        .collect();
    codes.sort();
    let mut expected: Vec<String> = (100..106)
        .map(|c| oathtool::hotp("JBSWY3DPEHPK3PXP", 6, c))
        .collect();
    expected.sort();
    assert_eq!(codes, expected, "each process must get its own counter");
    let list = sb.ok(&["list", "--json"]).json();
    assert_eq!(list[0]["counter"], 106);
}
