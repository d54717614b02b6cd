//! The release as one protection problem: tables released together must not let a reader
//! compute a value of 1 or 2 by differencing. Each attack of issue 18 tried on tables that
//! each pass on their own, and a randomised check against an independent exact oracle.

mod common;

use lagebild_core::protect::{
    DesignChoice, Offered, Origin, ProtectedTable, ProtectionMode, ProtectionSettings, Published,
    Release, TableDesign, Universe, audit, protect,
};
use lagebild_core::reports::crosstab::{CrosstabFilter, CrosstabRequest, CrosstabSource};
use lagebild_core::reports::dimensions::Dimensions;
use lagebild_core::reports::{Counter, count_into};
use lagebild_core::session::{Incoming, Session};
use lagebild_core::tabulate::{
    AxisDef, Counts, DimensionDef, Page, Role, Table, TableDef, ValueKind,
};
use lagebild_core::view::DownloadRequest;
use lagebild_synth::{Config, Scale, generate};

/// Stadtbezirke N (Stadtteile n1, n2, n3) and S (s1, s2); categories A, B, C.
fn dimensions() -> Vec<DimensionDef> {
    let raum = common::raum(&[("N", "Nord"), ("S", "Süd")], &STADTTEILE);
    let kategorie = DimensionDef::flat(
        "kategorie",
        "Kategorie",
        &[("A", "Duldung"), ("B", "Gestattung"), ("C", "humanitär")],
    );
    vec![raum, kategorie]
}

const STADTTEILE: [(&str, &str); 5] = [
    ("n1", "N"),
    ("n2", "N"),
    ("n3", "N"),
    ("s1", "S"),
    ("s2", "S"),
];
const CATEGORIES: [&str; 3] = ["A", "B", "C"];
const DIMS: [&str; 2] = ["raum", "kategorie"];

/// The tables of the tests: Stadtteil or Stadtbezirk rows, Kategorie columns or none,
/// filtered (as a Kreuztabelle) or not.
#[derive(Clone, Copy, Debug)]
struct Shape {
    level: &'static str,
    by_category: bool,
    filter: Option<Only>,
}

/// A Kreuztabelle's filter: the categories counted (any of them), or one Stadtbezirk.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Only {
    Categories(&'static [&'static str]),
    Bezirk(&'static str),
}

impl Only {
    /// True if the records of Stadtteil `s` and category `k` are counted.
    fn keeps(self, s: &str, k: &str) -> bool {
        match self {
            Only::Categories(c) => c.contains(&k),
            Only::Bezirk(b) => STADTTEILE.iter().any(|(x, parent)| *x == s && *parent == b),
        }
    }

    /// The filter as the release sees it.
    fn origin(self) -> (String, Vec<String>) {
        match self {
            Only::Categories(c) => (
                "kategorie".to_owned(),
                c.iter().map(|k| (*k).to_owned()).collect(),
            ),
            Only::Bezirk(b) => ("raum".to_owned(), vec![b.to_owned()]),
        }
    }
}

fn table(counter: &Counter, shape: Shape) -> Table {
    let def = TableDef {
        key: format!("t_{}_{}", shape.level, shape.by_category),
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
        columns: if shape.by_category {
            vec![AxisDef::new("kategorie").with_total("Insgesamt")]
        } else {
            Vec::new()
        },
        derived: Vec::new(),
        notes: Vec::new(),
    };
    let filtered: Counter = counter
        .iter()
        .filter(|(k, _)| shape.filter.is_none_or(|f| f.keeps(&k[0], &k[1])))
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    count_into(&def, &Dimensions { all: dimensions() }, &filtered, &DIMS).expect("table")
}

fn offered(counter: &Counter, shape: Shape) -> Offered {
    Offered {
        table: table(counter, shape),
        origin: Some(Origin {
            universe: "u".into(),
            filters: shape.filter.map(|f| vec![f.origin()]).unwrap_or_default(),
        }),
        domains: vec!["u".into()],
    }
}

fn counter(values: &[(&str, &str, u64)]) -> Counter {
    values
        .iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(r, k, n)| (vec![(*r).to_string(), (*k).to_string()], *n))
        .collect()
}

fn settings(mode: ProtectionMode) -> ProtectionSettings {
    ProtectionSettings {
        mode,
        ..ProtectionSettings::default()
    }
}

fn release_of(counter: &Counter) -> Release {
    Release::new(vec![Universe::new("u", &DIMS, counter, &dimensions())])
}

