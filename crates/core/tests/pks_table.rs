//! PKS in the report (issue 20): persons of the last AKDN month by the mapping's codes as a
//! table like any other (planned and protected with the release), the warning of the example
//! mapping on every table that uses it, and a template of the city's mapping with the codes of
//! the loaded exports.

mod common;

use lagebild_core::classify::PksMapping;
use lagebild_core::classify::pks::EXAMPLE_WARNING;
use lagebild_core::protect::{ProtectionMode, ProtectionSettings};
use lagebild_core::reports::standard_report;
use lagebild_core::session::{ClassificationTexts, Session};
use lagebild_core::tabulate::TOTAL_KEY;
use lagebild_core::view::DownloadRequest;
use lagebild_synth::{Config, Scale, generate};

fn akdn_session() -> Session<Vec<u8>> {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    common::session_of(&output, |e| e.source == lagebild_synth::SourceKind::Akdn)
}

#[test]
fn persons_by_pks_add_up_to_the_last_month_and_the_example_is_named() {
    let session = akdn_session();
    let report = standard_report(session.dataset(), session.config()).expect("report");
    let series = report.series.as_ref().expect("series");
    let last = series
        .rows
        .last()
        .and_then(|r| r.counts)
        .expect("last month");
    let table = report
        .tables
        .iter()
        .find(|t| t.key() == "asylblg_pks")
        .expect("table by PKS");
    let total = lagebild_core::tabulate::index_of(table.row_axes(), &[TOTAL_KEY]).unwrap();
    assert_eq!(table.cell(total, 0), Some(last.persons()));
    // Every code of the mapping is a row (labels from the mapping, not from the records).
    let mapping = PksMapping::example();
    for entry in mapping.entries() {
        assert!(
            table.row_axes()[0]
                .positions()
                .iter()
                .any(|p| p.label.starts_with(&format!("PKS {} ", entry.code))),
            "{}",
            entry.code
        );
    }
    for key in ["asylblg_monat", "asylblg_pks"] {
        let t = report.tables.iter().find(|t| t.key() == key).unwrap();
        assert!(t.notes().iter().any(|n| n == EXAMPLE_WARNING), "{key}");
    }
    let cases = report
        .tables
        .iter()
        .find(|t| t.key() == "asylblg_faelle")
        .unwrap();
    assert!(
        !cases.notes().iter().any(|n| n == EXAMPLE_WARNING),
        "cases do not use the PKS"
    );
}

#[test]
fn with_the_citys_mapping_no_warning_and_the_table_is_released() {
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
        .find(|t| t.key == "asylblg_pks")
        .expect("released");
    assert!(!table.notes.iter().any(|n| n == EXAMPLE_WARNING));
    assert!(
        !table.all_suppressed,
        "planned like every table: {}",
        table.protection
    );
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
