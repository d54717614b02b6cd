//! Statistical confidentiality: the only way from a raw [`Table`] to something exportable.
//!
//! [`protect`] turns a [`Table`] into a [`ProtectedTable`], whose cells are [`Published`]
//! values: a count, "–" (zero), "." (suppressed) or "x" (not meaningful, e.g. a month without
//! data), and ratios. Only this module can construct a `ProtectedTable`, and every export
//! function takes only that type, so raw counts have no path out of the tool:
//!
//! ```compile_fail,E0451
//! use lagebild_core::protect::ProtectedTable;
//! use lagebild_core::tabulate::Table;
//!
//! // Fails to compile: the fields of `ProtectedTable` are private.
//! fn forge(table: Table) -> ProtectedTable {
//!     ProtectedTable { table, cells: Vec::new(), derived: Vec::new(), report: todo!() }
//! }
//! ```
//!
//! Two modes ([`ProtectionMode`]), one [`Threshold`] (default 3, never lower):
//! - `Tabelle` (default, the office's rule): if any inner cell or margin has a value from 1 to
//!   threshold - 1, every value of the table is replaced by "."; the report says why.
//! - `Zelle`: primary suppression of those cells, then secondary suppression across every
//!   margin, hierarchy level and declared sum until the audit proves that no suppressed cell
//!   can be narrowed down: for each suppressed cell, the interval `[min, max]` of values it can
//!   take in a non-negative table that agrees with every published value and every additive
//!   relation (continuous linear programme, the attacker model of tau-ARGUS and sdcTable's
//!   `attack()`) must be at least the threshold wide: `max - min >= threshold`. Since a
//!   sensitive cell's value is below the threshold, this also means the attacker cannot
//!   exclude a value at or above the threshold.
//!
//! Ratios built on a suppressed count are suppressed. Zeros are not sensitive and show "–".
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod audit;
mod cell;
mod lp;
mod network;
pub mod plan;
mod refinement;
pub mod release;
mod report;
mod settings;
mod span;
mod split;
mod universe;

use serde::Serialize;

pub use audit::{Audit, CellInterval, audit, audit_pattern};
pub use release::{Offered, Origin, Recoding, Release, Universe};
pub use report::{AppliedRule, DesignInfo, ProtectionReport};
pub use settings::{
    DesignChoice, ProtectError, ProtectionMode, ProtectionSettings, TableDesign, Threshold,
};

use crate::format;
use crate::tabulate::{Axis, DerivedColumn, Position, Provenance, RatioUnit, Table, ValueKind};

/// Symbol of a suppressed value.
pub const SYMBOL_SUPPRESSED: &str = ".";
/// Symbol of nothing (zero).
pub const SYMBOL_ZERO: &str = "–";
/// Symbol of a cell where a value is not meaningful (e.g. no data for the month).
pub const SYMBOL_NOT_MEANINGFUL: &str = "x";
/// The legend every output carries.
pub const LEGEND: &str =
    ". = gesperrt (Geheimhaltung), – = nichts vorhanden (0), x = Aussage nicht sinnvoll";

/// A value as it may be published.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Published {
    /// A count at or above the threshold (never 1 to threshold - 1).
    Value(u64),
    /// Nothing: zero ("–").
    Zero,
    /// Suppressed (".").
    Suppressed,
    /// Not meaningful ("x"), e.g. a month without data or a ratio with denominator 0.
    NotMeaningful,
    /// A percentage, e.g. `12.5` for 12,5 %.
    Percent(f64),
    /// A rate per thousand, e.g. `3.2` for 3,2 ‰.
    PerMille(f64),
    /// A signed change of two published counts, e.g. `-12` (not a count of persons).
    Difference(i64),
    /// A signed change in percent, e.g. `-1.5` for −1,5 %.
    ChangePercent(f64),
}

