//! "Bevölkerung aktuell" with two Meldewesen snapshots: the change table counts the previous
//! and the current snapshot exactly as the single-snapshot population tables do, its derived
//! column follows from the published counts, and with one snapshot the table is left out with
//! a note.

use lagebild_core::import::{Dataset, ImportOptions, Importer};
use lagebild_core::protect::{ProtectionMode, ProtectionSettings, Published, protect};
use lagebild_core::reports::{ReportConfig, StandardReport, standard_report};
use lagebild_core::tabulate::{TOTAL_KEY, Table, index_of};
use lagebild_synth::{Config, Output, Scale, SourceKind, generate};

const CURRENT: &str = "EWO_Bestand_20261031";
const PREVIOUS: &str = "EWO_Bestand_20261024";

/// Imports the Gliederung and those Meldewesen snapshots whose file name contains one of `names`.
fn dataset(output: &Output, names: &[&str]) -> Dataset {
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    for entry in &output.manifest.files {
        if entry.subset_of.is_some() || entry.duplicate_of.is_some() {
            continue;
        }
        let name = entry.path.rsplit('/').next().unwrap_or_default();
        let wanted = match entry.source {
            SourceKind::Gliederung => name.ends_with(".csv"),
            SourceKind::Meldewesen => names.iter().any(|n| name.starts_with(n)),
            _ => false,
        };
        if !wanted {
            continue;
        }
        let file = output.file(&entry.path).expect("file");
        let imported = importer.import(&mut dataset, name, &file.bytes, &ImportOptions::default());
        assert!(imported.report.error.is_none(), "{}", imported.report);
    }
    dataset
}

fn find<'a>(report: &'a StandardReport, key: &str) -> Option<&'a Table> {
    report.tables.iter().find(|t| t.key() == key)
}

/// Residents by `raum` position key (Stadtteil, Stadtbezirk, total) from the single-snapshot
/// table "Einwohner nach Stadtteil und Geschlecht".
fn residents_by_place(report: &StandardReport) -> Vec<(String, Option<u64>)> {
    let table = find(report, "bevoelkerung_geschlecht").expect("population table");
    let total = index_of(table.column_axes(), &[TOTAL_KEY]).expect("total column");
    table.row_axes()[0]
        .positions()
        .iter()
        .enumerate()
        .map(|(r, p)| (p.key.clone(), table.cell(r, total)))
        .collect()
}

#[test]
fn change_table_counts_both_snapshots_like_the_population_tables() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let snapshots: Vec<&str> = output
        .manifest
        .files
        .iter()
        .filter(|f| f.source == SourceKind::Meldewesen && f.path.contains("EWO_Bestand_"))
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        snapshots.iter().any(|p| p.contains(CURRENT))
            && snapshots.iter().any(|p| p.contains(PREVIOUS)),
        "the synthetic city has two Meldewesen snapshots: {snapshots:?}"
    );

    let config = ReportConfig::default();
    let both = standard_report(&dataset(&output, &[CURRENT, PREVIOUS]), &config).expect("report");
    let current_only = standard_report(&dataset(&output, &[CURRENT]), &config).expect("report");
    let previous_only = standard_report(&dataset(&output, &[PREVIOUS]), &config).expect("report");

    let change = find(&both, "bevoelkerung_veraenderung").expect("change table");
    assert_eq!(
        change.title(),
        "Bevölkerung aktuell: Veränderung der Einwohnerzahl seit dem 24.10.2026 (Stand 31.10.2026)"
    );
    let labels: Vec<&str> = change.column_axes()[0]
        .positions()
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(
        labels,
        ["Einwohner am 24.10.2026", "Einwohner am 31.10.2026"]
    );
    // The change table comes first among the population tables.
    let first = both
        .tables
        .iter()
        .position(|t| t.key().starts_with("bevoelkerung"))
        .expect("population tables");
    assert_eq!(both.tables[first].key(), "bevoelkerung_veraenderung");

    let before = residents_by_place(&previous_only);
    let now = residents_by_place(&current_only);
    assert_eq!(before.len(), change.n_rows());
    assert_eq!(now.len(), change.n_rows());
    let mut differs = false;
    for (r, p) in change.row_axes()[0].positions().iter().enumerate() {
        assert_eq!(before[r].0, p.key);
        assert_eq!(now[r].0, p.key);
        let (b, n) = (change.cell(r, 0), change.cell(r, 1));
        assert_eq!(b, before[r].1, "vorher, {}", p.label);
        assert_eq!(n, now[r].1, "aktuell, {}", p.label);
        differs |= b != n;
    }
    assert!(differs, "the two snapshots differ somewhere");
    // The single-snapshot tables of the report with both files are those of the current one.
    assert_eq!(residents_by_place(&both), now);

    // Published: the change (current − previous) and the change in %, suppressed with
    // either count.
    let settings = ProtectionSettings {
        mode: ProtectionMode::Zelle,
        ..ProtectionSettings::default()
    };
    let published = protect(change.clone(), &settings);
    assert_eq!(published.derived_columns().len(), 2);
    let mut checked = 0;
    for r in 0..published.n_rows() {
        match (
            published.cell(r, 0),
            published.cell(r, 1),
            published.derived(r, 0),
            published.derived(r, 1),
        ) {
            (
                Published::Value(b),
                Published::Value(n),
                Published::Difference(d),
                Published::ChangePercent(x),
            ) => {
                assert_eq!(d, n as i64 - b as i64);
                assert!((x - (n as f64 / b as f64 - 1.0) * 100.0).abs() < 1e-9);
                checked += 1;
            }
            (Published::Suppressed, _, d, x) | (_, Published::Suppressed, d, x) => {
                assert_eq!(d, Published::Suppressed);
                assert_eq!(x, Published::Suppressed);
            }
            (_, _, Published::Difference(_), _) | (_, _, _, Published::ChangePercent(_)) => {
                panic!("change without two counts in row {r}")
            }
            _ => {}
        }
    }
    assert!(checked > 0, "some changes are published");
    let total = index_of(published.row_axes(), &[TOTAL_KEY]).expect("total row");
    assert!(matches!(
        published.derived(total, 0),
        Published::Difference(_)
    ));
    assert!(matches!(
        published.derived(total, 1),
        Published::ChangePercent(_)
    ));
    // Shown with their sign.
    assert_eq!(Published::Difference(-12).to_german(0), "-12");
    assert_eq!(Published::Difference(1234).to_german(0), "+1.234");
    assert_eq!(Published::Difference(0).to_german(0), "±0");
    assert_eq!(Published::ChangePercent(-0.174).to_german(2), "-0,17");
    assert_eq!(Published::ChangePercent(0.001).to_german(2), "±0,00");

    assert!(
        !both
            .quality
            .notes
            .iter()
            .any(|n| n.starts_with("Nur ein Meldewesen-Bestand")),
        "{:?}",
        both.quality.notes
    );
}

