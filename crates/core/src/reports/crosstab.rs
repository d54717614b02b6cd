//! The Kreuztabelle: the general tool behind the fixed reports. The analyst picks a source
//! (population, refugees, AsylbLG recipients or pupils), a row and optionally a column dimension, and gets a raw [`Table`]
//! laid out like the standard tables, counted from the same records; it leaves the core only
//! through [`crate::protect::protect`] like every other table.

use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::{
    Counter, Quality, ReportConfig, Sources, count_into, dimensions, gliederung_entries, linked,
    monthly, population, pupils, refugees,
};
use crate::import::{Dataset, SourceKind};
use crate::locate::AddressIndex;
use crate::records::YearMonth;
use crate::tabulate::{
    AxisDef, Counts, DimensionDef, LevelDef, Page, Period, Provenance, Table, TableDef,
    TabulateError, ValueKind,
};

/// What a Kreuztabelle counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrosstabSource {
    /// Residents of the current Meldewesen snapshot.
    Bevoelkerung,
    /// Refugees of the current ALW snapshot.
    Gefluechtete,
    /// AsylbLG recipients of the last month of the AKDN exports (as the series counts them).
    Asylblg,
    /// Pupils of the SchILD files, linked with the ALW snapshot (as the school tables count
    /// them).
    Schueler,
}

impl CrosstabSource {
    /// Every source.
    pub const ALL: [CrosstabSource; 4] = [
        CrosstabSource::Bevoelkerung,
        CrosstabSource::Gefluechtete,
        CrosstabSource::Asylblg,
        CrosstabSource::Schueler,
    ];

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            CrosstabSource::Bevoelkerung => "Einwohner (Meldewesen)",
            CrosstabSource::Gefluechtete => "Geflüchtete (Ausländerwesen)",
            CrosstabSource::Asylblg => "AsylbLG-Leistungsberechtigte (AKDN, letzter Monat)",
            CrosstabSource::Schueler => "Schülerinnen und Schüler (SchILD)",
        }
    }

    /// The dimensions a Kreuztabelle of this source can use.
    pub fn dimensions(self) -> &'static [CrosstabDimension] {
        match self {
            CrosstabSource::Bevoelkerung => &POPULATION,
            CrosstabSource::Gefluechtete => &REFUGEES,
            CrosstabSource::Asylblg => &ASYLBLG,
            CrosstabSource::Schueler => &PUPILS,
        }
    }

    /// The universe its records form in the release ([`crate::protect::Release`]).
    pub fn universe(self) -> &'static str {
        match self {
            CrosstabSource::Bevoelkerung => super::UNIVERSE_POPULATION,
            CrosstabSource::Gefluechtete => super::UNIVERSE_REFUGEES,
            CrosstabSource::Asylblg => monthly::UNIVERSE,
            CrosstabSource::Schueler => pupils::UNIVERSE,
        }
    }

    fn counted(self) -> &'static [&'static str] {
        match self {
            CrosstabSource::Bevoelkerung => &population::DIMS,
            CrosstabSource::Gefluechtete => &refugees::DIMS,
            CrosstabSource::Asylblg => &monthly::DIMS,
            CrosstabSource::Schueler => &pupils::DIMS,
        }
    }
}

/// A dimension (at a level) offered for rows or columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrosstabDimension {
    /// Stable identifier, e.g. `raum:stadtteil`.
    pub id: &'static str,
    /// German label.
    pub label: &'static str,
    dimension: &'static str,
    level: Option<&'static str>,
}

const fn dim(
    id: &'static str,
    label: &'static str,
    dimension: &'static str,
    level: Option<&'static str>,
) -> CrosstabDimension {
    CrosstabDimension {
        id,
        label,
        dimension,
        level,
    }
}

const PLACES: [CrosstabDimension; 3] = [
    dim("raum:bezirk", "Stadtbezirk", "raum", Some("bezirk")),
    dim("raum:stadtteil", "Stadtteil", "raum", Some("stadtteil")),
    dim("raum:baublock", "Baublock", "raum", Some("baublock")),
];

const POPULATION: [CrosstabDimension; 8] = [
    PLACES[0],
    PLACES[1],
    PLACES[2],
    dim("geschlecht", "Geschlecht", "geschlecht", None),
    dim(
        "geschlecht_zugeordnet",
        "Geschlecht (divers und ohne Angabe nach Geburtsmonat zugeordnet)",
        "geschlecht_zugeordnet",
        None,
    ),
    dim("altersgruppe", "Altersgruppe", "altersgruppe", None),
    dim("herkunft", "Deutsche / Nichtdeutsche", "herkunft", None),
    dim(
        "staatsangehoerigkeit",
        "Staatsangehörigkeit (die zehn häufigsten)",
        "staatsangehoerigkeit",
        None,
    ),
];

