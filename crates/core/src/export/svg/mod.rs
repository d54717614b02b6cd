//! Charts and maps of protected tables as SVG text: a line chart of a monthly series
//! ([`line_chart`]) and a choropleth map of Stadtteile or Baublöcke ([`choropleth`]), and every
//! figure of a report set at once ([`report_figures`]).
//!
//! Both take only [`ProtectedTable`]s and draw only published values: a suppressed value (".")
//! is never drawn as a number (the line is interrupted, the area hatched and explained as
//! „geheim gehalten“), a month without data ("x") interrupts the line, an area without a value
//! is grey. The text in a figure is the table's title and labels, the area labels of the map,
//! published values and German explanations; nothing else. Numbers are written the German way.
//! The output is plain SVG 1.1 built as a string, accessible (`role="img"`, `<title>`,
//! `<desc>`), and deterministic: the same input gives the same bytes.

//!
//! The engine is split by job: [`writer`] writes SVG text (escaping, numbers, the document
//! frame), [`chart`] draws line charts, [`map`] choropleth maps, [`classes`] their colour
//! classes.

mod chart;
mod classes;
mod map;
mod writer;

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::area::{AreaKey, Level};
use crate::export::ExportMeta;
use crate::format;
use crate::geo::{AreaMap, Projection};
use crate::protect::{ProtectedTable, Published};
use crate::tabulate::{RatioUnit, Role, TOTAL_KEY};

pub use chart::{ChartOptions, default_series, line_chart};
pub use map::{Classification, MapOptions, choropleth, default_map_measure};
use writer::*;

/// A value column of a protected table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Count column `n` (0-based, before the derived columns).
    Count(usize),
    /// Derived ratio column `n`.
    Derived(usize),
}

impl Measure {
    /// The column whose (innermost) key or header is `name`: a count column by the key of its
    /// innermost column position (e.g. `_total`, `geduldete_gesamt`) or its label, else a
    /// derived column by its label.
    pub fn find(table: &ProtectedTable, name: &str) -> Option<Measure> {
        (0..table.n_cols())
            .find(|&c| {
                table
                    .column_positions(c)
                    .last()
                    .is_some_and(|p| p.key == name || p.label == name)
            })
            .map(Measure::Count)
            .or_else(|| {
                table
                    .derived_columns()
                    .iter()
                    .position(|d| d.label == name)
                    .map(Measure::Derived)
            })
    }

    /// German header of the column.
    pub fn label(self, table: &ProtectedTable) -> String {
        match self {
            Measure::Count(c) => {
                let labels: Vec<String> = table
                    .column_positions(c)
                    .iter()
                    .map(|p| p.label.clone())
                    .collect();
                if labels.is_empty() {
                    table.value_kind().label().to_owned()
                } else {
                    labels.join(" – ")
                }
            }
            Measure::Derived(k) => table
                .derived_columns()
                .get(k)
                .map(|d| d.label.clone())
                .unwrap_or_default(),
        }
    }

    fn value(self, table: &ProtectedTable, row: usize) -> Published {
        match self {
            Measure::Count(c) => table.cell(row, c),
            Measure::Derived(k) => table.derived(row, k),
        }
    }

    /// Decimal places and unit sign of the values.
    fn format(self, table: &ProtectedTable) -> (usize, &'static str) {
        match self {
            Measure::Count(_) => (0, ""),
            Measure::Derived(k) => table
                .derived_columns()
                .get(k)
                .map(|d| {
                    (
                        usize::from(d.decimals),
                        match d.unit {
                            RatioUnit::Percent | RatioUnit::ChangePercent => " %",
                            RatioUnit::PerMille => " ‰",
                            RatioUnit::Difference => "",
                        },
                    )
                })
                .unwrap_or((1, "")),
        }
    }
}

/// What a figure draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FigureKind {
    /// A line chart of a monthly table.
    Diagramm,
    /// A choropleth map of an area table.
    Karte,
}

impl FigureKind {
    /// German name.
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::Diagramm => "Diagramm",
            FigureKind::Karte => "Karte",
        }
    }
}

