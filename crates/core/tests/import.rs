//! Import tests on real formats: CSV in Windows-1252, UTF-8 and UTF-16, XLSX written by
//! rust_xlsxwriter, XLS and ODS written by LibreOffice (fixtures), SchILD `.dat` in both widths.

use lagebild_core::import::values::ValueProblem;
use lagebild_core::import::{
    Dataset, Field, FileFormat, ImportError, ImportOptions, ImportedFile, Importer, MappingSet,
    Records, RejectReason, SourceKind,
};
use lagebild_core::intern::Sym;
use lagebild_core::records::{BirthDate, Date, DwellingStatus, NationalityCode, Sex, YearMonth};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "test text must fit Windows-1252");
    bytes.into_owned()
}

fn import(name: &str, bytes: &[u8]) -> (Dataset, usize) {
    import_with(&Importer::default(), name, bytes, &ImportOptions::default())
}

fn import_with(
    importer: &Importer,
    name: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> (Dataset, usize) {
    let mut dataset = Dataset::default();
    importer.import(&mut dataset, name, bytes, options);
    (dataset, 0)
}

fn file(dataset: &Dataset, i: usize) -> &ImportedFile {
    &dataset.files[i]
}

fn assert_balanced(f: &ImportedFile) {
    let r = &f.report;
    assert_eq!(
        r.rows_accepted + r.rows_rejected(),
        r.rows_read,
        "accepted + rejected = read\n{r}"
    );
    assert_eq!(r.rows_accepted as usize, f.records.len());
}

const EWO_CSV: &str = "\
Ordnungsmerkmal;Familienname;Geburtsname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Zusatz;PLZ;Ort;Wohnungsstatus;Einzugsdatum;Abmeldedatum;Religion;Telefon\r\n\
1001;Müller;;Jürgen Karl;03.04.1961;m;deutsch;Bismarckstraße;12;a;45889;Gelsenkirchen;H;01.05.1990;;rk;0209 123\r\n\
1002;\"Öztürk; geb. Kaya\";Kaya;Ayşe;00.05.1990;w;163;Hauptstr.;3;;45879;Gelsenkirchen;HW;2.3.2015;;;\r\n\
1003;Haddad;;Ahmad;00.00.1988;m;syrisch;Am Rundhöfchen;7;;45879;Gelsenkirchen;N;;;;\r\n\
1004;Nowak;;Piotr;31.02.1979;m;polnisch;Ringstraße;1;;45879;Gelsenkirchen;H;;;;\r\n\
1005;;;Anna;01.01.1980;w;deutsch;Ringstraße;2;;45879;Gelsenkirchen;H;;;;\r\n\
1006;Schmidt;;Eva;01.01.1980;q;Absurdistan;Ringstraße;2;;45879;Gelsenkirchen;E;;12.03.2020;;\r\n\
1007;Yılmaz;;Ali;01.01.1980;m;Absurdistan;Ringstraße;2;;45879;Gelsenkirchen;E;;;;\r\n\
\r\n\
Summe;;;;;;;;;;;;;;;;\r\n";

#[test]
fn meldewesen_csv_in_windows_1252_with_all_row_outcomes() {
    // Yılmaz has a character beyond Windows-1252: real exports transliterate it.
    let csv = EWO_CSV.replace("Yılmaz", "Yilmaz").replace("Ayşe", "Ayse");
    let (dataset, i) = import("EWO_Bestand_20261031.csv", &windows_1252(&csv));
    let f = file(&dataset, i);
    let r = &f.report;
    assert!(r.error.is_none(), "{r}");
    assert!(matches!(
        r.format,
        Some(FileFormat::Csv {
            delimiter: ';',
            encoding: lagebild_core::import::decode::TextEncoding::Windows1252
        })
    ));
    assert_eq!(
        r.detection.as_ref().map(|d| d.source),
        Some(SourceKind::Meldewesen)
    );
    assert_eq!(r.reference_date, Date::new(2026, 10, 31));
    assert_eq!(r.rows_read, 8);
    assert_eq!(r.rows_accepted, 4);
    assert_eq!(r.blank_rows, 1);
    assert_balanced(f);
    let reasons: Vec<(RejectReason, u64, Vec<u32>)> = r
        .rejected
        .iter()
        .map(|g| {
            (
                g.reason,
                g.count,
                g.examples.iter().map(|l| l.row).collect(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            (RejectReason::SumRow, 1, vec![10]),
            (RejectReason::Missing(Field::FamilyName), 1, vec![6]),
            (
                RejectReason::Invalid(Field::BirthDate, ValueProblem::ImpossibleDate),
                1,
                vec![5]
            ),
            (
                RejectReason::Invalid(Field::Sex, ValueProblem::UnknownSex),
                1,
                vec![7]
            ),
        ]
    );
    // The rejected birth date is described by its shape, never its value.
    let bad_date = &r.rejected[2].examples[0];
    assert_eq!(bad_date.shape.as_deref(), Some("99.99.9999"));
    assert_eq!(bad_date.column.as_deref(), Some("Spalte E „Geburtsdatum“"));
    assert_eq!(
        r.unmapped_values
            .get(&Field::Nationality)
            .and_then(|v| v.get("Absurdistan")),
        Some(&1)
    );
    let dropped = r.dropped_columns();
    assert_eq!(dropped, vec!["Religion", "Telefon"]);

    let Records::Meldewesen(residents) = &f.records else {
        panic!("{:?}", f.records)
    };
    let pool = &dataset.pool;
    let muller = &residents[0];
    assert_eq!(pool.get(muller.names.family), "Müller");
    assert_eq!(pool.get(muller.names.given), "Jürgen Karl");
    assert_eq!(
        muller.birth_date,
        BirthDate {
            year: 1961,
            month: 4,
            day: 3
        }
    );
    assert_eq!(muller.nationality, Some(NationalityCode::GERMAN));
    assert_eq!(pool.get(muller.address.street), "Bismarckstraße");
    assert_eq!(pool.get(muller.address.house_suffix), "a");
    assert_eq!(muller.dwelling, DwellingStatus::Main);
    assert_eq!(muller.move_in, Date::new(1990, 5, 1));
    let ozturk = &residents[1];
    assert_eq!(pool.get(ozturk.names.family), "Öztürk; geb. Kaya");
    assert_eq!(pool.get(ozturk.names.birth), "Kaya");
    assert_eq!(
        ozturk.birth_date,
        BirthDate {
            year: 1990,
            month: 5,
            day: 0
        }
    );
    assert_eq!(ozturk.nationality, Some(NationalityCode(163)));
    assert_eq!(ozturk.sex, Sex::Female);
    assert_eq!(
        residents[2].birth_date,
        BirthDate {
            year: 1988,
            month: 0,
            day: 0
        }
    );
    assert_eq!(residents[2].dwelling, DwellingStatus::Secondary);
    assert_eq!(residents[3].nationality, None);
    // Nothing from the dropped columns reached the pool.
    assert!(pool.lookup("0209 123").is_none());
    assert!(pool.lookup("rk").is_none());

    let text = r.to_string();
    assert!(
        text.contains("Zeilen gelesen: 8, übernommen: 4, abgewiesen: 4"),
        "{text}"
    );
    assert!(text.contains("„Geburtsdatum“ nicht lesbar"), "{text}");
    assert!(!text.contains("Nowak"), "no names in reports: {text}");
}

#[test]
fn utf8_with_bom_comma_delimited_keeps_characters_beyond_windows_1252() {
    let csv = "\u{feff}AZR-Nummer,\"Familienname (ges.)\",Vorname(n),Geburtsdatum,Geschlecht,Staatsangeh.,Aufenthaltsart,Erteilungsgrund,gültig bis\n\
        A1,Łukasiewicz,Ștefan,1990-05-17,m,Rumänien,Aufenthaltserlaubnis,\"§ 25 Abs. 2 S. 1 Alt. 1 AufenthG\",2027-01-31\n\
        A2,Doğan,Ağa,17.5.1990,männlich,türkisch,Duldung,\"§ 60a Abs. 2, S. 1 AufenthG\",\n";
    let (dataset, i) = import("alw.csv", csv.as_bytes());
    let f = file(&dataset, i);
    assert!(f.report.error.is_none(), "{}", f.report);
    assert!(matches!(
        f.report.format,
        Some(FileFormat::Csv { delimiter: ',', .. })
    ));
    assert_eq!(
        f.report.detection.as_ref().map(|d| d.source),
        Some(SourceKind::Alw)
    );
    assert_balanced(f);
    let Records::Alw(rows) = &f.records else {
        panic!()
    };
    let pool = &dataset.pool;
    assert_eq!(pool.get(rows[0].names.family), "Łukasiewicz");
    assert_eq!(pool.get(rows[0].names.given), "Ștefan");
    assert_eq!(pool.get(rows[1].names.given), "Ağa");
    assert_eq!(pool.get(rows[1].legal_basis), "§ 60a Abs. 2, S. 1 AufenthG");
    assert_eq!(rows[0].valid_until, Date::new(2027, 1, 31));
    assert_eq!(
        rows[1].birth_date,
        BirthDate {
            year: 1990,
            month: 5,
            day: 17
        }
    );
}

#[test]
fn utf16_with_bom_and_tabs() {
    let text = "Familienname\tVorname(n)\tGeburtsdatum\tGeschlecht\tStaatsangeh.\tAufenthaltsart\tErteilungsgrund\nŻółć\tĞül\t01.01.2000\tw\tPolen\tDuldung\t60 a AufenthG\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (dataset, i) = import("alw.txt", &bytes);
    let f = file(&dataset, i);
    assert!(f.report.error.is_none(), "{}", f.report);
    let Records::Alw(rows) = &f.records else {
        panic!()
    };
    assert_eq!(dataset.pool.get(rows[0].names.family), "Żółć");
    assert_eq!(dataset.pool.get(rows[0].names.given), "Ğül");
}

/// Case, name, given name, birth date (None: serial as text), sex, street, number, postcode, PKS.
type AkdnRow<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<(u16, u8, u8)>,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

fn akdn_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let notes = workbook.add_worksheet();
    notes.set_name("Hinweise").unwrap();
    notes
        .write_string(0, 0, "Export aus AKDN sozial, nur für den Dienstgebrauch")
        .unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("AsylbLG").unwrap();
    sheet
        .write_string(0, 0, "AsylbLG-Leistungsempfänger November 2017")
        .unwrap();
    let headers = [
        "Aktenzeichen",
        "Name",
        "Vorname",
        "Geburtsdatum",
        "männl./weibl.",
        "Strasse",
        "Hausnr.",
        "PLZ oder Ort",
        "Pers.Kreis",
        "IBAN",
        "BIC",
        "Leistungsbeginn",
        "",
        "",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [AkdnRow; 4] = [
        (
            "50/1001",
            "Haddad",
            "Ahmad",
            Some((1988, 3, 14)),
            "männl.",
            "Hauptstr.",
            "3",
            "45879",
            "21",
        ),
        (
            "50/1001",
            "Haddad",
            "Lina",
            Some((2015, 7, 1)),
            "weibl.",
            "Hauptstr.",
            "3",
            "45879",
            "21",
        ),
        (
            "50/1002", "Rahimi", "Zahra", None, "weibl.", "Ringstr.", "9", "45879", "34",
        ),
        (
            "50/1003",
            "Okafor",
            "Chidi",
            Some((1995, 1, 2)),
            "männl.",
            "Ringstr.",
            "9",
            "45879",
            "11",
        ),
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        sheet.write_string(r, 0, row.0).unwrap();
        sheet.write_string(r, 1, row.1).unwrap();
        sheet.write_string(r, 2, row.2).unwrap();
        match row.3 {
            Some((y, m, d)) => {
                sheet
                    .write_datetime_with_format(
                        r,
                        3,
                        ExcelDateTime::from_ymd(y, m, d).unwrap(),
                        &date,
                    )
                    .unwrap();
            }
            // A birth date stored as an Excel serial number in a text cell.
            None => {
                sheet.write_string(r, 3, "32874").unwrap();
            }
        }
        sheet.write_string(r, 4, row.4).unwrap();
        sheet.write_string(r, 5, row.5).unwrap();
        // House number as a number cell.
        sheet
            .write_number(r, 6, row.6.parse::<f64>().unwrap())
            .unwrap();
        sheet.write_string(r, 7, row.7).unwrap();
        sheet.write_string(r, 8, row.8).unwrap();
        sheet.write_string(r, 9, "DE02120300000000202051").unwrap();
        sheet.write_string(r, 10, "BYLADEM1001").unwrap();
        sheet
            .write_datetime_with_format(r, 11, ExcelDateTime::from_ymd(2016, 2, 1).unwrap(), &date)
            .unwrap();
    }
    sheet.write_string(7, 0, "Summe").unwrap();
    sheet.write_number(7, 8, 4.0).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn akdn_xlsx_with_title_row_payment_columns_sum_row_and_a_second_sheet() {
    let bytes = akdn_workbook();
    let (dataset, i) = import("AKDN_AsylbLG_2017-11.xlsx", &bytes);
    let f = file(&dataset, i);
    let r = &f.report;
    assert!(r.error.is_none(), "{r}");
    assert_eq!(r.sheet.as_deref(), Some("AsylbLG"));
    assert!(
        r.sheet_note
            .as_deref()
            .is_some_and(|n| n.contains("„Hinweise“")),
        "{r}"
    );
    assert_eq!(r.header_row, 3);
    assert_eq!(
        r.detection.as_ref().map(|d| d.source),
        Some(SourceKind::Akdn)
    );
    assert_eq!(r.report_month, YearMonth::new(2017, 11));
    assert_eq!(r.rows_read, 5);
    assert_eq!(r.rows_accepted, 4);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].reason, RejectReason::SumRow);
    assert_balanced(f);
    assert_eq!(r.dropped_columns(), vec!["IBAN", "BIC"]);
    // IBAN and BIC never reach the records or the pool.
    assert!(dataset.pool.lookup("DE02120300000000202051").is_none());
    assert!(dataset.pool.lookup("BYLADEM1001").is_none());
    let Records::Akdn(rows) = &f.records else {
        panic!()
    };
    let pool = &dataset.pool;
    assert_eq!(
        rows[0].birth_date,
        BirthDate {
            year: 1988,
            month: 3,
            day: 14
        }
    );
    assert_eq!(
        rows[2].birth_date,
        BirthDate {
            year: 1990,
            month: 1,
            day: 1
        },
        "serial as text"
    );
    assert_eq!(pool.get(rows[0].address.house_number), "3");
    assert_eq!(pool.get(rows[0].pks), "21");
    assert_eq!(rows[1].sex, Some(Sex::Female));
    assert_eq!(rows[0].month, YearMonth::new(2017, 11).unwrap());
    assert_eq!(rows[0].benefit_start, Date::new(2016, 2, 1));
    assert_eq!(rows[0].origin.row, 4);
}

#[test]
fn an_akdn_file_without_any_month_asks_for_it() {
    let bytes = akdn_workbook();
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let f = importer.import(
        &mut dataset,
        "AKDN_Export.xlsx",
        &bytes,
        &ImportOptions::default(),
    );
    assert_eq!(
        f.report.error,
        Some(ImportError::NoReportMonth { candidates: vec![] })
    );
    assert!(
        f.report
            .to_string()
            .contains("Bitte geben Sie den Monat an")
    );
    let options = ImportOptions {
        report_month: YearMonth::new(2018, 4),
        ..Default::default()
    };
    let f = importer.import(&mut dataset, "AKDN_Export.xlsx", &bytes, &options);
    assert!(f.report.error.is_none());
    let Records::Akdn(rows) = &f.records else {
        panic!()
    };
    assert!(
        rows.iter()
            .all(|r| r.month == YearMonth::new(2018, 4).unwrap())
    );
    assert_eq!(dataset.files.len(), 2);
}

#[test]
fn akdn_csv_with_many_months_in_a_column() {
    let csv = "Fallnummer;Familienname;Vorname(n);Geburtsdatum;Geschlecht;PKS;Monat\n\
        1;Haddad;Ahmad;14.03.1988;m;21;11.2017\n\
        1;Haddad;Ahmad;14.03.1988;m;21;2017-12\n\
        2;Rahimi;Zahra;01.01.1990;w;34;01.12.2017\n\
        3;Okafor;Chidi;02.01.1995;m;11;Dezember\n";
    let (dataset, i) = import("akdn_2010_2026.csv", csv.as_bytes());
    let f = file(&dataset, i);
    assert_balanced(f);
    let Records::Akdn(rows) = &f.records else {
        panic!("{}", f.report)
    };
    let months: Vec<String> = rows.iter().map(|r| r.month.to_string()).collect();
    assert_eq!(months, vec!["2017-11", "2017-12", "2017-12"]);
    assert_eq!(
        f.report.rejected[0].reason,
        RejectReason::Invalid(Field::ReportMonth, ValueProblem::NotAMonth)
    );
}

fn schild_header(width: usize) -> Vec<String> {
    let mut header: Vec<String> = [
        "Nachname",
        "Vorname",
        "Geburtsdatum",
        "Geschlecht",
        "Status",
        "PLZ",
        "Ort",
        "Straße",
        "Aussiedler",
        "1. Staatsang.",
        "Jahr",
        "Abschnitt",
        "Jahrgang",
        "Klasse",
        "Schulgliederung",
        "OrgForm",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    while header.len() < 49 {
        header.push(format!("Feld {}", header.len() + 1));
    }
    header.push("Schulnr. neue Schule".into());
    if width == 58 {
        header.extend(
            [
                "Zuzugsjahr",
                "Geburtsland Schüler",
                "Geburtsland Mutter",
                "Geburtsland Vater",
                "Verkehrssprache",
                "Dauer Kindergartenbesuch",
                "Ende Eingliederungsphase",
                "Ende Anschlussförderung",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
    }
    header
}

fn schild_file(width: usize) -> Vec<u8> {
    let header = schild_header(width);
    let mut text = header.join("|") + "\r\n";
    let mut row = vec![String::new(); width];
    let values = [
        "Haddad",
        "Lina",
        "01.07.2015",
        "w",
        "2",
        "45879",
        "Gelsenkirchen",
        "Hauptstr. 3",
        "N",
        "syrisch",
        "2026",
        "1",
        "05",
        "5a",
        "GY",
        "Ganztag",
    ];
    for (i, v) in values.iter().enumerate() {
        row[i] = v.to_string();
    }
    if width == 58 {
        row[50] = "2016".into();
    }
    text += &(row.join("|") + "\r\n");
    windows_1252(&text)
}

#[test]
fn schild_dat_in_both_widths() {
    for width in [50, 58] {
        let importer = Importer::default();
        let options = ImportOptions {
            school_number: Some("180000".into()),
            school_form: Some("Gymnasium".into()),
            ..Default::default()
        };
        let (dataset, i) = import_with(
            &importer,
            "SchuelerBasisdaten.dat",
            &schild_file(width),
            &options,
        );
        let f = file(&dataset, i);
        assert!(f.report.error.is_none(), "{}", f.report);
        assert!(
            matches!(f.report.format, Some(FileFormat::SchildDat { columns, .. }) if columns == width)
        );
        assert!(
            f.report.notes.iter().all(|n| !n.contains("bekannt sind")),
            "{:?}",
            f.report.notes
        );
        let Records::Schild(rows) = &f.records else {
            panic!()
        };
        let pool = &dataset.pool;
        assert_eq!(pool.get(rows[0].names.family), "Haddad");
        assert_eq!(rows[0].nationality, Some(NationalityCode(475)));
        assert_eq!(pool.get(rows[0].grade), "05");
        assert_eq!(pool.get(rows[0].school_form), "Gymnasium");
        assert_eq!(rows[0].school_year, Some(2026));
        assert_eq!(
            rows[0].arrival_year,
            if width == 58 { Some(2016) } else { None }
        );
    }
}

#[test]
fn gliederung_with_street_key_instead_of_street() {
    let csv = "Straßenschlüssel;Hausnummer;Zusatz;PLZ;Baublock;Stadtteil-Nr;Stadtteil;Stadtbezirk-Nr;Stadtbezirk;X;Y\n\
        01234;12;a;45889;108001;08;Buer;2;Gelsenkirchen-Nord;365123,5;5718000\n";
    let (dataset, i) = import("gliederung.csv", csv.as_bytes());
    let f = file(&dataset, i);
    let Records::Gliederung(rows) = &f.records else {
        panic!("{}", f.report)
    };
    assert_eq!(dataset.pool.get(rows[0].baublock), "108001");
    assert_eq!(rows[0].x, Some(365123.5));
    assert_eq!(rows[0].address.street, Sym::EMPTY);
}

#[test]
fn missing_required_columns_name_the_field_and_the_headers_found() {
    let csv = "Familienname;Vorname(n);Geschlecht;Staatsangehörigkeit;Aufenthaltsart;Erteilungsgrund\nA;B;m;deutsch;x;y\n";
    let (dataset, i) = import("alw.csv", csv.as_bytes());
    let error = file(&dataset, i).report.error.clone().unwrap();
    assert_eq!(
        error,
        ImportError::MissingFields {
            source: SourceKind::Alw,
            missing: vec![Field::BirthDate],
            headers: [
                "Familienname",
                "Vorname(n)",
                "Geschlecht",
                "Staatsangehörigkeit",
                "Aufenthaltsart",
                "Erteilungsgrund"
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    );
    let message = error.to_string();
    assert!(message.contains("„Geburtsdatum“"), "{message}");
    assert!(message.contains("„Erteilungsgrund“"), "{message}");
}

#[test]
fn a_saved_mapping_imports_this_and_next_months_file() {
    let month = |m: u32, rows: &str| {
        format!("Az;Nachname;Rufname;Geb;Sex;Schlüssel Personenkreis;IBAN\n{rows}")
            .replace("{m}", &m.to_string())
    };
    let november = month(11, "1;Haddad;Ahmad;14.03.1988;m;21;DE02\n");
    let importer = Importer::default();
    let (dataset, i) = import_with(
        &importer,
        "AKDN_2017-11.csv",
        november.as_bytes(),
        &ImportOptions::default(),
    );
    assert!(matches!(
        file(&dataset, i).report.error,
        Some(ImportError::UnknownSource { .. }) | Some(ImportError::MissingFields { .. })
    ));

    let mapping = MappingSet::from_json(
        r#"{"mappings":[{"source":"akdn","columns":{
            "Az":"case_number","Nachname":"family_name","Rufname":"given_names","Geb":"birth_date",
            "Sex":"sex","Schlüssel Personenkreis":"pks","IBAN":null}}]}"#,
    )
    .unwrap();
    let importer = Importer::new(
        lagebild_core::import::FieldCatalog::default_catalog(),
        mapping,
        lagebild_core::import::values::NationalityTable::default_table(),
        Default::default(),
    );
    let mut dataset = Dataset::default();
    for (name, text) in [
        ("AKDN_2017-11.csv", november),
        (
            "AKDN_2017-12.csv",
            month(
                12,
                "1;Haddad;Ahmad;14.03.1988;m;21;DE02\n2;Rahimi;Zahra;01.01.1990;w;34;DE03\n",
            ),
        ),
    ] {
        let f = importer.import(
            &mut dataset,
            name,
            text.as_bytes(),
            &ImportOptions::default(),
        );
        assert!(f.report.error.is_none(), "{}", f.report);
        assert_eq!(f.report.dropped_columns(), vec!["IBAN"]);
    }
    assert_eq!(dataset.files[1].records.len(), 2);
    let Records::Akdn(rows) = &dataset.files[1].records else {
        panic!()
    };
    assert_eq!(rows[0].month, YearMonth::new(2017, 12).unwrap());
}

#[test]
fn the_user_can_override_the_detected_source() {
    // Headers that fit both ALW and a minimal AKDN? Here: force Meldewesen on an ALW-like file
    // and get the specific missing-fields message for Meldewesen.
    let csv = "Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangeh.;Aufenthaltsart;Erteilungsgrund\nA;B;01.01.2000;m;deutsch;x;y\n";
    let options = ImportOptions {
        source: Some(SourceKind::Meldewesen),
        ..Default::default()
    };
    let (dataset, i) = import_with(&Importer::default(), "x.csv", csv.as_bytes(), &options);
    match &file(&dataset, i).report.error {
        Some(ImportError::MissingFields {
            source, missing, ..
        }) => {
            assert_eq!(*source, SourceKind::Meldewesen);
            assert!(missing.contains(&Field::DwellingStatus));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_files_give_their_specific_message_and_the_next_file_still_imports() {
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let mut truncated = akdn_workbook();
    truncated.truncate(truncated.len() / 2);
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut fake_xlsx = b"PK\x03\x04".to_vec();
    fake_xlsx.extend_from_slice(&garbage);
    let header_only = "Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus\n";
    type Case<'a> = (&'a str, Vec<u8>, fn(&ImportError) -> bool);
    let cases: Vec<Case> = vec![
        ("leer.csv", Vec::new(), |e| matches!(e, ImportError::Empty)),
        ("binär.csv", garbage.clone(), |e| {
            matches!(e, ImportError::NotText)
        }),
        ("kaputt.xlsx", fake_xlsx, |e| {
            matches!(e, ImportError::BrokenSpreadsheet { .. })
        }),
        ("halb.xlsx", truncated, |e| {
            matches!(e, ImportError::BrokenSpreadsheet { .. })
        }),
        ("unbekannt.csv", b"a;b;c\n1;2;3\n".to_vec(), |e| {
            matches!(e, ImportError::UnknownSource { .. })
        }),
        (
            "quote.csv",
            b"Familienname;Vorname(n)\n\"offen;x\n".to_vec(),
            |_| true,
        ),
    ];
    for (name, bytes, expected) in &cases {
        let f = importer.import(&mut dataset, name, bytes, &ImportOptions::default());
        if let Some(error) = &f.report.error {
            assert!(expected(error), "{name}: {error:?}");
            assert!(!error.to_string().is_empty());
        } else {
            assert_balanced(f);
        }
    }
    let f = importer.import(
        &mut dataset,
        "kopf.csv",
        header_only.as_bytes(),
        &ImportOptions::default(),
    );
    assert!(f.report.error.is_none());
    assert_eq!(f.report.rows_read, 0);
    let f = importer.import(
        &mut dataset,
        "gut.csv",
        EWO_CSV.as_bytes(),
        &ImportOptions::default(),
    );
    assert!(f.report.error.is_none(), "{}", f.report);
    assert_eq!(f.records.len(), 4, "{}", f.report);
    assert_eq!(dataset.files.len(), cases.len() + 2);
}

#[test]
fn duplicate_headers_keep_the_first_column() {
    let csv = "Familienname;Vorname(n);Geburtsdatum;Geburtsdatum;Geschlecht;Staatsangeh.;Aufenthaltsart;Erteilungsgrund\nA;B;01.01.2000;xx;m;deutsch;Duldung;60a AufenthG\n";
    let (dataset, i) = import("alw.csv", csv.as_bytes());
    let f = file(&dataset, i);
    assert_eq!(f.records.len(), 1, "{}", f.report);
    let columns = &f.report.columns;
    assert_eq!(columns[2].field, Some(Field::BirthDate));
    assert_eq!(columns[3].field, None);
}

#[test]
fn a_too_large_file_is_refused_before_reading() {
    let limits = lagebild_core::import::Limits {
        max_file_bytes: 100,
        ..Default::default()
    };
    let importer = Importer::new(
        lagebild_core::import::FieldCatalog::default_catalog(),
        MappingSet::default(),
        lagebild_core::import::values::NationalityTable::default_table(),
        limits,
    );
    let (dataset, i) = import_with(
        &importer,
        "gross.csv",
        EWO_CSV.as_bytes(),
        &ImportOptions::default(),
    );
    let error = file(&dataset, i).report.error.clone().unwrap();
    assert!(matches!(error, ImportError::TooLarge { .. }));
    assert!(error.to_string().contains("Kommandozeilenprogramm"));
}

/// XLS and ODS written by LibreOffice from `tests/fixtures/alw_office.csv`
/// (see `tests/fixtures/README.md` for the command).
#[test]
fn xls_and_ods_from_libreoffice() {
    for name in ["alw_office.xls", "alw_office.ods"] {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        let (dataset, i) = import(name, &bytes);
        let f = file(&dataset, i);
        assert!(f.report.error.is_none(), "{name}: {}", f.report);
        assert_eq!(
            f.report.detection.as_ref().map(|d| d.source),
            Some(SourceKind::Alw),
            "{name}"
        );
        assert_balanced(f);
        let Records::Alw(rows) = &f.records else {
            panic!()
        };
        assert_eq!(rows.len(), 3, "{name}: {}", f.report);
        let pool = &dataset.pool;
        assert_eq!(pool.get(rows[0].names.family), "Al-Hassan", "{name}");
        assert_eq!(pool.get(rows[1].names.family), "Kovačević", "{name}");
        assert_eq!(
            rows[0].birth_date,
            BirthDate {
                year: 1987,
                month: 6,
                day: 15
            },
            "{name}"
        );
        assert_eq!(
            rows[1].birth_date,
            BirthDate {
                year: 1990,
                month: 5,
                day: 0
            },
            "{name}"
        );
        assert_eq!(
            pool.get(rows[2].legal_basis),
            "§ 25 Abs. 2 AufenthG",
            "{name}"
        );
        assert_eq!(rows[0].nationality, Some(NationalityCode(475)), "{name}");
    }
}

/// Rewrites one entry of a zip archive (to forge what a hostile or broken writer would emit).
fn rewrite_zip_entry(bytes: &[u8], entry: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == entry {
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn an_xlsx_claiming_the_whole_grid_is_read_without_allocating_it() {
    let bytes = akdn_workbook();
    let forged = rewrite_zip_entry(&bytes, "xl/worksheets/sheet2.xml", |xml| {
        let start = xml.find("<dimension ref=\"").unwrap() + 16;
        let end = start + xml[start..].find('"').unwrap();
        // Claim 1,048,576 x 16,384 cells and put one real cell in the far corner.
        let xml = format!("{}A1:XFD1048576{}", &xml[..start], &xml[end..]);
        xml.replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>",
        )
    });
    // A reader that allocated the claimed range densely would need hundreds of gigabytes here.
    let (dataset, i) = import("AKDN_AsylbLG_2017-11.xlsx", &forged);
    let f = file(&dataset, i);
    assert!(f.report.error.is_none(), "{}", f.report);
    assert_eq!(f.records.len(), 4);
    assert_balanced(f);
}

// GeoJSON: map geometry is its own source kind, with a report like every other file.

#[test]
fn geojson_feature_collection_is_a_map_with_an_import_report() {
    let text = r#"{"type":"FeatureCollection","name":"stadtteile","features":[
{"type":"Feature","properties":{"stadtteil_nr":"01","stadtteil":"Altstadt","stadtbezirk_nr":"1"},"geometry":{"type":"Polygon","coordinates":[[[7.05,51.49],[7.06,51.49],[7.06,51.50],[7.05,51.49]]]}},
{"type":"Feature","properties":{"stadtteil_nr":"02","stadtteil":"Bismarck"},"geometry":{"type":"Point","coordinates":[7.05,51.49]}},
{"type":"Feature","properties":{"stadtteil":"ohne Nummer"},"geometry":{"type":"Polygon","coordinates":[[[7.05,51.49],[7.06,51.49],[7.06,51.50],[7.05,51.49]]]}}
]}"#;
    for name in ["stadtteile.geojson", "stadtteile.json", "export"] {
        let (dataset, i) = import(name, text.as_bytes());
        let f = file(&dataset, i);
        assert!(f.report.error.is_none(), "{}", f.report);
        assert_balanced(f);
        let detection = f.report.detection.as_ref().unwrap();
        assert_eq!(detection.source, SourceKind::Karte);
        assert_eq!(detection.source.label(), "Karte (GeoJSON)");
        assert!(matches!(f.report.format, Some(FileFormat::GeoJson { .. })));
        assert_eq!(f.report.rows_read, 3);
        assert_eq!(f.report.rows_accepted, 1);
        let Records::Karte(map) = &f.records else {
            panic!("no map: {:?}", f.records)
        };
        assert_eq!(f.records.len(), 1);
        assert_eq!(map.areas[0].key.to_string(), "st:01");
        assert_eq!(map.areas[0].label, "Altstadt");
        let reasons: Vec<(RejectReason, u32)> = f
            .report
            .rejected
            .iter()
            .map(|g| (g.reason, g.examples[0].row))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (
                    RejectReason::Feature(lagebild_core::geo::FeatureProblem::MissingKey),
                    3
                ),
                (
                    RejectReason::Feature(lagebild_core::geo::FeatureProblem::UnsupportedGeometry),
                    2
                ),
            ]
        );
        let shown = f.report.to_string();
        assert!(shown.contains("Quelle: Karte (GeoJSON)"), "{shown}");
        assert!(
            shown.contains("Objekte gelesen: 3, übernommen: 1, abgewiesen: 2"),
            "{shown}"
        );
        assert!(shown.contains("Objekt 2, gefunden: „Point“"), "{shown}");
    }
}

#[test]
fn broken_geojson_is_a_file_error_in_german() {
    let cases: [(&str, &[u8], &str); 3] = [
        ("kaputt.geojson", b"{\"type\":\"FeatureCollection\",\"features\":[", "kein gültiges JSON"),
        ("punkt.json", b"{\"type\":\"Feature\",\"geometry\":null}", "keine GeoJSON-FeatureCollection"),
        (
            "ohne_schluessel.geojson",
            b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":1},\"geometry\":null}]}",
            "Keine Eigenschaft nennt das Gebiet",
        ),
    ];
    for (name, bytes, expected) in cases {
        let (dataset, i) = import(name, bytes);
        let f = file(&dataset, i);
        let Some(ImportError::Map(problem)) = &f.report.error else {
            panic!("{name}: {:?}", f.report.error)
        };
        assert!(problem.to_string().contains(expected), "{problem}");
        assert_eq!(f.records, Records::None);
    }
    // A CSV is still a CSV, and the user may force the map reader.
    let (dataset, i) = import_with(
        &Importer::default(),
        "gliederung.csv",
        b"Strasse;Hausnummer\nA;1\n",
        &ImportOptions {
            source: Some(SourceKind::Karte),
            ..ImportOptions::default()
        },
    );
    assert!(matches!(
        file(&dataset, i).report.error,
        Some(ImportError::Map(_))
    ));
}
