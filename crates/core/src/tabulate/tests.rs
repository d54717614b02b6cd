use super::*;
use crate::records::YearMonth;

fn raum() -> DimensionDef {
    DimensionDef {
        key: "raum".into(),
        label: "Raum".into(),
        levels: vec![
            LevelDef {
                key: "bezirk".into(),
                label: "Stadtbezirk".into(),
                categories: vec![
                    CategoryDef::new("1", "Mitte"),
                    CategoryDef::new("2", "Nord"),
                ],
            },
            LevelDef {
                key: "stadtteil".into(),
                label: "Stadtteil".into(),
                categories: vec![
                    CategoryDef::child("11", "Altstadt", "1"),
                    CategoryDef::child("21", "Buer", "2"),
                    CategoryDef::child("12", "Bismarck", "1"),
                ],
            },
            LevelDef {
                key: "baublock".into(),
                label: "Baublock".into(),
                categories: vec![
                    CategoryDef::child("11001", "Block 11001", "11"),
                    CategoryDef::child("11002", "Block 11002", "11"),
                    CategoryDef::child("21001", "Block 21001", "21"),
                    CategoryDef::child("12001", "Block 12001", "12"),
                ],
            },
        ],
        sums: vec![],
    }
}

fn kategorie() -> DimensionDef {
    DimensionDef::flat(
        "kategorie",
        "Kategorie",
        &[("G", "Gestattung"), ("D", "Duldung")],
    )
}

fn def(rows: Vec<AxisDef>, columns: Vec<AxisDef>) -> TableDef {
    TableDef {
        key: "t".into(),
        title: "Test".into(),
        sheet: None,
        value: ValueKind::Persons,
        counts: Default::default(),
        page: Default::default(),
        rows,
        columns,
        derived: vec![],
        notes: vec![],
    }
}

fn labels(table: &Table) -> Vec<String> {
    (0..table.n_rows())
        .map(|r| table.row_positions(r)[0].label.clone())
        .collect()
}

fn relations_hold(table: &Table) {
    for rel in table.relations() {
        let total = table.cells()[rel.total].unwrap_or(u64::MAX);
        let parts: u64 = rel
            .parts
            .iter()
            .map(|&p| table.cells()[p].unwrap_or(u64::MAX))
            .sum();
        assert_eq!(total, parts, "{rel:?}");
    }
}

#[test]
fn hierarchy_with_subtotals_rolls_up_finer_keys() {
    let d = def(
        vec![
            AxisDef::new("raum")
                .at_level("stadtteil")
                .with_total("Gelsenkirchen"),
        ],
        vec![AxisDef::new("kategorie").with_total("Insgesamt")],
    );
    let mut b = Table::builder(&d, &[raum(), kategorie()]).unwrap();
    assert_eq!(b.key_order(), ["raum", "kategorie"]);
    b.add(&["11001", "G"]).unwrap();
    b.add(&["11002", "G"]).unwrap();
    b.add(&["11", "D"]).unwrap();
    b.add_count(&["12001", "D"], 5).unwrap();
    b.add(&["21001", "D"]).unwrap();
    let t = b.finish();
    // Outline: each Bezirk before its Stadtteile in the order of the Stadtteil list.
    assert_eq!(
        labels(&t),
        [
            "Mitte",
            "Altstadt",
            "Bismarck",
            "Nord",
            "Buer",
            "Gelsenkirchen"
        ]
    );
    assert_eq!(t.row_axes()[0].label(), "Stadtteil");
    assert_eq!(t.n_cols(), 3);
    assert_eq!(t.cell(1, 0), Some(2)); // Altstadt G
    assert_eq!(t.cell(1, 2), Some(3)); // Altstadt total
    assert_eq!(t.cell(0, 2), Some(8)); // Mitte total
    assert_eq!(t.cell(5, 2), Some(9)); // grand total
    assert_eq!(t.counted(), 9);
    assert!(t.is_margin(0, 0) && t.is_margin(1, 2) && !t.is_margin(1, 0));
    relations_hold(&t);
    // Bezirk keys are coarser than the shown level: not countable.
    assert!(matches!(
        b_err(&d, &["1", "G"]),
        TabulateError::UnknownKey { .. }
    ));
}

fn b_err(d: &TableDef, keys: &[&str]) -> TabulateError {
    let mut b = Table::builder(d, &[raum(), kategorie()]).unwrap();
    b.add(keys).unwrap_err()
}

