//! Comparison vectors: per comparison an agreement level (higher = closer) or none if a value
//! is missing on either side.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::jaro::jaro_winkler;
use super::normalize::{NormName, eq_wild};
use super::{LinkRecord, NameId, Prepared};
use crate::records::BirthDate;

/// Jaro-Winkler similarity from which names count as similar.
pub const JW_HIGH: f64 = 0.92;
/// Jaro-Winkler similarity from which names count as distantly similar.
pub const JW_LOW: f64 = 0.80;

/// The comparisons of the model, in the order of [`Vector::levels`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Comparison {
    /// Family name (also against the birth name).
    FamilyName,
    /// Given names (any shared given name counts).
    GivenNames,
    /// Birth date, partial dates and day/month swaps included.
    BirthDate,
    /// Sex.
    Sex,
    /// Address: same address or same Baublock.
    Address,
}

impl Comparison {
    /// All comparisons in vector order.
    pub const ALL: [Comparison; 5] = [
        Comparison::FamilyName,
        Comparison::GivenNames,
        Comparison::BirthDate,
        Comparison::Sex,
        Comparison::Address,
    ];

    /// Number of agreement levels (level 0 = disagreement).
    pub fn levels(self) -> usize {
        match self {
            Comparison::FamilyName | Comparison::GivenNames => 4,
            Comparison::BirthDate => 5,
            Comparison::Sex => 2,
            Comparison::Address => 3,
        }
    }

    /// German name.
    pub fn label(self) -> &'static str {
        match self {
            Comparison::FamilyName => "Familienname",
            Comparison::GivenNames => "Vornamen",
            Comparison::BirthDate => "Geburtsdatum",
            Comparison::Sex => "Geschlecht",
            Comparison::Address => "Adresse",
        }
    }

    /// German description of a level.
    pub fn level_label(self, level: u8) -> &'static str {
        match (self, level) {
            (Comparison::FamilyName, 3) => "gleich",
            (Comparison::FamilyName, 2) => {
                "ähnlich (Jaro-Winkler ≥ 0,92 oder gemeinsamer Namensteil)"
            }
            (Comparison::FamilyName | Comparison::GivenNames, 1) => {
                "entfernt ähnlich (Jaro-Winkler ≥ 0,80 oder gleiche Kölner Phonetik)"
            }
            (Comparison::GivenNames, 3) => "gemeinsamer Vorname",
            (Comparison::GivenNames, 2) => "ähnlich (Jaro-Winkler ≥ 0,92)",
            (Comparison::BirthDate, 4) => "gleich",
            (Comparison::BirthDate, 3) => "vereinbar (Tag oder Monat unbekannt)",
            (Comparison::BirthDate, 2) => "Tag und Monat vertauscht",
            (Comparison::BirthDate, 1) => "nah (zwei von drei Teilen gleich)",
            (Comparison::Sex, 1) | (Comparison::Address, 2) => "gleich",
            (Comparison::Address, 1) => "gleicher Baublock",
            _ => "verschieden",
        }
    }
}

/// Marker of a missing value in [`Vector::levels`].
pub const NULL: u8 = u8::MAX;

/// The comparison vector of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Vector {
    /// Level per comparison ([`Comparison::ALL`] order), [`NULL`] if a value is missing.
    pub levels: [u8; 5],
    /// Family and given names were compared crosswise (swapped in one register).
    pub swapped: bool,
    /// The family name that agreed exactly (for the term-frequency adjustment), else 0.
    pub family_tf: NameId,
    /// The given names that agreed exactly as a whole, else 0.
    pub given_tf: NameId,
}

/// Level of two family names.
pub fn family_level(x: &NormName, y: &NormName) -> Option<u8> {
    if x.is_empty() || y.is_empty() {
        return None;
    }
    let wild = x.wild || y.wild;
    let exact = if wild {
        eq_wild(&x.compact, &y.compact) || eq_wild(&x.full, &y.full)
    } else {
        x.compact_key == y.compact_key || x.full_key == y.full_key
    };
    if exact {
        return Some(3);
    }
    let jw = jaro_winkler(&x.compact, &y.compact);
    let shared = (x.tokens.len() > 1 || y.tokens.len() > 1)
        && x.tokens.iter().zip(&x.token_keys).any(|(t, k)| {
            t.len() >= 3
                && y.tokens.iter().zip(&y.token_keys).any(
                    |(s, l)| {
                        if wild { eq_wild(t, s) } else { k == l }
                    },
                )
        });
    if jw >= JW_HIGH || shared {
        return Some(2);
    }
    if jw >= JW_LOW || (x.phonetic_key != 0 && x.phonetic_key == y.phonetic_key) {
        return Some(1);
    }
    Some(0)
}

