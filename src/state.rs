//! The state of the page and how the worker's answers change it.
//!
//! The reducer ([`apply`]) is plain Rust: it works on any [`Store`], the signals of
//! [`AppState`] in the page and the plain [`Model`] in the native tests, and returns what is
//! left to do outside the state ([`Effect`]: a request to the worker, a file to save, settings
//! to remember in the browser).

use leptos::prelude::*;

use lagebild_core::protect::ProtectionSettings;
use lagebild_core::reports::Stage;
use lagebild_core::reports::crosstab::{CrosstabSource, FilterChoice};

use crate::protocol::{Download, FileSummary, ReportSet, Request, Response, TableView};
use crate::settings::Settings;

/// Progress of the worker, for display.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// German name of the task or stage running now.
    pub stage: String,
    /// Steps done.
    pub done: u32,
    /// Steps in total.
    pub total: u32,
    /// Current file.
    pub current: String,
    /// One bar per pipeline stage of this run (empty for a single task such as demo data).
    pub stages: Vec<StageBar>,
}

/// The bar of one pipeline stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageBar {
    /// The stage.
    pub stage: Stage,
    /// Steps done.
    pub done: u32,
    /// Steps in total (0 while the stage waits).
    pub total: u32,
}

impl StageBar {
    /// "wartet", "läuft" or "fertig".
    pub fn state(&self) -> &'static str {
        if self.total == 0 {
            "wartet"
        } else if self.done >= self.total {
            "fertig"
        } else {
            "läuft"
        }
    }
}

impl Progress {
    /// A task without stages.
    pub fn task(stage: &str, total: u32) -> Progress {
        Progress {
            stage: stage.into(),
            done: 0,
            total,
            current: String::new(),
            stages: Vec::new(),
        }
    }

    /// Applies a progress message: a pipeline stage updates its bar; the bars of this run
    /// start at the first stage reported, and stages before the current one are complete.
    pub fn advance(
        &mut self,
        stage: String,
        step: Option<Stage>,
        done: u32,
        total: u32,
        current: String,
    ) {
        if let Some(step) = step {
            if self.stages.is_empty() {
                self.stages = Stage::ALL
                    .iter()
                    .filter(|s| **s >= step)
                    .map(|&stage| StageBar {
                        stage,
                        done: 0,
                        total: 0,
                    })
                    .collect();
            }
            for bar in &mut self.stages {
                if bar.stage < step {
                    bar.total = bar.total.max(1);
                    bar.done = bar.total;
                } else if bar.stage == step {
                    bar.done = done;
                    bar.total = total.max(1);
                    if total == 0 {
                        bar.done = 1;
                    }
                }
            }
        }
        self.stage = stage;
        self.done = done;
        self.total = total;
        self.current = current;
    }
}

/// A message to the user above the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// True for an error or an interruption, false for a hint.
    pub error: bool,
    /// German text: what happened and what to do next.
    pub text: String,
}

impl Notice {
    /// An error or an interruption.
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            error: true,
            text: text.into(),
        }
    }

    /// A hint.
    pub fn hint(text: impl Into<String>) -> Notice {
        Notice {
            error: false,
            text: text.into(),
        }
    }
}

/// What is left to do after the state changed: the reducer only changes the state, the client
/// does these.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send this request to the worker.
    Send(Request),
    /// Offer this finished download to the user.
    Save(Download),
    /// Remember these settings in the browser.
    Remember(Settings),
}

