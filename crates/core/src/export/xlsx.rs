//! XLSX export (rust_xlsxwriter): a sheet "Inhalt" linking to every table, one sheet per table,
//! and a sheet "Metadaten".
//!
//! Each table sheet: title, its sources (register and Stichtag or period), the rule applied with its result, the legend,
//! an empty row, the header row(s) and the data rows (frozen below the header and right of the
//! labels), footnotes and a link back to "Inhalt". Counts are numbers with the format `#,##0`
//! (Excel and LibreOffice show German separators under a German locale), percentages are
//! fractions with the format `0.0 %`, per mille values numbers with `0.0 "‰"`; ".", "–" and
//! "x" are right-aligned text. Margin rows are bold, hierarchy levels indented.
//!
//! The workbook's creation date is the reference date, so the same tables give the same bytes.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet,
    XlsxError,
};

use super::{AUDIT_CRITERION, ExportError, ExportMeta, Layout, source_lines};
use crate::protect::{LEGEND, ProtectedTable, Published};
use crate::tabulate::RatioUnit;

/// Rows of a worksheet.
const MAX_ROWS: usize = 1_048_576;
/// Columns of a worksheet.
const MAX_COLS: usize = 16_384;
/// Characters of a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Characters of a sheet name.
const MAX_SHEET_NAME: usize = 31;
/// Name of the contents sheet.
pub const CONTENTS_SHEET: &str = "Inhalt";
/// Name of the metadata sheet.
pub const METADATA_SHEET: &str = "Metadaten";

fn err(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

fn clip(text: &str) -> String {
    if text.chars().count() > MAX_CELL_CHARS {
        let mut s: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
        s.push('…');
        s
    } else {
        text.to_owned()
    }
}

/// Sheet names for the tables: "1 Titel…", at most 31 characters, none of `[]:*?/\`, unique
/// (case-insensitive, also against "Inhalt" and "Metadaten").
pub fn sheet_names(tables: &[ProtectedTable]) -> Vec<String> {
    let mut taken: Vec<String> = vec![CONTENTS_SHEET.to_lowercase(), METADATA_SHEET.to_lowercase()];
    let mut names = Vec::with_capacity(tables.len());
    for (i, table) in tables.iter().enumerate() {
        let cleaned: String = table
            .title()
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let base = format!("{} {}", i + 1, cleaned.trim_matches('\''));
        let mut name: String = base.chars().take(MAX_SHEET_NAME).collect();
        name = name.trim_end_matches([' ', '\'']).to_owned();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let keep = MAX_SHEET_NAME.saturating_sub(suffix.chars().count());
            name = format!(
                "{}{suffix}",
                base.chars()
                    .take(keep)
                    .collect::<String>()
                    .trim_end_matches([' ', '\''])
            );
            n += 1;
        }
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}

fn internal_link(sheet: &str) -> Url {
    Url::new(format!("internal:'{}'!A1", sheet.replace('\'', "''")))
}

struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    label: Vec<Format>,
    label_bold: Vec<Format>,
    count: Format,
    count_bold: Format,
    symbol: Format,
    symbol_bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let label = |bold: bool| -> Vec<Format> {
            (0u8..8)
                .map(|depth| {
                    let f = Format::new().set_indent(depth);
                    if bold { f.set_bold() } else { f }
                })
                .collect()
        };
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border_bottom(FormatBorder::Thin),
            label: label(false),
            label_bold: label(true),
            count: Format::new().set_num_format("#,##0"),
            count_bold: Format::new().set_num_format("#,##0").set_bold(),
            symbol: Format::new().set_align(FormatAlign::Right),
            symbol_bold: Format::new().set_align(FormatAlign::Right).set_bold(),
        }
    }
}

fn ratio_format(unit: RatioUnit, decimals: u8, bold: bool) -> Format {
    let places = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(usize::from(decimals)))
    };
    let code = match unit {
        RatioUnit::Percent => format!("0{places} %"),
        RatioUnit::PerMille => format!("0{places} \"‰\""),
    };
    let f = Format::new().set_num_format(code);
    if bold { f.set_bold() } else { f }
}

/// Writes a published value; ratios are written as the spreadsheet expects them (percent as a
/// fraction).
fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Published,
    ratio: &Format,
    formats: &Formats,
    bold: bool,
) -> Result<(), XlsxError> {
    let (count, symbol) = if bold {
        (&formats.count_bold, &formats.symbol_bold)
    } else {
        (&formats.count, &formats.symbol)
    };
    match value {
        Published::Value(n) => sheet.write_number_with_format(row, col, n as f64, count)?,
        Published::Percent(x) => sheet.write_number_with_format(row, col, x / 100.0, ratio)?,
        Published::PerMille(x) => sheet.write_number_with_format(row, col, x, ratio)?,
        other => {
            sheet.write_string_with_format(row, col, other.symbol().unwrap_or_default(), symbol)?
        }
    };
    Ok(())
}

