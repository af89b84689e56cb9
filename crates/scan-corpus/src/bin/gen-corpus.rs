//! Writes the benchmark corpus: every planned image plus `manifest.json`.
//!
//! Usage: `gen-corpus OUT_DIR [--only CATEGORY]…`. The same command writes the same bytes
//! on every run; images render on all cores, each from its own seed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use scan_corpus::manifest::{self, Entry, Manifest};
use scan_corpus::plan::{self, Case};
use scan_corpus::scene;

#[derive(Parser)]
#[command(about = "Generate the deterministic QR benchmark corpus")]
struct Args {
    /// Folder to write the images and manifest.json into (created if missing).
    out_dir: PathBuf,
    /// Only these categories (e.g. `--only blur --only photo`).
    #[arg(long)]
    only: Vec<String>,
}

/// Renders the cases on `threads` threads, each taking every n-th case; the results
/// come back in plan order whatever the scheduling.
fn render_all(cases: &[Case], threads: usize) -> anyhow::Result<Vec<scene::Rendered>> {
    let mut slots: Vec<Option<scene::Rendered>> = (0..cases.len()).map(|_| None).collect();
    std::thread::scope(|s| -> anyhow::Result<()> {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    cases
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, c)| (i, scene::render(c)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            let done = handle
                .join()
                .map_err(|_| anyhow::anyhow!("a render thread panicked"))?;
            for (i, rendered) in done {
                slots[i] = Some(rendered);
            }
        }
        Ok(())
    })?;
    slots
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .context("a case was not rendered")
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let cases: Vec<Case> = plan::cases()
        .into_iter()
        .filter(|c| args.only.is_empty() || args.only.iter().any(|o| o == c.category.name()))
        .collect();
    anyhow::ensure!(!cases.is_empty(), "no case matches --only {:?}", args.only);
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("creating {}", args.out_dir.display()))?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rendered = render_all(&cases, threads)?;
    let mut images = Vec::with_capacity(cases.len());
    for (case, r) in cases.iter().zip(rendered) {
        std::fs::write(args.out_dir.join(case.file_name()), &r.bytes)
            .context("writing an image")?;
        let category = case.category.name().to_string();
        images.push(Entry {
            file: case.file_name(),
            category,
            expected: case.payloads.clone(),
            note: r.note,
        });
    }
    let generator = format!("scan-corpus {}", env!("CARGO_PKG_VERSION"));
    manifest::write(&args.out_dir, &Manifest { generator, images })?;
    for category in plan::Category::ALL {
        let n = cases.iter().filter(|c| c.category == category).count();
        if n > 0 {
            eprintln!("{:>18}: {n}", category.name());
        }
    }
    eprintln!(
        "{} images in {} ({:.1} s)",
        cases.len(),
        args.out_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
