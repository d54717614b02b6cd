//! The Kreuztabelle of the refugees by sex, age group, nationality (largest groups and
//! "übrige") and year of arrival: every breakdown adds up to the refugees of the standard
//! set, the rows come from the code lists, and the counts follow the synthetic city's truth.

mod common;

use common::total;

use std::collections::{BTreeMap, HashMap, HashSet};

use lagebild_core::import::{Dataset, ImportOptions, Importer};
use lagebild_core::reports::crosstab::{CrosstabRequest, CrosstabSource, crosstab};
use lagebild_core::reports::{ReportConfig, standard_report};
use lagebild_core::tabulate::{Role, Table, index_of};
use lagebild_synth::{Config, Output, Scale, SourceKind, generate};

fn city() -> (Output, Dataset) {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    for entry in &output.manifest.files {
        if matches!(entry.source, SourceKind::GeoJson)
            || entry.subset_of.is_some()
            || entry.duplicate_of.is_some()
        {
            continue;
        }
        let name = entry.path.rsplit('/').next().unwrap_or_default();
        let file = output.file(&entry.path).expect("file");
        importer.import(&mut dataset, name, &file.bytes, &ImportOptions::default());
    }
    (output, dataset)
}

fn request(rows: &str, columns: Option<&str>) -> CrosstabRequest {
    CrosstabRequest {
        design: Default::default(),
        source: CrosstabSource::Gefluechtete,
        rows: rows.into(),
        columns: columns.map(Into::into),
        filters: Vec::new(),
    }
}

