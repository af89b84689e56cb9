//! `manifest.json`: what each corpus file holds, for the comparison to check against.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";

/// The whole corpus.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Which generator wrote it, so a stale corpus is recognisable.
    pub generator: String,
    pub images: Vec<Entry>,
}

/// One image.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// File name inside the corpus folder.
    pub file: String,
    pub category: String,
    /// The exact texts a reader must output: none (no code), one or two.
    pub expected: Vec<String>,
    /// The parameters used: size, format, module size, damage.
    pub note: String,
}

pub fn write(dir: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(manifest)?;
    std::fs::write(dir.join(FILE_NAME), json + "\n").context("writing manifest.json")
}

pub fn read(dir: &Path) -> anyhow::Result<Manifest> {
    let path = dir.join(FILE_NAME);
    let json =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&json).with_context(|| format!("parsing {}", path.display()))
}
