//! Spatial assignment: a record's address -> Baublock -> Stadtteil -> Stadtbezirk through the
//! Gliederung address table.
//!
//! Street names are compared normalised (`Str.` = `Straße` = `Strasse`, case, hyphens, spaces,
//! umlauts), but only where that is unambiguous: if two streets of the table normalise to the
//! same key, a record must name one of them exactly. House numbers are compared as number,
//! suffix letter or part number, and ranges (`12`, `12a`, `12 A`, `12-14`); a plain number
//! also matches a range of the table that contains it. A suffix is never dropped or added
//! (`8` and `8a` can lie in different Baublöcke): no match is better than a wrong Baublock.
//! The street key is used where both sides have it.
//! Unmatched addresses are reported by street with counts, never by person.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::intern::StringPool;
use crate::records::{Address, AddressEntry};

/// A Stadtbezirk of the city.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stadtbezirk {
    /// Number as in the Gliederung table.
    pub nr: String,
    /// Name.
    pub name: String,
}

/// A Stadtteil and its Stadtbezirk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stadtteil {
    /// Number as in the Gliederung table.
    pub nr: String,
    /// Name.
    pub name: String,
    /// Index into [`Geography::bezirke`].
    pub bezirk: usize,
}

/// A Baublock and its Stadtteil.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Baublock {
    /// Key as in the Gliederung table.
    pub key: String,
    /// Index into [`Geography::stadtteile`].
    pub stadtteil: usize,
}

/// Index of a Baublock in [`Geography::baubloecke`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BaublockId(pub u32);

/// The spatial hierarchy found in the Gliederung table.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Geography {
    /// Stadtbezirke in order of first appearance sorted by number.
    pub bezirke: Vec<Stadtbezirk>,
    /// Stadtteile sorted by number.
    pub stadtteile: Vec<Stadtteil>,
    /// Baublöcke sorted by key.
    pub baubloecke: Vec<Baublock>,
}

impl Geography {
    /// The Baublock.
    pub fn baublock(&self, id: BaublockId) -> &Baublock {
        &self.baubloecke[id.0 as usize]
    }

    /// The Stadtteil of a Baublock.
    pub fn stadtteil_of(&self, id: BaublockId) -> &Stadtteil {
        &self.stadtteile[self.baublock(id).stadtteil]
    }

    /// The Stadtbezirk of a Baublock.
    pub fn bezirk_of(&self, id: BaublockId) -> &Stadtbezirk {
        &self.bezirke[self.stadtteil_of(id).bezirk]
    }
}

/// Normalises a street name: lower case, umlauts folded, `straße`/`strasse`/`str.` -> `str`,
/// everything but letters and digits removed. `Bismarck-Straße` = `Bismarckstr.` =
/// `BISMARCKSTRASSE` -> `bismarckstr`.
pub fn normalize_street(street: &str) -> String {
    let mut folded = String::with_capacity(street.len());
    for ch in street.chars().flat_map(char::to_lowercase) {
        match ch {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            c => folded.push(c),
        }
    }
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| c.is_whitespace() || c == '-') {
        // Punctuation goes first, so `Bismarckstraße,` is `Bismarckstraße`.
        let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        match word.strip_suffix("strasse") {
            Some(stem) => {
                out.push_str(stem);
                out.push_str("str");
            }
            None => out.push_str(&word),
        }
    }
    out
}

/// A house number: first and last number of a range (equal for a single number) and a suffix
/// (letter or part number, lower case, no spaces).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HouseNumber {
    /// First number.
    pub first: u32,
    /// Last number (= first unless a range `12-14`).
    pub last: u32,
    /// Suffix, e.g. `a` or `1` (from `12/1`).
    pub suffix: String,
}

/// Parses a house number and an optional separate suffix: `12`, `12a`, `12 A`, `12-14`,
/// `12 - 14`, `12/1`, `12` + `a`. `None` without a leading number.
pub fn parse_house_number(number: &str, suffix: &str) -> Option<HouseNumber> {
    let text: String = format!("{number}{suffix}")
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let first: u32 = digits.parse().ok()?;
    let rest = &text[digits.len()..];
    if let Some(range) = rest.strip_prefix('-') {
        let last_digits: String = range.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(last) = last_digits.parse::<u32>()
            && last >= first
        {
            let suffix = range[last_digits.len()..].trim_start_matches(['/', '.']);
            return Some(HouseNumber {
                first,
                last,
                suffix: suffix.to_string(),
            });
        }
    }
    let suffix = rest.trim_start_matches(['/', '.', '-']);
    Some(HouseNumber {
        first,
        last: first,
        suffix: suffix.to_string(),
    })
}

