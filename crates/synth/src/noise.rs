//! The mess of real registers, each kind with its own rate.
//!
//! Decisions are hashed from (seed, person, register, kind), so a register keeps the same
//! misspelling in every file it exports (both Meldewesen snapshots show the same typo) while
//! the other registers decide independently.

use crate::city::Address;
use crate::date::Date;
use crate::names::{Names, typo};
use crate::people::{Person, Precision};
use crate::rng::{Rng, tag, unit_of};
use crate::text::{has_umlaut, umlauts_written_out};

/// Rates of every kind of noise. `Noise::default()` is realistic, `Noise::none()` is clean.
///
/// Unless noted, a rate is the probability per person and register (a register keeps its
/// mistake in every file it exports).
#[derive(Clone, Debug, PartialEq)]
pub struct Noise {
    /// A typo in the family name or the first given name.
    pub typo: f64,
    /// Another transliteration of an Arabic, Persian, Ukrainian or Russian name
    /// (Mohammed/Muhammad/Mohamad, Ahmad/Ahmed, Shevchenko/Schewtschenko).
    pub transliteration: f64,
    /// Family and given names swapped (names of transliterated origin only).
    pub swapped_names: f64,
    /// Second and further given names dropped (persons with several given names; not in
    /// the Meldewesen, which holds the full names).
    pub dropped_given_name: f64,
    /// Umlauts written out (`Müller` -> `Mueller`, `ß` -> `ss`).
    pub umlauts_written_out: f64,
    /// Probability per Windows-1252 file that characters beyond Windows-1252 are written as
    /// `?` instead of transliterated (`Ł` -> `L`).
    pub cp1252_question_mark: f64,
    /// Birth day unknown in the register (`00.05.1990`; Meldewesen and ALW only).
    pub unknown_birth_day: f64,
    /// Refugees whose authorities know only the birth year (`00.00.1990` in Meldewesen and
    /// ALW, `01.01.1990` in AKDN and SchILD, which cannot store incomplete dates). Per person.
    pub birth_year_only: f64,
    /// Day and month of the birth date swapped (days 1-12 only).
    pub day_month_swapped: f64,
    /// Street written with `Str.` instead of `Straße`.
    pub street_abbreviated: f64,
    /// Street written with `Strasse`.
    pub street_strasse: f64,
    /// Street written with a hyphen (`Linden-Straße`).
    pub street_hyphenated: f64,
    /// House number suffix written apart or in capitals (`12 a`, `12A`) or in the number.
    pub suffix_spacing: f64,
    /// Per address: missing from the Gliederung table (new building), so unmatched.
    pub unmatched_address: f64,
    /// Per record: the register holds the person twice (a second row, sometimes with
    /// another spelling).
    pub duplicate: f64,
    /// Per foreigner who left the city in the year before the Stichtag: still listed in the
    /// ALW export.
    pub stale: f64,
    /// Per ALW record: a legal-basis spelling other than the file's house style.
    pub legal_basis_variant: f64,
    /// Per ALW record: a legal basis no parser can map ("siehe Akte").
    pub legal_basis_unparsable: f64,
}

impl Default for Noise {
    fn default() -> Noise {
        Noise {
            typo: 0.01,
            transliteration: 0.3,
            swapped_names: 0.03,
            dropped_given_name: 0.2,
            umlauts_written_out: 0.05,
            cp1252_question_mark: 0.25,
            unknown_birth_day: 0.003,
            birth_year_only: 0.12,
            day_month_swapped: 0.004,
            street_abbreviated: 0.15,
            street_strasse: 0.08,
            street_hyphenated: 0.02,
            suffix_spacing: 0.3,
            unmatched_address: 0.004,
            duplicate: 0.003,
            stale: 0.05,
            legal_basis_variant: 0.25,
            legal_basis_unparsable: 0.004,
        }
    }
}

