//! The publication planner: for a table the office's rule would blank (a cell or sum of 1 or
//! 2), a coarser table that passes, by global recoding along the table's own hierarchies and
//! groupings, never by dropping anybody.
//!
//! Moves, each on one axis ([`Recode`]): merge two neighbouring positions under the same parent
//! (two Baublöcke of a Stadtteil, two Stadtteile of a Stadtbezirk, two legal bases of a
//! category), or drop the finest level of an axis (Baublock -> Stadtteil, Rechtsgrundlage ->
//! Kategorie). Every cell of the result is the exact sum of cells of the original; the grand
//! total and every margin that remains are unchanged.
//!
//! The loss measure is the number of published non-zero inner cells (counts at or above the
//! threshold in category × category cells): what a reader can see. The planner tries every
//! combination of levels to drop (none, the Baublöcke, the Baublöcke and the Stadtteile, … on
//! each axis, down to the axis' total alone: the whole city, all categories) and, for each, merges greedily: step by step the merge that removes the most
//! sensitive cells (values 1 to threshold - 1, margins included) per inner cell of
//! information lost (halved for positions that are not akin: legal bases of two forms of
//! protection), of equals the one of the smallest positions, then the first in table
//! order, until no sensitive cell is left. The alternative that keeps the most information
//! is the plan; all are deterministic for the same table. Only axes with a total merge (an
//! axis without one lays out measures or overlapping groups); months merge only with their
//! neighbours, into periods; the addresses without a match only with each other.
//!
//! A table whose sensitive values no move can change (a grand total or a named sum of 1 or 2)
//! does not pass; the rule then blanks it as before.

use hashbrown::{HashMap, HashSet};

use crate::tabulate::recode::{
    MERGED_KEY_SEPARATOR, Recode, collapsible, is_additive, is_ordered, is_technical, parents,
    recode, with_short_labels,
};
use crate::tabulate::{Axis, Position, Role, Table};

use super::Threshold;

/// A table designed to pass the rule.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The recoded table (the original if it passed as it was, or if nothing helps).
    pub table: Table,
    /// The recoding steps taken, in order.
    pub steps: Vec<Recode>,
    /// True if no cell and no sum of `table` is sensitive.
    pub passes: bool,
    /// Published non-zero inner cells of the original design and of the planned one (the
    /// loss measure).
    pub information: (usize, usize),
    /// German list of what was merged, one line each ("Scholven und Hassel
    /// zusammengefasst"; "Gebiet: eine Ebene gröber …"), in table order.
    pub merges: Vec<String>,
}

/// What the `steps` that led to `table` merged, in German (see [`Plan::merges`]).
pub(super) fn describe(table: &Table, steps: &[Recode]) -> Vec<String> {
    let mut lines = Vec::new();
    for axis in table.row_axes().iter().chain(table.column_axes()) {
        let collapsed = steps
            .iter()
            .filter(
                |s| matches!(s, Recode::Collapse { dimension } if dimension == axis.dimension()),
            )
            .count();
        if steps
            .iter()
            .any(|s| matches!(s, Recode::Aggregate { dimension } if dimension == axis.dimension()))
        {
            lines.push(format!(
                "{}: nur die Summe „{}“ (ohne Gliederung)",
                axis.label(),
                axis.positions()
                    .first()
                    .map(|p| p.label.as_str())
                    .unwrap_or_default()
            ));
            continue;
        }
        if collapsed > 0 {
            lines.push(format!(
                "{}: {} gröber (feinste Ebene in die übergeordnete zusammengefasst)",
                axis.label(),
                if collapsed == 1 {
                    "eine Ebene".to_string()
                } else {
                    format!("{collapsed} Ebenen")
                }
            ));
        }
        for p in axis.positions() {
            if p.key.contains(MERGED_KEY_SEPARATOR)
                && matches!(p.role, Role::Category | Role::Subtotal)
            {
                lines.push(format!("{} zusammengefasst", p.label));
            }
        }
    }
    lines
}

