//! A release too large to be checked as a whole is split into two families of tables (those
//! by nationality and those by category) checked each on its own. Random small cities and
//! random releases, checked against an independent exact oracle over every combination of
//! Stadtteil, category and nationality; the split must also change outcomes (else it never
//! ran): with it, tables pass that the stricter fallback on the records refuses.

mod common;

use lagebild_core::protect::{
    Offered, Origin, ProtectedTable, ProtectionMode, ProtectionSettings, Published, Release,
    Universe,
};
use lagebild_core::reports::dimensions::Dimensions;
use lagebild_core::reports::{Counter, count_into};
use lagebild_core::tabulate::{
    AxisDef, Counts, DimensionDef, Page, Position, Role, TableDef, ValueKind,
};

/// Stadtbezirke N (Stadtteile n1, n2) and S (s1, s2).
const STADTTEILE: [(&str, &str); 4] = [("n1", "N"), ("n2", "N"), ("s1", "S"), ("s2", "S")];
const CATEGORIES: [&str; 2] = ["A", "B"];
const NATIONALITIES: [&str; 2] = ["X", "Y"];
const DIMS: [&str; 3] = ["raum", "kategorie", "nat"];

fn dimensions() -> Vec<DimensionDef> {
    let raum = common::raum(&[("N", "Nord"), ("S", "Süd")], &STADTTEILE);
    let kategorie = DimensionDef::flat(
        "kategorie",
        "Kategorie",
        &[("A", "Duldung"), ("B", "Gestattung")],
    );
    let nat = DimensionDef::flat(
        "nat",
        "Staatsangehörigkeit",
        &[("X", "Syrien"), ("Y", "übrige")],
    );
    vec![raum, kategorie, nat]
}

/// A table of the test: by Stadtteil or Stadtbezirk, and by category or nationality (or
/// neither), optionally counting one category only.
#[derive(Clone, Copy, Debug)]
struct Shape {
    level: &'static str,
    by: Option<&'static str>,
    only: Option<&'static str>,
}

/// A combination (Stadtteil, category, nationality).
type Combination = (&'static str, &'static str, &'static str);

fn combinations() -> Vec<Combination> {
    let mut out = Vec::new();
    for (s, _) in STADTTEILE {
        for k in CATEGORIES {
            for n in NATIONALITIES {
                out.push((s, k, n));
            }
        }
    }
    out
}

fn offered(counter: &Counter, shape: Shape) -> Offered {
    let def = TableDef {
        key: format!("t_{}_{:?}_{:?}", shape.level, shape.by, shape.only),
        title: "Test".into(),
        sheet: None,
        value: ValueKind::Persons,
        counts: Counts::Gefluechtete,
        page: Page::Raeumlich,
        rows: vec![
            AxisDef::new("raum")
                .at_level(shape.level)
                .with_total("Insgesamt")
                .with_subtotals(true),
        ],
        columns: shape
            .by
            .map(|d| vec![AxisDef::new(d).with_total("Insgesamt")])
            .unwrap_or_default(),
        derived: Vec::new(),
        notes: Vec::new(),
    };
    let filtered: Counter = counter
        .iter()
        .filter(|(k, _)| shape.only.is_none_or(|c| k[1] == c))
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    let table =
        count_into(&def, &Dimensions { all: dimensions() }, &filtered, &DIMS).expect("table");
    Offered {
        table,
        origin: Some(Origin {
            universe: "u".into(),
            filters: shape
                .only
                .map(|c| vec![("kategorie".to_owned(), vec![c.to_owned()])])
                .unwrap_or_default(),
        }),
        domains: vec!["u".into()],
    }
}

/// True if position `p` of an axis of dimension `dim` holds combination `c`.
fn holds(p: &Position, dim: &str, c: Combination) -> bool {
    let (key, parent) = match dim {
        "raum" => (
            c.0,
            STADTTEILE
                .iter()
                .find(|(s, _)| *s == c.0)
                .map_or("", |s| s.1),
        ),
        "kategorie" => (c.1, ""),
        _ => (c.2, ""),
    };
    match p.role {
        Role::Total => true,
        Role::Category | Role::Subtotal => p.key.split('+').any(|k| k == key || k == parent),
        Role::Sum => false,
    }
}

/// The published cells (numbers and zeros) of `table` as sets of combinations.
fn published_sets(table: &ProtectedTable, shape: Shape) -> Vec<(Vec<usize>, u64)> {
    let all = combinations();
    let only = shape.only;
    let row_dims = ["raum"];
    let col_dims: Vec<&str> = shape.by.into_iter().collect();
    let mut out = Vec::new();
    for r in 0..table.n_rows() {
        for col in 0..table.n_cols() {
            let v = match table.cell(r, col) {
                Published::Value(v) => v,
                Published::Zero => 0,
                _ => continue,
            };
            let rows = table.row_positions(r);
            let cols = table.column_positions(col);
            let members = all
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    only.is_none_or(|k| c.1 == k)
                        && rows.iter().zip(&row_dims).all(|(p, d)| holds(p, d, **c))
                        && cols.iter().zip(&col_dims).all(|(p, d)| holds(p, d, **c))
                })
                .map(|(i, _)| i)
                .collect();
            out.push((members, v));
        }
    }
    out
}