impl Noise {
    /// No noise at all: every record shows the true values (formats still vary).
    pub fn none() -> Noise {
        Noise {
            typo: 0.0,
            transliteration: 0.0,
            swapped_names: 0.0,
            dropped_given_name: 0.0,
            umlauts_written_out: 0.0,
            cp1252_question_mark: 0.0,
            unknown_birth_day: 0.0,
            birth_year_only: 0.0,
            day_month_swapped: 0.0,
            street_abbreviated: 0.0,
            street_strasse: 0.0,
            street_hyphenated: 0.0,
            suffix_spacing: 0.0,
            unmatched_address: 0.0,
            duplicate: 0.0,
            stale: 0.0,
            legal_basis_variant: 0.0,
            legal_basis_unparsable: 0.0,
        }
    }

    /// Every rate with its name, for documentation and the ground truth's metadata.
    pub fn rates(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("typo", self.typo),
            ("transliteration", self.transliteration),
            ("swapped_names", self.swapped_names),
            ("dropped_given_name", self.dropped_given_name),
            ("umlauts_written_out", self.umlauts_written_out),
            ("cp1252_question_mark", self.cp1252_question_mark),
            ("unknown_birth_day", self.unknown_birth_day),
            ("birth_year_only", self.birth_year_only),
            ("day_month_swapped", self.day_month_swapped),
            ("street_abbreviated", self.street_abbreviated),
            ("street_strasse", self.street_strasse),
            ("street_hyphenated", self.street_hyphenated),
            ("suffix_spacing", self.suffix_spacing),
            ("unmatched_address", self.unmatched_address),
            ("duplicate", self.duplicate),
            ("stale", self.stale),
            ("legal_basis_variant", self.legal_basis_variant),
            ("legal_basis_unparsable", self.legal_basis_unparsable),
        ]
    }

    /// Sets a rate by name; `false` if there is no such rate.
    pub fn set(&mut self, name: &str, rate: f64) -> bool {
        let slot = match name {
            "typo" => &mut self.typo,
            "transliteration" => &mut self.transliteration,
            "swapped_names" => &mut self.swapped_names,
            "dropped_given_name" => &mut self.dropped_given_name,
            "umlauts_written_out" => &mut self.umlauts_written_out,
            "cp1252_question_mark" => &mut self.cp1252_question_mark,
            "unknown_birth_day" => &mut self.unknown_birth_day,
            "birth_year_only" => &mut self.birth_year_only,
            "day_month_swapped" => &mut self.day_month_swapped,
            "street_abbreviated" => &mut self.street_abbreviated,
            "street_strasse" => &mut self.street_strasse,
            "street_hyphenated" => &mut self.street_hyphenated,
            "suffix_spacing" => &mut self.suffix_spacing,
            "unmatched_address" => &mut self.unmatched_address,
            "duplicate" => &mut self.duplicate,
            "stale" => &mut self.stale,
            "legal_basis_variant" => &mut self.legal_basis_variant,
            "legal_basis_unparsable" => &mut self.legal_basis_unparsable,
            _ => return false,
        };
        *slot = rate;
        true
    }

    /// Checks that every rate is a probability.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for (name, r) in self.rates() {
            if !(0.0..=1.0).contains(&r) || r.is_nan() {
                return Err(format!("Rauschrate {name} = {r} liegt nicht in 0..1"));
            }
        }
        Ok(())
    }
}

/// The kinds of noise a record can carry (ground truth column `noise`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Typo,
    Transliteration,
    SwappedNames,
    DroppedGivenName,
    UmlautsWrittenOut,
    Cp1252Transliterated,
    Cp1252QuestionMark,
    UnknownBirthDay,
    BirthYearOnly,
    DayMonthSwapped,
    StreetAbbreviated,
    StreetStrasse,
    StreetHyphenated,
    SuffixSpacing,
    UnmatchedAddress,
    Duplicate,
    Stale,
    LegalBasisVariant,
    LegalBasisUnparsable,
}

