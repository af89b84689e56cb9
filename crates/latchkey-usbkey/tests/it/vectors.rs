//! Recorded answers of a real YubiKey, from python-fido2's tests (see
//! tests/vectors/README.md): Yubico/python-fido2@2d685d2088694cd816e84f0a0ede872f461cc42d,
//! tests/test_ctap2.py (`_INFO`, `_INFO_EXTRA_KEY`, `_MC_RESP`, `_GA_RESP`).

use ciborium::Value;
use latchkey_passkey::attestation_object;
use latchkey_usbkey::{Info, assertion_from_cbor, attestation_from_cbor};

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
