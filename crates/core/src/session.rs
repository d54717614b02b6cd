//! One analyst's session, the one pipeline both front ends drive: files come in (read ->
//! import), the standard report set is computed (locate -> classify -> link -> tabulate ->
//! protect) and views and downloads go out (export). The browser's worker and the command line
//! only adapt it: they read files and turn views into messages or printed lines.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::classify::pks::PksMapping;
use crate::classify::rules::Rules;
use crate::export::svg;
use crate::export::{ExportError, csv, xlsx};
use crate::import::need::need;
use crate::import::{
    Asked, Dataset, FieldCatalog, ImportOptions, Importer, Limits, MappingSet, MemoryEstimate,
    SourceKind, WASM_BUDGET_BYTES, estimate_sample,
};
use crate::protect::{ProtectedTable, ProtectionSettings, Release};
use crate::records::{Date, YearMonth};
use crate::reports::crosstab::{CrosstabBase, CrosstabRequest, CrosstabSource, FilterChoice};
use crate::reports::{self, Published, ReportConfig, Stage, StageTimes};
use crate::schulform::school_from_name;
use crate::view::{
    Download, DownloadRequest, Figure, FileId, FileSummary, QualityView, ReportSet, RunView,
    TableView, UnusedFile,
};

/// What the protection left of one table: whether it is blanked, how many counts it
/// publishes and how many merges its design has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableOutcome {
    /// The table's key.
    pub key: String,
    /// True if every value is suppressed.
    pub all_suppressed: bool,
    /// Number of published counts (not zeros, not symbols).
    pub published_values: usize,
    /// Number of merges of its design.
    pub merges: usize,
}

impl TableOutcome {
    /// The outcome of a protected table.
    pub fn of(table: &ProtectedTable) -> TableOutcome {
        TableOutcome {
            key: table.key().to_owned(),
            all_suppressed: table.report().all_suppressed,
            published_values: table.published_values(),
            merges: table.report().recoded.len(),
        }
    }
}

/// Title of the report set, in the app and on the command line alike.
pub const REPORT_TITLE: &str = "Lagebild – Standardbericht";

/// MIME type of XLSX workbooks.
const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file offered to the session: its name, where it lies, its size, what is known about it
/// and its content, read when its turn comes (see [`Content`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming<C> {
    /// File name.
    pub name: String,
    /// Path (below a chosen folder in the browser, as given on the command line); empty for
    /// a single dropped file.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Import options (source, school, Stichtag, month).
    pub options: ImportOptions,
    /// Where the bytes come from.
    pub content: C,
}

impl<C: Content> Incoming<C> {
    /// A file whose source the import detects from its columns (a file dropped into the app):
    /// the school number and Schulform of a SchILD file from its folder's name, else its own
    /// name (other sources ignore them).
    pub fn detected(name: &str, path: &str, content: C) -> Incoming<C> {
        let mut parts = path.rsplit(['/', '\\']);
        let own = parts.next().filter(|p| !p.is_empty()).unwrap_or(name);
        let folder = parts.next().unwrap_or_default();
        let stem = own.rsplit_once('.').map_or(own, |(stem, _)| stem);
        let stem = if stem.is_empty() { name } else { stem };
        let (number, form) = school_from_name(folder);
        let (own_number, own_form) = school_from_name(stem);
        Incoming {
            name: name.to_owned(),
            path: path.to_owned(),
            size: content.size(),
            content,
            options: ImportOptions {
                school_number: number.or(own_number),
                school_form: form.or(own_form),
                ..ImportOptions::default()
            },
        }
    }

    /// A file whose source the user named (`lagebild report --alw …`); school number and
    /// Schulform as for [`Incoming::detected`], only for SchILD.
    pub fn given(name: &str, path: &str, content: C, source: SourceKind) -> Incoming<C> {
        let mut file = Incoming::detected(name, path, content);
        if source != SourceKind::Schild {
            file.options.school_number = None;
            file.options.school_form = None;
        }
        file.options.source = Some(source);
        file
    }

    /// Stands in `stichtag` and `month` where the file's name gives no single Stichtag or
    /// month (the command line's `--stichtag` and `--monat`).
    pub fn with_fallback_dates(mut self, stichtag: Option<Date>, month: Option<YearMonth>) -> Self {
        use crate::import::values::{month_in_name, stichtag_in_name};
        self.options.reference_date =
            stichtag.filter(|_| stichtag_in_name(&self.name).one().is_none());
        self.options.report_month = month.filter(|_| month_in_name(&self.name).one().is_none());
        self
    }

