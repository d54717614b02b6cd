//! `cargo xtask fuzz [TARGET] [--seconds N] [--seed]`: runs the cargo-fuzz targets of `fuzz/`
//! (see `docs/robustness.md`).
//!
//! The toolchain is stable; cargo-fuzz needs nightly flags (`-Zsanitizer`, `-Cpasses`), so
//! every cargo-fuzz call runs with `RUSTC_BOOTSTRAP=1`. The sanitizer is off (`-s none`): the
//! project's code forbids `unsafe`, and without AddressSanitizer the busy two-core machine
//! runs several times more inputs. Seed corpora are generated (never committed) from the tiny
//! synthetic city and a few built-in texts into `fuzz/corpus/TARGET`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::util::{self, Result, run};

/// The fuzz targets, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: [&str; 6] = [
    "csv",
    "spreadsheet",
    "schild_dat",
    "legal_basis",
    "normalize",
    "settings_json",
];

/// Default run time per target, in seconds.
const DEFAULT_SECONDS: u64 = 60;

/// Largest seed file; longer exports are cut to their first lines.
const MAX_SEED_BYTES: usize = 16 * 1024;

/// Runs the command: `args` are the words after `fuzz`.
pub fn fuzz(args: &[String]) -> Result {
    let mut target: Option<&str> = None;
    let mut seconds = DEFAULT_SECONDS;
    let mut seed_only = false;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--seconds" => {
                let value = words.next().ok_or("--seconds needs a number")?;
                seconds = value
                    .parse()
                    .map_err(|_| format!("--seconds: `{value}` is not a number"))?;
            }
            "--seed" => seed_only = true,
            name if TARGETS.contains(&name) => target = Some(name),
            other => {
                return Err(format!(
                    "unknown fuzz argument `{other}`; targets: {}",
                    TARGETS.join(", ")
                ));
            }
        }
    }
    let targets: Vec<&str> = match target {
        Some(t) => vec![t],
        None => TARGETS.to_vec(),
    };
    write_seeds(seed_only)?;
    if seed_only {
        return Ok(());
    }
    ensure_cargo_fuzz()?;
    let mut results = Vec::new();
    for target in &targets {
        results.push(run_target(target, seconds)?);
    }
    println!("\nfuzz summary ({seconds} s per target, -timeout=1, -rss_limit_mb=2048):");
    println!(
        "  {:<14} {:>12} {:>9}  result",
        "target", "executions", "seconds"
    );
    let mut failed = Vec::new();
    for r in &results {
        println!(
            "  {:<14} {:>12} {:>9.0}  {}",
            r.target, r.executions, r.seconds, r.outcome
        );
        if r.outcome != "ok" {
            failed.push(r.target.clone());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz targets failed: {} (inputs in fuzz/artifacts/)",
            failed.join(", ")
        ))
    }
}

fn fuzz_dir() -> PathBuf {
    util::root().join("fuzz")
}

/// Target directory of the fuzz builds (separate from the workspace's, other flags).
fn fuzz_target_dir() -> PathBuf {
    crate::bench::target_dir().join("fuzz")
}

fn ensure_cargo_fuzz() -> Result {
    let mut probe = util::cargo();
    probe.args(["fuzz", "--version"]);
    if let Some(version) = util::output(probe) {
        println!("fuzz: {version}");
        return Ok(());
    }
    println!("fuzz: cargo-fuzz missing, installing it");
    let mut install = util::cargo();
    install.args(["install", "--locked", "cargo-fuzz"]);
    run(install)
}

struct Outcome {
    target: String,
    executions: u64,
    seconds: f64,
    outcome: String,
}

fn run_target(target: &str, seconds: u64) -> Result<Outcome> {
    let log = fuzz_target_dir().join(format!("{target}.log"));
    fs::create_dir_all(fuzz_target_dir()).map_err(|e| format!("{e}"))?;
    let mut cmd = util::cargo();
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", "--sanitizer", "none", "--fuzz-dir"])
        .arg(fuzz_dir())
        .arg("--target-dir")
        .arg(fuzz_target_dir())
        .args([
            target,
            "--",
            &format!("-max_total_time={seconds}"),
            "-timeout=1",
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
        ]);
    println!(
        "\n== fuzz {target} ({seconds} s), log in {} ==",
        log.display()
    );
    let start = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
    let took = start.elapsed().as_secs_f64();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    fs::write(&log, &text).map_err(|e| format!("{}: {e}", log.display()))?;
    let executions = text
        .lines()
        .filter_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .filter_map(|v| v.trim().parse().ok())
        .next_back()
        .unwrap_or(0);
    let fuzz_seconds = text
        .lines()
        .filter_map(|l| l.strip_prefix("Done ").and_then(|r| r.split(" in ").nth(1)))
        .filter_map(|r| r.split_whitespace().next()?.parse().ok())
        .next_back()
        .unwrap_or(took);
    let outcome = if out.status.success() {
        "ok".to_string()
    } else {
        let reason = text
            .lines()
            .find(|l| l.contains("==ERROR:") || l.contains("panicked at") || l.contains("ALARM"))
            .unwrap_or("failed")
            .trim()
            .to_string();
        let tail: Vec<&str> = text.lines().rev().take(25).collect();
        for line in tail.iter().rev() {
            println!("  {line}");
        }
        reason
    };
    println!("fuzz {target}: {executions} executions in {fuzz_seconds:.0} s: {outcome}");
    Ok(Outcome {
        target: target.to_string(),
        executions,
        seconds: fuzz_seconds,
        outcome,
    })
}

