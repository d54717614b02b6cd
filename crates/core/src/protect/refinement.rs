//! The differencing check of a release on the common refinement of its tables: per
//! dimension, the keys no table tells apart form a class; the product of these classes
//! (empty combinations included: a reader does not know which are empty, only those inside a
//! published zero or ruled out by a published rule between two dimensions) are the unknowns,
//! every published cell is a sum of them.
//!
//! A value of 1 or 2 is taken to be disclosed if the published cells determine exactly
//! - the count of a class of combinations (those in the same published cells) of 1 or 2,
//! - the sum of two such classes with 1 or 2 together (one of them may be empty),
//! - the difference of two published cells, one inside the other, of 1 or 2, or
//! - any cell of any table of the release, published, suppressed or of its original design
//!   before the planner merged it (Scholven's Duldung in the Stadtteil table), of 1 or 2.
//!
//! A refinement too large to be checked as a whole is split into two families of tables
//! checked each on its own ([`super::split::discloses`]).

use hashbrown::{HashMap, HashSet};

use super::span::{Echelon, Random, neg};
use super::universe::{AxisLayout, Filter, Universe};
use super::{ProtectedTable, Published, Threshold};
use crate::tabulate::Table;

/// Most combinations the common refinement may have to be checked as a whole; above, the
/// release is split into families checked on their own, and where it cannot be, the caller
/// falls back to the check on the records' own combinations (stricter).
pub(super) const MAX_PRODUCT: usize = 200_000;

/// The combinations of classes of two dimensions that occur.
type Pairs = HashSet<(u32, u32)>;

/// A table of the release as the check sees it.
#[derive(Clone, Copy)]
pub(super) struct View<'a> {
    /// The published table.
    pub table: &'a ProtectedTable,
    /// Its design before the planner (the same table if not planned).
    pub original: &'a Table,
    /// Filters (dimension, category).
    pub filters: &'a [Filter],
}

/// One layout (the published or the original design) of a view, mapped onto the classes.
struct Layout<'a> {
    table: &'a Table,
    /// Per axis: the used dimension it shows, its layout, and per class of that dimension
    /// the category position it falls in (`None`: not counted in the table).
    axes: Vec<(usize, AxisLayout, Vec<Option<usize>>)>,
    /// Per used dimension without an axis: the classes counted (all unless filtered).
    others: Vec<(usize, Vec<u32>)>,
}

/// What a reader knows from the views: the published cells as sums of combinations of
/// classes, the combinations known to be empty, and two random vectors of the kernel.
pub(super) struct System<'a> {
    /// The used dimensions (indices of the universe's), ascending.
    used: Vec<usize>,
    /// Per used dimension: leaf -> class.
    class_of_leaf: Vec<Vec<u32>>,
    /// Per used dimension: its number of classes.
    n_classes: Vec<usize>,
    /// The published and the original layout of each view, in turn.
    layouts: Vec<Layout<'a>>,
    /// Persons per combination of classes.
    counts: HashMap<u32, u64>,
    /// Dimensions tied by a published rule, with the combinations of classes that occur.
    ties: Vec<(usize, usize, Pairs)>,
    /// Combinations inside a published zero.
    zero: HashSet<u32>,
    /// The published cells (and margins over suppressed cells) as sets of combinations.
    rows: Vec<Vec<u32>>,
    /// Combination -> column of the kernel vectors.
    column: HashMap<u32, u32>,
    /// Two random vectors of the kernel of the rows.
    kernel: (Vec<u64>, Vec<u64>),
    random: Random,
}

