//! `cargo xtask setup`: installs whatever is missing, idempotently, and says what it did.

use std::fs;
use std::path::Path;

use crate::util::{self, Result, command, output};

/// Trunk version that builds with this project's toolchain (0.22 needs rustc 1.96).
const TRUNK_VERSION: &str = "0.21.14";
/// binaryen from npm: Debian's wasm-opt 108 produces modules Chromium rejects.
const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// One setup step: checks a tool and installs it if missing.
type Step = fn() -> Result<Outcome>;

/// What a setup step found or did.
enum Outcome {
    Present(String),
    Installed(String),
    Skipped(String),
}

/// Runs every setup step; returns whether anything was installed.
pub fn run() -> Result<bool> {
    let steps: [(&str, Step); 8] = [
        ("wasm32 target", wasm_target),
        ("trunk", trunk),
        ("wasm-bindgen-cli", wasm_bindgen),
        ("wasm-opt", wasm_opt),
        ("chromium", chromium),
        ("libreoffice", libreoffice),
        ("python tools", python_tools),
        ("e2e npm packages", e2e_packages),
    ];
    let mut installed = false;
    for (name, step) in steps {
        match step()? {
            Outcome::Present(what) => println!("setup: {name}: present ({what})"),
            Outcome::Installed(what) => {
                installed = true;
                println!("setup: {name}: installed {what}");
            }
            Outcome::Skipped(why) => println!("setup: {name}: skipped ({why})"),
        }
    }
    Ok(installed)
}

fn wasm_target() -> Result<Outcome> {
    let mut list = command("rustup");
    list.args(["target", "list", "--installed"]);
    if output(list).is_some_and(|l| l.lines().any(|t| t.trim() == WASM_TARGET)) {
        return Ok(Outcome::Present(WASM_TARGET.into()));
    }
    let mut add = command("rustup");
    add.args(["target", "add", WASM_TARGET]);
    util::run(add)?;
    Ok(Outcome::Installed(WASM_TARGET.into()))
}

fn trunk() -> Result<Outcome> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    let mut version = command("trunk");
    version.arg("--version");
    if output(version).is_some_and(|v| v == wanted) {
        return Ok(Outcome::Present(wanted));
    }
    let mut install = util::cargo();
    install.args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]);
    util::run(install)?;
    Ok(Outcome::Installed(wanted))
}

/// The `wasm-bindgen` version recorded in `Cargo.lock`; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(util::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    wasm_bindgen_version_in(&lock)
}

fn wasm_bindgen_version_in(lock: &str) -> Result<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn wasm_bindgen() -> Result<Outcome> {
    let version = locked_wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    let mut check = command("wasm-bindgen");
    check.arg("--version");
    if output(check).is_some_and(|v| v == wanted) {
        return Ok(Outcome::Present(wanted));
    }
    // Not `--locked`: one of the CLI's locked dependencies is missing from the registry here.
    let mut install = util::cargo();
    install.args(["install", "--force", &format!("wasm-bindgen-cli@{version}")]);
    util::run(install)?;
    Ok(Outcome::Installed(wanted))
}

fn wasm_opt() -> Result<Outcome> {
    let tools = util::tools_dir();
    let binary = tools.join("node_modules").join(".bin").join("wasm-opt");
    let check = command(&binary.to_string_lossy()).arg("--version").output();
    if let Ok(out) = check {
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && text.contains(&format!("version {BINARYEN_VERSION}")) {
            return Ok(Outcome::Present(text.trim().to_string()));
        }
    }
    fs::create_dir_all(&tools).map_err(|e| format!("cannot create {}: {e}", tools.display()))?;
    let mut install = command("npm");
    install.args([
        "install",
        "--prefix",
        &tools.to_string_lossy(),
        "--no-audit",
        "--no-fund",
        &format!("binaryen@{BINARYEN_VERSION}"),
    ]);
    util::run(install)?;
    Ok(Outcome::Installed(format!(
        "binaryen {BINARYEN_VERSION} into .tools/"
    )))
}

