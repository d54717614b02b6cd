//! Mode `Zelle`: primary suppression of the sensitive cells, then secondary suppression until
//! every suppressed cell is proved protected, then removal of needless secondary suppressions.
//!
//! The search is greedy and LP-guided:
//! 1. Work through the suppressed cells. A cell is *pinned* if some relation has it as its only
//!    suppressed cell (it could be recomputed by subtraction): suppress the cheapest partner in
//!    that relation, i.e. the smallest non-zero published cell, preferring one that also un-pins
//!    another suppressed cell (closing a cycle), and inner cells over margins.
//! 2. A cell that is not pinned is *certified* if two feasible tables already found (witnesses)
//!    differ in it by at least the threshold; otherwise its interval is computed by LP. If it
//!    is still too narrow, candidates are tried — the three cheapest published cells of each
//!    relation of the cell and a few cheap ones around its component — each completed until
//!    nothing is pinned, and the cheapest completion that reaches the threshold is taken (else
//!    the one that widens the interval most).
//! 3. Suppressing more never narrows an interval, so a certified cell stays certified; every
//!    step adds a cell, so the search ends, at the latest with every non-zero cell suppressed,
//!    which is always safe (all relations are homogeneous: scaling the true table is feasible).
//! 4. Finally each secondary suppression, largest first, is lifted again if every suppressed
//!    cell of its component is still proved protected without it.
//!
//! Where the relations form a network (one hierarchical axis and one flat one, like Baublöcke
//! by category: [`super::network`]), every width is computed exactly by maximum flow in
//! microseconds and no witnesses or LP budget are needed; otherwise by LP.
//!
//! A witness is a whole table satisfying every relation; it is consistent with a pattern
//! exactly when it differs from the true table only in suppressed cells, which is checked
//! whenever it is used, so witnesses stay valid across steps 2 and 4.

use std::collections::VecDeque;

use super::lp::{Bounds, LpFailure, System};
use super::network::{Network, Scratch};
use crate::tabulate::{AxisRelation, Relation};

/// Tolerance for comparing LP results with the threshold.
pub(crate) const EPS: f64 = 1e-6;
/// Most LP solves for the search (two per interval); beyond it the table is suppressed as a
/// whole instead.
const MAX_LP_SOLVES: usize = 20_000;
/// Most LP solves spent on lifting needless secondary suppressions.
const PRUNE_LP_SOLVES: usize = 6_000;
/// Candidates per relation of a too narrow cell.
const CANDIDATES_PER_RELATION: usize = 3;
/// Further candidates from around its component.
const CANDIDATES_AROUND: usize = 3;
/// Most cells added while completing one candidate.
const CHASE_LIMIT: usize = 16;
/// Most witness entries kept (memory bound).
const MAX_WITNESS_ENTRIES: usize = 2_000_000;

/// What the tables released before fix about a table's cells (flat index; shorter vectors
/// leave the rest free).
#[derive(Clone, Debug, Default)]
pub(crate) struct Shared {
    /// Cells suppressed in a table before: suppressed here too and protected like a sensitive
    /// cell.
    pub forced: Vec<bool>,
    /// Cells published in a table before: published here too, never suppressed to protect
    /// another cell (an attacker knows them anyway).
    pub known: Vec<bool>,
}

impl Shared {
    /// True if nothing is fixed.
    pub(crate) fn is_empty(&self) -> bool {
        !self.forced.iter().chain(&self.known).any(|&b| b)
    }
}

/// A proved suppression pattern.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    /// Suppressed cells (flat index).
    pub suppressed: Vec<bool>,
    /// Number of primary suppressions.
    pub primary: usize,
    /// Number of secondary suppressions.
    pub secondary: usize,
}

/// Feasible tables found so far, stored as their deviations from the true table.
struct Witnesses {
    truth: Vec<f64>,
    /// Per witness: the cells where it deviates.
    points: Vec<Vec<usize>>,
    /// Per cell: (witness, its value there) for the witnesses that deviate in the cell.
    by_cell: Vec<Vec<(usize, f64)>>,
    entries: usize,
}

