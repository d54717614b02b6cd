//! The office's running table "Entwicklung der Flüchtlingszahlen" (the Datentabelle it continues
//! every month): aggregates, not records. Lagebild reads it to continue the series with the
//! months of newly loaded AKDN exports (see [`crate::classify::fortschreibung`]).
//!
//! Recognised by its content, in any sheet or delimited text: a header row with a month column
//! ("Datum", "Monat", "Berichtsmonat") and the columns of the series ([`SeriesColumns`]: the
//! seed's, or those the city's PKS file declares), each by its heading, alone or under a group
//! row. The seed's columns are also found by the seed's spellings: the benefit of a column
//! comes from its own text or a group row above it ("§ 2", "§ 3", also over merged cells);
//! without one the seed's order holds: the first Geduldete and Asylbewerber columns are § 2,
//! the second ones § 3. Optional columns ("sonstige") may be missing; sums (declared headings,
//! "gesamt", "Insgesamt") are checked, never read as counts. Each data row is one month (a
//! date such as 01.10.2016, an Excel date, 10/2016, 2016-10); blank cells and "–" are 0, a row
//! with a month and no count at all is a month the table leaves open. Rows that cannot be read
//! are rejected with file, row, column and what was expected; a sum row at the end is skipped.

use std::collections::BTreeMap;

use serde::Serialize;

use super::grid::{Cell, Row, RowSource, column_letters};
pub use super::report::SeriesProblem;
use super::report::{Location, RejectReason};
use super::{ImportError, ImportReport, values};
use crate::records::YearMonth;
use crate::series_columns::{
    ASYLBEWERBER_GESAMT, Cells, GEDULDETE_GESAMT, MAX_COLUMNS, SeriesColumns, compact,
};
use crate::text::fold;

/// A sum column of the office's table, checked against the counts of its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SumColumn {
    /// A declared sum (index into [`SeriesColumns::sums`]).
    Declared(usize),
    /// Insgesamt (every count column).
    Insgesamt,
}

impl SumColumn {
    /// German label: the declared heading, or "Insgesamt".
    pub fn label(self, columns: &SeriesColumns) -> &str {
        match self {
            SumColumn::Declared(i) => columns.sums().get(i).map_or("", |s| s.heading.as_str()),
            SumColumn::Insgesamt => "Insgesamt",
        }
    }

    /// The sum of `counts` this column should hold.
    pub fn of(self, columns: &SeriesColumns, counts: &Cells) -> u64 {
        match self {
            SumColumn::Declared(i) => columns
                .sums()
                .get(i)
                .map_or(0, |s| SeriesColumns::sum_of(s, counts)),
            SumColumn::Insgesamt => SeriesColumns::total(counts),
        }
    }
}

/// One month of the office's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OfficeMonth {
    /// The month.
    pub month: YearMonth,
    /// Counts in the order of the declared columns ([`OfficeSeries::columns`]); `None`: the
    /// row names the month but holds no count (left open in the table).
    pub counts: Option<Cells>,
    /// The row of the file it was read from.
    pub row: u32,
}

/// A row whose sum column disagrees with its counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SumMismatch {
    /// The month of the row.
    pub month: YearMonth,
    /// The sum column.
    pub column: SumColumn,
    /// What the table says.
    pub written: u64,
    /// The sum of the row's counts.
    pub computed: u64,
}

/// The office's running series table as read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OfficeSeries {
    /// The columns it was read with (the PKS file's in force at the import).
    pub columns: SeriesColumns,
    /// Months in the order of the file (each month once).
    pub months: Vec<OfficeMonth>,
    /// Rows whose sums disagree with their counts (the counts are used).
    pub sum_mismatches: Vec<SumMismatch>,
    /// Optional columns the table lacks (0 in its months).
    pub missing: Vec<usize>,
}

impl OfficeSeries {
    /// First and last month of the table.
    pub fn span(&self) -> Option<(YearMonth, YearMonth)> {
        let first = self.months.iter().map(|m| m.month).min()?;
        let last = self.months.iter().map(|m| m.month).max()?;
        Some((first, last))
    }

    /// The counts by month (open months as `None`).
    pub fn by_month(&self) -> BTreeMap<YearMonth, Option<Cells>> {
        self.months.iter().map(|m| (m.month, m.counts)).collect()
    }
}

