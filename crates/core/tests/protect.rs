//! Confidentiality: hand-built cases where naive suppression fails, and property tests over
//! random tables in both modes.

use lagebild_core::protect::{
    AppliedRule, ProtectedTable, ProtectionMode, ProtectionSettings, Published, TableDesign,
    Threshold, audit, audit_pattern, protect,
};
use lagebild_core::tabulate::{AxisDef, CategoryDef, DimensionDef, LevelDef, Table, TableDef};
use proptest::prelude::*;

fn keys(prefix: &str, n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("{prefix}{i}"), format!("{prefix} {i}")))
        .collect()
}

fn flat(key: &str, categories: &[(String, String)]) -> DimensionDef {
    let pairs: Vec<(&str, &str)> = categories
        .iter()
        .map(|(k, l)| (k.as_str(), l.as_str()))
        .collect();
    DimensionDef::flat(key, key, &pairs)
}

/// A table with rows `r0..`, columns `c0..` and totals on both; `grouped` puts the rows under
/// two parents with subtotals; `split` adds a second column dimension (w/m) with a total.
fn table(inner: &[Vec<u64>], grouped: bool, split: Option<&[Vec<u64>]>) -> Table {
    let rows = keys("r", inner.len());
    let cols = keys("c", inner[0].len());
    let row_dim = if grouped {
        let half = inner.len().div_ceil(2);
        DimensionDef {
            key: "r".into(),
            label: "Raum".into(),
            levels: vec![
                LevelDef {
                    key: "p".into(),
                    label: "Bezirk".into(),
                    categories: vec![
                        CategoryDef::new("p0", "Bezirk 0"),
                        CategoryDef::new("p1", "Bezirk 1"),
                    ],
                },
                LevelDef {
                    key: "r".into(),
                    label: "Teil".into(),
                    categories: rows
                        .iter()
                        .enumerate()
                        .map(|(i, (k, l))| {
                            CategoryDef::child(
                                k.clone(),
                                l.clone(),
                                if i < half { "p0" } else { "p1" },
                            )
                        })
                        .collect(),
                },
            ],
            sums: vec![],
        }
    } else {
        flat("r", &rows)
    };
    let mut dims = vec![row_dim, flat("c", &cols)];
    let mut columns = vec![AxisDef::new("c").with_total("Insgesamt")];
    if split.is_some() {
        dims.push(flat("g", &keys("g", 2)));
        columns.push(AxisDef::new("g").with_total("zusammen"));
    }
    let def = TableDef {
        key: "t".into(),
        title: "Zufallstabelle".into(),
        sheet: None,
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("r").with_total("Summe")],
        columns,
        derived: vec![],
        notes: vec![],
    };
    let mut b = Table::builder(&def, &dims).unwrap();
    for (r, row) in inner.iter().enumerate() {
        for (c, &n) in row.iter().enumerate() {
            match split {
                None => b.add_count(&[&rows[r].0, &cols[c].0], n).unwrap(),
                Some(second) => {
                    b.add_count(&[&rows[r].0, &cols[c].0, "g0"], n).unwrap();
                    b.add_count(&[&rows[r].0, &cols[c].0, "g1"], second[r][c])
                        .unwrap();
                }
            }
        }
    }
    b.finish()
}

/// A table with three levels of space like the Baublock table: two Bezirke of two Stadtteile
/// each, the Baublöcke (rows of `blocks`) dealt to the Stadtteile in turn; columns `c0..` with
/// a total; every level with its subtotals and a grand total.
fn deep_table(blocks: &[Vec<u64>]) -> Table {
    let block_keys = keys("b", blocks.len());
    let cols = keys("c", blocks[0].len());
    let level = |key: &str, label: &str, categories: Vec<CategoryDef>| LevelDef {
        key: key.into(),
        label: label.into(),
        categories,
    };
    let space = DimensionDef {
        key: "r".into(),
        label: "Raum".into(),
        levels: vec![
            level(
                "bezirk",
                "Bezirk",
                vec![
                    CategoryDef::new("p0", "Bezirk 0"),
                    CategoryDef::new("p1", "Bezirk 1"),
                ],
            ),
            level(
                "teil",
                "Teil",
                (0..4)
                    .map(|t| {
                        CategoryDef::child(
                            format!("t{t}"),
                            format!("Teil {t}"),
                            format!("p{}", t / 2),
                        )
                    })
                    .collect(),
            ),
            level(
                "block",
                "Block",
                block_keys
                    .iter()
                    .enumerate()
                    .map(|(i, (k, l))| {
                        CategoryDef::child(k.clone(), l.clone(), format!("t{}", i % 4))
                    })
                    .collect(),
            ),
        ],
        sums: vec![],
    };
    let def = TableDef {
        key: "tief".into(),
        title: "Zufallstabelle mit drei Ebenen".into(),
        sheet: None,
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("r").with_total("Stadt")],
        columns: vec![AxisDef::new("c").with_total("Insgesamt")],
        derived: vec![],
        notes: vec![],
    };
    let mut b = Table::builder(&def, &[space, flat("c", &cols)]).unwrap();
    for (r, row) in blocks.iter().enumerate() {
        for (c, &n) in row.iter().enumerate() {
            b.add_count(&[&block_keys[r].0, &cols[c].0], n).unwrap();
        }
    }
    b.finish()
}

