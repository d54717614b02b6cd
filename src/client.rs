//! The page's side of the worker: spawning it, sending requests, running what the reducer
//! leaves to do (saving downloads, remembering settings) and the hooks through which pages and
//! components reach the state and the worker.

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use lagebild_core::import::SourceKind;
use lagebild_core::protect::DesignChoice;
use lagebild_core::reports::crosstab::{CrosstabRequest, CrosstabSource, FilterChoice};

use crate::interop;
use crate::protocol::{
    ClassificationTexts, DateAnswer, Download, DownloadRequest, FileId, FileSummary, InputFile,
    ReportSet, Request, Response, TableView,
};
use crate::settings::Settings;
use crate::state::{self, AppState, Effect, Notice, Progress, Store};
use crate::transfer::FileCodec;
use crate::worker::Pipeline;

struct WorkerHandle {
    bridge: WorkerBridge<Pipeline>,
    native: JsValue,
}

/// The handle to the worker and the state its answers change (a small `Copy` value in the
/// context; see [`use_pipeline`]).
#[derive(Clone, Copy)]
pub struct PipelineHandle {
    state: AppState,
    worker: StoredValue<Option<WorkerHandle>, LocalStorage>,
}

impl PipelineHandle {
    /// The state, as a [`Store`] to change.
    fn store(self) -> AppState {
        self.state
    }

    /// Sends a request to the worker.
    pub fn send(self, request: Request) {
        self.worker.with_value(|w| {
            if let Some(w) = w {
                w.bridge.send(request);
            }
        });
    }

    /// Shows `stage` as the current progress.
    pub fn busy(self, stage: &str, total: u32) {
        self.store().busy(stage, total);
    }

    /// Imports files (in the worker; reports are computed afterwards).
    pub fn import(self, files: Vec<InputFile>) {
        self.store().set_notice(None);
        self.send(Request::Import(files));
    }

    /// Generates the synthetic demo city in the worker and imports it.
    pub fn demo(self) {
        self.store().set_notice(None);
        self.busy("Demodaten erzeugen", 1);
        self.send(Request::Demo);
    }

    /// Asks the worker for the protected report set with the current settings.
    pub fn process(self) {
        let effect = state::start_run(&mut self.store());
        self.run(effect);
    }

    /// Shows the table of `key` in the design `choice` and recomputes the reports.
    pub fn choose_design(self, key: String, choice: DesignChoice) {
        self.store().set_notice(None);
        self.send(Request::Design(key, choice));
        self.process();
    }

    /// Asks the worker for a download; the page saves it when it arrives.
    pub fn download(self, what: DownloadRequest) {
        self.busy("Datei erstellen", 1);
        self.send(Request::Download(what));
    }

    /// Counts and protects a Kreuztabelle with the protection settings in force.
    pub fn crosstab(self, request: CrosstabRequest) {
        self.store().set_notice(None);
        self.busy("Kreuztabelle zählen", 1);
        self.send(Request::Crosstab(request, self.store().protection()));
    }

    /// Asks for the Kreuztabelle filters the loaded data offer for `source`.
    pub fn crosstab_choices(self, source: CrosstabSource) {
        self.send(Request::CrosstabChoices(source));
    }

    /// Imports `file` again with the Stichtag or reporting month the analyst gave.
    pub fn date(self, file: FileId, answer: DateAnswer) {
        self.store().set_notice(None);
        self.busy("Neu einlesen", 1);
        self.send(Request::Date(file, answer));
    }

    /// Remembers `settings` with a new column mapping and imports `file` again as `source`.
    pub fn apply_mapping(self, settings: Settings, file: FileId, source: SourceKind) {
        let mappings = settings.mappings.clone();
        self.remember_settings(settings);
        self.store().set_notice(None);
        self.busy("Neu einlesen", 1);
        self.send(Request::Configure(mappings));
        self.send(Request::Retry(Some((file, source))));
    }

    /// Applies new settings: remembers them, hands the mappings and the classification texts
    /// to the worker and recomputes the reports if there are any.
    pub fn apply_settings(self, settings: Settings) {
        let mappings = settings.mappings.clone();
        let classification = settings.classification();
        let publisher = settings.publisher.clone();
        self.remember_settings(settings);
        self.send(Request::Configure(mappings));
        self.send(Request::Classification(classification));
        self.send(Request::Publisher(publisher));
        if self.store().has_reports() {
            self.process();
        }
    }

    /// Remembers `settings` with a new publisher and names it in downloads from now on (no
    /// new run: the publisher changes no number).
    pub fn apply_publisher(self, settings: Settings) {
        let publisher = settings.publisher.clone();
        self.remember_settings(settings);
        self.send(Request::Publisher(publisher));
    }

