//! The report area: lists the loaded files and, once the pipeline exists, the reports.

use lagebild_core::format;
use leptos::prelude::*;

use super::drop_zone::LoadedFile;

/// Shows the loaded files, or a hint when nothing is loaded yet.
#[component]
pub fn ReportArea(files: ReadSignal<Vec<LoadedFile>>) -> impl IntoView {
    view! {
        <section class="report-area" data-testid="report-area" aria-labelledby="report-area-title">
            <h2 id="report-area-title">"Berichte"</h2>
            <Show
                when=move || !files.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="empty" data-testid="report-empty">
                        "Noch keine Daten geladen. Ziehen Sie Exporte in das Feld „Daten laden“."
                    </p>
                }
            >
                <table class="file-list" data-testid="file-list">
                    <caption>"Geladene Dateien"</caption>
                    <thead>
                        <tr><th scope="col">"Datei"</th><th scope="col">"Größe"</th></tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || files.get().into_iter().enumerate()
                            key=|(i, _)| *i
                            children=|(_, file)| view! {
                                <tr>
                                    <td>{file.name}</td>
                                    <td class="number">{format::file_size(file.size)}</td>
                                </tr>
                            }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}
