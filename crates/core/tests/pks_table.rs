//! PKS in the report (issue 20): persons of the last AKDN month by the mapping's codes on the
//! Qualität page (exact, not released: beside the series a table by PKS could be differenced),
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
    // Not a released table: next to the series it would difference a merged column out.
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("run");
    assert!(
        set.tables
            .iter()
            .all(|t| !t.title.contains("Personenkreisschlüssel"))
    );
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
