//! Mistakes a person makes: each is one readable `error:` line (and a hint where there
//! is something to do), a non-zero exit, and no change to the vault.

use crate::run::Sandbox;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:alice?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";

#[test]
fn bad_uris_are_refused_in_one_line_and_create_no_vault() {
    let cases = [
        (
            "otpauth://motp/X:a?secret=JBSWY3DPEHPK3PXP",
            r#"the OTP type "motp" is not supported (use totp, hotp or steam)"#,
        ),
        ("otpauth://totp/X:a?issuer=X", "the link has no secret"),
        (
            "otpauth://totp/X:a?secret=JBSWY3DPEHPK3PX1",
            r#"the secret is not valid base32: "1" is not a base32 letter (A–Z, 2–7)"#,
        ),
        (
            "otpauth://totp/X:a?secret=JBSWY3DPEHPK3PXP&period=0",
            "the period must be at least 1 second",
        ),
        (
            "otpauth://totp/X:a?secret=JBSWY3DPEHPK3PXP&digits=9",
            "9 digits is not supported (use 6 to 8)",
        ),
        (
            "otpauth://totp/X:a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            r#"unknown algorithm "MD5" (use SHA1, SHA256 or SHA512)"#,
        ),
        (
            "https://github.com/settings/security",
            "this is not an otpauth:// link",
        ),
    ];
    let sb = Sandbox::new();
    for (uri, error) in cases {
        let out = sb.fails(&["add", uri]);
        out.says(error, None);
        assert_eq!(out.stdout, "", "{uri}");
        assert!(sb.files().is_empty(), "{uri} left {:?}", sb.files());
    }
}

#[test]
fn bad_parts_are_refused_in_one_line_and_create_no_vault() {
    let base = ["add", "--issuer", "X", "--account", "a"];
    let cases: [(&[&str], &str); 5] = [
        (
            &["--secret", "JBSWY3DPEHPK3PX!"],
            r#"the secret is not valid base32: "!" is not a base32 letter (A–Z, 2–7)"#,
        ),
        (&["--secret", "   "], "the secret is empty"),
        (
            &["--secret", "JBSWY3DPEHPK3PXP", "--digits", "9"],
            "9 digits is not supported (use 6 to 8)",
        ),
        (
            &["--secret", "JBSWY3DPEHPK3PXP", "--period", "0"],
            "the period must be at least 1 second",
        ),
        (
            &["--secret", "JBSWY3DPEHPK3PXP", "--algorithm", "MD5"],
            r#"unknown algorithm "MD5" (use SHA1, SHA256 or SHA512)"#,
        ),
    ];
    let sb = Sandbox::new();
    for (args, error) in cases {
        sb.fails(&[&base[..], args].concat()).says(error, None);
        assert!(sb.files().is_empty(), "{args:?} left {:?}", sb.files());
    }
}

#[test]
fn the_same_account_is_not_added_twice() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    let before = sb.bytes();
    // The same secret under the same issuer, written differently, is the same account.
    let again = "otpauth://totp/github:someone?secret=jbswy3dpehpk3pxp&issuer=github";
    sb.fails(&["add", again]).says(
        "this account is already in the vault as GitHub (alice)",
        Some("see `latchkey list`"),
    );
    assert_eq!(sb.bytes(), before);
    assert_eq!(sb.accounts().len(), 1);
}

#[test]
fn an_ambiguous_query_lists_the_candidates_with_a_hint() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB, GITLAB]);
    for args in [
        &["code", "git"][..],
        &["rename", "GIT", "--account", "x"],
        &["remove", "git", "--force"],
    ] {
        let out = sb.fails(args);
        let q = args[1];
        out.says(
            &format!(r#""{q}" matches 2 accounts: GitHub (alice), GitLab (alice)"#),
            Some("use more of the name, e.g. `Issuer:account`"),
        );
    }
    assert_eq!(sb.accounts().len(), 2);
    // More of the name picks one.
    let gitlab = crate::oathtool::totp("GEZDGNBVGY3TQOJQ", "SHA1", 6, 30, 0);
    assert_eq!(
        sb.ok(&["code", "gitlab", "--at", "0"]).stdout,
        format!("{gitlab}\n")
    );
}

#[test]
fn the_issuer_colon_account_form_the_hint_suggests_picks_one_account() {
    let sb = Sandbox::new();
    sb.add(&[
        GITHUB,
        "otpauth://totp/GitHub:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitHub",
    ]);
    sb.fails(&["code", "github", "--at", "0"]);
    let out = sb.cmd(&["code", "GitHub:alice", "--at", "0"]).run();
    assert_eq!(
        out.stdout,
        format!(
            "{}\n",
            crate::oathtool::totp("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, 0)
        ),
        "{out}"
    );
}

#[test]
fn an_unknown_query_says_nothing_matches() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    for args in [
        &["code", "nothing"][..],
        &["recovery", "list", "nothing"],
        &["remove", "nothing", "--force"],
    ] {
        sb.fails(args).says(
            r#"no account matches "nothing""#,
            Some("see `latchkey list` for the accounts in the vault"),
        );
    }
}

#[test]
fn remove_without_force_and_without_a_terminal_is_refused() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB, GITLAB]);
    let before = sb.bytes();
    sb.fails(&["remove", "gitlab"]).says(
        "removing GitLab (alice) needs confirmation; add --force to remove without asking",
        None,
    );
    assert_eq!(sb.bytes(), before);
    assert_eq!(sb.accounts().len(), 2);
}

#[test]
fn remove_with_force_removes_only_that_account() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB, GITLAB]);
    let out = sb.ok(&["remove", "gitlab", "--force"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("Removed GitLab (alice).\n", "")
    );
    assert_eq!(sb.accounts(), [("GitHub".to_string(), "alice".to_string())]);
    sb.fails(&["code", "gitlab"]).says(
        r#"no account matches "gitlab""#,
        Some("see `latchkey list` for the accounts in the vault"),
    );
    let out = sb.ok(&["remove", "alice", "--force"]);
    assert_eq!(out.stdout, "Removed GitHub (alice).\n");
    assert_eq!(
        sb.ok(&["list"]).stdout,
        "The vault is empty. Add an account with `latchkey add URI`.\n"
    );
}
