//! The attacker's problem: given every published cell and every additive relation, how far can
//! a suppressed cell range? Solved as a continuous linear programme (microlp, pure Rust).
//!
//! Variables are the suppressed cells connected to the target through relations (cells of
//! other components cannot influence it); each variable is `>= 0`; each relation touching the
//! component is an equality `sum cell - Σ part cells = 0` with the published cells moved to
//! the right-hand side.

use std::collections::HashMap;

use microlp::{ComparisonOp, Error as LpError, OptimizationDirection, Problem, Variable};

use crate::tabulate::Relation;

/// The feasible interval of one suppressed cell and the two optimal points (values of the
/// component's cells), which are feasible tables an attacker cannot rule out.
#[derive(Clone, Debug)]
pub(crate) struct Bounds {
    /// Smallest feasible value.
    pub lower: f64,
    /// Largest feasible value; infinite if unbounded.
    pub upper: f64,
    /// Cells of the component, in the order of the points' coordinates.
    pub cells: Vec<usize>,
    /// Feasible points found (at most two).
    pub points: Vec<Vec<f64>>,
}

/// The LP solver did not give an answer it could verify.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LpFailure(pub String);

/// Cells, relations and an index from cells to their relations.
pub(crate) struct System<'a> {
    pub values: &'a [Option<u64>],
    pub relations: &'a [Relation],
    pub by_cell: Vec<Vec<usize>>,
}

impl<'a> System<'a> {
    /// Indexes the relations by cell.
    pub fn new(values: &'a [Option<u64>], relations: &'a [Relation]) -> System<'a> {
        let mut by_cell = vec![Vec::new(); values.len()];
        for (r, rel) in relations.iter().enumerate() {
            for &cell in std::iter::once(&rel.total).chain(&rel.parts) {
                if let Some(list) = by_cell.get_mut(cell) {
                    list.push(r);
                }
            }
        }
        System {
            values,
            relations,
            by_cell,
        }
    }

    /// The cells of a relation with their coefficients (+1 for the sum, -1 for the parts).
    pub fn terms(&self, r: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let rel = &self.relations[r];
        std::iter::once((rel.total, 1.0)).chain(rel.parts.iter().map(|&p| (p, -1.0)))
    }

    /// The value of a cell as a number (gaps count 0; they are never in a relation).
    pub fn value(&self, cell: usize) -> f64 {
        self.values.get(cell).copied().flatten().unwrap_or(0) as f64
    }

    /// A relation in which `cell` is the only suppressed cell (so it can be recomputed).
    pub fn pinning_relation(&self, cell: usize, suppressed: &[bool]) -> Option<usize> {
        self.by_cell.get(cell)?.iter().copied().find(|&r| {
            self.terms(r)
                .filter(|&(c, _)| suppressed.get(c).copied().unwrap_or(false))
                .count()
                == 1
        })
    }

    /// The suppressed cells connected to `start` through relations, `start` first.
    pub fn component(&self, start: usize, suppressed: &[bool]) -> Vec<usize> {
        let mut seen = vec![false; self.values.len().max(start + 1)];
        seen[start] = true;
        let mut out = vec![start];
        let mut next = 0;
        while let Some(&cell) = out.get(next) {
            next += 1;
            for &r in self.by_cell.get(cell).map(Vec::as_slice).unwrap_or(&[]) {
                for (c, _) in self.terms(r) {
                    if suppressed.get(c).copied().unwrap_or(false) && !seen[c] {
                        seen[c] = true;
                        out.push(c);
                    }
                }
            }
        }
        out
    }

    /// Minimum and maximum of `target` over all tables that agree with every published cell
    /// and satisfy every relation, in which every suppressed cell is at least 1: zeros are
    /// always published ("–"), so a reader knows that every "." stands for 1 or more. (A
    /// suppressed zero, only in a pattern given to the audit, is bounded by 0.)
    pub fn bounds(&self, target: usize, suppressed: &[bool]) -> Result<Bounds, LpFailure> {
        let cells = self.component(target, suppressed);
        let index: HashMap<usize, usize> = cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let mut relations: Vec<usize> = cells
            .iter()
            .flat_map(|&c| self.by_cell.get(c).cloned().unwrap_or_default())
            .collect();
        relations.sort_unstable();
        relations.dedup();
        // Each constraint: the variable terms and the right-hand side.
        let mut constraints: Vec<(Vec<(usize, f64)>, f64)> = Vec::with_capacity(relations.len());
        for &r in &relations {
            let mut terms = Vec::new();
            let mut rhs = 0.0;
            for (c, coef) in self.terms(r) {
                match index.get(&c) {
                    Some(&v) => terms.push((v, coef)),
                    None => rhs -= coef * self.value(c),
                }
            }
            constraints.push((terms, rhs));
        }
        let floors: Vec<f64> = cells
            .iter()
            .map(|&c| if self.value(c) >= 1.0 { 1.0 } else { 0.0 })
            .collect();
        let mut points = Vec::new();
        let lower = match solve(&floors, 0, &constraints, OptimizationDirection::Minimize)? {
            Some((objective, point)) => {
                points.push(point);
                objective.max(0.0)
            }
            None => 0.0,
        };
        let upper = match solve(&floors, 0, &constraints, OptimizationDirection::Maximize)? {
            Some((objective, point)) => {
                points.push(point);
                objective
            }
            None => f64::INFINITY,
        };
        Ok(Bounds {
            lower,
            upper,
            cells,
            points,
        })
    }
}

/// Optimises variable `target` (index into `floors`, the variables' lower bounds); `None` if
/// unbounded.
fn solve(
    floors: &[f64],
    target: usize,
    constraints: &[(Vec<(usize, f64)>, f64)],
    direction: OptimizationDirection,
) -> Result<Option<(f64, Vec<f64>)>, LpFailure> {
    let mut problem = Problem::new(direction);
    let vars: Vec<Variable> = floors
        .iter()
        .enumerate()
        .map(|(i, &floor)| {
            problem.add_var(if i == target { 1.0 } else { 0.0 }, (floor, f64::INFINITY))
        })
        .collect();
    for (terms, rhs) in constraints {
        let expr: Vec<(Variable, f64)> = terms
            .iter()
            .filter_map(|&(v, coef)| vars.get(v).map(|&var| (var, coef)))
            .collect();
        problem.add_constraint(expr, ComparisonOp::Eq, *rhs);
    }
    match problem.solve() {
        Ok(outcome) => match outcome.into_solution() {
            Ok(solution) => {
                let point = vars.iter().map(|&v| solution.var_value(v)).collect();
                Ok(Some((solution.objective(), point)))
            }
            Err(_) => Err(LpFailure("Lösung unterbrochen".into())),
        },
        Err(LpError::Unbounded) => Ok(None),
        Err(other) => Err(LpFailure(format!("{other:?}"))),
    }
}
