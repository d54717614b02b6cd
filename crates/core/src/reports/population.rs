//! Table 4 of the standard set, "Bevölkerung aktuell": the current population (Haupt- and
//! alleinige Wohnung, not deregistered) by Stadtbezirk and Stadtteil, sex, age group, German
//! and non-German, the ten largest nationalities, and the refugee share; with an earlier
//! Meldewesen snapshot also loaded, the change of the population by Stadtteil since then.

use std::collections::HashSet;

use crate::import::{Dataset, ImportedFile, Records};
use crate::locate::AddressIndex;
use crate::records::{Date, NationalityCode, Origin, Resident, Sex};
use crate::tabulate::{Table, TableDef, TabulateError};

use super::dimensions::{Dimensions, Found};
use super::keys::{
    SNAPSHOT_KEYS, age_group_index, assigned_sex, baublock_key, sex_key, top_nationalities,
};
use super::refugees::RefugeeCounts;
use super::{AgeGroup, Counter, Quality, count_into, current_snapshot};
use crate::locate::BaublockId;

/// Pairs of [`DIMS`] tied by a published rule: the sex assigned by birth month follows the
/// sex (first: the differencing check is stricter where both are shown); Germans have no
/// nationality key.
pub const TIES: [(&str, &str); 2] = [
    ("geschlecht", "geschlecht_zugeordnet"),
    ("herkunft", "staatsangehoerigkeit"),
];

/// The dimensions of a population key, in key order (the Kreuztabelle counts by the same).
pub const DIMS: [&str; 6] = [
    "raum",
    "geschlecht",
    "altersgruppe",
    "herkunft",
    "staatsangehoerigkeit",
    "geschlecht_zugeordnet",
];

/// The population counted by Baublock, sex, age group and nationality.
#[derive(Clone, Debug)]
pub struct PopulationCounts {
    /// Stichtag of the Meldewesen snapshot.
    pub reference_date: Option<Date>,
    /// (raum, geschlecht, altersgruppe, herkunft, staatsangehörigkeit) -> persons; the last
    /// key is empty for Germans.
    pub counts: Counter,
    /// The ten largest non-German nationalities: (key, label).
    pub top_nationalities: Vec<(String, String)>,
    /// The previous snapshot (the latest with an earlier Stichtag), if one was loaded.
    pub previous: Option<PreviousCounts>,
}

/// The population of the previous Meldewesen snapshot, counted like the current one, or as
/// published in a workbook Lagebild released before.
#[derive(Clone, Debug)]
pub struct PreviousCounts {
    /// Stichtag of the previous snapshot.
    pub reference_date: Date,
    /// `raum` (Baublock key; Stadtteil key where published) -> persons.
    pub by_place: Counter,
    /// True if the numbers are the published ones of a released workbook (per Stadtteil).
    pub published: bool,
    /// Stadtteil keys the released workbook has no value for (suppressed or merged there).
    pub without_value: Vec<String>,
}

/// The residents of a snapshot counted as population at its Stichtag (Haupt- or alleinige
/// Wohnung, not deregistered by then), each person once ([`super::distinct_persons`]: by the
/// Ordnungsmerkmal, else whole equal rows); and how many rows repeated a person.
fn population_of(all: &[Resident], reference: Option<Date>) -> (Vec<&Resident>, u64) {
    let counted: Vec<&Resident> = all
        .iter()
        .filter(|r| r.dwelling.counts_as_population())
        .filter(|r| match (r.deregistered, reference) {
            (None, _) => true,
            (Some(left), Some(stichtag)) => left > stichtag,
            (Some(_), None) => false,
        })
        .collect();
    let (kept, duplicates) = super::distinct_persons(
        &counted,
        |r| r.person_key,
        |r| Resident {
            origin: Origin::default(),
            ..(*r).clone()
        },
    );
    let residents = kept.iter().map(|&i| counted[i as usize]).collect();
    (residents, duplicates)
}

/// Among the Meldewesen snapshots, the one with the latest Stichtag before `current` (the
/// largest one on a tie).
pub(crate) fn previous_snapshot(dataset: &Dataset, current: Date) -> Option<(&ImportedFile, Date)> {
    dataset
        .files
        .iter()
        .filter(|f| matches!(f.records, Records::Meldewesen(_)) && !f.records.is_empty())
        .filter_map(|f| {
            f.report
                .reference_date
                .filter(|d| *d < current)
                .map(|d| (f, d))
        })
        .max_by_key(|(f, d)| (*d, f.records.len()))
}

