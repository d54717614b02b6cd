//! The release across a published rule by which one dimension determines another: the rules
//! file names the form of protection of each legal basis, so a table by form is a grouping
//! of the table by legal basis. A table by form that groups otherwise than the released table
//! by legal basis would let a reader compute a small count by differencing; the release sees
//! that (it checks the form as the legal bases it holds) and designs the table by form as a
//! grouping of what the table by legal basis shows. Legal bases of one form are akin: the
//! planner merges them with each other first, so the table by form keeps its forms apart.

use lagebild_core::protect::{
    Offered, Origin, ProtectedTable, ProtectionMode, ProtectionSettings, Published, Release,
    Universe,
};
use lagebild_core::reports::dimensions::Dimensions;
use lagebild_core::reports::{Counter, count_into};
use lagebild_core::tabulate::{
    AxisDef, CategoryDef, Counts, DimensionDef, LevelDef, Page, Table, TableDef, ValueKind,
};

const DIMS: [&str; 2] = ["kategorie", "schutzstatus"];

/// Legal bases of the humanitarian category with their form of protection and persons:
/// § 25 Abs. 1 (Asylberechtigung, 1 person), § 25 Abs. 2 Alt. 2 (subsidiärer Schutz, 4) and
/// § 25 Abs. 1a (Asylberechtigung, 5), in this table order.
const LEGAL_BASES: [(&str, &str, u64); 3] = [
    ("abs1", "asylberechtigung", 1),
    ("abs2_alt2", "subsidiaer", 4),
    ("abs1a", "asylberechtigung", 5),
];

/// Category > legal basis (each akin to its form if `akin`), and status > form.
fn dimensions(akin: bool) -> Vec<DimensionDef> {
    let kategorie = DimensionDef {
        key: "kategorie".into(),
        label: "Kategorie".into(),
        levels: vec![
            LevelDef {
                key: "kategorie".into(),
                label: "Kategorie".into(),
                categories: vec![CategoryDef::new("hum", "humanitär")],
            },
            LevelDef {
                key: "unterkategorie".into(),
                label: "Rechtsgrundlage".into(),
                categories: LEGAL_BASES
                    .iter()
                    .map(|(key, form, _)| {
                        let def = CategoryDef::child(*key, *key, "hum");
                        if akin { def.with_affinity(*form) } else { def }
                    })
                    .collect(),
            },
        ],
        sums: Vec::new(),
    };
    let schutzstatus = DimensionDef {
        key: "schutzstatus".into(),
        label: "Schutzstatus".into(),
        levels: vec![
            LevelDef {
                key: "status".into(),
                label: "Schutzstatus".into(),
                categories: vec![CategoryDef::new("anerkannt", "anerkannt")],
            },
            LevelDef {
                key: "schutzform".into(),
                label: "Schutzform".into(),
                categories: vec![
                    CategoryDef::child("asylberechtigung", "Asylberechtigung", "anerkannt"),
                    CategoryDef::child("subsidiaer", "subsidiärer Schutz", "anerkannt"),
                ],
            },
        ],
        sums: Vec::new(),
    };
    vec![kategorie, schutzstatus]
}

fn counter() -> Counter {
    LEGAL_BASES
        .iter()
        .map(|(basis, form, n)| (vec![(*basis).to_owned(), (*form).to_owned()], *n))
        .collect()
}

/// The table by `dimension` (every level, with subtotals and total).
fn offered(dimension: &str, akin: bool) -> Offered {
    let def = TableDef {
        key: format!("nach_{dimension}"),
        title: "Test".into(),
        sheet: None,
        value: ValueKind::Persons,
        counts: Counts::Gefluechtete,
        page: Page::Raeumlich,
        rows: vec![
            AxisDef::new(dimension)
                .with_total("Insgesamt")
                .with_subtotals(true),
        ],
        columns: Vec::new(),
        derived: Vec::new(),
        notes: Vec::new(),
    };
    let all = Dimensions {
        all: dimensions(akin),
    };
    let table: Table = count_into(&def, &all, &counter(), &DIMS).expect("table");
    Offered {
        table,
        origin: Some(Origin::of("u")),
        domains: vec!["u".into()],
    }
}

