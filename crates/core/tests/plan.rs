//! The publication planner: tables the office's rule would blank become coarser tables that
//! pass, with everybody still counted.

use lagebild_core::protect::plan::plan;
use lagebild_core::protect::{
    ProtectionMode, ProtectionSettings, Published, TableDesign, Threshold, protect,
};
use lagebild_core::tabulate::recode::{Recode, recode};
use lagebild_core::tabulate::{
    AxisDef, CategoryDef, DimensionDef, LevelDef, Role, Table, TableDef, ValueKind,
};
use proptest::prelude::*;

fn def(rows: &str, columns: &str) -> TableDef {
    TableDef {
        key: "t".into(),
        title: "Geflüchtete nach Kategorie und Stadtteil".into(),
        sheet: None,
        value: ValueKind::Persons,
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new(rows).with_total("Stadt insgesamt")],
        columns: vec![AxisDef::new(columns).with_total("Insgesamt")],
        derived: vec![],
        notes: vec![],
    }
}

/// Stadtbezirke > Stadtteile, as `(bezirk, [(stadtteil key, label)])`.
fn raum(bezirke: &[(&str, &[(&str, &str)])]) -> DimensionDef {
    DimensionDef {
        key: "raum".into(),
        label: "Gebiet".into(),
        levels: vec![
            LevelDef {
                key: "bezirk".into(),
                label: "Stadtbezirk".into(),
                categories: bezirke
                    .iter()
                    .map(|(b, _)| CategoryDef::new(*b, format!("Bezirk {b}")))
                    .collect(),
            },
            LevelDef {
                key: "stadtteil".into(),
                label: "Stadtteil".into(),
                categories: bezirke
                    .iter()
                    .flat_map(|(b, teile)| {
                        teile
                            .iter()
                            .map(move |(k, l)| CategoryDef::child(*k, *l, *b))
                    })
                    .collect(),
            },
        ],
        sums: vec![],
    }
}

/// Two categories, Gestattung (`G`) and Duldung (`D`).
fn gestattung_duldung() -> DimensionDef {
    DimensionDef::flat(
        "kategorie",
        "Kategorie",
        &[("G", "Gestattung"), ("D", "Duldung")],
    )
}

/// Counts `cells` = `(stadtteil, kategorie, persons)` into the table.
fn table(raum: &DimensionDef, kategorie: &DimensionDef, cells: &[(&str, &str, u64)]) -> Table {
    let mut builder = Table::builder(
        &def("raum", "kategorie"),
        &[raum.clone(), kategorie.clone()],
    )
    .expect("definition");
    for (teil, kat, n) in cells {
        builder.add_count(&[*teil, *kat], *n).expect("keys");
    }
    builder.finish()
}

/// The office's rule on a table as it is, without planning.
fn tabelle() -> ProtectionSettings {
    ProtectionSettings {
        mode: ProtectionMode::Tabelle,
        threshold: Threshold::default(),
        design: TableDesign::Original,
    }
}

fn grand_total(table: &Table) -> Option<u64> {
    table.cell(table.n_rows() - 1, table.n_cols() - 1)
}

fn no_sensitive_cell(table: &Table) -> bool {
    table.cells().iter().all(|v| !matches!(v, Some(1 | 2)))
}

#[test]
fn small_neighbouring_stadtteile_are_merged_and_the_table_publishes() {
    let raum = raum(&[
        ("1", &[("11", "Altstadt"), ("12", "Bismarck")]),
        ("5", &[("51", "Buer"), ("52", "Scholven"), ("53", "Hassel")]),
    ]);
    let kategorie = gestattung_duldung();
    let original = table(
        &raum,
        &kategorie,
        &[
            ("11", "G", 40),
            ("11", "D", 12),
            ("12", "G", 25),
            ("12", "D", 9),
            ("51", "G", 30),
            ("51", "D", 7),
            ("52", "G", 2),
            ("52", "D", 1),
            ("53", "G", 6),
            ("53", "D", 4),
        ],
    );
    // The office's rule blanks the original design.
    let blanked = protect(original.clone(), &tabelle());
    assert!(blanked.report().all_suppressed);

    let planned = plan(&original, Threshold::default());
    assert!(planned.passes);
    assert!(no_sensitive_cell(&planned.table));
    assert_eq!(grand_total(&planned.table), grand_total(&original));
    assert_eq!(
        planned.merges,
        vec!["Scholven und Hassel zusammengefasst".to_string()]
    );
    // Only the two small Stadtteile lost their own rows: 10 -> 8 published inner cells.
    assert_eq!(planned.information, (8, 8));
    let published = protect(planned.table.clone(), &tabelle());
    assert!(!published.report().all_suppressed);
    // With planned designs the protection step plans by itself and says so.
    let planned_settings = ProtectionSettings {
        design: TableDesign::Geplant,
        ..ProtectionSettings::default()
    };
    let by_default = protect(original.clone(), &planned_settings);
    assert!(!by_default.report().all_suppressed);
    assert_eq!(by_default.report().recoded, planned.merges);
    let text = by_default.report().text();
    assert!(
        text.contains("vergröbert: Scholven und Hassel zusammengefasst."),
        "{text}"
    );
    let labels: Vec<&str> = (0..published.n_rows())
        .map(|r| published.row_positions(r)[0].label.as_str())
        .collect();
    assert!(labels.contains(&"Scholven und Hassel"), "{labels:?}");
    let merged = labels
        .iter()
        .position(|l| *l == "Scholven und Hassel")
        .unwrap();
    assert_eq!(published.cell(merged, 0), Published::Value(8));
    assert_eq!(published.cell(merged, 1), Published::Value(5));
}

