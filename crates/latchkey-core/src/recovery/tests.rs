//! The codes below are made up in the shapes each site prints; none is a real code.

use super::*;

const T0: i64 = 1_700_000_000;

type Result = std::result::Result<(), RecoveryError>;

fn codes_in(text: &str) -> std::result::Result<Vec<String>, RecoveryError> {
    Ok(parse(text)?.codes.iter().map(|c| c.to_string()).collect())
}

/// A current set of `n` codes `code01aa`, `code02aa`, … added at `T0`.
fn account_with(n: usize) -> std::result::Result<RecoveryCodes, RecoveryError> {
    let text: Vec<String> = (1..=n).map(|i| format!("code{i:02}aa")).collect();
    let mut codes = RecoveryCodes::default();
    codes.replace(parse(&text.join("\n"))?, T0);
    Ok(codes)
}

const GITHUB: &str = "4e598-cd0bf\n09e31-e894a\n3e3c8-61bfc\n29f5c-b9821\n26bce-8169c\n\
    52454-73855\nb064a-602b2\n2a598-5587d\n5375c-47fa8\n92cb9-c2482\n9d379-77f16\n\
    00e51-578e2\nba28e-86c0e\n931ba-2895e\n4d866-0a34e\n1baa0-b9572\n";

const GOOGLE: &str = "SAVE YOUR BACKUP CODES
Keep these backup codes somewhere safe but accessible.

 1. 4726 3362\t\t 6. 8013 9574
 2. 5509 1178\t\t 7. 2246 8851
 3. 6631 0042\t\t 8. 9070 3318
 4. 1298 7765\t\t 9. 3385 6402
 5. 7714 2093\t\t10. 0457 1186
(alice@gmail.com)
* You can only use each backup code once.
* Need more? Visit g.co/2sv
* Generated: Jan 15, 2024
";

#[test]
fn accepts_github_hex_codes() -> Result {
    let codes = codes_in(GITHUB)?;
    assert_eq!(codes.len(), 16);
    assert_eq!(codes[0], "4e598-cd0bf");
    assert_eq!(codes[15], "1baa0-b9572");
    Ok(())
}

#[test]
fn accepts_google_two_column_file_and_reports_its_prose() -> Result {
    let parsed = parse(GOOGLE)?;
    let codes: Vec<&str> = parsed.codes.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(codes[..3], ["4726 3362", "8013 9574", "5509 1178"]);
    assert_eq!(parsed.ignored_lines, [1, 2, 9, 10, 11, 12]);
    assert_eq!(parsed.duplicates, 0);
    Ok(())
}

#[test]
fn accepts_microsoft_25_char_code() -> Result {
    let text = "Microsoft account recovery code\nM3R7Q-2XKPV-9HC4T-WJ6BD-YF8GN\n";
    assert_eq!(codes_in(text)?, ["M3R7Q-2XKPV-9HC4T-WJ6BD-YF8GN"]);
    Ok(())
}

#[test]
fn accepts_bitwarden_32_char_code_grouped_or_plain() -> Result {
    let grouped = "Y2KQ 9HFB P7XC 4NWM TR6D JZ3S 8VLE AG5U";
    assert_eq!(codes_in(grouped)?, [grouped]);
    let plain = "y2kq9hfbp7xc4nwmtr6djz3s8vleag5u";
    assert_eq!(codes_in(plain)?, [plain]);
    Ok(())
}

#[test]
fn accepts_eight_char_codes_like_discord_with_or_without_dash() -> Result {
    let text = "Discord backup codes for alice. Keep them safe!\n* jd7t-gby2\n* iat26vbo\n";
    assert_eq!(codes_in(text)?, ["jd7t-gby2", "iat26vbo"]);
    Ok(())
}

#[test]
fn accepts_twelve_char_codes_like_x() -> Result {
    assert_eq!(
        codes_in("h2paarey14jz\ncx8vvfm8ptii\n")?,
        ["h2paarey14jz", "cx8vvfm8ptii"]
    );
    Ok(())
}