/// Plans a publishable design of `table` under `threshold`: the passing alternative that
/// keeps the most information (see the module documentation); the original, not passing, if
/// there is none.
pub fn plan(table: &Table, threshold: Threshold) -> Plan {
    alternatives(table, threshold)
        .into_iter()
        .next()
        .unwrap_or_else(|| {
            let information = information(table, threshold);
            Plan {
                table: table.clone(),
                steps: Vec::new(),
                passes: false,
                information: (information, information),
                merges: Vec::new(),
            }
        })
}

/// Most combinations of dropped levels tried.
const MAX_ALTERNATIVES: usize = 16;

/// Every passing design the planner finds, the one keeping the most information first (of
/// equals the one with fewer steps, then the one with fewer levels dropped); only the
/// original if it passes as it is; empty if nothing passes.
pub fn alternatives(table: &Table, threshold: Threshold) -> Vec<Plan> {
    let before = information(table, threshold);
    if sensitive_cells(table, threshold).is_empty() {
        return vec![Plan {
            table: table.clone(),
            steps: Vec::new(),
            passes: true,
            information: (before, before),
            merges: Vec::new(),
        }];
    }
    let axes = axes_of(table);
    let levels: Vec<usize> = axes.iter().map(|a| levels_below(a)).collect();
    // One option more on an axis with a total: only the total stays (Stadt, alle).
    let depths: Vec<usize> = axes
        .iter()
        .zip(&levels)
        .map(|(a, &l)| l + usize::from(is_additive(a)))
        .collect();
    // Fewest drops first; the totals alone only if nothing finer passes.
    let (finer, aggregated): (Vec<Vec<usize>>, Vec<Vec<usize>>) = combinations(&depths)
        .into_iter()
        .partition(|d| d.iter().zip(&levels).all(|(n, l)| n <= l));
    let mut plans: Vec<Plan> = plan_each(table, &axes, &levels, finer, threshold);
    if plans.is_empty() {
        plans = plan_each(table, &axes, &levels, aggregated, threshold);
    }
    for plan in &mut plans {
        plan.information.0 = before;
    }
    // Stable: of equal information and steps, fewer levels dropped (tried first) wins.
    plans.sort_by(|a, b| {
        b.information
            .1
            .cmp(&a.information.1)
            .then(a.steps.len().cmp(&b.steps.len()))
    });
    plans
}

/// The passing plans for each combination of levels to drop (`levels[i] + 1` drops on axis
/// `i`: only its total), at most [`MAX_ALTERNATIVES`] tried.
fn plan_each(
    table: &Table,
    axes: &[&Axis],
    levels: &[usize],
    combinations: Vec<Vec<usize>>,
    threshold: Threshold,
) -> Vec<Plan> {
    let mut plans: Vec<Plan> = Vec::new();
    for drops in combinations.into_iter().take(MAX_ALTERNATIVES) {
        let mut current = table.clone();
        let mut steps = Vec::new();
        for ((axis, &n), &l) in axes.iter().zip(&drops).zip(levels) {
            let dimension = axis.dimension().to_owned();
            let moves = if n > l {
                vec![Recode::Aggregate { dimension }]
            } else {
                vec![Recode::Collapse { dimension }; n]
            };
            for step in moves {
                if let Ok(next) = recode(&current, &step) {
                    current = next;
                    steps.push(step);
                }
            }
        }
        if let Some((planned, steps)) = merge_until_passing(current, steps, threshold) {
            let after = information(&planned, threshold);
            plans.push(Plan {
                merges: describe(&planned, &steps),
                table: with_short_labels(&planned),
                steps,
                passes: true,
                information: (0, after),
            });
        }
    }
    plans
}

/// How many levels lie below the coarsest on `axis` (2 for Stadtbezirk > Stadtteil >
/// Baublock).
fn levels_below(axis: &Axis) -> usize {
    axis.positions()
        .iter()
        .map(|p| usize::from(p.depth))
        .max()
        .unwrap_or(0)
        .min(usize::from(collapsible(axis)) * 8)
}

/// Every vector `d` with `d[i] <= depths[i]`, fewest drops first.
fn combinations(depths: &[usize]) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    for &depth in depths {
        all = all
            .into_iter()
            .flat_map(|prefix| {
                (0..=depth).map(move |d| {
                    let mut next = prefix.clone();
                    next.push(d);
                    next
                })
            })
            .collect();
    }
    all.sort_by_key(|d| d.iter().sum::<usize>());
    all
}

