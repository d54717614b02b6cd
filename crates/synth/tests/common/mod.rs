//! Shared helpers of the integration tests: generated cities (once per test binary), readers
//! for every container (with independent decoders: encoding_rs, csv, calamine) and the ground
//! truth.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use lagebild_synth::{Config, FileEntry, Noise, Output, Scale, generate};

/// The tiny city with default noise.
pub fn tiny() -> &'static Output {
    static OUT: OnceLock<Output> = OnceLock::new();
    OUT.get_or_init(|| generate(&Config::new(Scale::Tiny)).expect("tiny city"))
}

/// The tiny city without noise.
pub fn tiny_clean() -> &'static Output {
    static OUT: OnceLock<Output> = OnceLock::new();
    OUT.get_or_init(|| {
        let mut c = Config::new(Scale::Tiny);
        c.noise = Noise::none();
        generate(&c).expect("clean tiny city")
    })
}

/// The demo city (about 10,000 residents).
pub fn demo() -> &'static Output {
    static OUT: OnceLock<Output> = OnceLock::new();
    OUT.get_or_init(|| generate(&Config::new(Scale::Demo)).expect("demo city"))
}

/// Bytes of a file.
pub fn bytes<'a>(out: &'a Output, path: &str) -> &'a [u8] {
    &out.file(path)
        .unwrap_or_else(|| panic!("{path} missing"))
        .bytes
}

/// Decodes text by the manifest's encoding label, checking the BOM.
pub fn decode(bytes: &[u8], encoding: &str) -> String {
    match encoding {
        "utf-8" => {
            assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "unexpected BOM");
            String::from_utf8(bytes.to_vec()).expect("valid UTF-8")
        }
        "utf-8-bom" => {
            assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM missing");
            String::from_utf8(bytes[3..].to_vec()).expect("valid UTF-8")
        }
        "windows-1252" => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        "utf-16le-bom" => {
            assert!(bytes.starts_with(&[0xFF, 0xFE]), "UTF-16 LE BOM missing");
            let (text, had_errors) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
            assert!(!had_errors, "invalid UTF-16");
            text.into_owned()
        }
        other => panic!("unknown encoding {other}"),
    }
}

/// Records of a delimited file (header included), parsed by the csv crate (or split, for
/// files without quoting).
pub fn text_rows(entry: &FileEntry, bytes: &[u8]) -> Vec<Vec<String>> {
    let text = decode(bytes, entry.encoding.as_deref().expect("encoding"));
    let delim = entry.delimiter.as_deref().expect("delimiter");
    let crlf = entry.line_ending.as_deref() == Some("CRLF");
    if entry.quoting.as_deref() == Some("none") {
        let sep = if crlf { "\r\n" } else { "\n" };
        let body = text.strip_suffix(sep).expect("final line break");
        return body
            .split(sep)
            .map(|l| l.split(delim).map(str::to_string).collect())
            .collect();
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim.as_bytes()[0])
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_string).collect())
        .collect()
}

/// A spreadsheet cell as a test sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A date cell (serial number).
    Date(f64),
    Empty,
}

impl Cell {
    /// The cell as text (numbers without a fraction as integers).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) | Cell::Date(n) => {
                if n.fract() == 0.0 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            Cell::Empty => String::new(),
        }
    }
}

/// Sheets of a workbook (XLSX, XLS or ODS): name and rows from A1, padded.
pub fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Cell>>)> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("workbook");
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::new();
    for name in names {
        let range = wb.worksheet_range(&name).expect("sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
        for row in range.rows() {
            let mut cells = vec![Cell::Empty; c0 as usize];
            for d in row {
                cells.push(match d {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::DateTime(dt) => Cell::Date(dt.as_f64()),
                    // ODS stores date cells as ISO text: the same date cell.
                    Data::DateTimeIso(s) if s.len() >= 10 && s.as_bytes()[4] == b'-' => {
                        Cell::Date(excel_serial(&s[..10]))
                    }
                    Data::DateTimeIso(s) => Cell::Text(s.clone()),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::Empty => Cell::Empty,
                    other => Cell::Text(format!("{other:?}")),
                });
            }
            rows.push(cells);
        }
        out.push((name, rows));
    }
    out
}

/// Data rows of any export as (sheet, 1-based row, cells as text), after the header row.
/// Sum rows and empty rows are skipped.
pub fn data_rows(out: &Output, entry: &FileEntry) -> Vec<(String, u32, Vec<String>)> {
    let b = bytes(out, &entry.path);
    let mut rows = Vec::new();
    match entry.container.as_str() {
        "csv" | "txt" | "dat" => {
            for (i, r) in text_rows(entry, b)
                .into_iter()
                .enumerate()
                .skip(entry.header_row as usize)
            {
                rows.push((String::new(), i as u32 + 1, r));
            }
        }
        "xlsx" | "xls" | "ods" => {
            for (name, sheet) in sheets(b) {
                let header_idx = sheet
                    .iter()
                    .position(|r| {
                        r.first().map(Cell::text).as_deref()
                            == entry.header.first().map(String::as_str)
                    })
                    .expect("header row in sheet");
                for (i, r) in sheet.iter().enumerate().skip(header_idx + 1) {
                    let texts: Vec<String> = r.iter().map(Cell::text).collect();
                    let nonempty = texts.iter().filter(|t| !t.is_empty()).count();
                    if nonempty <= 1 {
                        continue;
                    }
                    rows.push((name.clone(), i as u32 + 1, texts));
                }
            }
        }
        other => panic!("no rows in {other}"),
    }
    rows
}

/// A `;` UTF-8 truth table as header-keyed maps.
pub fn truth_table(out: &Output, path: &str) -> Vec<BTreeMap<String, String>> {
    let text = String::from_utf8(bytes(out, path).to_vec()).expect("utf-8");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// `truth/records.csv` keyed by (file, sheet, row).
pub fn records(out: &Output) -> BTreeMap<(String, String, u32), BTreeMap<String, String>> {
    truth_table(out, "truth/records.csv")
        .into_iter()
        .map(|r| {
            let key = (
                r["file"].clone(),
                r["sheet"].clone(),
                r["row"].parse().expect("row"),
            );
            (key, r)
        })
        .collect()
}

/// `truth/persons.csv` keyed by id.
pub fn persons(out: &Output) -> BTreeMap<String, BTreeMap<String, String>> {
    truth_table(out, "truth/persons.csv")
        .into_iter()
        .map(|r| (r["person_id"].clone(), r))
        .collect()
}

/// `truth/addresses.csv` keyed by id.
pub fn addresses(out: &Output) -> BTreeMap<String, BTreeMap<String, String>> {
    truth_table(out, "truth/addresses.csv")
        .into_iter()
        .map(|r| (r["address_id"].clone(), r))
        .collect()
}

/// Column index of a header name.
pub fn col(entry: &FileEntry, name: &str) -> usize {
    entry
        .header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{} has no column {name}", entry.path))
}

/// `JJJJ-MM-TT` to `TT.MM.JJJJ`.
pub fn iso_to_dmy(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    format!("{}.{}.{}", p[2], p[1], p[0])
}

/// Excel serial day number of an ISO date.
pub fn excel_serial(iso: &str) -> f64 {
    let p: Vec<i64> = iso.split('-').map(|x| x.parse().expect("number")).collect();
    let (y, m, d) = (p[0], p[1], p[2]);
    let a = (14 - m) / 12;
    let yy = y + 4800 - a;
    let mm = m + 12 * a - 3;
    let jdn = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
    (jdn - 2_415_019) as f64
}

/// FNV-1a 64 of bytes.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
