//! clientDataJSON, serialised by hand exactly as WebAuthn §5.8.1.1 tells browsers to, so
//! that its bytes (and so their hash, which the authenticator signs) are predictable.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The ceremony a clientDataJSON belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// `webauthn.create`: registration.
    Create,
    /// `webauthn.get`: authentication.
    Get,
}

impl Ceremony {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "webauthn.create",
            Self::Get => "webauthn.get",
        }
    }
}

/// CollectedClientData (WebAuthn §5.8.1) for a same-origin request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientData {
    json: Vec<u8>,
}

impl ClientData {
    /// The clientDataJSON for `challenge` at `origin` (an origin string such as
    /// `https://example.org`, with no trailing slash).
    pub fn new(ceremony: Ceremony, challenge: &[u8], origin: &str) -> Self {
        // §5.8.1.1: fixed key order; crossOrigin is always present and false here.
        let mut json = String::from("{\"type\":");
        push_ccd_string(&mut json, ceremony.as_str());
        json.push_str(",\"challenge\":");
        push_ccd_string(&mut json, &URL_SAFE_NO_PAD.encode(challenge));
        json.push_str(",\"origin\":");
        push_ccd_string(&mut json, origin);
        json.push_str(",\"crossOrigin\":false}");
        Self {
            json: json.into_bytes(),
        }
    }

    /// The clientDataJSON bytes to send.
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// SHA-256 of the bytes: what the authenticator signs over.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(&self.json).into()
    }
}

/// CCDToString (§5.8.1.1): quote, escaping `"` and `\`, and code points outside
/// U+0020–U+10FFFF minus those two as `\u` with four lower-case hex digits.
fn push_ccd_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn matches_the_python_fido2_vector_and_its_hash() {
        // python-fido2 tests/test_webauthn.py (formats.md §6.1).
        let challenge = URL_SAFE_NO_PAD
            .decode("cdySOP-1JI4J_BpOeO9ut25rlZJueF16aO6auTTYAis")
            .unwrap();
        let cd = ClientData::new(Ceremony::Create, &challenge, "https://demo.yubico.com");
        assert_eq!(
            cd.json(),
            br#"{"type":"webauthn.create","challenge":"cdySOP-1JI4J_BpOeO9ut25rlZJueF16aO6auTTYAis","origin":"https://demo.yubico.com","crossOrigin":false}"#
        );
        assert_eq!(
            hex(&cd.hash()),
            "8b20a0b904b4747aacae71d55bf60b4eb2583f7e639f55f40baac23c2600c178"
        );
    }

    #[test]
    fn get_ceremony_and_escapes_follow_ccd_to_string() {
        let cd = ClientData::new(Ceremony::Get, b"\x01", "a\"b\\c\u{7}é");
        assert_eq!(
            std::str::from_utf8(cd.json()).unwrap(),
            r#"{"type":"webauthn.get","challenge":"AQ","origin":"a\"b\\c\u0007é","crossOrigin":false}"#
        );
        let parsed: serde_json::Value = serde_json::from_slice(cd.json()).unwrap();
        assert_eq!(parsed["origin"], "a\"b\\c\u{7}é");
    }
}
