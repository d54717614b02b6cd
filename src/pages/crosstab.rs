//! Kreuztabelle: the analyst picks source, row and column dimensions and gets a protected
//! table, counted and protected in the worker like every report.

use lagebild_core::reports::crosstab::{CrosstabRequest, CrosstabSource};
use leptos::prelude::*;

use super::ReportPage;
use super::report::ReportFrame;
use crate::app::AppState;
use crate::components::report_table::ReportTable;
use crate::protocol::Request;

/// The Kreuztabelle page.
#[component]
pub fn CrosstabPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let source = RwSignal::new(CrosstabSource::Bevoelkerung);
    let rows = RwSignal::new("raum:stadtteil".to_owned());
    let columns = RwSignal::new("geschlecht".to_owned());
    let options = move |with_none: bool, selected: RwSignal<String>| {
        let dims = source.get().dimensions();
        let none = with_none.then(|| {
            view! { <option value="" selected=move || selected.get().is_empty()>"keine"</option> }
        });
        view! {
            {none}
            {dims
                .iter()
                .map(|d| {
                    let id = d.id;
                    view! { <option value=id selected=move || selected.get() == id>{d.label}</option> }
                })
                .collect_view()}
        }
    };
    let on_source = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let chosen = CrosstabSource::ALL
            .into_iter()
            .find(|s| s.label() == value)
            .unwrap_or(CrosstabSource::Bevoelkerung);
        source.set(chosen);
        let dims = chosen.dimensions();
        rows.set(dims.get(1).map(|d| d.id.to_owned()).unwrap_or_default());
        columns.set(dims.get(3).map(|d| d.id.to_owned()).unwrap_or_default());
    };
    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CrosstabRequest {
            source: source.get_untracked(),
            rows: rows.get_untracked(),
            columns: Some(columns.get_untracked()).filter(|c| !c.is_empty()),
        };
        state.notice.set(None);
        state.busy("Kreuztabelle zählen", 1);
        state.send(Request::Crosstab(request, state.process_options()));
    };
    view! {
        <ReportFrame
            page=ReportPage::Kreuztabelle
            intro="Eine eigene Tabelle: Quelle, Zeilen- und Spaltenmerkmal wählen. Das Ergebnis wird wie jeder Bericht geheimgehalten und kann als XLSX oder CSV heruntergeladen werden."
        >
            <form class="crosstab-form" data-testid="crosstab-form" on:submit=make>
                <div class="field-row">
                    <label for="crosstab-source">"Quelle"</label>
                    <select id="crosstab-source" data-testid="crosstab-source" on:change=on_source>
                        {CrosstabSource::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.label() selected=move || source.get() == s>{s.label()}</option> })
                            .collect_view()}
                    </select>
                    <label for="crosstab-rows">"Zeilen"</label>
                    <select id="crosstab-rows" data-testid="crosstab-rows" on:change=move |ev| rows.set(event_target_value(&ev))>
                        {move || options(false, rows)}
                    </select>
                    <label for="crosstab-columns">"Spalten"</label>
                    <select id="crosstab-columns" data-testid="crosstab-columns" on:change=move |ev| columns.set(event_target_value(&ev))>
                        {move || options(true, columns)}
                    </select>
                    <button type="submit" class="button" data-testid="crosstab-make">"Tabelle erstellen"</button>
                </div>
            </form>
            {move || state.crosstab.get().map(|t| view! { <ReportTable table=t /> })}
        </ReportFrame>
    }
}
