//! Memory needed to import a set of files, estimated before any file is parsed, and a check
//! against a budget (the browser build has at most 4 GiB of wasm32 memory, often less).
//!
//! The factors are the measured peaks of `docs/benchmarks.md` (import section, synthetic city,
//! wasm linear memory after the import, which includes the copy of the file's bytes), rounded
//! up:
//!
//! | kind | peak while importing | kept afterwards (records, text pool) |
//! |---|---|---|
//! | CSV/TXT, SchILD `.dat` | 3.5 x file size (measured 3.2) | 1.0 x file size |
//! | XLSX | file size + 0.75 x unpacked size (measured 0.74) | 0.25 x unpacked size |
//! | ODS | file size + 1.25 x unpacked size (measured 1.18 natively), at least the sheets' ranges as calamine holds them (repetitions expanded: values, their copy, formula texts) | 0.25 x unpacked size |
//! | XLS | 12 x file size (measured 11.5), at least 4 x file size + the sheets' ranges (from the first to the last cell record, with their copy) + the cell records | 1.0 x file size |
//! | GeoJSON | 3.5 x file size | 1.0 x file size |
//!
//! A set needs the memory the app holds anyway, plus what every file keeps, plus the largest
//! transient surplus of one file (files are imported one after the other).

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use super::ImportError;
use super::limits::Limits;
use crate::format;

/// Memory the app needs without any data (code, UI, tables), in bytes.
pub const BASELINE_BYTES: u64 = 64 << 20;

/// Usable memory of the browser build: 4 GiB of wasm32 address space minus what the browser
/// and fragmentation take (3 GiB), minus a margin for the analysis after the import (512 MiB).
pub const WASM_BUDGET_BYTES: u64 = (3 << 30) - (512 << 20);

/// What a file will need, by its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEstimate {
    /// File name.
    pub name: String,
    /// German name of the kind the estimate assumed (e.g. `Excel (XLSX)`).
    pub kind: String,
    /// File size in bytes.
    pub file_bytes: u64,
    /// Unpacked size of a zip-based spreadsheet (XLSX, ODS) from its central directory.
    pub unpacked_bytes: Option<u64>,
    /// Peak memory while this file is imported, in bytes.
    pub peak_bytes: u64,
    /// Memory its records keep after the import, in bytes.
    pub kept_bytes: u64,
    /// Set if the import's limits refuse the file anyway (German reason): a spreadsheet whose
    /// sheets ask for far more cells than the file holds. It is not read at all, and counts
    /// nothing in the estimate of its set.
    #[serde(default)]
    pub refused: Option<String>,
}

/// The estimate for a set of files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryEstimate {
    /// One estimate per file, in the order given.
    pub files: Vec<FileEstimate>,
    /// Peak memory of the whole import, in bytes (baseline included).
    pub total_bytes: u64,
}

/// Why a set of files is not imported: it would need more memory than the budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryRefusal {
    /// The estimate.
    pub estimate: MemoryEstimate,
    /// The budget in bytes.
    pub budget_bytes: u64,
}

impl std::fmt::Display for MemoryRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let largest = self
            .estimate
            .files
            .iter()
            .filter(|e| e.refused.is_none())
            .max_by_key(|e| e.peak_bytes)
            .map(|e| {
                format!(
                    " Den größten Anteil hat „{}“ ({}, etwa {}).",
                    e.name,
                    e.kind,
                    format::file_size(e.peak_bytes)
                )
            })
            .unwrap_or_default();
        write!(
            f,
            "Diese Dateien brauchen beim Einlesen voraussichtlich etwa {} Arbeitsspeicher; im Browser stehen höchstens {} zur Verfügung.{largest} Verwenden Sie das Kommandozeilenprogramm `lagebild`, das den Speicher des Rechners nutzen kann, oder lesen Sie weniger Dateien auf einmal ein (z. B. nur die benötigten Monate).",
            format::file_size(self.estimate.total_bytes),
            format::file_size(self.budget_bytes)
        )
    }
}

impl std::error::Error for MemoryRefusal {}

/// Estimates one file from its name and bytes; only the signature and, for XLSX and ODS, the
/// zip central directory are read (an unreadable directory counts the file size only; the
/// import then reports the broken file).
pub fn estimate_file(name: &str, bytes: &[u8]) -> FileEstimate {
    estimate_sample(name, bytes.len() as u64, bytes)
}

/// How many leading bytes [`estimate_sample`] needs of a file that is not a spreadsheet
/// (see [`needs_whole_file`]).
pub const SAMPLE_BYTES: usize = 84;

/// Signature of an OLE2 container (XLS).
const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// True if the estimate needs the whole file, not only its first [`SAMPLE_BYTES`]: a zip
/// archive (XLSX, ODS: the central directory, ODS repetitions) or an XLS container (the ranges
/// its cell records span).
pub fn needs_whole_file(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&OLE2)
}

/// Bytes calamine 0.38 holds per cell of an XLS sheet's range: the range of values and the
/// copy it hands out (`calamine::Data` each; measured 63 bytes per cell natively).
const RANGE_CELL_BYTES: u64 = 2 * std::mem::size_of::<calamine::Data>() as u64;

