//! Rewrites an XLS workbook stream (BIFF) into the small, well-formed subset calamine needs
//! for cell values, before calamine sees it.
//!
//! calamine 0.38's XLS reader reads record contents at fixed offsets without length checks
//! in many places (defined names, formulas, merged cells, rich strings, ...); fuzzing found one
//! such panic after another. Instead of guarding each, only these records reach it, each
//! checked for the bytes calamine reads:
//!
//! - workbook globals: BOF, FILEPASS (so encrypted files are still refused as such),
//!   CODEPAGE, DATEMODE, FORMAT, XF, BOUNDSHEET (sheet positions recomputed) and the shared
//!   strings (SST), rewritten in one canonical form (UTF-16, no formatting runs, no phonetic
//!   blocks, strings split across CONTINUE records only between characters);
//! - each sheet: BOF, DIMENSIONS, the value records (NUMBER, RK, MULRK, LABEL, RSTRING,
//!   LABELSST, BOOLERR), FORMULA with its cached value but without its formula tokens, and the
//!   STRING holding a formula's text result; embedded substreams (charts) are left out.
//!
//! Everything else (defined names, external sheet references, merged cells, drawings, fonts,
//! styles, page setup) is dropped: the importer reads only values, and their number formats
//! (for dates). A record whose length does not fit what calamine reads makes the file broken.

use crate::import::ImportError;

/// Longest body of a BIFF8 record (CONTINUE records carry the rest).
const MAX_RECORD_BODY: usize = 8224;

/// One record of the stream: its kind, body and the bodies of the CONTINUE records after it.
struct Record<'a> {
    kind: u16,
    body: &'a [u8],
    continued: Vec<&'a [u8]>,
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const FILEPASS: u16 = 0x002F;
const CODEPAGE: u16 = 0x0042;
const DATEMODE: u16 = 0x0022;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const MERGECELLS: u16 = 0x00E5;

/// Value records calamine reads from a sheet, with the shortest body it accepts without
/// reading past the end: NUMBER, RK, MULRK, LABEL, RSTRING, LABELSST, BOOLERR (each of them
/// checks its own length in calamine 0.38; the minimum here keeps that so for any version).
const SHEET_VALUE_RECORDS: [(u16, usize); 7] = [
    (0x0203, 14),
    (0x027E, 10),
    (0x00BD, 6),
    (0x0204, 6),
    (0x00D6, 6),
    (0x00FD, 10),
    (0x0205, 8),
];

fn broken(detail: impl Into<String>) -> ImportError {
    ImportError::BrokenSpreadsheet {
        detail: detail.into(),
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

/// The records from `start` on, as calamine groups them (CONTINUE records belong to the record
/// before them); read only as far as the caller goes, like calamine, which stops at the EOF.
struct Records<'a> {
    stream: &'a [u8],
    pos: usize,
}

fn records(stream: &[u8], start: usize) -> Records<'_> {
    Records { stream, pos: start }
}

impl<'a> Records<'a> {
    fn raw(&mut self) -> Option<Result<(u16, &'a [u8]), ImportError>> {
        if self.pos >= self.stream.len() {
            return None;
        }
        let pos = self.pos;
        let (Some(kind), Some(len)) = (u16_at(self.stream, pos), u16_at(self.stream, pos + 2))
        else {
            self.pos = self.stream.len();
            return Some(Err(broken(
                "die Tabellendaten enden mitten in einem Satzkopf",
            )));
        };
        let Some(body) = self.stream.get(pos + 4..pos + 4 + usize::from(len)) else {
            self.pos = self.stream.len();
            return Some(Err(broken(
                "ein Satz der Tabellendaten reicht über ihr Ende hinaus",
            )));
        };
        self.pos = pos + 4 + usize::from(len);
        Some(Ok((kind, body)))
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (kind, body) = match self.raw()? {
            Ok(raw) => raw,
            Err(e) => return Some(Err(e)),
        };
        let mut continued = Vec::new();
        while u16_at(self.stream, self.pos) == Some(CONTINUE) {
            match self.raw() {
                Some(Ok((_, body))) => continued.push(body),
                Some(Err(e)) => return Some(Err(e)),
                None => break,
            }
        }
        Some(Ok(Record {
            kind,
            body,
            continued,
        }))
    }
}

/// Appends one record (kind and body) to `out`.
fn put(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(body.len() as u16).to_le_bytes());
    out.extend_from_slice(body);
}

/// Requires `min` bytes in the body of a record calamine reads at fixed offsets.
fn need(record: &Record<'_>, min: usize, what: &str) -> Result<(), ImportError> {
    if record.body.len() < min {
        return Err(broken(format!(
            "der Satz {what} ist mit {} Byte zu kurz, nötig sind mindestens {min}",
            record.body.len()
        )));
    }
    Ok(())
}