const STADTTEIL_BY_CATEGORY: Shape = Shape {
    level: "stadtteil",
    by_category: true,
    filter: None,
};

/// Zelle mode: the Stadtteil table suppresses the one Gestattung (B) of n1 and what protects
/// it; a Kreuztabelle of Duldung (A) by Stadtteil passes on its own, but n1's total minus its
/// Duldung minus its (published) humanitarian count is the 1. The release protects the second
/// further: what the first suppressed stays suppressed, what it published may be shown.
#[test]
fn a_filtered_kreuztabelle_cannot_difference_a_suppressed_cell_out_of_the_standard_table() {
    let c = counter(&[
        ("n1", "A", 5),
        ("n1", "B", 1),
        ("n1", "C", 6),
        ("n2", "A", 4),
        ("n2", "B", 3),
        ("n2", "C", 7),
        ("n3", "A", 8),
        ("n3", "B", 9),
        ("n3", "C", 3),
        ("s1", "A", 6),
        ("s1", "B", 5),
        ("s1", "C", 4),
        ("s2", "A", 3),
        ("s2", "B", 7),
        ("s2", "C", 9),
    ]);
    let zelle = settings(ProtectionMode::Zelle);
    let duldung = Shape {
        level: "stadtteil",
        by_category: false,
        filter: Some(Only::Categories(&["A"])),
    };
    // Each passes for itself.
    let alone = protect(table(&c, STADTTEIL_BY_CATEGORY), &zelle);
    assert!(!alone.report().all_suppressed);
    let n1 = (0..alone.n_rows())
        .find(|&r| alone.row_positions(r)[0].key == "n1")
        .expect("n1");
    assert_eq!(alone.cell(n1, 1), Published::Suppressed, "n1, B");
    let filtered = protect(table(&c, duldung), &zelle);
    assert!(!filtered.report().all_suppressed);

    let mut release = release_of(&c);
    let first = release.protect_one(offered(&c, STADTTEIL_BY_CATEGORY), &zelle);
    assert!(!first.report().all_suppressed);
    let second = release.protect_one(offered(&c, duldung), &zelle);
    // Alone it would publish n1's Duldung; in the release it is suppressed as in the first.
    let n1_alone = (0..filtered.n_rows())
        .find(|&r| filtered.row_positions(r)[0].key == "n1")
        .expect("n1");
    assert!(matches!(filtered.cell(n1_alone, 0), Published::Value(5)));
    assert!(
        !second.report().all_suppressed,
        "{}",
        second.report().text()
    );
    let n1 = (0..second.n_rows())
        .find(|&r| second.row_positions(r)[0].key == "n1")
        .expect("n1");
    assert_eq!(second.cell(n1, 0), Published::Suppressed);
    assert!((0..second.n_rows()).any(|r| matches!(second.cell(r, 0), Published::Value(_))));
    assert!(audit(&second).passed());
    // Exact check over all combinations: no set of 1 or 2 follows from both together.
    assert!(
        find_difference(
            &c,
            &[&first, &second],
            &[None, Some(Only::Categories(&["A"]))]
        )
        .is_none()
    );
}