/// Category rows of a one-column table: (key, label, value).
fn rows(table: &Table) -> Vec<(String, String, u64)> {
    table.row_axes()[0]
        .positions()
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == Role::Category)
        .map(|(r, p)| {
            (
                p.key.clone(),
                p.label.clone(),
                table.cell(r, 0).unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn refugees_by_sex_age_nationality_and_arrival_add_up_and_follow_the_truth() {
    let (output, dataset) = city();
    let config = ReportConfig::default();
    let report = standard_report(&dataset, &config).expect("report");
    let standard = report
        .tables
        .iter()
        .find(|t| t.key() == "kategorie_stadtteil")
        .expect("refugees by Stadtteil");
    let refugees = total(standard);
    assert!(refugees > 100, "{refugees}");

    let by_age_sex = crosstab(
        &dataset,
        &config,
        &request("altersgruppe", Some("geschlecht")),
    )
    .expect("crosstab");
    assert_eq!(total(&by_age_sex), refugees);
    let by_nationality =
        crosstab(&dataset, &config, &request("staatsangehoerigkeit", None)).expect("crosstab");
    let by_arrival = crosstab(&dataset, &config, &request("einreisejahr", None)).expect("crosstab");
    for table in [&by_nationality, &by_arrival] {
        assert_eq!(total(table), refugees, "{}", table.title());
        assert_eq!(
            rows(table).iter().map(|r| r.2).sum::<u64>(),
            refugees,
            "{}",
            table.title()
        );
    }

    // Nationalities: at most ten named from the code list, in descending order, then "übrige".
    let nationalities = rows(&by_nationality);
    let (last, named) = nationalities.split_last().expect("rows");
    assert_eq!(last.0, "uebrige");
    assert!(last.1.starts_with("übrige"), "{}", last.1);
    assert!((1..=10).contains(&named.len()), "{named:?}");
    assert!(named.windows(2).all(|w| w[0].2 >= w[1].2), "{named:?}");
    assert!(
        named
            .iter()
            .all(|(key, label, _)| key.len() == 3 && label.chars().all(|c| !c.is_ascii_digit()))
    );

    // Years of arrival: earlier ones together, each year since 2015, unknown last.
    let years = rows(&by_arrival);
    assert_eq!(years.first().map(|r| r.1.as_str()), Some("vor 2015"));
    assert_eq!(
        years.last().map(|r| r.1.as_str()),
        Some("Einreise unbekannt")
    );
    assert_eq!(years[1].1, "2015");

    // The truth: the refugees of the current ALW snapshot (present, of a refugee category)
    // by nationality and year of arrival.
    let current = report.quality.alw.as_ref().expect("ALW snapshot").0.clone();
    let refugee_categories = ["Ankunftsnachweis", "Gestattung", "Duldung", "Humanitaer"];
    let ids: HashSet<String> = common::truth(&output, "alw_records.csv")
        .into_iter()
        .filter(|r| r["file"].ends_with(&current) && r["present"] == "1")
        .filter(|r| refugee_categories.contains(&r["category"].as_str()))
        .map(|r| r["person_id"].clone())
        .collect();
    let persons: Vec<HashMap<String, String>> = common::truth(&output, "persons.csv")
        .into_iter()
        .filter(|p| ids.contains(&p["person_id"]))
        .collect();
    let expected_arrival: BTreeMap<String, u64> =
        persons.iter().fold(BTreeMap::new(), |mut m, p| {
            let year: u16 = p["entry_date"]
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or(0);
            let key = match year {
                0 => "unbekannt".to_owned(),
                y if y < 2015 => "frueher".to_owned(),
                y => format!("j{y}"),
            };
            *m.entry(key).or_default() += 1;
            m
        });
    let got_arrival: BTreeMap<String, u64> = years.iter().map(|r| (r.0.clone(), r.2)).collect();
    let loss: u64 = expected_arrival
        .keys()
        .chain(got_arrival.keys())
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|k| {
            let (e, g) = (
                expected_arrival.get(k).copied().unwrap_or(0),
                got_arrival.get(k).copied().unwrap_or(0),
            );
            e.abs_diff(g)
        })
        .sum();
    assert!(
        loss * 100 <= 3 * refugees,
        "arrival years: {got_arrival:?} truth {expected_arrival:?}"
    );
    for (key, _, got) in named {
        let expected = persons
            .iter()
            .filter(|p| format!("{:0>3}", p["nationality"]) == *key)
            .count() as u64;
        assert!(
            got.abs_diff(expected) * 100 <= 3 * expected + 200,
            "{key}: {got} truth {expected}"
        );
    }
}

/// Issue 21: the refugees by Schutzstatus and form of protection (as Destatis) add up to the
/// refugees, and the forms follow the truth: § 25 Abs. 2 Alt. 1 and Alt. 2 where the export
/// names the Alternative, "§ 25 Abs. 2" where it does not.
#[test]
fn refugees_by_protection_status_follow_the_truth() {
    let (output, dataset) = city();
    let config = ReportConfig::default();
    let report = standard_report(&dataset, &config).expect("report");
    let refugees = total(
        report
            .tables
            .iter()
            .find(|t| t.key() == "kategorie_stadtteil")
            .expect("refugees by Stadtteil"),
    );
    let by_status = crosstab(&dataset, &config, &request("schutzstatus:schutzform", None))
        .expect("Kreuztabelle");
    assert_eq!(total(&by_status), refugees);
    let row = |key: &str| {
        let r = index_of(by_status.row_axes(), &[key]).unwrap_or_else(|| panic!("{key}"));
        by_status.cell(r, 0).unwrap_or(0)
    };
    assert_eq!(
        row("offen") + row("anerkannt") + row("abgelehnt"),
        refugees,
        "the three groups hold every refugee"
    );

    let current = report.quality.alw.as_ref().expect("ALW snapshot").0.clone();
    let records: Vec<HashMap<String, String>> = common::truth(&output, "alw_records.csv")
        .into_iter()
        .filter(|r| r["file"].ends_with(&current) && r["present"] == "1")
        .filter(|r| r["spelling"] == "ok")
        .collect();
    let truth = |sub: &str| records.iter().filter(|r| r["sub_category"] == sub).count() as u64;
    for (key, sub) in [
        (
            "fluechtlingsschutz",
            "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)",
        ),
        (
            "subsidiaerer_schutz",
            "§ 25 Abs. 2 Alt. 2 (subsidiärer Schutz)",
        ),
        ("fluechtlings_oder_subsidiaerer", "§ 25 Abs. 2"),
        ("asylberechtigung", "§ 25 Abs. 1"),
        ("abschiebungsverbot", "§ 25 Abs. 3"),
        ("voruebergehender_schutz", "§ 24"),
    ] {
        let (got, expected) = (row(key), truth(sub));
        assert!(expected > 0, "the synthetic city holds {sub}");
        assert!(
            got.abs_diff(expected) * 100 <= 3 * expected + 200,
            "{key}: {got}, truth {expected}"
        );
    }
}
