//! Spatial units as every output names them: the three levels of the Gliederung and the typed
//! key of one area ([`AreaKey`]), written `bz:1`, `st:04`, `bb:104001` in the `raum` dimension
//! of the report tables and read back from there by the maps. The Baublock is the smallest
//! unit any output shows.
//!
//! This module is a leaf: tables, maps and the Gliederung all depend on it, it depends on
//! nothing of theirs.

use std::fmt;

use serde::{Serialize, Serializer};

/// The spatial level of an area or a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Level {
    /// Stadtbezirke (keys `bz:…`).
    Stadtbezirk,
    /// Stadtteile (keys `st:…`).
    Stadtteil,
    /// Baublöcke (keys `bb:…`).
    Baublock,
}

impl Level {
    /// Every level, coarsest first.
    pub const ALL: [Level; 3] = [Level::Stadtbezirk, Level::Stadtteil, Level::Baublock];

    /// Prefix of the keys of this level in the `raum` dimension, without the colon.
    pub fn prefix(self) -> &'static str {
        match self {
            Level::Stadtbezirk => "bz",
            Level::Stadtteil => "st",
            Level::Baublock => "bb",
        }
    }

    /// German name of one area.
    pub fn label(self) -> &'static str {
        match self {
            Level::Stadtbezirk => "Stadtbezirk",
            Level::Stadtteil => "Stadtteil",
            Level::Baublock => "Baublock",
        }
    }

    /// German plural.
    pub fn plural(self) -> &'static str {
        match self {
            Level::Stadtbezirk => "Stadtbezirke",
            Level::Stadtteil => "Stadtteile",
            Level::Baublock => "Baublöcke",
        }
    }

    /// The level of a `raum` key (`st:04` -> Stadtteil), if it is one.
    pub fn of_key(key: &str) -> Option<Level> {
        AreaKey::parse(key).map(|k| k.level())
    }

    /// The enclosing level (Baublock -> Stadtteil -> Stadtbezirk).
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::Stadtbezirk => None,
            Level::Stadtteil => Some(Level::Stadtbezirk),
            Level::Baublock => Some(Level::Stadtteil),
        }
    }
}

/// Which area of a level a key names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum AreaId {
    /// A number or key of the Gliederung (trimmed, as written).
    Known(String),
    /// The addresses without a match in the Gliederung.
    Unlocated,
}

/// Text of the unlocated area in a key (`bb:ohne`).
const UNLOCATED_ID: &str = "ohne";

/// The key of one area: its level and its number (Stadtbezirk, Stadtteil) or key (Baublock), or
/// the area of the addresses without a match. Written `bz:1`, `st:04`, `bb:104001`, `bb:ohne`.
///
/// Equality is exact; [`AreaKey::canonical`] gives the form in which numbers compare without
/// leading zeros and letters without case (`st:04` and `st:4` name the same Stadtteil).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaKey {
    level: Level,
    id: AreaId,
}

impl AreaKey {
    /// The area of `level` with the number or key `id` (trimmed).
    pub fn new(level: Level, id: &str) -> AreaKey {
        let id = id.trim();
        AreaKey {
            level,
            id: if id == UNLOCATED_ID {
                AreaId::Unlocated
            } else {
                AreaId::Known(id.to_string())
            },
        }
    }

    /// The addresses of `level` without a match in the Gliederung.
    pub fn unlocated(level: Level) -> AreaKey {
        AreaKey {
            level,
            id: AreaId::Unlocated,
        }
    }

    /// Reads a written key (`st:04`); `None` for anything that is no area key (`monat`,
    /// `xx:1`, `st:`).
    pub fn parse(key: &str) -> Option<AreaKey> {
        let (prefix, id) = key.split_once(':')?;
        let level = Level::ALL
            .into_iter()
            .find(|l| l.prefix() == prefix.trim())?;
        let id = id.trim();
        (!id.is_empty()).then(|| AreaKey::new(level, id))
    }

    /// The level of the area.
    pub fn level(&self) -> Level {
        self.level
    }

    /// True if `key` parses to the area of the addresses without a match (as
    /// `AreaKey::parse(key).is_some_and(|k| k.is_unlocated())`, without allocating).
    pub fn is_unlocated_key(key: &str) -> bool {
        key.split_once(':').is_some_and(|(prefix, id)| {
            id.trim() == UNLOCATED_ID && Level::ALL.into_iter().any(|l| l.prefix() == prefix.trim())
        })
    }