fn settings(mode: ProtectionMode, threshold: u32) -> ProtectionSettings {
    ProtectionSettings {
        mode,
        threshold: Threshold::new(threshold).unwrap(),
        design: TableDesign::Original,
    }
}

fn suppressed(p: &ProtectedTable) -> Vec<bool> {
    (0..p.n_rows())
        .flat_map(|r| (0..p.n_cols()).map(move |c| (r, c)))
        .map(|(r, c)| p.cell(r, c) == Published::Suppressed)
        .collect()
}

/// Flat index of (row, col) in a table with `n_cols` count columns.
fn at(n_cols: usize, r: usize, c: usize) -> usize {
    r * n_cols + c
}

/// 2 x 2 plus margins, one sensitive cell. Suppressing it alone: the row total gives it away.
/// Suppressing a second cell of its row (the naive "one more per row" rule): the column total
/// still gives it away. The algorithm closes a cycle of four cells; the audit proves it.
#[test]
fn secondary_suppression_that_a_naive_rule_misses() {
    //        c0  c1 | Insgesamt
    // r0      1   5 |  6
    // r1      4   7 | 11
    // r2      6   8 | 14
    // Summe  11  20 | 31
    let t = table(&[vec![1, 5], vec![4, 7], vec![6, 8]], false, None);
    let n = t.n_cols();
    let three = Threshold::default();

    let mut only_primary = vec![false; t.cells().len()];
    only_primary[at(n, 0, 0)] = true;
    let a = audit_pattern(&t, &only_primary, three);
    assert!(!a.passed());
    assert_eq!((a.intervals[0].lower, a.intervals[0].upper), (1.0, 1.0));

    let mut naive = only_primary.clone();
    naive[at(n, 0, 1)] = true; // the smallest other cell of the row
    let a = audit_pattern(&t, &naive, three);
    assert!(
        !a.passed(),
        "the column total c0 still reveals r0/c0: {a:?}"
    );
    assert!(a.intervals.iter().all(|i| (i.upper - i.lower).abs() < 1e-6));

    let p = protect(t.clone(), &settings(ProtectionMode::Zelle, 3));
    assert_eq!(p.report().rule, AppliedRule::CellSuppression);
    assert_eq!((p.report().primary, p.report().secondary), (1, 3));
    let pattern = suppressed(&p);
    for (r, c) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        assert!(pattern[at(n, r, c)], "({r}, {c}) should be suppressed");
    }
    assert_eq!(pattern.iter().filter(|&&s| s).count(), 4);
    assert_eq!(p.cell(3, 2), Published::Value(31));
    let a = audit(&p);
    assert!(a.passed(), "{a:?}");
    // r0/c0 can be anything from 1 to 4 for an attacker (every "." is at least 1).
    assert_eq!((a.intervals[0].lower, a.intervals[0].upper), (1.0, 4.0));
    assert_eq!(
        p.report().text(),
        "Regel angewandt: Zellsperrung (Schwelle 3): Zellen mit einem Wert von 1 oder 2 und \
         weitere Zellen zu ihrem Schutz sind gesperrt („.“); Prüfung bestanden (keine gesperrte \
         Zelle lässt sich aus den veröffentlichten Werten und Summen genauer als auf eine \
         Spanne von 3 eingrenzen)."
    );
}

