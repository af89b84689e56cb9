//! A process killed (SIGKILL) in the middle of saving never leaves a vault that does
//! not open, and never loses a save that had completed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use latchkey_core::Account;
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
use latchkey_core::vault::{KdfParams, LockedVault, NewVault, Unlock, Vault};

const CHILD_ENV: &str = "LATCHKEY_CRASH_TEST_VAULT";
const PASSWORD: &str = "crash-test";
const FAST: KdfParams = KdfParams {
    m_kib: 64,
    t: 1,
    p: 1,
};

fn account(n: u64) -> Account {
    let seed = format!("seed number {n:08} for the crash test").into_bytes();
    let otp = OtpParams::new(
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        Secret::from_bytes(seed),
    )
    .unwrap();
    Account::new(format!("Issuer {n}"), "crash@example.com", otp, 0)
}

/// The child: add an account and save, forever, reporting each completed save.
fn save_forever(path: &Path) -> ! {
    let mut i = 0u64;
    loop {
        let mut vault = LockedVault::read_for_update(path)
            .unwrap()
            .unlock(Unlock::Password(PASSWORD))
            .unwrap();
        let n = vault.accounts().len() as u64;
        // Padding makes each save write a few hundred kilobytes, widening the window.
        for k in 0..50 {
            vault.add(account(n * 1000 + i * 100 + k)).unwrap();
        }
        vault.save(n as i64).unwrap();
        println!("saved {}", vault.accounts().len());
        i += 1;
    }
}

fn count(path: &Path) -> usize {
    match LockedVault::read(path).and_then(|l| l.unlock(Unlock::Password(PASSWORD))) {
        Ok(v) => v.accounts().len(),
        Err(e) => panic!("vault does not open after a kill: {e}"),
    }
}

#[test]
fn vault_opens_after_sigkill_mid_save_and_keeps_every_completed_save() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        save_forever(Path::new(&path));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.latchkey");
    drop(
        Vault::create(
            &path,
            NewVault {
                keychain: None,
                password: Some(PASSWORD),
                kdf: FAST,
            },
            0,
        )
        .unwrap(),
    );
    let exe = std::env::current_exe().unwrap();
    let mut rng = fastrand::Rng::with_seed(2026);
    let (mut kills, mut mid_save) = (0, 0);
    let start = Instant::now();
    while kills < 40 && start.elapsed() < Duration::from_secs(60) {
        let before = count(&path);
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::vault_opens_after_sigkill_mid_save_and_keeps_every_completed_save",
                "--nocapture",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("saved ") {
                    last = n.trim().parse::<usize>().ok();
                }
            }
            last
        });
        std::thread::sleep(Duration::from_millis(rng.u64(30..280)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let reported = reader.join().unwrap();
        let after = count(&path);
        if let Some(done) = reported {
            assert!(
                after >= done,
                "a completed save was lost: reported {done}, found {after}"
            );
            if after > done {
                mid_save += 1;
            }
        }
        assert!(
            after >= before,
            "the vault went backwards: {before} -> {after}"
        );
        kills += 1;
    }
    assert!(kills >= 10, "only {kills} kills in the time allowed");
    eprintln!("{kills} kills, {mid_save} landed after the last reported save");
}
