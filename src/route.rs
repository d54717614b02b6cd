//! Where the analyst is: the pages of the app, their German labels and slugs (test ids), the
//! page each table of the report set shows on, and the navigator that changes the page shown.

use leptos::prelude::*;

use lagebild_core::tabulate;

/// The pages of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// Daten laden (with the import reports and the settings).
    Load,
    /// One report page.
    Report(ReportPage),
    /// Herunterladen.
    Download,
}

impl Page {
    /// German label in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Page::Load => "Daten laden",
            Page::Report(page) => page.label(),
            Page::Download => "Herunterladen",
        }
    }

    /// Short ASCII name, the stem of the page's test ids.
    pub fn slug(self) -> &'static str {
        match self {
            Page::Load => "load",
            Page::Report(page) => page.slug(),
            Page::Download => "download",
        }
    }

    /// Test id of its navigation entry (`nav-…`).
    pub fn nav_testid(self) -> String {
        format!("nav-{}", self.slug())
    }

    /// Test id of the page's section (`page-…`).
    pub fn page_testid(self) -> String {
        format!("page-{}", self.slug())
    }
}

/// The report pages under "Berichte".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportPage {
    /// Monatsreihe: the monthly AsylbLG series.
    Monatsreihe,
    /// Räumliche Verteilung: refugees by area.
    Raeumlich,
    /// Bevölkerung aktuell: the weekly population report.
    Bevoelkerung,
    /// Schulen: pupils (linked).
    Schulen,
    /// Leistungsbezug: AsylbLG benefits (linked).
    Leistungsbezug,
    /// Qualität: exact figures for checking only.
    Qualitaet,
    /// Kreuztabelle: the general tool.
    Kreuztabelle,
}

impl ReportPage {
    /// Every report page in navigation order.
    pub const ALL: [ReportPage; 7] = [
        ReportPage::Monatsreihe,
        ReportPage::Raeumlich,
        ReportPage::Bevoelkerung,
        ReportPage::Schulen,
        ReportPage::Leistungsbezug,
        ReportPage::Qualitaet,
        ReportPage::Kreuztabelle,
    ];

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            ReportPage::Monatsreihe => "Monatsreihe",
            ReportPage::Raeumlich => "Räumliche Verteilung",
            ReportPage::Bevoelkerung => "Bevölkerung aktuell",
            ReportPage::Schulen => "Schulen",
            ReportPage::Leistungsbezug => "Leistungsbezug",
            ReportPage::Qualitaet => "Qualität",
            ReportPage::Kreuztabelle => "Kreuztabelle",
        }
    }

    /// Short ASCII name, the stem of the page's test ids.
    pub fn slug(self) -> &'static str {
        match self {
            ReportPage::Monatsreihe => "monatsreihe",
            ReportPage::Raeumlich => "raeumlich",
            ReportPage::Bevoelkerung => "bevoelkerung",
            ReportPage::Schulen => "schulen",
            ReportPage::Leistungsbezug => "leistungsbezug",
            ReportPage::Qualitaet => "qualitaet",
            ReportPage::Kreuztabelle => "kreuztabelle",
        }
    }
}

impl From<tabulate::Page> for ReportPage {
    /// The page a table of the report set is shown on, as its definition says.
    fn from(page: tabulate::Page) -> ReportPage {
        match page {
            tabulate::Page::Monatsreihe => ReportPage::Monatsreihe,
            tabulate::Page::Raeumlich => ReportPage::Raeumlich,
            tabulate::Page::Bevoelkerung => ReportPage::Bevoelkerung,
            tabulate::Page::Schulen => ReportPage::Schulen,
            tabulate::Page::Leistungsbezug => ReportPage::Leistungsbezug,
            tabulate::Page::Qualitaet => ReportPage::Qualitaet,
            tabulate::Page::Kreuztabelle => ReportPage::Kreuztabelle,
        }
    }
}

/// The page shown, shared through the context (a small `Copy` handle).
#[derive(Clone, Copy)]
pub struct Navigator {
    page: RwSignal<Page>,
}

impl Navigator {
    /// The page shown (tracked).
    pub fn current(self) -> Page {
        self.page.get()
    }

    /// True if `page` is shown (tracked).
    pub fn is(self, page: Page) -> bool {
        self.page.with(|p| *p == page)
    }

    /// Shows `page`.
    pub fn go(self, page: Page) {
        self.page.set(page);
    }
}

/// Creates the navigator on "Daten laden" and provides it to every component below.
pub fn provide_navigator() -> Navigator {
    let navigator = Navigator {
        page: RwSignal::new(Page::Load),
    };
    provide_context(navigator);
    navigator
}

/// The navigator the app provided.
pub fn use_navigator() -> Navigator {
    expect_context::<Navigator>()
}

#[cfg(test)]
mod tests {
    use lagebild_core::reports::ReportConfig;

    use super::{Page, ReportPage};

    #[test]
    fn every_standard_table_shows_on_the_page_its_definition_names() {
        let config = ReportConfig::default();
        let page_of = |key: &str| {
            let def = config.tables.iter().find(|d| d.key == key).expect(key);
            ReportPage::from(def.page)
        };
        assert_eq!(page_of("asylblg_monat"), ReportPage::Monatsreihe);
        assert_eq!(page_of("kategorie_baublock"), ReportPage::Raeumlich);
        assert_eq!(page_of("fluechtlingsanteil"), ReportPage::Bevoelkerung);
        assert_eq!(
            page_of("asylblg_kategorie_stadtteil"),
            ReportPage::Leistungsbezug
        );
        assert_eq!(page_of("schueler_stadtteil"), ReportPage::Schulen);
        assert_eq!(page_of("alw_ohne_meldewesen"), ReportPage::Qualitaet);
    }

    #[test]
    fn test_ids_are_the_ones_the_browser_suite_uses() {
        let nav: Vec<String> = ReportPage::ALL
            .into_iter()
            .map(|p| Page::Report(p).nav_testid())
            .collect();
        assert_eq!(
            nav,
            [
                "nav-monatsreihe",
                "nav-raeumlich",
                "nav-bevoelkerung",
                "nav-schulen",
                "nav-leistungsbezug",
                "nav-qualitaet",
                "nav-kreuztabelle",
            ]
        );
        assert_eq!(Page::Load.nav_testid(), "nav-load");
        assert_eq!(Page::Download.nav_testid(), "nav-download");
        assert_eq!(Page::Download.page_testid(), "page-download");
        assert_eq!(
            Page::Report(ReportPage::Qualitaet).page_testid(),
            "page-qualitaet"
        );
        assert_eq!(Page::Load.label(), "Daten laden");
        assert_eq!(
            Page::Report(ReportPage::Raeumlich).label(),
            "Räumliche Verteilung"
        );
    }
}