const REFUGEES: [CrosstabDimension; 12] = [
    PLACES[0],
    PLACES[1],
    PLACES[2],
    dim("kategorie", "Kategorie", "kategorie", Some("kategorie")),
    dim(
        "kategorie:rechtsgrundlage",
        "Kategorie und Rechtsgrundlage",
        "kategorie",
        None,
    ),
    POPULATION[3],
    POPULATION[4],
    dim("altersgruppe", "Altersgruppe", "fl_altersgruppe", None),
    dim(
        "staatsangehoerigkeit",
        "Staatsangehörigkeit (die zehn häufigsten unter den Geflüchteten, übrige)",
        "fl_staatsangehoerigkeit",
        None,
    ),
    dim("einreisejahr", "Einreisejahr", "einreisejahr", None),
    dim(
        "schutzstatus",
        "Schutzstatus (offen, anerkannt, abgelehnt)",
        "schutzstatus",
        Some("status"),
    ),
    dim(
        "schutzstatus:schutzform",
        "Schutzstatus und Schutzform",
        "schutzstatus",
        None,
    ),
];

const ASYLBLG: [CrosstabDimension; 7] = [
    PLACES[0],
    PLACES[1],
    PLACES[2],
    dim("spalte", "Leistungsart und Gruppe", "spalte", None),
    dim("pks", "Personenkreisschlüssel", "pks", Some("schluessel")),
    POPULATION[3],
    dim("altersgruppe", "Altersgruppe", "fl_altersgruppe", None),
];

/// Note of every Kreuztabelle of the pupils: who counts as a refugee and which address places
/// them.
pub const PUPILS_NOTE: &str = "Schülerinnen und Schüler laut SchILD ohne Abgänger (Status 8 und \
     9). Geflüchtet = der per Verknüpfung gefundene Datensatz im Ausländerwesen hat eine \
     Fluchtkategorie; Gebiet der Geflüchteten nach der Adresse im Ausländerwesen, der übrigen \
     nach der Adresse in SchILD.";

const PUPILS: [CrosstabDimension; 10] = [
    PLACES[0],
    PLACES[1],
    PLACES[2],
    dim("schulform", "Schulform", "schulform", Some("schulform")),
    dim(
        "schulform:jahrgang",
        "Schulform und Jahrgang",
        "schulform",
        None,
    ),
    dim(
        "fluchtstatus",
        "Status (Geflüchtete / übrige)",
        "schueler",
        None,
    ),
    REFUGEES[3],
    REFUGEES[4],
    POPULATION[3],
    POPULATION[4],
];

/// What the analyst asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosstabRequest {
    /// What is counted.
    pub source: CrosstabSource,
    /// Row dimension (an id of [`CrosstabSource::dimensions`]).
    pub rows: String,
    /// Column dimension, if any.
    pub columns: Option<String>,
    /// Only what passes every filter is counted.
    #[serde(default)]
    pub filters: Vec<CrosstabFilter>,
    /// The design (the planner's best unless the analyst chose another alternative or the
    /// original).
    #[serde(default)]
    pub design: crate::protect::DesignChoice,
}

impl CrosstabRequest {
    /// The same request by sex with `divers` and `ohne Angabe` assigned by the birth month;
    /// `None` unless it shows persons by sex.
    pub fn with_assigned_sex(&self) -> Option<CrosstabRequest> {
        let by_sex = |d: &str| d == "geschlecht";
        if !(by_sex(&self.rows) || self.columns.as_deref().is_some_and(by_sex)) {
            return None;
        }
        let assigned = |d: &str| {
            if by_sex(d) {
                "geschlecht_zugeordnet".to_owned()
            } else {
                d.to_owned()
            }
        };
        Some(CrosstabRequest {
            rows: assigned(&self.rows),
            columns: self.columns.as_deref().map(assigned),
            ..self.clone()
        })
    }

