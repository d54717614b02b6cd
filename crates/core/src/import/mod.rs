//! Import: every export the office has, read robustly into typed records with a report.
//!
//! For each file: check the limits, recognise the container (XLSX/XLS/ODS by signature, SchILD
//! `.dat`, otherwise delimited text with a sniffed delimiter and encoding), find the header row
//! below any title rows (and the sheet that matches a source), detect the source kind, map
//! headers to fields (catalog aliases plus saved mappings), drop every other column, and build
//! one record per data row. Every row read is either accepted or rejected with a reason; a bad
//! file yields an error in its report and never stops the others.
//!
//! A GeoJSON FeatureCollection (`.geojson`, `.json` or text starting with `{`) is map geometry:
//! it is read by [`crate::geo`] into [`Records::Karte`], one record per area, and its report
//! counts features read, used and left out (by reason, with the feature number).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod build;
pub mod decode;
pub mod error;
pub mod estimate;
pub mod fields;
pub mod grid;
pub mod limits;
pub mod mapping;
pub mod need;
pub mod ods_scan;
pub mod published;
pub mod report;
pub mod series_table;
pub mod sheet;
pub mod text;
pub mod values;
mod xls_clean;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use error::ImportError;
pub use estimate::{
    FileEstimate, MemoryEstimate, MemoryRefusal, SAMPLE_BYTES, WASM_BUDGET_BYTES, check_memory,
    estimate_sample, needs_whole_file,
};
pub use fields::{Field, FieldCatalog, SourceKind};
pub use limits::Limits;
pub use mapping::{ColumnMapping, MappingSet};
pub use report::{Asked, DatingNeed, Detection, FileFormat, ImportReport, RejectReason};

use crate::intern::StringPool;
use crate::records::{AddressEntry, BenefitRecord, Date, Foreigner, Pupil, Resident, YearMonth};
use build::Builder;
use grid::{Row, RowSource};
use mapping::HeaderResolver;
use sheet::{SheetFormat, Workbook};
use values::NationalityTable;

use crate::series_columns::SeriesColumns;

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// What the user says about a file; everything is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// The source kind, overriding detection.
    pub source: Option<SourceKind>,
    /// The sheet to read, overriding the automatic choice.
    pub sheet: Option<String>,
    /// Reporting month for AKDN files without a month column or month in the name.
    pub report_month: Option<YearMonth>,
    /// Reference date (Stichtag) of a snapshot; else taken from the file name.
    pub reference_date: Option<Date>,
    /// School number for a SchILD file without such a column.
    pub school_number: Option<String>,
    /// Schulform for a SchILD file without such a column.
    pub school_form: Option<String>,
}

/// The records of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Records {
    /// Nothing imported (file-level error).
    #[default]
    None,
    /// EWO Meldewesen.
    Meldewesen(Vec<Resident>),
    /// EWO-ALW.
    Alw(Vec<Foreigner>),
    /// AKDN sozial.
    Akdn(Vec<BenefitRecord>),
    /// SchILD-NRW.
    Schild(Vec<Pupil>),
    /// Räumliche Gliederung.
    Gliederung(Vec<AddressEntry>),
    /// Map geometry (areas of one level).
    Karte(crate::geo::AreaMap),
    /// The office's running series table (aggregates per month).
    Datentabelle(series_table::OfficeSeries),
    /// The published residents per area of a workbook Lagebild released before.
    Released(published::PublishedResidents),
}

impl Records {
    /// Number of records.
    pub fn len(&self) -> usize {
        match self {
            Records::None => 0,
            Records::Meldewesen(r) => r.len(),
            Records::Alw(r) => r.len(),
            Records::Akdn(r) => r.len(),
            Records::Schild(r) => r.len(),
            Records::Gliederung(r) => r.len(),
            Records::Karte(map) => map.areas.len(),
            Records::Datentabelle(series) => series.months.len(),
            Records::Released(residents) => residents.rows.len(),
        }
    }

    /// True if there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends the records of another sheet of the same source.
    fn append(&mut self, other: Records) {
        match (self, other) {
            (Records::Meldewesen(a), Records::Meldewesen(b)) => a.extend(b),
            (Records::Alw(a), Records::Alw(b)) => a.extend(b),
            (Records::Akdn(a), Records::Akdn(b)) => a.extend(b),
            (Records::Schild(a), Records::Schild(b)) => a.extend(b),
            (Records::Gliederung(a), Records::Gliederung(b)) => a.extend(b),
            (this, other) => {
                if this.is_empty() {
                    *this = other;
                }
            }
        }
    }
}

/// One imported file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportedFile {
    /// What happened.
    pub report: ImportReport,
    /// The records.
    pub records: Records,
}

/// Everything imported in a session: files with their records and the shared text pool.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Interned text of all records.
    pub pool: StringPool,
    /// Files in import order (a record's `origin.file` indexes this).
    pub files: Vec<ImportedFile>,
}

