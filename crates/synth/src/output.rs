//! Where generated files go (memory or disk) and the writers for delimited text and XLSX.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::Error;
use crate::date::Date;
use crate::noise::{Flags, Kind};
use crate::text::{Cp1252Fallback, encode_cp1252, encode_utf16le, to_cp1252_repr};

/// Receives generated files. Small files arrive whole, large ones as streams.
pub(crate) trait Sink {
    /// Stores a whole file.
    fn put(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), Error>;
    /// Opens a stream for a file; returns its id.
    fn open(&mut self, path: &str) -> Result<usize, Error>;
    /// Appends to a stream.
    fn write(&mut self, id: usize, bytes: &[u8]) -> Result<(), Error>;
    /// Finishes a stream.
    fn close(&mut self, id: usize) -> Result<(), Error>;
    /// Stores a workbook (the disk sink saves directly, so constant-memory sheets stream).
    fn save_workbook(&mut self, path: &str, wb: &mut Workbook) -> Result<(), Error> {
        let bytes = wb.save_to_buffer().map_err(xlsx_err)?;
        self.put(path, bytes)
    }
    /// Directory for temporary files of constant-memory worksheets.
    #[cfg(feature = "native")]
    fn tempdir(&self) -> Option<String> {
        None
    }
}

/// Converts a writer error.
pub(crate) fn xlsx_err(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

/// A sink that keeps every file in memory, in creation order.
#[derive(Default)]
pub(crate) struct MemorySink {
    pub files: Vec<(String, Vec<u8>)>,
    open: Vec<Option<usize>>,
}

impl Sink for MemorySink {
    fn put(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.files.push((path.to_string(), bytes));
        Ok(())
    }
    fn open(&mut self, path: &str) -> Result<usize, Error> {
        self.files.push((path.to_string(), Vec::new()));
        self.open.push(Some(self.files.len() - 1));
        Ok(self.open.len() - 1)
    }
    fn write(&mut self, id: usize, bytes: &[u8]) -> Result<(), Error> {
        let idx = self
            .open
            .get(id)
            .copied()
            .flatten()
            .ok_or_else(|| Error::Io(format!("stream {id} is not open")))?;
        self.files[idx].1.extend_from_slice(bytes);
        Ok(())
    }
    fn close(&mut self, id: usize) -> Result<(), Error> {
        match self.open.get_mut(id) {
            Some(slot) => {
                *slot = None;
                Ok(())
            }
            None => Err(Error::Io(format!("stream {id} is not open"))),
        }
    }
}

/// Text encodings of delimited files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1252,
    Utf16LeBom,
}

impl Encoding {
    /// Manifest label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf16LeBom => "utf-16le-bom",
        }
    }
}

/// How a delimited file is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextFormat {
    pub delimiter: char,
    pub encoding: Encoding,
    pub crlf: bool,
    /// Quote every field (otherwise only where needed).
    pub quote_all: bool,
    /// No quoting at all (SchILD): fields are sanitised instead.
    pub no_quoting: bool,
    /// What a Windows-1252 file does with characters beyond it.
    pub fallback: Cp1252Fallback,
}

/// A delimited text file being written.
pub(crate) struct TextFile {
    pub path: String,
    pub format: TextFormat,
    id: usize,
    buf: Vec<u8>,
    /// Rows written (spreadsheet rows: header and title lines count).
    pub rows: u32,
    /// Records with an embedded delimiter or line break (for the manifest).
    pub quoted_special: u32,
}

const FLUSH: usize = 1 << 20;

impl TextFile {
    /// Opens the file (writes a BOM if the encoding has one).
    pub(crate) fn open(sink: &mut dyn Sink, path: &str, format: TextFormat) -> Result<Self, Error> {
        let id = sink.open(path)?;
        let mut buf = Vec::with_capacity(FLUSH + 4096);
        match format.encoding {
            Encoding::Utf8Bom => buf.extend_from_slice(&[0xEF, 0xBB, 0xBF]),
            Encoding::Utf16LeBom => buf.extend_from_slice(&[0xFF, 0xFE]),
            _ => {}
        }
        Ok(TextFile {
            path: path.to_string(),
            format,
            id,
            buf,
            rows: 0,
            quoted_special: 0,
        })
    }

    /// Makes a name representable in the file's encoding, flagging replacements.
    pub(crate) fn fit(&self, s: &str, flags: &mut Flags) -> String {
        if self.format.encoding != Encoding::Windows1252 {
            return s.to_string();
        }
        let (out, changed) = to_cp1252_repr(s, self.format.fallback);
        if changed {
            flags.add(match self.format.fallback {
                Cp1252Fallback::Transliterate => Kind::Cp1252Transliterated,
                Cp1252Fallback::QuestionMark => Kind::Cp1252QuestionMark,
            });
        }
        out
    }

