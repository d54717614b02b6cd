//! Issue 16, findings 1–4: nothing but protected numbers leaves. Each test builds its own
//! hostile synthetic input (the synthetic tiny city with one thing changed, or a small
//! hand-written export) and runs the whole release path: import, standard report, protection,
//! workbook, one CSV per table, the SVG figures. Then it searches everything that would be
//! released for what must not be there.

mod common;

use std::io::{Cursor, Read};

use lagebild_core::classify::rules::Rules;
use lagebild_core::export::{csv, svg, xlsx};
use lagebild_core::import::{Dataset, ImportOptions, Importer};
use lagebild_core::protect::{ProtectionMode, ProtectionSettings, TableDesign, protect};
use lagebild_core::reports::{self, ReportConfig, StandardReport, standard_report};
use lagebild_core::schulform::school_from_name;
use lagebild_core::tabulate::{AxisDef, DimensionDef, Table, TableDef, index_of};
use lagebild_synth::{Config, Output, Scale, generate};

/// A person's name and birth date planted in a record's free-text field.
const PLANTED: &str = "Mustermann Max 17.03.2011";

/// The files of the tiny city the office would load (no subsets or copies), as
/// (file name, folder, bytes).
fn city_files(output: &Output) -> Vec<(String, String, Vec<u8>)> {
    common::user_exports(output)
        .map(|e| {
            let (folder, name) = e.path.rsplit_once('/').unwrap_or(("", &e.path));
            let bytes = common::bytes_of(output, e).to_vec();
            (name.to_string(), folder.to_string(), bytes)
        })
        .collect()
}

/// Imports files as the app does (SchILD school number and Schulform from the folder).
fn import(files: &[(String, String, Vec<u8>)]) -> Dataset {
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    for (name, folder, bytes) in files {
        let folder_name = folder.rsplit('/').next().unwrap_or_default();
        let (school_number, school_form) = school_from_name(folder_name);
        let options = ImportOptions {
            school_number,
            school_form,
            ..ImportOptions::default()
        };
        let imported = importer.import(&mut dataset, name, bytes, &options);
        assert!(imported.report.error.is_none(), "{}", imported.report);
    }
    dataset
}

/// Everything a run releases, as text: every part of the workbook (cells, sheet names,
/// document properties), every CSV, every SVG.
fn released(dataset: &Dataset, config: &ReportConfig, mode: ProtectionMode) -> String {
    let report = standard_report(dataset, config).expect("report");
    let settings = ProtectionSettings {
        mode,
        ..ProtectionSettings::default()
    };
    let published = reports::publish(report, config, &settings, "Standardbericht");
    let mut text = String::new();
    let book = xlsx::workbook(&published.tables, &published.meta).expect("workbook");
    let mut archive = zip::ZipArchive::new(Cursor::new(book)).expect("zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        entry.read_to_string(&mut text).expect("xml");
    }
    for table in &published.tables {
        let bytes = csv::table(table, &published.meta);
        text.push_str(&String::from_utf8(bytes).expect("utf-8"));
    }
    let maps = dataset.maps();
    for figure in svg::report_figures(&published.tables, &maps, &published.meta) {
        text.push_str(&figure.file_name);
        text.push_str(&figure.title);
        text.push_str(&figure.svg);
    }
    text
}

fn table<'a>(report: &'a StandardReport, key: &str) -> &'a Table {
    report
        .tables
        .iter()
        .find(|t| t.key() == key)
        .unwrap_or_else(|| panic!("Tabelle {key} fehlt"))
}

