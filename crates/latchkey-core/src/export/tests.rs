#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::import::{self, ImportError};
use crate::otp::{Algorithm, Kind, OtpParams, Secret};
use crate::recovery;
use crate::vault::KdfParams;

const NOW: i64 = 1_795_827_600;
/// Cheap Argon2 costs: the KDF is the vault's, tested there.
const FAST: KdfParams = KdfParams {
    m_kib: 64,
    t: 1,
    p: 1,
};

fn otp(kind: Kind, algorithm: Algorithm, digits: u8, secret: &str) -> OtpParams {
    OtpParams::new(
        kind,
        algorithm,
        digits,
        Secret::from_base32(secret).unwrap(),
    )
    .unwrap()
}

/// One account of every kind, algorithm and odd setting, with tags and recovery codes.
fn accounts() -> Vec<Account> {
    let mut github = Account::new(
        "GitHub",
        "alice@example.com",
        otp(
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            "JBSWY3DPEHPK3PXP",
        ),
        1,
    );
    github.tags = vec!["work".into(), "code".into()];
    github.icon = Some("github".into());
    github
        .recovery
        .replace(recovery::parse("aaaa-1111\nbbbb-2222").unwrap(), 2);
    github.recovery.use_code(Some("aaaa-1111"), 3).unwrap();
    let mut bank = Account::new(
        "Bank: Ltd & Co",
        "me",
        otp(
            Kind::Hotp { counter: 42 },
            Algorithm::Sha256,
            8,
            "GEZDGNBVGY3TQOJQ",
        ),
        4,
    );
    bank.tags = vec!["money".into()];
    vec![
        github,
        bank,
        Account::new(
            "",
            "a:b",
            otp(
                Kind::Totp { period: 60 },
                Algorithm::Sha512,
                7,
                "MFRGGZDFMZTWQ2LK",
            ),
            5,
        ),
        Account::new(
            "Steam",
            "gamer",
            otp(Kind::Steam, Algorithm::Sha1, 5, "ONSWG4TFOQ"),
            6,
        ),
    ]
}

/// What an `otpauth://` link carries.
fn link_fields(a: &Account) -> (String, String, OtpParams) {
    (a.issuer.clone(), a.label.clone(), a.otp.clone())
}

#[test]
fn links_round_trip_through_the_uris_import_keeping_kinds_and_settings() {
    let accounts = accounts();
    let text = uris(&accounts);
    assert_eq!(text.lines().count(), 4);
    let format = import::detect(text.as_bytes()).unwrap();
    assert_eq!(format.id(), "uris");
    let back = format.restore(text.as_bytes(), None).unwrap();
    assert!(back.skipped.is_empty());
    let want: Vec<_> = accounts.iter().map(link_fields).collect();
    let got: Vec<_> = back.accounts.iter().map(link_fields).collect();
    assert_eq!(got, want);
}

#[test]
fn a_backup_restores_every_field_with_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.latchkey");
    let accounts = accounts();
    backup(&accounts, &path, "pässword", FAST, NOW).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names,
        ["backup.latchkey"],
        "no .bak or .lock left beside it"
    );

    let bytes = std::fs::read(&path).unwrap();
    let format = import::detect(&bytes).unwrap();
    assert_eq!(format.id(), "latchkey");
    assert!(format.encrypted(&bytes));
    let back = format.restore(&bytes, Some("pässword")).unwrap();
    assert!(back.skipped.is_empty());
    assert_eq!(back.accounts.len(), accounts.len());
    for (got, want) in back.accounts.iter().zip(&accounts) {
        assert_eq!(link_fields(got), link_fields(want));
        assert_eq!(got.tags, want.tags);
        assert_eq!(got.icon, want.icon);
        assert_eq!(got.recovery, want.recovery);
        assert_ne!(got.id, want.id, "an import gets fresh ids");
        assert_eq!(got.created_at, 0, "the importer stamps the time");
    }
}

#[test]
fn a_backup_refuses_a_wrong_or_missing_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.latchkey");
    backup(&accounts(), &path, "right", FAST, NOW).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let format = import::by_id("latchkey").unwrap();
    assert_eq!(
        format.restore(&bytes, Some("wrong")).unwrap_err(),
        ImportError::WrongPassword
    );
    assert_eq!(
        format.restore(&bytes, None).unwrap_err(),
        ImportError::NeedsPassword
    );
    assert!(matches!(
        format.restore(&bytes[..bytes.len() - 5], Some("right")),
        Err(ImportError::Damaged(_))
    ));
}

