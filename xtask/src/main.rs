//! `cargo xtask`: the project's own automation. Every setup step lives here, not in anyone's
//! shell history.
//!
//! - `setup`: install what is missing (idempotent, says what it did)
//! - `serve`: build and serve the app at <http://127.0.0.1:8080>
//! - `dist`:  release build into `dist/` with CSP and the single file `lagebild.html`
//! - `bundle`: CSP and single file from an existing `dist/`
//! - `test`:  fmt, clippy, unit tests, release build, browser end-to-end suite
//! - `bench`: benchmarks into `docs/benchmarks.md`
//! - `modules`: import cycles between the modules of core, CLI and app (none allowed)
//! - `fuzz`:  cargo-fuzz targets for the readers and parsers (`docs/robustness.md`)

mod bench;
mod bench_compare;
mod bench_link;
mod bench_pipeline;
mod bench_publish;
mod bench_size;
mod bundle;
mod fuzz;
mod modules;
mod setup;
mod tasks;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  fuzz    [TARGET] [--seconds N] [--seed] run the cargo-fuzz targets of fuzz/ (csv,
          spreadsheet, schild_dat, legal_basis, normalize, settings_json) N s each
          (default 60); --seed only writes the generated seed corpora
  modules [SRC...] print the import cycles between the modules of core, CLI and app
          (or of the crates with sources in SRC); an error if there is one
          (`cargo test` checks the same)
  setup   install missing tools (wasm32 target, trunk, wasm-bindgen-cli, wasm-opt,
          Chromium, npm packages of the browser tests); a second run does nothing
  serve   build and serve the app at http://127.0.0.1:8080 (offline)
  dist    release build into dist/ with wasm-opt, strict CSP, the single file
          dist/lagebild.html (budget 6 MB, SHA-256 printed), print file sizes
  bundle  only the CSP and the single file, from an existing dist/
  test    cargo fmt --check, clippy -D warnings, cargo test, release build,
          browser end-to-end suite against dist/
  bench   [import|link|compare|pipeline [SCALE...]|size|publish [SCALE...]] build release,
          generate the synthetic city (cached), measure natively and in headless Chromium, write
          docs/benchmarks.md; `link` also runs Splink (Python venv in .tools/splink-venv);
          `compare` runs SheetJS and DuckDB-Wasm side by side in the same Chromium;
          `pipeline` runs the whole app per scale (default demo, city, metropolis);
          `size` builds dist/ and reports the wasm sizes; `publish [SCALE...]` the
          publication planner per standard table (default demo, city)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run().map(|_| ()),
        Some("serve") => tasks::serve(),
        Some("dist") => tasks::dist(),
        Some("bundle") => bundle::run(&util::root().join("dist")),
        Some("test") => tasks::test(),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("modules") => modules::run(&args[1..]),
        Some("bench") => bench::bench(
            args.get(1).map(String::as_str),
            args.get(2..).unwrap_or_default(),
        ),
        Some("-h" | "--help") | None => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}
