//! Spreadsheets (XLSX, XLS, ODS) through calamine. XLSX sheets are streamed cell by cell, so a
//! sheet that claims a huge range costs nothing; XLS and ODS are read as ranges after the
//! checks in [`super::limits`].

use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Reader, Sheets, Xlsx};

use super::ImportError;
use super::grid::{Cell, Row, RowSource};

/// The spreadsheet formats Lagebild reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SheetFormat {
    /// Office Open XML (Excel 2007 and later).
    Xlsx,
    /// Excel 97-2003 (BIFF8).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
}

impl SheetFormat {
    /// Name shown in the import report.
    pub fn label(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "Excel (XLSX)",
            SheetFormat::Xls => "Excel 97-2003 (XLS)",
            SheetFormat::Ods => "OpenDocument (ODS)",
        }
    }
}

/// An opened workbook.
pub struct Workbook<'a> {
    sheets: Sheets<Cursor<&'a [u8]>>,
    /// The format of the workbook.
    pub format: SheetFormat,
    /// Cells that span rows, per sheet, where calamine does not tell them (ODS).
    spans: std::collections::HashMap<String, Vec<Dimensions>>,
}

fn broken(e: impl std::fmt::Display) -> ImportError {
    ImportError::BrokenSpreadsheet {
        detail: e.to_string(),
    }
}

impl<'a> Workbook<'a> {
    /// Opens a workbook of a known format.
    pub fn open(bytes: &'a [u8], format: SheetFormat) -> Result<Self, ImportError> {
        let cursor = Cursor::new(bytes);
        let sheets = match format {
            SheetFormat::Xlsx => {
                Sheets::Xlsx(calamine::open_workbook_from_rs(cursor).map_err(broken)?)
            }
            SheetFormat::Xls => {
                Sheets::Xls(calamine::open_workbook_from_rs(cursor).map_err(broken)?)
            }
            SheetFormat::Ods => {
                Sheets::Ods(calamine::open_workbook_from_rs(cursor).map_err(broken)?)
            }
        };
        Ok(Workbook {
            sheets,
            format,
            spans: std::collections::HashMap::new(),
        })
    }

    /// Names of the worksheets in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// The cells spanning rows of an ODS file's sheets (calamine does not tell them), from
    /// [`super::ods_scan`].
    pub fn set_spans(&mut self, sheets: Vec<super::ods_scan::OdsSheet>) {
        self.spans = sheets.into_iter().map(|s| (s.name, s.spans)).collect();
    }

