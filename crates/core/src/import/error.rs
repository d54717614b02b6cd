//! File-level import errors, each a German sentence with what to do next.

use super::fields::{Field, SourceKind};
use crate::format;

/// Why a whole file could not be imported. Other files of the same run are unaffected.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum ImportError {
    /// The file is larger than the configured cap.
    TooLarge {
        /// File size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// The file has no content.
    Empty,
    /// Binary content that is neither a spreadsheet nor text.
    NotText,
    /// UTF-16 text without byte order mark.
    Utf16WithoutBom,
    /// UTF-16 with BOM but broken.
    InvalidUtf16,
    /// Declared UTF-8 (BOM) but invalid.
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        byte_offset: usize,
    },
    /// The delimited text cannot be read.
    BrokenText {
        /// Line where reading failed.
        line: u64,
        /// Technical detail.
        detail: String,
    },
    /// The spreadsheet cannot be opened.
    BrokenSpreadsheet {
        /// Technical detail.
        detail: String,
    },
    /// The file was read again (e.g. with a new column mapping); this earlier reading no
    /// longer counts.
    Replaced,
    /// An archive entry unpacks to far more than it occupies.
    ZipBomb {
        /// Entry name.
        entry: String,
        /// Declared unpacked size.
        unpacked: u64,
        /// Packed size.
        packed: u64,
    },
    /// The archive unpacks to more than allowed.
    TooLargeUnpacked {
        /// Declared unpacked total.
        unpacked: u64,
        /// The cap.
        limit: u64,
    },
    /// The spreadsheet claims an implausible size.
    BogusDimension {
        /// What was claimed.
        what: String,
    },
    /// No header row was found among the first rows.
    NoHeader {
        /// How many rows were searched.
        rows_searched: u32,
    },
    /// The headers match no source.
    UnknownSource {
        /// Headers found (shortened).
        headers: Vec<String>,
    },
    /// Required columns are missing.
    MissingFields {
        /// The source the file was taken for.
        source: SourceKind,
        /// Missing fields.
        missing: Vec<Field>,
        /// Headers found.
        headers: Vec<String>,
    },
    /// No header was found and a row is implausibly long: line breaks or the delimiter are
    /// missing, or the file is not a table.
    LineTooLong {
        /// 1-based row.
        line: u32,
        /// Length of the row in bytes.
        bytes: u64,
        /// Cells in the row.
        cells: usize,
    },
    /// The header has more columns than allowed.
    TooManyColumns {
        /// Columns found.
        columns: usize,
        /// The cap.
        limit: usize,
    },
    /// An AKDN file without a reporting month in a column, the file name, the sheet name or
    /// the options; `candidates` are the months of a name that names several.
    NoReportMonth {
        /// Months of an ambiguous file or sheet name.
        candidates: Vec<crate::records::YearMonth>,
    },
    /// A GeoJSON file that is not a usable FeatureCollection.
    Map(crate::geo::GeoProblem),
}

/// Longest header shown in a message, in characters.
const SHOWN_HEADER_CHARS: usize = 60;