impl Published {
    /// The symbol of a value that is not a number: ".", "–" or "x".
    pub fn symbol(self) -> Option<&'static str> {
        match self {
            Published::Zero => Some(SYMBOL_ZERO),
            Published::Suppressed => Some(SYMBOL_SUPPRESSED),
            Published::NotMeaningful => Some(SYMBOL_NOT_MEANINGFUL),
            _ => None,
        }
    }

    /// German text: counts with thousands dots, ratios with a decimal comma and `decimals`
    /// places (without unit sign), symbols as they are.
    pub fn to_german(self, decimals: u8) -> String {
        match self {
            Published::Value(n) => format::count(n),
            Published::Percent(x) | Published::PerMille(x) => {
                format::decimal(x, usize::from(decimals))
            }
            Published::Difference(d) => signed(d as f64, format::count(d.unsigned_abs()), d == 0),
            Published::ChangePercent(x) => {
                let text = format::decimal(x.abs(), usize::from(decimals));
                let zero = text.chars().all(|c| matches!(c, '0' | ','));
                signed(x, text, zero)
            }
            other => other.symbol().unwrap_or_default().to_owned(),
        }
    }
}

/// A change with its sign: "+12", "-5", "±0".
fn signed(value: f64, magnitude: String, zero: bool) -> String {
    if zero {
        format!("±{magnitude}")
    } else if value < 0.0 {
        format!("-{magnitude}")
    } else {
        format!("+{magnitude}")
    }
}

/// A table that passed the protection step: only published values, the report of the rule
/// applied, and the layout. Constructed only by [`protect`]; the raw counts inside are never
/// handed out.
#[derive(Clone)]
pub struct ProtectedTable {
    table: Table,
    cells: Vec<Published>,
    derived: Vec<Vec<Published>>,
    report: ProtectionReport,
}

impl std::fmt::Debug for ProtectedTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately without the raw table.
        f.debug_struct("ProtectedTable")
            .field("key", &self.table.key())
            .field("cells", &self.cells)
            .field("derived", &self.derived)
            .field("report", &self.report)
            .finish()
    }
}

impl ProtectedTable {
    /// Stable identifier from the definition.
    pub fn key(&self) -> &str {
        self.table.key()
    }

    /// The page of the app it is shown on.
    pub fn page(&self) -> crate::tabulate::Page {
        self.table.page()
    }

    /// German title.
    pub fn title(&self) -> &str {
        self.table.title()
    }

    /// Short name for a worksheet tab, if the definition gives one.
    pub fn sheet_name(&self) -> Option<&str> {
        self.table.sheet_name()
    }

    /// What the cells count.
    pub fn value_kind(&self) -> ValueKind {
        self.table.value_kind()
    }

    /// Footnotes.
    pub fn notes(&self) -> &[String] {
        self.table.notes()
    }

    /// The registers the table counts from, with their Stichtag or period (no file names, no
    /// record counts).
    pub fn provenance(&self) -> &[Provenance] {
        self.table.provenance()
    }

    /// Row axes, outermost first.
    pub fn row_axes(&self) -> &[Axis] {
        self.table.row_axes()
    }

    /// Column axes, outermost first.
    pub fn column_axes(&self) -> &[Axis] {
        self.table.column_axes()
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.table.n_rows()
    }

    /// Number of count columns (derived columns come after them).
    pub fn n_cols(&self) -> usize {
        self.table.n_cols()
    }

    /// The positions of a row, one per row axis.
    pub fn row_positions(&self, row: usize) -> Vec<&Position> {
        self.table.row_positions(row)
    }

    /// The positions of a count column, one per column axis.
    pub fn column_positions(&self, col: usize) -> Vec<&Position> {
        self.table.column_positions(col)
    }

    /// True if the row or column is a margin (subtotal, sum or total) on any axis.
    pub fn is_margin(&self, row: usize, col: usize) -> bool {
        self.table.is_margin(row, col)
    }

    /// The published value of a count cell ("x" if out of range).
    pub fn cell(&self, row: usize, col: usize) -> Published {
        if row >= self.n_rows() || col >= self.n_cols() {
            return Published::NotMeaningful;
        }
        self.cells
            .get(row * self.n_cols() + col)
            .copied()
            .unwrap_or(Published::NotMeaningful)
    }