/// Zelle mode, standard set: the one Duldung of Nord (n1) makes Nord's Duldung a 1 in both
/// the Stadtbezirk and the Stadtteil table. Each table alone protects it with its own
/// partners. The release protects the Stadtteil table first and the Stadtbezirk table with its
/// pattern: both publish numbers, every cell they share is suppressed in both or in neither,
/// and no set of 1 or 2 follows from the two.
#[test]
fn zelle_tables_of_one_set_share_one_pattern() {
    let c = counter(&[
        ("n1", "A", 1),
        ("n1", "B", 4),
        ("n1", "C", 3),
        ("n2", "B", 3),
        ("n2", "C", 6),
        ("n3", "B", 5),
        ("n3", "C", 7),
        ("s1", "A", 6),
        ("s1", "B", 5),
        ("s1", "C", 4),
        ("s2", "A", 3),
        ("s2", "B", 7),
        ("s2", "C", 9),
    ]);
    let zelle = settings(ProtectionMode::Zelle);
    let bezirk = Shape {
        level: "bezirk",
        by_category: true,
        filter: None,
    };
    let state = |t: &ProtectedTable| -> Vec<(String, usize, bool)> {
        let mut out = Vec::new();
        for r in 0..t.n_rows() {
            let key = t.row_positions(r)[0].key.clone();
            if ["N", "S", "Insgesamt"].contains(&key.as_str())
                || t.row_positions(r)[0].role == Role::Total
            {
                for col in 0..t.n_cols() {
                    out.push((key.clone(), col, t.cell(r, col) == Published::Suppressed));
                }
            }
        }
        out
    };
    // Alone, each table passes, with different patterns on the rows they share: the
    // Stadtbezirk table publishes Nord's total, the Stadtteil table suppresses it, and with
    // it n1's Duldung lies between 1 and 3 (too narrow; the release only catches exact
    // differences, so one pattern per cell is what keeps such tables apart).
    let alone_bezirk = protect(table(&c, bezirk), &zelle);
    let alone_stadtteil = protect(table(&c, STADTTEIL_BY_CATEGORY), &zelle);
    assert!(audit(&alone_bezirk).passed() && audit(&alone_stadtteil).passed());
    assert_ne!(state(&alone_bezirk), state(&alone_stadtteil));

    let mut release = release_of(&c);
    let tables = release.protect_all(
        vec![offered(&c, bezirk), offered(&c, STADTTEIL_BY_CATEGORY)],
        &zelle,
        &mut |_, _| {},
    );
    for t in &tables {
        assert!(!t.report().all_suppressed, "{}", t.report().text());
        assert!(audit(t).passed());
    }
    assert_eq!(state(&tables[0]), state(&tables[1]));
    assert!(find_difference(&c, &[&tables[0], &tables[1]], &[None, None]).is_none());
}

/// Tabelle mode, planned: the Stadtteil table merges n1 with n2, a Stadtbezirk table shows
/// N; a later Kreuztabelle by Stadtteil must use the same merge or be refused, never show n3
/// next to a merge that leaves n1 computable.
#[test]
fn one_recoding_per_variable_keeps_later_tables_consistent() {
    let c = counter(&[
        ("n1", "A", 1),
        ("n1", "B", 4),
        ("n1", "C", 3),
        ("n2", "A", 5),
        ("n2", "B", 3),
        ("n2", "C", 6),
        ("n3", "A", 4),
        ("n3", "B", 5),
        ("n3", "C", 7),
        ("s1", "A", 6),
        ("s1", "B", 5),
        ("s1", "C", 4),
        ("s2", "A", 3),
        ("s2", "B", 7),
        ("s2", "C", 9),
    ]);
    let planned = ProtectionSettings {
        design: TableDesign::Geplant,
        ..ProtectionSettings::default()
    };
    let mut release = release_of(&c);
    let tables = release.protect_all(
        vec![
            offered(&c, STADTTEIL_BY_CATEGORY),
            offered(
                &c,
                Shape {
                    level: "bezirk",
                    by_category: true,
                    filter: None,
                },
            ),
        ],
        &planned,
        &mut |_, _| {},
    );
    assert!(tables.iter().all(|t| !t.report().all_suppressed));
    let later = release.protect_one(
        offered(
            &c,
            Shape {
                level: "stadtteil",
                by_category: false,
                filter: Some(Only::Categories(&["A"])),
            },
        ),
        &planned,
    );
    let shown = later.report().all_suppressed
        || later.row_axes()[0]
            .positions()
            .iter()
            .any(|p| p.key.split('+').any(|k| k == "n1") && p.key.contains('+'));
    assert!(shown, "n1 shown alone: {}", later.report().text());
    assert_no_difference(&c, &[&tables[0], &tables[1], &later]);
}

/// The published cells of `tables` as sets of (Stadtteil, category) combinations.
fn published_sets(table: &ProtectedTable, filter: Option<Only>) -> Vec<(Vec<usize>, u64)> {
    let atoms: Vec<(&str, &str)> = STADTTEILE
        .iter()
        .flat_map(|(s, _)| CATEGORIES.iter().map(move |k| (*s, *k)))
        .collect();
    let holds = |p: &lagebild_core::tabulate::Position, key: &str, parent: &str| match p.role {
        Role::Total => true,
        Role::Category | Role::Subtotal => p.key.split('+').any(|k| k == key || k == parent),
        Role::Sum => false,
    };
    let mut out = Vec::new();
    for r in 0..table.n_rows() {
        for col in 0..table.n_cols() {
            let Published::Value(v) = table.cell(r, col) else {
                continue;
            };
            let row = table.row_positions(r)[0];
            let column = table.column_positions(col);
            let members: Vec<usize> = atoms
                .iter()
                .enumerate()
                .filter(|(_, (s, k))| {
                    let parent = STADTTEILE.iter().find(|(x, _)| x == s).map_or("", |x| x.1);
                    holds(row, s, parent)
                        && column.first().is_none_or(|c| holds(c, k, ""))
                        && filter.is_none_or(|f| f.keeps(s, k))
                })
                .map(|(i, _)| i)
                .collect();
            out.push((members, v));
        }
    }
    out
}

