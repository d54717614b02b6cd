//! Hooks for the browser benchmarks (cargo feature `bench`, built only by `cargo xtask bench`):
//! the same core code the app runs, timed inside the page. They take bytes handed in by the caller and return only counts and
//! timings, never record content.

use lagebild_core::import::{Dataset, ImportOptions, Importer};
use wasm_bindgen::prelude::*;

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
