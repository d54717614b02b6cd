//! Messages between the page and the worker. Requests carry the files the user chose; responses
//! carry progress, import reports, display-ready protected tables, aggregate quality figures and
//! finished downloads, never records.

pub use lagebild_core::import::need::{ColumnChoice, FieldChoice, MappingNeed};
use lagebild_core::import::{Asked, MappingSet, SourceKind};
use lagebild_core::records::{Date, YearMonth};
use lagebild_core::reports::Stage;
use lagebild_core::reports::crosstab::{CrosstabRequest, CrosstabSource, FilterChoice};
use serde::{Deserialize, Serialize};

/// A file handed to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// File name.
    pub name: String,
    /// Path below a chosen folder ("schild/184549_Gymnasium_Buer/SchuelerBasisdaten.dat"),
    /// empty for single files.
    #[serde(default)]
    pub path: String,
    /// Content.
    pub content: FileContent,
}

/// A file's content as the worker gets it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FileContent {
    /// Bytes already in the worker's memory (the demo city).
    Bytes(#[serde(with = "serde_bytes")] Vec<u8>),
    /// A file the user chose: the browser's handle, read by the worker when its turn comes
    /// (the page never reads it; see [`crate::transfer`]).
    Handle(#[serde(with = "crate::transfer::handle")] web_sys::File),
}

/// The confidentiality mode the analyst chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// The office's rule: any 1 or 2 suppresses the whole table.
    #[default]
    Tabelle,
    /// Cell suppression with secondary suppression and audit.
    Zelle,
}

/// How the report set is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessOptions {
    /// Confidentiality mode.
    pub mode: Mode,
    /// Confidentiality threshold (at least 3).
    pub threshold: u32,
}

impl Default for ProcessOptions {
    fn default() -> Self {
        ProcessOptions {
            mode: Mode::Tabelle,
            threshold: 3,
        }
    }
}

/// What to download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DownloadRequest {
    /// The whole report set as one XLSX workbook (as `lagebild report` writes it).
    Workbook,
    /// One table (by key) as an XLSX workbook.
    TableXlsx(String),
    /// One table (by key) as CSV.
    TableCsv(String),
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Import these files (added to what is already loaded).
    Import(Vec<InputFile>),
    /// Generate the synthetic demo city in the worker and import its exports.
    Demo,
    /// Compute, protect and describe the standard report set of everything loaded.
    Process(ProcessOptions),
    /// Build a download from the last protected report set (or the last Kreuztabelle).
    Download(DownloadRequest),
    /// Count and protect a Kreuztabelle with the current protection settings.
    Crosstab(CrosstabRequest, ProcessOptions),
    /// The filters the loaded data offer for a Kreuztabelle of this source.
    CrosstabChoices(CrosstabSource),
    /// Use these saved column mappings for every import from now on.
    Configure(MappingSet),
    /// Use these classification rules and PKS mapping (TOML texts; `None`: the shipped ones)
    /// for every report from now on; answered with [`Response::Classification`].
    Classification(ClassificationTexts),
    /// Import again, with the mappings in force, the files that needed a mapping or a check
    /// (their earlier import is replaced); the named file as the source the analyst chose.
    Retry(Option<(String, SourceKind)>),
    /// Import the named file again with the Stichtag or reporting month the analyst gave
    /// (its earlier import is replaced); answered with [`Response::Reimported`].
    Date(String, DateAnswer),
    /// Drop every record held by the worker.
    Reset,
}

/// The city's own classification rules and PKS mapping as TOML texts (`None`: shipped).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassificationTexts {
    /// Klassifikationsregeln (format of `rules.toml`, as `lagebild report --rules`).
    pub rules: Option<String>,
    /// PKS-Zuordnung (format of `pks_example.toml`, as `lagebild report --pks`).
    pub pks: Option<String>,
}

/// The Stichtag or reporting month the analyst gives for a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateAnswer {
    /// The Stichtag of a snapshot.
    Stichtag(Date),
    /// The reporting month of an AKDN file.
    ReportMonth(YearMonth),
}

