//! The one integration-test binary of latchkey-core: peers (oathtool), the real OS
//! keychain and the vault file on disk.

mod oathtool;
