//! Every variant of formats.md is produced at the tiny scale, in real containers read back
//! with independent readers.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Cell, bytes, data_rows, decode, sheets, text_rows, tiny};
use lagebild_synth::{FileEntry, SourceKind};

fn entries(kind: SourceKind) -> Vec<&'static FileEntry> {
    tiny()
        .manifest
        .files
        .iter()
        .filter(|e| e.source == kind)
        .collect()
}

fn headers(kind: SourceKind) -> BTreeSet<String> {
    entries(kind)
        .iter()
        .flat_map(|e| e.header.iter().cloned())
        .collect()
}

/// The accepted headers of formats.md (copied from the spec, not from the generator).
const MELDEWESEN: &[&str] = &[
    "Ordnungsmerkmal",
    "OM",
    "Personen-ID",
    "Personennummer",
    "Familienname",
    "Name",
    "Nachname",
    "Geburtsname",
    "Vorname(n)",
    "Vornamen",
    "Vorname",
    "Geburtsdatum",
    "geb. am",
    "Geb.-Datum",
    "Geb.Datum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Staatsangeh.",
    "1. Staatsangehörigkeit",
    "Staatsangehörigkeitsschlüssel",
    "weitere Staatsangehörigkeit",
    "2. Staatsangehörigkeit",
    "weitere",
    "Straße",
    "Strasse",
    "Straßenname",
    "Straßenschlüssel",
    "Strassenschluessel",
    "Str.-Schl.",
    "Hausnummer",
    "Hausnr.",
    "Hnr.",
    "HNr",
    "Hausnummernzusatz",
    "Zusatz",
    "Adresszusatz",
    "PLZ",
    "Ort",
    "Wohnort",
    "Wohnungsstatus",
    "Status",
    "Art der Wohnung",
    "Einzugsdatum",
    "Einzug",
    "Tag des Einzugs",
    "Anmeldedatum",
    "Abmeldedatum",
    "Familienstand",
];
const ALW: &[&str] = &[
    "AZR-Nummer",
    "AZR-Nr.",
    "AZR Nr",
    "Familienname (ges.)",
    "Familienname",
    "Name",
    "Vorname(n)",
    "Vornamen",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangeh.",
    "Staatsangehörigkeit",
    "Aufenthaltsart",
    "Aufenthaltsstatus",
    "Personenstatus",
    "Rechtsstellung",
    "Erteilungsgrund",
    "Rechtsgrundlage",
    "Erteilungsgrundlage",
    "erteilt am",
    "ausgestellt am",
    "gültig ab",
    "gültig bis",
    "befristet bis",
    "Einreise",
    "Einreisedatum",
    "Ersteinreise",
    "Zuzugsdatum",
];
const AKDN: &[&str] = &[
    "Aktenzeichen",
    "Fallnummer",
    "Fall-Nr.",
    "Az.",
    "Name",
    "Familienname",
    "Vorname",
    "Vorname(n)",
    "Geburtsdatum",
    "Geb.-Datum",
    "Geschlecht",
    "männl./weibl.",
    "Strasse",
    "Straße",
    "Hausnr.",
    "PLZ",
    "Ort",
    "PLZ oder Ort",
    "Personenkreisschlüssel",
    "PKS",
    "Pers.Kreis",
    "Pers.-Kreis",
    "Personenkreis",
    "Leistungsbeginn",
    "Beginn",
    "Leistungsende",
    "Ende",
    "Monat",
    "Abrechnungsmonat",
    "Berichtsmonat",
];

#[test]
fn every_accepted_header_of_formats_md_occurs() {
    for (kind, list) in [
        (SourceKind::Meldewesen, MELDEWESEN),
        (SourceKind::Alw, ALW),
        (SourceKind::Akdn, AKDN),
    ] {
        let have = headers(kind);
        let missing: Vec<&&str> = list.iter().filter(|h| !have.contains(**h)).collect();
        assert!(missing.is_empty(), "{kind:?} lacks headers {missing:?}");
    }
    let g = headers(SourceKind::Gliederung);
    for h in [
        "Straße",
        "Hausnummer",
        "Zusatz",
        "PLZ",
        "Baublock",
        "Stadtteil-Nr",
        "Stadtteil",
        "Stadtbezirk-Nr",
        "Stadtbezirk",
        "Straßenschlüssel",
        "X",
        "Y",
    ] {
        assert!(g.contains(h), "Gliederung lacks {h}");
    }
    let akdn = headers(SourceKind::Akdn);
    assert!(
        akdn.contains("IBAN") && akdn.contains("BIC"),
        "AKDN exports carry IBAN/BIC"
    );
}