/// The oracle: no set of combinations with a count of 1 or 2 has an indicator in the row
/// space of the published cells. The unknowns are all (Stadtteil, category) combinations, a
/// reader knows only those inside a published zero to be empty; a set of 1 or 2 holds at
/// most two non-empty combinations and any of the empty ones, all of which are tried.
fn assert_no_difference(c: &Counter, tables: &[&ProtectedTable]) {
    assert!(find_difference(c, tables, &[None; 8]).is_none());
}

fn find_difference(
    c: &Counter,
    tables: &[&ProtectedTable],
    filters: &[Option<Only>],
) -> Option<Vec<usize>> {
    let atoms: Vec<u64> = STADTTEILE
        .iter()
        .flat_map(|(s, _)| {
            CATEGORIES.iter().map(move |k| {
                c.get(&vec![s.to_string(), k.to_string()])
                    .copied()
                    .unwrap_or(0)
            })
        })
        .collect();
    let mut sets: Vec<(Vec<usize>, u64)> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        sets.extend(published_sets(table, filters.get(t).copied().flatten()));
    }
    common::set_of_one_or_two(&atoms, &sets)
}

/// Random small cities and random sequences of tables (Stadtteil or Stadtbezirk, with or
/// without categories, unfiltered or filtered to one category, to either of two categories or
/// to one Stadtbezirk) in both modes: every release passes
/// the independent oracle, and without the release the same tables do not always.
#[test]
fn no_random_release_lets_a_small_value_be_computed() {
    let shapes: Vec<Shape> = ["stadtteil", "bezirk"]
        .into_iter()
        .flat_map(|level| {
            [
                None,
                Some(Only::Categories(&["A"])),
                Some(Only::Categories(&["B"])),
                Some(Only::Categories(&["A", "C"])),
                Some(Only::Bezirk("N")),
            ]
            .into_iter()
            .flat_map(move |filter| {
                let single = matches!(filter, Some(Only::Categories(c)) if c.len() == 1);
                [true, false].into_iter().map(move |by_category| Shape {
                    level,
                    by_category: by_category && !single,
                    filter,
                })
            })
        })
        .collect();
    let mut rng = common::Lcg(18);
    let (mut leaks_without, mut refused) = (0, 0);
    for _ in 0..600 {
        let values: Vec<(&str, &str, u64)> = STADTTEILE
            .iter()
            .flat_map(|(s, _)| CATEGORIES.iter().map(move |k| (*s, *k)))
            .map(|(s, k)| (s, k, 0))
            .collect();
        let values: Vec<(&str, &str, u64)> = values
            .into_iter()
            .map(|(s, k, _)| {
                let n = match rng.below(4) {
                    0 => 0,
                    1 => 1 + rng.below(2),
                    _ => 3 + rng.below(8),
                };
                (s, k, n)
            })
            .collect();
        let c = counter(&values);
        let mode = if rng.below(2) == 0 {
            ProtectionMode::Tabelle
        } else {
            ProtectionMode::Zelle
        };
        let s = settings(mode);
        let picked: Vec<Shape> = (0..3)
            .map(|_| shapes[rng.below(shapes.len() as u64) as usize])
            .collect();
        let filters: Vec<Option<Only>> = picked.iter().map(|p| p.filter).collect();
        let mut release = release_of(&c);
        let released: Vec<ProtectedTable> = picked
            .iter()
            .map(|&shape| release.protect_one(offered(&c, shape), &s))
            .collect();
        refused += released
            .iter()
            .filter(|t| t.report().text().contains("Differenzbildung"))
            .count();
        let refs: Vec<&ProtectedTable> = released.iter().collect();
        assert_eq!(
            find_difference(&c, &refs, &filters),
            None,
            "{values:?} {picked:?} {mode:?}"
        );
        let alone: Vec<ProtectedTable> = picked
            .iter()
            .map(|&shape| protect(table(&c, shape), &s))
            .collect();
        let refs: Vec<&ProtectedTable> = alone.iter().collect();
        leaks_without += usize::from(find_difference(&c, &refs, &filters).is_some());
    }
    assert!(
        leaks_without > 0,
        "the cases never leak without the release"
    );
    assert!(refused > 0, "the release never refuses");
}

