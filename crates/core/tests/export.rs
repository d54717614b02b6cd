//! Export: the workbook read back with calamine (every value, cell by cell), re-saved by
//! LibreOffice, deterministic bytes; CSV format and formula-injection neutralising.

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, Xlsx};
use lagebild_core::export::{ExportMeta, Layout, Publisher, csv, xlsx};
use lagebild_core::import::SourceKind;
use lagebild_core::protect::{
    LEGEND, ProtectedTable, ProtectionMode, ProtectionSettings, Published, TableDesign, Threshold,
    protect,
};
use lagebild_core::records::{Date, YearMonth};
use lagebild_core::tabulate::{
    AxisDef, CategoryDef, DerivedDef, DimensionDef, LevelDef, Period, Provenance, RatioUnit,
    TOTAL_KEY, Table, TableDef,
};

fn raum() -> DimensionDef {
    DimensionDef {
        key: "raum".into(),
        label: "Raum".into(),
        levels: vec![
            LevelDef {
                key: "bezirk".into(),
                label: "Stadtbezirk".into(),
                categories: vec![
                    CategoryDef::new("1", "Gelsenkirchen-Mitte"),
                    CategoryDef::new("2", "Gelsenkirchen-Nord"),
                ],
            },
            LevelDef {
                key: "stadtteil".into(),
                label: "Stadtteil".into(),
                categories: vec![
                    CategoryDef::child("11", "Altstadt", "1"),
                    CategoryDef::child("12", "Bismarck", "1"),
                    CategoryDef::child("13", "Schalke-Nord", "1"),
                    CategoryDef::child("21", "Buer", "2"),
                    CategoryDef::child("22", "=Scholven", "2"),
                    CategoryDef::child("23", "Hassel; Nord", "2"),
                ],
            },
        ],
        sums: vec![],
    }
}

fn kategorie() -> DimensionDef {
    DimensionDef::flat(
        "kategorie",
        "Kategorie",
        &[
            ("AKN", "Ankunftsnachweis"),
            ("Gestattung", "Gestattung"),
            ("Duldung", "Duldung"),
            ("Humanitaer", "Humanitär"),
        ],
    )
}

fn by_space(mode: ProtectionMode) -> ProtectedTable {
    let def = TableDef {
        key: "kategorie_raum".into(),
        title: "Geflüchtete nach Kategorie und Stadtteil: [Test]/Auswertung mit langem Titel"
            .into(),
        sheet: None,
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("raum").with_total("Gelsenkirchen")],
        columns: vec![AxisDef::new("kategorie").with_total("Insgesamt")],
        derived: vec![
            DerivedDef {
                label: "Anteil Duldung in %".into(),
                numerator: vec!["Duldung".into()],
                denominator: vec![TOTAL_KEY.into()],
                denominator_row: None,
                unit: RatioUnit::Percent,
                decimals: 1,
            },
            DerivedDef {
                label: "Anteil an der Stadt in ‰".into(),
                numerator: vec![TOTAL_KEY.into()],
                denominator: vec![TOTAL_KEY.into()],
                denominator_row: Some(vec![TOTAL_KEY.into()]),
                unit: RatioUnit::PerMille,
                decimals: 2,
            },
        ],
        notes: vec!["-Anmerkung mit Minus am Anfang".into()],
    };
    let counts: [(&str, [u64; 4]); 6] = [
        ("11", [12, 30, 41, 150]),
        ("12", [0, 14, 9, 88]),
        ("13", [1, 0, 2, 7]),
        ("21", [5, 22, 17, 260]),
        ("22", [0, 3, 0, 11]),
        ("23", [4, 8, 6, 95]),
    ];
    let mut b = Table::builder(&def, &[raum(), kategorie()]).unwrap();
    let cats = ["AKN", "Gestattung", "Duldung", "Humanitaer"];
    for (st, row) in counts {
        for (k, n) in cats.iter().zip(row) {
            b.add_count(&[st, *k], n).unwrap();
        }
    }
    protect(
        b.finish().with_provenance(vec![
            alw_source(),
            Provenance {
                source: SourceKind::Gliederung,
                period: Period::Undated,
            },
        ]),
        &ProtectionSettings {
            mode,
            threshold: Threshold::default(),
            design: TableDesign::Original,
        },
    )
}