impl DateAnswer {
    /// The answer to `asks` from the value of a date input (`JJJJ-MM-TT`) or month input
    /// (`JJJJ-MM`); `None` if it is not a valid date or month.
    pub fn parse(asks: Asked, value: &str) -> Option<DateAnswer> {
        let parts: Vec<&str> = value.trim().split('-').collect();
        match (asks, parts.as_slice()) {
            (Asked::Stichtag, [y, m, d]) => {
                Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
                    .map(DateAnswer::Stichtag)
            }
            (Asked::ReportMonth, [y, m]) => {
                YearMonth::new(y.parse().ok()?, m.parse().ok()?).map(DateAnswer::ReportMonth)
            }
            _ => None,
        }
    }
}

/// A Stichtag or reporting month a file's name does not give (or gives doubtfully), asked of
/// the analyst beside the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatingView {
    /// What is asked.
    pub asks: Asked,
    /// German explanation.
    pub message: String,
}

/// What one file's import produced, for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Detected (or chosen) source, German label.
    pub source: Option<String>,
    /// Rows read below the header.
    pub rows_read: u64,
    /// Rows that became records.
    pub rows_accepted: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Rows rejected for other reasons than sum rows.
    pub rows_rejected_unexpectedly: u64,
    /// File-level error (German sentence), if the file could not be imported.
    pub error: Option<String>,
    /// The full import report (German text; shapes and counts, never names).
    pub report: String,
    /// Set if the file's columns should be checked in the mapping editor.
    pub mapping: Option<MappingNeed>,
    /// Set if the analyst should give the file's Stichtag or reporting month.
    #[serde(default)]
    pub dating: Option<DatingView>,
}

/// One body row of a displayed table: labels, then published values as German text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowView {
    /// One label per row axis, with its indentation depth.
    pub labels: Vec<(String, u8)>,
    /// Published values ("1.234", "–", ".", "x", "12,5"), count columns then derived columns.
    pub values: Vec<String>,
    /// True for a sum or subtotal row.
    pub margin: bool,
}

/// A protected table, ready for display: nothing in it is a raw count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    /// Stable key of the table definition.
    pub key: String,
    /// German title.
    pub title: String,
    /// Number of label columns on the left.
    pub label_cols: usize,
    /// Header rows: label-column texts, then one text per value column.
    pub header: Vec<Vec<String>>,
    /// Body rows.
    pub rows: Vec<RowView>,
    /// Footnotes.
    pub notes: Vec<String>,
    /// The German sentence of the protection step (rule, why, result).
    pub protection: String,
    /// True if every value of the table is suppressed.
    pub all_suppressed: bool,
    /// True: the values passed `lagebild_core::protect` (always, for tables of the report set).
    pub protected: bool,
}

/// An SVG graphic (chart or map) made in the worker from protected values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Graphic {
    /// Key of the table it shows.
    pub key: String,
    /// German title.
    pub title: String,
    /// File name for the SVG download (`<key>.svg`, `<key>_karte.svg`).
    pub file_name: String,
    /// The SVG document.
    pub svg: String,
}

/// One line of the quality view: a label and an exact figure (for the analyst only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityLine {
    /// What is counted (German).
    pub label: String,
    /// The figure, German formatted.
    pub value: String,
}

/// Quality figures of a run: exact counts, for checking only, never for download.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityView {
    /// Figures (snapshots used, address matching, unclassified, duplicates).
    pub lines: Vec<QualityLine>,
    /// German notes (missing sources, problems of the Gliederung).
    pub notes: Vec<String>,
    /// Pairs for review per pair of registers (row locations and weights only).
    #[serde(default)]
    pub review: Vec<ReviewListView>,
}

/// The review pairs of one pair of registers (nur zur Prüfung, never for download).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewListView {
    /// The pair of registers (German).
    pub label: String,
    /// German summary (pairs in the band, how many are shown).
    pub summary: String,
    /// The pairs.
    pub pairs: Vec<ReviewPairView>,
}

