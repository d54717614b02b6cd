//! Tables 2 and 3 of the standard set: refugees of the current ALW snapshot by category and
//! sub-category (legal basis) and by Stadtbezirk, Stadtteil and Baublock.

use crate::classify::Category;
use crate::classify::rules::{OTHER_LEGAL_BASES, Rules};
use crate::classify::snapshot::{Snapshot, SnapshotOptions};
use crate::import::{Dataset, Records};
use crate::locate::{AddressIndex, BaublockId};
use crate::records::{Date, Foreigner, Origin};
use crate::tabulate::{Table, TableDef, TabulateError};

use super::dimensions::Dimensions;
use super::keys::{baublock_key, sub_category_key};
use super::{Counter, Quality, count_into, current_snapshot};

/// Refugees counted by Baublock and sub-category.
#[derive(Clone, Debug)]
pub struct RefugeeCounts {
    /// Stichtag of the ALW snapshot.
    pub reference_date: Option<Date>,
    /// (raum key, kategorie key) -> persons.
    pub counts: Counter,
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

/// The dimensions the refugees are counted by, in key order.
pub const DIMS: [&str; 2] = ["raum", "kategorie"];

impl RefugeeCounts {
    /// Classifies and locates the current ALW snapshot; `None` without ALW files.
    pub fn compute(
        dataset: &Dataset,
        index: &AddressIndex,
        rules: &Rules,
        quality: &mut Quality,
    ) -> Option<RefugeeCounts> {
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
        let (located, report) = index.locate_all(pool, records.iter().map(|f| &f.address));
        quality.located_foreigners = report;
        // A sub-category the rules do not name in advance (a paragraph of a range rule) is
        // counted as "übrige Rechtsgrundlagen": the rows come from the rules, never from
        // what the records hold.
        let named = rules.refugee_sub_categories();
        let class_keys: Vec<String> = snapshot
            .classes
            .iter()
            .map(|class| match class.category.filter(|c| c.is_refugee()) {
                Some(category) => {
                    let sub = if named.contains(&(category, class.sub_category.clone())) {
                        class.sub_category.as_str()
                    } else {
                        OTHER_LEGAL_BASES
                    };
                    sub_category_key(category.code(), sub)
                }
                None => String::new(),
            })
            .collect();
        let mut counts = Counter::new();
        for (i, place) in located.iter().enumerate() {
            let Some(result) = snapshot.records.get(i).filter(|r| r.counted) else {
                continue;
            };
            let Some(key) = class_keys
                .get(result.class as usize)
                .filter(|k| !k.is_empty())
            else {
                continue;
            };
            let key = vec![baublock_key(&index.geography, *place), key.clone()];
            *counts.entry(key).or_default() += 1;
        }
        Some(RefugeeCounts {
            reference_date: file.report.reference_date,
            counts,
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
