//! Classification through the real import: an EWO-ALW export classified at a Stichtag, AKDN
//! exports (an XLSX per month and a multi-month CSV that overlap) turned into the monthly
//! series, and rules and PKS mapping replaced by files.

use lagebild_core::classify::MonthCounts;
use lagebild_core::classify::rules::{DEFAULT_RULES_TOML, DecidedBy, SWITCH_104C};
use lagebild_core::classify::snapshot::GapKind;
use lagebild_core::classify::{
    Category, DestatisGroup, ExpiredTitles, PksMapping, Rules, Series, Snapshot, SnapshotOptions,
};
use lagebild_core::import::{Dataset, ImportOptions, Importer, Records};
use lagebild_core::records::{Date, YearMonth};
use rust_xlsxwriter::Workbook;

const ALW_CSV: &str = "\
AZR-Nummer;Familienname (ges.);Vorname(n);Geburtsdatum;Geschlecht;Staatsangeh.;Aufenthaltsart;Erteilungsgrund;gültig bis;Religion\r\n\
1;Haddad;Ahmad;14.03.1988;m;syrisch;Aufenthaltserlaubnis;§ 25 Abs. 2 S. 1 Alt. 1 AufenthG;31.12.2027;islam.\r\n\
2;Haddad;Lina;01.02.1990;w;syrisch;Aufenthaltserlaubnis;§25 Abs.2 AufenthG;31.12.2027;\r\n\
3;Haddad;Omar;01.02.2015;m;syrisch;Aufenthaltserlaubnis;25 II AufenthG;31.12.2027;\r\n\
4;Rahimi;Reza;00.00.1995;m;afghanisch;Aufenthaltserlaubnis;AufenthG 25/2;31.12.2027;\r\n\
5;Rahimi;Mina;00.05.1997;w;afghanisch;Aufenthaltserlaubnis;§ 25 (2) AufenthG;31.12.2027;\r\n\
6;Rahimi;Sara;01.01.2019;w;afghanisch;Aufenthaltserlaubnis;25.2 AufenthG;31.12.2027;\r\n\
7;Karimi;Ali;05.06.1990;m;irakisch;Duldung;§ 60a Abs. 2 S. 1 AufenthG;01.05.2026;\r\n\
8;Karimi;Huda;05.06.1992;w;irakisch;Duldung;60 a AufenthG;31.12.2026;\r\n\
9;Okafor;Chidi;05.05.2000;m;nigerianisch;Aufenthaltsgestattung;§ 55 Abs. 1 AsylG;;\r\n\
10;Okafor;Ada;05.05.2001;w;nigerianisch;Aufenthaltsgestattung;§ 55 AsylVfG;;\r\n\
11;Tesfay;Yonas;10.10.1994;m;eritreisch;Ankunftsnachweis;§ 63a AsylG;;\r\n\
12;Berhe;Amanuel;10.10.1984;m;eritreisch;Aufenthaltserlaubnis;§ 104c AufenthG;;\r\n\
13;Shevchenko;Olena;02.02.1985;w;ukrainisch;Aufenthaltserlaubnis;§ 24 Abs. 1 AufenthG;04.03.2027;\r\n\
14;Demir;Ali;03.03.1970;m;türkisch;Niederlassungserlaubnis;§ 9 AufenthG;;\r\n\
15;Nowak;Piotr;04.04.1980;m;polnisch;freizügigkeitsberechtigt (EU);§ 2 Abs. 1 FreizügG/EU;;\r\n\
16;Nouri;Sara;07.07.1999;w;iranisch;Duldung;§ 25 Abs. 2 AufenthG;;\r\n\
17;Ali;Omar;08.08.1990;m;irakisch;Aufenthaltserlaubnis;siehe Akte;;\r\n\
18;Ali;Huda;09.09.1992;w;irakisch;Duldung;siehe Akte;;\r\n\
19;Ali;Samir;09.09.1993;m;irakisch;Grenzübertrittsbescheinigung;§ 50 Abs. 1 AufenthG;;\r\n\
20;Kaya;Elif;09.09.1993;w;türkisch;Aufenthaltserlaubnis;§ 60 Abs. 5 AufenthG;;\r\n";

fn import_alw() -> Dataset {
    let mut dataset = Dataset::default();
    let file = Importer::default().import(
        &mut dataset,
        "ALW_Bestand_2026-10-31.csv",
        ALW_CSV.as_bytes(),
        &ImportOptions::default(),
    );
    assert!(file.report.error.is_none(), "{}", file.report);
    assert_eq!(file.report.rows_accepted, 20, "{}", file.report);
    dataset
}