/// Why an address was not matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Miss {
    /// No street or no house number on the record.
    NoAddress,
    /// The street is not in the table.
    UnknownStreet,
    /// The street name fits several streets of the table.
    AmbiguousStreet,
    /// The street is known but not this house number.
    UnknownNumber,
    /// The house number fits entries in different Baublöcke.
    AmbiguousNumber,
}

impl Miss {
    /// German description.
    pub fn label(self) -> &'static str {
        match self {
            Miss::NoAddress => "keine Adresse angegeben",
            Miss::UnknownStreet => "Straße nicht in der Gliederung",
            Miss::AmbiguousStreet => "Straßenname passt zu mehreren Straßen",
            Miss::UnknownNumber => "Hausnummer nicht in der Gliederung",
            Miss::AmbiguousNumber => "Hausnummer passt zu mehreren Baublöcken",
        }
    }
}

#[derive(Default, Debug)]
struct Street {
    /// (first, last, suffix) -> Baublock.
    numbers: BTreeMap<(u32, u32, String), BaublockId>,
}

impl Street {
    fn find(&self, house: &HouseNumber) -> Result<BaublockId, Miss> {
        if let Some(id) = self
            .numbers
            .get(&(house.first, house.last, house.suffix.clone()))
        {
            return Ok(*id);
        }
        // A plain number inside a range of the table (`13` in `12-14`). A suffix is never
        // dropped or added: `8` and `8a` may lie in different Baublöcke.
        if house.first != house.last || !house.suffix.is_empty() {
            return Err(Miss::UnknownNumber);
        }
        let candidates: Vec<BaublockId> = self
            .numbers
            .iter()
            .filter(|((first, last, suffix), _)| {
                first < last && *first <= house.first && house.first <= *last && suffix.is_empty()
            })
            .map(|(_, id)| *id)
            .collect();
        match candidates.split_first() {
            None => Err(Miss::UnknownNumber),
            Some((id, rest)) if rest.iter().all(|other| other == id) => Ok(*id),
            Some(_) => Err(Miss::AmbiguousNumber),
        }
    }
}

/// The Gliederung table prepared for matching.
#[derive(Debug, Default)]
pub struct AddressIndex {
    /// The spatial hierarchy.
    pub geography: Geography,
    by_name: HashMap<String, Vec<(String, Street)>>,
    by_key: HashMap<String, Street>,
    /// Problems in the table itself (German), e.g. one address in two Baublöcke.
    pub problems: Vec<String>,
}