#[test]
fn accepts_four_groups_of_four_and_three_groups_of_four() -> Result {
    let text = "k7nj 4kbc 9td2 747y\nQDAP-WD1K-FYDV\n";
    assert_eq!(codes_in(text)?, ["k7nj 4kbc 9td2 747y", "QDAP-WD1K-FYDV"]);
    Ok(())
}

#[test]
fn accepts_short_codes_like_steam_and_six_digits() -> Result {
    assert_eq!(codes_in("R12345\n482913\n")?, ["R12345", "482913"]);
    Ok(())
}

#[test]
fn strips_numbering_styles() -> Result {
    let text = "1. abcd1234\n02) efgh5678\n(3) ijkl9012\n#4 mnop3456\n\
        [5] qrst7890\n6: uvwx1357\n#7. yzab2468\n";
    let codes = codes_in(text)?;
    let expected = [
        "abcd1234", "efgh5678", "ijkl9012", "mnop3456", "qrst7890", "uvwx1357", "yzab2468",
    ];
    assert_eq!(codes, expected);
    Ok(())
}

#[test]
fn strips_bullets_quotes_and_trailing_commas() -> Result {
    let text = "- abcd1234\n* efgh5678\n• ijkl9012\n· mnop3456\n◦ qrst7890\n– uvwx1357\n\
        \"yzab2468\",\n`cdef3579`\n1. - 'ghij4680'\n";
    let codes = codes_in(text)?;
    assert_eq!(codes.len(), 9);
    assert_eq!(codes[6..], ["yzab2468", "cdef3579", "ghij4680"]);
    Ok(())
}

#[test]
fn digits_only_codes_keep_every_digit() -> Result {
    let text = "12345678\n2345 6789\n123 456 789\n2. 87654321\n";
    assert_eq!(
        codes_in(text)?,
        ["12345678", "2345 6789", "123 456 789", "87654321"]
    );
    Ok(())
}

#[test]
fn numbering_needs_a_delimiter_and_whitespace() -> Result {
    // `1.2345678` is neither numbering nor a code: it is reported, not cut to `2345678`.
    let parsed = parse("1.2345678\n3)4567890\n11111111\n")?;
    assert_eq!(parsed.codes.len(), 1);
    assert_eq!(*parsed.codes[0], "11111111");
    assert_eq!(parsed.ignored_lines, [1, 2]);
    Ok(())
}

#[test]
fn skips_blank_lines_and_bare_markers_silently() -> Result {
    let parsed = parse("\n  \nabcd1234\n\n1.\n-\nefgh5678\n\n")?;
    assert_eq!(parsed.codes.len(), 2);
    assert!(parsed.ignored_lines.is_empty());
    Ok(())
}

#[test]
fn drops_duplicates_ignoring_case_spaces_and_dashes() -> Result {
    let parsed = parse("ABCD-1234\nabcd 1234\nabcd1234\nefgh5678\n")?;
    assert_eq!(parsed.codes.len(), 2);
    assert_eq!(*parsed.codes[0], "ABCD-1234");
    assert_eq!(parsed.duplicates, 2);
    Ok(())
}

#[test]
fn accepts_crlf_and_byte_order_mark() -> Result {
    let parsed = parse("\u{feff}Recovery codes\r\n1. abcd-1234\r\n2. efgh-5678\r\n")?;
    let codes: Vec<&str> = parsed.codes.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, ["abcd-1234", "efgh-5678"]);
    assert_eq!(parsed.ignored_lines, [1]);
    Ok(())
}

#[test]
fn reports_headers_emails_urls_and_dates_by_line() -> Result {
    let text = "BACKUP VERIFICATION CODES\nKeep these somewhere safe.\nalice@example.com\n\
        https://github.com/settings/security\n2024-01-15\n15 Jan 2024\nJanuary 2024\n\
        Page 1 of 2\nabcd1234\n";
    let parsed = parse(text)?;
    assert_eq!(parsed.codes.len(), 1);
    assert_eq!(parsed.ignored_lines, [1, 2, 3, 4, 5, 6, 7, 8]);
    Ok(())
}