impl<'a> System<'a> {
    /// The system of `views`; `Some(None)` if the refinement has more than `max_product`
    /// combinations, `None` if the views cannot be mapped onto the universe.
    pub(super) fn of(
        universe: &Universe,
        views: &[View<'a>],
        max_product: usize,
    ) -> Option<Option<System<'a>>> {
        let tables: Vec<(&'a Table, &'a [Filter])> = views
            .iter()
            .flat_map(|v| [(v.table.raw(), v.filters), (v.original, v.filters)])
            .collect();
        // The dimensions used, and per used dimension the classes of its keys.
        let mut used: Vec<usize> = Vec::new();
        for (t, filters) in &tables {
            for axis in t.row_axes().iter().chain(t.column_axes()) {
                used.push(universe.dim(axis.dimension())?);
            }
            for (dim, _) in *filters {
                used.push(universe.dim(dim)?);
            }
        }
        used.sort_unstable();
        used.dedup();
        let (class_of_leaf, n_classes): (Vec<Vec<u32>>, Vec<usize>) = used
            .iter()
            .map(|&d| leaf_classes(universe, &tables, d))
            .unzip();
        let product = n_classes
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n.max(1)));
        if product.is_none_or(|p| p > max_product) {
            return Some(None);
        }
        let used_at = |d: usize| used.iter().position(|&u| u == d);
        let representative: Vec<Vec<usize>> = n_classes
            .iter()
            .zip(&class_of_leaf)
            .map(|(&n, classes)| {
                let mut rep = vec![usize::MAX; n];
                for (leaf, &c) in classes.iter().enumerate() {
                    if rep[c as usize] == usize::MAX {
                        rep[c as usize] = leaf;
                    }
                }
                rep
            })
            .collect();
        // The layouts over the classes.
        let layouts: Vec<Layout<'a>> = tables
            .iter()
            .map(|(t, filters)| {
                let mut on_axis = vec![false; used.len()];
                let axes = t
                    .row_axes()
                    .iter()
                    .chain(t.column_axes())
                    .map(|axis| {
                        let layout = AxisLayout::of(axis);
                        let u = used_at(universe.dim(axis.dimension()).unwrap_or(usize::MAX))
                            .unwrap_or(0);
                        on_axis[u] = true;
                        let d = used[u];
                        // A class the table's filters leave out is counted in no cell, though
                        // the axis has a row for it (a published zero there says nothing of
                        // it).
                        let positions = representative[u]
                            .iter()
                            .map(|&leaf| {
                                let key = &universe.leaves(d)[leaf];
                                kept(universe, filters, d, key)
                                    .then(|| position_of(universe, d, key, &layout))
                                    .flatten()
                            })
                            .collect();
                        (u, layout, positions)
                    })
                    .collect();
                let others = (0..used.len())
                    .filter(|&u| !on_axis[u])
                    .map(|u| {
                        let d = used[u];
                        let classes = (0..n_classes[u] as u32)
                            .filter(|&c| {
                                let leaf = &universe.leaves(d)[representative[u][c as usize]];
                                kept(universe, filters, d, leaf)
                            })
                            .collect();
                        (u, classes)
                    })
                    .collect();
                Layout {
                    table: t,
                    axes,
                    others,
                }
            })
            .collect();
        // Counts per combination of classes.
        let mut counts: HashMap<u32, u64> = HashMap::new();
        for (key, &n) in universe.atoms() {
            let mut id = 0usize;
            for (u, &d) in used.iter().enumerate() {
                let leaf = universe.leaf_index(d, &key[d])?;
                id = id * n_classes[u] + class_of_leaf[u][leaf] as usize;
            }
            *counts.entry(id as u32).or_default() += n;
        }
        // Dimensions tied by a published rule (sex and the sex assigned by birth month; German
        // or not and the nationality): their combinations of classes that never occur are
        // taken as known to be empty (a reader knows the rule; stricter where one merely does
        // not occur).
        let mut ties: Vec<(usize, usize, Pairs)> = Vec::new();
        for (a, b) in universe.ties() {
            if let (Some(ua), Some(ub)) = (used_at(a), used_at(b)) {
                let mut seen = HashSet::new();
                for (key, _) in universe.atoms() {
                    let ca = class_of_leaf[ua][universe.leaf_index(a, &key[a])?];
                    let cb = class_of_leaf[ub][universe.leaf_index(b, &key[b])?];
                    seen.insert((ca, cb));
                }
                ties.push((ua, ub, seen));
            }
        }
        let mut system = System {
            used,
            class_of_leaf,
            n_classes,
            layouts,
            counts,
            ties,
            zero: HashSet::new(),
            rows: Vec::new(),
            column: HashMap::new(),
            kernel: (Vec::new(), Vec::new()),
            random: Random::new(0x5265_6c65_6173_6521),
        };
        // Published zeros; then the rows: published inner cells and, where cells are
        // suppressed, each published margin as the suppressed inner cells below it.
        let mut zero: HashSet<u32> = HashSet::new();
        let mut rows: Vec<Vec<u32>> = Vec::new();
        for (v, view) in views.iter().enumerate() {
            let layout = &system.layouts[2 * v];
            let table = view.table;
            let n_cols = table.n_cols().max(1);
            let n_cells = table.n_rows() * table.n_cols();
            let mut margins: HashMap<usize, Vec<u32>> = HashMap::new();
            for i in 0..n_cells {
                let published = table.cell(i / n_cols, i % n_cols);
                let inner = is_inner(table, i / n_cols, i % n_cols);
                match published {
                    Published::Zero => zero.extend(cell_set(layout, &system.n_classes, i)),
                    Published::Value(_) if inner => {
                        rows.push(cell_set(layout, &system.n_classes, i));
                    }
                    Published::Suppressed | Published::NotMeaningful if inner => {
                        let set = cell_set(layout, &system.n_classes, i);
                        for m in holders_of(layout, i) {
                            if m != i
                                && matches!(table.cell(m / n_cols, m % n_cols), Published::Value(_))
                            {
                                margins.entry(m).or_default().extend(&set);
                            }
                        }
                    }
                    _ => {}
                }
            }
            let mut margins: Vec<(usize, Vec<u32>)> = margins.into_iter().collect();
            margins.sort_unstable_by_key(|(m, _)| *m);
            rows.extend(margins.into_iter().map(|(_, set)| set));
        }
        system.zero = zero;
        let mut column: HashMap<u32, u32> = HashMap::new();
        for row in &mut rows {
            row.retain(|p| !system.zero.contains(p) && !system.tied_empty(*p));
            row.sort_unstable();
            row.dedup();
            for &p in row.iter() {
                let next = column.len() as u32;
                column.entry(p).or_insert(next);
            }
        }
        let mut matrix = Echelon::new(column.len());
        for row in &rows {
            let columns: Vec<u32> = row.iter().map(|p| column[p]).collect();
            matrix.insert(&columns);
        }
        let x = matrix.kernel_vector(&mut system.random);
        let y = matrix.kernel_vector(&mut system.random);
        system.rows = rows;
        system.column = column;
        system.kernel = (x, y);
        Some(Some(system))
    }

    /// True if combination `p` is ruled out by a published rule between two dimensions.
    fn tied_empty(&self, p: u32) -> bool {
        if self.ties.is_empty() {
            return false;
        }
        let mut rest = p as usize;
        let mut classes = vec![0u32; self.n_classes.len()];
        for (slot, &n) in classes.iter_mut().zip(&self.n_classes).rev() {
            let n = n.max(1);
            *slot = (rest % n) as u32;
            rest /= n;
        }
        self.ties
            .iter()
            .any(|(a, b, seen)| !seen.contains(&(classes[*a], classes[*b])))
    }

    /// Persons in the combinations of `set`.
    fn count(&self, set: &[u32]) -> u64 {
        set.iter()
            .map(|p| self.counts.get(p).copied().unwrap_or(0))
            .sum()
    }

    /// Kernel sums over a set; `None` if it holds a combination no published cell touches.
    fn sums(&self, set: &[u32]) -> Option<(u64, u64)> {
        let (x, y) = &self.kernel;
        set.iter()
            .filter(|p| !self.zero.contains(*p) && !self.tied_empty(**p))
            .try_fold((0u64, 0u64), |(a, b), p| {
                let c = *self.column.get(p)? as usize;
                Some((super::span::add(a, x[c]), super::span::add(b, y[c])))
            })
    }

    /// True if the published cells determine the count of `block`: per dimension of the
    /// universe named in it the leaves inside, all leaves of every other dimension. False
    /// where the block cuts through a class.
    pub(super) fn determines(&self, block: &[(usize, Vec<bool>)]) -> bool {
        let mut per_dim: Vec<Vec<u32>> = Vec::with_capacity(self.used.len());
        for (u, &d) in self.used.iter().enumerate() {
            let Some((_, inside)) = block.iter().find(|(s, _)| *s == d) else {
                per_dim.push((0..self.n_classes[u] as u32).collect());
                continue;
            };
            let mut state = vec![None; self.n_classes[u]];
            for (leaf, &c) in self.class_of_leaf[u].iter().enumerate() {
                let s = &mut state[c as usize];
                if s.is_some_and(|s| s != inside[leaf]) {
                    return false;
                }
                *s = Some(inside[leaf]);
            }
            per_dim.push(
                (0..self.n_classes[u] as u32)
                    .filter(|&c| state[c as usize] == Some(true))
                    .collect(),
            );
        }
        // A block over a dimension the views do not use must take all of it.
        let unused_whole = block
            .iter()
            .filter(|(d, _)| !self.used.contains(d))
            .all(|(_, inside)| inside.iter().all(|&i| i));
        if !unused_whole {
            return false;
        }
        let members: Vec<&Vec<u32>> = per_dim.iter().collect();
        self.sums(&box_set(&members, &self.n_classes)) == Some((0, 0))
    }

    /// Whether a value from 1 to `threshold - 1` can be computed (see the module
    /// documentation); `None` if a box to check is too large to list.
    pub(super) fn discloses(&mut self, threshold: Threshold) -> Option<bool> {
        let limit = u64::from(threshold.get());
        let sensitive = |n: u64| n > 0 && n < limit;
        let (x, y) = &self.kernel;
        // Classes of combinations (the same published cells), with their kernel sums.
        let mut hash: HashMap<u32, (u64, u64)> = HashMap::new();
        for row in &self.rows {
            let (r1, r2) = (self.random.next(), self.random.next());
            for &p in row {
                let h = hash.entry(p).or_default();
                h.0 = h.0.wrapping_add(r1);
                h.1 = h.1.wrapping_add(r2);
            }
        }
        let mut classes: HashMap<(u64, u64), (u64, u64, u64)> = HashMap::new();
        for (&p, h) in &hash {
            let c = self.column[&p] as usize;
            let e = classes.entry(*h).or_default();
            e.0 = super::span::add(e.0, x[c]);
            e.1 = super::span::add(e.1, y[c]);
            e.2 += self.counts.get(&p).copied().unwrap_or(0);
        }
        if classes
            .values()
            .any(|&(a, b, n)| a == 0 && b == 0 && sensitive(n))
        {
            return Some(true);
        }
        // Pairs: two undetermined classes whose kernel sums cancel (determined ones are
        // singles).
        let mut by_sum: HashMap<(u64, u64), Vec<u64>> = HashMap::new();
        for &(a, b, n) in classes.values() {
            if n < limit && (a, b) != (0, 0) {
                by_sum.entry((a, b)).or_default().push(n);
            }
        }
        for (&(a, b), ns) in &by_sum {
            if let Some(partners) = by_sum.get(&(neg(a), neg(b)))
                && ns
                    .iter()
                    .any(|&n| partners.iter().any(|&m| sensitive(n + m)))
            {
                return Some(true);
            }
        }
        // Two published cells, one inside the other (a Kreuztabelle filtered to männlich
        // inside the Stadtteil's assigned männlich): their difference is known.
        let rows = &self.rows;
        let mut rows_of: HashMap<u32, Vec<usize>> = HashMap::new();
        for (r, row) in rows.iter().enumerate() {
            if let Some(&first) = row.first() {
                rows_of.entry(first).or_default().push(r);
            }
        }
        let mut containing: HashMap<u32, Vec<usize>> = HashMap::new();
        for (r, row) in rows.iter().enumerate() {
            for &p in row {
                if rows_of.contains_key(&p) {
                    containing.entry(p).or_default().push(r);
                }
            }
        }
        for (first, inner) in &rows_of {
            for &q in inner {
                let small = &rows[q];
                for &big in containing.get(first).into_iter().flatten() {
                    let large = &rows[big];
                    if big == q || large.len() <= small.len() {
                        continue;
                    }
                    let inside = small.iter().all(|p| large.binary_search(p).is_ok());
                    if inside && sensitive(self.count(large) - self.count(small)) {
                        return Some(true);
                    }
                }
            }
        }
        // Boxes around every combination of 1 or 2: per used dimension a group of classes
        // (the class itself, the classes of one category position of a table's axis or of a
        // filter, or all), i.e. a cell of a table a reader can build from the categories the
        // release shows. Nord's Gestattung is all refugees of Nord by Stadtteil minus Nord's
        // Duldung and Nord's humanitarian refugees from two filtered Kreuztabellen: three or
        // more classes, some of them empty, which the pairs above do not reach.
        match boxes_disclose(&self.layouts, &self.n_classes, &self.counts, limit, |set| {
            sensitive(self.count(set)) && self.sums(set) == Some((0, 0))
        }) {
            Some(false) => {}
            other => return other.map(|_| true),
        }
        // Every cell of every table of the release with a value of 1 or 2.
        for layout in &self.layouts {
            let values = layout.table.cells();
            for (i, v) in values.iter().enumerate() {
                if !v.is_some_and(sensitive) {
                    continue;
                }
                let set = cell_set(layout, &self.n_classes, i);
                if sensitive(self.count(&set)) && self.sums(&set) == Some((0, 0)) {
                    return Some(true);
                }
            }
        }
        Some(false)
    }
}