    /// Names of the worksheets that are hidden in the workbook.
    pub fn hidden_sheets(&self) -> Vec<String> {
        self.sheets
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible != calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// Calls `f` with a row source over the named sheet, as written (merged cells as the
    /// file stores them: the value in the top cell only).
    pub fn with_rows<R>(
        &mut self,
        sheet: &str,
        f: impl FnOnce(&mut dyn RowSource) -> Result<R, ImportError>,
    ) -> Result<R, ImportError> {
        self.rows(sheet, Vec::new(), f)
    }

    /// The merged cells of the named sheet that span rows (reading them costs another pass
    /// over an XLSX sheet, so the importer asks only when blank cells suggest them).
    pub fn row_merges(&mut self, sheet: &str) -> Result<Vec<Dimensions>, ImportError> {
        let merges = match &mut self.sheets {
            Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(sheet).map_err(broken)?,
            Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(sheet).map_err(broken)?,
            _ => self.spans.get(sheet).cloned().unwrap_or_default(),
        };
        Ok(merges.into_iter().filter(|d| d.end.0 > d.start.0).collect())
    }

    /// Calls `f` with a row source over the named sheet, the value of every merge of `merges`
    /// filled into each row it spans (as Excel shows it: a name merged over three rows belongs
    /// to each of them).
    pub fn with_filled_rows<R>(
        &mut self,
        sheet: &str,
        merges: Vec<Dimensions>,
        f: impl FnOnce(&mut dyn RowSource) -> Result<R, ImportError>,
    ) -> Result<R, ImportError> {
        self.rows(sheet, merges, f)
    }

    fn rows<R>(
        &mut self,
        sheet: &str,
        merges: Vec<Dimensions>,
        f: impl FnOnce(&mut dyn RowSource) -> Result<R, ImportError>,
    ) -> Result<R, ImportError> {
        let fill = FillDown::new(merges);
        match &mut self.sheets {
            Sheets::Xlsx(xlsx) => {
                let mut source = XlsxRows::new(xlsx, sheet, fill)?;
                f(&mut source)
            }
            other => {
                let range = other.worksheet_range(sheet).map_err(broken)?;
                let (start_row, start_col) = range.start().unwrap_or((0, 0));
                let mut source = RangeRows {
                    rows: range.rows(),
                    start_row,
                    start_col,
                    next: 0,
                    fill,
                };
                f(&mut source)
            }
        }
    }
}

/// Merged cells that span rows: the value of a merge's top cell is filled into the same
/// column of every row below it that the merge covers.
struct FillDown {
    /// Merges not reached yet, the one starting first at the end.
    waiting: Vec<Dimensions>,
    /// Merges being filled, with their value.
    active: Vec<(Dimensions, Cell)>,
    /// Cells filled so far.
    filled: u64,
    /// Merges whose value was filled.
    regions: u64,
}

impl FillDown {
    fn new(merges: Vec<Dimensions>) -> FillDown {
        let mut waiting: Vec<Dimensions> =
            merges.into_iter().filter(|d| d.end.0 > d.start.0).collect();
        waiting.sort_by_key(|d| std::cmp::Reverse(d.start));
        FillDown {
            waiting,
            active: Vec::new(),
            filled: 0,
            regions: 0,
        }
    }

    /// Fills the cells of sheet row `row` (0-based) that merges from rows above cover.
    fn apply(&mut self, row: u32, cells: &mut Vec<Cell>) {
        if self.waiting.is_empty() && self.active.is_empty() {
            return;
        }
        self.active.retain(|(d, _)| d.end.0 >= row);
        while self.waiting.last().is_some_and(|d| d.start.0 <= row) {
            let Some(d) = self.waiting.pop() else { break };
            let top = cells.get(d.start.1 as usize).filter(|c| !c.is_blank());
            if let (true, Some(top)) = (d.start.0 == row, top) {
                self.active.push((d, top.clone()));
                self.regions += 1;
            }
        }
        for (d, value) in &self.active {
            let col = d.start.1 as usize;
            if d.start.0 == row || col >= MAX_SHEET_COLUMNS as usize {
                continue;
            }
            if cells.len() <= col {
                cells.resize(col + 1, Cell::Empty);
            }
            if cells[col].is_blank() {
                cells[col] = value.clone();
                self.filled += 1;
            }
        }
    }

    fn notes(&self) -> Vec<String> {
        if self.filled == 0 {
            return Vec::new();
        }
        vec![format!(
            "Zusammengeführte Zellen im Datenbereich: {} Bereiche über mehrere Zeilen; der Wert \
             der oberen Zelle gilt für jede Zeile des Bereichs und wurde in {} Zellen darunter \
             eingesetzt (wie Excel den Bereich zeigt).",
            crate::format::count(self.regions),
            crate::format::count(self.filled)
        )]
    }
}

fn data_ref_cell(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => date_cell(&dt),
        DataRef::DateTimeIso(s) => Cell::IsoDate(s),
        DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::Error(_) => Cell::Error,
    }
}

fn data_cell(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) => Cell::IsoDate(s.clone()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) => Cell::Error,
    }
}

fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        return Cell::Number(dt.as_f64());
    }
    let (year, month, day, ..) = dt.to_ymd_hms_milli();
    Cell::Date { year, month, day }
}

/// Streams the cells of one XLSX sheet and assembles them into rows.
struct XlsxRows<'w, 'a> {
    reader: calamine::XlsxCellReader<'w, Cursor<&'a [u8]>>,
    pending: Option<(u32, u32, Cell)>,
    done: bool,
    fill: FillDown,
}