/// Level of two given-name lists: any shared given name counts as agreement.
pub fn given_level(x: &NormName, y: &NormName) -> Option<u8> {
    if x.is_empty() || y.is_empty() {
        return None;
    }
    let wild = x.wild || y.wild;
    let n = |v: &NormName| v.tokens.len().min(4);
    let (xs, ys) = (&x.tokens[..n(x)], &y.tokens[..n(y)]);
    let exact = if wild {
        eq_wild(&x.compact, &y.compact) || xs.iter().any(|t| ys.iter().any(|s| eq_wild(t, s)))
    } else {
        x.compact_key == y.compact_key
            || x.token_keys[..n(x)]
                .iter()
                .any(|k| y.token_keys[..n(y)].contains(k))
    };
    if exact {
        return Some(3);
    }
    // Similarity on the first two given names of each side (dropped further given names
    // are the common variation; exact sharing above covers all of them).
    let mut best: f64 = 0.0;
    for t in xs.iter().take(2) {
        for s in ys.iter().take(2) {
            best = best.max(jaro_winkler(t, s));
        }
    }
    if best >= JW_HIGH {
        return Some(2);
    }
    let xp = &x.token_phonetic_keys[..xs.len()];
    let yp = &y.token_phonetic_keys[..ys.len()];
    if best >= JW_LOW || xp.iter().any(|p| *p != 0 && yp.contains(p)) {
        return Some(1);
    }
    Some(0)
}

/// Level of two birth dates: 4 equal, 3 compatible where day or month is unknown (a
/// year-only date also agrees with the `01.01.` placeholder of registers that cannot store
/// partial dates), 2 day and month
/// swapped, 1 two of three parts equal (or the year off by one), 0 otherwise.
pub fn date_level(x: BirthDate, y: BirthDate) -> u8 {
    if x == y && !x.is_partial() {
        return 4;
    }
    if x.year == y.year {
        let month_ok = x.month == y.month || x.month == 0 || y.month == 0;
        let day_ok = x.day == y.day || x.day == 0 || y.day == 0;
        if (x.is_partial() || y.is_partial()) && month_ok && day_ok {
            return 3;
        }
        if x.day == y.month && x.month == y.day && x.day != 0 && x.month != 0 {
            return 2;
        }
        if x.month == y.month || x.day == y.day {
            return 1;
        }
        return 0;
    }
    if x.year.abs_diff(y.year) == 1 && x.month == y.month && x.day == y.day && x.month != 0 {
        return 1;
    }
    0
}

fn first(n: &NormName) -> u64 {
    n.token_phonetic_keys.first().copied().unwrap_or(0)
}

/// A multiply-rotate hasher for the memo's integer keys.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Entries the memo holds at most (about 16 MB).
const MEMO_LIMIT: usize = 1 << 20;

/// Given-name levels per pair of distinct names: given names repeat across many pairs.
#[derive(Default)]
pub struct Memo {
    given: HashMap<u64, u8, BuildHasherDefault<IdHasher>>,
}

impl Memo {
    fn given(&mut self, p: &Prepared<'_>, x: NameId, y: NameId) -> Option<u8> {
        if x == y && x != 0 {
            return Some(3);
        }
        let key = u64::from(x) << 32 | u64::from(y);
        if let Some(&level) = self.given.get(&key) {
            return (level != NULL).then_some(level);
        }
        let level = given_level(p.name(x), p.name(y));
        if self.given.len() < MEMO_LIMIT {
            self.given.insert(key, level.unwrap_or(NULL));
        }
        level
    }
}

/// The comparison vector of records `a` and `b`.
pub fn compare(p: &Prepared<'_>, a: &LinkRecord, b: &LinkRecord) -> Vector {
    compare_with(p, &mut Memo::default(), a, b)
}

