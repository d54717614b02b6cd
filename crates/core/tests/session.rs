//! The session both front ends drive: the app's way in (files dropped, sources detected, any
//! order) and the command line's (sources named by flags) give the same workbook bytes; a
//! file is one file by its identity, not its name.

mod common;

use lagebild_core::import::SourceKind;
use lagebild_core::protect::{ProtectionMode, ProtectionSettings, TableDesign, Threshold};
use lagebild_core::records::Date;
use lagebild_core::session::{DateAnswer, Incoming, Session};
use lagebild_core::view::{DownloadRequest, FileSummary, TableView};
use lagebild_synth::{Config, Output, Scale, generate};

/// The exports a user would load (no copies, no subsets), with their source.
fn exports(output: &Output) -> Vec<(String, Option<SourceKind>, Vec<u8>)> {
    common::user_exports(output)
        .map(|e| {
            let source = match e.source {
                lagebild_synth::SourceKind::Meldewesen => SourceKind::Meldewesen,
                lagebild_synth::SourceKind::Alw => SourceKind::Alw,
                lagebild_synth::SourceKind::Akdn => SourceKind::Akdn,
                lagebild_synth::SourceKind::Schild => SourceKind::Schild,
                lagebild_synth::SourceKind::Gliederung => SourceKind::Gliederung,
                lagebild_synth::SourceKind::GeoJson => SourceKind::Karte,
            };
            (
                e.path.clone(),
                Some(source),
                common::bytes_of(output, e).to_vec(),
            )
        })
        .collect()
}

/// Imports `files` into a new session and returns every download of its report set.
fn downloads(files: Vec<Incoming<Vec<u8>>>, settings: &ProtectionSettings) -> Vec<Vec<u8>> {
    let mut session = Session::<Vec<u8>>::default();
    let summaries = session.import(files, &mut |_, _, _, _| {});
    for s in &summaries {
        assert!(s.error.is_none(), "{}: {}", s.name, s.report);
    }
    let set = session.run(settings, &mut |_, _, _, _| {}).expect("report");
    let mut out = vec![
        session
            .download(&DownloadRequest::Workbook)
            .expect("workbook")
            .bytes,
    ];
    for table in &set.tables {
        let csv = session.download(&DownloadRequest::TableCsv(table.key.clone()));
        out.push(csv.expect("csv").bytes);
    }
    out.extend(set.graphics.into_iter().map(|f| f.svg.into_bytes()));
    out
}

#[test]
fn the_app_and_the_command_line_give_the_same_downloads() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let files = exports(&output);
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let settings = ProtectionSettings {
            mode,
            threshold: Threshold::default(),
            ..ProtectionSettings::default()
        };
        // The command line: each file under the flag of its source, in flag order.
        let mut by_flag = files.clone();
        by_flag.sort_by_key(|(path, source, _)| (*source, path.clone()));
        let cli: Vec<_> = by_flag
            .iter()
            .map(|(path, source, bytes)| {
                let source = source.expect("source");
                Incoming::given(common::name_of(path), path, bytes.clone(), source)
            })
            .collect();
        // The app: a dropped folder, sources detected, in the order the browser hands over
        // (here: reversed).
        let app: Vec<_> = files
            .iter()
            .rev()
            .map(|(path, _, bytes)| Incoming::detected(common::name_of(path), path, bytes.clone()))
            .collect();
        let cli = downloads(cli, &settings);
        let app = downloads(app, &settings);
        assert_eq!(cli.len(), app.len(), "{mode:?}: number of downloads");
        assert!(cli.len() > 10, "{mode:?}: workbook, CSVs and figures");
        for (i, (c, a)) in cli.iter().zip(&app).enumerate() {
            assert!(c == a, "{mode:?}: download {i} differs between app and CLI");
        }
    }
}

/// A CSV of the Meldewesen whose name gives no Stichtag, so the analyst is asked for one.
fn undated_residents(output: &Output) -> Vec<u8> {
    let entry = common::user_exports(output)
        .find(|e| e.source == lagebild_synth::SourceKind::Meldewesen && e.container == "csv")
        .expect("Meldewesen CSV");
    common::bytes_of(output, entry).to_vec()
}

fn records_of(session: &Session<Vec<u8>>) -> usize {
    session
        .dataset()
        .files
        .iter()
        .map(|f| f.records.len())
        .sum()
}

