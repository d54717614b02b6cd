//! Small helpers: project paths, running commands, timing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Result type of every xtask step: the error is a message for the developer.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Directory of project-local tools (git-ignored).
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// Directory of the browser end-to-end suite.
pub fn e2e_dir() -> PathBuf {
    root().join("tests").join("e2e")
}

/// `PATH` with the project-local tool binaries first, so trunk finds our wasm-opt.
pub fn tool_path() -> String {
    let mut paths = vec![tools_dir().join("node_modules").join(".bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        paths.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        paths.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A command in the repository root with the tool `PATH`.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", tool_path());
    cmd
}

/// The cargo that runs this xtask.
pub fn cargo() -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    command(&cargo)
}

/// Runs a command with inherited output; fails with a message naming it.
pub fn run(mut cmd: Command) -> Result {
    let shown = describe(&cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its trimmed stdout, or `None` if it is missing or fails.
pub fn output(mut cmd: Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Records how long each named step took and prints a summary.
#[derive(Default)]
pub struct Timings(Vec<(String, Duration)>);

impl Timings {
    /// Runs `step`, prints its duration and keeps it for the summary.
    pub fn step(&mut self, name: &str, step: impl FnOnce() -> Result) -> Result {
        println!("\n== {name} ==");
        let start = Instant::now();
        let result = step();
        let took = start.elapsed();
        println!("== {name}: {} ==", seconds(took));
        self.0.push((name.to_string(), took));
        result
    }

    /// Prints every step's duration and the total.
    pub fn print_summary(&self) {
        println!("\nTimings:");
        let mut total = Duration::ZERO;
        for (name, took) in &self.0 {
            println!("  {name:<28} {:>9}", seconds(*took));
            total += *took;
        }
        println!("  {:<28} {:>9}", "total", seconds(total));
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// A stable 64-bit FNV-1a hash, used to stamp installed npm trees with their lock file.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(b"lock v1"), fnv1a(b"lock v2"));
    }
}
