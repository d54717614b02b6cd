//! Built-in name lists and spelling variants (`data/names.txt`, `data/name_variants.txt`).

use std::collections::BTreeMap;

use crate::Error;
use crate::rng::Rng;

const NAMES: &str = include_str!("../data/names.txt");
const VARIANTS: &str = include_str!("../data/name_variants.txt");
const STREETS: &str = include_str!("../data/streets.txt");

/// A naming tradition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Group {
    De,
    Tr,
    Ar,
    Ku,
    Af,
    Ir,
    Ua,
    Ru,
    Pl,
    Ro,
    Bg,
    Bs,
    Sq,
    Gr,
    It,
    Wa,
    Ea,
}

impl Group {
    const ALL: [(Group, &'static str); 17] = [
        (Group::De, "de"),
        (Group::Tr, "tr"),
        (Group::Ar, "ar"),
        (Group::Ku, "ku"),
        (Group::Af, "af"),
        (Group::Ir, "ir"),
        (Group::Ua, "ua"),
        (Group::Ru, "ru"),
        (Group::Pl, "pl"),
        (Group::Ro, "ro"),
        (Group::Bg, "bg"),
        (Group::Bs, "bs"),
        (Group::Sq, "sq"),
        (Group::Gr, "gr"),
        (Group::It, "it"),
        (Group::Wa, "wa"),
        (Group::Ea, "ea"),
    ];

    /// The short code of the group (ground truth column `origin`).
    pub(crate) fn code(self) -> &'static str {
        Group::ALL
            .iter()
            .find(|(g, _)| *g == self)
            .map_or("de", |(_, c)| c)
    }

    fn from_code(code: &str) -> Option<Group> {
        Group::ALL.iter().find(|(_, c)| *c == code).map(|(g, _)| *g)
    }

    /// How concentrated the names of the group are: the exponents `s` of the weights
    /// `1 / rank^s` of (given names, family names) in list order. In registers of refugees
    /// from Syria, Iraq and Afghanistan a handful of given names (Mohammad and its spellings,
    /// Ahmad, Ali; Fatima, Zahra, Maryam) covers a large share; `s = 1` over the 25-36 names
    /// of a list gives the first name 22-26 % of the group, the first three about 40 %.
    /// Family names are less concentrated; German and European names least.
    pub(crate) fn concentration(self) -> (f64, f64) {
        match self {
            Group::Ar | Group::Ku | Group::Af | Group::Ir | Group::Ea | Group::Wa => (1.0, 0.8),
            Group::Tr | Group::Sq | Group::Bs => (0.8, 0.6),
            _ => (0.6, 0.5),
        }
    }

    /// Whether names of this group are often written in another order or transliterated.
    pub(crate) fn transliterated(self) -> bool {
        matches!(
            self,
            Group::Ar | Group::Ku | Group::Af | Group::Ir | Group::Ua | Group::Ru | Group::Ea
        )
    }

    /// The nationality a person of this group usually has, if not German.
    pub(crate) fn nationality(self) -> &'static str {
        match self {
            Group::De => "000",
            Group::Tr => "163",
            Group::Ar => "475",
            Group::Ku => "438",
            Group::Af => "423",
            Group::Ir => "439",
            Group::Ua => "166",
            Group::Ru => "160",
            Group::Pl => "152",
            Group::Ro => "154",
            Group::Bg => "125",
            Group::Bs => "122",
            Group::Sq => "150",
            Group::Gr => "134",
            Group::It => "137",
            Group::Wa => "232",
            Group::Ea => "224",
        }
    }

    /// The naming group for a nationality.
    pub(crate) fn for_nationality(code: &str) -> Group {
        match code {
            "163" => Group::Tr,
            "475" | "438" | "451" | "252" | "221" | "287" | "285" | "277" => Group::Ar,
            "423" | "461" => Group::Af,
            "439" => Group::Ir,
            "166" => Group::Ua,
            "160" | "169" | "146" | "430" | "422" | "425" => Group::Ru,
            "152" => Group::Pl,
            "154" => Group::Ro,
            "125" => Group::Bg,
            "122" | "170" | "130" | "140" | "144" => Group::Bs,
            "150" | "121" => Group::Sq,
            "134" => Group::Gr,
            "137" | "153" | "161" => Group::It,
            "232" | "238" | "261" | "262" => Group::Wa,
            "224" | "225" | "273" => Group::Ea,
            _ => Group::De,
        }
    }
}