fn series() -> ProtectedTable {
    let months = DimensionDef::months(
        "monat",
        "Monat",
        YearMonth::new(2016, 10).unwrap(),
        YearMonth::new(2017, 3).unwrap(),
    );
    let pks = DimensionDef::flat(
        "pks",
        "Personenkreis",
        &[
            ("2G", "§ 2 Geduldete"),
            ("2A", "§ 2 Asylbewerber"),
            ("3A", "§ 3 Asylbewerber"),
            ("3G", "§ 3 Geduldete"),
            ("S", "Sonstige"),
        ],
    )
    .with_sum("G", "Geduldete gesamt", &["2G", "3G", "S"])
    .with_sum("A", "Asylbewerber gesamt", &["2A", "3A"])
    .with_sum("I", "Insgesamt", &["G", "A"]);
    let def = TableDef {
        key: "asylblg".into(),
        title: "Entwicklung der Flüchtlingszahlen (AsylbLG)".into(),
        sheet: Some("AsylbLG Personen je Monat".into()),
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("monat")],
        columns: vec![AxisDef::new("pks")],
        derived: vec![],
        notes: vec!["Wartezeit für § 2 AsylbLG: 15 Monate.".into()],
    };
    let mut b = Table::builder(&def, &[months, pks]).unwrap();
    for (i, m) in ["2016-10", "2016-11", "2017-01", "2017-02", "2017-03"]
        .iter()
        .enumerate()
    {
        let i = i as u64;
        for (k, n) in [
            ("2G", 120 + i),
            ("2A", 410 - i),
            ("3A", 1310 + 7 * i),
            ("3G", 95),
            ("S", 0),
        ] {
            b.add_count(&[*m, k], n).unwrap();
        }
    }
    b.mark_gap("monat", "2016-12").unwrap();
    protect(
        b.finish().with_provenance(vec![Provenance {
            source: SourceKind::Akdn,
            period: Period::Months(
                YearMonth::new(2016, 10).unwrap(),
                YearMonth::new(2017, 3).unwrap(),
            ),
        }]),
        &ProtectionSettings::default(),
    )
}

fn alw_source() -> Provenance {
    Provenance::snapshot(SourceKind::Alw, Date::new(2026, 3, 31))
}

fn meta() -> ExportMeta {
    let mut meta = ExportMeta::new(
        "Flüchtlingsstatistik Gelsenkirchen",
        Date::new(2026, 3, 31),
        ProtectionSettings::default(),
    );
    meta.rules = vec!["PKS-Zuordnung: Beispielzuordnung (nicht amtlich)".into()];
    meta.publisher = Publisher {
        office: "Stadt Gelsenkirchen, Statistik & Monitoring".into(),
        contact: "statistik@example.org".into(),
    };
    meta
}

fn tables() -> Vec<ProtectedTable> {
    vec![
        by_space(ProtectionMode::Zelle),
        by_space(ProtectionMode::Tabelle),
        series(),
    ]
}

fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

fn number(range: &Range<Data>, row: usize, col: usize) -> f64 {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("no number at ({row}, {col}): {other:?}"),
    }
}