/// The exports of the tiny synthetic city with two residents `divers` and one `ohne Angabe`.
fn tiny_city_with_divers() -> Vec<Incoming<Vec<u8>>> {
    tiny_city_with_divers_of_seed(1)
}

/// [`tiny_city_with_divers`] of another seed.
fn tiny_city_with_divers_of_seed(seed: u64) -> Vec<Incoming<Vec<u8>>> {
    let mut config = Config::new(Scale::Tiny);
    config.seed = seed;
    let output = generate(&config).expect("synthetic city");
    common::user_exports(&output)
        .map(|e| {
            let bytes = common::bytes_of(&output, e).to_vec();
            let bytes = if e.path.contains("EWO_Bestand") && e.path.ends_with(".csv") {
                common::with_divers(&bytes, 2)
            } else {
                bytes
            };
            Incoming::detected(common::name_of(&e.path), &e.path, bytes)
        })
        .collect()
}

/// Default mode, on the tiny synthetic city with two residents `divers` and one `ohne
/// Angabe`: Kreuztabellen of the residents by Stadtteil for all, for männlich and for
/// weiblich each pass on their own; made in one session, no row published in all three
/// differences to the 1 or 2 of divers and ohne Angabe (all minus männlich minus weiblich):
/// the third is refused (saying why), published coarser, or the difference is 0 or 3.
#[test]
fn kreuztabellen_by_sex_cannot_difference_divers_out() {
    // A tiny city whose Stadtteile are large enough for the Kreuztabellen of all residents
    // and of männlich to be published by Stadtteil (seed 1 is too small since issue 19).
    let files = tiny_city_with_divers_of_seed(4);
    let request = |sex: Option<&str>| CrosstabRequest {
        design: Default::default(),
        source: CrosstabSource::Bevoelkerung,
        rows: "raum:stadtteil".into(),
        columns: None,
        filters: sex
            .map(|s| vec![CrosstabFilter::one("geschlecht", s)])
            .unwrap_or_default(),
    };
    let settings = ProtectionSettings::default();
    let fresh = || {
        let mut session = Session::<Vec<u8>>::default();
        session.import(files.clone(), &mut |_, _, _, _| {});
        session
    };
    // Each alone passes.
    for sex in [None, Some("m"), Some("w")] {
        let view = fresh()
            .crosstab(&request(sex), &settings)
            .expect("crosstab");
        assert!(!view.all_suppressed, "{sex:?}: {}", view.protection);
    }
    let mut session = fresh();
    let views: Vec<_> = [None, Some("m"), Some("w")]
        .into_iter()
        .map(|sex| {
            session
                .crosstab(&request(sex), &settings)
                .expect("crosstab")
        })
        .collect();
    assert!(!views[0].all_suppressed && !views[1].all_suppressed);
    assert!(
        views[0].rows.len() > 1 && views[1].rows.len() > 1,
        "by Stadtteil"
    );
    if views[2].all_suppressed {
        assert!(views[2].protection.contains("Differenzbildung"));
    }
    let value = |v: &lagebild_core::view::TableView, label: &str| -> Option<u64> {
        let row = v
            .rows
            .iter()
            .find(|r| r.labels.iter().any(|(l, _)| l == label))?;
        row.values
            .first()?
            .replace('.', "")
            .replace('–', "0")
            .parse()
            .ok()
    };
    for row in &views[0].rows {
        let label = &row.labels.last().expect("label").0;
        if let (Some(all), Some(m), Some(w)) = (
            value(&views[0], label),
            value(&views[1], label),
            value(&views[2], label),
        ) {
            let rest = all - m - w;
            assert!(!(1..=2).contains(&rest), "{label}: {all} - {m} - {w}");
        }
    }
}

