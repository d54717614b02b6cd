//! `cargo xtask bench compare`: Lagebild side by side with the tools users would pick instead,
//! in the same headless Chromium and the same run, on the synthetic city: SheetJS (npm `xlsx`
//! 0.18.5) parsing the EWO workbook to rows, and DuckDB-Wasm (npm `@duckdb/duckdb-wasm`)
//! reading the EWO CSV and counting residents by Stadtteil. Both are installed on first use
//! into `.tools/bench-npm` (not part of the test suite's packages) and served from there.

use serde_json::Value;

use crate::bench::{
    bench_bundle, bench_script, city_data, german, median, num, script_result, write_section,
};
use crate::util::{self, Result, command, run};

/// Runs per tool; the median is reported.
const RUNS: usize = 5;

/// The npm packages of the comparison, pinned.
const PACKAGES: [&str; 2] = ["xlsx@0.18.5", "@duckdb/duckdb-wasm@1.32.0"];

/// Runs the comparison and writes its section of `docs/benchmarks.md`.
pub fn compare() -> Result {
    let mut build = util::cargo();
    build.args(["build", "--release", "-p", "lagebild-synth"]);
    run(build)?;
    let npm = util::tools_dir().join("bench-npm");
    let modules = npm.join("node_modules");
    if !modules.join("@duckdb/duckdb-wasm/package.json").exists()
        || !modules.join("xlsx/package.json").exists()
    {
        std::fs::create_dir_all(&npm).map_err(|e| format!("{}: {e}", npm.display()))?;
        let mut install = command("npm");
        install
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&npm)
            .args(PACKAGES);
        run(install)?;
    }
    let dist = bench_bundle()?;
    let data = city_data("city", 1)?;
    let mut node = bench_script("bench/compare.bench.mjs", &dist);
    node.env("BENCH_DATA", data.join("exports"))
        .env("BENCH_NPM", &modules)
        .env("BENCH_RUNS", RUNS.to_string());
    let value = script_result(node, "bench/compare.bench.mjs")?;
    let table = compare_table(&value);
    println!("\n{table}");
    write_section("compare", &table)
}

fn runs<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn median_of(value: &Value, key: &str, field: &str) -> f64 {
    median(runs(value, key).iter().map(|r| num(r, field)).collect())
}

fn compare_table(value: &Value) -> String {
    let file = |key: &str| {
        value
            .get("files")
            .and_then(|f| f.get(key))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let sheetjs = median_of(value, "sheetjs", "millis");
    let lb_xlsx = median_of(value, "lagebild_xlsx", "millis");
    let duck = median_of(value, "duckdb", "millis");
    let lb_csv = median_of(value, "lagebild_csv", "millis");
    let first = |key: &str, field: &str| {
        runs(value, key)
            .first()
            .map(|r| num(r, field))
            .unwrap_or(0.0)
    };
    let ratio = |other: f64, ours: f64| german(other / ours.max(1e-9), 1);
    format!(
        "Gleiche Seite, gleicher Lauf, Median aus {RUNS} Läufen (Millisekunden); Verhältnis = Zeit des anderen Werkzeugs / Zeit von Lagebild.\n\n\
| Aufgabe | Datei(en) | anderes Werkzeug | ms | Lagebild ms | Verhältnis | Ergebnis anderes / Lagebild |\n\
|---|---|---|---:|---:|---:|---|\n\
| XLSX in Zeilen lesen (Lagebild: vollständiger Import mit Prüfung) | {} | SheetJS 0.18.5 | {} | {} | {} | {} / {} Zeilen |\n\
| CSV einlesen und Einwohner je Stadtteil zählen | {}, {} | DuckDB-Wasm 1.32.0 (ohne Start: {} ms) | {} | {} | {} | {} / {} Einwohner |\n\n\
DuckDB liest den Export erst nach Umwandlung in UTF-8 (im gemessenen Auftrag enthalten; sein latin-1-Leser lehnt die Windows-1252-Zeichen 0x80–0x9F ab), verbindet Adressen nur exakt über Straßenschlüssel, Hausnummer und Zusatz (keine Hausnummernbereiche) und zählt Haupt- und alleinige Wohnungen ohne Abmeldedatum; Lagebild prüft jedes Feld, ordnet jede Adresse auch über Bereiche und Schreibvarianten zu und zählt nach seinen Regeln (Stichtag, Abmeldungen, Dubletten). Die Summen unterscheiden sich deshalb leicht; der Start von DuckDB (Laden und Übersetzen der 30-MB-wasm) ist nicht in seiner Zeit.\n",
        file("xlsx"),
        german(sheetjs, 0),
        german(lb_xlsx, 0),
        ratio(sheetjs, lb_xlsx),
        german(first("sheetjs", "rows"), 0),
        german(first("lagebild_xlsx", "rows"), 0),
        file("csv"),
        file("gliederung"),
        german(num(value, "duckdb_instantiate_millis"), 0),
        german(duck, 0),
        german(lb_csv, 0),
        ratio(duck, lb_csv),
        german(first("duckdb", "total"), 0),
        german(first("lagebild_csv", "total"), 0),
    )
}
