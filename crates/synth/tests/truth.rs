//! The ground truth is consistent with the exports: identities behind records, categories
//! behind legal bases, and the standard reports recomputed from the exports.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{
    Cell, addresses, bytes, col, data_rows, iso_to_dmy, persons, records, sheets, tiny, truth_table,
};
use lagebild_synth::{FileEntry, SourceKind};

fn entry(pred: impl Fn(&FileEntry) -> bool) -> &'static FileEntry {
    tiny()
        .manifest
        .files
        .iter()
        .find(|e| pred(e))
        .expect("file")
}

fn house_numbers(a: &BTreeMap<String, String>) -> Vec<String> {
    let mut v = vec![a["house_number"].clone()];
    if !a["range_end"].is_empty() {
        v.push(a["range_end"].clone());
        v.push(format!("{}-{}", a["house_number"], a["range_end"]));
    }
    v
}

#[test]
fn clean_records_show_the_true_person_and_address() {
    let out = tiny();
    let rec = records(out);
    let people = persons(out);
    let addr = addresses(out);

    // Meldewesen Stichtag CSV.
    let e = entry(|e| e.source == SourceKind::Meldewesen && e.header_variant == "A");
    let (mut clean, mut noisy_names) = (0, 0);
    for (sheet, row, cells) in data_rows(out, e) {
        let t = &rec[&(e.path.clone(), sheet, row)];
        let p = &people[&t["person_id"]];
        let a = &addr[&t["address_id"]];
        if t["noise"].is_empty() {
            clean += 1;
            assert_eq!(cells[col(e, "Familienname")], p["family_name"], "row {row}");
            assert_eq!(cells[col(e, "Vornamen")], p["given_names"], "row {row}");
            assert_eq!(cells[col(e, "Geburtsname")], p["birth_name"], "row {row}");
            assert_eq!(
                cells[col(e, "Geburtsdatum")],
                iso_to_dmy(&p["birth_date"]),
                "row {row}"
            );
            assert_eq!(cells[col(e, "Geschlecht")], p["sex"], "row {row}");
            assert_eq!(cells[col(e, "Straße")], a["street"], "row {row}");
            assert_eq!(
                cells[col(e, "Straßenschlüssel")],
                a["street_key"],
                "row {row}"
            );
            assert!(
                house_numbers(a).contains(&cells[col(e, "Hausnummer")]),
                "row {row}"
            );
            assert_eq!(cells[col(e, "Hausnummernzusatz")], a["suffix"], "row {row}");
            assert_eq!(cells[col(e, "PLZ")], a["postcode"], "row {row}");
        }
        if t["noise"] == "typo" || t["noise"] == "transliteration" {
            noisy_names += 1;
            let shown = (
                cells[col(e, "Familienname")].clone(),
                cells[col(e, "Vornamen")].clone(),
            );
            assert_ne!(
                shown,
                (p["family_name"].clone(), p["given_names"].clone()),
                "row {row} flagged but unchanged"
            );
        }
    }
    assert!(clean > 100, "{clean} clean rows");
    assert!(noisy_names > 0);

    // ALW Stichtag XLSX: date cells hold the true birth date.
    let e = entry(|e| e.source == SourceKind::Alw && e.header_variant == "A");
    let ws = sheets(bytes(out, &e.path));
    let mut checked = 0;
    for (row_idx, r) in ws[0].1.iter().enumerate() {
        let key = (e.path.clone(), ws[0].0.clone(), row_idx as u32 + 1);
        let Some(t) = rec.get(&key) else { continue };
        if !t["noise"].is_empty() {
            continue;
        }
        let p = &people[&t["person_id"]];
        assert_eq!(r[col(e, "Familienname (ges.)")].text(), p["family_name"]);
        assert_eq!(r[col(e, "Vorname(n)")].text(), p["given_names"]);
        assert_eq!(
            r[col(e, "Geburtsdatum")],
            Cell::Date(common::excel_serial(&p["birth_date"]))
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked}");

    // AKDN history (upper case) and SchILD.
    let e = entry(|e| e.source == SourceKind::Akdn && e.header_variant == "H");
    let mut checked = 0;
    for (sheet, row, cells) in data_rows(out, e) {
        let t = &rec[&(e.path.clone(), sheet, row)];
        if t["noise"].is_empty() {
            let p = &people[&t["person_id"]];
            assert_eq!(cells[col(e, "Name")], p["family_name"].to_uppercase());
            assert_eq!(cells[col(e, "Geb.-Datum")], iso_to_dmy(&p["birth_date"]));
            checked += 1;
        }
    }
    assert!(checked > 20);
    let mut checked = 0;
    for e in out
        .manifest
        .files
        .iter()
        .filter(|e| e.source == SourceKind::Schild)
    {
        for (sheet, row, cells) in data_rows(out, e) {
            let t = &rec[&(e.path.clone(), sheet, row)];
            if t["noise"].is_empty() {
                let p = &people[&t["person_id"]];
                assert_eq!(cells[0], p["family_name"]);
                assert_eq!(cells[2], iso_to_dmy(&p["birth_date"]));
                assert_eq!(cells[3], if p["sex"] == "m" { "3" } else { "4" });
                checked += 1;
            }
        }
    }
    assert!(checked > 10);
}

#[test]
fn duplicate_rows_belong_to_a_person_with_another_row_in_the_file() {
    let out = tiny();
    let rec = records(out);
    let mut by_file: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for ((file, _, _), r) in &rec {
        *by_file
            .entry(file)
            .or_default()
            .entry(r["person_id"].as_str())
            .or_default() += 1;
    }
    let mut dups = 0;
    for ((file, _, _), r) in &rec {
        if r["noise"].contains("duplicate") {
            dups += 1;
            assert!(
                by_file[file.as_str()][r["person_id"].as_str()] >= 2,
                "{file}"
            );
        }
    }
    assert!(dups > 0);
}

/// An independent reading of a legal citation: the sub-category label, or `None`.
fn parse_legal(text: &str) -> Option<String> {
    let laws = [
        ("FreizügG/EU", "F"),
        ("ARB 1/80", "R"),
        ("AufenthG", ""),
        ("AsylVfG", "AsylG"),
        ("AsylG", "AsylG"),
        ("AuslG", "AuslG"),
    ];
    let (law, tag) = laws.iter().find(|(l, _)| text.contains(l))?;
    if *tag == "F" {
        return Some("FreizügG/EU".into());
    }
    if *tag == "R" {
        return Some("ARB 1/80".into());
    }
    let rest = text.replace(law, " ").replace('§', " ");
    let rest = rest.trim();
    // Paragraph: digits, optionally a letter (possibly after a space).
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    let mut para = String::new();
    while i < chars.len() && chars[i].is_ascii_digit() {
        para.push(chars[i]);
        i += 1;
    }
    if para.is_empty() {
        return None;
    }
    let after = &chars[i..];
    let mut j = 0;
    while j < after.len() && after[j] == ' ' {
        j += 1;
    }
    if j < after.len()
        && after[j].is_ascii_lowercase()
        && (j + 1 == after.len() || !after[j + 1].is_alphabetic())
    {
        para.push(after[j]);
        j += 1;
    }
    let tail: String = after[j..].iter().collect();
    let tail = tail.trim();
    // Absatz: "Abs. 2", "Abs.2", "Absatz 2", "II", "/2", "(2)", ".2", with a letter.
    let roman = [
        ("VIII", 8),
        ("VII", 7),
        ("VI", 6),
        ("IV", 4),
        ("V", 5),
        ("III", 3),
        ("II", 2),
        ("I", 1),
    ];
    let mut abs: Option<String> = None;
    for prefix in ["Absatz ", "Abs. ", "Abs.", "/", "(", "."] {
        if let Some(t) = tail.strip_prefix(prefix) {
            let n: String = t
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if n.starts_with(|c: char| c.is_ascii_digit()) {
                abs = Some(n);
            }
            break;
        }
    }
    if abs.is_none() {
        for (r, n) in roman {
            if let Some(t) = tail.strip_prefix(r) {
                let letter: String = t.chars().take_while(|c| c.is_ascii_lowercase()).collect();
                if t.is_empty() || t.starts_with(' ') || !letter.is_empty() {
                    abs = Some(format!("{n}{letter}"));
                    break;
                }
            }
        }
    }
    let sub = match (*tag, para.as_str()) {
        ("", "23") | ("", "25") => format!("§ {para} Abs. {}", abs.clone()?),
        ("", _) => format!("§ {para}"),
        (t, _) => format!("§ {para} {t}"),
    };
    // § 25 Abs. 2 names Flüchtlingsschutz (Alt. 1) or subsidiärer Schutz (Alt. 2) where the
    // text gives the Alternative.
    let alternative = ["1", "2"].into_iter().find(|n| {
        text.contains(&format!("Alt. {n}")) || text.contains(&format!("Alternative {n}"))
    });
    Some(match (sub.as_str(), alternative) {
        ("§ 26", _) if matches!(abs.as_deref(), Some("3" | "4")) => {
            "§ 26 Abs. 3, 4 (Niederlassungserlaubnis)".to_owned()
        }
        ("§ 25 Abs. 2", Some("1")) => "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)".to_owned(),
        ("§ 25 Abs. 2", Some(_)) => "§ 25 Abs. 2 Alt. 2 (subsidiärer Schutz)".to_owned(),
        _ => sub,
    })
}

fn category_of(sub: &str) -> &'static str {
    match sub {
        "§ 63a AsylG" => "Ankunftsnachweis",
        "§ 55 AsylG" => "Gestattung",
        "§ 60a" | "§ 60b" | "§ 60c" | "§ 60d" | "§ 55 AuslG" => "Duldung",
        "§ 50" | "§ 58" => "sonstige",
        "§ 81" => "nicht zugeordnet",
        "§ 22" | "§ 23a" | "§ 24" | "§ 25a" | "§ 25b" | "§ 26" | "§ 104c" | "§ 30 AuslG" => {
            "Humanitaer"
        }
        s if s.starts_with("§ 23 Abs.")
            || s.starts_with("§ 25 Abs.")
            || s.starts_with("§ 26 Abs.") =>
        {
            "Humanitaer"
        }
        _ => "kein Fluechtling",
    }
}

