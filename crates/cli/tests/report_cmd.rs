//! `lagebild report` end to end on the synthetic tiny city: the workbook it writes has the
//! standard tables, every one protected, and no cell holds 1 or 2.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use lagebild_synth::{Config, Scale, SourceKind, generate};

fn write_city(dir: &Path) -> Vec<(SourceKind, String)> {
    let output = generate(&Config::new(Scale::Tiny)).unwrap();
    let mut files = Vec::new();
    for entry in &output.manifest.files {
        if entry.subset_of.is_some() || entry.duplicate_of.is_some() {
            continue;
        }
        let file = output.file(&entry.path).unwrap();
        let path = dir.join(&entry.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.bytes).unwrap();
        files.push((entry.source, path.to_string_lossy().into_owned()));
    }
    files
}

#[test]
fn the_report_writes_only_protected_tables() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = write_city(&dir);
    let pick = |kind: SourceKind, stichtag_only: bool| -> Vec<String> {
        files
            .iter()
            .filter(|(k, p)| {
                *k == kind && (!stichtag_only || p.contains("2026-10-31") || p.contains("20261031"))
            })
            .map(|(_, p)| p.clone())
            .collect()
    };
    let out = dir.join("bericht.xlsx");
    let csv_dir = dir.join("csv");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lagebild"));
    cmd.arg("report");
    for (flag, paths) in [
        ("--ewo", pick(SourceKind::Meldewesen, true)),
        ("--alw", pick(SourceKind::Alw, true)),
        ("--gliederung", pick(SourceKind::Gliederung, false)),
    ] {
        for p in paths {
            cmd.args([flag, &p]);
        }
    }
    cmd.arg("--akdn").args(pick(SourceKind::Akdn, false));
    // SchILD files: school number and Schulform come from the folder names.
    cmd.arg("--schild").args(pick(SourceKind::Schild, false));
    cmd.arg("--karte").args(pick(SourceKind::GeoJson, false));
    let svg_dir = dir.join("svg");
    cmd.args([
        "--out",
        out.to_str().unwrap(),
        "--csv",
        csv_dir.to_str().unwrap(),
        "--svg",
        svg_dir.to_str().unwrap(),
    ]);
    let result = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(text.contains("Beispielzuordnung"), "{text}");
    assert!(text.contains("Regel angewandt: Tabellensperrung"), "{text}");
    for pair in [
        "Verknüpfung Geflüchtete (Ausländerwesen) × Meldewesen",
        "Verknüpfung AsylbLG-Empfänger (AKDN, letzter Monat) × Ausländerwesen",
        "Verknüpfung Schülerinnen und Schüler (SchILD) × Ausländerwesen",
    ] {
        assert!(text.contains(pair), "{text}");
    }
    assert!(!text.contains("Schulform unbekannt"), "{text}");

    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let sheets = workbook.sheet_names();
    assert_eq!(sheets.first().map(String::as_str), Some("Inhalt"));
    assert!(sheets.iter().any(|s| s == "Metadaten"));
    assert!(sheets.len() >= 2 + 10, "{sheets:?}");
    for sheet in sheets
        .iter()
        .filter(|s| *s != "Inhalt" && *s != "Metadaten")
    {
        let range = workbook.worksheet_range(sheet).unwrap();
        // Ratio columns (header "… in %") hold fractions: 100 % is the number 1.
        let ratio_columns: Vec<usize> = range
            .used_cells()
            // Ratios are fractions (1 = 100 %); "Veränderung" is the difference of two
            // published counts, not a count of persons.
            .filter(|(_, _, v)| {
                matches!(v, Data::String(s) if s.contains(" in %") || s == "Veränderung")
            })
            .map(|(_, c, _)| c)
            .collect();
        for value in range
            .used_cells()
            .filter(|(_, c, _)| !ratio_columns.contains(c))
            .map(|(_, _, v)| v)
        {
            let small = match value {
                Data::Float(f) => *f == 1.0 || *f == 2.0,
                Data::Int(i) => *i == 1 || *i == 2,
                _ => false,
            };
            assert!(!small, "sheet {sheet} publishes a 1 or 2");
        }
    }
    let csvs = std::fs::read_dir(&csv_dir).unwrap().count();
    assert_eq!(csvs, sheets.len() - 3);
    // The linked tables are part of the report, protected like every table.
    for key in [
        "asylblg_kategorie_stadtteil",
        "schueler_schulform_jahrgang",
        "schueler_stadtteil",
        "alw_ohne_meldewesen",
    ] {
        let text = std::fs::read_to_string(csv_dir.join(format!("{key}.csv")))
            .unwrap_or_else(|e| panic!("{key}.csv: {e}"));
        assert!(
            text.contains("Geheimhaltung: Regel angewandt"),
            "{key}: {text}"
        );
        for line in text.lines() {
            for field in line.split(';').skip(1) {
                assert!(field != "1" && field != "2", "{key} publishes a 1 or 2");
            }
        }
    }
    let grades = std::fs::read_to_string(csv_dir.join("schueler_schulform_jahrgang.csv")).unwrap();
    for form in ["Grundschule", "Gymnasium", "Berufskolleg"] {
        assert!(grades.contains(form), "{grades}");
    }
    // Charts and maps: the monthly series as a line chart, the Stadtteil table as a map with
    // one path per Stadtteil of the map file.
    let dated = |prefix: &str| {
        std::fs::read_dir(&svg_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(prefix) && n.ends_with(".svg"))
            .unwrap_or_else(|| panic!("{prefix}…"))
    };
    let chart = std::fs::read_to_string(svg_dir.join(dated("asylblg_monat_20"))).unwrap();
    assert!(
        chart.starts_with("<svg") && chart.contains("Liniendiagramm"),
        "{chart}"
    );
    // The planner (the default) merges the Stadtteil table of the tiny city until it passes,
    // and says what it merged.
    let stadtteile = std::fs::read_to_string(csv_dir.join("kategorie_stadtteil.csv")).unwrap();
    assert!(stadtteile.contains("vergröbert"), "{stadtteile}");
    let map = std::fs::read_to_string(svg_dir.join(dated("kategorie_stadtteil_karte_20"))).unwrap();
    let geojson = pick(SourceKind::GeoJson, false)
        .into_iter()
        .find(|p| p.ends_with("stadtteile.geojson"))
        .unwrap();
    let areas = std::fs::read_to_string(geojson)
        .unwrap()
        .matches("\"type\":\"Feature\"")
        .count();
    assert!(areas > 0);
    assert!(map.matches("<path").count() >= areas, "{map}");
    // `--original`: the office's rule blanks it in its original design.
    let original = cmd.arg("--original").output().unwrap();
    assert!(original.status.success());
    let stadtteile = std::fs::read_to_string(csv_dir.join("kategorie_stadtteil.csv")).unwrap();
    assert!(
        stadtteile.contains("alle Werte der Tabelle sind gesperrt"),
        "{stadtteile}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A Gliederung of one address in `dir`.
fn write_gliederung(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("Gliederung.csv");
    std::fs::write(
        &path,
        "Straße;Hausnummer;Zusatz;PLZ;Baublock;Stadtteil-Nr;Stadtteil;Stadtbezirk-Nr;Stadtbezirk\r\n\
         Am Kamp;1;;45883;104001;04;Feldmark;1;Gelsenkirchen-Mitte\r\n",
    )
    .unwrap();
    path
}

/// Issue 16, findings 4 and 11: `report` names persons with an unmapped PKS, and asks for the
/// reporting month and the Stichtag when a file name gives several (`--monat`, `--stichtag`),
/// instead of taking the first date-like text of the name.
#[test]
fn the_report_asks_for_dates_and_names_unmapped_pks() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-dates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gliederung = write_gliederung(&dir);
    let akdn = dir.join("AKDN_vom_05.12.2017_fuer_2017-11.csv");
    std::fs::write(
        &akdn,
        "Az.;Name;Vorname;Geb.-Datum;Geschlecht;Straße;Hausnr.;PLZ;Pers.-Kreis\r\n\
         1;Beispiel;Anna;01.01.1990;W;Am Kamp;1;45883;12\r\n\
         2;Beispiel;Berta;02.01.1990;W;Am Kamp;1;45883;999\r\n",
    )
    .unwrap();
    let alw = dir.join("ALW_01.02.1990_2026-10-24.csv");
    std::fs::write(
        &alw,
        "Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Aufenthaltsstatus;Rechtsgrundlage;Strasse;Hausnummer\r\n\
         Beispiel;Carla;2001-05-06;w;syrisch;Duldung;§ 60a AufenthG;Am Kamp;1\r\n",
    )
    .unwrap();
    let out = dir.join("bericht.xlsx");
    let run = |extra: &[&str]| {
        let result = Command::new(env!("CARGO_BIN_EXE_lagebild"))
            .arg("report")
            .args(["--gliederung", gliederung.to_str().unwrap()])
            .args(["--akdn", akdn.to_str().unwrap()])
            .args(["--alw", alw.to_str().unwrap()])
            .args(["--out", out.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        (
            result.status.code(),
            String::from_utf8_lossy(&result.stdout).into_owned(),
        )
    };

    let (code, text) = run(&[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("Der Berichtsmonat ist nicht eindeutig: der Dateiname nennt mehrere Monate (12/2017, 11/2017)"),
        "{text}"
    );
    assert!(
        text.contains("Bitte angeben (Option --monat JJJJ-MM)"),
        "{text}"
    );
    assert!(
        text.contains("Der Stichtag ist nicht eindeutig: der Dateiname nennt mehrere Daten (01.02.1990, 24.10.2026)"),
        "{text}"
    );
    assert!(text.contains("(Option --stichtag JJJJ-MM-TT)"), "{text}");

    let (code, text) = run(&["--monat", "2017-11", "--stichtag", "2026-10-24"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("nicht eindeutig"), "{text}");
    assert!(
        text.contains("Hinweis: AKDN: 1 Person (je Monat gezählt) hat einen Personenkreisschlüssel ohne Zuordnung"),
        "{text}"
    );
    assert!(text.contains("„999“ (1)"), "{text}");
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let metadata = workbook.worksheet_range("Metadaten").unwrap();
    let cells: Vec<String> = metadata
        .used_cells()
        .map(|(_, _, v)| v.to_string())
        .collect();
    for source in [
        "AKDN sozial (AsylbLG), Berichtsmonat 11/2017",
        "EWO-ALW (Ausländerwesen), Stichtag 24.10.2026",
    ] {
        assert!(cells.iter().any(|c| c == source), "{source}: {cells:?}");
    }
    assert!(!cells.iter().any(|c| c.contains("AKDN_vom")), "{cells:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 16, finding 12: `--out` into a missing folder failed only after the whole run. The
/// output folders are checked before anything is read.
#[test]
fn a_missing_output_folder_stops_the_report_before_reading() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gliederung = write_gliederung(&dir);
    let missing = dir.join("gibt_es_nicht").join("bericht.xlsx");
    let result = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .arg("report")
        .args(["--gliederung", gliederung.to_str().unwrap()])
        .args(["--out", missing.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(
        stderr.contains("gibt_es_nicht") && stderr.contains("für --out gibt es nicht"),
        "{stderr}"
    );
    assert!(
        !stdout.contains("Einlesen"),
        "read before failing: {stdout}"
    );
    // A folder given as the workbook.
    let result = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .arg("report")
        .args(["--gliederung", gliederung.to_str().unwrap()])
        .args(["--out", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(stderr.contains("(--out) ist ein Verzeichnis"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 17: a threshold of 2 is refused with the same sentence as in the app (the one
/// settings type), before anything is read.
#[test]
fn a_threshold_of_two_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-low-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gliederung = write_gliederung(&dir);
    let result = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .arg("report")
        .args(["--gliederung", gliederung.to_str().unwrap()])
        .args(["--threshold", "2"])
        .args(["--out", dir.join("bericht.xlsx").to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    let sentence = lagebild_core::protect::Threshold::new(2)
        .unwrap_err()
        .to_string();
    assert!(stderr.contains(&sentence), "{stderr}");
    assert!(
        !stdout.contains("Einlesen"),
        "read before failing: {stdout}"
    );
    assert!(!dir.join("bericht.xlsx").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 21: `--schalter` sets a switch of the rules; an unknown switch or value is refused
/// in German.
#[test]
fn switches_are_set_on_the_command_line() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-switch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gliederung = write_gliederung(&dir);
    let run = |switch: &str| {
        let result = Command::new(env!("CARGO_BIN_EXE_lagebild"))
            .arg("report")
            .args(["--gliederung", gliederung.to_str().unwrap()])
            .args(["--schalter", switch])
            .args(["--out", dir.join("bericht.xlsx").to_str().unwrap()])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
        (result.status.success(), text)
    };
    let (ok, text) = run("gibt_es_nicht=an");
    assert!(!ok);
    assert!(
        text.contains("Den Schalter „gibt_es_nicht“ kennen die Klassifikationsregeln nicht"),
        "{text}"
    );
    let (ok, text) = run("spurwechsel_refugee=vielleicht");
    assert!(!ok);
    assert!(
        text.contains("„vielleicht“: erwartet an oder aus"),
        "{text}"
    );
    let (ok, text) = run("spurwechsel_refugee=an");
    assert!(ok, "{text}");
    assert!(dir.join("bericht.xlsx").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--gestaltung`: the analyst's design of one table; the output lists the planner's
/// alternatives and marks the one shown; an unknown table or variant is refused before
/// anything is read.
#[test]
fn the_design_of_one_table_is_chosen_on_the_command_line() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-design-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = write_city(&dir);
    let run = |design: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lagebild"));
        cmd.arg("report");
        for (kind, flag) in [
            (SourceKind::Alw, "--alw"),
            (SourceKind::Gliederung, "--gliederung"),
        ] {
            for (_, p) in files.iter().filter(|(k, p)| {
                *k == kind
                    && (kind != SourceKind::Alw
                        || p.contains("2026-10-31")
                        || p.contains("20261031"))
            }) {
                cmd.args([flag, p]);
            }
        }
        cmd.args(["--gestaltung", design])
            .args(["--out", dir.join("bericht.xlsx").to_str().unwrap()])
            .args(["--csv", dir.join("csv").to_str().unwrap()])
            .output()
            .unwrap()
    };
    let chosen = run("kategorie_stadtteil=original");
    let stdout = String::from_utf8_lossy(&chosen.stdout);
    assert!(chosen.status.success(), "{stdout}");
    assert!(
        stdout.contains("   * kategorie_stadtteil=original"),
        "{stdout}"
    );
    assert!(stdout.contains("     kategorie_stadtteil=1: "), "{stdout}");
    let csv = std::fs::read_to_string(dir.join("csv").join("kategorie_stadtteil.csv")).unwrap();
    assert!(
        csv.contains("alle Werte der Tabelle sind gesperrt"),
        "{csv}"
    );

    for (bad, says) in [
        ("keine_tabelle=1", "Es gibt keine Tabelle „keine_tabelle“"),
        ("kategorie_stadtteil=0", "erwartet eine Variante ab 1"),
        ("kategorie_stadtteil", "erwartet TABELLE=VARIANTE"),
    ] {
        let refused = run(bad);
        let stdout = String::from_utf8_lossy(&refused.stdout);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{bad}");
        assert!(stderr.contains(says), "{bad}: {stderr}");
        assert!(!stdout.contains("Einlesen"), "{bad}: read before failing");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