impl Dataset {
    /// The maps among the imported files (read as [`SourceKind::Karte`]), in import order.
    pub fn maps(&self) -> Vec<&crate::geo::AreaMap> {
        self.files
            .iter()
            .filter_map(|f| match &f.records {
                Records::Karte(map) => Some(map),
                _ => None,
            })
            .collect()
    }

    /// Withdraws the import at `index` before its file is read again: its records are
    /// dropped and its report says it was replaced. Files keep their place, so the origins
    /// of the other records stay valid. Returns false if there was nothing to withdraw.
    pub fn withdraw_file(&mut self, index: usize) -> bool {
        match self.files.get_mut(index) {
            Some(file) if file.report.error != Some(ImportError::Replaced) => {
                file.records = Records::None;
                file.report.error = Some(ImportError::Replaced);
                true
            }
            _ => false,
        }
    }
}

/// Import configuration: field catalog, saved mappings, nationality codes, limits.
pub struct Importer {
    catalog: FieldCatalog,
    aliases: BTreeMap<(SourceKind, String), Field>,
    mappings: MappingSet,
    nationalities: NationalityTable,
    limits: Limits,
    series_columns: SeriesColumns,
}

impl Default for Importer {
    fn default() -> Self {
        Importer::new(
            FieldCatalog::default_catalog(),
            MappingSet::default(),
            NationalityTable::default_table(),
            Limits::default(),
        )
    }
}

/// The container of a file, from its signature and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    Sheet(SheetFormat),
    Schild,
    GeoJson,
    Text,
}