#[test]
fn a_backup_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.latchkey");
    std::fs::write(&path, b"keep me").unwrap();
    let err = backup(&accounts(), &path, "pw", FAST, NOW).unwrap_err();
    assert!(
        matches!(err, ExportError::Vault(VaultError::AlreadyExists(_))),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
}

#[test]
fn a_vault_kept_only_by_a_keychain_is_refused_with_a_reason() {
    use crate::keystore::MemoryKeyStore;
    use crate::vault::{NewVault, Vault};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.latchkey");
    let keychain = MemoryKeyStore::new();
    let new = NewVault {
        keychain: Some(&keychain),
        password: None,
        kdf: FAST,
    };
    drop(Vault::create(&path, new, NOW).unwrap());
    let bytes = std::fs::read(&path).unwrap();
    let format = import::detect(&bytes).unwrap();
    assert!(!format.encrypted(&bytes), "no password to ask for");
    let err = format.restore(&bytes, None).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported(_)), "{err:?}");
    assert!(err.to_string().contains("OS keychain"), "{err}");
}

/// The dark modules of an SVG the `qrcode` crate drew (`M{x} {y}h{w}v{h}…` per run).
fn modules(svg: &str) -> (usize, Vec<(usize, usize)>) {
    let size: usize = svg
        .split("width=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    let path = svg.split(" d=\"").nth(1).unwrap();
    let path = path.split('"').next().unwrap();
    let m = MODULE_SIZE;
    let mut dark = Vec::new();
    for run in path.split('M').filter(|r| !r.is_empty()) {
        let nums: Vec<usize> = run
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let (x, y, w, h) = (nums[0], nums[1], nums[2], nums[3]);
        for my in (y / m)..((y + h) / m) {
            for mx in (x / m)..((x + w) / m) {
                dark.push((mx, my));
            }
        }
    }
    (size / m, dark)
}
const MODULE_SIZE: usize = qr::MODULE as usize;

#[test]
fn each_qr_code_reads_back_as_the_accounts_link() {
    let accounts = accounts();
    let codes = qr_svgs(&accounts).unwrap();
    assert_eq!(codes.len(), accounts.len());
    for ((name, svg), account) in codes.iter().zip(&accounts) {
        assert_eq!(*name, account.display_name());
        let (size, dark) = modules(svg);
        let mut grid = vec![255u8; size * size];
        for (x, y) in dark {
            grid[y * size + x] = 0;
        }
        // Four pixels a module, as a camera would see it at least.
        let scale = 4;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
                grid[(y / scale) * size + x / scale]
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "{name}");
        let (_, text) = grids[0].decode().unwrap();
        assert_eq!(
            text,
            *otpauth::to_uri(&account.issuer, &account.label, &account.otp)
        );
    }
}

#[test]
fn the_sheet_shows_each_account_and_escapes_names() {
    let mut accounts = accounts();
    accounts[1].issuer = "<script>alert(1)</script>".into();
    let page = sheet(&accounts, NOW).unwrap();
    assert!(!page.contains("<script"), "no script, names escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; (me)"));
    assert!(page.contains("GitHub (alice@example.com)"));
    assert!(page.contains("<code class=\"secret\">JBSW Y3DP EHPK 3PXP</code>"));
    assert!(page.contains("HOTP, SHA256, 8 digits, counter 42"));
    assert!(page.contains("TOTP, SHA512, 7 digits, every 60 s"));
    assert!(page.contains("Steam Guard, SHA1, 5 digits, every 30 s"));
    assert!(page.contains("<dd>work, code</dd>"));
    assert!(page.contains("<li class=\"used\"><code>aaaa-1111</code>"));
    assert!(page.contains("<li><code>bbbb-2222</code></li>"));
    assert!(page.contains("1 of 2 codes unused."));
    assert_eq!(page.matches("<section>").count(), 4);
    assert_eq!(page.matches("<svg").count(), 4, "the QR codes inline");
    assert!(!page.contains("<?xml"));
    assert!(page.contains("@media print"));
    assert!(page.contains("4 accounts printed 2026-11-28"));
    for outside in ["src=", "href=", "url(", "@import"] {
        assert!(!page.contains(outside), "no outside resource: {outside}");
    }
}