/// Row labels of a table (one row axis each in these tests).
fn row_labels(table: &Table) -> Vec<String> {
    (0..table.n_rows())
        .map(|r| {
            table
                .row_positions(r)
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect()
}

/// Finding 1: a pupil record whose Jahrgang field holds free text ("Mustermann Max
/// 17.03.2011") made a row of that name in the CSV and XLSX. Row labels come only from the
/// list of Jahrgänge: the pupil is counted under "sonstiger oder unbekannter Jahrgang".
#[test]
fn free_text_of_a_schild_field_never_becomes_a_label() {
    let output = generate(&Config::new(Scale::Tiny)).expect("city");
    let mut files = city_files(&output);
    let (_, _, bytes) = files
        .iter_mut()
        .find(|(name, folder, _)| name == "SchuelerBasisdaten.dat" && folder.contains("Gymnasium"))
        .expect("Gymnasium");
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split('|').collect();
    let grade = header
        .iter()
        .position(|h| *h == "Jahrgang")
        .expect("Jahrgang");
    let status = header.iter().position(|h| *h == "Status").expect("Status");
    // The first pupil still at school.
    let row = (1..lines.len())
        .find(|&i| {
            let fields: Vec<&str> = lines[i].split('|').collect();
            fields.len() == header.len() && !["8", "9"].contains(&fields[status])
        })
        .expect("a pupil");
    let mut fields: Vec<String> = lines[row].split('|').map(str::to_string).collect();
    fields[grade] = PLANTED.to_string();
    lines[row] = fields.join("|");
    *bytes = lines.join("\r\n").chars().map(|c| c as u8).collect();

    let dataset = import(&files);
    let config = ReportConfig::default();
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let text = released(&dataset, &config, mode);
        assert!(
            !text.contains("Mustermann"),
            "{mode:?}: planted text released"
        );
        assert!(
            !text.contains("17.03.2011"),
            "{mode:?}: planted date released"
        );
    }
    // The pupil is still counted, under the list's row for unknown Jahrgänge.
    let report = standard_report(&dataset, &config).expect("report");
    let pupils = table(&report, "schueler_schulform_jahrgang");
    let other = index_of(pupils.row_axes(), &["GY|sonstige"]).expect("row");
    assert_eq!(
        pupils.row_positions(other)[0].label,
        "sonstiger oder unbekannter Jahrgang"
    );
    assert!(pupils.cell(other, 0).unwrap_or(0) >= 1);
    assert!(
        report
            .quality
            .notes
            .iter()
            .any(|n| n.contains("Jahrgang, den die Jahrgangsliste")),
        "{:?}",
        report.quality.notes
    );
}

/// Findings 2 and 3: the "Quelle" lines carried file names and record counts
/// ("AKDN_AsylbLG_2026-10.xlsx (2 Datensätze)"), the Metadaten sheet exact counts of unmatched
/// addresses. File names can hold a person's name or a right-to-left override. Released
/// tables name their registers with Stichtag or period only.
#[test]
fn released_tables_name_registers_without_file_names_or_record_counts() {
    let output = generate(&Config::new(Scale::Tiny)).expect("city");
    let mut files = city_files(&output);
    for (name, _, _) in &mut files {
        // Every file name now carries a person's name and a right-to-left override; the date
        // pattern that gives the Stichtag stays at the end.
        *name = format!("Mustermann_Erika_\u{202E}{name}");
    }
    let dataset = import(&files);
    let text = released(&dataset, &ReportConfig::default(), ProtectionMode::Tabelle);
    assert!(!text.contains("Mustermann"), "file name released");
    assert!(!text.contains('\u{202E}'), "bidi override released");
    for suffix in [".xlsx", ".csv", ".dat", ".geojson", ".txt"] {
        assert!(!text.contains(suffix), "a file name ({suffix}) released");
    }
    assert!(!text.contains(" Datensätze)") && !text.contains(" Datensatz)"));
    assert!(!text.contains("(Meldewesen)") && !text.contains("(Ausländerwesen), in der Zeile"));
    for line in [
        "Quelle: EWO-ALW (Ausländerwesen), Stichtag 31.10.2026",
        "Quelle: EWO Meldewesen, Stichtag 31.10.2026",
        "Quelle: Räumliche Gliederung (Adressen)",
        "Adressen ohne Zuordnung zur Gliederung: in der Zeile „Adresse nicht zugeordnet“",
    ] {
        assert!(text.contains(line), "missing: {line}");
    }
    assert!(
        text.contains("Quelle: AKDN sozial (AsylbLG), Berichtsmonate 01/2010 bis "),
        "series period"
    );
    // The analyst still sees every file with its records, on the Qualität page only.
    let lines = reports::file_lines(&dataset);
    assert_eq!(lines.len(), files.len());
    assert!(lines.iter().all(|l| l.contains("Mustermann_Erika")));
}

/// A table with one row axis of `n` categories and a total, from explicit counts.
fn small_table(counts: &[u64]) -> Table {
    let categories: Vec<(String, String)> = (0..counts.len())
        .map(|i| (format!("k{i}"), format!("Kategorie {i}")))
        .collect();
    let pairs: Vec<(&str, &str)> = categories
        .iter()
        .map(|(k, l)| (k.as_str(), l.as_str()))
        .collect();
    let dim = DimensionDef::flat("kategorie", "Kategorie", &pairs);
    let gruppe = DimensionDef::flat("gruppe", "Gruppe", &[("a", "A"), ("b", "B")]);
    let def = TableDef {
        key: "t".into(),
        title: "T".into(),
        sheet: None,
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("kategorie").with_total("Insgesamt")],
        columns: vec![AxisDef::new("gruppe").with_total("Zusammen")],
        derived: vec![],
        notes: vec![],
    };
    let mut b = Table::builder(&def, &[dim, gruppe]).expect("builder");
    for (i, &n) in counts.iter().enumerate() {
        b.add_count(&[format!("k{i}").as_str(), "a"], n).expect("a");
        b.add_count(&[format!("k{i}").as_str(), "b"], n + 40)
            .expect("b");
    }
    b.finish()
}

