//! Recovery codes: saved from a site's download, crossed off one by one, a warning
//! when few are left, and a new set retiring the old one.

use crate::run::Sandbox;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

/// A saved download, as people keep it: a title, a note, numbering, blank lines, a
/// code pasted twice (once in capitals), and a footer.
const DOWNLOAD: &str = "\
GitHub recovery codes
Keep these somewhere safe. Each code can be used once.

 1. 8d2f5-a1c7e
 2. 47b0e-9f3d2
 3. c5e81-7a2b4

 4. 0f9a3-d6e12
 5. 8d2f5-a1c7e
 6. b3c7d-5e0f9
 7. 47B0E-9F3D2
Generated on 2024-03-05 for alice
";
const CODES: [&str; 5] = [
    "8d2f5-a1c7e",
    "47b0e-9f3d2",
    "c5e81-7a2b4",
    "0f9a3-d6e12",
    "b3c7d-5e0f9",
];
const LOW: &str = "(Latchkey warns at 2 or fewer). Generate a new set at the site, then run `latchkey recovery add QUERY --replace --file FILE`.";

/// An account with the download's codes saved.
fn saved() -> Sandbox {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    let file = sb.dir().join("github-recovery-codes.txt");
    std::fs::write(&file, DOWNLOAD).unwrap();
    let out = sb.ok(&[
        "recovery",
        "add",
        "github",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.stdout,
        "Saved 5 recovery codes for GitHub (alice).\nDropped 2 repeated codes.\nIgnored lines that do not look like codes: 1, 2, 12.\n"
    );
    sb
}

fn left(sb: &Sandbox) -> serde_json::Value {
    sb.ok(&["list", "--json"]).json()[0]["recovery_codes_left"].clone()
}

#[test]
fn a_downloaded_file_is_saved_code_by_code() {
    let sb = saved();
    let out = sb.ok(&["recovery", "list", "github"]);
    let expected: String = CODES.iter().map(|c| format!("  {c}\n")).collect();
    assert_eq!(
        out.stdout,
        format!("Recovery codes for GitHub (alice) (5 of 5 unused):\n{expected}")
    );
    assert_eq!(out.stderr, "");
    assert_eq!(left(&sb), 5);
    assert_eq!(
        sb.ok(&["list"]).stdout,
        "GitHub  alice  (totp)  [5 recovery codes]\n"
    );
}

#[test]
fn codes_come_from_standard_input_or_the_arguments_too() {
    let sb = Sandbox::new();
    sb.add(&[
        GITHUB,
        "otpauth://totp/Google:alice?secret=GEZDGNBVGY3TQOJQ&issuer=Google",
    ]);
    let out = sb
        .cmd(&["recovery", "add", "github", "--file", "-"])
        .stdin(DOWNLOAD)
        .run()
        .success();
    assert!(
        out.stdout
            .starts_with("Saved 5 recovery codes for GitHub (alice).\n"),
        "{out}"
    );
    let out = sb.ok(&[
        "recovery",
        "add",
        "google",
        "7197 0823",
        "5417 4196",
        "3092 5511",
    ]);
    assert_eq!(out.stdout, "Saved 3 recovery codes for Google (alice).\n");
    sb.fails(&["recovery", "add", "google", "--replace", "Hello there"])
        .says("no recovery codes were found in the text", None);
    sb.fails(&["recovery", "add", "google"]).says(
        r#"give the codes, or --file FILE ("-" for standard input)"#,
        None,
    );
}

#[test]
fn use_without_a_code_prints_the_first_unused_one_and_marks_it() {
    let sb = saved();
    for (i, code) in CODES[..2].iter().enumerate() {
        let out = sb.ok(&["recovery", "use", "github"]);
        assert_eq!(out.stdout, format!("{code}\n"));
        assert_eq!(
            out.stderr,
            format!(
                "Marked as used; {} recovery codes left for GitHub (alice).\n",
                4 - i
            )
        );
    }
    let list = sb.ok(&["recovery", "list", "github"]).stdout;
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines[0],
        "Recovery codes for GitHub (alice) (3 of 5 unused):"
    );
    for (line, code) in lines[1..3].iter().zip(CODES) {
        assert!(
            line.starts_with(&format!("  {code} ")) && line.contains(" used "),
            "{line}"
        );
    }
    let unused: Vec<String> = CODES[2..].iter().map(|c| format!("  {c}")).collect();
    assert_eq!(lines[3..], unused[..]);
    assert_eq!(left(&sb), 3);
}

