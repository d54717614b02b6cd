//! Issue 16, finding 11: month and Stichtag were taken from the first date-like text of a
//! file name. `AKDN_Export_Teil_1_2017-11` became 01/2017, `…_vom_05.12.2017_fuer_2017-11`
//! 12/2017, and a name containing `01.02.1990_2026-10-24` set the Stichtag 01.02.1990, so that
//! 108 of 169 records were rejected for a birth date "in the future". Now a name gives a month
//! or Stichtag only if it names exactly one; otherwise the analyst gives it, and a name the
//! data contradict is named in the import report.

use lagebild_core::import::{
    Asked, Dataset, DatingNeed, ImportError, ImportOptions, ImportedFile, Importer, Records,
};
use lagebild_core::records::{Date, YearMonth};

/// An AKDN export without a month column: three persons.
const AKDN: &str = "Az.;Name;Vorname;Geb.-Datum;Geschlecht;Straße;Hausnr.;PLZ;Pers.-Kreis\r\n\
                    1;Beispiel;Anna;01.01.1990;W;Am Kamp;1;45883;12\r\n\
                    2;Beispiel;Berta;02.01.1990;W;Am Kamp;1;45883;12\r\n\
                    3;Beispiel;Carla;03.01.1990;W;Am Kamp;1;45883;22\r\n";

/// A Meldewesen snapshot of 169 residents born 1950 to 2018, 108 of them after 01.02.1990.
fn residents() -> String {
    let mut text = String::from(
        "Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus\r\n",
    );
    for i in 0..169 {
        let year = if i < 61 { 1950 + i % 40 } else { 1991 + i % 28 };
        text.push_str(&format!(
            "Beispiel{i};Anna;{year}-03-{:02};w;deutsch;Am Kamp;1;H\r\n",
            1 + i % 28
        ));
    }
    text
}

fn import(name: &str, text: &str, options: &ImportOptions) -> ImportedFile {
    let mut dataset = Dataset::default();
    Importer::default()
        .import(&mut dataset, name, text.as_bytes(), options)
        .clone()
}

fn month(y: u16, m: u8) -> YearMonth {
    YearMonth::new(y, m).unwrap()
}

fn months_of(file: &ImportedFile) -> Vec<YearMonth> {
    let Records::Akdn(rows) = &file.records else {
        panic!("keine AKDN-Datensätze: {}", file.report);
    };
    let mut months: Vec<YearMonth> = rows.iter().map(|r| r.month).collect();
    months.dedup();
    months
}

#[test]
fn a_month_is_taken_only_from_an_unambiguous_name() {
    // "Teil_1" is no month: 11/2017, not 01/2017.
    let f = import(
        "AKDN_Export_Teil_1_2017-11.csv",
        AKDN,
        &ImportOptions::default(),
    );
    assert!(f.report.error.is_none(), "{}", f.report);
    assert_eq!(months_of(&f), [month(2017, 11)]);

    // An export date and a month: which is the reporting month is not said, so it is asked.
    let name = "AKDN_vom_05.12.2017_fuer_2017-11.csv";
    let f = import(name, AKDN, &ImportOptions::default());
    let candidates = vec![month(2017, 12), month(2017, 11)];
    assert_eq!(
        f.report.error,
        Some(ImportError::NoReportMonth {
            candidates: candidates.clone()
        })
    );
    assert_eq!(
        f.report.dating,
        Some(DatingNeed::ReportMonth { candidates })
    );
    assert_eq!(
        f.report.dating.as_ref().and_then(DatingNeed::asks),
        Some(Asked::ReportMonth)
    );
    let message = f.report.error.as_ref().unwrap().to_string();
    assert!(
        message.contains("nicht eindeutig") && message.contains("12/2017, 11/2017"),
        "{message}"
    );
    // Given by the analyst, it counts.
    let f = import(
        name,
        AKDN,
        &ImportOptions {
            report_month: Some(month(2017, 11)),
            ..ImportOptions::default()
        },
    );
    assert!(f.report.error.is_none(), "{}", f.report);
    assert_eq!(months_of(&f), [month(2017, 11)]);
}

#[test]
fn a_name_with_two_dates_gives_no_stichtag_and_rejects_nobody() {
    let name = "EWO_Mustermann_01.02.1990_2026-10-24.csv";
    let f = import(name, &residents(), &ImportOptions::default());
    assert!(f.report.error.is_none(), "{}", f.report);
    assert_eq!(f.report.reference_date, None);
    assert_eq!(
        (f.report.rows_read, f.report.rows_accepted),
        (169, 169),
        "{}",
        f.report
    );
    let d = |y, m, day| Date::new(y, m, day).unwrap();
    assert_eq!(
        f.report.dating,
        Some(DatingNeed::Stichtag {
            candidates: vec![d(1990, 2, 1), d(2026, 10, 24)]
        })
    );
    assert!(
        f.report
            .to_string()
            .contains("Der Stichtag ist nicht eindeutig"),
        "{}",
        f.report
    );
    // The analyst's Stichtag counts.
    let f = import(
        name,
        &residents(),
        &ImportOptions {
            reference_date: Date::new(2026, 10, 24),
            ..ImportOptions::default()
        },
    );
    assert_eq!(f.report.reference_date, Date::new(2026, 10, 24));
    assert_eq!(f.report.dating, None);
    assert_eq!(f.report.rows_accepted, 169);
}

#[test]
fn a_stichtag_in_the_name_that_the_data_contradict_is_named() {
    let f = import(
        "EWO_Bestand_1990-02-01.csv",
        &residents(),
        &ImportOptions::default(),
    );
    assert_eq!(f.report.reference_date, Date::new(1990, 2, 1));
    assert_eq!(f.report.rows_rejected(), 108);
    assert_eq!(
        f.report.dating,
        Some(DatingNeed::StichtagDoubtful {
            stichtag: Date::new(1990, 2, 1).unwrap(),
            after: 108
        })
    );
    let text = f.report.to_string();
    assert!(
        text.contains("Der Stichtag aus dem Dateinamen (01.02.1990) passt nicht zu den Daten: 108 Geburtsdaten liegen danach"),
        "{text}"
    );
}

#[test]
fn a_month_column_that_contradicts_the_name_is_named() {
    let with_column = AKDN
        .replace("Az.;", "Berichtsmonat;Az.;")
        .replace("\r\n1;", "\r\n12/2017;1;");
    let with_column = with_column
        .replace("\r\n2;", "\r\n12/2017;2;")
        .replace("\r\n3;", "\r\n12/2017;3;");
    let f = import("AKDN_2017-11.csv", &with_column, &ImportOptions::default());
    assert!(f.report.error.is_none(), "{}", f.report);
    assert_eq!(months_of(&f), [month(2017, 12)], "the column counts");
    assert_eq!(
        f.report.dating,
        Some(DatingNeed::MonthDisagrees {
            in_name: month(2017, 11),
            in_data: vec![month(2017, 12)]
        })
    );
    assert!(f.report.to_string().contains("es gilt die Spalte"));
    // Agreeing name and column: nothing to say.
    let f = import("AKDN_2017-12.csv", &with_column, &ImportOptions::default());
    assert_eq!(f.report.dating, None);
}
