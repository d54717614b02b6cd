//! The universe of the pupils: every pupil of the SchILD files (without leavers and exact
//! duplicates) with Schulform and Jahrgang, whether the linked ALW record is a refugee, the
//! refugee category, the place and the sex. The school tables and the Kreuztabellen of the
//! pupils are counted from it and checked together in the release.
//!
//! The place of a refugee pupil is the address of the linked ALW record (as everywhere the
//! refugees are shown by place), that of the other pupils their SchILD address.

use crate::protect::Universe;
use crate::tabulate::{CategoryDef, DimensionDef};

use super::Counter;

/// Name of the universe of the pupils.
pub const UNIVERSE: &str = "schueler";

/// The dimensions of the universe of the pupils, in the order of its keys.
pub const DIMS: [&str; 6] = [
    "schulform",
    "schueler",
    "raum",
    "kategorie",
    "geschlecht",
    "geschlecht_zugeordnet",
];

/// Pairs of dimensions tied by a published rule: the assigned sex follows the sex (checked
/// strictly where both are shown), and a pupil is a refugee exactly if the category is one.
pub const TIES: [(&str, &str); 2] = [
    ("geschlecht", "geschlecht_zugeordnet"),
    ("schueler", "kategorie"),
];

/// Key in `schueler` of refugee pupils.
pub const REFUGEE: &str = "gefluechtete";
/// Key in `schueler` of the other pupils.
pub const OTHERS: &str = "uebrige";

/// Key at the level `kategorie` of pupils who are not refugees.
pub const NO_REFUGEE_GROUP: &str = "keine";
/// Key at the finest level of `kategorie` of pupils who are not refugees (also those without
/// a match in the foreigners register).
pub const NO_REFUGEE_CATEGORY: &str = "keine|";

/// Label of the category of pupils who are not refugees.
pub const NO_REFUGEE_LABEL: &str = "keine Fluchtkategorie (auch ohne Treffer im Ausländerwesen)";

/// Key in `schueler` of a pupil who is a refugee (`true`) or not.
pub fn status(refugee: bool) -> &'static str {
    if refugee { REFUGEE } else { OTHERS }
}

/// The dimensions `all` with the category of pupils who are not refugees added to
/// `kategorie`: what the pupils' universe and Kreuztabellen read.
pub fn dimensions(all: &[DimensionDef]) -> Vec<DimensionDef> {
    all.iter()
        .cloned()
        .map(|mut def| {
            if def.key == "kategorie" && def.levels.len() == 2 {
                def.levels[0]
                    .categories
                    .push(CategoryDef::new(NO_REFUGEE_GROUP, NO_REFUGEE_LABEL));
                def.levels[1].categories.push(CategoryDef::child(
                    NO_REFUGEE_CATEGORY,
                    NO_REFUGEE_LABEL,
                    NO_REFUGEE_GROUP,
                ));
            }
            def
        })
        .collect()
}

/// The universe of the pupils `counts` (keyed by [`DIMS`]) over the dimensions `all`.
pub fn universe(counts: &Counter, all: &[DimensionDef]) -> Universe {
    Universe::new(UNIVERSE, &DIMS, counts, &dimensions(all)).with_ties(&TIES, &TIES[..1])
}