/// Where the table sits in a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TablePosition {
    /// Index (in the rows searched) of the header row.
    pub header_index: usize,
    /// Column of the month.
    pub month_col: usize,
    /// Count columns by cell index: (cell, declared column).
    pub counts: Vec<(usize, usize)>,
    /// Sum columns by cell index.
    pub sums: Vec<(usize, SumColumn)>,
    /// Header text of every column read, by cell index.
    pub headers: BTreeMap<usize, String>,
}

/// The paragraph (2 or 3) a header text names: "§ 2", "§2", "§§ 2".
fn paragraph(text: &str) -> Option<u8> {
    let after = text.split('§').skip(1);
    for part in after {
        let digits: String = part
            .trim_start_matches(['§', ' ', '\u{a0}'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        match digits.as_str() {
            "2" => return Some(2),
            "3" => return Some(3),
            _ => {}
        }
    }
    None
}

/// What the seed's spellings make of a header: a count column of the seed (by key) or a sum.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Geduldete,
    Asylbewerber,
    Sonstige,
    /// A sum: the key of the seed's sum, `None` for Insgesamt.
    Sum(Option<&'static str>),
}

fn kind(folded: &str) -> Option<Kind> {
    let sum = ["gesamt", "summe", "zusammen"]
        .iter()
        .any(|w| folded.contains(w));
    let geduldet = folded.contains("geduld");
    let asyl = folded.contains("asyl");
    if sum {
        return Some(Kind::Sum(match (geduldet, asyl) {
            (true, false) => Some(GEDULDETE_GESAMT),
            (false, true) => Some(ASYLBEWERBER_GESAMT),
            _ => None,
        }));
    }
    match (geduldet, asyl, folded.contains("sonstig")) {
        (true, false, _) => Some(Kind::Geduldete),
        (false, true, _) => Some(Kind::Asylbewerber),
        (false, false, true) => Some(Kind::Sonstige),
        _ => None,
    }
}

fn is_month_header(folded: &str) -> bool {
    matches!(
        folded,
        "datum" | "monat" | "berichtsmonat" | "stichtag" | "zeitraum" | "monatserster"
    )
}

/// The position of an office series table with `columns` in the first rows of a sheet, if
/// they hold one. A header names a column by its declared heading (alone or under its group
/// row: "§ 2" over "Geduldete"); a column with a seed key is also found by the seed's
/// spellings ("Geduldete Flüchtl." under "§ 2", or the first of two Geduldete columns). Every
/// column that is not optional must be found.
pub fn find_layout(head: &[Row], columns: &SeriesColumns) -> Option<TablePosition> {
    for (index, row) in head.iter().enumerate() {
        let Some(month_col) = row
            .cells
            .iter()
            .position(|c| is_month_header(&fold(&c.as_text())))
        else {
            continue;
        };
        // The group row above (merged "§ 2" over two columns: the value in its first cell).
        let mut group: Vec<Option<String>> = vec![None; row.cells.len()];
        if let Some(above) = index.checked_sub(1).and_then(|i| head.get(i)) {
            let mut current: Option<String> = None;
            for (c, slot) in group.iter_mut().enumerate() {
                let text = above.cells.get(c).map(|c| c.as_text()).unwrap_or_default();
                if !text.trim().is_empty() {
                    current = Some(text.trim().to_owned());
                }
                if c > month_col {
                    slot.clone_from(&current);
                }
            }
        }
        let declared_sum = |text: &str| {
            columns
                .sums()
                .iter()
                .position(|s| compact(&s.heading) == compact(text))
        };
        let mut counts: Vec<(usize, usize)> = Vec::new();
        let mut sums = Vec::new();
        let mut headers = BTreeMap::new();
        let mut plain: Vec<(usize, Kind)> = Vec::new();
        let mut sonstige = None;
        let seed = |key: &str| columns.index(key);
        for (c, cell) in row.cells.iter().enumerate().skip(month_col + 1) {
            let text = cell.as_text();
            if text.trim().is_empty() {
                continue;
            }
            let group_text = group.get(c).cloned().flatten();
            let under = group_text.as_ref().map(|g| format!("{g} {text}"));
            let by_heading = columns
                .parse(&text)
                .or_else(|| under.as_deref().and_then(|u| columns.parse(u)));
            if let Some(i) = by_heading {
                headers.insert(c, text.trim().to_owned());
                counts.push((c, i));
                continue;
            }
            if let Some(i) = declared_sum(&text).or_else(|| under.as_deref().and_then(declared_sum))
            {
                headers.insert(c, text.trim().to_owned());
                sums.push((c, SumColumn::Declared(i)));
                continue;
            }
            let Some(k) = kind(&fold(&text)) else {
                continue;
            };
            let para = paragraph(&text).or_else(|| group_text.as_deref().and_then(paragraph));
            let found = match (k, para) {
                (Kind::Sum(key), _) => {
                    let sum = match key {
                        Some(key) => columns
                            .sums()
                            .iter()
                            .position(|s| s.key == key)
                            .map(SumColumn::Declared),
                        None => Some(SumColumn::Insgesamt),
                    };
                    if let Some(sum) = sum {
                        sums.push((c, sum));
                    }
                    sum.is_some()
                }
                (Kind::Sonstige, _) => {
                    sonstige = sonstige.or(Some(c));
                    true
                }
                (Kind::Geduldete, Some(p)) | (Kind::Asylbewerber, Some(p)) => {
                    let who = if k == Kind::Geduldete {
                        "geduldete"
                    } else {
                        "asylbewerber"
                    };
                    let key = format!("p{}_{who}", if p == 2 { 2 } else { 3 });
                    match seed(&key) {
                        Some(i) => {
                            counts.push((c, i));
                            true
                        }
                        None => false,
                    }
                }
                (k, None) => {
                    plain.push((c, k));
                    true
                }
            };
            if found {
                headers.insert(c, text.trim().to_owned());
            }
        }
        // Without a paragraph: the first Geduldete and Asylbewerber columns are § 2, the
        // second ones § 3 (the seed's order).
        for (wanted, who) in [
            (Kind::Geduldete, "geduldete"),
            (Kind::Asylbewerber, "asylbewerber"),
        ] {
            for (nth, (c, _)) in plain.iter().filter(|(_, k)| *k == wanted).enumerate() {
                let Some(i) = [2, 3].get(nth).and_then(|p| seed(&format!("p{p}_{who}"))) else {
                    continue;
                };
                if !counts.iter().any(|(_, s)| *s == i) {
                    counts.push((*c, i));
                }
            }
        }
        if let Some((c, i)) = sonstige.zip(seed("sonstige")) {
            counts.push((c, i));
        }
        counts.sort_by_key(|(_, s)| *s);
        counts.dedup_by_key(|(_, s)| *s);
        headers.retain(|c, _| {
            counts.iter().any(|(cc, _)| cc == c) || sums.iter().any(|(cc, _)| cc == c)
        });
        let complete = columns
            .columns()
            .iter()
            .enumerate()
            .all(|(i, col)| col.optional || counts.iter().any(|(_, s)| *s == i));
        if complete && !counts.is_empty() {
            let month_header = row
                .cells
                .get(month_col)
                .map(|c| c.as_text().trim().to_owned())
                .unwrap_or_default();
            headers.insert(month_col, month_header);
            return Some(TablePosition {
                header_index: index,
                month_col,
                counts,
                sums,
                headers,
            });
        }
    }
    None
}

/// A count cell: blank or "–" is 0.
fn count(cell: &Cell) -> Result<Option<u64>, SeriesProblem> {
    if cell.is_blank() {
        return Ok(None);
    }
    if let Cell::Number(n) = cell {
        return if n.fract() == 0.0 && *n >= 0.0 && *n < 1e12 {
            Ok(Some(*n as u64))
        } else {
            Err(SeriesProblem::NotACount)
        };
    }
    let text = cell.as_text();
    let text = text.trim();
    match text {
        "–" | "-" | "—" => return Ok(Some(0)),
        "." | "x" | "X" | "•" => return Err(SeriesProblem::Suppressed),
        _ => {}
    }
    let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    digits
        .parse::<u64>()
        .map(Some)
        .map_err(|_| SeriesProblem::NotACount)
}

/// True for a row that sums the table ("Summe", "Insgesamt" in the month column).
fn is_sum_label(cell: &Cell) -> bool {
    let folded = fold(&cell.as_text());
    ["summe", "insgesamt", "gesamt", "durchschnitt", "mittel"]
        .iter()
        .any(|w| folded.starts_with(w))
}

/// Reads the office's table with `columns` at `layout` (found by [`find_layout`]) below
/// `layout.header_index` of `head`, then the rest of `rows`. Counts rows read, accepted and
/// rejected into `report`; notes name the columns read.
pub fn read(
    columns: &SeriesColumns,
    layout: &TablePosition,
    head: &[Row],
    rows: &mut dyn RowSource,
    report: &mut ImportReport,
) -> Result<OfficeSeries, ImportError> {
    let header_row = head.get(layout.header_index).map_or(0, |r| r.number);
    report.header_row = header_row;
    let column_name = |c: usize| {
        format!(
            "„{}“ (Spalte {})",
            layout.headers.get(&c).map(String::as_str).unwrap_or(""),
            column_letters(c)
        )
    };
    let mut series = OfficeSeries {
        columns: columns.clone(),
        missing: (0..columns.columns().len())
            .filter(|i| !layout.counts.iter().any(|(_, s)| s == i))
            .collect(),
        ..OfficeSeries::default()
    };
    let mut seen: BTreeMap<YearMonth, u32> = BTreeMap::new();
    let mut blanks_as_zero = 0u64;
    let mut handle = |row: &Row, report: &mut ImportReport, series: &mut OfficeSeries| {
        if row.is_blank() {
            report.blank_rows += 1;
            return;
        }
        report.rows_read += 1;
        let reject = |report: &mut ImportReport, problem, column: Option<usize>, cell: &Cell| {
            report.reject(
                RejectReason::Series(problem),
                Location {
                    row: row.number,
                    column: column.map(column_name),
                    shape: (!cell.is_blank()).then(|| values::value_shape(&cell.as_text())),
                },
            );
        };
        let month_cell = row.cells.get(layout.month_col).unwrap_or(&Cell::Empty);
        let month = match values::month(month_cell) {
            Ok(m) => m,
            Err(_) if is_sum_label(month_cell) || month_cell.is_blank() => {
                report.reject(
                    RejectReason::SumRow,
                    Location {
                        row: row.number,
                        column: None,
                        shape: None,
                    },
                );
                return;
            }
            Err(_) => {
                reject(
                    report,
                    SeriesProblem::NotAMonth,
                    Some(layout.month_col),
                    month_cell,
                );
                return;
            }
        };
        if seen.contains_key(&month) {
            reject(
                report,
                SeriesProblem::RepeatedMonth,
                Some(layout.month_col),
                month_cell,
            );
            return;
        }
        let mut counts: Cells = [0; MAX_COLUMNS];
        let mut any = false;
        let mut blanks = 0u64;
        for (c, column) in &layout.counts {
            let cell = row.cells.get(*c).unwrap_or(&Cell::Empty);
            match count(cell) {
                Ok(Some(n)) => {
                    counts[*column] = n;
                    any = true;
                }
                Ok(None) => blanks += 1,
                Err(problem) => {
                    reject(report, problem, Some(*c), cell);
                    return;
                }
            }
        }
        let mut written = Vec::new();
        for (c, sum) in &layout.sums {
            let cell = row.cells.get(*c).unwrap_or(&Cell::Empty);
            match count(cell) {
                Ok(Some(n)) => written.push((*sum, n)),
                Ok(None) => {}
                Err(problem) => {
                    reject(report, problem, Some(*c), cell);
                    return;
                }
            }
        }
        seen.insert(month, row.number);
        report.rows_accepted += 1;
        if !any && written.is_empty() {
            series.months.push(OfficeMonth {
                month,
                counts: None,
                row: row.number,
            });
            return;
        }
        blanks_as_zero += blanks;
        for (sum, n) in written {
            let computed = sum.of(columns, &counts);
            if computed != n {
                series.sum_mismatches.push(SumMismatch {
                    month,
                    column: sum,
                    written: n,
                    computed,
                });
            }
        }
        series.months.push(OfficeMonth {
            month,
            counts: Some(counts),
            row: row.number,
        });
    };
    for row in head.iter().skip(layout.header_index + 1) {
        handle(row, report, &mut series);
    }
    let mut row = Row::default();
    while rows.next_row(&mut row)? {
        if report.rows_read >= MAX_MONTH_ROWS {
            return Err(ImportError::BrokenSpreadsheet {
                detail: format!("mehr als {MAX_MONTH_ROWS} Zeilen: keine Monatstabelle des Amtes"),
            });
        }
        handle(&row, report, &mut series);
    }
    report.rejected.sort_by_key(|g| g.reason);
    let read: Vec<String> = layout
        .counts
        .iter()
        .map(|(c, s)| format!("{} → {}", column_name(*c), columns.heading(*s)))
        .chain(
            layout
                .sums
                .iter()
                .map(|(c, s)| format!("{} → {} (nur geprüft)", column_name(*c), s.label(columns))),
        )
        .collect();
    report.notes.push(format!(
        "Monatstabelle des Amtes (Fortschreibung): Monat aus {}; gelesen: {}.",
        column_name(layout.month_col),
        read.join("; ")
    ));
    for &missing in &series.missing {
        let heading = columns.heading(missing);
        report.notes.push(format!(
            "Die Tabelle hat keine Spalte „{heading}“: „{heading}“ ist in ihren Monaten 0."
        ));
    }
    // Headed columns that are neither declared columns nor their sums are not read: said,
    // so no count is passed over in silence.
    let ignored: Vec<String> = head
        .get(layout.header_index)
        .map(|row| {
            row.cells
                .iter()
                .enumerate()
                .filter(|(c, _)| *c != layout.month_col && !layout.headers.contains_key(c))
                .filter_map(|(c, cell)| {
                    let text = cell.as_text();
                    let text = text.trim();
                    (!text.is_empty()).then(|| format!("„{text}“ (Spalte {})", column_letters(c)))
                })
                .collect()
        })
        .unwrap_or_default();
    if !ignored.is_empty() {
        report.notes.push(format!(
            "Nicht gelesen: {}. Diese Spalten sind weder erklärte Spalten der Monatsreihe noch \
             ihre Summen; zählt eine davon eine eigene Gruppe, bitte in der PKS-Datei als \
             [[spalte]] erklären.",
            ignored.join(", ")
        ));
    }
    if blanks_as_zero > 0 {
        report.notes.push(format!(
            "{} leere Zellen in Monaten mit Zahlen als 0 gelesen.",
            crate::format::count(blanks_as_zero)
        ));
    }
    let open = series.months.iter().filter(|m| m.counts.is_none()).count();
    if open > 0 {
        report.notes.push(format!(
            "{} Monate ohne jede Zahl: in der Tabelle offen, nicht als 0 gelesen.",
            crate::format::count(open as u64)
        ));
    }
    for m in &series.sum_mismatches {
        report.notes.push(format!(
            "{:02}/{}: „{}“ ist {}, die Summe der Spalten {} (die Spalten zählen).",
            m.month.month,
            m.month.year,
            m.column.label(columns),
            crate::format::count(m.written),
            crate::format::count(m.computed)
        ));
    }
    if let Some((first, last)) = series.span() {
        report.report_month = Some(last);
        report.notes.push(format!(
            "Monate {:02}/{} bis {:02}/{}.",
            first.month, first.year, last.month, last.year
        ));
    }
    Ok(series)
}

/// More rows than any monthly table has (a century of months plus margins).
const MAX_MONTH_ROWS: u64 = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u32, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells
                .iter()
                .map(|t| {
                    if t.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text((*t).to_owned())
                    }
                })
                .collect(),
            problem: None,
        }
    }

    #[test]
    fn the_seed_layout_reads_pairs_in_order() {
        let head = vec![row(
            1,
            &[
                "Datum",
                "Geduldete Flüchtl.",
                "Asylbewerber",
                "Asylbewerber",
                "Geduldete Flüchtl.",
                "",
                "sonstige",
            ],
        )];
        let layout = find_layout(&head, &SeriesColumns::seed()).unwrap();
        assert_eq!(layout.month_col, 0);
        assert_eq!(
            layout.counts,
            vec![(1, 0), (2, 1), (3, 2), (4, 3), (6, 4)],
            "§ 2 Geduldete, § 2 Asylbewerber, § 3 Asylbewerber, § 3 Geduldete, sonstige"
        );
    }

    #[test]
    fn a_group_row_decides_the_paragraph() {
        let head = vec![
            row(1, &["", "§ 3", "", "§ 2", ""]),
            row(
                2,
                &[
                    "Monat",
                    "Asylbewerber",
                    "Geduldete",
                    "Geduldete",
                    "Asylbewerber",
                    "Insgesamt",
                ],
            ),
        ];
        let layout = find_layout(&head, &SeriesColumns::seed()).unwrap();
        assert_eq!(layout.header_index, 1);
        assert_eq!(layout.counts, vec![(3, 0), (4, 1), (1, 2), (2, 3)]);
        assert_eq!(layout.sums, vec![(5, SumColumn::Insgesamt)]);
    }

    #[test]
    fn lagebilds_own_headers_are_read() {
        let head = vec![row(
            6,
            &[
                "Monat",
                "§ 2 Geduldete",
                "§ 2 Asylbewerber",
                "§ 3 Asylbewerber",
                "§ 3 Geduldete",
                "sonstige",
                "Geduldete gesamt (einschl. sonstige)",
                "Asylbewerber gesamt",
                "Insgesamt",
            ],
        )];
        let layout = find_layout(&head, &SeriesColumns::seed()).unwrap();
        assert_eq!(layout.counts.len(), 5);
        assert_eq!(
            layout.sums,
            vec![
                (6, SumColumn::Declared(0)),
                (7, SumColumn::Declared(1)),
                (8, SumColumn::Insgesamt)
            ]
        );
    }

    #[test]
    fn a_record_export_is_no_series_table() {
        let head = vec![row(
            1,
            &[
                "Monat",
                "Fallnummer",
                "Name",
                "Vorname",
                "Geburtsdatum",
                "PKS",
            ],
        )];
        assert!(find_layout(&head, &SeriesColumns::seed()).is_none());
    }

    struct Empty;

    impl RowSource for Empty {
        fn next_row(&mut self, _: &mut Row) -> Result<bool, ImportError> {
            Ok(false)
        }
    }

    /// A city's own columns: Geduldete and Asylbewerber without the split by benefit, § 1a of
    /// its own, optional "sonstige", one sum.
    fn city_columns() -> SeriesColumns {
        use crate::series_columns::{DeclaredColumn, DeclaredSum};
        let column = |key: &str, heading: &str, optional| DeclaredColumn {
            key: key.into(),
            heading: heading.into(),
            optional,
        };
        SeriesColumns::declared(
            vec![
                column("geduldete", "Geduldete", false),
                column("asyl", "Asylbewerber", false),
                column("p1a", "§ 1a", false),
                column("sonstige", "sonstige", true),
            ],
            vec![DeclaredSum {
                key: "regulaer".into(),
                heading: "ohne § 1a".into(),
                columns: vec!["geduldete".into(), "asyl".into()],
            }],
        )
        .unwrap()
    }

    #[test]
    fn declared_columns_are_found_by_their_headings() {
        let city = city_columns();
        let head = vec![
            row(1, &["", "Leistungen", "", "Einschränkung", ""]),
            row(
                2,
                &[
                    "Monat",
                    "Asylbewerber",
                    "Geduldete",
                    "§ 1a",
                    "ohne § 1a",
                    "Insgesamt",
                ],
            ),
            row(3, &["10/2025", "40", "30", "5", "70", "76"]),
        ];
        let layout = find_layout(&head, &city).unwrap();
        assert_eq!(layout.counts, vec![(2, 0), (1, 1), (3, 2)]);
        assert_eq!(
            layout.sums,
            vec![(4, SumColumn::Declared(0)), (5, SumColumn::Insgesamt)]
        );
        let mut report = ImportReport::default();
        let series = read(&city, &layout, &head, &mut Empty, &mut report).unwrap();
        assert_eq!(series.missing, [3], "sonstige is optional");
        assert!(
            !report.notes.iter().any(|n| n.starts_with("Nicht gelesen")),
            "{:?}",
            report.notes
        );
        assert_eq!(
            series.months[0].counts.map(|c| c[..4].to_vec()),
            Some(vec![30, 40, 5, 0])
        );
        assert_eq!(
            series.sum_mismatches,
            vec![SumMismatch {
                month: YearMonth::new(2025, 10).unwrap(),
                column: SumColumn::Insgesamt,
                written: 76,
                computed: 75,
            }]
        );
        assert!(
            report
                .notes
                .iter()
                .any(|n| n.contains("keine Spalte „sonstige“")),
            "{:?}",
            report.notes
        );
        // The seed's table lacks § 1a: not this city's Datentabelle; and the city's table
        // lacks the seed's split by benefit.
        let seed_head = vec![row(
            1,
            &[
                "Monat",
                "§ 2 Geduldete",
                "§ 2 Asylbewerber",
                "§ 3 Asylbewerber",
                "§ 3 Geduldete",
            ],
        )];
        assert!(find_layout(&seed_head, &city).is_none());
        assert!(find_layout(&head, &SeriesColumns::seed()).is_none());
    }

    #[test]
    fn counts_accept_blanks_dashes_and_thousands() {
        assert_eq!(count(&Cell::Empty), Ok(None));
        assert_eq!(count(&Cell::Text("–".into())), Ok(Some(0)));
        assert_eq!(count(&Cell::Text("1.234".into())), Ok(Some(1234)));
        assert_eq!(count(&Cell::Number(17.0)), Ok(Some(17)));
        assert_eq!(count(&Cell::Number(1.5)), Err(SeriesProblem::NotACount));
        assert_eq!(count(&Cell::Number(-1.0)), Err(SeriesProblem::NotACount));
        assert_eq!(
            count(&Cell::Text(".".into())),
            Err(SeriesProblem::Suppressed)
        );
        assert_eq!(
            count(&Cell::Text("zwölf".into())),
            Err(SeriesProblem::NotACount)
        );
    }

    #[test]
    fn rows_are_read_checked_and_rejected_with_their_place() {
        let head = vec![
            row(
                1,
                &[
                    "Datum",
                    "Geduldete",
                    "Asylbewerber",
                    "Asylbewerber",
                    "Geduldete",
                    "sonstige",
                    "Insgesamt",
                ],
            ),
            row(2, &["01.10.2016", "323", "184", "2615", "726", "", "3848"]),
            row(3, &["01.11.2016", "342", "184", "2399", "709", "1", "9999"]),
            row(4, &["Dezember", "1", "1", "1", "1", "1", "5"]),
            row(5, &["01.11.2016", "1", "1", "1", "1", "1", "5"]),
            row(6, &["01.01.2017", ".", "1", "1", "1", "1", "5"]),
            row(7, &["01.02.2017", "", "", "", "", "", ""]),
            row(8, &["Summe", "1", "1", "1", "1", "1", "5"]),
        ];
        let seed = SeriesColumns::seed();
        let layout = find_layout(&head, &seed).unwrap();
        let mut report = ImportReport::default();
        let series = read(&seed, &layout, &head, &mut Empty, &mut report).unwrap();
        assert_eq!(series.months.len(), 3);
        assert_eq!(
            series.months[0].counts.map(|c| c[..5].to_vec()),
            Some(vec![323, 184, 2615, 726, 0])
        );
        assert_eq!(series.months[2].counts, None);
        assert_eq!(
            series.sum_mismatches,
            vec![SumMismatch {
                month: YearMonth::new(2016, 11).unwrap(),
                column: SumColumn::Insgesamt,
                written: 9999,
                computed: 3635,
            }]
        );
        assert_eq!(report.rows_read, 7);
        assert_eq!(report.rows_accepted, 3);
        let reasons: Vec<(RejectReason, u64)> = report
            .rejected
            .iter()
            .map(|g| (g.reason, g.count))
            .collect();
        assert!(reasons.contains(&(RejectReason::SumRow, 1)));
        assert!(reasons.contains(&(RejectReason::Series(SeriesProblem::NotAMonth), 1)));
        assert!(reasons.contains(&(RejectReason::Series(SeriesProblem::RepeatedMonth), 1)));
        assert!(reasons.contains(&(RejectReason::Series(SeriesProblem::Suppressed), 1)));
        let suppressed = report
            .rejected
            .iter()
            .find(|g| g.reason == RejectReason::Series(SeriesProblem::Suppressed))
            .unwrap();
        assert_eq!(suppressed.examples[0].row, 6);
        assert_eq!(
            suppressed.examples[0].column.as_deref(),
            Some("„Geduldete“ (Spalte B)")
        );
    }

    #[test]
    fn a_headed_column_that_is_not_declared_is_named_as_not_read() {
        let city = city_columns();
        let head = vec![
            row(
                1,
                &[
                    "Monat",
                    "Asylbewerber",
                    "Geduldete",
                    "§ 1a",
                    "Kontingent",
                    "Insgesamt",
                ],
            ),
            row(2, &["10/2025", "40", "30", "5", "12", "75"]),
        ];
        let layout = find_layout(&head, &city).unwrap();
        let mut report = ImportReport::default();
        let series = read(&city, &layout, &head, &mut Empty, &mut report).unwrap();
        assert!(
            series.sum_mismatches.is_empty(),
            "{:?}",
            series.sum_mismatches
        );
        let note = report
            .notes
            .iter()
            .find(|n| n.starts_with("Nicht gelesen"))
            .unwrap_or_else(|| panic!("{:?}", report.notes));
        assert!(note.contains("„Kontingent“ (Spalte E)"), "{note}");
        assert!(note.contains("[[spalte]]"), "{note}");
    }
}
