//! Who is one person (issue 19): namesakes with the same birth date are different persons
//! wherever a register tells them apart (another AZR-Nummer, Ordnungsmerkmal or AKDN case);
//! only rows of one person are counted once. Exports as the offices write them: CSV in
//! Windows-1252, AKDN as XLSX written by rust_xlsxwriter.

use lagebild_core::classify::{PksMapping, Series};
use lagebild_core::import::{Dataset, ImportOptions, Importer};
use lagebild_core::locate::AddressIndex;
use lagebild_core::records::YearMonth;
use lagebild_core::reports::population::PopulationCounts;
use lagebild_core::reports::refugees::RefugeeCounts;
use lagebild_core::reports::{Quality, ReportConfig};
use rust_xlsxwriter::Workbook;

fn cp1252(text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&crlf);
    assert!(!unmappable);
    bytes.into_owned()
}

fn import(dataset: &mut Dataset, name: &str, bytes: &[u8]) {
    let imported = Importer::default().import(dataset, name, bytes, &ImportOptions::default());
    assert!(imported.report.error.is_none(), "{}", imported.report);
    assert!(imported.report.rejected.is_empty(), "{}", imported.report);
}

const ALW_HEADER: &str = "AZR-Nummer;Familienname;Vorname;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Aufenthaltsart;Erteilungsgrund;Straße;Hausnummer;PLZ;Ort\n";

/// Six refugees named Mohammad Ahmad, born 01.01.1990, each with an own AZR-Nummer, address,
/// status and nationality; and one of them listed a second time, row for row the same.
fn alw_namesakes() -> String {
    let mut text = ALW_HEADER.to_owned();
    let rows = [
        (
            "100000000001",
            "475",
            "Aufenthaltsgestattung",
            "§ 55 Abs. 1 AsylG",
            "Ahstraße",
            "1",
        ),
        (
            "100000000002",
            "423",
            "Duldung",
            "§ 60a Abs. 2 S. 1 AufenthG",
            "Bergstraße",
            "2",
        ),
        (
            "100000000003",
            "475",
            "Aufenthaltserlaubnis",
            "§ 25 Abs. 2 AufenthG",
            "Ahstraße",
            "3",
        ),
        (
            "100000000004",
            "461",
            "Aufenthaltserlaubnis",
            "§ 25 Abs. 1 AufenthG",
            "Kirchweg",
            "4",
        ),
        (
            "100000000005",
            "423",
            "Duldung",
            "§ 60a Abs. 2 S. 1 AufenthG",
            "Kirchweg",
            "5",
        ),
        (
            "100000000006",
            "475",
            "Aufenthaltsgestattung",
            "§ 55 Abs. 1 AsylG",
            "Ahstraße",
            "6",
        ),
    ];
    for (azr, nat, kind, basis, street, number) in rows {
        text.push_str(&format!(
            "{azr};Ahmad;Mohammad;01.01.1990;m;{nat};{kind};{basis};{street};{number};45879;Gelsenkirchen\n"
        ));
    }
    text.push_str(
        "100000000002;Ahmad;Mohammad;01.01.1990;m;423;Duldung;§ 60a Abs. 2 S. 1 AufenthG;Bergstraße;2;45879;Gelsenkirchen\n",
    );
    text
}

#[test]
fn alw_namesakes_with_their_own_azr_numbers_are_six_refugees() {
    let mut dataset = Dataset::default();
    import(
        &mut dataset,
        "ALW_Auslaender_2026-10-31.csv",
        &cp1252(&alw_namesakes()),
    );
    let index = AddressIndex::build(&dataset.pool, &[]);
    let mut quality = Quality::default();
    let counts =
        RefugeeCounts::compute(&dataset, &index, &Default::default(), &mut quality).unwrap();
    assert_eq!(counts.records.len(), 6, "one row per person");
    assert_eq!(
        quality.alw_duplicates, 1,
        "only the repeated row is removed"
    );
    let refugees: u64 = counts.counts.values().sum();
    assert_eq!(refugees, 6);
}

