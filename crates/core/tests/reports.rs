//! The standard report set on the synthetic city equals the ground truth: spatial assignment,
//! refugees by category and Stadtteil, population by Stadtbezirk, the monthly AsylbLG series.

mod common;

use std::collections::HashMap;

use lagebild_core::import::{Dataset, ImportOptions, Importer, Records};
use lagebild_core::locate::AddressIndex;
use lagebild_core::reports::{ReportConfig, gliederung_entries, standard_report};
use lagebild_core::tabulate::{TOTAL_KEY, Table, index_of};
use lagebild_synth::{Config, Output, Scale, SourceKind, generate};

fn load(scale: Scale) -> (Output, Dataset) {
    let output = generate(&Config::new(scale)).expect("synthetic city");
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    for entry in common::user_exports(&output) {
        if matches!(entry.source, SourceKind::GeoJson | SourceKind::Schild) {
            continue;
        }
        let file = output.file(&entry.path).expect("file");
        let name = entry.path.rsplit('/').next().unwrap_or_default();
        let imported = importer.import(&mut dataset, name, &file.bytes, &ImportOptions::default());
        assert!(imported.report.error.is_none(), "{}", imported.report);
    }
    (output, dataset)
}

fn cell(table: &Table, row: &[&str], col: &[&str]) -> Option<u64> {
    let r =
        index_of(table.row_axes(), row).unwrap_or_else(|| panic!("row {row:?} in {}", table.key()));
    let c = index_of(table.column_axes(), col)
        .unwrap_or_else(|| panic!("column {col:?} in {}", table.key()));
    table.cell(r, c)
}

fn table<'a>(tables: &'a [Table], key: &str) -> &'a Table {
    tables
        .iter()
        .find(|t| t.key() == key)
        .unwrap_or_else(|| panic!("table {key}"))
}