/// The standard set shows the residents by Stadtteil with `divers` and `ohne Angabe`
/// assigned to männlich or weiblich by the birth month (a published rule); a Kreuztabelle of
/// the residents who are männlich (or weiblich) by Stadtteil would leave, as the difference,
/// those assigned: 1 or 2 in some Stadtteil. At least one of the two is refused.
#[test]
fn a_kreuztabelle_by_sex_cannot_difference_the_assigned_sex_out_of_the_standard_set() {
    let files = tiny_city_with_divers();
    let settings = ProtectionSettings::default();
    let mut session = Session::<Vec<u8>>::default();
    session.import(files, &mut |_, _, _, _| {});
    let set = session
        .run(&settings, &mut |_, _, _, _| {})
        .expect("report");
    let by_sex = set
        .tables
        .iter()
        .find(|t| t.key == "bevoelkerung_geschlecht")
        .expect("population by sex");
    assert!(!by_sex.all_suppressed, "{}", by_sex.protection);
    assert!(by_sex.notes.iter().any(|n| n.contains("Geburtsmonat")));
    let refused: Vec<bool> = ["m", "w"]
        .into_iter()
        .map(|sex| {
            let request = CrosstabRequest {
                design: Default::default(),
                source: CrosstabSource::Bevoelkerung,
                rows: "raum:stadtteil".into(),
                columns: None,
                filters: vec![CrosstabFilter::one("geschlecht", sex)],
            };
            let view = session.crosstab(&request, &settings).expect("crosstab");
            view.all_suppressed
        })
        .collect();
    assert!(refused.iter().any(|r| *r), "both released: {refused:?}");
}

/// The analyst chooses a table's design: another of the planner's alternatives or the
/// original (blanked); the choice holds for the next run, everything stays checked together,
/// and the page tells why the original does not pass without any value of 1 or 2.
#[test]
fn the_analyst_chooses_among_the_planners_designs() {
    let settings = ProtectionSettings::default();
    let mut session = Session::<Vec<u8>>::default();
    session.import(tiny_city_with_divers(), &mut |_, _, _, _| {});
    let run = |session: &mut Session<Vec<u8>>| {
        session
            .run(&settings, &mut |_, _, _, _| {})
            .expect("report")
    };
    let set = run(&mut session);
    let planned = set
        .tables
        .iter()
        .find(|t| t.alternatives.len() > 1 && t.chosen == Some(0) && !t.all_suppressed)
        .expect("a table with alternatives")
        .clone();
    assert!(!planned.merges.is_empty());
    assert!(!planned.why.is_empty());
    for line in &planned.why {
        assert!(
            line.contains("Wert") && line.ends_with("von 1 oder 2"),
            "{line}"
        );
    }

    session.choose_design(&planned.key, DesignChoice::Planned(1));
    let set = run(&mut session);
    let second = set.tables.iter().find(|t| t.key == planned.key).unwrap();
    assert_eq!(second.chosen, Some(1), "{}", second.protection);
    assert_ne!(second.rows, planned.rows);
    assert_eq!(second.alternatives, planned.alternatives);
    let downloaded = session
        .download(&DownloadRequest::TableCsv(planned.key.clone()))
        .expect("CSV");
    let csv = String::from_utf8(downloaded.bytes).expect("UTF-8");
    assert!(
        csv.contains(&second.protection),
        "the download says what the page says"
    );
    for line in &second.why {
        assert!(
            !csv.contains(line.as_str()),
            "no reasons in a download: {line}"
        );
    }

    session.choose_design(&planned.key, DesignChoice::Original);
    let set = run(&mut session);
    let original = set.tables.iter().find(|t| t.key == planned.key).unwrap();
    assert!(original.all_suppressed);
    assert_eq!(original.chosen, None);
    assert!(original.merges.is_empty());
    assert_eq!(original.alternatives, planned.alternatives);

    session.choose_design(&planned.key, DesignChoice::default());
    let set = run(&mut session);
    let back = set.tables.iter().find(|t| t.key == planned.key).unwrap();
    assert_eq!(back.rows, planned.rows);
}

