//! The import report: what was read, accepted, rejected (by reason, with the first rows), which
//! values were not recognised and which columns were dropped. Never the value of a name.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ImportError;
use super::decode::TextEncoding;
use super::fields::{Field, SourceKind};
use super::grid::RowProblem;
use super::sheet::SheetFormat;
use super::values::ValueProblem;
use crate::format;
use crate::records::{Date, YearMonth};

/// How many example rows each rejection reason keeps.
pub const EXAMPLES_PER_REASON: usize = 5;

/// The container a file was read as.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum FileFormat {
    /// Delimited text.
    Csv {
        /// The sniffed delimiter.
        delimiter: char,
        /// The detected encoding.
        encoding: TextEncoding,
    },
    /// SchILD `SchuelerBasisdaten.dat`.
    SchildDat {
        /// The detected encoding.
        encoding: TextEncoding,
        /// Number of columns (50 or 58 in the known layouts).
        columns: usize,
    },
    /// A spreadsheet.
    Sheet(SheetFormat),
    /// A GeoJSON FeatureCollection (map geometry).
    GeoJson {
        /// German description of the coordinate reference system read.
        crs: String,
    },
}

impl std::fmt::Display for FileFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileFormat::Csv {
                delimiter,
                encoding,
            } => write!(
                f,
                "CSV ({}, Trennzeichen {})",
                encoding.label(),
                super::text::delimiter_label(*delimiter as u8)
            ),
            FileFormat::SchildDat { encoding, columns } => {
                write!(f, "SchILD-Export ({}, {columns} Spalten)", encoding.label())
            }
            FileFormat::Sheet(format) => write!(f, "{}", format.label()),
            FileFormat::GeoJson { crs } => write!(f, "GeoJSON ({crs})"),
        }
    }
}

/// How the source kind was decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection {
    /// The source.
    pub source: SourceKind,
    /// 0.0-1.0: share of required columns found, halved if another source fits as well.
    pub confidence: f64,
    /// German explanation.
    pub reason: String,
    /// True if the user chose the source.
    pub chosen_by_user: bool,
}

/// Why a row was not turned into a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum RejectReason {
    /// A sum or total row at the end of a table.
    SumRow,
    /// A required value is empty.
    Missing(Field),
    /// A value could not be read.
    Invalid(Field, ValueProblem),
    /// A cell is longer than allowed.
    CellTooLong(Field),
    /// A feature of a map cannot be used (its number is the row of the location).
    Feature(crate::geo::FeatureProblem),
    /// The reader found the row broken (a runaway quote, a wrong number of fields).
    Row(RowProblem),
    /// The header line again, inside the data (files pasted together): not a person.
    RepeatedHeader,
    /// A required field holds a formula without a stored result.
    FormulaWithoutResult(Field),
    /// A row of the office's series table cannot be read.
    Series(SeriesProblem),
}

impl RejectReason {
    /// True for rows that are not data (sum rows): expected, not an error.
    pub fn is_expected(self) -> bool {
        matches!(self, RejectReason::SumRow | RejectReason::RepeatedHeader)
    }

    /// German description.
    pub fn describe(self) -> String {
        match self {
            RejectReason::SumRow => "Summenzeile (keine Person, übersprungen)".into(),
            RejectReason::Missing(field) => format!("Pflichtwert „{}“ fehlt", field.label()),
            RejectReason::Invalid(field, problem) => format!(
                "„{}“ nicht lesbar: erwartet {}",
                field.label(),
                problem.expected()
            ),
            RejectReason::CellTooLong(field) => format!("„{}“ ist zu lang", field.label()),
            RejectReason::Feature(problem) => problem.describe().to_string(),
            RejectReason::Row(RowProblem::RunawayQuote { from, to }) => format!(
                "ein Anführungszeichen am Anfang eines Feldes in Zeile {from} wird erst in Zeile \
                 {to} geschlossen; die Zeilen {from} bis {to} wurden als ein Feld gelesen und \
                 abgewiesen (bitte das Anführungszeichen in Zeile {from} entfernen oder \
                 verdoppeln)"
            ),
            RejectReason::Row(RowProblem::FieldCount { found, expected }) => format!(
                "{found} statt {expected} Felder (ein Trennzeichen „|“ in einem Wert oder ein \
                 über zwei Zeilen verteilter Wert verschiebt die Spalten)"
            ),
            RejectReason::RepeatedHeader => {
                "Kopfzeile wiederholt (keine Person, übersprungen)".into()
            }
            RejectReason::Series(problem) => problem.describe().to_string(),
            RejectReason::FormulaWithoutResult(field) => format!(
                "„{}“ ist eine Formel ohne gespeichertes Ergebnis (die Datei in Excel oder \
                 LibreOffice öffnen und speichern, dann erneut laden)",
                field.label()
            ),
        }
    }
}

