//! The Kreuztabelle: the general tool behind the fixed reports. The analyst picks a source
//! (population or refugees), a row and optionally a column dimension, and gets a raw [`Table`]
//! laid out like the standard tables, counted from the same records; it leaves the core only
//! through [`crate::protect::protect`] like every other table.

use serde::{Deserialize, Serialize};

use super::{
    Quality, ReportConfig, count_into, dimensions, gliederung_entries, population, refugees,
    table_defs,
};
use crate::import::Dataset;
use crate::locate::AddressIndex;
use crate::tabulate::{Table, TabulateError};

/// What a Kreuztabelle counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrosstabSource {
    /// Residents of the current Meldewesen snapshot.
    Bevoelkerung,
    /// Refugees of the current ALW snapshot.
    Gefluechtete,
}

impl CrosstabSource {
    /// Both sources.
    pub const ALL: [CrosstabSource; 2] =
        [CrosstabSource::Bevoelkerung, CrosstabSource::Gefluechtete];

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            CrosstabSource::Bevoelkerung => "Einwohner (Meldewesen)",
            CrosstabSource::Gefluechtete => "Geflüchtete (Ausländerwesen)",
        }
    }

    /// The dimensions a Kreuztabelle of this source can use.
    pub fn dimensions(self) -> &'static [CrosstabDimension] {
        match self {
            CrosstabSource::Bevoelkerung => &POPULATION,
            CrosstabSource::Gefluechtete => &REFUGEES,
        }
    }

    fn counted(self) -> &'static [&'static str] {
        match self {
            CrosstabSource::Bevoelkerung => &[
                "raum",
                "geschlecht",
                "altersgruppe",
                "herkunft",
                "staatsangehoerigkeit",
            ],
            CrosstabSource::Gefluechtete => &["raum", "kategorie"],
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

const POPULATION: [CrosstabDimension; 7] = [
    PLACES[0],
    PLACES[1],
    PLACES[2],
    dim("geschlecht", "Geschlecht", "geschlecht", None),
    dim("altersgruppe", "Altersgruppe", "altersgruppe", None),
    dim("herkunft", "Deutsche / Nichtdeutsche", "herkunft", None),
    dim(
        "staatsangehoerigkeit",
        "Staatsangehörigkeit (die zehn häufigsten)",
        "staatsangehoerigkeit",
        None,
    ),
];

const REFUGEES: [CrosstabDimension; 5] = [
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

fn axis(d: CrosstabDimension) -> String {
    let total = if d.dimension == "raum" {
        "Insgesamt"
    } else {
        "Zusammen"
    };
    match d.level {
        Some(level) => format!(
            "{{ dimension = \"{}\", level = \"{level}\", total = \"{total}\" }}",
            d.dimension
        ),
        None => format!("{{ dimension = \"{}\", total = \"{total}\" }}", d.dimension),
    }
}

/// Counts the Kreuztabelle of `request` from the loaded data (raw; protect it before showing).
pub fn crosstab(
    dataset: &Dataset,
    config: &ReportConfig,
    request: &CrosstabRequest,
) -> Result<Table, CrosstabError> {
    let rows = find(request.source, &request.rows)?;
    let columns = request
        .columns
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| find(request.source, c))
        .transpose()?;
    if columns.is_some_and(|c| c.dimension == rows.dimension) {
        return Err(CrosstabError::Request(
            "Zeilen und Spalten brauchen verschiedene Merkmale. Wählen Sie für die Spalten ein \
             anderes Merkmal oder „keine“."
                .into(),
        ));
    }
    let entries = gliederung_entries(dataset);
    let uses_places = rows.dimension == "raum" || columns.is_some_and(|c| c.dimension == "raum");
    if uses_places && entries.is_empty() {
        return Err(CrosstabError::Request(
            "Für räumliche Merkmale fehlt die räumliche Gliederung. Laden Sie die Adresstabelle \
             oder wählen Sie andere Merkmale."
                .into(),
        ));
    }
    let index = AddressIndex::build(&dataset.pool, &entries);
    let mut quality = Quality::default();
    let mut title = format!(
        "Kreuztabelle: {} nach {}",
        request.source.label(),
        rows.label
    );
    if let Some(c) = columns {
        title.push_str(&format!(" und {}", c.label));
    }
    let toml = format!(
        "[[table]]\nkey = \"kreuztabelle\"\ntitle = \"{}\"\nrows = [{}]\ncolumns = [{}]\n",
        title.replace('"', "'"),
        axis(rows),
        columns.map(axis).unwrap_or_default()
    );
    let def = table_defs(&toml)
        .map_err(CrosstabError::Request)?
        .into_iter()
        .next()
        .ok_or_else(|| CrosstabError::Request("Die Tabellendefinition ist leer.".into()))?;
    let missing = |what: &str| {
        CrosstabError::Request(format!(
            "Für diese Kreuztabelle fehlt {what}. Laden Sie den Bestand oder wählen Sie eine \
             andere Quelle."
        ))
    };
    match request.source {
        CrosstabSource::Bevoelkerung => {
            let counts = population::PopulationCounts::compute(
                dataset,
                &index,
                &config.age_groups,
                &mut quality,
            )
            .ok_or_else(|| missing("der Meldewesen-Bestand"))?;
            let dims = dimensions::Dimensions::build(
                &index.geography,
                config,
                None,
                None,
                Some(&counts),
                None,
            );
            count_into(&def, &dims, &counts.counts, request.source.counted())
        }
        CrosstabSource::Gefluechtete => {
            let counts =
                refugees::RefugeeCounts::compute(dataset, &index, &config.rules, &mut quality)
                    .ok_or_else(|| missing("der Ausländerwesen-Bestand"))?;
            let dims = dimensions::Dimensions::build(
                &index.geography,
                config,
                None,
                Some(&counts),
                None,
                None,
            );
            count_into(&def, &dims, &counts.counts, request.source.counted())
        }
    }
    .map_err(CrosstabError::Tabulate)
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
                source,
                rows: rows.into(),
                columns: Some(columns.into()),
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
            source: CrosstabSource::Bevoelkerung,
            rows: "raum:bezirk".into(),
            columns: Some("raum:stadtteil".into()),
        };
        assert!(matches!(
            crosstab(&dataset, &config, &same),
            Err(CrosstabError::Request(_))
        ));
        let unknown = CrosstabRequest {
            source: CrosstabSource::Gefluechtete,
            rows: "geschlecht".into(),
            columns: None,
        };
        assert!(matches!(
            crosstab(&dataset, &config, &unknown),
            Err(CrosstabError::Request(_))
        ));
        let single = CrosstabRequest {
            source: CrosstabSource::Gefluechtete,
            rows: "kategorie:rechtsgrundlage".into(),
            columns: None,
        };
        let table = crosstab(&dataset, &config, &single).expect("crosstab");
        assert_eq!(table.n_cols(), 1);
        assert!(table.n_rows() > 4);
    }
}
