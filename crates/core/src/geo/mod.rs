//! Map geometry: the GeoJSON FeatureCollections of Stadtbezirke, Stadtteile and Baublöcke, read
//! into an [`AreaMap`] whose areas carry the keys of the report tables' `raum` dimension
//! ([`AreaKey`]: `bz:1`, `st:04`, `bb:104001`).
//!
//! Geometry is for maps only: no record is ever located through it. Polygons and
//! MultiPolygons are read, in WGS84 (RFC 7946) or EPSG:25832 (UTM 32N, also with the zone
//! prefix of EPSG:4647, as many GIS exports write it); everything is kept as longitude and
//! latitude. The level is recognised from the properties (`baublock`, `stadtteil_nr`,
//! `stadtbezirk_nr` and common spellings of them). A bad file gives a German [`GeoError`]; a bad
//! feature is left out and reported with its number and what was expected.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod error;
mod parse;
mod project;

pub use error::{FeatureProblem, GeoError, GeoProblem};
pub use parse::{FeatureReject, ParsedMap, parse};
pub use project::{Projection, utm32_to_wgs84};

use serde::Serialize;

pub use crate::area::{AreaKey, Level};

/// Caps that keep a bad or hostile GeoJSON file from exhausting memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GeoLimits {
    /// Largest file, in bytes (default 64 MiB).
    pub max_bytes: usize,
    /// Most features (default 100,000).
    pub max_features: usize,
    /// Most coordinate pairs in the whole file (default 5 million).
    pub max_points: usize,
}

impl Default for GeoLimits {
    fn default() -> Self {
        GeoLimits {
            max_bytes: 64 << 20,
            max_features: 100_000,
            max_points: 5_000_000,
        }
    }
}

/// A ring of longitude/latitude pairs (closed or open).
pub type Ring = Vec<(f64, f64)>;
/// A polygon: outer ring, then holes.
pub type Polygon = Vec<Ring>;

/// One area of a map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Area {
    /// Key as in the `raum` dimension of the report tables, e.g. `st:04`.
    pub key: AreaKey,
    /// German label: the name of a Stadtteil or Stadtbezirk, the key of a Baublock.
    pub label: String,
    /// Key of the enclosing area if the properties name it (`st:…` of a Baublock, `bz:…` of
    /// a Stadtteil).
    pub parent: Option<AreaKey>,
    /// The polygons, in longitude/latitude (WGS84).
    pub polygons: Vec<Polygon>,
}

/// A bounding box in longitude/latitude.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Bounds {
    /// Westernmost longitude.
    pub min_lon: f64,
    /// Southernmost latitude.
    pub min_lat: f64,
    /// Easternmost longitude.
    pub max_lon: f64,
    /// Northernmost latitude.
    pub max_lat: f64,
}

impl Bounds {
    /// The smallest box holding both.
    pub fn union(self, other: Bounds) -> Bounds {
        Bounds {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }
}

/// The areas of one GeoJSON file, all of one level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaMap {
    /// File name as the user supplied it.
    pub file_name: String,
    /// The level of every area.
    pub level: Level,
    /// German description of the coordinate reference system read.
    pub crs: String,
    /// The areas in file order (features with the same key merged).
    pub areas: Vec<Area>,
}

impl AreaMap {
    /// Reads a GeoJSON FeatureCollection strictly: any feature that cannot be used is an error
    /// naming its number and what was expected. See [`parse`] for the lenient form the import
    /// uses.
    pub fn from_geojson(file_name: &str, bytes: &[u8]) -> Result<AreaMap, GeoError> {
        let parsed = parse(file_name, bytes, &GeoLimits::default())?;
        match parsed.rejected.into_iter().next() {
            Some(reject) => Err(GeoError {
                file: file_name.to_owned(),
                problem: GeoProblem::Feature {
                    number: reject.number,
                    problem: reject.problem,
                    detail: reject.detail,
                },
            }),
            None => Ok(parsed.map),
        }
    }

    /// The area with this key; numbers compare without leading zeros (`st:4` finds `st:04`).
    pub fn area(&self, key: &AreaKey) -> Option<&Area> {
        self.areas
            .iter()
            .find(|a| &a.key == key)
            .or_else(|| self.areas.iter().find(|a| a.key.same_area(key)))
    }

    /// The bounding box of every area; `None` for a map without coordinates.
    pub fn bounds(&self) -> Option<Bounds> {
        let mut points = self
            .areas
            .iter()
            .flat_map(|a| a.polygons.iter())
            .flat_map(|p| p.iter())
            .flat_map(|r| r.iter());
        let &(lon, lat) = points.next()?;
        let mut b = Bounds {
            min_lon: lon,
            min_lat: lat,
            max_lon: lon,
            max_lat: lat,
        };
        for &(lon, lat) in points {
            b.min_lon = b.min_lon.min(lon);
            b.min_lat = b.min_lat.min(lat);
            b.max_lon = b.max_lon.max(lon);
            b.max_lat = b.max_lat.max(lat);
        }
        Some(b)
    }
}

#[cfg(test)]
mod tests;