/// Issue 17: a retry withdrew every file of the same name (every school's
/// `SchuelerBasisdaten.dat`) while the page still listed them as imported.
#[test]
fn answering_for_one_file_keeps_the_other_files_of_the_same_name() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let bytes = undated_residents(&output);
    let mut session = Session::<Vec<u8>>::default();
    let files = ["schule_a/Bestand.csv", "schule_b/Bestand.csv"]
        .into_iter()
        .map(|path| Incoming::detected("Bestand.csv", path, bytes.clone()))
        .collect();
    let summaries: Vec<FileSummary> = session.import(files, &mut |_, _, _, _| {});
    assert_eq!(summaries.len(), 2);
    assert_ne!(
        summaries[0].id, summaries[1].id,
        "two files, two identities"
    );
    assert!(summaries.iter().all(FileSummary::awaits_answer));
    let per_file = summaries[0].rows_accepted as usize;
    assert!(per_file > 0);
    assert_eq!(records_of(&session), 2 * per_file);
    let stichtag = Date::new(2026, 10, 31).expect("date");
    let again = session
        .answer_date(summaries[0].id, DateAnswer::Stichtag(stichtag))
        .expect("asked");
    assert_eq!(again.id, summaries[0].id);
    assert!(!again.awaits_answer(), "{}", again.report);
    // The other file of the same name keeps its records and its question.
    assert_eq!(records_of(&session), 2 * per_file);
    assert_eq!(session.awaiting(), vec![summaries[1].id]);
    // A retry imports only the file still asked, again without touching the first.
    let retried = session.retry(None);
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].id, summaries[1].id);
    assert_eq!(records_of(&session), 2 * per_file);
    // The page puts the new summary in place of the old one, by identity.
    let mut shown = summaries.clone();
    FileSummary::replace_in(&mut shown, vec![again.clone()]);
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[0], again);
    assert_eq!(shown[1], summaries[1]);
}

/// Issue 17: the worker silently turned a threshold of 2 into 3 where the CLI refused it; now
/// the one settings type refuses it everywhere with the same sentence.
#[test]
fn a_threshold_of_two_is_refused_by_the_settings_type() {
    let refusal = Threshold::new(2).expect_err("2 is too low").to_string();
    assert!(refusal.contains("mindestens 3"), "{refusal}");
    let from_message = serde_json::from_str::<ProtectionSettings>(r#"{"threshold":2}"#)
        .expect_err("refused when deserialised (the worker's messages, the settings file)")
        .to_string();
    assert!(from_message.contains(&refusal), "{from_message}");
    let fine: ProtectionSettings =
        serde_json::from_str(r#"{"mode":"zelle","threshold":4}"#).expect("valid");
    assert_eq!(fine.threshold.get(), 4);
}

#[test]
fn a_report_without_a_stichtag_says_so_instead_of_1970() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let bytes = undated_residents(&output);
    let mut session = Session::<Vec<u8>>::default();
    session.import(
        vec![Incoming::detected("Bestand.csv", "", bytes)],
        &mut |_, _, _, _| {},
    );
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("report");
    assert_eq!(set.reference_date, None);
    let download = session
        .download(&DownloadRequest::Workbook)
        .expect("workbook");
    assert_eq!(download.file_name, "lagebild_bericht_ohne-stichtag.xlsx");
}

/// Issue 17: `standard_tables.toml` claimed to be replaceable but nothing loaded a
/// replacement. Now the session takes one (app setting, `lagebild report --tabellen`), checks
/// it and counts each table by its `counts`, shown on its `page`.
#[test]
fn a_replacement_of_the_standard_tables_is_checked_and_used() {
    use lagebild_core::session::ClassificationTexts;
    use lagebild_core::tabulate::Page;
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let mut session = Session::<Vec<u8>>::default();
    let files = exports(&output)
        .into_iter()
        .map(|(path, _, bytes)| Incoming::detected(common::name_of(&path), &path, bytes))
        .collect();
    session.import(files, &mut |_, _, _, _| {});
    let own = r#"
[[table]]
key = "gefluechtete_bezirk_eigen"
counts = "gefluechtete"
page = "qualitaet"
title = "Eigene Tabelle: Geflüchtete nach Stadtbezirk"
rows = [{ dimension = "raum", level = "bezirk", total = "Gelsenkirchen" }]
columns = [{ dimension = "kategorie", level = "kategorie", total = "Insgesamt" }]
"#;
    let texts = |tables: &str| ClassificationTexts {
        tables: Some(tables.to_owned()),
        ..ClassificationTexts::default()
    };
    session
        .set_classification(&texts(own))
        .expect("valid tables");
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("report");
    let keys: Vec<&str> = set.tables.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["gefluechtete_bezirk_eigen"]);
    assert_eq!(set.tables[0].page, Page::Qualitaet);
    assert!(set.tables[0].rows.len() > 2, "counted from the ALW");

    // Refused in German; what was in force stays.
    for (broken, expected) in [
        ("", "keine Tabelle"),
        (
            "[[table]]\nkey = \"a\"\ntitle = \"A\"\nrows = [{ dimension = \"wohnort\" }]\n",
            "Merkmal „wohnort“",
        ),
        (&format!("{own}{own}"), "mehrmals"),
        (
            "[[table]]\nkey = \"a\"\ntitle = \"A\"\ncounts = \"kreuztabelle\"\n",
            "Kreuztabelle",
        ),
        (
            "[[table]]\nkey = \"a\"\ntitle = \"A\"\ncounts = \"alles\"\n",
            "Tabellendefinitionen",
        ),
    ] {
        let refusal = session
            .set_classification(&texts(broken))
            .expect_err(expected);
        assert!(
            refusal.contains("Die Tabellendefinitionen lassen sich nicht verwenden"),
            "{refusal}"
        );
        assert!(refusal.contains(expected), "{expected}: {refusal}");
    }
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("report");
    assert_eq!(set.tables.len(), 1, "the valid replacement stays in force");
    // Back to the shipped tables.
    session
        .set_classification(&ClassificationTexts::default())
        .expect("shipped");
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("report");
    assert!(set.tables.len() > 10);
}

