//! The Kreuztabelle of the pupils (issue 20, point 7): SchILD linked with the ALW snapshot,
//! counted in the universe of the pupils like the school tables of the standard set, so every
//! breakdown equals those tables and the release checks them together.

mod common;

use common::total;

use lagebild_core::protect::{ProtectionSettings, Published};
use lagebild_core::reports::crosstab::{CrosstabFilter, CrosstabRequest, CrosstabSource, crosstab};
use lagebild_core::reports::{pupils, standard_report};
use lagebild_core::tabulate::{Role, TOTAL_KEY, Table, index_of};
use lagebild_synth::{Config, Scale, SourceKind, generate};

fn request(rows: &str, columns: Option<&str>, filters: Vec<CrosstabFilter>) -> CrosstabRequest {
    CrosstabRequest {
        design: Default::default(),
        source: CrosstabSource::Schueler,
        rows: rows.into(),
        columns: columns.map(Into::into),
        filters,
    }
}

/// Every cell of `standard` equals the cell of `crosstab` with the same row and column keys.
fn same_cells(standard: &Table, crosstab: &Table) {
    let keys = |t: &Table, rows: bool| -> Vec<(usize, String)> {
        let axes = if rows { t.row_axes() } else { t.column_axes() };
        axes[0]
            .positions()
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.role, Role::Category | Role::Subtotal | Role::Total))
            .map(|(i, p)| {
                let key = if p.role == Role::Total {
                    TOTAL_KEY.to_owned()
                } else {
                    p.key.clone()
                };
                (i, key)
            })
            .collect()
    };
    let mut compared = 0;
    for (r, row) in keys(standard, true) {
        let cr = index_of(crosstab.row_axes(), &[&row]).expect("row in the Kreuztabelle");
        for (c, column) in keys(standard, false) {
            let cc = index_of(crosstab.column_axes(), &[&column]).expect("column");
            assert_eq!(
                standard.cell(r, c).unwrap_or(0),
                crosstab.cell(cr, cc).unwrap_or(0),
                "{} {row} × {column}",
                standard.key()
            );
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared} cells compared");
}

#[test]
fn pupils_add_up_to_the_school_tables_and_are_released_with_them() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let mut session = common::session_of(&output, |e| {
        matches!(
            e.source,
            SourceKind::Schild | SourceKind::Alw | SourceKind::Gliederung
        )
    });
    let report = standard_report(session.dataset(), session.config()).expect("report");
    let standard = |key: &str| {
        report
            .tables
            .iter()
            .find(|t| t.key() == key)
            .unwrap_or_else(|| panic!("{key}"))
    };
    assert!(
        report
            .universes
            .iter()
            .any(|u| u.name() == pupils::UNIVERSE),
        "the standard set holds the universe of the pupils"
    );
    let count = |r: CrosstabRequest| {
        crosstab(session.dataset(), session.config(), &r).expect("Kreuztabelle")
    };

    // Raw: the school tables are breakdowns of the pupils' Kreuztabelle.
    let by_form = count(request(
        "schulform:jahrgang",
        Some("fluchtstatus"),
        Vec::new(),
    ));
    same_cells(standard("schueler_schulform_jahrgang"), &by_form);
    let refugees_only = vec![CrosstabFilter::one("fluchtstatus", pupils::REFUGEE)];
    let by_place = count(request("raum:stadtteil", Some("kategorie"), refugees_only));
    same_cells(standard("schueler_stadtteil"), &by_place);
    assert!(
        by_place
            .title()
            .contains("Status (Geflüchtete / übrige): Geflüchtete"),
        "{}",
        by_place.title()
    );

    // Every pupil once: by category (with those who are no refugees) and by sex.
    let all = total(standard("schueler_schulform_jahrgang"));
    let by_category = count(request("kategorie", None, Vec::new()));
    assert_eq!(total(&by_category), all);
    let none = index_of(by_category.row_axes(), &[pupils::NO_REFUGEE_GROUP]).expect("keine");
    let others = index_of(by_form.column_axes(), &[pupils::OTHERS]).expect("übrige");
    let total_row = index_of(by_form.row_axes(), &[TOTAL_KEY]).unwrap();
    assert_eq!(
        by_category.cell(none, 0),
        by_form.cell(total_row, others),
        "„keine Fluchtkategorie“ are the other pupils"
    );
    let by_sex = count(request("geschlecht", Some("raum:bezirk"), Vec::new()));
    assert_eq!(total(&by_sex), all);
    assert!(
        by_sex
            .notes()
            .iter()
            .any(|n| n.contains("Adresse in SchILD"))
    );

    // In the session: protected in one release with the school tables.
    let settings = ProtectionSettings::default();
    session.run(&settings, &mut |_, _, _, _| {}).expect("run");
    let view = session
        .crosstab(
            &request("schulform", Some("fluchtstatus"), Vec::new()),
            &settings,
        )
        .expect("protected");
    assert!(
        view.title
            .starts_with("Kreuztabelle: Schülerinnen und Schüler (SchILD) nach Schulform"),
        "{}",
        view.title
    );
    let choices = session.crosstab_choices(CrosstabSource::Schueler);
    for d in ["fluchtstatus", "schulform", "kategorie", "raum:stadtteil"] {
        assert!(choices.iter().any(|c| c.dimension == d), "{d}");
    }

    // Without SchILD files the source says what is missing.
    let without = common::session_of(&output, |e| {
        matches!(e.source, SourceKind::Alw | SourceKind::Gliederung)
    });
    let missing = crosstab(
        without.dataset(),
        without.config(),
        &request("schulform", None, Vec::new()),
    )
    .expect_err("no pupils");
    assert!(missing.to_string().contains("SchILD"), "{missing}");
}

