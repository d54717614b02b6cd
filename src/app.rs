//! The application shell: header, navigation, progress with cancel, notices and the current
//! page. The state and the worker live in [`crate::client`] (provided to every page through
//! the context); this module only lays out the shell.

use leptos::prelude::*;

use crate::client::{provide_pipeline, use_notice, use_pipeline, use_progress};
use crate::pages::{download::DownloadPage, load::LoadPage, report::ReportPageView};
use crate::route::{Page, ReportPage, provide_navigator, use_navigator};
use crate::state::StageBar;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let pipeline = provide_pipeline();
    let navigator = provide_navigator();

    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <header class="app-header">
            <h1 data-testid="app-title">"Lagebild"</h1>
            <p class="subtitle">"Flüchtlingsstatistik aus kommunalen Registern – alle Daten bleiben auf diesem Rechner."</p>
            <button
                class="end-session"
                data-testid="end-session"
                title="Alle geladenen Daten aus dem Speicher entfernen"
                on:click=move |_| {
                    pipeline.end_session();
                    navigator.go(Page::Load);
                }
            >
                "Sitzung beenden"
            </button>
        </header>
        <Navigation />
        <main id="inhalt" tabindex="-1">
            <ProgressLine />
            <NoticeLine />
            {move || match navigator.current() {
                Page::Load => view! { <LoadPage /> }.into_any(),
                Page::Report(page) => view! { <ReportPageView page=page /> }.into_any(),
                Page::Download => view! { <DownloadPage /> }.into_any(),
            }}
        </main>
        <footer class="app-footer">
            "Lagebild " {lagebild_core::VERSION} " · keine Übertragung, keine Speicherung von Einzeldaten"
        </footer>
    }
}

/// One entry of the navigation.
#[component]
fn NavItem(
    /// The page it opens.
    target: Page,
) -> impl IntoView {
    let navigator = use_navigator();
    view! {
        <li>
            <button
                type="button"
                class="nav-item"
                data-testid=target.nav_testid()
                aria-current=move || navigator.is(target).then_some("page")
                on:click=move |_| navigator.go(target)
            >
                {target.label()}
            </button>
        </li>
    }
}

/// Daten laden | Berichte (one entry per report page) | Herunterladen.
#[component]
fn Navigation() -> impl IntoView {
    view! {
        <nav class="app-nav" aria-label="Hauptnavigation">
            <ul>
                <NavItem target=Page::Load />
                <li class="nav-group">
                    <span class="nav-group-label" id="nav-reports-label">"Berichte"</span>
                    <ul aria-labelledby="nav-reports-label">
                        {ReportPage::ALL
                            .into_iter()
                            .map(|p| view! { <NavItem target=Page::Report(p) /> })
                            .collect_view()}
                    </ul>
                </li>
                <NavItem target=Page::Download />
            </ul>
        </nav>
    }
}

/// A progress bar with a cancel button while the worker is busy; for a report run one bar per
/// stage.
#[component]
fn ProgressLine() -> impl IntoView {
    let pipeline = use_pipeline();
    let progress = use_progress();
    move || {
        progress.get().map(|p| {
            let text = if p.current.is_empty() {
                format!("{} …", p.stage)
            } else {
                format!(
                    "{}: Datei {} von {} ({}) …",
                    p.stage,
                    p.done + 1,
                    p.total,
                    p.current
                )
            };
            let bars = (!p.stages.is_empty()).then(|| {
                view! {
                    <ol class="stages" data-testid="stages" aria-label="Arbeitsschritte">
                        {p.stages.iter().map(|bar| view! { <StageLine bar=*bar /> }).collect_view()}
                    </ol>
                }
            });
            let single = p.stages.is_empty().then(|| {
                view! {
                    <progress
                        id="progress-bar"
                        aria-labelledby="progress-text"
                        max=p.total.max(1)
                        value=p.done
                    ></progress>
                }
            });
            view! {
                <div class="progress" data-testid="progress" role="status" aria-live="polite">
                    <p id="progress-text" class="progress-text">{text}</p>
                    {bars}
                    <div class="progress-row">
                        {single}
                        <button
                            type="button"
                            class="button secondary"
                            data-testid="cancel"
                            on:click=move |_| pipeline.cancel()
                        >
                            "Abbrechen"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// The bar of one pipeline stage with its name and state.
#[component]
fn StageLine(bar: StageBar) -> impl IntoView {
    let testid = format!("stage-{:?}", bar.stage).to_lowercase();
    let bar_id = format!("{testid}-bar");
    let label_for = bar_id.clone();
    let label = bar.stage.label();
    view! {
        <li class="stage" data-testid=testid data-state=bar.state()>
            <label for=label_for>{label}</label>
            <progress id=bar_id max=bar.total.max(1) value=bar.done></progress>
            <span class="stage-state">{bar.state()}</span>
        </li>
    }
}

/// The current notice, if any, with a button to dismiss it.
#[component]
fn NoticeLine() -> impl IntoView {
    let notice = use_notice();
    move || {
        notice.get().map(|n| {
            view! {
                <div
                    class="notice"
                    class:error=n.error
                    data-testid="notice"
                    role=if n.error { "alert" } else { "status" }
                >
                    <p>{n.text}</p>
                    <button
                        type="button"
                        class="button secondary"
                        on:click=move |_| notice.set(None)
                    >
                        "Hinweis schließen"
                    </button>
                </div>
            }
        })
    }
}
