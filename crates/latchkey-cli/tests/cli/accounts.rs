//! Listing and renaming accounts, and the promise that no secret is ever printed.

use data_encoding::{BASE32_NOPAD, BASE64, BASE64_NOPAD, BASE64URL_NOPAD, HEXLOWER, HEXUPPER};
use serde_json::json;

use crate::oathtool;
use crate::run::{Out, Sandbox};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const BANK: &str = "otpauth://hotp/Bank:me?secret=GEZDGNBVGY3TQOJQ&counter=3&issuer=Bank&digits=8&algorithm=SHA512";

#[test]
fn list_json_describes_each_account() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB, BANK]);
    let list = sb.ok(&["list", "--json"]).json();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        let id = item["id"].as_str().unwrap();
        assert_eq!(id.len(), 36, "a UUID: {id}");
    }
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("id");
        v
    };
    assert_eq!(
        strip(&items[0]),
        json!({"issuer": "GitHub", "account": "alice", "type": "totp", "algorithm": "SHA1", "digits": 6,
               "period": 30, "counter": null, "tags": [], "recovery_codes_left": null})
    );
    assert_eq!(
        strip(&items[1]),
        json!({"issuer": "Bank", "account": "me", "type": "hotp", "algorithm": "SHA512", "digits": 8,
               "period": null, "counter": 3, "tags": [], "recovery_codes_left": null})
    );
    assert_eq!(
        sb.ok(&["list"]).stdout,
        "GitHub  alice  (totp)\nBank    me  (hotp)\n"
    );
}

#[test]
fn rename_changes_the_names_and_keeps_the_codes() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    let out = sb.ok(&[
        "rename",
        "github",
        "--issuer",
        "GitHub Enterprise",
        "--account",
        "alice@corp.example",
    ]);
    assert_eq!(
        out.stdout,
        "Renamed GitHub (alice) to GitHub Enterprise (alice@corp.example).\n"
    );
    let out = sb.ok(&["rename", "enterprise", "--account", "bob"]);
    assert_eq!(
        out.stdout,
        "Renamed GitHub Enterprise (alice@corp.example) to GitHub Enterprise (bob).\n"
    );
    assert_eq!(
        sb.accounts(),
        [("GitHub Enterprise".to_string(), "bob".to_string())]
    );
    let code = sb.ok(&["code", "bob", "--at", "1234567890"]);
    assert_eq!(
        code.stdout.trim(),
        oathtool::totp("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, 1_234_567_890)
    );
    sb.fails(&["code", "alice"]).says(
        r#"no account matches "alice""#,
        Some("see `latchkey list` for the accounts in the vault"),
    );
}

/// The probe seed, and the recovery codes saved with it.
const SEED: &[u8; 20] = b"Latchkey-Leak-Probe!";
const RECOVERY: [&str; 3] = ["zq7x9-k2m4w", "p8r3t-v6y1b", "h5j2n-c9q4d"];

/// The seed in every encoding a careless printer might use, whole and in pieces.
fn seed_spellings() -> Vec<String> {
    let b32 = BASE32_NOPAD.encode(SEED);
    let whole = [
        b32.clone(),
        b32.to_lowercase(),
        b32.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        HEXLOWER.encode(SEED),
        HEXUPPER.encode(SEED),
        BASE64.encode(SEED),
        BASE64_NOPAD.encode(SEED),
        BASE64URL_NOPAD.encode(SEED),
        String::from_utf8_lossy(SEED).into_owned(),
        format!("{:?}", SEED.to_vec()),
    ];
    let mut all: Vec<String> = whole.to_vec();
    for text in &whole[..8] {
        let chars: Vec<char> = text.chars().collect();
        all.extend(chars.windows(12).map(|w| w.iter().collect::<String>()));
    }
    all
}

#[track_caller]
fn assert_no_secret(out: &Out, what: &str) {
    for spelling in seed_spellings() {
        assert!(
            !out.stdout.contains(&spelling),
            "{what}: stdout holds the seed as {spelling:?}:\n{out}"
        );
        assert!(
            !out.stderr.contains(&spelling),
            "{what}: stderr holds the seed as {spelling:?}:\n{out}"
        );
    }
    for code in RECOVERY {
        let bare = code.replace('-', "");
        assert!(
            !out.stdout.contains(code) && !out.stdout.contains(&bare),
            "{what}: a recovery code:\n{out}"
        );
    }
}

#[test]
fn no_command_but_recovery_list_prints_a_secret_in_any_encoding() {
    let sb = Sandbox::new();
    let b32 = BASE32_NOPAD.encode(SEED);
    let uri = format!(
        "otpauth://totp/Probe:leak?secret={}&issuer=Probe",
        b32.to_lowercase()
    );
    let out = sb.ok(&["add", &uri]);
    assert_no_secret(&out, "add");
    assert_no_secret(
        &sb.ok(&[
            "add",
            "--json",
            "--issuer",
            "Parts",
            "--account",
            "p",
            "--secret",
            &b32,
        ]),
        "add --json",
    );
    let out = sb.ok(&[&["recovery", "add", "probe"][..], &RECOVERY].concat());
    assert_no_secret(&out, "recovery add");
    let commands: [&[&str]; 13] = [
        &["list"],
        &["list", "--json"],
        &["code"],
        &["code", "--json"],
        &["code", "--next", "--at", "0"],
        &["code", "probe"],
        &["code", "probe", "--json", "--at", "1"],
        &["code", "parts", "--next"],
        &["rename", "parts", "--account", "q"],
        &["recovery", "use", "probe", "P8R3T-V6Y1B"],
        &["vault", "info"],
        &["vault", "info", "--json"],
        &["remove", "parts", "--force"],
    ];
    for args in commands {
        assert_no_secret(&sb.ok(args), &args.join(" "));
    }
    // The one command meant to show codes does show them.
    let listed = sb.ok(&["recovery", "list", "probe"]).stdout;
    assert!(RECOVERY.iter().all(|c| listed.contains(c)), "{listed}");
    // And the vault file itself holds the seed in no readable form.
    let file = String::from_utf8_lossy(&sb.bytes()).into_owned();
    for spelling in seed_spellings() {
        assert!(
            !file.contains(&spelling),
            "the vault file holds the seed as {spelling:?}"
        );
    }
}