/// The classes of the attack below: (Jahrgang, refugee) of one Schulform.
const GRADES: [&str; 3] = ["05", "06", "07"];

/// Issue 20, point 7: two Kreuztabellen by Jahrgang, of all pupils and of those who are not
/// refugees, beside the school table of the standard set. Jahrgang 06 has 2 refugee pupils:
/// the school table alone hides them (merged with 07), each Kreuztabelle alone has nothing to
/// hide, yet "alle − übrige" gives the 2 away. Released in one universe with the school
/// table, no set of classes with 1 or 2 pupils can be computed from the published cells.
#[test]
fn a_kreuztabelle_of_the_other_pupils_cannot_difference_the_school_table() {
    use lagebild_core::protect::{Offered, Origin, Release, protect};
    use lagebild_core::reports::dimensions::{Dimensions, Found};
    use lagebild_core::reports::{Counter, ReportConfig, count_into, offered};
    use lagebild_core::tabulate::{AxisDef, Counts, Page, TableDef, ValueKind};

    let config = ReportConfig::default();
    let dims = Dimensions::build(&Default::default(), &config, &Found::default());
    let form = |grade: &str| {
        let gymnasium = config.grades.key("GY", grade);
        assert!(!gymnasium.contains("sonstig"), "{gymnasium}");
        gymnasium
    };
    // Pupils per (Jahrgang, refugee): 06 has 2 refugee pupils.
    let persons: [[u64; 2]; 3] = [[40, 9], [38, 2], [41, 7]];
    let mut universe = Counter::new();
    let mut by_form = Counter::new();
    for (g, grade) in GRADES.iter().enumerate() {
        for (refugee, n) in [(true, persons[g][1]), (false, persons[g][0])] {
            let status = pupils::status(refugee).to_owned();
            let category = if refugee {
                "Duldung|§ 60a AufenthG".to_owned()
            } else {
                pupils::NO_REFUGEE_CATEGORY.to_owned()
            };
            let key = vec![
                form(grade),
                status.clone(),
                "baublock:?".to_owned(),
                category,
                "m".to_owned(),
                "m".to_owned(),
            ];
            *universe.entry(key).or_default() += n;
            *by_form.entry(vec![form(grade), status]).or_default() += n;
        }
    }
    let def = |key: &str| config.tables.iter().find(|d| d.key == key).unwrap().clone();
    let school_def = def("schueler_schulform_jahrgang");
    let school = count_into(&school_def, &dims, &by_form, &["schulform", "schueler"]).unwrap();
    let others_def = TableDef {
        key: "kreuztabelle".into(),
        title: "Kreuztabelle: übrige Schülerinnen und Schüler nach Jahrgang".into(),
        sheet: None,
        value: ValueKind::default(),
        counts: Counts::Kreuztabelle,
        page: Page::Kreuztabelle,
        rows: vec![AxisDef::new("schulform").with_total("Zusammen")],
        columns: Vec::new(),
        derived: Vec::new(),
        notes: Vec::new(),
    };
    let others: Counter = universe
        .iter()
        .filter(|(k, _)| k[1] == pupils::OTHERS)
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    let others_table = count_into(&others_def, &dims, &others, &pupils::DIMS).unwrap();
    let all_def = TableDef {
        title: "Kreuztabelle: Schülerinnen und Schüler nach Jahrgang".into(),
        ..others_def.clone()
    };
    let all_table = count_into(&all_def, &dims, &universe, &pupils::DIMS).unwrap();
    let others_origin = Origin {
        universe: pupils::UNIVERSE.to_owned(),
        filters: vec![("schueler".to_owned(), vec![pupils::OTHERS.to_owned()])],
    };
    let settings = ProtectionSettings::default();
    let shown = |p: Published| matches!(p, Published::Value(_) | Published::Zero);

    // Alone: the school table hides Jahrgang 06's refugees, the Kreuztabelle shows all.
    let school_alone = protect(school.clone(), &settings);
    let crosstabs_alone = [
        protect(others_table.clone(), &settings),
        protect(all_table.clone(), &settings),
    ];
    assert!(!school_alone.report().all_suppressed);
    for alone in &crosstabs_alone {
        assert!(
            (0..alone.n_rows()).all(|r| shown(alone.cell(r, 0))),
            "a Kreuztabelle alone hides nothing"
        );
    }
    let leaks = disclosed(&school_alone, &crosstabs_alone, &persons, &form);
    assert!(!leaks.is_empty(), "alone the two tables give the 2 away");

    // Released together.
    let mut release = Release::new(vec![pupils::universe(&universe, &dims.all)]);
    let released = release.protect_all(
        vec![
            offered(&school_def, school, None),
            Offered {
                table: others_table,
                origin: Some(others_origin),
                domains: vec![pupils::UNIVERSE.to_owned()],
            },
            Offered {
                table: all_table,
                origin: Some(Origin::of(pupils::UNIVERSE)),
                domains: vec![pupils::UNIVERSE.to_owned()],
            },
        ],
        &settings,
        &mut |_, _| {},
    );
    assert_eq!(
        disclosed(&released[0], &released[1..], &persons, &form),
        Vec::<Vec<usize>>::new()
    );
    assert!(
        !released[0].report().all_suppressed,
        "the school table is published"
    );
}

