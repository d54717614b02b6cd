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

    /// The page's address in the URL fragment, German and stable: `#/laden`,
    /// `#/berichte/<slug>` (e.g. `#/berichte/monatsreihe`), `#/herunterladen`. It holds the
    /// page's name only, never data.
    pub fn fragment(self) -> String {
        match self {
            Page::Load => "#/laden".into(),
            Page::Report(page) => format!("#/berichte/{}", page.slug()),
            Page::Download => "#/herunterladen".into(),
        }
    }

    /// The page a URL fragment (`location.hash`, with or without `#`) names: an empty fragment
    /// and an unknown address (`#/…`) mean "Daten laden"; `None` for an anchor inside the page
    /// that is no address (such as the skip link's `#inhalt`).
    pub fn from_fragment(fragment: &str) -> Option<Page> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if fragment.is_empty() {
            return Some(Page::Load);
        }
        let path = fragment.strip_prefix('/')?;
        let known = match path.split_once('/') {
            Some(("berichte", slug)) => ReportPage::ALL
                .into_iter()
                .find(|p| p.slug() == slug)
                .map(Page::Report),
            _ => [Page::Load, Page::Download]
                .into_iter()
                .find(|p| p.fragment()[2..] == *path),
        };
        Some(known.unwrap_or(Page::Load))
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

/// The page shown, shared through the context (a small `Copy` handle). Each page has its
/// address in the URL fragment ([`Page::fragment`]): going to a page adds a history entry, and
/// the browser's Back and Forward move between the pages inside the app.
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

    /// Shows `page` and puts its address in the URL (a new history entry if it changed).
    pub fn go(self, page: Page) {
        self.show(page);
        let fragment = page.fragment();
        let location = location();
        if location.hash().ok().as_deref() != Some(fragment.as_str()) {
            // Assigning the hash adds the history entry; the hashchange it fires finds the
            // page shown already.
            let _ = location.set_hash(&fragment);
        }
    }

    /// Shows `page` without touching the URL.
    fn show(self, page: Page) {
        if self.page.get_untracked() != page {
            self.page.set(page);
        }
    }

    /// Follows the URL after Back, Forward or an address typed by hand: shows the page its
    /// fragment names; an unknown address is replaced by that of "Daten laden" (no new
    /// history entry), an anchor inside the page changes nothing.
    fn follow_url(self) {
        let location = location();
        let hash = location.hash().unwrap_or_default();
        let Some(page) = Page::from_fragment(&hash) else {
            return;
        };
        self.show(page);
        if hash.starts_with("#/") && hash != page.fragment() {
            let _ = location.replace(&page.fragment());
        }
    }
}

/// Creates the navigator on the page the URL names ("Daten laden" without one), follows the
/// URL from then on and provides the navigator to every component below.
pub fn provide_navigator() -> Navigator {
    let navigator = Navigator {
        page: RwSignal::new(Page::Load),
    };
    navigator.follow_url();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| navigator.follow_url());
    on_cleanup(move || listener.remove());
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
    fn every_page_has_an_address_that_leads_back_to_it() {
        let pages = [Page::Load, Page::Download]
            .into_iter()
            .chain(ReportPage::ALL.into_iter().map(Page::Report));
        for page in pages {
            assert_eq!(
                Page::from_fragment(&page.fragment()),
                Some(page),
                "{page:?}"
            );
        }
        assert_eq!(Page::Load.fragment(), "#/laden");
        assert_eq!(Page::Download.fragment(), "#/herunterladen");
        assert_eq!(
            Page::Report(ReportPage::Monatsreihe).fragment(),
            "#/berichte/monatsreihe"
        );
        assert_eq!(
            Page::from_fragment("/berichte/qualitaet"),
            Some(Page::Report(ReportPage::Qualitaet))
        );
    }

    #[test]
    fn an_unknown_address_opens_daten_laden_and_an_anchor_is_no_address() {
        for unknown in [
            "",
            "#",
            "#/",
            "#/gibtsnicht",
            "#/berichte/",
            "#/berichte/x",
            "#/laden/x",
        ] {
            assert_eq!(Page::from_fragment(unknown), Some(Page::Load), "{unknown}");
        }
        assert_eq!(Page::from_fragment("#inhalt"), None);
        assert_eq!(Page::from_fragment("inhalt"), None);
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
