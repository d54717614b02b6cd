//! The application shell: header, navigation, progress with cancel, notices and the current
//! page. The pipeline runs in the worker; this module only wires its messages to signals
//! (shared with the pages through [`AppState`] in the context).

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use lagebild_core::protect::ProtectionSettings;
use lagebild_core::reports::crosstab::{CrosstabSource, FilterChoice};

use crate::interop;
use crate::pages::{download::DownloadPage, load::LoadPage, report::ReportPageView};
use crate::protocol::{
    ClassificationTexts, Download, DownloadRequest, FileSummary, InputFile, ReportSet, Request,
    Response, TableView,
};
use crate::route::{Page, ReportPage, provide_navigator, use_navigator};
use crate::settings::Settings;
use crate::state::{self, Effect, Notice, Progress, StageBar, Store};
use crate::transfer::FileCodec;
use crate::worker::Pipeline;

/// The state shared by all pages (in the Leptos context).
#[derive(Clone, Copy)]
pub struct AppState {
    /// One summary per imported file.
    pub summaries: RwSignal<Vec<FileSummary>>,
    /// The worker's progress while it is busy.
    pub progress: RwSignal<Option<Progress>>,
    /// The protected report set, once computed.
    pub reports: RwSignal<Option<ReportSet>>,
    /// The last Kreuztabelle (protected).
    pub crosstab: RwSignal<Option<TableView>>,
    /// The Kreuztabelle filters the loaded data offer, for the source they were asked for.
    pub crosstab_choices: RwSignal<Option<(CrosstabSource, Vec<FilterChoice>)>>,
    /// A notice for the user.
    pub notice: RwSignal<Option<Notice>>,
    /// Settings (protection mode, column mappings), remembered in the browser.
    pub settings: RwSignal<Settings>,
    worker: StoredValue<Option<WorkerHandle>, LocalStorage>,
    /// Settings with new classification texts, waiting for the worker to accept them.
    candidate: StoredValue<Option<Settings>>,
}

struct WorkerHandle {
    bridge: WorkerBridge<Pipeline>,
    native: JsValue,
}

impl AppState {
    fn new() -> AppState {
        AppState {
            summaries: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            reports: RwSignal::new(None),
            crosstab: RwSignal::new(None),
            crosstab_choices: RwSignal::new(None),
            notice: RwSignal::new(None),
            settings: RwSignal::new(Settings::remembered()),
            worker: StoredValue::new_local(None),
            candidate: StoredValue::new(None),
        }
    }

    /// Sends a request to the worker.
    pub fn send(&self, request: Request) {
        self.worker.with_value(|w| {
            if let Some(w) = w {
                w.bridge.send(request);
            }
        });
    }

    /// Shows `stage` as the current progress.
    pub fn busy(&self, stage: &str, total: u32) {
        Store::busy(&mut { *self }, stage, total);
    }

    /// Hands new classification rules or PKS mapping to the worker; `settings` are remembered
    /// (and the reports recomputed) once the worker has accepted them.
    pub fn propose_classification(&self, settings: Settings) {
        let texts = settings.classification();
        { *self }.set_candidate(Some(settings));
        self.send(Request::Classification(texts));
    }

    /// Imports files (in the worker; reports are computed afterwards).
    pub fn import(&self, files: Vec<InputFile>) {
        self.notice.set(None);
        self.send(Request::Import(files));
    }

    /// Asks the worker for the protected report set with the current settings.
    pub fn process(&self) {
        let effect = state::start_run(&mut { *self });
        self.run(effect);
    }

    /// The protection settings in force.
    pub fn protection(&self) -> ProtectionSettings {
        self.settings.with_untracked(|s| s.protection)
    }

    /// Asks the worker for a download; the page saves it when it arrives.
    pub fn download(&self, what: DownloadRequest) {
        self.busy("Datei erstellen", 1);
        self.send(Request::Download(what));
    }

    /// Stops the worker at once, drops everything it held and starts a fresh one.
    pub fn cancel(&self) {
        self.restart_worker();
        state::cancelled(&mut { *self });
    }

    /// "Sitzung beenden": drops every record and every report.
    pub fn end_session(&self) {
        if self.progress.get_untracked().is_some() {
            self.restart_worker();
        } else {
            self.send(Request::Reset);
        }
        state::session_ended(&mut { *self });
    }

    fn restart_worker(&self) {
        if let Some(old) = self.worker.try_update_value(Option::take).flatten() {
            interop::terminate_worker(&old.native);
            drop(old.bridge);
        }
        let handle = spawn_worker(*self);
        self.worker.set_value(Some(handle));
    }

    fn on_response(mut self, response: Response) {
        for effect in state::apply(&mut self, response) {
            self.run(effect);
        }
    }