    fn encode(&mut self, s: &str) {
        match self.format.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => self.buf.extend_from_slice(s.as_bytes()),
            Encoding::Windows1252 => encode_cp1252(s, &mut self.buf),
            Encoding::Utf16LeBom => encode_utf16le(s, &mut self.buf),
        }
    }

    /// Writes one record; returns its spreadsheet row number (1-based).
    pub(crate) fn row<S: AsRef<str>>(
        &mut self,
        sink: &mut dyn Sink,
        fields: &[S],
    ) -> Result<u32, Error> {
        let d = self.format.delimiter;
        let mut line = String::with_capacity(fields.len() * 12);
        let mut special = false;
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                line.push(d);
            }
            let f = f.as_ref();
            if self.format.no_quoting {
                line.push_str(&crate::text::sanitize_unquoted(f, d));
                continue;
            }
            let needs = f.contains(d) || f.contains('"') || f.contains('\n') || f.contains('\r');
            if needs && (f.contains(d) || f.contains('\n')) {
                special = true;
            }
            if needs || self.format.quote_all {
                line.push('"');
                line.push_str(&f.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(f);
            }
        }
        line.push_str(if self.format.crlf { "\r\n" } else { "\n" });
        self.encode(&line);
        if special {
            self.quoted_special += 1;
        }
        self.rows += 1;
        if self.buf.len() >= FLUSH {
            sink.write(self.id, &self.buf)?;
            self.buf.clear();
        }
        Ok(self.rows)
    }

    /// Writes a finished line (already delimited, no quoting needed); returns its row number.
    pub(crate) fn line(&mut self, sink: &mut dyn Sink, line: &str) -> Result<u32, Error> {
        self.encode(line);
        self.encode(if self.format.crlf { "\r\n" } else { "\n" });
        self.rows += 1;
        if self.buf.len() >= FLUSH {
            sink.write(self.id, &self.buf)?;
            self.buf.clear();
        }
        Ok(self.rows)
    }

    /// Flushes and closes; returns the number of rows.
    pub(crate) fn finish(mut self, sink: &mut dyn Sink) -> Result<u32, Error> {
        if !self.buf.is_empty() {
            sink.write(self.id, &self.buf)?;
            self.buf.clear();
        }
        sink.close(self.id)?;
        Ok(self.rows)
    }
}

/// A worksheet that streams its rows to a temporary file.
#[cfg(feature = "native")]
fn constant_memory_sheet(wb: &mut Workbook) -> Result<&mut rust_xlsxwriter::Worksheet, Error> {
    wb.add_worksheet_with_constant_memory().map_err(xlsx_err)
}

/// Without the native feature there are no temporary files (the metropolis is refused
/// before any sheet is written).
#[cfg(not(feature = "native"))]
fn constant_memory_sheet(_wb: &mut Workbook) -> Result<&mut rust_xlsxwriter::Worksheet, Error> {
    Err(Error::Config(
        "Arbeitsblätter mit konstantem Speicher brauchen das Feature native".into(),
    ))
}

/// A spreadsheet cell.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    /// A date cell (serial number with a `dd.mm.yyyy` format).
    Date(Date),
    /// Nothing written.
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// An XLSX workbook being written, sheet after sheet, row after row.
pub(crate) struct XlsxFile {
    pub path: String,
    wb: Workbook,
    sheet: usize,
    /// Next row (0-based) of the current sheet.
    next_row: u32,
    date_format: Format,
    bold: Format,
    title: Format,
    constant_memory: bool,
    /// Sheet names and their row counts.
    pub sheets: Vec<(String, u32)>,
    /// Merged ranges written.
    pub merged: u32,
}

/// Rows of an XLSX sheet (Excel's limit).
pub(crate) const XLSX_MAX_ROWS: u32 = 1_048_576;