    /// The derived ratio columns (header, unit, decimals).
    pub fn derived_columns(&self) -> &[DerivedColumn] {
        self.table.derived()
    }

    /// The published value of derived column `k` in `row` ("x" if out of range).
    pub fn derived(&self, row: usize, k: usize) -> Published {
        self.derived
            .get(k)
            .and_then(|column| column.get(row))
            .copied()
            .unwrap_or(Published::NotMeaningful)
    }

    /// What the protection step did.
    pub fn report(&self) -> &ProtectionReport {
        &self.report
    }

    /// The raw table, for the audit only.
    pub(crate) fn raw(&self) -> &Table {
        &self.table
    }

    /// How many counts it publishes (not zeros, not symbols).
    pub fn published_values(&self) -> usize {
        self.cells
            .iter()
            .filter(|p| matches!(p, Published::Value(_)))
            .count()
    }

    /// The same published cells over `table`, a table of the same shape (the raw table
    /// shown on other dimensions, for the differencing check).
    pub(super) fn with_raw(&self, table: Table) -> ProtectedTable {
        ProtectedTable {
            table,
            cells: self.cells.clone(),
            derived: self.derived.clone(),
            report: self.report.clone(),
        }
    }

    /// Flat indices of the suppressed count cells.
    pub(crate) fn suppressed_mask(&self) -> Vec<bool> {
        self.cells
            .iter()
            .map(|p| *p == Published::Suppressed)
            .collect()
    }
}

fn publish(value: Option<u64>, suppressed: bool) -> Published {
    match (value, suppressed) {
        (None, _) => Published::NotMeaningful,
        (Some(_), true) => Published::Suppressed,
        (Some(0), false) => Published::Zero,
        (Some(n), false) => Published::Value(n),
    }
}

fn ratio(numerator: Published, denominator: Published, unit: RatioUnit) -> Published {
    use Published::{NotMeaningful, Suppressed, Value, Zero};
    let count = |p: Published| match p {
        Value(n) => Some(n),
        Zero => Some(0),
        _ => None,
    };
    match (numerator, denominator) {
        (Suppressed, _) | (_, Suppressed) => Suppressed,
        _ => match (count(numerator), count(denominator), unit) {
            (Some(n), Some(d), RatioUnit::Difference) => Published::Difference(n as i64 - d as i64),
            (Some(_), Some(0), _) | (None, _, _) | (_, None, _) => NotMeaningful,
            (Some(0), Some(_), RatioUnit::Percent | RatioUnit::PerMille) => Zero,
            (Some(n), Some(d), RatioUnit::ChangePercent) => {
                Published::ChangePercent((n as f64 / d as f64 - 1.0) * 100.0)
            }
            (Some(n), Some(d), RatioUnit::Percent) => {
                Published::Percent(n as f64 / d as f64 * unit.factor())
            }
            (Some(n), Some(d), RatioUnit::PerMille) => {
                Published::PerMille(n as f64 / d as f64 * unit.factor())
            }
        },
    }
}

/// Protects a table: applies the mode of `settings` and returns the only exportable form.
/// Under `Tabelle` with planned designs a table the rule would blank is first made coarser by
/// the publication planner ([`plan`]) until it passes; if no design passes, it is blanked.
/// A table released with others goes through a [`Release`] instead, which keeps their
/// recoding consistent and checks them together.
pub fn protect(table: Table, settings: &ProtectionSettings) -> ProtectedTable {
    protect_designed(
        design(
            &table,
            settings,
            &Recoding::default(),
            DesignChoice::default(),
        ),
        settings,
    )
}

/// A table in the design chosen for it, with what was merged and how the design came about.
struct Design {
    table: Table,
    /// What is merged (German, one line each).
    merges: Vec<String>,
    info: DesignInfo,
}

/// Most alternatives offered to the analyst.
const MAX_OFFERED: usize = 6;

/// Most rows and most columns named in [`DesignInfo::why`].
const MAX_WHY: usize = 12;

