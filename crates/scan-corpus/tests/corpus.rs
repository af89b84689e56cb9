//! The corpus is what the benchmark claims: the same bytes on every run, and manifest
//! texts that are exactly what the QR codes hold. Cheap enough for CI.

// Tests fail by panicking; unwrap and expect are how they say "this must hold".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use scan_corpus::plan::{self, Category};
use scan_corpus::{manifest, qr, scene};

/// The plan, computed once: planning sizes migration payloads, slow in a debug build.
fn cases() -> &'static [plan::Case] {
    static CASES: OnceLock<Vec<plan::Case>> = OnceLock::new();
    CASES.get_or_init(plan::cases)
}

/// Decodes the module grid `qrcode` made for `text` with rqrr, skipping image processing.
fn decode_modules(text: &str) -> String {
    let code = qr::encode(text);
    let grid = rqrr::Grid::new(rqrr::SimpleGrid::from_func(code.width, |x, y| {
        code.dark(x, y)
    }));
    let mut bytes = Vec::new();
    grid.decode_to(&mut bytes).expect("decodes");
    String::from_utf8(bytes).expect("UTF-8")
}

/// Decodes a clean render of `text` (3 px modules, 4-module quiet zone) with rqrr.
fn decode_render(text: &str) -> String {
    let code = qr::encode(text);
    let mut image = rqrr::PreparedImage::prepare(qr::render(&code, 3.0, 4.0));
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one grid for {text}");
    let mut bytes = Vec::new();
    grids[0].decode_to(&mut bytes).expect("decodes");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn rendering_a_case_twice_gives_the_same_bytes() {
    // Small images from several kinds of scene, both kinds of random draw, and JPEG.
    let picks = [
        (Category::Clean, 4),
        (Category::Jpeg, 2),
        (Category::Rotation, 1),
        (Category::QuietZone, 1),
        (Category::Migration, 0),
        (Category::Brand, 3),
    ];
    let all = cases();
    for (category, index) in picks {
        let case = plan::case(category, index);
        let listed = all
            .iter()
            .find(|c| c.category == category && c.index == index)
            .unwrap();
        assert_eq!(
            case.payloads,
            listed.payloads,
            "{}: planned alone or in the list",
            case.file_name()
        );
        let first = scene::render(&case);
        let second = scene::render(listed);
        assert!(
            first.bytes == second.bytes,
            "{} renders differently",
            case.file_name()
        );
        assert_eq!(first.note, second.note);
    }
}

#[test]
fn every_planned_text_is_what_the_qr_code_holds() {
    for case in cases() {
        for text in &case.payloads {
            assert_eq!(&decode_modules(text), text, "{}", case.file_name());
        }
    }
}

#[test]
fn clean_renders_of_each_category_decode_to_the_planned_text() {
    // The renderer is shared by every category: one payload of each proves its geometry.
    for category in Category::ALL {
        if let Some(case) = cases()
            .iter()
            .find(|c| c.category == category && !c.payloads.is_empty())
        {
            for text in &case.payloads {
                assert_eq!(&decode_render(text), text, "{}", case.file_name());
            }
        }
    }
}

#[test]
fn corpus_has_every_category_and_enough_images() {
    let cases = cases();
    assert!(cases.len() >= 250, "{} images", cases.len());
    for category in Category::ALL {
        let n = cases.iter().filter(|c| c.category == category).count();
        assert!(n >= 10, "{}: {n}", category.name());
    }
    let mut names: Vec<String> = cases.iter().map(|c| c.file_name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "file names are unique");
}

#[test]
fn payloads_fit_their_category() {
    for case in cases() {
        let expected = match case.category {
            Category::NoCode => 0,
            Category::TwoCodes => 2,
            _ => 1,
        };
        assert_eq!(case.payloads.len(), expected, "{}", case.file_name());
        if case.category == Category::Migration {
            let version = qr::encode(&case.payloads[0]).version;
            assert!(
                (10..=20).contains(&version),
                "{}: version {version}",
                case.file_name()
            );
            assert!(case.payloads[0].starts_with("otpauth-migration://offline?data="));
        }
        if case.category == Category::RawUtf8 {
            assert!(!case.payloads[0].is_ascii(), "{}", case.file_name());
        } else {
            assert!(
                case.payloads.iter().all(|p| p.is_ascii()),
                "{}: percent-encoded",
                case.file_name()
            );
        }
    }
}

#[test]
fn gen_corpus_writes_the_planned_bytes_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gen-corpus"))
        .args([
            dir.path().as_os_str(),
            "--only".as_ref(),
            "quiet-zone".as_ref(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let manifest = manifest::read(dir.path()).unwrap();
    assert_eq!(manifest.images.len(), Category::QuietZone.count());
    for (entry, index) in manifest.images.iter().zip(0..) {
        let case = plan::case(Category::QuietZone, index);
        assert_eq!(entry.file, case.file_name());
        assert_eq!(entry.expected, case.payloads);
        let bytes = std::fs::read(dir.path().join(&entry.file)).unwrap();
        assert!(
            bytes == scene::render(&case).bytes,
            "{} on disk",
            entry.file
        );
        for text in &entry.expected {
            assert_eq!(&decode_render(text), text);
        }
    }
}

#[test]
fn latchkey_reads_corpus_images_it_once_missed() {
    // Each needed a later change to the pipeline: zero-quiet-zone codes whose finder
    // patterns page text joins (sampling modules by hand), and a dense code with
    // fractional 3.4 px modules on a 1080p page (a median at full size).
    for (category, index) in [
        (Category::QuietZone, 2),
        (Category::QuietZone, 11),
        (Category::RawUtf8, 7),
    ] {
        let case = plan::case(category, index);
        let found = latchkey_scan::decode_bytes(&scene::render(&case).bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", case.file_name()));
        let texts: Vec<&str> = found.iter().map(|f| f.text()).collect();
        assert_eq!(texts, case.payloads, "{}", case.file_name());
    }
}
