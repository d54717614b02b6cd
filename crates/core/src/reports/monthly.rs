//! Table 1 of the standard set: the monthly AsylbLG series in the layout of the office's table
//! "Entwicklung der Flüchtlingszahlen", and cases per month. Missing months are gaps ("x").

use crate::classify::pks::PksMapping;
use crate::classify::series::Series;
use crate::records::YearMonth;
use crate::tabulate::{Table, TableDef, TabulateError};

use super::dimensions::Dimensions;
use super::{Counter, count_into};

/// Name of the universe of the AsylbLG recipients per month ([`crate::protect::Release`]):
/// the series and the table by PKS are checked together in it.
pub const UNIVERSE: &str = "asylblg";
/// The dimensions of its keys: the persons of the last month also by area, sex and age group
/// (for the Kreuztabelle), the other months with these keys empty.
pub const DIMS: [&str; 6] = [
    "monat",
    "spalte",
    "pks",
    "raum",
    "geschlecht",
    "fl_altersgruppe",
];
/// Dimensions tied by the published mapping: a code lies in exactly one column.
pub const TIES: [(&str, &str); 1] = [("spalte", "pks")];

/// The persons of the published series by month, column and code: months counted from the
/// AKDN exports (`from_exports`) by their code (the month of `detail` also by area, sex and
/// age group), months of the office's table by column only (the code unknown: an empty key).
/// Persons whose code the mapping lacks are in no column, as in the series.
pub fn counts_by_code(
    series: &Series,
    from_exports: impl Fn(YearMonth) -> bool,
    mapping: &PksMapping,
    detail: Option<&MonthDetail>,
) -> Counter {
    let mut counts = Counter::new();
    let mut add = |key: Vec<String>, n: u64| {
        let mut key = key;
        key.resize(DIMS.len(), String::new());
        *counts.entry(key).or_default() += n;
    };
    for row in &series.rows {
        let Some(cells) = row.counts else {
            continue;
        };
        let month = row.month.to_string();
        let exported = from_exports(row.month);
        if let Some(detail) = detail.filter(|d| d.month == row.month && exported) {
            for (key, n) in &detail.persons {
                let mut full = vec![month.clone()];
                full.extend(key.iter().cloned());
                add(full, *n);
            }
            continue;
        }
        match series.month_codes.get(&row.month).filter(|_| exported) {
            Some(codes) => {
                for (code, n) in codes {
                    if let Some(entry) = mapping.get(code) {
                        let column = mapping.column_key(entry).to_owned();
                        add(vec![month.clone(), column, code.clone()], *n);
                    }
                }
            }
            None => {
                for (i, column) in series.columns.keys().into_iter().enumerate() {
                    let n = cells.get(i);
                    if n > 0 {
                        add(vec![month.clone(), column.to_owned()], n);
                    }
                }
            }
        }
    }
    counts
}

/// The persons of one AKDN month one by one, as the series counts them (each person once,
/// only codes the mapping knows): `[spalte, pks, raum, geschlecht, fl_altersgruppe]` ->
/// persons. The age is taken on the first day of the month.
#[derive(Clone, Debug)]
pub struct MonthDetail {
    /// The month.
    pub month: YearMonth,
    /// Keys (without the month) -> persons.
    pub persons: Counter,
}

impl MonthDetail {
    /// The persons of `month` in the loaded AKDN exports, located with `index` (without a
    /// Gliederung every address counts as not located).
    pub fn compute(
        dataset: &crate::import::Dataset,
        index: &crate::locate::AddressIndex,
        config: &super::ReportConfig,
        month: YearMonth,
    ) -> MonthDetail {
        use super::keys::{UNKNOWN_KEY, age_group_index, baublock_key, sex_key};
        let rows = super::linked::recipients_of(dataset, month, &config.pks);
        let (located, _) = index.locate_all(&dataset.pool, rows.iter().map(|r| &r.address));
        let day = month.first_day();
        let mut persons = Counter::new();
        for (r, place) in rows.iter().zip(located) {
            let Some(entry) = config.pks.get(dataset.pool.get(r.pks)) else {
                continue;
            };
            let age = r
                .birth_date
                .age_on(day)
                .and_then(|a| age_group_index(&config.age_groups, Some(a)))
                .map_or_else(|| UNKNOWN_KEY.to_owned(), |g| format!("a{g:02}"));
            let key = vec![
                config.pks.column_key(entry).to_owned(),
                entry.code.clone(),
                baublock_key(&index.geography, place),
                sex_key(r.sex.unwrap_or(crate::records::Sex::Unspecified)).to_owned(),
                age,
            ];
            *persons.entry(key).or_default() += 1;
        }
        MonthDetail { month, persons }
    }

    /// True if the persons add up to `codes` (the series' persons of the month by code).
    pub fn agrees_with(&self, codes: &std::collections::BTreeMap<String, u64>) -> bool {
        let mut mine: std::collections::BTreeMap<&str, u64> = Default::default();
        for (key, n) in &self.persons {
            *mine.entry(key[1].as_str()).or_default() += n;
        }
        let theirs: std::collections::BTreeMap<&str, u64> = codes
            .iter()
            .filter(|(c, _)| c.as_str() != crate::classify::series::UNKNOWN_PKS_KEY)
            .map(|(c, n)| (c.as_str(), *n))
            .collect();
        mine == theirs
    }
}

/// The persons of `month` by PKS (the layout's `pks` axis), from [`counts_by_code`]; the
/// placeholder `{monat}` in the title becomes the month (`10/2026`).
pub fn by_code(
    def: &TableDef,
    dims: &Dimensions,
    counts: &Counter,
    month: YearMonth,
) -> Result<Table, TabulateError> {
    let key = month.to_string();
    let filtered: Counter = counts
        .iter()
        .filter(|(k, _)| k[0] == key)
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    let mut def = def.clone();
    def.title = def
        .title
        .replace("{monat}", &format!("{:02}/{}", month.month, month.year));
    count_into(&def, dims, &filtered, &DIMS)
}

/// Persons per month by benefit and group.
pub fn persons(def: &TableDef, dims: &Dimensions, series: &Series) -> Result<Table, TabulateError> {
    let mut builder = Table::builder(def, &dims.all)?;
    let order: Vec<String> = builder.key_order().iter().map(|s| s.to_string()).collect();
    for row in &series.rows {
        let month = row.month.to_string();
        let Some(counts) = row.counts else {
            builder.mark_gap("monat", &month)?;
            continue;
        };
        for (i, column) in series.columns.keys().into_iter().enumerate() {
            let n = counts.get(i);
            let keys: Vec<&str> = order
                .iter()
                .map(|d| if d == "monat" { month.as_str() } else { column })
                .collect();
            builder.add_count(&keys, n)?;
        }
    }
    Ok(builder.finish())
}

/// Cases (distinct case numbers) per month.
pub fn cases(def: &TableDef, dims: &Dimensions, series: &Series) -> Result<Table, TabulateError> {
    let mut builder = Table::builder(def, &dims.all)?;
    for row in &series.cases {
        let month = row.month.to_string();
        match row.cases {
            Some(n) => builder.add_count(&[month.as_str()], n)?,
            None => builder.mark_gap("monat", &month)?,
        }
    }
    Ok(builder.finish())
}
