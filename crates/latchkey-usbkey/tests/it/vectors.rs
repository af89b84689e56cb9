//! Recorded answers of a real YubiKey, from python-fido2's tests (see
//! tests/vectors/README.md): Yubico/python-fido2@2d685d2088694cd816e84f0a0ede872f461cc42d,
//! tests/test_ctap2.py (`_INFO`, `_INFO_EXTRA_KEY`, `_MC_RESP`, `_GA_RESP`); and
//! credential management answers recorded by libfido2 (further down).

use ciborium::Value;
use latchkey_passkey::attestation_object;
use latchkey_usbkey::{
    Info, StoredRelyingParty, assertion_from_cbor, attestation_from_cbor, credential_from_cbor,
    creds_metadata_from_cbor, relying_party_from_cbor,
};
use sha2::{Digest, Sha256};

fn vector(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    hex::decode(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

const AAGUID: &str = "f8a011f38c0a4d15800617111f9edc7d";
const CRED_ID: &str = "fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b15783";

#[test]
fn reads_a_yubikeys_get_info() {
    let info = Info::from_cbor(&vector("info.hex")).unwrap();
    assert_eq!(info.versions, ["U2F_V2", "FIDO_2_0"]);
    assert_eq!(info.extensions, ["uvm", "hmac-secret"]);
    assert_eq!(info.aaguid, AAGUID);
    assert_eq!(
        info.options,
        [
            ("rk".to_owned(), true),
            ("up".to_owned(), true),
            ("plat".to_owned(), false),
            ("clientPin".to_owned(), false),
        ]
    );
    assert_eq!(info.pin_uv_auth_protocols, [1]);
    assert!(!info.pin_set(), "clientPin is false: no PIN yet");
    assert_eq!(info.option("uv"), None);
    assert!(info.fido2());
    // Absent from a CTAP 2.0 key: the defaults.
    assert_eq!(info.min_pin_length, 4);
    assert_eq!(info.firmware_version, None);
    assert!(info.algorithms.is_empty() && info.transports.is_empty());
}

#[test]
fn get_info_with_an_unknown_key_reads_the_same() {
    // The same answer plus key 0x63 → 1234, which no spec defines.
    let plain = Info::from_cbor(&vector("info.hex")).unwrap();
    let extra = Info::from_cbor(&vector("info_extra_key.hex")).unwrap();
    assert_eq!(plain, extra);
}

/// The recorded answer with a firmware version added (key 0x0E), as a YubiKey 5.7.1
/// reports it: 0x050701.
#[test]
fn firmware_versions_read_as_people_write_them() {
    let with = |version: u32| {
        let bytes = vector("info.hex");
        let Value::Map(mut map) = ciborium::from_reader::<Value, _>(&bytes[..]).unwrap() else {
            panic!("not a map")
        };
        map.push((Value::Integer(0x0E.into()), Value::Integer(version.into())));
        let mut out = Vec::new();
        ciborium::into_writer(&Value::Map(map), &mut out).unwrap();
        Info::from_cbor(&out).unwrap()
    };
    assert_eq!(with(0x05_07_01).firmware().as_deref(), Some("5.7.1"));
    assert_eq!(with(0x05_04_03).firmware().as_deref(), Some("5.4.3"));
    // Not in that shape (a small build number): shown as it is.
    assert_eq!(with(7).firmware().as_deref(), Some("7"));
    assert_eq!(
        Info::from_cbor(&vector("info.hex")).unwrap().firmware(),
        None
    );
}

#[test]
fn get_info_without_an_aaguid_is_refused() {
    let bytes = vector("info.hex");
    let Value::Map(mut map) = ciborium::from_reader::<Value, _>(&bytes[..]).unwrap() else {
        panic!("not a map")
    };
    map.retain(|(k, _)| k.as_integer() != Some(3.into()));
    let mut without = Vec::new();
    ciborium::into_writer(&Value::Map(map), &mut without).unwrap();
    let err = Info::from_cbor(&without).unwrap_err();
    assert!(err.to_string().contains("AAGUID"), "{err}");
}

#[test]
fn reads_a_packed_x5c_make_credential_answer() {
    let att = attestation_from_cbor(&vector("mc_resp.hex")).unwrap();
    assert_eq!(att.fmt, "packed");
    assert_eq!(hex::encode(&att.credential_id), CRED_ID);
    assert_eq!(att.auth_data.len(), 0xc4);
    assert_eq!(att.auth_data[32], 0x41, "UP|AT");
    assert_eq!(att.auth_data[33..37], 28u32.to_be_bytes());
    assert_eq!(hex::encode(&att.auth_data[37..53]), AAGUID);
    assert_eq!(att.att_stmt.alg, Some(-7));
    assert_eq!(att.att_stmt.sig.len(), 0x48);
    assert_eq!(att.att_stmt.x5c.len(), 1);
    assert_eq!(att.att_stmt.x5c[0].len(), 0x197);
    assert_eq!(att.transports, ["usb"]);
}

/// What a browser hands the RP: CTAP's integer keys 1, 2, 3 renamed fmt, authData,
/// attStmt, in CTAP2 canonical order (shorter key first, then bytewise).
fn browser_attestation_object(ctap: &[u8]) -> Vec<u8> {
    let Value::Map(map) = ciborium::from_reader::<Value, _>(ctap).unwrap() else {
        panic!("not a map")
    };
    let mut renamed: Vec<(Value, Value)> = map
        .into_iter()
        .map(|(k, v)| {
            let name = match i64::try_from(k.as_integer().unwrap()).unwrap() {
                1 => "fmt",
                2 => "authData",
                3 => "attStmt",
                other => panic!("unexpected key {other}"),
            };
            (Value::Text(name.into()), v)
        })
        .collect();
    renamed.sort_by_key(|(k, _)| {
        let mut key = Vec::new();
        ciborium::into_writer(k, &mut key).unwrap();
        (key.len(), key)
    });
    let mut out = Vec::new();
    ciborium::into_writer(&Value::Map(renamed), &mut out).unwrap();
    out
}

#[test]
fn rebuilt_attestation_object_is_what_a_browser_would_send() {
    let ctap = vector("mc_resp.hex");
    let att = attestation_from_cbor(&ctap).unwrap();
    let rebuilt = attestation_object(&att.fmt, &att.auth_data, &att.att_stmt).unwrap();
    let browser = browser_attestation_object(&ctap);
    let decode = |b: &[u8]| ciborium::from_reader::<Value, _>(b).unwrap();
    assert_eq!(decode(&rebuilt), decode(&browser));
    // Byte for byte too: the statement keys alg, sig, x5c keep the key's order.
    assert_eq!(hex::encode(rebuilt), hex::encode(browser));
}

#[test]
fn reads_a_get_assertion_answer() {
    let a = assertion_from_cbor(&vector("ga_resp.hex"), &[]).unwrap();
    assert_eq!(hex::encode(&a.credential_id), CRED_ID);
    assert_eq!(
        hex::encode(&a.auth_data),
        "0021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12010000001d"
    );
    assert_eq!(
        hex::encode(&a.signature),
        "304402206765cbf6e871d3af7f01ae96f06b13c90f26f54b905c5166a2c791274fc2397102200b143893586cc799fba4da83b119eaea1bd80ac3ce88fcedb3efbd596a1f4f63"
    );
    assert_eq!(a.user_handle, None, "a non-discoverable credential");
}

#[test]
fn an_assertion_without_its_credential_is_the_single_allowed_one() {
    let bytes = vector("ga_resp.hex");
    let Value::Map(mut map) = ciborium::from_reader::<Value, _>(&bytes[..]).unwrap() else {
        panic!("not a map")
    };
    map.retain(|(k, _)| k.as_integer() != Some(1.into()));
    let mut without = Vec::new();
    ciborium::into_writer(&Value::Map(map), &mut without).unwrap();
    let allowed = vec![vec![9u8; 16]];
    let a = assertion_from_cbor(&without, &allowed).unwrap();
    assert_eq!(a.credential_id, allowed[0]);
    // With no allow list to fall back on, the key must name it.
    assert!(assertion_from_cbor(&without, &[]).is_err());
}

// Credential management, recorded from a real key by libfido2 (see tests/vectors/README.md):
// Yubico/libfido2@8ee8e5a2eb94575c8baeda9c7bf1d4f27a3b1db4, fuzz/wiredata_fido2.h,
// `WIREDATA_CTAP_CBOR_CREDMAN_META`, `…_RPLIST` and `…_RKLIST`, with the CTAPHID framing
// and status byte removed (one answer per line). The expected values below were read
// off the fixtures with Python's cbor2, not with our parser.

fn answers(name: &str) -> Vec<Vec<u8>> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| hex::decode(l.trim()).unwrap())
        .collect()
}