    /// True for the area of the addresses without a match.
    pub fn is_unlocated(&self) -> bool {
        self.id == AreaId::Unlocated
    }

    /// The key for comparison: a number without leading zeros, letters in lower case.
    pub fn canonical(&self) -> AreaKey {
        let id = match &self.id {
            AreaId::Unlocated => AreaId::Unlocated,
            AreaId::Known(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
                let stripped = id.trim_start_matches('0');
                AreaId::Known(if stripped.is_empty() { "0" } else { stripped }.to_string())
            }
            AreaId::Known(id) => AreaId::Known(id.to_lowercase()),
        };
        AreaKey {
            level: self.level,
            id,
        }
    }

    /// True if both keys name the same area (compared in [`AreaKey::canonical`] form).
    pub fn same_area(&self, other: &AreaKey) -> bool {
        self == other || self.canonical() == other.canonical()
    }
}

impl fmt::Display for AreaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = match &self.id {
            AreaId::Known(id) => id.as_str(),
            AreaId::Unlocated => UNLOCATED_ID,
        };
        write!(f, "{}:{}", self.level.prefix(), id)
    }
}

impl Serialize for AreaKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unlocated_key_is_recognised_as_parsing_would() {
        for key in [
            "bb:ohne",
            "st: ohne ",
            "sb:ohne",
            "bb:0123",
            "xx:ohne",
            "ohne",
            "bb:",
            "bb:ohne2",
        ] {
            assert_eq!(
                AreaKey::is_unlocated_key(key),
                AreaKey::parse(key).is_some_and(|k| k.is_unlocated()),
                "{key}"
            );
        }
        assert!(AreaKey::is_unlocated_key(
            &AreaKey::unlocated(Level::Baublock).to_string()
        ));
    }

    #[test]
    fn keys_are_written_and_read_back() {
        for written in ["bz:1", "st:04", "bb:104001", "bb:ohne", "st:ohne"] {
            let key = AreaKey::parse(written).expect(written);
            assert_eq!(key.to_string(), written);
        }
        assert_eq!(
            AreaKey::new(Level::Baublock, " 104001 ").to_string(),
            "bb:104001"
        );
        assert!(AreaKey::parse("bb:ohne").unwrap().is_unlocated());
        assert_eq!(AreaKey::unlocated(Level::Stadtteil).to_string(), "st:ohne");
    }

    #[test]
    fn only_area_keys_parse() {
        for other in ["monat", "xx:1", "st:", "st: ", "", ":4", "p2_geduldete"] {
            assert_eq!(AreaKey::parse(other), None, "{other}");
        }
        assert_eq!(Level::of_key("bb:1"), Some(Level::Baublock));
        assert_eq!(Level::of_key("monat"), None);
    }

    #[test]
    fn numbers_compare_without_leading_zeros() {
        let a = AreaKey::parse("st:04").unwrap();
        let b = AreaKey::parse("st:4").unwrap();
        assert_ne!(a, b);
        assert!(a.same_area(&b));
        assert_eq!(
            AreaKey::parse("bz:0").unwrap().canonical().to_string(),
            "bz:0"
        );
        assert_eq!(
            AreaKey::parse("bz:000").unwrap().canonical().to_string(),
            "bz:0"
        );
        let long = AreaKey::parse("bb:104001").unwrap();
        assert!(!long.same_area(&AreaKey::parse("bb:10400").unwrap()));
        assert!(!a.same_area(&AreaKey::parse("bz:4").unwrap()));
        assert!(
            AreaKey::parse("bb:12A")
                .unwrap()
                .same_area(&AreaKey::parse("bb:12a").unwrap())
        );
    }

    #[test]
    fn levels_nest() {
        assert_eq!(Level::Baublock.parent(), Some(Level::Stadtteil));
        assert_eq!(Level::Stadtteil.parent(), Some(Level::Stadtbezirk));
        assert_eq!(Level::Stadtbezirk.parent(), None);
    }

    #[test]
    fn serializes_as_written() {
        let key = AreaKey::new(Level::Stadtteil, "04");
        let mut out = Vec::new();
        serde::Serialize::serialize(&key, &mut serde_json_writer(&mut out)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\"st:04\"");
    }

    fn serde_json_writer(out: &mut Vec<u8>) -> serde_json::Serializer<&mut Vec<u8>> {
        serde_json::Serializer::new(out)
    }
}
