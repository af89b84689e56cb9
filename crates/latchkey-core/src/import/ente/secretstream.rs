//! The pull (decrypting) side of libsodium's `crypto_secretstream_xchacha20poly1305`,
//! which Ente Auth seals its encrypted export with — our own code for the construction
//! libsodium describes (doc.libsodium.org, "Encrypted streams and file encryption",
//! algorithm notes) with the MAC padding as libsodium actually computes it:
//!
//! 1. `init_pull(header, key)`: the stream key `k` is HChaCha20(key, header[0..16]);
//!    the 12-byte ChaCha20 nonce is `counter ‖ inonce`, with a 4-byte little-endian
//!    counter starting at 1 and `inonce` = header[16..24].
//! 2. Each message is `c[0] ‖ ciphertext ‖ mac[16]`. ChaCha20 block 0 gives the Poly1305
//!    key; block 1 encrypts the one-byte tag (in a 64-byte block whose other bytes are
//!    zero before encryption); the message is encrypted from block 2 on.
//! 3. Poly1305 runs over one byte string: `ad`, zero-padded to 16; the whole encrypted
//!    tag block (64 bytes); the ciphertext followed by `len(ciphertext) & 15` zero bytes
//!    — libsodium computes the padding as `(0x10 - 64 + mlen) & 0xf`, which is *not*
//!    padding to 16, so the string need not end on a block boundary; then `len(ad)` and
//!    `64 + len(ciphertext)` as 8-byte little-endian numbers.
//! 4. After each message `inonce ^= mac[0..8]` and the counter goes up by one; when the
//!    tag has the REKEY bit or the counter wraps to 0, `k ‖ inonce` is replaced by
//!    ChaCha20(k, nonce) applied to itself and the counter starts at 1 again.
//!
//! Checked against the Ente CLI's vector (formats.md §5.1) and against streams PyNaCl
//! (libsodium) wrote, in the tests below and in `tests/it/import_ente.rs`.

use chacha20::cipher::{KeyIvInit, StreamCipher};
use chacha20::{ChaCha20, R20, hchacha};
use poly1305::Poly1305;
use poly1305::universal_hash::KeyInit;
use zeroize::{Zeroize, Zeroizing};

/// The header's size (`crypto_secretstream_xchacha20poly1305_HEADERBYTES`).
pub(super) const HEADER_BYTES: usize = 24;
/// What each message adds: the tag byte and the MAC (`…_ABYTES`).
pub(super) const A_BYTES: usize = 17;
/// The tag of the last message of a stream (`…_TAG_FINAL`).
pub(super) const TAG_FINAL: u8 = 0x03;
const TAG_REKEY: u8 = 0x02;

/// Why a message could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PullError {
    /// Shorter than a tag and a MAC.
    TooShort,
    /// The MAC does not match: a wrong key, or changed bytes.
    Forged,
}

/// A stream being decrypted, message by message.
pub(super) struct Pull {
    k: Zeroizing<[u8; 32]>,
    /// `counter (LE) ‖ inonce`.
    nonce: Zeroizing<[u8; 12]>,
}

impl Pull {
    /// `crypto_secretstream_xchacha20poly1305_init_pull`.
    pub(super) fn new(key: &[u8; 32], header: &[u8; HEADER_BYTES]) -> Self {
        let mut input = [0u8; 16];
        input.copy_from_slice(&header[..16]);
        let mut k = Zeroizing::new([0u8; 32]);
        k.copy_from_slice(&hchacha::<R20>(key.into(), &input.into()));
        let mut nonce = Zeroizing::new([0u8; 12]);
        nonce[4..].copy_from_slice(&header[16..]);
        let mut pull = Self { k, nonce };
        pull.reset_counter();
        pull
    }

    fn reset_counter(&mut self) {
        self.nonce[..4].copy_from_slice(&1u32.to_le_bytes());
    }

    fn cipher(&self) -> ChaCha20 {
        ChaCha20::new((&*self.k).into(), (&*self.nonce).into())
    }