/// The comparison vector of records `a` and `b`, with a memo of name comparisons.
pub fn compare_with(p: &Prepared<'_>, memo: &mut Memo, a: &LinkRecord, b: &LinkRecord) -> Vector {
    let (af, ag, ab) = (p.name(a.family), p.name(a.given), p.name(a.birth));
    let (bf, bg, bb) = (p.name(b.family), p.name(b.given), p.name(b.birth));
    let mut family = if a.family == b.family && a.family != 0 {
        Some(3)
    } else {
        family_level(af, bf)
    };
    let mut family_tf = if family == Some(3) { a.family } else { 0 };
    for (x, y, id) in [(ab, bf, a.birth), (af, bb, a.family), (ab, bb, a.birth)] {
        if x.is_empty() || y.is_empty() {
            continue;
        }
        let level = family_level(x, y);
        if level > family {
            family = level;
            family_tf = if level == Some(3) { id } else { 0 };
        }
    }
    let mut given = memo.given(p, a.given, b.given);
    let mut given_tf = if given == Some(3) && a.given == b.given {
        a.given
    } else {
        0
    };
    let score = |f: Option<u8>, g: Option<u8>| f.unwrap_or(0) as u32 + g.unwrap_or(0) as u32;
    let mut swapped = false;
    // Crosswise only where a first name part sounds like the other register's first name.
    let crosswise = score(family, given) < 6
        && ((first(af) != 0 && first(af) == first(bg))
            || (first(ag) != 0 && first(ag) == first(bf)));
    if crosswise {
        let f2 = family_level(af, bg);
        let g2 = memo.given(p, a.given, b.family);
        if score(f2, g2) > score(family, given) {
            family = f2;
            given = g2;
            family_tf = if f2 == Some(3) { a.family } else { 0 };
            given_tf = 0;
            swapped = true;
        }
    }
    let sex = match (a.sex, b.sex) {
        (Some(x), Some(y)) => Some(u8::from(x == y)),
        _ => None,
    };
    let address = match (a.address, b.address) {
        (Some(x), Some(y)) if x == y => Some(2),
        (Some(_), Some(_)) => match (a.baublock, b.baublock) {
            (Some(x), Some(y)) if x == y => Some(1),
            _ => Some(0),
        },
        _ => None,
    };
    Vector {
        levels: [
            family.unwrap_or(NULL),
            given.unwrap_or(NULL),
            date_level(a.birth_date, b.birth_date),
            sex.unwrap_or(NULL),
            address.unwrap_or(NULL),
        ],
        swapped,
        family_tf,
        given_tf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::normalize::normalize_name;

    fn d(day: u8, month: u8, year: u16) -> BirthDate {
        BirthDate { year, month, day }
    }

    #[test]
    fn partial_dates_and_swaps() {
        assert_eq!(date_level(d(14, 3, 1990), d(14, 3, 1990)), 4);
        assert_eq!(date_level(d(0, 5, 1990), d(14, 5, 1990)), 3);
        assert_eq!(date_level(d(0, 0, 1990), d(14, 5, 1990)), 3);
        assert_eq!(date_level(d(0, 0, 1990), d(1, 1, 1990)), 3);
        assert_eq!(date_level(d(0, 0, 1990), d(0, 0, 1990)), 3);
        assert_eq!(date_level(d(0, 5, 1990), d(14, 6, 1990)), 0);
        assert_eq!(date_level(d(3, 7, 1990), d(7, 3, 1990)), 2);
        assert_eq!(date_level(d(3, 7, 1990), d(3, 8, 1990)), 1);
        assert_eq!(date_level(d(3, 7, 1990), d(3, 7, 1991)), 1);
        assert_eq!(date_level(d(3, 7, 1990), d(4, 8, 1990)), 0);
        assert_eq!(date_level(d(0, 0, 1990), d(0, 0, 1991)), 0);
    }

    #[test]
    fn name_levels() {
        let n = normalize_name;
        assert_eq!(family_level(&n("Müller"), &n("MUELLER")), Some(3));
        assert_eq!(family_level(&n("Al-Hassan"), &n("Hassan")), Some(3));
        assert_eq!(family_level(&n("?ukasiewicz"), &n("Łukasiewicz")), Some(3));
        assert_eq!(
            family_level(&n("Müller-Lüdenscheidt"), &n("Lüdenscheidt")),
            Some(2)
        );
        assert_eq!(family_level(&n("Schewtschenko"), &n("Shevchenko")), Some(1));
        assert_eq!(family_level(&n("Meier"), &n("Okafor")), Some(0));
        assert_eq!(family_level(&n(""), &n("Okafor")), None);
        assert_eq!(given_level(&n("Anna Maria"), &n("Maria")), Some(3));
        assert_eq!(given_level(&n("Mohammed"), &n("Mohammad")), Some(2));
        assert_eq!(given_level(&n("Mohammed"), &n("Muhamad")), Some(1));
        assert_eq!(given_level(&n("Lina"), &n("Omar")), Some(0));
    }
}
