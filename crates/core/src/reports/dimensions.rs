//! The dimensions the standard tables name, built from the loaded data: the spatial hierarchy
//! of the Gliederung, the refugee categories found, the months of the AKDN series, age groups,
//! nationalities.

use crate::area::{AreaKey, Level};
use crate::classify::Rules;
use crate::locate::Geography;
use crate::records::{Date, YearMonth};
use crate::tabulate::{CategoryDef, DimensionDef, LevelDef};

use super::keys::{SNAPSHOT_KEYS, UNLOCATED_LABEL, alw_class_categories, sub_category_key};
use super::{REFUGEE_CATEGORIES, ReportConfig};

/// Every dimension [`Dimensions::build`] can build, by key: what a table definition may name.
pub const KNOWN: [&str; 19] = [
    "monat",
    "spalte",
    "pks",
    "raum",
    "kategorie",
    "alw_kategorie",
    "geschlecht",
    "geschlecht_zugeordnet",
    "altersgruppe",
    "herkunft",
    "staatsangehoerigkeit",
    "fl_altersgruppe",
    "fl_staatsangehoerigkeit",
    "einreisejahr",
    "schutzstatus",
    "einwohner",
    "bestand",
    "schulform",
    "schueler",
];

/// What the counting found that names categories of the dimensions: the months of the AKDN
/// series, the largest nationalities, the Stichtage of the Meldewesen snapshots and the AKDN
/// month that was linked. Everything else comes from the Gliederung and the code lists.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    /// First and last month of the AKDN series.
    pub months: Option<(YearMonth, YearMonth)>,
    /// The largest non-German nationalities: (key, label), from the code list.
    pub nationalities: Vec<(String, String)>,
    /// Stichtag of the previous and of the current Meldewesen snapshot.
    pub snapshots: [Option<Date>; 2],
    /// The AKDN month whose recipients were linked.
    pub akdn_month: Option<YearMonth>,
    /// What the refugees of the ALW snapshot name.
    pub refugees: FoundRefugees,
}

/// What the refugees of the ALW snapshot name in their dimensions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FoundRefugees {
    /// Their largest nationalities: (key, label), from the code list.
    pub nationalities: Vec<(String, String)>,
    /// The last year of arrival shown (the Stichtag's year).
    pub last_arrival_year: u16,
}

/// All dimensions of a report run.
#[derive(Clone, Debug, Default)]
pub struct Dimensions {
    /// The dimensions, by key.
    pub all: Vec<DimensionDef>,
}

impl Dimensions {
    /// Builds the dimensions from the Gliederung, the code lists of `config` and what the
    /// counting `found`.
    pub fn build(geo: &Geography, config: &ReportConfig, found: &Found) -> Dimensions {
        let mut all = vec![raum(geo), spalte(config.pks.columns())];
        if let Some((first, last)) = found.months {
            all.push(DimensionDef::months("monat", "Monat", first, last));
        }
        all.push(pks(&config.pks));
        all.push(kategorie(&config.rules));
        all.push(schutzstatus());
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
        all.push(DimensionDef::flat(
            "geschlecht_zugeordnet",
            "Geschlecht",
            &[("m", "männlich"), ("w", "weiblich")],
        ));
        let ages: Vec<(String, String)> = config
            .age_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (format!("a{i:02}"), g.label.clone()))
            .collect();
        // Persons of unknown age (no birth date or no Stichtag) are a category of their own:
        // a table by age group holds everyone, so its total minus the groups reveals nothing.
        let mut ages: Vec<(&str, &str)> =
            ages.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
        ages.push((super::keys::UNKNOWN_KEY, "Alter unbekannt"));
        all.push(DimensionDef::flat("altersgruppe", "Altersgruppe", &ages));
        all.extend(refugee_dimensions(&ages, &found.refugees));
        all.push(DimensionDef::flat(
            "herkunft",
            "Staatsangehörigkeit",
            &[("deutsch", "Deutsche"), ("nichtdeutsch", "Nichtdeutsche")],
        ));
        let mut nat: Vec<(&str, &str)> = found
            .nationalities
            .iter()
            .map(|(k, l)| (k.as_str(), l.as_str()))
            .collect();
        nat.push(("sonstige", "Sonstige"));
        all.push(DimensionDef::flat(
            "staatsangehoerigkeit",
            "Staatsangehörigkeit",
            &nat,
        ));
        let snapshot = |date: Option<Date>, fallback: &str| {
            date.map(|d| format!("Einwohner am {}", d.to_german()))
                .unwrap_or_else(|| fallback.to_string())
        };
        let before = snapshot(found.snapshots[0], "Einwohner vorher");
        let now = snapshot(found.snapshots[1], "Einwohner aktuell");
        all.push(DimensionDef::flat(
            "bestand",
            "Bestand",
            &[
                (SNAPSHOT_KEYS[0], before.as_str()),
                (SNAPSHOT_KEYS[1], now.as_str()),
            ],
        ));
        all.push(DimensionDef::flat(
            "einwohner",
            "Personen",
            &[("einwohner", "Einwohner"), ("gefluechtete", "Geflüchtete")],
        ));
        all.extend(linked_dimensions(config));
        Dimensions { all }
    }
}

