//! Recovery codes: ten single-use codes handed out when TOTP is confirmed, stored only as
//! HMAC-SHA256 under the server key.
//!
//! A code is 10 characters of Crockford base32 (50 bits), shown as `xxxxx-xxxxx`. Typed
//! codes are compared case-insensitively, without spaces or dashes, and with Crockford's
//! look-alikes mapped (`o`→`0`, `i`/`l`→`1`).

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use zeroize::Zeroizing;

use crate::error::ApiError;
use crate::keys::ServerKey;

/// How many codes one set holds.
pub(crate) const COUNT: usize = 10;
const LEN: usize = 10;
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A new set of codes, as shown to the user.
fn generate() -> Result<Vec<Zeroizing<String>>, ApiError> {
    let mut codes = Vec::with_capacity(COUNT);
    for _ in 0..COUNT {
        let bytes = Zeroizing::new(crate::token::random_bytes::<LEN>()?);
        let mut code = Zeroizing::new(String::with_capacity(LEN + 1));
        for (i, b) in bytes.iter().enumerate() {
            if i == LEN / 2 {
                code.push('-');
            }
            // 256 is a multiple of 32: masking has no bias.
            code.push(char::from(ALPHABET[usize::from(b & 31)]));
        }
        codes.push(code);
    }
    Ok(codes)
}

/// The form codes are hashed in.
pub(crate) fn normalize(input: &str) -> Zeroizing<String> {
    Zeroizing::new(
        input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_lowercase() {
                'o' => '0',
                'i' | 'l' => '1',
                c => c,
            })
            .collect(),
    )
}

/// Replaces the user's codes with a new set, all at once: the old codes are deleted in
/// the same transaction that inserts the new ones.
pub(crate) fn replace(
    tx: &Transaction<'_>,
    keys: &ServerKey,
    user_id: &str,
    now: i64,
) -> Result<Vec<Zeroizing<String>>, ApiError> {
    let codes = generate()?;
    tx.execute(
        "DELETE FROM recovery_codes WHERE user_id = ?1",
        params![user_id],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?1, ?2, ?3)",
    )?;
    for code in &codes {
        let hash = keys.recovery_hash(user_id, &normalize(code));
        insert.execute(params![user_id, &hash[..], now])?;
    }
    Ok(codes)
}

/// Uses a code: true if it was one of the user's unused codes, now marked used.
///
/// One `UPDATE … WHERE used_at IS NULL`: of any number of racing requests with the same
/// code, exactly one changes the row. The row is found by the code's keyed hash, which
/// an attacker cannot compute, so the lookup's timing reveals nothing about the codes.
pub(crate) fn consume(
    tx: &Transaction<'_>,
    keys: &ServerKey,
    user_id: &str,
    code: &str,
    now: i64,
) -> Result<bool, ApiError> {
    let code = normalize(code);
    if code.len() != LEN {
        return Ok(false);
    }
    let hash = keys.recovery_hash(user_id, &code);
    let changed = tx.execute(
        "UPDATE recovery_codes SET used_at = ?1
         WHERE user_id = ?2 AND code_hash = ?3 AND used_at IS NULL",
        params![now, user_id, &hash[..]],
    )?;
    Ok(changed == 1)
}

/// How many codes the user has, how many are unused, and when the set was made.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Status {
    pub(crate) remaining: i64,
    pub(crate) total: i64,
    pub(crate) generated_at: Option<i64>,
}

pub(crate) fn status(conn: &Connection, user_id: &str) -> Result<Status, ApiError> {
    let (remaining, total, generated_at) = conn
        .query_row(
            "SELECT COUNT(*) FILTER (WHERE used_at IS NULL), COUNT(*), MAX(created_at)
             FROM recovery_codes WHERE user_id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .unwrap_or((0, 0, None));
    Ok(Status {
        remaining,
        total,
        generated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_ten_distinct_codes_in_the_alphabet() {
        let Ok(codes) = generate() else { return };
        assert_eq!(codes.len(), COUNT);
        let mut seen: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), COUNT);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert_eq!(code.as_bytes()[5], b'-');
            assert_eq!(normalize(code).len(), LEN);
            assert!(normalize(code).bytes().all(|b| ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn normalizes_case_spaces_dashes_and_look_alikes() {
        assert_eq!(normalize(" AB1O2-IL 3x4 ").as_str(), "ab102113x4");
    }
}
