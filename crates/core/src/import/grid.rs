//! The common shape every container is read into: rows of cells, one row at a time.

use super::ImportError;

/// One cell as the container delivered it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text (every CSV cell, and text cells of spreadsheets).
    Text(String),
    /// A number cell of a spreadsheet.
    Number(f64),
    /// A date cell of a spreadsheet (time of day dropped).
    Date {
        /// Year.
        year: u16,
        /// Month 1-12.
        month: u8,
        /// Day 1-31.
        day: u8,
    },
    /// A date cell given as ISO text (ODS).
    IsoDate(String),
    /// A boolean cell.
    Bool(bool),
    /// An error cell (`#NV`, `#WERT!` ...).
    Error,
    /// A formula whose result the file does not store (written by a program that does not
    /// calculate): read as empty, reported as such when a value is required.
    FormulaWithoutResult,
}

impl Cell {
    /// True if the cell holds nothing or only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty | Cell::FormulaWithoutResult => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it (numbers without a trailing `.0`).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            Cell::Empty | Cell::Error | Cell::FormulaWithoutResult => Cow::Borrowed(""),
            Cell::Text(s) | Cell::IsoDate(s) => Cow::Borrowed(s.trim()),
            Cell::Date { year, month, day } => Cow::Owned(format!("{day:02}.{month:02}.{year:04}")),
            Cell::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    Cow::Owned(format!("{}", *n as i64))
                } else {
                    Cow::Owned(n.to_string())
                }
            }
            Cell::Bool(b) => Cow::Borrowed(if *b { "WAHR" } else { "FALSCH" }),
        }
    }
}

/// Why a reader cannot trust the cells of a row: the row is rejected with this reason instead
/// of being read field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum RowProblem {
    /// A quote at the start of a field in line `from` is only closed in line `to`: the lines in
    /// between, which look like records of their own, were read as one field.
    RunawayQuote {
        /// Line of the opening quote.
        from: u32,
        /// Line where the field ends.
        to: u32,
    },
    /// A row of a file without quoting (SchILD) has another number of fields than its header:
    /// a delimiter inside a value, or a value split across lines.
    FieldCount {
        /// Fields found.
        found: u32,
        /// Fields of the header.
        expected: u32,
    },
}

/// One row: its number as the user sees it (1-based line or sheet row) and its cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// 1-based row number in the file or sheet.
    pub number: u32,
    /// Cells from column A (or the first field) on.
    pub cells: Vec<Cell>,
    /// Set if the reader found the row broken; its cells are then not to be read.
    pub problem: Option<RowProblem>,
}

impl Row {
    /// True if every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// A reader that yields rows one at a time.
pub trait RowSource {
    /// Reads the next row into `row`; `Ok(false)` at the end.
    fn next_row(&mut self, row: &mut Row) -> Result<bool, ImportError>;

    /// An upper estimate of the rows still to come, to size the record vector once.
    fn rows_hint(&self) -> Option<usize> {
        None
    }

    /// German notes on what the reader did to the rows (e.g. merged cells filled in).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Spreadsheet column letters for a 0-based index: 0 -> `A`, 27 -> `AB`.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn cells_read_as_text_like_a_person_would() {
        assert_eq!(Cell::Number(475.0).as_text(), "475");
        assert_eq!(Cell::Number(2.5).as_text(), "2.5");
        assert_eq!(Cell::Text("  Buer ".into()).as_text(), "Buer");
        assert!(Cell::Text("   ".into()).is_blank());
    }
}