    /// The order files are imported in: by path (by name for single files), so the same
    /// files give the same report however the browser or the shell hands them over.
    fn sort_key(&self) -> &str {
        if self.path.is_empty() {
            &self.name
        } else {
            &self.path
        }
    }
}

/// The content of an offered file: bytes in memory, a browser file handle, a path. Read when
/// the file's turn comes, so only one file's bytes are held at a time.
pub trait Content {
    /// Size in bytes.
    fn size(&self) -> u64;
    /// What the memory estimate reads: the first [`crate::import::SAMPLE_BYTES`] bytes, or
    /// the whole of a spreadsheet (see [`crate::import::needs_whole_file`]).
    fn sample(&self) -> Result<Cow<'_, [u8]>, String>;
    /// The whole file, or a German reason why it cannot be read (with what to do).
    fn read(&self) -> Result<Cow<'_, [u8]>, String>;
}

impl Content for Vec<u8> {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn sample(&self) -> Result<Cow<'_, [u8]>, String> {
        Ok(Cow::Borrowed(self))
    }

    fn read(&self) -> Result<Cow<'_, [u8]>, String> {
        Ok(Cow::Borrowed(self))
    }
}

/// Receives progress: the stage, steps done and in total, and what is worked on (a file name).
pub type Progress<'a> = dyn FnMut(Stage, u32, u32, &str) + 'a;

/// The city's own classification rules and PKS mapping as TOML texts (`None`: shipped).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassificationTexts {
    /// Klassifikationsregeln (format of `rules.toml`, as `lagebild report --rules`).
    pub rules: Option<String>,
    /// PKS-Zuordnung (format of `pks_example.toml`, as `lagebild report --pks`).
    pub pks: Option<String>,
    /// Tabellendefinitionen (format of `standard_tables.toml`, as `lagebild report
    /// --tabellen`).
    #[serde(default)]
    pub tables: Option<String>,
    /// The office's mapping of unreadable Erteilungsgrund values to citations (as
    /// `lagebild report --werte`).
    #[serde(default)]
    pub values: Vec<crate::classify::values::ValueMapping>,
    /// Switches of the rules set in the app (name -> on), over the rules file's own.
    #[serde(default)]
    pub switches: std::collections::BTreeMap<String, bool>,
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

/// A file of the session.
#[derive(Clone, Debug)]
struct Entry<C> {
    /// Name, path, size and the options of its last import.
    incoming: Incoming<()>,
    /// The content, kept only while the analyst is asked something about the file (so it
    /// can be imported again).
    content: Option<C>,
    /// Index of its current import in the dataset; `None` if it was refused unread.
    imported: Option<usize>,
    /// True while the analyst is asked a mapping or a date for it.
    awaiting: bool,
}

/// Everything one analyst has loaded and computed; see the module documentation. `C` is how
/// the front end hands over file contents.
pub struct Session<C> {
    importer: Importer,
    dataset: Dataset,
    entries: Vec<Entry<C>>,
    config: ReportConfig,
    published: Option<Published>,
    crosstab: Option<ProtectedTable>,
    /// Every Kreuztabelle made since the last run (one per title, the latest), protected with
    /// the release: added to the workbook.
    crosstabs: Vec<ProtectedTable>,
    crosstab_bases: Vec<CrosstabBase>,
    /// What is released before a report set is (Kreuztabellen only).
    release: Release,
    times: StageTimes,
    clock: fn() -> f64,
    memory_budget: Option<u64>,
}

impl<C: Content> Default for Session<C> {
    fn default() -> Self {
        Session::new(|| 0.0)
    }
}

impl<C: Content> Session<C> {
    /// An empty session that times its stages with `clock` (seconds on any monotonic clock;
    /// the browser and the command line each have their own).
    pub fn new(clock: fn() -> f64) -> Session<C> {
        Session {
            importer: Importer::default(),
            dataset: Dataset::default(),
            entries: Vec::new(),
            config: ReportConfig::default(),
            published: None,
            crosstab: None,
            crosstabs: Vec::new(),
            crosstab_bases: Vec::new(),
            release: Release::default(),
            times: StageTimes::default(),
            clock,
            memory_budget: None,
        }
    }

