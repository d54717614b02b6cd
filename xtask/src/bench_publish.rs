//! `cargo xtask bench publish [SCALE...]`: the publication planner per scale of the synthetic
//! city (default: demo, city), natively. Per standard table: the original design (blanked or
//! not), the planned one, how many merges, published values before and after; the time of the
//! protection step with original designs, with planned designs and in mode `Zelle`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::bench::{city_data, german, target_dir, write_section};
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
    for scale in &scales {
        let data = city_data(scale, 1)?;
        let files = report_args(&data)?;
        let original = report(&files, &["--original"], None)?;
        let planned = report(&files, &[], None)?;
        let zelle = report(&files, &["--mode", "zelle"], Some(ZELLE_TIMEOUT_SECONDS)).ok();
        body.push_str(&table(scale, &original, &planned, zelle.as_ref()));
    }
    println!("\n{body}");
    write_section("publish", &body)
}

/// The flags of `lagebild report` for the exports of a synthetic city, from its manifest
/// (copies and subsets of other exports left out).
fn report_args(data: &Path) -> Result<Vec<String>> {
    let manifest = data.join("manifest.json");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let manifest: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut args = Vec::new();
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
        let path: PathBuf = data.join(file["path"].as_str().unwrap_or_default());
        args.push(flag.to_string());
        args.push(path.to_string_lossy().into_owned());
    }
    Ok(args)
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
            let zelle_blanked = tables(z)
                .iter()
                .filter(|t| t["all_suppressed"].as_bool().unwrap_or(false))
                .count();
            format!(
                "{} s (ganz gesperrt: {zelle_blanked} von {})",
                german(protect_seconds(z), 2),
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