    /// Where the Kreuztabelle's numbers come from: its source's universe and its filters by
    /// dimension.
    pub fn origin(&self) -> Result<crate::protect::Origin, CrosstabError> {
        let filters = self
            .filters
            .iter()
            .map(|f| {
                Ok((
                    find(self.source, &f.dimension)?.dimension.to_owned(),
                    f.categories.clone(),
                ))
            })
            .collect::<Result<_, CrosstabError>>()?;
        Ok(crate::protect::Origin {
            universe: self.source.universe().to_owned(),
            filters,
        })
    }
}

/// A filter: count only the records in one of the chosen categories of a dimension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosstabFilter {
    /// The dimension (an id of [`CrosstabSource::dimensions`], e.g. `raum:bezirk`).
    pub dimension: String,
    /// The category keys at that dimension's level (from [`filter_choices`]): a record in
    /// any of them is counted.
    pub categories: Vec<String>,
}

impl CrosstabFilter {
    /// The filter on one category.
    pub fn one(dimension: &str, category: &str) -> CrosstabFilter {
        CrosstabFilter {
            dimension: dimension.to_owned(),
            categories: vec![category.to_owned()],
        }
    }
}

/// The categories a filter on one dimension can choose, from the loaded data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoice {
    /// The dimension id.
    pub dimension: String,
    /// German label of the dimension.
    pub label: String,
    /// `(key, label)` of every category, in table order.
    pub categories: Vec<(String, String)>,
}

/// Why a Kreuztabelle cannot be made (German sentence with what to do).
#[derive(Clone, Debug, PartialEq)]
pub enum CrosstabError {
    /// The request names something the source does not have, or the data are missing.
    Request(String),
    /// Counting failed.
    Tabulate(TabulateError),
}

impl std::fmt::Display for CrosstabError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CrosstabError::Request(text) => f.write_str(text),
            CrosstabError::Tabulate(e) => write!(f, "Die Kreuztabelle ließ sich nicht zählen: {e}"),
        }
    }
}

impl std::error::Error for CrosstabError {}

fn find(source: CrosstabSource, id: &str) -> Result<CrosstabDimension, CrosstabError> {
    source
        .dimensions()
        .iter()
        .copied()
        .find(|d| d.id == id)
        .ok_or_else(|| {
            CrosstabError::Request(format!(
                "Das Merkmal „{id}“ gibt es für {} nicht. Wählen Sie ein Merkmal aus der Liste.",
                source.label()
            ))
        })
}

fn axis(d: CrosstabDimension) -> AxisDef {
    let total = if d.dimension == "raum" {
        "Insgesamt"
    } else {
        "Zusammen"
    };
    AxisDef {
        dimension: d.dimension.to_owned(),
        level: d.level.map(str::to_owned),
        subtotals: true,
        total: Some(total.to_owned()),
        total_first: false,
    }
}

/// Counts the Kreuztabelle of `request` from the loaded data (raw; protect it before showing).
/// Counts the source's records first; [`CrosstabBase`] keeps them for further requests.
pub fn crosstab(
    dataset: &Dataset,
    config: &ReportConfig,
    request: &CrosstabRequest,
) -> Result<Table, CrosstabError> {
    CrosstabBase::compute(dataset, config, request.source)?.crosstab(request)
}

/// The filters the loaded data offer for `source`: every dimension of the source with its
/// categories.
pub fn filter_choices(
    dataset: &Dataset,
    config: &ReportConfig,
    source: CrosstabSource,
) -> Result<Vec<FilterChoice>, CrosstabError> {
    Ok(CrosstabBase::compute(dataset, config, source)?.choices())
}

/// The records of one source located, classified and counted by every dimension the source
/// offers: computed once, then every Kreuztabelle and filter list of the source is read from
/// it without counting the records again.
pub struct CrosstabBase {
    counted: Counted,
    /// The one month a source of monthly records counts (the AsylbLG recipients').
    month: Option<YearMonth>,
    /// True if a Gliederung is loaded (spatial dimensions are offered).
    has_places: bool,
}

impl CrosstabBase {
    /// Counts the records of `source` in `dataset`.
    pub fn compute(
        dataset: &Dataset,
        config: &ReportConfig,
        source: CrosstabSource,
    ) -> Result<CrosstabBase, CrosstabError> {
        let entries = gliederung_entries(dataset);
        let (counted, month) = Counted::compute(dataset, config, source, &entries)?;
        Ok(CrosstabBase {
            counted,
            month,
            has_places: !entries.is_empty(),
        })
    }

