//! Tables 2 and 3 of the standard set: refugees of the current ALW snapshot by category and
//! sub-category (legal basis) and by Stadtbezirk, Stadtteil and Baublock; counted also by
//! sex, age group, nationality (the largest groups among the refugees, the others as
//! "übrige") and year of arrival, for the Kreuztabelle and further tables of the same
//! universe.

use crate::classify::Category;
use crate::classify::rules::OTHER_LEGAL_BASES;
use crate::classify::snapshot::{Snapshot, SnapshotOptions};
use crate::import::{Dataset, Records};
use crate::locate::{AddressIndex, BaublockId};
use crate::records::{Date, Foreigner, Origin};
use crate::tabulate::{Table, TableDef, TabulateError};

use super::dimensions::Dimensions;
use super::keys::{
    FIRST_ARRIVAL_YEAR, OTHER_NATIONALITIES_KEY, UNKNOWN_KEY, age_group_index, arrival_year_key,
    assigned_sex, sex_key, top_nationalities,
};
use super::keys::{baublock_key, sub_category_key};
use super::{Counter, Quality, ReportConfig, count_into, current_snapshot};

/// Refugees counted by Baublock and sub-category.
#[derive(Clone, Debug)]
pub struct RefugeeCounts {
    /// Stichtag of the ALW snapshot.
    pub reference_date: Option<Date>,
    /// Keys in the order of [`DIMS`] -> persons.
    pub counts: Counter,
    /// The largest nationalities among the refugees: (key, label), from the code list.
    pub top_nationalities: Vec<(String, String)>,
    /// The classification of the snapshot (for the quality view).
    pub snapshot: Snapshot,
    /// Index of the ALW snapshot file in the dataset.
    pub file: usize,
    /// The snapshot's records after removing exact duplicates, in the order of
    /// [`Snapshot::records`]: index into the file's records and Baublock found (for the
    /// linked tables).
    pub records: Vec<(u32, Option<BaublockId>)>,
    /// Per class of [`Snapshot::classes`]: its `kategorie` key (empty for non-refugees).
    class_keys: Vec<String>,
}

/// Pairs of dimensions tied by a published rule: the assigned sex follows the sex (checked
/// strictly where both are shown), the form of protection follows the sub-category (the
/// rules file names it).
pub const TIES: [(&str, &str); 2] = [
    ("geschlecht", "geschlecht_zugeordnet"),
    ("kategorie", "schutzstatus"),
];

/// Pairs of dimensions where the first determines the second by a published rule: the
/// rules file names the form of protection of each legal basis.
pub const FUNCTIONS: [(&str, &str); 1] = [("kategorie", "schutzstatus")];

/// The dimensions the refugees are counted by, in key order.
pub const DIMS: [&str; 8] = [
    "raum",
    "kategorie",
    "geschlecht",
    "fl_altersgruppe",
    "fl_staatsangehoerigkeit",
    "einreisejahr",
    "geschlecht_zugeordnet",
    "schutzstatus",
];

