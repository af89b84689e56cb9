//! Accounts added from the URIs real sites hand out give the codes `oathtool` gives.

use crate::oathtool;
use crate::run::Sandbox;

/// One TOTP account: how it is added, how it is found, and what oathtool needs.
struct Totp {
    uri: &'static str,
    query: &'static str,
    issuer: &'static str,
    account: &'static str,
    /// Canonical base32 for oathtool.
    secret: &'static str,
    algorithm: &'static str,
    digits: u8,
    period: u32,
}

const fn sha1(
    uri: &'static str,
    query: &'static str,
    issuer: &'static str,
    account: &'static str,
    secret: &'static str,
) -> Totp {
    Totp {
        uri,
        query,
        issuer,
        account,
        secret,
        algorithm: "SHA1",
        digits: 6,
        period: 30,
    }
}

const RFC_SEED_SHA256: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
const RFC_SEED_SHA512: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";

const ACCOUNTS: [Totp; 10] = [
    // GitHub's setup key: 16 base32 characters, 80 bits.
    sha1(
        "otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
        "octocat",
        "GitHub",
        "octocat",
        "JBSWY3DPEHPK3PXP",
    ),
    sha1(
        "otpauth://totp/Lower:lc?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq&issuer=Lower",
        "lower",
        "Lower",
        "lc",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ),
    sha1(
        "otpauth://totp/Padded:pd?secret=ONSWG4TFOQ======&issuer=Padded",
        "padded",
        "Padded",
        "pd",
        "ONSWG4TFOQ",
    ),
    sha1(
        "otpauth://totp/Encoded:pe?secret=MFRGGZDFMY%3D%3D%3D%3D%3D%3D&issuer=Encoded",
        "encoded",
        "Encoded",
        "pe",
        "MFRGGZDFMY",
    ),
    sha1(
        "otpauth://totp/Spaced:sp?secret=KRUG%20KIDR%20OVUW%20G2ZA&issuer=Spaced",
        "spaced",
        "Spaced",
        "sp",
        "KRUGKIDROVUWG2ZA",
    ),
    sha1(
        "otpauth://totp/Plus:pl?secret=mzxw+6ytb+oi&issuer=Plus",
        "plus",
        "Plus",
        "pl",
        "MZXW6YTBOI",
    ),
    // The Key Uri Format wiki's own example: an encoded colon in the label.
    sha1(
        "otpauth://totp/ACME%20Co%3Ajohn.doe%40email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
        "john.doe",
        "ACME Co",
        "john.doe@email.com",
        "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
    ),
    // The issuer only in the parameter, not in the label.
    sha1(
        "otpauth://totp/alice%40example.com?secret=NBSWY3DPO5XXE3DE&issuer=Dropbox",
        "dropbox",
        "Dropbox",
        "alice@example.com",
        "NBSWY3DPO5XXE3DE",
    ),
    Totp {
        uri: "otpauth://totp/Vault:ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&algorithm=SHA256&digits=8&period=60&issuer=Vault",
        query: "vault",
        issuer: "Vault",
        account: "ops",
        secret: RFC_SEED_SHA256,
        algorithm: "SHA256",
        digits: 8,
        period: 60,
    },
    Totp {
        uri: "otpauth://totp/Bank%20of%20Tests:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA%3D&algorithm=sha512&digits=7",
        query: "tests",
        issuer: "Bank of Tests",
        account: "me",
        secret: RFC_SEED_SHA512,
        algorithm: "SHA512",
        digits: 7,
        period: 30,
    },
];

/// Instants around period edges, the RFC 6238 table, and past 2038 and 2^32.
const TIMES: [u64; 7] = [
    0,
    29,
    59,
    1_111_111_109,
    1_234_567_890,
    2_000_000_000,
    20_000_000_000,
];

fn sandbox_with_accounts() -> Sandbox {
    let sb = Sandbox::new();
    sb.add(&ACCOUNTS.map(|a| a.uri));
    sb
}