    /// Where the Kreuztabelle of `request` takes its numbers from: its source's universe, its
    /// filters, and the month of a source of monthly records.
    pub fn origin(
        &self,
        request: &CrosstabRequest,
    ) -> Result<crate::protect::Origin, CrosstabError> {
        let mut origin = request.origin()?;
        if let Some(month) = self.month {
            origin
                .filters
                .push(("monat".to_owned(), vec![month.to_string()]));
        }
        Ok(origin)
    }

    /// The source counted.
    pub fn source(&self) -> CrosstabSource {
        self.counted.source
    }

    /// Counts the Kreuztabelle of `request` (raw; protect it before showing).
    pub fn crosstab(&self, request: &CrosstabRequest) -> Result<Table, CrosstabError> {
        if request.source != self.counted.source {
            return Err(CrosstabError::Request(format!(
                "Die Kreuztabelle fragt nach {}, gezählt ist {}.",
                request.source.label(),
                self.counted.source.label()
            )));
        }
        let counted = &self.counted;
        let rows = find(request.source, &request.rows)?;
        let columns = request
            .columns
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| find(request.source, c))
            .transpose()?;
        if columns.is_some_and(|c| c.dimension == rows.dimension) {
            return Err(CrosstabError::Request(
                "Zeilen und Spalten brauchen verschiedene Merkmale. Wählen Sie für die Spalten \
                 ein anderes Merkmal oder „keine“."
                    .into(),
            ));
        }
        let uses_places =
            rows.dimension == "raum" || columns.is_some_and(|c| c.dimension == "raum");
        if uses_places && !self.has_places {
            return Err(CrosstabError::Request(
                "Für räumliche Merkmale fehlt die räumliche Gliederung. Laden Sie die \
                 Adresstabelle oder wählen Sie andere Merkmale."
                    .into(),
            ));
        }
        let mut filter_labels = Vec::new();
        let mut keep: Vec<(usize, HashMap<String, String>, Vec<String>)> = Vec::new();
        // In the source's order of dimensions, so the title does not depend on the request's.
        let mut filters: Vec<&CrosstabFilter> = request.filters.iter().collect();
        filters.sort_by_key(|f| {
            request
                .source
                .dimensions()
                .iter()
                .position(|d| d.id == f.dimension)
        });
        for filter in filters {
            let d = find(request.source, &filter.dimension)?;
            if filter.categories.is_empty() {
                continue;
            }
            let mut categories = filter.categories.clone();
            categories.sort_by_key(|c| counted.rank_of(d, c));
            categories.dedup();
            let mut labels = Vec::new();
            let mut at = None;
            for category in &categories {
                let (position, ancestors, label) = counted.filter_of(d, category)?;
                labels.push(label);
                at = Some((position, ancestors));
            }
            if let Some((position, ancestors)) = at {
                keep.push((position, ancestors, categories));
            }
            filter_labels.push(format!("{}: {}", d.label, labels.join(" oder ")));
        }
        let what = match self.month {
            Some(m) => format!(
                "AsylbLG-Leistungsberechtigte (AKDN) im Monat {:02}/{}",
                m.month, m.year
            ),
            None => request.source.label().to_owned(),
        };
        let notes = match request.source {
            CrosstabSource::Schueler => vec![PUPILS_NOTE.to_owned()],
            _ => Vec::new(),
        };
        let mut title = format!("Kreuztabelle: {what} nach {}", rows.label);
        if let Some(c) = columns {
            title.push_str(&format!(" und {}", c.label));
        }
        if !filter_labels.is_empty() {
            title.push_str(&format!(" ({})", filter_labels.join(", ")));
        }
        let def = TableDef {
            key: "kreuztabelle".into(),
            title,
            sheet: Some("Kreuztabelle".into()),
            value: ValueKind::default(),
            counts: Counts::Kreuztabelle,
            page: Page::Kreuztabelle,
            rows: vec![axis(rows)],
            columns: columns.map(axis).into_iter().collect(),
            derived: Vec::new(),
            notes,
        };
        let filtered: Counter;
        let counts = if keep.is_empty() {
            &counted.counts
        } else {
            filtered = counted
                .counts
                .iter()
                .filter(|(key, _)| {
                    keep.iter().all(|(position, ancestors, categories)| {
                        let leaf = &key[*position];
                        let category = ancestors.get(leaf).unwrap_or(leaf);
                        categories.contains(category)
                    })
                })
                .map(|(key, n)| (key.clone(), *n))
                .collect();
            &filtered
        };
        let mut registers = counted.registers.clone();
        if uses_places {
            registers.push(Provenance {
                source: SourceKind::Gliederung,
                period: Period::Undated,
            });
        }
        count_into(&def, &counted.dims, counts, request.source.counted())
            .map(|t| t.with_provenance(registers))
            .map_err(CrosstabError::Tabulate)
    }

    /// The source's records as a universe of the release.
    pub fn universe(&self) -> crate::protect::Universe {
        let source = self.counted.source;
        let universe = crate::protect::Universe::new(
            source.universe(),
            source.counted(),
            &self.counted.counts,
            &self.counted.dims.all,
        );
        match source {
            CrosstabSource::Asylblg => universe.with_ties(&monthly::TIES, &[]),
            CrosstabSource::Schueler => universe.with_ties(&pupils::TIES, &pupils::TIES[..1]),
            CrosstabSource::Gefluechtete => universe
                .with_ties(&refugees::TIES, &refugees::TIES[..1])
                .with_functions(&refugees::FUNCTIONS),
            _ => universe.with_ties(&population::TIES, &population::TIES[..1]),
        }
    }

    /// The filters of the source: every dimension with its categories.
    pub fn choices(&self) -> Vec<FilterChoice> {
        let source = self.counted.source;
        source
            .dimensions()
            .iter()
            .filter(|d| d.dimension != "raum" || self.has_places)
            .filter_map(|d| {
                let level = self.counted.level(*d)?;
                Some(FilterChoice {
                    dimension: d.id.to_owned(),
                    label: d.label.to_owned(),
                    categories: level
                        .categories
                        .iter()
                        .map(|c| (c.key.clone(), c.label.clone()))
                        .collect(),
                })
            })
            .collect()
    }
}