/// Where the state lives: what the reducer reads and changes. Changes go through these
/// methods only, so each one notifies just the views that show that part.
pub trait Store {
    /// Changes the worker's progress.
    fn update_progress(&mut self, f: impl FnOnce(&mut Option<Progress>));
    /// True while the progress shows the bars of a report run (one per stage).
    fn shows_stages(&self) -> bool;
    /// Changes the summaries of the imported files.
    fn update_summaries(&mut self, f: impl FnOnce(&mut Vec<FileSummary>));
    /// Sets the protected report set.
    fn set_reports(&mut self, reports: Option<ReportSet>);
    /// True if a report set was computed.
    fn has_reports(&self) -> bool;
    /// Sets the last Kreuztabelle.
    fn set_crosstab(&mut self, table: Option<TableView>);
    /// Sets the Kreuztabelle filters of one source.
    fn set_crosstab_choices(&mut self, choices: Option<(CrosstabSource, Vec<FilterChoice>)>);
    /// Sets the notice above the page.
    fn set_notice(&mut self, notice: Option<Notice>);
    /// Sets the settings in force.
    fn set_settings(&mut self, settings: Settings);
    /// The protection settings in force.
    fn protection(&self) -> ProtectionSettings;
    /// Keeps settings with new classification texts until the worker accepts them.
    fn set_candidate(&mut self, settings: Option<Settings>);
    /// Takes the settings waiting for the worker's acceptance.
    fn take_candidate(&mut self) -> Option<Settings>;

    /// Sets the worker's progress.
    fn set_progress(&mut self, progress: Option<Progress>) {
        self.update_progress(|p| *p = progress);
    }

    /// Shows `stage` as the current progress.
    fn busy(&mut self, stage: &str, total: u32) {
        self.set_progress(Some(Progress::task(stage, total)));
    }
}

/// Files that gave at least one record.
fn usable(files: &[FileSummary]) -> bool {
    files
        .iter()
        .any(|f| f.error.is_none() && f.rows_accepted > 0)
}

/// Changes the state as the worker's `response` says and returns what is left to do.
pub fn apply(store: &mut impl Store, response: Response) -> Vec<Effect> {
    match response {
        Response::Progress {
            stage,
            step,
            done,
            total,
            current,
        } => {
            store.update_progress(|p| {
                p.get_or_insert_with(|| Progress::task(&stage, total))
                    .advance(stage, step, done, total, current);
            });
            Vec::new()
        }
        Response::Imported(files) => {
            let usable = usable(&files);
            // One reason for every file (the memory estimate refused the selection): say it.
            let shared_error = files
                .first()
                .and_then(|f| f.error.clone())
                .filter(|e| files.len() > 1 && files.iter().all(|f| f.error.as_ref() == Some(e)));
            store.update_summaries(|all| all.extend(files));
            if usable {
                return vec![start_run(store)];
            }
            store.set_progress(None);
            let text = match shared_error {
                Some(reason) => format!("Die Dateien wurden nicht eingelesen. {reason}"),
                _ => "Aus diesen Dateien konnte nichts übernommen werden. Prüfen Sie den \
                      Einlesebericht der Dateien unten und wählen Sie, falls nötig, \
                      „Zuordnung prüfen“."
                    .into(),
            };
            store.set_notice(Some(Notice::error(text)));
            Vec::new()
        }
        Response::Reimported(files) => {
            let usable = usable(&files);
            store.update_summaries(|all| FileSummary::replace_in(all, files));
            if usable {
                return vec![start_run(store)];
            }
            store.set_progress(None);
            store.set_notice(Some(Notice::error(
                "Auch mit dieser Angabe konnte nichts übernommen werden. Prüfen Sie den \
                 Einlesebericht der Datei: die Zuordnung der Pflichtspalten, den Stichtag oder \
                 den Berichtsmonat.",
            )));
            Vec::new()
        }
        Response::Reports(set) => {
            store.set_progress(None);
            // A Kreuztabelle (and its filters) of the previous data would be stale.
            store.set_crosstab(None);
            store.set_crosstab_choices(None);
            store.set_reports(Some(set));
            Vec::new()
        }
        Response::Classification(result) => match (result, store.take_candidate()) {
            (Ok(()), Some(settings)) => {
                store.set_settings(settings.clone());
                store.set_notice(Some(Notice::hint(
                    "Klassifikation übernommen: Die Berichte verwenden ab jetzt diese Regeln und \
                     diese PKS-Zuordnung.",
                )));
                let mut effects = vec![Effect::Remember(settings)];
                if store.has_reports() {
                    effects.push(start_run(store));
                }
                effects
            }
            (Ok(()), None) => Vec::new(),
            (Err(text), _) => {
                store.set_notice(Some(Notice::error(text)));
                Vec::new()
            }
        },
        Response::CrosstabChoices(source, choices) => {
            store.set_crosstab_choices(Some((source, choices)));
            Vec::new()
        }
        Response::Crosstab(table) => {
            store.set_progress(None);
            store.set_crosstab(Some(table));
            Vec::new()
        }
        Response::Downloaded(download) => {
            store.set_progress(None);
            vec![Effect::Save(download)]
        }
        Response::Failed(text) => {
            store.set_progress(None);
            store.set_notice(Some(Notice::error(text)));
            Vec::new()
        }
        Response::Removed(file) => {
            let mut left = (false, false);
            store.update_summaries(|all| {
                all.retain(|f| f.id != file);
                left = (usable(all), all.is_empty());
            });
            match left {
                (true, _) => {
                    store.set_notice(Some(Notice::hint(
                        "Die Datei wurde aus der Sitzung entfernt. Die Berichte werden aus den \
                         übrigen Dateien neu erstellt.",
                    )));
                    return vec![start_run(store)];
                }
                (false, empty) => {
                    store.set_progress(None);
                    store.set_reports(None);
                    store.set_crosstab(None);
                    store.set_crosstab_choices(None);
                    store.set_notice(Some(Notice::hint(if empty {
                        "Die Datei wurde aus der Sitzung entfernt. Es sind keine Daten mehr \
                         geladen."
                    } else {
                        "Die Datei wurde aus der Sitzung entfernt. Aus den übrigen Dateien \
                         wurde nichts übernommen; es gibt daher keine Berichte."
                    })));
                }
            }
            Vec::new()
        }
        Response::ResetDone => {
            store.set_progress(None);
            Vec::new()
        }
    }
}

