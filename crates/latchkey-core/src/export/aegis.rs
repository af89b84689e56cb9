//! An encrypted Aegis vault for Aegis's "Import" (and Latchkey's `aegis` import
//! format): vault file version 1, contents version 3, one password slot with scrypt
//! (Aegis's own costs, N = 2^15, r = 8, p = 1, unless others are given) and
//! AES-256-GCM. Spec: beemdevelopment/Aegis `docs/vault.md`; the tests open it with
//! the steps of its `docs/decrypt.py` in Python's `cryptography` (not in the app).
//!
//! Kept: kind (TOTP, HOTP, Steam), algorithm, digits, period or counter, secret,
//! issuer, name, and tags as Aegis groups. Lost: icons, recovery codes and the time an
//! account was added (Aegis has no field for recovery codes or that time).

use base64::Engine;
use serde::Serialize;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::ExportError;
use crate::Account;
use crate::import::aegis::file::{CryptParams, Header, PasswordSlot, VaultFile};
use crate::import::aegis::{kek, seal};
use crate::otp::Kind;
use crate::vault::VaultError;

pub use crate::import::aegis::ScryptParams;

/// The contents version Aegis writes today.
const CONTENTS_VERSION: u32 = 3;

/// `accounts` as an Aegis vault file encrypted with `password`; scrypt costs
/// `params` ([`ScryptParams::AEGIS`] for what Aegis itself writes).
pub fn aegis(
    accounts: &[Account],
    password: &str,
    params: ScryptParams,
) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let mut contents = contents(accounts)?;

    let mut master = Zeroizing::new([0u8; 32]);
    getrandom::fill(master.as_mut()).map_err(|_| VaultError::Rng)?;
    let (nonce, tag) = seal(&master, &mut contents).ok_or(failed())?;

    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt).map_err(|_| VaultError::Rng)?;
    let kek = kek(password, &salt, params).ok_or(failed())?;
    // Sealed in place: the copy of the master key becomes the wrapped key.
    let mut wrapped = master.clone();
    let (key_nonce, key_tag) = seal(&kek, wrapped.as_mut()).ok_or(failed())?;

    let slot = PasswordSlot {
        kind: crate::import::aegis::file::PASSWORD_SLOT,
        uuid: Uuid::new_v4().to_string(),
        key: hex(wrapped.as_ref()),
        key_params: crypt_params(&key_nonce, &key_tag),
        n: params.n(),
        r: params.r().into(),
        p: params.p().into(),
        salt: hex(&salt),
        repaired: true,
        is_backup: false,
    };
    let file = VaultFile {
        version: 1,
        header: Header {
            slots: Some(vec![serde_json::to_value(slot).map_err(|_| failed())?]),
            params: Some(crypt_params(&nonce, &tag)),
        },
        db: base64::engine::general_purpose::STANDARD.encode(contents.as_slice()),
    };
    let out = serde_json::to_vec_pretty(&file).map_err(|_| failed())?;
    Ok(Zeroizing::new(out))
}

/// Encryption of a few kilobytes under a fresh key cannot fail; if it ever did, this
/// is the vault's word for it.
fn failed() -> ExportError {
    ExportError::Vault(VaultError::Corrupt("encryption failed"))
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn crypt_params(nonce: &[u8; 12], tag: &[u8; 16]) -> CryptParams {
    CryptParams {
        nonce: hex(nonce),
        tag: hex(tag),
    }
}

/// docs/vault.md, "Vault content", as Aegis writes it.
#[derive(Serialize)]
struct Contents<'a> {
    version: u32,
    entries: Vec<Entry<'a>>,
    groups: &'a [Group<'a>],
    icons_optimized: bool,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'static str,
    favorite: bool,
    icon: Option<()>,
    icon_mime: Option<()>,
    icon_hash: Option<()>,
    info: Info<'a>,
    groups: Vec<&'a str>,
}

#[derive(Serialize)]
struct Info<'a> {
    secret: &'a str,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

#[derive(Serialize)]
struct Group<'a> {
    uuid: String,
    name: &'a str,
}

/// The contents' JSON in a buffer sized once, so no copy of a secret is left behind
/// by a growing vector.
fn contents(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let secrets: Vec<Zeroizing<String>> = accounts
        .iter()
        .map(|a| a.otp.secret().to_base32())
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for tag in accounts.iter().flat_map(|a| &a.tags) {
        if !groups.iter().any(|g| g.name == tag) {
            groups.push(Group {
                uuid: Uuid::new_v4().to_string(),
                name: tag,
            });
        }
    }
    let entries = accounts
        .iter()
        .zip(&secrets)
        .map(|(a, secret)| entry(a, secret, &groups))
        .collect();
    let contents = Contents {
        version: CONTENTS_VERSION,
        entries,
        groups: &groups,
        icons_optimized: true,
    };
    let mut size = Count(0);
    serde_json::to_writer(&mut size, &contents).map_err(|_| failed())?;
    let mut out = Zeroizing::new(Vec::with_capacity(size.0));
    serde_json::to_writer(&mut *out, &contents).map_err(|_| failed())?;
    Ok(out)
}

fn entry<'a>(a: &'a Account, secret: &'a str, groups: &'a [Group]) -> Entry<'a> {
    let otp = &a.otp;
    let (kind, counter) = match otp.kind() {
        Kind::Totp { .. } => ("totp", None),
        Kind::Hotp { counter } => ("hotp", Some(counter)),
        Kind::Steam => ("steam", None),
    };
    Entry {
        kind,
        uuid: a.id.to_string(),
        name: &a.label,
        issuer: &a.issuer,
        note: "",
        favorite: false,
        icon: None,
        icon_mime: None,
        icon_hash: None,
        info: Info {
            secret,
            algo: otp.algorithm().as_str(),
            digits: otp.digits(),
            period: otp.period(),
            counter,
        },
        groups: a
            .tags
            .iter()
            .filter_map(|t| groups.iter().find(|g| g.name == t))
            .map(|g| g.uuid.as_str())
            .collect(),
    }
}

/// Counts the bytes written to it.
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
