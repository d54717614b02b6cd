//! PKS in the report (issue 20): persons of the last AKDN month by the mapping's codes on the
//! Qualität page (exact lines for checking the mapping, and a released table checked with the
//! series in one universe, so it cannot difference a merged column of the series),
//! the warning of the example mapping on every table that uses it, and a template of the city's
//! mapping with the codes of the loaded exports.

mod common;

use lagebild_core::classify::PksMapping;
use lagebild_core::classify::pks::EXAMPLE_WARNING;
use lagebild_core::protect::{ProtectionMode, ProtectionSettings};
use lagebild_core::reports::standard_report;
use lagebild_core::session::{ClassificationTexts, Session};
use lagebild_core::view::{DownloadRequest, pks_lines};
use lagebild_synth::{Config, Scale, generate};

fn akdn_session() -> Session<Vec<u8>> {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    common::session_of(&output, |e| e.source == lagebild_synth::SourceKind::Akdn)
}

#[test]
fn persons_by_pks_add_up_to_the_last_month_and_the_example_is_named() {
    let mut session = akdn_session();
    let report = standard_report(session.dataset(), session.config()).expect("report");
    let series = report.series.as_ref().expect("series");
    let last = series
        .rows
        .last()
        .and_then(|r| r.counts)
        .expect("last month");
    // By PKS, on Qualität only: exact lines that add up to the persons of the last month.
    let mapping = PksMapping::example();
    let lines = pks_lines(series, &mapping);
    let sum: u64 = lines
        .iter()
        .map(|(_, v)| {
            v.trim_end_matches(" Personen")
                .replace('.', "")
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(sum, last.persons());
    let month = series.last_month.unwrap();
    assert!(lines.iter().all(|(l, _)| l.starts_with(&format!(
        "AsylbLG (AKDN) {:02}/{}: ",
        month.month, month.year
    ))));
    // Labels from the mapping, never from the records.
    for (label, _) in &lines {
        let what = label.split(": ").nth(1).unwrap();
        assert!(
            what == "Schlüssel ohne Zuordnung"
                || mapping
                    .entries()
                    .any(|e| what.starts_with(&format!("PKS {} ", e.code))),
            "{label}"
        );
    }
    // Released as a protected table on Qualität (checked with the series, see below), with
    // the mapping's labels; the exact lines stay for checking the mapping.
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("run");
    let by_pks = set
        .tables
        .iter()
        .find(|t| t.key == "asylblg_pks")
        .expect("table by PKS");
    assert_eq!(by_pks.page, lagebild_core::tabulate::Page::Qualitaet);
    assert!(
        by_pks
            .title
            .contains(&format!("{:02}/{}", month.month, month.year)),
        "{}",
        by_pks.title
    );
    assert!(by_pks.notes.iter().any(|n| n == EXAMPLE_WARNING));
    assert!(
        set.quality
            .lines
            .iter()
            .any(|l| l.label.contains(": PKS 21 ")),
        "{:?}",
        set.quality.lines
    );
    // The example is named on the tables that use the PKS, not on the cases.
    let table = |key: &str| report.tables.iter().find(|t| t.key() == key).unwrap();
    assert!(
        table("asylblg_monat")
            .notes()
            .iter()
            .any(|n| n == EXAMPLE_WARNING)
    );
    assert!(
        !table("asylblg_faelle")
            .notes()
            .iter()
            .any(|n| n == EXAMPLE_WARNING)
    );
}

#[test]
fn with_the_citys_mapping_no_warning() {
    let mut session = akdn_session();
    session
        .set_classification(&ClassificationTexts {
            pks: Some(lagebild_core::classify::pks::EXAMPLE_PKS_TOML.to_owned()),
            ..ClassificationTexts::default()
        })
        .expect("mapping");
    let settings = ProtectionSettings {
        mode: ProtectionMode::Tabelle,
        ..ProtectionSettings::default()
    };
    let set = session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    let table = set
        .tables
        .iter()
        .find(|t| t.key == "asylblg_monat")
        .expect("released");
    assert!(!table.notes.iter().any(|n| n == EXAMPLE_WARNING));
}

#[test]
fn the_template_holds_the_codes_of_the_exports_and_loads() {
    let session = akdn_session();
    let download = session
        .download(&DownloadRequest::PksTemplate)
        .expect("template");
    assert_eq!(download.file_name, "pks_zuordnung_vorlage.toml");
    let text = String::from_utf8(download.bytes).unwrap();
    let values = lagebild_core::classify::Series::pks_values(session.dataset());
    assert!(!values.is_empty());
    for value in &values {
        assert!(text.contains(&format!("code = \"{value}\"")), "{value}");
    }
    let loaded = PksMapping::from_toml(&text).expect("the template loads");
    assert!(loaded.len() <= values.len());
    let empty = Session::<Vec<u8>>::default();
    assert!(empty.download(&DownloadRequest::PksTemplate).is_err());
}

/// The codes of the example mapping per column of the series, for the attack below.
const CODES: [(&str, &str); 5] = [
    ("21", "p2_geduldete"),
    ("11", "p2_asylbewerber"),
    ("12", "p3_asylbewerber"),
    ("22", "p3_geduldete"),
    ("23", "sonstige"),
];

/// The codes a published position stands for: a code, a column of the series (its codes),
/// a sum of columns, merged keys, or everything.
fn codes_of(position: &lagebild_core::tabulate::Position) -> Vec<usize> {
    use lagebild_core::tabulate::Role;
    if position.role == Role::Total {
        return (0..CODES.len()).collect();
    }
    let columns: &[&str] = match position.key.as_str() {
        "geduldete_gesamt" => &["p2_geduldete", "p3_geduldete", "sonstige"],
        "asylbewerber_gesamt" => &["p2_asylbewerber", "p3_asylbewerber"],
        _ => &[],
    };
    let parts: Vec<&str> = if columns.is_empty() {
        position.key.split('+').collect()
    } else {
        columns.to_vec()
    };
    (0..CODES.len())
        .filter(|&i| parts.iter().any(|p| *p == CODES[i].0 || *p == CODES[i].1))
        .collect()
}

/// The published cells of the last month (of the series' row and of the table by PKS) as
/// sets of codes; then every set of codes with 1 or 2 persons whose count they determine.
fn disclosed(
    series: &lagebild_core::protect::ProtectedTable,
    by_pks: &lagebild_core::protect::ProtectedTable,
    month_row: usize,
    persons: &[u64; 5],
) -> Vec<Vec<usize>> {
    use lagebild_core::protect::Published;
    let mut rows: Vec<Vec<i128>> = Vec::new();
    let mut add = |codes: Vec<usize>| {
        rows.push(
            (0..CODES.len())
                .map(|i| i128::from(codes.contains(&i)))
                .collect(),
        );
    };
    for c in 0..series.n_cols() {
        if matches!(
            series.cell(month_row, c),
            Published::Value(_) | Published::Zero
        ) {
            add(codes_of(series.column_positions(c)[0]));
        }
    }
    for r in 0..by_pks.n_rows() {
        if matches!(by_pks.cell(r, 0), Published::Value(_) | Published::Zero) {
            add(codes_of(by_pks.row_positions(r)[0]));
        }
    }
    let base = common::rank(rows.clone());
    let mut found = Vec::new();
    for mask in 1u32..(1 << CODES.len()) {
        let set: Vec<usize> = (0..CODES.len()).filter(|i| mask & (1 << i) != 0).collect();
        let n: u64 = set.iter().map(|&i| persons[i]).sum();
        if !(1..=2).contains(&n) {
            continue;
        }
        let mut with = rows.clone();
        with.push(
            (0..CODES.len())
                .map(|i| i128::from(set.contains(&i)))
                .collect(),
        );
        if common::rank(with) == base {
            found.push(set);
        }
    }
    found
}

/// Issue 20, point 4: the table by PKS is released, checked with the series in one
/// universe. A series whose § 2 Asylbewerber are merged with § 3 (one person in an earlier
/// month) next to a table by PKS of the last month with 2 persons under code 11: published
/// alone, the two let a reader compute the 2 (merged column minus § 3); released together,
/// no set of codes with 1 or 2 persons can be computed from their cells of that month.
#[test]
fn the_table_by_pks_cannot_difference_a_merged_column_of_the_series() {
    use lagebild_core::classify::series::{MonthCounts, Series, SeriesRow};
    use lagebild_core::protect::protect;
    use lagebild_core::records::YearMonth;
    use lagebild_core::reports::dimensions::{Dimensions, Found};
    use lagebild_core::reports::{ReportConfig, monthly, offered};
    use std::collections::BTreeMap;

    let config = ReportConfig::default();
    let first = YearMonth::new(2026, 9).unwrap();
    let last = YearMonth::new(2026, 10).unwrap();
    let month = |counts: [u64; 5]| MonthCounts::of(&counts);
    let september = [30, 1, 40, 25, 12];
    let october = [31, 2, 44, 26, 13];
    let codes = |counts: [u64; 5]| -> BTreeMap<String, u64> {
        CODES
            .iter()
            .zip(counts)
            .map(|((code, _), n)| ((*code).to_owned(), n))
            .collect()
    };
    let series = Series {
        rows: vec![
            SeriesRow {
                month: first,
                counts: Some(month(september)),
            },
            SeriesRow {
                month: last,
                counts: Some(month(october)),
            },
        ],
        last_month: Some(last),
        month_codes: [(first, codes(september)), (last, codes(october))].into(),
        ..Series::default()
    };
    let dims = Dimensions::build(
        &Default::default(),
        &config,
        &Found {
            months: Some((first, last)),
            ..Found::default()
        },
    );
    let def = |key: &str| config.tables.iter().find(|d| d.key == key).unwrap().clone();
    let by_code = monthly::counts_by_code(&series, |_| true, &config.pks, None);
    let series_table = monthly::persons(&def("asylblg_monat"), &dims, &series).unwrap();
    let pks_table = monthly::by_code(&def("asylblg_pks"), &dims, &by_code, last).unwrap();
    let settings = ProtectionSettings::default();

    // Alone: the series merges the two Asylbewerber columns, the table by PKS shows § 3.
    let series_alone = protect(series_table.clone(), &settings);
    let pks_alone = protect(pks_table.clone(), &settings);
    assert!(!series_alone.report().all_suppressed && !pks_alone.report().all_suppressed);
    assert!(
        (0..series_alone.n_cols()).any(|c| series_alone.column_positions(c)[0].key.contains('+')),
        "the series merges a column"
    );
    let leaks = disclosed(&series_alone, &pks_alone, 1, &october);
    assert!(!leaks.is_empty(), "alone the two tables give the 2 away");

    // Released together.
    let universe = lagebild_core::protect::Universe::new(
        monthly::UNIVERSE,
        &monthly::DIMS,
        &by_code,
        &dims.all,
    )
    .with_ties(&monthly::TIES, &[]);
    let mut release = lagebild_core::protect::Release::new(vec![universe]);
    let released = release.protect_all(
        vec![
            offered(&def("asylblg_monat"), series_table, Some(last)),
            offered(&def("asylblg_pks"), pks_table, Some(last)),
        ],
        &settings,
        &mut |_, _| {},
    );
    assert_eq!(
        disclosed(&released[0], &released[1], 1, &october),
        Vec::<Vec<usize>>::new()
    );
    assert!(
        !released[0].report().all_suppressed,
        "the series is published"
    );
}