/// Writes the seed corpora unless they exist (or always, with `force`).
fn write_seeds(force: bool) -> Result {
    let corpus = fuzz_dir().join("corpus");
    let present = TARGETS
        .iter()
        .all(|t| fs::read_dir(corpus.join(t)).is_ok_and(|mut entries| entries.next().is_some()));
    if present && !force {
        return Ok(());
    }
    let data = synthetic_exports()?;
    let mut files = Vec::new();
    collect(&data, &mut files)?;
    files.sort();
    let mut seeds: Vec<(&str, String, Vec<u8>)> = Vec::new();
    let mut per_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let Some(ext) = name.rsplit('.').next().map(str::to_string) else {
            continue;
        };
        // A few files of each kind and source (the name's first word) suffice.
        let kind = format!("{ext}:{}", name.split(['_', '-']).next().unwrap_or(""));
        let count = per_kind.entry(kind).or_default();
        *count += 1;
        if *count > 2 {
            continue;
        }
        let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        match ext.as_str() {
            "csv" | "txt" => seeds.push(("csv", name.clone(), with_selector(0, cut(&bytes)))),
            "dat" => seeds.push(("schild_dat", name.clone(), cut(&bytes))),
            "xlsx" | "xls" | "ods" if bytes.len() <= 64 * 1024 => {
                let selector = match ext.as_str() {
                    "xlsx" => 0,
                    "xls" => 1,
                    _ => 2,
                };
                seeds.push(("spreadsheet", name.clone(), with_selector(selector, bytes)));
            }
            "geojson" | "json" => {
                seeds.push(("settings_json", name.clone(), with_selector(1, cut(&bytes))));
            }
            _ => {}
        }
    }
    let fixtures = util::root().join("crates/core/tests/fixtures");
    for (name, selector) in [
        ("alw_office.xls", 1),
        ("alw_office.ods", 2),
        ("alw_merged.xls", 1),
        ("alw_merged.ods", 2),
        ("ods_repeated_rows_20_columns.ods", 2),
    ] {
        if let Ok(bytes) = fs::read(fixtures.join(name)) {
            seeds.push((
                "spreadsheet",
                name.to_string(),
                with_selector(selector, bytes),
            ));
        }
    }
    for (i, text) in LEGAL_BASES.iter().enumerate() {
        seeds.push(("legal_basis", format!("basis{i}"), text.as_bytes().to_vec()));
    }
    for (i, text) in NAMES_AND_ADDRESSES.iter().enumerate() {
        seeds.push(("normalize", format!("text{i}"), text.as_bytes().to_vec()));
    }
    seeds.push((
        "settings_json",
        "mapping.json".into(),
        with_selector(0, MAPPING_JSON.as_bytes().to_vec()),
    ));
    let core_data = util::root().join("crates/core/data");
    for (name, selector) in [("rules.toml", 2), ("pks_example.toml", 3)] {
        if let Ok(bytes) = fs::read(core_data.join(name)) {
            seeds.push((
                "settings_json",
                name.to_string(),
                with_selector(selector, bytes),
            ));
        }
    }
    for target in TARGETS {
        let dir = corpus.join(target);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut counts: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for (target, name, bytes) in &seeds {
        let path = corpus.join(target).join(format!("seed-{name}"));
        fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let entry = counts.entry(target).or_default();
        entry.0 += 1;
        entry.1 += bytes.len();
    }
    for (target, (n, size)) in counts {
        println!("fuzz: seed corpus {target}: {n} files, {size} bytes");
    }
    Ok(())
}

/// The tiny synthetic city (without LibreOffice), generated once into the target directory.
fn synthetic_exports() -> Result<PathBuf> {
    let dir = fuzz_target_dir().join("seed-data");
    if dir.join("exports").is_dir() {
        return Ok(dir.join("exports"));
    }
    let mut generate = util::cargo();
    generate
        .args(["run", "--release", "-p", "lagebild-synth", "--"])
        .args(["--scale", "tiny", "--seed", "1", "--no-office", "--out"])
        .arg(&dir);
    run(generate)?;
    Ok(dir.join("exports"))
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

/// The first lines of a text export, at most [`MAX_SEED_BYTES`].
fn cut(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() <= MAX_SEED_BYTES {
        return bytes.to_vec();
    }
    let end = bytes[..MAX_SEED_BYTES]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(MAX_SEED_BYTES, |i| i + 1);
    bytes[..end].to_vec()
}

/// Prefixes the byte the targets use to choose a file name or loader.
fn with_selector(selector: u8, bytes: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 1);
    out.push(selector);
    out.extend(bytes);
    out
}

const LEGAL_BASES: [&str; 12] = [
    "§ 25 Abs. 2 AufenthG",
    "60a AufenthG",
    "§ 60a Abs. 2 Satz 1 AufenthG",
    "§ 25 Abs. 3 AufenthG",
    "§ 55 AsylVfG",
    "§ 55 Abs. 1 AsylG",
    "AufenthG § 24 Abs. 1",
    "§ 23 Abs. 4 AufenthG",
    "§ 25 Abs. 5 S. 1 AufenthG",
    "§ 104c AufenthG",
    "§ 16a Abs. 1 AufenthG",
    "§ 25 Abs. 4 Nr. 1a lit. b 2. Alt. AufenthG",
];

const NAMES_AND_ADDRESSES: [&str; 10] = [
    "Bismarck-Straße 12a",
    "BISMARCKSTRASSE",
    "Am Rundhöfchen 7 - 9",
    "Hauptstr. 12/1",
    "Müller-Lüdenscheidt",
    "Al-Hassan",
    "Ayşe Öztürk",
    "von der Heydt",
    "Kovačević",
    "Jürgen Karl",
];

const MAPPING_JSON: &str = r#"{"mappings":[{"source":"meldewesen","columns":{"Name":"family_name","Vorname":"given_names","Religion":null}},{"source":null,"columns":{"Geb.-Dat.":"birth_date"}}]}"#;
