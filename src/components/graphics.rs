//! Charts and maps made in the worker as SVG from protected values, with SVG and PNG
//! downloads (PNG drawn on a canvas in the page).

use leptos::prelude::*;

use crate::client::use_report_set;
use crate::interop;
use crate::protocol::Figure;
use crate::route::ReportPage;

/// The graphics of `page`'s tables (nothing if the report set has none).
#[component]
pub fn Graphics(
    /// The page whose graphics to show.
    page: ReportPage,
) -> impl IntoView {
    let reports = use_report_set();
    let graphics = move || {
        reports.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.graphics
                        .iter()
                        .filter(|g| ReportPage::from(g.page) == page)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    move || {
        graphics()
            .into_iter()
            .map(|g| view! { <GraphicView graphic=g /> })
            .collect_view()
    }
}

/// One chart or map with its downloads.
#[component]
fn GraphicView(graphic: Figure) -> impl IntoView {
    let svg = graphic.svg.clone();
    let svg_for_file = graphic.svg.clone();
    let svg_for_png = graphic.svg.clone();
    let svg_name = format!("lagebild_{}", graphic.file_name);
    let png_name = svg_name.replace(".svg", ".png");
    let title = graphic.title.clone();
    view! {
        <figure class="graphic" data-testid="graphic" data-key=graphic.key.clone()>
            <div class="graphic-svg" inner_html=svg></div>
            <figcaption>{graphic.title.clone()}</figcaption>
            <div class="table-actions">
                <button
                    type="button"
                    class="button secondary"
                    data-testid="graphic-svg"
                    aria-label=format!("SVG: „{title}“ als SVG-Grafik herunterladen")
                    on:click=move |_| interop::save_bytes(&svg_name, "image/svg+xml", svg_for_file.as_bytes())
                >
                    "SVG"
                </button>
                <button
                    type="button"
                    class="button secondary"
                    data-testid="graphic-png"
                    aria-label=format!("PNG: „{}“ als PNG-Bild herunterladen", graphic.title)
                    on:click=move |_| interop::save_svg_as_png(&svg_for_png, &png_name)
                >
                    "PNG"
                </button>
            </div>
        </figure>
    }
}
