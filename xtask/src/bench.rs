//! `cargo xtask bench [import|link|compare|pipeline|size|publish]`: builds release artefacts, generates the synthetic city
//! (cached), measures natively and in headless Chromium, and writes the tables into
//! `docs/benchmarks.md`. The linkage benchmark (with Splink side by side) is in
//! [`crate::bench_link`].

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::setup;
use crate::util::{self, Result, command, run};

/// Runs the named benchmark (default: all); `args` are the words after its name.
pub fn bench(which: Option<&str>, args: &[String]) -> Result {
    setup::run()?;
    match which.unwrap_or("all") {
        "import" => import(),
        "link" => crate::bench_link::link(),
        "pipeline" => crate::bench_pipeline::pipeline(args),
        "compare" => crate::bench_compare::compare(),
        "size" => crate::bench_size::size(),
        "publish" => crate::bench_publish::publish(args),
        "all" => import()
            .and_then(|()| crate::bench_link::link())
            .and_then(|()| crate::bench_compare::compare())
            .and_then(|()| crate::bench_pipeline::pipeline(&[]))
            .and_then(|()| crate::bench_size::size())
            .and_then(|()| crate::bench_publish::publish(&[])),
        other => Err(format!(
            "unknown benchmark `{other}` (known: import, link, compare, pipeline, size, publish)"
        )),
    }
}

/// The cargo target directory: `CARGO_TARGET_DIR` if set (relative to the repository root),
/// else `target/`. Release binaries, the cached city and the bench bundle live there.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => util::root().join(dir),
        _ => util::root().join("target"),
    }
}

/// Native timing runs per file; the median is reported.
pub(crate) const NATIVE_RUNS: usize = 3;
/// Browser timing runs per file; the median is reported.
pub(crate) const BROWSER_RUNS: usize = 3;

fn import() -> Result {
    crate::tasks::build_native_release()?;
    let data = city_data("city", 1)?;
    let exports = data.join("exports");
    let mut files = Vec::new();
    collect(&exports, &mut files)?;
    files.retain(|f| {
        let name = f.to_string_lossy().to_lowercase();
        !(name.ends_with(".geojson") || name.ends_with(".json"))
    });
    files.sort();
    if files.is_empty() {
        return Err(format!("no export files in {}", exports.display()));
    }

    let cli = target_dir().join("release/lagebild");
    let mut rows = Vec::new();
    for file in &files {
        let mut runs = Vec::new();
        for _ in 0..NATIVE_RUNS {
            let out = Command::new(&cli)
                .args(["import", "--json"])
                .arg(file)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
            let text = String::from_utf8_lossy(&out.stdout);
            let value: Value = serde_json::from_str(text.trim())
                .map_err(|e| format!("bad JSON from lagebild import: {e}: {text}"))?;
            runs.push(value);
        }
        rows.push((file.clone(), runs));
    }

    let dist = bench_bundle()?;
    let relative: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&exports)
                .unwrap_or(f)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut node = bench_script("bench/import.bench.mjs", &dist);
    node.env("BENCH_DATA", &exports)
        .env(
            "BENCH_FILES",
            serde_json::to_string(&relative).unwrap_or_default(),
        )
        .env("BENCH_RUNS", BROWSER_RUNS.to_string());
    let browser = script_result(
        node,
        &format!("bench/import.bench.mjs ({} files)", relative.len()),
    )?;

    let table = import_table(&rows, &relative, &browser);
    println!("\n{table}");
    write_section("import", &table)
}

/// Builds the app's release bundle with the `bench` feature (benchmark hooks) and returns
/// its directory.
pub(crate) fn bench_bundle() -> Result<PathBuf> {
    let dist = target_dir().join("dist-bench");
    let mut trunk = command("trunk");
    trunk
        .args([
            "build",
            "--release",
            "--offline",
            "--features",
            "bench",
            "--dist",
        ])
        .arg(&dist);
    run(trunk)?;
    Ok(dist)
}

pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

pub(crate) fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

pub(crate) fn german(value: f64, places: usize) -> String {
    let fixed = format!("{value:.places$}");
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped},{frac}")
    }
}

/// A `node` command for the bench script `script` of `tests/e2e/bench` against the bundle in
/// `dist`; the caller adds the script's environment and runs it with [`script_result`].
pub fn bench_script(script: &str, dist: &Path) -> Command {
    let mut node = command("node");
    node.current_dir(util::e2e_dir())
        .env("LAGEBILD_DIST", dist)
        .arg(script);
    node
}