/// The first row of the table header on a table sheet: after the title, the sources, the
/// rule, the legend and an empty row.
pub fn header_row(table: &ProtectedTable) -> usize {
    source_lines(table).len() + 4
}

fn table_sheet(
    sheet: &mut Worksheet,
    table: &ProtectedTable,
    formats: &Formats,
) -> Result<(), ExportError> {
    let layout = Layout::of(table);
    let n_value_cols = table.n_cols() + table.derived_columns().len();
    let columns = layout.label_cols + n_value_cols;
    let first = header_row(table);
    let rows = first + layout.header.len() + layout.rows.len() + table.notes().len() + 3;
    if rows > MAX_ROWS || columns > MAX_COLS {
        return Err(ExportError::TooLarge {
            table: table.title().to_owned(),
            rows,
            columns,
        });
    }
    // Bounds checked above, so these conversions cannot fail.
    let r32 = |r: usize| u32::try_from(r).unwrap_or(u32::MAX);
    let c16 = |c: usize| u16::try_from(c).unwrap_or(u16::MAX);

    sheet
        .write_string_with_format(0, 0, clip(table.title()), &formats.title)
        .map_err(err)?;
    let sources = source_lines(table);
    for (i, line) in sources.iter().enumerate() {
        sheet.write_string(r32(1 + i), 0, clip(line)).map_err(err)?;
    }
    let after_sources = 1 + sources.len();
    sheet
        .write_string(
            r32(after_sources),
            0,
            clip(&format!("Geheimhaltung: {}", table.report().text())),
        )
        .map_err(err)?;
    sheet
        .write_string(
            r32(after_sources + 1),
            0,
            format!("Zeichenerklärung: {LEGEND}"),
        )
        .map_err(err)?;

    for (h, line) in layout.header.iter().enumerate() {
        for (c, text) in line.iter().enumerate() {
            sheet
                .write_string_with_format(r32(first + h), c16(c), clip(text), &formats.header)
                .map_err(err)?;
        }
    }
    let data = first + layout.header.len();
    let ratio_formats: Vec<(Format, Format)> = table
        .derived_columns()
        .iter()
        .map(|d| {
            (
                ratio_format(d.unit, d.decimals, false),
                ratio_format(d.unit, d.decimals, true),
            )
        })
        .collect();
    for (r, labels) in layout.rows.iter().enumerate() {
        let bold = layout.margin_rows.get(r).copied().unwrap_or(false);
        let row = r32(data + r);
        for (c, (text, depth)) in labels.iter().enumerate() {
            let set = if bold {
                &formats.label_bold
            } else {
                &formats.label
            };
            let format = set
                .get(usize::from(*depth))
                .or(set.last())
                .unwrap_or(&formats.bold);
            sheet
                .write_string_with_format(row, c16(c), clip(text), format)
                .map_err(err)?;
        }
        for c in 0..table.n_cols() {
            write_value(
                sheet,
                row,
                c16(layout.label_cols + c),
                table.cell(r, c),
                &formats.count,
                formats,
                bold,
            )
            .map_err(err)?;
        }
        for (k, (plain, strong)) in ratio_formats.iter().enumerate() {
            write_value(
                sheet,
                row,
                c16(layout.label_cols + table.n_cols() + k),
                table.derived(r, k),
                if bold { strong } else { plain },
                formats,
                bold,
            )
            .map_err(err)?;
        }
    }
    let mut after = data + layout.rows.len() + 1;
    for note in table.notes() {
        sheet
            .write_string(r32(after), 0, clip(&format!("Anmerkung: {note}")))
            .map_err(err)?;
        after += 1;
    }
    sheet
        .write_url_with_text(r32(after), 0, internal_link(CONTENTS_SHEET), "Zum Inhalt")
        .map_err(err)?;

    sheet
        .set_freeze_panes(r32(data), c16(layout.label_cols))
        .map_err(err)?;
    // Widths: labels as wide as the longest label (plus indentation), values as wide as their
    // header (wrapped beyond 16 characters) or their longest number.
    for c in 0..layout.label_cols {
        let longest = layout
            .rows
            .iter()
            .filter_map(|labels| labels.get(c))
            .map(|(t, depth)| t.chars().count() + 2 * usize::from(*depth))
            .chain(
                layout
                    .header
                    .iter()
                    .filter_map(|h| h.get(c))
                    .map(|t| t.chars().count()),
            )
            .max()
            .unwrap_or(10);
        sheet
            .set_column_width(c16(c), longest.clamp(12, 60) as f64 + 1.0)
            .map_err(err)?;
    }
    for c in 0..n_value_cols {
        let header = layout
            .header
            .iter()
            .filter_map(|h| h.get(layout.label_cols + c))
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(8);
        sheet
            .set_column_width(c16(layout.label_cols + c), header.clamp(9, 16) as f64 + 2.0)
            .map_err(err)?;
    }
    Ok(())
}

