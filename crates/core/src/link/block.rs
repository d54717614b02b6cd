//! Blocking: only pairs that share a key of some rule are compared, so a city never compares
//! all pairs. Every rule reports the pairs it produced and how many of them were new.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{LinkRecord, Prepared};

/// A blocking rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockingRule {
    /// Same full birth date.
    BirthDate,
    /// Same birth year and same Kölner Phonetik of the family (or birth) name.
    YearFamilyPhonetic,
    /// Same birth year and same Kölner Phonetik of the first given name, for pairs where one
    /// record has a partial birth date or a family name with `?` (a Windows-1252 export that
    /// could not write `Ł`): finds family names written very differently.
    YearGivenPhonetic,
    /// Same Kölner Phonetik of the first family-name part and the first given name, in either order (finds
    /// swapped names and records with unknown or wrong birth dates).
    NamesPhonetic,
}

impl BlockingRule {
    /// All rules in their default order.
    pub const ALL: [BlockingRule; 4] = [
        BlockingRule::BirthDate,
        BlockingRule::YearFamilyPhonetic,
        BlockingRule::NamesPhonetic,
        BlockingRule::YearGivenPhonetic,
    ];

    /// German description.
    pub fn label(self) -> &'static str {
        match self {
            BlockingRule::BirthDate => "gleiches Geburtsdatum",
            BlockingRule::YearFamilyPhonetic => "Geburtsjahr + Familienname (Kölner Phonetik)",
            BlockingRule::YearGivenPhonetic => "Geburtsjahr + erster Vorname (Kölner Phonetik)",
            BlockingRule::NamesPhonetic => "Vor- und Familienname (Kölner Phonetik)",
        }
    }

    /// Whether a record makes its pairs eligible under this rule (all rules but
    /// [`BlockingRule::YearGivenPhonetic`] take every pair).
    fn eligible(self, p: &Prepared<'_>, r: &LinkRecord) -> bool {
        match self {
            BlockingRule::YearGivenPhonetic => {
                r.birth_date.is_partial()
                    || (r.birth_date.month == 1 && r.birth_date.day == 1)
                    || p.name(r.family).wild
            }
            _ => true,
        }
    }

    /// The keys of a record under this rule.
    fn keys(self, p: &Prepared<'_>, r: &LinkRecord, out: &mut Vec<u64>) {
        out.clear();
        match self {
            BlockingRule::BirthDate => {
                let d = r.birth_date;
                if !d.is_partial() {
                    out.push(hash((0u8, d.year, d.month, d.day)));
                }
            }
            BlockingRule::YearFamilyPhonetic => {
                for id in [r.family, r.birth] {
                    let code = &p.name(id).phonetic;
                    if !code.is_empty() {
                        out.push(hash((1u8, r.birth_date.year, code)));
                    }
                }
            }
            BlockingRule::YearGivenPhonetic => {
                if let Some(code) = p.name(r.given).token_phonetics.first()
                    && !code.is_empty()
                {
                    out.push(hash((3u8, r.birth_date.year, code)));
                }
            }
            BlockingRule::NamesPhonetic => {
                let family = p.name(r.family).token_phonetics.first();
                let given = p.name(r.given).token_phonetics.first();
                if let (Some(family), Some(given)) = (family, given)
                    && !family.is_empty()
                    && !given.is_empty()
                {
                    let (x, y) = if family <= given {
                        (family, given)
                    } else {
                        (given, family)
                    };
                    out.push(hash((2u8, x, y)));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

fn hash(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Pairs produced by one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule.
    pub rule: BlockingRule,
    /// Distinct pairs the rule produced.
    pub pairs: u64,
    /// Of these, pairs no earlier rule produced.
    pub new_pairs: u64,
    /// Pairs in blocks too large to compare (skipped).
    pub skipped_pairs: u64,
}

fn index(p: &Prepared<'_>, rule: BlockingRule, records: &[LinkRecord]) -> HashMap<u64, Vec<u32>> {
    let mut map: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut keys = Vec::new();
    for (i, r) in records.iter().enumerate() {
        rule.keys(p, r, &mut keys);
        for &k in &keys {
            map.entry(k).or_default().push(i as u32);
        }
    }
    map
}

/// Candidate pairs `(index in a, index in b)`, sorted and distinct, with counts per rule.
pub fn candidates(
    p: &Prepared<'_>,
    a: &[LinkRecord],
    b: &[LinkRecord],
    rules: &[BlockingRule],
    max_block_pairs: u64,
) -> (Vec<(u32, u32)>, Vec<RuleCount>) {
    let mut union: Vec<u64> = Vec::new();
    let mut counts = Vec::new();
    for &rule in rules {
        let index_a = index(p, rule, a);
        let index_b = index(p, rule, b);
        let eligible_b: Vec<bool> = b.iter().map(|r| rule.eligible(p, r)).collect();
        let mut pairs: Vec<u64> = Vec::new();
        let mut skipped = 0u64;
        for (key, left) in &index_a {
            let Some(right) = index_b.get(key) else {
                continue;
            };
            let size = left.len() as u64 * right.len() as u64;
            if size > max_block_pairs {
                skipped += size;
                continue;
            }
            for &i in left {
                if rule.eligible(p, &a[i as usize]) {
                    pairs.extend(right.iter().map(|&j| u64::from(i) << 32 | u64::from(j)));
                } else {
                    pairs.extend(
                        right
                            .iter()
                            .filter(|&&j| eligible_b[j as usize])
                            .map(|&j| u64::from(i) << 32 | u64::from(j)),
                    );
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let before = union.len();
        let mut merged = Vec::with_capacity(union.len() + pairs.len());
        let (mut x, mut y) = (0, 0);
        while x < union.len() || y < pairs.len() {
            let next = match (union.get(x), pairs.get(y)) {
                (Some(&u), Some(&v)) if u == v => {
                    x += 1;
                    y += 1;
                    u
                }
                (Some(&u), Some(&v)) if u < v => {
                    x += 1;
                    u
                }
                (Some(&u), None) => {
                    x += 1;
                    u
                }
                (_, Some(&v)) => {
                    y += 1;
                    v
                }
                (None, None) => break,
            };
            merged.push(next);
        }
        union = merged;
        counts.push(RuleCount {
            rule,
            pairs: pairs.len() as u64,
            new_pairs: (union.len() - before) as u64,
            skipped_pairs: skipped,
        });
    }
    let pairs = union
        .into_iter()
        .map(|k| ((k >> 32) as u32, k as u32))
        .collect();
    (pairs, counts)
}
