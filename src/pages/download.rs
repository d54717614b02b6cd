//! Herunterladen: the whole report set as one XLSX workbook, any table as XLSX or CSV.

use leptos::prelude::*;

use crate::client::{use_pipeline, use_report_set};
use crate::components::report_frame::NoReports;
use crate::protocol::DownloadRequest;
use crate::route::ReportPage;

/// The Herunterladen page.
#[component]
pub fn DownloadPage() -> impl IntoView {
    let pipeline = use_pipeline();
    let reports = use_report_set();
    let tables = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.tables
                        .iter()
                        .map(|t| (t.key.clone(), t.title.clone(), ReportPage::from(t.page)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="page" data-testid="page-download" aria-labelledby="page-title">
            <h2 id="page-title">"Herunterladen"</h2>
            <p class="intro">"Alle Dateien enthalten nur geheimgehaltene Werte („.“ = gesperrt, „–“ = nichts vorhanden) mit Stichtag, Quellen und angewandter Regel. Die Qualitätszahlen sind nicht enthalten. Die Arbeitsmappe enthält auch die Kreuztabellen, die Sie seit der letzten Berechnung erstellt haben; sie sind mit dem Bericht gemeinsam geprüft."</p>
            <Show when=move || reports.with(Option::is_some) fallback=|| view! { <NoReports /> }>
                <p>
                    <button
                        type="button"
                        class="button"
                        data-testid="download-workbook"
                        on:click=move |_| pipeline.download(DownloadRequest::Workbook)
                    >
                        "Alle Berichte als Excel-Arbeitsmappe (XLSX)"
                    </button>
                </p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="download-caption">
                    <table class="download-list" data-testid="download-list">
                        <caption id="download-caption">"Einzelne Tabellen"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Tabelle"</th>
                                <th scope="col">"Bericht"</th>
                                <th scope="col">"Herunterladen"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || tables()
                                .into_iter()
                                .map(|(key, title, page)| {
                                    let page = page.label();
                                    let xlsx_key = key.clone();
                                    let csv_key = key.clone();
                                    let xlsx_label = format!("XLSX: „{title}“ als Excel-Datei herunterladen");
                                    let csv_label = format!("CSV: „{title}“ als CSV-Datei herunterladen");
                                    view! {
                                        <tr data-key=key>
                                            <th scope="row">{title}</th>
                                            <td>{page}</td>
                                            <td class="actions">
                                                <button type="button" class="button secondary" aria-label=xlsx_label
                                                    on:click=move |_| pipeline.download(DownloadRequest::TableXlsx(xlsx_key.clone()))>
                                                    "XLSX"
                                                </button>
                                                " "
                                                <button type="button" class="button secondary" aria-label=csv_label
                                                    on:click=move |_| pipeline.download(DownloadRequest::TableCsv(csv_key.clone()))>
                                                    "CSV"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