/// The records of a source counted by its dimensions, with the dimensions built from them.
struct Counted {
    source: CrosstabSource,
    counts: Counter,
    dims: dimensions::Dimensions,
    /// The registers counted.
    registers: Vec<Provenance>,
}

impl Counted {
    fn compute(
        dataset: &Dataset,
        config: &ReportConfig,
        source: CrosstabSource,
        entries: &[crate::records::AddressEntry],
    ) -> Result<(Counted, Option<YearMonth>), CrosstabError> {
        let index = AddressIndex::build(&dataset.pool, entries);
        let mut quality = Quality::default();
        let missing = |what: &str| {
            CrosstabError::Request(format!(
                "Für diese Kreuztabelle fehlt {what}. Laden Sie den Bestand oder wählen Sie eine \
                 andere Quelle."
            ))
        };
        let (counts, dims, registers) = match source {
            CrosstabSource::Bevoelkerung => {
                let counts = population::PopulationCounts::compute(
                    dataset,
                    &index,
                    &config.age_groups,
                    &mut quality,
                )
                .ok_or_else(|| missing("der Meldewesen-Bestand"))?;
                let dims = dimensions::Dimensions::build(&index.geography, config, &counts.found());
                let register = Provenance::snapshot(SourceKind::Meldewesen, counts.reference_date);
                (counts.counts, dims, vec![register])
            }
            CrosstabSource::Gefluechtete => {
                let counts =
                    refugees::RefugeeCounts::compute(dataset, &index, config, &mut quality)
                        .ok_or_else(|| missing("der Ausländerwesen-Bestand"))?;
                let found = dimensions::Found {
                    refugees: counts.found(),
                    ..Default::default()
                };
                let dims = dimensions::Dimensions::build(&index.geography, config, &found);
                let register = Provenance::snapshot(SourceKind::Alw, counts.reference_date);
                (counts.counts, dims, vec![register])
            }
            CrosstabSource::Schueler => {
                let refugees =
                    refugees::RefugeeCounts::compute(dataset, &index, config, &mut quality)
                        .ok_or_else(|| missing("der Ausländerwesen-Bestand"))?;
                let located = (!entries.is_empty()).then_some(&index);
                let counts = linked::LinkedSources::gather(
                    dataset,
                    located,
                    &refugees,
                    &config.grades,
                    &config.pks,
                )
                .filter(|s| s.schild_loaded())
                .map(|s| {
                    let links = s.link_only(
                        super::keys::LinkPair::SchildAlw,
                        &crate::link::LinkOptions::default(),
                    );
                    s.count(&links).pupils.unwrap_or_default()
                })
                .ok_or_else(|| missing("eine SchILD-Datei"))?;
                let dims = dimensions::Dimensions::build(
                    &index.geography,
                    config,
                    &dimensions::Found::default(),
                );
                let dims = dimensions::Dimensions {
                    all: pupils::dimensions(&dims.all),
                };
                let sources = Sources::of(dataset, None, None, Some(&refugees));
                (counts, dims, vec![sources.schild, sources.alw])
            }
            CrosstabSource::Asylblg => {
                let series = crate::classify::series::Series::from_dataset(dataset, &config.pks);
                let month = series
                    .last_month
                    .ok_or_else(|| missing("ein AKDN-Export"))?;
                let detail = monthly::MonthDetail::compute(dataset, &index, config, month);
                // Only this month's persons, keyed like the universe of the series.
                let counts = detail
                    .persons
                    .into_iter()
                    .map(|(key, n)| {
                        let mut full = vec![month.to_string()];
                        full.extend(key);
                        (full, n)
                    })
                    .collect();
                let found = dimensions::Found {
                    months: Some((month, month)),
                    ..Default::default()
                };
                let dims = dimensions::Dimensions::build(&index.geography, config, &found);
                let register = Provenance {
                    source: SourceKind::Akdn,
                    period: Period::Months(month, month),
                };
                return Ok((
                    Counted {
                        source,
                        counts,
                        dims,
                        registers: vec![register],
                    },
                    Some(month),
                ));
            }
        };
        Ok((
            Counted {
                source,
                counts,
                dims,
                registers,
            },
            None,
        ))
    }