/// Issue 21: one record per switch of the shipped rules (and two it does not touch): each
/// switch names the persons whose category it decides, and flipping it moves exactly them.
#[test]
fn every_switch_names_the_persons_it_decides() {
    use lagebild_core::classify::rules::{
        SWITCH_FICTION, SWITCH_PERMANENT, SWITCH_RESIDENCE_KIND_WINS, SWITCH_SPURWECHSEL,
    };
    let csv = "\
Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangeh.;Aufenthaltsart;Erteilungsgrund\r\n\
Berhe;Amanuel;10.10.1984;m;eritreisch;Aufenthaltserlaubnis;§ 104c AufenthG\r\n\
Haddad;Ahmad;14.03.1988;m;syrisch;Niederlassungserlaubnis;§ 26 Abs. 3 AufenthG\r\n\
Rahimi;Reza;01.01.1995;m;afghanisch;Aufenthaltserlaubnis;§ 16g Abs. 1 AufenthG\r\n\
Bondar;Iryna;02.02.1985;w;ukrainisch;Fiktionsbescheinigung;§ 81 Abs. 3 AufenthG i. V. m. § 24 AufenthG\r\n\
Nouri;Sara;07.07.1999;w;iranisch;Duldung;§ 25 Abs. 2 AufenthG\r\n\
Demir;Ali;03.03.1970;m;türkisch;Niederlassungserlaubnis;§ 9 AufenthG\r\n\
Karimi;Ali;05.06.1990;m;irakisch;Duldung;§ 60a Abs. 2 S. 1 AufenthG\r\n";
    let mut dataset = Dataset::default();
    let file = Importer::default().import(
        &mut dataset,
        "ALW_Bestand_2026-10-31.csv",
        csv.as_bytes(),
        &ImportOptions::default(),
    );
    assert_eq!(file.report.rows_accepted, 7, "{}", file.report);
    let rules = Rules::default();
    let s = snapshot(&dataset, &rules, SnapshotOptions::default());
    let effect = |s: &Snapshot, name: &str| {
        s.switch_effects
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, n)| *n)
    };
    for name in [
        SWITCH_104C,
        SWITCH_PERMANENT,
        SWITCH_SPURWECHSEL,
        SWITCH_FICTION,
        SWITCH_RESIDENCE_KIND_WINS,
    ] {
        assert_eq!(effect(&s, name), Some(1), "{name}");
    }
    let refugees = |s: &Snapshot| -> u64 {
        s.sub_counts
            .iter()
            .filter(|c| c.category.is_some_and(Category::is_refugee))
            .map(|c| c.count)
            .sum()
    };
    // Defaults: § 104c, the permanent title and the conflict record count, Spurwechsel and the
    // Fiktion do not.
    assert_eq!(refugees(&s), 4);
    for (name, change) in [
        (SWITCH_104C, -1),
        (SWITCH_PERMANENT, -1),
        (SWITCH_SPURWECHSEL, 1),
        (SWITCH_FICTION, 1),
    ] {
        let mut flipped = rules.clone();
        flipped.set_switch(name, !rules.switch(name).unwrap());
        let f = snapshot(&dataset, &flipped, SnapshotOptions::default());
        assert_eq!(refugees(&f) as i64 - 4, change, "{name}");
        assert_eq!(effect(&f, name), Some(1), "{name} flipped");
    }
}

fn snapshot(dataset: &Dataset, rules: &Rules, options: SnapshotOptions) -> Snapshot {
    let Records::Alw(records) = &dataset.files[0].records else {
        panic!("not ALW: {}", dataset.files[0].report);
    };
    Snapshot::compute(&dataset.pool, records, rules, options)
}

fn sub_count(s: &Snapshot, category: Category, sub: &str) -> u64 {
    s.sub_counts
        .iter()
        .filter(|c| c.category == Some(category) && c.sub_category == sub)
        .map(|c| c.count)
        .sum()
}