fn contents_sheet(
    sheet: &mut Worksheet,
    tables: &[ProtectedTable],
    names: &[String],
    meta: &ExportMeta,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, clip(&meta.title), &formats.title)?;
    sheet.write_string(1, 0, format!("Stichtag: {}", meta.reference_text()))?;
    sheet.write_string(2, 0, format!("Erstellt mit Lagebild {}", meta.version))?;
    sheet.write_string_with_format(4, 0, "Nr.", &formats.header)?;
    sheet.write_string_with_format(4, 1, "Tabelle", &formats.header)?;
    sheet.write_string_with_format(4, 2, "Geheimhaltung", &formats.header)?;
    let mut row = 5u32;
    for (i, (table, name)) in tables.iter().zip(names).enumerate() {
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_url_with_text(row, 1, internal_link(name), clip(table.title()))?;
        sheet.write_string(row, 2, clip(&table.report().text()))?;
        row += 1;
    }
    sheet.write_url_with_text(row, 1, internal_link(METADATA_SHEET), "Metadaten")?;
    sheet.write_string(row + 2, 0, format!("Zeichenerklärung: {LEGEND}"))?;
    sheet.write_string(
        row + 3,
        0,
        "Die Datei enthält nur zusammengefasste, geheimgehaltene Tabellen; keine Einzeldaten.",
    )?;
    sheet.set_column_width(0, 6)?;
    let longest = tables
        .iter()
        .map(|t| t.title().chars().count())
        .max()
        .unwrap_or(20);
    sheet.set_column_width(1, longest.clamp(20, 80) as f64 + 2.0)?;
    sheet.set_column_width(2, 100)?;
    sheet.set_freeze_panes(5, 0)?;
    Ok(())
}

fn metadata_sheet(
    sheet: &mut Worksheet,
    tables: &[ProtectedTable],
    meta: &ExportMeta,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, "Metadaten", &formats.title)?;
    sheet.write_string_with_format(2, 0, "Angabe", &formats.header)?;
    sheet.write_string_with_format(2, 1, "Wert", &formats.header)?;
    let mut entries: Vec<(String, String)> = vec![
        ("Bericht".into(), meta.title.clone()),
        ("Stichtag".into(), meta.reference_text()),
        ("Lagebild-Version".into(), meta.version.clone()),
        ("Geheimhaltung".into(), meta.protection.describe()),
        ("Prüfkriterium".into(), AUDIT_CRITERION.into()),
        ("Zeichenerklärung".into(), LEGEND.into()),
    ];
    let sources = super::sources_of(tables);
    if sources.is_empty() {
        entries.push(("Quelle".into(), "keine angegeben".into()));
    }
    for source in &sources {
        entries.push(("Quelle".into(), source.describe()));
    }
    for rule in &meta.rules {
        entries.push(("Regel / Zuordnung".into(), rule.clone()));
    }
    entries.push((
        "Hinweis".into(),
        "Nur zusammengefasste, geheimgehaltene Tabellen; keine Einzeldaten, keine Adressen, \
         keine Namen, keine Geburtsdaten."
            .into(),
    ));
    for (i, (key, value)) in entries.iter().enumerate() {
        let row = u32::try_from(3 + i).unwrap_or(u32::MAX);
        sheet.write_string_with_format(row, 0, clip(key), &formats.bold)?;
        sheet.write_string(row, 1, clip(value))?;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 110)?;
    Ok(())
}

/// The workbook of a set of protected tables: "Inhalt", one sheet per table, "Metadaten".
pub fn workbook(tables: &[ProtectedTable], meta: &ExportMeta) -> Result<Vec<u8>, ExportError> {
    let formats = Formats::new();
    let names = sheet_names(tables);
    let mut workbook = Workbook::new();
    // Excel dates start in 1900; an earlier or unknown reference date keeps 1900-01-01 as
    // file date.
    let created = meta
        .reference_date
        .and_then(|d| ExcelDateTime::from_ymd(d.year, d.month, d.day).ok())
        .map_or_else(|| ExcelDateTime::from_ymd(1900, 1, 1), Ok)
        .map_err(err)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(clip(&meta.title))
            .set_author("Lagebild")
            .set_comment(format!("Erstellt mit Lagebild {}", meta.version))
            .set_creation_datetime(&created),
    );
    let contents = workbook.add_worksheet();
    contents.set_name(CONTENTS_SHEET).map_err(err)?;
    contents_sheet(contents, tables, &names, meta, &formats).map_err(err)?;
    for (table, name) in tables.iter().zip(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(err)?;
        table_sheet(sheet, table, &formats)?;
    }
    let metadata = workbook.add_worksheet();
    metadata.set_name(METADATA_SHEET).map_err(err)?;
    metadata_sheet(metadata, tables, meta, &formats).map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