/// Finding 3a: rule texts stated how many cells are 1 or 2 ("weil 3 Zellen … einen Wert von
/// 1 oder 2 haben"), and the cell mode how many were suppressed. The text of a suppressed
/// table must not depend on how many small cells it has.
#[test]
fn rule_texts_do_not_count_small_cells() {
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let settings = ProtectionSettings {
            mode,
            design: TableDesign::Original,
            ..ProtectionSettings::default()
        };
        let one = protect(small_table(&[1, 30, 30, 30, 30]), &settings);
        let three = protect(small_table(&[1, 2, 30, 1, 30]), &settings);
        assert!(one.report().sensitive < three.report().sensitive);
        assert_eq!(one.report().text(), three.report().text(), "{mode:?}");
        // The only number in the text is the threshold (and the values it protects).
        let digits: String = one
            .report()
            .text()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        assert!(
            digits.chars().all(|d| "123".contains(d)),
            "{mode:?}: {}",
            one.report().text()
        );
    }
}

/// A small Gliederung: two Stadtbezirke with one Stadtteil and one Baublock each.
const GLIEDERUNG: &str = "Straße;Hausnummer;Zusatz;PLZ;Baublock;Stadtteil-Nr;Stadtteil;Stadtbezirk-Nr;Stadtbezirk\r\n\
Am Kamp;1;;45883;104001;04;Feldmark;1;Gelsenkirchen-Mitte\r\n\
Wanner Platz;5;;45879;301001;11;Hassel;3;Gelsenkirchen-Nord\r\n";

