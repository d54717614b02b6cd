//! Kreuztabelle: the analyst picks source, row and column dimensions and gets a protected
//! table, counted and protected in the worker like every report.

use std::collections::BTreeMap;

use lagebild_core::reports::crosstab::{CrosstabFilter, CrosstabRequest, CrosstabSource};
use leptos::prelude::*;

use crate::client::{use_crosstab, use_crosstab_choices, use_pipeline, use_report_set};
use crate::components::report_frame::ReportFrame;
use crate::components::report_table::ReportTable;
use crate::route::ReportPage;

/// The Kreuztabelle page.
#[component]
pub fn CrosstabPage() -> impl IntoView {
    let pipeline = use_pipeline();
    let reports = use_report_set();
    let choices = use_crosstab_choices();
    let crosstab = use_crosstab();
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
    // Chosen filter categories per dimension id (none = alle).
    let filters = RwSignal::new(BTreeMap::<String, Vec<String>>::new());
    // The filters' categories come from the loaded data, asked for per source.
    Effect::new(move |_| {
        let chosen = source.get();
        if reports.with(Option::is_some)
            && choices.with_untracked(|c| c.as_ref().is_none_or(|(s, _)| *s != chosen))
        {
            pipeline.crosstab_choices(chosen);
        }
    });
    let on_source = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let chosen = CrosstabSource::ALL
            .into_iter()
            .find(|s| s.label() == value)
            .unwrap_or(CrosstabSource::Bevoelkerung);
        source.set(chosen);
        filters.set(BTreeMap::new());
        let dims = chosen.dimensions();
        rows.set(dims.get(1).map(|d| d.id.to_owned()).unwrap_or_default());
        columns.set(dims.get(3).map(|d| d.id.to_owned()).unwrap_or_default());
    };
    // The last request, made again in another design when the analyst chooses one.
    let last = StoredValue::new(None::<CrosstabRequest>);
    let redesign = Callback::new(move |design| {
        if let Some(mut request) = last.get_value() {
            request.design = design;
            last.set_value(Some(request.clone()));
            pipeline.crosstab(request);
        }
    });
    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CrosstabRequest {
            design: Default::default(),
            source: source.get_untracked(),
            rows: rows.get_untracked(),
            columns: Some(columns.get_untracked()).filter(|c| !c.is_empty()),
            filters: filters.with_untracked(|f| {
                f.iter()
                    .filter(|(_, categories)| !categories.is_empty())
                    .map(|(dimension, categories)| CrosstabFilter {
                        dimension: dimension.clone(),
                        categories: categories.clone(),
                    })
                    .collect()
            }),
        };
        last.set_value(Some(request.clone()));
        pipeline.crosstab(request);
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
                </div>
                <FilterFields source=source filters=filters />
                <div class="field-row">
                    <button type="submit" class="button" data-testid="crosstab-make">"Tabelle erstellen"</button>
                </div>
            </form>
            {move || crosstab.get().map(|t| view! { <ReportTable table=t on_design=redesign /> })}
        </ReportFrame>
    }
}

/// Dimensions whose categories are too many for a list (one entry per Baublock).
const NO_FILTER: [&str; 1] = ["raum:baublock"];

/// One list per dimension of the source: count only the chosen categories of it (several with
/// Strg or Umschalt; none chosen = alle).
#[component]
fn FilterFields(
    source: RwSignal<CrosstabSource>,
    filters: RwSignal<BTreeMap<String, Vec<String>>>,
) -> impl IntoView {
    let all_choices = use_crosstab_choices();
    let choices = move || {
        all_choices.with(|c| match c {
            Some((s, choices)) if *s == source.get() => choices
                .iter()
                .filter(|c| !NO_FILTER.contains(&c.dimension.as_str()))
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    };
    let any_chosen = move || filters.with(|f| f.values().any(|c| !c.is_empty()));
    view! {
        <fieldset class="crosstab-filters" data-testid="crosstab-filters">
            <legend>"Filter (nur diese Auswahl zählen)"</legend>
            {move || {
                let choices = choices();
                if choices.is_empty() {
                    return view! { <p>"Filter stehen zur Verfügung, sobald Berichte erstellt sind."</p> }.into_any();
                }
                view! {
                    <p class="hint" id="filter-hint">
                        "Ohne Auswahl zählen alle. Mehrere Werte eines Merkmals mit Strg-Klick (zählt jeden davon); Werte verschiedener Merkmale gelten zusammen."
                    </p>
                    <div class="filter-grid">
                        {choices
                            .into_iter()
                            .map(|choice| {
                                let id = format!("filter-{}", choice.dimension.replace(':', "-"));
                                let label_for = id.clone();
                                let testid = id.clone();
                                let dimension = choice.dimension.clone();
                                let selected_dim = choice.dimension.clone();
                                let selected = move |key: &str| {
                                    filters.with(|f| {
                                        f.get(&selected_dim).is_some_and(|c| c.iter().any(|k| k == key))
                                    })
                                };
                                let size = choice.categories.len().clamp(2, 4);
                                view! {
                                    <label for=label_for>{choice.label.clone()}</label>
                                    <select
                                        id=id
                                        data-testid=testid
                                        multiple=true
                                        size=size
                                        aria-describedby="filter-hint"
                                        on:change=move |ev| {
                                            let chosen = selected_values(&ev);
                                            filters.update(|f| {
                                                f.insert(dimension.clone(), chosen);
                                            });
                                        }
                                    >
                                        {choice
                                            .categories
                                            .into_iter()
                                            .map(|(key, label)| {
                                                let is = selected.clone();
                                                let value = key.clone();
                                                view! { <option value=value prop:selected=move || is(&key)>{label}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                }
                            })
                            .collect_view()}
                    </div>
                    <button
                        type="button"
                        class="button secondary small"
                        data-testid="filter-reset"
                        disabled=move || !any_chosen()
                        on:click=move |_| filters.set(BTreeMap::new())
                    >
                        "Filter zurücksetzen"
                    </button>
                }
                .into_any()
            }}
        </fieldset>
    }
}

/// The values of the options chosen in the `<select multiple>` of `ev`.
fn selected_values(ev: &leptos::ev::Event) -> Vec<String> {
    let select = event_target::<web_sys::HtmlSelectElement>(ev);
    let options = select.selected_options();
    (0..options.length())
        .filter_map(|i| options.item(i))
        .filter_map(|o| o.get_attribute("value"))
        .collect()
}