/// Compares one table sheet with the protected table, cell by cell.
fn compare_sheet(range: &Range<Data>, table: &ProtectedTable) {
    // calamine ranges start at the first used cell: A1 holds the title, so they align.
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(text(range, 0, 0), table.title());
    // Per table its registers with Stichtag or period: no file name, no record count.
    let sources: Vec<String> = table
        .provenance()
        .iter()
        .map(|p| format!("Quelle: {}", p.describe()))
        .collect();
    assert!(!sources.is_empty());
    for (i, line) in sources.iter().enumerate() {
        assert_eq!(&text(range, 1 + i, 0), line);
    }
    let after = 1 + sources.len();
    assert_eq!(
        text(range, after, 0),
        format!("Geheimhaltung: {}", table.report().text())
    );
    assert_eq!(
        text(range, after + 1, 0),
        format!("Zeichenerklärung: {LEGEND}")
    );
    let first = xlsx::header_row(table);
    let label_cols = table.row_axes().len().max(1);
    let header_last = first + table.column_axes().len().max(1) - 1;
    for (i, axis) in table.row_axes().iter().enumerate() {
        assert_eq!(text(range, header_last, i), axis.label());
    }
    for c in 0..table.n_cols() {
        let label = table
            .column_positions(c)
            .last()
            .map(|p| p.label.clone())
            .unwrap_or_else(|| table.value_kind().label().to_owned());
        assert_eq!(text(range, header_last, label_cols + c), label);
    }
    for (k, d) in table.derived_columns().iter().enumerate() {
        assert_eq!(
            text(range, header_last, label_cols + table.n_cols() + k),
            d.label
        );
    }
    let data = header_last + 1;
    let mut checked = 0;
    let layout = Layout::of(table);
    for (i, &r) in layout.table_rows.iter().enumerate() {
        let row = data + i;
        for (a, p) in table.row_positions(r).iter().enumerate() {
            if table.row_axes()[a].dimension() == "monat" {
                // A month is a date (its first day) shown as MM.JJJJ.
                let (year, month) = p.key.split_once('-').unwrap();
                match range.get_value((row as u32, a as u32)) {
                    Some(Data::DateTime(dt)) => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        assert_eq!(
                            (y, m, d),
                            (year.parse().unwrap(), month.parse().unwrap(), 1)
                        );
                    }
                    other => panic!("no date at ({row}, {a}): {other:?}"),
                }
            } else {
                assert_eq!(text(range, row, a), p.label);
            }
        }
        let values = (0..table.n_cols())
            .map(|c| table.cell(r, c))
            .chain((0..table.derived_columns().len()).map(|k| table.derived(r, k)));
        for (j, value) in values.enumerate() {
            let col = label_cols + j;
            match value {
                Published::Value(n) => assert_eq!(number(range, row, col), n as f64),
                Published::Percent(x) => {
                    assert!((number(range, row, col) - x / 100.0).abs() < 1e-12)
                }
                Published::PerMille(x) => {
                    assert!((number(range, row, col) - x).abs() < 1e-12)
                }
                symbol => assert_eq!(
                    text(range, row, col),
                    symbol.symbol().unwrap(),
                    "row {r}, column {j}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        layout.table_rows.len() * (table.n_cols() + table.derived_columns().len())
    );
}

fn compare_workbook(bytes: &[u8], tables: &[ProtectedTable], meta: &ExportMeta) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let names = xlsx::sheet_names(tables);
    let mut expected = vec![xlsx::CONTENTS_SHEET.to_owned()];
    expected.extend(names.iter().cloned());
    expected.push(xlsx::DEFINITIONS_SHEET.to_owned());
    expected.push(xlsx::METADATA_SHEET.to_owned());
    assert_eq!(book.sheet_names(), expected);
    let contents = book.worksheet_range(xlsx::CONTENTS_SHEET).unwrap();
    assert_eq!(text(&contents, 0, 0), meta.title);
    // Stichtag, publisher, version, an empty row, then the list.
    assert_eq!(text(&contents, 1, 0), "Stichtag: 31.03.2026");
    let publisher = meta.publisher.lines();
    for (i, line) in publisher.iter().enumerate() {
        assert_eq!(&text(&contents, 2 + i, 0), line);
    }
    let list = 2 + publisher.len() + 2;
    assert_eq!(text(&contents, list, 0), "Nr.");
    for (i, table) in tables.iter().enumerate() {
        assert_eq!(number(&contents, list + 1 + i, 0), (i + 1) as f64);
        assert_eq!(text(&contents, list + 1 + i, 1), table.title());
        assert_eq!(text(&contents, list + 1 + i, 2), table.report().text());
    }
    let definitions = book.worksheet_range(xlsx::DEFINITIONS_SHEET).unwrap();
    let terms: Vec<String> = (3..definitions.height())
        .map(|r| text(&definitions, r, 0))
        .collect();
    for term in [
        "Geflüchtete",
        "Ankunftsnachweis (BüMA)",
        "Aufenthaltsgestattung",
        "Duldung",
        "humanitäre Aufenthaltserlaubnis",
        "Geheimhaltung",
        "Zeichen „.“",
        "Zeichen „–“",
    ] {
        assert!(terms.iter().any(|t| t == term), "{term}: {terms:?}");
    }
    for (table, name) in tables.iter().zip(&names) {
        let range = book.worksheet_range(name).unwrap();
        compare_sheet(&range, table);
    }
    let metadata = book.worksheet_range(xlsx::METADATA_SHEET).unwrap();
    let pairs: Vec<(String, String)> = (3..metadata.height())
        .map(|r| (text(&metadata, r, 0), text(&metadata, r, 1)))
        .collect();
    let has = |k: &str, v: &str| pairs.iter().any(|(a, b)| a == k && b == v);
    assert!(has("Lagebild-Version", lagebild_core::VERSION), "{pairs:?}");
    assert!(has("Stichtag", "31.03.2026"));
    assert!(has("Herausgeber", &meta.publisher.office));
    assert!(has("Kontakt", &meta.publisher.contact));
    // The registers of the workbook's tables, each once, without file names or counts.
    let sources = lagebild_core::export::sources_of(tables);
    for source in &sources {
        assert!(has("Quelle", &source.describe()), "{source:?}: {pairs:?}");
    }
    assert_eq!(
        pairs.iter().filter(|(k, _)| k == "Quelle").count(),
        sources.len()
    );
    assert!(has("Zeichenerklärung", LEGEND));
    assert!(has(
        "Geheimhaltung",
        "Tabellensperrung, Schwelle 3 (gesperrt werden Werte von 1 oder 2)"
    ));
    assert!(has(
        "Regel / Zuordnung",
        "PKS-Zuordnung: Beispielzuordnung (nicht amtlich)"
    ));
}

#[test]
fn the_metadata_names_each_register_once() {
    let described: Vec<String> = lagebild_core::export::sources_of(&tables())
        .iter()
        .map(|p| p.describe())
        .collect();
    assert_eq!(
        described,
        [
            "EWO-ALW (Ausländerwesen), Stichtag 31.03.2026",
            "AKDN sozial (AsylbLG), Berichtsmonate 10/2016 bis 03/2017",
            "Räumliche Gliederung (Adressen)",
        ]
    );
}

#[test]
fn the_fixture_has_every_symbol() {
    let tables = tables();
    let all: Vec<Published> = tables
        .iter()
        .flat_map(|t| {
            (0..t.n_rows()).flat_map(move |r| {
                (0..t.n_cols())
                    .map(move |c| t.cell(r, c))
                    .chain((0..t.derived_columns().len()).map(move |k| t.derived(r, k)))
            })
        })
        .collect();
    for wanted in [
        Published::Suppressed,
        Published::Zero,
        Published::NotMeaningful,
    ] {
        assert!(all.contains(&wanted), "{wanted:?}");
    }
    assert!(all.iter().any(|p| matches!(p, Published::Value(_))));
    assert!(all.iter().any(|p| matches!(p, Published::Percent(_))));
    assert!(all.iter().any(|p| matches!(p, Published::PerMille(_))));
    assert_eq!(
        tables[0].report().rule,
        lagebild_core::protect::AppliedRule::CellSuppression
    );
    assert!(tables[1].report().all_suppressed);
}

#[test]
fn workbook_round_trips_through_calamine() {
    let tables = tables();
    let meta = meta();
    let bytes = xlsx::workbook(&tables, &meta).unwrap();
    compare_workbook(&bytes, &tables, &meta);
}

#[test]
fn workbook_bytes_are_reproducible() {
    let meta = meta();
    let a = xlsx::workbook(&tables(), &meta).unwrap();
    let b = xlsx::workbook(&tables(), &meta).unwrap();
    assert_eq!(a, b);
    // A reference date before Excel's calendar still exports.
    let mut old = meta.clone();
    old.reference_date = Date::new(1850, 1, 1);
    assert!(xlsx::workbook(&tables(), &old).is_ok());
    // Without a Stichtag the workbook says so instead of inventing one.
    let mut unknown = meta.clone();
    unknown.reference_date = None;
    let bytes = xlsx::workbook(&tables(), &unknown).unwrap();
    let sheet = zip_entry(&bytes, "xl/sharedStrings.xml");
    assert!(sheet.contains("Stichtag: unbekannt"), "{sheet}");
    assert!(!sheet.contains("1970"), "{sheet}");
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    let mut out = String::new();
    entry.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn workbook_structure_links_freezes_and_formats() {
    let tables = tables();
    let meta = meta();
    let bytes = xlsx::workbook(&tables, &meta).unwrap();
    let names = xlsx::sheet_names(&tables);
    // Sheet names: numbered, at most 31 characters, none of []:*?/\, unique; the short
    // name of the definition where it has one, else the title cut at a word.
    assert_eq!(names[0], "1 Geflüchtete nach Kategorie");
    assert_eq!(names[2], "3 AsylbLG Personen je Monat");
    for name in &names {
        assert!(name.chars().count() <= 31);
        assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']));
    }
    let contents = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        contents.contains(&format!("location=\"'{}'!A1\"", names[0])),
        "{contents}"
    );
    assert!(contents.contains("location=\"'Metadaten'!A1\""));
    let first = zip_entry(&bytes, "xl/worksheets/sheet2.xml");
    let header = xlsx::header_row(&tables[0]) + 1; // one header row, 1-based
    assert!(
        first.contains(&format!(
            "<pane xSplit=\"1\" ySplit=\"{header}\" topLeftCell=\"B{}\" activePane=\"bottomRight\" state=\"frozen\"/>",
            header + 1
        )),
        "{first}"
    );
    assert!(first.contains("location=\"'Inhalt'!A1\""));
    // Print set-up: A4, one page wide, header rows repeated, page header and footer.
    assert!(first.contains("paperSize=\"9\""), "{first}");
    assert!(first.contains("fitToHeight=\"0\""), "{first}");
    assert!(first.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{first}");
    assert!(
        first.contains("<oddHeader>&amp;L&amp;\"-,Bold\"Geflüchtete nach Kategorie"),
        "{first}"
    );
    assert!(
        first.contains("&amp;RStichtag 31.03.2026</oddHeader>"),
        "{first}"
    );
    assert!(
        first.contains(
            "<oddFooter>&amp;LStadt Gelsenkirchen, Statistik &amp;&amp; Monitoring&amp;CSeite &amp;P von &amp;N"
        ),
        "{first}"
    );
    let book = zip_entry(&bytes, "xl/workbook.xml");
    assert!(
        book.contains(&format!(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'{}'!${}:${}</definedName>",
            names[0], header, header
        )),
        "{book}"
    );
    let series = zip_entry(&bytes, "xl/worksheets/sheet4.xml");
    assert!(series.contains("<pageSetup paperSize=\"9\""), "{series}");
    assert!(styles_have_month(&bytes));
    let styles = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.0 %\""), "{styles}");
    assert!(
        styles.contains("formatCode=\"0.00 &quot;‰&quot;\""),
        "{styles}"
    );
    assert!(styles.contains("formatCode=\"#,##0\""), "{styles}");
    let core = zip_entry(&bytes, "docProps/core.xml");
    assert!(core.contains("2026-03-31T00:00:00Z"), "{core}");
}

