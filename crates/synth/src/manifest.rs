//! `manifest.json`: every export file with its source, container and layout, so tests can
//! iterate over them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The administrative source a file imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SourceKind {
    /// EWO Meldewesen (population register).
    Meldewesen,
    /// EWO-ALW (foreigners register).
    #[serde(rename = "ALW")]
    Alw,
    /// AKDN sozial (AsylbLG billing).
    #[serde(rename = "AKDN")]
    Akdn,
    /// SchILD-NRW (`SchuelerBasisdaten.dat`).
    #[serde(rename = "SchILD")]
    Schild,
    /// Räumliche Gliederung (address table).
    Gliederung,
    /// Polygons of Baublöcke, Stadtteile, Stadtbezirke.
    #[serde(rename = "GeoJSON")]
    GeoJson,
}

/// One sheet of a spreadsheet file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetEntry {
    /// Sheet name.
    pub name: String,
    /// Rows used (title, header, data and sum rows).
    pub rows: u32,
}

/// One export file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path relative to the output directory (`exports/...`).
    pub path: String,
    /// The source the file imitates.
    pub source: SourceKind,
    /// `csv`, `txt`, `dat`, `xlsx`, `xls`, `ods` or `geojson`.
    pub container: String,
    /// Text encoding (`utf-8`, `utf-8-bom`, `windows-1252`, `utf-16le-bom`); none for
    /// spreadsheets.
    pub encoding: Option<String>,
    /// Field delimiter of delimited text.
    pub delimiter: Option<String>,
    /// `CRLF` or `LF`.
    pub line_ending: Option<String>,
    /// `minimal`, `all` or `none`.
    pub quoting: Option<String>,
    /// Which set of header aliases the file uses (`A`, `B`, ...; see the README).
    pub header_variant: String,
    /// The header names in file order.
    pub header: Vec<String>,
    /// 1-based row of the header (rows above it are title rows).
    pub header_row: u32,
    /// Title rows above the header.
    pub title_rows: u32,
    /// A sum row ends the data.
    pub sum_row: bool,
    /// Empty (formatted) columns right of the header.
    pub trailing_empty_columns: u32,
    /// Merged cell ranges.
    pub merged_cells: u32,
    /// Sheets of a spreadsheet.
    pub sheets: Vec<SheetEntry>,
    /// Data records (without title, header and sum rows; duplicates count).
    pub row_count: u64,
    /// Records with a quoted field containing the delimiter or a line break.
    pub quoted_special: u64,
    /// How dates are written (`TT.MM.JJJJ`, `T.M.JJJJ`, `JJJJ-MM-TT`, `Excel-Datum`,
    /// `Excel-Seriennummer`), by column group.
    pub date_formats: Vec<String>,
    /// Register snapshot date (`JJJJ-MM-TT`).
    pub snapshot_date: Option<String>,
    /// Report months covered (`JJJJ-MM`).
    pub report_months: Vec<String>,
    /// Where the report month comes from: `column`, `file name` or `sheet name`.
    pub report_month_from: Option<String>,
    /// School number and form (SchILD: given by the directory name, not in the file).
    pub school_number: Option<String>,
    /// SchILD Schulform code.
    pub school_form: Option<String>,
    /// Names and streets written in capitals.
    pub upper_case: bool,
    /// What a Windows-1252 file does with characters beyond it: `transliterate` or `?`.
    pub cp1252_fallback: Option<String>,
    /// For converted files: the XLSX the office suite converted.
    pub converted_from: Option<String>,
    /// The converting program (`LibreOffice`).
    pub converter: Option<String>,
    /// The file repeats the content of another export.
    pub duplicate_of: Option<String>,
    /// The file lists a subset of another export's records.
    pub subset_of: Option<String>,
    /// Coordinate reference system of GeoJSON.
    pub crs: Option<String>,
    /// Free-text notes.
    pub notes: String,
}

impl FileEntry {
    /// An entry with empty layout fields.
    pub(crate) fn new(path: &str, source: SourceKind, container: &str) -> FileEntry {
        FileEntry {
            path: path.to_string(),
            source,
            container: container.to_string(),
            encoding: None,
            delimiter: None,
            line_ending: None,
            quoting: None,
            header_variant: String::new(),
            header: Vec::new(),
            header_row: 1,
            title_rows: 0,
            sum_row: false,
            trailing_empty_columns: 0,
            merged_cells: 0,
            sheets: Vec::new(),
            row_count: 0,
            quoted_special: 0,
            date_formats: Vec::new(),
            snapshot_date: None,
            report_months: Vec::new(),
            report_month_from: None,
            school_number: None,
            school_form: None,
            upper_case: false,
            cp1252_fallback: None,
            converted_from: None,
            converter: None,
            duplicate_of: None,
            subset_of: None,
            crs: None,
            notes: String::new(),
        }
    }
}

/// One ground-truth file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthEntry {
    /// Path relative to the output directory (`truth/...`).
    pub path: String,
    /// What it holds.
    pub description: String,
}

/// The manifest of a generated city.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `lagebild-synth <version>`.
    pub generator: String,
    /// `tiny`, `demo`, `city` or `metropolis`.
    pub scale: String,
    /// The seed.
    pub seed: u64,
    /// The reference date (`JJJJ-MM-TT`).
    pub stichtag: String,
    /// Noise rates used.
    pub noise: BTreeMap<String, f64>,
    /// Whether XLS/ODS files were converted by LibreOffice, or why not.
    pub office: String,
    /// Export files in writing order.
    pub files: Vec<FileEntry>,
    /// Ground-truth files.
    pub truth: Vec<TruthEntry>,
}