/// True while anything would be lost by leaving: a file is listed or reports are shown. Then
/// ending the session, cancelling and leaving the page ask first.
pub fn holds_data(summaries: &[FileSummary], has_reports: bool) -> bool {
    !summaries.is_empty() || has_reports
}

/// Starts a report run with the protection settings in force: after an import the bars of the
/// run go on; otherwise (new settings) they start here.
pub fn start_run(store: &mut impl Store) -> Effect {
    if !store.shows_stages() {
        store.busy("Berichte erstellen", 1);
    }
    Effect::Send(Request::Process(store.protection()))
}

/// Drops every file summary, report and Kreuztabelle and the progress (the settings stay).
pub fn clear(store: &mut impl Store) {
    store.set_progress(None);
    store.update_summaries(|all| *all = Vec::new());
    store.set_reports(None);
    store.set_crosstab(None);
    store.set_crosstab_choices(None);
}

/// The worker was stopped while busy: everything is dropped and the user is told why.
pub fn cancelled(store: &mut impl Store) {
    clear(store);
    store.set_notice(Some(Notice::error(
        "Die Verarbeitung wurde abgebrochen. Dabei wurden alle geladenen Daten aus dem Speicher \
         entfernt. Laden Sie die Dateien erneut, wenn Sie weiterarbeiten möchten – bei sehr \
         großen Dateien am besten einzeln.",
    )));
}

/// "Sitzung beenden": everything is dropped and the user is told so.
pub fn session_ended(store: &mut impl Store) {
    clear(store);
    store.set_notice(Some(Notice::hint(
        "Sitzung beendet: Alle Daten und Berichte wurden aus dem Speicher entfernt.",
    )));
}

/// The state as plain values: a [`Store`] without signals, for running the reducer natively.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// One summary per imported file.
    pub summaries: Vec<FileSummary>,
    /// The worker's progress while it is busy.
    pub progress: Option<Progress>,
    /// The protected report set, once computed.
    pub reports: Option<ReportSet>,
    /// The last Kreuztabelle (protected).
    pub crosstab: Option<TableView>,
    /// The Kreuztabelle filters of one source.
    pub crosstab_choices: Option<(CrosstabSource, Vec<FilterChoice>)>,
    /// The notice above the page.
    pub notice: Option<Notice>,
    /// The settings in force.
    pub settings: Settings,
    /// Settings waiting for the worker's acceptance.
    pub candidate: Option<Settings>,
}

