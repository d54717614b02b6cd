//! Bevölkerung aktuell: the weekly population report from the current Meldewesen snapshot,
//! led by the change since the previous snapshot when one is loaded (the table comes first in
//! the layouts), printable as a clean A4 report.

use leptos::prelude::*;

use crate::components::report_frame::{ReportFrame, TablesOn};
use crate::route::ReportPage;

/// The Bevölkerung aktuell page.
#[component]
pub fn PopulationPage() -> impl IntoView {
    view! {
        <ReportFrame
            page=ReportPage::Bevoelkerung
            intro="Einwohner mit Hauptwohnung nach Stadtteil aus dem neuesten Meldewesen-Bestand: zuerst die Veränderung seit dem vorherigen Bestand (wenn zwei Bestände mit verschiedenen Stichtagen geladen sind), dann Geschlecht, Altersgruppen, Herkunft, Staatsangehörigkeiten und der Anteil der Geflüchteten."
        >
            <p class="print-hint">
                <button type="button" class="button secondary" data-testid="print" on:click=move |_| print()>
                    "Drucken (A4)"
                </button>
            </p>
            <TablesOn
                page=ReportPage::Bevoelkerung
                missing="Keine Bevölkerungstabellen: Es fehlen der Meldewesen-Bestand oder die räumliche Gliederung."
            />
        </ReportFrame>
    }
}

fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
