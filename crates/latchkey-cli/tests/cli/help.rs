//! Help texts carry examples, and the examples work as printed.

use crate::run::{Run, Sandbox};

/// Every command path, groups included.
const COMMANDS: [&[&str]; 17] = [
    &["add"],
    &["list"],
    &["code"],
    &["rename"],
    &["remove"],
    &["import"],
    &["export"],
    &["scan"],
    &["recovery"],
    &["recovery", "add"],
    &["recovery", "list"],
    &["recovery", "use"],
    &["vault"],
    &["vault", "info"],
    &["vault", "password"],
    &["vault", "password", "set"],
    &["vault", "password", "remove"],
];

/// The example command lines of a help text, comments dropped.
fn examples(help: &str) -> Vec<String> {
    let Some((_, after)) = help.split_once("Examples:\n") else {
        return Vec::new();
    };
    after
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split("  #").next().unwrap_or(l).trim().to_string())
        .collect()
}

/// Splits a command line the way a POSIX shell would, for the quoting examples use.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut in_word) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                in_word = true;
            }
            ' ' if !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                }
                in_word = false;
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn main_help_shows_the_readme_examples() {
    let out = Run::new(&["--help"]).run().success();
    let expected = [
        "latchkey add 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub'",
        "latchkey add --issuer Example --account bob --secret 'jbsw y3dp ehpk 3pxp'",
        "latchkey code github",
        "latchkey code",
        "latchkey recovery add github --file github-recovery-codes.txt",
        "latchkey recovery use github",
    ];
    assert_eq!(examples(&out.stdout), expected, "{out}");
    assert!(out.stdout.contains("LATCHKEY_PASSWORD"), "{out}");
    assert_eq!(Run::new(&["help"]).run().success().stdout, out.stdout);
}

#[test]
fn the_main_help_examples_run_as_printed() {
    let sb = Sandbox::new();
    std::fs::write(
        sb.dir().join("github-recovery-codes.txt"),
        "8d2f5-a1c7e\n47b0e-9f3d2\nc5e81-7a2b4\n",
    )
    .unwrap();
    let help = Run::new(&["--help"]).run().success().stdout;
    let mut outputs = Vec::new();
    for line in examples(&help) {
        let words = shell_words(&line);
        assert_eq!(words[0], "latchkey");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        outputs.push(sb.cmd(&args).current_dir(sb.dir()).run().success().stdout);
    }
    assert_eq!(sb.accounts().len(), 2);
    assert_eq!(outputs.last().unwrap(), "8d2f5-a1c7e\n");
}

#[test]
fn every_command_has_help() {
    for path in COMMANDS {
        let out = Run::new(&[path, &["--help"]].concat()).run().success();
        assert!(
            out.stdout
                .contains(&format!("Usage: latchkey {}", path.join(" "))),
            "{out}"
        );
    }
}

#[test]
fn every_command_help_shows_its_examples() {
    let mut missing = Vec::new();
    for path in COMMANDS {
        let help = Run::new(&[path, &["--help"]].concat())
            .run()
            .success()
            .stdout;
        let prefix = format!("latchkey {}", path.join(" "));
        if !examples(&help).iter().any(|e| e.starts_with(&prefix)) {
            missing.push(path.join(" "));
        }
    }
    assert!(
        missing.is_empty(),
        "no example of itself in the help of: {missing:?}"
    );
}