#[test]
fn an_alw_export_is_classified_at_its_stichtag() {
    let dataset = import_alw();
    let stichtag = dataset.files[0].report.reference_date;
    assert_eq!(stichtag, Date::new(2026, 10, 31));
    let options = SnapshotOptions {
        reference_date: stichtag,
        expired: ExpiredTitles::Keep,
    };
    let s = snapshot(&dataset, &Rules::default(), options);
    // Six spellings of § 25 Abs. 2 plus the conflict record; the one naming Alt. 1 is
    // Flüchtlingsschutz.
    assert_eq!(sub_count(&s, Category::Humanitaer, "§ 25 Abs. 2"), 6);
    assert_eq!(
        sub_count(
            &s,
            Category::Humanitaer,
            "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)"
        ),
        1
    );
    assert_eq!(sub_count(&s, Category::Humanitaer, "§ 104c"), 1);
    assert_eq!(sub_count(&s, Category::Humanitaer, "§ 24"), 1);
    assert_eq!(
        sub_count(&s, Category::Duldung, "§ 60a"),
        3,
        "two by basis, one by Aufenthaltsart"
    );
    assert_eq!(sub_count(&s, Category::Gestattung, "§ 55 AsylG"), 2);
    assert_eq!(sub_count(&s, Category::Ankunftsnachweis, "§ 63a AsylG"), 1);
    assert_eq!(sub_count(&s, Category::Sonstige, "§ 50"), 1);
    assert_eq!(sub_count(&s, Category::KeinFluechtling, "§ 9"), 1);
    assert_eq!(sub_count(&s, Category::KeinFluechtling, "FreizügG/EU"), 1);
    assert_eq!(
        s.unclassified(),
        2,
        "siehe Akte with an Aufenthaltserlaubnis, § 60 Abs. 5"
    );
    assert_eq!(s.refugees(), 7 + 1 + 1 + 3 + 2 + 1);
    assert_eq!(s.counted(), 20);
    assert_eq!(
        s.destatis(),
        [
            (DestatisGroup::Offen, 3),
            (DestatisGroup::Anerkannt, 9),
            (DestatisGroup::Abgelehnt, 3)
        ]
    );
    // Every unparsable value is listed with its count; so is the citation without a rule.
    assert_eq!(s.unparsable(), 2);
    let gaps: Vec<(GapKind, &str, u64)> = s
        .needs_mapping
        .iter()
        .map(|g| (g.kind, g.value.as_str(), g.count))
        .collect();
    assert_eq!(
        gaps,
        [
            (GapKind::Unparsable, "siehe Akte", 2),
            (GapKind::NoRule, "§ 60 Abs. 5 AufenthG", 1)
        ]
    );
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(s.conflicts[0].count, 1);
    assert_eq!(s.conflicts[0].other, Category::Duldung);
    assert_eq!(
        s.class_of(17).map(|c| c.decided_by),
        Some(DecidedBy::ResidenceKind)
    );
    // Karimi Ali's Duldung ran out on 01.05.2026.
    assert_eq!(s.expired, 1);
    assert!(s.records[6].expired && s.records[6].counted);
    let dropped = snapshot(
        &dataset,
        &Rules::default(),
        SnapshotOptions {
            expired: ExpiredTitles::Drop,
            ..options
        },
    );
    assert_eq!((dropped.counted(), dropped.dropped), (19, 1));
    assert_eq!(sub_count(&dropped, Category::Duldung, "§ 60a"), 2);
}

#[test]
fn rules_are_replaced_by_a_file_without_recompiling() {
    let dataset = import_alw();
    let text = DEFAULT_RULES_TOML
        .replace(
            "section_104c_refugee = true",
            "section_104c_refugee = false",
        )
        .replace("residence_kind_wins = false", "residence_kind_wins = true");
    let mut rules = Rules::from_toml(&text).unwrap();
    assert_eq!(rules.switch(SWITCH_104C), Some(false));
    let s = snapshot(&dataset, &rules, SnapshotOptions::default());
    assert_eq!(sub_count(&s, Category::KeinFluechtling, "§ 104c"), 1);
    assert_eq!(sub_count(&s, Category::Humanitaer, "§ 25 Abs. 2"), 5);
    assert_eq!(
        sub_count(&s, Category::Duldung, "§ 60a"),
        4,
        "the Aufenthaltsart won"
    );
    rules.set_switch(SWITCH_104C, true);
    let s = snapshot(&dataset, &rules, SnapshotOptions::default());
    assert_eq!(sub_count(&s, Category::Humanitaer, "§ 104c"), 1);
    // A minimal city rule file: only § 25 is known; everything else needs mapping.
    let own = Rules::from_toml(
        "[[rule]]\nlaw = \"AufenthG\"\nparagraph = \"25\"\ncategory = \"Humanitaer\"\nsub_category = \"humanitär\"\n",
    )
    .unwrap();
    let s = snapshot(&dataset, &own, SnapshotOptions::default());
    assert_eq!(sub_count(&s, Category::Humanitaer, "humanitär"), 7);
    assert_eq!(s.unclassified(), 13);
    assert!(
        s.needs_mapping
            .iter()
            .any(|g| g.kind == GapKind::NoRule && g.value == "§ 63a AsylG")
    );
}

