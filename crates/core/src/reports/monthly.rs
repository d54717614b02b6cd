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
/// The dimensions of its keys.
pub const DIMS: [&str; 3] = ["monat", "spalte", "pks"];
/// Dimensions tied by the published mapping: a code lies in exactly one column.
pub const TIES: [(&str, &str); 1] = [("spalte", "pks")];

/// The persons of the published series by month, column and code: months counted from the
/// AKDN exports (`from_exports`) by their code, months of the office's table by column only
/// (the code unknown: an empty key). Persons whose code the mapping lacks are in no column,
/// as in the series.
pub fn counts_by_code(
    series: &Series,
    from_exports: impl Fn(YearMonth) -> bool,
    mapping: &PksMapping,
) -> Counter {
    let mut counts = Counter::new();
    for row in &series.rows {
        let Some(cells) = row.counts else {
            continue;
        };
        let month = row.month.to_string();
        match series
            .month_codes
            .get(&row.month)
            .filter(|_| from_exports(row.month))
        {
            Some(codes) => {
                for (code, n) in codes {
                    if let Some(entry) = mapping.get(code) {
                        *counts
                            .entry(vec![
                                month.clone(),
                                entry.column().key().to_owned(),
                                code.clone(),
                            ])
                            .or_default() += n;
                    }
                }
            }
            None => {
                for (column, n) in [
                    ("p2_geduldete", cells.p2_geduldete),
                    ("p2_asylbewerber", cells.p2_asylbewerber),
                    ("p3_asylbewerber", cells.p3_asylbewerber),
                    ("p3_geduldete", cells.p3_geduldete),
                    ("sonstige", cells.sonstige),
                ] {
                    if n > 0 {
                        counts.insert(vec![month.clone(), column.to_owned(), String::new()], n);
                    }
                }
            }
        }
    }
    counts
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
        for (column, n) in [
            ("p2_geduldete", counts.p2_geduldete),
            ("p2_asylbewerber", counts.p2_asylbewerber),
            ("p3_asylbewerber", counts.p3_asylbewerber),
            ("p3_geduldete", counts.p3_geduldete),
            ("sonstige", counts.sonstige),
        ] {
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