    /// Checks every batch against the browser's memory (see [`WASM_BUDGET_BYTES`]) before
    /// any file of it is read.
    pub fn in_browser(mut self) -> Session<C> {
        self.memory_budget = Some(WASM_BUDGET_BYTES);
        self
    }

    /// Uses these saved column mappings for every import from now on.
    pub fn set_mappings(&mut self, mappings: MappingSet) {
        self.importer = Importer::new(
            FieldCatalog::default_catalog(),
            mappings,
            crate::import::values::NationalityTable::default_table(),
            Limits::default(),
        );
        self.importer
            .set_series_columns(self.config.pks.columns().clone());
    }

    /// Uses the city's own rules, PKS mapping and table definitions (`None`: the shipped
    /// ones) for every report from now on, and the series' columns of the PKS file for every
    /// Datentabelle imported from now on; on a German refusal the session keeps what it had.
    pub fn set_classification(&mut self, texts: &ClassificationTexts) -> Result<(), String> {
        let mut config = ReportConfig::default();
        if let Some(text) = &texts.rules {
            config.rules = Rules::from_toml(text).map_err(|e| {
                format!(
                    "Die Klassifikationsregeln lassen sich nicht verwenden: {e}. Es gelten weiter \
                     die bisherigen Regeln. Prüfen Sie die Datei (Aufbau wie die mitgelieferte \
                     rules.toml)."
                )
            })?;
        }
        for (name, on) in &texts.switches {
            if config.rules.switch(name).is_none() {
                return Err(format!(
                    "Den Schalter „{name}“ kennen die Klassifikationsregeln nicht. Es gelten \
                     weiter die bisherigen Regeln."
                ));
            }
            config.rules.set_switch(name, *on);
        }
        if !texts.values.is_empty() {
            let values =
                crate::classify::values::ValueMappings::new(&texts.values).map_err(|e| {
                    format!(
                        "Die Zuordnung der Erteilungsgründe lässt sich nicht verwenden: {e}. Es \
                         gilt weiter die bisherige Zuordnung."
                    )
                })?;
            config.rules = config.rules.with_values(values);
        }
        if let Some(text) = &texts.pks {
            config.pks = PksMapping::from_toml(text).map_err(|e| {
                format!(
                    "Die PKS-Zuordnung lässt sich nicht verwenden: {e}. Es gilt weiter die \
                     bisherige Zuordnung. Prüfen Sie die Datei (Aufbau wie die mitgelieferte \
                     pks_example.toml)."
                )
            })?;
        }
        if let Some(text) = &texts.tables {
            config.tables = reports::standard_table_defs(text).map_err(|e| {
                format!(
                    "Die Tabellendefinitionen lassen sich nicht verwenden: {e} Es gelten weiter \
                     die bisherigen Tabellen. Prüfen Sie die Datei (Aufbau wie die mitgelieferte \
                     standard_tables.toml)."
                )
            })?;
        }
        config.designs = std::mem::take(&mut self.config.designs);
        config.publisher = std::mem::take(&mut self.config.publisher);
        self.config = config;
        // The office's Datentabelle is read with the series' columns the PKS file declares.
        self.importer
            .set_series_columns(self.config.pks.columns().clone());
        self.forget_results();
        Ok(())
    }

    /// Names `publisher` in every download from now on (also of the report set already
    /// protected: the publisher changes no number).
    pub fn set_publisher(&mut self, publisher: crate::export::Publisher) {
        if let Some(published) = self.published.as_mut() {
            published.meta.publisher = publisher.clone();
        }
        self.config.publisher = publisher;
    }

    /// The tables, rules and PKS mapping in force.
    pub fn config(&self) -> &ReportConfig {
        &self.config
    }