/// True if cell (`row`, `col`) of `table` is an inner cell: a category on every axis, or
/// the total of an axis reduced to it (a table of the Stadtbezirke' totals only counts them
/// as its cells).
fn is_inner(table: &ProtectedTable, row: usize, col: usize) -> bool {
    let reduced = |axis: &crate::tabulate::Axis| {
        axis.positions()
            .iter()
            .all(|p| p.role == crate::tabulate::Role::Total)
    };
    let raw = table.raw();
    raw.row_axes()
        .iter()
        .zip(table.row_positions(row))
        .chain(raw.column_axes().iter().zip(table.column_positions(col)))
        .all(|(axis, p)| p.role == crate::tabulate::Role::Category || reduced(axis))
}

/// The classes of the leaves of dimension `d`: leaves no table (with its filters) tells apart
/// share a class; per leaf its class, and the number of classes.
pub(super) fn leaf_classes(
    universe: &Universe,
    tables: &[(&Table, &[Filter])],
    d: usize,
) -> (Vec<u32>, usize) {
    let layouts: Vec<Vec<AxisLayout>> = tables
        .iter()
        .map(|(t, _)| {
            t.row_axes()
                .iter()
                .chain(t.column_axes())
                .filter(|axis| universe.dim(axis.dimension()) == Some(d))
                .map(AxisLayout::of)
                .collect()
        })
        .collect();
    let mut signatures: HashMap<Vec<u32>, u32> = HashMap::new();
    let mut classes = Vec::with_capacity(universe.leaves(d).len());
    for leaf in universe.leaves(d) {
        let mut signature = Vec::new();
        for ((_, filters), axes) in tables.iter().zip(&layouts) {
            for layout in axes {
                signature
                    .push(position_of(universe, d, leaf, layout).map_or(u32::MAX, |p| p as u32));
            }
            for (dim, categories) in *filters {
                if universe.dim(dim) == Some(d) {
                    signature.push(u32::from(
                        categories.iter().any(|c| universe.rolls_up_to(d, leaf, c)),
                    ));
                }
            }
        }
        let next = signatures.len() as u32;
        classes.push(*signatures.entry(signature).or_insert(next));
    }
    (classes, signatures.len())
}