    fn run(&self, effect: Effect) {
        match effect {
            Effect::Send(request) => self.send(request),
            Effect::Save(download) => save(&download),
            Effect::Remember(settings) => settings.remember(),
        }
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

fn save(download: &Download) {
    interop::save_bytes(&download.file_name, &download.mime, &download.bytes);
}

fn spawn_worker(state: AppState) -> WorkerHandle {
    interop::capture_worker_begin();
    let bridge = Pipeline::spawner()
        .encoding::<FileCodec>()
        .as_module(false)
        .with_loader(true)
        .callback(move |response| state.on_response(response))
        .spawn(&interop::worker_url());
    let native = interop::capture_worker_end();
    let (mappings, classification) = state
        .settings
        .with_untracked(|s| (s.mappings.clone(), s.classification()));
    if !mappings.mappings.is_empty() {
        bridge.send(Request::Configure(mappings));
    }
    if classification != ClassificationTexts::default() {
        bridge.send(Request::Classification(classification));
    }
    WorkerHandle { bridge, native }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    state.worker.set_value(Some(spawn_worker(state)));
    provide_context(state);
    let navigator = provide_navigator();

    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <header class="app-header">
            <h1 data-testid="app-title">"Lagebild"</h1>
            <p class="subtitle">"Flüchtlingsstatistik aus kommunalen Registern – alle Daten bleiben auf diesem Rechner."</p>
            <button
                class="end-session"
                data-testid="end-session"
                title="Alle geladenen Daten aus dem Speicher entfernen"
                on:click=move |_| {
                    state.end_session();
                    navigator.go(Page::Load);
                }
            >
                "Sitzung beenden"
            </button>
        </header>
        <Navigation />
        <main id="inhalt" tabindex="-1">
            <ProgressLine />
            <NoticeLine />
            {move || match navigator.current() {
                Page::Load => view! { <LoadPage /> }.into_any(),
                Page::Report(page) => view! { <ReportPageView page=page /> }.into_any(),
                Page::Download => view! { <DownloadPage /> }.into_any(),
            }}
        </main>
        <footer class="app-footer">
            "Lagebild " {lagebild_core::VERSION} " · keine Übertragung, keine Speicherung von Einzeldaten"
        </footer>
    }
}

/// One entry of the navigation.
#[component]
fn NavItem(
    /// The page it opens.
    target: Page,
) -> impl IntoView {
    let navigator = use_navigator();
    view! {
        <li>
            <button
                type="button"
                class="nav-item"
                data-testid=target.nav_testid()
                aria-current=move || navigator.is(target).then_some("page")
                on:click=move |_| navigator.go(target)
            >
                {target.label()}
            </button>
        </li>
    }
}

/// Daten laden | Berichte (one entry per report page) | Herunterladen.
#[component]
fn Navigation() -> impl IntoView {
    view! {
        <nav class="app-nav" aria-label="Hauptnavigation">
            <ul>
                <NavItem target=Page::Load />
                <li class="nav-group">
                    <span class="nav-group-label" id="nav-reports-label">"Berichte"</span>
                    <ul aria-labelledby="nav-reports-label">
                        {ReportPage::ALL
                            .into_iter()
                            .map(|p| view! { <NavItem target=Page::Report(p) /> })
                            .collect_view()}
                    </ul>
                </li>
                <NavItem target=Page::Download />
            </ul>
        </nav>
    }
}

/// A progress bar with a cancel button while the worker is busy; for a report run one bar per
/// stage.
#[component]
fn ProgressLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.progress.get().map(|p| {
            let text = if p.current.is_empty() {
                format!("{} …", p.stage)
            } else {
                format!(
                    "{}: Datei {} von {} ({}) …",
                    p.stage,
                    p.done + 1,
                    p.total,
                    p.current
                )
            };
            let bars = (!p.stages.is_empty()).then(|| {
                view! {
                    <ol class="stages" data-testid="stages" aria-label="Arbeitsschritte">
                        {p.stages.iter().map(|bar| view! { <StageLine bar=*bar /> }).collect_view()}
                    </ol>
                }
            });
            let single = p.stages.is_empty().then(|| {
                view! {
                    <progress
                        id="progress-bar"
                        aria-labelledby="progress-text"
                        max=p.total.max(1)
                        value=p.done
                    ></progress>
                }
            });
            view! {
                <div class="progress" data-testid="progress" role="status" aria-live="polite">
                    <p id="progress-text" class="progress-text">{text}</p>
                    {bars}
                    <div class="progress-row">
                        {single}
                        <button
                            type="button"
                            class="button secondary"
                            data-testid="cancel"
                            on:click=move |_| state.cancel()
                        >
                            "Abbrechen"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// The bar of one pipeline stage with its name and state.
#[component]
fn StageLine(bar: StageBar) -> impl IntoView {
    let testid = format!("stage-{:?}", bar.stage).to_lowercase();
    let bar_id = format!("{testid}-bar");
    let label_for = bar_id.clone();
    let label = bar.stage.label();
    view! {
        <li class="stage" data-testid=testid data-state=bar.state()>
            <label for=label_for>{label}</label>
            <progress id=bar_id max=bar.total.max(1) value=bar.done></progress>
            <span class="stage-state">{bar.state()}</span>
        </li>
    }
}

/// The current notice, if any, with a button to dismiss it.
#[component]
fn NoticeLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notice.get().map(|n| {
            view! {
                <div
                    class="notice"
                    class:error=n.error
                    data-testid="notice"
                    role=if n.error { "alert" } else { "status" }
                >
                    <p>{n.text}</p>
                    <button
                        type="button"
                        class="button secondary"
                        on:click=move |_| state.notice.set(None)
                    >
                        "Hinweis schließen"
                    </button>
                </div>
            }
        })
    }
}