#[test]
fn one_snapshot_gives_no_change_table_but_a_note() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let config = ReportConfig::default();
    for names in [&[CURRENT][..], &[PREVIOUS][..]] {
        let report = standard_report(&dataset(&output, names), &config).expect("report");
        assert!(find(&report, "bevoelkerung_geschlecht").is_some());
        assert!(find(&report, "bevoelkerung_veraenderung").is_none());
        assert!(
            report
                .quality
                .notes
                .iter()
                .any(|n| n.starts_with("Nur ein Meldewesen-Bestand geladen: keine Veränderung")),
            "{:?}",
            report.quality.notes
        );
    }
}

#[test]
fn the_same_snapshot_twice_gives_no_change_table() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let mut data = dataset(&output, &[CURRENT]);
    let entry = output
        .manifest
        .files
        .iter()
        .find(|f| f.path.contains(CURRENT))
        .expect("current snapshot");
    let file = output.file(&entry.path).expect("file");
    let imported = Importer::default().import(
        &mut data,
        "EWO_Bestand_20261031_Kopie.csv",
        &file.bytes,
        &ImportOptions::default(),
    );
    assert!(imported.report.error.is_none(), "{}", imported.report);
    let report = standard_report(&data, &ReportConfig::default()).expect("report");
    assert!(find(&report, "bevoelkerung_veraenderung").is_none());
}

/// A session of the Gliederung and the Meldewesen snapshots named, plus `extra` files.
fn session(
    output: &Output,
    names: &[&str],
    extra: Vec<lagebild_core::session::Incoming<Vec<u8>>>,
) -> lagebild_core::session::Session<Vec<u8>> {
    use lagebild_core::session::{Incoming, Session};
    let mut files: Vec<Incoming<Vec<u8>>> = output
        .manifest
        .files
        .iter()
        .filter(|e| e.subset_of.is_none() && e.duplicate_of.is_none())
        .filter(|e| {
            let name = e.path.rsplit('/').next().unwrap_or_default();
            match e.source {
                SourceKind::Gliederung => name.ends_with(".csv"),
                SourceKind::Meldewesen => names.iter().any(|n| name.starts_with(n)),
                _ => false,
            }
        })
        .map(|e| {
            let name = e.path.rsplit('/').next().unwrap_or_default();
            Incoming::detected(
                name,
                &e.path,
                output.file(&e.path).expect("file").bytes.clone(),
            )
        })
        .collect();
    files.extend(extra);
    let mut session = Session::<Vec<u8>>::default();
    session.import(files, &mut |_, _, _, _| {});
    session
}