fn is_german(r: &Resident) -> bool {
    r.nationality == Some(NationalityCode::GERMAN)
        || r.nationality_2 == Some(NationalityCode::GERMAN)
}

/// Nationality as the population tables count it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Nationality {
    German,
    /// One of the most frequent foreign nationalities.
    Top(NationalityCode),
    Other,
}

/// Baublock, sex, age group and nationality of a resident.
type CompactKey = (
    Option<BaublockId>,
    Sex,
    Option<usize>,
    Nationality,
    &'static str,
);

impl PopulationCounts {
    /// What the dimensions take from the population: the largest nationalities and the
    /// Stichtage of both snapshots.
    pub fn found(&self) -> Found {
        Found {
            nationalities: self.top_nationalities.clone(),
            snapshots: [
                self.previous.as_ref().map(|p| p.reference_date),
                self.reference_date,
            ],
            ..Found::default()
        }
    }

    /// Counts the current Meldewesen snapshot; `None` without Meldewesen files.
    pub fn compute(
        dataset: &Dataset,
        index: &AddressIndex,
        age_groups: &[AgeGroup],
        quality: &mut Quality,
    ) -> Option<PopulationCounts> {
        let file = current_snapshot(dataset, |r| matches!(r, Records::Meldewesen(_)))?;
        let Records::Meldewesen(all) = &file.records else {
            return None;
        };
        let reference = file.report.reference_date;
        quality.meldewesen = Some((file.report.file_name.clone(), reference));
        if reference.is_none() {
            quality.notes.push(format!(
                "Der Stichtag von „{}“ ist unbekannt: Altersgruppen fehlen. Bitte den Stichtag angeben.",
                file.report.file_name
            ));
        }
        let pool = &dataset.pool;
        let (residents, duplicates) = population_of(all, reference);
        quality.ewo_duplicates = duplicates;
        let (located, report) = index.locate_all(pool, residents.iter().map(|r| &r.address));
        quality.located_residents = report;

        // Only nationalities of the code list can be named: a code without a label counts
        // under "Sonstige".
        let (top_nationalities, ranked) = top_nationalities(
            residents
                .iter()
                .filter(|r| !is_german(r))
                .map(|r| r.nationality),
        );

        // Counted by a compact key first (no allocation per resident), then spelled out once
        // per distinct key.
        let top_codes: HashSet<NationalityCode> = ranked.into_iter().collect();
        let mut compact: hashbrown::HashMap<CompactKey, u64> = hashbrown::HashMap::new();
        for (r, place) in residents.iter().zip(&located) {
            let age = reference.and_then(|d| r.birth_date.age_on(d));
            let german = is_german(r);
            let nationality = if german {
                Nationality::German
            } else {
                match r.nationality {
                    Some(code) if top_codes.contains(&code) => Nationality::Top(code),
                    _ => Nationality::Other,
                }
            };
            let key = (
                *place,
                r.sex,
                age_group_index(age_groups, age),
                nationality,
                assigned_sex(r.sex, r.birth_date),
            );
            *compact.entry(key).or_default() += 1;
        }
        let mut counts = Counter::new();
        for ((place, sex, age, nationality, assigned), n) in compact {
            let sex = sex_key(sex);
            let (origin, nationality) = match nationality {
                Nationality::German => ("deutsch", String::new()),
                Nationality::Top(code) => ("nichtdeutsch", format!("{:03}", code.0)),
                Nationality::Other => ("nichtdeutsch", "sonstige".to_string()),
            };
            let key = vec![
                baublock_key(&index.geography, place),
                sex.to_string(),
                age.map_or_else(
                    || super::keys::UNKNOWN_KEY.to_owned(),
                    |i| format!("a{i:02}"),
                ),
                origin.to_string(),
                nationality,
                assigned.to_string(),
            ];
            *counts.entry(key).or_default() += n;
        }
        let previous = Self::previous(dataset, index, reference, quality);
        Some(PopulationCounts {
            reference_date: reference,
            counts,
            top_nationalities,
            previous,
        })
    }

