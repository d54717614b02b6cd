//! Leistungsbezug: AsylbLG benefits linked to the registers (and tables without a page of
//! their own).

use leptos::prelude::*;

use crate::components::report_frame::{ReportFrame, TablesOn};
use crate::route::ReportPage;

/// The Leistungsbezug page.
#[component]
pub fn BenefitsPage() -> impl IntoView {
    view! {
        <ReportFrame
            page=ReportPage::Leistungsbezug
            intro="Leistungsberechtigte nach dem AsylbLG, mit dem Ausländerwesen verknüpft: nach Kategorie und Stadtteil."
        >
            <TablesOn
                page=ReportPage::Leistungsbezug
                missing="Keine verknüpften Leistungstabellen: Es fehlen AKDN-sozial-Exporte oder der Ausländerwesen-Bestand."
            />
        </ReportFrame>
    }
}
