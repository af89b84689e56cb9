//! `latchkey add` from its parts and from standard input, as README shows it.

use crate::oathtool::Totp;
use crate::run::{PASSWORD, Sandbox};

#[test]
fn first_add_without_a_keychain_creates_a_password_vault_and_says_so() {
    let sb = Sandbox::new();
    let out = sb.ok(&[
        "add",
        "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    ]);
    let stderr: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(stderr.len(), 3, "{out}");
    assert!(
        stderr[0].starts_with("Note: no OS keychain is available ("),
        "{out}"
    );
    assert_eq!(
        stderr[1],
        "Protecting the new vault with a password instead."
    );
    assert_eq!(
        stderr[2],
        format!(
            "Created a new vault at {}, protected by your password.",
            sb.vault.display()
        )
    );
    let stdout: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(stdout[0], "Added GitHub (alice).");
    assert!(
        stdout[1].starts_with("To finish setup, enter this code on the site: "),
        "{out}"
    );
    assert!(stdout[1].ends_with(" s more)"), "{out}");
    assert_eq!(
        stdout[2],
        "New codes come every 30 s; `latchkey code` shows them."
    );
    // The second add opens the vault quietly.
    let again = sb.ok(&[
        "add",
        "--issuer",
        "Example",
        "--account",
        "bob",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
    ]);
    assert_eq!(again.stderr, "");
    assert!(
        sb.cmd(&["list"])
            .env_remove("LATCHKEY_PASSWORD")
            .run()
            .failure()
            .error()
            .contains("set LATCHKEY_PASSWORD")
    );
    assert!(
        sb.cmd(&["list"])
            .env("LATCHKEY_PASSWORD", PASSWORD)
            .run()
            .status
            .success()
    );
}

#[test]
fn add_from_parts_takes_a_spaced_lower_case_secret() {
    let sb = Sandbox::new();
    let args = [
        "add",
        "--issuer",
        "Example",
        "--account",
        "bob",
        "--secret",
        "jbsw y3dp ehpk 3pxp",
        "--digits",
        "8",
    ];
    let out = sb.ok(&args);
    assert!(out.stdout.starts_with("Added Example (bob).\n"), "{out}");
    let args = [
        "add",
        "--issuer",
        "Sha",
        "--account",
        "x",
        "--secret",
        "gezd-gnbv-gy3t-qojq",
        "--algorithm",
        "sha-256",
    ];
    sb.ok(&[&args[..], &["--period", "45", "--digits", "7"]].concat());
    let times = [0u64, 44, 45, 1_234_567_890, 4_000_000_000];
    let example = Totp {
        secret: "JBSWY3DPEHPK3PXP",
        algorithm: "SHA1",
        digits: 8,
        period: 30,
    };
    sb.assert_codes_match("example", &example, &times);
    let sha = Totp {
        secret: "GEZDGNBVGY3TQOJQ",
        algorithm: "SHA256",
        digits: 7,
        period: 45,
    };
    sb.assert_codes_match("sha", &sha, &times);
}

#[test]
fn add_reads_the_secret_from_standard_input() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(&[
            "add",
            "--issuer",
            "Stdin",
            "--account",
            "carol",
            "--secret",
            "-",
        ])
        .stdin("  mfrg gzdf mztw q2lk\n")
        .run()
        .success();
    assert!(out.stdout.starts_with("Added Stdin (carol).\n"), "{out}");
    let account = Totp {
        secret: "MFRGGZDFMZTWQ2LK",
        algorithm: "SHA1",
        digits: 6,
        period: 30,
    };
    sb.assert_codes_match("carol", &account, &[0, 1_700_000_000, 2_000_000_001]);
}

#[test]
fn add_reads_the_uri_from_standard_input() {
    let sb = Sandbox::new();
    let uri = "otpauth://totp/Piped:dave?secret=NBSWY3DPO5XXE3DE&issuer=Piped&digits=8\n";
    let out = sb.cmd(&["add", "-"]).stdin(uri).run().success();
    assert!(out.stdout.starts_with("Added Piped (dave).\n"), "{out}");
    let account = Totp {
        secret: "NBSWY3DPO5XXE3DE",
        algorithm: "SHA1",
        digits: 8,
        period: 30,
    };
    sb.assert_codes_match("piped", &account, &[59, 1_111_111_111, 3_000_000_000]);
}

#[test]
fn add_json_names_the_new_account() {
    let sb = Sandbox::new();
    let out = sb.ok(&[
        "add",
        "--json",
        "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    ]);
    let v = out.json();
    assert_eq!(v["name"], "GitHub (alice)");
    let list = sb.ok(&["list", "--json"]).json();
    assert_eq!(v["id"], list[0]["id"]);
}

#[test]
fn the_vault_flag_chooses_the_file_like_the_variable() {
    let sb = Sandbox::new();
    let other = sb.dir().join("elsewhere.latchkey");
    let other = other.to_str().unwrap();
    let uri = "otpauth://totp/Flag:f?secret=JBSWY3DPEHPK3PXP&issuer=Flag";
    sb.cmd(&["--vault", other, "add", uri])
        .env_remove("LATCHKEY_VAULT")
        .run()
        .success();
    assert!(!sb.vault.exists());
    let out = sb.cmd(&["list", "--vault", other]).run().success();
    assert_eq!(out.stdout, "Flag    f  (totp)\n");
}