/// The release of the table by legal basis, then the one by form.
fn release(akin: bool, functions: bool) -> Vec<ProtectedTable> {
    let mut universe = Universe::new("u", &DIMS, &counter(), &dimensions(akin))
        .with_ties(&[("kategorie", "schutzstatus")], &[]);
    if functions {
        universe = universe.with_functions(&[("kategorie", "schutzstatus")]);
    }
    let settings = ProtectionSettings {
        mode: ProtectionMode::Tabelle,
        ..ProtectionSettings::default()
    };
    Release::new(vec![universe]).protect_all(
        vec![offered("kategorie", akin), offered("schutzstatus", akin)],
        &settings,
        &mut |_, _| {},
    )
}

/// Row label -> published value of a table with one column.
fn values(table: &ProtectedTable) -> Vec<(String, Option<u64>)> {
    (0..table.n_rows())
        .map(|r| {
            let label = table
                .row_positions(r)
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()
                .join(" / ");
            let value = match table.cell(r, 0) {
                Published::Value(v) => Some(v),
                _ => None,
            };
            (label, value)
        })
        .collect()
}

#[test]
fn a_table_by_form_is_designed_as_a_grouping_of_the_released_table_by_legal_basis() {
    let [by_basis, by_form] = release(false, true).try_into().expect("two tables");
    // The planner merges § 25 Abs. 1 (1 person) with its smaller neighbour, a legal basis of
    // another form: 5 and 5.
    let basis = values(&by_basis);
    assert!(
        basis.contains(&("abs1 und abs2_alt2".to_owned(), Some(5))),
        "{basis:?}"
    );
    assert!(basis.contains(&("abs1a".to_owned(), Some(5))), "{basis:?}");
    // By form alone (Asylberechtigung 6, subsidiärer Schutz 4) it would pass the rule, but
    // 6 - 5 = 1 person with § 25 Abs. 1: the release merges the forms as the legal bases are.
    assert!(
        !by_form.report().all_suppressed,
        "{}",
        by_form.report().text()
    );
    let form = values(&by_form);
    assert!(
        form.iter().all(|(_, v)| *v == Some(10)),
        "only sums of what the table by legal basis shows: {form:?}"
    );
    assert!(
        form.iter()
            .any(|(label, _)| label.contains("Asylberechtigung und subsidiärer Schutz")),
        "{form:?}"
    );
}

#[test]
fn the_difference_is_found_by_the_tie_alone_too() {
    // Without the rule declared as a function, the tie still makes the check see the
    // difference; the table by form is then blanked rather than released with it.
    let [_, by_form] = release(false, false).try_into().expect("two tables");
    let form = values(&by_form);
    assert!(
        !form.iter().any(|(_, v)| *v == Some(6)),
        "Asylberechtigung 6 beside 5 by legal basis: {form:?}"
    );
}

#[test]
fn legal_bases_of_one_form_are_merged_first_so_the_forms_stay_apart() {
    let [by_basis, by_form] = release(true, true).try_into().expect("two tables");
    let basis = values(&by_basis);
    assert!(
        basis.contains(&("abs1 und abs1a".to_owned(), Some(6))),
        "{basis:?}"
    );
    assert!(
        basis.contains(&("abs2_alt2".to_owned(), Some(4))),
        "{basis:?}"
    );
    let form = values(&by_form);
    assert!(
        form.contains(&("Asylberechtigung".to_owned(), Some(6))),
        "{form:?}"
    );
    assert!(
        form.contains(&("subsidiärer Schutz".to_owned(), Some(4))),
        "{form:?}"
    );
    assert!(
        by_form.report().recoded.is_empty(),
        "{:?}",
        by_form.report().recoded
    );
}
