//! Reading a GeoJSON FeatureCollection into an [`AreaMap`].

use crate::text::fold;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::error::{FeatureProblem, GeoError, GeoProblem};
use super::project::utm32_to_wgs84;
use super::{Area, AreaKey, AreaMap, GeoLimits, Level, Polygon, Ring};

/// Property names (normalised: lower case, umlauts folded, only letters and digits) naming a
/// Baublock.
const BAUBLOCK: &[&str] = &[
    "baublock",
    "baublocknr",
    "baublocknummer",
    "baublockschluessel",
    "bbl",
    "blocknr",
];
/// Property names naming the number of a Stadtteil.
const STADTTEIL_NR: &[&str] = &[
    "stadtteilnr",
    "stadtteilnummer",
    "stadtteilschluessel",
    "stnr",
    "sttnr",
];
/// Property names naming a Stadtteil.
const STADTTEIL_NAME: &[&str] = &["stadtteil", "stadtteilname", "name"];
/// Property names naming the number of a Stadtbezirk.
const STADTBEZIRK_NR: &[&str] = &[
    "stadtbezirknr",
    "stadtbezirksnr",
    "stadtbezirknummer",
    "stadtbezirksnummer",
    "bezirknr",
    "bezirksnr",
    "sbznr",
];
/// Property names naming a Stadtbezirk.
const STADTBEZIRK_NAME: &[&str] = &[
    "stadtbezirk",
    "stadtbezirkname",
    "stadtbezirksname",
    "bezirk",
    "name",
];

/// A feature left out, with its 1-based number in the collection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FeatureReject {
    /// 1-based number of the feature.
    pub number: usize,
    /// What is wrong.
    pub problem: FeatureProblem,
    /// Detail, e.g. the geometry type found (never a coordinate).
    pub detail: String,
}

/// The result of reading a FeatureCollection leniently.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParsedMap {
    /// The areas read.
    pub map: AreaMap,
    /// Features in the collection.
    pub features_read: usize,
    /// Features used (several with the same key count each).
    pub features_accepted: usize,
    /// Features left out.
    pub rejected: Vec<FeatureReject>,
    /// German notes (coordinate system, merged features).
    pub notes: Vec<String>,
}

/// Coordinate reference system of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Crs {
    Wgs84,
    Utm32,
}

/// The text of the first property whose normalised name is in `names` (by priority of
/// `names`); numbers are written without a fraction if they are whole.
fn property(props: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|wanted| {
        props
            .iter()
            .find(|(k, _)| fold(k) == *wanted)
            .and_then(|(_, v)| value_text(v))
    })
}

fn value_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                let x = n.as_f64()?;
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    format!("{x:.0}")
                } else {
                    x.to_string()
                }
            }
        }
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

fn has_any(props: &Map<String, Value>, names: &[&str]) -> bool {
    props.keys().any(|k| names.contains(&fold(k).as_str()))
}

fn problem(file: &str, problem: GeoProblem) -> GeoError {
    GeoError {
        file: file.to_owned(),
        problem,
    }
}

fn crs_of(root: &Map<String, Value>, file: &str) -> Result<Option<Crs>, GeoError> {
    let Some(name) = root
        .get("crs")
        .and_then(|c| c.get("properties"))
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    let upper = name.to_uppercase();
    if upper.contains("25832") || upper.contains("4647") {
        Ok(Some(Crs::Utm32))
    } else if upper.contains("CRS84") || upper.contains("4326") {
        Ok(Some(Crs::Wgs84))
    } else {
        Err(problem(
            file,
            GeoProblem::UnknownCrs {
                name: name.chars().take(100).collect(),
            },
        ))
    }
}

/// The first coordinate pair in a geometry's coordinates, to guess the CRS.
fn first_pair(value: &Value) -> Option<(f64, f64)> {
    let array = value.as_array()?;
    match (
        array.first().and_then(Value::as_f64),
        array.get(1).and_then(Value::as_f64),
    ) {
        (Some(x), Some(y)) => Some((x, y)),
        _ => array.iter().find_map(first_pair),
    }
}

struct Reader<'a> {
    crs: Crs,
    points: usize,
    limits: &'a GeoLimits,
}