impl RefugeeCounts {
    /// Classifies and locates the current ALW snapshot; `None` without ALW files.
    pub fn compute(
        dataset: &Dataset,
        index: &AddressIndex,
        config: &ReportConfig,
        quality: &mut Quality,
    ) -> Option<RefugeeCounts> {
        let rules = &config.rules;
        let file = current_snapshot(dataset, |r| matches!(r, Records::Alw(_)))?;
        let file_index = dataset.files.iter().position(|f| std::ptr::eq(f, file))?;
        let Records::Alw(all) = &file.records else {
            return None;
        };
        quality.alw = Some((file.report.file_name.clone(), file.report.reference_date));
        let pool = &dataset.pool;
        let (kept, repeated) = super::distinct_persons(
            all,
            |f| f.azr_number,
            |f| Foreigner {
                origin: Origin::default(),
                ..f.clone()
            },
        );
        let records: Vec<&Foreigner> = kept.iter().filter_map(|&i| all.get(i as usize)).collect();
        quality.alw_duplicates = repeated;
        let snapshot = Snapshot::compute(
            pool,
            records.iter().copied(),
            rules,
            SnapshotOptions {
                reference_date: file.report.reference_date,
                ..SnapshotOptions::default()
            },
        );
        quality.unclassified = snapshot.unclassified();
        quality.needs_mapping = snapshot.needs_mapping.clone();
        quality.switch_effects = snapshot.switch_effects.clone();
        let (located, report) = index.locate_all(pool, records.iter().map(|f| &f.address));
        quality.located_foreigners = report;
        // A sub-category the rules do not name in advance (a paragraph of a range rule) is
        // counted as "übrige Rechtsgrundlagen": the rows come from the rules, never from
        // what the records hold.
        let named = rules.refugee_sub_categories();
        let (class_keys, class_forms): (Vec<String>, Vec<&str>) = snapshot
            .classes
            .iter()
            .map(|class| match class.category.filter(|c| c.is_refugee()) {
                Some(category) => {
                    let sub = if named.contains(&(category, class.sub_category.clone())) {
                        class.sub_category.as_str()
                    } else {
                        OTHER_LEGAL_BASES
                    };
                    let form = rules.protection_form(category, sub).map_or("", |f| f.key());
                    (sub_category_key(category.code(), sub), form)
                }
                None => (String::new(), ""),
            })
            .collect();
        let reference = file.report.reference_date;
        let last_year = reference.map_or(FIRST_ARRIVAL_YEAR, |d| d.year);
        let counted: Vec<(usize, &str, &str)> = located
            .iter()
            .enumerate()
            .filter_map(|(i, _)| {
                let result = snapshot.records.get(i).filter(|r| r.counted)?;
                let class = result.class as usize;
                let key = class_keys.get(class).filter(|k| !k.is_empty())?;
                Some((
                    i,
                    key.as_str(),
                    class_forms.get(class).copied().unwrap_or(""),
                ))
            })
            .collect();
        // The largest nationalities among the refugees, named from the code list only.
        let (top_nationalities, top) =
            top_nationalities(counted.iter().map(|&(i, _, _)| records[i].nationality));
        let mut counts = Counter::new();
        for (i, key, form) in counted {
            let f = records[i];
            let age = reference
                .and_then(|d| f.birth_date.age_on(d))
                .and_then(|age| age_group_index(&config.age_groups, Some(age)))
                .map_or_else(|| UNKNOWN_KEY.to_owned(), |g| format!("a{g:02}"));
            let nationality = match f.nationality {
                Some(code) if top.contains(&code) => format!("{:03}", code.0),
                _ => OTHER_NATIONALITIES_KEY.to_owned(),
            };
            let key = vec![
                baublock_key(&index.geography, located[i]),
                key.to_owned(),
                sex_key(f.sex).to_owned(),
                age,
                nationality,
                arrival_year_key(f.entry_date, last_year),
                assigned_sex(f.sex, f.birth_date).to_owned(),
                form.to_owned(),
            ];
            *counts.entry(key).or_default() += 1;
        }
        Some(RefugeeCounts {
            reference_date: file.report.reference_date,
            counts,
            top_nationalities,
            snapshot,
            file: file_index,
            records: kept.into_iter().zip(located).collect(),
            class_keys,
        })
    }

    /// The category and the `kategorie` key (category and sub-category) of the `i`-th record of
    /// [`Self::records`]: `None` if the record is not counted or not classified; the key is
    /// empty for categories that are not refugees.
    pub fn category(&self, i: usize) -> Option<(Category, String)> {
        let result = self.snapshot.records.get(i).filter(|r| r.counted)?;
        let class = self.snapshot.classes.get(result.class as usize)?;
        let category = class.category?;
        let key = self.class_keys.get(result.class as usize)?.clone();
        Some((category, key))
    }

    /// What the dimensions take from the refugees: their largest nationalities and the last
    /// year of arrival (the Stichtag's).
    pub fn found(&self) -> super::dimensions::FoundRefugees {
        super::dimensions::FoundRefugees {
            nationalities: self.top_nationalities.clone(),
            last_arrival_year: self
                .reference_date
                .map_or(FIRST_ARRIVAL_YEAR, |d| d.year.max(FIRST_ARRIVAL_YEAR)),
        }
    }

    /// Refugees by `raum` key.
    pub fn by_place(&self) -> Counter {
        let mut out = Counter::new();
        for (key, n) in &self.counts {
            *out.entry(vec![key[0].clone()]).or_default() += n;
        }
        out
    }

    /// Counts the refugees into a table whose axes are `raum` and/or `kategorie`.
    pub fn table(&self, def: &TableDef, dims: &Dimensions) -> Result<Table, TabulateError> {
        count_into(def, dims, &self.counts, &DIMS)
    }
}