fn styles_have_month(bytes: &[u8]) -> bool {
    zip_entry(bytes, "xl/styles.xml").contains("formatCode=\"mm.yyyy\"")
}

#[test]
fn duplicate_titles_get_unique_sheet_names() {
    let tables = vec![series(), series()];
    let names = xlsx::sheet_names(&tables);
    assert_ne!(names[0].to_lowercase(), names[1].to_lowercase());
    let bytes = xlsx::workbook(&tables, &meta()).unwrap();
    compare_workbook(&bytes, &tables, &meta());
    let none = xlsx::workbook(&[], &meta()).unwrap();
    let book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(none)).unwrap();
    assert_eq!(book.sheet_names(), ["Inhalt", "Definitionen", "Metadaten"]);
}

#[test]
fn csv_is_german_excel_friendly_and_neutralises_formulas() {
    let table = by_space(ProtectionMode::Zelle);
    let bytes = csv::table(&table, &meta());
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], table.title());
    assert_eq!(
        lines[1],
        "Quelle: EWO-ALW (Ausländerwesen), Stichtag 31.03.2026"
    );
    assert_eq!(lines[2], "Quelle: Räumliche Gliederung (Adressen)");
    assert_eq!(lines[3], "Stichtag: 31.03.2026");
    assert_eq!(
        lines[4],
        "Herausgeber: Stadt Gelsenkirchen, Statistik & Monitoring"
    );
    assert_eq!(lines[5], "Kontakt: statistik@example.org");
    assert_eq!(lines[6], "");
    // A column "Übergeordnet" before the labels of a dimension with levels.
    assert_eq!(
        lines[7],
        "Übergeordnet;Stadtteil;Ankunftsnachweis;Gestattung;Duldung;Humanitär;Insgesamt;\
         Anteil Duldung in %;Anteil an der Stadt in ‰"
    );
    assert!(
        text.contains("\r\nGelsenkirchen-Nord;'=Scholven;"),
        "formula neutralised: {text}"
    );
    assert!(
        text.contains("\r\nGelsenkirchen-Nord;\"Hassel; Nord\";"),
        "delimiter quoted"
    );
    assert!(text.contains("\r\nAnmerkung: -Anmerkung"));
    assert!(text.contains(&format!("Geheimhaltung: {}", table.report().text())));
    assert!(text.contains(&format!("Zeichenerklärung: {LEGEND}")));
    // The csv crate reads it back with the same number of fields per table row.
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let rows: Vec<&::csv::StringRecord> = records.iter().filter(|r| r.len() == 9).collect();
    assert_eq!(rows.len(), 1 + table.n_rows());
    // Every value, cell by cell: counts without separators, ratios with a decimal comma.
    for (r, record) in rows[1..].iter().enumerate() {
        let position = table.row_positions(r)[0];
        let axis = &table.row_axes()[0];
        let parent = axis
            .positions()
            .iter()
            .find(|s| {
                s.role == lagebild_core::tabulate::Role::Subtotal
                    && s.parts
                        .iter()
                        .any(|&i| std::ptr::eq(&axis.positions()[i], position))
            })
            .map_or("", |s| s.label.as_str());
        assert_eq!(&record[0], csv::neutralise(parent).as_str(), "row {r}");
        let record: Vec<&str> = record.iter().skip(1).collect();
        let label = &position.label;
        let expected_label = csv::neutralise(label);
        assert_eq!(record[0], expected_label.as_str());
        for c in 0..table.n_cols() {
            let expected = match table.cell(r, c) {
                Published::Value(n) => n.to_string(),
                other => other.symbol().unwrap().to_owned(),
            };
            assert_eq!(record[1 + c], expected.as_str(), "row {r}, column {c}");
        }
        for (k, d) in table.derived_columns().iter().enumerate() {
            let expected = match table.derived(r, k) {
                Published::Percent(x) | Published::PerMille(x) => {
                    format!("{x:.*}", usize::from(d.decimals)).replace('.', ",")
                }
                other => other.symbol().unwrap().to_owned(),
            };
            let field = record[1 + table.n_cols() + k];
            assert_eq!(field, expected.as_str(), "row {r}, ratio {k}");
            assert!(!field.contains('.') || field == ".");
        }
    }
    assert!(records.iter().any(|r| r.get(1) == Some("Hassel; Nord")));
}