impl XlsxFile {
    /// A new workbook with fixed document properties (no clock).
    pub(crate) fn new(
        path: &str,
        created: Date,
        constant_memory: bool,
        sink: &dyn Sink,
    ) -> Result<Self, Error> {
        let mut wb = Workbook::new();
        let (y, m, d) = created.parts();
        let dt = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)
            .and_then(|t| t.and_hms(6, 0, 0))
            .map_err(xlsx_err)?;
        let props = DocProperties::new()
            .set_creation_datetime(&dt)
            .set_author("Stadt Gelsenkirchen (synthetisch)")
            .set_comment("Synthetische Testdaten von lagebild-synth, keine echten Personen");
        wb.set_properties(&props);
        #[cfg(feature = "native")]
        if constant_memory && let Some(dir) = sink.tempdir() {
            wb.set_tempdir(dir).map_err(xlsx_err)?;
        }
        #[cfg(not(feature = "native"))]
        let _ = sink;
        Ok(XlsxFile {
            path: path.to_string(),
            wb,
            sheet: 0,
            next_row: 0,
            date_format: Format::new().set_num_format("dd.mm.yyyy"),
            bold: Format::new()
                .set_bold()
                .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(12),
            constant_memory,
            sheets: Vec::new(),
            merged: 0,
        })
    }

    /// Starts a new sheet.
    pub(crate) fn add_sheet(&mut self, name: &str) -> Result<(), Error> {
        let ws = if self.constant_memory {
            constant_memory_sheet(&mut self.wb)?
        } else {
            self.wb.add_worksheet()
        };
        ws.set_name(name).map_err(xlsx_err)?;
        self.sheet = self.sheets.len();
        self.sheets.push((name.to_string(), 0));
        self.next_row = 0;
        Ok(())
    }

    fn ws(&mut self) -> Result<&mut rust_xlsxwriter::Worksheet, Error> {
        self.wb.worksheet_from_index(self.sheet).map_err(xlsx_err)
    }

    /// Name of the current sheet.
    pub(crate) fn sheet_name(&self) -> &str {
        self.sheets.get(self.sheet).map_or("", |s| s.0.as_str())
    }

    /// A title line merged across `cols` columns.
    pub(crate) fn title(&mut self, text: &str, cols: u16) -> Result<(), Error> {
        let r = self.next_row;
        let f = self.title.clone();
        let ws = self.ws()?;
        if cols > 1 {
            ws.merge_range(r, 0, r, cols - 1, text, &f)
                .map_err(xlsx_err)?;
        } else {
            ws.write_string_with_format(r, 0, text, &f)
                .map_err(xlsx_err)?;
        }
        if cols > 1 {
            self.merged += 1;
        }
        self.next_row += 1;
        self.bump();
        Ok(())
    }

    /// A line of merged group headers: `(first_col, last_col, text)`.
    pub(crate) fn group_header(&mut self, groups: &[(u16, u16, &str)]) -> Result<(), Error> {
        let r = self.next_row;
        let f = self.bold.clone();
        let ws = self.ws()?;
        for (a, b, text) in groups {
            if a == b {
                ws.write_string_with_format(r, *a, *text, &f)
                    .map_err(xlsx_err)?;
            } else {
                ws.merge_range(r, *a, r, *b, text, &f).map_err(xlsx_err)?;
            }
        }
        self.merged += groups.iter().filter(|(a, b, _)| a != b).count() as u32;
        self.next_row += 1;
        self.bump();
        Ok(())
    }

    /// An empty line.
    pub(crate) fn blank_line(&mut self) {
        self.next_row += 1;
        self.bump();
    }

    /// The header line; `trailing_empty` formatted but empty columns follow it.
    pub(crate) fn header(&mut self, names: &[&str], trailing_empty: u16) -> Result<u32, Error> {
        let r = self.next_row;
        let f = self.bold.clone();
        let ws = self.ws()?;
        for (c, n) in names.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *n, &f)
                .map_err(xlsx_err)?;
            ws.set_column_width(c as u16, (n.chars().count() as f64 + 4.0).max(11.0))
                .map_err(xlsx_err)?;
        }
        for t in 0..trailing_empty {
            ws.write_blank(r, names.len() as u16 + t, &f)
                .map_err(xlsx_err)?;
        }
        self.next_row += 1;
        self.bump();
        Ok(r + 1)
    }

    fn bump(&mut self) {
        if let Some(s) = self.sheets.get_mut(self.sheet) {
            s.1 = self.next_row;
        }
    }

    /// Writes one row; returns the 1-based Excel row number.
    pub(crate) fn row(&mut self, cells: &[Cell]) -> Result<u32, Error> {
        let r = self.next_row;
        let df = self.date_format.clone();
        let ws = self.ws()?;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(xlsx_err)?;
                }
                Cell::Number(n) => {
                    ws.write_number(r, c, *n).map_err(xlsx_err)?;
                }
                Cell::Date(d) => {
                    ws.write_number_with_format(r, c, d.excel_serial(), &df)
                        .map_err(xlsx_err)?;
                }
                Cell::Empty => {}
            }
        }
        self.next_row += 1;
        self.bump();
        Ok(r + 1)
    }

    /// Whether the current sheet is full.
    pub(crate) fn sheet_full(&self) -> bool {
        self.next_row >= XLSX_MAX_ROWS
    }

    /// Saves the workbook through the sink.
    pub(crate) fn finish(mut self, sink: &mut dyn Sink) -> Result<Vec<(String, u32)>, Error> {
        sink.save_workbook(&self.path, &mut self.wb)?;
        Ok(self.sheets)
    }
}