/// Most combinations a box may hold to be listed; a larger box with a count of 1 or 2 makes
/// the caller fall back to the check on the records' own combinations.
const MAX_BOX: usize = 200_000;

/// True if a box (see [`discloses`]) around a combination with a count below `limit` is
/// `determined` (its combinations' count 1 or 2 and known); `None` if such a box is too large
/// to list.
fn boxes_disclose(
    layouts: &[Layout<'_>],
    n_classes: &[usize],
    counts: &HashMap<u32, u64>,
    limit: u64,
    determined: impl Fn(&[u32]) -> bool,
) -> Option<bool> {
    let n_dims = n_classes.len();
    // Per dimension the groups of classes, and per class the groups it is in.
    let mut groups: Vec<Vec<Vec<u32>>> = n_classes
        .iter()
        .map(|&n| {
            let mut g: Vec<Vec<u32>> = (0..n as u32).map(|c| vec![c]).collect();
            g.push((0..n as u32).collect());
            g
        })
        .collect();
    for layout in layouts {
        for (u, l, positions) in &layout.axes {
            for q in 0..l.holders.len() {
                let group: Vec<u32> = positions
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.is_some_and(|p| l.holders[p].contains(&q)))
                    .map(|(c, _)| c as u32)
                    .collect();
                if !group.is_empty() {
                    groups[*u].push(group);
                }
            }
        }
        for (u, classes) in &layout.others {
            groups[*u].push(classes.clone());
        }
    }
    let mut member_of: Vec<Vec<Vec<usize>>> = Vec::with_capacity(n_dims);
    for (u, g) in groups.iter_mut().enumerate() {
        g.sort_unstable();
        g.dedup();
        let mut of = vec![Vec::new(); n_classes[u].max(1)];
        for (i, group) in g.iter().enumerate() {
            for &c in group {
                of[c as usize].push(i);
            }
        }
        member_of.push(of);
    }
    let decode = |mut id: usize| -> Vec<usize> {
        let mut classes = vec![0usize; n_dims];
        for (slot, &n) in classes.iter_mut().zip(n_classes).rev() {
            let n = n.max(1);
            *slot = id % n;
            id /= n;
        }
        classes
    };
    let nonempty: Vec<(Vec<usize>, u64)> = counts
        .iter()
        .map(|(&p, &n)| (decode(p as usize), n))
        .collect();
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for (classes, n) in &nonempty {
        if *n >= limit {
            continue;
        }
        let choices: Vec<&Vec<usize>> = classes
            .iter()
            .enumerate()
            .map(|(u, &c)| &member_of[u][c])
            .collect();
        let mut at = vec![0usize; n_dims];
        'boxes: loop {
            let chosen: Vec<usize> = (0..n_dims).map(|u| choices[u][at[u]]).collect();
            if seen.insert(chosen.clone()) {
                let members: Vec<&Vec<u32>> = (0..n_dims).map(|u| &groups[u][chosen[u]]).collect();
                let size = members
                    .iter()
                    .try_fold(1usize, |acc, g| acc.checked_mul(g.len()))
                    .unwrap_or(usize::MAX);
                // The box's count, stopping once it reaches the limit.
                let inside = |classes: &[usize]| {
                    classes
                        .iter()
                        .zip(&members)
                        .all(|(&c, g)| g.binary_search(&(c as u32)).is_ok())
                };
                let mut total = 0u64;
                if size <= nonempty.len() {
                    // A small box: its own combinations.
                    for p in box_set(&members, n_classes) {
                        total += counts.get(&p).copied().unwrap_or(0);
                        if total >= limit {
                            break;
                        }
                    }
                } else {
                    for (other, m) in &nonempty {
                        if inside(other) {
                            total += m;
                            if total >= limit {
                                break;
                            }
                        }
                    }
                }
                if total > 0 && total < limit {
                    if size > MAX_BOX {
                        return None;
                    }
                    if determined(&box_set(&members, n_classes)) {
                        return Some(true);
                    }
                }
            }
            let mut u = n_dims;
            loop {
                if u == 0 {
                    break 'boxes;
                }
                u -= 1;
                at[u] += 1;
                if at[u] < choices[u].len() {
                    break;
                }
                at[u] = 0;
            }
        }
    }
    Some(false)
}