/// Tables by category (each Stadtteil and category, or one category only) and by
/// nationality (by Stadtbezirk or Stadtteil).
fn shapes() -> Vec<Shape> {
    let mut out = Vec::new();
    for level in ["stadtteil", "bezirk"] {
        out.push(Shape {
            level,
            by: Some("kategorie"),
            only: None,
        });
        out.push(Shape {
            level,
            by: None,
            only: Some("A"),
        });
        out.push(Shape {
            level,
            by: Some("nat"),
            only: None,
        });
        out.push(Shape {
            level,
            by: Some("nat"),
            only: Some("B"),
        });
    }
    out
}

/// Every combination of the tables' classes together is more than this, each family alone
/// less: the release is split.
const SPLIT_BELOW: usize = 12;

#[test]
fn no_split_release_lets_a_small_value_be_computed() {
    let shapes = shapes();
    let all = combinations();
    let mut rng = common::Lcg(21);
    let (mut published_by_split, mut cases) = (0, 0);
    for _ in 0..300 {
        let counts: Vec<u64> = all
            .iter()
            .map(|_| match rng.below(5) {
                0 => 0,
                1 => 1 + rng.below(2),
                _ => 3 + rng.below(6),
            })
            .collect();
        let counter: Counter = all
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|((s, k, n), &v)| (vec![s.to_string(), k.to_string(), n.to_string()], v))
            .collect();
        let mode = if rng.below(2) == 0 {
            ProtectionMode::Tabelle
        } else {
            ProtectionMode::Zelle
        };
        let settings = ProtectionSettings {
            mode,
            ..ProtectionSettings::default()
        };
        let picked: Vec<Shape> = (0..3)
            .map(|_| shapes[rng.below(shapes.len() as u64) as usize])
            .collect();
        let release_with = |max_product: usize| -> Vec<ProtectedTable> {
            let universe = Universe::new("u", &DIMS, &counter, &dimensions());
            let mut release = Release::new(vec![universe]).with_max_product(max_product);
            picked
                .iter()
                .map(|&shape| release.protect_one(offered(&counter, shape), &settings))
                .collect()
        };
        let split = release_with(SPLIT_BELOW);
        let sets: Vec<(Vec<usize>, u64)> = split
            .iter()
            .zip(&picked)
            .flat_map(|(t, shape)| published_sets(t, *shape))
            .collect();
        assert_eq!(
            common::set_of_one_or_two(&counts, &sets),
            None,
            "{counts:?} {picked:?} {mode:?}"
        );
        // The same release without the split (the stricter check on the records).
        let strict = release_with(1);
        cases += 1;
        published_by_split += split
            .iter()
            .zip(&strict)
            .filter(|(s, t)| !s.report().all_suppressed && t.report().all_suppressed)
            .count();
    }
    assert!(
        published_by_split > 0,
        "the split never published a table the stricter check refuses ({cases} releases)"
    );
}

/// The counts of `all` combinations as a counter.
fn counter_of(counts: &[u64]) -> Counter {
    combinations()
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|((s, k, n), &v)| (vec![s.to_string(), k.to_string(), n.to_string()], v))
        .collect()
}

/// The table of the Duldung (A) by Stadtteil and the nationalities by Stadtteil meet in the
/// Stadtteile, but only the second publishes a Stadtteil's total: n1's refugees by
/// nationality minus n1's Duldung is n1's one Gestattung. Split, the Duldung table is checked
/// with the Stadtteil totals of the other, which finds it; the release refuses the second
/// table.
#[test]
fn a_table_by_nationality_cannot_difference_a_category_out() {
    // n1: A 4 + 3, B 1 + 0; everything else 3 or more.
    let counts: Vec<u64> = combinations()
        .iter()
        .map(|c| match c {
            ("n1", "A", "X") => 4,
            ("n1", "A", "Y") => 3,
            ("n1", "B", "X") => 1,
            ("n1", "B", "Y") => 0,
            _ => 3,
        })
        .collect();
    let counter = counter_of(&counts);
    let duldung = Shape {
        level: "stadtteil",
        by: None,
        only: Some("A"),
    };
    let by_nationality = Shape {
        level: "stadtteil",
        by: Some("nat"),
        only: None,
    };
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let settings = ProtectionSettings {
            mode,
            ..ProtectionSettings::default()
        };
        let universe = Universe::new("u", &DIMS, &counter, &dimensions());
        let mut release = Release::new(vec![universe]).with_max_product(SPLIT_BELOW);
        let first = release.protect_one(offered(&counter, duldung), &settings);
        let second = release.protect_one(offered(&counter, by_nationality), &settings);
        assert!(!first.report().all_suppressed, "{}", first.report().text());
        let sets: Vec<(Vec<usize>, u64)> = [(&first, duldung), (&second, by_nationality)]
            .into_iter()
            .flat_map(|(t, shape)| published_sets(t, shape))
            .collect();
        assert_eq!(common::set_of_one_or_two(&counts, &sets), None, "{mode:?}");
        // Alone, the second would publish n1.
        let alone =
            lagebild_core::protect::protect(offered(&counter, by_nationality).table, &settings);
        let sets: Vec<(Vec<usize>, u64)> = [(&first, duldung), (&alone, by_nationality)]
            .into_iter()
            .flat_map(|(t, shape)| published_sets(t, shape))
            .collect();
        assert!(
            common::set_of_one_or_two(&counts, &sets).is_some(),
            "{mode:?}"
        );
    }
}
