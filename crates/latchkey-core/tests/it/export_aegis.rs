//! The Aegis export opens in our importer and in an independent implementation
//! (Python's `cryptography`, following the unlock steps of Aegis's docs/decrypt.py).

use latchkey_core::Account;
use latchkey_core::export::{self, ScryptParams};
use latchkey_core::import::{self, ImportError};
use latchkey_core::otp::Kind;
use serde_json::{Value, json};

use crate::import_vectors::{BOEING, DENO, SPDX, Vector, WWE, assert_accounts};

/// One account of each kind (GitHub a default TOTP), quotes and non-ASCII in an issuer,
/// and an empty account name.
const EXPORTED: [Vector; 4] = [
    Vector {
        issuer: "GitHub",
        name: "alice@example.com",
        secret: "JBSWY3DPEHPK3PXP",
        ..DENO
    },
    WWE.named("Bank \"Ü\"", "me"),
    BOEING.named("Steam", "gamer"),
    SPDX.named("SPDX", ""),
];

/// The tags of `EXPORTED`, in order.
const TAGS: [&[&str]; 4] = [&["work", "code"], &["home", "work"], &[], &[]];

fn accounts() -> Vec<Account> {
    let tagged = EXPORTED.iter().zip(TAGS).zip(1..);
    tagged
        .map(|((vector, tags), now)| {
            let mut account = vector.account(now);
            account.tags = tags.iter().map(|&t| t.into()).collect();
            account
        })
        .collect()
}

const PASSWORD: &str = "correct horse ✓";

#[test]
fn aegis_export_reads_back_through_the_importer() {
    let accounts = accounts();
    let file = export::aegis(&accounts, PASSWORD, ScryptParams::AEGIS).unwrap();
    assert_eq!(import::detect(&file).unwrap().id(), "aegis");
    assert!(import::by_id("aegis").unwrap().encrypted(&file));
    assert_eq!(
        import::by_id("aegis")
            .unwrap()
            .restore(&file, Some("correct horse"))
            .unwrap_err(),
        ImportError::WrongPassword
    );
    let back = import::by_id("aegis")
        .unwrap()
        .restore(&file, Some(PASSWORD))
        .unwrap();
    assert!(back.skipped.is_empty());
    assert_accounts("our Aegis export", &back.accounts, &EXPORTED);
    let tags: Vec<_> = back.accounts.iter().map(|a| a.tags.clone()).collect();
    assert_eq!(tags, TAGS);

    let vault: Value = serde_json::from_slice(&file).unwrap();
    let slot = &vault["header"]["slots"][0];
    assert_eq!(
        (&slot["type"], &slot["n"], &slot["r"], &slot["p"]),
        (&json!(1), &json!(32768), &json!(8), &json!(1))
    );
    assert_eq!(vault["header"]["slots"].as_array().unwrap().len(), 1);
}

/// Decrypts an Aegis vault (argv[1]) with the password on stdin and prints its
/// contents: the unlock steps of Aegis's docs/decrypt.py, written for this test.
const PEER: &str = r#"
import base64, json, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

vault = json.load(open(sys.argv[1], encoding="utf-8"))
password = sys.stdin.buffer.read()
header = vault["header"]
master = None
for slot in (s for s in header["slots"] if s["type"] == 1):
    kek = Scrypt(salt=bytes.fromhex(slot["salt"]), length=32, n=slot["n"], r=slot["r"], p=slot["p"]).derive(password)
    params = slot["key_params"]
    wrapped = bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"])
    master = AESGCM(kek).decrypt(bytes.fromhex(params["nonce"]), wrapped, None)
    break
params = header["params"]
sealed = base64.b64decode(vault["db"]) + bytes.fromhex(params["tag"])
sys.stdout.write(AESGCM(master).decrypt(bytes.fromhex(params["nonce"]), sealed, None).decode("utf-8"))
"#;

fn python_with_cryptography() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import cryptography.hazmat.primitives.kdf.scrypt"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn aegis_export_opens_in_python_cryptography() {
    if !python_with_cryptography() {
        // scripts/test installs the peer (scripts/deps --test) and sets this: there the
        // check must run, not skip.
        assert!(
            std::env::var_os("LATCHKEY_E2E_REQUIRED").is_none(),
            "python3 with the cryptography package (Debian: python3-cryptography) is required"
        );
        println!(
            "skipped: python3 with the cryptography package (Debian: python3-cryptography) is not available"
        );
        return;
    }
    let accounts = accounts();
    let file = export::aegis(&accounts, PASSWORD, ScryptParams::AEGIS).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aegis.json");
    std::fs::write(&path, &*file).unwrap();

    let mut child = std::process::Command::new("python3")
        .args(["-c", PEER])
        .arg(&path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let db: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(db["version"], 3);
    let groups: std::collections::HashMap<&str, &str> = db["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["uuid"].as_str().unwrap(), g["name"].as_str().unwrap()))
        .collect();
    let entries = db["entries"].as_array().unwrap();
    assert_eq!(entries.len(), accounts.len());
    for (e, a) in entries.iter().zip(&accounts) {
        let info = &e["info"];
        assert_eq!(e["issuer"], a.issuer.as_str());
        assert_eq!(e["name"], a.label.as_str());
        assert_eq!(info["secret"], a.otp.secret().to_base32().as_str());
        assert_eq!(info["algo"], a.otp.algorithm().as_str());
        assert_eq!(info["digits"], a.otp.digits());
        let (kind, moving) = match a.otp.kind() {
            Kind::Totp { period } => ("totp", ("period", u64::from(period))),
            Kind::Hotp { counter } => ("hotp", ("counter", counter)),
            Kind::Steam => ("steam", ("period", 30)),
        };
        assert_eq!(e["type"], kind);
        assert_eq!(info[moving.0], moving.1);
        let mut tags: Vec<&str> = e["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| groups[id.as_str().unwrap()])
            .collect();
        let mut want: Vec<&str> = a.tags.iter().map(String::as_str).collect();
        tags.sort_unstable();
        want.sort_unstable();
        assert_eq!(tags, want);
    }
}