fn chromium() -> Result<Outcome> {
    let have = |p: &str| Path::new(p).exists();
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        let mut version = command("/usr/bin/chromium");
        version.arg("--version");
        return Ok(Outcome::Present(
            output(version).unwrap_or_else(|| "/usr/bin/chromium".into()),
        ));
    }
    let mut id = command("id");
    id.arg("-u");
    if output(id).as_deref() != Some("0") {
        return Ok(Outcome::Skipped(
            "not root: run `apt-get install chromium chromium-driver` as root".into(),
        ));
    }
    let mut update = command("apt-get");
    update.args(["update", "-q"]);
    util::run(update)?;
    let mut install = command("apt-get");
    install
        .args(["install", "-y", "-q", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    util::run(install)?;
    Ok(Outcome::Installed(
        "Debian chromium + chromium-driver".into(),
    ))
}

/// LibreOffice writes the XLS and ODS variants of the synthetic exports (lagebild-synth).
fn libreoffice() -> Result<Outcome> {
    if let Some(path) = ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    {
        return Ok(Outcome::Present(path.into()));
    }
    let mut id = command("id");
    id.arg("-u");
    if output(id).as_deref() != Some("0") {
        return Ok(Outcome::Skipped(
            "not root: run `apt-get install libreoffice-calc-nogui` as root".into(),
        ));
    }
    let mut update = command("apt-get");
    update.args(["update", "-q"]);
    util::run(update)?;
    let mut install = command("apt-get");
    install
        .args(["install", "-y", "-q", "libreoffice-calc-nogui"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    util::run(install)?;
    Ok(Outcome::Installed("Debian libreoffice-calc-nogui".into()))
}

/// Python packages the publication test reads the workbook and its PDF print with: openpyxl
/// (a second reader, independent of the writer) and pypdf.
const PYTHON_PACKAGES: [&str; 2] = ["openpyxl==3.1.5", "pypdf==7.1.1"];

/// The Python of the test tools' venv (`.tools/py-venv`).
pub fn test_python() -> std::path::PathBuf {
    util::tools_dir().join("py-venv/bin/python")
}

/// A venv with [`PYTHON_PACKAGES`] for the publication test.
fn python_tools() -> Result<Outcome> {
    let python = test_python();
    let installed = || {
        let mut check = command(&python.to_string_lossy());
        check.args([
            "-c",
            "import openpyxl, pypdf; print(openpyxl.__version__, pypdf.__version__)",
        ]);
        output(check).is_some_and(|v| v == "3.1.5 7.1.1")
    };
    if python.exists() && installed() {
        return Ok(Outcome::Present(PYTHON_PACKAGES.join(", ")));
    }
    if !python.exists() {
        let mut create = command("python3");
        create
            .args(["-m", "venv"])
            .arg(util::tools_dir().join("py-venv"));
        util::run(create)?;
    }
    let mut pip = command(&python.to_string_lossy());
    pip.args(["-m", "pip", "install", "--quiet"])
        .args(PYTHON_PACKAGES);
    util::run(pip)?;
    if !installed() {
        return Err(format!(
            "{} not importable in {}",
            PYTHON_PACKAGES.join(", "),
            python.display()
        ));
    }
    Ok(Outcome::Installed(PYTHON_PACKAGES.join(", ")))
}

fn e2e_packages() -> Result<Outcome> {
    let dir = util::e2e_dir();
    let lock = fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read tests/e2e/package-lock.json: {e}"))?;
    let stamp_file = dir.join("node_modules").join(".lagebild-lock-hash");
    let stamp = format!("{:016x}", util::fnv1a(&lock));
    if fs::read_to_string(&stamp_file).is_ok_and(|s| s.trim() == stamp) {
        return Ok(Outcome::Present(
            "tests/e2e/node_modules matches package-lock.json".into(),
        ));
    }
    let mut install = command("npm");
    install
        .current_dir(&dir)
        .args(["ci", "--no-audit", "--no-fund"]);
    util::run(install)?;
    fs::write(&stamp_file, stamp)
        .map_err(|e| format!("cannot write {}: {e}", stamp_file.display()))?;
    Ok(Outcome::Installed("npm packages of tests/e2e".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_locked_wasm_bindgen_version_not_its_siblings() {
        let lock = r#"
[[package]]
name = "wasm-bindgen-backend"
version = "0.2.99"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(wasm_bindgen_version_in(lock).as_deref(), Ok("0.2.130"));
        assert!(wasm_bindgen_version_in("[[package]]\nname = \"leptos\"\n").is_err());
    }
}