impl Reader<'_> {
    /// Converts one position; `Err` for a problem of the feature, `Ok(None)` never.
    fn position(&self, value: &Value) -> Result<(f64, f64), FeatureProblem> {
        let pair = value.as_array().ok_or(FeatureProblem::BadCoordinates)?;
        let (Some(x), Some(y)) = (
            pair.first().and_then(Value::as_f64),
            pair.get(1).and_then(Value::as_f64),
        ) else {
            return Err(FeatureProblem::BadCoordinates);
        };
        if !x.is_finite() || !y.is_finite() {
            return Err(FeatureProblem::BadCoordinates);
        }
        match self.crs {
            Crs::Wgs84 => {
                if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
                    Ok((x, y))
                } else {
                    Err(FeatureProblem::OutOfRange)
                }
            }
            Crs::Utm32 => {
                // EPSG:4647 writes the zone number in front of the easting.
                let e = if (32_000_000.0..33_000_000.0).contains(&x) {
                    x - 32_000_000.0
                } else {
                    x
                };
                if (100_000.0..=900_000.0).contains(&e) && (0.0..=9_400_000.0).contains(&y) {
                    Ok(utm32_to_wgs84(e, y))
                } else {
                    Err(FeatureProblem::OutOfRange)
                }
            }
        }
    }

    fn ring(&mut self, value: &Value) -> Result<Ring, Result<FeatureProblem, GeoProblem>> {
        let positions = value.as_array().ok_or(Ok(FeatureProblem::BadCoordinates))?;
        self.points = self.points.saturating_add(positions.len());
        if self.points > self.limits.max_points {
            return Err(Err(GeoProblem::TooManyPoints {
                limit: self.limits.max_points,
            }));
        }
        let mut ring: Ring = Vec::with_capacity(positions.len());
        for p in positions {
            let point = self.position(p).map_err(Ok)?;
            if ring.last() != Some(&point) {
                ring.push(point);
            }
        }
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        if ring.len() < 3 {
            return Err(Ok(FeatureProblem::RingTooShort));
        }
        Ok(ring)
    }

    fn polygon(&mut self, value: &Value) -> Result<Polygon, Result<FeatureProblem, GeoProblem>> {
        let rings = value.as_array().ok_or(Ok(FeatureProblem::BadCoordinates))?;
        if rings.is_empty() {
            return Err(Ok(FeatureProblem::BadCoordinates));
        }
        rings.iter().map(|r| self.ring(r)).collect()
    }

    /// The polygons of a geometry; the inner `Err` of a problem of the whole file.
    fn geometry(
        &mut self,
        geometry: Option<&Value>,
    ) -> Result<Vec<Polygon>, Result<(FeatureProblem, String), GeoProblem>> {
        let geometry = match geometry {
            None | Some(Value::Null) => {
                return Err(Ok((FeatureProblem::NoGeometry, String::new())));
            }
            Some(g) => g,
        };
        let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
        let coordinates = geometry.get("coordinates");
        let bad = |p: Result<FeatureProblem, GeoProblem>| p.map(|p| (p, String::new()));
        match (kind, coordinates) {
            ("Polygon", Some(c)) => Ok(vec![self.polygon(c).map_err(bad)?]),
            ("MultiPolygon", Some(c)) => {
                let parts = c
                    .as_array()
                    .ok_or(Ok((FeatureProblem::BadCoordinates, String::new())))?;
                if parts.is_empty() {
                    return Err(Ok((FeatureProblem::BadCoordinates, String::new())));
                }
                parts.iter().map(|p| self.polygon(p).map_err(bad)).collect()
            }
            ("Polygon" | "MultiPolygon", None) => Err(Ok((
                FeatureProblem::BadCoordinates,
                "ohne „coordinates“".into(),
            ))),
            (other, _) => Err(Ok((
                FeatureProblem::UnsupportedGeometry,
                format!(
                    "gefunden: „{}“",
                    if other.is_empty() {
                        "ohne Typ".to_string()
                    } else {
                        other.chars().take(40).collect()
                    }
                ),
            ))),
        }
    }
}

