//! Delimited text: CSV/TXT with a sniffed delimiter and RFC 4180 quoting (embedded delimiters
//! and line breaks), and SchILD `.dat` (pipe-separated, no quoting).

use std::collections::VecDeque;

use super::ImportError;
use super::grid::{Cell, Row, RowProblem, RowSource};

/// Delimiters the office's systems use, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// German name of a delimiter for the import report.
pub fn delimiter_label(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "Semikolon",
        b',' => "Komma",
        b'\t' => "Tabulator",
        b'|' => "senkrechter Strich",
        _ => "unbekannt",
    }
}

/// Picks the delimiter that splits the first lines into the most, and most consistent, fields.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let mut best = (0usize, b';');
    for delimiter in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        let mut record = csv::StringRecord::new();
        while counts.len() < 40 {
            match reader.read_record(&mut record) {
                Ok(true) => counts.push(record.len()),
                _ => break,
            }
        }
        // The last sampled line may be cut off.
        if counts.len() > 2 {
            counts.pop();
        }
        let Some(&widest) = counts.iter().max() else {
            continue;
        };
        if widest < 2 {
            continue;
        }
        let mut freq = std::collections::BTreeMap::new();
        for c in &counts {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let (mode, mode_count) = freq
            .iter()
            .filter(|(width, _)| **width > 1)
            .max_by_key(|(width, count)| (**count, **width))
            .map(|(w, c)| (*w, *c))
            .unwrap_or((1, 0));
        let score = mode * mode_count;
        if score > best.0 {
            best = (score, delimiter);
        }
    }
    best.1
}

/// Reads delimited text row by row.
pub struct DelimitedRows<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    delimiter: u8,
    row: u32,
    blank_pending: u32,
    record_pending: bool,
    quoting: bool,
    /// Most fields of a record so far (the header's, once it is read).
    width: usize,
    /// Fields of the first record (the header of a file without quoting).
    header_width: Option<usize>,
    /// Where the previous record's text ended (before its line break).
    previous_end: usize,
    /// The physical lines of a record that swallowed other lines into a quoted field, still
    /// to be yielded one by one as broken rows.
    broken: VecDeque<&'a str>,
    /// Why those lines are broken.
    broken_problem: Option<RowProblem>,
}

impl<'a> DelimitedRows<'a> {
    /// CSV with quoting.
    pub fn csv(text: &'a str, delimiter: u8) -> Self {
        Self::new(text, delimiter, true)
    }

    /// SchILD `.dat`: pipe-separated, quotes are ordinary characters.
    pub fn schild(text: &'a str) -> Self {
        Self::new(text, b'|', false)
    }

    fn new(text: &'a str, delimiter: u8, quoting: bool) -> Self {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .quoting(quoting)
            .from_reader(text.as_bytes());
        DelimitedRows {
            text,
            reader,
            record: csv::StringRecord::new(),
            delimiter,
            row: 0,
            blank_pending: 0,
            record_pending: false,
            quoting,
            width: 0,
            header_width: None,
            previous_end: 0,
            broken: VecDeque::new(),
            broken_problem: None,
        }
    }
}

impl<'a> DelimitedRows<'a> {
    /// A quote opened and never closed makes the reader take the rest of the file as one
    /// field, so every following line would vanish into it. Such a record ends the file, spans
    /// several lines and holds an odd number of quote characters (escaped quotes come in
    /// pairs): the file is refused instead of losing those lines.
    fn check_unclosed_quote(&self, start: usize) -> Result<(), ImportError> {
        let end = self.reader.position().byte() as usize;
        if !self.quoting || end < self.text.len() {
            return Ok(());
        }
        let raw = self.text.as_bytes().get(start..).unwrap_or(&[]);
        let quotes = raw.iter().filter(|b| **b == b'"').count();
        let spanned = self
            .record
            .iter()
            .map(|field| line_breaks_in(field.as_bytes()))
            .sum::<usize>();
        if quotes % 2 == 1 && spanned > 0 {
            let line = u64::from(self.row) + u64::from(self.blank_pending) + 1;
            return Err(ImportError::BrokenText {
                line,
                detail: format!(
                    "ein Anführungszeichen in Zeile {line} wird bis zum Dateiende nicht geschlossen; die folgenden {spanned} Zeilen würden sonst in einem einzigen Feld verschwinden"
                ),
            });
        }
        Ok(())
    }

