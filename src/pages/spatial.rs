//! Räumliche Verteilung: refugees by category and legal basis per Stadtbezirk, Stadtteil and
//! Baublock.

use leptos::prelude::*;

use crate::components::graphics::Graphics;
use crate::components::report_frame::{ReportFrame, TablesOn};
use crate::route::ReportPage;

/// The Räumliche Verteilung page.
#[component]
pub fn SpatialPage() -> impl IntoView {
    view! {
        <ReportFrame
            page=ReportPage::Raeumlich
            intro="Geflüchtete aus dem Ausländerwesen nach Kategorie und Rechtsgrundlage, über die räumliche Gliederung den Stadtbezirken, Stadtteilen und Baublöcken zugeordnet."
        >
            <Graphics page=ReportPage::Raeumlich />
            <TablesOn
                page=ReportPage::Raeumlich
                missing="Keine räumlichen Tabellen: Es fehlen der Ausländerwesen-Bestand oder die räumliche Gliederung."
            />
        </ReportFrame>
    }
}