/// The refugees' own dimensions: age group (`ages`, with "Alter unbekannt"), nationality (their
/// largest groups and "übrige") and year of arrival (each year from
/// [`super::keys::FIRST_ARRIVAL_YEAR`] to the Stichtag's, earlier ones together, unknown).
fn refugee_dimensions(ages: &[(&str, &str)], found: &FoundRefugees) -> Vec<DimensionDef> {
    use super::keys::{
        EARLIER_ARRIVALS_KEY, FIRST_ARRIVAL_YEAR, OTHER_NATIONALITIES_KEY, UNKNOWN_KEY,
    };
    let mut nationality: Vec<(&str, &str)> = found
        .nationalities
        .iter()
        .map(|(k, l)| (k.as_str(), l.as_str()))
        .collect();
    nationality.push((
        OTHER_NATIONALITIES_KEY,
        "übrige (auch unbekannte) Staatsangehörigkeiten",
    ));
    let last = found.last_arrival_year.max(FIRST_ARRIVAL_YEAR);
    let years: Vec<(String, String)> = (FIRST_ARRIVAL_YEAR..=last)
        .map(|y| (format!("j{y}"), y.to_string()))
        .collect();
    let earlier = format!("vor {FIRST_ARRIVAL_YEAR}");
    let mut arrival: Vec<(&str, &str)> = vec![(EARLIER_ARRIVALS_KEY, earlier.as_str())];
    arrival.extend(years.iter().map(|(k, l)| (k.as_str(), l.as_str())));
    arrival.push((UNKNOWN_KEY, "Einreise unbekannt"));
    vec![
        DimensionDef::flat("fl_altersgruppe", "Altersgruppe", ages),
        DimensionDef::flat(
            "fl_staatsangehoerigkeit",
            "Staatsangehörigkeit",
            &nationality,
        ),
        DimensionDef::flat("einreisejahr", "Einreisejahr", &arrival),
    ]
}

/// The dimensions of the linked tables: `alw_kategorie` (category of the linked ALW record,
/// with "nicht klassifiziert" and "ohne Treffer" and the sum of the refugee categories),
/// `schulform` (Schulform > Jahrgang of the list of Jahrgänge), `schueler` (refugee pupils,
/// the others).
fn linked_dimensions(config: &ReportConfig) -> Vec<DimensionDef> {
    let classes = alw_class_categories();
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

    vec![
        alw_kategorie,
        schulform,
        DimensionDef::flat(
            "schueler",
            "Schülerinnen und Schüler",
            &[
                (super::pupils::REFUGEE, "Geflüchtete"),
                (super::pupils::OTHERS, "übrige"),
            ],
        ),
    ]
}

fn raum(geo: &Geography) -> DimensionDef {
    let key = |level, id: &str| AreaKey::new(level, id).to_string();
    let unlocated = |level| AreaKey::unlocated(level).to_string();
    let mut bezirke: Vec<CategoryDef> = geo
        .bezirke
        .iter()
        .map(|b| CategoryDef::new(key(Level::Stadtbezirk, &b.nr), b.name.clone()))
        .collect();
    let mut teile: Vec<CategoryDef> = geo
        .stadtteile
        .iter()
        .map(|t| {
            CategoryDef::child(
                key(Level::Stadtteil, &t.nr),
                t.name.clone(),
                key(Level::Stadtbezirk, &geo.bezirke[t.bezirk].nr),
            )
        })
        .collect();
    let mut bloecke: Vec<CategoryDef> = geo
        .baubloecke
        .iter()
        .map(|b| {
            CategoryDef::child(
                key(Level::Baublock, &b.key),
                b.key.clone(),
                key(Level::Stadtteil, &geo.stadtteile[b.stadtteil].nr),
            )
        })
        .collect();
    bezirke.push(CategoryDef::new(
        unlocated(Level::Stadtbezirk),
        UNLOCATED_LABEL,
    ));
    teile.push(CategoryDef::child(
        unlocated(Level::Stadtteil),
        UNLOCATED_LABEL,
        unlocated(Level::Stadtbezirk),
    ));
    bloecke.push(CategoryDef::child(
        unlocated(Level::Baublock),
        UNLOCATED_LABEL,
        unlocated(Level::Stadtteil),
    ));
    DimensionDef {
        key: "raum".into(),
        label: "Gebiet".into(),
        levels: Level::ALL
            .into_iter()
            .zip([bezirke, teile, bloecke])
            .map(|(level, categories)| LevelDef {
                key: level_key(level).into(),
                label: level.label().into(),
                categories,
            })
            .collect(),
        sums: Vec::new(),
    }
}