fn list(items: &[String]) -> String {
    let mut shown: Vec<String> = items
        .iter()
        .take(25)
        .map(|h| {
            if h.chars().count() > SHOWN_HEADER_CHARS {
                let cut: String = h.chars().take(SHOWN_HEADER_CHARS).collect();
                format!("„{cut}…“")
            } else {
                format!("„{h}“")
            }
        })
        .collect();
    if items.len() > 25 {
        shown.push(format!("… ({} weitere)", items.len() - 25));
    }
    if shown.is_empty() {
        "keine".into()
    } else {
        shown.join(", ")
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge { size, limit } => write!(
                f,
                "Die Datei ist {} groß; erlaubt sind höchstens {}. Teilen Sie den Export auf oder verwenden Sie das Kommandozeilenprogramm.",
                format::file_size(*size),
                format::file_size(*limit)
            ),
            ImportError::Empty => write!(
                f,
                "Die Datei ist leer. Bitte exportieren Sie die Daten erneut."
            ),
            ImportError::NotText => write!(
                f,
                "Die Datei enthält Binärdaten und ist weder eine Tabelle (XLSX, XLS, ODS) noch eine Textdatei (CSV). Bitte prüfen Sie, ob die richtige Datei gewählt wurde."
            ),
            ImportError::Utf16WithoutBom => write!(
                f,
                "Die Datei ist offenbar in UTF-16 gespeichert, aber ohne Byte-Order-Mark. Bitte speichern Sie sie als „CSV UTF-8“ oder „CSV (Trennzeichen-getrennt)“."
            ),
            ImportError::InvalidUtf16 => write!(
                f,
                "Die Datei beginnt als UTF-16, enthält aber ungültige Zeichen. Bitte erneut exportieren."
            ),
            ImportError::InvalidUtf8 { byte_offset } => write!(
                f,
                "Die Datei ist als UTF-8 gekennzeichnet, enthält aber ab Byte {byte_offset} ungültige Zeichen. Bitte erneut exportieren."
            ),
            ImportError::BrokenText { line, detail } => write!(
                f,
                "Die Textdatei ist ab Zeile {line} nicht lesbar ({detail}). Häufige Ursache: ein nicht geschlossenes Anführungszeichen."
            ),
            ImportError::BrokenSpreadsheet { detail } => write!(
                f,
                "Die Tabellendatei ist beschädigt oder unvollständig und lässt sich nicht öffnen ({detail}). Bitte erneut exportieren oder in Excel öffnen und neu speichern."
            ),
            ImportError::Replaced => write!(
                f,
                "Die Datei wurde erneut eingelesen; diese frühere Einlesung zählt nicht mehr."
            ),
            ImportError::ZipBomb {
                entry,
                unpacked,
                packed,
            } => write!(
                f,
                "Die Tabellendatei würde beim Entpacken „{entry}“ von {} auf {} aufblähen. Sie wird zum Schutz des Rechners nicht geöffnet.",
                format::file_size(*packed),
                format::file_size(*unpacked)
            ),
            ImportError::TooLargeUnpacked { unpacked, limit } => write!(
                f,
                "Die Tabellendatei ist entpackt {} groß; erlaubt sind höchstens {}. Bitte verwenden Sie das Kommandozeilenprogramm.",
                format::file_size(*unpacked),
                format::file_size(*limit)
            ),
            ImportError::BogusDimension { what } => write!(
                f,
                "Die Tabellendatei macht unplausible Größenangaben ({what}) und wird zum Schutz des Rechners nicht geöffnet. Bitte in Excel öffnen und neu speichern."
            ),
            ImportError::NoHeader { rows_searched } => write!(
                f,
                "In den ersten {rows_searched} Zeilen wurde keine Kopfzeile gefunden. Erwartet wird eine Zeile mit Spaltennamen wie „Familienname“, „Vorname(n)“, „Geburtsdatum“."
            ),
            ImportError::UnknownSource { headers } => write!(
                f,
                "Die Spalten passen zu keiner bekannten Quelle (Meldewesen, Ausländerwesen, AKDN, SchILD, Gliederung). Gefundene Spalten: {}. Bitte ordnen Sie die Spalten zu.",
                list(headers)
            ),
            ImportError::MissingFields {
                source,
                missing,
                headers,
            } => {
                let names: Vec<String> =
                    missing.iter().map(|m| format!("„{}“", m.label())).collect();
                write!(
                    f,
                    "Für {} fehlen Pflichtspalten: {}. Gefundene Spalten: {}. Bitte ordnen Sie die Spalten zu.",
                    source.label(),
                    names.join(", "),
                    list(headers)
                )
            }
            ImportError::LineTooLong { line, bytes, cells } => write!(
                f,
                "Zeile {line} ist {} lang ({}) und enthält keine erkennbare Kopfzeile. Vermutlich fehlen Zeilenumbrüche oder das Trennzeichen, oder die Datei ist keine Tabelle. Bitte erneut als CSV oder XLSX exportieren.",
                format::file_size(*bytes),
                if *cells == 1 {
                    "1 Feld".to_string()
                } else {
                    format!("{} Felder", format::count(*cells as u64))
                }
            ),
            ImportError::TooManyColumns { columns, limit } => write!(
                f,
                "Die Kopfzeile hat {columns} Spalten; erlaubt sind höchstens {limit}. Bitte nur die benötigten Spalten exportieren."
            ),
            ImportError::NoReportMonth { candidates } if candidates.is_empty() => write!(
                f,
                "Der Berichtsmonat ist weder als Spalte noch im Datei- oder Blattnamen angegeben (z. B. „AKDN_2017-11.xlsx“). Bitte geben Sie den Monat an."
            ),
            ImportError::NoReportMonth { candidates } => write!(
                f,
                "Der Berichtsmonat ist nicht eindeutig: der Dateiname nennt mehrere Monate ({}). Bitte geben Sie den Monat an.",
                candidates
                    .iter()
                    .map(|m| format!("{:02}/{}", m.month, m.year))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ImportError::Map(problem) => write!(f, "{problem}"),
        }
    }
}

impl std::error::Error for ImportError {}