impl Kind {
    const ALL: [(Kind, &'static str); 19] = [
        (Kind::Typo, "typo"),
        (Kind::Transliteration, "transliteration"),
        (Kind::SwappedNames, "swapped_names"),
        (Kind::DroppedGivenName, "dropped_given_name"),
        (Kind::UmlautsWrittenOut, "umlauts_written_out"),
        (Kind::Cp1252Transliterated, "cp1252_transliterated"),
        (Kind::Cp1252QuestionMark, "cp1252_question_mark"),
        (Kind::UnknownBirthDay, "unknown_birth_day"),
        (Kind::BirthYearOnly, "birth_year_only"),
        (Kind::DayMonthSwapped, "day_month_swapped"),
        (Kind::StreetAbbreviated, "street_abbreviated"),
        (Kind::StreetStrasse, "street_strasse"),
        (Kind::StreetHyphenated, "street_hyphenated"),
        (Kind::SuffixSpacing, "suffix_spacing"),
        (Kind::UnmatchedAddress, "unmatched_address"),
        (Kind::Duplicate, "duplicate"),
        (Kind::Stale, "stale"),
        (Kind::LegalBasisVariant, "legal_basis_variant"),
        (Kind::LegalBasisUnparsable, "legal_basis_unparsable"),
    ];

    fn bit(self) -> u32 {
        1 << (Kind::ALL.iter().position(|(k, _)| *k == self).unwrap_or(0) as u32)
    }
}

/// The set of noise kinds of one record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags(u32);

impl Flags {
    /// Adds a kind.
    pub(crate) fn add(&mut self, k: Kind) {
        self.0 |= k.bit();
    }

    /// Whether the kind is present.
    pub(crate) fn has(self, k: Kind) -> bool {
        self.0 & k.bit() != 0
    }

    /// `kind|kind` (empty if clean).
    pub(crate) fn label(self) -> String {
        let mut out = String::new();
        for (k, name) in Kind::ALL {
            if self.has(k) {
                if !out.is_empty() {
                    out.push('|');
                }
                out.push_str(name);
            }
        }
        out
    }
}

/// The registers (noise is persistent per register).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Register {
    Meldewesen = 1,
    Alw = 2,
    Akdn = 3,
    Schild = 4,
}

impl Register {
    /// Whether the register can store incomplete birth dates (`00.05.1990`).
    pub(crate) fn incomplete_dates(self) -> bool {
        matches!(self, Register::Meldewesen | Register::Alw)
    }
}

/// A birth date as a register shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Birth {
    Date(Date),
    /// An incomplete date, always written `TT.MM.JJJJ` with zeros (`00.05.1990`).
    Incomplete(String),
}

/// Street and house number as a register shows them.
#[derive(Clone, Debug)]
pub(crate) struct AddressRepr {
    pub street: String,
    /// House number with suffix attached (`12a`, `12 a`, `12-14`).
    pub number_with_suffix: String,
    /// House number alone.
    pub number: String,
    /// Suffix alone.
    pub suffix: String,
}

/// Applies noise for one run.
pub(crate) struct Applier<'a> {
    pub noise: &'a Noise,
    pub seed: u64,
    pub names: &'a Names,
}

const K_TYPO: u64 = 1;
const K_TRANSLIT: u64 = 2;
const K_SWAP: u64 = 3;
const K_DROP: u64 = 4;
const K_UMLAUT: u64 = 5;
const K_DAY: u64 = 6;
const K_SWAPDATE: u64 = 7;
const K_STREET: u64 = 8;
const K_SUFFIX: u64 = 9;
const K_DUP: u64 = 10;

