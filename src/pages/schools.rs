//! Schulen: pupils from SchILD, linked to the registers.

use leptos::prelude::*;

use crate::components::report_frame::{ReportFrame, TablesOn};
use crate::route::ReportPage;

/// The Schulen page.
#[component]
pub fn SchoolsPage() -> impl IntoView {
    view! {
        <ReportFrame
            page=ReportPage::Schulen
            intro="Schülerinnen und Schüler aus den SchILD-Dateien, mit dem Ausländerwesen verknüpft: nach Schulform und Jahrgang (Geflüchtete und übrige), die geflüchteten nach Kategorie und Stadtteil."
        >
            <TablesOn
                page=ReportPage::Schulen
                missing="Keine Schultabellen: Es sind keine SchILD-Dateien geladen, oder sie ließen sich nicht mit dem Meldewesen verknüpfen."
            />
        </ReportFrame>
    }
}
