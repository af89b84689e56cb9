fn main() {
    // Opting into an app manifest makes Tauri check every command against the
    // capabilities: the UI can call exactly the commands listed in
    // capabilities/default.json, nothing else.
    let commands = &[
        "status",
        "unlock",
        "create_vault",
        "set_password",
        "remove_password",
        "lock",
        "accounts",
        "codes",
        "copy_code",
        "hotp_code",
        "add_uri",
        "add_manual",
        "scan_screen",
        "scan_image",
        "paste_clipboard",
        "rename_account",
        "set_tags",
        "set_icon",
        "reveal_secret",
        "delete_account",
        "recovery",
        "set_recovery",
        "use_recovery",
        "recovery_sheet",
        "settings",
        "set_settings",
        "vault_info",
        "touch",
        "painted",
        "services",
        "link_service",
        "open_link",
        "wait_for_link",
        "cancel_link",
        "unlink_service",
        "add_passkey",
        "remove_passkey",
        "answer_prompt",
        "cancel_authenticator",
        "security_keys",
        "security_key_info",
        "set_key_pin",
        "key_passkeys",
        "delete_key_passkey",
        "fingerprints",
        "add_fingerprint",
        "rename_fingerprint",
        "delete_fingerprint",
        "wink_key",
        "key_slots",
        "add_key_slot",
        "remove_key_slot",
    ];
    let manifest = tauri_build::AppManifest::new().commands(commands);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