/// Key of a spatial level in the `raum` dimension (what a table definition names).
fn level_key(level: Level) -> &'static str {
    match level {
        Level::Stadtbezirk => "bezirk",
        Level::Stadtteil => "stadtteil",
        Level::Baublock => "baublock",
    }
}

/// The columns of the office's monthly table with its sums, as the PKS file declares them
/// (the seed's by default).
fn spalte(columns: &crate::series_columns::SeriesColumns) -> DimensionDef {
    let categories: Vec<(&str, &str)> = columns
        .columns()
        .iter()
        .map(|c| (c.key.as_str(), c.heading.as_str()))
        .collect();
    columns.sums().iter().fold(
        DimensionDef::flat("spalte", "Leistungsart und Gruppe", &categories),
        |dim, sum| {
            let of: Vec<&str> = sum.columns.iter().map(|&i| columns.key(i)).collect();
            dim.with_sum(&sum.key, &sum.heading, &of)
        },
    )
}

/// Column of the series > Personenkreisschlüssel, every row from the PKS mapping.
fn pks(mapping: &crate::classify::pks::PksMapping) -> DimensionDef {
    let columns = spalte(mapping.columns());
    let groups = columns.levels[0].categories.clone();
    let codes = mapping
        .entries()
        .map(|e| {
            let label = if e.label.is_empty() {
                format!("PKS {}", e.code)
            } else {
                format!("PKS {} {}", e.code, e.label)
            };
            CategoryDef::child(e.code.clone(), label, mapping.column_key(e))
        })
        .collect();
    DimensionDef {
        key: "pks".into(),
        label: "Personenkreisschlüssel".into(),
        levels: vec![
            LevelDef {
                key: "gruppe".into(),
                label: "Leistungsart und Gruppe".into(),
                categories: groups,
            },
            LevelDef {
                key: "schluessel".into(),
                label: "Personenkreisschlüssel".into(),
                categories: codes,
            },
        ],
        sums: Vec::new(),
    }
}

/// Destatis' protection status > form of protection ([`ProtectionForm`]).
fn schutzstatus() -> DimensionDef {
    use crate::classify::DestatisGroup;
    use crate::classify::protection::ProtectionForm;
    DimensionDef {
        key: "schutzstatus".into(),
        label: "Schutzstatus".into(),
        levels: vec![
            LevelDef {
                key: "status".into(),
                label: "Schutzstatus".into(),
                categories: DestatisGroup::ALL
                    .iter()
                    .map(|g| CategoryDef::new(g.key(), g.label()))
                    .collect(),
            },
            LevelDef {
                key: "schutzform".into(),
                label: "Schutzform".into(),
                categories: ProtectionForm::ALL
                    .iter()
                    .map(|f| CategoryDef::child(f.key(), f.label(), f.group().key()))
                    .collect(),
            },
        ],
        sums: Vec::new(),
    }
}

/// Refugee category > sub-category (legal basis), every row from the classification rules.
/// Legal bases are akin within a form of protection, so a table that has to be coarsened
/// merges preferably what a table by Schutzstatus shows as one.
fn kategorie(rules: &Rules) -> DimensionDef {
    let subs = rules.refugee_sub_categories();
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
                        let def =
                            CategoryDef::child(sub_category_key(c.code(), s), s.clone(), c.code());
                        match rules.protection_form(*c, s) {
                            Some(form) => def.with_affinity(form.key()),
                            None => def,
                        }
                    })
                    .collect(),
            },
        ],
        sums: Vec::new(),
    }
}