impl Store for Model {
    fn update_progress(&mut self, f: impl FnOnce(&mut Option<Progress>)) {
        f(&mut self.progress);
    }

    fn shows_stages(&self) -> bool {
        self.progress.as_ref().is_some_and(|p| !p.stages.is_empty())
    }

    fn update_summaries(&mut self, f: impl FnOnce(&mut Vec<FileSummary>)) {
        f(&mut self.summaries);
    }

    fn set_reports(&mut self, reports: Option<ReportSet>) {
        self.reports = reports;
    }

    fn has_reports(&self) -> bool {
        self.reports.is_some()
    }

    fn set_crosstab(&mut self, table: Option<TableView>) {
        self.crosstab = table;
    }

    fn set_crosstab_choices(&mut self, choices: Option<(CrosstabSource, Vec<FilterChoice>)>) {
        self.crosstab_choices = choices;
    }

    fn set_notice(&mut self, notice: Option<Notice>) {
        self.notice = notice;
    }

    fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    fn protection(&self) -> ProtectionSettings {
        self.settings.protection
    }

    fn set_candidate(&mut self, settings: Option<Settings>) {
        self.candidate = settings;
    }

    fn take_candidate(&mut self) -> Option<Settings> {
        self.candidate.take()
    }
}

/// The state shared by all pages: one signal per part, so a change re-renders only the views
/// that show that part. Components read it through the hooks of [`crate::client`] and change
/// it through the client's handle.
#[derive(Clone, Copy)]
pub struct AppState {
    summaries: RwSignal<Vec<FileSummary>>,
    progress: RwSignal<Option<Progress>>,
    reports: RwSignal<Option<ReportSet>>,
    crosstab: RwSignal<Option<TableView>>,
    crosstab_choices: RwSignal<Option<(CrosstabSource, Vec<FilterChoice>)>>,
    notice: RwSignal<Option<Notice>>,
    settings: RwSignal<Settings>,
    candidate: StoredValue<Option<Settings>>,
}

impl AppState {
    /// An empty state with `settings` in force.
    pub fn new(settings: Settings) -> AppState {
        AppState {
            summaries: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            reports: RwSignal::new(None),
            crosstab: RwSignal::new(None),
            crosstab_choices: RwSignal::new(None),
            notice: RwSignal::new(None),
            settings: RwSignal::new(settings),
            candidate: StoredValue::new(None),
        }
    }

    /// One summary per imported file.
    pub fn summaries(&self) -> ReadSignal<Vec<FileSummary>> {
        self.summaries.read_only()
    }

    /// True while anything would be lost by leaving (tracked; see [`holds_data`]).
    pub fn holds_data(&self) -> bool {
        let has_reports = self.reports.with(Option::is_some);
        self.summaries.with(|all| holds_data(all, has_reports))
    }

    /// The worker's progress while it is busy.
    pub fn progress(&self) -> ReadSignal<Option<Progress>> {
        self.progress.read_only()
    }

    /// The protected report set, once computed.
    pub fn reports(&self) -> ReadSignal<Option<ReportSet>> {
        self.reports.read_only()
    }

    /// The last Kreuztabelle (protected).
    pub fn crosstab(&self) -> ReadSignal<Option<TableView>> {
        self.crosstab.read_only()
    }

    /// The Kreuztabelle filters the loaded data offer, for the source they were asked for.
    pub fn crosstab_choices(&self) -> ReadSignal<Option<(CrosstabSource, Vec<FilterChoice>)>> {
        self.crosstab_choices.read_only()
    }

    /// The notice above the page (set and dismissed by the components too).
    pub fn notice(&self) -> RwSignal<Option<Notice>> {
        self.notice
    }

    /// Settings (protection mode, column mappings, classification), remembered in the browser.
    pub fn settings(&self) -> ReadSignal<Settings> {
        self.settings.read_only()
    }
}

impl Store for AppState {
    fn update_progress(&mut self, f: impl FnOnce(&mut Option<Progress>)) {
        self.progress.update(f);
    }

    fn shows_stages(&self) -> bool {
        self.progress
            .with_untracked(|p| p.as_ref().is_some_and(|p| !p.stages.is_empty()))
    }

