//! Sources, canonical fields and the header aliases that name them (data file
//! `data/fields.toml`, replaceable by the user).

use crate::text::fold;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The kind of export a file comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// EWO Meldewesen: the population register.
    Meldewesen,
    /// EWO-ALW: the foreigners register.
    Alw,
    /// AKDN sozial: AsylbLG benefits billing.
    Akdn,
    /// SchILD-NRW: pupil base data.
    Schild,
    /// Räumliche Gliederung: address -> Baublock -> Stadtteil -> Stadtbezirk.
    Gliederung,
    /// Map geometry (GeoJSON FeatureCollection of Baublöcke, Stadtteile or Stadtbezirke),
    /// recognised by its content, not by headers; read by [`crate::geo`].
    Karte,
    /// The office's running table "Entwicklung der Flüchtlingszahlen" (aggregates per month,
    /// continued by Lagebild), recognised by its content; read by [`super::series_table`].
    Datentabelle,
    /// A workbook Lagebild released before (last week's report), recognised by its sheet
    /// "Metadaten"; read by [`super::published`] for its published numbers.
    ReleasedWorkbook,
}

impl SourceKind {
    /// Every tabular source kind (found by its headers), in the order the office names them;
    /// [`SourceKind::Karte`] is recognised by its content instead.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Meldewesen,
        SourceKind::Alw,
        SourceKind::Akdn,
        SourceKind::Schild,
        SourceKind::Gliederung,
    ];

    /// German name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Meldewesen => "EWO Meldewesen",
            SourceKind::Alw => "EWO-ALW (Ausländerwesen)",
            SourceKind::Akdn => "AKDN sozial (AsylbLG)",
            SourceKind::Schild => "SchILD-NRW (Schülerdaten)",
            SourceKind::Gliederung => "Räumliche Gliederung (Adressen)",
            SourceKind::Karte => "Karte (GeoJSON)",
            SourceKind::Datentabelle => {
                "Datentabelle „Entwicklung der Flüchtlingszahlen“ des Amtes"
            }
            SourceKind::ReleasedWorkbook => "Veröffentlichte Lagebild-Arbeitsmappe",
        }
    }
}

/// A canonical field of a record. Which fields a source has is defined by `data/fields.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Field {
    PersonKey,
    FamilyName,
    BirthName,
    GivenNames,
    BirthDate,
    Sex,
    Nationality,
    #[serde(rename = "nationality_2")]
    Nationality2,
    Street,
    StreetKey,
    HouseNumber,
    HouseSuffix,
    Postcode,
    City,
    DwellingStatus,
    MoveInDate,
    RegistrationDate,
    DeregistrationDate,
    MaritalStatus,
    AzrNumber,
    ResidenceKind,
    LegalBasis,
    IssuedOn,
    ValidUntil,
    EntryDate,
    CaseNumber,
    Pks,
    BenefitStart,
    BenefitEnd,
    ReportMonth,
    PupilStatus,
    SchoolYear,
    SchoolTerm,
    Grade,
    ClassName,
    SchoolBranch,
    OrgForm,
    ArrivalYear,
    SchoolNumber,
    SchoolForm,
    Baublock,
    StadtteilNr,
    Stadtteil,
    StadtbezirkNr,
    Stadtbezirk,
    X,
    Y,
}

impl Field {
    /// Every field, in declaration order (`Field::ALL[f as usize] == f`).
    pub const ALL: [Field; 47] = [
        Field::PersonKey,
        Field::FamilyName,
        Field::BirthName,
        Field::GivenNames,
        Field::BirthDate,
        Field::Sex,
        Field::Nationality,
        Field::Nationality2,
        Field::Street,
        Field::StreetKey,
        Field::HouseNumber,
        Field::HouseSuffix,
        Field::Postcode,
        Field::City,
        Field::DwellingStatus,
        Field::MoveInDate,
        Field::RegistrationDate,
        Field::DeregistrationDate,
        Field::MaritalStatus,
        Field::AzrNumber,
        Field::ResidenceKind,
        Field::LegalBasis,
        Field::IssuedOn,
        Field::ValidUntil,
        Field::EntryDate,
        Field::CaseNumber,
        Field::Pks,
        Field::BenefitStart,
        Field::BenefitEnd,
        Field::ReportMonth,
        Field::PupilStatus,
        Field::SchoolYear,
        Field::SchoolTerm,
        Field::Grade,
        Field::ClassName,
        Field::SchoolBranch,
        Field::OrgForm,
        Field::ArrivalYear,
        Field::SchoolNumber,
        Field::SchoolForm,
        Field::Baublock,
        Field::StadtteilNr,
        Field::Stadtteil,
        Field::StadtbezirkNr,
        Field::Stadtbezirk,
        Field::X,
        Field::Y,
    ];