fn sniff_container(name: &str, bytes: &[u8]) -> Container {
    let lower = name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        let is_ods = bytes.get(30..38) == Some(b"mimetype")
            && bytes
                .get(38..38 + 46)
                .is_some_and(|m| m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet"));
        if is_ods || lower.ends_with(".ods") {
            return Container::Sheet(SheetFormat::Ods);
        }
        return Container::Sheet(SheetFormat::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Container::Sheet(SheetFormat::Xls);
    }
    if lower.ends_with(".dat") {
        return Container::Schild;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let starts_object = text
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if lower.ends_with(".geojson") || lower.ends_with(".json") || starts_object {
        return Container::GeoJson;
    }
    Container::Text
}

/// A header row found in the first rows of a sheet or file.
struct HeaderChoice {
    index: usize,
    source: SourceKind,
    required_found: usize,
    required_total: usize,
    fields_found: usize,
    other_complete: Option<SourceKind>,
}

impl Importer {
    /// An importer with the given configuration.
    pub fn new(
        catalog: FieldCatalog,
        mappings: MappingSet,
        nationalities: NationalityTable,
        limits: Limits,
    ) -> Self {
        let aliases = catalog.alias_index();
        Importer {
            catalog,
            aliases,
            mappings,
            nationalities,
            limits,
            series_columns: SeriesColumns::seed(),
        }
    }

    /// Reads the office's Datentabelle with these columns (declared in the city's PKS file)
    /// from now on; the seed's by default.
    pub fn set_series_columns(&mut self, columns: SeriesColumns) {
        self.series_columns = columns;
    }

    /// The saved mappings in force.
    pub fn mappings(&self) -> &MappingSet {
        &self.mappings
    }

    /// Imports one file into `dataset` and returns it. Never panics on any input; a file that
    /// cannot be read is added with an error in its report and no records.
    pub fn import<'d>(
        &self,
        dataset: &'d mut Dataset,
        name: &str,
        bytes: &[u8],
        options: &ImportOptions,
    ) -> &'d ImportedFile {
        let file_index = dataset.files.len() as u32;
        let mut report = ImportReport {
            file_name: name.to_string(),
            ..ImportReport::default()
        };
        let records = match self.import_inner(
            &mut dataset.pool,
            file_index,
            name,
            bytes,
            options,
            &mut report,
        ) {
            Ok(records) => {
                if report.rows_read == 0 && !matches!(records, Records::Karte(_)) {
                    report.notes.push(HEADER_ONLY.to_string());
                }
                records
            }
            Err(error) => {
                report.error = Some(error);
                Records::None
            }
        };
        dataset.files.push(ImportedFile { report, records });
        let last = dataset.files.len() - 1;
        &dataset.files[last]
    }

    fn import_inner(
        &self,
        pool: &mut StringPool,
        file: u32,
        name: &str,
        bytes: &[u8],
        options: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<Records, ImportError> {
        if bytes.len() as u64 > self.limits.max_file_bytes {
            return Err(ImportError::TooLarge {
                size: bytes.len() as u64,
                limit: self.limits.max_file_bytes,
            });
        }
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ImportError::Empty);
        }
        let container = if options.source == Some(SourceKind::Karte) {
            Container::GeoJson
        } else {
            sniff_container(name, bytes)
        };
        match container {
            Container::GeoJson => import_map(name, bytes, options, report),
            Container::Sheet(format) => {
                report.format = Some(FileFormat::Sheet(format));
                let mut repacked = Vec::new();
                let mut workbook = self.open_workbook(bytes, format, &mut repacked)?;
                if let Some(released) = released_in_workbook(&mut workbook, options, report)? {
                    return Ok(released);
                }
                if let Some(series) =
                    series_in_workbook(&mut workbook, &self.series_columns, options, report)?
                {
                    return Ok(series);
                }
                self.import_workbook(&mut workbook, pool, file, name, options, report)
            }
            Container::Schild => {
                let (text, encoding) = decode::decode(bytes)?;
                let mut rows = text::DelimitedRows::schild(&text);
                report.format = Some(FileFormat::SchildDat {
                    encoding,
                    columns: 0,
                });
                let mut options = options.clone();
                options.source.get_or_insert(SourceKind::Schild);
                self.import_rows(&mut rows, pool, file, 0, name, None, &options, report)
            }
            Container::Text if options.source == Some(SourceKind::ReleasedWorkbook) => {
                Err(not_a_released_workbook())
            }
            Container::Text => {
                let (text, encoding) = decode::decode(bytes)?;
                let delimiter = text::sniff_delimiter(&text);
                report.format = Some(FileFormat::Csv {
                    delimiter: delimiter as char,
                    encoding,
                });
                if let Some(series) = series_in_rows(
                    &mut text::DelimitedRows::csv(&text, delimiter),
                    &self.series_columns,
                    options,
                    report,
                )? {
                    return Ok(series);
                }
                let mut rows = text::DelimitedRows::csv(&text, delimiter);
                self.import_rows(&mut rows, pool, file, 0, name, None, options, report)
            }
        }
    }

    /// Opens a spreadsheet after the limits are checked (archive sizes, ODS repetitions, XLS
    /// records and a clean container, repacked into `repacked`), with the cells that span rows
    /// of an ODS file.
    fn open_workbook<'b>(
        &self,
        bytes: &'b [u8],
        format: SheetFormat,
        repacked: &'b mut Vec<u8>,
    ) -> Result<Workbook<'b>, ImportError> {
        let mut ods_sheets = Vec::new();
        let bytes = match format {
            SheetFormat::Xlsx => {
                limits::check_zip(bytes, &self.limits)?;
                bytes
            }
            SheetFormat::Ods => {
                limits::check_zip(bytes, &self.limits)?;
                ods_sheets = limits::check_ods(bytes, &self.limits)?;
                bytes
            }
            SheetFormat::Xls => {
                *repacked = limits::check_xls(bytes, &self.limits)?;
                repacked.as_slice()
            }
        };
        let mut workbook = Workbook::open(bytes, format)?;
        workbook.set_spans(ods_sheets);
        Ok(workbook)
    }

    fn import_workbook(
        &self,
        workbook: &mut Workbook<'_>,
        pool: &mut StringPool,
        file: u32,
        name: &str,
        options: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<Records, ImportError> {
        let names = workbook.sheet_names();
        let sheets: Vec<String> = match &options.sheet {
            Some(sheet) => vec![sheet.clone()],
            None if names.len() <= 1 => {
                vec![
                    names
                        .first()
                        .cloned()
                        .ok_or_else(|| ImportError::BrokenSpreadsheet {
                            detail: "keine Tabellenblätter".into(),
                        })?,
                ]
            }
            None => {
                // Score every sheet by its best header row. Read the best sheet, and every
                // other sheet with all required columns of the same source (an export split
                // over several sheets); say which were read and which not.
                let mut scored = Vec::new();
                for sheet in &names {
                    let head = workbook.with_rows(sheet, |rows| read_head(rows))?;
                    if let Some(choice) = self.find_header(&head, options.source) {
                        let score = (
                            choice.required_found * 100 / choice.required_total.max(1),
                            choice.fields_found,
                        );
                        let complete = choice.required_found == choice.required_total;
                        scored.push((sheet.clone(), score, choice.source, complete));
                    }
                }
                let best = scored
                    .iter()
                    .max_by_key(|(_, score, _, _)| *score)
                    .map(|(sheet, _, source, complete)| (sheet.clone(), *source, *complete));
                let chosen: Vec<String> = match best {
                    Some((_, source, true)) => scored
                        .iter()
                        .filter(|(_, _, s, complete)| *s == source && *complete)
                        .map(|(sheet, ..)| sheet.clone())
                        .collect(),
                    Some((sheet, _, false)) => vec![sheet],
                    None => names.first().cloned().into_iter().collect(),
                };
                let quote = |list: &mut dyn Iterator<Item = &String>| {
                    list.map(|n| format!("„{n}“"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let others = quote(&mut names.iter().filter(|n| !chosen.contains(n)));
                report.sheet_note = Some(format!(
                    "Arbeitsmappe mit {} Blättern: gelesen {}, weil die Spalten zu einer Quelle passen; nicht gelesen: {}.",
                    names.len(),
                    quote(&mut chosen.iter()),
                    if others.is_empty() {
                        "keine".to_string()
                    } else {
                        others
                    }
                ));
                chosen
            }
        };
        // Hidden sheets are read like the others when their columns fit (dropping their rows
        // unseen would lose records), but named, for the analyst to check.
        for hidden in workbook.hidden_sheets() {
            report.notes.push(if sheets.contains(&hidden) {
                format!(
                    "Das Tabellenblatt „{hidden}“ ist ausgeblendet; es wurde gelesen, weil seine Spalten zur Quelle passen. Bitte prüfen, ob es nicht dieselben Personen wie ein anderes Blatt enthält."
                )
            } else {
                format!("Das Tabellenblatt „{hidden}“ ist ausgeblendet und wurde nicht gelesen.")
            });
        }
        report.sheet = sheets.first().cloned();
        report.sheets = sheets.clone();
        let mut records = Records::None;
        for (index, sheet) in sheets.iter().enumerate() {
            let before = report.clone();
            let mut import = |rows: &mut dyn RowSource, report: &mut ImportReport| {
                self.import_rows(
                    rows,
                    pool,
                    file,
                    index as u16,
                    name,
                    Some(sheet),
                    options,
                    report,
                )
            };
            let mut read = workbook.with_rows(sheet, |rows| import(rows, report))?;
            // Blank cells where a value belongs may be the rows of a merged cell: then the
            // sheet is read again with each merge's value in every row it spans.
            if blank_key_cells(&before, report, &read) {
                let merges = workbook.row_merges(sheet)?;
                if !merges.is_empty() {
                    *report = before;
                    read = workbook.with_filled_rows(sheet, merges, |rows| import(rows, report))?;
                }
            }
            records.append(read);
        }
        Ok(records)
    }

    fn find_header(&self, head: &[Row], forced: Option<SourceKind>) -> Option<HeaderChoice> {
        let resolver = HeaderResolver::new(&self.catalog, &self.aliases, &self.mappings);
        let sources: Vec<SourceKind> = match forced {
            Some(s) => vec![s],
            None => SourceKind::ALL.to_vec(),
        };
        let mut best: Option<HeaderChoice> = None;
        for (index, row) in head.iter().enumerate() {
            let mut complete = Vec::new();
            for source in &sources {
                let (found, total, fields) = resolver.score(*source, row);
                if found == total && total > 0 {
                    complete.push(*source);
                }
                // At least two fields and one required field, else it is not a header.
                if fields < 2 || found == 0 {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some(b) => {
                        let ratio = found * b.required_total.max(1);
                        let best_ratio = b.required_found * total.max(1);
                        ratio > best_ratio || (ratio == best_ratio && fields > b.fields_found)
                    }
                };
                if better {
                    best = Some(HeaderChoice {
                        index,
                        source: *source,
                        required_found: found,
                        required_total: total,
                        fields_found: fields,
                        other_complete: None,
                    });
                }
            }
            if let Some(b) = best.as_mut().filter(|b| b.index == index) {
                b.other_complete = complete.into_iter().find(|s| *s != b.source);
            }
        }
        best
    }

    #[allow(clippy::too_many_arguments)]
    fn import_rows(
        &self,
        rows: &mut dyn RowSource,
        pool: &mut StringPool,
        file: u32,
        sheet_index: u16,
        name: &str,
        sheet: Option<&str>,
        options: &ImportOptions,
        report: &mut ImportReport,
    ) -> Result<Records, ImportError> {
        let head = read_head(rows)?;
        if head.is_empty() {
            return Err(ImportError::Empty);
        }
        let choice = self.find_header(&head, options.source).ok_or_else(|| {
            if let Some(long) = overlong_row(&head) {
                return long;
            }
            let headers = widest_row(&head)
                .map(|i| header_texts(&head[i]))
                .unwrap_or_default();
            if headers.is_empty() {
                ImportError::NoHeader {
                    rows_searched: head.len() as u32,
                }
            } else {
                ImportError::UnknownSource { headers }
            }
        })?;
        let header = &head[choice.index];
        report.header_row = header.number;
        if header.cells.len() > self.limits.max_columns {
            return Err(ImportError::TooManyColumns {
                columns: header.cells.len(),
                limit: self.limits.max_columns,
            });
        }
        let source = choice.source;
        let resolver = HeaderResolver::new(&self.catalog, &self.aliases, &self.mappings);
        let mapped = resolver.map_row(source, header);
        let headers = header_texts(header);
        let missing = resolver.missing(source, &mapped);
        if !missing.is_empty() {
            // A source chosen by the user that the columns do not fit: say which one they fit.
            let fits = options
                .source
                .and_then(|_| self.find_header(&head, None))
                .filter(|c| c.source != source && c.required_found == c.required_total);
            if let Some(fits) = fits {
                report.notes.push(format!(
                    "Die Spalten passen aber vollständig zu {}: Wurde die Datei der falschen Quelle zugeordnet? Bitte wählen Sie „{}“ oder lassen Sie die Quelle automatisch erkennen.",
                    fits.source.label(),
                    fits.source.label()
                ));
            }
            return Err(ImportError::MissingFields {
                source,
                missing,
                headers: headers.iter().filter(|h| !h.is_empty()).cloned().collect(),
            });
        }
        duplicate_header_notes(&headers, &mapped, report);
        report.detection = Some(detection(&choice, options.source.is_some(), source));
        if let Some(FileFormat::SchildDat { columns, .. }) = report.format.as_mut() {
            *columns = header.cells.len();
            if *columns != 50 && *columns != 58 {
                report.notes.push(format!(
                    "SchILD-Datei mit {columns} Spalten; bekannt sind 50 und 58. Zuordnung über die Spaltennamen."
                ));
            }
        }
        report.columns = headers
            .iter()
            .zip(mapped.iter().chain(std::iter::repeat(&None)))
            .filter(|(h, _)| !h.is_empty())
            .map(|(h, f)| report::ColumnReport {
                header: h.clone(),
                field: *f,
            })
            .collect();
        if choice.index > 0 {
            report.notes.push(format!(
                "{} Zeile(n) über der Kopfzeile (Titel) übersprungen.",
                choice.index
            ));
        }
        // A Stichtag or month from a name only if the name gives exactly one; otherwise the
        // analyst gives it (CLI option, app input).
        let stichtag_in_name = values::stichtag_in_name(name);
        report.reference_date = options.reference_date.or(stichtag_in_name.one());
        let snapshot = matches!(source, SourceKind::Meldewesen | SourceKind::Alw);
        if snapshot && report.reference_date.is_none() {
            report.dating = Some(DatingNeed::Stichtag {
                candidates: stichtag_in_name.candidates().to_vec(),
            });
        }
        let month_in_name = values::month_in_name(name);
        let month = if mapped.contains(&Some(Field::ReportMonth)) {
            None
        } else if source == SourceKind::Akdn {
            let in_sheet = sheet.map(values::month_in_name);
            // An ambiguous file name is decided by a sheet name that names one of its months.
            let from_names = month_in_name.one().or_else(|| {
                let m = in_sheet.as_ref()?.one()?;
                (month_in_name.candidates().is_empty() || month_in_name.candidates().contains(&m))
                    .then_some(m)
            });
            let Some(month) = options.report_month.or(from_names) else {
                let candidates = month_in_name.candidates().to_vec();
                report.dating = Some(DatingNeed::ReportMonth {
                    candidates: candidates.clone(),
                });
                return Err(ImportError::NoReportMonth { candidates });
            };
            report.report_month = Some(month);
            Some(month)
        } else {
            None
        };
        // Checked against the data after the rows are read.
        let name_stichtag = options
            .reference_date
            .is_none()
            .then(|| stichtag_in_name.one())
            .flatten();
        let name_month = (options.report_month.is_none() && month.is_none())
            .then(|| month_in_name.one())
            .flatten();

        let header_again = headers.clone();
        let mut builder = Builder::new(
            pool,
            &self.nationalities,
            report,
            file,
            headers,
            &mapped,
            self.limits.max_cell_bytes,
        );
        builder.reference = builder.report.reference_date;
        builder.sheet = sheet_index;
        builder.month = month;
        if let Some(n) = &options.school_number {
            builder.school_number = builder.pool.intern(n.trim());
        }
        if let Some(f) = &options.school_form {
            builder.school_form = builder.pool.intern(f.trim());
        }

        // One allocation of the right size instead of doubling (which briefly holds 1.5x).
        let capacity = rows.rows_hint().unwrap_or(0).min(50_000_000);
        let mut records = match source {
            SourceKind::Meldewesen => Records::Meldewesen(Vec::with_capacity(capacity)),
            SourceKind::Alw => Records::Alw(Vec::with_capacity(capacity)),
            SourceKind::Akdn => Records::Akdn(Vec::with_capacity(capacity)),
            SourceKind::Schild => Records::Schild(Vec::with_capacity(capacity)),
            SourceKind::Gliederung => Records::Gliederung(Vec::with_capacity(capacity)),
            SourceKind::Karte | SourceKind::Datentabelle | SourceKind::ReleasedWorkbook => {
                Records::None
            }
        };
        let mut handle = |builder: &mut Builder<'_>, row: &Row| {
            if row.is_blank() {
                builder.report.blank_rows += 1;
                return;
            }
            builder.report.rows_read += 1;
            let broken = match row.problem {
                Some(problem) => Some(RejectReason::Row(problem)),
                None => repeats_header(row, &header_again).then_some(RejectReason::RepeatedHeader),
            };
            if let Some(reason) = broken {
                let location = report::Location {
                    row: row.number,
                    column: None,
                    shape: None,
                };
                builder.report.reject(reason, location);
                return;
            }
            let built = builder.precheck(row).and_then(|()| match &mut records {
                Records::Meldewesen(v) => builder.resident(row).map(|r| v.push(r)),
                Records::Alw(v) => builder.foreigner(row).map(|r| v.push(r)),
                Records::Akdn(v) => builder.benefit(row).map(|r| v.push(r)),
                Records::Schild(v) => builder.pupil(row).map(|r| v.push(r)),
                Records::Gliederung(v) => builder.address_entry(row).map(|r| v.push(r)),
                Records::None
                | Records::Karte(_)
                | Records::Datentabelle(_)
                | Records::Released(_) => Ok(()),
            });
            match built {
                Ok(()) => builder.report.rows_accepted += 1,
                Err((reason, location)) => {
                    let reason = if Builder::is_sum_row(row)
                        && !matches!(reason, RejectReason::CellTooLong(_))
                    {
                        RejectReason::SumRow
                    } else {
                        reason
                    };
                    builder.report.reject(reason, location);
                }
            }
        };
        for row in &head[choice.index + 1..] {
            handle(&mut builder, row);
        }
        let mut row = Row::default();
        while rows.next_row(&mut row)? {
            handle(&mut builder, &row);
        }
        builder.report.rejected.sort_by_key(|g| g.reason);
        builder.report.notes.extend(rows.notes());
        check_dating(builder.report, &records, name_stichtag, name_month);
        Ok(records)
    }
}

/// Checks a Stichtag or month taken from the file name against the data: birth dates after
/// the Stichtag (their rows were rejected), or a month column without the name's month.
fn check_dating(
    report: &mut ImportReport,
    records: &Records,
    name_stichtag: Option<Date>,
    name_month: Option<YearMonth>,
) {
    if let Some(stichtag) = name_stichtag {
        let after: u64 = report
            .rejected
            .iter()
            .filter(|g| {
                g.reason
                    == RejectReason::Invalid(
                        Field::BirthDate,
                        values::ValueProblem::BirthDateInFuture,
                    )
            })
            .map(|g| g.count)
            .sum();
        if after > 0 {
            report.dating = Some(DatingNeed::StichtagDoubtful { stichtag, after });
        }
    }
    if let (Some(in_name), Records::Akdn(rows)) = (name_month, records) {
        let mut in_data: Vec<YearMonth> = rows.iter().map(|r| r.month).collect();
        in_data.sort();
        in_data.dedup();
        if !in_data.is_empty() && !in_data.contains(&in_name) {
            report.dating = Some(DatingNeed::MonthDisagrees { in_name, in_data });
        }
    }
}

/// The note of a file (or sheet) without data rows.
const HEADER_ONLY: &str = "Unter der Kopfzeile stehen keine Datenzeilen: die Datei enthält nur die Kopfzeile. Bitte prüfen Sie den Export (Filter, Zeitraum).";

/// Longest row (in bytes) that may stand where a header is expected; longer rows without a
/// header mean missing line breaks or delimiters.
const MAX_HEADLESS_ROW_BYTES: usize = 1 << 20;

/// The error for a row of the head that is far too long for a table, if there is one.
fn overlong_row(head: &[Row]) -> Option<ImportError> {
    head.iter().find_map(|row| {
        let bytes: usize = row.cells.iter().map(|c| c.as_text().len()).sum();
        (bytes > MAX_HEADLESS_ROW_BYTES).then_some(ImportError::LineTooLong {
            line: row.number,
            bytes: bytes as u64,
            cells: row.cells.len(),
        })
    })
}

/// Notes for headers that occur more than once: the first column with a field is used.
fn duplicate_header_notes(headers: &[String], mapped: &[Option<Field>], report: &mut ImportReport) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut noted: Vec<String> = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let key = crate::text::fold(header);
        if key.is_empty() {
            continue;
        }
        match seen.get(&key) {
            None => {
                seen.insert(key, i);
            }
            Some(&first) if !noted.contains(&key) => {
                let used = if mapped.get(first).copied().flatten().is_some() {
                    format!("übernommen wird Spalte {}", grid::column_letters(first))
                } else {
                    "keine wird übernommen".to_string()
                };
                let header: String = header.chars().take(60).collect();
                report.notes.push(format!(
                    "Die Spalte „{header}“ kommt mehrfach vor (Spalten {} und {}); {used}.",
                    grid::column_letters(first),
                    grid::column_letters(i)
                ));
                noted.push(key);
            }
            Some(_) => {}
        }
    }
}

