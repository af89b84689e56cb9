//! The secret: lenient base32 in, canonical base32 out, and a Debug that shows nothing.

use super::*;

#[track_caller]
fn bytes(text: &str) -> Vec<u8> {
    Secret::from_base32(text)
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
        .as_bytes()
        .to_vec()
}

#[track_caller]
fn rejected(text: &str) -> OtpError {
    match Secret::from_base32(text) {
        Ok(s) => panic!("{text:?} should be rejected, got {s:?}"),
        Err(e) => e,
    }
}

#[test]
fn one_byte_secrets_with_and_without_padding() {
    assert_eq!(bytes("AA"), [0]);
    assert_eq!(bytes("AA======"), [0]);
    assert_eq!(bytes("aa%3D%3d%3D%3D%3D%3D"), [0]);
}

#[test]
fn lower_case_unpadded_abba_is_00_42() {
    assert_eq!(bytes("abba"), [0x00, 0x42]);
}

#[test]
fn spaces_dashes_tabs_and_line_breaks_are_ignored() {
    let hello = b"Hello!\xde\xad\xbe\xef";
    assert_eq!(bytes("JBSWY3DPEHPK3PXP"), hello);
    assert_eq!(bytes(" JBSW Y3DP-EHPK-3PXP\r\n"), hello);
    assert_eq!(bytes("jbsw\ty3dp\nehpk 3pxp"), hello);
}

#[test]
fn every_valid_length_decodes_to_whole_bytes() {
    // 2, 4, 5, 7 and 8 symbols carry 1 to 5 bytes; the spare bits are dropped.
    for (text, len) in [
        ("AB", 1),
        ("ABCD", 2),
        ("ABCDE", 3),
        ("ABCDEFG", 4),
        ("ABCDEFGH", 5),
    ] {
        assert_eq!(bytes(text).len(), len, "{text}");
    }
}

#[test]
fn empty_secrets_are_rejected() {
    for text in ["", "   ", "========", "%3D%3D", " - - "] {
        assert_eq!(rejected(text), OtpError::EmptySecret, "{text:?}");
    }
}

#[test]
fn an_invalid_character_is_named_without_echoing_the_input() {
    let OtpError::InvalidBase32(why) = rejected("JBSWY3DP1EHPK3PXP") else {
        panic!("expected InvalidBase32");
    };
    assert!(why.contains("\"1\""), "{why}");
    for text in ["JBSW", "Y3DP", "EHPK", "3PXP"] {
        assert!(!why.to_ascii_uppercase().contains(text), "{why}");
    }
    let OtpError::InvalidBase32(why) = rejected("JBSWY3DPé") else {
        panic!("expected InvalidBase32");
    };
    assert!(why.contains("U+00E9") && !why.contains("JBSW"), "{why}");
    // Digits 0, 1, 8 and 9 are not in the base32 alphabet; neither is a stray `%`.
    for text in ["ABCDEFG0", "ABCDEFG8", "ABCDEFG9", "AA%3"] {
        assert!(
            matches!(rejected(text), OtpError::InvalidBase32(_)),
            "{text}"
        );
    }
}

#[test]
fn impossible_lengths_are_rejected_as_truncated() {
    // 1, 3 or 6 symbols past a multiple of 8 are never written by an encoder.
    for text in [
        "A",
        "ABC",
        "ABCDEF",
        "JBSWY3DPE",
        "JBSWY3DPEHP",
        "JBSWY3DPEHPK3P",
    ] {
        let error = rejected(text);
        let OtpError::InvalidBase32(why) = &error else {
            panic!("{text}: {error:?}");
        };
        assert!(why.contains("length") && !why.contains(text), "{why}");
        assert!(
            error
                .to_string()
                .starts_with("the secret is not valid base32: ")
        );
    }
}

#[test]
fn to_base32_is_upper_case_unpadded_and_reads_back() {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    for len in 1..=64 {
        let key: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let secret = Secret::from_bytes(key.clone());
        let text = secret.to_base32();
        assert!(
            text.chars().all(|c| matches!(c, 'A'..='Z' | '2'..='7')),
            "{}",
            text.as_str()
        );
        assert_eq!(text.as_str(), data_encoding::BASE32_NOPAD.encode(&key));
        assert_eq!(bytes(&text), key);
        assert_eq!(bytes(&text.to_lowercase()), key);
        assert_eq!(secret.len(), len);
    }
}

#[test]
fn debug_output_is_redacted() {
    let secret = Secret::from_bytes(SEED20.to_vec());
    let params = params(totp(30), Sha1, 6, SEED20);
    for debug in [
        format!("{secret:?}"),
        format!("{params:?}"),
        format!("{params:#?}"),
    ] {
        assert!(debug.contains("REDACTED; 20 bytes"), "{debug}");
        for leak in [
            "3132333435",
            "GEZDGNBV",
            "gezdgnbv",
            "1234567890",
            "49, 50",
            "0x31",
        ] {
            assert!(!debug.contains(leak), "{debug} shows {leak}");
        }
    }
}
