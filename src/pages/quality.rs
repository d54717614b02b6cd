//! Qualität: exact figures for the analyst (nur zur Prüfung, no download), and the protected
//! linkage tables.

use leptos::prelude::*;

use crate::client::{use_pipeline, use_report_set, use_settings};
use crate::components::report_frame::{ReportFrame, TablesOn};
use crate::route::ReportPage;
use lagebild_core::format;

use crate::protocol::{NeedsMappingView, ReviewListView, ReviewPairView, RunView};
use lagebild_core::classify::values::ValueMapping;

/// The Qualität page.
#[component]
pub fn QualityPage() -> impl IntoView {
    let reports = use_report_set();
    let lines = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| r.quality.lines.clone())
                .unwrap_or_default()
        })
    };
    let notes = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| r.quality.notes.clone())
                .unwrap_or_default()
        })
    };
    let sources =
        move || reports.with(|r| r.as_ref().map(|r| r.sources.clone()).unwrap_or_default());
    let rules = move || reports.with(|r| r.as_ref().map(|r| r.rules.clone()).unwrap_or_default());
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
                        view! { <ul data-testid="quality-notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> }.into_any()
                    }
                }}
                <NeedsMappingSection />
                <ReviewSection />
                <RunSection />
                <h3>"Verwendete Dateien"</h3>
                <ul data-testid="sources">{move || sources().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                <h3>"Regeln"</h3>
                <ul data-testid="rules">{move || rules().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            </div>
            <h3>"Geheimgehaltene Tabellen (Verknüpfung, Personenkreisschlüssel)"</h3>
            <TablesOn
                page=ReportPage::Qualitaet
                missing="Keine Verknüpfungstabellen und keine Tabelle nach Personenkreisschlüssel im aktuellen Bericht."
                downloads=false
            />
        </ReportFrame>
    }
}