impl Witnesses {
    fn add(&mut self, bounds: &Bounds) {
        for point in &bounds.points {
            let deviating: Vec<(usize, f64)> = bounds
                .cells
                .iter()
                .zip(point)
                .filter(|&(&c, &x)| (x - self.truth[c]).abs() > 1e-9)
                .map(|(&c, &x)| (c, x))
                .collect();
            if deviating.is_empty() || self.entries + deviating.len() > MAX_WITNESS_ENTRIES {
                continue;
            }
            self.entries += deviating.len();
            let id = self.points.len();
            for &(c, x) in &deviating {
                self.by_cell[c].push((id, x));
            }
            self.points
                .push(deviating.into_iter().map(|(c, _)| c).collect());
        }
    }

    /// The spread of `cell` over the witnesses consistent with `suppressed`.
    fn spread(&self, cell: usize, suppressed: &[bool]) -> f64 {
        let (mut lo, mut hi) = (self.truth[cell], self.truth[cell]);
        for &(id, x) in &self.by_cell[cell] {
            if x >= lo && x <= hi {
                continue;
            }
            if self.points[id].iter().all(|&c| suppressed[c]) {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        hi - lo
    }
}

enum Check {
    Pass,
    Pinned(usize),
    Narrow,
}

struct Engine<'a> {
    sys: System<'a>,
    /// Cells known from tables released before: never suppressed to protect another.
    known: &'a [bool],
    /// The relations as a network, where they form one: exact widths by maximum flow.
    network: Option<(Network, Scratch)>,
    margin: &'a [bool],
    threshold: f64,
    suppressed: Vec<bool>,
    witnesses: Witnesses,
    solves: usize,
    limit: usize,
}

/// Finds a suppression pattern in which every suppressed cell ranges over at least `threshold`
/// given everything published. `margin[i]` tells whether cell `i` is a margin; `shared`
/// holds what tables released before fix (empty: nothing).
pub(crate) fn suppress(
    values: &[Option<u64>],
    layout: &[AxisRelation],
    margin: &[bool],
    threshold: u32,
    shared: &Shared,
) -> Result<Pattern, LpFailure> {
    let relations: Vec<Relation> = layout.iter().map(|r| r.relation.clone()).collect();
    let network = Network::of(values.len(), layout).map(|n| {
        let scratch = n.scratch();
        (n, scratch)
    });
    let sensitive: Vec<bool> = values
        .iter()
        .map(|v| matches!(v, Some(n) if *n > 0 && *n < u64::from(threshold)))
        .collect();
    let primary: Vec<bool> = (0..values.len())
        .map(|c| {
            sensitive[c]
                || (shared.forced.get(c).copied().unwrap_or(false)
                    && values[c].is_some_and(|n| n > 0))
        })
        .collect();
    let known: Vec<bool> = (0..values.len())
        .map(|c| shared.known.get(c).copied().unwrap_or(false) && !primary[c])
        .collect();
    let sys = System::new(values, &relations);
    let truth: Vec<f64> = (0..values.len()).map(|c| sys.value(c)).collect();
    let mut engine = Engine {
        sys,
        known: &known,
        network,
        margin,
        threshold: f64::from(threshold),
        suppressed: primary.clone(),
        witnesses: Witnesses {
            by_cell: vec![Vec::new(); truth.len()],
            truth,
            points: Vec::new(),
            entries: 0,
        },
        solves: 0,
        limit: MAX_LP_SOLVES,
    };
    engine.search()?;
    engine.prune(&primary);
    let n_primary = sensitive.iter().filter(|&&p| p).count();
    let n_suppressed = engine.suppressed.iter().filter(|&&s| s).count();
    Ok(Pattern {
        suppressed: engine.suppressed,
        primary: n_primary,
        secondary: n_suppressed - n_primary,
    })
}

impl Engine<'_> {
    fn value(&self, cell: usize) -> u64 {
        self.sys.values.get(cell).copied().flatten().unwrap_or(0)
    }