fn b64url(hex_text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hex::decode(hex_text).unwrap())
}

#[test]
fn reads_recorded_creds_metadata() {
    let meta = creds_metadata_from_cbor(&answers("credman_meta.hex")[0]).unwrap();
    // {1: 0, 2: 25}: an empty key with room for 25.
    assert_eq!((meta.existing, meta.max_remaining), (0, 25));
}

#[test]
fn reads_recorded_relying_parties_begin_then_get_next() {
    let rps: Vec<_> = answers("credman_rps.hex")
        .iter()
        .map(|a| relying_party_from_cbor(a).unwrap())
        .collect();
    let ids: Vec<&str> = rps.iter().map(|r| r.item.id.as_str()).collect();
    assert_eq!(ids, ["yubico.com", "yubikey.org", "webauthn.dev"]);
    assert_eq!(
        hex::encode(rps[0].item.id_hash),
        "378209b72defcba91dcbf854edb4daa648828a2cbd180afc77a74434655a1c7d"
    );
    let totals: Vec<_> = rps.iter().map(|r| r.total).collect();
    assert_eq!(
        totals,
        [Some(3), None, None],
        "totalRPs only in the Begin answer"
    );
    for rp in &rps {
        assert_eq!(rp.item.name, "", "the key kept no RP names");
        assert_eq!(rp.item.id_hash[..], Sha256::digest(&rp.item.id)[..]);
    }
}