/// A Kreuztabelle in another design: the planner's second alternative, or the original
/// (blanked); the page offers the same alternatives either way. By sex, `divers` and `ohne
/// Angabe` are assigned by the birth month as in the standard set, and the note says so.
#[test]
fn a_kreuztabelle_is_made_in_the_design_the_analyst_chooses() {
    let files = tiny_city_with_divers();
    let settings = ProtectionSettings::default();
    let request = |columns: &str, design| CrosstabRequest {
        design,
        source: CrosstabSource::Bevoelkerung,
        rows: "raum:stadtteil".into(),
        columns: Some(columns.into()),
        filters: Vec::new(),
    };
    let made = |columns: &str, design| {
        let mut session = Session::<Vec<u8>>::default();
        session.import(files.clone(), &mut |_, _, _, _| {});
        session
            .crosstab(&request(columns, design), &settings)
            .expect("crosstab")
    };
    let by_sex = made("geschlecht", DesignChoice::default());
    assert!(!by_sex.all_suppressed, "{}", by_sex.protection);
    assert!(by_sex.notes.iter().any(|n| n.contains("Geburtsmonat")));
    assert!(
        !by_sex.header.concat().iter().any(|h| h.contains("divers")),
        "{:?}",
        by_sex.header
    );

    let best = made("altersgruppe", DesignChoice::default());
    assert_eq!(best.chosen, Some(0), "{}", best.protection);
    assert!(!best.all_suppressed);
    assert!(best.alternatives.len() > 1, "{:?}", best.alternatives);
    assert!(!best.why.is_empty());
    let second = made("altersgruppe", DesignChoice::Planned(1));
    assert_eq!(second.chosen, Some(1));
    assert_ne!(second.rows, best.rows);
    assert_eq!(second.alternatives, best.alternatives);
    let original = made("altersgruppe", DesignChoice::Original);
    assert!(original.all_suppressed);
    assert_eq!(
        (original.chosen, original.alternatives.len()),
        (None, best.alternatives.len())
    );
}

/// The Kreuztabellen made after a run are released with it: the workbook holds the standard
/// set and each of them (one per title, the latest), each checked against everything released;
/// a new run starts a new release without them.
#[test]
fn kreuztabellen_released_with_the_set_are_in_the_workbook() {
    let files = tiny_city_with_divers();
    let settings = ProtectionSettings::default();
    let mut session = Session::<Vec<u8>>::default();
    session.import(files, &mut |_, _, _, _| {});
    let set = session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    let request = |columns: &str| CrosstabRequest {
        design: DesignChoice::default(),
        source: CrosstabSource::Bevoelkerung,
        rows: "raum:bezirk".into(),
        columns: Some(columns.into()),
        filters: Vec::new(),
    };
    let sheets = |session: &Session<Vec<u8>>| -> Vec<(String, String)> {
        let bytes = session
            .download(&DownloadRequest::Workbook)
            .expect("workbook")
            .bytes;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
        use calamine::Reader;
        book.sheet_names()
            .into_iter()
            .map(|name| {
                let title = book
                    .worksheet_range(&name)
                    .ok()
                    .and_then(|r| r.get_value((0, 0)).map(|v| v.to_string()))
                    .unwrap_or_default();
                (name, title)
            })
            .collect()
    };
    assert_eq!(sheets(&session).len(), set.tables.len() + 3);
    let by_age = session
        .crosstab(&request("altersgruppe"), &settings)
        .expect("crosstab");
    let by_sex = session
        .crosstab(&request("geschlecht"), &settings)
        .expect("crosstab");
    // The same table again replaces, not adds.
    session
        .crosstab(&request("altersgruppe"), &settings)
        .expect("crosstab");
    let with = sheets(&session);
    assert_eq!(with.len(), set.tables.len() + 5, "{with:?}");
    for view in [&by_age, &by_sex] {
        let (name, _) = with
            .iter()
            .find(|(_, title)| *title == view.title)
            .unwrap_or_else(|| panic!("{} not in {with:?}", view.title));
        assert!(
            name.ends_with("Kreuztabelle") || name.contains("Kreuztabelle ("),
            "{name}"
        );
    }
    session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    assert_eq!(sheets(&session).len(), set.tables.len() + 3);
}

/// Issue 21: in mode Zelle, a table whose pattern of suppressed cells would open a difference
/// with the tables before it is designed by the whole-table rule before it is blanked. The
/// table by Schutzstatus groups legal bases otherwise than the table by Rechtsgrundlage; on
/// the demo city its own pattern cannot be released, a coarser design under the whole-table
/// rule can, and says so.
#[test]
fn zelle_tries_the_whole_table_rule_before_blanking() {
    use lagebild_core::protect::AppliedRule;
    let output = generate(&Config::new(Scale::Demo)).expect("synthetic city");
    let mut session = common::session_of(&output, |_| true);
    session
        .run(&settings(ProtectionMode::Zelle), &mut |_, _, _, _| {})
        .expect("reports");
    let tables = &session.published().expect("published").tables;
    let table = tables
        .iter()
        .find(|t| t.key() == "schutzstatus_bezirk")
        .expect("table by Schutzstatus");
    assert!(!table.report().all_suppressed, "{}", table.report().text());
    assert_eq!(table.report().rule, AppliedRule::ReleaseTableRule);
    assert!(
        table
            .report()
            .text()
            .contains("Tabellensperrung statt Zellsperrung"),
        "{}",
        table.report().text()
    );
    assert!(tables.iter().all(|t| !t.report().all_suppressed));
}

