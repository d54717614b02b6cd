//! The category keys and fixed labels of the report dimensions that the counters write and
//! the dimensions name: one place, so a counted key and a table row always agree. A leaf of
//! `reports`: the counters and [`super::dimensions`] depend on it, it on none of them.

use crate::area::{AreaKey, Level};
use crate::classify::Category;
use crate::locate::{BaublockId, Geography};

/// Label of the "no address match" area at every spatial level.
pub const UNLOCATED_LABEL: &str = "Adresse nicht zugeordnet";

/// Key of the Baublock `id` in the `raum` dimension; the "no address match" Baublock for
/// `None`.
pub fn baublock_key(geo: &Geography, id: Option<BaublockId>) -> String {
    match id {
        Some(id) => AreaKey::new(Level::Baublock, &geo.baublock(id).key),
        None => AreaKey::unlocated(Level::Baublock),
    }
    .to_string()
}

/// Key of a refugee sub-category (legal basis) in the `kategorie` dimension.
pub fn sub_category_key(category: &str, sub: &str) -> String {
    format!("{category}|{sub}")
}

/// Keys of the `bestand` dimension: the previous and the current snapshot.
pub const SNAPSHOT_KEYS: [&str; 2] = ["vorher", "aktuell"];

/// Key of the column of AsylbLG recipients whose ALW record is not classified.
pub const UNCLASSIFIED: &str = "nicht_klassifiziert";
/// Key of the column of AsylbLG recipients without an ALW match.
pub const NO_MATCH: &str = "ohne_treffer";
/// Label of the column of AsylbLG recipients without an ALW match.
pub const NO_MATCH_LABEL: &str = "ohne Treffer im Ausländerwesen";

/// Category keys of the `alw_kategorie` dimension with labels, in table order.
pub fn alw_class_categories() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.code().to_string(), c.label().to_string()))
        .collect();
    out.push((UNCLASSIFIED.to_string(), "nicht klassifiziert".to_string()));
    out.push((NO_MATCH.to_string(), NO_MATCH_LABEL.to_string()));
    out
}

/// A pair of registers that the report links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkPair {
    /// Refugees of the ALW snapshot (A) with the Meldewesen snapshot (B).
    AlwMeldewesen,
    /// AsylbLG recipients of the latest AKDN month (A) with the ALW snapshot (B).
    AkdnAlw,
    /// Pupils of the SchILD files (A) with the ALW snapshot (B).
    SchildAlw,
}

impl LinkPair {
    /// Every pair in table order.
    pub const ALL: [LinkPair; 3] = [
        LinkPair::AlwMeldewesen,
        LinkPair::AkdnAlw,
        LinkPair::SchildAlw,
    ];

    /// Key in the `verknuepfung` dimension.
    pub fn key(self) -> &'static str {
        match self {
            LinkPair::AlwMeldewesen => "alw_meldewesen",
            LinkPair::AkdnAlw => "akdn_alw",
            LinkPair::SchildAlw => "schild_alw",
        }
    }

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            LinkPair::AlwMeldewesen => "Geflüchtete (Ausländerwesen) × Meldewesen",
            LinkPair::AkdnAlw => "AsylbLG-Empfänger (AKDN, letzter Monat) × Ausländerwesen",
            LinkPair::SchildAlw => "Schülerinnen und Schüler (SchILD) × Ausländerwesen",
        }
    }
}