#[test]
fn a_stadtteil_alone_in_its_bezirk_goes_up_with_the_bezirke() {
    let raum = raum(&[
        ("1", &[("11", "Altstadt"), ("12", "Bismarck")]),
        ("2", &[("21", "Horst")]),
        ("3", &[("31", "Erle")]),
    ]);
    let kategorie = DimensionDef::flat("kategorie", "Kategorie", &[("G", "Gestattung")]);
    let original = table(
        &raum,
        &kategorie,
        &[
            ("11", "G", 40),
            ("12", "G", 25),
            ("21", "G", 2),
            ("31", "G", 9),
        ],
    );
    let planned = plan(&original, Threshold::default());
    assert!(planned.passes);
    assert!(no_sensitive_cell(&planned.table));
    assert_eq!(grand_total(&planned.table), Some(76));
}

#[test]
fn a_grand_total_of_two_cannot_be_planned_and_stays_blanked() {
    let raum = raum(&[("1", &[("11", "Altstadt"), ("12", "Bismarck")])]);
    let kategorie = DimensionDef::flat("kategorie", "Kategorie", &[("G", "Gestattung")]);
    let original = table(&raum, &kategorie, &[("11", "G", 1), ("12", "G", 1)]);
    let planned = plan(&original, Threshold::default());
    assert!(!planned.passes);
    assert!(planned.steps.is_empty());
    assert_eq!(planned.table, original);
}

#[test]
fn a_technical_row_no_merge_can_fix_leaves_only_the_total_of_one_axis() {
    // As AKDN recipients at city scale: the addresses without a match hold one person of a
    // non-refugee category, who can merge neither with a real area nor across the named sum.
    let bezirk = |b: &str| format!("bz:{b}");
    let teil = |t: &str| format!("st:{t}");
    let raum = raum(&[
        (
            &bezirk("1"),
            &[(&teil("11"), "Altstadt"), (&teil("12"), "Bismarck")],
        ),
        (
            &bezirk("ohne"),
            &[(&teil("ohne"), "Adresse nicht zugeordnet")],
        ),
    ]);
    let kategorie = DimensionDef::flat(
        "kategorie",
        "Kategorie",
        &[("G", "Gestattung"), ("D", "Duldung"), ("S", "sonstige")],
    )
    .with_sum("gefluechtete", "Geflüchtete zusammen", &["G", "D"]);
    let cells = [
        (teil("11"), "G", 40),
        (teil("11"), "D", 12),
        (teil("11"), "S", 7),
        (teil("12"), "G", 25),
        (teil("12"), "D", 9),
        (teil("12"), "S", 6),
        (teil("ohne"), "G", 1),
        (teil("ohne"), "D", 3),
        (teil("ohne"), "S", 1),
    ];
    let cells: Vec<(&str, &str, u64)> =
        cells.iter().map(|(t, k, n)| (t.as_str(), *k, *n)).collect();
    let original = table(&raum, &kategorie, &cells);
    let planned = plan(&original, Threshold::default());
    assert!(planned.passes);
    assert!(no_sensitive_cell(&planned.table));
    assert_eq!(grand_total(&planned.table), Some(104));
    let aggregated: Vec<&str> = planned
        .steps
        .iter()
        .filter(|s| matches!(s, Recode::Aggregate { .. }))
        .map(Recode::dimension)
        .collect();
    assert_eq!(aggregated.len(), 1, "{:?}", planned.steps);
    assert!(
        planned.merges.iter().any(|m| m.contains("nur die Summe")),
        "{:?}",
        planned.merges
    );
    // The axis kept carries its categories, with their numbers: the loss measure counts them.
    assert!(planned.information.1 > 0);
    let published = protect(planned.table.clone(), &tabelle());
    assert!(!published.report().all_suppressed);
}