    fn dimension(&self, d: CrosstabDimension) -> Option<&DimensionDef> {
        self.dims.all.iter().find(|def| def.key == d.dimension)
    }

    /// The level a dimension choice stands for (its named level, else the finest).
    fn level(&self, d: CrosstabDimension) -> Option<&LevelDef> {
        let def = self.dimension(d)?;
        match d.level {
            Some(level) => def.levels.iter().find(|l| l.key == level),
            None => def.levels.last(),
        }
    }

    /// Where `category` stands among the categories of `d`'s level (for the order of a
    /// filter's categories in the title); unknown ones last.
    fn rank_of(&self, d: CrosstabDimension, category: &str) -> usize {
        self.level(d)
            .and_then(|l| l.categories.iter().position(|c| c.key == category))
            .unwrap_or(usize::MAX)
    }

    /// Where the filter's dimension sits in the counter keys, the map from counted (finest)
    /// keys to their category at the filter's level, and the category's label.
    fn filter_of(
        &self,
        d: CrosstabDimension,
        category: &str,
    ) -> Result<(usize, HashMap<String, String>, String), CrosstabError> {
        let unknown = || {
            CrosstabError::Request(format!(
                "Die Auswahl „{category}“ gibt es für {} in den geladenen Daten nicht. Wählen Sie \
                 einen Eintrag aus der Liste.",
                d.label
            ))
        };
        let position = self
            .source
            .counted()
            .iter()
            .position(|k| *k == d.dimension)
            .ok_or_else(unknown)?;
        let def = self.dimension(d).ok_or_else(unknown)?;
        let level = self.level(d).ok_or_else(unknown)?;
        let label = level
            .categories
            .iter()
            .find(|c| c.key == category)
            .map(|c| c.label.clone())
            .ok_or_else(unknown)?;
        // Walk every finest category up to the filter's level.
        let depth = def
            .levels
            .iter()
            .position(|l| l.key == level.key)
            .ok_or_else(unknown)?;
        let mut ancestors: HashMap<String, String> = HashMap::new();
        let parents: Vec<HashMap<&str, &str>> = def
            .levels
            .iter()
            .map(|l| {
                l.categories
                    .iter()
                    .filter_map(|c| c.parent.as_deref().map(|p| (c.key.as_str(), p)))
                    .collect()
            })
            .collect();
        if let Some(finest) = def.levels.last() {
            for c in &finest.categories {
                let mut key = c.key.as_str();
                for l in (depth + 1..def.levels.len()).rev() {
                    match parents[l].get(key) {
                        Some(parent) => key = parent,
                        None => break,
                    }
                }
                ancestors.insert(c.key.clone(), key.to_owned());
            }
        }
        Ok((position, ancestors, label))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, Importer};
    use crate::protect::{ProtectionSettings, protect};
    use lagebild_synth::{Config, Scale, SourceKind, generate};

