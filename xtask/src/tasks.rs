//! The commands besides `setup`: serve, dist, test. Each runs setup first.

use std::fs;
use std::path::{Path, PathBuf};

use crate::setup;
use crate::util::{self, Result, Timings, command, run};

/// Builds (release: the pipeline and the demo city are far too slow unoptimised) and serves
/// the app at http://127.0.0.1:8080, rebuilding on change.
pub fn serve() -> Result {
    setup::run()?;
    println!("Lagebild: http://127.0.0.1:8080/ (Strg+C beendet)");
    let mut trunk = command("trunk");
    trunk.args(["serve", "--release", "--offline"]);
    run(trunk)
}

/// Release build into `dist/` with wasm-opt, the CSP and the single file `dist/lagebild.html`,
/// then prints the file sizes.
pub fn dist() -> Result {
    setup::run()?;
    build_release()?;
    print_sizes(&util::root().join("dist"))
}

/// Trunk's release build, then `bundle`: the CSP in `index.html` and the single file.
fn build_release() -> Result {
    let mut trunk = command("trunk");
    trunk.args(["build", "--release", "--offline"]);
    run(trunk)?;
    crate::bundle::run(&util::root().join("dist"))
}

fn print_sizes(dist: &Path) -> Result {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    println!("\ndist/:");
    let mut total = 0;
    for file in &files {
        let size = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        total += size;
        let name = file.strip_prefix(dist).unwrap_or(file).display();
        println!("  {:>12}  {name}", bytes(size));
    }
    println!("  {:>12}  total", bytes(total));
    Ok(())
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.2} MiB", n as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

/// The whole test suite: formatting, lints, unit and integration tests, the release wasm build
/// and the browser end-to-end suite against the built `dist/`.
pub fn test() -> Result {
    let mut timings = Timings::default();
    let result = run_tests(&mut timings);
    timings.print_summary();
    result
}

fn run_tests(timings: &mut Timings) -> Result {
    timings.step("setup", || setup::run().map(|_| ()))?;
    timings.step("cargo fmt --check", || {
        let mut fmt = util::cargo();
        fmt.args(["fmt", "--all", "--check"]);
        run(fmt)
    })?;
    timings.step("cargo clippy", || {
        let mut clippy = util::cargo();
        clippy.args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]);
        run(clippy)
    })?;
    timings.step("cargo test", || {
        // The publication test must not skip for want of its tools: setup installed them.
        let mut test = util::cargo();
        test.args(["test", "--workspace"])
            .env("LAGEBILD_REQUIRE_TOOLS", "1")
            .env("LAGEBILD_PYTHON", setup::test_python());
        run(test)
    })?;
    timings.step("release wasm build", || {
        build_release()?;
        print_sizes(&util::root().join("dist"))
    })?;
    timings.step("native release binaries (CLI, synth)", build_native_release)?;
    timings.step("browser e2e", e2e)
}

/// Directory cargo builds into (`CARGO_TARGET_DIR` or `target/`).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                util::root().join(dir)
            }
        })
        .unwrap_or_else(|| util::root().join("target"))
}

/// The CLI and the synthetic data generator in release mode: the e2e suite runs them natively
/// (the app's workbook is compared with the one `lagebild report` writes on the same
/// synthetic files), and so do the benchmarks.
pub(crate) fn build_native_release() -> Result {
    let mut build = util::cargo();
    build.args([
        "build",
        "--release",
        "-p",
        "lagebild-cli",
        "-p",
        "lagebild-synth",
    ]);
    run(build)
}

/// Runs every `*.test.mjs` of `tests/e2e` with node's test runner against `dist/`.
fn e2e() -> Result {
    let dir = util::e2e_dir();
    let mut tests: Vec<String> = fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .collect();
    tests.sort();
    if tests.is_empty() {
        return Err("no end-to-end tests found in tests/e2e".into());
    }
    let mut node = command("node");
    let release = target_dir().join("release");
    node.current_dir(&dir)
        .env("LAGEBILD_DIST", util::root().join("dist"))
        .env("LAGEBILD_CLI", release.join("lagebild"))
        .env("LAGEBILD_SYNTH", release.join("lagebild-synth"))
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&tests);
    run(node)
}
