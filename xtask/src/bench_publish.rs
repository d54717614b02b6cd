//! `cargo xtask bench publish [SCALE...]`: the publication planner per scale of the synthetic
//! city (default: demo, city), natively and in Chromium. Per standard table: the original
//! design (blanked or not), the planned one, how many merges, published values before and
//! after; the time of the protection step with original designs, with planned designs and in
//! mode `Zelle`, natively and in the page (`tests/e2e/bench/publish.bench.mjs`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::bench::{
    bench_bundle, bench_script, city_data, german, script_result, target_dir, write_section,
};
use crate::util::Result;

const DEFAULT_SCALES: [&str; 2] = ["demo", "city"];

/// Longest a `Zelle` run may take before the bench gives up on it.
const ZELLE_TIMEOUT_SECONDS: &str = "300";

/// Runs the benchmark and writes the section `publish` of `docs/benchmarks.md`.
pub fn publish(scales: &[String]) -> Result {
    let scales: Vec<String> = if scales.is_empty() {
        DEFAULT_SCALES.iter().map(|s| (*s).to_string()).collect()
    } else {
        scales.to_vec()
    };
    crate::tasks::build_native_release()?;
    let mut body = String::from(
        "\nEin Lauf je Gestaltung und Größe, nativ (`lagebild report --timings`); im Browser \
         rechnet derselbe Kern.\n",
    );
    let dist = bench_bundle()?;
    for scale in &scales {
        let data = city_data(scale, 1)?;
        let exports = exports(&data)?;
        let files: Vec<String> = exports
            .iter()
            .flat_map(|(flag, rel)| [flag.to_string(), data.join(rel).to_string_lossy().into()])
            .collect();
        let original = report(&files, &["--original"], None)?;
        let planned = report(&files, &[], None)?;
        let zelle = report(&files, &["--mode", "zelle"], Some(ZELLE_TIMEOUT_SECONDS)).ok();
        body.push_str(&table(scale, &original, &planned, zelle.as_ref()));
        let rels: Vec<&str> = exports.iter().map(|(_, rel)| rel.as_str()).collect();
        let mut node = bench_script("bench/publish.bench.mjs", &dist);
        node.env("BENCH_DATA", &data).env(
            "BENCH_FILES",
            serde_json::to_string(&rels).unwrap_or_default(),
        );
        let browser = script_result(node, &format!("bench/publish.bench.mjs ({scale})"))?;
        body.push_str(&in_browser(
            &[&original, &planned],
            zelle.as_ref(),
            &browser,
        ));
    }
    println!("\n{body}");
    write_section("publish", &body)
}

/// The exports of a synthetic city from its manifest (copies and subsets of other exports left
/// out), each with the flag of `lagebild report` for its source and its path relative to the
/// city.
fn exports(data: &Path) -> Result<Vec<(&'static str, String)>> {
    let manifest = data.join("manifest.json");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let manifest: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut out = Vec::new();
    for file in manifest["files"].as_array().into_iter().flatten() {
        if !file["subset_of"].is_null() || !file["duplicate_of"].is_null() {
            continue;
        }
        let flag = match file["source"].as_str().unwrap_or_default() {
            "Meldewesen" => "--ewo",
            "ALW" => "--alw",
            "AKDN" => "--akdn",
            "Gliederung" => "--gliederung",
            "SchILD" => "--schild",
            "GeoJSON" => "--karte",
            _ => continue,
        };
        out.push((flag, file["path"].as_str().unwrap_or_default().to_owned()));
    }
    Ok(out)
}