/// Runs a bench script (`what` names it in messages) and parses the JSON of the last line it
/// printed.
pub fn script_result(mut node: Command, what: &str) -> Result<Value> {
    println!("$ node {what}");
    let out = node.output().map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or("null"),
    )
    .map_err(|e| format!("bad JSON from {what}: {e}"))
}

fn import_table(native: &[(PathBuf, Vec<Value>)], relative: &[String], browser: &Value) -> String {
    let mut out = String::from(
        "| Datei | Format | Zeilen | nativ Zeilen/s | nativ Spitze MiB | Spitze / Datei | Browser Zeilen/s | wasm-Speicher MiB |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for ((file, runs), rel) in native.iter().zip(relative) {
        let first = runs.first().cloned().unwrap_or(Value::Null);
        let rows = num(&first, "rows_read");
        let secs = median(runs.iter().map(|r| num(r, "seconds")).collect());
        let peak = runs
            .iter()
            .map(|r| num(r, "peak_memory_bytes"))
            .fold(0.0, f64::max);
        let input = num(&first, "input_bytes").max(1.0);
        let in_browser = browser.as_array().and_then(|a| {
            a.iter()
                .find(|r| r.get("file").and_then(Value::as_str) == Some(rel))
        });
        let (b_rate, b_mem) = match in_browser
            .and_then(|r| r.get("runs"))
            .and_then(Value::as_array)
        {
            Some(runs) => {
                let ms = median(runs.iter().map(|r| num(r, "millis")).collect());
                let mem = runs
                    .iter()
                    .map(|r| num(r, "wasm_memory_bytes"))
                    .fold(0.0, f64::max);
                (
                    german(rows / (ms / 1000.0).max(1e-9), 0),
                    german(mem / 1048576.0, 0),
                )
            }
            None => ("–".into(), "–".into()),
        };
        let format = first.get("format").and_then(Value::as_str).unwrap_or("?");
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push_str(&format!(
            "| {name} | {format} | {} | {} | {} | {} | {b_rate} | {b_mem} |\n",
            german(rows, 0),
            german(rows / secs.max(1e-9), 0),
            german(peak / 1048576.0, 0),
            german(peak / input, 1),
        ));
    }
    out
}

/// Generates (once per synth version) the synthetic city of `scale` with `seed`.
pub(crate) fn city_data(scale: &str, seed: u64) -> Result<PathBuf> {
    let dir = target_dir().join(format!("bench-data/{scale}-seed{seed}"));
    let stamp_file = dir.join(".synth-stamp");
    let synth = target_dir().join("release/lagebild-synth");
    let stamp = format!(
        "{:016x}",
        util::fnv1a(&fs::read(&synth).map_err(|e| format!("{}: {e}", synth.display()))?)
    );
    if fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp) {
        println!("bench: using cached {}", dir.display());
        return Ok(dir);
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut generate = Command::new(&synth);
    generate
        .args(["--scale", scale, "--seed", &seed.to_string(), "--out"])
        .arg(&dir);
    run(generate)?;
    fs::write(&stamp_file, stamp).map_err(|e| format!("{}: {e}", stamp_file.display()))?;
    Ok(dir)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Replaces the section `name` of docs/benchmarks.md (between marker comments) with `body`,
/// headed by the machine and date.
pub(crate) fn write_section(name: &str, body: &str) -> Result {
    let path = util::root().join("docs/benchmarks.md");
    let doc = fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    let start = format!("<!-- bench:{name}:start -->");
    let end = format!("<!-- bench:{name}:end -->");
    let section = format!("{start}\n{}\n{body}{end}", machine_line());
    let updated = match (doc.find(&start), doc.find(&end)) {
        (Some(s), Some(e)) if e > s => format!("{}{section}{}", &doc[..s], &doc[e + end.len()..]),
        _ => format!("{}\n{section}\n", doc.trim_end()),
    };
    fs::write(&path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("bench: wrote section `{name}` of {}", path.display());
    Ok(())
}

fn machine_line() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unbekannte CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| format!("{} GiB", kb / 1_048_576))
        .unwrap_or_default();
    let mut date = Command::new("date");
    date.args(["-u", "+%Y-%m-%d %H:%M UTC"]);
    let when = util::output(date).unwrap_or_default();
    let mut git = Command::new("git");
    git.current_dir(util::root())
        .args(["rev-parse", "--short", "HEAD"]);
    let commit = util::output(git).unwrap_or_default();
    format!(
        "Gemessen {when}, Commit {commit}, {cpu}, {cores} Kerne, {memory} Speicher; Median aus {NATIVE_RUNS} (nativ) bzw. {BROWSER_RUNS} (Chromium) Läufen.\n"
    )
}
