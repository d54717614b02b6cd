//! "Zuordnung prüfen": for every file whose required columns are missing or whose source was
//! not recognised (or not with certainty), a column-mapping editor (header -> field, with the shape of an example
//! value, never the value). Applying saves the mapping as a setting and imports the files
//! again.

use lagebild_core::import::{ColumnMapping, Field, SourceKind};
use leptos::prelude::*;

use crate::app::AppState;
use crate::components::settings_panel::remember_settings;
use crate::protocol::{FileSummary, MappingNeed, Request};

/// The editors of every file that needs a mapping (nothing if none does).
#[component]
pub fn MappingEditors() -> impl IntoView {
    let state = expect_context::<AppState>();
    let needs = move || {
        state.summaries.with(|all| {
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

/// The editor of one file.
#[component]
fn FileMapping(index: usize, file: FileSummary) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(need) = file.mapping.clone() else {
        return ().into_any();
    };
    let MappingNeed {
        source,
        reason,
        columns,
        fields,
    } = need;
    let source = RwSignal::new(source.unwrap_or(SourceKind::Meldewesen));
    let chosen = RwSignal::new(columns.iter().map(|c| c.field).collect::<Vec<_>>());
    // Choosing another source starts from what each column is known as for that source.
    let suggestions = StoredValue::new(
        columns
            .iter()
            .map(|c| c.by_source.clone())
            .collect::<Vec<_>>(),
    );
    let fields = StoredValue::new(fields);
    let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
    let source_id = format!("mapping-source-{index}");
    let title_id = format!("mapping-file-{index}");
    let title_ref = title_id.clone();
    let source_ref = source_id.clone();
    let missing = move || {
        let src = source.get();
        let have = chosen.get();
        fields.with_value(|f| {
            f.iter()
                .filter(|c| c.source == src && c.required && !have.contains(&Some(c.field)))
                .map(|c| format!("„{}“", c.field.label()))
                .collect::<Vec<_>>()
        })
    };
    let apply_headers = headers.clone();
    let file_id = file.id;
    let apply = move |_| {
        let src = source.get_untracked();
        let columns = apply_headers
            .iter()
            .cloned()
            .zip(chosen.get_untracked())
            .collect();
        let mapping = ColumnMapping {
            source: Some(src),
            columns,
        };
        let mut settings = state.settings.get_untracked();
        settings.mappings.mappings.retain(|m| m.source != Some(src));
        settings.mappings.mappings.push(mapping);
        let mappings = settings.mappings.clone();
        remember_settings(state, settings);
        state.notice.set(None);
        state.busy("Neu einlesen", 1);
        state.send(Request::Configure(mappings));
        state.send(Request::Retry(Some((file_id, src))));
    };
    let rows = columns
        .into_iter()
        .enumerate()
        .map(|(i, column)| {
            let select_id = format!("mapping-{index}-{i}");
            let header = column.header.clone();
            let on_change = move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                let field = fields.with_value(|f| {
                    value
                        .parse::<usize>()
                        .ok()
                        .and_then(|k| f.get(k))
                        .map(|c| c.field)
                });
                chosen.update(|c| {
                    if let Some(slot) = c.get_mut(i) {
                        *slot = field;
                    }
                });
            };
            let options = move || {
                let src = source.get();
                let current: Option<Field> = chosen.with(|c| c.get(i).copied().flatten());
                fields.with_value(|f| {
                    f.iter()
                        .enumerate()
                        .filter(|(_, c)| c.source == src)
                        .map(|(k, c)| {
                            let label = if c.required {
                                format!("{} (Pflicht)", c.field.label())
                            } else {
                                c.field.label().to_owned()
                            };
                            view! {
                                <option value=k.to_string() selected=current == Some(c.field)>{label}</option>
                            }
                        })
                        .collect_view()
                })
            };
            let none_selected = move || chosen.with(|c| c.get(i).copied().flatten().is_none());
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
                            source.set(s);
                            chosen.set(suggestions.with_value(|all| {
                                all.iter()
                                    .map(|by| by.iter().find(|(k, _)| *k == s).and_then(|(_, f)| *f))
                                    .collect()
                            }));
                        }
                    }
                >
                    {SourceKind::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.label() selected=move || source.get() == s>{s.label()}</option> })
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
                {move || {
                    let m = missing();
                    if m.is_empty() {
                        "Alle Pflichtmerkmale sind zugeordnet.".to_owned()
                    } else {
                        format!("Noch nicht zugeordnet: {}.", m.join(", "))
                    }
                }}
            </p>
            <button type="button" class="button" data-testid="mapping-apply" on:click=apply>
                "Zuordnung übernehmen und neu einlesen"
            </button>
        </section>
    }
    .into_any()
}