/// Runs `lagebild report` on `files` with `extra` flags and returns its `--timings` JSON.
fn report(files: &[String], extra: &[&str], timeout: Option<&str>) -> Result<Value> {
    let dir = target_dir().join("bench-publish");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let timings = dir.join("timings.json");
    let cli = target_dir().join("release/lagebild");
    let mut command = match timeout {
        Some(seconds) => {
            let mut c = Command::new("timeout");
            c.arg(seconds).arg(&cli);
            c
        }
        None => Command::new(&cli),
    };
    command
        .arg("report")
        .args(files)
        .args(extra)
        .arg("--out")
        .arg(dir.join("bericht.xlsx"))
        .arg("--timings")
        .arg(&timings);
    let output = command
        .output()
        .map_err(|e| format!("{}: {e}", cli.display()))?;
    if !output.status.success() && output.status.code() != Some(1) {
        return Err(format!(
            "lagebild report {extra:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text =
        std::fs::read_to_string(&timings).map_err(|e| format!("{}: {e}", timings.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", timings.display()))
}

fn tables(result: &Value) -> &[Value] {
    result["tables"].as_array().map_or(&[], Vec::as_slice)
}

fn blanked_count(result: &Value) -> usize {
    tables(result)
        .iter()
        .filter(|t| t["all_suppressed"].as_bool().unwrap_or(false))
        .count()
}

/// The lines on the runs in Chromium, compared with the native ones (`native`: original and
/// planned designs).
fn in_browser(native: &[&Value; 2], zelle: Option<&Value>, browser: &Value) -> String {
    let runs = [&browser["original"], &browser["planned"], &browser["zelle"]];
    let natives = [Some(native[0]), Some(native[1]), zelle];
    let same = runs.iter().zip(natives).all(|(b, n)| {
        n.is_none_or(|n| {
            let keys = |v: &Value| {
                tables(v)
                    .iter()
                    .map(|t| {
                        (
                            t["key"].clone(),
                            t["all_suppressed"].clone(),
                            t["published_values"].clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            keys(b) == keys(n)
        })
    });
    let memory = browser["zelle"]["wasm_memory_bytes"]
        .as_f64()
        .unwrap_or(0.0)
        / 1_048_576.0;
    format!(
        "\nIm Browser (Chromium, derselbe Kern als WebAssembly, Quellen wie in der App erkannt): \
         Geheimhaltungsschritt ursprünglich {} s, geplant {} s, Modus „Zelle“ {} s; ganz gesperrt \
         {}, {} und {} Tabellen; WebAssembly-Speicher danach {} MB. {}\n",
        german(protect_seconds(runs[0]), 2),
        german(protect_seconds(runs[1]), 2),
        german(protect_seconds(runs[2]), 2),
        blanked_count(runs[0]),
        blanked_count(runs[1]),
        blanked_count(runs[2]),
        german(memory, 0),
        if same {
            "Je Tabelle dasselbe Ergebnis wie nativ."
        } else {
            "**Abweichung vom nativen Ergebnis** (gesperrte Tabellen oder Zahl der Werte)."
        },
    )
}

fn protect_seconds(result: &Value) -> f64 {
    result["stages"]["protect"].as_f64().unwrap_or(f64::NAN)
}

/// The Markdown table of one scale.
fn table(scale: &str, original: &Value, planned: &Value, zelle: Option<&Value>) -> String {
    let state = |t: &Value| {
        if t["all_suppressed"].as_bool().unwrap_or(false) {
            "ganz gesperrt"
        } else {
            "veröffentlicht"
        }
    };
    let mut out = format!(
        "\n### {scale}\n\n| Tabelle | ursprünglich | geplant | Zusammenfassungen | veröffentlichte Werte vorher → nachher |\n|---|---|---|---:|---:|\n"
    );
    let mut blanked = (0, 0);
    for (o, p) in tables(original).iter().zip(tables(planned)) {
        blanked.0 += usize::from(o["all_suppressed"].as_bool().unwrap_or(false));
        blanked.1 += usize::from(p["all_suppressed"].as_bool().unwrap_or(false));
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} → {} |\n",
            o["key"].as_str().unwrap_or_default(),
            state(o),
            state(p),
            p["merges"].as_u64().unwrap_or(0),
            o["published_values"].as_u64().unwrap_or(0),
            p["published_values"].as_u64().unwrap_or(0),
        ));
    }
    let zelle = zelle.map_or_else(
        || format!("mehr als {ZELLE_TIMEOUT_SECONDS} s (abgebrochen)"),
        |z| {
            format!(
                "{} s (ganz gesperrt: {} von {})",
                german(protect_seconds(z), 2),
                blanked_count(z),
                tables(z).len()
            )
        },
    );
    out.push_str(&format!(
        "\nGanz gesperrt: {} von {} Tabellen mit ursprünglicher Gestaltung, {} mit geplanter. \
         Geheimhaltungsschritt (alle Tabellen, nativ): ursprünglich {} s, geplant {} s, \
         Modus „Zelle“ {zelle}.\n",
        blanked.0,
        tables(original).len(),
        blanked.1,
        german(protect_seconds(original), 2),
        german(protect_seconds(planned), 2),
    ));
    out
}