    /// The physical lines of the record just read if a quoted field of it swallowed lines that
    /// look like records of their own (as many delimiters as a record has fields, less one),
    /// so that the record has another number of fields than the others: a stray quote at the
    /// start of a field, closed only by a later quote. A field with line breaks in ordinary text
    /// (a remark over two lines) is left alone.
    fn runaway_lines(&self, content: usize) -> Option<Vec<&'a str>> {
        let end = (self.reader.position().byte() as usize).min(self.text.len());
        let raw = self.text.get(content..end)?;
        // The reader stops after the record's terminator.
        let raw = raw
            .strip_suffix("\r\n")
            .or_else(|| raw.strip_suffix(['\n', '\r']))
            .unwrap_or(raw);
        // A record of the right width is not broken, nor one of a table too narrow to tell.
        if !self.quoting
            || self.width < 3
            || self.record.len() == self.width
            || line_breaks_in(raw.as_bytes()) == 0
        {
            return None;
        }
        let lines: Vec<&'a str> = split_lines(raw);
        let record_like =
            |line: &&str| line.bytes().filter(|b| *b == self.delimiter).count() + 1 >= self.width;
        lines[1..].iter().any(record_like).then_some(lines)
    }

    /// The field-count problem of the record just read in a file without quoting, if any:
    /// any other number of fields than the header's, even if the extra ones are empty (a `|`
    /// inside a value shifts every later field by one, so the last, empty one spills over).
    fn field_count_problem(&self) -> Option<RowProblem> {
        let expected = self.header_width?;
        let found = self.record.len();
        (found != expected).then_some(RowProblem::FieldCount {
            found: found as u32,
            expected: expected as u32,
        })
    }
}

impl RowSource for DelimitedRows<'_> {
    fn rows_hint(&self) -> Option<usize> {
        Some(self.text.bytes().filter(|b| *b == b'\n').count() + 1)
    }

    fn next_row(&mut self, row: &mut Row) -> Result<bool, ImportError> {
        row.problem = None;
        if self.blank_pending == 0 && self.broken.is_empty() && !self.record_pending {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {
                    // Rows as Excel shows the file: blank lines count (the reader skips them,
                    // so they are yielded here as blank rows), line breaks inside quoted fields
                    // do not.
                    let start = self
                        .record
                        .position()
                        .map(|p| p.byte() as usize)
                        .unwrap_or(0);
                    let bytes = self.text.as_bytes();
                    let (_, content) = line_breaks_from(bytes, start);
                    // Counted from where the previous record's text ended: where the reader
                    // starts a record depends on the line ending (after a LF, before a CRLF).
                    let from = self.previous_end.min(content);
                    let breaks = line_breaks_in(&bytes[from..content]) as u32;
                    self.blank_pending = if self.row == 0 {
                        breaks
                    } else {
                        breaks.saturating_sub(1)
                    };
                    let end = (self.reader.position().byte() as usize).min(bytes.len());
                    self.previous_end = content.max(
                        end - bytes[content..end]
                            .iter()
                            .rev()
                            .take_while(|b| matches!(b, b'\r' | b'\n'))
                            .count(),
                    );
                    self.check_unclosed_quote(start)?;
                    match self.runaway_lines(content) {
                        Some(lines) => {
                            let from = self.row + self.blank_pending + 1;
                            self.broken_problem = Some(RowProblem::RunawayQuote {
                                from,
                                to: from + lines.len() as u32 - 1,
                            });
                            self.broken = lines.into();
                        }
                        None => self.record_pending = true,
                    }
                    self.width = self.width.max(self.record.len());
                }
                Err(e) => {
                    return Err(ImportError::BrokenText {
                        line: u64::from(self.row) + 1,
                        detail: e.to_string(),
                    });
                }
            }
        }
        self.row += 1;
        row.number = self.row;
        if self.blank_pending > 0 {
            self.blank_pending -= 1;
            row.cells.clear();
            return Ok(true);
        }
        if let Some(line) = self.broken.pop_front() {
            let delimiter = char::from(self.delimiter);
            set_text_cells(row, line.split(delimiter));
            row.problem = self.broken_problem;
            return Ok(true);
        }
        self.record_pending = false;
        let record = std::mem::take(&mut self.record);
        set_text_cells(row, record.iter());
        self.record = record;
        if !self.quoting && !row.is_blank() {
            match self.header_width {
                None => self.header_width = Some(self.record.len()),
                Some(_) => row.problem = self.field_count_problem(),
            }
        }
        Ok(true)
    }
}

