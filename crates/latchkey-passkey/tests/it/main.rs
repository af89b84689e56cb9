//! The client against the real account service, started in-process, with a software
//! security key (kanidm's SoftToken: packed attestation with an x5c chain) behind the
//! `Authenticator` trait. webauthn-rs in the service verifies every result.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod link;
mod platform;
mod service;
mod soft_key;
mod support;
