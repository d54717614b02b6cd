//! The loaded files with their import reports: detected source, rows read, accepted and
//! rejected, and the full report (shapes and counts, never names).

use lagebild_core::format;
use leptos::prelude::*;

use lagebild_core::import::Asked;

use crate::client::{use_notice, use_pipeline};
use crate::protocol::{DateAnswer, FileId, FileSummary};
use crate::state::Notice;

/// The table of loaded files, or a hint when nothing is loaded yet.
#[component]
pub fn FileReports(
    /// One summary per imported file.
    summaries: ReadSignal<Vec<FileSummary>>,
) -> impl IntoView {
    view! {
        <section class="report-area" data-testid="report-area" aria-labelledby="report-area-title">
            <h2 id="report-area-title">"Geladene Dateien"</h2>
            <Show
                when=move || !summaries.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="empty" data-testid="report-empty">
                        "Noch keine Daten geladen. Ziehen Sie Exporte in das Feld „Daten laden“."
                    </p>
                }
            >
                <table class="file-list" data-testid="file-list">
                    <thead>
                        <tr>
                            <th scope="col">"Datei"</th>
                            <th scope="col">"Größe"</th>
                            <th scope="col">"Quelle"</th>
                            <th scope="col">"Zeilen"</th>
                            <th scope="col">"übernommen"</th>
                            <th scope="col">"abgewiesen"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            summaries
                                .get()
                                .into_iter()
                                .map(|file| view! { <FileRow file=file /> })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// One file: a summary row and, below it, the import report.
#[component]
fn FileRow(file: FileSummary) -> impl IntoView {
    let failed = file.error.is_some();
    let source = file
        .source
        .clone()
        .unwrap_or_else(|| "nicht erkannt".to_string());
    view! {
        <tr class:failed=failed data-testid="file-row">
            <td>{file.name.clone()}</td>
            <td class="number">{format::file_size(file.size)}</td>
            <td>{source}</td>
            <td class="number">{format::count(file.rows_read)}</td>
            <td class="number">{format::count(file.rows_accepted)}</td>
            <td class="number">{format::count(file.rows_rejected)}</td>
        </tr>
        <tr class="report-row">
            <td colspan="6">
                {file.error.clone().map(|e| view! { <p class="error" data-testid="file-error">{e}</p> })}
                {file.dating.clone().map(|dating| match dating.asks {
                    Some(asks) => view! { <DatingInput file=file.id asks=asks message=dating.message /> }.into_any(),
                    None => view! { <p class="hint" data-testid="dating-note">{dating.message}</p> }.into_any(),
                })}
                <details>
                    <summary>"Einlesebericht"</summary>
                    <pre data-testid="file-report">{file.report.clone()}</pre>
                </details>
            </td>
        </tr>
    }
}

/// The Stichtag or reporting month of one file, asked of the analyst when the file name gives
/// none, several, or one the data contradict; the file is read again with the answer.
#[component]
fn DatingInput(file: FileId, asks: Asked, message: String) -> impl IntoView {
    let pipeline = use_pipeline();
    let notice = use_notice();
    let value = RwSignal::new(String::new());
    let (label, kind) = match asks {
        Asked::Stichtag => ("Stichtag", "date"),
        Asked::ReportMonth => ("Berichtsmonat", "month"),
    };
    let apply = move |_| match DateAnswer::parse(asks, &value.get_untracked()) {
        Some(answer) => pipeline.date(file, answer),
        None => notice.set(Some(Notice::error(format!(
            "Bitte wählen Sie zuerst einen gültigen {label}."
        )))),
    };
    view! {
        <div class="dating" data-testid="dating">
            <p data-testid="dating-message">{message}</p>
            <label>
                {label}" "
                <input
                    type=kind
                    data-testid="dating-input"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
            " "
            <button type="button" data-testid="dating-apply" on:click=apply>
                "Übernehmen und neu einlesen"
            </button>
        </div>
    }
}
