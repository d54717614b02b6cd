//! The Kreuztabelle of the AsylbLG recipients of the last AKDN month (issue 20, point 7): by
//! area, column of the series, PKS, sex and age group, adding up to the series' month, and
//! protected in one release with the series and the table by PKS.

mod common;

use lagebild_core::protect::ProtectionSettings;
use lagebild_core::reports::crosstab::{CrosstabFilter, CrosstabRequest, CrosstabSource, crosstab};
use lagebild_core::reports::standard_report;
use lagebild_core::tabulate::{TOTAL_KEY, index_of};
use lagebild_synth::{Config, Scale, SourceKind, generate};

fn request(rows: &str, columns: Option<&str>, filters: Vec<CrosstabFilter>) -> CrosstabRequest {
    CrosstabRequest {
        design: Default::default(),
        source: CrosstabSource::Asylblg,
        rows: rows.into(),
        columns: columns.map(Into::into),
        filters,
    }
}

#[test]
fn recipients_of_the_last_month_add_up_to_the_series_and_are_released_with_it() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let mut session = common::session_of(&output, |e| {
        matches!(e.source, SourceKind::Akdn | SourceKind::Gliederung)
    });
    let report = standard_report(session.dataset(), session.config()).expect("report");
    let series = report.series.as_ref().expect("series");
    let last = series
        .rows
        .last()
        .and_then(|r| r.counts)
        .expect("last month");

    // Raw: every breakdown adds up to the month's Insgesamt of the series.
    for (rows, columns) in [
        ("raum:stadtteil", Some("spalte")),
        ("pks", None),
        ("altersgruppe", Some("geschlecht")),
    ] {
        let table = crosstab(
            session.dataset(),
            session.config(),
            &request(rows, columns, Vec::new()),
        )
        .expect("crosstab");
        let r = index_of(table.row_axes(), &[TOTAL_KEY]).expect("total row");
        let c = if table.column_axes().is_empty() {
            0
        } else {
            index_of(table.column_axes(), &[TOTAL_KEY]).expect("total column")
        };
        assert_eq!(table.cell(r, c), Some(last.insgesamt()), "{rows}");
        let month = series.last_month.unwrap();
        assert!(
            table
                .title()
                .contains(&format!("im Monat {:02}/{}", month.month, month.year)),
            "{}",
            table.title()
        );
    }

    // In the session: protected within the release of the series and the table by PKS.
    let settings = ProtectionSettings::default();
    session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    let view = session
        .crosstab(
            &request("raum:bezirk", Some("spalte"), Vec::new()),
            &settings,
        )
        .expect("protected");
    assert!(
        view.title
            .contains("AsylbLG-Leistungsberechtigte (AKDN) im Monat")
    );
    let filtered = session
        .crosstab(
            &request(
                "altersgruppe",
                None,
                vec![CrosstabFilter {
                    dimension: "spalte".into(),
                    categories: vec!["p3_asylbewerber".into(), "p3_geduldete".into()],
                }],
            ),
            &settings,
        )
        .expect("protected");
    assert!(
        filtered
            .title
            .contains("Leistungsart und Gruppe: § 3 Asylbewerber oder § 3 Geduldete"),
        "{}",
        filtered.title
    );
    let choices = session.crosstab_choices(CrosstabSource::Asylblg);
    assert!(choices.iter().any(|c| c.dimension == "pks"));
}

/// Where the last month's row of the series comes from the office's Datentabelle, the
/// release holds no persons of that month to check against: the Kreuztabelle is refused with
/// a German reason, never published unchecked.
#[test]
fn a_month_of_the_office_table_is_refused_for_the_kreuztabelle() {
    use lagebild_core::session::Incoming;
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let mut session = common::session_of(&output, |e| {
        matches!(e.source, SourceKind::Akdn | SourceKind::Gliederung)
    });
    let report = standard_report(session.dataset(), session.config()).expect("report");
    let month = report
        .series
        .as_ref()
        .and_then(|s| s.last_month)
        .expect("month");
    let table = format!(
        "Entwicklung der Flüchtlingszahlen;;;;;;;;\r\n\
         ;§ 2;;§ 3;;;;;\r\n\
         Datum;Geduldete Flüchtl.;Asylbewerber;Asylbewerber;Geduldete Flüchtl.;sonstige;\
         Geduldete gesamt;Asylbewerber gesamt;Insgesamt\r\n\
         01.{:02}.{};10;11;12;13;14;37;23;60\r\n",
        month.month, month.year
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&table);
    session.import(
        vec![Incoming::detected(
            "Entwicklung_Fluechtlingszahlen.csv",
            "",
            bytes.into_owned(),
        )],
        &mut |_, _, _, _| {},
    );
    let settings = ProtectionSettings::default();
    let set = session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    assert!(
        set.tables.iter().all(|t| t.key != "asylblg_pks"),
        "no table by PKS for a month of the office's table"
    );
    let refused = session.crosstab(
        &request("raum:bezirk", Some("spalte"), Vec::new()),
        &settings,
    );
    match refused {
        Err(text) => assert!(text.contains("Datentabelle des Amtes"), "{text}"),
        Ok(view) => panic!("published: {}", view.title),
    }
}