    fn is_margin(&self, cell: usize) -> bool {
        self.margin.get(cell).copied().unwrap_or(false)
    }

    /// Width of the interval of `cell` under `pattern`: by maximum flow where the relations
    /// form a network (exact up to the threshold), else by LP within the budget.
    fn width(&mut self, cell: usize, pattern: &[bool]) -> Result<f64, LpFailure> {
        if let Some((network, scratch)) = &mut self.network {
            let cap = self.threshold as u64;
            return Ok(network.width(cell, self.sys.values, pattern, cap, scratch) as f64);
        }
        let bounds = self.bounds(cell, pattern)?;
        Ok(bounds.upper - bounds.lower)
    }

    /// Interval of `cell` under `pattern` by LP, within the budget; records the witnesses.
    fn bounds(&mut self, cell: usize, pattern: &[bool]) -> Result<Bounds, LpFailure> {
        if self.solves + 2 > self.limit {
            return Err(LpFailure("Rechenbudget erschöpft".into()));
        }
        self.solves += 2;
        let bounds = self.sys.bounds(cell, pattern)?;
        self.witnesses.add(&bounds);
        Ok(bounds)
    }

    fn check(&mut self, cell: usize) -> Result<Check, LpFailure> {
        if let Some(r) = self.sys.pinning_relation(cell, &self.suppressed) {
            return Ok(Check::Pinned(r));
        }
        if self.network.is_none()
            && self.witnesses.spread(cell, &self.suppressed) >= self.threshold - EPS
        {
            return Ok(Check::Pass);
        }
        let pattern = std::mem::take(&mut self.suppressed);
        let width = self.width(cell, &pattern);
        self.suppressed = pattern;
        Ok(if width? >= self.threshold - EPS {
            Check::Pass
        } else {
            Check::Narrow
        })
    }

    /// Published non-zero cells of relation `r` under `pattern`, cheapest first.
    fn open_cells(&self, r: usize, pattern: &[bool]) -> Vec<usize> {
        let mut cells: Vec<usize> = self
            .sys
            .terms(r)
            .map(|(q, _)| q)
            .filter(|&q| !pattern[q] && !self.known[q] && self.value(q) > 0)
            .collect();
        cells.sort_by_key(|&q| (self.value(q), self.is_margin(q), q));
        cells
    }

    /// The cheapest published non-zero cell of relation `r` to suppress under `pattern`.
    fn best_partner(&self, r: usize, pattern: &[bool]) -> Option<usize> {
        let mut best: Option<(f64, bool, usize)> = None;
        for q in self.open_cells(r, pattern) {
            let fixes = self.sys.by_cell[q]
                .iter()
                .filter(|&&other| other != r)
                .filter(|&&other| self.sys.terms(other).filter(|&(c, _)| pattern[c]).count() == 1)
                .count();
            let cost = self.value(q) as f64 / (1.0 + fixes as f64);
            let key = (cost, self.is_margin(q), q);
            if best.is_none_or(|b| key.partial_cmp(&b).is_some_and(|o| o.is_lt())) {
                best = Some(key);
            }
        }
        best.map(|(_, _, q)| q)
    }

    fn search(&mut self) -> Result<(), LpFailure> {
        let mut pending: VecDeque<usize> = (0..self.suppressed.len())
            .filter(|&c| self.suppressed[c])
            .collect();
        while let Some(&cell) = pending.front() {
            match self.check(cell)? {
                Check::Pass => {
                    pending.pop_front();
                }
                Check::Pinned(r) => {
                    let partner = self
                        .best_partner(r, &self.suppressed)
                        .ok_or_else(|| LpFailure("keine Partnerzelle".into()))?;
                    self.suppressed[partner] = true;
                    pending.push_back(partner);
                }
                Check::Narrow => {
                    let added = self.widen(cell)?;
                    if added.is_empty() {
                        return Err(LpFailure("keine Erweiterung möglich".into()));
                    }
                    pending.extend(added);
                }
            }
        }
        Ok(())
    }

