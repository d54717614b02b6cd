//! Fortschreibung: the office's running series table continued with the months of newly loaded
//! AKDN exports, as the office does by hand every month ("Fortschreibung der Datentabelle").
//!
//! The office keeps the aggregate table, not ten years of personal exports (deletion periods).
//! The continued series holds every month of either: months of the table keep the table's
//! numbers (the published history does not change silently); months only in the AKDN exports,
//! and months the table leaves open, come from the exports. Where both have a month, every cell
//! is compared and each difference reported (month, column, both numbers), for the analyst to
//! check before the release. Months in neither between the first and the last are gaps.

use std::collections::BTreeMap;

use serde::Serialize;

use super::series::{CaseRow, MonthCounts, Series, SeriesRow};
use crate::import::series_table::OfficeSeries;
use crate::records::YearMonth;
use crate::series_columns::SeriesColumns;

/// A cell where the office's table and the AKDN exports disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellDifference {
    /// The month.
    pub month: YearMonth,
    /// The heading of the column.
    pub column: String,
    /// The office's table (released).
    pub office: u64,
    /// Counted from the AKDN exports.
    pub computed: u64,
}

/// What the Fortschreibung did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Continuation {
    /// First and last month of the office's table.
    pub office_span: Option<(YearMonth, YearMonth)>,
    /// First and last month of the AKDN exports.
    pub akdn_span: Option<(YearMonth, YearMonth)>,
    /// Months taken from the AKDN exports (not in the table, or open there).
    pub continued: Vec<YearMonth>,
    /// Months in both, compared cell by cell.
    pub overlap: Vec<YearMonth>,
    /// The cells of overlapping months that differ.
    pub differences: Vec<CellDifference>,
    /// Months between the first and the last in neither: gaps of the released series.
    pub gaps: Vec<YearMonth>,
    /// The table was read with other columns than the PKS file in force declares: it is not
    /// continued (the series holds the AKDN months only).
    pub columns_differ: bool,
}

