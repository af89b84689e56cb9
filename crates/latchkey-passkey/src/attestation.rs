//! The WebAuthn attestationObject (§6.5), rebuilt from an authenticator's fields.
//!
//! CTAP2 answers makeCredential with integer keys (1 fmt, 2 authData, 3 attStmt), and
//! ctap-hid-fido2 hands over only parsed fields, so the client encodes the object the RP
//! expects itself: `{"fmt", "attStmt", "authData"}` with text keys in CTAP2 canonical
//! order (shorter encoded key first, then bytewise), which is also the order of the
//! statement's keys `alg`, `sig`, `x5c`.

use ciborium::Value;

use crate::authenticator::AttestationStatement;

/// Why an attestationObject could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AttestationError {
    /// A format whose statement needs fields a CTAP2 security key does not return.
    #[error("the attestation format \"{0}\" is not supported")]
    UnsupportedFormat(String),
    /// `packed` attestation without the algorithm it must name.
    #[error("a packed attestation statement has no algorithm")]
    MissingAlgorithm,
    /// A signature format whose statement carries no signature.
    #[error("the attestation statement has no signature")]
    MissingSignature,
    /// The CBOR encoder failed (it writes to memory, so this does not happen).
    #[error("could not encode the attestation object")]
    Encode,
}

/// The CBOR attestationObject for `fmt`, `auth_data` and the statement's fields:
/// `packed` → `{alg, sig, x5c?}`, `fido-u2f` → `{sig, x5c}`, `none` → `{}`.
pub fn attestation_object(
    fmt: &str,
    auth_data: &[u8],
    att_stmt: &AttestationStatement,
) -> Result<Vec<u8>, AttestationError> {
    let statement = statement(fmt, att_stmt)?;
    let object = Value::Map(vec![
        (text("fmt"), text(fmt)),
        (text("attStmt"), Value::Map(statement)),
        (text("authData"), Value::Bytes(auth_data.to_vec())),
    ]);
    let mut out = Vec::with_capacity(auth_data.len() + 128);
    ciborium::into_writer(&object, &mut out).map_err(|_| AttestationError::Encode)?;
    Ok(out)
}

fn statement(
    fmt: &str,
    att_stmt: &AttestationStatement,
) -> Result<Vec<(Value, Value)>, AttestationError> {
    let mut map = Vec::new();
    match fmt {
        "none" => return Ok(map),
        "packed" => {
            let alg = att_stmt.alg.ok_or(AttestationError::MissingAlgorithm)?;
            map.push((text("alg"), Value::Integer(alg.into())));
        }
        "fido-u2f" => {}
        other => return Err(AttestationError::UnsupportedFormat(other.to_owned())),
    }
    if att_stmt.sig.is_empty() {
        return Err(AttestationError::MissingSignature);
    }
    map.push((text("sig"), Value::Bytes(att_stmt.sig.clone())));
    // Self attestation has no certificate chain, and then no x5c key at all (§8.2).
    if !att_stmt.x5c.is_empty() {
        let chain = att_stmt.x5c.iter().cloned().map(Value::Bytes).collect();
        map.push((text("x5c"), Value::Array(chain)));
    }
    Ok(map)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

#[cfg(test)]
mod tests;