#[test]
fn containers_encodings_delimiters_and_line_endings_all_occur() {
    let files = &tiny().manifest.files;
    let set = |f: fn(&FileEntry) -> Option<String>| -> BTreeSet<String> {
        files.iter().filter_map(f).collect()
    };
    let containers = set(|e| Some(e.container.clone()));
    for c in ["csv", "txt", "dat", "xlsx", "geojson"] {
        assert!(containers.contains(c), "no {c} file");
    }
    let encodings = set(|e| e.encoding.clone());
    for e in ["utf-8", "utf-8-bom", "windows-1252", "utf-16le-bom"] {
        assert!(encodings.contains(e), "no {e} file");
    }
    let delimiters = set(|e| e.delimiter.clone());
    for d in [";", ",", "\t", "|"] {
        assert!(delimiters.contains(d), "no file delimited by {d:?}");
    }
    let endings = set(|e| e.line_ending.clone());
    assert!(endings.contains("CRLF") && endings.contains("LF"));
    // The bytes agree with the manifest.
    for e in files
        .iter()
        .filter(|e| e.encoding.is_some() && e.container != "geojson")
    {
        let b = bytes(tiny(), &e.path);
        let text = decode(b, e.encoding.as_deref().unwrap_or(""));
        let crlf = text.matches("\r\n").count();
        let lf = text.matches('\n').count();
        match e.line_ending.as_deref() {
            Some("CRLF") => assert_eq!(crlf, lf, "{}: bare LF in a CRLF file", e.path),
            Some("LF") => assert_eq!(crlf, 0, "{}: CRLF in an LF file", e.path),
            other => panic!("{}: line ending {other:?}", e.path),
        }
        if e.encoding.as_deref() == Some("windows-1252") && text.contains('ü') {
            assert!(b.contains(&0xFC), "{}: ü is not the byte 0xFC", e.path);
            assert!(
                std::str::from_utf8(b).is_err(),
                "{}: looks like UTF-8",
                e.path
            );
        }
    }
    // Quoted fields with embedded delimiters and line breaks, read back by the csv crate.
    let mut delimiter_inside = false;
    let mut newline_inside = false;
    for e in files
        .iter()
        .filter(|e| e.quoting.as_deref() != Some("none") && e.delimiter.is_some())
    {
        let d = e.delimiter.clone().unwrap_or_default();
        for row in text_rows(e, bytes(tiny(), &e.path)) {
            delimiter_inside |= row.iter().any(|f| f.contains(&d));
            newline_inside |= row.iter().any(|f| f.contains('\n'));
        }
    }
    assert!(
        delimiter_inside && newline_inside,
        "no quoted field with a delimiter or line break"
    );
}