/// Merges greedily until nothing is sensitive; `None` if it gets stuck.
fn merge_until_passing(
    mut current: Table,
    mut steps: Vec<Recode>,
    threshold: Threshold,
) -> Option<(Table, Vec<Recode>)> {
    loop {
        let sensitive = sensitive_cells(&current, threshold);
        if sensitive.is_empty() {
            return Some((current, steps));
        }
        let step = best_merge(&current, &sensitive, threshold)?;
        current = recode(&current, &step).ok()?;
        steps.push(step);
    }
}

/// Flat indices of the cells (margins included) with a sensitive value.
fn sensitive_cells(table: &Table, threshold: Threshold) -> Vec<usize> {
    table
        .cells()
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some_and(|n| threshold.is_sensitive(n)))
        .map(|(i, _)| i)
        .collect()
}

/// Published non-zero inner cells: the loss measure. On an axis reduced to its total
/// ([`Recode::Aggregate`]) the total counts as its one category.
fn information(table: &Table, threshold: Threshold) -> usize {
    let axes = axes_of(table);
    let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
    let inner: Vec<Vec<bool>> = axes
        .iter()
        .map(|a| {
            let only_total = a.positions().iter().all(|p| p.role == Role::Total);
            a.positions()
                .iter()
                .map(|p| only_total || p.role == Role::Category)
                .collect()
        })
        .collect();
    table
        .cells()
        .iter()
        .enumerate()
        .filter(|(i, v)| {
            v.is_some_and(|n| n >= u64::from(threshold.get()))
                && unflat(*i, &lens)
                    .iter()
                    .zip(&inner)
                    .all(|(&c, inner)| inner[c])
        })
        .count()
}

/// The axes of a table, rows first, with their lengths.
fn axes_of(table: &Table) -> Vec<&Axis> {
    table.row_axes().iter().chain(table.column_axes()).collect()
}

fn unflat(mut index: usize, lens: &[usize]) -> Vec<usize> {
    let mut coords = vec![0; lens.len()];
    for (slot, &n) in coords.iter_mut().zip(lens).rev() {
        if n > 0 {
            *slot = index % n;
            index /= n;
        }
    }
    coords
}

/// The order of moves: removes any sensitive cell, removed per lost (weighed by kinship),
/// smallest first.
type Rank = (bool, f64, std::cmp::Reverse<u64>);

/// The weight of a move merging positions that are not akin: it has to remove twice as many
/// sensitive cells per cell lost as a merge of akin ones to be taken first.
const NOT_AKIN: f64 = 0.5;

/// How a move changes the table: sensitive cells removed, inner information lost.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Effect {
    removed: i64,
    lost: i64,
    /// People in the merged positions (all for dropping a level): of equal moves the one
    /// that merges the smallest wins, so large areas keep their own row.
    size: u64,
    /// The merged positions are akin ([`crate::tabulate::CategoryDef::affinity`]).
    akin: bool,
}

impl Effect {
    /// How good the move is: first whether it removes a sensitive cell at all, then sensitive
    /// cells removed per cell of information lost (a gain counts as half a loss), weighed
    /// down for positions that are not akin (legal bases of two forms of protection: a
    /// table by form would have to merge the forms too); a move that removes none (it still
    /// makes the table coarser, so the next one may) by the least loss.
    fn rank(self) -> Rank {
        let size = std::cmp::Reverse(self.size);
        let kinship = if self.akin { 1.0 } else { NOT_AKIN };
        if self.removed > 0 {
            (
                true,
                self.removed as f64 / (self.lost as f64).max(0.5) * kinship,
                size,
            )
        } else {
            (false, -(self.lost as f64) / kinship, size)
        }
    }
}

