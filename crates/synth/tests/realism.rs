//! The demo city looks like Gelsenkirchen: population structure, refugee histories, the
//! AsylbLG waiting times and the nationality mix over time.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{data_rows, demo, records, truth_table};
use lagebild_synth::SourceKind;

fn months_between(from_iso: &str, month: &str) -> i64 {
    let f: Vec<i64> = from_iso
        .split('-')
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    let m: Vec<i64> = month.split('-').map(|x| x.parse().unwrap_or(0)).collect();
    let mut n = (m[0] - f[0]) * 12 + m[1] - f[1];
    if 1 < f[2] {
        n -= 1;
    }
    n
}

fn waiting(month: &str) -> i64 {
    match month {
        m if m < "2015-03" => 48,
        m if m < "2019-09" => 15,
        m if m < "2024-03" => 18,
        _ => 36,
    }
}

#[test]
fn population_structure_is_plausible() {
    let out = demo();
    let pop = truth_table(out, "truth/population_by_stadtteil.csv");
    let now: Vec<_> = pop
        .iter()
        .filter(|r| r["stichtag"] == "2026-10-31")
        .collect();
    let total: u64 = now
        .iter()
        .map(|r| r["persons"].parse::<u64>().unwrap_or(0))
        .sum();
    let foreign: u64 = now
        .iter()
        .filter(|r| r["nationality_group"] == "nichtdeutsch")
        .map(|r| r["persons"].parse::<u64>().unwrap_or(0))
        .sum();
    assert!((9_000..11_000).contains(&total), "{total}");
    let share = foreign as f64 / total as f64;
    assert!((0.19..0.26).contains(&share), "foreign share {share}");
    let refugees: u64 = truth_table(out, "truth/refugees_by_category_stadtteil.csv")
        .iter()
        .filter(|r| {
            matches!(
                r["category"].as_str(),
                "Ankunftsnachweis" | "Gestattung" | "Duldung" | "Humanitaer"
            )
        })
        .map(|r| r["persons_resident"].parse::<u64>().unwrap_or(0))
        .sum();
    let r = refugees as f64 / total as f64;
    assert!((0.03..0.12).contains(&r), "refugee share {r}");
    // Ages: children and old people, both sexes.
    let persons = truth_table(out, "truth/persons.csv");
    let residents: Vec<_> = persons.iter().filter(|p| p["resident"] == "1").collect();
    let year = |p: &BTreeMap<String, String>| p["birth_date"][..4].parse::<i32>().unwrap_or(0);
    let kids = residents.iter().filter(|p| year(p) >= 2009).count() as f64 / residents.len() as f64;
    let old = residents.iter().filter(|p| year(p) <= 1961).count() as f64 / residents.len() as f64;
    assert!((0.12..0.25).contains(&kids), "under 18: {kids}");
    assert!((0.12..0.32).contains(&old), "65 and over: {old}");
    let women =
        residents.iter().filter(|p| p["sex"] == "w").count() as f64 / residents.len() as f64;
    assert!((0.45..0.55).contains(&women), "{women}");
}

#[test]
fn the_nationality_mix_changes_over_time() {
    let out = demo();
    let persons = truth_table(out, "truth/persons.csv");
    let top = |years: &[&str]| -> Vec<String> {
        let mut n: BTreeMap<String, usize> = BTreeMap::new();
        for p in &persons {
            if p["refugee_simulation"] == "1"
                && years.iter().any(|y| p["entry_date"].starts_with(y))
            {
                *n.entry(p["nationality"].clone()).or_default() += 1;
            }
        }
        let mut v: Vec<(usize, String)> = n.into_iter().map(|(k, c)| (c, k)).collect();
        v.sort();
        v.into_iter().rev().map(|(_, k)| k).collect()
    };
    let y1516 = top(&["2015", "2016"]);
    assert_eq!(y1516[0], "475", "{y1516:?}");
    assert!(
        y1516[..4].contains(&"438".to_string()) && y1516[..4].contains(&"423".to_string()),
        "{y1516:?}"
    );
    assert_eq!(top(&["2022"])[0], "166");
    let y1012 = top(&["2010", "2011", "2012"]);
    assert!(
        !y1012.is_empty() && y1012[0] != "475" && y1012[0] != "166",
        "{y1012:?}"
    );
}

