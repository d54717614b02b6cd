//! XLSX export (rust_xlsxwriter): a sheet "Inhalt" linking to every table, one sheet per table
//! (named by the table's short name: "4 Geflüchtete Stadtteil"), a sheet "Definitionen" (who
//! counts as what, the symbols, the rule) and a sheet "Metadaten".
//!
//! Each table sheet: title, its sources (register and Stichtag or period), the rule applied
//! with its result, the legend (these lines wrapped within the table's width), an empty row,
//! the header row(s) and the data rows (frozen below the header and right of the labels),
//! footnotes and a link back to "Inhalt". Months are dates shown as `MM.JJJJ`. Every sheet
//! prints on A4 fitted to the page width (landscape for wide tables), the header rows repeated
//! on each page, a page header with title and Stichtag, a footer with the publisher, the page
//! and the version. Counts are numbers with the format `#,##0`
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
/// Name of the definitions sheet.
pub const DEFINITIONS_SHEET: &str = "Definitionen";
/// Paper size A4 in the spreadsheet's numbering.
const PAPER_A4: u8 = 9;
/// Value columns above which a table is printed in landscape.
const LANDSCAPE_FROM_COLUMNS: usize = 8;

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

/// The longest prefix of `text` of at most `max` characters that ends at a word boundary
/// (the whole first word cut if it alone is longer), without a dangling "und"/"nach".
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let candidate = if out.is_empty() {
            word.to_owned()
        } else {
            format!("{out} {word}")
        };
        if candidate.chars().count() > max {
            break;
        }
        out = candidate;
    }
    while let Some(stripped) = [
        "und", "nach", "der", "die", "im", "in", "ohne", "je", "an", "des",
    ]
    .iter()
    .find_map(|w| out.strip_suffix(&format!(" {w}")))
    {
        out = stripped.to_owned();
    }
    if out.is_empty() {
        out = text.chars().take(max).collect();
    }
    out
}