fn akdn_xlsx(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .write_string(0, 0, "AsylbLG-Empfänger November 2017")
        .unwrap();
    let header = [
        "Aktenzeichen",
        "Name",
        "Vorname",
        "Geburtsdatum",
        "Pers.Kreis",
        "IBAN",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (3 + r as u32, c as u16);
            match v.parse::<f64>() {
                Ok(n) if c == 4 => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, *v).unwrap(),
            };
        }
        sheet
            .write_string(3 + r as u32, 5, "DE02120300000000202051")
            .unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

const AKDN_MULTI: &str = "\
Berichtsmonat;Az.;Name;Vorname;Geb.-Datum;Personenkreis\r\n\
11/2017;100;Haddad;Ahmad;14.03.1988;21\r\n\
11/2017;300;Rahimi;Reza;01.01.1995;14\r\n\
02/2018;100;Haddad;Ahmad;14.03.1988;21\r\n\
02/2018;100;Haddad;Lina;01.02.1990;22\r\n\
02/2018;400;Kaya;Elif;09.09.1993;33\r\n\
02/2018;400;Kaya;Deniz;09.09.2013;13\r\n\
02/2018;500;Ali;Omar;08.08.1990;77\r\n\
03/2018;100;Haddad;Ahmad;14.03.1988;11\r\n";

fn import_akdn() -> Dataset {
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let xlsx = akdn_xlsx(&[
        ["100", "Haddad", "Ahmad", "14.03.1988", "21"],
        ["100", "Haddad", "Lina", "01.02.1990", "21"],
        ["100", "Haddad", "Omar", "01.02.2015", "22"],
        ["200", "Okafor", "Chidi", "05.05.2000", "12"],
        ["200", "Okafor", "Chidi", "05.05.2000", "12"],
        ["200", "Okafor", "Ada", "05.05.2001", "11"],
        ["300", "Rahimi", "Reza", "01.01.1995", "14"],
        ["600", "Berhe", "Amanuel", "10.10.1984", "99"],
    ]);
    for (name, bytes) in [
        ("AKDN_2017-11.xlsx", xlsx),
        ("AKDN_Verlauf.csv", AKDN_MULTI.as_bytes().to_vec()),
    ] {
        let file = importer.import(&mut dataset, name, &bytes, &ImportOptions::default());
        assert!(file.report.error.is_none(), "{}", file.report);
        assert_eq!(file.report.rows_rejected(), 0, "{}", file.report);
    }
    dataset
}

fn ym(y: u16, m: u8) -> YearMonth {
    YearMonth::new(y, m).unwrap()
}

/// The counts of a month in the seed's five columns.
fn seed_cells(c: &MonthCounts) -> [u64; 5] {
    c.cells[..5].try_into().unwrap()
}

/// Geduldete gesamt and Asylbewerber gesamt of a month, in the seed's layout.
fn gesamt(c: &MonthCounts) -> (u64, u64) {
    use lagebild_core::series_columns::{ASYLBEWERBER_GESAMT, GEDULDETE_GESAMT, SeriesColumns};
    let seed = SeriesColumns::seed();
    (
        c.sum(seed.sum(GEDULDETE_GESAMT).unwrap()),
        c.sum(seed.sum(ASYLBEWERBER_GESAMT).unwrap()),
    )
}

#[test]
fn the_monthly_series_from_overlapping_exports() {
    let dataset = import_akdn();
    let s = Series::from_dataset(&dataset, &PksMapping::example());
    assert!(s.example_mapping);
    let months: Vec<String> = s.rows.iter().map(|r| r.month.to_string()).collect();
    assert_eq!(
        months,
        ["2017-11", "2017-12", "2018-01", "2018-02", "2018-03"]
    );
    assert_eq!(s.gaps(), [ym(2017, 12), ym(2018, 1)]);
    assert!(s.rows[1].counts.is_none() && s.cases[1].cases.is_none());

    let nov = s.month(ym(2017, 11)).unwrap();
    // Haddad Ahmad and Rahimi Reza are in both files, Okafor Chidi twice in one.
    // Columns: § 2 Geduldete, § 2 Asylbewerber, § 3 Asylbewerber, § 3 Geduldete, sonstige.
    assert_eq!(seed_cells(&nov), [2, 1, 2, 1, 0]);
    assert_eq!(nov.unknown_pks, 1);
    assert_eq!((gesamt(&nov), nov.insgesamt()), ((3, 3), 6));
    assert_eq!(s.duplicates_removed, 3);

    let feb = s.month(ym(2018, 2)).unwrap();
    assert_eq!((seed_cells(&feb), feb.unknown_pks), ([1, 0, 0, 1, 2], 1));
    assert_eq!(gesamt(&feb), (4, 0));
    for row in &s.rows {
        if let Some(c) = row.counts {
            let (geduldete, asyl) = gesamt(&c);
            assert_eq!(c.insgesamt(), geduldete + asyl);
        }
    }
    let cases: Vec<Option<u64>> = s.cases.iter().map(|c| c.cases).collect();
    assert_eq!(cases, [Some(4), None, None, Some(3), Some(1)]);
    assert_eq!(
        s.unknown_codes,
        [("77".to_string(), 1), ("99".to_string(), 1)]
    );
    assert_eq!(s.persons_with_unknown_pks(), 2);
}