/// One candidate pair: where its two rows are, its weight and why (no personal values).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPairView {
    /// Row of register A (file, sheet, row).
    pub a: String,
    /// Row of register B (file, sheet, row).
    pub b: String,
    /// Why it is listed (German).
    pub kind: String,
    /// Match weight, German formatted.
    pub weight: String,
    /// Match probability in %, German formatted.
    pub probability: String,
    /// Prior weight, German formatted.
    pub prior: String,
    /// Family and given names were compared crosswise.
    pub swapped: bool,
    /// Per comparison.
    pub comparisons: Vec<ReviewComparisonView>,
}

/// One comparison of a review pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewComparisonView {
    /// Comparison (German).
    pub comparison: String,
    /// Agreement level (German).
    pub level: String,
    /// Weight, German formatted (with a note if adjusted by the name's frequency).
    pub weight: String,
}

/// The protected report set as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportSet {
    /// Stichtag, German date ("31.10.2026").
    pub reference_date: Option<String>,
    /// The protection settings in force (German).
    pub protection: String,
    /// The imported files (German one-liners: kind, file, records), for the Qualität page
    /// only: never part of a download.
    pub sources: Vec<String>,
    /// Rules in force (German one-liners).
    pub rules: Vec<String>,
    /// Protected tables in report order.
    pub tables: Vec<TableView>,
    /// Charts and maps.
    pub graphics: Vec<Graphic>,
    /// Quality figures (nur zur Prüfung).
    pub quality: QualityView,
    /// Time per stage and memory of the run.
    pub run: RunView,
}

/// How long the run took per stage and how much memory the worker holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// Seconds per stage, in run order.
    pub stages: Vec<StageTime>,
    /// The worker's wasm memory (high-water mark) in bytes.
    pub memory_bytes: u64,
}

/// Seconds of one stage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    /// The stage.
    pub stage: Stage,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// A finished download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Download {
    /// Suggested file name.
    pub file_name: String,
    /// MIME type.
    pub mime: String,
    /// Content.
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Work in progress: `done` of `total` steps of `stage`, on `current`.
    Progress {
        /// German name of the stage (e.g. "Einlesen").
        stage: String,
        /// The pipeline stage, for the bar per stage; `None` for a single task (demo data,
        /// Kreuztabelle).
        step: Option<Stage>,
        /// Steps done.
        done: u32,
        /// Steps in total.
        total: u32,
        /// What is being worked on (a file name).
        current: String,
    },
    /// Files were imported.
    Imported(Vec<FileSummary>),
    /// Files that needed a mapping, a Stichtag or a month were imported again (replacing the
    /// rows of the same names).
    Reimported(Vec<FileSummary>),
    /// The protected report set.
    Reports(ReportSet),
    /// The protected Kreuztabelle.
    Crosstab(TableView),
    /// The classification texts were taken (`Ok`) or refused with a German reason; on a
    /// refusal the worker keeps what it had.
    Classification(Result<(), String>),
    /// The filters of a Kreuztabelle source (categories from the loaded data).
    CrosstabChoices(CrosstabSource, Vec<FilterChoice>),
    /// A download is ready.
    Downloaded(Download),
    /// Something failed: a German sentence with what to do next.
    Failed(String),
    /// All data dropped.
    ResetDone,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_answers_from_input_values() {
        assert_eq!(
            DateAnswer::parse(Asked::Stichtag, "2026-10-24"),
            Date::new(2026, 10, 24).map(DateAnswer::Stichtag)
        );
        assert_eq!(
            DateAnswer::parse(Asked::ReportMonth, "2017-11"),
            YearMonth::new(2017, 11).map(DateAnswer::ReportMonth)
        );
        assert_eq!(DateAnswer::parse(Asked::Stichtag, ""), None);
        assert_eq!(DateAnswer::parse(Asked::Stichtag, "2026-02-30"), None);
        assert_eq!(DateAnswer::parse(Asked::ReportMonth, "2017-13"), None);
        assert_eq!(DateAnswer::parse(Asked::ReportMonth, "2026-10-24"), None);
    }
}