    /// Everything imported so far.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Imports `files` (added to what is loaded), in path order, reading each when its turn
    /// comes; returns one summary per file in that order. In the browser the batch is first
    /// checked against the memory (refused as a whole with advice), and a file the import's
    /// limits refuse anyway is not read at all.
    pub fn import(
        &mut self,
        mut files: Vec<Incoming<C>>,
        progress: &mut Progress<'_>,
    ) -> Vec<FileSummary> {
        self.forget_results();
        files.sort_by(|a, b| a.sort_key().cmp(b.sort_key()));
        let mut refused: Vec<Option<String>> = vec![None; files.len()];
        if let Some(budget) = self.memory_budget {
            let estimates: Vec<_> = files
                .iter()
                .map(|f| {
                    let sample = f.content.sample().unwrap_or_default();
                    estimate_sample(&f.name, f.size, &sample)
                })
                .collect();
            refused = estimates.iter().map(|e| e.refused.clone()).collect();
            if let Err(refusal) = MemoryEstimate::of(estimates).within(budget) {
                let message = refusal.to_string();
                return files
                    .into_iter()
                    .map(|f| self.add(f, Some(message.clone())))
                    .collect();
            }
        }
        let total = files.len() as u32;
        self.times = StageTimes::default();
        let mut summaries = Vec::with_capacity(files.len());
        for (step, (file, refused)) in files.into_iter().zip(refused).enumerate() {
            self.times
                .record(Stage::Read, step as u32, total, (self.clock)());
            progress(Stage::Read, step as u32, total, &file.name);
            summaries.push(self.add(file, refused));
        }
        self.times.record(Stage::Read, total, total, (self.clock)());
        progress(Stage::Read, total, total, "");
        summaries
    }

    /// Gives `file` its identity; with a German reason it is refused unread, else imported.
    fn add(&mut self, file: Incoming<C>, refusal: Option<String>) -> FileSummary {
        let id = FileId(self.entries.len() as u32);
        let Incoming {
            name,
            path,
            size,
            options,
            content,
        } = file;
        let refused = refusal.map(|reason| FileSummary {
            folder: folder_of(&path),
            ..FileSummary::unimported(id, &name, size, reason)
        });
        self.entries.push(Entry {
            incoming: Incoming {
                name,
                path,
                size,
                options,
                content: (),
            },
            content: refused.is_none().then_some(content),
            imported: None,
            awaiting: false,
        });
        refused.unwrap_or_else(|| self.import_entry(id))
    }

    /// Imports (again) the file `id` with its current options: an earlier import of the same
    /// file is withdrawn, every other file is kept. The summary names the file's folder.
    fn import_entry(&mut self, id: FileId) -> FileSummary {
        let folder = folder_of(&self.entries[id.0 as usize].incoming.path);
        FileSummary {
            folder,
            ..self.read_entry(id)
        }
    }

    /// Reads and imports the file `id` (see [`Session::import_entry`]).
    fn read_entry(&mut self, id: FileId) -> FileSummary {
        let entry = &mut self.entries[id.0 as usize];
        let name = entry.incoming.name.clone();
        let size = entry.incoming.size;
        let options = entry.incoming.options.clone();
        let earlier = entry.imported.take();
        let Some(content) = entry.content.take() else {
            return FileSummary::unimported(
                id,
                &name,
                size,
                format!("Die Datei „{name}“ liegt nicht mehr vor. Wählen Sie sie erneut aus."),
            );
        };
        if let Some(earlier) = earlier {
            self.dataset.withdraw_file(earlier);
        }
        let summary = match content.read() {
            Err(reason) => FileSummary::unimported(id, &name, size, reason),
            Ok(bytes) => {
                let file = self
                    .importer
                    .import(&mut self.dataset, &name, &bytes, &options);
                let mapping = need(&file.report, &bytes, &self.importer);
                let summary = FileSummary::of(id, bytes.len() as u64, &file.report, mapping);
                self.entries[id.0 as usize].imported = Some(self.dataset.files.len() - 1);
                summary
            }
        };
        let entry = &mut self.entries[id.0 as usize];
        entry.awaiting = summary.awaits_answer();
        if entry.awaiting {
            entry.content = Some(content);
        }
        summary
    }

    /// The files the analyst is asked a mapping or a date for, in import order.
    pub fn awaiting(&self) -> Vec<FileId> {
        (0..self.entries.len() as u32)
            .map(FileId)
            .filter(|id| self.entries[id.0 as usize].awaiting)
            .collect()
    }

    /// Imports again, with the mappings in force, every file that awaits an answer; the file
    /// `chosen` as the source the analyst chose. Every other file is kept as it is.
    pub fn retry(&mut self, chosen: Option<(FileId, SourceKind)>) -> Vec<FileSummary> {
        self.forget_results();
        let awaiting = self.awaiting();
        let mut summaries = Vec::with_capacity(awaiting.len());
        for id in awaiting {
            if let Some((_, source)) = chosen.filter(|(c, _)| *c == id) {
                self.entries[id.0 as usize].incoming.options.source = Some(source);
            }
            summaries.push(self.import_entry(id));
        }
        summaries
    }

