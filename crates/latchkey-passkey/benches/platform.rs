//! The platform authenticator's two operations, as a sign-in or a registration runs
//! them: makeCredential (a new ES256 key) and getAssertion (a signature) with 100
//! passkeys already in the vault. Run with `cargo bench -p latchkey-passkey --bench
//! platform`; figures in docs/benchmarks.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use latchkey_passkey::{
    Authenticator, GetAssertionRequest, MakeCredentialRequest, PlatformAuthenticator, Prompt,
    RelyingParty, User,
};

fn make(i: u8) -> MakeCredentialRequest {
    MakeCredentialRequest {
        client_data_hash: [i; 32],
        rp: RelyingParty {
            id: format!("site{i}.example"),
            name: "Example".into(),
        },
        user: User {
            id: vec![i; 16],
            name: format!("user{i}@example.com"),
            display_name: "User".into(),
        },
        algorithms: vec![-7],
        exclude_credentials: Vec::new(),
        user_verification: true,
        resident_key: true,
    }
}

fn yes(_: &Prompt) -> bool {
    true
}

fn bench(c: &mut Criterion) {
    let seeded = PlatformAuthenticator::new(Vec::new(), yes, || 0);
    for i in 0..100 {
        seeded.make_credential(&make(i)).unwrap();
    }
    let passkeys = seeded.passkeys();

    c.bench_function("platform make_credential (ES256, 100 in the vault)", |b| {
        let auth = PlatformAuthenticator::new(passkeys.clone(), yes, || 0);
        b.iter(|| black_box(auth.make_credential(&make(200)).unwrap()));
    });
    let target = &passkeys[50];
    let request = GetAssertionRequest {
        rp_id: target.rp_id.clone(),
        client_data_hash: [9; 32],
        allow_credentials: vec![target.credential_id.clone()],
        user_verification: true,
    };
    c.bench_function("platform get_assertion (100 in the vault)", |b| {
        let auth = PlatformAuthenticator::new(passkeys.clone(), yes, || 0);
        b.iter(|| black_box(auth.get_assertion(&request).unwrap()));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