#[test]
fn a_city_pks_mapping_replaces_the_example() {
    let dataset = import_akdn();
    let mapping = PksMapping::from_toml(
        "[[pks]]\ncode = \"21\"\nstatus_group = \"Asylbewerber\"\nbenefit = \"§3\"\nasylblg_nr = \"1\"\n\
         [[pks]]\ncode = \"99\"\nstatus_group = \"Geduldete\"\nbenefit = \"§2\"\nasylblg_nr = \"4\"\n",
    )
    .unwrap();
    assert_eq!(
        mapping.get("21").map(|e| mapping.column_key(e)),
        Some("p3_asylbewerber")
    );
    let s = Series::from_dataset(&dataset, &mapping);
    assert!(!s.example_mapping);
    let nov = s.month(ym(2017, 11)).unwrap();
    assert_eq!((seed_cells(&nov), nov.unknown_pks), ([1, 0, 2, 0, 0], 4));
    assert_eq!(nov.persons(), 7);
}

/// Issue 21: a PKS of an own benefit group (the Leistungseinschränkung nach § 1a) counts in the
/// column its entry names, in an XLSX export written by a real writer.
#[test]
fn an_own_benefit_group_counts_in_the_column_it_names() {
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let xlsx = akdn_xlsx(&[
        ["100", "Haddad", "Ahmad", "14.03.1988", "17"],
        ["100", "Haddad", "Lina", "01.02.1990", "17"],
        ["200", "Okafor", "Chidi", "05.05.2000", "12"],
        ["300", "Rahimi", "Reza", "01.01.1995", "21"],
    ]);
    let file = importer.import(
        &mut dataset,
        "AKDN_2017-11.xlsx",
        &xlsx,
        &ImportOptions::default(),
    );
    assert!(file.report.error.is_none(), "{}", file.report);
    // The example: code 17 is "§1a" and counts with the Grundleistungen of Asylbewerber.
    let example = PksMapping::example();
    let e = example.get("17").unwrap();
    assert_eq!(e.benefit_label, "§1a");
    assert_eq!(example.column_key(e), "p3_asylbewerber");
    let s = Series::from_dataset(&dataset, &example);
    let nov = s.month(ym(2017, 11)).unwrap();
    assert_eq!((seed_cells(&nov), nov.unknown_pks), ([1, 0, 3, 0, 0], 0));
    assert_eq!(s.last_month_codes.get("17"), Some(&2));
    // A city counts its § 1a group elsewhere: the column follows its file.
    let entry = |spalte: &str| {
        format!(
            "[[pks]]\ncode = \"17\"\nstatus_group = \"Asylbewerber\"\nbenefit = \"§ 1a\"\nasylblg_nr = \"1\"\n{spalte}\
             [[pks]]\ncode = \"12\"\nstatus_group = \"Asylbewerber\"\nbenefit = \"§3\"\nasylblg_nr = \"1\"\n\
             [[pks]]\ncode = \"21\"\nstatus_group = \"Geduldete\"\nbenefit = \"§2\"\nasylblg_nr = \"4\"\n"
        )
    };
    let own = PksMapping::from_toml(&entry("spalte = \"sonstige\"\n")).unwrap();
    let nov = Series::from_dataset(&dataset, &own)
        .month(ym(2017, 11))
        .unwrap();
    assert_eq!((seed_cells(&nov), nov.insgesamt()), ([1, 0, 1, 0, 2], 4));
    // The heading of the column works as well; a known benefit may be moved too.
    let by_heading = PksMapping::from_toml(&entry("spalte = \"§ 3 Geduldete\"\n")).unwrap();
    assert_eq!(
        by_heading.column_key(by_heading.get("17").unwrap()),
        "p3_geduldete"
    );
    // Without spalte the group has no column: a German message, not a silent guess.
    let err = PksMapping::from_toml(&entry("")).unwrap_err();
    assert!(
        err.contains("Eintrag 1 (code = \"17\")")
            && err.contains("benefit „§ 1a“ ist keine Leistungsart der Monatsreihe")
            && err.contains("spalte"),
        "{err}"
    );
    let err = PksMapping::from_toml(&entry("spalte = \"§ 1a\"\n")).unwrap_err();
    assert!(
        err.contains("spalte „§ 1a“ unbekannt (erlaubt: p2_geduldete"),
        "{err}"
    );
    // The template of the city's file keeps the group and its column.
    let template = lagebild_core::classify::pks::template(&own, &["17".to_owned()]);
    assert!(
        template.contains("benefit = \"§ 1a\"") && template.contains("spalte = \"sonstige\""),
        "{template}"
    );
    let again = PksMapping::from_toml(&template).unwrap();
    assert_eq!(again.column_key(again.get("17").unwrap()), "sonstige");
}

