//! "Zuordnung prüfen": for a file whose required columns are missing or whose
//! source was not recognised, its headers with the shape of their first value (never the
//! value), the field each is mapped to now, and every field it could be mapped to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::ImportError;
use super::fields::normalize_header;
use super::grid::{Row, RowSource};
use super::sheet::{SheetFormat, Workbook};
use super::values::value_shape;
use super::{
    Field, FieldCatalog, ImportReport, Importer, Limits, MappingSet, SourceKind, decode, limits,
    text,
};

/// A column of a file that needs a mapping: its header, the shape of its first value (digits
/// as 9, letters as A/a; never the value) and the field it is mapped to now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnChoice {
    /// Header as written in the file.
    pub header: String,
    /// Shape of the first value below the header, empty if none.
    pub shape: String,
    /// Field the column is mapped to now.
    pub field: Option<Field>,
    /// The field the column would be taken as for each source (saved mapping or known
    /// header), so choosing another source suggests its fields.
    pub by_source: Vec<(SourceKind, Option<Field>)>,
}

/// A field a column can be mapped to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChoice {
    /// Source the field belongs to.
    pub source: SourceKind,
    /// The field.
    pub field: Field,
    /// Whether files of the source need it.
    pub required: bool,
}

/// Why and how a file's columns should be checked ("Zuordnung prüfen").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MappingNeed {
    /// The source the file was taken for, if any.
    pub source: Option<SourceKind>,
    /// German reason (required fields missing, source not recognised, detection unsure).
    pub reason: String,
    /// The file's columns.
    pub columns: Vec<ColumnChoice>,
    /// Every field of every tabular source.
    pub fields: Vec<FieldChoice>,
}

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// The mapping editor's view of a file, if its import failed for want of a mapping or its
/// source was not recognised with certainty.
pub fn need(report: &ImportReport, bytes: &[u8], importer: &Importer) -> Option<MappingNeed> {
    let catalog = importer.catalog();
    let mappings = importer.mappings();
    let (source, reason) = match report.error.as_ref() {
        // Read, but the columns fit another source just as well: the analyst confirms.
        None => {
            let detection = report.detection.as_ref()?;
            if detection.chosen_by_user || detection.confidence >= 1.0 {
                return None;
            }
            (
                Some(detection.source),
                format!(
                    "Die Quelle ist nicht sicher erkannt ({}). Eingelesen wurde die Datei als {}; \
                     wählen Sie die richtige Quelle und prüfen Sie die Zuordnung.",
                    detection.reason,
                    detection.source.label()
                ),
            )
        }
        Some(ImportError::MissingFields {
            source, missing, ..
        }) => (
            Some(*source),
            format!(
                "Pflichtspalten fehlen: {}.",
                missing
                    .iter()
                    .map(|f| format!("„{}“", f.label()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Some(ImportError::UnknownSource { .. }) => (
            None,
            "Die Quelle wurde an den Spaltenüberschriften nicht erkannt.".to_owned(),
        ),
        Some(_) => return None,
    };
    let sample = header_and_shapes(bytes).ok()?;
    let aliases = catalog.alias_index();
    let columns = sample
        .into_iter()
        .map(|(header, shape)| {
            let field = source.and_then(|s| current_field(s, &header, &aliases, mappings));
            let by_source = SourceKind::ALL
                .iter()
                .map(|&s| (s, current_field(s, &header, &aliases, mappings)))
                .collect();
            ColumnChoice {
                header,
                shape,
                field,
                by_source,
            }
        })
        .collect();
    Some(MappingNeed {
        source,
        reason,
        columns,
        fields: field_choices(catalog),
    })
}

/// Every field of every tabular source, in catalog order.
pub fn field_choices(catalog: &FieldCatalog) -> Vec<FieldChoice> {
    SourceKind::ALL
        .iter()
        .flat_map(|&source| {
            catalog.of(source).map(move |spec| FieldChoice {
                source,
                field: spec.field,
                required: spec.required,
            })
        })
        .collect()
}

fn current_field(
    source: SourceKind,
    header: &str,
    aliases: &BTreeMap<(SourceKind, String), Field>,
    mappings: &MappingSet,
) -> Option<Field> {
    let normalized = normalize_header(header);
    let user = mappings.for_source(source).and_then(|mapping| {
        mapping
            .columns
            .iter()
            .find(|(h, _)| normalize_header(h) == normalized)
    });
    if let Some((_, field)) = user {
        return *field;
    }
    aliases.get(&(source, normalized)).copied()
}

/// The header row (the first of the widest rows among the first rows) and the shape of the
/// first value below each header.
pub fn header_and_shapes(bytes: &[u8]) -> Result<Vec<(String, String)>, ImportError> {
    // The same checks as the import (archive sizes; XLS records and a clean container).
    let rows = if bytes.starts_with(b"PK") {
        limits::check_zip(bytes, &Limits::default())?;
        let mut workbook = Workbook::open(bytes, SheetFormat::Xlsx)?;
        first_rows_of_workbook(&mut workbook)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let repacked = limits::check_xls(bytes, &Limits::default())?;
        let mut workbook = Workbook::open(&repacked, SheetFormat::Xls)?;
        first_rows_of_workbook(&mut workbook)?
    } else {
        let (text, _) = decode::decode(bytes)?;
        let delimiter = text::sniff_delimiter(&text);
        let mut source = text::DelimitedRows::csv(&text, delimiter);
        first_rows(&mut source)?
    };
    Ok(shapes(&rows))
}

fn first_rows_of_workbook(workbook: &mut Workbook<'_>) -> Result<Vec<Row>, ImportError> {
    let Some(sheet) = workbook.sheet_names().into_iter().next() else {
        return Ok(Vec::new());
    };
    workbook.with_rows(&sheet, |source| first_rows(source))
}

fn first_rows(source: &mut dyn RowSource) -> Result<Vec<Row>, ImportError> {
    let mut rows = Vec::new();
    let mut row = Row::default();
    while rows.len() <= HEADER_SEARCH_ROWS && source.next_row(&mut row)? {
        rows.push(std::mem::take(&mut row));
    }
    Ok(rows)
}

fn filled(row: &Row) -> usize {
    row.cells.iter().filter(|c| !c.is_blank()).count()
}

fn shapes(rows: &[Row]) -> Vec<(String, String)> {
    let widest = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(filled)
        .max()
        .unwrap_or(0);
    let Some(header_index) = rows.iter().position(|r| widest > 0 && filled(r) == widest) else {
        return Vec::new();
    };
    let header = &rows[header_index];
    let first_value = rows[header_index + 1..].iter().find(|r| !r.is_blank());
    header
        .cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| !cell.is_blank())
        .map(|(i, cell)| {
            let shape = first_value
                .and_then(|r| r.cells.get(i))
                .filter(|c| !c.is_blank())
                .map(|c| value_shape(&c.as_text()))
                .unwrap_or_default();
            (cell.as_text().trim().to_owned(), shape)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_show_the_form_of_the_first_value_never_the_value() {
        let csv = "Bericht Oktober\r\nName;Geb.;Wohnort\r\nMüller;03.04.1961;Bismarckstr. 12\r\n";
        let shapes = header_and_shapes(csv.as_bytes()).unwrap_or_default();
        assert_eq!(shapes.len(), 3);
        assert_eq!(shapes[0].0, "Name");
        assert_eq!(shapes[1], ("Geb.".to_owned(), "99.99.9999".to_owned()));
        for (_, shape) in &shapes {
            assert!(
                !shape.contains("Müller") && !shape.contains("1961"),
                "{shape}"
            );
        }
    }
}