/// An SVG chart or map drawn from the protected values of one table.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figure {
    /// Key of the table it shows.
    pub key: String,
    /// The page of the app its table is shown on.
    pub page: crate::tabulate::Page,
    /// What it draws.
    pub kind: FigureKind,
    /// German title: the table's title and the kind ("… (Karte)").
    pub title: String,
    /// File name for the SVG download (`<key>.svg`, `<key>_karte.svg`).
    pub file_name: String,
    /// The SVG document.
    pub svg: String,
}

impl Figure {
    /// A figure of `table`; `part` names one of several maps of the table (its column), and
    /// `stamp` (the Stichtag, `JJJJ-MM-TT`) ends the file name.
    fn of(
        table: &ProtectedTable,
        kind: FigureKind,
        part: Option<(&str, &str)>,
        stamp: &str,
        svg: String,
    ) -> Figure {
        let stem = id_of(table.key()).replace('-', "_");
        let title = match part {
            Some((_, label)) => format!("{}: {label} ({})", table.title(), kind.label()),
            None => format!("{} ({})", table.title(), kind.label()),
        };
        let file_name = match (kind, part) {
            (FigureKind::Diagramm, _) => format!("{stem}_{stamp}.svg"),
            (FigureKind::Karte, None) => format!("{stem}_karte_{stamp}.svg"),
            (FigureKind::Karte, Some((key, _))) => {
                format!("{stem}_karte_{}_{stamp}.svg", id_of(key).replace('-', "_"))
            }
        };
        Figure {
            key: table.key().to_owned(),
            page: table.page(),
            kind,
            title,
            file_name,
            svg,
        }
    }
}

/// The lines a figure carries below it, so it can be pasted into a report as it is: the
/// Stichtag (if known), each register with its Stichtag or period, the protection applied
/// (with at most three merges named), the publisher, and the warning of the example PKS
/// mapping where the table uses it.
pub fn caption(table: &ProtectedTable, meta: &ExportMeta) -> Vec<String> {
    let mut lines: Vec<String> = meta
        .reference_date
        .map(|d| format!("Stichtag: {}", d.to_german()))
        .into_iter()
        .collect();
    lines.extend(crate::export::source_lines(table));
    let report = table.report();
    let rule = meta.protection.describe();
    lines.push(if report.all_suppressed {
        format!("Geheimhaltung: {rule}; die Tabelle ist ganz gesperrt.")
    } else if report.recoded.is_empty() {
        format!("Geheimhaltung: {rule}; geprüft, nichts zusammengefasst.")
    } else {
        let mut merged: Vec<String> = report.recoded.iter().take(3).cloned().collect();
        if report.recoded.len() > 3 {
            merged.push(format!("{} weitere", report.recoded.len() - 3));
        }
        format!(
            "Geheimhaltung: {rule}; damit kein Wert von 1 oder 2 erscheint: {}.",
            merged.join("; ")
        )
    });
    lines.extend(meta.publisher.lines());
    if table
        .notes()
        .iter()
        .any(|n| n == crate::classify::pks::EXAMPLE_WARNING)
    {
        lines.push(format!(
            "ACHTUNG – {}",
            crate::classify::pks::EXAMPLE_WARNING
        ));
    }
    lines
}

/// The dimensions whose columns get a map each ("… nach Kategorie und Stadtteil").
const MAP_PER_COLUMN: [&str; 2] = ["kategorie", "alw_kategorie"];

