use super::*;
use crate::tabulate::{AxisDef, DerivedDef, DimensionDef, TOTAL_KEY, TableDef};

fn pairs(keys: &[(String, String)]) -> Vec<(&str, &str)> {
    keys.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect()
}

/// A rows x columns table with totals on both axes and a share column (row total / grand
/// total); `None` rows are gaps.
fn grid(rows: &[Option<&[u64]>]) -> Table {
    let n_cols = rows.iter().flatten().map(|r| r.len()).max().unwrap_or(1);
    let row_keys: Vec<(String, String)> = (0..rows.len())
        .map(|i| (format!("r{i}"), format!("Zeile {i}")))
        .collect();
    let col_keys: Vec<(String, String)> = (0..n_cols)
        .map(|i| (format!("c{i}"), format!("Spalte {i}")))
        .collect();
    let dims = [
        DimensionDef::flat("z", "Zeile", &pairs(&row_keys)),
        DimensionDef::flat("s", "Spalte", &pairs(&col_keys)),
    ];
    let def = TableDef {
        key: "grid".into(),
        title: "Gitter".into(),
        sheet: None,
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("z").with_total("Summe")],
        columns: vec![AxisDef::new("s").with_total("Insgesamt")],
        derived: vec![DerivedDef {
            label: "Anteil in %".into(),
            numerator: vec![TOTAL_KEY.into()],
            denominator: vec![TOTAL_KEY.into()],
            denominator_row: Some(vec![TOTAL_KEY.into()]),
            unit: RatioUnit::Percent,
            decimals: 1,
        }],
        notes: vec![],
    };
    let mut b = Table::builder(&def, &dims).unwrap();
    for (r, row) in rows.iter().enumerate() {
        match row {
            Some(values) => {
                for (c, &n) in values.iter().enumerate() {
                    b.add_count(&[row_keys[r].0.as_str(), col_keys[c].0.as_str()], n)
                        .unwrap();
                }
            }
            None => b.mark_gap("z", &row_keys[r].0).unwrap(),
        }
    }
    b.finish()
}

/// The office's rule on tables as they are (no planning).
fn original() -> ProtectionSettings {
    ProtectionSettings {
        design: TableDesign::Original,
        ..ProtectionSettings::default()
    }
}

fn zelle() -> ProtectionSettings {
    ProtectionSettings {
        mode: ProtectionMode::Zelle,
        threshold: Threshold::default(),
        ..ProtectionSettings::default()
    }
}