/// Bytes calamine 0.38 holds per cell of an ODS sheet's range while it expands repetitions:
/// values and formula texts, before and after expansion, and the copy it hands out (measured
/// 125 bytes per cell natively for a sheet of 20 million cells: 128 with this formula).
const ODS_CELL_BYTES: u64 =
    2 * (std::mem::size_of::<calamine::Data>() + std::mem::size_of::<String>()) as u64 + 16;

/// Estimates a file of `size` bytes from a sample of it: its first [`SAMPLE_BYTES`] bytes, or
/// the whole file if [`needs_whole_file`] says so. For ODS and XLS the sheets' ranges count as
/// calamine will hold them (repetitions expanded, stray far cells spanned): a small file can
/// ask for gigabytes. The worker estimates files this way before it reads them whole.
pub fn estimate_sample(name: &str, size: u64, sample: &[u8]) -> FileEstimate {
    let lower = name.to_lowercase();
    let scaled = |bytes: u64, tenths: u64| bytes.saturating_mul(tenths) / 10;
    let mut refused = None;
    let (kind, unpacked, peak, kept) = if sample.starts_with(b"PK\x03\x04") {
        let unpacked = unpacked_size(sample);
        let is_ods = lower.ends_with(".ods")
            || sample
                .get(38..84)
                .is_some_and(|m| m.starts_with(b"application/vnd.oasis.opendocument"));
        let u = unpacked.unwrap_or(size);
        if is_ods {
            let cells: u64 = super::ods_scan::scan(sample)
                .map(|sheets| sheets.iter().map(|s| s.cells()).sum())
                .unwrap_or(0);
            let ranges = cells.saturating_mul(ODS_CELL_BYTES);
            refused = super::limits::check_ods(sample, &Limits::default())
                .err()
                .filter(|e| matches!(e, ImportError::BogusDimension { .. }))
                .map(|e| e.to_string());
            (
                "OpenDocument (ODS)",
                unpacked,
                size.saturating_add(scaled(u, 12).max(ranges) + u / 20),
                u / 4,
            )
        } else {
            (
                "Excel (XLSX)",
                unpacked,
                size.saturating_add(scaled(u, 7) + u / 20),
                u / 4,
            )
        }
    } else if sample.starts_with(&OLE2) {
        // The ranges (with their copy), and the cell records calamine collects first.
        let (stream, sheets) = super::limits::xls_workbook_stream(sample, u64::MAX)
            .map(|(_, data)| (data.len(), super::limits::xls_sheet_ranges(&data)))
            .unwrap_or_default();
        refused = super::limits::check_xls_ranges(&sheets, stream, &Limits::default())
            .err()
            .map(|e| e.to_string());
        let ranges = sheets.iter().fold(0u64, |sum, r| {
            sum.saturating_add(r.cells().saturating_mul(RANGE_CELL_BYTES))
                .saturating_add(r.records.saturating_mul(XLS_RECORD_BYTES))
        });
        (
            "Excel 97-2003 (XLS)",
            None,
            size.saturating_mul(12)
                .max(size.saturating_mul(4).saturating_add(ranges)),
            size,
        )
    } else {
        let kind = if lower.ends_with(".dat") {
            "SchILD-Export"
        } else if lower.ends_with(".geojson") || lower.ends_with(".json") {
            "GeoJSON"
        } else {
            "Textdatei (CSV/TXT)"
        };
        (kind, None, scaled(size, 35), size)
    };
    FileEstimate {
        name: name.to_string(),
        kind: kind.to_string(),
        file_bytes: size,
        unpacked_bytes: unpacked,
        peak_bytes: peak.max(kept),
        kept_bytes: kept,
        refused,
    }
}

/// Bytes of one cell record as calamine collects them before it builds a sheet's range
/// (`calamine::Cell<Data>`: position and value).
const XLS_RECORD_BYTES: u64 = std::mem::size_of::<calamine::Cell<calamine::Data>>() as u64;

/// The declared unpacked size of all entries of a zip archive, from its central directory.
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).ok()?;
        total = total.saturating_add(entry.size());
    }
    Some(total)
}

/// Estimates a set of files: baseline, plus what every file keeps, plus the largest surplus a
/// single file needs while it is read.
pub fn estimate<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> MemoryEstimate {
    MemoryEstimate::of(
        files
            .into_iter()
            .map(|(name, bytes)| estimate_file(name, bytes))
            .collect(),
    )
}

impl MemoryEstimate {
    /// The estimate of a set from its files' estimates (files are imported one after the
    /// other, each read only when its turn comes): baseline, plus what every file keeps, plus
    /// the largest surplus a single file needs while it is read. Files the limits refuse
    /// anyway are not read and count nothing.
    pub fn of(files: Vec<FileEstimate>) -> MemoryEstimate {
        let read = || files.iter().filter(|f| f.refused.is_none());
        let kept: u64 = read().fold(0u64, |sum, f| sum.saturating_add(f.kept_bytes));
        let surplus = read()
            .map(|f| f.peak_bytes.saturating_sub(f.kept_bytes))
            .max()
            .unwrap_or(0);
        MemoryEstimate {
            total_bytes: BASELINE_BYTES.saturating_add(kept).saturating_add(surplus),
            files,
        }
    }

