//! Classification: who is a refugee by the office's definition (`docs/klassifikation.md`).
//!
//! - [`legal_basis`]: the `Erteilungsgrund` of EWO-ALW parsed into a structured [`LegalBasis`].
//! - [`rules`]: the replaceable rules table (legal basis -> category and sub-category, with
//!   fallbacks from the `Aufenthaltsart` text and a documented priority for conflicts).
//! - [`snapshot`]: ALW records at a reference date, counted by category and sub-category, with
//!   the Destatis grouping as a second view.
//! - [`pks`]: the replaceable mapping of AKDN Personenkreisschlüssel.
//! - [`series`]: the monthly series "Entwicklung der Flüchtlingszahlen" from AKDN exports.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod fortschreibung;
pub mod legal_basis;
pub mod pks;
pub mod protection;
pub mod rules;
pub mod series;
pub mod snapshot;
pub mod values;

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

pub use legal_basis::{Absatz, Law, LegalBasis, Paragraph};
pub use pks::{Benefit, PksEntry, PksMapping, StatusGroup};
pub use rules::{Classification, DecidedBy, Rules};
pub use series::{MonthCounts, Series};
pub use snapshot::{ExpiredTitles, Snapshot, SnapshotOptions};

/// The office's categories of a residence status. The first four are refugees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    /// Ankunftsnachweis / BüMA (§ 63a AsylG).
    Ankunftsnachweis,
    /// Aufenthaltsgestattung (§ 55 AsylG).
    Gestattung,
    /// Duldung (§§ 60a-60d AufenthG).
    Duldung,
    /// Humanitarian Aufenthaltserlaubnis (AufenthG Kapitel 2 Abschnitt 5, optionally § 104c).
    Humanitaer,
    /// Vollziehbar ausreisepflichtig without Duldung: not a refugee, visible in quality reports.
    Sonstige,
    /// Every other status.
    KeinFluechtling,
}

impl Category {
    /// Every category in report order.
    pub const ALL: [Category; 6] = [
        Category::Ankunftsnachweis,
        Category::Gestattung,
        Category::Duldung,
        Category::Humanitaer,
        Category::Sonstige,
        Category::KeinFluechtling,
    ];

    /// The code name used in rule files and ground truth: `Ankunftsnachweis`, `Gestattung`,
    /// `Duldung`, `Humanitaer`, `sonstige`, `kein Fluechtling`.
    pub fn code(self) -> &'static str {
        match self {
            Category::Ankunftsnachweis => "Ankunftsnachweis",
            Category::Gestattung => "Gestattung",
            Category::Duldung => "Duldung",
            Category::Humanitaer => "Humanitaer",
            Category::Sonstige => "sonstige",
            Category::KeinFluechtling => "kein Fluechtling",
        }
    }

    /// The category of a code name (case, umlaut spelling and spaces do not matter).
    pub fn from_code(text: &str) -> Option<Category> {
        let folded = crate::text::fold(text);
        Category::ALL
            .into_iter()
            .find(|c| crate::text::fold(c.code()) == folded)
    }

    /// German label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Category::Ankunftsnachweis => "Ankunftsnachweis (BüMA)",
            Category::Gestattung => "Aufenthaltsgestattung",
            Category::Duldung => "Duldung",
            Category::Humanitaer => "humanitäre Aufenthaltserlaubnis",
            Category::Sonstige => "sonstige (ausreisepflichtig ohne Duldung)",
            Category::KeinFluechtling => "kein Flüchtling",
        }
    }

    /// Whether the office counts the category as refugees.
    pub fn is_refugee(self) -> bool {
        matches!(
            self,
            Category::Ankunftsnachweis
                | Category::Gestattung
                | Category::Duldung
                | Category::Humanitaer
        )
    }

    /// The Destatis "Schutzsuchende" group of a refugee category.
    pub fn destatis_group(self) -> Option<DestatisGroup> {
        match self {
            Category::Ankunftsnachweis | Category::Gestattung => Some(DestatisGroup::Offen),
            Category::Humanitaer => Some(DestatisGroup::Anerkannt),
            Category::Duldung => Some(DestatisGroup::Abgelehnt),
            Category::Sonstige | Category::KeinFluechtling => None,
        }
    }
}

/// Destatis' grouping of Schutzsuchende by protection status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DestatisGroup {
    /// Offener Schutzstatus: Ankunftsnachweis and Gestattung.
    Offen,
    /// Anerkannter Schutzstatus: humanitarian titles.
    Anerkannt,
    /// Abgelehnter Schutzstatus: Duldung.
    Abgelehnt,
}

impl DestatisGroup {
    /// Every group in report order.
    pub const ALL: [DestatisGroup; 3] = [
        DestatisGroup::Offen,
        DestatisGroup::Anerkannt,
        DestatisGroup::Abgelehnt,
    ];

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            DestatisGroup::Offen => "offener Schutzstatus",
            DestatisGroup::Anerkannt => "anerkannter Schutzstatus",
            DestatisGroup::Abgelehnt => "abgelehnter Schutzstatus",
        }
    }
}

/// Compares texts with embedded numbers by value (`§ 9` < `§ 25 Abs. 2` < `§ 25a` < `§ 104c`),
/// for listing sub-categories in legal order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut digits = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(c);
                        it.next();
                    }
                    digits
                };
                let (m, n) = (take(&mut x), take(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_codes_round_trip_and_refugees_are_the_four() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
        assert_eq!(
            Category::from_code("kein Flüchtling"),
            Some(Category::KeinFluechtling)
        );
        assert_eq!(Category::from_code("Sonstige"), Some(Category::Sonstige));
        assert_eq!(Category::from_code("Flüchtling"), None);
        let refugees: Vec<_> = Category::ALL
            .into_iter()
            .filter(|c| c.is_refugee())
            .collect();
        assert_eq!(refugees.len(), 4);
        assert!(!Category::Sonstige.is_refugee());
        assert_eq!(
            Category::Gestattung.destatis_group(),
            Some(DestatisGroup::Offen)
        );
        assert_eq!(
            Category::Duldung.destatis_group(),
            Some(DestatisGroup::Abgelehnt)
        );
        assert_eq!(Category::Sonstige.destatis_group(), None);
    }

    #[test]
    fn natural_order_follows_the_law() {
        let mut subs = vec![
            "§ 104c",
            "§ 25a",
            "§ 25 Abs. 4a",
            "§ 9",
            "§ 25 Abs. 2",
            "§ 25",
        ];
        subs.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            subs,
            [
                "§ 9",
                "§ 25",
                "§ 25 Abs. 2",
                "§ 25 Abs. 4a",
                "§ 25a",
                "§ 104c"
            ]
        );
    }
}
