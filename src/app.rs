//! The application shell: title, file drop zone, progress and the per-file import reports.
//! The pipeline runs in the worker; this module only wires its messages to signals.

use gloo_worker::Spawnable;
use leptos::prelude::*;

use crate::components::drop_zone::DropZone;
use crate::components::file_reports::FileReports;
use crate::protocol::{FileSummary, InputFile, Request, Response};
use crate::worker::Pipeline;

/// Path of the worker's loader script, next to the page.
const WORKER_LOADER: &str = "./worker_loader.js";

/// Progress of the worker, for display.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// German stage name.
    pub stage: String,
    /// Steps done.
    pub done: u32,
    /// Steps in total.
    pub total: u32,
    /// Current file.
    pub current: String,
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let summaries = RwSignal::new(Vec::<FileSummary>::new());
    let progress = RwSignal::new(None::<Progress>);
    let bridge = Pipeline::spawner()
        .as_module(false)
        .with_loader(true)
        .callback(move |response| match response {
            Response::Progress {
                stage,
                done,
                total,
                current,
            } => progress.set(Some(Progress {
                stage,
                done,
                total,
                current,
            })),
            Response::Imported(files) => {
                progress.set(None);
                summaries.update(|all| all.extend(files));
            }
            Response::ResetDone => {
                progress.set(None);
                summaries.set(Vec::new());
            }
        })
        .spawn(WORKER_LOADER);
    let bridge = StoredValue::new_local(bridge);
    let on_files = Callback::new(move |files: Vec<InputFile>| {
        bridge.with_value(|b| b.send(Request::Import(files)));
    });
    let load_demo = Callback::new(move |()| {
        bridge.with_value(|b| b.send(Request::Demo));
    });
    let end_session = move |_| {
        bridge.with_value(|b| b.send(Request::Reset));
    };
    let on_reading = Callback::new(move |count: u32| {
        progress.set(Some(Progress {
            stage: "Dateien lesen".into(),
            done: 0,
            total: count,
            current: String::new(),
        }));
    });

    view! {
        <header class="app-header">
            <h1 data-testid="app-title">"Lagebild"</h1>
            <p class="subtitle">"Flüchtlingsstatistik aus kommunalen Registern – alle Daten bleiben auf diesem Rechner."</p>
            <button
                class="end-session"
                data-testid="end-session"
                title="Alle geladenen Daten aus dem Speicher entfernen"
                on:click=end_session
            >
                "Sitzung beenden"
            </button>
        </header>
        <main>
            <DropZone on_files=on_files on_reading=on_reading on_demo=load_demo />
            <ProgressLine progress=progress.read_only() />
            <FileReports summaries=summaries.read_only() />
        </main>
        <footer class="app-footer">
            "Lagebild " {lagebild_core::VERSION} " · keine Übertragung, keine Speicherung von Einzeldaten"
        </footer>
    }
}

/// A progress bar while the worker is busy.
#[component]
fn ProgressLine(progress: ReadSignal<Option<Progress>>) -> impl IntoView {
    move || {
        progress.get().map(|p| {
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
            view! {
                <div class="progress" data-testid="progress" role="status" aria-live="polite">
                    <label for="progress-bar">{text}</label>
                    <progress id="progress-bar" max=p.total value=p.done></progress>
                </div>
            }
        })
    }
}
