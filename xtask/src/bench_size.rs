//! `cargo xtask bench size`: the shipped release build (`cargo xtask dist`) and the size of its
//! wasm modules against the goal of issue 11 (multi-file build, all wasm under 4 MB before
//! compression), written into `docs/benchmarks.md`.

use std::fs;

use crate::bench::{german, write_section};
use crate::util::{self, Result};

/// The goal: all wasm of the multi-file build together, bytes before compression.
const GOAL_BYTES: u64 = 4_000_000;

/// Builds `dist/` and writes the size table.
pub fn size() -> Result {
    crate::tasks::dist()?;
    let dist = util::root().join("dist");
    let mut rows = Vec::new();
    for entry in fs::read_dir(&dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") || name == "lagebild.html" {
            let bytes = entry.metadata().map_err(|e| e.to_string())?.len();
            rows.push((name, bytes));
        }
    }
    rows.sort();
    let wasm: u64 = rows
        .iter()
        .filter(|(name, _)| name.ends_with(".wasm"))
        .map(|(_, bytes)| bytes)
        .sum();
    let mb = |bytes: u64| german(bytes as f64 / 1e6, 2);
    let mut table = String::from("| Datei | Byte | MB |\n|---|---:|---:|\n");
    for (name, bytes) in &rows {
        table.push_str(&format!(
            "| {name} | {} | {} |\n",
            german(*bytes as f64, 0),
            mb(*bytes)
        ));
    }
    table.push_str(&format!(
        "| **wasm zusammen** | {} | {} |\n\nZiel (Issue 11): alle wasm-Module des Mehrdateien-Builds zusammen unter 4 MB vor Kompression – **{}**. `lagebild.html` ist die Einzeldatei (beide Module gzip-gepackt, Budget 6 MB).\n",
        german(wasm as f64, 0),
        mb(wasm),
        if wasm < GOAL_BYTES { "erreicht" } else { "nicht erreicht" }
    ));
    println!("\n{table}");
    write_section("size", &table)
}
