//! A protected table as an accessible HTML table: caption, column and row headers, published
//! values only ("–" for nothing, "." for suppressed), the protection sentence and the notes,
//! with XLSX and CSV downloads; for the analyst how the design came about and a choice among
//! the planner's alternatives.

use leptos::prelude::*;

use lagebild_core::protect::DesignChoice;
use lagebild_core::tabulate::Page;

use crate::client::use_pipeline;
use crate::components::area_filter::{AreaChoice, AreaFilter, AreaOutline};
use crate::protocol::{DownloadRequest, TableView};

/// Consecutive equal header texts merged into one cell: (text, span).
fn runs(cells: &[String]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for cell in cells {
        match out.last_mut() {
            Some((text, span)) if text == cell => *span += 1,
            _ => out.push((cell.clone(), 1)),
        }
    }
    out
}

/// The header rows: label columns, then value columns (upper rows merged where equal).
fn header_view(table: &TableView) -> impl IntoView + use<> {
    let n_rows = table.header.len();
    let label_cols = table.label_cols;
    table
        .header
        .iter()
        .enumerate()
        .map(|(h, line)| {
            let last = h + 1 == n_rows;
            let (labels, values) = line.split_at(label_cols.min(line.len()));
            let labels = labels
                .iter()
                .map(|l| {
                    if last {
                        view! { <th scope="col">{l.clone()}</th> }.into_any()
                    } else {
                        view! { <td class="corner"></td> }.into_any()
                    }
                })
                .collect_view();
            let values = if last {
                values
                    .iter()
                    .map(|v| view! { <th scope="col" class="number">{v.clone()}</th> })
                    .collect_view()
                    .into_any()
            } else {
                runs(values)
                    .into_iter()
                    .map(|(text, span)| {
                        view! { <th scope="colgroup" colspan=span class="group">{text}</th> }
                    })
                    .collect_view()
                    .into_any()
            };
            view! { <tr>{labels}{values}</tr> }
        })
        .collect_view()
}