#[test]
fn alw_categories_match_an_independent_reading_of_the_legal_basis() {
    let out = tiny();
    let mut categories = BTreeSet::new();
    let mut subs = BTreeSet::new();
    for r in truth_table(out, "truth/alw_records.csv") {
        let parsed = parse_legal(&r["legal_basis"]);
        if r["spelling"] == "unparsable" {
            assert_eq!(
                parsed, None,
                "{:?} flagged unparsable but reads",
                r["legal_basis"]
            );
            continue;
        }
        let sub = parsed.unwrap_or_else(|| panic!("cannot read {:?}", r["legal_basis"]));
        assert_eq!(sub, r["sub_category"], "{:?}", r["legal_basis"]);
        assert_eq!(category_of(&sub), r["category"], "{:?}", r["legal_basis"]);
        categories.insert(r["category"].clone());
        subs.insert(sub);
    }
    for c in [
        "Ankunftsnachweis",
        "Gestattung",
        "Duldung",
        "Humanitaer",
        "sonstige",
        "kein Fluechtling",
    ] {
        assert!(categories.contains(c), "no record of category {c}");
    }
    for s in [
        "§ 25 Abs. 1",
        "§ 25 Abs. 2",
        "§ 25 Abs. 3",
        "§ 25 Abs. 5",
        "§ 23 Abs. 1",
        "§ 24",
        "§ 104c",
        "§ 60a",
        "§ 60b",
        "§ 60c",
        "§ 60d",
        "§ 22",
        "§ 23 Abs. 2",
        "§ 23 Abs. 4",
        "§ 23a",
        "§ 25 Abs. 4",
        "§ 25 Abs. 4a",
        "§ 25 Abs. 4b",
        "§ 25a",
        "§ 25b",
        "§ 26 Abs. 3, 4 (Niederlassungserlaubnis)",
        "§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)",
        "§ 25 Abs. 2 Alt. 2 (subsidiärer Schutz)",
        "§ 55 AuslG",
        "§ 30 AuslG",
    ] {
        assert!(subs.contains(s), "no record with sub-category {s}");
    }
}

