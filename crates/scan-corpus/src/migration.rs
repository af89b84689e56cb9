//! Google Authenticator exports: `otpauth-migration://offline?data=<base64 protobuf>`.
//!
//! The protobuf is written by hand from the schema in formats.md §3.1 (MigrationPayload /
//! OtpParameters); a dozen lines of varints need no protobuf crate. Several accounts go
//! into one payload so the QR code is dense (version 10–20), which is what an export of a
//! real phone looks like.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::payload::Account;

/// Appends a base-128 varint.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a field key: field number and wire type (0 = varint, 2 = length-delimited).
fn key(out: &mut Vec<u8>, field: u64, wire: u64) {
    varint(out, field << 3 | wire);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn varint_field(out: &mut Vec<u8>, field: u64, v: u64) {
    key(out, field, 0);
    varint(out, v);
}

/// One `OtpParameters` message.
fn otp_parameters(account: &Account, name_has_issuer: bool) -> Vec<u8> {
    let mut out = Vec::new();
    bytes_field(&mut out, 1, &account.secret);
    let name = if name_has_issuer {
        format!("{}:{}", account.issuer, account.name)
    } else {
        account.name.clone()
    };
    bytes_field(&mut out, 2, name.as_bytes());
    bytes_field(&mut out, 3, account.issuer.as_bytes());
    varint_field(&mut out, 4, u64::from(account.algorithm));
    varint_field(&mut out, 5, if account.digits == 8 { 2 } else { 1 });
    varint_field(
        &mut out,
        6,
        if account.hotp_counter.is_some() { 1 } else { 2 },
    );
    if let Some(counter) = account.hotp_counter {
        varint_field(&mut out, 7, counter);
    }
    out
}

/// A `MigrationPayload` holding the accounts as batch 0 of 1.
pub fn payload(accounts: &[Account], batch_id: i32, name_has_issuer: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for account in accounts {
        bytes_field(&mut out, 1, &otp_parameters(account, name_has_issuer));
    }
    varint_field(&mut out, 2, 1); // version
    varint_field(&mut out, 3, 1); // batch_size
    varint_field(&mut out, 4, 0); // batch_index
    // int32 fields are sign-extended to 64 bits: a negative batch_id takes 10 bytes.
    varint_field(&mut out, 5, i64::from(batch_id) as u64);
    out
}

/// The export URI. Google Authenticator percent-encodes `+ / =`; some QR codes in the
/// wild carry them raw (formats.md §3.1, "the raw `+` problem"), so a few do here too.
pub fn uri(payload: &[u8], percent_encode: bool) -> String {
    let data = STANDARD.encode(payload);
    let data = if percent_encode {
        data.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    } else {
        data
    };
    format!("otpauth-migration://offline?data={data}")
}

/// A random export whose QR code (EC level M, as [`crate::qr::encode`] makes it) is of
/// version 10 to 20: accounts are added or dropped until it is.
pub fn dense_export(rng: &mut fastrand::Rng) -> String {
    let target = rng.i16(10..=20);
    let batch_id = rng.i32(..);
    let name_has_issuer = rng.bool();
    let percent = rng.u8(..5) != 0;
    let mut accounts: Vec<Account> = (0..2).map(|_| Account::random(rng)).collect();
    loop {
        let text = uri(&payload(&accounts, batch_id, name_has_issuer), percent);
        let version = crate::qr::version_of(&text);
        if version >= target {
            if version <= 20 {
                return text;
            }
            // One account too many: an account adds 2–3 versions, so one less is ≥ 10.
            accounts.pop();
            return uri(&payload(&accounts, batch_id, name_has_issuer), percent);
        }
        accounts.push(Account::random(rng));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_formats_md_discord_sample() {
        // formats.md §3.2 sample 1 (gnome-authenticator): one Discord account.
        let account = Account {
            issuer: "Discord".into(),
            name: "johndoe@example.com".into(),
            secret: data_encoding::BASE32_NOPAD
                .decode(b"JRZCL47CMXVOQMNPZR2F7J4RGI")
                .unwrap(),
            algorithm: 1,
            digits: 6,
            hotp_counter: None,
        };
        let mut body = payload(&[account], 0, false);
        // The sample has no batch_id field; ours always writes one, so drop it (2 bytes).
        body.truncate(body.len() - 2);
        let sample =
            "CjYKEExyJfPiZeroMa/MdF+nkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA=";
        assert_eq!(STANDARD.encode(body), sample);
    }
}
