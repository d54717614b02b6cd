//! The pipeline worker: holds the imported data in the worker's memory and answers requests.
//! Only protected tables, aggregate quality figures and finished downloads leave it.

use std::borrow::Cow;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use lagebild_core::classify::pks::PksMapping;
use lagebild_core::classify::rules::Rules;
use lagebild_core::export::svg;
use lagebild_core::export::{csv, xlsx};
use lagebild_core::format;
use lagebild_core::import::values::NationalityTable;
use lagebild_core::import::{
    Dataset, FieldCatalog, ImportOptions, Importer, Limits, MemoryEstimate, Records, SAMPLE_BYTES,
    WASM_BUDGET_BYTES, estimate_sample, needs_whole_file,
};
use lagebild_core::protect::{
    ProtectedTable, ProtectionMode, ProtectionSettings, Threshold, protect,
};
use lagebild_core::records::Date;
use lagebild_core::reports::crosstab;
use lagebild_core::reports::linked::{ReviewList, RowRef, school_from_name};
use lagebild_core::reports::{self, Published, ReportConfig, Stage, StageTimes, StandardReport};

use crate::protocol::{
    ClassificationTexts, DateAnswer, DatingView, Download, DownloadRequest, FileContent,
    FileSummary, Graphic, InputFile, Mode, ProcessOptions, QualityLine, QualityView, ReportSet,
    Request, Response, ReviewComparisonView, ReviewListView, ReviewPairView, RowView, RunView,
    StageTime, TableView,
};

/// Title of the report set: the same as `lagebild report` writes.
pub const REPORT_TITLE: &str = "Lagebild – Standardbericht";

/// MIME type of XLSX workbooks.
const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Runs `lagebild-core` in a Web Worker.
pub struct Pipeline {
    importer: Importer,
    dataset: Dataset,
    published: Option<Published>,
    /// Files whose import failed for want of a column mapping, kept (in the worker only) so
    /// they can be imported again once the user has mapped their columns.
    pending: Vec<(InputFile, ImportOptions)>,
    /// The last Kreuztabelle, protected, for its download.
    crosstab: Option<ProtectedTable>,
    /// Wall time per stage of the last import and report run.
    times: StageTimes,
    /// Tables, classification rules and PKS mapping in force.
    config: ReportConfig,
}