/// Why a row of the office's table was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SeriesProblem {
    /// The month cell holds no month.
    NotAMonth,
    /// A count cell holds no whole number of at least 0.
    NotACount,
    /// A count cell holds a secrecy symbol (".", "x"): a released table, not the office's own.
    Suppressed,
    /// The month was already read from an earlier row.
    RepeatedMonth,
}

impl SeriesProblem {
    /// What was expected, in German.
    pub fn describe(self) -> &'static str {
        match self {
            SeriesProblem::NotAMonth => {
                "Monat nicht lesbar: erwartet ein Datum (01.10.2016, Excel-Datum) oder einen \
                 Monat (10/2016, 2016-10)"
            }
            SeriesProblem::NotACount => {
                "Anzahl nicht lesbar: erwartet eine ganze Zahl ab 0 (leer oder „–“ gilt als 0)"
            }
            SeriesProblem::Suppressed => {
                "gesperrter Wert („.“ oder „x“): die Tabelle muss die ungesperrten Zahlen des \
                 Amtes enthalten, eine veröffentlichte Tabelle lässt sich nicht fortschreiben"
            }
            SeriesProblem::RepeatedMonth => {
                "Monat kommt zum zweiten Mal vor (die erste Zeile zählt)"
            }
        }
    }
}

/// Where a rejected value was.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Location {
    /// 1-based row (line) number; for a map the number of the feature.
    pub row: u32,
    /// Column header and letter, e.g. `„Geburtsdatum“ (Spalte D)`.
    pub column: Option<String>,
    /// Shape of the value (`99.99.9999`), never the value itself.
    pub shape: Option<String>,
}

/// All rows rejected for one reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RejectGroup {
    /// The reason.
    pub reason: RejectReason,
    /// How many rows.
    pub count: u64,
    /// The first few rows.
    pub examples: Vec<Location>,
}

/// A column of the file and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnReport {
    /// Header as written in the file.
    pub header: String,
    /// The field it was mapped to; `None`: dropped at import.
    pub field: Option<Field>,
}

/// A file's Stichtag or reporting month that the analyst should give or check: the file name
/// gives none, or several, or one the data contradict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum DatingNeed {
    /// A snapshot (Meldewesen, ALW) whose name gives no single Stichtag; `candidates` are the
    /// dates of a name that names several.
    Stichtag {
        /// Dates of an ambiguous name.
        candidates: Vec<Date>,
    },
    /// The Stichtag taken from the file name lies before `after` birth dates of the file,
    /// whose rows were rejected: the date in the name is probably not the Stichtag.
    StichtagDoubtful {
        /// The date from the name.
        stichtag: Date,
        /// Rows rejected for a birth date after it.
        after: u64,
    },
    /// An AKDN file without a month column whose file and sheet names give no single month
    /// (the file is not imported until the month is given).
    ReportMonth {
        /// Months of an ambiguous name.
        candidates: Vec<YearMonth>,
    },
    /// The month in the file name is none of the months in the file's month column, which
    /// counts.
    MonthDisagrees {
        /// The month of the name.
        in_name: YearMonth,
        /// The months of the column.
        in_data: Vec<YearMonth>,
    },
}

/// What a [`DatingNeed`] asks the analyst for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Asked {
    /// The Stichtag of a snapshot.
    Stichtag,
    /// The reporting month of an AKDN file.
    ReportMonth,
}

fn months_text(months: &[YearMonth]) -> String {
    months
        .iter()
        .map(|m| format!("{:02}/{}", m.month, m.year))
        .collect::<Vec<_>>()
        .join(", ")
}