/// Both modes on the demo city: no standard table is blanked (mode Zelle: one pattern per
/// cell across the set, the Baublock table first, the Stadtteil and Stadtbezirk tables taking
/// over its pattern; mode Tabelle: the planner's designs, and the tables by nationality, age
/// and year of arrival checked beside the Baublock table by the split of the release), and
/// each passes its own audit.
#[test]
fn the_demo_city_blanks_no_standard_table_in_either_mode() {
    let output = generate(&Config::new(Scale::Demo)).expect("synthetic city");
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let mut session = common::session_of(&output, |_| true);
        session
            .run(&settings(mode), &mut |_, _, _, _| {})
            .expect("reports");
        let tables = &session.published().expect("published").tables;
        assert!(tables.len() >= 19);
        for t in tables {
            println!("{mode:?} {}: {}", t.key(), t.report().text());
            assert!(
                !t.report().all_suppressed,
                "{mode:?} {}: {}",
                t.key(),
                t.report().text()
            );
            assert!(audit(t).passed(), "{}", t.key());
        }
        // The refugees by nationality, by age group and sex, and by year of arrival count
        // everybody the table by category counts.
        let grand_total = |key: &str| {
            let t = tables.iter().find(|t| t.key() == key).expect(key);
            t.cell(t.n_rows() - 1, t.n_cols() - 1)
        };
        let all = grand_total("kategorie_bezirk");
        assert!(matches!(all, Published::Value(n) if n > 100), "{all:?}");
        for key in [
            "fl_nationalitaet_bezirk",
            "fl_alter_geschlecht_bezirk",
            "fl_einreisejahr_bezirk",
        ] {
            assert_eq!(grand_total(key), all, "{mode:?} {key}");
        }
    }
}

/// Found by the randomised check once filters on the Stadtbezirk and on several categories
/// were added, but possible with single-category filters too: all refugees by Stadtteil,
/// Nord's Duldung and Nord's humanitarian refugees (two Kreuztabellen filtered to one
/// category each, by Stadtbezirk) give Nord's Gestattung as 40 - 21 - 17 = 2, three classes
/// of which two are empty. The release must not publish all three as they are.
#[test]
fn three_tables_cannot_difference_a_stadtbezirk_category_out() {
    let values = [
        ("n1", "A", 7),
        ("n1", "B", 2),
        ("n1", "C", 4),
        ("n2", "A", 5),
        ("n2", "B", 0),
        ("n2", "C", 8),
        ("n3", "A", 9),
        ("n3", "B", 0),
        ("n3", "C", 5),
        ("s1", "A", 8),
        ("s1", "B", 3),
        ("s1", "C", 6),
        ("s2", "A", 3),
        ("s2", "B", 4),
        ("s2", "C", 5),
    ];
    let c = counter(&values);
    let picked = [
        Shape {
            level: "stadtteil",
            by_category: false,
            filter: None,
        },
        Shape {
            level: "bezirk",
            by_category: false,
            filter: Some(Only::Categories(&["A"])),
        },
        Shape {
            level: "bezirk",
            by_category: false,
            filter: Some(Only::Categories(&["C"])),
        },
    ];
    let filters: Vec<Option<Only>> = picked.iter().map(|p| p.filter).collect();
    // Each passes on its own, and together they give the 2 away.
    let alone: Vec<ProtectedTable> = picked
        .iter()
        .map(|&shape| protect(table(&c, shape), &settings(ProtectionMode::Tabelle)))
        .collect();
    assert!(alone.iter().all(|t| !t.report().all_suppressed));
    let refs: Vec<&ProtectedTable> = alone.iter().collect();
    assert_eq!(find_difference(&c, &refs, &filters), Some(vec![1, 4, 7]));
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let mut release = release_of(&c);
        let released: Vec<ProtectedTable> = picked
            .iter()
            .map(|&shape| release.protect_one(offered(&c, shape), &settings(mode)))
            .collect();
        let refs: Vec<&ProtectedTable> = released.iter().collect();
        assert_eq!(find_difference(&c, &refs, &filters), None, "{mode:?}");
    }
}
