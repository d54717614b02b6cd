//! Limits that keep a bad or hostile file from exhausting memory, checked before allocating.

use std::io::{Cursor, Read, Write};

use serde::{Deserialize, Serialize};

use super::ImportError;

/// Configurable caps of the import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest file accepted, in bytes (default 1 GiB).
    pub max_file_bytes: u64,
    /// Largest total uncompressed size of a spreadsheet archive (default 4 GiB).
    pub max_unpacked_bytes: u64,
    /// Largest compression ratio of one archive entry above 1 MiB (default 200:1).
    pub max_compression_ratio: u64,
    /// Most columns a header may have (default 500).
    pub max_columns: usize,
    /// Longest cell, in bytes (default 32 KiB, Excel's own limit).
    pub max_cell_bytes: usize,
    /// Most cells an XLS sheet may declare (default 20 million).
    pub max_declared_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_unpacked_bytes: 4 << 30,
            max_compression_ratio: 200,
            max_columns: 500,
            max_cell_bytes: 32 * 1024,
            max_declared_cells: 20_000_000,
        }
    }
}

/// Checks a zip-based spreadsheet (XLSX, ODS) from its central directory, before any entry is
/// unpacked: total and per-entry sizes, and the shared-string count XLSX readers reserve for.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::BrokenSpreadsheet {
            detail: format!("ZIP-Verzeichnis nicht lesbar ({e})"),
        })?;
    let mut total: u64 = 0;
    let mut shared_strings: Option<(usize, u64)> = None;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            return Err(ImportError::BrokenSpreadsheet {
                detail: format!("ZIP-Eintrag {i} nicht lesbar"),
            });
        };
        let entry_name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let unpacked = entry.size();
        let packed = entry.compressed_size().max(1);
        total = total.saturating_add(unpacked);
        if unpacked > 1 << 20 && unpacked / packed > limits.max_compression_ratio {
            return Err(ImportError::ZipBomb {
                entry: entry_name.clone(),
                unpacked,
                packed,
            });
        }
        if entry_name.eq_ignore_ascii_case("xl/sharedStrings.xml") {
            shared_strings = Some((i, unpacked));
        }
    }
    if total > limits.max_unpacked_bytes {
        return Err(ImportError::TooLargeUnpacked {
            unpacked: total,
            limit: limits.max_unpacked_bytes,
        });
    }
    if let Some((index, unpacked)) = shared_strings {
        let declared = declared_unique_strings(&mut archive, index)?;
        // Every shared string needs at least `<si><t/></si>` (14 bytes) in the XML.
        if declared.is_some_and(|n| n > unpacked / 14 + 1) {
            return Err(ImportError::BogusDimension {
                what: format!(
                    "Tabelle der Texte meldet {} Einträge bei {} Byte",
                    declared.unwrap_or(0),
                    unpacked
                ),
            });
        }
    }
    Ok(())
}

fn declared_unique_strings(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
) -> Result<Option<u64>, ImportError> {
    let entry = archive
        .by_index(index)
        .map_err(|e| ImportError::BrokenSpreadsheet {
            detail: format!("Texttabelle nicht lesbar ({e})"),
        })?;
    let mut head = Vec::with_capacity(2048);
    entry
        .take(2048)
        .read_to_end(&mut head)
        .map_err(|e| ImportError::BrokenSpreadsheet {
            detail: format!("Texttabelle nicht lesbar ({e})"),
        })?;
    let head = String::from_utf8_lossy(&head);
    let Some(pos) = head.find("uniqueCount=\"") else {
        return Ok(None);
    };
    let digits: String = head[pos + 13..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Ok(Some(digits.parse().unwrap_or(u64::MAX)))
}

/// Checks an XLS (BIFF) file and returns it re-packed for calamine: the workbook stream is read
/// with the `cfb` crate and its records are checked (declared and spanned ranges, sheet
/// positions; readers reserve memory for every cell of a range), rewritten to the records
/// calamine needs for values ([`super::xls_clean`]), and written into a fresh, well-formed
/// OLE2 container. calamine 0.38's own container reader trusts sector numbers and its record
/// readers trust record lengths; both panicked on broken files (found by fuzzing), so calamine
/// only ever sees the clean copy.
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, ImportError> {
    let broken = |e: std::io::Error| ImportError::BrokenSpreadsheet {
        detail: format!("XLS-Container nicht lesbar ({e})"),
    };
    let (name, data) = xls_workbook_stream(bytes, limits.max_file_bytes)?;
    check_xls_ranges(&xls_sheet_ranges(&data), data.len(), limits)?;
    let mut pos = 0usize;
    while let Some(header) = data.get(pos..pos + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        if kind == 0x0200 {
            let body = data.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
            check_xls_dimensions(body, data.len(), limits)?;
        }
        pos += 4 + len;
    }
    // Only the records calamine needs for values, each checked for what calamine reads.
    let data = super::xls_clean::clean_workbook_stream(&data)?;
    let mut clean = cfb::CompoundFile::create_with_version(
        cfb::Version::V3,
        Cursor::new(Vec::with_capacity(data.len() + 4096)),
    )
    .map_err(broken)?;
    clean
        .create_stream(name)
        .and_then(|mut stream| stream.write_all(&data))
        .map_err(broken)?;
    clean.flush().map_err(broken)?;
    Ok(clean.into_inner().into_inner())
}

/// The range calamine builds for one sheet of an XLS workbook: from the first to the last row
/// and column its cell records name, and how many cell records it has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XlsSheetRange {
    /// Rows of the range.
    pub rows: u64,
    /// Columns of the range.
    pub columns: u64,
    /// Cell records (a MULRK or MULBLANK counts its cells).
    pub records: u64,
}