impl DatingNeed {
    /// What the analyst is asked to give, if anything (a contradicting month column counts
    /// and needs no answer).
    pub fn asks(&self) -> Option<Asked> {
        match self {
            DatingNeed::Stichtag { .. } | DatingNeed::StichtagDoubtful { .. } => {
                Some(Asked::Stichtag)
            }
            DatingNeed::ReportMonth { .. } => Some(Asked::ReportMonth),
            DatingNeed::MonthDisagrees { .. } => None,
        }
    }

    /// German explanation with what to do.
    pub fn message(&self) -> String {
        match self {
            DatingNeed::Stichtag { candidates } if candidates.is_empty() => {
                "Der Dateiname nennt keinen Stichtag. Ist die Datei ein Bestand, geben Sie bitte \
                 den Stichtag an (sonst fehlen Altersgruppen und der Bestand gilt nur, wenn kein \
                 anderer einen Stichtag hat)."
                    .to_string()
            }
            DatingNeed::Stichtag { candidates } => format!(
                "Der Stichtag ist nicht eindeutig: der Dateiname nennt mehrere Daten ({}); keines \
                 wird verwendet. Bitte geben Sie den Stichtag an.",
                candidates
                    .iter()
                    .map(|d| d.to_german())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DatingNeed::StichtagDoubtful { stichtag, after } => format!(
                "Der Stichtag aus dem Dateinamen ({}) passt nicht zu den Daten: {} danach und \
                 {} deshalb abgewiesen. Bitte prüfen Sie den Stichtag und geben Sie ihn an.",
                stichtag.to_german(),
                if *after == 1 {
                    "1 Geburtsdatum liegt".to_string()
                } else {
                    format!("{} Geburtsdaten liegen", format::count(*after))
                },
                if *after == 1 {
                    "die Zeile wurde"
                } else {
                    "die Zeilen wurden"
                },
            ),
            DatingNeed::ReportMonth { candidates } if candidates.is_empty() => {
                "Der Berichtsmonat steht weder in einer Spalte noch im Datei- oder Blattnamen. \
                 Bitte geben Sie den Monat an."
                    .to_string()
            }
            DatingNeed::ReportMonth { candidates } => format!(
                "Der Berichtsmonat ist nicht eindeutig: der Dateiname nennt mehrere Monate ({}). \
                 Bitte geben Sie den Monat an.",
                months_text(candidates)
            ),
            DatingNeed::MonthDisagrees { in_name, in_data } => format!(
                "Der Dateiname nennt den Monat {}, die Spalte Berichtsmonat aber {}: es gilt \
                 die Spalte. Bitte prüfen Sie, ob die richtige Datei geladen ist.",
                months_text(&[*in_name]),
                months_text(in_data)
            ),
        }
    }
}

/// The report of one file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// File name.
    pub file_name: String,
    /// Container and encoding.
    pub format: Option<FileFormat>,
    /// The (first) sheet read, for spreadsheets.
    pub sheet: Option<String>,
    /// Every sheet read, in order (a record's `origin.sheet` indexes this).
    pub sheets: Vec<String>,
    /// Why that sheet, if the workbook has several.
    pub sheet_note: Option<String>,
    /// Source detection.
    pub detection: Option<Detection>,
    /// 1-based row of the header.
    pub header_row: u32,
    /// Columns and their fields.
    pub columns: Vec<ColumnReport>,
    /// Reference date of a snapshot (from the options or the file name).
    pub reference_date: Option<Date>,
    /// Reporting month of an AKDN file without a month column.
    pub report_month: Option<YearMonth>,
    /// A Stichtag or reporting month the analyst should give or check.
    pub dating: Option<DatingNeed>,
    /// Data rows read (non-blank rows below the header).
    pub rows_read: u64,
    /// Rows that became records.
    pub rows_accepted: u64,
    /// Rejected rows by reason.
    pub rejected: Vec<RejectGroup>,
    /// Blank rows skipped (not counted as read).
    pub blank_rows: u64,
    /// Values not recognised in code fields (kept on the record as unknown), with counts.
    pub unmapped_values: BTreeMap<Field, BTreeMap<String, u64>>,
    /// Further notes.
    pub notes: Vec<String>,
    /// Set if the whole file could not be imported.
    pub error: Option<ImportError>,
}

impl ImportReport {
    /// Rows rejected in total.
    pub fn rows_rejected(&self) -> u64 {
        self.rejected.iter().map(|g| g.count).sum()
    }

