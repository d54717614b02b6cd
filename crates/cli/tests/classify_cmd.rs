//! `lagebild classify` and `lagebild series` as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lagebild(args: &[&str]) -> (Output, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out, text)
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("lagebild-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path_str(&path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn path_str(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

const ALW: &str = "\
Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Aufenthaltsart;Erteilungsgrund;gültig bis
Haddad;Ahmad;14.03.1988;m;Syrien;Aufenthaltserlaubnis;25 II AufenthG;31.12.2027
Haddad;Lina;01.02.1990;w;Syrien;Aufenthaltserlaubnis;§ 25 Abs. 2 S. 1 Alt. 1 AufenthG;31.12.2027
Karimi;Reza;00.00.1995;m;Afghanistan;Duldung;§ 60a Abs. 2 S. 1 AufenthG;01.05.2026
Okafor;Chidi;05.05.2000;m;Nigeria;Aufenthaltsgestattung;§ 55 AsylVfG;
Demir;Ali;03.03.1970;m;Türkei;Niederlassungserlaubnis;§ 9 AufenthG;
Nouri;Sara;07.07.1999;w;Iran;Duldung;§ 25 Abs. 2 AufenthG;
Ali;Omar;08.08.1990;m;Irak;Aufenthaltserlaubnis;siehe Akte;
Ali;Huda;09.09.1992;w;Irak;Duldung;siehe Akte;
Berhe;Yonas;10.10.1994;m;Eritrea;Aufenthaltserlaubnis;§ 104c AufenthG;
";

/// The line of a label in the classify table, with its count.
fn count_line<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    text.lines()
        .find(|l| l.trim_start().starts_with(label))
        .map(|l| l.rsplit(' ').next().unwrap_or(""))
}

#[test]
fn classify_prints_categories_sub_categories_and_what_needs_mapping() {
    let dir = TempDir::new("classify");
    let alw = dir.file("ALW_2026-10-31.csv", ALW);
    let (out, text) = lagebild(&["classify", &alw]);
    assert!(out.status.success(), "{text}");
    assert_eq!(count_line(&text, "§ 25 Abs. 2"), Some("2"), "{text}");
    assert_eq!(
        count_line(&text, "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)"),
        Some("1"),
        "{text}"
    );
    assert_eq!(count_line(&text, "§ 60a"), Some("2"), "{text}");
    assert_eq!(count_line(&text, "§ 55 AsylG"), Some("1"), "{text}");
    assert_eq!(count_line(&text, "§ 104c"), Some("1"), "{text}");
    assert_eq!(
        count_line(&text, "Flüchtlinge insgesamt"),
        Some("7"),
        "{text}"
    );
    assert_eq!(count_line(&text, "nicht zugeordnet"), Some("1"), "{text}");
    assert_eq!(
        count_line(&text, "anerkannter Schutzstatus"),
        Some("4"),
        "{text}"
    );
    assert!(
        text.contains("Zuordnung fehlt: 1 Werte, 2 Datensätze"),
        "{text}"
    );
    assert!(
        text.contains("„siehe Akte“ – Erteilungsgrund nicht lesbar (davon 1 über die Aufenthaltsart zugeordnet)"),
        "{text}"
    );
    assert!(
        text.contains("Aufenthaltsart „Duldung“, Erteilungsgrund „§ 25 Abs. 2 AufenthG“: gezählt als Humanitaer, nicht als Duldung"),
        "{text}"
    );
    assert!(
        text.contains("Abgelaufene Titel (gültig bis vor dem 31.10.2026): 1 – mitgezählt"),
        "{text}"
    );
}