/// Four sensitive cells forming a cycle: with a floor of 0 none could be recomputed exactly
/// (the criterion of a mere "not recomputable" rule); as every "." is at least 1, each is in
/// fact exactly 1. The algorithm widens the pattern until every interval spans at least 3.
#[test]
fn a_cycle_of_small_cells_is_too_narrow() {
    //        c0  c1  c2 | Insgesamt
    // r0      1   1   5 |  7
    // r1      1   1   6 |  8
    // r2      4   9   7 | 20
    // Suppressing the four small cells alone: r0 gives c0 + c1 = 2, and since every "." is
    // at least 1 (zeros are always shown), each of them is exactly 1.
    let t = table(&[vec![1, 1, 5], vec![1, 1, 6], vec![4, 9, 7]], false, None);
    let n = t.n_cols();
    let mut primaries = vec![false; t.cells().len()];
    for (r, c) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        primaries[at(n, r, c)] = true;
    }
    let a = audit_pattern(&t, &primaries, Threshold::default());
    assert!(!a.passed(), "{a:?}");
    assert!(a.narrowest().abs() < 1e-6, "exactly determined: {a:?}");

    let p = protect(t, &settings(ProtectionMode::Zelle, 3));
    assert_eq!(p.report().rule, AppliedRule::CellSuppression);
    assert_eq!(p.report().primary, 4);
    assert!(p.report().secondary >= 2);
    let a = audit(&p);
    assert!(a.passed(), "{a:?}");
    assert!(a.narrowest() >= 3.0 - 1e-6);
}

/// Zeros are always published as "–", so a reader knows every "." is at least 1. Without
/// that floor, the audit let a pattern pass whose cells are provably 1 or 2 (issue 18).
#[test]
fn every_suppressed_cell_is_known_to_be_at_least_one() {
    //        c0  c1 | Insgesamt
    // r0      1   2 |  3
    // r1      5   6 | 11
    // Insg.   6   8 | 14
    let t = table(&[vec![1, 2], vec![5, 6]], false, None);
    let n = t.n_cols();
    let mut cycle = vec![false; t.cells().len()];
    for (r, c) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        cycle[at(n, r, c)] = true;
    }
    // From 0 upwards r0/c0 could be anything from 0 to 3; from 1 upwards only 1 or 2.
    let a = audit_pattern(&t, &cycle, Threshold::default());
    assert!(!a.passed(), "{a:?}");
    let first = a.intervals[0];
    assert!(
        (first.lower - 1.0).abs() < 1e-6 && (first.upper - 2.0).abs() < 1e-6,
        "{first:?}"
    );

    // Cell suppression finds a pattern that holds against this reader.
    let p = protect(t, &settings(ProtectionMode::Zelle, 3));
    let a = audit(&p);
    assert!(a.passed(), "{a:?}");
    for interval in &a.intervals {
        assert!(interval.lower >= 1.0 - 1e-6, "{interval:?}");
    }
}

/// Hierarchy: a sensitive Stadtteil whose Bezirk subtotal and sibling would give it away.
#[test]
fn secondary_suppression_across_hierarchy_levels() {
    // Bezirk 0: r0, r1; Bezirk 1: r2, r3.
    let t = table(
        &[vec![2, 10], vec![8, 9], vec![7, 6], vec![5, 12]],
        true,
        None,
    );
    let p = protect(t, &settings(ProtectionMode::Zelle, 3));
    assert_eq!(p.report().rule, AppliedRule::CellSuppression);
    let a = audit(&p);
    assert!(a.passed(), "{a:?}");
    assert!(p.report().secondary >= 3);
}

/// Three dimensions (rows x categories x sex) with margins on all of them.
#[test]
fn three_dimensions_are_protected() {
    let women = vec![vec![1, 4, 9], vec![6, 0, 8], vec![3, 5, 2]];
    let men = vec![vec![7, 3, 5], vec![4, 6, 10], vec![0, 8, 9]];
    let t = table(&women, false, Some(&men));
    assert_eq!(t.n_cols(), 4 * 3);
    let p = protect(t, &settings(ProtectionMode::Zelle, 3));
    assert_eq!(p.report().rule, AppliedRule::CellSuppression);
    assert!(audit(&p).passed());
}

fn counts() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(0u64),
        2 => Just(1u64),
        2 => Just(2u64),
        4 => 3u64..25,
    ]
}

#[derive(Debug, Clone)]
struct Case {
    inner: Vec<Vec<u64>>,
    second: Option<Vec<Vec<u64>>>,
    grouped: bool,
    threshold: u32,
}

fn cases() -> impl Strategy<Value = Case> {
    (2usize..=4, 2usize..=5, any::<bool>(), 0u8..4, 3u32..=5).prop_flat_map(
        |(rows, cols, grouped, third, threshold)| {
            let grid =
                move || proptest::collection::vec(proptest::collection::vec(counts(), cols), rows);
            // Every fourth table gets a third dimension (kept small).
            let second = if third == 0 && rows * cols <= 9 {
                grid().prop_map(Some).boxed()
            } else {
                Just(None).boxed()
            };
            (grid(), second).prop_map(move |(inner, second)| Case {
                inner,
                second,
                grouped,
                threshold,
            })
        },
    )
}

