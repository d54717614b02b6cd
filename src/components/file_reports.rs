//! The loaded files with their import reports: detected source, rows read, accepted and
//! rejected, and the full report (shapes and counts, never names); a wrongly loaded file can
//! be removed from the session.

use lagebild_core::format;
use leptos::prelude::*;

use lagebild_core::import::Asked;

use crate::client::{use_notice, use_pipeline};
use crate::components::confirm::{Question, use_confirm};
use crate::protocol::{DateAnswer, FileId, FileSummary};
use crate::state::Notice;

/// The table of loaded files, or a hint when nothing is loaded yet.
#[component]
pub fn FileReports(
    /// One summary per imported file.
    summaries: ReadSignal<Vec<FileSummary>>,
) -> impl IntoView {
    let pipeline = use_pipeline();
    let busy = Memo::new(move |_| pipeline.is_busy());
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
                            <th scope="col"><span class="visually-hidden">"Aktion"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            summaries
                                .get()
                                .into_iter()
                                .map(|file| view! { <FileRow file=file busy=busy /> })
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
fn FileRow(
    /// The file.
    file: FileSummary,
    /// True while the worker is busy (files are removed between runs only).
    busy: Memo<bool>,
) -> impl IntoView {
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
            <td><RemoveFile file=file.id name=file.name.clone() busy=busy /></td>
        </tr>
        <tr class="report-row">
            <td colspan="7">
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

/// "Entfernen": drops one file and its records from the session after asking; the reports
/// are made again from the other files.
#[component]
fn RemoveFile(
    /// The file.
    file: FileId,
    /// Its name, for the question.
    name: String,
    /// True while the worker is busy.
    busy: Memo<bool>,
) -> impl IntoView {
    let pipeline = use_pipeline();
    let confirm = use_confirm();
    let label = format!("„{name}“ aus der Sitzung entfernen");
    let ask = move |_| {
        confirm.ask(Question {
            title: format!("„{name}“ entfernen?"),
            text: "Die Datei und alle aus ihr übernommenen Datensätze werden aus dieser Sitzung \
                   entfernt; die Berichte werden aus den übrigen Dateien neu erstellt. Die Datei \
                   auf Ihrem Rechner bleibt unverändert."
                .into(),
            go_ahead: "Entfernen",
            keep: "Behalten",
            on_confirm: Callback::new(move |()| pipeline.remove_file(file)),
        });
    };
    view! {
        <button
            type="button"
            class="button secondary small"
            data-testid="remove-file"
            aria-label=label
            disabled=move || busy.get()
            on:click=ask
        >
            "Entfernen"
        </button>
    }
}