/// Issue 21: the office maps an unreadable value to a citation (`--werte`); the records are
/// decided like that citation and the value leaves "Zuordnung fehlt". A bad file is refused in
/// German.
#[test]
fn classify_takes_the_value_mapping() {
    let dir = TempDir::new("classify-values");
    let alw = dir.file("ALW_2026-10-31.csv", ALW);
    let values = dir.file(
        "werte.toml",
        "[[wert]]\ntext = \"siehe Akte\"\nfundstelle = \"§ 25 Abs. 3 AufenthG\"\n",
    );
    let (out, text) = lagebild(&["classify", "--werte", &values, &alw]);
    assert!(out.status.success(), "{text}");
    assert_eq!(count_line(&text, "§ 25 Abs. 3"), Some("2"), "{text}");
    assert_eq!(count_line(&text, "nicht zugeordnet"), None, "{text}");
    assert!(text.contains("Zuordnung fehlt: nichts"), "{text}");
    let bad = dir.file(
        "kaputt.toml",
        "[[wert]]\ntext = \"siehe Akte\"\nfundstelle = \"Akte\"\n",
    );
    let (out, text) = lagebild(&["classify", "--werte", &bad, &alw]);
    assert!(!out.status.success());
    assert!(
        text.contains("Fundstelle „Akte“ ist nicht lesbar"),
        "{text}"
    );
}

#[test]
fn classify_takes_a_rules_file_and_the_settings() {
    let dir = TempDir::new("classify-rules");
    let alw = dir.file("ALW_2026-10-31.csv", ALW);
    let (out, text) = lagebild(&[
        "classify",
        &alw,
        "--abgelaufene",
        "entfernen",
        "--p104c",
        "kein-fluechtling",
    ]);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        count_line(&text, "Flüchtlinge insgesamt"),
        Some("5"),
        "{text}"
    );
    assert!(text.contains("entfernt, nicht gezählt: 1"), "{text}");
    assert!(
        text.contains("§ 104c AufenthG zählt als: kein Flüchtling"),
        "{text}"
    );

    let rules = dir.file(
        "regeln.toml",
        "[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"25\"\ncategory = \"Humanitaer\"\n",
    );
    let (out, text) = lagebild(&["classify", &alw, "--rules", &rules]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("Regeln: Datei {rules}")), "{text}");
    assert_eq!(count_line(&text, "§ 25 "), Some("3"), "{text}");
    assert!(text.contains("„§ 55 AsylVfG“ – keine Regel"), "{text}");

    let bad = dir.file(
        "kaputt.toml",
        "[[rule]]\nlaw = \"SGB II\"\ncategory = \"Duldung\"\n",
    );
    let (out, text) = lagebild(&["classify", &alw, "--rules", &bad]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("Regel 1 (law = \"SGB II\"): unbekanntes Gesetz"),
        "{text}"
    );
}

const AKDN_NOV: &str = "\
Aktenzeichen;Name;Vorname;Geburtsdatum;PKS
100;Haddad;Ahmad;14.03.1988;21
100;Haddad;Lina;01.02.1990;21
200;Karimi;Reza;01.01.1995;12
200;Karimi;Reza;01.01.1995;12
300;Okafor;Chidi;05.05.2000;99
";

const AKDN_MULTI: &str = "\
Monat;Aktenzeichen;Name;Vorname;Geburtsdatum;PKS
11/2017;100;Haddad;Ahmad;14.03.1988;21
02/2018;100;Haddad;Ahmad;14.03.1988;21
02/2018;400;Demir;Ali;03.03.1970;13
";