/// The best merge for the sensitive cells, or `None` if every possible merge would add
/// sensitive cells or there is none.
fn best_merge(table: &Table, sensitive: &[usize], threshold: Threshold) -> Option<Recode> {
    let axes = axes_of(table);
    let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
    let grid = Grid::new(table, &lens, &axes, threshold);
    let mut best: Option<(Rank, Recode)> = None;
    for (k, axis) in axes.iter().enumerate() {
        let groups = Siblings::of(axis, &grid, k);
        // Groups hold siblings of one role, technical or not, so every pair is mergeable.
        let mut tried: HashSet<(usize, usize)> = HashSet::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for &cell in sensitive {
            let a = grid.coordinate(cell, k);
            if !seen.insert(a) {
                continue;
            }
            for b in groups.partners(a, axis.positions()) {
                let pair = (a.min(b), a.max(b));
                if !tried.insert(pair) {
                    continue;
                }
                let mut effect = grid.merge_effect(k, pair.0, pair.1, &groups.totals);
                effect.akin = akin(&axis.positions()[pair.0], &axis.positions()[pair.1]);
                if effect.removed < 0 {
                    continue;
                }
                let rank = effect.rank();
                if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                    let positions = axis.positions();
                    best = Some((
                        rank,
                        Recode::Merge {
                            dimension: axis.dimension().to_owned(),
                            first: positions[pair.0].key.clone(),
                            second: positions[pair.1].key.clone(),
                        },
                    ));
                }
            }
        }
    }
    best.map(|(_, step)| step)
}

/// The positions of one axis grouped by what may merge: same parent, same role, technical
/// or not, in the same named sums.
struct Siblings {
    /// Position -> its group (index into `groups`), `None` for margins.
    group_of: Vec<Option<usize>>,
    /// The groups, each in table order.
    groups: Vec<Vec<usize>>,
    /// Each position's value at the other axes' totals.
    totals: Vec<u64>,
    /// Months: only neighbours merge.
    ordered: bool,
}

