//! Latchkey's hot paths at 10,000 accounts: computing every code, and opening and
//! saving the vault with and without the password KDF. Figures go in
//! docs/benchmarks.md; run with `cargo bench -p latchkey-core --bench core`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use latchkey_core::Account;
use latchkey_core::keystore::MemoryKeyStore;
use latchkey_core::otp::{Algorithm, Kind, OtpParams, Secret};
use latchkey_core::recovery;
use latchkey_core::vault::{KdfParams, LockedVault, NewVault, Unlock, Vault};

const N: usize = 10_000;

fn accounts(n: usize) -> Vec<Account> {
    let mut rng = fastrand::Rng::with_seed(10_000);
    let mut next = move || rng.u64(..);
    (0..n)
        .map(|i| {
            let seed: Vec<u8> = (0..20).map(|_| next() as u8).collect();
            let alg = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][i % 3];
            let otp = OtpParams::new(
                Kind::Totp { period: 30 },
                alg,
                6 + (i % 3) as u8,
                Secret::from_bytes(seed),
            )
            .unwrap();
            let mut a = Account::new(
                format!("Service {i}"),
                format!("user{i}@example.com"),
                otp,
                0,
            );
            if i % 10 == 0 {
                let text: String = (0..10)
                    .map(|_| format!("{:05x}-{:05x}\n", next() & 0xfffff, next() & 0xfffff))
                    .collect();
                a.recovery.replace(recovery::parse(&text).unwrap(), 0);
            }
            a
        })
        .collect()
}

fn codes(c: &mut Criterion) {
    let accounts = accounts(N);
    c.bench_function("codes/10k_accounts", |b| {
        b.iter(|| {
            let t = black_box(1_700_000_000u64);
            accounts
                .iter()
                .map(|a| a.otp.code_at(t).value().len())
                .sum::<usize>()
        })
    });
}

fn vault(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.latchkey");
    let store = MemoryKeyStore::new();
    let new = NewVault {
        keychain: Some(&store),
        password: Some("benchmark password"),
        kdf: KdfParams::DEFAULT,
    };
    let mut v = Vault::create(&path, new, 0).unwrap();
    for a in accounts(N) {
        v.add(a).unwrap();
    }
    v.save(0).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("vault with {N} accounts: {size} bytes");

    let mut g = c.benchmark_group("vault");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("save_10k_accounts", |b| b.iter(|| v.save(1).unwrap()));
    // Saves never run the KDF (the wrapped keys are kept); the one write that does is a
    // password change, which also renews the master key and the keychain key.
    g.bench_function("set_password_10k_accounts_with_kdf", |b| {
        b.iter(|| {
            v.set_password("benchmark password", KdfParams::DEFAULT, Some(&store), 2)
                .unwrap()
        })
    });
    drop(v);
    g.bench_function("open_10k_accounts_keychain_no_kdf", |b| {
        b.iter(|| {
            LockedVault::read(&path)
                .unwrap()
                .unlock(Unlock::Keychain(&store))
                .unwrap()
                .accounts()
                .len()
        })
    });
    g.bench_function("open_10k_accounts_password_with_kdf", |b| {
        b.iter(|| {
            LockedVault::read(&path)
                .unwrap()
                .unlock(Unlock::Password("benchmark password"))
                .unwrap()
                .accounts()
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, codes, vault);
criterion_main!(benches);