#[test]
fn use_with_a_code_ignores_case_and_spacing() {
    let sb = saved();
    let out = sb.ok(&["recovery", "use", "github", "C5E81 7A2B4"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            "",
            "Marked as used; 4 recovery codes left for GitHub (alice).\n"
        )
    );
    let codes = sb.ok(&["recovery", "list", "github", "--json"]).json();
    let used: Vec<bool> = codes["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| !c["used_at"].is_null())
        .collect();
    assert_eq!(used, [false, false, true, false, false]);
    assert_eq!(codes["remaining"], 4);
    sb.fails(&["recovery", "use", "github", "11111-22222"])
        .says(
            "that code is not one of this account's current recovery codes",
            None,
        );
}

#[test]
fn a_used_code_cannot_be_used_again() {
    let sb = saved();
    sb.ok(&["recovery", "use", "github", "c5e81-7a2b4"]);
    let before = sb.bytes();
    let out = sb.fails(&["recovery", "use", "github", "c5e817a2b4"]);
    assert!(
        out.error()
            .starts_with("that recovery code of GitHub (alice) was already used"),
        "{out}"
    );
    assert_eq!(sb.bytes(), before);
    assert_eq!(left(&sb), 4);
}

#[test]
fn reusing_a_code_says_when_it_was_used() {
    let sb = saved();
    sb.ok(&["recovery", "use", "github", "c5e81-7a2b4"]);
    let list = sb.ok(&["recovery", "list", "github"]).stdout;
    let line = list.lines().find(|l| l.contains("c5e81-7a2b4")).unwrap();
    let when = line.split(" used ").nth(1).unwrap(); // e.g. "just now", as the list says
    let out = sb.fails(&["recovery", "use", "github", "c5e81-7a2b4"]);
    assert!(
        out.error().contains(when),
        "the error should say when (\"{when}\"):\n{out}"
    );
}

#[test]
fn a_warning_comes_on_stderr_once_two_or_fewer_codes_are_left() {
    let sb = saved();
    let mut warnings = Vec::new();
    for _ in 0..5 {
        let out = sb.ok(&["recovery", "use", "github"]);
        warnings.push(
            out.stderr
                .lines()
                .find(|l| l.starts_with("warning: "))
                .map(str::to_string),
        );
    }
    assert_eq!(
        warnings,
        [
            None,
            None,
            Some(format!(
                "warning: only 2 recovery codes left for GitHub (alice) {LOW}"
            )),
            Some(format!(
                "warning: only 1 recovery code left for GitHub (alice) {LOW}"
            )),
            Some(format!(
                "warning: no recovery codes left for GitHub (alice) {LOW}"
            )),
        ]
    );
    sb.fails(&["recovery", "use", "github"])
        .says("every recovery code in the current set has been used", None);
    assert_eq!(
        sb.ok(&["list"]).stdout,
        "GitHub  alice  (totp)  [0 recovery codes left!]\n"
    );
    let info = sb.ok(&["vault", "info"]).stdout;
    assert!(
        info.ends_with("warning: few recovery codes left for GitHub (alice)\n"),
        "{info}"
    );
    let info = sb.ok(&["vault", "info", "--json"]).json();
    assert_eq!(
        info["low_on_recovery_codes"],
        serde_json::json!(["GitHub (alice)"])
    );
}

#[test]
fn a_new_set_needs_replace_and_retires_the_old_codes() {
    let sb = saved();
    sb.ok(&["recovery", "use", "github"]);
    let before = sb.bytes();
    sb.fails(&["recovery", "add", "github", "11111-22222", "33333-44444", "55555-66666"]).says(
        "GitHub (alice) already has recovery codes; add --replace to replace them (the old set is kept as history)",
        None,
    );
    assert_eq!(sb.bytes(), before);
    let out = sb.ok(&[
        "recovery",
        "add",
        "github",
        "--replace",
        "11111-22222",
        "33333-44444",
        "55555-66666",
    ]);
    assert_eq!(out.stdout, "Saved 3 recovery codes for GitHub (alice).\n");
    for old in CODES {
        sb.fails(&["recovery", "use", "github", old]).says(
            "that code is not one of this account's current recovery codes",
            None,
        );
    }
    assert_eq!(left(&sb), 3);
    let set = sb.ok(&["recovery", "list", "github", "--json"]).json();
    assert_eq!(
        (&set["remaining"], &set["superseded_sets"]),
        (&3.into(), &1.into())
    );
    assert_eq!(
        sb.ok(&["recovery", "use", "github"]).stdout,
        "11111-22222\n"
    );
}

#[test]
fn an_account_without_codes_says_how_to_add_them() {
    let sb = Sandbox::new();
    sb.add(&[GITHUB]);
    sb.fails(&["recovery", "list", "github"]).says(
        "GitHub (alice) has no recovery codes saved; add them with `latchkey recovery add`",
        None,
    );
    sb.fails(&["recovery", "use", "github"])
        .says("this account has no recovery codes saved", None);
    assert_eq!(left(&sb), serde_json::Value::Null);
}