#[test]
fn status_histories_follow_the_asylum_procedure() {
    let out = demo();
    let mut hist: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for r in truth_table(out, "truth/status_history.csv") {
        hist.entry(r["person_id"].clone()).or_default().push((
            r["from"].clone(),
            r["category"].clone(),
            r["sub_category"].clone(),
        ));
    }
    let persons = common::persons(out);
    let mut procedures = 0;
    let mut kinds: BTreeSet<(String, String)> = BTreeSet::new();
    for (id, h) in &hist {
        assert!(h.windows(2).all(|w| w[0].0 <= w[1].0), "{id}: unordered");
        if h[0].1 == "Ankunftsnachweis" {
            procedures += 1;
            if h.len() > 1 {
                assert_eq!(h[1].1, "Gestattung", "{id}: {h:?}");
            }
            for later in &h[1..] {
                assert_ne!(later.1, "Ankunftsnachweis", "{id}");
            }
            if let Some(third) = h.get(2) {
                assert!(
                    matches!(third.1.as_str(), "Humanitaer" | "Duldung" | "sonstige"),
                    "{id}: {h:?}"
                );
            }
        }
        if h.iter().any(|x| x.2 == "§ 24") {
            assert_eq!(persons[id]["nationality"], "166", "{id}");
        }
        for w in h.windows(2) {
            kinds.insert((w[0].1.clone(), w[1].1.clone()));
        }
    }
    assert!(procedures > 100, "{procedures}");
    for t in [
        ("Gestattung", "Humanitaer"),
        ("Gestattung", "Duldung"),
        ("Duldung", "Humanitaer"),
    ] {
        assert!(
            kinds.contains(&(t.0.to_string(), t.1.to_string())),
            "no transition {t:?}"
        );
    }
}

#[test]
fn asylblg_benefits_move_from_section_3_to_2_after_the_waiting_time_of_the_date() {
    let out = demo();
    let rec = records(out);
    let persons = common::persons(out);
    let mut hist: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in truth_table(out, "truth/status_history.csv") {
        hist.entry(r["person_id"].clone())
            .or_default()
            .push((r["from"].clone(), r["sub_category"].clone()));
    }
    let benefit: BTreeMap<&str, &str> = [
        ("11", "2"),
        ("12", "3"),
        ("14", "3"),
        ("15", "2"),
        ("16", "3"),
        ("21", "2"),
        ("22", "3"),
        ("24", "2"),
        ("25", "3"),
        ("31", "2"),
        ("32", "3"),
    ]
    .into_iter()
    .collect();
    let (mut p2, mut p3) = (0, 0);
    let mut excluded_seen = false;
    for e in out
        .manifest
        .files
        .iter()
        .filter(|e| e.source == SourceKind::Akdn)
    {
        let pks_col = e
            .header
            .iter()
            .position(|h| {
                matches!(
                    h.as_str(),
                    "Personenkreisschlüssel"
                        | "PKS"
                        | "Pers.Kreis"
                        | "Pers.-Kreis"
                        | "Personenkreis"
                )
            })
            .expect("PKS");
        for (sheet, row, cells) in data_rows(out, e) {
            let month = if let Some(m) = e
                .report_months
                .first()
                .filter(|_| e.report_months.len() == 1)
            {
                m.clone()
            } else {
                let (m, y) = cells[0].split_once('/').expect("MM/JJJJ");
                format!("{y}-{m}")
            };
            let t = &rec[&(e.path.clone(), sheet, row)];
            let p = &persons[&t["person_id"]];
            let Some(&b) = benefit.get(cells[pks_col].as_str()) else {
                continue;
            };
            if p["entry_date"].is_empty() {
                continue;
            }
            let stay = months_between(&p["entry_date"], &month);
            if b == "2" {
                p2 += 1;
                assert!(
                    stay >= waiting(&month),
                    "{} in {month}: § 2 after {stay} months",
                    p["person_id"]
                );
            } else {
                p3 += 1;
                if stay >= waiting(&month) {
                    // Only Geduldete with unclear identity (§ 60b) or who prolonged their stay
                    // abusively (§ 2 Abs. 1 AsylbLG) stay in § 3.
                    let status = hist[&p["person_id"]]
                        .iter()
                        .rev()
                        .find(|(from, _)| *from <= format!("{month}-01"))
                        .map(|(_, s)| s.clone())
                        .unwrap_or_default();
                    let geduldet = matches!(
                        status.as_str(),
                        "§ 60a" | "§ 60b" | "§ 60c" | "§ 60d" | "§ 55 AuslG"
                    );
                    let excluded = p["asylblg_p2_excluded"] == "1" && geduldet;
                    assert!(
                        status == "§ 60b" || excluded,
                        "{} in {month}: § 3 after {stay} months ({status})",
                        p["person_id"]
                    );
                    excluded_seen |= excluded && status != "§ 60b";
                }
            }
        }
    }
    assert!(p2 > 1_000 && p3 > 1_000, "{p2} {p3}");
    assert!(excluded_seen, "no Geduldete excluded from § 2");
}