#[test]
fn rejects_wrong_lengths_and_separators() {
    for text in [
        "abc12",
        &"a1".repeat(21),
        "ab1-cd2-ef3-gh4-ij5-kl6-mn7-op8-qr9",
        "abcd--1234",
        "abcd_1234",
    ] {
        assert_eq!(
            parse(text).map(|p| p.codes.len()),
            Err(RecoveryError::NoCodes),
            "{text}"
        );
    }
}

#[test]
fn keeps_a_digit_free_code_shaped_like_its_neighbours() -> Result {
    let text = format!("{GITHUB}bcfea-ddcab\nHello-World\nabcde-fghij\n");
    let parsed = parse(&text)?;
    assert_eq!(parsed.codes.len(), 17);
    assert_eq!(*parsed.codes[16], "bcfea-ddcab");
    // Same shape, but `g`–`j` never occur in the hex codes; `Hello-World` is prose.
    assert_eq!(parsed.ignored_lines, [18, 19]);
    Ok(())
}

#[test]
fn fails_when_no_code_is_found() {
    for text in [
        "",
        "\u{feff}\r\n",
        "BACKUP VERIFICATION CODES\nKeep these somewhere safe.\n",
    ] {
        assert_eq!(
            parse(text).map(|p| p.codes.len()),
            Err(RecoveryError::NoCodes)
        );
    }
}

#[test]
fn using_a_code_marks_it_used_once() -> Result {
    let mut codes = account_with(4)?;
    let used = codes.use_code(Some("code02aa"), T0 + 60)?;
    assert_eq!(
        (used.code(), used.used_at(), used.is_used()),
        ("code02aa", Some(T0 + 60), true)
    );
    let again = codes.use_code(Some("code02aa"), T0 + 120);
    assert_eq!(
        again.map(|c| c.used_at()),
        Err(RecoveryError::AlreadyUsed { used_at: T0 + 60 })
    );
    assert_eq!(codes.remaining(), 3);
    Ok(())
}

#[test]
fn matching_ignores_case_spaces_and_dashes() -> Result {
    let mut codes = RecoveryCodes::default();
    codes.replace(parse("4e598-cd0bf\n4726 3362\n")?, T0);
    assert_eq!(
        codes.use_code(Some(" 4E598 CD0BF "), T0)?.code(),
        "4e598-cd0bf"
    );
    assert_eq!(codes.use_code(Some("4726-3362"), T0)?.code(), "4726 3362");
    Ok(())
}

#[test]
fn using_none_takes_the_first_unused_code() -> Result {
    let mut codes = account_with(3)?;
    codes.use_code(Some("code01aa"), T0)?;
    assert_eq!(codes.use_code(None, T0 + 1)?.code(), "code02aa");
    assert_eq!(codes.use_code(None, T0 + 2)?.code(), "code03aa");
    assert_eq!(
        codes.use_code(None, T0 + 3).map(|c| c.used_at()),
        Err(RecoveryError::AllUsed)
    );
    Ok(())
}

#[test]
fn unknown_or_empty_codes_are_refused() -> Result {
    let mut codes = account_with(3)?;
    assert_eq!(
        codes.use_code(Some("zzzz9999"), T0).map(|c| c.used_at()),
        Err(RecoveryError::NotFound)
    );
    assert_eq!(
        codes.use_code(Some(" - "), T0).map(|c| c.used_at()),
        Err(RecoveryError::EmptyCode)
    );
    assert_eq!(codes.remaining(), 3);
    Ok(())
}

#[test]
fn without_a_set_nothing_remains_and_nothing_is_low() {
    let mut codes = RecoveryCodes::default();
    assert_eq!((codes.remaining(), codes.is_low()), (0, false));
    assert_eq!(
        codes.use_code(None, T0).map(|c| c.used_at()),
        Err(RecoveryError::NoCurrentSet)
    );
}