/// An ALW snapshot with `extra` rows after a few ordinary refugees.
fn alw(extra: &[&str]) -> String {
    let mut text = String::from(
        "Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Aufenthaltsstatus;Rechtsgrundlage;Strasse;Hausnummer\r\n",
    );
    for (i, (kind, basis)) in [
        ("Duldung", "§ 60a AufenthG"),
        ("Aufenthaltserlaubnis", "§ 25 Abs. 2 AufenthG"),
        ("Aufenthaltsgestattung", "§ 55 AsylG"),
    ]
    .iter()
    .enumerate()
    {
        for j in 0..5 {
            text.push_str(&format!(
                "Beispiel{i}{j};Anna;1990-01-0{};w;syrisch;{kind};{basis};Am Kamp;1\r\n",
                j + 1
            ));
        }
    }
    for row in extra {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text
}

/// The small Gliederung and one export `name` with `text`, imported.
fn with_gliederung(name: &str, text: &str) -> Dataset {
    import(&[
        (
            "Gliederung.csv".to_string(),
            String::new(),
            GLIEDERUNG.as_bytes().to_vec(),
        ),
        (name.to_string(), String::new(), text.as_bytes().to_vec()),
    ])
}

fn legal_basis_rows(alw_text: &str, rules: Rules) -> Vec<String> {
    let dataset = with_gliederung("ALW_Bestand_2026-10-31.csv", alw_text);
    let config = ReportConfig {
        rules,
        ..ReportConfig::default()
    };
    let report = standard_report(&dataset, &config).expect("report");
    row_labels(table(&report, "rechtsgrundlage_bezirk"))
}

/// Finding 3b: a legal-basis row (e.g. § 25 Abs. 4b) appeared only when someone held it, so
/// its presence said "at least one" even when every value was ".". The rows come from the
/// classification rules.
#[test]
fn legal_basis_rows_do_not_depend_on_who_holds_what() {
    let holder = "Mustermann;Max;1991-02-03;m;syrisch;Aufenthaltserlaubnis;§ 25 Abs. 4b AufenthG;Wanner Platz;5";
    let without = legal_basis_rows(&alw(&[]), Rules::default());
    let with = legal_basis_rows(&alw(&[holder]), Rules::default());
    assert_eq!(without, with);
    assert!(with.iter().any(|l| l == "§ 25 Abs. 4b"), "{with:?}");
    assert!(with.iter().any(|l| l == "§ 104c"), "{with:?}");

    // A rule for a range of paragraphs names no paragraph in advance: whatever paragraph a
    // record has, the table counts it under "übrige Rechtsgrundlagen".
    let rules = Rules::from_toml(
        "[settings]\n\
         [[rule]]\nlaw = \"AufenthG\"\nparagraph = \"60a\"\ncategory = \"Duldung\"\n\
         [[rule]]\nlaw = \"AufenthG\"\nparagraph = \"22-26\"\ncategory = \"Humanitaer\"\n\
         [[rule]]\nlaw = \"AsylG\"\nparagraph = \"55\"\ncategory = \"Gestattung\"\n",
    )
    .expect("rules");
    let rare =
        "Mustermann;Max;1991-02-03;m;syrisch;Aufenthaltserlaubnis;§ 23a AufenthG;Wanner Platz;5";
    let without = legal_basis_rows(&alw(&[]), rules.clone());
    let with = legal_basis_rows(&alw(&[rare]), rules);
    assert_eq!(without, with);
    assert!(
        !with
            .iter()
            .any(|l| l.contains("§ 23a") || l.contains("§ 25")),
        "{with:?}"
    );
    assert_eq!(
        with,
        [
            "Ankunftsnachweis (BüMA)",
            "Aufenthaltsgestattung",
            "§ 55 AsylG",
            "Duldung",
            "§ 60a",
            "humanitäre Aufenthaltserlaubnis",
            "übrige Rechtsgrundlagen",
            "Insgesamt",
        ]
    );
}

/// Finding 4: `report` dropped persons with an unmapped PKS from the monthly series without
/// saying so (`series` did). The report's quality notes say how many and which codes.
#[test]
fn the_report_names_persons_with_an_unmapped_pks() {
    let akdn = "Berichtsmonat;Az.;Name;Vorname;Geb.-Datum;Geschlecht;Straße;Hausnr.;PLZ;Pers.-Kreis\r\n\
                09/2026;1;Beispiel;Anna;01.01.1990;W;Am Kamp;1;45883;999\r\n\
                09/2026;2;Beispiel;Berta;02.01.1990;W;Am Kamp;1;45883;999\r\n\
                09/2026;3;Beispiel;Carla;03.01.1990;W;Am Kamp;1;45883;12\r\n";
    let dataset = with_gliederung("AKDN_AsylbLG_2026-09.csv", akdn);
    let report = standard_report(&dataset, &ReportConfig::default()).expect("report");
    let note = report
        .quality
        .notes
        .iter()
        .find(|n| n.contains("Personenkreisschlüssel ohne Zuordnung"))
        .unwrap_or_else(|| panic!("{:?}", report.quality.notes));
    assert!(
        note.starts_with("AKDN: 2 Personen (je Monat gezählt)"),
        "{note}"
    );
    assert!(note.contains("„999“ (2)"), "{note}");
}