/// Reads a GeoJSON FeatureCollection of Baublöcke, Stadtteile or Stadtbezirke. Features that
/// cannot be used are left out and listed with their number and reason; a file that is not a
/// usable FeatureCollection is an error. Never panics on any input.
pub fn parse(file_name: &str, bytes: &[u8], limits: &GeoLimits) -> Result<ParsedMap, GeoError> {
    if bytes.len() > limits.max_bytes {
        return Err(problem(
            file_name,
            GeoProblem::TooLarge {
                size: bytes.len() as u64,
                limit: limits.max_bytes as u64,
            },
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        problem(
            file_name,
            GeoProblem::NotJson {
                line: e.line(),
                column: e.column(),
            },
        )
    })?;
    let not_collection =
        |found: String| problem(file_name, GeoProblem::NotFeatureCollection { found });
    let Value::Object(root) = root else {
        return Err(not_collection("kein JSON-Objekt".into()));
    };
    let kind = root.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != "FeatureCollection" {
        return Err(not_collection(if kind.is_empty() {
            "ein Objekt ohne „type“".into()
        } else {
            format!("„{}“", kind.chars().take(40).collect::<String>())
        }));
    }
    let features = root
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| not_collection("eine FeatureCollection ohne Liste „features“".into()))?;
    if features.len() > limits.max_features {
        return Err(problem(
            file_name,
            GeoProblem::TooManyFeatures {
                count: features.len(),
                limit: limits.max_features,
            },
        ));
    }
    if features.is_empty() {
        return Err(problem(file_name, GeoProblem::NoAreas));
    }

    let empty = Map::new();
    let props_of = |f: &'_ Value| -> Option<Map<String, Value>> {
        f.get("properties").and_then(Value::as_object).cloned()
    };
    let all_props: Vec<&Map<String, Value>> = features
        .iter()
        .map(|f| {
            f.get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
        })
        .collect();
    let level = if all_props.iter().any(|p| has_any(p, BAUBLOCK)) {
        Level::Baublock
    } else if all_props.iter().any(|p| has_any(p, STADTTEIL_NR)) {
        Level::Stadtteil
    } else if all_props.iter().any(|p| has_any(p, STADTBEZIRK_NR)) {
        Level::Stadtbezirk
    } else {
        let found = features
            .iter()
            .find_map(props_of)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        return Err(problem(file_name, GeoProblem::NoKeyProperty { found }));
    };

    let declared = crs_of(&root, file_name)?;
    let crs = declared.unwrap_or_else(|| {
        let first = features
            .iter()
            .find_map(|f| f.get("geometry").and_then(|g| g.get("coordinates")))
            .and_then(first_pair);
        match first {
            Some((x, y)) if x.abs() > 180.0 || y.abs() > 90.0 => Crs::Utm32,
            _ => Crs::Wgs84,
        }
    });
    let mut notes = Vec::new();
    let crs_label = match (crs, declared.is_some()) {
        (Crs::Wgs84, _) => "WGS84 (Längen und Breiten)",
        (Crs::Utm32, true) => "ETRS89 / UTM 32N (EPSG:25832)",
        (Crs::Utm32, false) => {
            notes.push(
                "Kein Koordinatensystem angegeben; die Koordinaten sind Meter und werden als ETRS89 / UTM 32N (EPSG:25832) gelesen."
                    .to_string(),
            );
            "ETRS89 / UTM 32N (EPSG:25832)"
        }
    };

    let mut reader = Reader {
        crs,
        points: 0,
        limits,
    };
    let mut areas: Vec<Area> = Vec::new();
    let mut index: HashMap<AreaKey, usize> = HashMap::new();
    let mut rejected = Vec::new();
    let mut accepted = 0;
    let mut merged = 0;
    for (i, feature) in features.iter().enumerate() {
        let number = i + 1;
        let mut reject = |problem: FeatureProblem, detail: String| {
            rejected.push(FeatureReject {
                number,
                problem,
                detail,
            });
        };
        let Some(object) = feature.as_object() else {
            reject(FeatureProblem::NotAFeature, String::new());
            continue;
        };
        if object
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t != "Feature")
        {
            reject(FeatureProblem::NotAFeature, String::new());
            continue;
        }
        let props = all_props.get(i).copied().unwrap_or(&empty);
        let (id_names, parent) = match level {
            Level::Baublock => (
                BAUBLOCK,
                property(props, STADTTEIL_NR).map(|nr| AreaKey::new(Level::Stadtteil, &nr)),
            ),
            Level::Stadtteil => (
                STADTTEIL_NR,
                property(props, STADTBEZIRK_NR).map(|nr| AreaKey::new(Level::Stadtbezirk, &nr)),
            ),
            Level::Stadtbezirk => (STADTBEZIRK_NR, None),
        };
        let Some(id) = property(props, id_names) else {
            reject(
                FeatureProblem::MissingKey,
                format!(
                    "erwartet Eigenschaft „{}“",
                    id_names.first().copied().unwrap_or_default()
                ),
            );
            continue;
        };
        let polygons = match reader.geometry(object.get("geometry")) {
            Ok(p) => p,
            Err(Ok((p, detail))) => {
                reject(p, detail);
                continue;
            }
            Err(Err(file_problem)) => return Err(problem(file_name, file_problem)),
        };
        accepted += 1;
        let key = AreaKey::new(level, &id);
        if let Some(&at) = index.get(&key) {
            merged += 1;
            if let Some(area) = areas.get_mut(at) {
                area.polygons.extend(polygons);
            }
            continue;
        }
        let label = match level {
            Level::Baublock => id.clone(),
            Level::Stadtteil => {
                property(props, STADTTEIL_NAME).unwrap_or_else(|| format!("Stadtteil {id}"))
            }
            Level::Stadtbezirk => {
                property(props, STADTBEZIRK_NAME).unwrap_or_else(|| format!("Stadtbezirk {id}"))
            }
        };
        index.insert(key.clone(), areas.len());
        areas.push(Area {
            key,
            label,
            parent,
            polygons,
        });
    }
    if merged > 0 {
        notes.push(format!(
            "{merged} Objekt(e) mit bereits vorhandenem Schlüssel wurden mit dem ersten zu einer Fläche zusammengefasst."
        ));
    }
    Ok(ParsedMap {
        map: AreaMap {
            file_name: file_name.to_owned(),
            level,
            crs: crs_label.to_owned(),
            areas,
        },
        features_read: features.len(),
        features_accepted: accepted,
        rejected,
        notes,
    })
}