/// `JJJJ-MM` from a file name (`_2017-11`, `201711`, `11_2017`).
fn month_from_name(name: &str) -> Option<String> {
    let s: Vec<char> = name.chars().collect();
    for i in 0..s.len() {
        let take = |a: usize, n: usize| -> Option<String> {
            let t: String = s.get(a..a + n)?.iter().collect();
            t.chars().all(|c| c.is_ascii_digit()).then_some(t)
        };
        if let (Some(y), Some('-'), Some(m)) = (take(i, 4), s.get(i + 4), take(i + 5, 2)) {
            return Some(format!("{y}-{m}"));
        }
        if let (Some(m), Some('_'), Some(y)) = (take(i, 2), s.get(i + 2), take(i + 3, 4)) {
            return Some(format!("{y}-{m}"));
        }
        if let Some(ym) = take(i, 6) {
            return Some(format!("{}-{}", &ym[..4], &ym[4..]));
        }
    }
    None
}

#[test]
fn the_monthly_asylblg_series_recomputes_from_the_akdn_exports() {
    let out = tiny();
    let rec = records(out);
    let pks: toml::Value =
        toml::from_str(include_str!("../../core/data/pks_example.toml")).expect("toml");
    // Code -> (status group, benefit, the column an entry names with `spalte`).
    let mut code_info: BTreeMap<String, (String, String, Option<String>)> = BTreeMap::new();
    for p in pks["pks"].as_array().expect("pks") {
        code_info.insert(
            p["code"].as_str().unwrap_or("").to_string(),
            (
                p["status_group"].as_str().unwrap_or("").to_string(),
                p["benefit"].as_str().unwrap_or("").to_string(),
                p.get("spalte").and_then(|s| s.as_str()).map(str::to_string),
            ),
        );
    }
    // month -> person -> PKS; month -> cases
    let mut persons: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut cases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
            .expect("PKS column");
        let case_col = e
            .header
            .iter()
            .position(|h| {
                matches!(
                    h.as_str(),
                    "Aktenzeichen" | "Fallnummer" | "Fall-Nr." | "Az."
                )
            })
            .expect("case column");
        let month_col = e.header.iter().position(|h| h == "Berichtsmonat");
        let name = e.path.rsplit('/').next().unwrap_or("");
        for (sheet, row, cells) in data_rows(out, e) {
            let month = match month_col {
                Some(c) => {
                    let (m, y) = cells[c].split_once('/').expect("MM/JJJJ");
                    format!("{y}-{m}")
                }
                None => month_from_name(name).expect("month in file name"),
            };
            let t = &rec[&(e.path.clone(), sheet, row)];
            let code = cells[pks_col].clone();
            let prev = persons
                .entry(month.clone())
                .or_default()
                .insert(t["person_id"].clone(), code.clone());
            if let Some(prev) = prev {
                assert_eq!(prev, code, "a person has one PKS per month");
            }
            cases
                .entry(month)
                .or_default()
                .insert(cells[case_col].clone());
        }
    }
    let table = truth_table(out, "truth/asylblg_monthly.csv");
    let truth_months: BTreeSet<String> = table
        .iter()
        .map(|r| {
            let p: Vec<&str> = r["monat"].split('.').collect();
            format!("{}-{}", p[2], p[1])
        })
        .collect();
    for m in persons.keys() {
        assert!(
            truth_months.contains(m),
            "month {m} of the exports missing in the truth"
        );
    }
    let mut nonzero = 0;
    for r in &table {
        let (d, m, y) = {
            let p: Vec<&str> = r["monat"].split('.').collect();
            (p[0], p[1], p[2])
        };
        assert_eq!(d, "01");
        let month = format!("{y}-{m}");
        let mut n: BTreeMap<&str, u64> = BTreeMap::new();
        for code in persons
            .get(&month)
            .map(|m| m.values().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let (group, benefit, given) = &code_info[code];
            let col = match (given.as_deref(), group.as_str(), benefit.as_str()) {
                (Some(col), _, _) => col,
                (None, "Geduldete", "§2") => "p2_geduldete",
                (None, "Asylbewerber", "§2") => "p2_asylbewerber",
                (None, "Asylbewerber", "§3") => "p3_asylbewerber",
                (None, "Geduldete", "§3") => "p3_geduldete",
                _ => "sonstige",
            };
            *n.entry(col).or_default() += 1;
        }
        let get = |k: &str| r[k].parse::<u64>().expect("number");
        for k in [
            "p2_geduldete",
            "p2_asylbewerber",
            "p3_asylbewerber",
            "p3_geduldete",
            "sonstige",
        ] {
            assert_eq!(n.get(k).copied().unwrap_or(0), get(k), "{month} {k}");
        }
        assert_eq!(
            get("geduldete_gesamt"),
            get("p2_geduldete") + get("p3_geduldete") + get("sonstige")
        );
        assert_eq!(
            get("asylbewerber_gesamt"),
            get("p2_asylbewerber") + get("p3_asylbewerber")
        );
        assert_eq!(
            get("insgesamt"),
            get("geduldete_gesamt") + get("asylbewerber_gesamt")
        );
        assert_eq!(
            get("faelle"),
            cases.get(&month).map_or(0, |c| c.len() as u64),
            "{month} cases"
        );
        if get("insgesamt") > 0 {
            nonzero += 1;
        }
    }
    assert!(nonzero > 150, "{nonzero} months with recipients");
    // Every PKS code of the example mapping occurs in some month.
    let used: BTreeSet<&String> = persons.values().flat_map(|m| m.values()).collect();
    for code in code_info.keys() {
        assert!(used.contains(code), "PKS {code} never used");
    }
}