#[test]
fn threshold_cannot_go_below_three() {
    assert!(Threshold::new(2).is_err());
    assert!(Threshold::new(0).is_err());
    assert_eq!(Threshold::new(5).unwrap().get(), 5);
    assert_eq!(Threshold::default().get(), 3);
    assert!(serde_json::from_str::<Threshold>("2").is_err());
    assert!(serde_json::from_str::<ProtectionSettings>(r#"{"threshold": 1}"#).is_err());
    let s: ProtectionSettings = serde_json::from_str(r#"{"mode": "zelle"}"#).unwrap();
    assert_eq!(s.threshold.get(), 3);
    assert_eq!(ProtectionSettings::default().mode, ProtectionMode::Tabelle);
    assert_eq!(
        Threshold::new(1).unwrap_err().to_string(),
        "Die Geheimhaltungsschwelle muss mindestens 3 sein (angegeben: 1); eine niedrigere \
         Schwelle ist nach den Regeln des Amtes nicht zulässig."
    );
    let t = Threshold::new(5).unwrap();
    assert!(t.is_sensitive(4) && !t.is_sensitive(5) && !t.is_sensitive(0));
    assert_eq!(t.sensitive_values(), "1 bis 4");
}

#[test]
fn tabelle_suppresses_everything_but_gaps() {
    let p = protect(grid(&[Some(&[5, 2]), None, Some(&[0, 7])]), &original());
    assert_eq!(p.report().rule, AppliedRule::TableSuppression);
    assert_eq!(p.report().sensitive, 1);
    assert!(p.report().all_suppressed);
    assert_eq!(p.cell(0, 0), Published::Suppressed);
    assert_eq!(p.cell(2, 0), Published::Suppressed); // a zero, too
    assert_eq!(p.cell(1, 0), Published::NotMeaningful); // the gap stays "x"
    assert_eq!(p.cell(3, 2), Published::NotMeaningful); // the total over a gap
    assert_eq!(p.derived(0, 0), Published::Suppressed);
    assert_eq!(
        p.report().text(),
        "Regel angewandt: Tabellensperrung (Schwelle 3), weil mindestens eine Zelle oder Summe \
         einen Wert von 1 oder 2 hat; alle Werte der Tabelle sind gesperrt („.“)."
    );
    assert!(audit(&p).passed());
}

#[test]
fn tabelle_publishes_a_safe_table_with_symbols() {
    let p = protect(
        grid(&[Some(&[5, 0]), Some(&[3, 12])]),
        &ProtectionSettings::default(),
    );
    assert!(!p.report().all_suppressed);
    assert_eq!(p.cell(0, 0), Published::Value(5));
    assert_eq!(p.cell(0, 1), Published::Zero);
    assert_eq!(p.cell(2, 2), Published::Value(20));
    assert_eq!(p.derived(0, 0), Published::Percent(25.0));
    assert_eq!(p.derived(2, 0), Published::Percent(100.0));
    assert!(p.report().text().contains("vollständig veröffentlicht"));
    assert_eq!(p.derived(0, 0).to_german(1), "25,0");
    assert_eq!(Published::Value(12345).to_german(0), "12.345");
    assert_eq!(Published::Zero.to_german(0), "–");
}

#[test]
fn a_margin_of_two_is_sensitive() {
    // The two 1s, their row total 2 and the column total 0 + 1 = 1 are all sensitive.
    let p = protect(grid(&[Some(&[0, 4]), Some(&[1, 1])]), &original());
    assert_eq!(p.report().sensitive, 4);
    let p = protect(grid(&[Some(&[0, 4]), Some(&[1, 1])]), &zelle());
    assert_eq!(p.cell(1, 2), Published::Suppressed);
    assert!(audit(&p).passed());
}

#[test]
fn zelle_ratios_follow_their_counts() {
    let p = protect(
        grid(&[Some(&[1, 9]), Some(&[6, 4]), Some(&[5, 5]), Some(&[0, 0])]),
        &zelle(),
    );
    assert_eq!(p.report().rule, AppliedRule::CellSuppression);
    assert!(p.report().secondary > 0);
    let a = audit(&p);
    assert!(a.passed(), "{a:?}");
    for r in 0..p.n_rows() {
        let row_total = p.cell(r, 2);
        let share = p.derived(r, 0);
        match row_total {
            Published::Suppressed => assert_eq!(share, Published::Suppressed),
            Published::Zero => assert_eq!(share, Published::Zero),
            Published::Value(_) => assert!(matches!(share, Published::Percent(_))),
            _ => {}
        }
    }
    // Zeros are not sensitive and stay published unless needed.
    assert_eq!(p.cell(3, 0), Published::Zero);
    assert!(p.report().text().starts_with(
        "Regel angewandt: Zellsperrung (Schwelle 3): Zellen mit einem Wert von 1 oder 2"
    ));
}

#[test]
fn ratio_rules() {
    use Published::*;
    assert_eq!(ratio(Value(3), Suppressed, RatioUnit::Percent), Suppressed);
    assert_eq!(ratio(Suppressed, Zero, RatioUnit::Percent), Suppressed);
    assert_eq!(ratio(Value(3), Zero, RatioUnit::Percent), NotMeaningful);
    assert_eq!(
        ratio(NotMeaningful, Value(3), RatioUnit::Percent),
        NotMeaningful
    );
    assert_eq!(ratio(Zero, Value(3), RatioUnit::Percent), Zero);
    assert_eq!(
        ratio(Value(3), Value(4), RatioUnit::PerMille),
        PerMille(750.0)
    );
}

#[test]
fn nothing_sensitive_in_zelle_mode() {
    let p = protect(grid(&[Some(&[3, 4])]), &zelle());
    assert_eq!(p.report().primary + p.report().secondary, 0);
    assert!(p.report().text().ends_with("nichts gesperrt."));
}

#[test]
fn debug_output_hides_the_raw_table() {
    let p = protect(grid(&[Some(&[1, 777_777])]), &ProtectionSettings::default());
    let text = format!("{p:?}");
    assert!(!text.contains("777777"), "{text}");
}

#[test]
fn a_table_with_a_spatial_hierarchy_is_solved_as_a_network() {
    use crate::tabulate::{CategoryDef, LevelDef};
    let level = |key: &str, categories: Vec<CategoryDef>| LevelDef {
        key: key.into(),
        label: key.into(),
        categories,
    };
    let space = DimensionDef {
        key: "raum".into(),
        label: "Raum".into(),
        levels: vec![
            level("bezirk", vec![CategoryDef::new("b", "Bezirk")]),
            level(
                "teil",
                vec![
                    CategoryDef::child("t1", "Teil 1", "b"),
                    CategoryDef::child("t2", "Teil 2", "b"),
                ],
            ),
            level(
                "block",
                (0..6)
                    .map(|i| {
                        CategoryDef::child(
                            format!("k{i}"),
                            format!("{i}"),
                            format!("t{}", 1 + i % 2),
                        )
                    })
                    .collect(),
            ),
        ],
        sums: vec![],
    };
    let category = DimensionDef::flat("kat", "Kategorie", &[("a", "A"), ("d", "D")]);
    let def = TableDef {
        key: "bloecke".into(),
        title: "Blöcke".into(),
        sheet: None,
        value: Default::default(),
        counts: Default::default(),
        page: Default::default(),
        rows: vec![AxisDef::new("raum").with_total("Stadt")],
        columns: vec![AxisDef::new("kat").with_total("Insgesamt")],
        derived: vec![],
        notes: vec![],
    };
    let mut b = Table::builder(&def, &[space, category]).unwrap();
    for i in 0..6 {
        b.add_count(&[format!("k{i}").as_str(), "a"], 1 + i)
            .unwrap();
        b.add_count(&[format!("k{i}").as_str(), "d"], 4).unwrap();
    }
    let t = b.finish();
    let relations = t.relations_by_axis();
    // The row sums of the subtotal rows lie at sums of the rows and are left out.
    assert!(relations.iter().any(|r| r.axis == 1 && r.on_sum));
    assert!(network::Network::of(t.cells().len(), &relations).is_some());
}
