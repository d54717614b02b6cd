//! CSV export, one file per table, for German spreadsheet programs: UTF-8 with byte order
//! mark, `;` as delimiter, CRLF line ends, decimal comma, counts without thousands separators.
//!
//! Layout: title and one line per source (register and Stichtag or period); an empty line; the header row(s) (one per
//! column dimension, the last one naming the row dimensions) and the data rows; an empty line;
//! the rule applied with its result, the legend and footnotes.
//!
//! Formula injection: every text field (title, labels, notes) that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so no spreadsheet
//! program evaluates it. Values are written by Lagebild itself (digits, "–", ".", "x").

use super::{ExportMeta, Layout, plain, source_lines};
use crate::protect::{LEGEND, ProtectedTable};

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

/// The CSV file of one protected table.
pub fn table(table: &ProtectedTable, meta: &ExportMeta) -> Vec<u8> {
    let layout = Layout::of(table);
    let mut out = BOM.to_vec();
    text_line(&mut out, table.title());
    for line in source_lines(table) {
        text_line(&mut out, &line);
    }
    out.extend_from_slice(b"\r\n");
    for header in &layout.header {
        let fields: Vec<String> = header.iter().map(|t| neutralise(t)).collect();
        line(&mut out, &fields);
    }
    for (r, labels) in layout.rows.iter().enumerate() {
        let mut fields: Vec<String> = labels.iter().map(|(t, _)| neutralise(t)).collect();
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
