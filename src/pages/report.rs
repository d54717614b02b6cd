//! The report page switch: which page component shows a [`ReportPage`].

use leptos::prelude::*;

use super::{
    benefits::BenefitsPage, crosstab::CrosstabPage, monthly::MonthlyPage,
    population::PopulationPage, quality::QualityPage, schools::SchoolsPage, spatial::SpatialPage,
};
use crate::route::ReportPage;

/// The report page `page`.
#[component]
pub fn ReportPageView(
    /// Which report page.
    page: ReportPage,
) -> impl IntoView {
    match page {
        ReportPage::Monatsreihe => view! { <MonthlyPage /> }.into_any(),
        ReportPage::Raeumlich => view! { <SpatialPage /> }.into_any(),
        ReportPage::Bevoelkerung => view! { <PopulationPage /> }.into_any(),
        ReportPage::Schulen => view! { <SchoolsPage /> }.into_any(),
        ReportPage::Leistungsbezug => view! { <BenefitsPage /> }.into_any(),
        ReportPage::Qualitaet => view! { <QualityPage /> }.into_any(),
        ReportPage::Kreuztabelle => view! { <CrosstabPage /> }.into_any(),
    }
}