    /// Imports the file `id` again with the Stichtag or month the analyst gave; `None` if the
    /// file is not asked anything.
    pub fn answer_date(&mut self, id: FileId, answer: DateAnswer) -> Option<FileSummary> {
        let entry = self.entries.get_mut(id.0 as usize).filter(|e| e.awaiting)?;
        match answer {
            DateAnswer::Stichtag(date) => entry.incoming.options.reference_date = Some(date),
            DateAnswer::ReportMonth(month) => entry.incoming.options.report_month = Some(month),
        }
        self.forget_results();
        Some(self.import_entry(id))
    }

    /// Drops the file `id` from the session: its records are withdrawn, it is asked nothing
    /// more, and the results of earlier runs are forgotten; every other file is kept. False if
    /// nothing of it was held (no such file, refused unread, or removed already).
    pub fn remove(&mut self, id: FileId) -> bool {
        let Some(entry) = self.entries.get_mut(id.0 as usize) else {
            return false;
        };
        let held = entry.imported.is_some() || entry.content.is_some() || entry.awaiting;
        if let Some(index) = entry.imported.take() {
            self.dataset.withdraw_file(index);
        }
        entry.content = None;
        entry.awaiting = false;
        self.forget_results();
        held
    }

    /// Shows the table of `key` in the design `choice` from the next run on (one of the
    /// planner's alternatives, or the original design).
    pub fn choose_design(&mut self, key: &str, choice: crate::protect::DesignChoice) {
        if choice == crate::protect::DesignChoice::default() {
            self.config.designs.remove(key);
        } else {
            self.config.designs.insert(key.to_owned(), choice);
        }
    }

    /// Computes, protects and describes the standard report set of everything loaded with
    /// `settings`; keeps the protected tables for downloads. Fails with a German sentence if
    /// nothing is loaded or a table cannot be counted.
    pub fn run(
        &mut self,
        settings: &ProtectionSettings,
        progress: &mut Progress<'_>,
    ) -> Result<ReportSet, String> {
        if self.dataset.files.iter().all(|f| f.records.is_empty()) {
            return Err(
                "Es sind keine auswertbaren Daten geladen. Laden Sie zuerst Exporte oder die \
                 Demodaten."
                    .into(),
            );
        }
        let clock = self.clock;
        // The read time of the last import, then this run's stages.
        let mut times = self.times.read_only();
        let mut on_stage = |stage: Stage, done: u32, total: u32| {
            times.record(stage, done, total, clock());
            progress(stage, done, total, "");
        };
        let report =
            reports::standard_report_with_progress(&self.dataset, &self.config, &mut on_stage)
                .map_err(|e| {
                    format!(
                        "Die Tabellen konnten nicht berechnet werden: {e}. Prüfen Sie die \
                         Tabellendefinitionen oder laden Sie die Exporte erneut."
                    )
                })?;
        let quality = QualityView::of(&report, &self.config);
        let switches = crate::view::SwitchView::list(
            &self.config.rules,
            &report.quality.switch_effects,
            settings.threshold,
        );
        let published = reports::publish_with_progress(
            report,
            &self.config,
            settings,
            REPORT_TITLE,
            &mut on_stage,
        );
        self.times = times;
        // Kreuztabellen made before were protected with the previous release, not this one.
        self.crosstab = None;
        self.crosstabs.clear();
        let set = ReportSet {
            reference_date: published.meta.reference_date.map(Date::to_german),
            protection: settings.describe(),
            sources: reports::file_lines(&self.dataset),
            rules: published.meta.rules.clone(),
            tables: published.tables.iter().map(TableView::of).collect(),
            graphics: figures(&published, &self.dataset),
            quality,
            run: RunView::of(&self.times),
            unused: self.unused_files(),
            switches,
        };
        self.published = Some(published);
        Ok(set)
    }

    /// The loaded files no report uses, with the reason.
    pub fn unused_files(&self) -> Vec<UnusedFile> {
        reports::usage::unused_files(&self.dataset)
            .into_iter()
            .filter_map(|u| {
                let id = self
                    .entries
                    .iter()
                    .position(|e| e.imported == Some(u.file))?;
                Some(UnusedFile {
                    id: FileId(id as u32),
                    reason: u.reason,
                })
            })
            .collect()
    }

