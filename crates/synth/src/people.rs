//! Persons of the synthetic city: the truth behind every record.

use crate::date::Date;
use crate::legal::StatusId;
use crate::names::{Group, Sex};
use crate::rng::Rng;

/// How much of the birth date the authorities know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Precision {
    Full,
    /// Only the year (common for refugees without documents).
    Year,
}

/// Kind of dwelling in the Meldewesen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dwelling {
    /// Alleinige Wohnung (the only dwelling).
    Alleinige,
    /// Hauptwohnung (main dwelling; another one elsewhere).
    Haupt,
    /// Nebenwohnung (main dwelling elsewhere): not part of the population.
    Neben,
}

impl Dwelling {
    /// Code of the truth.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Dwelling::Alleinige => "A",
            Dwelling::Haupt => "H",
            Dwelling::Neben => "N",
        }
    }
}

/// Marital status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marital {
    Ledig,
    Verheiratet,
    Geschieden,
    Verwitwet,
    Lebenspartnerschaft,
}

impl Marital {
    /// Full German word.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Marital::Ledig => "ledig",
            Marital::Verheiratet => "verheiratet",
            Marital::Geschieden => "geschieden",
            Marital::Verwitwet => "verwitwet",
            Marital::Lebenspartnerschaft => "Lebenspartnerschaft",
        }
    }

    /// Register code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Marital::Ledig => "LD",
            Marital::Verheiratet => "VH",
            Marital::Geschieden => "GS",
            Marital::Verwitwet => "VW",
            Marital::Lebenspartnerschaft => "LP",
        }
    }
}

/// One person (resident, former resident, or pupil from outside the city).
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub id: u32,
    pub household: u32,
    pub family: String,
    pub birth_name: Option<String>,
    pub given: Vec<String>,
    pub sex: Sex,
    pub birth: Date,
    pub precision: Precision,
    pub group: Group,
    /// Destatis nationality key (0 = German).
    pub nationality: u16,
    pub nationality2: Option<u16>,
    /// Naturalised on this date: from then German, the former nationality second.
    pub naturalised: Option<Date>,
    pub marital: Marital,
    /// Address changes: `(date, Some(address))` moved in, `(date, None)` left the city.
    /// Empty for persons who never lived in the city (pupils from neighbouring towns).
    pub residence: Vec<(Date, Option<u32>)>,
    pub dwelling: Dwelling,
    /// Residence statuses in the foreigners register.
    pub status: Vec<(Date, StatusId)>,
    /// Entry into Germany (Einreise).
    pub entry: Option<Date>,
    /// Index of the refugee household, for persons of the refugee simulation.
    pub refugee_household: Option<u32>,
    /// Died (a deregistration for this reason).
    pub died: bool,
}

impl Person {
    /// Address and move-in date at `d`; `None` if not (yet or any more) living in the city.
    pub(crate) fn address_at(&self, d: Date) -> Option<(u32, Date)> {
        match self.residence.iter().rev().find(|(t, _)| *t <= d) {
            Some((t, Some(a))) => Some((*a, *t)),
            _ => None,
        }
    }

    /// Whether the person lives in the city at `d`.
    pub(crate) fn present(&self, d: Date) -> bool {
        self.address_at(d).is_some()
    }

    /// First registration in the city.
    pub(crate) fn registered(&self) -> Option<Date> {
        self.residence.first().map(|(t, _)| *t)
    }

    /// Date of leaving the city, if the person has left by `d`.
    pub(crate) fn left_by(&self, d: Date) -> Option<Date> {
        match self.residence.iter().rev().find(|(t, _)| *t <= d) {
            Some((t, None)) => Some(*t),
            _ => None,
        }
    }

    /// The last address before leaving (for deregistered records), with its move-in date.
    pub(crate) fn last_address_before(&self, d: Date) -> Option<(u32, Date)> {
        self.residence
            .iter()
            .rev()
            .filter(|(t, _)| *t < d)
            .find_map(|(t, a)| a.map(|a| (a, *t)))
    }

    /// Nationality and second nationality at `d`.
    pub(crate) fn nationality_at(&self, d: Date) -> (u16, Option<u16>) {
        match self.naturalised {
            Some(n) if n <= d => (0, self.nationality2),
            _ => (self.nationality, self.nationality2),
        }
    }

    /// Residence status at `d` (the last one granted on or before `d`).
    pub(crate) fn status_at(&self, d: Date) -> Option<(StatusId, Date)> {
        self.status
            .iter()
            .rev()
            .find(|(t, _)| *t <= d)
            .map(|(t, s)| (*s, *t))
    }

    /// Age in whole years at `d`.
    pub(crate) fn age_at(&self, d: Date) -> i32 {
        self.birth.years_until(d)
    }
}

/// Relative weights of 5-year age groups 0-4 .. 95-99 (German residents, a Ruhr city).
const AGES_GERMAN: [f64; 20] = [
    4.3, 4.4, 4.5, 4.6, 5.0, 5.6, 6.2, 6.2, 5.9, 5.6, 6.6, 8.1, 7.9, 6.8, 5.4, 4.6, 4.6, 2.4, 0.9,
    0.2,
];
/// Non-German residents: younger.
const AGES_FOREIGN: [f64; 20] = [
    6.5, 6.3, 5.4, 5.2, 7.6, 9.8, 10.6, 9.9, 8.3, 6.9, 5.9, 4.8, 3.9, 3.0, 2.3, 1.6, 1.1, 0.5, 0.2,
    0.05,
];

/// An age in `min..=max` drawn from the age structure.
pub(crate) fn sample_age(rng: &mut Rng, foreign: bool, min: i32, max: i32) -> i32 {
    let table = if foreign { &AGES_FOREIGN } else { &AGES_GERMAN };
    let weights: Vec<f64> = (0..20)
        .map(|i| {
            let lo = i * 5;
            let hi = lo + 4;
            let overlap = (hi.min(max) - lo.max(min) + 1).max(0);
            table[i as usize] * f64::from(overlap) / 5.0
        })
        .collect();
    if weights.iter().sum::<f64>() <= 0.0 {
        return min;
    }
    let bin = rng.weighted(&weights) as i32;
    let lo = (bin * 5).max(min);
    let hi = (bin * 5 + 4).min(max);
    rng.range(lo, hi)
}

/// A birth date for someone aged `age` on `reference`.
pub(crate) fn birth_for_age(rng: &mut Rng, age: i32, reference: Date) -> Date {
    let latest = reference.add_months(-12 * age);
    latest.add_days(-(rng.below(365) as i32))
}

/// A random sex with a small share of `d`/`x`.
pub(crate) fn sample_sex(rng: &mut Rng, male_share: f64) -> Sex {
    let u = rng.unit();
    if u < 0.0004 {
        Sex::D
    } else if u < 0.0006 {
        Sex::X
    } else if rng.chance(male_share) {
        Sex::M
    } else {
        Sex::W
    }
}
