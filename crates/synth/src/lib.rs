//! Deterministic synthetic city of Gelsenkirchen's shape and the exports its administration
//! would produce, with ground truth for tests, demo data and benchmarks.
//!
//! ```no_run
//! use lagebild_synth::{Config, Scale, generate};
//!
//! let output = generate(&Config::new(Scale::Tiny)).expect("generation failed");
//! for file in &output.files {
//!     println!("{} ({} bytes)", file.path, file.bytes.len());
//! }
//! ```
//!
//! The same seed and configuration always give the same bytes. `generate` keeps everything in
//! memory (and compiles to WebAssembly for the app's demo data); with the default `native`
//! feature, [`write_to_dir`] streams to disk (required for the metropolis scale) and converts
//! the XLS/ODS variants with LibreOffice. See the crate's README for the output layout, the
//! scales and the noise knobs.

mod city;
mod codes;
mod date;
mod exports;
mod geo;
mod legal;
mod manifest;
mod names;
#[cfg(feature = "native")]
mod native;
mod noise;
mod output;
mod people;
mod population;
mod refugees;
mod rng;
mod scale;
mod text;

use std::fmt;
use std::str::FromStr;

pub use date::Date;
pub use manifest::{FileEntry, Manifest, SheetEntry, SourceKind, TruthEntry};
#[cfg(feature = "native")]
pub use native::{WriteOptions, office_available, write_to_dir};
pub use noise::Noise;

/// Size of the synthetic city.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scale {
    /// A few hundred residents (refugees over-represented so every status occurs): fast tests.
    Tiny,
    /// About 10,000 residents: the app's demo data, mid-size tests.
    Demo,
    /// About 266,000 residents, like Gelsenkirchen.
    City,
    /// About 3.8 million residents, for benchmarks (only with [`write_to_dir`]).
    Metropolis,
}

impl Scale {
    /// The scale's name (`tiny`, `demo`, `city`, `metropolis`).
    pub fn name(self) -> &'static str {
        match self {
            Scale::Tiny => "tiny",
            Scale::Demo => "demo",
            Scale::City => "city",
            Scale::Metropolis => "metropolis",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scale {
    type Err = String;

    fn from_str(s: &str) -> Result<Scale, String> {
        match s {
            "tiny" => Ok(Scale::Tiny),
            "demo" => Ok(Scale::Demo),
            "city" => Ok(Scale::City),
            "metropolis" => Ok(Scale::Metropolis),
            _ => Err(format!(
                "unbekannte Größe {s:?} (tiny, demo, city, metropolis)"
            )),
        }
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Size of the city.
    pub scale: Scale,
    /// Seed of every random decision.
    pub seed: u64,
    /// Reference date (Stichtag) of the register snapshots.
    pub stichtag: Date,
    /// Noise rates.
    pub noise: Noise,
}

impl Config {
    /// Seed 1, Stichtag 31.10.2026, realistic noise.
    pub fn new(scale: Scale) -> Config {
        Config {
            scale,
            seed: 1,
            stichtag: Date::ymd(2026, 10, 31),
            noise: Noise::default(),
        }
    }

    /// Checks the configuration.
    pub fn validate(&self) -> Result<(), Error> {
        let (lo, hi) = (Date::ymd(2012, 1, 1), Date::ymd(2035, 12, 31));
        if self.stichtag < lo || self.stichtag > hi {
            return Err(Error::Config(format!(
                "Stichtag {} liegt außerhalb von {} bis {}",
                self.stichtag, lo, hi
            )));
        }
        self.noise.validate().map_err(Error::Config)
    }
}

/// Why generation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The configuration is not valid.
    Config(String),
    /// A compiled-in code list is broken.
    Data(String),
    /// Reading or writing a file failed.
    Io(String),
    /// The XLSX writer failed.
    Xlsx(String),
    /// The LibreOffice conversion failed.
    Office(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "Konfiguration: {m}"),
            Error::Data(m) => write!(f, "Codeliste: {m}"),
            Error::Io(m) => write!(f, "Ein-/Ausgabe: {m}"),
            Error::Xlsx(m) => write!(f, "XLSX: {m}"),
            Error::Office(m) => write!(f, "LibreOffice: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory (`exports/...`, `truth/...`, `manifest.json`).
    pub path: String,
    /// The source an export imitates (`None` for ground truth and the manifest).
    pub source: Option<SourceKind>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Everything `generate` produced.
#[derive(Clone, Debug)]
pub struct Output {
    /// Exports, ground truth and `manifest.json`, in writing order.
    pub files: Vec<GeneratedFile>,
    /// The manifest (also among `files` as `manifest.json`).
    pub manifest: Manifest,
}

impl Output {
    /// The file at a path.
    pub fn file(&self, path: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Generates the city in memory. XLS/ODS variants are written as XLSX (no office suite in
/// memory or in the browser). The metropolis scale is refused: use [`write_to_dir`].
pub fn generate(config: &Config) -> Result<Output, Error> {
    if config.scale == Scale::Metropolis {
        return Err(Error::Config(
            "die Größe metropolis wird nur gestreamt auf die Platte geschrieben (write_to_dir)"
                .into(),
        ));
    }
    let mut sink = output::MemorySink::default();
    let manifest = exports::run(config, &mut sink, false)?;
    let files = sink
        .files
        .into_iter()
        .map(|(path, bytes)| {
            let source = manifest
                .files
                .iter()
                .find(|e| e.path == path)
                .map(|e| e.source);
            GeneratedFile {
                path,
                source,
                bytes,
            }
        })
        .collect();
    Ok(Output { files, manifest })
}
