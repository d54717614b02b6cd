//! A first pass over the `content.xml` of an ODS file, before calamine reads it: how many cells
//! calamine will hold per sheet once it has expanded the repetitions (`number-rows-repeated`,
//! `number-columns-repeated`: an 11 KB file can ask for a million rows), and which cells span
//! several rows (`number-rows-spanned`, which calamine reads as empty cells below the first).
//! Only attributes are looked at; no cell value is kept.

use std::io::Cursor;

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ImportError;

/// Rows and columns calamine 0.38 caps a sheet at.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Bytes calamine holds per cell of a sheet's range: the value (`calamine::Data`) and the
/// formula text (`String`), one range of each.
pub const BYTES_PER_CELL: u64 =
    (std::mem::size_of::<calamine::Data>() + std::mem::size_of::<String>()) as u64;

/// One sheet of an ODS file as calamine will hold it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OdsSheet {
    /// Name of the sheet.
    pub name: String,
    /// Rows of its range (first to last row with a value, repetitions expanded).
    pub rows: u64,
    /// Columns of its range.
    pub columns: u64,
    /// Cells that span rows, as calamine dimensions (0-based, inclusive).
    pub spans: Vec<Dimensions>,
}

impl OdsSheet {
    /// Cells of the range calamine allocates.
    pub fn cells(&self) -> u64 {
        self.rows.saturating_mul(self.columns)
    }
}

fn broken(detail: impl std::fmt::Display) -> ImportError {
    ImportError::BrokenSpreadsheet {
        detail: format!("Inhalt der ODS-Datei nicht lesbar ({detail})"),
    }
}

/// The numeric value of attribute `key` of `e` (1 if absent or unreadable).
fn count_attr(e: &BytesStart<'_>, key: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// True if calamine reads a value (or a formula) from the cell: a value attribute, a string
/// type (its text is the value) or a formula.
fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| match a.key.as_ref() {
        "office:value"
        | "office:string-value"
        | "office:date-value"
        | "office:time-value"
        | "office:boolean-value"
        | "table:formula" => true,
        "office:value-type" => a.value == "string",
        _ => false,
    })
}

/// Scans `content.xml` of an ODS archive.
pub fn scan(bytes: &[u8]) -> Result<Vec<OdsSheet>, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    let entry = archive.by_name("content.xml").map_err(broken)?;
    let mut reader = Reader::from_reader(std::io::BufReader::new(entry));
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut sheet: Option<OdsSheet> = None;
    // Per sheet: next row index, first and last row with a value, column extent.
    let mut row = 0u64;
    let (mut first, mut last) = (None::<u64>, 0u64);
    let (mut col_min, mut col_max) = (u64::MAX, 0u64);
    // Per row: its repetitions, next column, value extent.
    let mut repeats = 1u64;
    let mut col = 0u64;
    let mut row_cols: Option<(u64, u64)> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(broken)?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" => {
                    let name = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "table:name")
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    sheet = Some(OdsSheet {
                        name,
                        ..OdsSheet::default()
                    });
                    (row, first, last, col_min, col_max) = (0, None, 0, u64::MAX, 0);
                }
                "table:table-row" => {
                    repeats = count_attr(&e, "table:number-rows-repeated")
                        .min(MAX_ROWS.saturating_sub(row));
                    col = 0;
                    row_cols = None;
                    if empty {
                        row = row.saturating_add(repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = count_attr(&e, "table:number-columns-repeated")
                        .min(MAX_COLUMNS.saturating_sub(col));
                    if n > 0 && has_value(&e) {
                        let (lo, hi) = row_cols.unwrap_or((col, col));
                        row_cols = Some((lo.min(col), hi.max(col + n - 1)));
                        let spanned = count_attr(&e, "table:number-rows-spanned");
                        if let (Some(s), true) = (sheet.as_mut(), spanned > 1) {
                            for c in col..col + n {
                                s.spans.push(Dimensions {
                                    start: (row as u32, c as u32),
                                    end: ((row + spanned - 1).min(MAX_ROWS - 1) as u32, c as u32),
                                });
                            }
                        }
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some((lo, hi)) = row_cols {
                    first.get_or_insert(row);
                    last = row + repeats - 1;
                    col_min = col_min.min(lo);
                    col_max = col_max.max(hi);
                }
                row = row.saturating_add(repeats);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(mut s) = sheet.take() {
                    if let Some(first) = first {
                        s.rows = last + 1 - first;
                        s.columns = col_max + 1 - col_min;
                    }
                    sheets.push(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

/// The manifest calamine asks for in an ODS archive.
#[cfg(test)]
const TEST_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

/// An ODS archive (mimetype, manifest, content) whose spreadsheet holds `tables` (the
/// `<table:table>` elements), for tests of the import.
#[cfg(test)]
pub(crate) fn ods_archive(tables: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(TEST_MANIFEST.as_bytes()).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ODS archive with `body` as the content of its only table.
    pub(crate) fn ods(body: &str) -> Vec<u8> {
        ods_archive(&format!(
            r#"<table:table table:name="Daten">{body}</table:table>"#
        ))
    }

    fn cell(text: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    }

    #[test]
    fn repetitions_are_counted_as_calamine_expands_them() {
        let body = format!(
            r#"<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
            cell("a"),
            cell("b")
        );
        let sheets = scan(&ods(&body)).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!((sheets[0].rows, sheets[0].columns), (1_000_001, 3));
        assert_eq!(sheets[0].cells(), 3_000_003);
    }

    #[test]
    fn trailing_empty_rows_and_cells_cost_nothing() {
        let body = format!(
            r#"<table:table-row>{}<table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
            cell("a")
        );
        let sheets = scan(&ods(&body)).unwrap();
        assert_eq!((sheets[0].rows, sheets[0].columns), (1, 1));
    }

    #[test]
    fn cells_spanning_rows_are_found() {
        let body = format!(
            r#"<table:table-row>{}<table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>Duldung</text:p></table:table-cell></table:table-row><table:table-row>{}<table:covered-table-cell/></table:table-row><table:table-row>{}<table:covered-table-cell/></table:table-row>"#,
            cell("a"),
            cell("b"),
            cell("c")
        );
        let sheets = scan(&ods(&body)).unwrap();
        assert_eq!(
            sheets[0].spans,
            [Dimensions {
                start: (0, 1),
                end: (2, 1)
            }]
        );
    }
}
