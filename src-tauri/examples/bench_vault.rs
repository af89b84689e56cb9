//! Makes a vault of N made-up TOTP accounts with its key in the OS keychain, for
//! `scripts/bench-app`: `cargo run --release -p latchkey-app --example bench_vault -- PATH N`.

use std::path::PathBuf;

use latchkey_core::Account;
use latchkey_core::keystore::OsKeyStore;
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
use latchkey_core::vault::{KdfParams, NewVault, Vault};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: bench_vault PATH N")?);
    let n: usize = args.next().ok_or("usage: bench_vault PATH N")?.parse()?;
    let store = OsKeyStore::open()?;
    let new = NewVault {
        keychain: Some(&store),
        password: None,
        kdf: KdfParams::DEFAULT,
    };
    let mut vault = Vault::create(&path, new, 1_700_000_000)?;
    let issuers = [
        "GitHub",
        "Google",
        "Proton",
        "Dropbox",
        "GitLab",
        "npm",
        "Discord",
        "Cloudflare",
    ];
    for i in 0..n {
        // Distinct deterministic 20-byte seeds.
        let seed: Vec<u8> = (0..20u8)
            .map(|b| b.wrapping_mul(31).wrapping_add(i as u8) ^ (i >> 8) as u8)
            .collect();
        let otp = OtpParams::new(
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_bytes(seed),
        )?;
        let issuer = issuers[i % issuers.len()];
        vault.add(Account::new(
            issuer,
            format!("user{i}@example.com"),
            otp,
            1_700_000_000,
        ))?;
    }
    vault.save(1_700_000_000)?;
    println!("{} accounts in {}", vault.accounts().len(), path.display());
    Ok(())
}
