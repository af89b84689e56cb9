//! A stand-in for `latchkey scan IMAGE` built straight on `latchkey_scan::decode_file`:
//! prints each decoded text on its own line and exits 0 when something was found, 1
//! when not. It lets the comparison run before (or without) the real CLI command.
//!
//! Usage: `scan-once [scan] IMAGE` (the optional `scan` mirrors the CLI's argument list).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let image = match args.as_slice() {
        [image] => PathBuf::from(image),
        [verb, image] if verb == "scan" => PathBuf::from(image),
        _ => {
            eprintln!("usage: scan-once [scan] IMAGE");
            return ExitCode::from(2);
        }
    };
    match latchkey_scan::decode_file(&image) {
        Ok(found) => {
            let mut out = std::io::stdout().lock();
            for f in &found {
                let _ = writeln!(out, "{}", f.text());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("latchkey: {e}");
            ExitCode::FAILURE
        }
    }
}
