//! The one integration-test binary of latchkey-cli: the real `latchkey` binary, run as a
//! person or a script would run it, each test on a vault of its own in a temp dir.
//!
//! Codes are checked against `oathtool` (run for real); the keychain tests use the
//! Secret Service of the inherited D-Bus session (see `keychain`); everything else runs
//! with the Secret Service out of reach and `LATCHKEY_PASSWORD` set. Help and usage
//! errors are snapshot cases in `tests/cmd/*.toml` (trycmd; `TRYCMD=overwrite` updates
//! them). Tests that show a known bug are `#[ignore = "bug: …"]`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod add_forms;
mod codes;
mod concurrency;
mod desktop;
mod errors;
mod help;
mod hotp_steam;
mod keychain;
mod oathtool;
mod passkeys;
mod portal;
mod recovery;
mod run;
mod safety;
mod screen;
mod transfer;
mod vault;

#[test]
fn help_and_usage_errors_match_the_cases() {
    trycmd::TestCases::new()
        .register_bin("latchkey", std::path::Path::new(run::BIN))
        .env("COLUMNS", "100")
        .case("tests/cmd/*.toml");
}
