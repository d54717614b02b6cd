//! What every report page shares: the page frame (heading, introduction, Stichtag and
//! protection in force, a hint while no report exists) and the protected tables of a page.

use leptos::prelude::*;

use crate::client::use_report_set;
use crate::components::report_table::ReportTable;
use crate::route::{Page, ReportPage, use_navigator};

/// Heading, introduction and the Stichtag line of a report page; a hint instead of the
/// content while no report exists.
#[component]
pub fn ReportFrame(
    /// The page.
    page: ReportPage,
    /// German introduction.
    intro: &'static str,
    /// The page's content.
    children: ChildrenFn,
) -> impl IntoView {
    let reports = use_report_set();
    let testid = Page::Report(page).page_testid();
    view! {
        <section class="page" data-testid=testid aria-labelledby="page-title">
            <h2 id="page-title">{page.label()}</h2>
            <p class="intro">{intro}</p>
            <Show
                when=move || reports.with(Option::is_some)
                fallback=move || view! { <NoReports /> }
            >
                <ReportMeta />
                {children()}
            </Show>
        </section>
    }
}

/// The hint shown on a report page before any report was computed.
#[component]
pub fn NoReports() -> impl IntoView {
    let navigator = use_navigator();
    view! {
        <div class="empty" data-testid="no-reports">
            <p>"Noch keine Berichte. Laden Sie zuerst Exporte oder die Demodaten; die Berichte werden danach automatisch erstellt."</p>
            <button type="button" class="button" on:click=move |_| navigator.go(Page::Load)>
                "Zu „Daten laden“"
            </button>
        </div>
    }
}

/// Stichtag and protection in force.
#[component]
fn ReportMeta() -> impl IntoView {
    let reports = use_report_set();
    move || {
        reports.with(|r| {
            r.as_ref().map(|r| {
                let date = r
                    .reference_date
                    .clone()
                    .unwrap_or_else(|| "unbekannt".to_owned());
                view! {
                    <p class="report-meta" data-testid="report-meta">
                        "Stichtag: " <strong>{date}</strong> " · Geheimhaltung: " {r.protection.clone()}
                    </p>
                }
            })
        })
    }
}

/// The protected tables of `page`, or a German hint if the loaded sources give none.
#[component]
pub fn TablesOn(
    /// The page whose tables to show.
    page: ReportPage,
    /// What is missing when there is no table (German sentence).
    missing: &'static str,
    /// Offer per-table downloads.
    #[prop(default = true)]
    downloads: bool,
) -> impl IntoView {
    let reports = use_report_set();
    let tables = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.tables
                        .iter()
                        .filter(|t| ReportPage::from(t.page) == page)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    move || {
        let tables = tables();
        if tables.is_empty() {
            view! { <p class="empty" data-testid="no-tables">{missing}</p> }.into_any()
        } else {
            tables
                .into_iter()
                .map(|t| view! { <ReportTable table=t downloads=downloads /> })
                .collect_view()
                .into_any()
        }
    }
}