impl Continuation {
    /// German lines for the Qualität page and the command line.
    pub fn lines(&self) -> Vec<String> {
        let month = |m: YearMonth| format!("{:02}/{}", m.month, m.year);
        let span = |s: Option<(YearMonth, YearMonth)>| {
            s.map_or_else(
                || "keine".to_owned(),
                |(a, b)| format!("{} bis {}", month(a), month(b)),
            )
        };
        let list = |months: &[YearMonth]| {
            if months.len() > 6 {
                format!(
                    "{} … {} ({} Monate)",
                    month(months[0]),
                    month(months[months.len() - 1]),
                    months.len()
                )
            } else {
                months
                    .iter()
                    .map(|m| month(*m))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let mut lines = vec![format!(
            "Fortschreibung: Datentabelle des Amtes {}, AKDN-Exporte {}.",
            span(self.office_span),
            span(self.akdn_span)
        )];
        if self.columns_differ {
            lines.push(
                "Die Datentabelle wurde mit anderen Spalten der Monatsreihe gelesen, als die \
                 geltende PKS-Zuordnung erklärt; sie wird nicht fortgeschrieben, die Monatsreihe \
                 enthält nur die Monate der AKDN-Exporte. Bitte die Datentabelle nach dem Laden \
                 der PKS-Zuordnung noch einmal laden."
                    .to_owned(),
            );
            return lines;
        }
        lines.push(if self.continued.is_empty() {
            "Kein Monat aus den AKDN-Exporten hinzugefügt.".to_owned()
        } else {
            format!(
                "Aus den AKDN-Exporten fortgeschrieben: {}.",
                list(&self.continued)
            )
        });
        if !self.overlap.is_empty() {
            lines.push(format!(
                "In beiden enthalten und verglichen: {}; veröffentlicht werden die Zahlen der \
                 Datentabelle.",
                list(&self.overlap)
            ));
            if self.differences.is_empty() {
                lines.push("Keine Abweichung in den überlappenden Monaten.".to_owned());
            }
        }
        for d in &self.differences {
            lines.push(format!(
                "Abweichung {} „{}“: Datentabelle {}, AKDN-Exporte {} ({:+}).",
                month(d.month),
                d.column,
                crate::format::count(d.office),
                crate::format::count(d.computed),
                d.computed as i64 - d.office as i64
            ));
        }
        if !self.gaps.is_empty() {
            lines.push(format!(
                "Lücken (weder in der Datentabelle noch in einem AKDN-Export): {}.",
                list(&self.gaps)
            ));
        }
        lines
    }
}

/// The series continued: `office`'s months with its numbers, the other months of `computed`
/// (the AKDN exports, if any were loaded), and what was compared. `columns` are the series'
/// columns in force (the PKS file's); a table read with others is not continued.
pub fn continue_series(
    office: &OfficeSeries,
    computed: Option<Series>,
    columns: &SeriesColumns,
) -> (Series, Continuation) {
    if office.columns != *columns {
        let series = computed.unwrap_or_else(|| Series {
            columns: columns.clone(),
            ..Series::default()
        });
        let continuation = Continuation {
            office_span: office.span(),
            akdn_span: series
                .rows
                .first()
                .map(|r| r.month)
                .zip(series.rows.last().map(|r| r.month)),
            columns_differ: true,
            ..Continuation::default()
        };
        return (series, continuation);
    }
    let table = office.by_month();
    let exported: BTreeMap<YearMonth, MonthCounts> = computed
        .as_ref()
        .map(|s| {
            s.rows
                .iter()
                .filter_map(|r| Some((r.month, r.counts?)))
                .collect()
        })
        .unwrap_or_default();
    let cases: BTreeMap<YearMonth, u64> = computed
        .as_ref()
        .map(|s| {
            s.cases
                .iter()
                .filter_map(|r| Some((r.month, r.cases?)))
                .collect()
        })
        .unwrap_or_default();
    let mut continuation = Continuation {
        office_span: office.span(),
        akdn_span: exported
            .keys()
            .next()
            .copied()
            .zip(exported.keys().next_back().copied()),
        ..Continuation::default()
    };
    let first = table.keys().chain(exported.keys()).min().copied();
    let last = table.keys().chain(exported.keys()).max().copied();
    let mut rows = Vec::new();
    let mut case_rows = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let mut month = first;
        loop {
            let from_table = table.get(&month).copied().flatten();
            let from_exports = exported.get(&month);
            let counts = match (from_table, from_exports) {
                (Some(cells), Some(computed)) => {
                    continuation.overlap.push(month);
                    for (k, column) in columns.columns().iter().enumerate() {
                        if cells[k] != computed.cells[k] {
                            continuation.differences.push(CellDifference {
                                month,
                                column: column.heading.clone(),
                                office: cells[k],
                                computed: computed.cells[k],
                            });
                        }
                    }
                    Some(MonthCounts {
                        cells,
                        unknown_pks: 0,
                    })
                }
                (Some(cells), None) => Some(MonthCounts {
                    cells,
                    unknown_pks: 0,
                }),
                (None, Some(computed)) => {
                    continuation.continued.push(month);
                    Some(*computed)
                }
                (None, None) => {
                    continuation.gaps.push(month);
                    None
                }
            };
            rows.push(SeriesRow { month, counts });
            case_rows.push(CaseRow {
                month,
                cases: cases.get(&month).copied(),
            });
            if month == last {
                break;
            }
            month = month.next();
        }
    }
    let mut series = computed.unwrap_or_else(|| Series {
        columns: columns.clone(),
        ..Series::default()
    });
    series.rows = rows;
    series.cases = case_rows;
    (series, continuation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::series_table::OfficeMonth;

    fn m(year: u16, month: u8) -> YearMonth {
        YearMonth::new(year, month).unwrap()
    }

    fn office(months: &[(YearMonth, Option<[u64; 5]>)]) -> OfficeSeries {
        OfficeSeries {
            months: months
                .iter()
                .enumerate()
                .map(|(i, (month, counts))| OfficeMonth {
                    month: *month,
                    counts: counts.map(|c| MonthCounts::of(&c).cells),
                    row: i as u32 + 2,
                })
                .collect(),
            ..OfficeSeries::default()
        }
    }

    fn computed(months: &[(YearMonth, [u64; 5], u64)]) -> Series {
        Series {
            rows: months
                .iter()
                .map(|(month, cells, _)| SeriesRow {
                    month: *month,
                    counts: Some(MonthCounts::of(cells)),
                })
                .collect(),
            cases: months
                .iter()
                .map(|(month, _, cases)| CaseRow {
                    month: *month,
                    cases: Some(*cases),
                })
                .collect(),
            ..Series::default()
        }
    }

    #[test]
    fn continues_keeps_the_table_and_reports_each_differing_cell() {
        let table = office(&[
            (m(2026, 5), Some([10, 20, 30, 40, 5])),
            (m(2026, 6), Some([11, 21, 31, 41, 5])),
            (m(2026, 7), None),
        ]);
        let exports = computed(&[
            (m(2026, 6), [11, 22, 31, 41, 5], 50),
            (m(2026, 7), [12, 22, 32, 42, 6], 51),
            (m(2026, 9), [13, 23, 33, 43, 6], 52),
        ]);
        let (series, continuation) = continue_series(&table, Some(exports), &SeriesColumns::seed());
        let months: Vec<YearMonth> = series.rows.iter().map(|r| r.month).collect();
        assert_eq!(
            months,
            vec![m(2026, 5), m(2026, 6), m(2026, 7), m(2026, 8), m(2026, 9)]
        );
        // The table's June is released, not the export's.
        assert_eq!(series.rows[1].counts.unwrap().get(1), 21);
        // July is open in the table: the export fills it.
        assert_eq!(series.rows[2].counts.unwrap().get(0), 12);
        assert_eq!(series.rows[3].counts, None);
        assert_eq!(series.cases[0].cases, None);
        assert_eq!(series.cases[1].cases, Some(50));
        assert_eq!(continuation.overlap, vec![m(2026, 6)]);
        assert_eq!(continuation.continued, vec![m(2026, 7), m(2026, 9)]);
        assert_eq!(continuation.gaps, vec![m(2026, 8)]);
        assert_eq!(
            continuation.differences,
            vec![CellDifference {
                month: m(2026, 6),
                column: "§ 2 Asylbewerber".into(),
                office: 21,
                computed: 22,
            }]
        );
        let lines = continuation.lines().join("\n");
        assert!(
            lines.contains(
                "Abweichung 06/2026 „§ 2 Asylbewerber“: Datentabelle 21, AKDN-Exporte 22 (+1)."
            ),
            "{lines}"
        );
        assert!(
            lines
                .contains("Lücken (weder in der Datentabelle noch in einem AKDN-Export): 08/2026."),
            "{lines}"
        );
    }

    #[test]
    fn the_table_alone_is_the_series() {
        let table = office(&[(m(2016, 10), Some([323, 184, 2615, 726, 0]))]);
        let (series, continuation) = continue_series(&table, None, &SeriesColumns::seed());
        assert_eq!(series.rows.len(), 1);
        assert_eq!(series.rows[0].counts.unwrap().insgesamt(), 3848);
        assert!(continuation.continued.is_empty());
        assert_eq!(continuation.akdn_span, None);
    }

    #[test]
    fn a_table_read_with_other_columns_is_not_continued() {
        let table = office(&[(m(2016, 10), Some([323, 184, 2615, 726, 0]))]);
        let city = SeriesColumns::declared(
            vec![crate::series_columns::DeclaredColumn {
                key: "alle".into(),
                heading: "Alle".into(),
                optional: false,
            }],
            Vec::new(),
        )
        .unwrap();
        let exports = computed(&[(m(2016, 11), [5, 0, 0, 0, 0], 3)]);
        let (series, continuation) = continue_series(&table, Some(exports), &city);
        assert!(continuation.columns_differ);
        let months: Vec<YearMonth> = series.rows.iter().map(|r| r.month).collect();
        assert_eq!(months, [m(2016, 11)], "only the AKDN months");
        assert!(
            continuation
                .lines()
                .join(" ")
                .contains("nicht fortgeschrieben"),
            "{:?}",
            continuation.lines()
        );
    }
}
