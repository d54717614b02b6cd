//! The dimensions the standard tables name, built from the loaded data: the spatial hierarchy
//! of the Gliederung, the refugee categories found, the months of the AKDN series, age groups,
//! nationalities.

use crate::classify::natural_cmp;
use crate::classify::series::Series;
use crate::locate::{BaublockId, Geography};
use crate::tabulate::{CategoryDef, DimensionDef, LevelDef};

use super::population::PopulationCounts;
use super::refugees::RefugeeCounts;
use super::{REFUGEE_CATEGORIES, ReportConfig};

/// Key of the "no address match" category at each spatial level.
pub const UNLOCATED: [&str; 3] = ["bz:ohne", "st:ohne", "bb:ohne"];
/// Label of the "no address match" category.
pub const UNLOCATED_LABEL: &str = "Adresse nicht zugeordnet";

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
        refugees: Option<&RefugeeCounts>,
        population: Option<&PopulationCounts>,
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
        all.push(kategorie(
            refugees.map(|r| r.sub_categories()).unwrap_or_default(),
        ));
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
        all.push(DimensionDef::flat(
            "einwohner",
            "Personen",
            &[("einwohner", "Einwohner"), ("gefluechtete", "Geflüchtete")],
        ));
        Dimensions { all }
    }
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

fn kategorie(mut subs: Vec<(String, String)>) -> DimensionDef {
    let order = |c: &str| REFUGEE_CATEGORIES.iter().position(|k| k.code() == c);
    subs.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then(natural_cmp(&a.1, &b.1)));
    subs.dedup();
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
                    .map(|(c, s)| CategoryDef::child(sub_category_key(c, s), s.clone(), c.clone()))
                    .collect(),
            },
        ],
        sums: Vec::new(),
    }
}
