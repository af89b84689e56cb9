//! Passkeys at an account service, through the CLI: `latchkey link` approved through the
//! service's API while it polls (as the person's browser would), a platform passkey
//! registered, listed, used to sign in and removed; and the errors a person meets. The
//! account service runs in this process on a port of its own.

use std::io::{BufRead, BufReader, Read};

use account_service::LocalServer;
use latchkey_core::vault::{LockedVault, Unlock, Vault};
use serde_json::json;

use crate::run::{Out, Run, Sandbox};

const EMAIL: &str = "alice@example.com";
const SERVICE_PASSWORD: &str = "service password, long enough";

/// Signs alice up and in at `service`, as she would in her browser; her session token.
fn browser(service: &LocalServer) -> String {
    let body = json!({ "email": EMAIL, "password": SERVICE_PASSWORD });
    assert_eq!(service.post("/api/v1/users", None, &body).unwrap().0, 201);
    let (status, reply) = service.post("/api/v1/sessions", None, &body).unwrap();
    assert_eq!(status, 200, "{reply}");
    reply["token"].as_str().unwrap().to_owned()
}

/// Runs `latchkey link` and, once it shows the code, decides it in the browser:
/// `verb` is `approve` or `deny`.
fn link(sb: &Sandbox, service: &LocalServer, browser: &str, verb: &str) -> Out {
    let args = ["link", service.base(), "--no-browser", "--name", "CLI test"];
    let mut running = sb.cmd(&args).spawn();
    let mut stdout = BufReader::new(running.take_stdout());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let prefix = "To link this computer, open http://localhost:8088/link and enter the code ";
    let code = first.trim_end().strip_prefix(prefix).unwrap_or_else(|| {
        panic!("no code shown: {first:?}");
    });
    let decision = json!({ "user_code": code });
    let path = format!("/api/v1/device/{verb}");
    let (status, reply) = service.post(&path, Some(browser), &decision).unwrap();
    assert_eq!(status, 204, "{reply}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut out = running.finish();
    out.stdout = first + &rest;
    out
}

/// The vault's platform passkeys, read from the file with the sandbox's password.
fn vault_passkeys(sb: &Sandbox) -> usize {
    let locked = LockedVault::read(&sb.vault).unwrap();
    let key = locked
        .master_key(Unlock::Password(crate::run::PASSWORD))
        .unwrap();
    let vault: Vault = locked.open(key).unwrap();
    vault.passkeys().len()
}

#[test]
fn links_then_registers_lists_signs_in_with_and_removes_a_platform_passkey() {
    let service = LocalServer::start().unwrap();
    let browser = browser(&service);
    let sb = Sandbox::new();

    let out = link(&sb, &service, &browser, "approve").success();
    assert!(
        out.stdout
            .contains("Waiting for your approval (the code expires in 10 minutes)"),
        "{out}"
    );
    assert!(
        out.stdout
            .ends_with(&format!("Linked to {EMAIL} at {}\n", service.base())),
        "{out}"
    );
    let out = sb.ok(&["passkey", "list"]);
    assert_eq!(
        out.stdout,
        format!(
            "No passkeys for {EMAIL} at {}; add one with `latchkey passkey register`.\n",
            service.base()
        )
    );

    let out = sb.ok(&[
        "passkey",
        "register",
        "--platform",
        "--yes",
        "--name",
        "Laptop",
    ]);
    assert!(
        out.stdout.starts_with("Registered passkey \"Laptop\" ("),
        "{out}"
    );
    assert!(
        out.stdout
            .ends_with(", held by this computer (Latchkey).\n"),
        "{out}"
    );
    assert_eq!(vault_passkeys(&sb), 1);

    let list = sb.ok(&["passkey", "list", "--json"]).json();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{list}");
    assert_eq!(rows[0]["name"], "Laptop");
    assert_eq!(rows[0]["held_by"], "this computer (Latchkey)");
    assert_eq!(rows[0]["on_service"], true);
    let id = rows[0]["id"].as_str().unwrap().to_owned();
    let text = sb.ok(&["passkey", "list", "127.0.0.1"]).stdout;
    assert!(
        text.contains(&format!("  {id}  Laptop  held by this computer")),
        "{text}"
    );
    // Linking the same account again renews the token and forgets nothing.
    link(&sb, &service, &browser, "approve").success();
    let again = sb.ok(&["passkey", "list", "alice", "--json"]).json();
    assert_eq!(again, list, "one link, the same passkey and holder");

    let sign_in = |sb: &Sandbox| {
        sb.cmd(&[
            "passkey",
            "sign-in",
            service.base(),
            "--email",
            EMAIL,
            "--yes",
        ])
        .env("LATCHKEY_SERVICE_PASSWORD", SERVICE_PASSWORD)
        .run()
        .success()
    };
    let out = sign_in(&sb);
    assert_eq!(
        out.stdout,
        format!(
            "Signed in as {EMAIL} at {} with a passkey.\n",
            service.base()
        )
    );
    let list = sb.ok(&["passkey", "list", "--json"]).json();
    assert!(list[0]["last_used_at"].is_i64(), "{list}");

    // By the start of its ID, as people copy it.
    let out = sb.ok(&["passkey", "remove", &id[..8], "--yes"]);
    assert_eq!(
        out.stdout,
        format!(
            "Removed passkey \"Laptop\" from {EMAIL} at {}, and its private key from this computer.\n",
            service.base()
        )
    );
    assert_eq!(vault_passkeys(&sb), 0);
    assert_eq!(sb.ok(&["passkey", "list", "--json"]).json(), json!([]));
    // With no passkey left, the password alone signs in.
    assert_eq!(
        sign_in(&sb).stdout,
        format!("Signed in as {EMAIL} (the account asks for no second factor).\n")
    );
}

#[test]
fn passkey_commands_need_a_linked_service_and_a_query_that_names_one() {
    let service = LocalServer::start().unwrap();
    let browser = browser(&service);
    let sb = Sandbox::new();
    sb.add(&["otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"]);
    sb.fails(&["passkey", "list"]).says(
        "no account service is linked to this vault",
        Some("link one with `latchkey link URL`"),
    );
    sb.fails(&["passkey", "register", "--yes"]).says(
        "no account service is linked to this vault",
        Some("link one with `latchkey link URL`"),
    );

    link(&sb, &service, &browser, "approve").success();
    sb.fails(&["passkey", "list", "nosuch"]).says(
        "no linked service matches \"nosuch\"",
        Some(&*format!(
            "linked: {EMAIL} at {}; link another with `latchkey link URL`",
            service.base()
        )),
    );
    sb.fails(&["passkey", "remove", "0000"]).says(
        &format!(
            "no passkey of {EMAIL} at {} has the ID \"0000\"",
            service.base()
        ),
        Some("see `latchkey passkey list`"),
    );
    // The platform authenticator asks first; with no terminal and no --yes, nothing is made.
    sb.fails(&["passkey", "register"]).says(
        "making a passkey needs your confirmation and there is no terminal to ask",
        Some("add --yes to confirm without asking"),
    );
    assert_eq!(vault_passkeys(&sb), 0);
    assert_eq!(sb.ok(&["passkey", "list", "--json"]).json(), json!([]));
}

/// This machine has no security key plugged in (CI never does), as `vault` tests assume.
#[test]
fn usb_without_a_key_stops_before_the_service_is_asked() {
    let service = LocalServer::start().unwrap();
    let browser = browser(&service);
    let sb = Sandbox::new();
    link(&sb, &service, &browser, "approve").success();
    sb.fails(&["passkey", "register", "--usb"]).says(
        "no security key is plugged in",
        Some(
            "plug in your security key (on Linux you may need the udev rule in crates/latchkey-usbkey/README.md)",
        ),
    );
    let out = sb
        .cmd(&[
            "passkey",
            "sign-in",
            service.base(),
            "--email",
            EMAIL,
            "--usb",
        ])
        .run()
        .failure();
    assert_eq!(out.error(), "no security key is plugged in");
}

#[test]
fn a_denied_link_is_an_error_and_links_nothing() {
    let service = LocalServer::start().unwrap();
    let browser = browser(&service);
    let sb = Sandbox::new();
    let out = link(&sb, &service, &browser, "deny").failure();
    out.says(
        "the link was refused on the account service",
        Some("run `latchkey link URL` again and approve the new code"),
    );
    assert!(!sb.vault.exists(), "no vault made for a refused link");
}

#[test]
fn linking_an_address_that_is_no_service_says_so() {
    let sb = Sandbox::new();
    let out = sb.fails(&["link", "http://127.0.0.1:1", "--no-browser"]);
    assert_eq!(
        out.error(),
        "finding the account service at http://127.0.0.1:1: could not reach the account service: error sending request"
    );
}

#[test]
fn link_and_passkey_help_show_their_examples() {
    for path in [
        &["link"][..],
        &["passkey"],
        &["passkey", "list"],
        &["passkey", "register"],
        &["passkey", "remove"],
        &["passkey", "sign-in"],
    ] {
        let help = Run::new(&[path, &["--help"]].concat())
            .run()
            .success()
            .stdout;
        let usage = format!("Usage: latchkey {}", path.join(" "));
        let example = format!("\n  latchkey {}", path.join(" "));
        assert!(help.contains(&usage), "{help}");
        assert!(
            help.contains("Examples:") && help.contains(&example),
            "{help}"
        );
    }
}
