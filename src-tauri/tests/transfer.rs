//! Import and export through the app's commands on the mock runtime: a real Aegis
//! export, previews that add nothing until confirmed, and exports that only go out
//! encrypted or confirmed.

// Tests fail by panicking; unwrap and expect are how they say "this must hold".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use base64::Engine;
use serde_json::{Value, json};

mod mock_app;
use mock_app::MockApp;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/latchkey-core/tests/fixtures/import")
        .join(name);
    base64_of(&path)
}

fn base64_of(path: &Path) -> String {
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).unwrap())
}

fn unlocked() -> MockApp {
    let h = MockApp::new(true, |s| s);
    h.ok("status", json!({}));
    h
}

fn count(h: &MockApp) -> usize {
    h.ok("accounts", json!({})).as_array().unwrap().len()
}

fn preview_aegis(h: &MockApp) -> Value {
    h.ok(
        "import_preview",
        json!({"data": fixture("aegis_encrypted.json"), "password": "test"}),
    )
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| v["name"].as_str().unwrap())
                .to_string()
        })
        .collect()
}

#[test]
fn previews_an_aegis_export_and_adds_only_when_confirmed() {
    let h = unlocked();
    let preview = preview_aegis(&h);
    assert_eq!(preview["format"], "Aegis (JSON vault)");
    assert_eq!(preview["needsPassword"], false);
    assert_eq!(preview["new"].as_array().unwrap().len(), 7, "{preview}");
    assert_eq!(preview["duplicates"], json!([]));
    assert!(
        !preview.to_string().contains("secret"),
        "no seed in the preview: {preview}"
    );
    assert_eq!(count(&h), 0, "nothing is added before the person confirms");

    let added = h.ok("import_confirm", json!({"id": preview["id"]}));
    assert_eq!(added.as_array().unwrap().len(), 7);
    assert_eq!(count(&h), 7);
    assert!(
        h.err("import_confirm", json!({"id": preview["id"]}))
            .contains("no longer open"),
        "an import is added once"
    );

    let again = preview_aegis(&h);
    assert_eq!(again["new"], json!([]));
    assert_eq!(names(&again["duplicates"]).len(), 7);
    assert_eq!(names(&again["duplicates"]), names(&preview["new"]));
}

#[test]
fn asks_for_the_password_and_says_when_it_is_wrong() {
    let h = unlocked();
    let asked = h.ok(
        "import_preview",
        json!({"data": fixture("aegis_encrypted.json")}),
    );
    assert_eq!(asked["needsPassword"], true);
    assert_eq!(asked["id"], Value::Null);
    assert_eq!(
        h.err(
            "import_preview",
            json!({"data": fixture("aegis_encrypted.json"), "password": "Test"}),
        ),
        "That password does not open this export. Passwords are case-sensitive."
    );
    let unknown = h.err(
        "import_preview",
        json!({"data": base64::engine::general_purpose::STANDARD.encode(b"hello")}),
    );
    assert!(
        unknown.contains("does not recognise") && unknown.contains("Aegis"),
        "{unknown}"
    );
}

#[test]
fn cancelling_an_import_adds_nothing() {
    let h = unlocked();
    let preview = preview_aegis(&h);
    h.ok("import_cancel", json!({"id": preview["id"]}));
    assert!(
        h.call("import_confirm", json!({"id": preview["id"]}))
            .is_err()
    );
    assert_eq!(count(&h), 0);
}

#[test]
fn a_backup_restores_the_same_accounts_in_a_fresh_app() {
    let h = unlocked();
    let preview = preview_aegis(&h);
    h.ok("import_confirm", json!({"id": preview["id"]}));
    let out = h.dir.path().join("backup.latchkey");
    let short = h.err(
        "export_file",
        json!({"format": "latchkey", "path": out, "password": "short"}),
    );
    assert!(short.contains("at least 8 characters"), "{short}");
    let done = h.ok(
        "export_file",
        json!({"format": "latchkey", "path": out, "password": "backup password"}),
    );
    assert_eq!(done["accounts"], 7);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        h.err(
            "export_file",
            json!({"format": "latchkey", "path": out, "password": "backup password"}),
        )
        .contains("already exists"),
        "an existing file is not replaced unasked"
    );

    let fresh = unlocked();
    let asked = fresh.ok("import_preview", json!({"data": base64_of(&out)}));
    assert_eq!(asked["needsPassword"], true);
    let back = fresh.ok(
        "import_preview",
        json!({"data": base64_of(&out), "password": "backup password"}),
    );
    fresh.ok("import_confirm", json!({"id": back["id"]}));
    let view = |h: &MockApp| {
        let mut list: Vec<_> = h
            .ok("accounts", json!({}))
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["issuer"].clone(), a["label"].clone(), a["kind"].clone()))
            .map(|t| format!("{t:?}"))
            .collect();
        list.sort();
        list
    };
    assert_eq!(view(&fresh), view(&h));
    assert_eq!(
        fresh.ok("codes", json!({}))[0]["code"],
        h.ok("codes", json!({}))[0]["code"],
        "the same seeds make the same codes"
    );
}

#[test]
fn plain_exports_need_the_persons_confirmation() {
    let h = unlocked();
    let preview = preview_aegis(&h);
    h.ok("import_confirm", json!({"id": preview["id"]}));
    let out = h.dir.path().join("links.txt");
    for format in ["uris", "sheet"] {
        let refused = h.err("export_file", json!({"format": format, "path": out}));
        assert!(refused.contains("unencrypted"), "{refused}");
        assert!(!out.exists(), "a refused export writes nothing");
    }
    h.ok(
        "export_file",
        json!({"format": "uris", "path": out, "confirmedPlain": true}),
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("otpauth://")).count(),
        7
    );
    h.ok(
        "export_file",
        json!({"format": "sheet", "path": out, "confirmedPlain": true, "replace": true}),
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("<html"));
}

#[test]
fn an_aegis_export_reads_back_with_its_password() {
    let h = unlocked();
    let preview = preview_aegis(&h);
    h.ok("import_confirm", json!({"id": preview["id"]}));
    let out = h.dir.path().join("aegis.json");
    h.ok(
        "export_file",
        json!({"format": "aegis", "path": out, "password": "aegis password"}),
    );
    let back = h.ok(
        "import_preview",
        json!({"data": base64_of(&out), "password": "aegis password"}),
    );
    assert_eq!(back["format"], "Aegis (JSON vault)");
    assert_eq!(back["duplicates"].as_array().unwrap().len(), 7);
}

#[test]
fn locking_drops_an_unconfirmed_import() {
    let h = unlocked();
    let preview = preview_aegis(&h);
    h.ok("lock", json!({}));
    h.ok("unlock", json!({"password": ""}));
    assert!(
        h.call("import_confirm", json!({"id": preview["id"]}))
            .is_err()
    );
    assert_eq!(count(&h), 0);
}
