//! "Zuordnung prüfen": for a file whose required columns are missing or whose source was not
//! recognised (or not with certainty), its headers with the shape of their first value (never
//! the value), the field each is mapped to now and every field it could be mapped to
//! ([`need`]); and the editor's state and rules ([`MappingDraft`]).
//!
//! The columns are read with the importer's own machinery: its container detection, limits,
//! sheet choice, header row and mappings, so the editor shows the header the import used.

use serde::{Deserialize, Serialize};

use super::error::ImportError;
use super::grid::{Row, RowSource};
use super::mapping::{ColumnMapping, HeaderResolver, MappingSet, missing_fields};
use super::values::value_shape;
use super::{
    Container, Field, FieldCatalog, HEADER_SEARCH_ROWS, ImportReport, Importer, SourceKind, decode,
    read_head, sniff_container, text, widest_row,
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

impl FieldChoice {
    /// German label for a choice list: the field's name, marked if it is required.
    pub fn label(&self) -> String {
        if self.required {
            format!("{} (Pflicht)", self.field.label())
        } else {
            self.field.label().to_owned()
        }
    }
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

/// The mapping editor's view of a file imported by `importer` from `bytes` with `report`, if
/// its import failed for want of a mapping or its source was not recognised with certainty.
pub fn need(report: &ImportReport, bytes: &[u8], importer: &Importer) -> Option<MappingNeed> {
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
    let sample = importer
        .header_sample(&report.file_name, bytes, report.sheet.as_deref(), source)
        .ok()??;
    let resolver = HeaderResolver::new(&importer.catalog, &importer.aliases, &importer.mappings);
    let by_source: Vec<(SourceKind, Vec<Option<Field>>)> = SourceKind::ALL
        .iter()
        .map(|&s| (s, resolver.map_row(s, &sample.header)))
        .collect();
    let field_of = |s: SourceKind, i: usize| {
        by_source
            .iter()
            .find(|(k, _)| *k == s)
            .and_then(|(_, fields)| fields.get(i).copied().flatten())
    };
    let columns = sample
        .header
        .cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| !cell.is_blank())
        .map(|(i, cell)| ColumnChoice {
            header: cell.as_text().trim().to_owned(),
            shape: sample.shape(i),
            field: source.and_then(|s| field_of(s, i)),
            by_source: SourceKind::ALL
                .iter()
                .map(|&s| (s, field_of(s, i)))
                .collect(),
        })
        .collect();
    Some(MappingNeed {
        source,
        reason,
        columns,
        fields: field_choices(&importer.catalog),
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

/// The header row of a file and the first row with a value below it.
struct HeaderSample {
    header: Row,
    first_value: Option<Row>,
}

impl HeaderSample {
    /// The shape of the first value in column `i`, empty if there is none.
    fn shape(&self, i: usize) -> String {
        self.first_value
            .as_ref()
            .and_then(|r| r.cells.get(i))
            .filter(|c| !c.is_blank())
            .map(|c| value_shape(&c.as_text()))
            .unwrap_or_default()
    }
}

impl Importer {
    /// The header row the import takes in the file `name` (in `sheet`, else the first sheet,
    /// of a spreadsheet) for `source` (or, without one, the row it names for a file of unknown
    /// source), read with the import's container detection and limits; `None` for map
    /// geometry or a file without a header.
    fn header_sample(
        &self,
        name: &str,
        bytes: &[u8],
        sheet: Option<&str>,
        source: Option<SourceKind>,
    ) -> Result<Option<HeaderSample>, ImportError> {
        let sample = |rows: &mut dyn RowSource| self.sample_rows(rows, source);
        match sniff_container(name, bytes) {
            Container::GeoJson => Ok(None),
            Container::Sheet(format) => {
                let mut repacked = Vec::new();
                let mut workbook = self.open_workbook(bytes, format, &mut repacked)?;
                let Some(sheet) = sheet
                    .map(str::to_owned)
                    .or_else(|| workbook.sheet_names().into_iter().next())
                else {
                    return Ok(None);
                };
                workbook.with_rows(&sheet, sample)
            }
            Container::Schild => {
                let (text, _) = decode::decode(bytes)?;
                sample(&mut text::DelimitedRows::schild(&text))
            }
            Container::Text => {
                let (text, _) = decode::decode(bytes)?;
                let delimiter = text::sniff_delimiter(&text);
                sample(&mut text::DelimitedRows::csv(&text, delimiter))
            }
        }
    }

    /// The header row of `rows` as the import finds it, and the first row with a value below.
    fn sample_rows(
        &self,
        rows: &mut dyn RowSource,
        source: Option<SourceKind>,
    ) -> Result<Option<HeaderSample>, ImportError> {
        let mut head = read_head(rows)?;
        let index = match source {
            Some(source) => self.find_header(&head, Some(source)).map(|c| c.index),
            None => widest_row(&head),
        };
        let Some(index) = index else {
            return Ok(None);
        };
        if head[index].cells.len() > self.limits.max_columns {
            return Err(ImportError::TooManyColumns {
                columns: head[index].cells.len(),
                limit: self.limits.max_columns,
            });
        }
        let mut first_value = head.drain(index + 1..).find(|r| !r.is_blank());
        let mut row = Row::default();
        let mut more = 0;
        while first_value.is_none() && more < HEADER_SEARCH_ROWS && rows.next_row(&mut row)? {
            more += 1;
            if !row.is_blank() {
                first_value = Some(std::mem::take(&mut row));
            }
        }
        Ok(Some(HeaderSample {
            header: head.swap_remove(index),
            first_value,
        }))
    }
}

/// The state of the mapping editor for one file: the source chosen and the field chosen for
/// each column, with the rules of the import.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingDraft {
    need: MappingNeed,
    source: SourceKind,
    chosen: Vec<Option<Field>>,
}

impl MappingDraft {
    /// The editor's start: the source the file was taken for (else Meldewesen) and each
    /// column's current field.
    pub fn new(need: MappingNeed) -> Self {
        let source = need.source.unwrap_or(SourceKind::Meldewesen);
        let chosen = need.columns.iter().map(|c| c.field).collect();
        MappingDraft {
            need,
            source,
            chosen,
        }
    }

    /// The file's columns.
    pub fn columns(&self) -> &[ColumnChoice] {
        &self.need.columns
    }

    /// The source chosen.
    pub fn source(&self) -> SourceKind {
        self.source
    }

    /// The field chosen for column `column`.
    pub fn field(&self, column: usize) -> Option<Field> {
        self.chosen.get(column).copied().flatten()
    }

    /// Chooses another source; each column starts from what it is known as for that source
    /// (saved mapping or known header).
    pub fn choose_source(&mut self, source: SourceKind) {
        self.source = source;
        self.chosen = self
            .need
            .columns
            .iter()
            .map(|c| {
                c.by_source
                    .iter()
                    .find(|(s, _)| *s == source)
                    .and_then(|(_, f)| *f)
            })
            .collect();
    }

    /// Maps column `column` to `field` (`None`: the column is not taken).
    pub fn set_field(&mut self, column: usize, field: Option<Field>) {
        if let Some(slot) = self.chosen.get_mut(column) {
            *slot = field;
        }
    }

    /// Maps column `column` to the field of choice number `choice` of [`Self::options`]
    /// (`None` or an unknown number: the column is not taken).
    pub fn set_choice(&mut self, column: usize, choice: Option<usize>) {
        let field = choice
            .and_then(|k| self.need.fields.get(k))
            .map(|c| c.field);
        self.set_field(column, field);
    }

    /// The fields of the chosen source, each with its choice number.
    pub fn options(&self) -> impl Iterator<Item = (usize, &FieldChoice)> {
        self.need
            .fields
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.source == self.source)
    }

    /// The fields the import needs that no column is mapped to yet, by the import's own rule
    /// (required fields, and the street of a Gliederung).
    pub fn missing_required(&self) -> Vec<Field> {
        let required = self
            .need
            .fields
            .iter()
            .filter(|c| c.source == self.source && c.required)
            .map(|c| c.field);
        missing_fields(self.source, required, &self.chosen)
    }

    /// German sentence on the required fields: all mapped, or which are not yet.
    pub fn missing_message(&self) -> String {
        let missing = self.missing_required();
        if missing.is_empty() {
            "Alle Pflichtmerkmale sind zugeordnet.".to_owned()
        } else {
            let names: Vec<String> = missing.iter().map(|f| format!("„{}“", f.label())).collect();
            format!("Noch nicht zugeordnet: {}.", names.join(", "))
        }
    }

    /// The mapping chosen: every column's header with its field, for the chosen source.
    pub fn to_mapping(&self) -> ColumnMapping {
        ColumnMapping {
            source: Some(self.source),
            columns: self
                .need
                .columns
                .iter()
                .map(|c| c.header.clone())
                .zip(self.chosen.iter().copied())
                .collect(),
        }
    }

    /// Saves the mapping chosen into `set`, replacing the one saved for the same source.
    pub fn save_into(&self, set: &mut MappingSet) {
        set.mappings.retain(|m| m.source != Some(self.source));
        set.mappings.push(self.to_mapping());
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::import::values::NationalityTable;
    use crate::import::{Dataset, ImportOptions, Limits};

    /// The report of importing `bytes` as `name` and the editor's view of it.
    fn need_of(
        importer: &Importer,
        name: &str,
        bytes: &[u8],
    ) -> (ImportReport, Option<MappingNeed>) {
        let mut dataset = Dataset::default();
        let report = importer
            .import(&mut dataset, name, bytes, &ImportOptions::default())
            .report
            .clone();
        let need = need(&report, bytes, importer);
        (report, need)
    }

    fn headers(need: &MappingNeed) -> Vec<&str> {
        need.columns.iter().map(|c| c.header.as_str()).collect()
    }

    /// An ODS archive with one table per `(name, rows)`, every cell a string.
    fn ods(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
        let mut body = String::new();
        for (name, rows) in sheets {
            body.push_str(&format!(r#"<table:table table:name="{name}">"#));
            for row in *rows {
                body.push_str("<table:table-row>");
                for cell in *row {
                    body.push_str(&format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{cell}</text:p></table:table-cell>"#
                    ));
                }
                body.push_str("</table:table-row>");
            }
            body.push_str("</table:table>");
        }
        super::super::ods_scan::ods_archive(&body)
    }

    #[test]
    fn an_ods_file_with_unknown_columns_gets_the_editor() {
        let bytes = ods(&[(
            "Daten",
            &[
                &["Lfd", "Bezeichnung", "Datum"],
                &["17", "Nordpark", "03.04.2024"],
            ],
        )]);
        let importer = Importer::default();
        let (report, need) = need_of(&importer, "Liste.ods", &bytes);
        // The import names the header, not the widest data row below it.
        let Some(ImportError::UnknownSource { headers: named }) = &report.error else {
            panic!("{:?}", report.error);
        };
        assert_eq!(named, &["Lfd", "Bezeichnung", "Datum"]);
        let need = need.expect("the editor for an ODS file");
        assert_eq!(need.source, None);
        assert_eq!(headers(&need), ["Lfd", "Bezeichnung", "Datum"]);
        let shapes: Vec<&str> = need.columns.iter().map(|c| c.shape.as_str()).collect();
        assert_eq!(shapes, ["99", "Aaaaaaaa", "99.99.9999"]);
    }

    #[test]
    fn a_gliederung_without_a_street_column_is_missing_the_street() {
        let csv = "Gasse;Hausnummer;Baublock;Stadtteil;Stadtbezirk\r\n\
                   Amselweg;4;101;Altstadt;Mitte\r\n";
        let importer = Importer::default();
        let (report, need) = need_of(&importer, "Gliederung.csv", csv.as_bytes());
        let Some(ImportError::MissingFields {
            source, missing, ..
        }) = &report.error
        else {
            panic!("{:?}", report.error);
        };
        assert_eq!(*source, SourceKind::Gliederung);
        let mut draft = MappingDraft::new(need.expect("the editor"));
        assert_eq!(draft.source(), SourceKind::Gliederung);
        // The editor and the import name the same missing fields.
        assert_eq!(&draft.missing_required(), missing);
        assert_eq!(draft.missing_required(), [Field::Street]);
        assert_eq!(draft.missing_message(), "Noch nicht zugeordnet: „Straße“.");

        // The Straßenschlüssel may stand in for the street, as in the import.
        draft.set_field(0, Some(Field::StreetKey));
        assert!(draft.missing_required().is_empty());
        draft.set_field(0, Some(Field::Street));
        assert_eq!(
            draft.missing_message(),
            "Alle Pflichtmerkmale sind zugeordnet."
        );

        // Applied, the mapping lets the import read the file.
        let mut mappings = MappingSet::default();
        draft.save_into(&mut mappings);
        let importer = importer_with(mappings);
        let (report, need) = need_of(&importer, "Gliederung.csv", csv.as_bytes());
        assert_eq!(report.error, None);
        assert_eq!(report.rows_accepted, 1);
        assert_eq!(need, None);
    }

    #[test]
    fn the_header_row_the_import_chooses_is_shown_not_a_wider_title_row() {
        let csv = "Einwohner;Stand 31.10.2026;Amt 12;Seite 1;vertraulich;Blatt 3\r\n\
                   Name;Vorname;Geburtsdatum;Geschlecht\r\n\
                   Müller;Hans;03.04.1961;m\r\n";
        let (report, need) = need_of(&Importer::default(), "Liste.csv", csv.as_bytes());
        assert_eq!(report.header_row, 2, "{:?}", report.error);
        let need = need.expect("the editor");
        assert_eq!(
            headers(&need),
            ["Name", "Vorname", "Geburtsdatum", "Geschlecht"]
        );
        assert_eq!(need.columns[2].shape, "99.99.9999");
    }

    #[test]
    fn the_header_on_a_later_sheet_the_import_reads_is_shown() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let notes = workbook.add_worksheet();
        notes.set_name("Hinweise").unwrap();
        for (col, text) in ["Export", "aus", "dem", "Meldewesen", "vom", "Oktober"]
            .into_iter()
            .enumerate()
        {
            notes.write_string(0, col as u16, text).unwrap();
        }
        let data = workbook.add_worksheet();
        data.set_name("Daten").unwrap();
        for (row, cells) in [
            ["Name", "Vorname", "Geburtsdatum", "Geschlecht"],
            ["Müller", "Hans", "03.04.1961", "m"],
        ]
        .into_iter()
        .enumerate()
        {
            for (col, text) in cells.into_iter().enumerate() {
                data.write_string(row as u32, col as u16, text).unwrap();
            }
        }
        let bytes = workbook.save_to_buffer().unwrap();
        let (report, need) = need_of(&Importer::default(), "Liste.xlsx", &bytes);
        assert_eq!(report.sheet.as_deref(), Some("Daten"), "{:?}", report.error);
        let need = need.expect("the editor");
        assert_eq!(
            headers(&need),
            ["Name", "Vorname", "Geburtsdatum", "Geschlecht"]
        );
    }

    /// An importer with `mappings` and the shipped catalog, codes and limits.
    fn importer_with(mappings: MappingSet) -> Importer {
        Importer::new(
            FieldCatalog::default_catalog(),
            mappings,
            NationalityTable::default_table(),
            Limits::default(),
        )
    }

    #[test]
    fn a_mapping_saved_without_a_source_is_shown() {
        let csv = "Gasse;Hausnummer;Baublock;Stadtteil;Bezirk\r\nAmselweg;4;101;Altstadt;Mitte\r\n";
        let mappings = MappingSet::from_json(r#"{"columns":{"Gasse":"street"}}"#).unwrap();
        let importer = importer_with(mappings);
        let (report, need) = need_of(&importer, "Gliederung.csv", csv.as_bytes());
        assert!(
            matches!(&report.error, Some(ImportError::MissingFields { missing, .. }) if missing == &[Field::Stadtbezirk]),
            "{:?}",
            report.error
        );
        let need = need.expect("the editor");
        assert_eq!(need.columns[0].field, Some(Field::Street));
        let draft = MappingDraft::new(need);
        assert_eq!(draft.missing_required(), [Field::Stadtbezirk]);
    }

    #[test]
    fn shapes_show_the_form_of_the_first_value_never_the_value() {
        let csv = "Bericht Oktober\r\nName;Geb.;Wohnort\r\nMüller;03.04.1961;Bismarckstr. 12\r\n";
        let (_, need) = need_of(&Importer::default(), "Liste.csv", csv.as_bytes());
        let need = need.expect("the editor");
        assert_eq!(headers(&need), ["Name", "Geb.", "Wohnort"]);
        assert_eq!(need.columns[1].shape, "99.99.9999");
        for column in &need.columns {
            assert!(
                !column.shape.contains("Müller")
                    && !column.shape.contains("1961")
                    && !column.shape.contains("Bismarck"),
                "{}",
                column.shape
            );
        }
    }

    #[test]
    fn a_source_recognised_without_certainty_is_confirmed_in_the_editor() {
        let csv = "Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;\
                   Hausnummer;Wohnungsstatus;Aufenthaltsart;Erteilungsgrund;gültig bis\r\n\
                   Haddad;Ahmad;15.06.1987;m;syrisch;Bismarckstraße;12;H;Aufenthaltserlaubnis;\
                   § 25 Abs. 2 AufenthG;31.12.2027\r\n";
        let (report, need) = need_of(&Importer::default(), "Export.csv", csv.as_bytes());
        assert_eq!(report.error, None);
        let need = need.expect("the editor");
        assert!(
            need.reason.contains("passt aber auch zu"),
            "{}",
            need.reason
        );
        assert_eq!(need.columns.len(), 11);
        let mut draft = MappingDraft::new(need);
        draft.choose_source(SourceKind::Meldewesen);
        assert_eq!(
            draft.missing_message(),
            "Alle Pflichtmerkmale sind zugeordnet."
        );
    }

    #[test]
    fn choosing_another_source_starts_from_its_known_fields() {
        let csv = "Name;Vorname;Geburtsdatum;Geschlecht\r\nMüller;Hans;03.04.1961;m\r\n";
        let (_, need) = need_of(&Importer::default(), "Liste.csv", csv.as_bytes());
        let mut draft = MappingDraft::new(need.expect("the editor"));
        draft.choose_source(SourceKind::Gliederung);
        assert_eq!(draft.source(), SourceKind::Gliederung);
        assert!((0..4).all(|i| draft.field(i).is_none()));
        assert!(
            draft
                .options()
                .all(|(_, c)| c.source == SourceKind::Gliederung)
        );
        let (k, stadtteil) = draft
            .options()
            .find(|(_, c)| c.field == Field::Stadtteil)
            .map(|(k, c)| (k, c.label()))
            .unwrap();
        assert_eq!(stadtteil, "Stadtteil (Pflicht)");
        draft.set_choice(1, Some(k));
        draft.set_choice(2, Some(usize::MAX));
        let mapping = draft.to_mapping();
        assert_eq!(mapping.source, Some(SourceKind::Gliederung));
        assert_eq!(mapping.columns["Vorname"], Some(Field::Stadtteil));
        assert_eq!(mapping.columns["Geburtsdatum"], None);
        assert_eq!(mapping.columns.len(), 4);
    }
}