impl Applier<'_> {
    fn decide(&self, person: u32, reg: Register, kind: u64, rate: f64) -> bool {
        rate > 0.0
            && unit_of(
                self.seed,
                &[tag::NOISE, u64::from(person), reg as u64, kind],
            ) < rate
    }

    fn rng(&self, person: u32, reg: Register, kind: u64) -> Rng {
        Rng::derive(
            self.seed,
            &[tag::NOISE, u64::from(person), reg as u64, kind, 99],
        )
    }

    /// Family name and given names (space-separated) as the register holds them.
    pub(crate) fn names(&self, p: &Person, reg: Register, flags: &mut Flags) -> (String, String) {
        let n = self.noise;
        let mut family = p.family.clone();
        let mut given: Vec<String> = p.given.clone();
        if p.group.transliterated() && self.decide(p.id, reg, K_TRANSLIT, n.transliteration) {
            let mut rng = self.rng(p.id, reg, K_TRANSLIT);
            let mut changed = false;
            let mut swap_variant = |name: &mut String, rng: &mut Rng| {
                if let Some(vars) = self.names.variants(name)
                    && vars.len() > 1
                {
                    let alt = &vars[1 + rng.index(vars.len() - 1)];
                    if alt != name {
                        *name = alt.clone();
                        changed = true;
                    }
                }
            };
            swap_variant(&mut family, &mut rng);
            for g in &mut given {
                swap_variant(g, &mut rng);
            }
            if changed {
                flags.add(Kind::Transliteration);
            }
        }
        if reg != Register::Meldewesen
            && given.len() > 1
            && self.decide(p.id, reg, K_DROP, n.dropped_given_name)
        {
            given.truncate(1);
            flags.add(Kind::DroppedGivenName);
        }
        if (has_umlaut(&family) || given.iter().any(|g| has_umlaut(g)))
            && self.decide(p.id, reg, K_UMLAUT, n.umlauts_written_out)
        {
            family = umlauts_written_out(&family);
            for g in &mut given {
                *g = umlauts_written_out(g);
            }
            flags.add(Kind::UmlautsWrittenOut);
        }
        if self.decide(p.id, reg, K_TYPO, n.typo) {
            let mut rng = self.rng(p.id, reg, K_TYPO);
            if rng.chance(0.6) || given.is_empty() {
                family = typo(&family, &mut rng);
            } else {
                given[0] = typo(&given[0], &mut rng);
            }
            flags.add(Kind::Typo);
        }
        let mut given = given.join(" ");
        if p.group.transliterated() && self.decide(p.id, reg, K_SWAP, n.swapped_names) {
            std::mem::swap(&mut family, &mut given);
            flags.add(Kind::SwappedNames);
        }
        (family, given)
    }

    /// The birth date as the register holds it.
    pub(crate) fn birth(&self, p: &Person, reg: Register, flags: &mut Flags) -> Birth {
        let (y, m, d) = p.birth.parts();
        if p.precision == Precision::Year {
            flags.add(Kind::BirthYearOnly);
            return if reg.incomplete_dates() {
                Birth::Incomplete(format!("00.00.{y:04}"))
            } else {
                Birth::Date(Date::ymd(y, 1, 1))
            };
        }
        if reg.incomplete_dates() && self.decide(p.id, reg, K_DAY, self.noise.unknown_birth_day) {
            flags.add(Kind::UnknownBirthDay);
            return Birth::Incomplete(format!("00.{m:02}.{y:04}"));
        }
        if d <= 12 && d != m && self.decide(p.id, reg, K_SWAPDATE, self.noise.day_month_swapped) {
            flags.add(Kind::DayMonthSwapped);
            return Birth::Date(Date::ymd(y, d, m));
        }
        Birth::Date(p.birth)
    }

    /// Street and number of an address as the register writes them for a person (keyed by
    /// the person, so the register keeps its spelling).
    pub(crate) fn address(
        &self,
        key: u32,
        reg: Register,
        street: &str,
        address: &Address,
        flags: &mut Flags,
    ) -> AddressRepr {
        let (number, suffix, range_end) = (address.number, address.suffix, address.range_end);
        let n = self.noise;
        let mut rng = self.rng(key, reg, K_STREET);
        let u = rng.unit();
        let mut s = street.to_string();
        let ends_strasse = s.ends_with("straße") || s.ends_with("Straße");
        if ends_strasse && u < n.street_abbreviated {
            s = abbreviate(&s);
            flags.add(Kind::StreetAbbreviated);
        } else if s.contains('ß') && u < n.street_abbreviated + n.street_strasse {
            s = s.replace('ß', "ss");
            flags.add(Kind::StreetStrasse);
        } else if s.ends_with("straße")
            && !s.contains(' ')
            && !s.contains('-')
            && u < n.street_abbreviated + n.street_strasse + n.street_hyphenated
        {
            let stem = &s[..s.len() - "straße".len()];
            s = format!("{stem}-Straße");
            flags.add(Kind::StreetHyphenated);
        }
        // House number: the number the person is registered under (a range building is
        // registered under one of its numbers, or the range).
        let number_text = match range_end {
            Some(end) => match rng.index(3) {
                0 => number.to_string(),
                1 => end.to_string(),
                _ => format!("{number}-{end}"),
            },
            None => number.to_string(),
        };
        let suffix_text = suffix.map(|c| c.to_string()).unwrap_or_default();
        let mut with_suffix = format!("{number_text}{suffix_text}");
        if let Some(c) = suffix
            && self.decide(key, reg, K_SUFFIX, n.suffix_spacing)
        {
            with_suffix = match rng.index(3) {
                0 => format!("{number_text} {c}"),
                1 => format!("{number_text}{}", c.to_ascii_uppercase()),
                _ => format!("{number_text} {}", c.to_ascii_uppercase()),
            };
            flags.add(Kind::SuffixSpacing);
        }
        AddressRepr {
            street: s,
            number_with_suffix: with_suffix,
            number: number_text,
            suffix: suffix_text,
        }
    }

    /// Whether a record (person, file) gets a duplicate row.
    pub(crate) fn duplicate(&self, person: u32, file_key: u64) -> bool {
        self.noise.duplicate > 0.0
            && unit_of(self.seed, &[tag::NOISE, u64::from(person), file_key, K_DUP])
                < self.noise.duplicate
    }

    /// A stable sub-stream for per-file decisions.
    pub(crate) fn file_unit(&self, file_key: u64, what: u64) -> f64 {
        unit_of(self.seed, &[tag::FILE, file_key, what])
    }
}

