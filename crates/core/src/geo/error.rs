//! Errors of the GeoJSON reader, each a German sentence with what was expected.

use serde::Serialize;

use crate::format;

/// Why one feature of a FeatureCollection was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum FeatureProblem {
    /// The entry is not a GeoJSON Feature object.
    NotAFeature,
    /// The property with the area's key is missing or empty.
    MissingKey,
    /// The feature has no geometry.
    NoGeometry,
    /// The geometry is not a Polygon or MultiPolygon.
    UnsupportedGeometry,
    /// The coordinates are not nested arrays of number pairs.
    BadCoordinates,
    /// A ring has fewer than three distinct points.
    RingTooShort,
    /// A coordinate lies outside the coordinate reference system's range.
    OutOfRange,
}

impl FeatureProblem {
    /// German description with what was expected.
    pub fn describe(self) -> &'static str {
        match self {
            FeatureProblem::NotAFeature => {
                "kein Feature-Objekt (erwartet {\"type\": \"Feature\", \"properties\": …, \"geometry\": …})"
            }
            FeatureProblem::MissingKey => "Schlüssel des Gebiets fehlt oder ist leer",
            FeatureProblem::NoGeometry => "keine Geometrie (erwartet Polygon oder MultiPolygon)",
            FeatureProblem::UnsupportedGeometry => {
                "Geometrie ist keine Fläche (erwartet Polygon oder MultiPolygon)"
            }
            FeatureProblem::BadCoordinates => {
                "Koordinaten nicht lesbar (erwartet Listen von Zahlenpaaren [x, y])"
            }
            FeatureProblem::RingTooShort => {
                "Ring mit weniger als drei Punkten (erwartet eine geschlossene Fläche)"
            }
            FeatureProblem::OutOfRange => {
                "Koordinaten außerhalb des Bezugssystems (erwartet WGS84-Längen/Breiten oder EPSG:25832-Meter)"
            }
        }
    }
}

/// What is wrong with a GeoJSON file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum GeoProblem {
    /// Larger than allowed.
    TooLarge {
        /// File size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// Not valid JSON (or nested too deeply).
    NotJson {
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// Valid JSON but not a FeatureCollection.
    NotFeatureCollection {
        /// What was found instead (the `type` member, or a description).
        found: String,
    },
    /// More features than allowed.
    TooManyFeatures {
        /// Features in the file.
        count: usize,
        /// The cap.
        limit: usize,
    },
    /// More coordinate pairs than allowed.
    TooManyPoints {
        /// The cap.
        limit: usize,
    },
    /// A legacy `crs` member names a system other than WGS84 or EPSG:25832.
    UnknownCrs {
        /// The name found.
        name: String,
    },
    /// No feature has a property naming a Baublock, Stadtteil or Stadtbezirk.
    NoKeyProperty {
        /// Property names of the first feature.
        found: Vec<String>,
    },
    /// The collection has no usable feature.
    NoAreas,
    /// A feature cannot be used (only from the strict [`super::AreaMap::from_geojson`]).
    Feature {
        /// 1-based number of the feature in the collection.
        number: usize,
        /// What is wrong.
        problem: FeatureProblem,
        /// Detail, e.g. the geometry type found.
        detail: String,
    },
}

/// A GeoJSON file that cannot be read, with its name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeoError {
    /// File name.
    pub file: String,
    /// What is wrong.
    pub problem: GeoProblem,
}

impl std::fmt::Display for GeoProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GeoProblem::TooLarge { size, limit } => write!(
                f,
                "Die Kartendatei ist {} groß; erlaubt sind höchstens {}. Bitte die Geometrie vereinfachen oder aufteilen.",
                format::file_size(*size),
                format::file_size(*limit)
            ),
            GeoProblem::NotJson { line, column } => write!(
                f,
                "Die Datei ist kein gültiges JSON (Fehler in Zeile {line}, Spalte {column}). Erwartet wird eine GeoJSON-FeatureCollection; bitte erneut aus dem GIS exportieren."
            ),
            GeoProblem::NotFeatureCollection { found } => write!(
                f,
                "Die Datei ist keine GeoJSON-FeatureCollection (gefunden: {found}). Erwartet wird {{\"type\": \"FeatureCollection\", \"features\": […]}}."
            ),
            GeoProblem::TooManyFeatures { count, limit } => write!(
                f,
                "Die Kartendatei hat {} Objekte; erlaubt sind höchstens {}.",
                format::count(*count as u64),
                format::count(*limit as u64)
            ),
            GeoProblem::TooManyPoints { limit } => write!(
                f,
                "Die Kartendatei hat mehr als {} Koordinatenpaare. Bitte die Geometrie im GIS vereinfachen.",
                format::count(*limit as u64)
            ),
            GeoProblem::UnknownCrs { name } => write!(
                f,
                "Das Koordinatensystem „{name}“ wird nicht unterstützt. Erwartet wird WGS84 (Längen und Breiten, RFC 7946) oder ETRS89/UTM 32N (EPSG:25832)."
            ),
            GeoProblem::NoKeyProperty { found } => {
                let shown: Vec<String> = found.iter().take(20).map(|p| format!("„{p}“")).collect();
                write!(
                    f,
                    "Keine Eigenschaft nennt das Gebiet. Erwartet wird „baublock“ (Baublöcke), „stadtteil_nr“ (Stadtteile) oder „stadtbezirk_nr“ (Stadtbezirke); gefunden: {}.",
                    if shown.is_empty() {
                        "keine Eigenschaften".to_string()
                    } else {
                        shown.join(", ")
                    }
                )
            }
            GeoProblem::NoAreas => write!(
                f,
                "Die FeatureCollection enthält keine verwendbare Fläche (Polygon oder MultiPolygon mit Schlüssel)."
            ),
            GeoProblem::Feature {
                number,
                problem,
                detail,
            } => {
                write!(f, "Objekt {number}: {}", problem.describe())?;
                if !detail.is_empty() {
                    write!(f, " – {detail}")?;
                }
                write!(f, ".")
            }
        }
    }
}

impl std::fmt::Display for GeoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kartendatei „{}“: {}", self.file, self.problem)
    }
}

impl std::error::Error for GeoError {}
