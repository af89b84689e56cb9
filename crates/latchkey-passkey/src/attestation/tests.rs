//! Vectors: W3C webauthn index.bs §16 "ES256 Credential with Self Attestation"
//! (formats.md §6.2); the signature there is abbreviated in our notes, so a stand-in
//! of the same DER shape is used where its bytes do not matter.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ciborium::Value;
use sha2::{Digest, Sha256};

use super::*;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The W3C vector's 164-byte authData, assembled from its listed fields.
fn w3c_packed_self_auth_data() -> Vec<u8> {
    let mut a = Sha256::digest(b"example.org").to_vec();
    assert_eq!(
        a,
        unhex("bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5")
    );
    a.push(0x5d);
    a.extend([0, 0, 0, 0]);
    a.extend(unhex("df850e09db6afbdfab51697791506cfc"));
    a.extend([0, 32]);
    a.extend(unhex(
        "455ef34e2043a87db3d4afeb39bbcb6cc32df9347c789a865ecdca129cbef58c",
    ));
    // COSE_Key {1:2, 3:-7, -1:1, -2:x, -3:y} in canonical CBOR.
    a.extend(unhex("a5010203262001215820"));
    a.extend(unhex(
        "eb151c8176b225cc651559fecf07af450fd85802046656b34c18f6cf193843c5",
    ));
    a.extend(unhex("225820"));
    a.extend(unhex(
        "927b8aa427a2be1b8834d233a2d34f61f13bfd44119c325d5896e183fee484f2",
    ));
    assert_eq!(a.len(), 164);
    a
}

fn decode(bytes: &[u8]) -> Vec<(Value, Value)> {
    match ciborium::from_reader::<Value, _>(bytes).unwrap() {
        Value::Map(m) => m,
        other => panic!("not a map: {other:?}"),
    }
}

fn key(k: &Value) -> &str {
    k.as_text().unwrap()
}

#[test]
fn packed_self_attestation_has_canonical_bytes() {
    let auth_data = w3c_packed_self_auth_data();
    let sig: Vec<u8> = [0x30, 0x44, 0x02, 0x20]
        .into_iter()
        .chain([0xab; 66])
        .collect();
    let stmt = AttestationStatement {
        alg: Some(-7),
        sig: sig.clone(),
        x5c: vec![],
    };
    let object = attestation_object("packed", &auth_data, &stmt).unwrap();

    let mut expected = vec![0xa3];
    expected.extend(b"\x63fmt\x66packed");
    expected.extend(b"\x67attStmt\xa2\x63alg\x26\x63sig\x58\x46");
    expected.extend(&sig);
    expected.extend(b"\x68authData\x58\xa4");
    expected.extend(&auth_data);
    assert_eq!(object, expected);
}

#[test]
fn packed_with_x5c_round_trips_in_canonical_order() {
    let auth_data = w3c_packed_self_auth_data();
    let stmt = AttestationStatement {
        alg: Some(-7),
        sig: vec![1, 2, 3],
        x5c: vec![vec![0x30, 1], vec![0x30, 2]],
    };
    let object = attestation_object("packed", &auth_data, &stmt).unwrap();
    let map = decode(&object);
    let keys: Vec<&str> = map.iter().map(|(k, _)| key(k)).collect();
    assert_eq!(keys, ["fmt", "attStmt", "authData"]);
    assert_eq!(map[0].1.as_text(), Some("packed"));
    assert_eq!(map[2].1.as_bytes(), Some(&auth_data));
    let att = map[1].1.as_map().unwrap();
    let keys: Vec<&str> = att.iter().map(|(k, _)| key(k)).collect();
    assert_eq!(keys, ["alg", "sig", "x5c"]);
    assert_eq!(att[0].1, Value::Integer((-7).into()));
    assert_eq!(att[1].1.as_bytes(), Some(&vec![1, 2, 3]));
    assert_eq!(
        att[2].1,
        Value::Array(vec![
            Value::Bytes(vec![0x30, 1]),
            Value::Bytes(vec![0x30, 2])
        ])
    );
}

#[test]
fn fido_u2f_has_sig_and_x5c_only() {
    let stmt = AttestationStatement {
        alg: Some(-7),
        sig: vec![9],
        x5c: vec![vec![0x30]],
    };
    let object = attestation_object("fido-u2f", &[7; 37], &stmt).unwrap();
    let map = decode(&object);
    let att = map[1].1.as_map().unwrap();
    let keys: Vec<&str> = att.iter().map(|(k, _)| key(k)).collect();
    assert_eq!(keys, ["sig", "x5c"]);
}

#[test]
fn none_has_an_empty_statement() {
    let object = attestation_object("none", &[1, 2], &AttestationStatement::default()).unwrap();
    assert_eq!(
        object,
        b"\xa3\x63fmt\x64none\x67attStmt\xa0\x68authData\x42\x01\x02"
    );
}

#[test]
fn refuses_formats_it_cannot_rebuild_and_incomplete_statements() {
    let stmt = AttestationStatement::default();
    assert!(matches!(
        attestation_object("tpm", &[], &stmt),
        Err(AttestationError::UnsupportedFormat(f)) if f == "tpm"
    ));
    assert!(matches!(
        attestation_object("packed", &[], &stmt),
        Err(AttestationError::MissingAlgorithm)
    ));
    assert!(matches!(
        attestation_object("fido-u2f", &[], &stmt),
        Err(AttestationError::MissingSignature)
    ));
}