impl XlsSheetRange {
    /// Cells of the range.
    pub fn cells(&self) -> u64 {
        self.rows.saturating_mul(self.columns)
    }
}

/// The ranges of the sheets of an XLS workbook stream, from its cell records' positions:
/// calamine sizes a sheet's range from them, so one stray cell far away makes it reserve
/// everything in between. Each substream from a BOF to its EOF is one sheet (embedded charts
/// inside it count with it).
pub fn xls_sheet_ranges(data: &[u8]) -> Vec<XlsSheetRange> {
    let mut sheets = Vec::new();
    let mut depth = 0usize;
    let mut span: Option<(u32, u32, u32, u32)> = None;
    let mut records = 0u64;
    let mut pos = 0usize;
    let mut close = |span: &mut Option<(u32, u32, u32, u32)>, records: &mut u64| {
        if let Some((r0, r1, c0, c1)) = span.take() {
            sheets.push(XlsSheetRange {
                rows: u64::from(r1 - r0) + 1,
                columns: u64::from(c1 - c0) + 1,
                records: *records,
            });
        }
        *records = 0;
    };
    while let Some(header) = data.get(pos..pos + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let body = data.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        pos += 4 + len;
        match kind {
            0x0809 => depth += 1,
            0x000A => {
                if depth == 1 {
                    close(&mut span, &mut records);
                }
                depth = depth.saturating_sub(1);
            }
            _ if XLS_CELL_RECORDS.contains(&kind) && body.len() >= 6 => {
                let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
                let row = u16_at(0);
                let first_col = u16_at(2);
                // MULRK and MULBLANK name their last column in their final two bytes.
                let last_col = if matches!(kind, 0x00BD | 0x00BE) {
                    u16_at(body.len() - 2).max(first_col)
                } else {
                    first_col
                };
                records += u64::from(last_col - first_col) + 1;
                span = Some(match span {
                    None => (row, row, first_col, last_col),
                    Some((r0, r1, c0, c1)) => (
                        r0.min(row),
                        r1.max(row),
                        c0.min(first_col),
                        c1.max(last_col),
                    ),
                });
            }
            _ => {}
        }
    }
    close(&mut span, &mut records);
    sheets
}

/// Every sheet's range under the cap and plausible for the size of the workbook stream
/// (`stream_bytes`).
pub fn check_xls_ranges(
    ranges: &[XlsSheetRange],
    stream_bytes: usize,
    limits: &Limits,
) -> Result<(), ImportError> {
    for sheet in ranges {
        check_declared(
            sheet.rows,
            sheet.columns,
            stream_bytes,
            limits,
            "die Zellen eines Tabellenblatts reichen über",
        )?;
    }
    Ok(())
}

