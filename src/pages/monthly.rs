//! Monatsreihe: the monthly AsylbLG series (persons and cases per month).

use leptos::prelude::*;

use crate::components::graphics::Graphics;
use crate::components::report_frame::{ReportFrame, TablesOn};
use crate::route::ReportPage;

/// The Monatsreihe page.
#[component]
pub fn MonthlyPage() -> impl IntoView {
    view! {
        <ReportFrame
            page=ReportPage::Monatsreihe
            intro="Leistungsberechtigte nach dem AsylbLG je Monat aus den AKDN-sozial-Exporten, in der Gliederung des Amtes."
        >
            <Graphics page=ReportPage::Monatsreihe />
            <TablesOn
                page=ReportPage::Monatsreihe
                missing="Keine Monatsreihe: Es sind keine AKDN-sozial-Exporte geladen."
            />
        </ReportFrame>
    }
}
