//! Counter-based (HOTP) accounts move on once per code, across processes; Steam Guard
//! accounts give the codes other Steam implementations give.

use crate::oathtool;
use crate::run::Sandbox;

const BANK: &str = "otpauth://hotp/Bank:me?secret=JBSWY3DPEHPK3PXP&counter=42&issuer=Bank";

fn counter(sb: &Sandbox, query: &str) -> u64 {
    let list = sb.ok(&["list", "--json"]).json();
    let item = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["issuer"] == query)
        .unwrap();
    item["counter"].as_u64().unwrap()
}

#[test]
fn each_hotp_code_uses_the_next_counter_and_the_counter_persists() {
    let sb = Sandbox::new();
    let added = sb.ok(&["add", BANK]);
    assert_eq!(
        added.stdout,
        "Added Bank (me).\nTo finish setup, run `latchkey code` with this account's name and enter the code on the site.\n"
    );
    assert_eq!(counter(&sb, "Bank"), 42);
    // Every `code` is its own process: the counter lives in the vault, not in memory.
    for c in 42..45 {
        let out = sb.ok(&["code", "bank"]);
        assert_eq!(
            out.stdout,
            format!("{}\n", oathtool::hotp("JBSWY3DPEHPK3PXP", 6, c)),
            "counter {c}"
        );
        assert_eq!(counter(&sb, "Bank"), c + 1);
    }
    let v = sb.ok(&["code", "bank", "--json"]).json();
    assert_eq!(v["code"], oathtool::hotp("JBSWY3DPEHPK3PXP", 6, 45));
    assert_eq!((&v["type"], &v["counter"]), (&"hotp".into(), &45.into()));
    assert_eq!(counter(&sb, "Bank"), 46);
}

#[test]
fn listing_all_codes_neither_shows_nor_uses_an_hotp_code() {
    let sb = Sandbox::new();
    sb.add(&[
        BANK,
        "otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    ]);
    let out = sb.ok(&["code", "--at", "0"]);
    assert_eq!(
        out.stdout,
        format!(
            "{:16}  [HOTP: `latchkey code QUERY` shows and uses the next code]\nGitHub (octocat)  {} (valid 30 s more)\n",
            "Bank (me)",
            oathtool::totp("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, 0)
        )
    );
    let all = sb.ok(&["code", "--json"]).json();
    assert_eq!(all[0]["code"], serde_json::Value::Null);
    assert_eq!(counter(&sb, "Bank"), 42);
}

#[test]
fn hotp_from_parts_starts_at_the_given_counter() {
    let sb = Sandbox::new();
    sb.ok(&[
        "add",
        "--hotp",
        "--counter",
        "7",
        "--digits",
        "8",
        "--issuer",
        "Yubi",
        "--account",
        "key",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
    ]);
    let out = sb.ok(&["code", "yubi"]);
    assert_eq!(
        out.stdout,
        format!("{}\n", oathtool::hotp("GEZDGNBVGY3TQOJQ", 8, 7))
    );
    assert_eq!(counter(&sb, "Yubi"), 8);
}

/// A Steam Guard account and its codes at some instants.
struct Steam {
    add: &'static [&'static str],
    query: &'static str,
    codes: &'static [(u64, &'static str)],
}

/// Steam Guard codes from KeePassXC's and pyotp's tests (oathtool has no Steam mode).
const STEAM: [Steam; 3] = [
    Steam {
        add: &[
            "add",
            "otpauth://steam/Steam:gaben?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
        ],
        query: "gaben",
        codes: &[(1_511_200_518, "FR8RV"), (1_511_200_714, "9P3VP")],
    },
    Steam {
        // pyotp and KeePassXC mark Steam on a totp URI; its period and digits do not count.
        add: &[
            "add",
            "otpauth://totp/Steam:alt?secret=BASE32SECRET3232&encoder=steam&issuer=Steam&digits=7&period=15",
        ],
        query: "alt",
        codes: &[(0, "2TC8B"), (30, "YKKK4"), (60, "M4HQB"), (90, "DTVB3")],
    },
    Steam {
        add: &[
            "add",
            "--steam",
            "--issuer",
            "Valve",
            "--account",
            "parts",
            "--secret",
            "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW",
        ],
        query: "parts",
        codes: &[(0, "C5V56"), (30, "QJY8Y"), (60, "R3WQY"), (90, "JG3T3")],
    },
];

#[test]
fn steam_codes_match_keepassxc_and_pyotp() {
    let sb = Sandbox::new();
    for steam in &STEAM {
        sb.ok(steam.add);
    }
    for steam in &STEAM {
        for (t, code) in steam.codes {
            let out = sb.ok(&["code", steam.query, "--at", &t.to_string()]);
            assert_eq!(out.stdout, format!("{code}\n"), "{:?} at {t}", steam.add);
        }
    }
    let list = sb.ok(&["list", "--json"]).json();
    for item in list.as_array().unwrap() {
        assert_eq!(
            (&item["type"], &item["digits"], &item["period"]),
            (&"steam".into(), &5.into(), &30.into())
        );
    }
}
