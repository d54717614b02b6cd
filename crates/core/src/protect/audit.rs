//! The audit: for every suppressed cell of a protected table, the exact interval an attacker
//! can derive from everything published, by linear programming.

use serde::Serialize;

use super::cell::EPS;
use super::lp::System;
use super::{ProtectedTable, Threshold};
use crate::tabulate::Table;

/// The feasible interval of one suppressed cell.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CellInterval {
    /// Row of the cell.
    pub row: usize,
    /// Count column of the cell.
    pub col: usize,
    /// Smallest value consistent with everything published (NaN if the solver failed).
    pub lower: f64,
    /// Largest value consistent with everything published (infinite if unbounded, NaN if the
    /// solver failed).
    pub upper: f64,
    /// True if `upper - lower >= threshold`.
    pub protected: bool,
}

/// The audit of a protected table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Audit {
    /// The threshold the intervals were checked against.
    pub threshold: u32,
    /// Published counts from 1 to threshold - 1 (must be 0).
    pub sensitive_published: usize,
    /// One interval per suppressed cell, row by row.
    pub intervals: Vec<CellInterval>,
}

impl Audit {
    /// True if no sensitive count is published and every suppressed cell is protected.
    pub fn passed(&self) -> bool {
        self.sensitive_published == 0 && self.intervals.iter().all(|i| i.protected)
    }

    /// The narrowest interval width (infinite if nothing is suppressed or all are unbounded).
    pub fn narrowest(&self) -> f64 {
        self.intervals
            .iter()
            .map(|i| i.upper - i.lower)
            .fold(f64::INFINITY, f64::min)
    }
}

/// Computes, for every suppressed cell, the minimum and maximum over all non-negative tables
/// that agree with every published count and satisfy every additive relation of the table
/// (continuous LP), and checks `max - min >= threshold`. Two LPs per suppressed cell.
pub fn audit(table: &ProtectedTable) -> Audit {
    audit_pattern(
        table.raw(),
        &table.suppressed_mask(),
        table.report().settings.threshold,
    )
}

/// The same audit for any suppression pattern of a raw table (`suppressed[row * n_cols +
/// col]`), e.g. to show that a naive pattern fails. Cells beyond the mask count as published.
pub fn audit_pattern(table: &Table, suppressed: &[bool], threshold: Threshold) -> Audit {
    let relations = table.relations();
    let values = table.cells();
    let sys = System::new(values, &relations);
    let mask: Vec<bool> = (0..values.len())
        .map(|i| suppressed.get(i).copied().unwrap_or(false) && values[i].is_some())
        .collect();
    let n_cols = table.n_cols().max(1);
    let sensitive_published = values
        .iter()
        .zip(&mask)
        .filter(|(v, s)| !**s && v.is_some_and(|n| threshold.is_sensitive(n)))
        .count();
    let intervals = (0..mask.len())
        .filter(|&i| mask[i])
        .map(|i| {
            let (lower, upper) = match sys.bounds(i, &mask) {
                Ok(b) => (b.lower, b.upper),
                Err(_) => (f64::NAN, f64::NAN),
            };
            CellInterval {
                row: i / n_cols,
                col: i % n_cols,
                lower,
                upper,
                protected: upper - lower >= f64::from(threshold.get()) - EPS,
            }
        })
        .collect();
    Audit {
        threshold: threshold.get(),
        sensitive_published,
        intervals,
    }
}