    /// Counts the previous snapshot by Baublock, or notes why there is none.
    fn previous(
        dataset: &Dataset,
        index: &AddressIndex,
        current: Option<Date>,
        quality: &mut Quality,
    ) -> Option<PreviousCounts> {
        let found = current.and_then(|date| previous_snapshot(dataset, date));
        if found.is_none()
            && let Some(published) =
                current.and_then(|date| published_previous(dataset, index, date, quality))
        {
            return Some(published);
        }
        let Some((file, date)) = found else {
            quality.notes.push(
                "Nur ein Meldewesen-Bestand geladen: keine Veränderung der Einwohnerzahl. \
                 Für die Veränderung einen früheren Bestand (anderer Stichtag im Dateinamen) dazuladen."
                    .into(),
            );
            return None;
        };
        let Records::Meldewesen(all) = &file.records else {
            return None;
        };
        quality.notes.push(format!(
            "Veränderung der Einwohnerzahl gegenüber „{}“ (Stichtag {}).",
            file.report.file_name,
            date.to_german()
        ));
        let (residents, _) = population_of(all, Some(date));
        let (located, _) = index.locate_all(&dataset.pool, residents.iter().map(|r| &r.address));
        let mut compact: hashbrown::HashMap<Option<BaublockId>, u64> = hashbrown::HashMap::new();
        for place in &located {
            *compact.entry(*place).or_default() += 1;
        }
        let mut by_place = Counter::new();
        for (place, n) in compact {
            *by_place
                .entry(vec![baublock_key(&index.geography, place)])
                .or_default() += n;
        }
        Some(PreviousCounts {
            reference_date: date,
            by_place,
            published: false,
            without_value: Vec::new(),
        })
    }

    /// Counts the population into a table over any of its dimensions.
    pub fn table(&self, def: &TableDef, dims: &Dimensions) -> Result<Table, TabulateError> {
        count_into(def, dims, &self.counts, &DIMS)
    }

    /// Residents by `raum` key.
    pub fn by_place(&self) -> Counter {
        let mut out = Counter::new();
        for (key, n) in &self.counts {
            *out.entry(vec![key[0].clone()]).or_default() += n;
        }
        out
    }
}

/// The residents per Stadtteil as published in the latest workbook Lagebild released before
/// `current` (when no earlier Meldewesen snapshot is loaded): names matched to the
/// Gliederung's Stadtteile, "Adresse nicht zugeordnet" to the unlocated addresses; a
/// Stadtteil without a published value (suppressed or merged there) is listed.
fn published_previous(
    dataset: &Dataset,
    index: &AddressIndex,
    current: Date,
    quality: &mut Quality,
) -> Option<PreviousCounts> {
    use crate::area::{AreaKey, Level};
    let file = released_before(dataset, current)?;
    let Records::Released(residents) = &file.records else {
        return None;
    };
    let date = residents.reference_date?;
    let geo = &index.geography;
    let mut areas: Vec<(String, String)> = geo
        .stadtteile
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                AreaKey::new(Level::Stadtteil, &t.nr).to_string(),
            )
        })
        .collect();
    areas.push((
        super::keys::UNLOCATED_LABEL.to_owned(),
        AreaKey::unlocated(Level::Stadtteil).to_string(),
    ));
    // A name shared by a Stadtbezirk and its Stadtteil: the Stadtteil's row comes after.
    let mut value_of: std::collections::HashMap<&str, Option<u64>> = Default::default();
    for row in &residents.rows {
        value_of.insert(row.label.as_str(), row.value);
    }
    let mut by_place = Counter::new();
    let mut without_value = Vec::new();
    for (name, key) in &areas {
        match value_of.get(name.as_str()).copied().flatten() {
            Some(n) => {
                by_place.insert(vec![key.clone()], n);
            }
            None => without_value.push(key.clone()),
        }
    }
    if by_place.is_empty() {
        quality.notes.push(format!(
            "„{}“ (Stichtag {}) nennt keinen Stadtteil der geladenen Gliederung: keine \
             Veränderung zur Vorwoche.",
            file.report.file_name,
            date.to_german()
        ));
        return None;
    }
    quality.notes.push(format!(
        "Veränderung der Einwohnerzahl gegenüber den veröffentlichten Werten aus „{}“ \
         (Stichtag {}); {} Stadtteil(e) ohne veröffentlichten Wert.",
        file.report.file_name,
        date.to_german(),
        without_value.len()
    ));
    Some(PreviousCounts {
        reference_date: date,
        by_place,
        published: true,
        without_value,
    })
}