    /// The protected report set of the last run.
    pub fn published(&self) -> Option<&Published> {
        self.published.as_ref()
    }

    /// Wall time per stage of the last import and run.
    pub fn times(&self) -> &StageTimes {
        &self.times
    }

    /// Per standard table of the last run, what its protection left to publish (for timings
    /// files and benchmarks: no values).
    pub fn outcomes(&self) -> Vec<TableOutcome> {
        self.published
            .as_ref()
            .map(|p| p.tables.iter().map(TableOutcome::of).collect())
            .unwrap_or_default()
    }

    /// Charts and maps of the last run, drawn from its protected values.
    pub fn figures(&self) -> Vec<Figure> {
        self.published
            .as_ref()
            .map(|p| figures(p, &self.dataset))
            .unwrap_or_default()
    }

    /// The records of `source` counted for Kreuztabellen: once per source until the data or
    /// the rules change.
    fn crosstab_base(&mut self, source: CrosstabSource) -> Result<&CrosstabBase, String> {
        let at = match self
            .crosstab_bases
            .iter()
            .position(|b| b.source() == source)
        {
            Some(at) => at,
            None => {
                let base = CrosstabBase::compute(&self.dataset, &self.config, source)
                    .map_err(|e| e.to_string())?;
                self.crosstab_bases.push(base);
                self.crosstab_bases.len() - 1
            }
        };
        Ok(&self.crosstab_bases[at])
    }

    /// Forgets every result computed from the data or the rules (after an import, a change of
    /// rules, a reset).
    fn forget_results(&mut self) {
        self.published = None;
        self.crosstab = None;
        self.crosstabs.clear();
        self.crosstab_bases.clear();
        self.release = Release::default();
    }

    /// Counts and protects the Kreuztabelle of `request` with `settings` as part of the
    /// release: with the recoding of the tables released so far, and suppressed if together
    /// with them it would let a reader compute a value of 1 or 2. Keeps it for its download.
    pub fn crosstab(
        &mut self,
        request: &CrosstabRequest,
        settings: &ProtectionSettings,
    ) -> Result<TableView, String> {
        let base = self.crosstab_base(request.source)?;
        let origin = base.origin(request).map_err(|e| e.to_string())?;
        let mut table = base.crosstab(request).map_err(|e| e.to_string())?;
        // As in the standard set: divers and ohne Angabe assigned where they cannot be shown.
        if reports::shows_assigned_sex(&table, settings)
            && let Some(assigned) = request.with_assigned_sex()
            && let Ok(counted) = base.crosstab(&assigned)
        {
            table = counted.with_note(reports::SEX_ASSIGNED_NOTE);
        }
        let universe = base.universe();
        let release = match self.published.as_mut() {
            Some(published) => &mut published.release,
            None => &mut self.release,
        };
        if !release.has_universe(&origin.universe) {
            release.add_universe(universe);
        }
        // The release checks a table only against the records it was counted from (the
        // series' month from the office's table has no persons to count from).
        if !release.traces(&table, &origin) {
            return Err(
                "Diese Kreuztabelle lässt sich nicht gegen die veröffentlichten Tabellen prüfen: \
                 ihr Monat steht in der Monatsreihe mit den Zahlen der Datentabelle des Amtes, \
                 nicht mit denen der AKDN-Exporte. Laden Sie den AKDN-Export eines späteren \
                 Monats oder wählen Sie eine andere Quelle."
                    .into(),
            );
        }
        let domains = vec![origin.universe.clone()];
        release.choose(table.key(), request.design);
        let table = release.protect_one(
            crate::protect::Offered {
                table,
                origin: Some(origin),
                domains,
            },
            settings,
        );
        let view = TableView::of(&table);
        self.crosstabs.retain(|t| t.title() != table.title());
        self.crosstabs.push(table.clone());
        self.crosstab = Some(table);
        Ok(view)
    }

    /// The filters the loaded data offer for a Kreuztabelle of `source` (none without its
    /// data).
    pub fn crosstab_choices(&mut self, source: CrosstabSource) -> Vec<FilterChoice> {
        self.crosstab_base(source)
            .map(CrosstabBase::choices)
            .unwrap_or_default()
    }

