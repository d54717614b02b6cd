//! The pages of the app, one file each. Report pages show the protected tables of their
//! group: the page each table's definition names (`page = …` in `standard_tables.toml`).

use lagebild_core::tabulate::Page;

pub mod benefits;
pub mod crosstab;
pub mod download;
pub mod load;
pub mod monthly;
pub mod population;
pub mod quality;
pub mod report;
pub mod schools;
pub mod spatial;

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

    /// Test id of its navigation entry.
    pub fn testid(self) -> &'static str {
        match self {
            ReportPage::Monatsreihe => "nav-monatsreihe",
            ReportPage::Raeumlich => "nav-raeumlich",
            ReportPage::Bevoelkerung => "nav-bevoelkerung",
            ReportPage::Schulen => "nav-schulen",
            ReportPage::Leistungsbezug => "nav-leistungsbezug",
            ReportPage::Qualitaet => "nav-qualitaet",
            ReportPage::Kreuztabelle => "nav-kreuztabelle",
        }
    }
}

impl From<Page> for ReportPage {
    /// The page a table of the report set is shown on, as its definition says.
    fn from(page: Page) -> ReportPage {
        match page {
            Page::Monatsreihe => ReportPage::Monatsreihe,
            Page::Raeumlich => ReportPage::Raeumlich,
            Page::Bevoelkerung => ReportPage::Bevoelkerung,
            Page::Schulen => ReportPage::Schulen,
            Page::Leistungsbezug => ReportPage::Leistungsbezug,
            Page::Qualitaet => ReportPage::Qualitaet,
            Page::Kreuztabelle => ReportPage::Kreuztabelle,
        }
    }
}

#[cfg(test)]
mod tests {
    use lagebild_core::reports::ReportConfig;

    use super::ReportPage;

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
        assert_eq!(page_of("verknuepfung_qualitaet"), ReportPage::Qualitaet);
    }
}
