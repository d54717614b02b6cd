//! CSV export, one file per table, for German spreadsheet programs: UTF-8 with byte order
//! mark, `;` as delimiter, CRLF line ends, decimal comma, counts without thousands separators.
//!
//! Layout: title, one line per source (register and Stichtag or period), the Stichtag and the
//! publisher; an empty line; the header row(s) (one per column dimension, the last one naming
//! the row dimensions; a row dimension with levels has a column "Übergeordnet" before it) and the data
//! rows; an empty line; the rule applied with its result, the legend and footnotes.
//!
//! Formula injection: every text field (title, labels, notes) that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so no spreadsheet
//! program evaluates it. Values are written by Lagebild itself (digits, "–", ".", "x").

use super::{ExportMeta, Layout, plain, source_lines};
use crate::protect::{LEGEND, ProtectedTable};
use std::collections::HashMap;

use crate::tabulate::{Position, Role};

/// Byte order mark of UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Prefixes `'` to text a spreadsheet would take for a formula.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// Quotes a field if it contains the delimiter, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn line(out: &mut Vec<u8>, fields: &[String]) {
    let joined: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.extend_from_slice(joined.join(";").as_bytes());
    out.extend_from_slice(b"\r\n");
}

fn text_line(out: &mut Vec<u8>, text: &str) {
    line(out, &[neutralise(text)]);
}

/// The CSV file of one protected table. A row axis with levels (Stadtbezirk > Stadtteil) gets
/// a column "Übergeordnet" before its labels: the label of the row's parent (the Stadtbezirk
/// of a Stadtteil), empty for the top level and sums, so rows can be filtered and pivoted.
pub fn table(table: &ProtectedTable, meta: &ExportMeta) -> Vec<u8> {
    let layout = Layout::of(table);
    let mut out = BOM.to_vec();
    text_line(&mut out, table.title());
    for line in source_lines(table) {
        text_line(&mut out, &line);
    }
    text_line(&mut out, &format!("Stichtag: {}", meta.reference_text()));
    for line in meta.publisher.lines() {
        text_line(&mut out, &line);
    }
    out.extend_from_slice(b"\r\n");
    let levelled: Vec<bool> = table
        .row_axes()
        .iter()
        .map(|a| a.positions().iter().any(|p| p.depth > 0))
        .collect();
    let parents: HashMap<*const Position, &str> = table
        .row_axes()
        .iter()
        .flat_map(|axis| {
            let positions = axis.positions();
            positions
                .iter()
                .filter(|s| s.role == Role::Subtotal)
                .flat_map(move |s| {
                    s.parts.iter().filter_map(move |&i| {
                        positions
                            .get(i)
                            .map(|child| (child as *const Position, s.label.as_str()))
                    })
                })
        })
        .collect();
    let last_header = layout.header.len().saturating_sub(1);
    for (h, header) in layout.header.iter().enumerate() {
        let mut fields = Vec::with_capacity(header.len() + levelled.len());
        for (c, text) in header.iter().enumerate() {
            if levelled.get(c).copied().unwrap_or(false) {
                fields.push(if h == last_header {
                    "Übergeordnet".to_owned()
                } else {
                    String::new()
                });
            }
            fields.push(neutralise(text));
        }
        line(&mut out, &fields);
    }
    for (labels, &r) in layout.rows.iter().zip(&layout.table_rows) {
        let positions = table.row_positions(r);
        let mut fields = Vec::with_capacity(labels.len() + levelled.len() + table.n_cols());
        for (c, (text, _)) in labels.iter().enumerate() {
            if levelled.get(c).copied().unwrap_or(false) {
                let parent = positions
                    .get(c)
                    .and_then(|p| parents.get(&(*p as *const Position)))
                    .copied()
                    .unwrap_or_default();
                fields.push(neutralise(parent));
            }
            fields.push(neutralise(text));
        }
        for c in 0..table.n_cols() {
            fields.push(plain(table.cell(r, c), 0));
        }
        for (k, d) in table.derived_columns().iter().enumerate() {
            fields.push(plain(table.derived(r, k), d.decimals));
        }
        line(&mut out, &fields);
    }
    out.extend_from_slice(b"\r\n");
    text_line(
        &mut out,
        &format!("Geheimhaltung: {}", table.report().text()),
    );
    text_line(&mut out, &format!("Zeichenerklärung: {LEGEND}"));
    for note in table.notes() {
        text_line(&mut out, &format!("Anmerkung: {note}"));
    }
    text_line(&mut out, &format!("Erstellt mit Lagebild {}", meta.version));
    out
}