#[test]
fn recoding_keeps_every_margin() {
    let raum = raum(&[
        ("1", &[("11", "Altstadt"), ("12", "Bismarck")]),
        ("2", &[("21", "Horst"), ("22", "Beckhausen")]),
    ]);
    let kategorie = gestattung_duldung();
    let original = table(
        &raum,
        &kategorie,
        &[
            ("11", "G", 4),
            ("12", "D", 1),
            ("21", "G", 7),
            ("22", "D", 3),
        ],
    );
    let merged = recode(
        &original,
        &Recode::Merge {
            dimension: "raum".into(),
            first: "11".into(),
            second: "12".into(),
        },
    )
    .unwrap();
    assert_eq!(merged.n_rows(), original.n_rows() - 1);
    assert_eq!(merged.row_positions(1)[0].label, "Altstadt und Bismarck");
    assert_eq!(merged.cell(1, 0), Some(4));
    assert_eq!(merged.cell(1, 1), Some(1));
    relations_hold(&merged);
    // Stadtteile of different Stadtbezirke are no neighbours.
    assert!(
        recode(
            &original,
            &Recode::Merge {
                dimension: "raum".into(),
                first: "12".into(),
                second: "21".into(),
            },
        )
        .is_err()
    );
    let collapsed = recode(
        &original,
        &Recode::Collapse {
            dimension: "raum".into(),
        },
    )
    .unwrap();
    // Bezirk 1, Bezirk 2, total.
    assert_eq!(collapsed.n_rows(), 3);
    assert_eq!(collapsed.row_positions(0)[0].role, Role::Category);
    assert_eq!(collapsed.cell(0, 2), Some(5));
    relations_hold(&collapsed);
}

/// The sum of the inner cells: categories on every axis, the total on an axis reduced to it.
fn inner_sum(table: &Table) -> u64 {
    let inner = |positions: &dyn Fn(usize) -> Vec<Role>, n: usize, i: usize| {
        let only_total = (0..n).all(|j| positions(j).iter().all(|r| *r == Role::Total));
        positions(i)
            .iter()
            .all(|r| *r == Role::Category || (only_total && *r == Role::Total))
    };
    let rows = |r: usize| table.row_positions(r).iter().map(|p| p.role).collect();
    let cols = |c: usize| table.column_positions(c).iter().map(|p| p.role).collect();
    (0..table.n_rows())
        .flat_map(|r| (0..table.n_cols()).map(move |c| (r, c)))
        .filter(|&(r, c)| inner(&rows, table.n_rows(), r) && inner(&cols, table.n_cols(), c))
        .filter_map(|(r, c)| table.cell(r, c))
        .sum()
}

fn relations_hold(table: &Table) {
    for rel in table.relations() {
        let total = table.cells()[rel.total];
        let parts: Option<u64> = rel.parts.iter().map(|&p| table.cells()[p]).sum();
        assert_eq!(total, parts, "{rel:?}");
    }
}

