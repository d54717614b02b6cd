//! The noise knobs: off means clean, each rate controls its own kind of noise.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{col, data_rows, records, tiny, tiny_clean, truth_table};
use lagebild_synth::{Config, Noise, Output, Scale, SourceKind, generate};

fn file<'a>(out: &'a Output, kind: SourceKind, variant: &str) -> &'a lagebild_synth::FileEntry {
    out.manifest
        .files
        .iter()
        .find(|e| e.source == kind && e.header_variant == variant)
        .expect("file")
}

#[test]
fn without_noise_records_are_clean_and_unique() {
    let out = tiny_clean();
    for ((file, _, row), r) in records(out) {
        for kind in r["noise"].split('|').filter(|k| !k.is_empty()) {
            // Only what Windows-1252 forces remains (a transliteration, never '?').
            assert_eq!(kind, "cp1252_transliterated", "{file} row {row}");
        }
    }
    assert!(
        truth_table(out, "truth/alw_records.csv")
            .iter()
            .all(|r| r["spelling"] == "ok" && r["stale"] == "0")
    );
    assert!(
        truth_table(out, "truth/addresses.csv")
            .iter()
            .all(|a| a["in_gliederung"] == "1")
    );
    assert!(
        truth_table(out, "truth/persons.csv")
            .iter()
            .all(|p| p["birth_precision"] == "full")
    );
    let rec = records(out);
    for e in out.manifest.files.iter().filter(|e| {
        matches!(e.source, SourceKind::Meldewesen | SourceKind::Alw) && e.header_variant != "C"
    }) {
        let mut seen = BTreeSet::new();
        for ((f, _, _), r) in rec.iter().filter(|((f, _, _), _)| *f == e.path) {
            assert!(seen.insert(r["person_id"].clone()), "{f}: person twice");
        }
    }
}

#[test]
fn each_rate_controls_its_noise() {
    let mut config = Config::new(Scale::Tiny);
    config.noise = Noise::none();
    for (name, rate) in [
        ("typo", 0.5),
        ("duplicate", 0.2),
        ("legal_basis_unparsable", 0.5),
        ("street_abbreviated", 0.5),
    ] {
        assert!(config.noise.set(name, rate));
    }
    let out = generate(&config).expect("noisy city");
    let rec = records(&out);
    let e = file(&out, SourceKind::Meldewesen, "A");
    let rows: Vec<&BTreeMap<String, String>> = rec
        .iter()
        .filter(|((f, _, _), _)| *f == e.path)
        .map(|(_, r)| r)
        .collect();
    let share =
        |k: &str| rows.iter().filter(|r| r["noise"].contains(k)).count() as f64 / rows.len() as f64;
    assert!(
        (0.35..0.65).contains(&share("typo")),
        "typo {}",
        share("typo")
    );
    assert!(
        (0.10..0.30).contains(&share("duplicate")),
        "duplicate {}",
        share("duplicate")
    );
    assert_eq!(share("transliteration"), 0.0);
    assert_eq!(share("umlauts_written_out"), 0.0);
    // Street abbreviations: among records on a "…straße".
    let addr = common::addresses(&out);
    let on_strasse: Vec<_> = rows
        .iter()
        .filter(|r| {
            addr[&r["address_id"]]["street"]
                .to_lowercase()
                .ends_with("straße")
        })
        .collect();
    let abbreviated = on_strasse
        .iter()
        .filter(|r| r["noise"].contains("street_abbreviated"))
        .count();
    let s = abbreviated as f64 / on_strasse.len() as f64;
    assert!((0.3..0.7).contains(&s), "street_abbreviated {s}");
    // The abbreviation is in the file.
    for (_, row, cells) in data_rows(&out, e) {
        let r = &rec[&(e.path.clone(), String::new(), row)];
        if r["noise"].contains("street_abbreviated") {
            assert!(
                cells[col(e, "Straße")].ends_with("str.")
                    || cells[col(e, "Straße")].ends_with("Str.")
            );
        }
    }
    let alw = truth_table(&out, "truth/alw_records.csv");
    let u = alw.iter().filter(|r| r["spelling"] == "unparsable").count() as f64 / alw.len() as f64;
    assert!((0.35..0.65).contains(&u), "unparsable {u}");
}

#[test]
fn default_noise_is_present_but_most_records_are_clean() {
    let out = tiny();
    let rec = records(out);
    let e = file(out, SourceKind::Meldewesen, "A");
    let rows: Vec<_> = rec.iter().filter(|((f, _, _), _)| *f == e.path).collect();
    let noisy =
        rows.iter().filter(|(_, r)| !r["noise"].is_empty()).count() as f64 / rows.len() as f64;
    assert!((0.02..0.5).contains(&noisy), "{noisy}");
    let kinds: BTreeSet<String> = rec
        .values()
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
        "birth_year_only",
        "street_abbreviated",
        "suffix_spacing",
        "legal_basis_variant",
        "legal_basis_unparsable",
        "dropped_given_name",
    ] {
        assert!(kinds.contains(k), "no record with {k}");
    }
}

#[test]
fn rates_outside_zero_to_one_are_refused() {
    let mut config = Config::new(Scale::Tiny);
    config.noise.typo = 1.5;
    assert!(matches!(
        generate(&config),
        Err(lagebild_synth::Error::Config(_))
    ));
    let mut config = Config::new(Scale::Tiny);
    config.stichtag = "2005-01-01".parse().expect("date");
    assert!(generate(&config).is_err());
    assert!(generate(&Config::new(Scale::Metropolis)).is_err());
}
