//! Fortschreibung (issue 20): the office's running series table, written by a real spreadsheet
//! writer in the seed's layout, continued with the AKDN exports of the synthetic city's last
//! five months: two months overlap (one with a planted difference), three are new.

mod common;

use lagebild_core::classify::fortschreibung::CellDifference;
use lagebild_core::import::SourceKind;
use lagebild_core::protect::ProtectionSettings;
use lagebild_core::records::YearMonth;
use lagebild_core::session::{Incoming, Session};
use lagebild_core::view::DownloadRequest;
use lagebild_synth::{Config, Output, Scale, generate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The truth of the synthetic city: per month the five columns of the office's table.
fn truth(output: &Output) -> Vec<(YearMonth, [u64; 5])> {
    let csv = &output
        .file("truth/asylblg_monthly.csv")
        .expect("truth of the series")
        .bytes;
    let text = std::str::from_utf8(csv).expect("utf-8");
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(';').collect();
            let date: Vec<u16> = f[0].split('.').map(|p| p.parse().unwrap()).collect();
            let month = YearMonth::new(date[2], date[1] as u8).unwrap();
            let n = |i: usize| f[i].parse::<u64>().unwrap();
            (month, [n(1), n(2), n(3), n(4), n(5)])
        })
        .collect()
}

/// The office's table as an XLSX in the seed's layout: "Datum" as Excel dates, both pairs
/// named only "Geduldete Flüchtl." and "Asylbewerber" (the order tells § 2 from § 3), a blank
/// column, "sonstige", and the sums.
fn office_table(months: &[(YearMonth, [u64; 5])]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Datentabelle").unwrap();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (c, header) in [
        "Datum",
        "Geduldete Flüchtl.",
        "Asylbewerber",
        "Asylbewerber",
        "Geduldete Flüchtl.",
        "",
        "sonstige",
        "",
        "Geduldete gesamt",
        "Asylbewerber gesamt",
        "Insgesamt",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    for (r, (month, cells)) in months.iter().enumerate() {
        let row = r as u32 + 1;
        let day = ExcelDateTime::from_ymd(month.year, month.month, 1).unwrap();
        sheet
            .write_datetime_with_format(row, 0, &day, &date)
            .unwrap();
        let [p2g, p2a, p3a, p3g, sonstige] = *cells;
        for (c, n) in [
            (1, p2g),
            (2, p2a),
            (3, p3a),
            (4, p3g),
            (6, sonstige),
            (8, p2g + p3g + sonstige),
            (9, p2a + p3a),
            (10, p2g + p2a + p3a + p3g + sonstige),
        ] {
            sheet.write_number(row, c, n as f64).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn the_office_table_is_continued_with_three_new_months_and_a_planted_difference_is_reported() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let truth = truth(&output);
    let n = truth.len();
    assert!(n > 12, "the city has a long series");
    let last5: Vec<YearMonth> = truth[n - 5..].iter().map(|(m, _)| *m).collect();
    let overlap_planted = truth[n - 4].0;

    // The office's table: every month up to the fourth last, with one cell off by 7 in the
    // fourth last (an overlap month).
    let mut table: Vec<(YearMonth, [u64; 5])> = truth[..n - 3].to_vec();
    let planted = table.len() - 1;
    table[planted].1[2] += 7;
    let office = office_table(&table);

    // The AKDN exports of the last five months only (one file per month).
    let (exports, loaded_months) = common::akdn_exports_of(&output, &last5);
    let mut files = vec![Incoming::detected(
        "Entwicklung_Fluechtlingszahlen.xlsx",
        "Entwicklung_Fluechtlingszahlen.xlsx",
        office,
    )];
    files.extend(exports);
    assert_eq!(
        loaded_months, last5,
        "one AKDN export per month of the last five"
    );

    let mut session = Session::<Vec<u8>>::default();
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
    assert_eq!(table_file.report.rows_accepted, (n - 3) as u64);
    assert!(
        table_file.report.rejected.is_empty(),
        "{}",
        table_file.report
    );

    // The series before protection: the table's months as written, the new ones as counted.
    let report = lagebild_core::reports::standard_report(session.dataset(), session.config())
        .expect("report");
    let series = report.series.as_ref().expect("series");
    assert_eq!(series.rows.len(), n);
    for (row, (month, cells)) in series.rows.iter().zip(&truth) {
        assert_eq!(row.month, *month);
        let c = row.counts.expect("no gap");
        let got: [u64; 5] = c.cells[..5].try_into().unwrap();
        let mut want = *cells;
        if *month == overlap_planted {
            want[2] += 7;
        }
        assert_eq!(got, want, "{month}");
    }
    let continuation = report.quality.continuation.as_ref().expect("continued");
    assert_eq!(
        continuation.continued,
        truth[n - 3..].iter().map(|(m, _)| *m).collect::<Vec<_>>()
    );
    assert_eq!(continuation.overlap, vec![truth[n - 5].0, overlap_planted]);
    assert_eq!(
        continuation.differences,
        vec![CellDifference {
            month: overlap_planted,
            column: "§ 3 Asylbewerber".into(),
            office: truth[n - 4].1[2] + 7,
            computed: truth[n - 4].1[2],
        }]
    );
    assert!(continuation.gaps.is_empty());

    // The run shows the difference on the Qualität page, and the released series names both
    // sources by period, never a file.
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("run");
    let wanted = format!(
        "Abweichung {:02}/{} „§ 3 Asylbewerber“: Datentabelle",
        overlap_planted.month, overlap_planted.year
    );
    assert!(
        set.quality
            .notes
            .iter()
            .any(|n| n.starts_with(&wanted) && n.ends_with("(-7).")),
        "{:#?}",
        set.quality.notes
    );
    assert!(set.tables.iter().any(|t| t.key == "asylblg_monat"));
    let csv = session
        .download(&DownloadRequest::TableCsv("asylblg_monat".into()))
        .expect("csv");
    let first = truth[0].0;
    let sources = String::from_utf8(csv.bytes).expect("utf-8");
    assert!(
        sources.contains(&format!(
            "Datentabelle „Entwicklung der Flüchtlingszahlen“ des Amtes, Berichtsmonate {:02}/{} bis {:02}/{}",
            first.month, first.year, overlap_planted.month, overlap_planted.year
        )),
        "{sources}"
    );
    assert!(
        sources.contains(&format!(
            "AKDN sozial (AsylbLG), Berichtsmonate {:02}/{} bis {:02}/{}",
            last5[0].month, last5[0].year, last5[4].month, last5[4].year
        )),
        "{sources}"
    );
    assert!(!sources.contains(".xlsx"));
    let workbook = session
        .download(&DownloadRequest::Workbook)
        .expect("workbook");
    assert!(!workbook.bytes.is_empty());
}
