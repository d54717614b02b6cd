//! Daten laden: drop zone, demo data, settings and the import report of every loaded file.

use leptos::prelude::*;

use crate::client::{use_pipeline, use_report_set, use_summaries};
use crate::components::drop_zone::DropZone;
use crate::components::file_reports::FileReports;
use crate::components::mapping_editor::MappingEditors;
use crate::components::settings_panel::SettingsPanel;
use crate::protocol::InputFile;
use crate::route::{Page, ReportPage, use_navigator};

/// The Daten laden page.
#[component]
pub fn LoadPage() -> impl IntoView {
    let pipeline = use_pipeline();
    let on_files = Callback::new(move |files: Vec<InputFile>| pipeline.import(files));
    let on_demo = Callback::new(move |()| pipeline.demo());
    let on_reading = Callback::new(move |count: u32| pipeline.busy("Dateien lesen", count));
    view! {
        <div class="page" data-testid="page-load">
            <DropZone on_files=on_files on_reading=on_reading on_demo=on_demo />
            <ReportsReady />
            <MappingEditors />
            <SettingsPanel />
            <FileReports summaries=use_summaries() />
        </div>
    }
}

/// Once the reports are computed: how many, and where to look at them or download them.
#[component]
fn ReportsReady() -> impl IntoView {
    let reports = use_report_set();
    let navigator = use_navigator();
    move || {
        reports.with(|r| {
            r.as_ref().map(|r| {
                let count = r.tables.len();
                let date = r.reference_date.clone().unwrap_or_else(|| "unbekannt".into());
                view! {
                    <section class="ready" data-testid="reports-ready" aria-labelledby="ready-title">
                        <h2 id="ready-title">"Berichte erstellt"</h2>
                        <p>
                            {format!("{count} geheimgehaltene Tabellen zum Stichtag {date}. ")}
                            "Sehen Sie sie unter „Berichte“ an oder laden Sie sie herunter."
                        </p>
                        <button type="button" class="button" data-testid="go-download"
                            on:click=move |_| navigator.go(Page::Download)>
                            "Zum Herunterladen"
                        </button>
                        " "
                        <button type="button" class="button secondary" data-testid="go-reports"
                            on:click=move |_| navigator.go(Page::Report(ReportPage::Monatsreihe))>
                            "Berichte ansehen"
                        </button>
                    </section>
                }
            })
        })
    }
}