#[test]
fn remaining_and_low_warning_at_three_two_one_zero() -> Result {
    let mut codes = account_with(3)?;
    assert_eq!((codes.remaining(), codes.is_low()), (3, false));
    for left in [2, 1, 0] {
        codes.use_code(None, T0)?;
        assert_eq!((codes.remaining(), codes.is_low()), (left, true));
    }
    Ok(())
}

#[test]
fn replacing_supersedes_the_old_set() -> Result {
    let mut codes = account_with(3)?;
    codes.use_code(None, T0 + 5)?;
    codes.replace(parse("new01abc\nnew02abc\n")?, T0 + 100);

    let current = codes
        .current()
        .map(|s| (s.added_at(), s.superseded_at(), s.remaining()));
    assert_eq!(current, Some((T0 + 100, None, 2)));
    let old = &codes.superseded()[0];
    assert_eq!(
        (old.added_at(), old.superseded_at(), old.remaining()),
        (T0, Some(T0 + 100), 2)
    );
    assert_eq!(old.codes()[0].used_at(), Some(T0 + 5));

    let stale = codes.use_code(Some("code02aa"), T0 + 200);
    assert_eq!(stale.map(|c| c.used_at()), Err(RecoveryError::NotFound));
    assert_eq!(
        codes.use_code(Some("new02abc"), T0 + 200)?.code(),
        "new02abc"
    );
    Ok(())
}

#[test]
fn superseded_history_keeps_oldest_first() -> Result {
    let mut codes = account_with(2)?;
    codes.replace(parse("second01")?, T0 + 1);
    codes.replace(parse("third001")?, T0 + 2);
    let history: Vec<_> = codes
        .superseded()
        .iter()
        .map(|s| (s.added_at(), s.superseded_at()))
        .collect();
    assert_eq!(history, [(T0, Some(T0 + 1)), (T0 + 1, Some(T0 + 2))]);
    Ok(())
}

#[test]
fn restore_rebuilds_what_was_saved() -> Result {
    let mut codes = account_with(2)?;
    codes.use_code(None, T0 + 9)?;
    codes.replace(parse("fresh001\nfresh002")?, T0 + 10);

    let copy = |set: &RecoverySet| {
        let codes = set
            .codes()
            .iter()
            .map(|c| RecoveryCode::restore(c.code().to_owned(), c.used_at()));
        RecoverySet::restore(set.added_at(), set.superseded_at(), codes.collect())
    };
    let restored = RecoveryCodes::restore(
        codes.current().map(copy),
        codes.superseded().iter().map(copy).collect(),
    );
    assert_eq!(restored, codes);
    Ok(())
}

#[test]
fn debug_output_never_shows_a_code() -> Result {
    let parsed = parse(GITHUB)?;
    assert_eq!(
        format!("{parsed:?}"),
        "Parsed { codes: 16, ignored_lines: [], duplicates: 0 }"
    );
    let mut codes = RecoveryCodes::default();
    codes.replace(parsed, T0);
    codes.replace(parse(GOOGLE)?, T0 + 1);
    codes.use_code(None, T0 + 2)?;

    let shown = [
        format!("{codes:?}"),
        format!("{codes:#?}"),
        format!("{:?}", codes.current()),
        format!("{:?}", codes.superseded()[0].codes()),
    ];
    for text in &shown {
        for secret in ["4e598", "cd0bf", "4726", "3362", "47263362"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    assert!(shown[0].contains("codes: 10, remaining: 9"), "{}", shown[0]);
    assert!(
        shown[3].contains("RecoveryCode { code: [REDACTED], used_at: None }"),
        "{}",
        shown[3]
    );
    Ok(())
}

#[test]
fn error_messages_are_sentences_without_codes() {
    let errors = [
        RecoveryError::NoCodes,
        RecoveryError::NoCurrentSet,
        RecoveryError::EmptyCode,
        RecoveryError::NotFound,
        RecoveryError::AlreadyUsed { used_at: T0 },
        RecoveryError::AllUsed,
    ];
    for error in errors {
        let message = error.to_string();
        assert!(
            message.chars().next().is_some_and(char::is_lowercase),
            "{message}"
        );
        assert!(!message.contains(&T0.to_string()), "{message}");
    }
}