    fn tiny() -> Dataset {
        let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
        let importer = Importer::default();
        let mut dataset = Dataset::default();
        for entry in &output.manifest.files {
            if matches!(entry.source, SourceKind::GeoJson | SourceKind::Schild)
                || entry.subset_of.is_some()
                || entry.duplicate_of.is_some()
            {
                continue;
            }
            let file = output.file(&entry.path).expect("file");
            let name = entry.path.rsplit('/').next().unwrap_or_default();
            importer.import(&mut dataset, name, &file.bytes, &ImportOptions::default());
        }
        dataset
    }

    fn cells(table: Table) -> Vec<String> {
        let p = protect(table, &ProtectionSettings::default());
        (0..p.n_rows())
            .flat_map(|r| (0..p.n_cols()).map(move |c| (r, c)))
            .map(|(r, c)| p.cell(r, c).to_german(0))
            .collect()
    }

    #[test]
    fn a_crosstab_with_a_standard_layout_equals_the_standard_table() {
        let dataset = tiny();
        let config = ReportConfig::default();
        let report = super::super::standard_report(&dataset, &config).expect("report");
        for (key, source, rows, columns) in [
            (
                "bevoelkerung_geschlecht",
                CrosstabSource::Bevoelkerung,
                "raum:stadtteil",
                "geschlecht",
            ),
            (
                "kategorie_stadtteil",
                CrosstabSource::Gefluechtete,
                "raum:stadtteil",
                "kategorie",
            ),
        ] {
            let standard = report
                .tables
                .iter()
                .find(|t| t.key() == key)
                .cloned()
                .expect("standard table");
            let request = CrosstabRequest {
                design: Default::default(),
                source,
                rows: rows.into(),
                columns: Some(columns.into()),
                filters: Vec::new(),
            };
            let table = crosstab(&dataset, &config, &request).expect("crosstab");
            assert_eq!(table.n_rows(), standard.n_rows(), "{key}");
            assert_eq!(cells(table), cells(standard), "{key}");
        }
    }

    #[test]
    fn a_crosstab_refuses_the_same_dimension_twice_and_unknown_dimensions() {
        let dataset = tiny();
        let config = ReportConfig::default();
        let same = CrosstabRequest {
            design: Default::default(),
            source: CrosstabSource::Bevoelkerung,
            rows: "raum:bezirk".into(),
            columns: Some("raum:stadtteil".into()),
            filters: Vec::new(),
        };
        assert!(matches!(
            crosstab(&dataset, &config, &same),
            Err(CrosstabError::Request(_))
        ));
        let unknown = CrosstabRequest {
            design: Default::default(),
            source: CrosstabSource::Gefluechtete,
            rows: "herkunft".into(),
            columns: None,
            filters: Vec::new(),
        };
        assert!(matches!(
            crosstab(&dataset, &config, &unknown),
            Err(CrosstabError::Request(_))
        ));
        let single = CrosstabRequest {
            design: Default::default(),
            source: CrosstabSource::Gefluechtete,
            rows: "kategorie:rechtsgrundlage".into(),
            columns: None,
            filters: Vec::new(),
        };
        let table = crosstab(&dataset, &config, &single).expect("crosstab");
        assert_eq!(table.n_cols(), 1);
        assert!(table.n_rows() > 4);
    }

    fn request(
        source: CrosstabSource,
        rows: &str,
        columns: Option<&str>,
        filters: &[(&str, &str)],
    ) -> CrosstabRequest {
        CrosstabRequest {
            design: Default::default(),
            source,
            rows: rows.into(),
            columns: columns.map(Into::into),
            filters: filters
                .iter()
                .map(|(d, c)| CrosstabFilter::one(d, c))
                .collect(),
        }
    }

    fn value(table: &Table, row: &[&str], col: &[&str]) -> u64 {
        use crate::tabulate::index_of;
        let r = index_of(table.row_axes(), row).unwrap_or_else(|| panic!("row {row:?}"));
        let c = if table.column_axes().is_empty() {
            0
        } else {
            index_of(table.column_axes(), col).unwrap_or_else(|| panic!("column {col:?}"))
        };
        table.cell(r, c).unwrap_or(0)
    }