    /// The estimate, or a refusal if it needs more than `budget_bytes` (e.g.
    /// [`WASM_BUDGET_BYTES`]).
    pub fn within(self, budget_bytes: u64) -> Result<MemoryEstimate, MemoryRefusal> {
        if self.total_bytes > budget_bytes {
            Err(MemoryRefusal {
                estimate: self,
                budget_bytes,
            })
        } else {
            Ok(self)
        }
    }
}

/// Estimates a set of files and refuses it if it would need more than `budget_bytes`
/// (e.g. [`WASM_BUDGET_BYTES`]); call before importing in the browser.
pub fn check_memory<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    budget_bytes: u64,
) -> Result<MemoryEstimate, MemoryRefusal> {
    estimate(files).within(budget_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, usize)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, size) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(&vec![b' '; *size]).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn text_is_estimated_from_its_size() {
        let csv = vec![b'a'; 1000];
        let e = estimate_file("EWO.csv", &csv);
        assert_eq!(e.kind, "Textdatei (CSV/TXT)");
        assert_eq!((e.peak_bytes, e.kept_bytes), (3500, 1000));
        assert_eq!(
            estimate_file("SchuelerBasisdaten.dat", &csv).kind,
            "SchILD-Export"
        );
    }

    #[test]
    fn xlsx_and_ods_are_estimated_from_the_central_directory() {
        let xlsx = zip_with(&[("xl/worksheets/sheet1.xml", 10 << 20), ("x.xml", 1 << 20)]);
        let e = estimate_file("EWO.xlsx", &xlsx);
        assert_eq!(e.kind, "Excel (XLSX)");
        assert_eq!(e.unpacked_bytes, Some(11 << 20));
        // A small file that unpacks to 11 MiB needs memory for the unpacked size, not the file.
        assert!(e.peak_bytes > 8 << 20, "{e:?}");
        assert!(xlsx.len() < 1 << 20);
        let ods = estimate_file("Gliederung.ods", &xlsx);
        assert_eq!(ods.kind, "OpenDocument (ODS)");
        assert!(ods.peak_bytes > e.peak_bytes);
        // A broken archive counts its size only.
        let broken = estimate_file("kaputt.xlsx", b"PK\x03\x04 kaputt");
        assert_eq!(broken.unpacked_bytes, None);
    }

    #[test]
    fn xls_is_estimated_from_its_size() {
        let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        xls.resize(1000, 0);
        let e = estimate_file("ALW.xls", &xls);
        assert_eq!(e.kind, "Excel 97-2003 (XLS)");
        assert_eq!(e.peak_bytes, 12_000);
    }

    #[test]
    fn a_set_keeps_every_file_and_peaks_once() {
        let a = vec![b'a'; 1000];
        let b = vec![b'b'; 2000];
        let set = estimate([("a.csv", a.as_slice()), ("b.csv", b.as_slice())]);
        // Baseline + kept (1000 + 2000) + the largest surplus (2.5 x 2000).
        assert_eq!(set.total_bytes, BASELINE_BYTES + 3000 + 5000);
        assert_eq!(estimate([]).total_bytes, BASELINE_BYTES);
    }

    #[test]
    fn a_set_over_the_budget_is_refused_with_advice() {
        let big = vec![b'a'; 4 << 20];
        let ok = check_memory([("klein.csv", &big[..1000])], WASM_BUDGET_BYTES);
        assert!(ok.is_ok());
        let refusal = check_memory([("EWO_Bestand.csv", big.as_slice())], 20 << 20).unwrap_err();
        let text = refusal.to_string();
        assert!(
            text.contains("Verwenden Sie das Kommandozeilenprogramm `lagebild`"),
            "{text}"
        );
        assert!(text.contains("„EWO_Bestand.csv“"), "{text}");
        assert!(text.contains("höchstens 20"), "{text}");
        assert!(refusal.estimate.total_bytes > 20 << 20);
    }

    #[test]
    fn a_sample_estimates_like_the_whole_file() {
        let mut csv = b"Familienname;Vorname\n".to_vec();
        csv.resize(5000, b'x');
        let head = &csv[..SAMPLE_BYTES];
        assert_eq!(
            estimate_sample("EWO.csv", 5000, head),
            estimate_file("EWO.csv", &csv)
        );
        let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        xls.resize(3000, 0);
        assert_eq!(
            estimate_sample("ALW.xls", 3000, &xls[..SAMPLE_BYTES]),
            estimate_file("ALW.xls", &xls)
        );
        // A set built from samples is checked against the budget like one built from bytes.
        let set = MemoryEstimate::of(vec![estimate_sample("EWO.csv", 1 << 30, head)]);
        assert!(set.within(1 << 30).is_err());
    }
}