#[test]
fn without_subtotals_and_with_total_first() {
    let mut axis = AxisDef::new("raum")
        .with_subtotals(false)
        .with_total("Stadt");
    axis.total_first = true;
    let d = def(vec![axis], vec![]);
    let mut b = Table::builder(&d, &[raum()]).unwrap();
    b.add(&["11001"]).unwrap();
    b.add(&["12001"]).unwrap();
    let t = b.finish();
    assert_eq!(
        labels(&t),
        [
            "Stadt",
            "Block 11001",
            "Block 11002",
            "Block 21001",
            "Block 12001"
        ]
    );
    assert_eq!(t.n_cols(), 1);
    assert_eq!(t.cell(0, 0), Some(2));
    relations_hold(&t);
}

fn asylblg() -> DimensionDef {
    DimensionDef::flat(
        "pks",
        "Personenkreis",
        &[
            ("2G", "§ 2 Geduldete"),
            ("2A", "§ 2 Asylbewerber"),
            ("3A", "§ 3 Asylbewerber"),
            ("3G", "§ 3 Geduldete"),
            ("S", "Sonstige"),
        ],
    )
    .with_sum("G", "Geduldete gesamt", &["2G", "3G", "S"])
    .with_sum("A", "Asylbewerber gesamt", &["2A", "3A"])
    .with_sum("I", "Insgesamt", &["G", "A"])
}

#[test]
fn measure_columns_and_month_gaps() {
    let months = DimensionDef::months(
        "monat",
        "Monat",
        YearMonth::new(2017, 11).unwrap(),
        YearMonth::new(2018, 2).unwrap(),
    );
    assert_eq!(months.levels[0].categories[1].key, "2017-12");
    assert_eq!(months.levels[0].categories[2].label, "01.01.2018");
    let d = def(vec![AxisDef::new("monat")], vec![AxisDef::new("pks")]);
    let mut b = Table::builder(&d, &[months, asylblg()]).unwrap();
    for (m, k, n) in [
        ("2017-11", "2G", 10),
        ("2017-11", "3A", 4),
        ("2017-11", "S", 1),
        ("2018-02", "2A", 7),
    ] {
        b.add_count(&[m, k], n).unwrap();
    }
    b.mark_gap("monat", "2018-01").unwrap();
    let t = b.finish();
    let headers: Vec<&str> = (0..t.n_cols())
        .map(|c| t.column_positions(c)[0].label.as_str())
        .collect();
    assert_eq!(
        headers,
        [
            "§ 2 Geduldete",
            "§ 2 Asylbewerber",
            "§ 3 Asylbewerber",
            "§ 3 Geduldete",
            "Sonstige",
            "Geduldete gesamt",
            "Asylbewerber gesamt",
            "Insgesamt"
        ]
    );
    assert_eq!(t.cell(0, 5), Some(11));
    assert_eq!(t.cell(0, 6), Some(4));
    assert_eq!(t.cell(0, 7), Some(15));
    assert_eq!(t.cell(1, 7), Some(0)); // month with data but nothing counted
    assert_eq!(t.cell(2, 0), None); // gap
    assert_eq!(t.cell(2, 7), None);
    assert_eq!(t.cell(3, 7), Some(7));
    relations_hold(&t);
    // Insgesamt = Geduldete gesamt + Asylbewerber gesamt is one of the relations.
    assert!(
        t.relations()
            .iter()
            .any(|r| r.total == 7 && r.parts == [5, 6])
    );
    // No relation for the gap month.
    assert!(t.relations().iter().all(|r| r.total / 8 != 2));
}

#[test]
fn definitions_are_data() {
    let text = r#"
key = "kategorie_raum"
title = "Geflüchtete nach Kategorie und Stadtteil"
value = "persons"

[[rows]]
dimension = "raum"
level = "stadtteil"
total = "Gelsenkirchen"

[[columns]]
dimension = "kategorie"
total = "Insgesamt"

[[derived]]
label = "Anteil an der Stadt in %"
numerator = ["_total"]
denominator = ["_total"]
denominator_row = ["_total"]
"#;
    let d: TableDef = toml::from_str(text).unwrap();
    assert!(d.rows[0].subtotals);
    assert_eq!(d.derived[0].decimals, 1);
    let back: TableDef = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    let dims: Vec<DimensionDef> = vec![raum(), kategorie()];
    let json = serde_json::to_string(&dims).unwrap();
    let dims_back: Vec<DimensionDef> = serde_json::from_str(&json).unwrap();
    assert_eq!(dims_back, dims);
    let mut b = Table::builder(&d, &dims).unwrap();
    b.add(&["11", "G"]).unwrap();
    b.add(&["21", "D"]).unwrap();
    let t = b.finish();
    let derived = &t.derived()[0];
    assert_eq!(derived.numerator_col, 2);
    assert_eq!(derived.denominator_row, Some(5));
    assert!(toml::from_str::<TableDef>("key = 1").is_err());
}