/// Where `table` has values of 1 to threshold - 1: per row, then per column, the label and the
/// number of such cells (never the values).
fn why_not(table: &Table, threshold: Threshold) -> Vec<String> {
    let n_cols = table.n_cols();
    let values = threshold.sensitive_values();
    let small = |r: usize, c: usize| table.cell(r, c).is_some_and(|n| threshold.is_sensitive(n));
    let label = |positions: Vec<&Position>| {
        positions
            .iter()
            .map(|p| p.label.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut lines = Vec::new();
    for (what, counts) in [
        (
            "Zeile",
            (0..table.n_rows())
                .map(|r| {
                    (
                        label(table.row_positions(r)),
                        (0..n_cols).filter(|&c| small(r, c)).count(),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        (
            "Spalte",
            (0..n_cols)
                .map(|c| {
                    (
                        label(table.column_positions(c)),
                        (0..table.n_rows()).filter(|&r| small(r, c)).count(),
                    )
                })
                .collect(),
        ),
    ] {
        let with: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
        for (name, n) in with.iter().take(MAX_WHY) {
            let cells = if *n == 1 {
                "1 Wert".to_string()
            } else {
                format!("{n} Werte")
            };
            lines.push(format!("{what} „{name}“: {cells} von {values}"));
        }
        if with.len() > MAX_WHY {
            lines.push(format!(
                "… und {} weitere {}n mit Werten von {values}",
                with.len() - MAX_WHY,
                what
            ));
        }
    }
    lines
}

/// One line per alternative: published values and what is merged, shortened.
fn describe_alternative(plan: &plan::Plan) -> String {
    let values = format!(
        "{} veröffentlichte Werte",
        format::count(plan.information.1 as u64)
    );
    if plan.merges.is_empty() {
        return format!("{values}: ursprüngliche Gliederung");
    }
    let mut named: Vec<String> = plan.merges.iter().take(3).cloned().collect();
    if plan.merges.len() > 3 {
        named.push(format!(
            "{} weitere Zusammenfassungen",
            plan.merges.len() - 3
        ));
    }
    format!("{values}: {}", named.join("; "))
}

/// The design of `table` under `settings`: as it is, or (planned designs of `Tabelle`) with
/// the merges of `recoding` and, if it would still be blanked, planned further (the
/// alternative `choice` names, or the original design); with the German list of what is
/// merged and, for the analyst, why and which alternatives there are.
fn design(
    table: &Table,
    settings: &ProtectionSettings,
    recoding: &Recoding,
    choice: DesignChoice,
) -> Design {
    let threshold = settings.threshold;
    let as_it_is = |table: &Table, info: DesignInfo| Design {
        table: table.clone(),
        merges: Vec::new(),
        info,
    };
    if settings.mode != ProtectionMode::Tabelle || settings.design != TableDesign::Geplant {
        return as_it_is(table, DesignInfo::default());
    }
    let recoded = if recoding.is_empty() {
        table.clone()
    } else {
        recoding.apply(table)
    };
    let sensitive = |t: &Table| {
        t.cells()
            .iter()
            .any(|v| v.is_some_and(|n| threshold.is_sensitive(n)))
    };
    if !sensitive(&recoded) {
        let merges = plan::describe(&recoded, &[]);
        // Passing with the release's merges alone: that design, or the original.
        let mut info = DesignInfo::default();
        if sensitive(table) {
            let mut as_recoded = plan::plan(&recoded, threshold);
            as_recoded.merges = merges.clone();
            info = DesignInfo {
                why: why_not(table, threshold),
                alternatives: vec![describe_alternative(&as_recoded)],
                chosen: Some(0),
            };
            if choice == DesignChoice::Original {
                info.chosen = None;
                return as_it_is(table, info);
            }
        }
        return Design {
            table: crate::tabulate::recode::with_short_labels(&recoded),
            merges,
            info,
        };
    }
    let plans = plan::alternatives(&recoded, threshold);
    let mut alternatives: Vec<String> = Vec::new();
    let mut offered: Vec<&plan::Plan> = Vec::new();
    for p in &plans {
        let line = describe_alternative(p);
        if offered.len() < MAX_OFFERED && !alternatives.contains(&line) {
            alternatives.push(line);
            offered.push(p);
        }
    }
    let mut info = DesignInfo {
        why: why_not(table, threshold),
        alternatives,
        chosen: None,
    };
    let picked = match choice {
        DesignChoice::Original => None,
        DesignChoice::Planned(i) => Some(if i < offered.len() { i } else { 0 }),
    };
    match picked.and_then(|i| offered.get(i).map(|p| (i, p))) {
        Some((i, p)) => {
            info.chosen = Some(i);
            Design {
                table: p.table.clone(),
                merges: p.merges.clone(),
                info,
            }
        }
        None if choice == DesignChoice::Original => as_it_is(table, info),
        None => as_it_is(&recoded, info),
    }
}

/// Protects a table in the design chosen for it (`recoded`: what was merged, in German).
fn protect_designed(design: Design, settings: &ProtectionSettings) -> ProtectedTable {
    protect_shared(design, settings, &cell::Shared::default())
}

/// The same, in mode `Zelle` keeping what tables released before fix about its cells.
fn protect_shared(
    design: Design,
    settings: &ProtectionSettings,
    shared: &cell::Shared,
) -> ProtectedTable {
    let Design {
        table,
        merges: recoded,
        info,
    } = design;
    let threshold = settings.threshold;
    let values = table.cells();
    let sensitive = values
        .iter()
        .filter(|v| v.is_some_and(|n| threshold.is_sensitive(n)))
        .count();
    let everything = || values.iter().map(Option::is_some).collect::<Vec<bool>>();
    let mut report = ProtectionReport {
        settings: *settings,
        rule: AppliedRule::TableSuppression,
        sensitive,
        primary: 0,
        secondary: 0,
        all_suppressed: false,
        audit_passed: true,
        recoded,
        design: info,
    };
    let mut suppressed = vec![false; values.len()];
    match settings.mode {
        ProtectionMode::Tabelle => {
            if sensitive > 0 {
                suppressed = everything();
                report.all_suppressed = true;
            }
        }
        ProtectionMode::Zelle => {
            report.rule = AppliedRule::CellSuppression;
            if sensitive > 0 || !shared.is_empty() {
                let relations = table.relations_by_axis();
                let n_cols = table.n_cols().max(1);
                let margin: Vec<bool> = (0..values.len())
                    .map(|i| table.is_margin(i / n_cols, i % n_cols))
                    .collect();
                match cell::suppress(values, &relations, &margin, threshold.get(), shared) {
                    Ok(pattern) => {
                        suppressed = pattern.suppressed;
                        report.primary = pattern.primary;
                        report.secondary = pattern.secondary;
                    }
                    Err(_) => {
                        report.rule = AppliedRule::CellSuppressionFallback;
                        suppressed = everything();
                        report.all_suppressed = true;
                    }
                }
            }
        }
    }
    let mut cells: Vec<Published> = values
        .iter()
        .zip(&suppressed)
        .map(|(&v, &s)| publish(v, s))
        .collect();
    // Defence in depth: a sensitive count must never be published.
    if cells
        .iter()
        .any(|p| matches!(p, Published::Value(n) if threshold.is_sensitive(*n)))
    {
        report.rule = match settings.mode {
            ProtectionMode::Tabelle => AppliedRule::TableSuppression,
            ProtectionMode::Zelle => AppliedRule::CellSuppressionFallback,
        };
        report.all_suppressed = true;
        cells = values.iter().map(|&v| publish(v, true)).collect();
    }
    let derived = derived_values(&table, &cells);
    ProtectedTable {
        table,
        cells,
        derived,
        report,
    }
}

/// The derived ratio columns of `table` from its published counts.
fn derived_values(table: &Table, cells: &[Published]) -> Vec<Vec<Published>> {
    let n_cols = table.n_cols();
    table
        .derived()
        .iter()
        .map(|d| {
            (0..table.n_rows())
                .map(|r| {
                    let at = |row: usize, col: usize| {
                        cells
                            .get(row * n_cols + col)
                            .copied()
                            .unwrap_or(Published::NotMeaningful)
                    };
                    ratio(
                        at(r, d.numerator_col),
                        at(d.denominator_row.unwrap_or(r), d.denominator_col),
                        d.unit,
                    )
                })
                .collect()
        })
        .collect()
}

impl ProtectedTable {
    /// The table protected by the whole-table rule because its pattern of suppressed cells
    /// (mode `Zelle`) could not be released ([`AppliedRule::ReleaseTableRule`]).
    pub(crate) fn by_table_rule_for_release(mut self) -> ProtectedTable {
        self.report.rule = AppliedRule::ReleaseTableRule;
        self
    }

    /// Its margins over the dimensions `keep` refuses: every axis of such a dimension
    /// reduced to its total, each cell published as the same cell of this table. `None` if
    /// such an axis has no total.
    pub(crate) fn margins_over(&self, keep: impl Fn(&str) -> bool) -> Option<ProtectedTable> {
        let (raw, source) = margins_of(&self.table, keep)?;
        let cells: Vec<Published> = source
            .iter()
            .map(|&old| {
                self.cells
                    .get(old)
                    .copied()
                    .unwrap_or(Published::NotMeaningful)
            })
            .collect();
        let derived = derived_values(&raw, &cells);
        Some(ProtectedTable {
            table: raw,
            cells,
            derived,
            report: self.report.clone(),
        })
    }

    /// The table with every value suppressed because, released with the tables before it,
    /// it would let a reader compute a value of 1 or 2 by differencing.
    pub(crate) fn refused_by_release(mut self) -> ProtectedTable {
        self.cells = self
            .table
            .cells()
            .iter()
            .map(|&v| publish(v, true))
            .collect();
        self.derived = derived_values(&self.table, &self.cells);
        self.report.rule = AppliedRule::ReleaseSuppression;
        self.report.all_suppressed = true;
        self
    }
}

/// `table` with every axis of a dimension `keep` refuses reduced to its total, and per new
/// cell the (flat) index of the same cell in `table`. `None` if such an axis has no total.
pub(crate) fn margins_of(
    table: &Table,
    keep: impl Fn(&str) -> bool,
) -> Option<(Table, Vec<usize>)> {
    use crate::tabulate::Role;
    use crate::tabulate::recode::{Recode, recode};
    let axes: Vec<Axis> = table
        .row_axes()
        .iter()
        .chain(table.column_axes())
        .cloned()
        .collect();
    let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
    let mut raw = table.clone();
    // Per axis: the position of its total, if it is reduced to it.
    let mut total_of: Vec<Option<usize>> = Vec::with_capacity(axes.len());
    for axis in &axes {
        if keep(axis.dimension()) {
            total_of.push(None);
            continue;
        }
        let positions = axis.positions();
        total_of.push(Some(positions.iter().position(|p| p.role == Role::Total)?));
        if positions.iter().any(|p| p.role != Role::Total) {
            let step = Recode::Aggregate {
                dimension: axis.dimension().to_owned(),
            };
            raw = recode(&raw, &step).ok()?;
        }
    }
    let new_lens: Vec<usize> = lens
        .iter()
        .zip(&total_of)
        .map(|(&n, t)| if t.is_some() { 1 } else { n.max(1) })
        .collect();
    let source = (0..raw.n_rows() * raw.n_cols())
        .map(|mut i| {
            let mut at = vec![0usize; lens.len()];
            for (slot, &n) in at.iter_mut().zip(&new_lens).rev() {
                *slot = i % n;
                i /= n;
            }
            at.iter()
                .zip(&total_of)
                .zip(&lens)
                .fold(0usize, |acc, ((&p, t), &n)| acc * n + t.unwrap_or(p))
        })
        .collect();
    Some((raw, source))
}

#[cfg(test)]
mod tests;