/// Sex as the registers know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Sex {
    M,
    W,
    D,
    X,
}

impl Sex {
    /// One-letter code of the truth (`m`, `w`, `d`, `x`).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Sex::M => "m",
            Sex::W => "w",
            Sex::D => "d",
            Sex::X => "x",
        }
    }
}

struct Lists {
    family: Vec<String>,
    male: Vec<String>,
    female: Vec<String>,
    /// Weights of the names by rank (see [`Group::concentration`]).
    family_weights: Vec<f64>,
    male_weights: Vec<f64>,
    female_weights: Vec<f64>,
}

/// Weights `1 / rank^exponent` for `n` names in list order (the most frequent first).
fn zipf(n: usize, exponent: f64) -> Vec<f64> {
    (1..=n).map(|r| (r as f64).powf(-exponent)).collect()
}

/// All name lists.
pub(crate) struct Names {
    lists: BTreeMap<Group, Lists>,
    variants: BTreeMap<String, Vec<String>>,
    /// Street name parts (see `data/streets.txt`).
    pub street_stems: Vec<String>,
    pub street_adjectives: Vec<String>,
    pub street_suffixes: Vec<String>,
    pub street_persons: Vec<String>,
    pub street_places_m: Vec<String>,
    pub street_places_f: Vec<String>,
}