/// The latest workbook Lagebild released before `current` (read as
/// [`Records::Released`]).
pub(crate) fn released_before(dataset: &Dataset, current: Date) -> Option<&ImportedFile> {
    dataset
        .files
        .iter()
        .filter_map(|f| match &f.records {
            Records::Released(r) => Some((f, r.reference_date?)),
            _ => None,
        })
        .filter(|(_, d)| *d < current)
        .max_by_key(|(_, d)| *d)
        .map(|(f, _)| f)
}

/// Note of the change table whose earlier numbers are the published ones.
pub const PUBLISHED_PREVIOUS_NOTE: &str = "Einwohner am früheren Stichtag: die veröffentlichten \
     Werte des damaligen Berichts (der Meldewesen-Bestand jenes Tages ist nicht geladen). \
     Gebiete, die dort gesperrt oder zusammengefasst waren, haben keine Veränderung („x“).";

/// Residents by place at the previous and at the current Stichtag (`bestand` dimension), with
/// the derived columns of the layout; `None` without a previous snapshot. The placeholders
/// `{vorher}` and `{aktuell}` in the title are replaced by the two Stichtage.
pub fn change(
    def: &TableDef,
    dims: &Dimensions,
    population: &PopulationCounts,
) -> Option<Result<Table, TabulateError>> {
    let previous = population.previous.as_ref()?;
    let current = population.reference_date?;
    let mut counts = Counter::new();
    for (key, n) in &previous.by_place {
        *counts
            .entry(vec![key[0].clone(), SNAPSHOT_KEYS[0].into()])
            .or_default() += n;
    }
    for (key, n) in population.by_place() {
        *counts
            .entry(vec![key[0].clone(), SNAPSHOT_KEYS[1].into()])
            .or_default() += n;
    }
    let mut def = def.clone();
    def.title = def
        .title
        .replace("{vorher}", &previous.reference_date.to_german())
        .replace("{aktuell}", &current.to_german());
    if !previous.published {
        return Some(count_into(&def, dims, &counts, &["raum", "bestand"]));
    }
    def.notes.push(PUBLISHED_PREVIOUS_NOTE.to_owned());
    let table: Result<Table, TabulateError> = (|| {
        let mut builder = crate::tabulate::Table::builder(&def, &dims.all)?;
        let order: Vec<String> = builder.key_order().iter().map(|s| s.to_string()).collect();
        for (key, n) in &counts {
            let keys: Vec<&str> = order
                .iter()
                .map(|d| {
                    if d == "raum" {
                        key[0].as_str()
                    } else {
                        key[1].as_str()
                    }
                })
                .collect();
            builder.add_count(&keys, *n)?;
        }
        for key in &previous.without_value {
            builder.mark_gap("raum", key)?;
        }
        Ok(builder.finish())
    })();
    // A layout finer than the Stadtteil cannot take the published numbers: left out.
    table.ok().map(Ok)
}

/// Residents and refugees side by side by place, with the refugee share as a derived column.
pub fn refugee_share(
    def: &TableDef,
    dims: &Dimensions,
    population: &PopulationCounts,
    refugees: &RefugeeCounts,
) -> Result<Table, TabulateError> {
    let mut counts = Counter::new();
    for (key, n) in population.by_place() {
        *counts
            .entry(vec![key[0].clone(), "einwohner".into()])
            .or_default() += n;
    }
    for (key, n) in refugees.by_place() {
        *counts
            .entry(vec![key[0].clone(), "gefluechtete".into()])
            .or_default() += n;
    }
    count_into(def, dims, &counts, &["raum", "einwohner"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::BirthDate;

    fn born(month: u8, day: u8) -> BirthDate {
        BirthDate {
            year: 1990,
            month,
            day,
        }
    }

    #[test]
    fn divers_and_ohne_angabe_go_by_the_birth_month() {
        assert_eq!(assigned_sex(Sex::Male, born(2, 1)), "m");
        assert_eq!(assigned_sex(Sex::Female, born(1, 1)), "w");
        for sex in [Sex::Diverse, Sex::Unspecified] {
            assert_eq!(assigned_sex(sex, born(1, 10)), "m", "January");
            assert_eq!(assigned_sex(sex, born(12, 9)), "w", "December");
            // Month unknown: the day decides; both unknown: männlich.
            assert_eq!(assigned_sex(sex, born(0, 7)), "m");
            assert_eq!(assigned_sex(sex, born(0, 8)), "w");
            assert_eq!(assigned_sex(sex, born(0, 0)), "m");
        }
    }
}