fn exact_name(street: &str) -> String {
    street
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl AddressIndex {
    /// Builds the index from the rows of one or more Gliederung files.
    pub fn build(pool: &StringPool, entries: &[AddressEntry]) -> AddressIndex {
        let mut index = AddressIndex::default();
        let mut bezirke: BTreeMap<(String, String), ()> = BTreeMap::new();
        let mut stadtteile: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
        let mut bloecke: BTreeMap<String, (String, String)> = BTreeMap::new();
        for e in entries {
            let bezirk = (
                pool.get(e.stadtbezirk_nr).to_string(),
                pool.get(e.stadtbezirk).to_string(),
            );
            let teil = (
                pool.get(e.stadtteil_nr).to_string(),
                pool.get(e.stadtteil).to_string(),
            );
            bezirke.insert(bezirk.clone(), ());
            stadtteile.entry(teil.clone()).or_insert(bezirk);
            let block = pool.get(e.baublock).to_string();
            if let Some(existing) = bloecke.get(&block)
                && *existing != teil
            {
                index.problems.push(format!(
                    "Baublock {block} liegt laut Gliederung in „{}“ und in „{}“; verwendet wird „{}“.",
                    existing.1, teil.1, existing.1
                ));
            }
            bloecke.entry(block).or_insert(teil);
        }
        let geo = &mut index.geography;
        let mut bezirk_ids = HashMap::new();
        for ((nr, name), ()) in bezirke {
            bezirk_ids.insert((nr.clone(), name.clone()), geo.bezirke.len());
            geo.bezirke.push(Stadtbezirk { nr, name });
        }
        let mut teil_ids = HashMap::new();
        for ((nr, name), bezirk) in stadtteile {
            teil_ids.insert((nr.clone(), name.clone()), geo.stadtteile.len());
            geo.stadtteile.push(Stadtteil {
                nr,
                name,
                bezirk: bezirk_ids.get(&bezirk).copied().unwrap_or(0),
            });
        }
        let mut block_ids = HashMap::new();
        for (key, teil) in bloecke {
            block_ids.insert(key.clone(), BaublockId(geo.baubloecke.len() as u32));
            geo.baubloecke.push(Baublock {
                key,
                stadtteil: teil_ids.get(&teil).copied().unwrap_or(0),
            });
        }

        for e in entries {
            let Some(id) = block_ids.get(pool.get(e.baublock)).copied() else {
                continue;
            };
            let Some(house) = parse_house_number(
                pool.get(e.address.house_number),
                pool.get(e.address.house_suffix),
            ) else {
                index.problems.push(format!(
                    "Gliederung Zeile {}: Hausnummer ohne Zahl, Zeile nicht verwendet.",
                    e.origin.row
                ));
                continue;
            };
            let key = (house.first, house.last, house.suffix.clone());
            let street = pool.get(e.address.street);
            if !street.is_empty() {
                let variants = index.by_name.entry(normalize_street(street)).or_default();
                let exact = exact_name(street);
                let pos = match variants.iter().position(|(name, _)| *name == exact) {
                    Some(pos) => pos,
                    None => {
                        variants.push((exact, Street::default()));
                        variants.len() - 1
                    }
                };
                insert(
                    &mut variants[pos].1,
                    key.clone(),
                    id,
                    street,
                    &mut index.problems,
                );
            }
            let street_key = pool.get(e.address.street_key);
            if !street_key.is_empty() {
                let entry = index
                    .by_key
                    .entry(street_key.trim().to_string())
                    .or_default();
                insert(entry, key, id, street_key, &mut index.problems);
            }
        }
        index
    }

    /// The Baublock of an address.
    pub fn locate(&self, pool: &StringPool, address: &Address) -> Result<BaublockId, Miss> {
        let house = parse_house_number(
            pool.get(address.house_number),
            pool.get(address.house_suffix),
        );
        let street_key = pool.get(address.street_key).trim();
        if let (Some(house), Some(street)) = (&house, self.by_key.get(street_key))
            && !street_key.is_empty()
        {
            return street.find(house);
        }
        let street = pool.get(address.street);
        let Some(house) = house else {
            return Err(Miss::NoAddress);
        };
        if street.trim().is_empty() {
            return Err(Miss::NoAddress);
        }
        let Some(variants) = self.by_name.get(&normalize_street(street)) else {
            return Err(Miss::UnknownStreet);
        };
        match variants.as_slice() {
            [(_, only)] => only.find(&house),
            several => {
                let exact = exact_name(street);
                match several.iter().find(|(name, _)| *name == exact) {
                    Some((_, street)) => street.find(&house),
                    None => Err(Miss::AmbiguousStreet),
                }
            }
        }
    }

    /// Locates many addresses, caching per distinct address, and reports the misses by street.
    pub fn locate_all<'a>(
        &self,
        pool: &StringPool,
        addresses: impl IntoIterator<Item = &'a Address>,
    ) -> (Vec<Option<BaublockId>>, LocateReport) {
        let mut cache: HashMap<Address, Result<BaublockId, Miss>> = HashMap::new();
        let mut report = LocateReport::default();
        let mut out = Vec::new();
        for address in addresses {
            let result = *cache
                .entry(*address)
                .or_insert_with(|| self.locate(pool, address));
            match result {
                Ok(id) => {
                    report.matched += 1;
                    out.push(Some(id));
                }
                Err(miss) => {
                    let street = pool.get(address.street).trim();
                    let street = if street.is_empty() {
                        "(ohne Straße)".to_string()
                    } else {
                        street.to_string()
                    };
                    *report.unmatched.entry((street, miss)).or_insert(0) += 1;
                    out.push(None);
                }
            }
        }
        (out, report)
    }
}

