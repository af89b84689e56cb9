//! The one integration-test binary of latchkey-core: peers (oathtool), the real OS
//! keychain and the vault file on disk.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod crash;
mod export_aegis;
mod import_aegis;
mod import_andotp;
mod import_bitwarden;
mod import_ente;
mod import_freeotp_plus;
mod import_twofas;
mod import_vectors;
mod keychain;
mod oathtool;