    /// Hands new classification rules, PKS mapping or table definitions to the worker;
    /// `settings` are remembered (and the reports recomputed) once the worker has accepted
    /// them.
    pub fn propose_classification(self, settings: Settings) {
        let texts = settings.classification();
        self.store().set_candidate(Some(settings));
        self.send(Request::Classification(texts));
    }

    /// Drops one loaded file and its records; the reports are made again from the other
    /// files (or the page returns to the empty state).
    pub fn remove_file(self, file: FileId) {
        self.store().set_notice(None);
        self.busy("Datei entfernen", 1);
        self.send(Request::Remove(file));
    }

    /// True while anything would be lost by ending the session, cancelling or leaving the
    /// page (tracked).
    pub fn holds_data(self) -> bool {
        self.state.holds_data()
    }

    /// True while the worker is busy (tracked).
    pub fn is_busy(self) -> bool {
        self.state.progress().with(Option::is_some)
    }

    /// Stops the worker at once, drops everything it held and starts a fresh one.
    pub fn cancel(self) {
        self.restart_worker();
        state::cancelled(&mut self.store());
    }

    /// "Sitzung beenden": drops every record and every report.
    pub fn end_session(self) {
        if self.state.progress().get_untracked().is_some() {
            self.restart_worker();
        } else {
            self.send(Request::Reset);
        }
        state::session_ended(&mut self.store());
    }

    /// Remembers new settings (in the browser and in the state).
    fn remember_settings(self, settings: Settings) {
        settings.remember();
        self.store().set_settings(settings);
    }

    fn restart_worker(self) {
        if let Some(old) = self.worker.try_update_value(Option::take).flatten() {
            interop::terminate_worker(&old.native);
            drop(old.bridge);
        }
        let handle = spawn_worker(self);
        self.worker.set_value(Some(handle));
    }

    fn on_response(self, response: Response) {
        for effect in state::apply(&mut self.store(), response) {
            self.run(effect);
        }
    }

    fn run(self, effect: Effect) {
        match effect {
            Effect::Send(request) => self.send(request),
            Effect::Save(download) => save(&download),
            Effect::Remember(settings) => settings.remember(),
        }
    }
}

fn save(download: &Download) {
    interop::save_bytes(&download.file_name, &download.mime, &download.bytes);
}

fn spawn_worker(pipeline: PipelineHandle) -> WorkerHandle {
    interop::capture_worker_begin();
    let bridge = Pipeline::spawner()
        .encoding::<FileCodec>()
        .as_module(false)
        .with_loader(true)
        .callback(move |response| pipeline.on_response(response))
        .spawn(&interop::worker_url());
    let native = interop::capture_worker_end();
    let (mappings, classification, publisher) = pipeline
        .state
        .settings()
        .with_untracked(|s| (s.mappings.clone(), s.classification(), s.publisher.clone()));
    if !mappings.mappings.is_empty() {
        bridge.send(Request::Configure(mappings));
    }
    if classification != ClassificationTexts::default() {
        bridge.send(Request::Classification(classification));
    }
    if publisher != Default::default() {
        bridge.send(Request::Publisher(publisher));
    }
    WorkerHandle { bridge, native }
}

/// Creates the state with the settings remembered in this browser, starts the worker and
/// provides both to every component below.
pub fn provide_pipeline() -> PipelineHandle {
    let pipeline = PipelineHandle {
        state: AppState::new(Settings::remembered()),
        worker: StoredValue::new_local(None),
    };
    pipeline.worker.set_value(Some(spawn_worker(pipeline)));
    provide_context(pipeline);
    pipeline
}

/// The handle to send requests to the worker and start runs.
pub fn use_pipeline() -> PipelineHandle {
    expect_context::<PipelineHandle>()
}

fn use_state() -> AppState {
    use_pipeline().state
}

/// The protected report set, once computed (read-only).
pub fn use_report_set() -> ReadSignal<Option<ReportSet>> {
    use_state().reports()
}

/// One summary per imported file (read-only).
pub fn use_summaries() -> ReadSignal<Vec<FileSummary>> {
    use_state().summaries()
}

/// The worker's progress while it is busy (read-only).
pub fn use_progress() -> ReadSignal<Option<Progress>> {
    use_state().progress()
}

/// The last Kreuztabelle (read-only).
pub fn use_crosstab() -> ReadSignal<Option<TableView>> {
    use_state().crosstab()
}

/// The Kreuztabelle filters the loaded data offer, for the source they were asked for
/// (read-only).
pub fn use_crosstab_choices() -> ReadSignal<Option<(CrosstabSource, Vec<FilterChoice>)>> {
    use_state().crosstab_choices()
}

/// The settings in force (read-only; change them through [`PipelineHandle`]).
pub fn use_settings() -> ReadSignal<Settings> {
    use_state().settings()
}

/// The notice above the page (components set and dismiss it).
pub fn use_notice() -> RwSignal<Option<Notice>> {
    use_state().notice()
}
