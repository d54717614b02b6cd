//! The dimensions the standard tables name, built from the loaded data: the spatial hierarchy
//! of the Gliederung, the refugee categories found, the months of the AKDN series, age groups,
//! nationalities.

use crate::classify::Category;
use crate::classify::series::Series;
use crate::locate::{BaublockId, Geography};
use crate::tabulate::{CategoryDef, DimensionDef, LevelDef};

use super::linked::{self, LinkPair, LinkedCounts};
use super::population::PopulationCounts;
use super::{REFUGEE_CATEGORIES, ReportConfig};

/// Key of the "no address match" category at each spatial level.
pub const UNLOCATED: [&str; 3] = ["bz:ohne", "st:ohne", "bb:ohne"];
/// Label of the "no address match" category.
pub const UNLOCATED_LABEL: &str = "Adresse nicht zugeordnet";

/// Every dimension [`Dimensions::build`] can build, by key: what a table definition may name.
pub const KNOWN: [&str; 15] = [
    "monat",
    "spalte",
    "raum",
    "kategorie",
    "alw_kategorie",
    "geschlecht",
    "altersgruppe",
    "herkunft",
    "staatsangehoerigkeit",
    "einwohner",
    "bestand",
    "schulform",
    "schueler",
    "verknuepfung",
    "kennzahl",
];

/// Key of a Baublock in the `raum` dimension.
pub fn baublock_key(geo: &Geography, id: Option<BaublockId>) -> String {
    match id {
        Some(id) => format!("bb:{}", geo.baublock(id).key),
        None => UNLOCATED[2].to_string(),
    }
}

/// Key of a refugee sub-category in the `kategorie` dimension.
pub fn sub_category_key(category: &str, sub: &str) -> String {
    format!("{category}|{sub}")
}

/// All dimensions of a report run.
#[derive(Clone, Debug, Default)]
pub struct Dimensions {
    /// The dimensions, by key.
    pub all: Vec<DimensionDef>,
}

impl Dimensions {
    /// Builds the dimensions from what was loaded.
    pub fn build(
        geo: &Geography,
        config: &ReportConfig,
        series: Option<&Series>,
        population: Option<&PopulationCounts>,
        linked: Option<&LinkedCounts>,
    ) -> Dimensions {
        let mut all = vec![raum(geo), spalte()];
        if let Some(first) = series.and_then(|s| s.rows.first())
            && let Some(last) = series.and_then(|s| s.rows.last())
        {
            all.push(DimensionDef::months(
                "monat",
                "Monat",
                first.month,
                last.month,
            ));
        }
        all.push(kategorie(config.rules.refugee_sub_categories()));
        all.push(DimensionDef::flat(
            "geschlecht",
            "Geschlecht",
            &[
                ("m", "männlich"),
                ("w", "weiblich"),
                ("d", "divers"),
                ("x", "ohne Angabe"),
            ],
        ));
        let ages: Vec<(String, String)> = config
            .age_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (format!("a{i:02}"), g.label.clone()))
            .collect();
        let ages: Vec<(&str, &str)> = ages.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
        all.push(DimensionDef::flat("altersgruppe", "Altersgruppe", &ages));
        all.push(DimensionDef::flat(
            "herkunft",
            "Staatsangehörigkeit",
            &[("deutsch", "Deutsche"), ("nichtdeutsch", "Nichtdeutsche")],
        ));
        let nationalities = population
            .map(|p| p.top_nationalities.clone())
            .unwrap_or_default();
        let mut nat: Vec<(&str, &str)> = nationalities
            .iter()
            .map(|(k, l)| (k.as_str(), l.as_str()))
            .collect();
        nat.push(("sonstige", "Sonstige"));
        all.push(DimensionDef::flat(
            "staatsangehoerigkeit",
            "Staatsangehörigkeit",
            &nat,
        ));
        let snapshot = |date: Option<crate::records::Date>, fallback: &str| {
            date.map(|d| format!("Einwohner am {}", d.to_german()))
                .unwrap_or_else(|| fallback.to_string())
        };
        let before = snapshot(
            population.and_then(|p| p.previous.as_ref().map(|v| v.reference_date)),
            "Einwohner vorher",
        );
        let now = snapshot(
            population.and_then(|p| p.reference_date),
            "Einwohner aktuell",
        );
        all.push(DimensionDef::flat(
            "bestand",
            "Bestand",
            &[
                (super::population::SNAPSHOT_KEYS[0], before.as_str()),
                (super::population::SNAPSHOT_KEYS[1], now.as_str()),
            ],
        ));
        all.push(DimensionDef::flat(
            "einwohner",
            "Personen",
            &[("einwohner", "Einwohner"), ("gefluechtete", "Geflüchtete")],
        ));
        all.extend(linked_dimensions(config, linked));
        Dimensions { all }
    }
}