#[test]
fn alw_rows_without_azr_number_are_one_person_only_if_the_whole_row_is_equal() {
    let text = alw_namesakes()
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => line.to_owned(),
            _ => line
                .split_once(';')
                .map(|(_, rest)| format!(";{rest}"))
                .unwrap(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut dataset = Dataset::default();
    import(
        &mut dataset,
        "ALW_Auslaender_2026-10-31.csv",
        &cp1252(&text),
    );
    let index = AddressIndex::build(&dataset.pool, &[]);
    let mut quality = Quality::default();
    let counts =
        RefugeeCounts::compute(&dataset, &index, &Default::default(), &mut quality).unwrap();
    assert_eq!((counts.records.len(), quality.alw_duplicates), (6, 1));
}

#[test]
fn meldewesen_rows_that_differ_only_in_the_ordnungsmerkmal_are_two_residents() {
    let header = "Ordnungsmerkmal;Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;PLZ;Ort;Wohnungsstatus\n";
    let row = |om: &str| {
        format!("{om};Ahmad;Mohammad;01.01.1990;m;475;Ahstraße;1;45879;Gelsenkirchen;H\n")
    };
    let text = format!("{header}{}{}{}", row("1001"), row("1002"), row("1002"));
    let mut dataset = Dataset::default();
    import(&mut dataset, "EWO_Bestand_20261031.csv", &cp1252(&text));
    let index = AddressIndex::build(&dataset.pool, &[]);
    let mut quality = Quality::default();
    let config = ReportConfig::default();
    let population = PopulationCounts::compute(&dataset, &index, &config.age_groups, &mut quality)
        .expect("population");
    assert_eq!(population.counts.values().sum::<u64>(), 2);
    assert_eq!(quality.ewo_duplicates, 1);
}

/// An AKDN month as the 2019-2021 layout writes it, plus a person number column.
fn akdn_month(rows: &[[&str; 8]], with_person_number: bool) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let mut header = vec![
        "Fallnummer",
        "Familienname",
        "Vorname(n)",
        "Geb.-Datum",
        "PKS",
        "Leistungsbeginn",
        "Leistungsende",
        "Abrechnungsmonat",
    ];
    if with_person_number {
        header.push("Personennummer");
    }
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *value).unwrap();
        }
        if with_person_number {
            sheet
                .write_string(r as u32 + 1, 8, format!("P{}", r / 2))
                .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn series_of(bytes: &[u8]) -> Series {
    let mut dataset = Dataset::default();
    import(&mut dataset, "AKDN_AsylbLG_202403.xlsx", bytes);
    Series::from_dataset(&dataset, &PksMapping::example())
}

#[test]
fn akdn_namesakes_in_different_cases_are_two_persons_and_are_reported() {
    let rows = [
        [
            "4711",
            "Ahmad",
            "Mohammad",
            "01.01.1990",
            "21",
            "01.02.2023",
            "",
            "03/2024",
        ],
        [
            "4712",
            "Ahmad",
            "Mohammad",
            "01.01.1990",
            "12",
            "01.06.2023",
            "",
            "03/2024",
        ],
        [
            "4712",
            "Ahmad",
            "Mohammad",
            "01.01.1990",
            "12",
            "01.06.2023",
            "",
            "03/2024",
        ],
        [
            "4713",
            "Ahmad",
            "Fatima",
            "00.00.1985",
            "21",
            "01.06.2023",
            "",
            "03/2024",
        ],
        [
            "4714",
            "Ahmad",
            "Fatima",
            "00.00.1985",
            "21",
            "01.06.2023",
            "",
            "03/2024",
        ],
    ];
    let series = series_of(&akdn_month(&rows, false));
    let march = series.month(YearMonth::new(2024, 3).unwrap()).unwrap();
    assert_eq!(march.persons(), 4, "two namesakes of each, one row twice");
    assert_eq!(series.duplicates_removed, 1);
    assert_eq!(series.conflicting_pks, 0, "no person has two PKS");
    assert_eq!(series.namesakes_total(), 2);
}

#[test]
fn akdn_a_person_who_changes_case_in_the_month_is_counted_once() {
    let rows = [
        [
            "4711",
            "Haddad",
            "Ali",
            "01.01.2001",
            "21",
            "01.02.2023",
            "14.03.2024",
            "03/2024",
        ],
        [
            "4720",
            "Haddad",
            "Ali",
            "01.01.2001",
            "21",
            "15.03.2024",
            "",
            "03/2024",
        ],
    ];
    let series = series_of(&akdn_month(&rows, false));
    let march = series.month(YearMonth::new(2024, 3).unwrap()).unwrap();
    assert_eq!(march.persons(), 1);
    assert_eq!((series.case_changes, series.namesakes_total()), (1, 0));
}

#[test]
fn akdn_a_person_number_column_decides_who_is_one_person() {
    // Rows 0 and 1 are person P0 (in two cases), rows 2 and 3 person P1, row 4 person P2:
    // names play no part.
    let rows = [
        [
            "4711",
            "Haddad",
            "Ali",
            "01.01.2001",
            "21",
            "",
            "",
            "03/2024",
        ],
        [
            "4720",
            "Hadad",
            "Ali",
            "01.01.2001",
            "21",
            "",
            "",
            "03/2024",
        ],
        [
            "4711",
            "Haddad",
            "Ali",
            "01.01.2001",
            "21",
            "",
            "",
            "03/2024",
        ],
        [
            "4711",
            "Haddad",
            "Ali",
            "01.01.2001",
            "21",
            "",
            "",
            "03/2024",
        ],
        [
            "4711",
            "Haddad",
            "Ali",
            "01.01.2001",
            "21",
            "",
            "",
            "03/2024",
        ],
    ];
    let series = series_of(&akdn_month(&rows, true));
    let march = series.month(YearMonth::new(2024, 3).unwrap()).unwrap();
    assert_eq!(march.persons(), 3);
    assert_eq!(series.duplicates_removed, 2);
}