/// Sheet names for the tables: "1 Kurzname" (the definition's short name, else the title
/// shortened at a word), at most 31 characters, none of `[]:*?/\`, unique (case-insensitive,
/// also against the fixed sheets).
pub fn sheet_names(tables: &[ProtectedTable]) -> Vec<String> {
    let mut taken: Vec<String> = [CONTENTS_SHEET, DEFINITIONS_SHEET, METADATA_SHEET]
        .iter()
        .map(|n| n.to_lowercase())
        .collect();
    let mut names = Vec::with_capacity(tables.len());
    for (i, table) in tables.iter().enumerate() {
        let source = table.sheet_name().unwrap_or(table.title());
        let cleaned: String = source
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let cleaned = cleaned.trim_matches('\'');
        let number = format!("{} ", i + 1);
        let room = MAX_SHEET_NAME - number.chars().count();
        let mut name = format!("{number}{}", shorten(cleaned, room));
        name = name.trim_end_matches([' ', '\'']).to_owned();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let keep = room.saturating_sub(suffix.chars().count());
            name = format!(
                "{number}{}{suffix}",
                shorten(cleaned, keep).trim_end_matches([' ', '\''])
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
    month: Format,
    wrapped: Format,
    bold_wrapped: Format,
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
            month: Format::new()
                .set_num_format("mm.yyyy")
                .set_align(FormatAlign::Left),
            wrapped: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            bold_wrapped: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
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
        RatioUnit::Difference => "+#,##0;-#,##0;\"±0\"".to_owned(),
        RatioUnit::ChangePercent => format!("+0{places} %;-0{places} %;0{places} %"),
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
        Published::ChangePercent(x) => {
            sheet.write_number_with_format(row, col, x / 100.0, ratio)?
        }
        Published::Difference(d) => sheet.write_number_with_format(row, col, d as f64, ratio)?,
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

/// Text for a page header or footer: `&` doubled, at most `max` characters.
fn header_text(text: &str, max: usize) -> String {
    let short: String = if text.chars().count() > max {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    } else {
        text.to_owned()
    };
    short.replace('&', "&&")
}

/// A4, fitted to the page width, the header rows repeated on every page, a page header with
/// the title and the Stichtag and a footer with the publisher, the page and the version.
fn print_setup(
    sheet: &mut Worksheet,
    title: &str,
    meta: &ExportMeta,
    landscape: bool,
    repeat: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    sheet.set_paper_size(PAPER_A4);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_fit_to_pages(1, 0);
    if let Some((first, last)) = repeat {
        sheet.set_repeat_rows(first, last)?;
    }
    sheet.set_header(format!(
        "&L&\"-,Bold\"{}&RStichtag {}",
        header_text(title, 120),
        meta.reference_text()
    ));
    // An empty section is left out: some readers take "&L&C…" for a left section "&C…".
    let publisher = if meta.publisher.office.trim().is_empty() {
        String::new()
    } else {
        format!("&L{}", header_text(meta.publisher.office.trim(), 70))
    };
    sheet.set_footer(format!(
        "{publisher}&CSeite &P von &N&RLagebild {}",
        header_text(&meta.version, 20)
    ));
    Ok(())
}

/// The month a position of a `monat` axis stands for (key `JJJJ-MM`).
fn month_of(key: &str) -> Option<ExcelDateTime> {
    let (year, month) = key.split_once('-')?;
    ExcelDateTime::from_ymd(year.parse().ok()?, month.parse().ok()?, 1).ok()
}

fn table_sheet(
    sheet: &mut Worksheet,
    table: &ProtectedTable,
    meta: &ExportMeta,
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

    // Widths: labels as wide as the longest label (plus indentation), values as wide as their
    // header (wrapped beyond 16 characters) or their longest number.
    let mut widths = Vec::with_capacity(columns);
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
        widths.push(longest.clamp(12, 60) as f64 + 1.0);
    }
    for c in 0..n_value_cols {
        let header = layout
            .header
            .iter()
            .filter_map(|h| h.get(layout.label_cols + c))
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(8);
        widths.push(header.clamp(9, 16) as f64 + 2.0);
    }
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(c16(c), *width).map_err(err)?;
    }
    let total_width: f64 = widths.iter().sum();
    // Long lines above the table wrap within its width (a merged cell), so they neither widen
    // the printed page nor run off the screen.
    let mut wrapped = |row: usize, text: &str| -> Result<(), XlsxError> {
        let text = clip(text);
        if columns > 1 {
            sheet.merge_range(
                r32(row),
                0,
                r32(row),
                c16(columns - 1),
                &text,
                &formats.wrapped,
            )?;
        } else {
            sheet.write_string_with_format(r32(row), 0, &text, &formats.wrapped)?;
        }
        let lines = (text.chars().count() as f64 * 1.1 / total_width.max(1.0)).ceil();
        sheet.set_row_height(r32(row), 15.0 * lines.max(1.0))?;
        Ok(())
    };
    let sources = source_lines(table);
    for (i, line) in sources.iter().enumerate() {
        wrapped(1 + i, line).map_err(err)?;
    }
    let after_sources = 1 + sources.len();
    wrapped(
        after_sources,
        &format!("Geheimhaltung: {}", table.report().text()),
    )
    .map_err(err)?;
    wrapped(after_sources + 1, &format!("Zeichenerklärung: {LEGEND}")).map_err(err)?;
    sheet
        .write_string_with_format(0, 0, clip(table.title()), &formats.title)
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
    let month_axes: Vec<bool> = table
        .row_axes()
        .iter()
        .map(|a| a.dimension() == "monat")
        .collect();
    for (i, (labels, &r)) in layout.rows.iter().zip(&layout.table_rows).enumerate() {
        let bold = layout.margin_rows.get(i).copied().unwrap_or(false);
        let row = r32(data + i);
        let positions = table.row_positions(r);
        for (c, (text, depth)) in labels.iter().enumerate() {
            let month = month_axes
                .get(c)
                .copied()
                .unwrap_or(false)
                .then(|| positions.get(c).and_then(|p| month_of(&p.key)))
                .flatten();
            if let Some(month) = month {
                sheet
                    .write_datetime_with_format(row, c16(c), &month, &formats.month)
                    .map_err(err)?;
                continue;
            }
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
    print_setup(
        sheet,
        table.title(),
        meta,
        n_value_cols > LANDSCAPE_FROM_COLUMNS,
        Some((r32(first), r32(data - 1))),
    )
    .map_err(err)?;
    sheet
        .set_print_area(0, 0, r32(after), c16(columns - 1))
        .map_err(err)?;
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
    let mut row = 1u32;
    let mut lines = vec![format!("Stichtag: {}", meta.reference_text())];
    lines.extend(meta.publisher.lines());
    lines.push(format!("Erstellt mit Lagebild {}", meta.version));
    for line in &lines {
        sheet.write_string(row, 0, clip(line))?;
        row += 1;
    }
    row += 1;
    let header = row;
    sheet.write_string_with_format(header, 0, "Nr.", &formats.header)?;
    sheet.write_string_with_format(header, 1, "Tabelle", &formats.header)?;
    sheet.write_string_with_format(header, 2, "Geheimhaltung", &formats.header)?;
    row += 1;
    for (i, (table, name)) in tables.iter().zip(names).enumerate() {
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_url_with_text(row, 1, internal_link(name), clip(table.title()))?;
        sheet.write_string_with_format(row, 2, clip(&table.report().text()), &formats.wrapped)?;
        row += 1;
    }
    sheet.write_url_with_text(row, 1, internal_link(DEFINITIONS_SHEET), DEFINITIONS_SHEET)?;
    sheet.write_url_with_text(row + 1, 1, internal_link(METADATA_SHEET), METADATA_SHEET)?;
    sheet.write_string(row + 3, 0, format!("Zeichenerklärung: {LEGEND}"))?;
    sheet.write_string(
        row + 4,
        0,
        "Die Datei enthält nur zusammengefasste, geheimgehaltene Tabellen; keine Einzeldaten.",
    )?;
    sheet.set_column_width(0, 6)?;
    let longest = tables
        .iter()
        .map(|t| t.title().chars().count())
        .max()
        .unwrap_or(20);
    sheet.set_column_width(1, longest.clamp(20, 70) as f64 + 2.0)?;
    sheet.set_column_width(2, 80)?;
    sheet.set_freeze_panes(header + 1, 0)?;
    print_setup(sheet, &meta.title, meta, true, Some((header, header)))?;
    Ok(())
}

/// Who counts as what, the symbols and the rule: what a reader of the tables needs to know.
fn definitions(meta: &ExportMeta) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = [
        (
            "Geflüchtete",
            "Ausländerinnen und Ausländer, die im Ausländerwesen (EWO-ALW) am Stichtag einen der \
             vier folgenden Aufenthaltsstatus haben (Abgrenzung des Amtes). Personen, die \
             vollziehbar ausreisepflichtig sind und keine Duldung haben, zählen nicht dazu.",
        ),
        (
            "Ankunftsnachweis (BüMA)",
            "Bescheinigung über die Meldung als Asylsuchender, seit 2016 Ankunftsnachweis \
             (§ 63a AsylG): Asyl gesucht, Antrag noch nicht gestellt.",
        ),
        (
            "Aufenthaltsgestattung",
            "Asylverfahren läuft (§ 55 AsylG, vor dem 24.10.2015 § 55 AsylVfG).",
        ),
        (
            "Duldung",
            "Die Abschiebung ist ausgesetzt (§ 60a AufenthG, auch § 60b, § 60c und § 60d \
             AufenthG).",
        ),
        (
            "humanitäre Aufenthaltserlaubnis",
            "Aufenthaltserlaubnis aus völkerrechtlichen, humanitären oder politischen Gründen \
             (AufenthG Kapitel 2 Abschnitt 5: §§ 22, 23, 23a, 24, 25, 25a, 25b, 26); das \
             Chancen-Aufenthaltsrecht (§ 104c AufenthG) nach Einstellung als eigene \
             Unterkategorie.",
        ),
        (
            "Monatsreihe (AsylbLG)",
            "Personen mit Leistungen nach dem Asylbewerberleistungsgesetz je Berichtsmonat \
             (AKDN sozial), jede Person einmal je Monat. § 2 = Leistungen entsprechend SGB XII \
             (Analogleistungen), § 3 = Grundleistungen; Geduldete und Asylbewerber nach dem \
             Personenkreisschlüssel; sonstige = übrige Personenkreise und Leistungen nur nach \
             §§ 4-6. Geduldete gesamt = § 2 und § 3 Geduldete und sonstige; Insgesamt = \
             Geduldete gesamt + Asylbewerber gesamt. Monate vor den geladenen AKDN-Exporten \
             stammen, wo angegeben, aus der fortgeschriebenen Datentabelle des Amtes.",
        ),
        (
            "Einwohnerinnen und Einwohner",
            "Personen mit Wohnung in der Stadt laut Meldewesen (EWO) am Stichtag.",
        ),
        (
            "Räumliche Gliederung",
            "Stadtbezirke, Stadtteile und Baublöcke nach der Adresstabelle der Stadt; die \
             kleinste veröffentlichte Einheit ist der Baublock. „Adresse nicht zugeordnet“: \
             die Adresse steht nicht in der Gliederung.",
        ),
        (
            "Geheimhaltung",
            "Hätte eine Tabelle in ihrer ursprünglichen Gliederung einen Wert von 1 oder 2, \
             wird sie vergröbert (Gebiete oder Merkmale zusammengefasst, im Tabellenkopf \
             genannt) oder ganz gesperrt. Alle Tabellen dieser Datei sind gemeinsam geprüft: \
             Kein Wert von 1 oder 2 lässt sich aus Differenzen veröffentlichter Zahlen \
             berechnen.",
        ),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    entries.push(("Regel dieser Datei".into(), meta.protection.describe()));
    for (symbol, meaning) in [
        (".", "gesperrt (Geheimhaltung)"),
        ("–", "nichts vorhanden (0)"),
        ("x", "Aussage nicht sinnvoll (z. B. ein Monat ohne Daten)"),
    ] {
        entries.push((format!("Zeichen „{symbol}“"), meaning.to_owned()));
    }
    for rule in &meta.rules {
        entries.push(("Regel / Zuordnung".into(), rule.clone()));
    }
    entries
}

fn definitions_sheet(
    sheet: &mut Worksheet,
    meta: &ExportMeta,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, "Definitionen", &formats.title)?;
    sheet.write_string_with_format(2, 0, "Begriff", &formats.header)?;
    sheet.write_string_with_format(2, 1, "Erläuterung", &formats.header)?;
    for (i, (term, text)) in definitions(meta).iter().enumerate() {
        let row = u32::try_from(3 + i).unwrap_or(u32::MAX);
        sheet.write_string_with_format(row, 0, clip(term), &formats.bold_wrapped)?;
        sheet.write_string_with_format(row, 1, clip(text), &formats.wrapped)?;
        let lines = (text.chars().count() as f64 * 1.1 / 90.0).ceil().max(1.0);
        sheet.set_row_height(row, 15.0 * lines)?;
    }
    sheet.write_url_with_text(
        u32::try_from(4 + definitions(meta).len()).unwrap_or(u32::MAX),
        0,
        internal_link(CONTENTS_SHEET),
        "Zum Inhalt",
    )?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 95)?;
    sheet.set_freeze_panes(3, 0)?;
    print_setup(sheet, "Definitionen", meta, false, Some((2, 2)))?;
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
        (
            "Herausgeber".into(),
            meta.publisher.office.trim().to_owned(),
        ),
        ("Kontakt".into(), meta.publisher.contact.trim().to_owned()),
        ("Lagebild-Version".into(), meta.version.clone()),
        ("Geheimhaltung".into(), meta.protection.describe()),
        ("Prüfkriterium".into(), AUDIT_CRITERION.into()),
        ("Zeichenerklärung".into(), LEGEND.into()),
    ];
    entries.retain(|(_, value)| !value.is_empty());
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
    print_setup(sheet, "Metadaten", meta, true, Some((2, 2)))?;
    Ok(())
}

/// The workbook of a set of protected tables: "Inhalt", one sheet per table, "Definitionen",
/// "Metadaten".
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
        table_sheet(sheet, table, meta, &formats)?;
    }
    let definitions = workbook.add_worksheet();
    definitions.set_name(DEFINITIONS_SHEET).map_err(err)?;
    definitions_sheet(definitions, meta, &formats).map_err(err)?;
    let metadata = workbook.add_worksheet();
    metadata.set_name(METADATA_SHEET).map_err(err)?;
    metadata_sheet(metadata, tables, meta, &formats).map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