/// The dimensions of the linked tables: `alw_kategorie` (category of the linked ALW record,
/// with "nicht klassifiziert" and "ohne Treffer" and the sum of the refugee categories),
/// `schulform` (Schulform > Jahrgang of the list of Jahrgänge), `schueler` (all pupils,
/// refugee pupils), `verknuepfung` (pairs of registers) and `kennzahl` (the figures of the
/// quality table).
fn linked_dimensions(config: &ReportConfig, linked: Option<&LinkedCounts>) -> Vec<DimensionDef> {
    let classes = linked::alw_class_categories();
    let classes: Vec<(&str, &str)> = classes
        .iter()
        .map(|(k, l)| (k.as_str(), l.as_str()))
        .collect();
    let refugee_codes: Vec<&str> = REFUGEE_CATEGORIES.iter().map(|c| c.code()).collect();
    let alw_kategorie = DimensionDef::flat(
        "alw_kategorie",
        "Kategorie im Ausländerwesen",
        &classes,
    )
    .with_sum("gefluechtete", "Geflüchtete zusammen", &refugee_codes);

    let schulform = config.grades.dimension();

    let month = linked.and_then(|l| l.akdn_month);
    let pairs: Vec<(&str, String)> = LinkPair::ALL
        .iter()
        .map(|p| {
            let label = match (p, month) {
                (LinkPair::AkdnAlw, Some(m)) => format!(
                    "AsylbLG-Empfänger (AKDN, {:02}/{}) × Ausländerwesen",
                    m.month, m.year
                ),
                _ => p.label().to_string(),
            };
            (p.key(), label)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, l)| (*k, l.as_str())).collect();
    vec![
        alw_kategorie,
        schulform,
        DimensionDef::flat(
            "schueler",
            "Schülerinnen und Schüler",
            &[
                ("schueler", "Schülerinnen und Schüler"),
                ("gefluechtete", "darunter Geflüchtete"),
            ],
        ),
        DimensionDef::flat("verknuepfung", "Verknüpfung (A × B)", &pairs),
        DimensionDef::flat(
            "kennzahl",
            "Kennzahl",
            &[
                ("datensaetze_a", "Datensätze A"),
                ("datensaetze_b", "Datensätze B"),
                ("verknuepft", "verknüpft"),
                ("pruefband", "Prüfband"),
            ],
        ),
    ]
}

fn raum(geo: &Geography) -> DimensionDef {
    let mut bezirke: Vec<CategoryDef> = geo
        .bezirke
        .iter()
        .map(|b| CategoryDef::new(format!("bz:{}", b.nr), b.name.clone()))
        .collect();
    let mut teile: Vec<CategoryDef> = geo
        .stadtteile
        .iter()
        .map(|t| {
            CategoryDef::child(
                format!("st:{}", t.nr),
                t.name.clone(),
                format!("bz:{}", geo.bezirke[t.bezirk].nr),
            )
        })
        .collect();
    let mut bloecke: Vec<CategoryDef> = geo
        .baubloecke
        .iter()
        .map(|b| {
            CategoryDef::child(
                format!("bb:{}", b.key),
                b.key.clone(),
                format!("st:{}", geo.stadtteile[b.stadtteil].nr),
            )
        })
        .collect();
    bezirke.push(CategoryDef::new(UNLOCATED[0], UNLOCATED_LABEL));
    teile.push(CategoryDef::child(
        UNLOCATED[1],
        UNLOCATED_LABEL,
        UNLOCATED[0],
    ));
    bloecke.push(CategoryDef::child(
        UNLOCATED[2],
        UNLOCATED_LABEL,
        UNLOCATED[1],
    ));
    DimensionDef {
        key: "raum".into(),
        label: "Gebiet".into(),
        levels: vec![
            LevelDef {
                key: "bezirk".into(),
                label: "Stadtbezirk".into(),
                categories: bezirke,
            },
            LevelDef {
                key: "stadtteil".into(),
                label: "Stadtteil".into(),
                categories: teile,
            },
            LevelDef {
                key: "baublock".into(),
                label: "Baublock".into(),
                categories: bloecke,
            },
        ],
        sums: Vec::new(),
    }
}

/// The columns of the office's monthly table, with its two sums.
fn spalte() -> DimensionDef {
    DimensionDef::flat(
        "spalte",
        "Leistungsart und Gruppe",
        &[
            ("p2_geduldete", "§ 2 Geduldete"),
            ("p2_asylbewerber", "§ 2 Asylbewerber"),
            ("p3_asylbewerber", "§ 3 Asylbewerber"),
            ("p3_geduldete", "§ 3 Geduldete"),
            ("sonstige", "sonstige"),
        ],
    )
    .with_sum(
        "geduldete_gesamt",
        "Geduldete gesamt (einschl. sonstige)",
        &["p2_geduldete", "p3_geduldete", "sonstige"],
    )
    .with_sum(
        "asylbewerber_gesamt",
        "Asylbewerber gesamt",
        &["p2_asylbewerber", "p3_asylbewerber"],
    )
}

/// Refugee category > sub-category (legal basis), every row from the classification rules.
fn kategorie(subs: Vec<(Category, String)>) -> DimensionDef {
    DimensionDef {
        key: "kategorie".into(),
        label: "Kategorie".into(),
        levels: vec![
            LevelDef {
                key: "kategorie".into(),
                label: "Kategorie".into(),
                categories: REFUGEE_CATEGORIES
                    .iter()
                    .map(|c| CategoryDef::new(c.code(), c.label()))
                    .collect(),
            },
            LevelDef {
                key: "unterkategorie".into(),
                label: "Rechtsgrundlage".into(),
                categories: subs
                    .iter()
                    .map(|(c, s)| {
                        CategoryDef::child(sub_category_key(c.code(), s), s.clone(), c.code())
                    })
                    .collect(),
            },
        ],
        sums: Vec::new(),
    }
}