#[test]
fn spreadsheets_have_title_rows_several_sheets_merged_cells_sum_rows_and_trailing_columns() {
    let xlsx: Vec<&FileEntry> = tiny()
        .manifest
        .files
        .iter()
        .filter(|e| e.container == "xlsx")
        .collect();
    assert!(xlsx.iter().any(|e| e.title_rows > 0));
    assert!(xlsx.iter().any(|e| e.sheets.len() > 1));
    assert!(xlsx.iter().any(|e| e.merged_cells > 0));
    assert!(xlsx.iter().any(|e| e.sum_row));
    assert!(xlsx.iter().any(|e| e.trailing_empty_columns > 0));
    for e in &xlsx {
        let ws = sheets(bytes(tiny(), &e.path));
        assert_eq!(ws.len(), e.sheets.len(), "{}", e.path);
        let (_, first) = &ws[0];
        // The header is where the manifest says (title rows above it).
        let header_row = &first[e.header_row as usize - 1];
        let names: Vec<String> = header_row
            .iter()
            .take(e.header.len())
            .map(Cell::text)
            .collect();
        assert_eq!(names, e.header, "{}", e.path);
        if e.sum_row {
            let last = first.last().map(|r| r[0].text()).unwrap_or_default();
            assert!(
                last.starts_with("Anzahl") || last.starts_with("Summe"),
                "{}: {last}",
                e.path
            );
        }
        if e.trailing_empty_columns > 0 {
            // The formatted empty cells widen the sheet's dimension beyond the header (value
            // readers drop them, so read the dimension the file declares).
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(
                bytes(tiny(), &e.path).to_vec(),
            ))
            .expect("xlsx");
            let dims = wb
                .worksheet_cells_reader(&e.sheets[0].name)
                .expect("cells")
                .dimensions();
            assert_eq!(
                dims.end.1 + 1,
                e.header.len() as u32 + e.trailing_empty_columns,
                "{}",
                e.path
            );
            assert_eq!(header_row.len(), e.header.len(), "{}", e.path);
        }
    }
    // Merged cells are really merged in the file.
    let e = xlsx
        .iter()
        .find(|e| e.merged_cells >= 5)
        .expect("AKDN with group headers");
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes(tiny(), &e.path).to_vec()))
            .expect("xlsx");
    let sheet = e.sheets[0].name.clone();
    let merged = wb
        .merge_cells_by_sheet_name(&sheet)
        .expect("merged regions");
    assert!(merged.len() >= 5, "{}", e.path);
}

fn is_dmy(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[2] == b'.'
        && b[5] == b'.'
        && s.replace('.', "").chars().all(|c| c.is_ascii_digit())
}

fn is_short_dmy(s: &str) -> bool {
    let p: Vec<&str> = s.split('.').collect();
    p.len() == 3
        && p[2].len() == 4
        && (p[0].len() == 1 || p[1].len() == 1)
        && p.iter()
            .all(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()))
}

fn is_iso(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.replace('-', "").chars().all(|c| c.is_ascii_digit())
}