/// Rewrites the workbook stream `stream` (see the module documentation).
pub fn clean_workbook_stream(stream: &[u8]) -> Result<Vec<u8>, ImportError> {
    let mut out = Vec::with_capacity(stream.len());
    // Where each BOUNDSHEET's position field is in `out`, with the old position.
    let mut sheet_refs: Vec<(usize, usize)> = Vec::new();
    // The workbook globals, up to their EOF.
    for record in records(stream, 0) {
        let record = &record?;
        match record.kind {
            BOF => {
                need(record, 2, "Anfang eines Teils (BOF)")?;
                put(&mut out, BOF, record.body);
            }
            FILEPASS | CODEPAGE | DATEMODE => {
                let what = match record.kind {
                    FILEPASS => "Kennwortschutz (FILEPASS)",
                    CODEPAGE => "Zeichensatz (CODEPAGE)",
                    _ => "Datumsbasis (DATEMODE)",
                };
                need(record, 2, what)?;
                put(&mut out, record.kind, record.body);
            }
            // calamine checks their lengths itself (and stops at a wrong one with an error).
            FORMAT | XF => put(&mut out, record.kind, record.body),
            BOUNDSHEET => {
                need(record, 6, "Tabellenblatt (BOUNDSHEET)")?;
                let old = u32::from_le_bytes([
                    record.body[0],
                    record.body[1],
                    record.body[2],
                    record.body[3],
                ]) as usize;
                // calamine 0.38 slices the stream there without a check (`&stream[pos..]`).
                if old > stream.len() {
                    return Err(broken(format!(
                        "ein Tabellenblatt soll bei Byte {old} beginnen, die Tabellendaten sind aber nur {} Byte lang",
                        stream.len()
                    )));
                }
                sheet_refs.push((out.len() + 4, old));
                put(&mut out, BOUNDSHEET, record.body);
            }
            SST => {
                let strings = shared_strings(record)?;
                write_sst(&mut out, &strings);
            }
            EOF => {
                put(&mut out, EOF, &[]);
                break;
            }
            _ => {}
        }
    }
    // Each distinct sheet stream once (several BOUNDSHEETs may name the same position).
    let mut written: Vec<(usize, usize)> = Vec::new();
    for (field, old) in sheet_refs {
        let new = match written.iter().find(|(o, _)| *o == old) {
            Some((_, new)) => *new,
            None => {
                let new = out.len();
                write_sheet(&mut out, records(stream, old))?;
                written.push((old, new));
                new
            }
        };
        let new = u32::try_from(new).map_err(|_| broken("die Tabellendaten sind zu groß"))?;
        out[field..field + 4].copy_from_slice(&new.to_le_bytes());
    }
    Ok(out)
}