/// The list "Zuordnung fehlt" of the ALW snapshot (values and counts, never persons): an
/// unreadable value can be mapped to a citation here; the mapping is saved with the settings
/// and the reports are made again. The office's mappings, each removable.
#[component]
fn NeedsMappingSection() -> impl IntoView {
    let reports = use_report_set();
    let settings = use_settings();
    let pipeline = use_pipeline();
    let gaps = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| r.quality.needs_mapping.clone())
                .unwrap_or_default()
        })
    };
    let propose = move |change: &dyn Fn(&mut Vec<ValueMapping>)| {
        let mut next = settings.get_untracked();
        change(&mut next.values);
        pipeline.propose_classification(next);
    };
    let own = move || settings.with(|s| s.values.clone());
    view! {
        <h3 id="needs-mapping-title">"Zuordnung fehlt (Ausländerwesen)"</h3>
        <p>"Erteilungsgründe, die keine Regel entscheidet. Einem nicht lesbaren Wert (etwa einem Kürzel der ALW-Software) können Sie hier eine Fundstelle zuordnen, z. B. „§ 25 Abs. 2 AufenthG“; die Regeln entscheiden dann wie bei dieser Fundstelle. Lesbare Werte ohne Regel (z. B. die Fiktionsbescheinigung) entscheiden die Regeldatei und ihre Schalter."</p>
        <p class="hint" data-testid="value-map-privacy">"Eine Zuordnung speichert den Wert, wie er im Export steht, in den Einstellungen dieses Browsers. Steht darin etwas über eine Person (ein Name, ein Aktenzeichen, eine Bemerkung zur Akte), ordnen Sie den Wert nicht zu: Lassen Sie den Eintrag im Ausländerwesen berichtigen."</p>
        {move || {
            let gaps = gaps();
            if gaps.is_empty() {
                view! { <p data-testid="needs-mapping-none">"Keine Werte ohne Zuordnung."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="needs-mapping-title">
                        <table data-testid="needs-mapping">
                            <thead>
                                <tr>
                                    <th scope="col">"Wert"</th>
                                    <th scope="col">"Grund"</th>
                                    <th scope="col">"Datensätze"</th>
                                    <th scope="col">"davon über die Aufenthaltsart zugeordnet"</th>
                                    <th scope="col">"Fundstelle zuordnen"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {gaps.into_iter().map(|g| view! { <NeedsMappingRow gap=g propose=Callback::new(move |m: ValueMapping| propose(&|values: &mut Vec<ValueMapping>| values.push(m.clone()))) /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
        {move || {
            let own = own();
            (!own.is_empty()).then(|| view! {
                <h4>"Eigene Zuordnungen"</h4>
                <ul data-testid="value-mappings">
                    {own.into_iter().enumerate().map(|(i, m)| view! {
                        <li data-testid="value-mapping">
                            {format!("„{}“ → {}", m.value, m.citation)}" "
                            <button
                                type="button"
                                class="button secondary"
                                data-testid="value-mapping-remove"
                                on:click=move |_| propose(&|values: &mut Vec<ValueMapping>| { values.remove(i); })
                            >
                                "entfernen"
                            </button>
                        </li>
                    }).collect_view()}
                </ul>
            })
        }}
    }
}

/// One value of the list "Zuordnung fehlt"; an unreadable one with a field for its citation.
#[component]
fn NeedsMappingRow(gap: NeedsMappingView, propose: Callback<ValueMapping>) -> impl IntoView {
    let citation = RwSignal::new(String::new());
    let value = gap.value.clone();
    let field = gap.mappable.then(|| {
        let label = format!("Fundstelle für „{}“", gap.value);
        view! {
            <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let text = citation.get_untracked();
                if !text.trim().is_empty() {
                    propose.run(ValueMapping { value: value.clone(), citation: text.trim().to_owned() });
                }
            }>
                <input
                    type="text"
                    aria-label=label
                    placeholder="§ 25 Abs. 2 AufenthG"
                    data-testid="value-map-input"
                    prop:value=move || citation.get()
                    on:input=move |ev| citation.set(event_target_value(&ev))
                />
                <button type="submit" class="button" data-testid="value-map-save">"Zuordnen"</button>
            </form>
        }
    });
    view! {
        <tr data-testid="needs-mapping-row">
            <th scope="row">{gap.value.clone()}</th>
            <td>{gap.why}</td>
            <td class="number">{gap.count}</td>
            <td class="number">{gap.by_residence_kind}</td>
            <td>{field}</td>
        </tr>
    }
}

/// Time per stage of the last run and the memory the computation holds in this tab.
#[component]
fn RunSection() -> impl IntoView {
    let reports = use_report_set();
    let run = move || reports.with(|r| r.as_ref().map(|r| r.run.clone()).unwrap_or_default());
    move || {
        let RunView {
            stages,
            memory_bytes,
        } = run();
        let total: f64 = stages.iter().map(|s| s.seconds).sum();
        view! {
            <h3>"Verarbeitung"</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="run-caption">
                <table data-testid="run-table" data-seconds=total.to_string() data-memory=memory_bytes.to_string()>
                    <caption id="run-caption">"Dauer je Arbeitsschritt (letzter Lauf)"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Arbeitsschritt"</th>
                            <th scope="col">"Dauer"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {stages
                            .iter()
                            .map(|s| {
                                view! {
                                    <tr>
                                        <th scope="row">{s.stage.label()}</th>
                                        <td class="number">{format!("{} s", format::decimal(s.seconds, 2))}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                        <tr>
                            <th scope="row">"Zusammen"</th>
                            <td class="number">{format!("{} s", format::decimal(total, 2))}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
            <p data-testid="run-memory">
                {format!(
                    "Arbeitsspeicher der Auswertung in diesem Tab (Höchststand): {}; im Browser stehen höchstens {} zur Verfügung.",
                    format::file_size(memory_bytes),
                    format::file_size(lagebild_core::import::WASM_BUDGET_BYTES),
                )}
            </p>
        }
    }
}

/// Pairs for the analyst's review per pair of registers: rows of both sides (file and row, no
/// personal values), weight and probability, each with its weight per comparison.
#[component]
fn ReviewSection() -> impl IntoView {
    let reports = use_report_set();
    let lists = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| r.quality.review.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h3>"Paare zur Prüfung (Verknüpfung)"</h3>
        <p>"Paare im Prüfband wurden nicht verknüpft; knapp verknüpfte Paare liegen gerade über der Schwelle. Angegeben sind nur Datei und Zeile: Schlagen Sie die Datensätze in den Quelldateien nach. Das Gewicht ist die Summe aus Ausgangsgewicht und den Gewichten der Vergleiche."</p>
        {move || {
            let lists = lists();
            if lists.is_empty() {
                view! { <p data-testid="review-none">"Keine Verknüpfung im aktuellen Bericht."</p> }.into_any()
            } else {
                lists
                    .into_iter()
                    .enumerate()
                    .map(|(i, list)| view! { <ReviewTable list=list index=i /> })
                    .collect_view()
                    .into_any()
            }
        }}
    }
}

/// The review pairs of one pair of registers.
#[component]
fn ReviewTable(list: ReviewListView, index: usize) -> impl IntoView {
    let caption_id = format!("review-caption-{index}");
    let labelled_by = caption_id.clone();
    if list.pairs.is_empty() {
        return view! {
            <h4>{list.label}</h4>
            <p data-testid="review-none">"Keine Paare im Prüfband und keine knapp verknüpften Paare."</p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=labelled_by data-testid="review-list">
            <table>
                <caption id=caption_id>{list.label}": "{list.summary}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Datensatz A"</th>
                        <th scope="col">"Datensatz B"</th>
                        <th scope="col">"Art"</th>
                        <th scope="col">"Gewicht"</th>
                        <th scope="col">"Wahrscheinlichkeit"</th>
                        <th scope="col">"Erklärung"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.pairs.into_iter().map(|p| view! { <ReviewRow pair=p /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One review pair with its explanation (expandable).
#[component]
fn ReviewRow(pair: ReviewPairView) -> impl IntoView {
    let swapped = pair.swapped.then_some(
        view! { <p>"Familien- und Vorname wurden über Kreuz verglichen (vertauscht)."</p> },
    );
    view! {
        <tr data-testid="review-pair">
            <th scope="row">{pair.a}</th>
            <td>{pair.b}</td>
            <td>{pair.kind}</td>
            <td class="number">{pair.weight.clone()}</td>
            <td class="number">{pair.probability}" %"</td>
            <td>
                <details>
                    <summary>"Gewicht je Vergleich"</summary>
                    <table data-testid="review-explanation">
                        <thead>
                            <tr>
                                <th scope="col">"Vergleich"</th>
                                <th scope="col">"Übereinstimmung"</th>
                                <th scope="col">"Gewicht"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <tr>
                                <th scope="row">"Ausgangsgewicht"</th>
                                <td>"Anteil der Treffer unter allen Paaren"</td>
                                <td class="number">{pair.prior}</td>
                            </tr>
                            {pair.comparisons.into_iter().map(|c| view! {
                                <tr data-testid="review-comparison">
                                    <th scope="row">{c.comparison}</th>
                                    <td>{c.level}</td>
                                    <td class="number">{c.weight}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">"Summe"</th>
                                <td></td>
                                <td class="number">{pair.weight}</td>
                            </tr>
                        </tfoot>
                    </table>
                    {swapped}
                </details>
            </td>
        </tr>
    }
}
