//! Issue 21: the columns of the monthly series declared in the city's PKS file. A city counts
//! Geduldete and Asylbewerber without the split by benefit, the Leistungseinschränkung nach
//! § 1a in a column of its own, and shows one sum. Its Datentabelle (written by a real
//! spreadsheet writer in that layout) is continued with the synthetic city's last AKDN exports;
//! every month must equal the ground truth by code, summed in the city's columns, and the
//! released tables carry the city's headings, not the seed's.

mod common;

use std::collections::BTreeMap;

use lagebild_core::classify::pks::PksMapping;
use lagebild_core::import::SourceKind;
use lagebild_core::protect::{ProtectionMode, ProtectionSettings, TableDesign};
use lagebild_core::records::YearMonth;
use lagebild_core::session::{ClassificationTexts, Incoming, Session};
use lagebild_core::view::DownloadRequest;
use lagebild_synth::{Config, Output, Scale, generate};
use rust_xlsxwriter::Workbook;

/// The city's columns and sum, in the format of `pks_example.toml`.
const CITY_COLUMNS: &str = r#"
[[spalte]]
key = "geduldete"
ueberschrift = "Geduldete"

[[spalte]]
key = "asylbewerber"
ueberschrift = "Asylbewerber"

[[spalte]]
key = "eingeschraenkt"
ueberschrift = "§ 1a eingeschränkt"

[[spalte]]
key = "sonstige"
ueberschrift = "sonstige"
optional = true

[[summe]]
key = "regulaer"
ueberschrift = "ohne Einschränkung"
spalten = ["geduldete", "Asylbewerber"]
"#;

/// The city's column of an example code: § 1a (code 17) of its own, else by status group.
fn city_column(code: &str, group: &str) -> usize {
    match (code, group) {
        ("17", _) => 2,
        (_, "Geduldete") => 0,
        (_, "Asylbewerber") => 1,
        _ => 3,
    }
}

/// The city's PKS file: the example's codes, each with the column it counts in.
fn city_pks() -> String {
    let keys = ["geduldete", "asylbewerber", "eingeschraenkt", "sonstige"];
    let mut text = CITY_COLUMNS.to_owned();
    for e in PksMapping::example().entries() {
        text.push_str(&format!(
            "\n[[pks]]\ncode = \"{}\"\nstatus_group = \"{}\"\nbenefit = \"{}\"\nasylblg_nr = \"{}\"\nspalte = \"{}\"\n",
            e.code,
            e.group.label(),
            e.benefit_label,
            e.asylblg_nr,
            keys[city_column(&e.code, e.group.label())]
        ));
    }
    text
}

/// The ground truth by code, summed per month in the city's four columns.
fn truth(output: &Output) -> Vec<(YearMonth, [u64; 4])> {
    let csv = &output
        .file("truth/asylblg_monthly_detail.csv")
        .expect("truth by code")
        .bytes;
    let mut months: BTreeMap<YearMonth, [u64; 4]> = BTreeMap::new();
    for line in std::str::from_utf8(csv).expect("utf-8").lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let date: Vec<u16> = f[0].split('.').map(|p| p.parse().unwrap()).collect();
        let month = YearMonth::new(date[2], date[1] as u8).unwrap();
        let persons: u64 = f[5].parse().unwrap();
        months.entry(month).or_default()[city_column(f[1], f[2])] += persons;
    }
    months.into_iter().collect()
}