/// True if the office's series table may be looked for (no other source chosen).
fn may_be_series(options: &ImportOptions) -> bool {
    matches!(options.source, None | Some(SourceKind::Datentabelle))
}

/// The detection of the office's series table.
fn series_detection(options: &ImportOptions, layout: &series_table::TablePosition) -> Detection {
    let by_user = options.source == Some(SourceKind::Datentabelle);
    Detection {
        source: SourceKind::Datentabelle,
        confidence: 1.0,
        reason: format!(
            "{}Monatsspalte und {} Spalten der Monatsreihe erkannt",
            if by_user {
                "vom Benutzer gewählt; "
            } else {
                ""
            },
            layout.counts.len()
        ),
        chosen_by_user: by_user,
    }
}

/// The office's series table, if `rows` hold one; `None` (nothing consumed that matters: the
/// caller reads the rows afresh) if not. With the source chosen by the user, a file without
/// such a table is an error.
fn series_in_rows(
    rows: &mut dyn RowSource,
    columns: &SeriesColumns,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Option<Records>, ImportError> {
    if !may_be_series(options) {
        return Ok(None);
    }
    let head = read_head(rows)?;
    match series_table::find_layout(&head, columns) {
        Some(layout) => {
            report.detection = Some(series_detection(options, &layout));
            let series = series_table::read(columns, &layout, &head, rows, report)?;
            Ok(Some(Records::Datentabelle(series)))
        }
        None if options.source == Some(SourceKind::Datentabelle) => Err(no_series_table()),
        None => Ok(None),
    }
}

/// The office's series table in the chosen sheet or the first sheet that holds one.
fn series_in_workbook(
    workbook: &mut Workbook<'_>,
    columns: &SeriesColumns,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Option<Records>, ImportError> {
    if !may_be_series(options) {
        return Ok(None);
    }
    let sheets = match &options.sheet {
        Some(sheet) => vec![sheet.clone()],
        None => workbook.sheet_names(),
    };
    for sheet in sheets {
        let head = workbook.with_rows(&sheet, |rows| read_head(rows))?;
        if let Some(layout) = series_table::find_layout(&head, columns) {
            report.detection = Some(series_detection(options, &layout));
            report.sheet = Some(sheet.clone());
            report.sheets = vec![sheet.clone()];
            let series = workbook.with_rows(&sheet, |rows| {
                let head = read_head(rows)?;
                series_table::read(columns, &layout, &head, rows, report)
            })?;
            return Ok(Some(Records::Datentabelle(series)));
        }
    }
    if options.source == Some(SourceKind::Datentabelle) {
        return Err(no_series_table());
    }
    Ok(None)
}

/// A workbook Lagebild released before, read for its published residents per area; `None`
/// if `workbook` is not one (or another source was chosen).
fn released_in_workbook(
    workbook: &mut Workbook<'_>,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Option<Records>, ImportError> {
    if !matches!(options.source, None | Some(SourceKind::ReleasedWorkbook)) {
        return Ok(None);
    }
    if !published::is_lagebild_workbook(workbook)? {
        if options.source == Some(SourceKind::ReleasedWorkbook) {
            return Err(not_a_released_workbook());
        }
        return Ok(None);
    }
    let mut residents = published::read(workbook)?;
    let by_user = options.source == Some(SourceKind::ReleasedWorkbook);
    report.detection = Some(Detection {
        source: SourceKind::ReleasedWorkbook,
        confidence: 1.0,
        reason: format!(
            "{}Blatt „Metadaten“ nennt den {}; gelesen: „{}“, Spalte „Insgesamt“",
            if by_user {
                "vom Benutzer gewählt; "
            } else {
                ""
            },
            published::REPORT,
            published::TABLE_TITLE
        ),
        chosen_by_user: by_user,
    });
    report.reference_date = options.reference_date.or(residents.reference_date);
    residents.reference_date = report.reference_date;
    // Every row is taken, with or without a value.
    report.rows_read = residents.rows.len() as u64;
    report.rows_accepted = report.rows_read;
    let closed = residents.rows.iter().filter(|r| r.value.is_none()).count();
    if closed > 0 {
        report.notes.push(format!(
            "{closed} Zeile(n) ohne veröffentlichten Wert (gesperrt oder zusammengefasst): für \
             diese Gebiete gibt es keine Veränderung zur Vorwoche."
        ));
    }
    Ok(Some(Records::Released(residents)))
}

fn not_a_released_workbook() -> ImportError {
    ImportError::BrokenSpreadsheet {
        detail: format!(
            "keine von Lagebild veröffentlichte Arbeitsmappe: erwartet ein Blatt „Metadaten“ \
             mit „Bericht: {}“ (die XLSX-Datei des Standardberichts)",
            published::REPORT
        ),
    }
}

fn no_series_table() -> ImportError {
    ImportError::BrokenSpreadsheet {
        detail: "keine Monatstabelle gefunden: erwartet eine Kopfzeile mit „Datum“ oder \
                 „Monat“ und Spalten für Geduldete und Asylbewerber nach § 2 und § 3"
            .into(),
    }
}

/// Reads a GeoJSON FeatureCollection as map geometry: features read, used, and left out by
/// reason with their number.
fn import_map(
    name: &str,
    bytes: &[u8],
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Records, ImportError> {
    let parsed = crate::geo::parse(name, bytes, &crate::geo::GeoLimits::default())
        .map_err(|e| ImportError::Map(e.problem))?;
    report.format = Some(FileFormat::GeoJson {
        crs: parsed.map.crs.clone(),
    });
    let by_user = options.source == Some(SourceKind::Karte);
    report.detection = Some(Detection {
        source: SourceKind::Karte,
        confidence: 1.0,
        reason: format!(
            "{}GeoJSON-FeatureCollection mit {} {}",
            if by_user {
                "vom Benutzer gewählt; "
            } else {
                ""
            },
            crate::format::count(parsed.map.areas.len() as u64),
            parsed.map.level.plural()
        ),
        chosen_by_user: by_user,
    });
    report.rows_read = parsed.features_read as u64;
    report.rows_accepted = parsed.features_accepted as u64;
    for reject in parsed.rejected {
        report.reject(
            RejectReason::Feature(reject.problem),
            report::Location {
                row: u32::try_from(reject.number).unwrap_or(u32::MAX),
                column: (!reject.detail.is_empty()).then_some(reject.detail),
                shape: None,
            },
        );
    }
    report.rejected.sort_by_key(|g| g.reason);
    report.notes.extend(parsed.notes);
    Ok(Records::Karte(parsed.map))
}

fn detection(choice: &HeaderChoice, by_user: bool, source: SourceKind) -> Detection {
    let ratio = choice.required_found as f64 / choice.required_total.max(1) as f64;
    let confidence = if choice.other_complete.is_some() {
        ratio / 2.0
    } else {
        ratio
    };
    let mut reason = format!(
        "{} von {} Pflichtspalten und {} Spalten insgesamt erkannt",
        choice.required_found, choice.required_total, choice.fields_found
    );
    if let Some(other) = choice.other_complete {
        reason.push_str(&format!("; passt aber auch zu {}", other.label()));
    }
    if by_user {
        reason = format!("vom Benutzer gewählt; {reason}");
    }
    Detection {
        source,
        confidence: if by_user { 1.0 } else { confidence },
        reason,
        chosen_by_user: by_user,
    }
}

fn read_head(rows: &mut dyn RowSource) -> Result<Vec<Row>, ImportError> {
    let mut head = Vec::new();
    let mut row = Row::default();
    while head.len() < HEADER_SEARCH_ROWS && rows.next_row(&mut row)? {
        head.push(std::mem::take(&mut row));
    }
    Ok(head)
}

/// True if reading a sheet found cells empty that should hold a value: rows rejected for a
/// missing required value (more than `before` had), or foreigners without Aufenthaltsart or
/// Erteilungsgrund (accepted, but then unclassified).
fn blank_key_cells(before: &ImportReport, after: &ImportReport, read: &Records) -> bool {
    let missing = |r: &ImportReport| -> u64 {
        r.rejected
            .iter()
            .filter(|g| matches!(g.reason, RejectReason::Missing(_)))
            .map(|g| g.count)
            .sum()
    };
    missing(after) > missing(before)
        || matches!(read, Records::Alw(rows) if rows.iter().any(|f| {
            f.residence_kind == crate::intern::Sym::EMPTY || f.legal_basis == crate::intern::Sym::EMPTY
        }))
}

/// True if `row` is the header line again (files pasted together): every named column holds
/// its header text.
fn repeats_header(row: &Row, headers: &[String]) -> bool {
    let named = headers.iter().filter(|h| !h.is_empty()).count();
    named >= 2
        && headers.iter().enumerate().all(|(i, h)| {
            h.is_empty() || row.cells.get(i).is_some_and(|c| c.as_text() == h.as_str())
        })
}

/// The row named as the header of a file whose source is not recognised: the first of the
/// widest rows of the head (a later one is usually a data row, whose values are no header).
fn widest_row(head: &[Row]) -> Option<usize> {
    let filled = |row: &Row| row.cells.iter().filter(|c| !c.is_blank()).count();
    let widest = head.iter().map(filled).max()?;
    head.iter().position(|row| filled(row) == widest)
}

fn header_texts(row: &Row) -> Vec<String> {
    row.cells.iter().map(|c| c.as_text().into_owned()).collect()
}
