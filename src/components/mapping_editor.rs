//! "Zuordnung prüfen": for every file whose required columns are missing or whose source was
//! not recognised (or not with certainty), a column-mapping editor (header -> field, with the shape of an example
//! value, never the value). Applying saves the mapping as a setting and imports the files
//! again.

use lagebild_core::import::SourceKind;
use lagebild_core::import::need::MappingDraft;
use leptos::prelude::*;

use crate::client::{use_pipeline, use_settings, use_summaries};
use crate::protocol::FileSummary;

/// The editors of every file that needs a mapping (nothing if none does).
#[component]
pub fn MappingEditors() -> impl IntoView {
    let summaries = use_summaries();
    let needs = move || {
        summaries.with(|all| {
            all.iter()
                .filter(|f| f.mapping.is_some())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    move || {
        let needs = needs();
        (!needs.is_empty()).then(|| {
            view! {
                <section class="mapping-editor" data-testid="mapping-editor" aria-labelledby="mapping-title">
                    <h2 id="mapping-title">"Zuordnung prüfen"</h2>
                    <p class="hint">
                        "Ordnen Sie jeder Spalte das passende Merkmal zu. Gezeigt wird nur die Form des ersten Werts (9 = Ziffer, A/a = Buchstabe), nie der Wert selbst. Die Zuordnung wird als Einstellung gespeichert und gilt auch für die Exporte der nächsten Monate."
                    </p>
                    {needs
                        .into_iter()
                        .enumerate()
                        .map(|(i, file)| view! { <FileMapping index=i file=file /> })
                        .collect_view()}
                </section>
            }
        })
    }
}

/// The editor of one file: a [`MappingDraft`] in a signal; the rules are the draft's.
#[component]
fn FileMapping(index: usize, file: FileSummary) -> impl IntoView {
    let pipeline = use_pipeline();
    let in_force = use_settings();
    let Some(need) = file.mapping.clone() else {
        return ().into_any();
    };
    let reason = need.reason.clone();
    let columns = need.columns.clone();
    let draft = RwSignal::new(MappingDraft::new(need));
    let source_id = format!("mapping-source-{index}");
    let title_id = format!("mapping-file-{index}");
    let title_ref = title_id.clone();
    let source_ref = source_id.clone();
    let file_id = file.id;
    let apply = move |_| {
        let src = draft.with_untracked(MappingDraft::source);
        let mut settings = in_force.get_untracked();
        draft.with_untracked(|d| d.save_into(&mut settings.mappings));
        pipeline.apply_mapping(settings, file_id, src);
    };
    let rows = columns
        .into_iter()
        .enumerate()
        .map(|(i, column)| {
            let select_id = format!("mapping-{index}-{i}");
            let header = column.header.clone();
            let on_change = move |ev: leptos::ev::Event| {
                let choice = event_target_value(&ev).parse::<usize>().ok();
                draft.update(|d| d.set_choice(i, choice));
            };
            let options = move || {
                draft.with(|d| {
                    let current = d.field(i);
                    d.options()
                        .map(|(k, c)| {
                            view! {
                                <option value=k.to_string() selected=current == Some(c.field)>{c.label()}</option>
                            }
                        })
                        .collect_view()
                })
            };
            let none_selected = move || draft.with(|d| d.field(i).is_none());
            view! {
                <tr>
                    <th scope="row"><label for=select_id.clone()>{header}</label></th>
                    <td class="shape">{if column.shape.is_empty() { "(leer)".to_owned() } else { column.shape.clone() }}</td>
                    <td>
                        <select id=select_id data-testid="mapping-field" on:change=on_change>
                            <option value="" selected=none_selected>"– nicht übernehmen –"</option>
                            {options}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="file-mapping" data-testid="file-mapping" aria-labelledby=title_ref>
            <h3 id=title_id>{file.name.clone()}</h3>
            <p>{reason}</p>
            <div class="field-row">
                <label for=source_ref>"Quelle"</label>
                <select
                    id=source_id
                    data-testid="mapping-source"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(s) = SourceKind::ALL.into_iter().find(|s| s.label() == value) {
                            draft.update(|d| d.choose_source(s));
                        }
                    }
                >
                    {SourceKind::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.label() selected=move || draft.with(|d| d.source() == s)>{s.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("Spalten von {}", file.name)>
                <table>
                    <caption>"Spalten der Datei"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Spalte"</th>
                            <th scope="col">"Form des ersten Werts"</th>
                            <th scope="col">"Merkmal"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="hint" data-testid="mapping-missing" aria-live="polite">
                {move || draft.with(MappingDraft::missing_message)}
            </p>
            <button type="button" class="button" data-testid="mapping-apply" on:click=apply>
                "Zuordnung übernehmen und neu einlesen"
            </button>
        </section>
    }
    .into_any()
}