/// `Lindenstraße` -> `Lindenstr.`, `Bochumer Straße` -> `Bochumer Str.`
pub(crate) fn abbreviate(street: &str) -> String {
    if let Some(stem) = street.strip_suffix("straße") {
        format!("{stem}str.")
    } else if let Some(stem) = street.strip_suffix("Straße") {
        format!("{stem}Str.")
    } else {
        street.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_list_their_kinds() {
        let mut f = Flags::default();
        assert_eq!(f.label(), "");
        f.add(Kind::Typo);
        f.add(Kind::Duplicate);
        assert_eq!(f.label(), "typo|duplicate");
        assert!(f.has(Kind::Typo) && !f.has(Kind::Stale));
        assert_eq!(abbreviate("Kurt-Schumacher-Straße"), "Kurt-Schumacher-Str.");
        assert_eq!(abbreviate("Lindenstraße"), "Lindenstr.");
    }

    #[test]
    fn rates_can_be_set_by_name_and_are_validated() {
        let mut n = Noise::none();
        assert!(n.set("typo", 0.5));
        assert!(!n.set("nonsense", 0.5));
        assert_eq!(n.typo, 0.5);
        assert!(n.validate().is_ok());
        n.typo = 1.5;
        assert!(n.validate().is_err());
        assert_eq!(Noise::default().rates().len(), 18);
    }
}