fn build(case: &Case) -> Table {
    table(&case.inner, case.grouped, case.second.as_deref())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn tabelle_never_publishes_a_sensitive_count(case in cases()) {
        let t = build(&case);
        let threshold = Threshold::new(case.threshold).unwrap();
        let raw = t.clone();
        let any_sensitive = raw.cells().iter().flatten().any(|&n| threshold.is_sensitive(n));
        let p = protect(t, &settings(ProtectionMode::Tabelle, case.threshold));
        prop_assert_eq!(p.report().all_suppressed, any_sensitive);
        for r in 0..p.n_rows() {
            for c in 0..p.n_cols() {
                let published = p.cell(r, c);
                if let Published::Value(n) = published {
                    prop_assert!(!threshold.is_sensitive(n));
                    prop_assert_eq!(Some(n), raw.cell(r, c));
                }
                if any_sensitive {
                    prop_assert_eq!(published, Published::Suppressed);
                } else if raw.cell(r, c) == Some(0) {
                    prop_assert_eq!(published, Published::Zero);
                }
            }
        }
    }

    #[test]
    fn zelle_never_publishes_a_sensitive_count_and_passes_the_audit(case in cases()) {
        let t = build(&case);
        let threshold = Threshold::new(case.threshold).unwrap();
        let raw = t.clone();
        let p = protect(t, &settings(ProtectionMode::Zelle, case.threshold));
        prop_assert_eq!(p.report().rule, AppliedRule::CellSuppression);
        for r in 0..p.n_rows() {
            for c in 0..p.n_cols() {
                match p.cell(r, c) {
                    Published::Value(n) => {
                        prop_assert!(!threshold.is_sensitive(n));
                        prop_assert_eq!(Some(n), raw.cell(r, c));
                    }
                    Published::Zero => prop_assert_eq!(raw.cell(r, c), Some(0)),
                    Published::Suppressed => prop_assert!(raw.cell(r, c).is_some_and(|n| n > 0)),
                    other => prop_assert!(false, "unexpected {:?}", other),
                }
            }
        }
        let sensitive = raw.cells().iter().flatten().filter(|&&n| threshold.is_sensitive(n)).count();
        prop_assert_eq!(p.report().primary, sensitive);
        let a = audit(&p);
        prop_assert!(a.passed(), "{:?}", a);
        prop_assert_eq!(a.intervals.len(), p.report().primary + p.report().secondary);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Tables with a hierarchy of space are protected by maximum flow; the audit by linear
    /// programming is the independent referee.
    #[test]
    fn zelle_on_three_levels_of_space_passes_the_audit(
        blocks in (4usize..=14, 2usize..=4).prop_flat_map(|(rows, cols)| {
            proptest::collection::vec(proptest::collection::vec(counts(), cols), rows)
        }),
        threshold in 3u32..=4,
    ) {
        let t = deep_table(&blocks);
        let raw = t.clone();
        let p = protect(t, &settings(ProtectionMode::Zelle, threshold));
        prop_assert_eq!(p.report().rule, AppliedRule::CellSuppression);
        for r in 0..p.n_rows() {
            for c in 0..p.n_cols() {
                if let Published::Value(n) = p.cell(r, c) {
                    prop_assert!(n >= u64::from(threshold));
                    prop_assert_eq!(Some(n), raw.cell(r, c));
                }
            }
        }
        let a = audit(&p);
        prop_assert!(a.passed(), "{:?}", a);
    }
}

/// Size check (run with `--ignored --nocapture`): Stadtteil and Baublock sized tables.
#[test]
#[ignore]
fn large_tables_timing() {
    let mut seed = 12345u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (rows, cols) in [(18usize, 4usize), (40, 5), (120, 4), (400, 4)] {
        let inner: Vec<Vec<u64>> = (0..rows)
            .map(|_| {
                (0..cols)
                    .map(|_| match next() % 10 {
                        0..=2 => 0,
                        3 => 1,
                        4 => 2,
                        _ => 3 + next() % 40,
                    })
                    .collect()
            })
            .collect();
        let t = table(&inner, true, None);
        let start = std::time::Instant::now();
        let p = protect(t, &settings(ProtectionMode::Zelle, 3));
        let took = start.elapsed();
        println!(
            "{rows}x{cols}: {:?} primary {} secondary {} in {took:?}",
            p.report().rule,
            p.report().primary,
            p.report().secondary
        );
        if rows <= 40 {
            let start = std::time::Instant::now();
            let a = audit(&p);
            println!("  audit passed {} in {:?}", a.passed(), start.elapsed());
        }
    }
}