#[test]
fn the_monthly_series_has_the_known_shape_and_breaks() {
    let out = demo();
    let rows: BTreeMap<String, BTreeMap<String, String>> =
        truth_table(out, "truth/asylblg_monthly.csv")
            .into_iter()
            .map(|r| {
                let p: Vec<&str> = r["monat"].split('.').collect();
                (format!("{}-{}", p[2], p[1]), r)
            })
            .collect();
    let n = |m: &str, k: &str| rows[m][k].parse::<i64>().unwrap_or(0);
    let p2 = |m: &str| n(m, "p2_geduldete") + n(m, "p2_asylbewerber");
    assert!(
        n("2016-07", "insgesamt") > 2 * n("2013-01", "insgesamt"),
        "2015/16 peak"
    );
    assert!(
        n("2016-07", "insgesamt") > n("2021-01", "insgesamt") * 2,
        "decline after 2016"
    );
    assert!(p2("2015-03") > p2("2015-02"), "15 months from 03/2015");
    assert!(p2("2024-03") < p2("2024-02"), "36 months from 27.02.2024");
    assert!(
        n("2022-04", "sonstige") > n("2022-06", "sonstige"),
        "§ 24 leaves AsylbLG in 06/2022"
    );
    assert!(
        n("2026-01", "sonstige") > n("2025-12", "sonstige"),
        "§ 24 returns in 2026"
    );
    for r in rows.values() {
        let v = |k: &str| r[k].parse::<i64>().unwrap_or(0);
        assert!(v("faelle") <= v("insgesamt") && (v("insgesamt") == 0 || v("faelle") > 0));
    }
}

#[test]
fn every_kind_of_noise_occurs_at_demo_scale() {
    let out = demo();
    let kinds: BTreeSet<String> = truth_table(out, "truth/records.csv")
        .iter()
        .flat_map(|r| {
            r["noise"]
                .split('|')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|k| !k.is_empty())
        .collect();
    for k in [
        "typo",
        "transliteration",
        "swapped_names",
        "dropped_given_name",
        "umlauts_written_out",
        "cp1252_transliterated",
        "cp1252_question_mark",
        "unknown_birth_day",
        "birth_year_only",
        "day_month_swapped",
        "street_abbreviated",
        "street_strasse",
        "street_hyphenated",
        "suffix_spacing",
        "unmatched_address",
        "duplicate",
        "stale",
        "legal_basis_variant",
        "legal_basis_unparsable",
    ] {
        assert!(kinds.contains(k), "no record with {k} at demo scale");
    }
}