    /// German label used in messages and the mapping editor.
    pub fn label(self) -> &'static str {
        match self {
            Field::PersonKey => "Ordnungsmerkmal",
            Field::FamilyName => "Familienname",
            Field::BirthName => "Geburtsname",
            Field::GivenNames => "Vorname(n)",
            Field::BirthDate => "Geburtsdatum",
            Field::Sex => "Geschlecht",
            Field::Nationality => "Staatsangehörigkeit",
            Field::Nationality2 => "weitere Staatsangehörigkeit",
            Field::Street => "Straße",
            Field::StreetKey => "Straßenschlüssel",
            Field::HouseNumber => "Hausnummer",
            Field::HouseSuffix => "Hausnummernzusatz",
            Field::Postcode => "PLZ",
            Field::City => "Ort",
            Field::DwellingStatus => "Wohnungsstatus",
            Field::MoveInDate => "Einzugsdatum",
            Field::RegistrationDate => "Anmeldedatum",
            Field::DeregistrationDate => "Abmeldedatum",
            Field::MaritalStatus => "Familienstand",
            Field::AzrNumber => "AZR-Nummer",
            Field::ResidenceKind => "Aufenthaltsart",
            Field::LegalBasis => "Erteilungsgrund",
            Field::IssuedOn => "erteilt am",
            Field::ValidUntil => "gültig bis",
            Field::EntryDate => "Einreisedatum",
            Field::CaseNumber => "Aktenzeichen",
            Field::Pks => "Personenkreisschlüssel",
            Field::BenefitStart => "Leistungsbeginn",
            Field::BenefitEnd => "Leistungsende",
            Field::ReportMonth => "Berichtsmonat",
            Field::PupilStatus => "Status",
            Field::SchoolYear => "Schuljahr",
            Field::SchoolTerm => "Abschnitt",
            Field::Grade => "Jahrgang",
            Field::ClassName => "Klasse",
            Field::SchoolBranch => "Schulgliederung",
            Field::OrgForm => "OrgForm",
            Field::ArrivalYear => "Zuzugsjahr",
            Field::SchoolNumber => "Schulnummer",
            Field::SchoolForm => "Schulform",
            Field::Baublock => "Baublock",
            Field::StadtteilNr => "Stadtteil-Nr.",
            Field::Stadtteil => "Stadtteil",
            Field::StadtbezirkNr => "Stadtbezirk-Nr.",
            Field::Stadtbezirk => "Stadtbezirk",
            Field::X => "X-Koordinate",
            Field::Y => "Y-Koordinate",
        }
    }

    /// True for fields whose values identify a person; their values never appear in a report,
    /// only their shape.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Field::PersonKey
                | Field::FamilyName
                | Field::BirthName
                | Field::GivenNames
                | Field::BirthDate
                | Field::Street
                | Field::StreetKey
                | Field::HouseNumber
                | Field::HouseSuffix
                | Field::AzrNumber
                | Field::CaseNumber
                | Field::ClassName
                | Field::X
                | Field::Y
        )
    }
}

/// One field of one source with its accepted headers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FieldSpec {
    /// Source the field belongs to.
    pub source: SourceKind,
    /// The canonical field.
    pub field: Field,
    /// Whether a file of this source needs the column.
    #[serde(default)]
    pub required: bool,
    /// Headers that mean this field (compared normalised).
    pub aliases: Vec<String>,
}

/// The header aliases of every source.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FieldCatalog {
    /// All field specifications.
    #[serde(rename = "field")]
    pub fields: Vec<FieldSpec>,
}

/// The catalog shipped with Lagebild (`data/fields.toml`).
pub const DEFAULT_FIELDS_TOML: &str = include_str!("../../data/fields.toml");

impl FieldCatalog {
    /// Parses a catalog from TOML.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("Feldkatalog nicht lesbar: {e}"))
    }

    /// The shipped default catalog.
    pub fn default_catalog() -> Self {
        // The shipped file is tested to parse; an empty catalog is the harmless fallback.
        Self::from_toml(DEFAULT_FIELDS_TOML).unwrap_or(FieldCatalog { fields: Vec::new() })
    }

    /// The specifications of one source.
    pub fn of(&self, source: SourceKind) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(move |f| f.source == source)
    }

    /// Normalised header -> field, per source.
    pub fn alias_index(&self) -> BTreeMap<(SourceKind, String), Field> {
        let mut index = BTreeMap::new();
        for spec in &self.fields {
            for alias in &spec.aliases {
                index
                    .entry((spec.source, fold(alias)))
                    .or_insert(spec.field);
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalog_parses_and_covers_every_source() {
        let catalog = FieldCatalog::from_toml(DEFAULT_FIELDS_TOML).expect("catalog");
        for source in SourceKind::ALL {
            assert!(catalog.of(source).any(|f| f.required), "{source:?}");
        }
        let index = catalog.alias_index();
        assert_eq!(
            index.get(&(SourceKind::Meldewesen, "staatsangeh".into())),
            Some(&Field::Nationality)
        );
        assert_eq!(
            index.get(&(SourceKind::Akdn, "perskreis".into())),
            Some(&Field::Pks)
        );
    }

    #[test]
    fn headers_normalise_across_spellings() {
        for (a, b) in [
            ("Staatsangehörigkeit", "Staatsangehoerigkeit"),
            ("Straße", "STRASSE"),
            ("Geb.-Datum", "geb datum"),
            ("Vorname(n)", "Vornamen"),
            ("AZR-Nr.", "azr nr"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
        assert_eq!(fold("1. Staatsang."), "1staatsang");
    }
}