#[test]
fn csv_neutralising_rule() {
    for (input, output) in [
        ("=1+1", "'=1+1"),
        ("+49", "'+49"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Buer", "Buer"),
        ("– nichts", "– nichts"),
        ("", ""),
    ] {
        assert_eq!(csv::neutralise(input), output);
    }
}

/// LibreOffice opens the workbook without complaint: converted headless to XLSX again, the
/// result reads back with identical values. Skipped where LibreOffice is not installed.
#[test]
fn libreoffice_opens_the_workbook() {
    let soffice = std::path::Path::new("/usr/bin/soffice");
    if !soffice.exists() {
        eprintln!("LibreOffice nicht installiert: Test übersprungen");
        return;
    }
    let tables = tables();
    let meta = meta();
    let bytes = xlsx::workbook(&tables, &meta).unwrap();
    let dir = std::env::temp_dir().join(format!("lagebild-export-{}", std::process::id()));
    let input = dir.join("in");
    let output = dir.join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&output).unwrap();
    let file = input.join("lagebild.xlsx");
    std::fs::write(&file, &bytes).unwrap();
    // A private profile, so parallel LibreOffice runs of others do not interfere.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let status = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&output)
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    let converted = std::fs::read(output.join("lagebild.xlsx")).unwrap();
    compare_workbook(&converted, &tables, &meta);
    let _ = std::fs::remove_dir_all(&dir);
}