impl Worker for Pipeline {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Pipeline {
            importer: Importer::default(),
            dataset: Dataset::default(),
            published: None,
            pending: Vec::new(),
            crosstab: None,
            times: StageTimes::default(),
            config: ReportConfig::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            Request::Import(mut files) => {
                // The order the browser hands over differs between systems; sorted, the same
                // files give the same report (and the same order of sources as the CLI given
                // them in that order).
                files.sort_by(|a, b| sort_key(a).cmp(sort_key(b)));
                let files = files
                    .into_iter()
                    .map(|f| {
                        let options = options_of(&f);
                        (f, options)
                    })
                    .collect();
                let summaries = self.import(scope, id, files);
                scope.respond(id, Response::Imported(summaries));
            }
            Request::Demo => {
                progress(scope, id, "Demodaten erzeugen", 0, 1, "");
                let files = demo_files();
                let summaries = self.import(scope, id, files);
                scope.respond(id, Response::Imported(summaries));
            }
            Request::Configure(mappings) => {
                self.importer = Importer::new(
                    FieldCatalog::default_catalog(),
                    mappings,
                    NationalityTable::default_table(),
                    Limits::default(),
                );
            }
            Request::Classification(texts) => {
                let result = configured(&texts).map(|config| self.config = config);
                scope.respond(id, Response::Classification(result));
            }
            Request::Retry(chosen) => {
                let mut files = std::mem::take(&mut self.pending);
                for (file, options) in &mut files {
                    // A file read before (detection unsure) is replaced, not added twice.
                    self.dataset.withdraw(&file.name);
                    if let Some((name, source)) = &chosen
                        && *name == file.name
                    {
                        options.source = Some(*source);
                    }
                }
                let summaries = self.import(scope, id, files);
                scope.respond(id, Response::Reimported(summaries));
            }
            Request::Date(name, answer) => {
                let summaries = match self.pending.iter().position(|(f, _)| f.name == name) {
                    Some(at) => {
                        let (file, mut options) = self.pending.remove(at);
                        match answer {
                            DateAnswer::Stichtag(date) => options.reference_date = Some(date),
                            DateAnswer::ReportMonth(month) => options.report_month = Some(month),
                        }
                        self.dataset.withdraw(&file.name);
                        self.import(scope, id, vec![(file, options)])
                    }
                    None => Vec::new(),
                };
                scope.respond(id, Response::Reimported(summaries));
            }
            Request::Process(options) => {
                let response = self.process(scope, id, options);
                scope.respond(id, response);
            }
            Request::Crosstab(request, options) => {
                progress(scope, id, "Kreuztabelle zählen", 0, 1, "");
                let response = match crosstab::crosstab(&self.dataset, &self.config, &request) {
                    Ok(table) => {
                        let table = protect(table, &settings_of(options));
                        let view = table_view(&table);
                        self.crosstab = Some(table);
                        Response::Crosstab(view)
                    }
                    Err(e) => Response::Failed(e.to_string()),
                };
                scope.respond(id, response);
            }
            Request::CrosstabChoices(source) => {
                // Without the source's data there is nothing to filter: no choices.
                let choices = crosstab::filter_choices(&self.dataset, &self.config, source)
                    .unwrap_or_default();
                scope.respond(id, Response::CrosstabChoices(source, choices));
            }
            Request::Download(what) => {
                let response = match self.download(&what) {
                    Ok(download) => Response::Downloaded(download),
                    Err(message) => Response::Failed(message),
                };
                scope.respond(id, response);
            }
            Request::Reset => {
                self.dataset = Dataset::default();
                self.published = None;
                self.pending = Vec::new();
                self.crosstab = None;
                scope.respond(id, Response::ResetDone);
            }
        }
    }
}

/// The report configuration with the city's own rules and PKS mapping, or a German reason
/// why one of them cannot be used.
fn configured(texts: &ClassificationTexts) -> Result<ReportConfig, String> {
    let mut config = ReportConfig::default();
    if let Some(text) = &texts.rules {
        config.rules = Rules::from_toml(text).map_err(|e| {
            format!(
                "Die Klassifikationsregeln lassen sich nicht verwenden: {e}. Es gelten weiter die \
                 bisherigen Regeln. Prüfen Sie die Datei (Aufbau wie die mitgelieferte rules.toml)."
            )
        })?;
    }
    if let Some(text) = &texts.pks {
        config.pks = PksMapping::from_toml(text).map_err(|e| {
            format!(
                "Die PKS-Zuordnung lässt sich nicht verwenden: {e}. Es gilt weiter die bisherige \
                 Zuordnung. Prüfen Sie die Datei (Aufbau wie die mitgelieferte pks_example.toml)."
            )
        })?;
    }
    Ok(config)
}

/// Seconds on the browser's clock (the worker has no `std::time`).
fn now_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A file's size in bytes.
fn size_of(content: &FileContent) -> u64 {
    match content {
        FileContent::Bytes(bytes) => bytes.len() as u64,
        FileContent::Handle(file) => file.size() as u64,
    }
}

/// A file's bytes: in memory already, or read from the browser's handle now.
fn bytes_of(content: &FileContent) -> Result<Cow<'_, [u8]>, String> {
    match content {
        FileContent::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
        FileContent::Handle(file) => read_blob(file).map(Cow::Owned),
    }
}

/// What the memory estimate reads of a file: its first bytes, or the whole of a spreadsheet
/// (XLSX, ODS, XLS: the unpacked size, repetitions and cell ranges count, see
/// `needs_whole_file`).
fn sample_of(content: &FileContent) -> Result<Cow<'_, [u8]>, String> {
    match content {
        FileContent::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
        FileContent::Handle(file) => {
            let head = file
                .slice_with_f64_and_f64(0.0, SAMPLE_BYTES as f64)
                .map_err(js_message)?;
            let head = read_blob(&head)?;
            if needs_whole_file(&head) {
                read_blob(file).map(Cow::Owned)
            } else {
                Ok(Cow::Owned(head))
            }
        }
    }
}

