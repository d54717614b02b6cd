//! `cargo xtask`: the project's own automation. Every setup step lives here, not in anyone's
//! shell history.
//!
//! - `setup`: install what is missing (idempotent, says what it did)
//! - `serve`: build and serve the app at <http://127.0.0.1:8080>
//! - `dist`:  release build into `dist/`, print file sizes
//! - `test`:  fmt, clippy, unit tests, release build, browser end-to-end suite
//! - `bench`: benchmarks into `docs/benchmarks.md`

mod bench;
mod bundle;
mod setup;
mod tasks;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  setup   install missing tools (wasm32 target, trunk, wasm-bindgen-cli, wasm-opt,
          Chromium, npm packages of the browser tests); a second run does nothing
  serve   build and serve the app at http://127.0.0.1:8080 (offline)
  dist    release build into dist/ with wasm-opt, print file sizes
  test    cargo fmt --check, clippy -D warnings, cargo test, release build,
          browser end-to-end suite against dist/
  bench   [import] build release, generate the synthetic city (cached), measure
          natively and in headless Chromium, write docs/benchmarks.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run().map(|_| ()),
        Some("serve") => tasks::serve(),
        Some("dist") => tasks::dist(),
        Some("bundle") => bundle::run(&util::root().join("dist")),
        Some("test") => tasks::test(),
        Some("bench") => bench::bench(args.get(1).map(String::as_str)),
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
