//! The application shell: header, navigation, progress with cancel, notices, the confirmation
//! dialog and the current page. The state and the worker live in [`crate::client`] (provided
//! to every page through the context); this module only lays out the shell and guards the
//! loaded data: ending the session, cancelling and leaving the page ask first while data is
//! loaded.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use crate::client::{PipelineHandle, provide_pipeline, use_notice, use_pipeline, use_progress};
use crate::components::confirm::{Confirm, ConfirmDialog, Question, provide_confirm, use_confirm};
use crate::pages::{download::DownloadPage, load::LoadPage, report::ReportPageView};
use crate::route::{Page, ReportPage, provide_navigator, use_navigator};
use crate::state::StageBar;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let pipeline = provide_pipeline();
    let navigator = provide_navigator();
    let confirm = provide_confirm();
    warn_before_leaving(pipeline);
    let main = NodeRef::<html::Main>::new();
    let end = move || {
        pipeline.end_session();
        navigator.go(Page::Load);
    };
    let end_session = move |_| {
        if pipeline.holds_data() {
            confirm.ask(Question {
                title: "Sitzung beenden?".into(),
                text: "Alle geladenen Dateien, Berichte und Kreuztabellen werden aus dem \
                       Speicher entfernt. Bereits heruntergeladene Dateien und Ihre \
                       Einstellungen bleiben erhalten."
                    .into(),
                go_ahead: "Sitzung beenden",
                keep: "Weiterarbeiten",
                on_confirm: Callback::new(move |()| end()),
                stands: None,
            });
        } else {
            end();
        }
    };
    // The skip link moves the focus to the content without changing the URL, whose fragment
    // names the page.
    let skip = move |ev: ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main.get_untracked() {
            let _ = main.focus();
        }
    };

    view! {
        <a class="skip-link" href="#inhalt" data-testid="skip-link" on:click=skip>
            "Zum Inhalt springen"
        </a>
        <header class="app-header">
            <h1 data-testid="app-title">"Lagebild"</h1>
            <p class="subtitle">"Flüchtlingsstatistik aus kommunalen Registern – alle Daten bleiben auf diesem Rechner."</p>
            <button
                class="end-session"
                data-testid="end-session"
                title="Alle geladenen Daten aus dem Speicher entfernen"
                on:click=end_session
            >
                "Sitzung beenden"
            </button>
        </header>
        <Navigation />
        <main id="inhalt" tabindex="-1" node_ref=main>
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
        <ConfirmDialog />
    }
}

/// While data is loaded, leaving or reloading the page asks first (the browser's own
/// question: `beforeunload`); without data there is no handler at all.
fn warn_before_leaving(pipeline: PipelineHandle) {
    let handler = StoredValue::new(None::<WindowListenerHandle>);
    Effect::new(move |_| {
        let holds = pipeline.holds_data();
        handler.update_value(|handler| match (holds, handler.take()) {
            (true, None) => {
                *handler = Some(window_event_listener(ev::beforeunload, |ev| {
                    ev.prevent_default();
                    ev.set_return_value("");
                }));
            }
            (true, Some(kept)) => *handler = Some(kept),
            (false, Some(dropped)) => dropped.remove(),
            (false, None) => {}
        });
    });
    on_cleanup(move || {
        if let Some(dropped) = handler.try_update_value(Option::take).flatten() {
            dropped.remove();
        }
    });
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
    let confirm = use_confirm();
    let busy = Signal::derive(move || pipeline.is_busy());
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
                            on:click=move |_| cancel(pipeline, confirm, busy)
                        >
                            "Abbrechen"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// "Abbrechen": stops the worker at once. The worker can only be stopped as a whole, which
/// drops everything it holds, so with data loaded the analyst is asked first; the run goes on
/// meanwhile, and once it has finished the question closes itself (nothing left to cancel).
fn cancel(pipeline: PipelineHandle, confirm: Confirm, busy: Signal<bool>) {
    if !pipeline.holds_data() {
        pipeline.cancel();
        return;
    }
    confirm.ask(Question {
        title: "Verarbeitung abbrechen?".into(),
        text: "Die Verarbeitung läuft in einem Hintergrundprozess, der sich nur als Ganzes \
               anhalten lässt. Beim Abbrechen werden deshalb auch alle bereits geladenen \
               Dateien und Berichte aus dem Speicher entfernt; laden Sie die Dateien danach \
               erneut."
            .into(),
        go_ahead: "Abbrechen und Daten entfernen",
        keep: "Weiterrechnen",
        on_confirm: Callback::new(move |()| {
            if pipeline.is_busy() {
                pipeline.cancel();
            }
        }),
        stands: Some(busy),
    });
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