/// The cells of the line of `month` in the output of `lagebild series`.
fn month_row(text: &str, month: &str) -> Vec<String> {
    text.lines()
        .find(|l| l.trim_start().starts_with(month))
        .unwrap_or_else(|| panic!("{month} fehlt\n{text}"))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn series_prints_the_table_gaps_cases_and_the_example_warning() {
    let dir = TempDir::new("series");
    let nov = dir.file("AKDN_2017-11.csv", AKDN_NOV);
    let multi = dir.file("AKDN_Verlauf.csv", AKDN_MULTI);
    let (out, text) = lagebild(&["series", &nov, &multi]);
    assert!(out.status.success(), "{text}");
    assert_eq!(text.matches("Beispielzuordnung").count(), 2, "{text}");
    let row = |month: &str| month_row(&text, month);
    assert_eq!(
        row("01.11.2017"),
        ["01.11.2017", "2", "–", "1", "–", "–", "2", "1", "3", "1"]
    );
    assert!(row("01.12.2017").join(" ").contains("Lücke"), "{text}");
    assert_eq!(
        row("01.02.2018"),
        ["01.02.2018", "1", "–", "–", "–", "1", "2", "–", "2", "–"]
    );
    assert!(
        text.contains("Lücken (Monate ohne Export): 01.12.2017, 01.01.2018"),
        "{text}"
    );
    assert!(text.contains("Fälle je Monat"), "{text}");
    assert!(text.contains("PKS „99“"), "{text}");
    assert!(
        text.contains(
            "Zeilen derselben Person im selben Monat (nicht doppelt gezählt): 2 (davon 0 mit Tippfehler"
        ),
        "{text}"
    );
    assert!(
        text.contains("in verschiedenen Fällen (als eigene Personen gezählt): 0 in 0 Monaten"),
        "{text}"
    );
}

#[test]
fn series_with_the_citys_pks_file_has_no_example_warning() {
    let dir = TempDir::new("series-pks");
    let nov = dir.file("AKDN_2017-11.csv", AKDN_NOV);
    let pks = dir.file(
        "pks_stadt.toml",
        "[[pks]]\ncode = \"99\"\nstatus_group = \"Asylbewerber\"\nbenefit = \"§2\"\nasylblg_nr = \"1\"\n",
    );
    let (out, text) = lagebild(&["series", &nov, "--pks", &pks]);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("Beispielzuordnung"), "{text}");
    assert!(text.contains("PKS-Zuordnung: "), "{text}");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("01.11.2017"))
        .unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells,
        ["01.11.2017", "–", "1", "–", "–", "–", "–", "1", "1", "3"]
    );
}

#[test]
fn series_follows_the_columns_the_citys_pks_file_declares() {
    let dir = TempDir::new("series-columns");
    let nov = dir.file("AKDN_2017-11.csv", AKDN_NOV);
    let pks = dir.file(
        "pks_stadt.toml",
        "[[spalte]]\nkey = \"geduldete\"\nueberschrift = \"Geduldete\"\n\
         [[spalte]]\nkey = \"asyl\"\nueberschrift = \"Asylbewerber\"\n\
         [[summe]]\nkey = \"alle_geduldeten\"\nueberschrift = \"Summe Geduldete\"\nspalten = [\"geduldete\"]\n\
         [[pks]]\ncode = \"21\"\nstatus_group = \"Geduldete\"\nbenefit = \"§2\"\nasylblg_nr = \"4\"\nspalte = \"geduldete\"\n\
         [[pks]]\ncode = \"12\"\nstatus_group = \"Asylbewerber\"\nbenefit = \"§3\"\nasylblg_nr = \"1\"\nspalte = \"Asylbewerber\"\n",
    );
    // The city's Datentabelle in its own layout, October 2017, continued with November.
    let table = dir.file(
        "Datentabelle.csv",
        "Monat;Geduldete;Asylbewerber;Insgesamt\n10/2017;4;3;7\n",
    );
    let (out, text) = lagebild(&["series", &nov, "--pks", &pks, "--datentabelle", &table]);
    assert!(out.status.success(), "{text}");
    let row = |month: &str| month_row(&text, month);
    // Geduldete, Asylbewerber, Summe Geduldete, Insgesamt, PKS unbekannt.
    assert_eq!(row("01.10.2017"), ["01.10.2017", "4", "3", "4", "7", "–"]);
    assert_eq!(row("01.11.2017"), ["01.11.2017", "2", "1", "2", "3", "1"]);
    assert!(text.contains("Summe Geduldete = Geduldete"), "{text}");
    assert!(
        text.contains("Aus den AKDN-Exporten fortgeschrieben: 11/2017."),
        "{text}"
    );
    assert!(!text.contains("§ 2 Geduldete"), "{text}");
}