/// Issue 20, point 1: last week's raw export is gone, last week's released workbook is
/// loaded instead. The change table takes the previous residents per Stadtteil from the
/// workbook: equal to the table made from both raw snapshots wherever last week's value was
/// published, "x" where it was not, and the sources name the workbook, not a Meldewesen file.
#[test]
fn the_change_since_last_week_comes_from_last_weeks_released_workbook() {
    use lagebild_core::session::Incoming;
    use lagebild_core::view::DownloadRequest;
    // The demo city: its Stadtteile are large enough to be published by Stadtteil.
    let output = generate(&Config::new(Scale::Demo)).expect("synthetic city");
    let settings = ProtectionSettings::default();

    // Last week: the report of the previous snapshot, released as a workbook.
    let mut last_week = session(&output, &[PREVIOUS], Vec::new());
    last_week
        .run(&settings, &mut |_, _, _, _| {})
        .expect("last week");
    let workbook = last_week
        .download(&DownloadRequest::Workbook)
        .expect("workbook")
        .bytes;

    // This week with the workbook instead of last week's export, and with both exports.
    let released = Incoming::detected("Lagebild_Standardbericht_24.10.2026.xlsx", "", workbook);
    let mut from_workbook = session(&output, &[CURRENT], vec![released]);
    let summaries_ok = from_workbook.run(&settings, &mut |_, _, _, _| {});
    let with_workbook = summaries_ok.expect("report");
    let mut from_exports = session(&output, &[CURRENT, PREVIOUS], Vec::new());
    let with_exports = from_exports
        .run(&settings, &mut |_, _, _, _| {})
        .expect("report");
    let change = |set: &lagebild_core::view::ReportSet| {
        set.tables
            .iter()
            .find(|t| t.key == "bevoelkerung_veraenderung")
            .cloned()
            .expect("change table")
    };
    let published = change(&with_workbook);
    let counted = change(&with_exports);
    assert_eq!(published.title, counted.title);
    assert!(
        published
            .notes
            .iter()
            .any(|n| n.contains("veröffentlichten Werte")),
        "{:?}",
        published.notes
    );
    assert!(
        with_workbook
            .quality
            .notes
            .iter()
            .any(|n| n.contains("Lagebild_Standardbericht_24.10.2026.xlsx")),
        "{:?}",
        with_workbook.quality.notes
    );
    assert!(
        with_workbook.unused.is_empty(),
        "{:?}",
        with_workbook.unused
    );
    let mut compared = 0;
    for row in &published.rows {
        let other = counted
            .rows
            .iter()
            .find(|r| r.labels == row.labels)
            .unwrap_or_else(|| panic!("{:?} in both", row.labels));
        if row.values.iter().all(|v| v != "x") {
            assert_eq!(row.values, other.values, "{:?}", row.labels);
            compared += 1;
        }
    }
    assert!(
        compared * 2 > published.rows.len(),
        "{compared} of {}",
        published.rows.len()
    );
    let total = published.rows.last().expect("total row");
    assert_ne!(total.values[0], "x", "the city's total is published");

    // The workbook of this week names last week's released workbook as a source.
    let download = from_workbook
        .download(&DownloadRequest::TableCsv(
            "bevoelkerung_veraenderung".into(),
        ))
        .expect("csv");
    let csv = encoding_rs::WINDOWS_1252
        .decode(&download.bytes)
        .0
        .into_owned();
    assert!(
        csv.contains("Veröffentlichte Lagebild-Arbeitsmappe"),
        "{csv}"
    );
    assert!(
        !csv.contains("Lagebild_Standardbericht_24.10.2026.xlsx"),
        "{csv}"
    );
}

/// A file given as a released workbook that is none is refused with a German reason; an
/// office workbook is read as what it is.
#[test]
fn a_file_that_is_no_released_workbook_is_refused_when_given_as_one() {
    use lagebild_core::import::SourceKind as Kind;
    let importer = Importer::default();
    let options = ImportOptions {
        source: Some(Kind::ReleasedWorkbook),
        ..ImportOptions::default()
    };
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Stadtteil").expect("cell");
    sheet.write_string(0, 1, "Insgesamt").expect("cell");
    sheet.write_string(1, 0, "Altstadt").expect("cell");
    sheet.write_number(1, 1, 12.0).expect("cell");
    let xlsx = workbook.save_to_buffer().expect("xlsx");
    for (name, bytes) in [
        ("Einwohner.xlsx", xlsx),
        (
            "Einwohner.csv",
            b"Stadtteil;Insgesamt\r\nAltstadt;12\r\n".to_vec(),
        ),
    ] {
        let mut dataset = Dataset::default();
        let file = importer.import(&mut dataset, name, &bytes, &options);
        let error = file
            .report
            .error
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(
            error.contains("keine von Lagebild veröffentlichte Arbeitsmappe"),
            "{name}: {error}"
        );
        assert!(file.records.is_empty());
    }
}