/// An introduced list of `lines` (nothing if there are none).
fn listed(
    intro: &'static str,
    testid: &'static str,
    lines: &[String],
) -> Option<impl IntoView + use<>> {
    (!lines.is_empty()).then(|| {
        view! {
            <p>{intro}</p>
            <ul data-testid=testid>
                {lines.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
            </ul>
        }
    })
}

/// How the table came to its design, for the analyst (never in a download): what the
/// planner merged, where the original design has values of 1 or 2 (counted per row and
/// column), and the planner's alternatives to choose from.
#[component]
fn DesignDetails(
    /// The display view of the protected table.
    table: TableView,
    /// What choosing a design does (a Kreuztabelle is made again); standard tables are
    /// recomputed with the report set.
    on_design: Option<Callback<DesignChoice>>,
) -> impl IntoView {
    if table.merges.is_empty() && table.why.is_empty() {
        return None;
    }
    let pipeline = use_pipeline();
    let summary = if table.merges.is_empty() {
        "Gestaltung: ursprüngliche Gliederung"
    } else {
        "Gestaltung: zusammengefasst, damit die Tabelle veröffentlicht werden kann"
    };
    let merges = listed("Zusammengefasst:", "design-merges", &table.merges);
    let why = listed(
        "Warum die ursprüngliche Gliederung nicht veröffentlicht werden kann – Zahl der Werte von 1 oder 2 je Zeile und Spalte, nie die Werte selbst (nur zu Ihrer Information, nicht in den Downloads):",
        "design-why",
        &table.why,
    );
    let choosable =
        !table.why.is_empty() && (table.page != Page::Kreuztabelle || on_design.is_some());
    let choice = choosable.then(|| {
        let select_id = format!("gestaltung-{}", table.key);
        let key = table.key.clone();
        let chosen = table.chosen;
        let options = table
            .alternatives
            .iter()
            .enumerate()
            .map(|(i, a)| {
                view! {
                    <option value=i.to_string() selected=chosen == Some(i)>
                        {format!("Variante {}: {a}", i + 1)}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label for=select_id.clone()>"Gestaltung wählen (die Tabellen werden neu berechnet):"</label>
            <select
                id=select_id
                data-testid="design-choice"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let choice = value
                        .parse::<usize>()
                        .map(DesignChoice::Planned)
                        .unwrap_or(DesignChoice::Original);
                    match on_design {
                        Some(on_design) => on_design.run(choice),
                        None => pipeline.choose_design(key.clone(), choice),
                    }
                }
            >
                {options}
                <option value="original" selected=chosen.is_none()>
                    "Ursprüngliche Gliederung (die Regel sperrt die ganze Tabelle)"
                </option>
            </select>
        }
    });
    Some(view! {
        <details class="design" data-testid="design">
            <summary>{summary}</summary>
            {merges}
            {why}
            {choice}
        </details>
    })
}

/// One protected table.
#[component]
pub fn ReportTable(
    /// The display view of the protected table.
    table: TableView,
    /// Offer XLSX and CSV downloads of this table.
    #[prop(default = true)]
    downloads: bool,
    /// What choosing another design does (see `DesignDetails`); `None` for a standard table.
    #[prop(optional)]
    on_design: Option<Callback<DesignChoice>>,
) -> impl IntoView {
    let pipeline = use_pipeline();
    let key = table.key.clone();
    let caption_id = format!("tabelle-{}", table.key);
    let region_label = caption_id.clone();
    let header = header_view(&table);
    // A table by Baublock starts collapsed to the sums of its Stadtbezirke and Stadtteile.
    let outline = AreaOutline::of(table.label_cols, &table.rows);
    let choice = RwSignal::new(AreaChoice::default());
    let shown = StoredValue::new(outline.clone());
    let filter = outline.map(|outline| {
        view! { <AreaFilter outline=outline choice=choice key=key.clone() /> }
    });
    let body = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let labels = row
                .labels
                .iter()
                .map(|(label, depth)| {
                    // Indentation by class, not a style attribute: the CSP allows no inline style.
                    let class = format!("depth-{}", (*depth).min(5));
                    view! { <th scope="row" class=class>{label.clone()}</th> }
                })
                .collect_view();
            let values = row
                .values
                .iter()
                .map(|v| view! { <td class="number">{v.clone()}</td> })
                .collect_view();
            let hidden =
                move || shown.with_value(|o| o.as_ref().is_some_and(|o| !o.shows(i, choice.get())));
            view! { <tr class:margin=row.margin hidden=hidden>{labels}{values}</tr> }
        })
        .collect_view();
    let notes = table
        .notes
        .iter()
        .map(|n| view! { <li>{n.clone()}</li> })
        .collect_view();
    let download_buttons = downloads.then(|| {
        let xlsx_key = key.clone();
        let csv_key = key.clone();
        let title = table.title.clone();
        let xlsx_label = format!("XLSX: „{title}“ als Excel-Datei herunterladen");
        let csv_label = format!("CSV: „{title}“ als CSV-Datei herunterladen");
        view! {
            <div class="table-actions">
                <button
                    type="button"
                    class="button secondary"
                    data-testid="table-xlsx"
                    aria-label=xlsx_label
                    on:click=move |_| pipeline.download(DownloadRequest::TableXlsx(xlsx_key.clone()))
                >
                    "XLSX"
                </button>
                <button
                    type="button"
                    class="button secondary"
                    data-testid="table-csv"
                    aria-label=csv_label
                    on:click=move |_| pipeline.download(DownloadRequest::TableCsv(csv_key.clone()))
                >
                    "CSV"
                </button>
            </div>
        }
    });
    view! {
        <section class="report-table" data-testid="report-table" data-key=key.clone()>
            {filter}
            <div
                class="table-scroll"
                tabindex="0"
                role="region"
                aria-labelledby=region_label
            >
                <table>
                    <caption id=caption_id>{table.title.clone()}</caption>
                    <thead>{header}</thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="protection" data-testid="protection-text">{table.protection.clone()}</p>
            <DesignDetails table=table.clone() on_design=on_design />
            {(!table.notes.is_empty()).then(|| view! { <ul class="notes">{notes}</ul> })}
            {download_buttons}
        </section>
    }
}