fn check(scale: Scale) {
    let (output, dataset) = load(scale);
    let report = standard_report(&dataset, &ReportConfig::default()).expect("report");
    let tables = &report.tables;

    // Spatial assignment of the current snapshots against the true Baublock of every record.
    let index = AddressIndex::build(&dataset.pool, &gliederung_entries(&dataset));
    let truth_block: HashMap<(String, u32), String> = common::truth(&output, "records.csv")
        .into_iter()
        .map(|r| {
            (
                (
                    r["file"].rsplit('/').next().unwrap().to_string(),
                    r["row"].parse().unwrap(),
                ),
                r["baublock"].clone(),
            )
        })
        .collect();
    let in_gliederung: HashMap<String, bool> = common::truth(&output, "addresses.csv")
        .into_iter()
        .map(|r| (r["baublock"].clone(), true))
        .collect();
    assert!(!in_gliederung.is_empty());
    let (mut matched, mut total, mut wrong) = (0u64, 0u64, 0u64);
    for file in &dataset.files {
        let addresses: Vec<(u32, &lagebild_core::records::Address)> = match &file.records {
            Records::Meldewesen(r) => r.iter().map(|r| (r.origin.row, &r.address)).collect(),
            Records::Alw(r) => r.iter().map(|r| (r.origin.row, &r.address)).collect(),
            _ => continue,
        };
        for (row, address) in addresses {
            let Some(expected) = truth_block.get(&(file.report.file_name.clone(), row)) else {
                continue;
            };
            total += 1;
            if let Ok(id) = index.locate(&dataset.pool, address) {
                matched += 1;
                if index.geography.baublock(id).key != *expected {
                    wrong += 1;
                }
            }
        }
    }
    assert!(total > 100);
    assert_eq!(wrong, 0, "addresses matched to a wrong Baublock");
    assert!(
        matched as f64 >= 0.995 * total as f64,
        "{matched} of {total} matched"
    );

    // Truth records of a file, for explaining differences: which records the report cannot
    // count as the truth does (duplicates with typos, addresses not in the Gliederung or not
    // matched, legal bases that need a mapping). Every other record must be counted exactly.
    let block_area: HashMap<String, (String, String)> = common::truth(&output, "addresses.csv")
        .into_iter()
        .map(|r| {
            (
                r["baublock"].clone(),
                (r["stadtteil_nr"].clone(), r["stadtbezirk_nr"].clone()),
            )
        })
        .collect();
    let records = common::truth(&output, "records.csv");
    let alw_truth: HashMap<u32, HashMap<String, String>> = {
        let alw_name = report.quality.alw.as_ref().expect("ALW snapshot").0.clone();
        common::truth(&output, "alw_records.csv")
            .into_iter()
            .filter(|r| r["file"].ends_with(&alw_name))
            .map(|r| (r["row"].parse().unwrap(), r))
            .collect()
    };
    let explained = |file_name: &str, located: &dyn Fn(u32) -> bool, alw: bool| {
        let mut per_area: HashMap<(String, String), u64> = HashMap::new();
        for r in records.iter().filter(|r| r["file"].ends_with(file_name)) {
            let row: u32 = r["row"].parse().unwrap();
            let noisy =
                r["noise"].contains("duplicate") || r["noise"].contains("unmatched_address");
            let unparsable = alw && alw_truth.get(&row).is_some_and(|t| t["spelling"] != "ok");
            if noisy || unparsable || !located(row) {
                let (st, bz) = block_area.get(&r["baublock"]).cloned().unwrap_or_default();
                let category = if alw {
                    alw_truth
                        .get(&row)
                        .map(|t| t["category"].clone())
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                *per_area
                    .entry((format!("st:{st}"), category.clone()))
                    .or_default() += 1;
                *per_area.entry((format!("bz:{bz}"), category)).or_default() += 1;
            }
        }
        per_area
    };
    let locates = |file_name: &str| -> HashMap<u32, bool> {
        let file = dataset
            .files
            .iter()
            .find(|f| f.report.file_name == file_name)
            .expect("file");
        let rows: Vec<(u32, &lagebild_core::records::Address)> = match &file.records {
            Records::Meldewesen(r) => r.iter().map(|r| (r.origin.row, &r.address)).collect(),
            Records::Alw(r) => r.iter().map(|r| (r.origin.row, &r.address)).collect(),
            _ => Vec::new(),
        };
        rows.into_iter()
            .map(|(row, a)| (row, index.locate(&dataset.pool, a).is_ok()))
            .collect()
    };

    // Refugees by category and Stadtteil: distinct persons of the ALW Stichtag export.
    let alw_name = report.quality.alw.as_ref().expect("ALW").0.clone();
    let alw_located = locates(&alw_name);
    let alw_explained = explained(
        &alw_name,
        &|row| alw_located.get(&row).copied().unwrap_or(false),
        true,
    );
    let by_stadtteil = table(tables, "kategorie_stadtteil");
    let (mut compared, mut exact, mut refugees_truth, mut loss) = (0, 0, 0u64, 0u64);
    for r in common::truth(&output, "refugees_by_category_stadtteil.csv") {
        if !["Ankunftsnachweis", "Gestattung", "Duldung", "Humanitaer"]
            .contains(&r["category"].as_str())
        {
            continue;
        }
        let expected: u64 = r["persons_register"].parse().unwrap();
        let area = format!("st:{}", r["stadtteil_nr"]);
        let got = cell(by_stadtteil, &[&area], &[&r["category"]]).unwrap_or(0);
        let allowed = alw_explained
            .get(&(area, r["category"].clone()))
            .copied()
            .unwrap_or(0);
        assert!(
            got.abs_diff(expected) <= allowed,
            "{} {}: {got} counted, truth {expected}, explained differences {allowed}",
            r["stadtteil"],
            r["category"]
        );
        compared += 1;
        exact += usize::from(got == expected);
        refugees_truth += expected;
        loss += got.abs_diff(expected);
    }
    assert!(compared >= 18);
    assert!(
        loss * 100 <= refugees_truth,
        "more than 1 % of the refugees differ: {loss} of {refugees_truth}"
    );
    assert!(
        exact * 10 >= compared * 8,
        "only {exact} of {compared} cells exact"
    );

    // Population by Stadtbezirk at the Stichtag.
    let ewo_name = report
        .quality
        .meldewesen
        .as_ref()
        .expect("Meldewesen")
        .0
        .clone();
    let ewo_located = locates(&ewo_name);
    let ewo_explained = explained(
        &ewo_name,
        &|row| ewo_located.get(&row).copied().unwrap_or(true),
        false,
    );
    let by_sex = table(tables, "bevoelkerung_geschlecht");
    let stichtag = report.reference_date.expect("Stichtag").to_string();
    let (mut population_truth, mut population_loss) = (0u64, 0u64);
    for r in common::truth(&output, "population_by_stadtbezirk.csv")
        .iter()
        .filter(|r| r["stichtag"] == stichtag)
    {
        let expected: u64 = r["persons"].parse().unwrap();
        let area = format!("bz:{}", r["stadtbezirk_nr"]);
        let got = cell(by_sex, &[&area], &[TOTAL_KEY]).unwrap_or(0);
        let allowed = ewo_explained
            .get(&(area, String::new()))
            .copied()
            .unwrap_or(0);
        assert!(
            got.abs_diff(expected) <= allowed,
            "{}: {got} counted, truth {expected}, explained differences {allowed}",
            r["stadtbezirk"]
        );
        population_truth += expected;
        population_loss += got.abs_diff(expected);
    }
    assert!(
        population_loss * 100 <= population_truth,
        "{population_loss} of {population_truth}"
    );

    // The monthly series in the seed's layout, and cases.
    let monthly = table(tables, "asylblg_monat");
    let cases = table(tables, "asylblg_faelle");
    let mut months = 0;
    for r in common::truth(&output, "asylblg_monthly.csv") {
        let (d, m, y) = (&r["monat"][0..2], &r["monat"][3..5], &r["monat"][6..10]);
        assert_eq!(d, "01");
        let month = format!("{y}-{m}");
        for column in [
            "p2_geduldete",
            "p2_asylbewerber",
            "p3_asylbewerber",
            "p3_geduldete",
            "sonstige",
            "geduldete_gesamt",
            "asylbewerber_gesamt",
        ] {
            assert_eq!(
                cell(monthly, &[&month], &[column]),
                Some(r[column].parse().unwrap()),
                "{month} {column}"
            );
        }
        assert_eq!(
            cell(monthly, &[&month], &[TOTAL_KEY]),
            Some(r["insgesamt"].parse().unwrap()),
            "{month}"
        );
        assert_eq!(
            cell(cases, &[&month], &[]),
            Some(r["faelle"].parse().unwrap()),
            "{month} Fälle"
        );
        months += 1;
    }
    assert!(months > 100);
}

#[test]
fn the_tiny_city_report_equals_the_ground_truth() {
    check(Scale::Tiny);
}

#[test]
fn the_demo_city_report_equals_the_ground_truth() {
    check(Scale::Demo);
}

/// The progress of a run: every stage after reading, in order, each from 0 to its total, and
/// one protection step per table; the tables are the same as without progress.
#[test]
fn progress_reports_every_stage_in_order() {
    use lagebild_core::protect::ProtectionSettings;
    use lagebild_core::reports::{Stage, publish_with_progress, standard_report_with_progress};

    let (_, dataset) = load(Scale::Tiny);
    let config = ReportConfig::default();
    let mut events: Vec<(Stage, u32, u32)> = Vec::new();
    let report =
        standard_report_with_progress(&dataset, &config, &mut |s, d, t| events.push((s, d, t)))
            .expect("report");
    let plain = standard_report(&dataset, &config).expect("report");
    assert_eq!(report.tables, plain.tables);
    let n_tables = report.tables.len() as u32;
    let published = publish_with_progress(
        report,
        &config,
        &ProtectionSettings::default(),
        "Test",
        &mut |s, d, t| events.push((s, d, t)),
    );
    assert_eq!(published.tables.len() as u32, n_tables);

    let stages: Vec<Stage> = events.iter().map(|e| e.0).collect();
    let mut distinct = stages.clone();
    distinct.dedup();
    assert_eq!(distinct, Stage::ALL[1..].to_vec(), "{events:?}");
    for stage in &Stage::ALL[1..] {
        let of: Vec<(u32, u32)> = events
            .iter()
            .filter(|e| e.0 == *stage)
            .map(|e| (e.1, e.2))
            .collect();
        assert_eq!(of.first().map(|e| e.0), Some(0), "{stage:?} starts at 0");
        let (done, total) = *of.last().unwrap();
        assert_eq!(done, total, "{stage:?} ends complete");
        assert!(of.windows(2).all(|w| w[0].0 < w[1].0), "{stage:?}: {of:?}");
    }
    let protect_steps = events.iter().filter(|e| e.0 == Stage::Protect).count() as u32;
    assert_eq!(protect_steps, n_tables + 1);
    assert!(n_tables > 5);
}

/// A file read again (after a new column mapping) replaces its earlier reading: the report
/// counts it once, and the other files' records keep their origins.
#[test]
fn a_file_read_again_replaces_its_earlier_reading() {
    let (output, mut dataset) = load(Scale::Tiny);
    let config = ReportConfig::default();
    let before = standard_report(&dataset, &config).expect("report");
    let entry = output
        .manifest
        .files
        .iter()
        .find(|e| {
            e.source == SourceKind::Meldewesen
                && e.snapshot_date.is_some()
                && e.subset_of.is_none()
                && e.duplicate_of.is_none()
        })
        .expect("Meldewesen snapshot");
    let name = entry
        .path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let bytes = output.file(&entry.path).expect("file").bytes.clone();
    let files_before = dataset.files.len();
    let index = dataset
        .files
        .iter()
        .position(|f| f.report.file_name == name)
        .expect("imported");
    assert!(dataset.withdraw_file(index));
    assert!(!dataset.withdraw_file(index), "already withdrawn");
    let again = Importer::default().import(&mut dataset, &name, &bytes, &ImportOptions::default());
    assert!(again.report.error.is_none(), "{}", again.report);
    assert_eq!(dataset.files.len(), files_before + 1);
    let withdrawn = dataset
        .files
        .iter()
        .filter(|f| f.report.file_name == name && f.records.is_empty())
        .count();
    assert_eq!(withdrawn, 1);
    let counted = dataset
        .files
        .iter()
        .filter(|f| f.report.file_name == name && f.report.error.is_none())
        .count();
    assert_eq!(counted, 1, "the file counts once");
    let after = standard_report(&dataset, &config).expect("report");
    for key in [
        "bevoelkerung_geschlecht",
        "bevoelkerung_alter",
        "kategorie_stadtteil",
    ] {
        assert_eq!(
            table(&after.tables, key),
            table(&before.tables, key),
            "{key}"
        );
    }
}