/// The combinations of a box: the product of its groups of classes.
fn box_set(members: &[&Vec<u32>], n_classes: &[usize]) -> Vec<u32> {
    let mut out = vec![0u32];
    for (u, classes) in members.iter().enumerate() {
        let n = n_classes[u].max(1) as u32;
        out = out
            .into_iter()
            .flat_map(|base| classes.iter().map(move |&c| base * n + c))
            .collect();
    }
    out
}

/// The category position of `leaf` (dimension `d`) on an axis, by its ancestors.
pub(super) fn position_of(
    universe: &Universe,
    d: usize,
    leaf: &str,
    layout: &AxisLayout,
) -> Option<usize> {
    if leaf.is_empty() {
        return None;
    }
    layout.position(universe.lineage(d, leaf))
}

/// Coordinates of flat cell `i` of a table, one per axis.
fn coords(layout: &Layout<'_>, mut i: usize) -> Vec<usize> {
    let lens: Vec<usize> = layout
        .axes
        .iter()
        .map(|(_, l, _)| l.holders.len())
        .collect();
    let mut out = vec![0; lens.len()];
    for (slot, &n) in out.iter_mut().zip(&lens).rev() {
        if n > 0 {
            *slot = i % n;
            i /= n;
        }
    }
    out
}

/// Every cell holding cell `i` (margins above it on any axis, itself included).
fn holders_of(layout: &Layout<'_>, i: usize) -> Vec<usize> {
    let at = coords(layout, i);
    let lens: Vec<usize> = layout
        .axes
        .iter()
        .map(|(_, l, _)| l.holders.len())
        .collect();
    let mut out = vec![0usize];
    for (a, (_, l, _)) in layout.axes.iter().enumerate() {
        out = out
            .into_iter()
            .flat_map(|base| {
                let len = lens[a];
                l.holders[at[a]].iter().map(move |&h| base * len + h)
            })
            .collect();
    }
    out
}