    fn update_summaries(&mut self, f: impl FnOnce(&mut Vec<FileSummary>)) {
        self.summaries.update(f);
    }

    fn set_reports(&mut self, reports: Option<ReportSet>) {
        self.reports.set(reports);
    }

    fn has_reports(&self) -> bool {
        self.reports.with_untracked(Option::is_some)
    }

    fn set_crosstab(&mut self, table: Option<TableView>) {
        self.crosstab.set(table);
    }

    fn set_crosstab_choices(&mut self, choices: Option<(CrosstabSource, Vec<FilterChoice>)>) {
        self.crosstab_choices.set(choices);
    }

    fn set_notice(&mut self, notice: Option<Notice>) {
        self.notice.set(notice);
    }

    fn set_settings(&mut self, settings: Settings) {
        self.settings.set(settings);
    }

    fn protection(&self) -> ProtectionSettings {
        self.settings.with_untracked(|s| s.protection)
    }

    fn set_candidate(&mut self, settings: Option<Settings>) {
        self.candidate.set_value(settings);
    }

    fn take_candidate(&mut self) -> Option<Settings> {
        self.candidate.try_update_value(Option::take).flatten()
    }
}

#[cfg(test)]
mod tests {
    use lagebild_core::import::Asked;
    use lagebild_core::protect::{ProtectionMode, Threshold};
    use lagebild_core::tabulate::Page;

    use super::*;
    use crate::protocol::{DatingView, FileId};
    use crate::settings::NamedText;

    fn file(id: u32, name: &str, accepted: u64) -> FileSummary {
        FileSummary {
            id: FileId(id),
            name: name.into(),
            folder: String::new(),
            size: 100,
            source: Some("Meldewesen".into()),
            rows_read: accepted,
            rows_accepted: accepted,
            rows_rejected: 0,
            rows_rejected_unexpectedly: 0,
            error: None,
            report: String::new(),
            mapping: None,
            dating: None,
        }
    }

    fn failed(id: u32, name: &str, reason: &str) -> FileSummary {
        FileSummary {
            error: Some(reason.into()),
            ..file(id, name, 0)
        }
    }

    fn table(key: &str) -> TableView {
        TableView {
            key: key.into(),
            page: Page::Kreuztabelle,
            title: "Kreuztabelle".into(),
            label_cols: 1,
            header: vec![vec!["Stadtteil".into(), "Anzahl".into()]],
            rows: Vec::new(),
            notes: Vec::new(),
            protection: "Tabellensperrung".into(),
            all_suppressed: false,
            merges: Vec::new(),
            why: Vec::new(),
            alternatives: Vec::new(),
            chosen: None,
            protected: true,
        }
    }

    fn progress(stage: Option<Stage>, done: u32, total: u32) -> Response {
        Response::Progress {
            stage: "Einlesen".into(),
            step: stage,
            done,
            total,
            current: "ewo.csv".into(),
        }
    }

    fn zelle() -> Settings {
        Settings {
            protection: ProtectionSettings {
                mode: ProtectionMode::Zelle,
                threshold: Threshold::new(4).expect("4"),
                ..ProtectionSettings::default()
            },
            ..Settings::default()
        }
    }

    fn with_rules(settings: Settings) -> Settings {
        Settings {
            rules: Some(NamedText {
                name: "regeln.toml".into(),
                text: "[settings]\n".into(),
            }),
            ..settings
        }
    }

    fn process(settings: &Settings) -> Effect {
        Effect::Send(Request::Process(settings.protection))
    }

    #[test]
    fn a_task_progress_counts_its_steps_without_bars() {
        let mut model = Model::default();
        assert_eq!(apply(&mut model, progress(None, 1, 3)), []);
        let p = model.progress.as_ref().expect("progress");
        assert_eq!((p.stage.as_str(), p.done, p.total), ("Einlesen", 1, 3));
        assert_eq!(p.current, "ewo.csv");
        assert!(p.stages.is_empty());
        assert!(!model.shows_stages());
    }