#[test]
fn real_world_uris_name_their_accounts_as_the_site_meant() {
    let sb = sandbox_with_accounts();
    let expected: Vec<(String, String)> = ACCOUNTS
        .iter()
        .map(|a| (a.issuer.into(), a.account.into()))
        .collect();
    assert_eq!(sb.accounts(), expected);
    let list = sb.ok(&["list", "--json"]).json();
    for (item, a) in list.as_array().unwrap().iter().zip(&ACCOUNTS) {
        assert_eq!(item["type"], "totp");
        assert_eq!(item["algorithm"], a.algorithm);
        assert_eq!(item["digits"], a.digits);
        assert_eq!(item["period"], a.period);
    }
}

#[test]
fn codes_of_real_world_uris_match_oathtool_at_many_instants() {
    let sb = sandbox_with_accounts();
    let mut pairs = 0;
    for a in &ACCOUNTS {
        for t in TIMES {
            let out = sb.ok(&["code", a.query, "--at", &t.to_string()]);
            let expected = oathtool::totp(a.secret, a.algorithm, a.digits, a.period, t);
            assert_eq!(out.stdout, format!("{expected}\n"), "{} at {t}", a.uri);
            assert_eq!(out.stderr, "", "{} at {t}", a.uri);
            pairs += 1;
        }
    }
    assert!(pairs >= 50, "only {pairs} (account, time) pairs");
}

#[test]
fn next_shows_the_code_of_the_following_period() {
    let sb = sandbox_with_accounts();
    for a in &ACCOUNTS {
        for t in [1_700_000_000, 1_700_000_059] {
            let out = sb.ok(&["code", a.query, "--at", &t.to_string(), "--next"]);
            let expected = oathtool::totp(
                a.secret,
                a.algorithm,
                a.digits,
                a.period,
                t + u64::from(a.period),
            );
            assert_eq!(
                out.stdout,
                format!("{expected}\n"),
                "{} --next at {t}",
                a.uri
            );
        }
    }
}

#[test]
fn code_json_gives_the_code_and_its_validity_window() {
    let sb = sandbox_with_accounts();
    let t = 1_700_000_000u64;
    let cases = [
        ("octocat", 0, 1_699_999_980, 1_700_000_010, 10),
        ("vault", 8, 1_699_999_980, 1_700_000_040, 40),
    ];
    for (query, i, from, until, left) in cases {
        let a = &ACCOUNTS[i];
        let v = sb
            .ok(&["code", query, "--json", "--at", &t.to_string()])
            .json();
        assert_eq!(
            v["code"],
            oathtool::totp(a.secret, a.algorithm, a.digits, a.period, t)
        );
        assert_eq!(
            (&v["issuer"], &v["account"], &v["type"]),
            (&a.issuer.into(), &a.account.into(), &"totp".into())
        );
        assert_eq!(
            (&v["valid_from"], &v["valid_until"], &v["seconds_left"]),
            (&from.into(), &until.into(), &left.into())
        );
    }
}

#[test]
fn code_without_a_query_lists_every_account() {
    let sb = sandbox_with_accounts();
    let t = 1_234_567_890u64;
    let out = sb.ok(&["code", "--at", &t.to_string()]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), ACCOUNTS.len(), "{out}");
    for (line, a) in lines.iter().zip(&ACCOUNTS) {
        let code = oathtool::totp(a.secret, a.algorithm, a.digits, a.period, t);
        let left = u64::from(a.period) - t % u64::from(a.period);
        assert!(
            line.starts_with(&format!("{} ({})", a.issuer, a.account)),
            "{line}"
        );
        assert!(
            line.ends_with(&format!("  {code} (valid {left} s more)")),
            "{line}"
        );
    }
    let all = sb.ok(&["code", "--json", "--at", &t.to_string()]).json();
    let codes: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = ACCOUNTS
        .iter()
        .map(|a| oathtool::totp(a.secret, a.algorithm, a.digits, a.period, t))
        .collect();
    assert_eq!(codes, expected);
}