/// A random city: 1-4 Stadtbezirke with 1-4 Stadtteile each, 1-4 categories, small counts;
/// with `true` the last Stadtbezirk is the technical row (addresses without a match) and the
/// first two categories form a named sum.
fn city() -> impl Strategy<Value = (Vec<usize>, usize, bool, Vec<u64>)> {
    (
        prop::collection::vec(1usize..=4, 1..=4),
        1usize..=4,
        any::<bool>(),
    )
        .prop_flat_map(|(mut teile, categories, technical)| {
            let technical = technical && teile.len() > 1 && categories > 2;
            if technical {
                *teile.last_mut().expect("a Stadtbezirk") = 1;
            }
            let cells = teile.iter().sum::<usize>() * categories;
            (
                Just(teile),
                Just(categories),
                Just(technical),
                prop::collection::vec(prop_oneof![3 => 0u64..=3, 1 => 0u64..=40], cells),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any table the rule would blank: the plan passes whenever the grand total is not 1 or 2,
    /// no cell or sum of it is 1 or 2, every person is still counted, and its margins add up.
    #[test]
    fn planned_tables_pass_and_count_everybody((teile, categories, technical, counts) in city()) {
        let keys: Vec<(String, Vec<(String, String)>)> = teile
            .iter()
            .enumerate()
            .map(|(b, &n)| {
                if technical && b + 1 == teile.len() {
                    return (
                        "bz:ohne".to_string(),
                        vec![("st:ohne".to_string(), "Adresse nicht zugeordnet".to_string())],
                    );
                }
                (
                    format!("bz:{b}"),
                    (0..n).map(|t| (format!("st:{b}{t}"), format!("Teil {b}{t}"))).collect(),
                )
            })
            .collect();
        let borrowed: Vec<(&str, Vec<(&str, &str)>)> = keys
            .iter()
            .map(|(b, ts)| (b.as_str(), ts.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect()))
            .collect();
        let bezirke: Vec<(&str, &[(&str, &str)])> =
            borrowed.iter().map(|(b, ts)| (*b, ts.as_slice())).collect();
        let raum = raum(&bezirke);
        let cats: Vec<(String, String)> =
            (0..categories).map(|c| (format!("K{c}"), format!("Kategorie {c}"))).collect();
        let cats: Vec<(&str, &str)> = cats.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
        let mut kategorie = DimensionDef::flat("kategorie", "Kategorie", &cats);
        if technical {
            kategorie = kategorie.with_sum("gefluechtete", "Geflüchtete zusammen", &[cats[0].0, cats[1].0]);
        }
        let teil_keys: Vec<&str> = borrowed.iter().flat_map(|(_, ts)| ts.iter().map(|(k, _)| *k)).collect();
        let mut cells = Vec::new();
        for (i, teil) in teil_keys.iter().enumerate() {
            for (c, (kat, _)) in cats.iter().enumerate() {
                cells.push((*teil, *kat, counts[i * categories + c]));
            }
        }
        let original = table(&raum, &kategorie, &cells);
        let total: u64 = counts.iter().sum();
        let planned = plan(&original, Threshold::default());
        prop_assert_eq!(planned.passes, !matches!(total, 1 | 2));
        if planned.passes {
            prop_assert!(no_sensitive_cell(&planned.table));
            prop_assert_eq!(grand_total(&planned.table), Some(total));
            prop_assert_eq!(inner_sum(&planned.table), total);
            relations_hold(&planned.table);
        }
    }
}

/// Age groups and years of arrival have an order: the planner merges a small group with its
/// neighbours ("unter 3 Jahre und 3 bis unter 6 Jahre"), never with the smallest group
/// elsewhere (the 80-year-olds), and leaves "unbekannt" last.
#[test]
fn ages_and_years_merge_only_with_their_neighbours() {
    let raum = raum(&[("1", &[("11", "Altstadt"), ("12", "Bismarck")])]);
    let ages = DimensionDef::flat(
        "alter",
        "Altersgruppe",
        &[
            ("a00", "unter 3 Jahre"),
            ("a01", "3 bis unter 6 Jahre"),
            ("a02", "6 bis unter 18 Jahre"),
            ("a03", "18 bis unter 80 Jahre"),
            ("a04", "80 Jahre und älter"),
            ("unbekannt", "Alter unbekannt"),
        ],
    );
    let years = DimensionDef::flat(
        "jahr",
        "Einreisejahr",
        &[
            ("frueher", "vor 2015"),
            ("j2015", "2015"),
            ("j2016", "2016"),
            ("j2017", "2017"),
            ("j2018", "2018"),
            ("unbekannt", "Einreise unbekannt"),
        ],
    );
    for dimension in [ages, years] {
        let keys: Vec<String> = dimension.levels[0]
            .categories
            .iter()
            .map(|c| c.key.clone())
            .collect();
        // The first group has a 1 in Altstadt; the fifth is the smallest elsewhere.
        let mut cells: Vec<(&str, &str, u64)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let (altstadt, bismarck) = match i {
                0 => (1, 9),
                4 => (3, 3),
                _ => (20, 30),
            };
            cells.push(("11", k, altstadt));
            cells.push(("12", k, bismarck));
        }
        let mut builder = Table::builder(
            &def("raum", &dimension.key),
            &[raum.clone(), dimension.clone()],
        )
        .expect("definition");
        for (teil, k, n) in &cells {
            builder.add_count(&[*teil, *k], *n).expect("keys");
        }
        let original = builder.finish();
        let planned = plan(&original, Threshold::default());
        assert!(planned.passes, "{}", dimension.key);
        let merged: Vec<Vec<usize>> = planned.table.column_axes()[0]
            .positions()
            .iter()
            .filter(|p| p.role == Role::Category)
            .map(|p| {
                p.key
                    .split('+')
                    .map(|k| keys.iter().position(|x| x == k).expect("key"))
                    .collect()
            })
            .collect();
        let first = merged.iter().find(|m| m.contains(&0)).expect("first");
        assert!(first.len() > 1, "{}: {merged:?}", dimension.key);
        for group in &merged {
            let (lo, hi) = (group.iter().min(), group.iter().max());
            let span = hi.zip(lo).map_or(0, |(h, l)| h - l + 1);
            assert_eq!(span, group.len(), "{}: {merged:?}", dimension.key);
        }
    }
}