/// Writes the records of one sheet that calamine reads, up to its EOF; nested substreams
/// (embedded charts, from their BOF to their EOF) are left out.
fn write_sheet(out: &mut Vec<u8>, sheet: Records<'_>) -> Result<(), ImportError> {
    let mut depth = 0usize;
    let mut seen_bof = false;
    for record in sheet {
        let record = &record?;
        if depth > 0 {
            match record.kind {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match record.kind {
            BOF if seen_bof => depth += 1,
            BOF => {
                seen_bof = true;
                need(record, 2, "Anfang eines Teils (BOF)")?;
                put(out, BOF, record.body);
            }
            EOF => break,
            // Its declared range is checked before (`limits::check_xls`); calamine reads
            // 10, 14 or 16 bytes and refuses other lengths itself.
            DIMENSIONS => put(out, DIMENSIONS, record.body),
            FORMULA => {
                need(record, 20, "Formel (FORMULA)")?;
                // Row, column, format, cached value and flags; no formula tokens (cce = 0).
                let mut body = record.body[..20].to_vec();
                body.extend_from_slice(&[0, 0]);
                put(out, FORMULA, &body);
            }
            STRING => put(out, STRING, record.body),
            MERGECELLS => {
                // calamine reads as many 8-byte ranges as the count says, without a check: a
                // record shorter than its count is left out (the cells stay as written).
                let count = u16_at(record.body, 0).map(usize::from);
                if count.is_some_and(|n| record.body.len() >= 2 + 8 * n) {
                    put(out, MERGECELLS, record.body);
                }
            }
            kind => {
                if let Some((_, min)) = SHEET_VALUE_RECORDS.iter().find(|(k, _)| *k == kind) {
                    need(record, *min, &format!("Zellwert (0x{kind:04X})"))?;
                    put(out, kind, record.body);
                }
            }
        }
    }
    put(out, EOF, &[]);
    Ok(())
}

/// Reads the shared strings of an SST record and its CONTINUE records as UTF-16 code units
/// (compressed characters widened), without formatting runs and phonetic blocks.
fn shared_strings(record: &Record<'_>) -> Result<Vec<Vec<u16>>, ImportError> {
    let bad = || broken("die Liste der Texte (SST) ist beschädigt");
    let mut parts = std::iter::once(record.body).chain(record.continued.iter().copied());
    let mut data = parts.next().unwrap_or_default();
    data = data.get(8..).ok_or_else(bad)?;
    let mut strings = Vec::new();
    loop {
        if data.is_empty() {
            match parts.next() {
                Some(next) => {
                    data = next;
                    continue;
                }
                None => break,
            }
        }
        let header = data.get(..3).ok_or_else(bad)?;
        let chars = usize::from(u16::from_le_bytes([header[0], header[1]]));
        let flags = header[2];
        data = &data[3..];
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x08 != 0 {
            runs = usize::from(u16_at(data, 0).ok_or_else(bad)?);
            data = &data[2..];
        }
        if flags & 0x04 != 0 {
            let b = data.get(..4).ok_or_else(bad)?;
            ext =
                usize::try_from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])).map_err(|_| bad())?;
            data = &data[4..];
        }
        let mut wide = flags & 0x01 != 0;
        let mut text = Vec::with_capacity(chars.min(data.len()));
        while text.len() < chars {
            if data.is_empty() {
                // The characters go on in the next CONTINUE, which starts with new flags.
                let next = parts.next().ok_or_else(bad)?;
                let (&flags, rest) = next.split_first().ok_or_else(bad)?;
                wide = flags & 0x01 != 0;
                data = rest;
                continue;
            }
            let want = chars - text.len();
            if wide {
                let n = want.min(data.len() / 2);
                if n == 0 {
                    return Err(bad());
                }
                text.extend(
                    data[..2 * n]
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]])),
                );
                data = &data[2 * n..];
            } else {
                let n = want.min(data.len());
                text.extend(data[..n].iter().map(|&b| u16::from(b)));
                data = &data[n..];
            }
        }
        // Formatting runs (4 bytes each) and the phonetic block, across CONTINUE records.
        let mut skip = runs.saturating_mul(4).saturating_add(ext);
        while skip > 0 {
            if data.is_empty() {
                data = parts.next().ok_or_else(bad)?;
                continue;
            }
            let n = skip.min(data.len());
            data = &data[n..];
            skip -= n;
        }
        strings.push(text);
    }
    Ok(strings)
}

