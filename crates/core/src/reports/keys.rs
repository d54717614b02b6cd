//! The category keys and fixed labels of the report dimensions that the counters write and
//! the dimensions name: one place, so a counted key and a table row always agree. A leaf of
//! `reports`: the counters and [`super::dimensions`] depend on it, it on none of them.

use crate::area::{AreaKey, Level};
use crate::classify::Category;
use crate::locate::{BaublockId, Geography};
use crate::records::{BirthDate, Date, Sex};

use super::AgeGroup;

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

/// "männlich" or "weiblich" for every resident: `divers` and `ohne Angabe` by the birth month
/// as the Statistikamt Nord does (odd month männlich, even month weiblich); with the month
/// unknown by the day the same way, with both unknown männlich.
pub fn assigned_sex(sex: Sex, birth: BirthDate) -> &'static str {
    let odd = |n: u8| n % 2 == 1;
    match sex {
        Sex::Male => "m",
        Sex::Female => "w",
        Sex::Diverse | Sex::Unspecified => {
            let decides = if birth.month > 0 {
                birth.month
            } else {
                birth.day
            };
            if decides == 0 || odd(decides) {
                "m"
            } else {
                "w"
            }
        }
    }
}
/// The [`TOP_NATIONALITIES`] most frequent of `nationalities` that the code list names (a
/// code without a label is never named, so every row label comes from the code list), most
/// frequent first: `(key, label)` for the dimension, and the codes.
pub fn top_nationalities(
    nationalities: impl Iterator<Item = Option<crate::records::NationalityCode>>,
) -> (Vec<(String, String)>, Vec<crate::records::NationalityCode>) {
    use crate::records::NationalityCode;
    let table = crate::import::values::NationalityTable::default_table();
    let mut by_code: std::collections::BTreeMap<NationalityCode, u64> = Default::default();
    for code in nationalities
        .flatten()
        .filter(|&c| table.label(c).is_some())
    {
        *by_code.entry(code).or_default() += 1;
    }
    let mut ranked: Vec<(NationalityCode, u64)> = by_code.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(TOP_NATIONALITIES);
    let named = ranked
        .iter()
        .filter_map(|(code, _)| Some((format!("{:03}", code.0), table.label(*code)?.to_string())))
        .collect();
    (named, ranked.into_iter().map(|(code, _)| code).collect())
}

/// How many nationalities the report names.
pub const TOP_NATIONALITIES: usize = 10;

/// Index of the age group of `age` (`None`: age unknown or in no group).
pub(crate) fn age_group_index(groups: &[AgeGroup], age: Option<u16>) -> Option<usize> {
    let age = age?;
    groups
        .iter()
        .position(|g| age >= g.from && g.to.is_none_or(|to| age <= to))
}

/// Key of the refugees' age when the birth date or the Stichtag is unknown, and of their
/// year of arrival when the entry date is unknown.
pub const UNKNOWN_KEY: &str = crate::tabulate::recode::UNKNOWN_ORDINAL;
/// Key of the nationalities beyond the largest among the refugees ("übrige", also unknown
/// ones).
pub const OTHER_NATIONALITIES_KEY: &str = "uebrige";
/// First year of arrival shown on its own; earlier arrivals are one category.
pub const FIRST_ARRIVAL_YEAR: u16 = 2015;
/// Key of the arrivals before [`FIRST_ARRIVAL_YEAR`].
pub const EARLIER_ARRIVALS_KEY: &str = crate::tabulate::recode::EARLIER_ORDINAL;

/// Key of the year of arrival of `entry` ([`FIRST_ARRIVAL_YEAR`] and later: `j2016`; earlier
/// years together; unknown), with the years after `last` (an entry date after the Stichtag)
/// counted as `last`.
pub fn arrival_year_key(entry: Option<Date>, last: u16) -> String {
    match entry {
        None => UNKNOWN_KEY.to_owned(),
        Some(d) if d.year < FIRST_ARRIVAL_YEAR => EARLIER_ARRIVALS_KEY.to_owned(),
        Some(d) => format!("j{}", d.year.min(last.max(FIRST_ARRIVAL_YEAR))),
    }
}

/// Key of a sex in the `geschlecht` dimension.
pub fn sex_key(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "m",
        Sex::Female => "w",
        Sex::Diverse => "d",
        Sex::Unspecified => "x",
    }
}
