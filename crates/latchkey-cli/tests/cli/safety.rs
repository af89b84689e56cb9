//! The vault file is never lost through the CLI: a wrong password, a damaged file or a
//! missing one is reported in words, and the file is left exactly as it was.

use crate::run::Sandbox;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const OTHER: &str = "otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Other";
const DAMAGED_HINT: &str =
    "the file was left untouched; if a .bak file is beside it, it holds the previous save";

/// A vault holding one account.
fn good_vault() -> Vec<u8> {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    sb.bytes()
}

#[test]
fn a_wrong_password_is_refused_and_the_file_is_untouched() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    let (before, backup) = (sb.bytes(), std::fs::read(sb.backup()).unwrap());
    for args in [
        &["list"][..],
        &["code", "github"],
        &["add", OTHER],
        &["remove", "github", "--force"],
        &["vault", "info"],
    ] {
        let out = sb
            .cmd(args)
            .env("LATCHKEY_PASSWORD", "Correct Horse Battery Staple")
            .run()
            .failure();
        out.says(
            "wrong password",
            Some("passwords are case-sensitive; check LATCHKEY_PASSWORD if it is set"),
        );
        assert_eq!(out.stdout, "", "{args:?}");
    }
    assert_eq!(sb.bytes(), before);
    assert_eq!(std::fs::read(sb.backup()).unwrap(), backup);
    assert_eq!(sb.accounts().len(), 1);
}

/// Writes `bytes` as the sandbox's vault, runs a reader and a writer on it, and checks
/// that both report `error` and that neither changed or replaced the file.
#[track_caller]
fn refused_and_untouched(bytes: &[u8], error: &str, hint: Option<&str>) {
    let sb = Sandbox::new();
    std::fs::write(&sb.vault, bytes).unwrap();
    for args in [
        &["list"][..],
        &["code", "github", "--at", "0"],
        &["add", OTHER],
        &["vault", "info"],
    ] {
        let out = sb.fails(args);
        out.says(error, hint);
        assert_eq!(out.stdout, "", "{args:?}");
        assert_eq!(sb.bytes(), bytes, "{args:?} changed the file");
    }
    let left: Vec<String> = sb
        .files()
        .into_iter()
        .filter(|f| f != "vault.latchkey.lock")
        .collect();
    assert_eq!(
        left,
        ["vault.latchkey"],
        "no backup, temp file or new vault"
    );
}

#[test]
fn a_vault_with_one_flipped_bit_fails_its_integrity_check() {
    let good = good_vault();
    let mut bytes = good.clone();
    let at = bytes.len() - 40; // in the encrypted body
    bytes[at] ^= 0x01;
    let error = "the vault failed its integrity check: it was modified or damaged";
    refused_and_untouched(&bytes, error, Some(DAMAGED_HINT));
    // The body has no length field, so a lost last byte shows as damage too.
    refused_and_untouched(&good[..good.len() - 1], error, Some(DAMAGED_HINT));
}

#[test]
fn a_truncated_vault_is_reported_as_incomplete() {
    let bytes = good_vault();
    for len in [bytes.len() / 2, 12, 9] {
        refused_and_untouched(
            &bytes[..len],
            "the vault file is truncated (incomplete)",
            Some(DAMAGED_HINT),
        );
    }
}

#[test]
fn a_file_of_garbage_is_not_taken_for_a_vault() {
    let garbage: Vec<u8> = (0u32..700)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    refused_and_untouched(&garbage, "this file is not a Latchkey vault", None);
    refused_and_untouched(
        b"{\"accounts\": []}\n",
        "this file is not a Latchkey vault",
        None,
    );
}

#[test]
fn an_empty_vault_file_is_refused_as_truncated_and_kept() {
    refused_and_untouched(
        b"",
        "the vault file is truncated (incomplete)",
        Some(DAMAGED_HINT),
    );
}

#[test]
fn a_missing_vault_is_reported_with_a_hint() {
    let sb = Sandbox::new();
    for args in [
        &["list"][..],
        &["code"],
        &["vault", "info"],
        &["recovery", "list", "github"],
    ] {
        let out = sb.fails(args);
        out.says(
            &format!("there is no vault at {}", sb.vault.display()),
            Some("add your first account with `latchkey add URI`, or point --vault at an existing vault"),
        );
    }
    assert!(!sb.vault.exists());
}

/// A vault deleted by mistake, its `.bak` still beside it.
fn vault_lost_but_backup_left() -> (Sandbox, Vec<u8>) {
    let sb = Sandbox::new();
    sb.add(&[GITHUB, OTHER]);
    std::fs::remove_file(&sb.vault).unwrap();
    let backup = std::fs::read(sb.backup()).unwrap();
    (sb, backup)
}

#[test]
fn add_does_not_create_a_new_vault_over_a_lost_ones_backup() {
    let (sb, backup) = vault_lost_but_backup_left();
    let out = sb.fails(&[
        "add",
        "otpauth://totp/New:n?secret=NBSWY3DPO5XXE3DE&issuer=New",
    ]);
    assert!(!out.stderr.contains("Created"), "{out}");
    assert!(!sb.vault.exists(), "a new vault was created");
    assert_eq!(std::fs::read(sb.backup()).unwrap(), backup);
    // The backup is a whole vault: restoring it by hand brings the accounts back.
    std::fs::copy(sb.backup(), &sb.vault).unwrap();
    assert_eq!(
        sb.accounts().len(),
        1,
        "the .bak holds the save before the last"
    );
}

#[test]
fn add_over_a_lost_vault_points_at_its_backup() {
    let (sb, _) = vault_lost_but_backup_left();
    let out = sb.fails(&[
        "add",
        "otpauth://totp/New:n?secret=NBSWY3DPO5XXE3DE&issuer=New",
    ]);
    let text = format!("{} {}", out.error(), out.hint().unwrap_or(""));
    assert!(
        text.contains(".bak"),
        "the message should name the backup to restore:\n{out}"
    );
    assert!(
        !text.contains("latchkey add URI"),
        "the hint tells the person to do what just failed:\n{out}"
    );
}