    fn choice<'a>(choices: &'a [FilterChoice], dimension: &str) -> &'a FilterChoice {
        choices
            .iter()
            .find(|c| c.dimension == dimension)
            .unwrap_or_else(|| panic!("no filter {dimension}"))
    }

    #[test]
    fn filters_count_only_their_category_at_any_level() {
        use crate::tabulate::TOTAL_KEY;
        let dataset = tiny();
        let config = ReportConfig::default();
        let people =
            filter_choices(&dataset, &config, CrosstabSource::Bevoelkerung).expect("choices");
        let bezirke = &choice(&people, "raum:bezirk").categories;
        assert!(bezirke.len() >= 2, "{bezirke:?}");
        assert!(choice(&people, "geschlecht").categories.len() >= 2);

        // Population by Stadtbezirk and sex; the same with a filter on each Bezirk in turn
        // (rows: Stadtteile) adds up to that Bezirk's row, and no other Bezirk has anyone.
        let all = crosstab(
            &dataset,
            &config,
            &request(
                CrosstabSource::Bevoelkerung,
                "raum:bezirk",
                Some("geschlecht"),
                &[],
            ),
        )
        .expect("crosstab");
        for (key, label) in bezirke {
            let one = crosstab(
                &dataset,
                &config,
                &request(
                    CrosstabSource::Bevoelkerung,
                    "raum:stadtteil",
                    Some("geschlecht"),
                    &[("raum:bezirk", key)],
                ),
            )
            .expect("crosstab");
            assert!(
                one.title().contains(&format!("Stadtbezirk: {label}")),
                "{}",
                one.title()
            );
            assert_eq!(
                value(&one, &[TOTAL_KEY], &[TOTAL_KEY]),
                value(&all, &[key], &[TOTAL_KEY]),
                "{label}"
            );
            for (sex, _) in &choice(&people, "geschlecht").categories {
                assert_eq!(
                    value(&one, &[TOTAL_KEY], &[sex]),
                    value(&all, &[key], &[sex]),
                    "{label} {sex}"
                );
            }
        }

        // A filter on a flat dimension equals that column; two filters combine.
        let (sex, _) = &choice(&people, "geschlecht").categories[0];
        let only = crosstab(
            &dataset,
            &config,
            &request(
                CrosstabSource::Bevoelkerung,
                "raum:bezirk",
                None,
                &[("geschlecht", sex)],
            ),
        )
        .expect("crosstab");
        for (key, _) in bezirke {
            assert_eq!(
                value(&only, &[key], &[TOTAL_KEY]),
                value(&all, &[key], &[sex])
            );
        }
        let (first_bezirk, _) = &bezirke[0];
        let both = crosstab(
            &dataset,
            &config,
            &request(
                CrosstabSource::Bevoelkerung,
                "altersgruppe",
                None,
                &[("geschlecht", sex), ("raum:bezirk", first_bezirk)],
            ),
        )
        .expect("crosstab");
        assert_eq!(
            value(&both, &[TOTAL_KEY], &[TOTAL_KEY]),
            value(&all, &[first_bezirk], &[sex])
        );

        // Refugees filtered to one category: only its legal bases have anyone.
        let refugees =
            filter_choices(&dataset, &config, CrosstabSource::Gefluechtete).expect("choices");
        let categories = &choice(&refugees, "kategorie").categories;
        let by_category = crosstab(
            &dataset,
            &config,
            &request(CrosstabSource::Gefluechtete, "kategorie", None, &[]),
        )
        .expect("crosstab");
        for (category, label) in categories {
            let filtered = crosstab(
                &dataset,
                &config,
                &request(
                    CrosstabSource::Gefluechtete,
                    "raum:bezirk",
                    None,
                    &[("kategorie", category)],
                ),
            )
            .expect("crosstab");
            assert_eq!(
                value(&filtered, &[TOTAL_KEY], &[TOTAL_KEY]),
                value(&by_category, &[category], &[TOTAL_KEY]),
                "{label}"
            );
        }
    }

    #[test]
    fn a_filter_on_an_unknown_category_is_refused_in_german() {
        let dataset = tiny();
        let config = ReportConfig::default();
        let wrong = request(
            CrosstabSource::Bevoelkerung,
            "raum:bezirk",
            None,
            &[("geschlecht", "gibt-es-nicht")],
        );
        match crosstab(&dataset, &config, &wrong) {
            Err(CrosstabError::Request(text)) => {
                assert!(text.contains("„gibt-es-nicht“"), "{text}");
                assert!(text.contains("Geschlecht"), "{text}");
            }
            other => panic!("{other:?}"),
        }
        let wrong_dimension = request(
            CrosstabSource::Gefluechtete,
            "raum:bezirk",
            None,
            &[("herkunft", "deutsch")],
        );
        assert!(matches!(
            crosstab(&dataset, &config, &wrong_dimension),
            Err(CrosstabError::Request(_))
        ));
    }
}