    #[test]
    fn a_run_progress_shows_one_bar_per_stage_from_the_first_reported() {
        let mut model = Model::default();
        let second = Stage::ALL[1];
        apply(&mut model, progress(Some(second), 2, 5));
        let bars = &model.progress.as_ref().expect("progress").stages;
        assert_eq!(bars.len(), Stage::ALL.len() - 1);
        assert_eq!(bars[0].stage, second);
        assert_eq!((bars[0].done, bars[0].total), (2, 5));
        assert_eq!(bars[0].state(), "läuft");
        assert!(bars[1..].iter().all(|b| b.state() == "wartet"));
        // A later stage completes the ones before it; a stage without steps counts as done.
        let third = Stage::ALL[2];
        apply(&mut model, progress(Some(third), 0, 0));
        let bars = &model.progress.as_ref().expect("progress").stages;
        assert_eq!(bars[0].state(), "fertig");
        assert_eq!((bars[1].stage, bars[1].done, bars[1].total), (third, 1, 1));
        assert_eq!(bars[1].state(), "fertig");
        assert!(model.shows_stages());
    }

    #[test]
    fn usable_imports_are_added_and_start_a_run() {
        let mut model = Model {
            settings: zelle(),
            ..Model::default()
        };
        apply(&mut model, Response::Imported(vec![file(1, "ewo.csv", 10)]));
        let effects = apply(
            &mut model,
            Response::Imported(vec![file(2, "alw.csv", 5), failed(3, "x.csv", "kaputt")]),
        );
        assert_eq!(effects.len(), 1);
        assert_eq!(effects, [process(&zelle())]);
        let names: Vec<&str> = model.summaries.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["ewo.csv", "alw.csv", "x.csv"]);
        assert_eq!(
            model.progress,
            Some(Progress::task("Berichte erstellen", 1))
        );
        assert_eq!(model.notice, None);
    }

    #[test]
    fn a_run_after_an_import_keeps_the_bars_of_the_import() {
        let mut model = Model::default();
        apply(&mut model, progress(Some(Stage::ALL[0]), 1, 1));
        let bars = model.progress.clone();
        apply(&mut model, Response::Imported(vec![file(1, "ewo.csv", 10)]));
        assert_eq!(model.progress, bars);
    }

    #[test]
    fn an_import_without_records_stops_and_says_why() {
        let mut model = Model {
            progress: Some(Progress::task("Dateien lesen", 1)),
            ..Model::default()
        };
        let effects = apply(&mut model, Response::Imported(vec![file(1, "leer.csv", 0)]));
        assert_eq!(effects, []);
        assert_eq!(model.progress, None);
        assert_eq!(model.summaries.len(), 1);
        let notice = model.notice.expect("notice");
        assert!(notice.error);
        assert!(
            notice.text.contains("„Zuordnung prüfen“"),
            "{}",
            notice.text
        );
    }

    #[test]
    fn one_reason_for_every_refused_file_is_said_once() {
        let mut model = Model::default();
        let reason = "Die Dateien sind zusammen zu groß.";
        apply(
            &mut model,
            Response::Imported(vec![failed(1, "a.csv", reason), failed(2, "b.csv", reason)]),
        );
        assert_eq!(
            model.notice,
            Some(Notice::error(format!(
                "Die Dateien wurden nicht eingelesen. {reason}"
            )))
        );
        // Different reasons: the general hint.
        let mut model = Model::default();
        apply(
            &mut model,
            Response::Imported(vec![failed(1, "a.csv", "eins"), failed(2, "b.csv", "zwei")]),
        );
        let text = model.notice.expect("notice").text;
        assert!(text.starts_with("Aus diesen Dateien"), "{text}");
    }

    #[test]
    fn files_imported_again_replace_their_summaries_by_id() {
        let mut model = Model::default();
        let asked = FileSummary {
            dating: Some(DatingView {
                asks: Some(Asked::Stichtag),
                message: "Stichtag?".into(),
            }),
            ..file(2, "ewo.csv", 0)
        };
        apply(
            &mut model,
            Response::Imported(vec![file(1, "ewo.csv", 10), asked]),
        );
        let effects = apply(
            &mut model,
            Response::Reimported(vec![file(2, "ewo.csv", 7)]),
        );
        assert_eq!(effects, [process(&Settings::default())]);
        assert_eq!(model.summaries.len(), 2);
        assert_eq!(model.summaries[1].rows_accepted, 7);
        assert_eq!(model.summaries[1].dating, None);
        // Still nothing usable: the summary is replaced all the same, the user is told.
        model.progress = Some(Progress::task("Neu einlesen", 1));
        let effects = apply(
            &mut model,
            Response::Reimported(vec![file(2, "ewo.csv", 0)]),
        );
        assert_eq!(effects, []);
        assert_eq!(model.summaries[1].rows_accepted, 0);
        assert_eq!(model.progress, None);
        let notice = model.notice.expect("notice");
        assert!(notice.error && notice.text.starts_with("Auch mit dieser Angabe"));
    }

    #[test]
    fn a_new_report_set_replaces_the_old_and_drops_a_stale_crosstab() {
        let mut model = Model {
            progress: Some(Progress::task("Berichte erstellen", 1)),
            crosstab: Some(table("alt")),
            crosstab_choices: Some((CrosstabSource::Bevoelkerung, Vec::new())),
            reports: Some(ReportSet {
                reference_date: Some("31.10.2026".into()),
                ..ReportSet::default()
            }),
            ..Model::default()
        };
        let set = ReportSet {
            reference_date: Some("30.11.2026".into()),
            tables: vec![table("neu")],
            ..ReportSet::default()
        };
        assert_eq!(apply(&mut model, Response::Reports(set.clone())), []);
        assert_eq!(model.reports, Some(set));
        assert_eq!(model.progress, None);
        assert_eq!(model.crosstab, None);
        assert_eq!(model.crosstab_choices, None);
    }

    #[test]
    fn a_crosstab_and_its_choices_are_kept() {
        let mut model = Model {
            progress: Some(Progress::task("Kreuztabelle zählen", 1)),
            ..Model::default()
        };
        let choices = vec![FilterChoice {
            dimension: "geschlecht".into(),
            label: "Geschlecht".into(),
            categories: vec![("w".into(), "weiblich".into())],
        }];
        apply(
            &mut model,
            Response::CrosstabChoices(CrosstabSource::Bevoelkerung, choices.clone()),
        );
        assert_eq!(
            model.crosstab_choices,
            Some((CrosstabSource::Bevoelkerung, choices))
        );
        assert!(model.progress.is_some());
        assert_eq!(apply(&mut model, Response::Crosstab(table("kt"))), []);
        assert_eq!(model.crosstab, Some(table("kt")));
        assert_eq!(model.progress, None);
    }

    #[test]
    fn accepted_classification_is_remembered_and_recomputes_existing_reports() {
        let candidate = with_rules(zelle());
        let mut model = Model {
            candidate: Some(candidate.clone()),
            ..Model::default()
        };
        // Without reports: remembered, nothing to recompute.
        let effects = apply(&mut model, Response::Classification(Ok(())));
        assert_eq!(effects, [Effect::Remember(candidate.clone())]);
        assert_eq!(model.settings, candidate);
        assert_eq!(model.candidate, None);
        assert!(!model.notice.as_ref().expect("notice").error);
        // With reports: recomputed with the new settings.
        model.reports = Some(ReportSet::default());
        model.candidate = Some(candidate.clone());
        let effects = apply(&mut model, Response::Classification(Ok(())));
        assert_eq!(
            effects,
            [Effect::Remember(candidate.clone()), process(&candidate)]
        );
        assert_eq!(
            model.progress,
            Some(Progress::task("Berichte erstellen", 1))
        );
        // An acceptance nobody waits for (the settings sent at start) changes nothing.
        let before = model.clone();
        assert_eq!(apply(&mut model, Response::Classification(Ok(()))), []);
        assert_eq!(model, before);
    }

    #[test]
    fn rejected_classification_keeps_the_settings_and_says_why() {
        let mut model = Model {
            candidate: Some(with_rules(Settings::default())),
            ..Model::default()
        };
        let effects = apply(
            &mut model,
            Response::Classification(Err("Regel 3 ist kaputt.".into())),
        );
        assert_eq!(effects, []);
        assert_eq!(model.settings, Settings::default());
        assert_eq!(model.candidate, None);
        assert_eq!(model.notice, Some(Notice::error("Regel 3 ist kaputt.")));
    }

    #[test]
    fn a_download_is_saved_and_a_failure_is_told() {
        let mut model = Model {
            progress: Some(Progress::task("Datei erstellen", 1)),
            ..Model::default()
        };
        let download = Download {
            file_name: "lagebild.xlsx".into(),
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            bytes: vec![1, 2, 3],
        };
        let effects = apply(&mut model, Response::Downloaded(download.clone()));
        assert_eq!(effects, [Effect::Save(download)]);
        assert_eq!(model.progress, None);
        model.progress = Some(Progress::task("Berichte erstellen", 1));
        assert_eq!(
            apply(&mut model, Response::Failed("Zu wenig Speicher.".into())),
            []
        );
        assert_eq!(model.progress, None);
        assert_eq!(model.notice, Some(Notice::error("Zu wenig Speicher.")));
        model.progress = Some(Progress::task("Sitzung beenden", 1));
        assert_eq!(apply(&mut model, Response::ResetDone), []);
        assert_eq!(model.progress, None);
    }

    #[test]
    fn a_removed_file_leaves_the_list_and_the_rest_is_reported_again() {
        let mut model = Model {
            settings: zelle(),
            ..Model::default()
        };
        apply(
            &mut model,
            Response::Imported(vec![
                file(1, "ewo.csv", 10),
                file(2, "alw.csv", 5),
                failed(3, "x.csv", "kaputt"),
            ]),
        );
        apply(&mut model, Response::Reports(ReportSet::default()));
        model.progress = Some(Progress::task("Datei entfernen", 1));
        let effects = apply(&mut model, Response::Removed(FileId(2)));
        assert_eq!(effects, [process(&zelle())]);
        let names: Vec<&str> = model.summaries.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["ewo.csv", "x.csv"]);
        assert!(!model.notice.as_ref().expect("notice").error);
        assert!(holds_data(&model.summaries, model.has_reports()));
        // Only an unusable file left: no run, no reports, still a file to lose.
        model.crosstab = Some(table("kt"));
        let effects = apply(&mut model, Response::Removed(FileId(1)));
        assert_eq!(effects, []);
        assert_eq!(model.reports, None);
        assert_eq!(model.crosstab, None);
        assert_eq!(model.progress, None);
        assert!(holds_data(&model.summaries, model.has_reports()));
        // The last file: the empty state, nothing left to lose.
        apply(&mut model, Response::Removed(FileId(3)));
        assert_eq!(model.summaries, []);
        let notice = model.notice.as_ref().expect("notice");
        assert!(
            notice.text.ends_with("keine Daten mehr geladen."),
            "{}",
            notice.text
        );
        assert!(!holds_data(&model.summaries, model.has_reports()));
        assert!(holds_data(&[], true), "reports alone are data too");
    }

    #[test]
    fn ending_or_cancelling_drops_the_data_and_keeps_the_settings() {
        let full = Model {
            summaries: vec![file(1, "ewo.csv", 10)],
            progress: Some(Progress::task("Einlesen", 1)),
            reports: Some(ReportSet::default()),
            crosstab: Some(table("kt")),
            crosstab_choices: Some((CrosstabSource::Bevoelkerung, Vec::new())),
            settings: zelle(),
            ..Model::default()
        };
        let mut ended = full.clone();
        session_ended(&mut ended);
        let mut cancelled_model = full.clone();
        cancelled(&mut cancelled_model);
        for model in [&ended, &cancelled_model] {
            assert_eq!(model.summaries, []);
            assert_eq!(model.progress, None);
            assert_eq!(model.reports, None);
            assert_eq!(model.crosstab, None);
            assert_eq!(model.crosstab_choices, None);
            assert_eq!(model.settings, zelle());
        }
        assert!(!ended.notice.as_ref().expect("notice").error);
        assert!(cancelled_model.notice.as_ref().expect("notice").error);
    }
}
