//! Table 1 of the standard set: the monthly AsylbLG series in the layout of the office's table
//! "Entwicklung der Flüchtlingszahlen", and cases per month. Missing months are gaps ("x").

use crate::classify::series::Series;
use crate::tabulate::{Table, TableDef, TabulateError};

use super::dimensions::Dimensions;

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
