//! Hooks for the browser benchmarks (cargo feature `bench`, built only by `cargo xtask bench`):
//! the same core code the app runs, timed inside the page. They take bytes handed in by the
//! caller and return only counts and timings, never record content.

use std::cell::RefCell;
use std::collections::HashMap;

use lagebild_core::import::{Dataset, ImportOptions, Importer};
use lagebild_core::link::LinkOptions;
use lagebild_core::link::eval::{EvalFile, Truth, evaluate_files};
use wasm_bindgen::prelude::*;

thread_local! {
    /// Export files handed in for `bench_link` and `bench_publish`, by path.
    static LINK_FILES: RefCell<Vec<(String, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Size of the wasm linear memory in bytes: it only grows, so it is the high-water mark.
fn wasm_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size::<0>() as u64 * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// Imports one file and returns JSON with rows read/accepted, milliseconds and wasm memory.
#[wasm_bindgen]
pub fn bench_import(name: &str, bytes: &[u8]) -> String {
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let start = now_ms();
    let file = importer.import(&mut dataset, name, bytes, &ImportOptions::default());
    let millis = now_ms() - start;
    let r = &file.report;
    serde_json::json!({
        "file": name,
        "rows_read": r.rows_read,
        "rows_accepted": r.rows_accepted,
        "error": r.error.as_ref().map(|e| e.to_string()),
        "millis": millis,
        "wasm_memory_bytes": wasm_memory_bytes(),
    })
    .to_string()
}

/// Hands one export file (path relative to the city, e.g. `exports/akdn/…`) to the next
/// `bench_link` and `bench_publish` runs.
#[wasm_bindgen]
pub fn bench_link_add(path: &str, bytes: Vec<u8>) {
    LINK_FILES.with(|files| files.borrow_mut().push((path.to_string(), bytes)));
}

/// Imports the files handed in, links ALW × Meldewesen, AKDN × ALW and SchILD × ALW exactly
/// as the app does and returns JSON with milliseconds per step and pair, the match and
/// candidate counts and the wasm memory (the files' bytes included). No truth is loaded in
/// the page: precision and recall are measured natively (`lagebild link-eval`).
#[wasm_bindgen]
pub fn bench_link() -> String {
    LINK_FILES.with(|files| {
        let files = files.borrow();
        let list: Vec<EvalFile> = files
            .iter()
            .map(|(path, _)| EvalFile {
                path: path.clone(),
                source: None,
            })
            .collect();
        let bytes: HashMap<&str, &Vec<u8>> = files.iter().map(|(p, b)| (p.as_str(), b)).collect();
        let mut read = |path: &str| {
            bytes
                .get(path)
                .map(|b| b.to_vec())
                .ok_or_else(|| format!("{path} fehlt"))
        };
        let truth = Truth::default();
        let clock = || now_ms() / 1000.0;
        let start = now_ms();
        let result = evaluate_files(&list, &mut read, &truth, &LinkOptions::default(), &clock);
        let total_ms = now_ms() - start;
        match result {
            Ok(eval) => {
                let pairs: Vec<serde_json::Value> = eval
                    .pairs
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "pair": p.name,
                            "records_a": p.records.0,
                            "records_b": p.records.1,
                            "matches": p.quality.predicted,
                            "candidate_pairs": p.candidate_pairs,
                            "em_iterations": p.em_iterations,
                            "millis": p.seconds * 1000.0,
                        })
                    })
                    .collect();
                let link_ms: f64 = eval.pairs.iter().map(|p| p.seconds * 1000.0).sum();
                serde_json::json!({
                    "import_millis": eval.import_seconds * 1000.0,
                    "prepare_millis": eval.prepare_seconds * 1000.0,
                    "link_millis": link_ms,
                    "total_millis": total_ms,
                    "pairs": pairs,
                    "wasm_memory_bytes": wasm_memory_bytes(),
                })
            }
            Err(e) => serde_json::json!({ "error": e }),
        }
        .to_string()
    })
}

/// The job the comparison with DuckDB-Wasm times: reads a Meldewesen export (CSV) and the
/// Gliederung, assigns every resident's address and counts residents by Stadtteil (the
/// Kreuztabelle "Einwohner nach Stadtteil", unprotected: only its total leaves). Returns JSON
/// with milliseconds, the total counted and the wasm memory.
#[wasm_bindgen]
pub fn bench_population(
    ewo_name: &str,
    ewo_bytes: &[u8],
    gliederung_name: &str,
    gliederung_bytes: &[u8],
) -> String {
    use lagebild_core::reports::ReportConfig;
    use lagebild_core::reports::crosstab::{CrosstabRequest, CrosstabSource, crosstab};
    use lagebild_core::tabulate::TOTAL_KEY;

    let start = now_ms();
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    importer.import(&mut dataset, ewo_name, ewo_bytes, &ImportOptions::default());
    importer.import(
        &mut dataset,
        gliederung_name,
        gliederung_bytes,
        &ImportOptions::default(),
    );
    let request = CrosstabRequest {
        design: Default::default(),
        source: CrosstabSource::Bevoelkerung,
        rows: "raum:stadtteil".into(),
        columns: None,
        filters: Vec::new(),
    };
    let result = crosstab(&dataset, &ReportConfig::default(), &request);
    let millis = now_ms() - start;
    match result {
        Ok(table) => {
            let total = lagebild_core::tabulate::index_of(table.row_axes(), &[TOTAL_KEY])
                .and_then(|r| table.cell(r, 0));
            serde_json::json!({
                "millis": millis,
                "total": total,
                "stadtteile": table.n_rows(),
                "wasm_memory_bytes": wasm_memory_bytes(),
            })
        }
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    }
    .to_string()
}

/// Seconds on the page's clock (for the session's stage times).
fn now_seconds() -> f64 {
    now_ms() / 1000.0
}

/// Imports the files handed in (sources detected as in the app) and makes the standard
/// reports in protection mode `mode` (`tabelle` or `zelle`), with the original designs if
/// `original`; returns JSON with the seconds per stage and per table what its protection
/// left to publish (no values), as `lagebild report --timings` does natively.
#[wasm_bindgen]
pub fn bench_publish(mode: &str, original: bool) -> String {
    use lagebild_core::protect::{ProtectionMode, ProtectionSettings, TableDesign};
    use lagebild_core::session::{Incoming, Session};

    let settings = ProtectionSettings {
        mode: if mode == "zelle" {
            ProtectionMode::Zelle
        } else {
            ProtectionMode::Tabelle
        },
        design: if original {
            TableDesign::Original
        } else {
            TableDesign::Geplant
        },
        ..ProtectionSettings::default()
    };
    let incoming: Vec<Incoming<Vec<u8>>> = LINK_FILES.with(|files| {
        files
            .borrow()
            .iter()
            .map(|(path, bytes)| {
                let name = path.rsplit('/').next().unwrap_or(path);
                Incoming::detected(name, path, bytes.clone())
            })
            .collect()
    });
    let mut session = Session::<Vec<u8>>::new(now_seconds);
    session.import(incoming, &mut |_, _, _, _| {});
    let start = now_ms();
    if let Err(e) = session.run(&settings, &mut |_, _, _, _| {}) {
        return serde_json::json!({ "error": e.to_string() }).to_string();
    }
    serde_json::json!({
        "stages": session.times().by_name(),
        "tables": session.outcomes(),
        "run_millis": now_ms() - start,
        "wasm_memory_bytes": wasm_memory_bytes(),
    })
    .to_string()
}
