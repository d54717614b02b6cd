//! Qualität: exact figures for the analyst (nur zur Prüfung, no download), and the protected
//! linkage tables.

use leptos::prelude::*;

use super::ReportPage;
use super::report::{ReportFrame, TablesOn};
use crate::app::AppState;

/// The Qualität page.
#[component]
pub fn QualityPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lines = move || {
        state.reports.with(|r| {
            r.as_ref()
                .map(|r| r.quality.lines.clone())
                .unwrap_or_default()
        })
    };
    let notes = move || {
        state.reports.with(|r| {
            r.as_ref()
                .map(|r| r.quality.notes.clone())
                .unwrap_or_default()
        })
    };
    let sources = move || {
        state
            .reports
            .with(|r| r.as_ref().map(|r| r.sources.clone()).unwrap_or_default())
    };
    let rules = move || {
        state
            .reports
            .with(|r| r.as_ref().map(|r| r.rules.clone()).unwrap_or_default())
    };
    view! {
        <ReportFrame
            page=ReportPage::Qualitaet
            intro="Genaue Zahlen zur Prüfung der Auswertung: welche Bestände verwendet wurden, wie viele Adressen zugeordnet werden konnten, was nicht klassifiziert wurde."
        >
            <div class="review-only" data-testid="review-only">
                <p class="badge">"nur zur Prüfung"</p>
                <p>"Diese Zahlen sind nicht geheimgehalten. Sie dienen nur Ihrer Kontrolle und können nicht heruntergeladen werden; geben Sie sie nicht weiter."</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="quality-caption">
                    <table data-testid="quality-table">
                        <caption id="quality-caption">"Kennzahlen der Auswertung"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Kennzahl"</th>
                                <th scope="col">"Wert"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || lines()
                                .into_iter()
                                .map(|l| view! { <tr><th scope="row">{l.label}</th><td class="number">{l.value}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>"Hinweise"</h3>
                {move || {
                    let notes = notes();
                    if notes.is_empty() {
                        view! { <p>"Keine Hinweise."</p> }.into_any()
                    } else {
                        view! { <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> }.into_any()
                    }
                }}
                <h3>"Verwendete Dateien"</h3>
                <ul data-testid="sources">{move || sources().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                <h3>"Regeln"</h3>
                <ul>{move || rules().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            </div>
            <h3>"Verknüpfung (geheimgehaltene Tabellen)"</h3>
            <TablesOn
                page=ReportPage::Qualitaet
                missing="Keine Verknüpfungstabellen im aktuellen Bericht."
                downloads=false
            />
        </ReportFrame>
    }
}