    /// Rows rejected for reasons other than expected ones (sum rows).
    pub fn rows_rejected_unexpectedly(&self) -> u64 {
        self.rejected
            .iter()
            .filter(|g| !g.reason.is_expected())
            .map(|g| g.count)
            .sum()
    }

    /// Headers of the columns dropped at import (data minimisation).
    pub fn dropped_columns(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.field.is_none())
            .map(|c| c.header.as_str())
            .collect()
    }

    pub(crate) fn reject(&mut self, reason: RejectReason, location: Location) {
        match self.rejected.iter_mut().find(|g| g.reason == reason) {
            Some(group) => {
                group.count += 1;
                if group.examples.len() < EXAMPLES_PER_REASON {
                    group.examples.push(location);
                }
            }
            None => self.rejected.push(RejectGroup {
                reason,
                count: 1,
                examples: vec![location],
            }),
        }
    }

    pub(crate) fn unmapped(&mut self, field: Field, value: &str) {
        *self
            .unmapped_values
            .entry(field)
            .or_default()
            .entry(value.to_string())
            .or_insert(0) += 1;
    }
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Datei „{}“", self.file_name)?;
        if let Some(format) = &self.format {
            write!(f, ": {format}")?;
        }
        match self.sheets.as_slice() {
            [] => {}
            [sheet] => write!(f, ", Blatt „{sheet}“")?,
            several => write!(f, ", {} Blätter", several.len())?,
        }
        writeln!(f)?;
        if let Some(note) = &self.sheet_note {
            writeln!(f, "  {note}")?;
        }
        if let Some(error) = &self.error {
            writeln!(f, "  FEHLER: {error}")?;
            for note in &self.notes {
                writeln!(f, "  Hinweis: {note}")?;
            }
            return Ok(());
        }
        if let Some(d) = &self.detection {
            writeln!(
                f,
                "  Quelle: {} – {}; Sicherheit {} %",
                d.source.label(),
                d.reason,
                format::decimal(d.confidence * 100.0, 0)
            )?;
        }
        if let Some(date) = self.reference_date {
            writeln!(f, "  Stichtag: {}", date.to_german())?;
        }
        if let Some(dating) = &self.dating {
            writeln!(f, "  Hinweis: {}", dating.message())?;
        }
        let (rows, row) = if matches!(self.format, Some(FileFormat::GeoJson { .. })) {
            ("Objekte", "Objekt")
        } else {
            ("Zeilen", "Zeile")
        };
        writeln!(
            f,
            "  {rows} gelesen: {}, übernommen: {}, abgewiesen: {}{}",
            format::count(self.rows_read),
            format::count(self.rows_accepted),
            format::count(self.rows_rejected()),
            if self.blank_rows > 0 {
                format!(
                    " (dazu {} leere Zeilen übersprungen)",
                    format::count(self.blank_rows)
                )
            } else {
                String::new()
            }
        )?;
        for group in &self.rejected {
            let rows: Vec<String> = group
                .examples
                .iter()
                .map(|l| {
                    let mut s = format!("{row} {}", l.row);
                    if let Some(c) = &l.column {
                        s.push_str(&format!(", {c}"));
                    }
                    if let Some(shape) = &l.shape {
                        s.push_str(&format!(", Form „{shape}“"));
                    }
                    s
                })
                .collect();
            writeln!(
                f,
                "  - {}: {} ({}{})",
                group.reason.describe(),
                format::count(group.count),
                rows.join("; "),
                if group.count as usize > group.examples.len() {
                    "; …"
                } else {
                    ""
                }
            )?;
        }
        for (field, values) in &self.unmapped_values {
            let shown: Vec<String> = values
                .iter()
                .take(10)
                .map(|(v, n)| format!("„{v}“ ({})", format::count(*n)))
                .collect();
            writeln!(
                f,
                "  Nicht erkannte Werte in „{}“: {}{}",
                field.label(),
                shown.join(", "),
                if values.len() > 10 { ", …" } else { "" }
            )?;
        }
        let dropped = self.dropped_columns();
        if !dropped.is_empty() {
            writeln!(
                f,
                "  Nicht übernommene Spalten (Datensparsamkeit): {}",
                dropped.join(", ")
            )?;
        }
        for note in &self.notes {
            writeln!(f, "  Hinweis: {note}")?;
        }
        Ok(())
    }
}