/// True if the finest key `leaf` of dimension `d` passes every filter on `d` (falls into one
/// of its categories).
pub(super) fn kept(universe: &Universe, filters: &[Filter], d: usize, leaf: &str) -> bool {
    filters
        .iter()
        .filter(|(dim, _)| universe.dim(dim) == Some(d))
        .all(|(_, categories)| categories.iter().any(|c| universe.rolls_up_to(d, leaf, c)))
}

/// The combinations of classes cell `i` of a table counts.
fn cell_set(layout: &Layout<'_>, n_classes: &[usize], i: usize) -> Vec<u32> {
    let at = coords(layout, i);
    let mut per_dim: Vec<Vec<u32>> = vec![Vec::new(); n_classes.len()];
    for (a, (u, l, positions)) in layout.axes.iter().enumerate() {
        per_dim[*u] = positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_some_and(|p| l.holders[p].contains(&at[a])))
            .map(|(c, _)| c as u32)
            .collect();
    }
    for (u, classes) in &layout.others {
        per_dim[*u] = classes.clone();
    }
    let mut out = vec![0u32];
    for (u, classes) in per_dim.iter().enumerate() {
        let n = n_classes[u] as u32;
        out = out
            .into_iter()
            .flat_map(|base| classes.iter().map(move |&c| base * n + c))
            .collect();
    }
    out
}