/// The city's Datentabelle: its headings under a group row, its sum and Insgesamt.
fn office_table(months: &[(YearMonth, [u64; 4])]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 1, "AsylbLG-Leistungen").unwrap();
    for (c, header) in [
        "Monat",
        "Geduldete",
        "Asylbewerber",
        "§ 1a eingeschränkt",
        "sonstige",
        "ohne Einschränkung",
        "Insgesamt",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, c as u16, *header).unwrap();
    }
    for (r, (month, cells)) in months.iter().enumerate() {
        let row = r as u32 + 2;
        sheet
            .write_string(row, 0, format!("{:02}/{}", month.month, month.year))
            .unwrap();
        let [g, a, e, s] = *cells;
        for (c, n) in [
            (1, g),
            (2, a),
            (3, e),
            (4, s),
            (5, g + a),
            (6, g + a + e + s),
        ] {
            sheet.write_number(row, c, n as f64).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_city_declares_its_columns_and_the_series_follows_them_through_the_fortschreibung() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let truth = truth(&output);
    let n = truth.len();
    assert!(n > 12, "the city has a long series");
    assert!(
        truth.iter().any(|(_, c)| c[2] > 0),
        "the city has persons under § 1a"
    );
    let last5: Vec<YearMonth> = truth[n - 5..].iter().map(|(m, _)| *m).collect();

    let mut files = vec![Incoming::detected(
        "Datentabelle.xlsx",
        "Datentabelle.xlsx",
        office_table(&truth[..n - 3]),
    )];
    let (exports, covered) = common::akdn_exports_of(&output, &last5);
    assert_eq!(covered, last5);
    files.extend(exports);

    let mut session = Session::<Vec<u8>>::default();
    session
        .set_classification(&ClassificationTexts {
            pks: Some(city_pks()),
            ..ClassificationTexts::default()
        })
        .expect("the city's PKS file loads");
    let summaries = session.import(files, &mut |_, _, _, _| {});
    for s in &summaries {
        assert!(s.error.is_none(), "{}: {}", s.name, s.report);
    }
    let table_file = &session.dataset().files[0];
    assert_eq!(
        table_file.report.detection.as_ref().map(|d| d.source),
        Some(SourceKind::Datentabelle),
        "{}",
        table_file.report
    );
    assert!(
        table_file.report.rejected.is_empty() && table_file.report.rows_accepted == (n - 3) as u64,
        "{}",
        table_file.report
    );

    // Every month in the city's columns, the table's months and the continued ones alike.
    let report = lagebild_core::reports::standard_report(session.dataset(), session.config())
        .expect("report");
    let series = report.series.as_ref().expect("series");
    assert_eq!(series.columns.keys().len(), 4);
    let got: Vec<(YearMonth, [u64; 4])> = series
        .rows
        .iter()
        .map(|r| {
            let c = r.counts.expect("no gap");
            (r.month, c.cells[..4].try_into().unwrap())
        })
        .collect();
    assert_eq!(got, truth);
    let continuation = report.quality.continuation.as_ref().expect("continued");
    assert_eq!(
        continuation.continued,
        truth[n - 3..].iter().map(|(m, _)| *m).collect::<Vec<_>>()
    );
    assert_eq!(continuation.overlap.len(), 2);
    assert!(
        continuation.differences.is_empty(),
        "{:?}",
        continuation.differences
    );
    assert!(!continuation.columns_differ);

    // The released series and the table by PKS carry the city's headings and sum.
    // The tiny city's columns are small: in the original design with cells suppressed every
    // heading stays in the table.
    let settings = ProtectionSettings {
        mode: ProtectionMode::Zelle,
        design: TableDesign::Original,
        ..ProtectionSettings::default()
    };
    session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    let csv = |key: &str| {
        let download = session
            .download(&DownloadRequest::TableCsv(key.into()))
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        encoding_rs::WINDOWS_1252
            .decode(&download.bytes)
            .0
            .into_owned()
    };
    let monthly = csv("asylblg_monat");
    for heading in [
        "Geduldete",
        "§ 1a eingeschränkt",
        "ohne Einschränkung",
        "Insgesamt",
    ] {
        assert!(monthly.contains(heading), "{heading}: {monthly}");
    }
    assert!(!monthly.contains("§ 2 Geduldete"), "{monthly}");
    let by_pks = csv("asylblg_pks");
    assert!(by_pks.contains("§ 1a eingeschränkt"), "{by_pks}");
    assert!(!by_pks.contains("§ 3 Asylbewerber"), "{by_pks}");
}

#[test]
fn a_datentabelle_read_before_the_pks_file_changed_is_not_continued() {
    let mut session = Session::<Vec<u8>>::default();
    let table = office_table(&[(YearMonth::new(2025, 10).unwrap(), [30, 40, 5, 1])]);
    // Read with the seed's columns, the city's table is no Datentabelle.
    let summaries = session.import(
        vec![Incoming::given(
            "Datentabelle.xlsx",
            "Datentabelle.xlsx",
            table.clone(),
            SourceKind::Datentabelle,
        )],
        &mut |_, _, _, _| {},
    );
    assert!(
        summaries[0].error.is_some(),
        "the seed's columns are not in it: {}",
        summaries[0].report
    );
    // Read with the city's columns it is; loading the seed's mapping afterwards stops the
    // Fortschreibung with a German message instead of mixing the layouts.
    session
        .set_classification(&ClassificationTexts {
            pks: Some(city_pks()),
            ..ClassificationTexts::default()
        })
        .unwrap();
    let summaries = session.import(
        vec![Incoming::detected(
            "Datentabelle2.xlsx",
            "Datentabelle2.xlsx",
            table,
        )],
        &mut |_, _, _, _| {},
    );
    assert!(summaries[0].error.is_none(), "{}", summaries[0].report);
    session
        .set_classification(&ClassificationTexts::default())
        .unwrap();
    let report = lagebild_core::reports::standard_report(session.dataset(), session.config())
        .expect("report");
    let continuation = report.quality.continuation.as_ref().expect("checked");
    assert!(continuation.columns_differ);
    assert!(
        continuation
            .lines()
            .iter()
            .any(|l| l.contains("noch einmal laden")),
        "{:?}",
        continuation.lines()
    );
}