impl Siblings {
    fn of(axis: &Axis, grid: &Grid<'_>, k: usize) -> Siblings {
        let positions = axis.positions();
        let parents = parents(axis);
        // Named sums holding a position, numbered (0: none), so keys compare cheaply.
        let mut sum_sets: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut keys: HashMap<(Option<usize>, Role, bool, usize), usize> = HashMap::new();
        let additive = is_additive(axis);
        let mut in_sums: Vec<Vec<usize>> = vec![Vec::new(); positions.len()];
        for (s, p) in positions.iter().enumerate() {
            if p.role == Role::Sum {
                for &q in &p.parts {
                    in_sums[q].push(s);
                }
            }
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = vec![None; positions.len()];
        for (i, p) in positions.iter().enumerate() {
            if !additive || !matches!(p.role, Role::Category | Role::Subtotal) {
                continue;
            }
            let sums = std::mem::take(&mut in_sums[i]);
            let sum_set = if sums.is_empty() {
                0
            } else {
                let next = sum_sets.len() + 1;
                *sum_sets.entry(sums).or_insert(next)
            };
            let key = (parents[i], p.role, is_technical(p), sum_set);
            let g = *keys.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
            group_of[i] = Some(g);
        }
        Siblings {
            group_of,
            groups,
            totals: (0..positions.len())
                .map(|p| grid.position_total(k, p))
                .collect(),
            ordered: is_ordered(axis),
        }
    }

    /// Whom `a` may merge with: its neighbours in its group and, unless the axis is ordered,
    /// the smallest other member; the same among the members akin to it.
    fn partners(&self, a: usize, positions: &[Position]) -> Vec<usize> {
        let Some(g) = self.group_of.get(a).copied().flatten() else {
            return Vec::new();
        };
        let group = &self.groups[g];
        let kin: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&p| !positions[a].affinity.is_empty() && akin(&positions[a], &positions[p]))
            .collect();
        let mut out = Vec::new();
        for members in [&group[..], &kin[..]] {
            let Some(at) = members.iter().position(|&p| p == a) else {
                continue;
            };
            let smallest = members
                .iter()
                .copied()
                .filter(|&p| p != a)
                .min_by_key(|&p| (self.totals[p], p))
                .filter(|_| !self.ordered);
            let neighbours = [at.checked_sub(1), Some(at + 1)]
                .into_iter()
                .flatten()
                .filter_map(|i| members.get(i).copied());
            for p in neighbours.chain(smallest) {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// True if `a` and `b` are akin: they share an affinity, or neither has one.
fn akin(a: &Position, b: &Position) -> bool {
    if a.affinity.is_empty() || b.affinity.is_empty() {
        return a.affinity.is_empty() && b.affinity.is_empty();
    }
    a.affinity.iter().any(|x| b.affinity.contains(x))
}

/// A table's cells seen along its axes, for the effect of a move without making it.
struct Grid<'t> {
    table: &'t Table,
    lens: &'t [usize],
    axes: &'t [&'t Axis],
    threshold: Threshold,
    /// Per axis its total position (or the first position if it has no total).
    at_totals: Vec<usize>,
    /// Per axis the distance in the flat cell index between neighbouring positions.
    strides: Vec<usize>,
    /// Per axis and position: a category (an inner position).
    category: Vec<Vec<bool>>,
}

impl<'t> Grid<'t> {
    fn new(
        table: &'t Table,
        lens: &'t [usize],
        axes: &'t [&'t Axis],
        threshold: Threshold,
    ) -> Self {
        let at_totals = axes
            .iter()
            .map(|a| {
                a.positions()
                    .iter()
                    .position(|q| q.role == Role::Total)
                    .unwrap_or(0)
            })
            .collect();
        let mut strides = vec![1; lens.len()];
        for k in (0..lens.len().saturating_sub(1)).rev() {
            strides[k] = strides[k + 1] * lens[k + 1].max(1);
        }
        let category = axes
            .iter()
            .map(|a| {
                a.positions()
                    .iter()
                    .map(|p| p.role == Role::Category)
                    .collect()
            })
            .collect();
        Grid {
            table,
            lens,
            axes,
            threshold,
            at_totals,
            strides,
            category,
        }
    }

    /// The position on axis `k` of the cell with flat index `index`.
    fn coordinate(&self, index: usize, k: usize) -> usize {
        (index / self.strides[k]) % self.lens[k].max(1)
    }

    fn value(&self, index: usize) -> Option<u64> {
        self.table.cells().get(index).copied().flatten()
    }

    fn sensitive(&self, v: Option<u64>) -> i64 {
        i64::from(v.is_some_and(|n| self.threshold.is_sensitive(n)))
    }

    fn published(&self, v: Option<u64>) -> i64 {
        i64::from(v.is_some_and(|n| n >= u64::from(self.threshold.get())))
    }

    /// True if every axis but `k` is at a category in the cell with flat index `index`.
    fn is_inner(&self, index: usize, k: usize) -> bool {
        (0..self.lens.len()).all(|a| a == k || self.category[a][self.coordinate(index, a)])
    }

    /// The flat index of every combination of the other axes' positions with axis `k` at
    /// its first position.
    fn others(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        let inner = self.strides[k];
        let block = inner * self.lens[k].max(1);
        let outer: usize = self.lens[..k].iter().map(|&n| n.max(1)).product();
        (0..outer).flat_map(move |o| (0..inner).map(move |i| o * block + i))
    }

    /// The value of position `p` of axis `k` with every other axis at its total (or the
    /// largest margin), for ordering candidates.
    fn position_total(&self, k: usize, p: usize) -> u64 {
        let index: usize = self
            .at_totals
            .iter()
            .enumerate()
            .map(|(a, &c)| if a == k { p } else { c } * self.strides[a])
            .sum();
        self.value(index).unwrap_or(0)
    }

    fn merge_effect(&self, k: usize, a: usize, b: usize, totals: &[u64]) -> Effect {
        let mut effect = Effect {
            removed: 0,
            lost: 0,
            size: totals[a] + totals[b],
            akin: true,
        };
        let role_inner = self.axes[k].positions()[a].role == Role::Category;
        let stride = self.strides[k];
        for base in self.others(k) {
            let va = self.value(base + a * stride);
            let vb = self.value(base + b * stride);
            let merged = match (va, vb) {
                (Some(x), Some(y)) => Some(x + y),
                _ => None,
            };
            effect.removed += self.sensitive(va) + self.sensitive(vb) - self.sensitive(merged);
            if role_inner && self.is_inner(base, k) {
                effect.lost += self.published(va) + self.published(vb) - self.published(merged);
            }
        }
        effect
    }
}