/// The classes a published position of the Gymnasium stands for: (Jahrgang index, refugee)
/// as `2 * g + refugee`. `column` is the school table's column, or for a Kreuztabelle without
/// columns whether it counts all pupils (`Err(true)`) or those who are not refugees.
fn classes_of(
    row: &lagebild_core::tabulate::Position,
    column: Result<&lagebild_core::tabulate::Position, bool>,
    form: &dyn Fn(&str) -> String,
) -> Vec<usize> {
    let gymnasium = form(GRADES[0]);
    let gymnasium = gymnasium.split('|').next().unwrap_or_default();
    let in_row = |key: &str| row.key.split('+').any(|k| k == key);
    let grades: Vec<usize> =
        if row.role == Role::Total || (row.role == Role::Subtotal && in_row(gymnasium)) {
            (0..GRADES.len()).collect()
        } else if row.role == Role::Subtotal {
            Vec::new()
        } else {
            (0..GRADES.len())
                .filter(|&g| in_row(&form(GRADES[g])))
                .collect()
        };
    let statuses: Vec<usize> = match column {
        Err(false) => vec![0],
        Err(true) => vec![0, 1],
        Ok(c) if c.role == Role::Total => vec![0, 1],
        Ok(c) => c
            .key
            .split('+')
            .map(|k| usize::from(k == pupils::REFUGEE))
            .collect(),
    };
    grades
        .iter()
        .flat_map(|g| statuses.iter().map(move |s| 2 * g + s))
        .collect()
}

/// Every set of classes with 1 or 2 pupils whose count the published cells determine.
fn disclosed(
    school: &lagebild_core::protect::ProtectedTable,
    crosstabs: &[lagebild_core::protect::ProtectedTable],
    persons: &[[u64; 2]; 3],
    form: &dyn Fn(&str) -> String,
) -> Vec<Vec<usize>> {
    let n = 2 * GRADES.len();
    let mut rows: Vec<Vec<i128>> = Vec::new();
    let mut add = |classes: Vec<usize>| {
        if !classes.is_empty() {
            rows.push((0..n).map(|i| i128::from(classes.contains(&i))).collect());
        }
    };
    let shown = |p: Published| matches!(p, Published::Value(_) | Published::Zero);
    for r in 0..school.n_rows() {
        for c in 0..school.n_cols() {
            let column = school.column_positions(c)[0];
            if !shown(school.cell(r, c)) {
                continue;
            }
            add(classes_of(school.row_positions(r)[0], Ok(column), form));
        }
    }
    for (t, table) in crosstabs.iter().enumerate() {
        for r in 0..table.n_rows() {
            if shown(table.cell(r, 0)) {
                add(classes_of(table.row_positions(r)[0], Err(t == 1), form));
            }
        }
    }
    let base = common::rank(rows.clone());
    let count = |i: usize| persons[i / 2][i % 2];
    let mut found = Vec::new();
    for mask in 1u32..(1 << n) {
        let set: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let total: u64 = set.iter().map(|&i| count(i)).sum();
        if !(1..=2).contains(&total) {
            continue;
        }
        let mut with = rows.clone();
        with.push((0..n).map(|i| i128::from(set.contains(&i))).collect());
        if common::rank(with) == base {
            found.push(set);
        }
    }
    found
}