impl Names {
    /// Parses the compiled-in lists.
    pub(crate) fn load() -> Result<Names, Error> {
        let mut lists: BTreeMap<Group, Lists> = BTreeMap::new();
        for line in NAMES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut parts = line.splitn(3, '|');
            let (Some(g), Some(kind), Some(names)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(Error::Data(format!("names.txt: bad line {line:?}")));
            };
            let group =
                Group::from_code(g).ok_or_else(|| Error::Data(format!("names.txt: group {g}")))?;
            let entry = lists.entry(group).or_insert_with(|| Lists {
                family: Vec::new(),
                male: Vec::new(),
                female: Vec::new(),
                family_weights: Vec::new(),
                male_weights: Vec::new(),
                female_weights: Vec::new(),
            });
            let names: Vec<String> = names.split(',').map(|n| n.trim().to_string()).collect();
            let (given, family) = group.concentration();
            match kind {
                "family" => {
                    entry.family_weights = zipf(names.len(), family);
                    entry.family = names;
                }
                "male" => {
                    entry.male_weights = zipf(names.len(), given);
                    entry.male = names;
                }
                "female" => {
                    entry.female_weights = zipf(names.len(), given);
                    entry.female = names;
                }
                _ => return Err(Error::Data(format!("names.txt: kind {kind}"))),
            }
        }
        for (g, _) in Group::ALL {
            let l = lists
                .get(&g)
                .ok_or_else(|| Error::Data(format!("names.txt: no names for {g:?}")))?;
            if l.family.is_empty() || l.male.is_empty() || l.female.is_empty() {
                return Err(Error::Data(format!(
                    "names.txt: incomplete lists for {g:?}"
                )));
            }
        }
        let mut variants = BTreeMap::new();
        for line in VARIANTS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let group: Vec<String> = line.split('|').map(str::to_string).collect();
            if let Some(first) = group.first() {
                variants.entry(first.clone()).or_insert(group);
            }
        }
        let mut street = BTreeMap::new();
        for line in STREETS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            if let Some((kind, words)) = line.split_once('|') {
                street.insert(
                    kind.to_string(),
                    words
                        .split(',')
                        .map(|w| w.trim().to_string())
                        .collect::<Vec<_>>(),
                );
            }
        }
        let mut take = |k: &str| {
            street
                .remove(k)
                .filter(|v: &Vec<String>| !v.is_empty())
                .ok_or_else(|| Error::Data(format!("streets.txt: no {k} line")))
        };
        Ok(Names {
            lists,
            variants,
            street_stems: take("stem")?,
            street_adjectives: take("adjective")?,
            street_suffixes: take("suffix")?,
            street_persons: take("person")?,
            street_places_m: take("place_m")?,
            street_places_f: take("place_f")?,
        })
    }

    fn lists(&self, g: Group) -> &Lists {
        // Every group is checked in `load`.
        &self.lists[&g]
    }

    /// A family name of the group, the frequent ones more often (see
    /// [`Group::concentration`]).
    pub(crate) fn family(&self, g: Group, rng: &mut Rng) -> String {
        let l = self.lists(g);
        l.family[rng.weighted(&l.family_weights)].clone()
    }

    /// Given names (one to three) of the group for a sex.
    pub(crate) fn given(&self, g: Group, sex: Sex, rng: &mut Rng) -> Vec<String> {
        let l = self.lists(g);
        let (list, weights) = match sex {
            Sex::M => (&l.male, &l.male_weights),
            Sex::W => (&l.female, &l.female_weights),
            _ => {
                if rng.chance(0.5) {
                    (&l.male, &l.male_weights)
                } else {
                    (&l.female, &l.female_weights)
                }
            }
        };
        let count = match g {
            Group::De => [1, 1, 2, 2, 2, 3][rng.index(6)],
            Group::Ar | Group::Af | Group::Ku => [1, 1, 1, 2][rng.index(4)],
            Group::Ua | Group::Ru => 1,
            _ => [1, 1, 1, 2][rng.index(4)],
        };
        let mut out: Vec<String> = Vec::new();
        for _ in 0..count {
            let n = list[rng.weighted(weights)].clone();
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// Spelling variants of a name (the name itself first), if the name has any.
    pub(crate) fn variants(&self, name: &str) -> Option<&[String]> {
        self.variants.get(name).map(Vec::as_slice)
    }
}

/// A typo: one character deleted, doubled, swapped with its neighbour or replaced by a
/// keyboard neighbour. Names shorter than 3 characters are left alone.
pub(crate) fn typo(name: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 3 {
        return name.to_string();
    }
    let i = 1 + rng.index(chars.len() - 1);
    let mut out = chars.clone();
    match rng.index(4) {
        0 => {
            out.remove(i);
        }
        1 => out.insert(i, chars[i]),
        2 if i + 1 < chars.len() && chars[i] != chars[i + 1] => out.swap(i, i + 1),
        _ => {
            const NEIGHBOURS: [(char, char); 12] = [
                ('a', 's'),
                ('e', 'r'),
                ('i', 'o'),
                ('o', 'p'),
                ('u', 'i'),
                ('n', 'm'),
                ('m', 'n'),
                ('r', 't'),
                ('s', 'd'),
                ('t', 'z'),
                ('l', 'k'),
                ('h', 'j'),
            ];
            let c = chars[i];
            let r = NEIGHBOURS
                .iter()
                .find(|(a, _)| *a == c)
                .map_or('e', |(_, b)| *b);
            out[i] = if c == r { 'a' } else { r };
        }
    }
    let s: String = out.into_iter().collect();
    if s == name { format!("{name}h") } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_typos_change_the_name() {
        let names = Names::load().unwrap();
        let mut rng = Rng::derive(3, &[]);
        for (g, _) in Group::ALL {
            assert!(!names.family(g, &mut rng).is_empty());
            assert!(!names.given(g, Sex::W, &mut rng).is_empty());
        }
        assert!(names.variants("Mohammed").unwrap().len() > 3);
        for _ in 0..200 {
            let t = typo("Schneider", &mut rng);
            assert_ne!(t, "Schneider");
        }
        assert_eq!(typo("Li", &mut rng), "Li");
    }
}
