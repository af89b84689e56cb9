//! The one integration-test binary of account-service: each test starts the real server
//! on 127.0.0.1:0 with its own data file and a manual clock, and talks HTTP to it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod device;
mod errors;
mod openapi;
mod pages;
mod passkeys;
mod recovery;
mod seed_flow;
mod storage;
mod teams;
mod totp;