#[test]
fn errors_are_german_and_specific() {
    let dims = [raum(), kategorie()];
    let missing = def(vec![AxisDef::new("alter")], vec![]);
    let e = Table::builder(&missing, &dims).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Die Tabelle verwendet die Dimension „alter“, die nicht definiert ist."
    );
    let twice = def(vec![AxisDef::new("raum")], vec![AxisDef::new("raum")]);
    assert!(matches!(
        Table::builder(&twice, &dims),
        Err(TabulateError::DuplicateDimension { .. })
    ));
    let level = def(vec![AxisDef::new("raum").at_level("block")], vec![]);
    assert!(matches!(
        Table::builder(&level, &dims),
        Err(TabulateError::UnknownLevel { .. })
    ));
    let mut bad = raum();
    bad.levels[1].categories[0].parent = Some("9".into());
    let e = Table::builder(&def(vec![AxisDef::new("raum")], vec![]), &[bad]).unwrap_err();
    assert!(e.to_string().contains("übergeordnete Kategorie"), "{e}");
    let mut dup = kategorie();
    dup.levels[0].categories[1].key = "G".into();
    assert!(Table::builder(&def(vec![AxisDef::new("kategorie")], vec![]), &[dup]).is_err());
    let reserved = DimensionDef::flat("k", "K", &[(TOTAL_KEY, "x")]);
    assert!(Table::builder(&def(vec![AxisDef::new("k")], vec![]), &[reserved]).is_err());
    let bad_sum = DimensionDef::flat("k", "K", &[("a", "A")]).with_sum("s", "S", &["b"]);
    assert!(Table::builder(&def(vec![AxisDef::new("k")], vec![]), &[bad_sum]).is_err());
    let mut derived = def(vec![AxisDef::new("raum")], vec![AxisDef::new("kategorie")]);
    derived.derived.push(DerivedDef {
        label: "Anteil".into(),
        numerator: vec!["G".into()],
        denominator: vec![TOTAL_KEY.into()],
        denominator_row: None,
        unit: RatioUnit::Percent,
        decimals: 1,
    });
    assert!(matches!(
        Table::builder(&derived, &dims),
        Err(TabulateError::UnknownPosition { .. })
    ));
    let ok = def(vec![AxisDef::new("raum")], vec![AxisDef::new("kategorie")]);
    let mut b = Table::builder(&ok, &dims).unwrap();
    assert!(matches!(
        b.add(&["11001"]),
        Err(TabulateError::WrongKeyCount {
            expected: 2,
            got: 1
        })
    ));
    assert!(matches!(
        b.add(&["99", "G"]),
        Err(TabulateError::UnknownKey { .. })
    ));
    assert!(b.mark_gap("raum", "11").is_err()); // a subtotal, not a shown category
    b.add_count(&["11001", "G"], u64::MAX).unwrap();
    assert_eq!(b.add(&["11001", "G"]), Err(TabulateError::Overflow));
}

#[test]
fn tables_without_axes_have_one_cell() {
    let d = def(vec![], vec![]);
    let mut b = Table::builder(&d, &[]).unwrap();
    let none: [&str; 0] = [];
    b.add(&none).unwrap();
    b.add(&none).unwrap();
    let t = b.finish();
    assert_eq!((t.n_rows(), t.n_cols(), t.cell(0, 0)), (1, 1, Some(2)));
    assert!(t.relations().is_empty());
}

#[test]
fn index_of_finds_key_paths() {
    let d = def(
        vec![AxisDef::new("raum").at_level("stadtteil").with_total("S")],
        vec![AxisDef::new("kategorie").with_total("I")],
    );
    let t = Table::builder(&d, &[raum(), kategorie()]).unwrap().finish();
    assert_eq!(index_of(t.row_axes(), &["12"]), Some(2));
    assert_eq!(index_of(t.row_axes(), &[TOTAL_KEY]), Some(5));
    assert_eq!(index_of(t.column_axes(), &["D"]), Some(1));
    assert_eq!(index_of(t.column_axes(), &["nope"]), None);
}