/// The population by Stadtteil and sex under both designs, on the tiny city with two
/// residents `divers` and one `ohne Angabe`: the original shows them as columns, and the rule
/// blanks it; the planned one assigns them to männlich or weiblich by the birth month and
/// publishes every resident.
#[test]
fn divers_and_ohne_angabe_are_assigned_by_birth_month_where_they_cannot_be_shown() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let files: Vec<_> = exports(&output)
        .into_iter()
        .map(|(path, _, bytes)| {
            let bytes = if path.contains("EWO_Bestand") && path.ends_with(".csv") {
                common::with_divers(&bytes, 2)
            } else {
                bytes
            };
            Incoming::detected(common::name_of(&path), &path, bytes)
        })
        .collect();
    let view = |design: TableDesign| {
        let mut session = Session::<Vec<u8>>::default();
        session.import(files.clone(), &mut |_, _, _, _| {});
        let settings = ProtectionSettings {
            design,
            ..ProtectionSettings::default()
        };
        let set = session
            .run(&settings, &mut |_, _, _, _| {})
            .expect("report");
        set.tables
            .into_iter()
            .find(|t| t.key == "bevoelkerung_geschlecht")
            .expect("population by sex")
    };
    let headers = |t: &TableView| t.header.last().cloned().unwrap_or_default();
    let original = view(TableDesign::Original);
    assert!(
        headers(&original).iter().any(|h| h == "divers"),
        "{:?}",
        original.header
    );
    assert!(original.all_suppressed, "{}", original.protection);

    let planned = view(TableDesign::Geplant);
    assert!(!planned.all_suppressed, "{}", planned.protection);
    let columns = headers(&planned);
    assert_eq!(
        columns[planned.label_cols..],
        ["männlich", "weiblich", "Insgesamt"],
        "{columns:?}"
    );
    assert!(
        planned
            .notes
            .iter()
            .any(|n| n.contains("Statistikamt Nord")),
        "{:?}",
        planned.notes
    );
    // Nobody is left out: the city total counts every resident.
    let mut session = Session::<Vec<u8>>::default();
    session.import(files.clone(), &mut |_, _, _, _| {});
    let report = lagebild_core::reports::standard_report(session.dataset(), session.config())
        .expect("report");
    let raw = report
        .tables
        .iter()
        .find(|t| t.key() == "bevoelkerung_geschlecht")
        .expect("raw table");
    let residents = raw.cell(raw.n_rows() - 1, raw.n_cols() - 1).expect("total");
    assert!(
        matches!(raw.cell(raw.n_rows() - 1, 2), Some(1 | 2)),
        "a small divers column"
    );
    let total = planned
        .rows
        .last()
        .expect("total row")
        .values
        .last()
        .cloned();
    assert_eq!(total, Some(lagebild_core::format::count(residents)));
}

/// Issue 20: a wrongly loaded file can be removed; the others stay, and without any file the
/// session has nothing left to report.
#[test]
fn a_removed_file_takes_its_records_and_its_question_with_it() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let bytes = undated_residents(&output);
    let mut session = Session::<Vec<u8>>::default();
    let files = ["a/Bestand.csv", "b/Bestand.csv"]
        .into_iter()
        .map(|path| Incoming::detected("Bestand.csv", path, bytes.clone()))
        .collect();
    let summaries: Vec<FileSummary> = session.import(files, &mut |_, _, _, _| {});
    let per_file = summaries[0].rows_accepted as usize;
    assert!(per_file > 0);
    let settings = ProtectionSettings::default();
    session
        .run(&settings, &mut |_, _, _, _| {})
        .expect("report");
    assert!(session.published().is_some());

    assert!(session.remove(summaries[0].id));
    assert_eq!(records_of(&session), per_file);
    assert_eq!(session.awaiting(), vec![summaries[1].id]);
    assert!(
        session.published().is_none(),
        "results of the removed file are forgotten"
    );
    assert!(!session.remove(summaries[0].id), "removed already");
    assert!(
        session
            .answer_date(
                summaries[0].id,
                DateAnswer::Stichtag(Date::new(2026, 10, 31).expect("date"))
            )
            .is_none()
    );
    session
        .run(&settings, &mut |_, _, _, _| {})
        .expect("report of the other file");

    assert!(session.remove(summaries[1].id));
    assert_eq!(records_of(&session), 0);
    assert_eq!(session.awaiting(), Vec::new());
    assert!(session.retry(None).is_empty());
    let refusal = session
        .run(&settings, &mut |_, _, _, _| {})
        .expect_err("nothing loaded");
    assert!(refusal.contains("keine auswertbaren Daten"), "{refusal}");
    assert!(
        !session.remove(lagebild_core::view::FileId(7)),
        "no such file"
    );
}