/// Writes the shared strings as one SST record and CONTINUE records: every string as UTF-16
/// (flags 0x01); a string's header never split, its characters split only between characters
/// (the CONTINUE then starts with the flags byte, as BIFF8 requires).
fn write_sst(out: &mut Vec<u8>, strings: &[Vec<u16>]) {
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    let count = (strings.len() as u32).to_le_bytes();
    let mut body = Vec::with_capacity(MAX_RECORD_BODY);
    body.extend_from_slice(&count);
    body.extend_from_slice(&count);
    for text in strings {
        if body.len() + 3 > MAX_RECORD_BODY {
            bodies.push(std::mem::take(&mut body));
        }
        body.extend_from_slice(&(text.len() as u16).to_le_bytes());
        body.push(0x01);
        let mut rest = text.as_slice();
        loop {
            let room = (MAX_RECORD_BODY - body.len()) / 2;
            let n = room.min(rest.len());
            for unit in &rest[..n] {
                body.extend_from_slice(&unit.to_le_bytes());
            }
            rest = &rest[n..];
            if rest.is_empty() {
                break;
            }
            bodies.push(std::mem::take(&mut body));
            body.push(0x01);
        }
    }
    bodies.push(body);
    for (i, body) in bodies.iter().enumerate() {
        put(out, if i == 0 { SST } else { CONTINUE }, body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, kind, body);
        out
    }

    fn sst_of(strings: &[&str]) -> Vec<u16> {
        strings.iter().flat_map(|s| s.encode_utf16()).collect()
    }

    #[test]
    fn long_shared_strings_are_split_between_characters_and_read_back() {
        let long: String = "Ä".repeat(9000);
        let strings: Vec<Vec<u16>> = ["kurz", long.as_str(), ""]
            .iter()
            .map(|s| s.encode_utf16().collect())
            .collect();
        let mut out = Vec::new();
        write_sst(&mut out, &strings);
        let all: Vec<Record<'_>> = records(&out, 0).collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].kind, SST);
        assert_eq!(all[0].continued.len(), 2);
        assert!(all[0].continued.iter().all(|c| c[0] == 0x01));
        let back = shared_strings(&all[0]).unwrap();
        assert_eq!(back, strings);
        assert_eq!(
            back.concat(),
            sst_of(&["kurz", long.as_str(), ""]),
            "same characters"
        );
    }

    #[test]
    fn compressed_rich_and_phonetic_strings_lose_only_their_formatting() {
        // Two strings: compressed "Aß" with two formatting runs; UTF-16 "€" with a phonetic
        // block of 3 bytes.
        let mut body = vec![2, 0, 0, 0, 2, 0, 0, 0];
        body.extend_from_slice(&[2, 0, 0x08, 2, 0, b'A', 0xDF]);
        body.extend_from_slice(&[0; 8]);
        body.extend_from_slice(&[1, 0, 0x05, 3, 0, 0, 0, 0xAC, 0x20, 9, 9, 9]);
        let stream = record(SST, &body);
        let all: Vec<Record<'_>> = records(&stream, 0).collect::<Result<_, _>>().unwrap();
        let strings = shared_strings(&all[0]).unwrap();
        assert_eq!(strings, vec![sst_of(&["Aß"]), sst_of(&["€"])]);
    }

    #[test]
    fn a_broken_sst_is_refused_not_read_past_its_end() {
        for body in [
            vec![0u8; 4],
            vec![1, 0, 0, 0, 1, 0, 0, 0, 5, 0],
            vec![1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0x08, 1],
            vec![
                1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, b'a',
            ],
            vec![1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0x01, b'a'],
        ] {
            let stream = record(SST, &body);
            let all: Vec<Record<'_>> = records(&stream, 0).collect::<Result<_, _>>().unwrap();
            assert!(shared_strings(&all[0]).is_err(), "{body:?}");
        }
    }

    #[test]
    fn only_the_records_calamine_reads_remain_and_sheet_positions_follow() {
        let mut globals = Vec::new();
        globals.extend(record(BOF, &[0, 6, 5, 0]));
        globals.extend(record(0x0018, &[])); // NAME: dropped
        globals.extend(record(0x0031, &[1, 2, 3])); // FONT: dropped
        let boundsheet_at = globals.len();
        globals.extend(record(
            BOUNDSHEET,
            &[0, 0, 0, 0, 0, 0, 3, 0, b'A', b'b', b'c'],
        ));
        globals.extend(record(EOF, &[]));
        let sheet_at = globals.len() + 7; // after a stray record
        let mut stream = globals;
        stream.extend(record(0x0099, &[0; 3]));
        stream.extend(record(BOF, &[0, 6, 16, 0]));
        stream.extend(record(0x00E5, &[9, 0])); // MERGECELLS claiming 9 ranges: dropped
        stream.extend(record(BOF, &[0, 6, 32, 0])); // an embedded chart: left out
        stream.extend(record(0x0203, &[0; 2]));
        stream.extend(record(EOF, &[]));
        let mut number = vec![1, 0, 2, 0, 0, 0];
        number.extend_from_slice(&42.0f64.to_le_bytes());
        stream.extend(record(0x0203, &number));
        let mut formula = vec![1, 0, 3, 0, 0, 0];
        formula.extend_from_slice(&[0; 14]);
        formula.extend_from_slice(&[3, 0, 0x17, 0xFF]); // tokens: dropped
        stream.extend(record(FORMULA, &formula));
        stream.extend(record(EOF, &[]));
        stream[boundsheet_at + 4..boundsheet_at + 8]
            .copy_from_slice(&(sheet_at as u32).to_le_bytes());

        let clean = clean_workbook_stream(&stream).unwrap();
        let all: Vec<Record<'_>> = records(&clean, 0).collect::<Result<_, _>>().unwrap();
        let kinds: Vec<u16> = all.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, vec![BOF, BOUNDSHEET, EOF, BOF, 0x0203, FORMULA, EOF]);
        let position = u32::from_le_bytes(all[1].body[..4].try_into().unwrap()) as usize;
        assert_eq!(&clean[position..position + 2], &BOF.to_le_bytes());
        assert_eq!(all[4].body, number.as_slice());
        assert_eq!(all[5].body.len(), 22);
        assert_eq!(&all[5].body[20..], &[0, 0]);
    }

    #[test]
    fn records_too_short_for_calamine_are_refused() {
        let mut stream = record(BOF, &[0, 6, 5, 0]);
        stream.extend(record(CODEPAGE, &[]));
        stream.extend(record(EOF, &[]));
        assert!(clean_workbook_stream(&stream).is_err());
        let mut stream = record(BOF, &[0, 6, 5, 0]);
        stream.extend(record(BOUNDSHEET, &[0, 0, 0, 0]));
        assert!(clean_workbook_stream(&stream).is_err());
        assert!(clean_workbook_stream(&[9, 8, 200, 0, 1]).is_err());
    }
}
