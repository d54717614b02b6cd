//! `cargo xtask bench link`: the record linkage of the synthetic city (seed 1) side by side
//! with Splink. Splink (pip `splink`, DuckDB backend, in a venv under `.tools/splink-venv`)
//! runs `bench/splink/compare.py`, which chooses the exports as `lagebild link-eval
//! --synth-dir` does; the same files are then linked by `lagebild link-eval --json --truth`
//! natively and by the app's wasm in headless Chromium. One table of precision, recall, F1
//! and time per pair goes into `docs/benchmarks.md` (section `link`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::bench::{
    BROWSER_RUNS, NATIVE_RUNS, bench_bundle, bench_script, city_data, german, median, num,
    script_result, target_dir, write_section,
};
use crate::util::{self, Result, command, run};

/// The Splink release compared against.
const SPLINK_VERSION: &str = "5.0.0";

/// Runs the linkage benchmark.
pub fn link() -> Result {
    crate::tasks::build_native_release()?;
    let data = city_data("city", 1)?;
    let python = splink_python()?;
    let load_before = load_average();

    let splink_json = target_dir().join("bench-link-splink.json");
    let mut compare = command(&python.to_string_lossy());
    compare
        .arg(util::root().join("bench/splink/compare.py"))
        .arg(&data)
        .arg(&splink_json);
    let started = Instant::now();
    let out = compare
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "bench/splink/compare.py failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    println!(
        "bench: Splink finished in {:.0} s (reading the files included)",
        started.elapsed().as_secs_f64()
    );
    let splink: Value = serde_json::from_str(
        &std::fs::read_to_string(&splink_json)
            .map_err(|e| format!("{}: {e}", splink_json.display()))?,
    )
    .map_err(|e| format!("bad JSON from compare.py: {e}"))?;
    let files: Vec<String> = splink["files"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if files.is_empty() {
        return Err("compare.py named no files".into());
    }

    let cli = target_dir().join("release/lagebild");
    let mut native = Vec::new();
    for _ in 0..NATIVE_RUNS {
        let out = Command::new(&cli)
            .args(["link-eval", "--json", "--truth"])
            .arg(data.join("truth"))
            .args(files.iter().map(|f| data.join(f)))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
        if !out.status.success() {
            return Err(format!(
                "lagebild link-eval failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let value: Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("bad JSON from lagebild link-eval: {e}"))?;
        native.push(value);
    }

    let browser = browser_runs(&data, &files)?;
    let mut table = link_table(&native, &splink, &browser);
    table.push_str(&format!(
        "Lastmittel der Maschine (1 min) vor und nach dem Lauf: {} / {} (geteilt mit anderen Prozessen; Zeiten sind Wanduhrzeiten).\n",
        load_before,
        load_average()
    ));
    println!("\n{table}");
    write_section("link", &table)
}

/// The 1-minute load average of the machine (`/proc/loadavg`), German decimal comma.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(|x| x.replace('.', ",")))
        .unwrap_or_else(|| "?".into())
}

/// The venv's Python with Splink installed (created and installed if missing).
fn splink_python() -> Result<PathBuf> {
    let venv = util::tools_dir().join("splink-venv");
    let python = venv.join("bin/python");
    let installed = || {
        let mut check = Command::new(&python);
        check.args([
            "-c",
            "import splink, duckdb, openpyxl; print(splink.__version__)",
        ]);
        util::output(check).is_some_and(|v| v == SPLINK_VERSION)
    };
    if installed() {
        return Ok(python);
    }
    if !python.exists() {
        let mut create = Command::new("python3");
        create.args(["-m", "venv"]).arg(&venv);
        run(create)?;
    }
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--quiet"])
        .arg(format!("splink=={SPLINK_VERSION}"))
        .args(["duckdb", "openpyxl"]);
    run(pip)?;
    if installed() {
        Ok(python)
    } else {
        Err(format!(
            "splink {SPLINK_VERSION} not importable in {}",
            venv.display()
        ))
    }
}

/// Runs `tests/e2e/bench/link.bench.mjs` against the bench bundle.
fn browser_runs(data: &Path, files: &[String]) -> Result<Value> {
    let dist = bench_bundle()?;
    let mut node = bench_script("bench/link.bench.mjs", &dist);
    node.env("BENCH_DATA", data)
        .env(
            "BENCH_FILES",
            serde_json::to_string(files).unwrap_or_default(),
        )
        .env("BENCH_RUNS", BROWSER_RUNS.to_string());
    script_result(
        node,
        &format!("bench/link.bench.mjs ({} files)", files.len()),
    )
}

fn rate(value: f64) -> String {
    german(value, 4)
}

fn pair<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value
        .get("pairs")?
        .as_array()?
        .iter()
        .find(|p| p.get("pair").and_then(Value::as_str) == Some(name))
}

fn link_table(native: &[Value], splink: &Value, browser: &Value) -> String {
    let first = native.first().cloned().unwrap_or(Value::Null);
    let browser_runs: Vec<Value> = browser
        .get("runs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = String::from(
        "| Registerpaar | Datensätze A × B | lagebild P | lagebild R | lagebild F1 | Splink P | Splink R | Splink F1 | lagebild nativ s | lagebild Chromium s | Splink s | Splink / nativ |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let (mut ours_total, mut splink_total, mut browser_total) = (0.0, 0.0, 0.0);
    for name in ["ALW × Meldewesen", "AKDN × ALW", "SchILD × ALW"] {
        let Some(ours) = pair(&first, name) else {
            continue;
        };
        let secs = median(
            native
                .iter()
                .filter_map(|v| pair(v, name))
                .map(|p| num(p, "seconds"))
                .collect(),
        );
        let in_browser = median(
            browser_runs
                .iter()
                .filter_map(|v| pair(v, name))
                .map(|p| num(p, "millis") / 1000.0)
                .collect(),
        );
        ours_total += secs;
        browser_total += in_browser;
        let theirs = pair(splink, name).cloned().unwrap_or(Value::Null);
        let splink_secs = num(&theirs, "seconds");
        splink_total += splink_secs;
        out.push_str(&format!(
            "| {name} | {} × {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            german(num(ours, "records_a"), 0),
            german(num(ours, "records_b"), 0),
            rate(num(ours, "precision")),
            rate(num(ours, "recall")),
            rate(num(ours, "f1")),
            rate(num(&theirs, "precision")),
            rate(num(&theirs, "recall")),
            rate(num(&theirs, "f1")),
            german(secs, 2),
            german(in_browser, 2),
            german(splink_secs, 1),
            german(splink_secs / secs.max(1e-9), 0),
        ));
    }
    let prepare = median(native.iter().map(|v| num(v, "prepare_seconds")).collect());
    let browser_prepare = median(
        browser_runs
            .iter()
            .map(|v| num(v, "prepare_millis") / 1000.0)
            .collect(),
    );
    let browser_import = median(
        browser_runs
            .iter()
            .map(|v| num(v, "import_millis") / 1000.0)
            .collect(),
    );
    let memory = browser_runs
        .iter()
        .map(|v| num(v, "wasm_memory_bytes"))
        .fold(0.0, f64::max);
    let native_all = ours_total + prepare;
    let browser_all = browser_total + browser_prepare;
    out.push_str(&format!(
        "| alle drei, mit Vorbereitung | | | | | | | | {} | {} | {} | {} |\n",
        german(native_all, 2),
        german(browser_all, 2),
        german(splink_total, 1),
        german(splink_total / native_all.max(1e-9), 0),
    ));
    let iterations: Vec<String> = first
        .get("pairs")
        .and_then(Value::as_array)
        .map(|pairs| {
            pairs
                .iter()
                .map(|p| german(num(p, "em_iterations"), 0))
                .collect()
        })
        .unwrap_or_default();
    out.push_str(&format!(
        "\nVorbereitung (Namen normalisieren, Adressen) nativ {} s, in Chromium {} s; Einlesen der Dateien in Chromium {} s (nicht in der Tabelle); wasm-Speicher {} MiB (Höchststand, mit den Dateien); EM-Iterationen lagebild {}. Splink {} (DuckDB), ein Lauf; Lesen und Normalisieren in Python {} s, nicht gezählt.\n",
        german(prepare, 2),
        german(browser_prepare, 2),
        german(browser_import, 2),
        german(memory / 1_048_576.0, 0),
        iterations.join(" / "),
        splink
            .get("splink_version")
            .and_then(Value::as_str)
            .unwrap_or("?"),
        german(num(splink, "read_seconds"), 1),
    ));
    out
}