fn insert(
    street: &mut Street,
    key: (u32, u32, String),
    id: BaublockId,
    name: &str,
    problems: &mut Vec<String>,
) {
    if let Some(existing) = street.numbers.insert(key.clone(), id)
        && existing != id
    {
        street.numbers.insert(key.clone(), existing);
        problems.push(format!(
            "Adresse „{name} {}{}“ steht in der Gliederung in zwei Baublöcken; die erste Zuordnung gilt.",
            key.0, key.2
        ));
    }
}

/// Outcome of locating a set of addresses.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LocateReport {
    /// Addresses matched.
    pub matched: u64,
    /// Unmatched addresses by street (as written) and reason, with counts.
    pub unmatched: BTreeMap<(String, Miss), u64>,
}

impl LocateReport {
    /// Addresses not matched.
    pub fn unmatched_total(&self) -> u64 {
        self.unmatched.values().sum()
    }

    /// Share of matched addresses (1.0 if there were none).
    pub fn match_rate(&self) -> f64 {
        let total = self.matched + self.unmatched_total();
        if total == 0 {
            1.0
        } else {
            self.matched as f64 / total as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Origin;

    #[test]
    fn street_spellings_normalise_alike() {
        let key = normalize_street("Bismarckstraße");
        for s in [
            "Bismarckstr.",
            "Bismarck-Straße",
            "BISMARCKSTRASSE",
            "Bismarck Str",
            "bismarckstr",
        ] {
            assert_eq!(normalize_street(s), key, "{s}");
        }
        assert_eq!(normalize_street("Am Rundhöfchen"), "amrundhoefchen");
        assert_ne!(normalize_street("Bismarckplatz"), key);
    }

    #[test]
    fn house_numbers_with_suffixes_and_ranges() {
        let h = |n: &str, s: &str| parse_house_number(n, s);
        let plain = HouseNumber {
            first: 12,
            last: 12,
            suffix: String::new(),
        };
        assert_eq!(h("12", ""), Some(plain.clone()));
        assert_eq!(h(" 12 ", " "), Some(plain));
        let a = HouseNumber {
            first: 12,
            last: 12,
            suffix: "a".into(),
        };
        for (n, s) in [("12a", ""), ("12 A", ""), ("12", "a"), ("12", " A")] {
            assert_eq!(h(n, s), Some(a.clone()), "{n}|{s}");
        }
        assert_eq!(
            h("12-14", ""),
            Some(HouseNumber {
                first: 12,
                last: 14,
                suffix: String::new()
            })
        );
        assert_eq!(
            h("12 - 14", ""),
            Some(HouseNumber {
                first: 12,
                last: 14,
                suffix: String::new()
            })
        );
        assert_eq!(
            h("12/1", ""),
            Some(HouseNumber {
                first: 12,
                last: 12,
                suffix: "1".into()
            })
        );
        assert_eq!(h("", "a"), None);
        assert_eq!(h("a", ""), None);
    }

    fn entry(
        pool: &mut StringPool,
        street: &str,
        number: &str,
        block: &str,
        teil: &str,
    ) -> AddressEntry {
        let address = Address {
            street: pool.intern(street),
            house_number: pool.intern(number),
            ..Address::default()
        };
        AddressEntry {
            origin: Origin {
                file: 0,
                sheet: 0,
                row: 2,
            },
            address,
            baublock: pool.intern(block),
            stadtteil_nr: pool.intern(if teil == "Buer" { "08" } else { "01" }),
            stadtteil: pool.intern(teil),
            stadtbezirk_nr: pool.intern(if teil == "Buer" { "2" } else { "1" }),
            stadtbezirk: pool.intern(if teil == "Buer" {
                "Gelsenkirchen-Nord"
            } else {
                "Gelsenkirchen-Mitte"
            }),
            x: None,
            y: None,
        }
    }

    fn address(pool: &mut StringPool, street: &str, number: &str, suffix: &str) -> Address {
        Address {
            street: pool.intern(street),
            house_number: pool.intern(number),
            house_suffix: pool.intern(suffix),
            ..Address::default()
        }
    }

    #[test]
    fn matching_through_the_hierarchy() {
        let mut pool = StringPool::new();
        let entries = vec![
            entry(&mut pool, "Bismarckstraße", "12", "101001", "Altstadt"),
            entry(&mut pool, "Bismarckstraße", "12a", "101001", "Altstadt"),
            entry(&mut pool, "Bismarckstraße", "14-16", "101002", "Altstadt"),
            entry(&mut pool, "Bismarckstraße", "20", "101003", "Altstadt"),
            entry(&mut pool, "Bismarckstraße", "20b", "101004", "Altstadt"),
            entry(&mut pool, "Hochstraße", "1", "208001", "Buer"),
        ];
        let index = AddressIndex::build(&pool, &entries);
        assert!(index.problems.is_empty(), "{:?}", index.problems);
        assert_eq!(index.geography.bezirke.len(), 2);
        let cases = [
            ("Bismarckstr.", "12", "", Ok("101001")),
            ("Bismarck-Strasse", "12 A", "", Ok("101001")),
            ("bismarckstr", "12", "c", Err(Miss::UnknownNumber)),
            ("Bismarckstraße", "15", "", Ok("101002")),
            ("Bismarckstraße", "14-16", "", Ok("101002")),
            ("Bismarckstraße", "20", "c", Err(Miss::UnknownNumber)),
            ("Bismarckstraße", "20", "", Ok("101003")),
            ("Bismarckstraße", "99", "", Err(Miss::UnknownNumber)),
            ("Kaiserstraße", "1", "", Err(Miss::UnknownStreet)),
            ("Hochstr.", "", "", Err(Miss::NoAddress)),
            ("HOCHSTRASSE", "1", "", Ok("208001")),
        ];
        for (street, number, suffix, expected) in cases {
            let a = address(&mut pool, street, number, suffix);
            let got = index
                .locate(&pool, &a)
                .map(|id| index.geography.baublock(id).key.clone());
            assert_eq!(got, expected.map(String::from), "{street} {number}{suffix}");
        }
        let a = address(&mut pool, "Hochstr.", "1", "");
        let id = index.locate(&pool, &a).unwrap();
        assert_eq!(index.geography.stadtteil_of(id).name, "Buer");
        assert_eq!(index.geography.bezirk_of(id).name, "Gelsenkirchen-Nord");
    }

    #[test]
    fn two_streets_that_normalise_alike_need_the_exact_name() {
        let mut pool = StringPool::new();
        let entries = vec![
            entry(&mut pool, "Bismarckstraße", "1", "101001", "Altstadt"),
            entry(&mut pool, "Bismarck-Straße", "1", "208001", "Buer"),
        ];
        let index = AddressIndex::build(&pool, &entries);
        let exact = address(&mut pool, "Bismarck-Straße", "1", "");
        let id = index.locate(&pool, &exact).unwrap();
        assert_eq!(index.geography.baublock(id).key, "208001");
        let loose = address(&mut pool, "Bismarckstr.", "1", "");
        assert_eq!(index.locate(&pool, &loose), Err(Miss::AmbiguousStreet));
    }

    #[test]
    fn misses_are_reported_by_street_with_counts() {
        let mut pool = StringPool::new();
        let entries = vec![entry(&mut pool, "Hochstraße", "1", "208001", "Buer")];
        let index = AddressIndex::build(&pool, &entries);
        let addresses = vec![
            address(&mut pool, "Hochstraße", "1", ""),
            address(&mut pool, "Kaiserstraße", "3", ""),
            address(&mut pool, "Kaiserstraße", "5", ""),
            address(&mut pool, "Hochstraße", "7", ""),
        ];
        let (found, report) = index.locate_all(&pool, &addresses);
        assert_eq!(found.iter().filter(|f| f.is_some()).count(), 1);
        assert_eq!(report.matched, 1);
        assert_eq!(
            report
                .unmatched
                .get(&("Kaiserstraße".into(), Miss::UnknownStreet)),
            Some(&2)
        );
        assert_eq!(
            report
                .unmatched
                .get(&("Hochstraße".into(), Miss::UnknownNumber)),
            Some(&1)
        );
        assert!((report.match_rate() - 0.25).abs() < 1e-9);
    }

    #[test]
    fn street_keys_win_where_both_sides_have_them() {
        let mut pool = StringPool::new();
        let mut e = entry(&mut pool, "Hochstraße", "1", "208001", "Buer");
        e.address.street_key = pool.intern("04711");
        let index = AddressIndex::build(&pool, &[e]);
        let mut a = address(&mut pool, "Hoch-Str. (alt)", "1", "");
        a.street_key = pool.intern("04711");
        assert!(index.locate(&pool, &a).is_ok());
    }
}