// ---------------------------------------------------------------------------------------------
// The synthetic city (crates/synth): classification and monthly series against ground truth.

mod synthetic {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use lagebild_core::classify::rules::BasisOutcome;
    use lagebild_core::classify::snapshot::GapKind;
    use lagebild_core::classify::{PksMapping, Rules, Series, Snapshot, SnapshotOptions};
    use lagebild_core::import::{Dataset, ImportOptions, Importer, Records, SourceKind};
    use lagebild_synth::{Config, Output, Scale, generate};

    fn tiny() -> &'static Output {
        static OUT: OnceLock<Output> = OnceLock::new();
        OUT.get_or_init(|| generate(&Config::new(Scale::Tiny)).expect("tiny city"))
    }

    /// The tiny city with many unreadable legal bases (the default rate gives none at this size).
    fn tiny_unparsable() -> &'static Output {
        static OUT: OnceLock<Output> = OnceLock::new();
        OUT.get_or_init(|| {
            let mut config = Config::new(Scale::Tiny);
            assert!(config.noise.set("legal_basis_unparsable", 0.15));
            generate(&config).expect("tiny city")
        })
    }

    fn demo() -> &'static Output {
        static OUT: OnceLock<Output> = OnceLock::new();
        OUT.get_or_init(|| generate(&Config::new(Scale::Demo)).expect("demo city"))
    }

    /// Rows of a `;`-separated ground-truth file as header -> value maps.
    fn truth(out: &Output, path: &str) -> Vec<BTreeMap<String, String>> {
        let file = out.file(path).unwrap_or_else(|| panic!("{path} fehlt"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(file.bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    }

    fn file_name(path: &str) -> &str {
        path.rsplit('/').next().unwrap_or(path)
    }

    /// Imports every export of a source, in the generator's order.
    fn import_all(out: &Output, source: lagebild_synth::SourceKind) -> (Dataset, Vec<String>) {
        let importer = Importer::default();
        let mut dataset = Dataset::default();
        let mut paths = Vec::new();
        for f in out.files.iter().filter(|f| f.source == Some(source)) {
            let forced = match source {
                lagebild_synth::SourceKind::Alw => SourceKind::Alw,
                _ => SourceKind::Akdn,
            };
            let options = ImportOptions {
                source: Some(forced),
                ..ImportOptions::default()
            };
            let file = importer.import(&mut dataset, file_name(&f.path), &f.bytes, &options);
            assert!(file.report.error.is_none(), "{}\n{}", f.path, file.report);
            paths.push(f.path.clone());
        }
        (dataset, paths)
    }

    /// Checks every ALW record against the truth; returns (records checked, unparsable,
    /// Fiktionsbescheinigungen needing a decision).
    fn check_alw(out: &Output) -> (usize, usize, usize) {
        let truth = truth(out, "truth/alw_records.csv");
        let (dataset, paths) = import_all(out, lagebild_synth::SourceKind::Alw);
        let rules = Rules::default();
        let (mut checked, mut unparsable, mut needs_decision) = (0, 0, 0);
        for (i, path) in paths.iter().enumerate() {
            let file = &dataset.files[i];
            let Records::Alw(records) = &file.records else {
                panic!("{path}: keine ALW-Datensätze");
            };
            let snapshot = Snapshot::compute(
                &dataset.pool,
                records,
                &rules,
                SnapshotOptions {
                    reference_date: file.report.reference_date,
                    ..SnapshotOptions::default()
                },
            );
            // Records of a workbook split over sheets carry the sheet they came from.
            let sheets = &file.report.sheets;
            let sheet_of = |i: u16| sheets.get(usize::from(i)).cloned().unwrap_or_default();
            let by_row: BTreeMap<(String, u32), usize> = records
                .iter()
                .enumerate()
                .map(|(k, r)| ((sheet_of(r.origin.sheet), r.origin.row), k))
                .collect();
            let rows: Vec<_> = truth
                .iter()
                .filter(|t| {
                    t["file"] == *path && (t["sheet"].is_empty() || sheets.contains(&t["sheet"]))
                })
                .collect();
            assert!(!rows.is_empty(), "{path}: keine Wahrheit");
            assert_eq!(rows.len(), records.len(), "{path}: {}", file.report);
            for t in rows {
                let row: u32 = t["row"].parse().unwrap();
                let sheet = if t["sheet"].is_empty() {
                    String::new()
                } else {
                    t["sheet"].clone()
                };
                let k = by_row[&(sheet, row)];
                let c = snapshot.class_of(k).unwrap();
                let raw = dataset.pool.get(records[k].legal_basis);
                assert_eq!(raw, t["legal_basis"], "{path} Zeile {row}");
                if t["spelling"] == "unparsable" {
                    unparsable += 1;
                    assert_eq!(
                        c.basis,
                        BasisOutcome::Unparsable,
                        "{path} Zeile {row}: „{raw}“"
                    );
                    assert!(
                        snapshot
                            .needs_mapping
                            .iter()
                            .any(|g| g.kind == GapKind::Unparsable && g.value == raw.trim()),
                        "{path} Zeile {row}: „{raw}“ fehlt in der Liste"
                    );
                } else if t["category"] == "nicht zugeordnet" {
                    // A Fiktionsbescheinigung: readable, no rule, the office decides.
                    needs_decision += 1;
                    assert!(
                        matches!(c.basis, BasisOutcome::NoRule(_)) && c.category.is_none(),
                        "{path} Zeile {row}: „{raw}“ -> {:?}",
                        c.basis
                    );
                    assert!(
                        snapshot
                            .needs_mapping
                            .iter()
                            .any(|g| g.kind == GapKind::NoRule),
                        "{path} Zeile {row}: „{raw}“ fehlt in der Liste"
                    );
                } else {
                    assert!(
                        matches!(c.basis, BasisOutcome::Rule(_)),
                        "{path} Zeile {row}: „{raw}“ -> {:?}",
                        c.basis
                    );
                    assert_eq!(
                        (c.category.map(|c| c.code()), c.sub_category.as_str()),
                        (Some(t["category"].as_str()), t["sub_category"].as_str()),
                        "{path} Zeile {row}: „{raw}“ (Aufenthaltsart „{}“)",
                        dataset.pool.get(records[k].residence_kind)
                    );
                }
                checked += 1;
            }
            assert!(
                snapshot.conflicts.is_empty(),
                "{path}: {:?}",
                snapshot.conflicts
            );
            // Nothing else needs mapping than what the truth calls unparsable and the
            // Fiktionsbescheinigungen.
            assert!(
                snapshot
                    .needs_mapping
                    .iter()
                    .all(|g| g.kind == GapKind::Unparsable
                        || (g.kind == GapKind::NoRule && g.value.starts_with("§ 81 "))),
                "{path}: {:?}",
                snapshot.needs_mapping
            );
        }
        (checked, unparsable, needs_decision)
    }

    /// Checks the monthly series against the truth for every month; returns the months.
    fn check_series(out: &Output) -> usize {
        let truth = truth(out, "truth/asylblg_monthly.csv");
        let (dataset, _) = import_all(out, lagebild_synth::SourceKind::Akdn);
        let series = Series::from_dataset(&dataset, &PksMapping::example());
        assert!(
            series.unknown_codes.is_empty(),
            "{:?}",
            series.unknown_codes
        );
        assert_eq!(series.rows.len(), truth.len());
        for (t, (row, cases)) in truth.iter().zip(series.rows.iter().zip(&series.cases)) {
            let month = row.month.first_day().to_german();
            assert_eq!(month, t["monat"]);
            let c = row.counts.unwrap_or_else(|| panic!("{month}: Lücke"));
            let n = |k: &str| t[k].parse::<u64>().unwrap();
            let [p2g, p2a, p3a, p3g, sonstige] = super::seed_cells(&c);
            let (geduldete, asyl) = super::gesamt(&c);
            assert_eq!(
                [
                    p2g,
                    p2a,
                    p3a,
                    p3g,
                    sonstige,
                    geduldete,
                    asyl,
                    c.insgesamt(),
                    cases.cases.unwrap_or_default(),
                ],
                [
                    n("p2_geduldete"),
                    n("p2_asylbewerber"),
                    n("p3_asylbewerber"),
                    n("p3_geduldete"),
                    n("sonstige"),
                    n("geduldete_gesamt"),
                    n("asylbewerber_gesamt"),
                    n("insgesamt"),
                    n("faelle"),
                ],
                "{month}"
            );
            assert_eq!(c.insgesamt(), geduldete + asyl);
        }
        truth.len()
    }

    #[test]
    fn tiny_city_classification_matches_the_ground_truth() {
        let (checked, _, _) = check_alw(tiny());
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn every_unparsable_legal_basis_is_listed() {
        let (checked, unparsable, _) = check_alw(tiny_unparsable());
        assert!(unparsable > 20, "{unparsable} von {checked}");
    }

    #[test]
    fn tiny_city_monthly_series_matches_the_ground_truth() {
        assert!(check_series(tiny()) > 150);
    }

    /// Issue 21: the demo city holds Fiktionsbescheinigungen "i. V. m." a humanitarian title
    /// and § 16g titles; the default rules leave the first to the office and count the second
    /// as no refugee, the switches move exactly the records the truth names.
    #[test]
    fn demo_city_switches_move_the_titles_at_the_legal_edges() {
        use lagebild_core::classify::Category;
        use lagebild_core::classify::rules::{
            FICTION_SUB_CATEGORY, SWITCH_FICTION, SWITCH_SPURWECHSEL,
        };
        let out = demo();
        let (dataset, paths) = import_all(out, lagebild_synth::SourceKind::Alw);
        let stichtag = paths
            .iter()
            .position(|p| p.ends_with(".xlsx") && p.contains("ALW_Auslaender_"))
            .expect("Stichtag-Export");
        let readable: Vec<_> = truth(out, "truth/alw_records.csv")
            .into_iter()
            .filter(|t| t["file"] == paths[stichtag] && t["spelling"] == "ok")
            .collect();
        let count = |f: &dyn Fn(&BTreeMap<String, String>) -> bool| {
            readable.iter().filter(|t| f(t)).count() as u64
        };
        let waiting = count(&|t| t["legal_basis"].contains(" i. V. m. "));
        let other_fiktion =
            count(&|t| t["sub_category"] == "§ 81" && !t["legal_basis"].contains(" i. V. m. "));
        let ausbildung = count(&|t| t["sub_category"] == "§ 16g");
        assert!(waiting >= 10 && ausbildung >= 1, "{waiting} {ausbildung}");
        let Records::Alw(records) = &dataset.files[stichtag].records else {
            panic!("keine ALW-Datensätze");
        };
        let classify = |rules: &Rules| {
            Snapshot::compute(
                &dataset.pool,
                records,
                rules,
                SnapshotOptions {
                    reference_date: dataset.files[stichtag].report.reference_date,
                    ..SnapshotOptions::default()
                },
            )
        };
        let defaults = classify(&Rules::default());
        assert_eq!(
            super::sub_count(&defaults, Category::Humanitaer, FICTION_SUB_CATEGORY),
            0
        );
        assert_eq!(
            super::sub_count(&defaults, Category::KeinFluechtling, "§ 16g"),
            ausbildung
        );
        let mut switched = Rules::default();
        switched.set_switch(SWITCH_FICTION, true);
        switched.set_switch(SWITCH_SPURWECHSEL, true);
        let on = classify(&switched);
        assert_eq!(
            super::sub_count(&on, Category::Humanitaer, FICTION_SUB_CATEGORY),
            waiting
        );
        assert_eq!(
            super::sub_count(&on, Category::Humanitaer, "§ 16g"),
            ausbildung
        );
        assert_eq!(super::sub_count(&on, Category::KeinFluechtling, "§ 16g"), 0);
        // A Fiktion without a named title still needs the office's decision.
        let undecided = |s: &Snapshot| {
            s.needs_mapping
                .iter()
                .filter(|g| g.kind == GapKind::NoRule && g.value.starts_with("§ 81"))
                .map(|g| g.count)
                .sum::<u64>()
        };
        assert_eq!(undecided(&on), other_fiktion);
        assert_eq!(undecided(&defaults), other_fiktion + waiting);
    }

    #[test]
    fn demo_city_classification_and_series_match_the_ground_truth() {
        let (checked, _, needs_decision) = check_alw(demo());
        assert!(checked > 2000, "{checked}");
        assert!(needs_decision > 0, "the city holds Fiktionsbescheinigungen");
        assert!(check_series(demo()) > 150);
    }
}
