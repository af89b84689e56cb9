//! The comparison table: decode rate, median and p90 time per image, per category and
//! overall, for the two readers side by side.

use std::fmt::Write;

/// One image's result for both readers (index 0 = latchkey, 1 = zbarimg).
#[derive(Clone, Debug)]
pub struct Sample {
    pub category: String,
    pub decoded: [bool; 2],
    pub millis: [f64; 2],
}

/// A line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub name: String,
    pub images: usize,
    pub decoded: [usize; 2],
    pub median: [f64; 2],
    pub p90: [f64; 2],
}

/// The `q` quantile by nearest rank, of unsorted values.
fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

fn row(name: &str, samples: &[&Sample]) -> Row {
    let times = |t: usize| samples.iter().map(|s| s.millis[t]).collect::<Vec<_>>();
    let decoded = |t: usize| samples.iter().filter(|s| s.decoded[t]).count();
    Row {
        name: name.to_string(),
        images: samples.len(),
        decoded: [decoded(0), decoded(1)],
        median: [quantile(&times(0), 0.5), quantile(&times(1), 0.5)],
        p90: [quantile(&times(0), 0.9), quantile(&times(1), 0.9)],
    }
}

/// One row per category, in order of first appearance, then "all".
pub fn rows(samples: &[Sample]) -> Vec<Row> {
    let mut names: Vec<&str> = Vec::new();
    for s in samples {
        if !names.contains(&s.category.as_str()) {
            names.push(&s.category);
        }
    }
    let mut rows: Vec<Row> = names
        .iter()
        .map(|n| {
            row(
                n,
                &samples
                    .iter()
                    .filter(|s| s.category == *n)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    rows.push(row("all", &samples.iter().collect::<Vec<_>>()));
    rows
}

fn rate(decoded: usize, images: usize) -> String {
    format!(
        "{decoded}/{images} ({:.1} %)",
        100.0 * decoded as f64 / images.max(1) as f64
    )
}

const HEADERS: [&str; 8] = [
    "category",
    "images",
    "latchkey decoded",
    "zbarimg decoded",
    "latchkey median ms",
    "zbarimg median ms",
    "latchkey p90 ms",
    "zbarimg p90 ms",
];

fn cells(r: &Row) -> [String; 8] {
    [
        r.name.clone(),
        r.images.to_string(),
        rate(r.decoded[0], r.images),
        rate(r.decoded[1], r.images),
        format!("{:.1}", r.median[0]),
        format!("{:.1}", r.median[1]),
        format!("{:.1}", r.p90[0]),
        format!("{:.1}", r.p90[1]),
    ]
}

/// A plain-text table with aligned columns, for the terminal.
pub fn text_table(rows: &[Row]) -> String {
    let body: Vec<[String; 8]> = rows.iter().map(cells).collect();
    let widths: Vec<usize> = (0..8)
        .map(|c| {
            body.iter()
                .map(|r| r[c].chars().count())
                .chain([HEADERS[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if c == 0 {
                    format!("{s:<w$}", w = widths[c])
                } else {
                    format!("{s:>w$}", w = widths[c])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", padded.join("  "));
    };
    line(&mut out, &HEADERS.map(String::from));
    for (i, r) in body.iter().enumerate() {
        if i + 1 == body.len() {
            let _ = writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 14));
        }
        line(&mut out, r);
    }
    out
}

/// The same table in Markdown; the overall row in bold.
pub fn markdown_table(rows: &[Row]) -> String {
    let mut out = format!("| {} |\n|{}\n", HEADERS.join(" | "), "---|".repeat(8));
    for (i, r) in rows.iter().enumerate() {
        let c = cells(r);
        let c: Vec<String> = if i + 1 == rows.len() {
            c.iter().map(|s| format!("**{s}**")).collect()
        } else {
            c.to_vec()
        };
        let _ = writeln!(out, "| {} |", c.join(" | "));
    }
    out
}