/// Sets the cells of `row` to `fields`, reusing the previous row's strings: one allocation
/// per cell of the file would cost time and fragment the heap.
fn set_text_cells<'f>(row: &mut Row, fields: impl Iterator<Item = &'f str>) {
    let mut n = 0;
    for (i, field) in fields.enumerate() {
        match row.cells.get_mut(i) {
            Some(Cell::Text(text)) => {
                text.clear();
                text.push_str(field);
            }
            Some(other) => *other = Cell::Text(field.to_string()),
            None => row.cells.push(Cell::Text(field.to_string())),
        }
        n = i + 1;
    }
    row.cells.truncate(n);
}

/// Line breaks (`\r\n`, `\n` or a lone `\r`) in `bytes`.
fn line_breaks_in(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// `text` split at every line break (`\r\n`, `\n` or a lone `\r`).
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        lines.push(&rest[..at]);
        let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + skip..];
    }
    lines.push(rest);
    lines
}

/// Line breaks (`\r\n`, `\n` or `\r`) starting at `pos`, and where the text after them
/// begins (a record's text, after the line breaks the reader skipped before it).
fn line_breaks_from(bytes: &[u8], pos: usize) -> (usize, usize) {
    let mut i = pos;
    let mut breaks = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\r' => {
                breaks += 1;
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            b'\n' => {
                breaks += 1;
                i += 1;
            }
            _ => break,
        }
    }
    (breaks, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(mut source: DelimitedRows<'_>) -> Vec<(u32, Vec<String>)> {
        let mut out = Vec::new();
        let mut row = Row::default();
        while source.next_row(&mut row).unwrap() {
            if row.is_blank() {
                continue;
            }
            out.push((
                row.number,
                row.cells.iter().map(|c| c.as_text().into_owned()).collect(),
            ));
        }
        out
    }

    #[test]
    fn sniffs_each_delimiter() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        // Commas inside quoted fields do not fool it.
        assert_eq!(
            sniff_delimiter("Name;Ort\n\"Meier, Hans\";Buer\n\"Kaya, Ali\";Horst\n"),
            b';'
        );
    }

    #[test]
    fn quoted_fields_keep_delimiters_and_line_breaks() {
        let text = "Name;Bemerkung\r\n\"Meier; Hans\";\"Zeile 1\r\nZeile 2\"\r\nKaya;x\r\n";
        let read = rows(DelimitedRows::csv(text, b';'));
        assert_eq!(read.len(), 3);
        assert_eq!(read[1].1, vec!["Meier; Hans", "Zeile 1\r\nZeile 2"]);
        // Row numbers count records, as Excel's rows do.
        assert_eq!(read[2].0, 3);
    }

    #[test]
    fn blank_lines_count_as_rows_like_in_excel() {
        let text = "\r\nh1;h2\r\n\"a\r\nb\";x\r\n\r\nc;d\r\n\r\n\r\ne;f";
        let numbers: Vec<u32> = rows(DelimitedRows::csv(text, b';'))
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(numbers, vec![2, 3, 5, 8]);
    }

    #[test]
    fn blank_lines_count_with_every_line_ending() {
        for term in ["\r\n", "\n", "\r"] {
            let text = ["h1;h2", "a;b", "", "c;d", "", "", "e;f", ""].join(term);
            let numbers: Vec<u32> = rows(DelimitedRows::csv(&text, b';'))
                .iter()
                .map(|r| r.0)
                .collect();
            assert_eq!(numbers, vec![1, 2, 4, 7], "{term:?}");
        }
    }

    #[test]
    fn schild_dat_takes_quotes_literally() {
        let text = "Nachname|Vorname\r\nO\"Neil|Sean\r\n";
        let read = rows(DelimitedRows::schild(text));
        assert_eq!(read[1].1, vec!["O\"Neil", "Sean"]);
    }
}
