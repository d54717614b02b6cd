//! The pages of the app, one file each. Report pages show the protected tables of their
//! group ([`ReportPage::of_key`]); unknown table keys land on a sensible page so they still show.

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

    /// The page a table of the report set is shown on, by its key.
    pub fn of_key(key: &str) -> ReportPage {
        if key == "asylblg_monat" || key == "asylblg_faelle" || key.ends_with("_monat") {
            ReportPage::Monatsreihe
        } else if key.starts_with("bevoelkerung") || key == "fluechtlingsanteil" {
            ReportPage::Bevoelkerung
        } else if key.starts_with("schueler") || key.starts_with("schul") {
            ReportPage::Schulen
        } else if key.starts_with("asylblg") || key.starts_with("leistung") {
            ReportPage::Leistungsbezug
        } else if key.starts_with("verknuepfung") || key.starts_with("alw_ohne") {
            ReportPage::Qualitaet
        } else if key.starts_with("kategorie")
            || key.starts_with("rechtsgrundlage")
            || ["bezirk", "stadtteil", "baublock"]
                .iter()
                .any(|area| key.contains(area))
        {
            ReportPage::Raeumlich
        } else {
            ReportPage::Leistungsbezug
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReportPage;

    #[test]
    fn every_known_table_key_has_its_page_and_unknown_keys_still_show() {
        let cases = [
            ("asylblg_monat", ReportPage::Monatsreihe),
            ("asylblg_faelle", ReportPage::Monatsreihe),
            ("kategorie_bezirk", ReportPage::Raeumlich),
            ("kategorie_stadtteil", ReportPage::Raeumlich),
            ("rechtsgrundlage_bezirk", ReportPage::Raeumlich),
            ("kategorie_baublock", ReportPage::Raeumlich),
            ("bevoelkerung_veraenderung", ReportPage::Bevoelkerung),
            ("bevoelkerung_geschlecht", ReportPage::Bevoelkerung),
            ("bevoelkerung_nationalitaet", ReportPage::Bevoelkerung),
            ("fluechtlingsanteil", ReportPage::Bevoelkerung),
            ("asylblg_kategorie_stadtteil", ReportPage::Leistungsbezug),
            ("schueler_schulform_jahrgang", ReportPage::Schulen),
            ("schueler_stadtteil", ReportPage::Schulen),
            ("alw_ohne_meldewesen", ReportPage::Qualitaet),
            ("verknuepfung_qualitaet", ReportPage::Qualitaet),
            ("irgendwas_stadtteil", ReportPage::Raeumlich),
            ("irgendwas", ReportPage::Leistungsbezug),
        ];
        for (key, page) in cases {
            assert_eq!(ReportPage::of_key(key), page, "{key}");
        }
    }
}
