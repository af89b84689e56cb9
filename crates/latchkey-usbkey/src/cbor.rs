//! Reading CTAP2 CBOR answers: maps keyed by small integers or text.

use ciborium::Value;

use crate::error::Error;

/// Decodes a CTAP2 answer, which is always a CBOR map.
pub(crate) fn decode_map(bytes: &[u8]) -> Result<Vec<(Value, Value)>, Error> {
    match ciborium::from_reader::<Value, _>(bytes) {
        Ok(Value::Map(map)) => Ok(map),
        Ok(_) => Err(Error::Malformed("the answer is not a CBOR map".into())),
        Err(e) => Err(Error::Malformed(e.to_string())),
    }
}

pub(crate) fn encode(value: &Value) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|e| Error::Device(e.to_string()))?;
    Ok(out)
}

/// The value under integer key `key`.
pub(crate) fn int_key(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(key))
        .map(|(_, v)| v)
}

/// The value under text key `key`.
pub(crate) fn text_key<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

pub(crate) fn int(i: i64) -> Value {
    Value::Integer(i.into())
}

pub(crate) fn as_i64(v: &Value) -> Option<i64> {
    v.as_integer().and_then(|i| i64::try_from(i).ok())
}

pub(crate) fn as_u32(v: &Value) -> Option<u32> {
    v.as_integer().and_then(|i| u32::try_from(i).ok())
}

pub(crate) fn as_bytes(v: &Value) -> Option<Vec<u8>> {
    v.as_bytes().cloned()
}

pub(crate) fn as_string(v: &Value) -> Option<String> {
    v.as_text().map(str::to_owned)
}

pub(crate) fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(as_string).collect())
        .unwrap_or_default()
}

pub(crate) fn missing(what: &str) -> Error {
    Error::Malformed(format!("{what} is missing"))
}
