//! Runs `latchkey scan IMAGE` and `zbarimg -q --raw -Stest-inverted IMAGE` on every
//! image of a corpus, one process after another, and prints decode rate and time per
//! image side by side. A benchmark, not a test: nothing here asserts a time.
//!
//! Usage: `compare CORPUS_DIR [--latchkey PATH] [--markdown FILE] [--only CATEGORY]…`

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use scan_corpus::manifest::{self, Entry};
use scan_corpus::report::{self, Sample};
use scan_corpus::run::{self, Run};

#[derive(Parser)]
#[command(about = "Compare latchkey scan with zbarimg on a generated corpus")]
struct Args {
    /// Folder written by gen-corpus.
    corpus_dir: PathBuf,
    /// The latchkey binary (run as `PATH scan IMAGE`); default: the scan-once stand-in
    /// beside this binary.
    #[arg(long)]
    latchkey: Option<PathBuf>,
    /// The zbarimg binary.
    #[arg(long, default_value = "zbarimg")]
    zbarimg: PathBuf,
    /// Also write the table as Markdown to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Only these categories.
    #[arg(long)]
    only: Vec<String>,
    /// Kill a reader that takes longer than this on one image (counts as a failure).
    #[arg(long, default_value_t = 60)]
    timeout_secs: u64,
}

/// The two readers and how each is invoked on an image.
struct Readers {
    latchkey: PathBuf,
    zbarimg: PathBuf,
    timeout: Duration,
}

impl Readers {
    fn run(&self, tool: usize, image: &Path) -> anyhow::Result<Run> {
        let image = image.as_os_str();
        match tool {
            0 => run::run(&self.latchkey, &[OsStr::new("scan"), image], self.timeout),
            _ => {
                let flags = ["-q", "--raw", "-Stest-inverted"].map(OsStr::new);
                run::run(
                    &self.zbarimg,
                    &[flags[0], flags[1], flags[2], image],
                    self.timeout,
                )
            }
        }
    }
}

/// What a tool did wrong on one image, for the list of misses.
struct Miss {
    tool: usize,
    entry: Entry,
    run: Run,
}

fn status_name(run: &Run) -> String {
    match (run.timed_out, run.exit) {
        (true, _) => "timeout".into(),
        (false, Some(code)) => format!("exit {code}"),
        (false, None) => "signal".into(),
    }
}

fn default_latchkey() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("finding this binary")?;
    Ok(exe.with_file_name("scan-once"))
}

const TOOLS: [&str; 2] = ["latchkey", "zbarimg"];

/// Everything measured: one sample per image, the misses, and each tool's exit statuses.
#[derive(Default)]
struct Results {
    samples: Vec<Sample>,
    misses: Vec<Miss>,
    statuses: [BTreeMap<String, usize>; 2],
}

fn compare(readers: &Readers, dir: &Path, entries: &[Entry]) -> anyhow::Result<Results> {
    // One unmeasured run each, so the first measured image does not pay for cold caches.
    for tool in 0..2 {
        readers.run(tool, &dir.join(&entries[0].file))?;
    }
    let mut results = Results::default();
    for (i, entry) in entries.iter().enumerate() {
        let image = dir.join(&entry.file);
        let runs = [readers.run(0, &image)?, readers.run(1, &image)?];
        let decoded = runs
            .each_ref()
            .map(|r| !r.crashed() && run::matches(&r.stdout, &entry.expected));
        let millis = runs.each_ref().map(|r| r.elapsed.as_secs_f64() * 1000.0);
        for ((tool, run), ok) in runs.into_iter().enumerate().zip(decoded) {
            *results.statuses[tool].entry(status_name(&run)).or_default() += 1;
            if !ok {
                results.misses.push(Miss {
                    tool,
                    entry: entry.clone(),
                    run,
                });
            }
        }
        results.samples.push(Sample {
            category: entry.category.clone(),
            decoded,
            millis,
        });
        if (i + 1) % 25 == 0 {
            eprintln!("compare: {}/{} images", i + 1, entries.len());
        }
    }
    Ok(results)
}

/// First line of a text, cut short: payloads are long and the list is for skimming.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 70 {
        format!("{}…", line.chars().take(70).collect::<String>())
    } else {
        line.to_string()
    }
}

fn print_misses(misses: &[Miss]) {
    for (tool, name) in TOOLS.iter().enumerate() {
        let mine: Vec<&Miss> = misses.iter().filter(|m| m.tool == tool).collect();
        println!("\n{name} missed {} images:", mine.len());
        for m in mine {
            let got = m.run.stdout.lines().count();
            let printed = if got == 0 {
                "nothing".to_string()
            } else {
                format!("{got} lines: {}", short(&m.run.stdout))
            };
            println!(
                "  {} [{}] ({}): printed {printed}",
                m.entry.file,
                status_name(&m.run),
                m.entry.note
            );
        }
    }
}

fn zbarimg_version(path: &Path) -> String {
    std::process::Command::new(path)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let latchkey = match args.latchkey {
        Some(path) => path,
        None => default_latchkey()?,
    };
    let manifest = manifest::read(&args.corpus_dir)?;
    let entries: Vec<Entry> = manifest
        .images
        .into_iter()
        .filter(|e| args.only.is_empty() || args.only.contains(&e.category))
        .collect();
    anyhow::ensure!(!entries.is_empty(), "no image to compare");
    let readers = Readers {
        latchkey,
        zbarimg: args.zbarimg,
        timeout: Duration::from_secs(args.timeout_secs),
    };
    let results = compare(&readers, &args.corpus_dir, &entries)?;
    let rows = report::rows(&results.samples);
    print!("{}", report::text_table(&rows));
    print_misses(&results.misses);
    for (tool, name) in TOOLS.iter().enumerate() {
        println!("\n{name} exit statuses: {:?}", results.statuses[tool]);
    }
    if let Some(path) = args.markdown {
        let header = format!(
            "{} images ({}); latchkey = `{}`; zbarimg {} with `-q --raw -Stest-inverted`.\n\n",
            entries.len(),
            manifest.generator,
            readers.latchkey.display(),
            zbarimg_version(&readers.zbarimg)
        );
        std::fs::write(&path, header + &report::markdown_table(&rows))
            .context("writing the Markdown table")?;
    }
    Ok(())
}
