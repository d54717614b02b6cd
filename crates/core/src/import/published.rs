//! A workbook Lagebild released before, read back as a source of published numbers: the
//! residents per Stadtteil of last week's "Bevölkerung aktuell", for the change since then
//! when last week's Meldewesen export is no longer at hand. Recognised by its sheet
//! "Metadaten" (report "Lagebild – Standardbericht"); read from the table "Einwohner nach
//! Stadtteil und Geschlecht", column "Insgesamt". Only published values are taken: "–" is
//! 0, a suppressed (".") or merged row has no value.

use super::grid::{Cell, Row, RowSource};
use super::sheet::Workbook;
use super::{ImportError, values};
use crate::records::Date;

/// The report title in the sheet "Metadaten" of a Lagebild workbook.
pub const REPORT: &str = "Lagebild – Standardbericht";
/// The title of the table read.
pub const TABLE_TITLE: &str = "Bevölkerung aktuell: Einwohner nach Stadtteil und Geschlecht";

/// The residents per area of a released workbook, as published.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublishedResidents {
    /// Stichtag of the released report.
    pub reference_date: Option<Date>,
    /// Every row of the table in order (Stadtbezirke, Stadtteile, the total).
    pub rows: Vec<PublishedRow>,
}

/// One row of a released table.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedRow {
    /// The row label (an area name of the Gliederung, or names joined by " + " where the
    /// table merged areas).
    pub label: String,
    /// The published residents; `None` if suppressed, not meaningful or not a number.
    pub value: Option<u64>,
}

/// True if `workbook` is one Lagebild released (its sheet "Metadaten" names the report).
pub fn is_lagebild_workbook(workbook: &mut Workbook<'_>) -> Result<bool, ImportError> {
    if !workbook.sheet_names().iter().any(|s| s == "Metadaten") {
        return Ok(false);
    }
    let rows = rows_of(workbook, "Metadaten", 40)?;
    Ok(rows
        .iter()
        .any(|r| text(r, 0) == "Bericht" && text(r, 1).starts_with("Lagebild")))
}

/// Reads the residents per area of a Lagebild workbook; an error in German if the table is
/// missing.
pub fn read(workbook: &mut Workbook<'_>) -> Result<PublishedResidents, ImportError> {
    let meta = rows_of(workbook, "Metadaten", 40)?;
    let reference_date = meta
        .iter()
        .find(|r| text(r, 0) == "Stichtag")
        .and_then(|r| r.cells.get(1))
        .and_then(|c| values::date(c).ok());
    for sheet in workbook.sheet_names() {
        let rows = rows_of(workbook, &sheet, 100_000)?;
        if rows.first().is_none_or(|r| text(r, 0) != TABLE_TITLE) {
            continue;
        }
        let Some(header) = rows
            .iter()
            .position(|r| r.cells.iter().any(|c| cell_text(c) == "Insgesamt"))
        else {
            break;
        };
        let column = rows[header]
            .cells
            .iter()
            .position(|c| cell_text(c) == "Insgesamt")
            .unwrap_or(0);
        let body = rows[header + 1..]
            .iter()
            .take_while(|r| !r.is_blank())
            .map(|r| PublishedRow {
                label: text(r, 0),
                value: r.cells.get(column).and_then(published_value),
            })
            .collect();
        return Ok(PublishedResidents {
            reference_date,
            rows: body,
        });
    }
    Err(ImportError::BrokenSpreadsheet {
        detail: format!(
            "Lagebild-Arbeitsmappe ohne die Tabelle „{TABLE_TITLE}“: für die Veränderung zur \
             Vorwoche wird die Arbeitsmappe des Standardberichts gebraucht"
        ),
    })
}

/// A published cell as a number: a count, "–" as 0; `None` for ".", "x" and anything else.
fn published_value(cell: &Cell) -> Option<u64> {
    match cell {
        Cell::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as u64),
        Cell::Text(t) if t.trim() == "–" => Some(0),
        _ => None,
    }
}

fn rows_of(
    workbook: &mut Workbook<'_>,
    sheet: &str,
    limit: usize,
) -> Result<Vec<Row>, ImportError> {
    workbook.with_rows(sheet, |source: &mut dyn RowSource| {
        let mut out = Vec::new();
        let mut row = Row::default();
        while out.len() < limit && source.next_row(&mut row)? {
            out.push(row.clone());
        }
        Ok(out)
    })
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.trim().to_owned(),
        _ => String::new(),
    }
}

fn text(row: &Row, i: usize) -> String {
    row.cells.get(i).map(cell_text).unwrap_or_default()
}