    /// Builds a download from the last protected report set (the workbook with the
    /// Kreuztabellen made since; a single table, also the last Kreuztabelle), or the template
    /// of the PKS mapping.
    pub fn download(&self, what: &DownloadRequest) -> Result<Download, String> {
        if *what == DownloadRequest::PksTemplate {
            return self.pks_template();
        }
        let published = self.published.as_ref().ok_or_else(|| {
            "Es liegen noch keine Berichte vor. Laden Sie Daten; die Berichte werden danach \
             automatisch erstellt."
                .to_string()
        })?;
        let stamp = published.meta.reference_stamp();
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
        let xlsx_error = |e: ExportError| format!("{e} Versuchen Sie es erneut.");
        match what {
            DownloadRequest::Workbook => {
                // The standard set and every Kreuztabelle released with it.
                let mut tables = published.tables.clone();
                tables.extend(self.crosstabs.iter().cloned());
                Ok(Download {
                    file_name: format!("lagebild_bericht_{stamp}.xlsx"),
                    mime: XLSX_MIME.into(),
                    bytes: xlsx::workbook(&tables, &published.meta).map_err(xlsx_error)?,
                })
            }
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
            DownloadRequest::PksTemplate => self.pks_template(),
        }
    }

    /// The template of the city's PKS mapping with the codes of the loaded AKDN exports.
    fn pks_template(&self) -> Result<Download, String> {
        let values = crate::classify::Series::pks_values(&self.dataset);
        if values.is_empty() {
            return Err(
                "Es sind keine AKDN-Exporte geladen: Die Vorlage enthält die Schlüssel der \
                 geladenen Exporte."
                    .into(),
            );
        }
        Ok(Download {
            file_name: "pks_zuordnung_vorlage.toml".into(),
            mime: "application/toml;charset=utf-8".into(),
            bytes: crate::classify::pks::template(&self.config.pks, &values).into_bytes(),
        })
    }

    /// Drops every record, import and result; settings (mappings, rules) stay.
    pub fn reset(&mut self) {
        self.dataset = Dataset::default();
        self.entries.clear();
        self.forget_results();
    }
}

/// The folder a file lies in as the analyst chose it: the last folder of its path
/// (`184549_Gymnasium_Buer` for `schild/184549_Gymnasium_Buer/SchuelerBasisdaten.dat`), empty
/// for a single file.
fn folder_of(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .nth(1)
        .unwrap_or_default()
        .to_owned()
}

/// Line charts of the monthly tables and maps of the area tables (where a map of the level is
/// loaded), drawn from the protected values.
fn figures(published: &Published, dataset: &Dataset) -> Vec<Figure> {
    svg::report_figures(&published.tables, &dataset.maps(), &published.meta)
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

    #[test]
    fn the_folder_of_a_file_is_the_last_folder_of_its_path() {
        assert_eq!(
            folder_of("schild/184549_Gymnasium_Buer/SchuelerBasisdaten.dat"),
            "184549_Gymnasium_Buer"
        );
        assert_eq!(folder_of("C:\\exporte\\akdn\\AKDN_2017-11.csv"), "akdn");
        assert_eq!(folder_of(""), "");
        assert_eq!(folder_of("EWO_Bestand_20261031.csv"), "");
    }

    #[test]
    fn schild_files_take_school_number_and_form_from_their_folder() {
        let o = Incoming::detected(
            "SchuelerBasisdaten.dat",
            "exports/schild/180927_Gymnasium_Markstrasse/SchuelerBasisdaten.dat",
            Vec::new(),
        )
        .options;
        assert_eq!(o.school_number.as_deref(), Some("180927"));
        assert_eq!(o.school_form.as_deref(), Some("GY"));
        let o = Incoming::detected("184549_Realschule_Buer.dat", "", Vec::new()).options;
        assert_eq!(o.school_number.as_deref(), Some("184549"));
        assert_eq!(o.school_form.as_deref(), Some("R"));
        assert_eq!(
            Incoming::detected("EWO_Bestand_20261031.csv", "", Vec::new()).options,
            ImportOptions::default()
        );
        let given = Incoming::given(
            "SchuelerBasisdaten.dat",
            "/daten/184549_Realschule_Buer/SchuelerBasisdaten.dat",
            Vec::new(),
            SourceKind::Schild,
        );
        assert_eq!(given.options.school_number.as_deref(), Some("184549"));
        assert_eq!(given.options.source, Some(SourceKind::Schild));
        let alw = Incoming::given("184549_Realschule.csv", "", Vec::new(), SourceKind::Alw);
        assert_eq!(alw.options.school_number, None);
    }
}