    /// `crypto_secretstream_xchacha20poly1305_pull` without additional data: the
    /// message and its tag. The state only moves on when the message is genuine.
    pub(super) fn pull(&mut self, c: &[u8]) -> Result<(Zeroizing<Vec<u8>>, u8), PullError> {
        if c.len() < A_BYTES {
            return Err(PullError::TooShort);
        }
        let (body, mac) = c.split_at(c.len() - 16);
        let (first, ciphertext) = body.split_at(1);
        let mut cipher = self.cipher();

        // Block 0: the one-time Poly1305 key.
        let mut block = Zeroizing::new([0u8; 64]);
        cipher.apply_keystream(&mut *block);
        let poly = Poly1305::new_from_slice(&block[..32]).map_err(|_| PullError::Forged)?;

        // Block 1: the tag, encrypted in a block of zeros; the MAC covers the block as
        // sent (the encrypted tag byte, then 63 bytes of keystream).
        block.zeroize();
        block[0] = first[0];
        cipher.apply_keystream(&mut *block);
        let tag = block[0];
        block[0] = first[0];
        // No additional data, so nothing (and no padding) before the block.
        let mut authenticated = Vec::with_capacity(64 + ciphertext.len() + 15 + 16);
        authenticated.extend_from_slice(&*block);
        authenticated.extend_from_slice(ciphertext);
        authenticated.resize(authenticated.len() + (ciphertext.len() & 0xf), 0);
        authenticated.extend_from_slice(&0u64.to_le_bytes());
        let sent = 64u64.saturating_add(ciphertext.len() as u64);
        authenticated.extend_from_slice(&sent.to_le_bytes());
        let expected = poly.compute_unpadded(&authenticated);
        // Constant-time comparison: a forged MAC must not say how much of it was right.
        if !bool::from(subtle::ConstantTimeEq::ct_eq(expected.as_slice(), mac)) {
            return Err(PullError::Forged);
        }

        // Blocks 2…: the message.
        let mut message = Zeroizing::new(ciphertext.to_vec());
        cipher.apply_keystream(&mut message);

        for (n, m) in self.nonce[4..].iter_mut().zip(mac) {
            *n ^= m;
        }
        let counter =
            u32::from_le_bytes([self.nonce[0], self.nonce[1], self.nonce[2], self.nonce[3]])
                .wrapping_add(1);
        self.nonce[..4].copy_from_slice(&counter.to_le_bytes());
        if tag & TAG_REKEY != 0 || counter == 0 {
            self.rekey();
        }
        Ok((message, tag))
    }

    /// `crypto_secretstream_xchacha20poly1305_rekey`.
    fn rekey(&mut self) {
        let mut next = Zeroizing::new([0u8; 40]);
        next[..32].copy_from_slice(&*self.k);
        next[32..].copy_from_slice(&self.nonce[4..]);
        self.cipher().apply_keystream(&mut *next);
        self.k.copy_from_slice(&next[..32]);
        self.nonce[4..].copy_from_slice(&next[32..]);
        self.reset_counter();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    fn b64(s: &str) -> Vec<u8> {
        STANDARD.decode(s).unwrap()
    }

    fn key(s: &str) -> [u8; 32] {
        b64(s).try_into().unwrap()
    }

    fn header(s: &str) -> [u8; HEADER_BYTES] {
        b64(s).try_into().unwrap()
    }

    /// The Ente CLI's vector (cli/internal/crypto/crypto_test.go), with the key its
    /// Argon2 step derives; libsodium (PyNaCl) also opens it, with the FINAL tag.
    #[test]
    fn opens_the_ente_cli_vector() {
        let key = key("vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=");
        let mut pull = Pull::new(&key, &header("v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ"));
        let (message, tag) = pull
            .pull(&b64("kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO"))
            .unwrap();
        assert_eq!(message.as_slice(), b"plain_text");
        assert_eq!(tag, TAG_FINAL);
    }

    /// A stream of four messages PyNaCl 1.6 (libsodium) pushed with the key 0x00..0x1f:
    /// an empty MESSAGE, a 70-byte PUSH, a REKEY (the state moves to a new key) and a
    /// FINAL after it, so the nonce update and the rekey are both exercised.
    #[test]
    fn follows_libsodium_across_messages_and_a_rekey() {
        let key: [u8; 32] = core::array::from_fn(|i| i as u8);
        let mut pull = Pull::new(&key, &header(STREAM_HEADER));
        let expected: [(&[u8], u8); 4] = [
            (b"", 0),
            (&[b'x'; 70], 1),
            (b"before the rekey", 2),
            (b"after the rekey", 3),
        ];
        for (c, (m, t)) in STREAM.iter().zip(expected) {
            let (message, tag) = pull.pull(&b64(c)).unwrap();
            assert_eq!((message.as_slice(), tag), (m, t));
        }
    }

    #[test]
    fn refuses_changed_bytes_short_input_and_the_wrong_key() {
        let key = key("vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=");
        let h = header("v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ");
        let c = b64("kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO");
        for i in 0..c.len() {
            let mut bad = c.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                Pull::new(&key, &h).pull(&bad).unwrap_err(),
                PullError::Forged
            );
        }
        assert_eq!(
            Pull::new(&key, &h).pull(&c[..16]).unwrap_err(),
            PullError::TooShort
        );
        assert_eq!(
            Pull::new(&[7; 32], &h).pull(&c).unwrap_err(),
            PullError::Forged
        );
        // A message cannot be replayed in another position of the stream.
        let mut pull = Pull::new(&key, &h);
        pull.pull(&c).unwrap();
        assert_eq!(pull.pull(&c).unwrap_err(), PullError::Forged);
    }

    const STREAM_HEADER: &str = "SXkN8VmQIlMCGmvsdE4ppwgNzNBp+bfn";
    const STREAM: [&str; 4] = [
        "t3R2u9zEC4zvoBEjPYcFEII=",
        "SMop6iO0ueWZsHBF5L6U3Smrj1/sDGfRsHCJqDyzKqLqAAXSoOtBomvyNAGRkGNtq54Ep8TdlvjWMZgUNHTVF1lAd9ZN6EX6Zw16OPIuaecktTwarS7x",
        "VG9JxW89t8/jrJ95Rqb9W1H+1rDBmnJmi0C7ZPX/2ht7",
        "39ilivWcU53xSZLLijr9BKb2r0SZ0ghUHWmPvsqVdag=",
    ];
}