    /// Candidates for widening the interval of `cell`: the cheapest open cells of each of its
    /// relations, then a few cheap ones around its component.
    fn candidates(&self, cell: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for &r in &self.sys.by_cell[cell] {
            for q in self
                .open_cells(r, &self.suppressed)
                .into_iter()
                .take(CANDIDATES_PER_RELATION)
            {
                if !out.contains(&q) {
                    out.push(q);
                }
            }
        }
        let mut relation_seen = vec![false; self.sys.relations.len()];
        let mut cell_seen = vec![false; self.suppressed.len()];
        for &q in &out {
            cell_seen[q] = true;
        }
        let mut around: Vec<usize> = Vec::new();
        for c in self.sys.component(cell, &self.suppressed) {
            for &r in &self.sys.by_cell[c] {
                if std::mem::replace(&mut relation_seen[r], true) {
                    continue;
                }
                for (q, _) in self.sys.terms(r) {
                    if !self.suppressed[q] && !self.known[q] && self.value(q) > 0 && !cell_seen[q] {
                        cell_seen[q] = true;
                        around.push(q);
                    }
                }
            }
        }
        around.sort_by_key(|&q| (self.value(q), self.is_margin(q), q));
        out.extend(around.into_iter().take(CANDIDATES_AROUND));
        out
    }

    /// Adds cells so that the interval of `cell` grows; returns the cells added.
    fn widen(&mut self, cell: usize) -> Result<Vec<usize>, LpFailure> {
        // (reaches the threshold, width, cost, cells)
        let mut best: Option<(bool, f64, u64, Vec<usize>)> = None;
        for q in self.candidates(cell) {
            let mut trial = self.suppressed.clone();
            trial[q] = true;
            let mut added = vec![q];
            let mut i = 0;
            while i < added.len() && added.len() < CHASE_LIMIT {
                let partner = self
                    .sys
                    .pinning_relation(added[i], &trial)
                    .and_then(|r| self.best_partner(r, &trial));
                match partner {
                    Some(p) => {
                        trial[p] = true;
                        added.push(p);
                    }
                    None => i += 1,
                }
            }
            if self.network.is_none() && self.solves + 2 > self.limit {
                break;
            }
            let width = self.width(cell, &trial)?;
            let reaches = width >= self.threshold - EPS;
            let cost: u64 = added.iter().map(|&c| self.value(c)).sum();
            let better = match &best {
                None => true,
                Some((b_reaches, b_width, b_cost, _)) => match (reaches, *b_reaches) {
                    (true, false) => true,
                    (false, true) => false,
                    (true, true) => cost < *b_cost,
                    (false, false) => {
                        width > *b_width + EPS || (width > *b_width - EPS && cost < *b_cost)
                    }
                },
            };
            if better {
                best = Some((reaches, width, cost, added));
            }
        }
        match best {
            Some((_, _, _, added)) => {
                for &c in &added {
                    self.suppressed[c] = true;
                }
                Ok(added)
            }
            None => Err(LpFailure("Rechenbudget erschöpft".into())),
        }
    }

    /// Lifts secondary suppressions, largest first, where every suppressed cell of the
    /// component is still proved protected without them.
    fn prune(&mut self, primary: &[bool]) {
        self.limit = self.solves.saturating_add(PRUNE_LP_SOLVES);
        let mut secondary: Vec<usize> = (0..self.suppressed.len())
            .filter(|&c| self.suppressed[c] && !primary[c])
            .collect();
        secondary.sort_by_key(|&c| (std::cmp::Reverse(self.value(c)), !self.is_margin(c), c));
        for q in secondary {
            if self.network.is_none() && self.solves + 2 > self.limit {
                break;
            }
            let component = self.sys.component(q, &self.suppressed);
            self.suppressed[q] = false;
            let ok = component
                .iter()
                .filter(|&&c| c != q)
                .all(|&c| matches!(self.check(c), Ok(Check::Pass)));
            if !ok {
                self.suppressed[q] = true;
            }
        }
    }
}