#[test]
fn reads_recorded_credentials_begin_then_get_next() {
    let rp = StoredRelyingParty {
        id: "yubico.com".into(),
        name: String::new(),
        id_hash: [0; 32],
    };
    let creds: Vec<_> = answers("credman_rks.hex")
        .iter()
        .map(|a| credential_from_cbor(a, &rp).unwrap())
        .collect();
    assert_eq!(creds.len(), 5);
    let totals: Vec<_> = creds.iter().map(|c| c.total).collect();
    assert_eq!(totals, [Some(5), None, None, None, None]);
    let first = &creds[0].item;
    assert_eq!(first.rp_id, "yubico.com");
    assert_eq!(first.user_name, "bob banana");
    assert_eq!(first.display_name, "bbanana");
    assert_eq!(
        first.user_id,
        b64url("e4e10631de000f4f126ec9682d433ff1022c6ee69610bf7335c9202706ba3909")
    );
    assert_eq!(
        first.credential_id,
        b64url("19f7780ca0bcb9a6d51ed787fb6c8003")
    );
    let ids: Vec<String> = creds.iter().map(|c| c.item.credential_id.clone()).collect();
    let expected: Vec<String> = [
        "19f7780ca0bcb9a6d51ed787fb6c8003",
        "d8274b25ed19ef11afa6897b8450e762",
        "005ddfefe2f306b2a5464d98bc1465c1",
        "0a265b7e1a2aba705f182614b271ca98",
        "fba6bec101f67a81f9cd6d20417a1c40",
    ]
    .iter()
    .map(|h| b64url(h))
    .collect();
    assert_eq!(ids, expected);
    // Two EdDSA keys (COSE OKP, alg -8) between ES256 ones (EC2, alg -7).
    let algs: Vec<_> = creds.iter().map(|c| c.item.public_key_alg).collect();
    assert_eq!(algs, [Some(-7), Some(-8), Some(-8), Some(-7), Some(-7)]);
    assert!(creds.iter().all(|c| c.item.cred_protect == 1));
}

#[test]
fn a_credential_answer_without_its_id_is_refused() {
    let bytes = &answers("credman_rks.hex")[1];
    let Value::Map(mut map) = ciborium::from_reader::<Value, _>(&bytes[..]).unwrap() else {
        panic!("not a map")
    };
    map.retain(|(k, _)| k.as_integer() != Some(7.into()));
    let mut without = Vec::new();
    ciborium::into_writer(&Value::Map(map), &mut without).unwrap();
    let rp = relying_party_from_cbor(&answers("credman_rps.hex")[0])
        .unwrap()
        .item;
    let err = credential_from_cbor(&without, &rp).unwrap_err();
    assert!(err.to_string().contains("credentialID"), "{err}");
}