/// Every figure of the protected `tables` in table order: a line chart (`<key>_<Stichtag>.svg`)
/// of each table whose rows are months, and a map (`<key>_karte_<Stichtag>.svg`) of each table
/// whose rows are areas of a level one of `maps` covers, with the Stadtbezirk borders if a
/// Stadtbezirk map is among `maps`; a table by category gets one more map per category
/// (`<key>_karte_<Kategorie>_<Stichtag>.svg`). Each figure carries its [`caption`].
pub fn report_figures(
    tables: &[ProtectedTable],
    maps: &[&AreaMap],
    meta: &ExportMeta,
) -> Vec<Figure> {
    let borders = maps.iter().copied().find(|m| m.level == Level::Stadtbezirk);
    let stamp = meta.reference_stamp();
    let mut figures = Vec::new();
    for table in tables {
        let Some(first) = table.row_axes().first() else {
            continue;
        };
        let caption = caption(table, meta);
        if first.dimension() == "monat" {
            let options = ChartOptions {
                caption,
                ..ChartOptions::default()
            };
            let svg = line_chart(table, &default_series(table), &options);
            figures.push(Figure::of(table, FigureKind::Diagramm, None, &stamp, svg));
        } else if first.dimension() == "raum" {
            let level = first
                .positions()
                .iter()
                .filter(|p| !p.is_margin())
                .filter_map(|p| Level::of_key(&p.key))
                .max();
            let Some(map) = level.and_then(|l| maps.iter().copied().find(|m| m.level == l)) else {
                continue;
            };
            let options = MapOptions {
                borders: borders.filter(|_| map.level != Level::Stadtbezirk),
                caption,
                ..MapOptions::default()
            };
            let svg = choropleth(table, default_map_measure(table), map, &options);
            figures.push(Figure::of(table, FigureKind::Karte, None, &stamp, svg));
            let by_column = table.column_axes().len() == 1
                && MAP_PER_COLUMN.contains(&table.column_axes()[0].dimension());
            if !by_column {
                continue;
            }
            let columns: Vec<usize> = (0..table.n_cols())
                .filter(|&c| table.column_positions(c).iter().all(|p| !p.is_margin()))
                .collect();
            if columns.len() < 2 {
                continue;
            }
            for c in columns {
                let Some(position) = table.column_positions(c).last().copied() else {
                    continue;
                };
                let options = MapOptions {
                    title: Some(format!("{}: {}", table.title(), position.label)),
                    ..options.clone()
                };
                let svg = choropleth(table, Measure::Count(c), map, &options);
                figures.push(Figure::of(
                    table,
                    FigureKind::Karte,
                    Some((&position.key, &position.label)),
                    &stamp,
                    svg,
                ));
            }
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::chart::{nice_step, year_month};
    use super::classes::class_bounds;
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            esc("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(esc("x\u{1}y"), "x y");
        assert_eq!(id_of("Kategorie Stadtteil/ä"), "kategorie-stadtteil--");
        assert_eq!(id_of("1a"), "abb-1a");
    }

    #[test]
    fn coordinates_have_one_decimal_and_no_negative_zero() {
        assert_eq!(px(-0.01), "0");
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.345), "12.3");
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(1000.0, 5.0), 200.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(0.9, 5.0), 0.2);
    }

    #[test]
    fn class_bounds_are_increasing_and_whole_for_counts() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(
            class_bounds(&v, 5, Classification::Quantile, 0),
            vec![1.0, 21.0, 41.0, 61.0, 81.0]
        );
        assert_eq!(
            class_bounds(&v, 5, Classification::EqualInterval, 0),
            vec![1.0, 21.0, 41.0, 61.0, 81.0]
        );
        // Many equal values: fewer classes, never an empty or repeated bound.
        let v = [3.0, 3.0, 3.0, 3.0, 10.0];
        assert_eq!(
            class_bounds(&v, 5, Classification::Quantile, 0),
            vec![3.0, 10.0]
        );
        assert_eq!(
            class_bounds(&[2.5], 5, Classification::EqualInterval, 1),
            vec![2.5]
        );
        assert!(class_bounds(&[], 5, Classification::Quantile, 0).is_empty());
        // Zeros get a class of their own; the rest is split into quantiles.
        let mut v = vec![0.0; 50];
        v.extend([3.0, 4.0, 5.0, 8.0, 9.0, 12.0, 20.0, 33.0]);
        assert_eq!(
            class_bounds(&v, 5, Classification::Quantile, 0),
            vec![0.0, 3.0, 5.0, 9.0, 20.0]
        );
        // Ratios: bounds rounded (up) to the decimals shown.
        let v = [1.234, 2.0, 5.55, 7.01, 9.9];
        assert_eq!(
            class_bounds(&v, 3, Classification::EqualInterval, 1),
            vec![1.234, 4.2, 7.1]
        );
    }

    #[test]
    fn month_keys() {
        assert_eq!(year_month("2017-11"), Some((2017, 11)));
        assert_eq!(year_month("2017-13"), None);
        assert_eq!(year_month("st:04"), None);
    }
}