#[test]
fn every_date_format_occurs_including_incomplete_birth_dates() {
    let out = tiny();
    let (mut dmy, mut short, mut iso, mut serial_text, mut date_cell, mut serial_cell) =
        (false, false, false, false, false, false);
    let (mut year_only, mut day_unknown) = (false, false);
    for e in &out.manifest.files {
        if e.container == "geojson" {
            continue;
        }
        let date_cols: Vec<usize> = e
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                let h = h.to_lowercase();
                h.contains("datum")
                    || h.contains("geb")
                    || h.contains("gültig")
                    || h.contains("befristet")
                    || h.contains("beginn")
                    || h.contains("ende")
                    || h.contains("einzug")
                    || h.contains("einreise")
                    || h == "erteilt am"
                    || h == "ausgestellt am"
            })
            .map(|(i, _)| i)
            .collect();
        if matches!(e.container.as_str(), "xlsx") {
            for (_, rows) in sheets(bytes(out, &e.path)) {
                for r in rows.iter().skip(e.header_row as usize) {
                    for &c in &date_cols {
                        match r.get(c) {
                            Some(Cell::Date(_)) => date_cell = true,
                            Some(Cell::Number(n)) if *n > 20_000.0 && *n < 60_000.0 => {
                                serial_cell = true
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        for (_, _, r) in data_rows(out, e) {
            for &c in &date_cols {
                let v = r.get(c).map(String::as_str).unwrap_or("");
                dmy |= is_dmy(v) && !v.starts_with("00.");
                short |= is_short_dmy(v);
                iso |= is_iso(v);
                serial_text |= e.encoding.is_some()
                    && v.len() == 5
                    && v.parse::<u32>().is_ok_and(|n| n > 20_000);
                year_only |= v.starts_with("00.00.") && v.len() == 10;
                day_unknown |= v.starts_with("00.") && !v.starts_with("00.00.") && v.len() == 10;
            }
        }
    }
    assert!(dmy, "TT.MM.JJJJ");
    assert!(short, "T.M.JJJJ");
    assert!(iso, "JJJJ-MM-TT");
    assert!(date_cell, "Excel date cells");
    assert!(
        serial_cell && serial_text,
        "Excel serial numbers (cells and text)"
    );
    assert!(year_only, "00.00.JJJJ");
    assert!(day_unknown, "00.MM.JJJJ");
}

#[test]
fn every_legal_basis_spelling_of_formats_md_occurs_and_unparsable_ones_are_flagged() {
    let out = tiny();
    let alw = common::truth_table(out, "truth/alw_records.csv");
    let texts: BTreeSet<&str> = alw.iter().map(|r| r["legal_basis"].as_str()).collect();
    for spelling in [
        "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG",
        "§25 Abs.2 AufenthG",
        "25 II AufenthG",
        "AufenthG 25/2",
        "§ 25 (2) AufenthG",
        "25.2 AufenthG",
        "§ 60a Abs. 2 S. 1 AufenthG",
        "60 a AufenthG",
        "§ 55 Abs. 1 AsylG",
        "§ 55 AsylVfG",
        "§ 63a AsylG",
        "§ 104c AufenthG",
        "§ 24 Abs. 1 AufenthG",
    ] {
        assert!(texts.contains(spelling), "spelling {spelling:?} missing");
    }
    assert!(
        alw.iter().any(|r| r["legal_basis"].contains(" AuslG")),
        "no AuslG citation"
    );
    let unparsable: Vec<_> = alw
        .iter()
        .filter(|r| r["spelling"] == "unparsable")
        .collect();
    assert!(!unparsable.is_empty(), "no unparsable spelling");
    for r in unparsable {
        assert!(
            !r["legal_basis"].contains("AufenthG") && !r["legal_basis"].contains("AsylG"),
            "{} flagged unparsable",
            r["legal_basis"]
        );
    }
    // The texts in the truth are the texts in the files.
    let rec = common::records(out);
    for e in out
        .manifest
        .files
        .iter()
        .filter(|e| e.source == SourceKind::Alw)
    {
        let col = e
            .header
            .iter()
            .position(|h| {
                matches!(
                    h.as_str(),
                    "Erteilungsgrund" | "Rechtsgrundlage" | "Erteilungsgrundlage"
                )
            })
            .expect("legal basis column");
        let by_key: BTreeMap<(String, u32), &BTreeMap<String, String>> = alw
            .iter()
            .filter(|r| r["file"] == e.path)
            .map(|r| ((r["sheet"].clone(), r["row"].parse().unwrap_or(0)), r))
            .collect();
        let rows = data_rows(out, e);
        assert_eq!(rows.len(), by_key.len(), "{}", e.path);
        for (sheet, row, cells) in rows {
            let t = by_key
                .get(&(sheet.clone(), row))
                .unwrap_or_else(|| panic!("{} {sheet} {row}", e.path));
            assert_eq!(cells[col], t["legal_basis"], "{} row {row}", e.path);
            assert!(rec.contains_key(&(e.path.clone(), sheet, row)));
        }
    }
}

#[test]
fn schild_files_have_both_widths_no_quoting_and_the_documented_first_columns() {
    let out = tiny();
    let mut widths = BTreeSet::new();
    for e in entries(SourceKind::Schild) {
        let b = bytes(out, &e.path);
        assert!(!b.contains(&b'"'), "{}: quotes", e.path);
        let text = decode(b, "windows-1252");
        assert!(text.ends_with("\r\n"));
        let width = e.header.len();
        widths.insert(width);
        for line in text.trim_end_matches("\r\n").split("\r\n") {
            assert_eq!(line.matches('|').count(), width - 1, "{}: {line}", e.path);
        }
        assert!(text.starts_with(
            "Nachname|Vorname|Geburtsdatum|Geschlecht|Status|PLZ|Ort|Straße|Aussiedler|1. Staatsang.|"
        ));
        let header: Vec<&str> = text.lines().next().unwrap_or("").split('|').collect();
        assert!(
            header.contains(&"Jahr")
                && header.contains(&"Schulgliederung")
                && header.contains(&"OrgForm")
        );
        if width == 50 {
            assert_eq!(header.last(), Some(&"Schulnr. neue Schule"));
        } else {
            assert_eq!(
                &header[50..],
                [
                    "Zuzugsjahr",
                    "Geburtsland Schüler",
                    "Geburtsland Mutter",
                    "Geburtsland Vater",
                    "Verkehrssprache",
                    "Dauer Kindergartenbesuch",
                    "Ende Eingliederungsphase",
                    "Ende Anschlussförderung"
                ]
            );
        }
        assert!(e.path.ends_with("/SchuelerBasisdaten.dat"));
        assert!(e.school_number.is_some() && e.school_form.is_some());
    }
    assert_eq!(widths, BTreeSet::from([50, 58]));
}

#[test]
fn akdn_report_month_comes_from_column_file_name_and_sheet_name() {
    let akdn = entries(SourceKind::Akdn);
    let names: Vec<&str> = akdn
        .iter()
        .map(|e| e.path.rsplit('/').next().unwrap_or(""))
        .collect();
    assert!(
        names.iter().any(|n| n.contains("_2017-11")),
        "JJJJ-MM in the name"
    );
    assert!(
        names.iter().any(|n| n.contains("201911")),
        "JJJJMM in the name"
    );
    assert!(
        names.iter().any(|n| n.contains("11_2022")),
        "MM_JJJJ in the name"
    );
    assert!(
        akdn.iter()
            .any(|e| e.sheets.iter().any(|s| s.name == "11_2022")),
        "month in the sheet name"
    );
    let from: BTreeSet<String> = akdn
        .iter()
        .filter_map(|e| e.report_month_from.clone())
        .collect();
    assert!(from.contains("column") && from.contains("file name"));
    let multi = akdn
        .iter()
        .find(|e| e.report_months.len() > 12)
        .expect("a file with many months");
    assert_eq!(multi.container, "csv");
    // One file per month from 2016 to the last complete month, and every month covered once.
    let months: Vec<&String> = akdn.iter().flat_map(|e| e.report_months.iter()).collect();
    let unique: BTreeSet<&String> = months.iter().copied().collect();
    assert_eq!(months.len(), unique.len());
    assert_eq!(unique.first().map(|s| s.as_str()), Some("2010-01"));
    assert_eq!(unique.last().map(|s| s.as_str()), Some("2026-10"));
    assert_eq!(unique.len(), 12 * 16 + 10);
}

#[test]
fn names_beyond_windows_1252_are_kept_in_unicode_files_and_replaced_in_windows_1252() {
    let out = tiny();
    let beyond = |s: &str| {
        s.chars().any(|c| {
            let one = c.to_string();
            encoding_rs::WINDOWS_1252.encode(&one).2
        })
    };
    let mut unicode_seen = false;
    for e in &out.manifest.files {
        if e.source == SourceKind::GeoJson {
            continue;
        }
        match e.encoding.as_deref() {
            Some("windows-1252") => {
                let text = decode(bytes(out, &e.path), "windows-1252");
                // Nothing beyond Windows-1252 can be in it; the truth marks replacements.
                assert!(!text.contains('\u{FFFD}'));
            }
            Some(enc) => {
                let text = decode(bytes(out, &e.path), enc);
                unicode_seen |= beyond(&text);
            }
            None => {
                for (_, rows) in sheets(bytes(out, &e.path)) {
                    unicode_seen |= rows.iter().flatten().any(|c| beyond(&c.text()));
                }
            }
        }
    }
    assert!(
        unicode_seen,
        "no character beyond Windows-1252 in any Unicode file"
    );
    let flagged = common::truth_table(out, "truth/records.csv")
        .into_iter()
        .filter(|r| r["noise"].contains("cp1252_"))
        .count();
    assert!(flagged > 0, "no record marks a Windows-1252 replacement");
}

#[test]
fn geojson_polygons_tile_the_city_and_carry_the_keys() {
    let out = tiny();
    let parse =
        |p: &str| -> serde_json::Value { serde_json::from_slice(bytes(out, p)).expect("GeoJSON") };
    let blocks = parse("exports/geo/baubloecke.geojson");
    assert_eq!(
        blocks["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::25832"
    );
    let feats = blocks["features"].as_array().expect("features");
    let keys: BTreeSet<String> = feats
        .iter()
        .map(|f| {
            f["properties"]["baublock"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(keys.len(), feats.len(), "Baublock keys are unique");
    for a in common::truth_table(out, "truth/addresses.csv") {
        assert!(
            keys.contains(&a["baublock"]),
            "address block {} has no polygon",
            a["baublock"]
        );
        assert!(
            a["baublock"].starts_with(&format!("{}{}", a["stadtbezirk_nr"], a["stadtteil_nr"])),
            "key {} is not hierarchical",
            a["baublock"]
        );
    }
    let ring_area = |ring: &[serde_json::Value], f: &dyn Fn(f64, f64) -> (f64, f64)| -> f64 {
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|p| f(p[0].as_f64().unwrap_or(0.0), p[1].as_f64().unwrap_or(0.0)))
            .collect();
        assert_eq!(pts.first(), pts.last(), "closed ring");
        pts.windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum::<f64>()
            / 2.0
    };
    let ident = |x: f64, y: f64| (x, y);
    let block_area: f64 = feats
        .iter()
        .map(|f| {
            ring_area(
                f["geometry"]["coordinates"][0].as_array().expect("ring"),
                &ident,
            )
        })
        .sum();
    assert!(block_area > 0.0, "rings are counter-clockwise");
    let lat0 = 51.55f64.to_radians();
    let local = move |lon: f64, lat: f64| (lon * 111_320.0 * lat0.cos(), lat * 110_574.0);
    for (path, n) in [
        ("exports/geo/stadtteile.geojson", 18),
        ("exports/geo/stadtbezirke.geojson", 5),
    ] {
        let fc = parse(path);
        let feats = fc["features"].as_array().expect("features");
        assert_eq!(feats.len(), n, "{path}");
        let mut area = 0.0;
        for f in feats {
            let g = &f["geometry"];
            let polys: Vec<&serde_json::Value> = match g["type"].as_str() {
                Some("Polygon") => vec![&g["coordinates"]],
                Some("MultiPolygon") => {
                    g["coordinates"].as_array().expect("parts").iter().collect()
                }
                other => panic!("{other:?}"),
            };
            for p in polys {
                let rings = p.as_array().expect("rings");
                for r in rings {
                    area += ring_area(r.as_array().expect("ring"), &local);
                }
                let lon = rings[0][0][0].as_f64().unwrap_or(0.0);
                let lat = rings[0][0][1].as_f64().unwrap_or(0.0);
                assert!(
                    (6.9..7.3).contains(&lon) && (51.4..51.7).contains(&lat),
                    "{lon} {lat}"
                );
            }
        }
        let rel = (area - block_area).abs() / block_area;
        assert!(
            rel < 0.01,
            "{path}: union area {area} vs blocks {block_area}"
        );
    }
}

#[test]
fn every_file_reads_back_with_the_manifest_row_count_and_every_row_has_a_truth() {
    let out = tiny();
    let rec = common::records(out);
    let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (f, _, _) in rec.keys() {
        *by_file.entry(f.as_str()).or_default() += 1;
    }
    for e in &out.manifest.files {
        if matches!(e.source, SourceKind::GeoJson | SourceKind::Gliederung) {
            continue;
        }
        let rows = data_rows(out, e);
        assert_eq!(rows.len() as u64, e.row_count, "{}", e.path);
        assert_eq!(
            by_file.get(e.path.as_str()).copied().unwrap_or(0),
            rows.len(),
            "{}",
            e.path
        );
        for (sheet, row, cells) in &rows {
            assert!(
                rec.contains_key(&(e.path.clone(), sheet.clone(), *row)),
                "{} {sheet} {row}",
                e.path
            );
            assert!(
                cells.len() <= e.header.len() + e.trailing_empty_columns as usize,
                "{}",
                e.path
            );
        }
    }
    // Gliederung: one row per listed address.
    let listed = common::truth_table(out, "truth/addresses.csv")
        .iter()
        .filter(|a| a["in_gliederung"] == "1")
        .count();
    for e in entries(SourceKind::Gliederung) {
        assert_eq!(data_rows(out, e).len(), listed, "{}", e.path);
        assert_eq!(e.row_count as usize, listed);
    }
}