/// The name and the bytes (at most `limit`) of the workbook stream of an XLS (OLE2) file,
/// read with the `cfb` crate.
pub fn xls_workbook_stream(
    bytes: &[u8],
    limit: u64,
) -> Result<(&'static str, Vec<u8>), ImportError> {
    let broken = |e: std::io::Error| ImportError::BrokenSpreadsheet {
        detail: format!("XLS-Container nicht lesbar ({e})"),
    };
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(broken)?;
    let name = if container.is_stream("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut stream = container.open_stream(name).map_err(broken)?;
    let mut data = Vec::new();
    stream
        .by_ref()
        .take(limit)
        .read_to_end(&mut data)
        .map_err(broken)?;
    Ok((name, data))
}

/// Checks an ODS file's sheets as calamine will hold them (repetitions expanded, see
/// [`super::ods_scan`]): every sheet's range under the cap and plausible for the size of the
/// file's `content.xml`. Returns the sheets (their cells spanning rows are filled down later).
pub fn check_ods(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<super::ods_scan::OdsSheet>, ImportError> {
    let content = zip::ZipArchive::new(Cursor::new(bytes))
        .ok()
        .and_then(|mut a| a.by_name("content.xml").ok().map(|e| e.size()))
        .unwrap_or(0);
    let sheets = super::ods_scan::scan(bytes)?;
    for sheet in &sheets {
        check_declared(
            sheet.rows,
            sheet.columns,
            content as usize,
            limits,
            &format!(
                "das Tabellenblatt „{}“ ergibt mit seinen Wiederholungsangaben (number-rows-repeated, number-columns-repeated)",
                sheet.name
            ),
        )?;
    }
    Ok(sheets)
}

/// BIFF records that hold one cell (or a run of cells) with its row and column first: FORMULA,
/// MULRK, MULBLANK, RSTRING, LABELSST, BLANK, NUMBER, LABEL, BOOLERR, RK.
const XLS_CELL_RECORDS: [u16; 10] = [
    0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E,
];

/// The cells a sheet spans (declared or by its cells' positions) must stay under the cap and
/// be plausible for the size of the workbook stream.
fn check_declared(
    rows: u64,
    cols: u64,
    stream_bytes: usize,
    limits: &Limits,
    what: &str,
) -> Result<(), ImportError> {
    let cells = rows.saturating_mul(cols);
    if cells > limits.max_declared_cells {
        return Err(ImportError::BogusDimension {
            what: format!("{what} {rows} Zeilen × {cols} Spalten"),
        });
    }
    let plausible = (stream_bytes as u64)
        .saturating_mul(XLS_CELLS_PER_BYTE)
        .max(XLS_CELLS_FLOOR);
    if cells > plausible {
        return Err(ImportError::BogusDimension {
            what: format!(
                "{what} {rows} Zeilen × {cols} Spalten, die Datei enthält aber nur {} Tabellendaten",
                crate::format::file_size(stream_bytes as u64)
            ),
        });
    }
    Ok(())
}

/// Most cells a sheet may span per byte of its data (the XLS workbook stream, the ODS
/// `content.xml`), above a floor of [`XLS_CELLS_FLOOR`]: calamine reserves every cell of the
/// range. A real XLS sheet fills its range with records of 2 (MULBLANK) to 18 bytes per cell,
/// an ODS sheet needs some 50 bytes of XML per cell; a file that asks for 8 cells per byte
/// repeats or scatters cells to make a reader reserve memory (a 424 KB XLS asked for 1 GB, an
/// 11 KB ODS for 6 GB).
const XLS_CELLS_PER_BYTE: u64 = 8;

/// Cells always accepted, whatever the data size (1 million: some 100 MB reserved).
const XLS_CELLS_FLOOR: u64 = 1_000_000;

/// One DIMENSIONS record, read as calamine reads it (BIFF5: 16-bit rows, BIFF8: 32-bit): the
/// declared cells must stay under the cap and be plausible for the size of the workbook
/// stream (`stream_bytes`), and the range must not end before it starts (the reader would
/// compute a negative size).
fn check_xls_dimensions(
    body: &[u8],
    stream_bytes: usize,
    limits: &Limits,
) -> Result<(), ImportError> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let (first_row, row_after, first_col, col_after) = match body.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (
            u32::from_le_bytes([body[0], body[1], body[2], body[3]]),
            u32::from_le_bytes([body[4], body[5], body[6], body[7]]),
            u16_at(8),
            u16_at(10),
        ),
        _ => return Ok(()),
    };
    if row_after == 0 || col_after == 0 {
        return Ok(());
    }
    let first_col = if first_col > 0xFF || col_after < first_col {
        0
    } else {
        first_col
    };
    if first_row >= row_after || first_col >= col_after {
        return Err(ImportError::BogusDimension {
            what: format!(
                "Tabellenblatt meldet einen Bereich, der vor seinem Anfang endet (Zeilen {} bis {})",
                u64::from(first_row) + 1,
                row_after
            ),
        });
    }
    let rows = u64::from(row_after - first_row);
    let cols = u64::from(col_after - first_col);
    check_declared(rows, cols, stream_bytes, limits, "Tabellenblatt meldet")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_unpacking() {
        let bomb = zip_with(&[("xl/worksheets/sheet1.xml", vec![b'a'; 50 << 20])]);
        assert!(bomb.len() < 1 << 20);
        match check_zip(&bomb, &Limits::default()) {
            Err(ImportError::ZipBomb { unpacked, .. }) => assert_eq!(unpacked, 50 << 20),
            other => panic!("expected ZipBomb, got {other:?}"),
        }
    }

    #[test]
    fn a_bogus_shared_string_count_is_refused() {
        let sst = br#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
        let file = zip_with(&[("xl/sharedStrings.xml", sst.to_vec())]);
        assert!(matches!(
            check_zip(&file, &Limits::default()),
            Err(ImportError::BogusDimension { .. })
        ));
    }

    #[test]
    fn an_ordinary_archive_passes() {
        let sst = br#"<sst uniqueCount="1"><si><t>a</t></si></sst>"#;
        let file = zip_with(&[("xl/sharedStrings.xml", sst.to_vec())]);
        assert!(check_zip(&file, &Limits::default()).is_ok());
    }

    /// An OLE2 file whose workbook stream holds `records` (BIFF record bytes).
    fn xls_with(records: &[u8]) -> Vec<u8> {
        let mut container = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        container
            .create_stream("/Workbook")
            .unwrap()
            .write_all(records)
            .unwrap();
        container.flush().unwrap();
        container.into_inner().into_inner()
    }

    fn dimensions(rows: u32, cols: u16) -> Vec<u8> {
        let mut record = vec![0x00, 0x02, 0x0E, 0x00];
        record.extend_from_slice(&0u32.to_le_bytes());
        record.extend_from_slice(&rows.to_le_bytes());
        record.extend_from_slice(&0u16.to_le_bytes());
        record.extend_from_slice(&cols.to_le_bytes());
        record.extend_from_slice(&[0, 0]);
        record
    }

    #[test]
    fn an_xls_claiming_the_whole_grid_is_refused() {
        let bogus = xls_with(&dimensions(4_000_000_000, 255));
        assert!(matches!(
            check_xls(&bogus, &Limits::default()),
            Err(ImportError::BogusDimension { .. })
        ));
        // A sheet of 60,000 × 15 cells declares fewer than the floor: fine in any file.
        assert!(check_xls(&xls_with(&dimensions(60_000, 15)), &Limits::default()).is_ok());
        // 60,000 × 20 needs a workbook stream of some size (at 8 cells per byte some 150 KB;
        // here 160 KB of other records).
        let mut with_data = dimensions(60_000, 20);
        for _ in 0..20 {
            with_data.extend_from_slice(&[0x34, 0x12, 0x40, 0x1F]);
            with_data.extend_from_slice(&[0u8; 0x1F40]);
        }
        assert!(check_xls(&xls_with(&with_data), &Limits::default()).is_ok());
        assert!(matches!(
            check_xls(&xls_with(&dimensions(60_000, 20)), &Limits::default()),
            Err(ImportError::BogusDimension { .. })
        ));
    }

    #[test]
    fn a_range_ending_before_its_start_is_refused() {
        // Found by the `spreadsheet` fuzz target: calamine computed `end - start + 1` and
        // overflowed. BIFF8 (14 bytes) and BIFF5 (10 bytes), rows and columns.
        let mut biff8 = vec![0x00, 0x02, 0x0E, 0x00];
        biff8.extend_from_slice(&9u32.to_le_bytes());
        biff8.extend_from_slice(&5u32.to_le_bytes());
        biff8.extend_from_slice(&[0, 0, 3, 0, 0, 0]);
        let mut biff5 = vec![0x00, 0x02, 0x0A, 0x00];
        biff5.extend_from_slice(&[0, 0, 5, 0, 4, 0, 4, 0, 0, 0]);
        for records in [biff8, biff5] {
            match check_xls(&xls_with(&records), &Limits::default()) {
                Err(ImportError::BogusDimension { what }) => {
                    assert!(what.contains("vor seinem Anfang endet"), "{what}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn dimension_bytes_inside_other_records_do_not_count() {
        // A LABEL-like record (type 0x0204) whose payload happens to contain the bytes of a
        // huge DIMENSIONS record.
        let fake = dimensions(4_000_000_000, 255);
        let mut record = vec![0x04, 0x02];
        record.extend_from_slice(&(fake.len() as u16).to_le_bytes());
        record.extend_from_slice(&fake);
        assert!(check_xls(&xls_with(&record), &Limits::default()).is_ok());
    }
}
