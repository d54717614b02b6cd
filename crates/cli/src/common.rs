//! What the commands share: date arguments, the importer with a saved mapping, files named on
//! the command line as session input, import lines, clock and peak memory.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use lagebild_core::format;
use lagebild_core::import::values::NationalityTable;
use lagebild_core::import::{
    Dataset, FieldCatalog, ImportOptions, ImportedFile, Importer, Limits, MappingSet,
};
use lagebild_core::records::{Date, YearMonth};
use lagebild_core::session::Content;

/// Parses `JJJJ-MM`.
pub(crate) fn parse_month(text: &str) -> Result<YearMonth, String> {
    let (y, m) = text.split_once('-').ok_or("erwartet JJJJ-MM")?;
    y.parse()
        .ok()
        .zip(m.parse().ok())
        .and_then(|(y, m)| YearMonth::new(y, m))
        .ok_or_else(|| "erwartet JJJJ-MM".to_string())
}

/// Parses `JJJJ-MM-TT`.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => y
            .parse()
            .ok()
            .zip(m.parse().ok())
            .zip(d.parse().ok())
            .and_then(|((y, m), d)| Date::new(y, m, d))
            .ok_or_else(|| "erwartet JJJJ-MM-TT".to_string()),
        _ => Err("erwartet JJJJ-MM-TT".to_string()),
    }
}

/// Reads a text file with a German error message.
pub(crate) fn read_text(path: &Path, what: &str) -> Result<String, String> {
    crate::input::read_settings(path, what)
}

/// The saved column mapping in `path` (JSON, as the app saves it); none without a path.
pub(crate) fn mappings(path: Option<&Path>) -> Result<MappingSet, String> {
    match path {
        Some(path) => MappingSet::from_json(&read_text(path, "Zuordnungsdatei")?),
        None => Ok(MappingSet::default()),
    }
}

/// The importer with the saved column mapping, if any, and `limits`.
pub(crate) fn importer(mapping: Option<&Path>, limits: Limits) -> Result<Importer, String> {
    Ok(Importer::new(
        FieldCatalog::default_catalog(),
        mappings(mapping)?,
        NationalityTable::default_table(),
        limits,
    ))
}

/// The name of the file at `path`, as the import reports show it.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Imports one file and prints a one-line summary; `false` if it failed.
pub(crate) fn import_file(
    importer: &Importer,
    dataset: &mut Dataset,
    path: &Path,
    options: &ImportOptions,
) -> Result<bool, String> {
    let bytes = crate::input::read_export(path)?;
    let file = importer.import(dataset, &file_name(path), &bytes, options);
    print_import_line(file);
    Ok(file.report.error.is_none())
}

fn print_import_line(file: &ImportedFile) {
    let r = &file.report;
    match &r.error {
        Some(error) => println!("Datei {}: FEHLER: {error}", r.file_name),
        None => println!(
            "Datei {}: {} Zeilen gelesen, {} übernommen, {} abgewiesen",
            r.file_name,
            format::count(r.rows_read),
            format::count(r.rows_accepted),
            format::count(r.rows_rejected())
        ),
    }
}

/// A count as the office writes it in tables: `–` for zero.
pub(crate) fn cell(n: u64) -> String {
    if n == 0 {
        "–".to_string()
    } else {
        format::count(n)
    }
}

/// A file named on the command line, read when its turn comes.
pub struct ExportPath(pub PathBuf);

impl Content for ExportPath {
    fn size(&self) -> u64 {
        std::fs::metadata(&self.0).map_or(0, |m| m.len())
    }

    fn sample(&self) -> Result<Cow<'_, [u8]>, String> {
        self.read()
    }

    fn read(&self) -> Result<Cow<'_, [u8]>, String> {
        crate::input::read_export(&self.0).map(Cow::Owned)
    }
}

/// Seconds since the first call (the session's clock on the command line).
pub fn seconds() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if known.
pub(crate) fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