#[test]
fn population_by_stadtbezirk_recomputes_from_the_meldewesen_export() {
    let out = tiny();
    let rec = records(out);
    let addr = addresses(out);
    let e = entry(|e| e.source == SourceKind::Meldewesen && e.header_variant == "A");
    let mut seen = BTreeSet::new();
    let mut by_bezirk: BTreeMap<String, u64> = BTreeMap::new();
    for (sheet, row, cells) in data_rows(out, e) {
        let status = &cells[col(e, "Wohnungsstatus")];
        if !cells[col(e, "Abmeldedatum")].is_empty() || !(status == "H" || status == "A") {
            continue;
        }
        let t = &rec[&(e.path.clone(), sheet, row)];
        if seen.insert(t["person_id"].clone()) {
            *by_bezirk
                .entry(addr[&t["address_id"]]["stadtbezirk_nr"].clone())
                .or_default() += 1;
        }
    }
    let truth: BTreeMap<String, u64> = truth_table(out, "truth/population_by_stadtbezirk.csv")
        .into_iter()
        .filter(|r| r["stichtag"] == "2026-10-31")
        .map(|r| {
            (
                r["stadtbezirk_nr"].clone(),
                r["persons"].parse().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(by_bezirk, truth);
    assert_eq!(truth.len(), 5);
}

#[test]
fn refugees_by_category_and_stadtteil_recompute_from_the_alw_export() {
    let out = tiny();
    let rec = records(out);
    let addr = addresses(out);
    let e = entry(|e| e.source == SourceKind::Alw && e.header_variant == "A");
    let alw: BTreeMap<(String, String, u32), BTreeMap<String, String>> =
        truth_table(out, "truth/alw_records.csv")
            .into_iter()
            .filter(|r| r["file"] == e.path)
            .map(|r| {
                (
                    (
                        r["file"].clone(),
                        r["sheet"].clone(),
                        r["row"].parse().unwrap_or(0),
                    ),
                    r,
                )
            })
            .collect();
    let mut counted: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (sheet, row, _) in data_rows(out, e) {
        let key = (e.path.clone(), sheet, row);
        let a = &alw[&key];
        let stadtteil = addr[&rec[&key]["address_id"]]["stadtteil_nr"].clone();
        counted
            .entry((stadtteil, a["category"].clone()))
            .or_default()
            .insert(a["person_id"].clone());
    }
    let mut total_refugees = 0;
    for r in truth_table(out, "truth/refugees_by_category_stadtteil.csv") {
        let n = counted
            .get(&(r["stadtteil_nr"].clone(), r["category"].clone()))
            .map_or(0, BTreeSet::len);
        assert_eq!(
            n.to_string(),
            r["persons_register"],
            "{} {}",
            r["stadtteil"],
            r["category"]
        );
        assert!(r["persons_resident"].parse::<u64>().unwrap_or(0) <= n as u64);
        if matches!(
            r["category"].as_str(),
            "Ankunftsnachweis" | "Gestattung" | "Duldung" | "Humanitaer"
        ) {
            total_refugees += n;
        }
    }
    assert!(total_refugees > 30, "{total_refugees}");
}

#[test]
fn truth_ids_resolve_and_addresses_agree() {
    let out = tiny();
    let people = persons(out);
    let addr = addresses(out);
    for ((file, _, row), r) in records(out) {
        assert!(people.contains_key(&r["person_id"]), "{file} {row}");
        if !r["address_id"].is_empty() {
            assert_eq!(
                addr[&r["address_id"]]["baublock"], r["baublock"],
                "{file} {row}"
            );
            if r["noise"].contains("unmatched_address") {
                assert_eq!(addr[&r["address_id"]]["in_gliederung"], "0");
            }
        }
    }
    for h in truth_table(out, "truth/status_history.csv") {
        assert!(people.contains_key(&h["person_id"]));
    }
}

#[test]
fn the_legal_reader_of_this_test_is_strict() {
    assert_eq!(
        parse_legal("§ 25 Abs. 2 S. 1 Alt. 1 AufenthG").as_deref(),
        Some("§ 25 Abs. 2 Alt. 1 (Flüchtlingsschutz)")
    );
    assert_eq!(
        parse_legal("25 II AufenthG").as_deref(),
        Some("§ 25 Abs. 2")
    );
    assert_eq!(
        parse_legal("§ 26 Abs. 4 AufenthG").as_deref(),
        Some("§ 26 Abs. 3, 4 (Niederlassungserlaubnis)")
    );
    assert_eq!(
        parse_legal("25 IVa AufenthG").as_deref(),
        Some("§ 25 Abs. 4a")
    );
    assert_eq!(parse_legal("60 a AufenthG").as_deref(), Some("§ 60a"));
    assert_eq!(parse_legal("AufenthG 25/5").as_deref(), Some("§ 25 Abs. 5"));
    assert_eq!(parse_legal("§ 55 AsylVfG").as_deref(), Some("§ 55 AsylG"));
    assert_eq!(parse_legal("siehe Akte"), None);
    assert_eq!(parse_legal("§ 25 AufenthG"), None);
    assert_eq!(
        month_from_name("AKDN_AsylbLG_201911.xlsx").as_deref(),
        Some("2019-11")
    );
    assert_eq!(
        month_from_name("AsylbLG_Export_03_2022.xlsx").as_deref(),
        Some("2022-03")
    );
    assert_eq!(
        month_from_name("AKDN_AsylbLG_2017-11.xls").as_deref(),
        Some("2017-11")
    );
}