impl<'w, 'a> XlsxRows<'w, 'a> {
    fn new(
        xlsx: &'w mut Xlsx<Cursor<&'a [u8]>>,
        sheet: &str,
        fill: FillDown,
    ) -> Result<Self, ImportError> {
        let reader = xlsx.worksheet_cells_reader(sheet).map_err(broken)?;
        Ok(XlsxRows {
            reader,
            pending: None,
            done: false,
            fill,
        })
    }

    fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>, ImportError> {
        if let Some(cell) = self.pending.take() {
            return Ok(Some(cell));
        }
        if self.done {
            return Ok(None);
        }
        // With the formula metadata (no text of shared formulas is expanded): a formula
        // without a cached value is told apart from an empty cell.
        match self
            .reader
            .next_cell_with_formula_metadata()
            .map_err(broken)?
        {
            Some(cell) => {
                let (row, col) = cell.pos;
                if row >= EXCEL_ROWS || col >= EXCEL_COLUMNS {
                    return Err(broken(
                        "ein Zellbezug liegt außerhalb des Excel-Blatts, das höchstens 1.048.576 Zeilen und 16.384 Spalten hat",
                    ));
                }
                let value = match (cell.value, cell.formula) {
                    (DataRef::Empty, Some(_)) => Cell::FormulaWithoutResult,
                    (value, _) => data_ref_cell(value),
                };
                Ok(Some((row, col, value)))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

/// Rows of an Excel sheet (1,048,576). A cell reference beyond it (which calamine 0.38 reads
/// without an overflow check, so a huge one wraps around) marks the file as broken.
const EXCEL_ROWS: u32 = 1 << 20;

/// Columns of an Excel sheet (16,384, up to `XFD`).
const EXCEL_COLUMNS: u32 = 1 << 14;

/// Most columns kept per spreadsheet row; cells further right are ignored (the header check
/// refuses sheets whose header is wider than the configured limit).
const MAX_SHEET_COLUMNS: u32 = 4096;

impl RowSource for XlsxRows<'_, '_> {
    fn next_row(&mut self, row: &mut Row) -> Result<bool, ImportError> {
        row.cells.clear();
        row.problem = None;
        let Some((first_row, col, value)) = self.next_cell()? else {
            return Ok(false);
        };
        row.number = first_row + 1;
        let put = |cells: &mut Vec<Cell>, col: u32, value: Cell| {
            if col < MAX_SHEET_COLUMNS {
                let col = col as usize;
                if cells.len() <= col {
                    cells.resize(col + 1, Cell::Empty);
                }
                cells[col] = value;
            }
        };
        put(&mut row.cells, col, value);
        while let Some((r, c, v)) = self.next_cell()? {
            if r != first_row {
                self.pending = Some((r, c, v));
                break;
            }
            put(&mut row.cells, c, v);
        }
        self.fill.apply(first_row, &mut row.cells);
        Ok(true)
    }

    fn notes(&self) -> Vec<String> {
        self.fill.notes()
    }
}

/// Rows of a sheet read as a whole range (XLS, ODS).
struct RangeRows<'r> {
    rows: calamine::Rows<'r, Data>,
    start_row: u32,
    start_col: u32,
    next: u32,
    fill: FillDown,
}

impl RowSource for RangeRows<'_> {
    fn next_row(&mut self, row: &mut Row) -> Result<bool, ImportError> {
        let Some(cells) = self.rows.next() else {
            return Ok(false);
        };
        row.number = self.start_row + self.next + 1;
        row.cells.clear();
        row.problem = None;
        row.cells
            .extend(std::iter::repeat_n(Cell::Empty, self.start_col as usize));
        row.cells.extend(cells.iter().map(data_cell));
        self.fill.apply(self.start_row + self.next, &mut row.cells);
        self.next += 1;
        Ok(true)
    }

    fn notes(&self) -> Vec<String> {
        self.fill.notes()
    }
}