/// Reads a file or part of one into the worker's memory (synchronously: workers may).
fn read_blob(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let reader = web_sys::FileReaderSync::new().map_err(js_message)?;
    let buffer = reader.read_as_array_buffer(blob).map_err(js_message)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The message of a browser error.
fn js_message(error: wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unbekannter Fehler des Browsers".into())
}

/// The summary of a file that was not imported at all, with the German reason.
fn unimported(file: &InputFile, reason: String) -> FileSummary {
    FileSummary {
        name: file.name.clone(),
        size: size_of(&file.content),
        source: None,
        rows_read: 0,
        rows_accepted: 0,
        rows_rejected: 0,
        rows_rejected_unexpectedly: 0,
        error: Some(reason.clone()),
        report: reason,
        mapping: None,
        dating: None,
    }
}

/// Size of the worker's wasm linear memory: it only grows, so it is the high-water mark.
fn wasm_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size::<0>() as u64 * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// Progress of a single task (not a pipeline stage).
fn progress(
    scope: &WorkerScope<Pipeline>,
    id: HandlerId,
    stage: &str,
    done: u32,
    total: u32,
    current: &str,
) {
    scope.respond(
        id,
        Response::Progress {
            stage: stage.into(),
            step: None,
            done,
            total,
            current: current.into(),
        },
    );
}

/// Progress of a pipeline stage, shown in the bar of that stage.
fn stage_progress(
    scope: &WorkerScope<Pipeline>,
    id: HandlerId,
    stage: Stage,
    done: u32,
    total: u32,
    current: &str,
) {
    scope.respond(
        id,
        Response::Progress {
            stage: stage.label().into(),
            step: Some(stage),
            done,
            total,
            current: current.into(),
        },
    );
}

/// The exports of the synthetic demo city (about 10,000 residents), as a user would drop them:
/// without the copies and subsets of other exports and without the map geometries.
fn demo_files() -> Vec<(InputFile, ImportOptions)> {
    let Ok(output) =
        lagebild_synth::generate(&lagebild_synth::Config::new(lagebild_synth::Scale::Demo))
    else {
        return Vec::new();
    };
    output
        .manifest
        .files
        .iter()
        .filter(|e| e.subset_of.is_none() && e.duplicate_of.is_none())
        .filter_map(|e| {
            let file = output.file(&e.path)?;
            let name = e.path.rsplit('/').next().unwrap_or(&e.path).to_string();
            let options = ImportOptions {
                school_number: e.school_number.clone(),
                school_form: e.school_form.clone(),
                ..ImportOptions::default()
            };
            Some((
                InputFile {
                    name,
                    path: e.path.clone(),
                    content: FileContent::Bytes(file.bytes.clone()),
                },
                options,
            ))
        })
        .collect()
}

fn sort_key(file: &InputFile) -> &str {
    if file.path.is_empty() {
        &file.name
    } else {
        &file.path
    }
}

/// Import options of a dropped file: the school number and Schulform of a SchILD file from its
/// folder's name, else its own name (as `lagebild report` does; other sources ignore them).
pub fn options_of(file: &InputFile) -> ImportOptions {
    let mut parts = file.path.rsplit('/');
    let own = parts.next().unwrap_or(&file.name);
    let folder = parts.next().unwrap_or_default();
    let stem = own.rsplit_once('.').map_or(own, |(stem, _)| stem);
    let stem = if stem.is_empty() {
        file.name.as_str()
    } else {
        stem
    };
    let (number, form) = school_from_name(folder);
    let (own_number, own_form) = school_from_name(stem);
    ImportOptions {
        school_number: number.or(own_number),
        school_form: form.or(own_form),
        ..ImportOptions::default()
    }
}

/// A date as Germans write it: 31.10.2026.
pub fn german_date(date: Date) -> String {
    format!("{:02}.{:02}.{:04}", date.day, date.month, date.year)
}

/// The protection settings of `options` (the threshold is never below 3).
pub fn settings_of(options: ProcessOptions) -> ProtectionSettings {
    ProtectionSettings {
        mode: match options.mode {
            Mode::Tabelle => ProtectionMode::Tabelle,
            Mode::Zelle => ProtectionMode::Zelle,
        },
        threshold: Threshold::new(options.threshold).unwrap_or_default(),
    }
}

impl Pipeline {
    /// Imports the files and returns their summaries; files that need a column mapping are
    /// kept for [`Request::Retry`].
    fn import(
        &mut self,
        scope: &WorkerScope<Self>,
        id: HandlerId,
        files: Vec<(InputFile, ImportOptions)>,
    ) -> Vec<FileSummary> {
        self.published = None;
        // Estimated before parsing, from each file's size and first bytes (the whole of a
        // spreadsheet): a file set the tab's memory cannot hold is refused with advice instead
        // of crashing the worker midway, and a file the limits refuse anyway (a sheet asking
        // for far more cells than the file holds) is not read at all.
        let estimates: Vec<_> = files
            .iter()
            .map(|(f, _)| {
                let sample = sample_of(&f.content).unwrap_or_default();
                estimate_sample(&f.name, size_of(&f.content), &sample)
            })
            .collect();
        let refused: Vec<Option<String>> = estimates.iter().map(|e| e.refused.clone()).collect();
        if let Err(refusal) = MemoryEstimate::of(estimates).within(WASM_BUDGET_BYTES) {
            let message = refusal.to_string();
            return files
                .iter()
                .map(|(f, _)| unimported(f, message.clone()))
                .collect();
        }
        let total = files.len() as u32;
        let mut summaries = Vec::with_capacity(files.len());
        for (i, ((file, options), refused)) in files.into_iter().zip(refused).enumerate() {
            if i == 0 {
                self.times = StageTimes::default();
            }
            self.times
                .record(Stage::Read, i as u32, total, now_seconds());
            stage_progress(scope, id, Stage::Read, i as u32, total, &file.name);
            if let Some(reason) = refused {
                summaries.push(unimported(&file, reason));
                continue;
            }
            // Read now, dropped after its import: one file's bytes at a time.
            let bytes = match bytes_of(&file.content) {
                Ok(bytes) => bytes,
                Err(reason) => {
                    summaries.push(unimported(
                        &file,
                        format!(
                            "Die Datei „{}“ konnte nicht gelesen werden ({reason}). Wurde sie \
                             nach der Auswahl verschoben, geändert oder gelöscht? Wählen Sie \
                             sie erneut aus.",
                            file.name
                        ),
                    ));
                    continue;
                }
            };
            let imported = self
                .importer
                .import(&mut self.dataset, &file.name, &bytes, &options);
            let r = &imported.report;
            let need = lagebild_core::import::need::need(r, &bytes, &self.importer);
            let dating = r.dating.as_ref().and_then(|d| {
                Some(DatingView {
                    asks: d.asks()?,
                    message: d.message(),
                })
            });
            summaries.push(FileSummary {
                name: file.name.clone(),
                size: bytes.len() as u64,
                source: r.detection.as_ref().map(|d| d.source.label().to_string()),
                rows_read: r.rows_read,
                rows_accepted: r.rows_accepted,
                rows_rejected: r.rows_rejected(),
                rows_rejected_unexpectedly: r.rows_rejected_unexpectedly(),
                error: r.error.as_ref().map(ToString::to_string),
                report: r.to_string(),
                mapping: need.clone(),
                dating: dating.clone(),
            });
            if need.is_some() || dating.is_some() {
                // Kept as it came (a handle, or the demo's bytes) for the import after the
                // mapping, Stichtag or month is given.
                self.pending.push((file, options));
            }
        }
        self.times.record(Stage::Read, total, total, now_seconds());
        stage_progress(scope, id, Stage::Read, total, total, "");
        summaries
    }

    /// Computes, protects and describes the report set; keeps the protected tables for
    /// downloads and returns their display views.
    fn process(
        &mut self,
        scope: &WorkerScope<Self>,
        id: HandlerId,
        options: ProcessOptions,
    ) -> Response {
        if self.dataset.files.iter().all(|f| f.records.is_empty()) {
            return Response::Failed(
                "Es sind keine auswertbaren Daten geladen. Laden Sie zuerst Exporte oder die \
                 Demodaten."
                    .into(),
            );
        }
        let config = &self.config;
        // The read time of the last import, then this run's stages.
        let mut times = self.times.read_only();
        let mut on_stage = |stage: Stage, done: u32, total: u32| {
            times.record(stage, done, total, now_seconds());
            stage_progress(scope, id, stage, done, total, "");
        };
        let report =
            match reports::standard_report_with_progress(&self.dataset, config, &mut on_stage) {
                Ok(report) => report,
                Err(e) => {
                    return Response::Failed(format!(
                        "Die Tabellen konnten nicht berechnet werden: {e}. Prüfen Sie die \
                         Tabellendefinitionen oder laden Sie die Exporte erneut."
                    ));
                }
            };
        let quality = quality_view(&report);
        let settings = settings_of(options);
        let published =
            reports::publish_with_progress(report, config, &settings, REPORT_TITLE, &mut on_stage);
        self.times = times;
        let run = RunView {
            stages: self
                .times
                .seconds
                .iter()
                .map(|&(stage, seconds)| StageTime { stage, seconds })
                .collect(),
            memory_bytes: wasm_memory_bytes(),
        };
        let meta = &published.meta;
        let set = ReportSet {
            reference_date: (meta.reference_date.year > 1970)
                .then(|| german_date(meta.reference_date)),
            protection: settings.describe(),
            sources: reports::file_lines(&self.dataset),
            rules: meta.rules.clone(),
            tables: published.tables.iter().map(table_view).collect(),
            graphics: graphics(&published, &self.dataset),
            quality,
            run,
        };
        self.published = Some(published);
        Response::Reports(set)
    }

    /// Builds a download from the last protected report set.
    fn download(&self, what: &DownloadRequest) -> Result<Download, String> {
        let published = self.published.as_ref().ok_or_else(|| {
            "Es liegen noch keine Berichte vor. Laden Sie Daten; die Berichte werden danach \
             automatisch erstellt."
                .to_string()
        })?;
        let stamp = published.meta.reference_date.to_string();
        let find = |key: &str| -> Result<&ProtectedTable, String> {
            published
                .tables
                .iter()
                .chain(self.crosstab.as_ref())
                .find(|t| t.key() == key)
                .ok_or_else(|| {
                    format!(
                        "Die Tabelle „{key}“ gibt es im aktuellen Bericht nicht. Laden Sie die \
                         Seite „Herunterladen“ neu."
                    )
                })
        };
        let xlsx_error =
            |e: lagebild_core::export::ExportError| format!("{e} Versuchen Sie es erneut.");
        match what {
            DownloadRequest::Workbook => Ok(Download {
                file_name: format!("lagebild_bericht_{stamp}.xlsx"),
                mime: XLSX_MIME.into(),
                bytes: xlsx::workbook(&published.tables, &published.meta).map_err(xlsx_error)?,
            }),
            DownloadRequest::TableXlsx(key) => {
                let table = find(key)?;
                Ok(Download {
                    file_name: format!("lagebild_{key}_{stamp}.xlsx"),
                    mime: XLSX_MIME.into(),
                    bytes: xlsx::workbook(std::slice::from_ref(table), &published.meta)
                        .map_err(xlsx_error)?,
                })
            }
            DownloadRequest::TableCsv(key) => {
                let table = find(key)?;
                Ok(Download {
                    file_name: format!("lagebild_{key}_{stamp}.csv"),
                    mime: "text/csv;charset=utf-8".into(),
                    bytes: csv::table(table, &published.meta),
                })
            }
        }
    }
}

/// The display view of a protected table: the same layout as the exports.
pub fn table_view(table: &ProtectedTable) -> TableView {
    let n_row_axes = table.row_axes().len();
    let n_col_axes = table.column_axes().len();
    let label_cols = n_row_axes.max(1);
    let header_rows = n_col_axes.max(1);
    let mut header = Vec::with_capacity(header_rows);
    for h in 0..header_rows {
        let mut line = vec![String::new(); label_cols];
        if h + 1 == header_rows {
            for (slot, axis) in line.iter_mut().zip(table.row_axes()) {
                *slot = axis.label().to_owned();
            }
        }
        for c in 0..table.n_cols() {
            line.push(if n_col_axes == 0 {
                table.value_kind().label().to_owned()
            } else {
                table
                    .column_positions(c)
                    .get(h)
                    .map(|p| p.label.clone())
                    .unwrap_or_default()
            });
        }
        for d in table.derived_columns() {
            line.push(if h + 1 == header_rows {
                d.label.clone()
            } else {
                String::new()
            });
        }
        header.push(line);
    }
    let rows = (0..table.n_rows())
        .map(|r| {
            let positions = table.row_positions(r);
            let labels = if n_row_axes == 0 {
                vec![(table.value_kind().label().to_owned(), 0)]
            } else {
                positions
                    .iter()
                    .map(|p| (p.label.clone(), p.depth))
                    .collect()
            };
            let mut values: Vec<String> = (0..table.n_cols())
                .map(|c| table.cell(r, c).to_german(0))
                .collect();
            for (k, d) in table.derived_columns().iter().enumerate() {
                values.push(table.derived(r, k).to_german(d.decimals));
            }
            RowView {
                labels,
                values,
                margin: positions.iter().any(|p| p.is_margin()),
            }
        })
        .collect();
    let report = table.report();
    TableView {
        key: table.key().to_owned(),
        title: table.title().to_owned(),
        label_cols,
        header,
        rows,
        notes: table.notes().to_vec(),
        protection: report.text(),
        all_suppressed: report.all_suppressed,
        protected: true,
    }
}

/// Exact quality figures of a run (counts only, nothing personal).
pub fn quality_view(report: &StandardReport) -> QualityView {
    let q = &report.quality;
    let mut lines = Vec::new();
    let line = |label: &str, value: String| QualityLine {
        label: label.to_owned(),
        value,
    };
    for (label, snapshot) in [
        ("Meldewesen-Bestand", &q.meldewesen),
        ("Ausländerwesen-Bestand", &q.alw),
    ] {
        let value = match snapshot {
            Some((file, Some(date))) => format!("{file} (Stichtag {})", german_date(*date)),
            Some((file, None)) => format!("{file} (ohne Stichtag)"),
            None => "nicht geladen".to_owned(),
        };
        lines.push(line(label, value));
    }
    for (label, located) in [
        ("Meldewesen", &q.located_residents),
        ("Ausländerwesen", &q.located_foreigners),
    ] {
        let total = located.matched + located.unmatched_total();
        if total == 0 {
            continue;
        }
        lines.push(line(
            &format!("{label}: Adressen zugeordnet"),
            format!(
                "{} von {} ({} %)",
                format::count(located.matched),
                format::count(total),
                format::decimal(located.match_rate() * 100.0, 2)
            ),
        ));
        let mut by_reason = std::collections::BTreeMap::<&str, u64>::new();
        for ((_, miss), n) in &located.unmatched {
            *by_reason.entry(miss.label()).or_default() += n;
        }
        for (reason, n) in by_reason {
            lines.push(line(
                &format!("{label}: nicht zugeordnet – {reason}"),
                format::count(n),
            ));
        }
    }
    lines.push(line(
        "Ausländerwesen: nicht klassifiziert",
        format::count(q.unclassified),
    ));
    lines.push(line(
        "Ausländerwesen: doppelte Zeilen entfernt",
        format::count(q.alw_duplicates),
    ));
    lines.push(line(
        "Meldewesen: doppelte Zeilen entfernt",
        format::count(q.ewo_duplicates),
    ));
    QualityView {
        lines,
        notes: q
            .notes
            .iter()
            .chain(&q.gliederung_problems)
            .cloned()
            .collect(),
        review: q.review.iter().map(review_view).collect(),
    }
}

/// A row location as the analyst looks it up: „Datei, Blatt X, Zeile N“.
fn row_ref(r: &RowRef) -> String {
    match &r.sheet {
        Some(sheet) => format!("{}, Blatt {sheet}, Zeile {}", r.file, r.row),
        None => format!("{}, Zeile {}", r.file, r.row),
    }
}

/// The review pairs of one pair of registers, German formatted (no personal values).
fn review_view(list: &ReviewList) -> ReviewListView {
    let shown_band = list
        .pairs
        .iter()
        .filter(|p| p.kind == reports::linked::ReviewKind::Band)
        .count();
    let above = list.pairs.len() - shown_band;
    ReviewListView {
        label: list.pair.label().to_owned(),
        summary: format!(
            "{} Paare im Prüfband, davon {} gezeigt; dazu {} knapp verknüpfte Paare (niedrigstes Gewicht zuerst).",
            format::count(list.band_total as u64),
            format::count(shown_band as u64),
            format::count(above as u64)
        ),
        pairs: list
            .pairs
            .iter()
            .map(|p| ReviewPairView {
                a: row_ref(&p.a),
                b: row_ref(&p.b),
                kind: p.kind.label().to_owned(),
                weight: format::decimal(p.weight, 2),
                probability: format::decimal(p.probability * 100.0, 1),
                prior: format::decimal(p.prior, 2),
                swapped: p.swapped,
                comparisons: p
                    .comparisons
                    .iter()
                    .map(|c| ReviewComparisonView {
                        comparison: c.comparison.clone(),
                        level: c.level.clone(),
                        weight: if c.term_frequency {
                            format!("{} (nach Namenshäufigkeit)", format::decimal(c.weight, 2))
                        } else {
                            format::decimal(c.weight, 2)
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Line charts of the monthly tables and maps of the area tables (where a map of the level is
/// loaded), drawn from the protected values.
fn graphics(published: &Published, dataset: &Dataset) -> Vec<Graphic> {
    let maps: Vec<_> = dataset
        .files
        .iter()
        .filter_map(|f| match &f.records {
            Records::Karte(map) => Some(map),
            _ => None,
        })
        .collect();
    svg::report_figures(published, &maps)
        .into_iter()
        .filter_map(|(file_name, svg)| {
            let stem = file_name.strip_suffix(".svg")?;
            let (key, kind) = match stem.strip_suffix("_karte") {
                Some(key) => (key, "Karte"),
                None => (stem, "Diagramm"),
            };
            let table = published.tables.iter().find(|t| t.key() == key)?;
            Some(Graphic {
                key: key.to_owned(),
                title: format!("{} ({kind})", table.title()),
                file_name,
                svg,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, path: &str) -> InputFile {
        InputFile {
            name: name.into(),
            path: path.into(),
            content: FileContent::Bytes(Vec::new()),
        }
    }

    #[test]
    fn schild_files_take_school_number_and_form_from_their_folder_like_the_cli() {
        let o = options_of(&file(
            "SchuelerBasisdaten.dat",
            "exports/schild/180927_Gymnasium_Markstrasse/SchuelerBasisdaten.dat",
        ));
        assert_eq!(o.school_number.as_deref(), Some("180927"));
        assert_eq!(o.school_form.as_deref(), Some("GY"));
        let o = options_of(&file("184549_Realschule_Buer.dat", ""));
        assert_eq!(o.school_number.as_deref(), Some("184549"));
        assert_eq!(o.school_form.as_deref(), Some("R"));
        assert_eq!(
            options_of(&file("EWO_Bestand_20261031.csv", "")),
            ImportOptions::default()
        );
    }

    #[test]
    fn german_dates() {
        assert_eq!(
            german_date(Date {
                year: 2026,
                month: 3,
                day: 1
            }),
            "01.03.2026"
        );
    }
}
