//! `cargo xtask bench pipeline [SCALE...]`: the whole pipeline per scale of the synthetic city
//! (default: demo, city, metropolis), natively (`lagebild report --timings`, peak RSS) and in
//! headless Chromium through the app's file picker up to the downloaded workbook (time and the
//! worker's wasm memory). Writes one table per kind into `docs/benchmarks.md`.

use serde_json::Value;

use crate::bench::{
    BROWSER_RUNS, bench_bundle, bench_script, city_data, german, median, num, script_result,
    target_dir, write_section,
};
use crate::util::Result;

/// Scales measured when none are named.
const DEFAULT_SCALES: [&str; 3] = ["demo", "city", "metropolis"];

/// Stage keys of `lagebild report --timings` and their German labels (as on the Qualität page).
const STAGES: [(&str, &str); 6] = [
    ("read", "Einlesen"),
    ("locate", "Räumlich zuordnen"),
    ("classify", "Klassifizieren"),
    ("link", "Verknüpfen"),
    ("tabulate", "Auszählen"),
    ("protect", "Geheimhaltung prüfen"),
];

/// Runs per kind and scale: one at metropolis scale (a run takes minutes), else
/// [`BROWSER_RUNS`].
fn runs_per(scale: &str) -> usize {
    if scale == "metropolis" {
        1
    } else {
        BROWSER_RUNS
    }
}

/// Runs the benchmark for `scales` (all defaults if empty).
pub fn pipeline(scales: &[String]) -> Result {
    let scales: Vec<String> = if scales.is_empty() {
        DEFAULT_SCALES.iter().map(|s| (*s).to_string()).collect()
    } else {
        scales.to_vec()
    };
    crate::tasks::build_native_release()?;
    let dist = bench_bundle()?;
    let mut results = Vec::new();
    let runs_of = |scale: &str| -> Vec<&'static str> {
        // City and metropolis also without the earlier snapshots: every source at the
        // Stichtag, what the weekly and monthly reports need (and what a browser can hold at
        // metropolis scale).
        if scale == "demo" {
            vec!["alle"]
        } else {
            vec!["alle", "stichtag"]
        }
    };
    for (scale, selection) in scales
        .iter()
        .flat_map(|s| runs_of(s).into_iter().map(move |sel| (s, sel)))
    {
        let data = city_data(scale, 1)?;
        let mut node = bench_script("bench/pipeline.bench.mjs", &dist);
        node.env("LAGEBILD_CLI", target_dir().join("release/lagebild"))
            .env("BENCH_DATA", &data)
            .env("BENCH_SCALE", scale)
            .env("BENCH_SELECTION", selection)
            .env("BENCH_RUNS", runs_per(scale).to_string());
        let value = script_result(
            node,
            &format!("bench/pipeline.bench.mjs ({scale}, {selection})"),
        )?;
        println!("{value}");
        results.push(value);
    }
    let body = format!("{}\n{}", native_table(&results), browser_table(&results));
    println!("\n{body}");
    write_section("pipeline", &body)
}

fn runs<'a>(result: &'a Value, kind: &str) -> &'a [Value] {
    result
        .get(kind)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// "city" or "metropolis (Stichtag)".
fn label(result: &Value) -> String {
    let scale = result.get("scale").and_then(Value::as_str).unwrap_or("?");
    match result.get("selection").and_then(Value::as_str) {
        Some("stichtag") => format!("{scale} (nur Stichtag)"),
        _ => scale.to_string(),
    }
}

fn mib(bytes: f64) -> String {
    german(bytes / 1_048_576.0, 0)
}

fn native_table(results: &[Value]) -> String {
    let mut out = String::from(
        "Nativ (`lagebild report`, Sekunden, Median aus 3 Läufen, Metropole 1 Lauf):\n\n| Größe | Dateien | MiB |",
    );
    for (_, label) in STAGES {
        out.push_str(&format!(" {label} |"));
    }
    out.push_str(" Ausgabe | gesamt | Spitze RSS MiB |\n|---|---:|---:|");
    out.push_str(&"---:|".repeat(STAGES.len() + 3));
    out.push('\n');
    for r in results {
        let native = runs(r, "native");
        let stage = |key: &str| {
            median(
                native
                    .iter()
                    .map(|n| n.get("stages").map(|s| num(s, key)).unwrap_or(0.0))
                    .collect(),
            )
        };
        out.push_str(&format!(
            "| {} | {} | {} |",
            label(r),
            num(r, "files"),
            mib(num(r, "bytes"))
        ));
        for (key, _) in STAGES {
            out.push_str(&format!(" {} |", german(stage(key), 2)));
        }
        let peak = native
            .iter()
            .map(|n| num(n, "peak_memory_bytes"))
            .fold(0.0, f64::max);
        out.push_str(&format!(
            " {} | {} | {} |\n",
            german(
                median(native.iter().map(|n| num(n, "export_seconds")).collect()),
                2
            ),
            german(
                median(native.iter().map(|n| num(n, "wall_seconds")).collect()),
                2
            ),
            mib(peak)
        ));
    }
    out
}

fn browser_table(results: &[Value]) -> String {
    let mut out = String::from(
        "\nHeadless Chromium (die App: Dateiauswahl bis Berichte bzw. bis zur heruntergeladenen Arbeitsmappe, Sekunden, Median aus 3 Läufen, Metropole 1 Lauf; wasm-Speicher des Workers nach dem Lauf = Höchststand):\n\n| Größe |",
    );
    for (_, label) in STAGES {
        out.push_str(&format!(" {label} |"));
    }
    out.push_str(" bis Berichte | bis Arbeitsmappe | wasm-Speicher MiB | Ergebnis |\n|---|");
    out.push_str(&"---:|".repeat(STAGES.len() + 3));
    out.push_str("---|\n");
    for r in results {
        let browser = runs(r, "browser");
        let scale = label(r);
        if let Some(refused) = browser
            .iter()
            .find_map(|b| b.get("refused").and_then(Value::as_str))
        {
            out.push_str(&format!("| {scale} |"));
            out.push_str(&" – |".repeat(STAGES.len() + 3));
            out.push_str(&format!(" abgelehnt: „{}“ |\n", refused.replace('|', "/")));
            continue;
        }
        out.push_str(&format!("| {scale} |"));
        for (_, label) in STAGES {
            let t = median(
                browser
                    .iter()
                    .map(|b| b.get("stages").map(|s| num(s, label)).unwrap_or(0.0))
                    .collect(),
            );
            out.push_str(&format!(" {} |", german(t, 2)));
        }
        let memory = browser
            .iter()
            .map(|b| num(b, "wasm_memory_bytes"))
            .fold(0.0, f64::max);
        out.push_str(&format!(
            " {} | {} | {} | fertig |\n",
            german(
                median(browser.iter().map(|b| num(b, "reports_seconds")).collect()),
                2
            ),
            german(
                median(browser.iter().map(|b| num(b, "workbook_seconds")).collect()),
                2
            ),
            mib(memory)
        ));
    }
    out
}
