//! The differencing check of a release too large to be checked as a whole, split into two
//! families of tables checked each on its own.
//!
//! Family B holds the tables of some dimension no other table uses (the refugees by
//! nationality and Stadtbezirk); family A holds the rest (by category down to the Baublock).
//! The dimensions both use (the place) are cut into blocks by B's own classes (the
//! Stadtbezirke). The split is taken only if, for every block both families count into, each
//! family on its own determines the block's count (B publishes it as a margin; A publishes
//! it, or its cells add up to it).
//!
//! Then every set of combinations whose count the release determines is, block by block, a
//! set A determines plus a set B determines: within a block a published cell of A is a
//! function of A's classes and one of B of B's classes; a sum of both that is 0 or 1
//! everywhere is constant in one of the two (else it takes three values), and that constant
//! is a multiple of the block's count, which both determine. So a count of 1 or 2 the release
//! determines is, in part, a count of 1 or 2 one family determines on its own. For a class
//! of combinations and a pair of classes that part is again a class or a pair of its family,
//! which its own check finds; boxes and cells are checked within each family.
//!
//! Zeros and the rules between dimensions keep the blocks rectangular as long as no rule ties
//! a dimension of B alone to one A shows; a split that would need that is not taken.

use super::Published;
use super::refinement::{System, View, kept, leaf_classes, position_of};
use super::universe::{AxisLayout, Filter, Universe};
use crate::tabulate::Table;

/// Most blocks a split may cut the shared dimensions into.
const MAX_BLOCKS: usize = 10_000;

/// The views as two families `(a, b)` whose checks on their own decide the check of all
/// (see the module documentation), B as small as possible; `None` if there is no such split.
pub(super) fn split<'a>(
    universe: &Universe,
    views: &[View<'a>],
    max_product: usize,
) -> Option<(Vec<View<'a>>, Vec<View<'a>>)> {
    let dims: Vec<Vec<usize>> = views
        .iter()
        .map(|v| dims_of(universe, v))
        .collect::<Option<_>>()?;
    let mut used: Vec<usize> = dims.iter().flatten().copied().collect();
    used.sort_unstable();
    used.dedup();
    // Candidates for B: the views using one dimension, for each dimension not all use.
    let mut candidates: Vec<Vec<bool>> = Vec::new();
    for &d in &used {
        let in_b: Vec<bool> = dims.iter().map(|ds| ds.contains(&d)).collect();
        if !in_b.iter().all(|&b| b) && !candidates.contains(&in_b) {
            candidates.push(in_b);
        }
    }
    candidates.sort_by_key(|in_b| in_b.iter().filter(|&&b| b).count());
    for in_b in candidates {
        let uses = |d: usize, side: bool| {
            dims.iter()
                .zip(&in_b)
                .any(|(ds, &b)| b == side && ds.contains(&d))
        };
        let own: Vec<usize> = used.iter().copied().filter(|&d| !uses(d, false)).collect();
        let shared: Vec<usize> = used
            .iter()
            .copied()
            .filter(|&d| uses(d, true) && uses(d, false))
            .collect();
        // A rule between a dimension of B alone and one A shows would cut holes across
        // the blocks.
        if universe.ties().any(|(x, y)| {
            used.contains(&x) && used.contains(&y) && own.contains(&x) != own.contains(&y)
        }) {
            continue;
        }
        let family = |side: bool| -> Vec<View<'a>> {
            views
                .iter()
                .zip(&in_b)
                .filter(|(_, b)| **b == side)
                .map(|(v, _)| *v)
                .collect()
        };
        let (a, b) = (family(false), family(true));
        if totals_determined(universe, &a, &b, &shared, max_product) {
            return Some((a, b));
        }
    }
    None
}

/// The dimensions a view uses (on an axis of either design, or in a filter).
fn dims_of(universe: &Universe, view: &View<'_>) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for t in [view.table.raw(), view.original] {
        for axis in t.row_axes().iter().chain(t.column_axes()) {
            out.push(universe.dim(axis.dimension())?);
        }
    }
    for (dim, _) in view.filters {
        out.push(universe.dim(dim)?);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// True if, for every block of B's classes of the `shared` dimensions that both families
/// count into, each family determines the block's count: it publishes a cell holding
/// exactly the block, or (if its refinement has at most `max_product` combinations) its
/// published cells add up to it.
fn totals_determined(
    universe: &Universe,
    a: &[View<'_>],
    b: &[View<'_>],
    shared: &[usize],
    max_product: usize,
) -> bool {
    let tables: Vec<(&Table, &[Filter])> = b
        .iter()
        .flat_map(|v| [(v.table.raw(), v.filters), (v.original, v.filters)])
        .collect();
    let classes: Vec<(Vec<u32>, usize)> = shared
        .iter()
        .map(|&d| leaf_classes(universe, &tables, d))
        .collect();
    let Some(n_blocks) = classes
        .iter()
        .try_fold(1usize, |acc, (_, n)| acc.checked_mul(*n))
        .filter(|&n| n <= MAX_BLOCKS)
    else {
        return false;
    };
    let mut systems: [Option<Option<System<'_>>>; 2] = [None, None];
    for mut id in 0..n_blocks {
        let mut block: Vec<(usize, Vec<bool>)> = Vec::with_capacity(shared.len());
        for (&d, (of_leaf, n)) in shared.iter().zip(&classes).rev() {
            let class = (id % n) as u32;
            id /= n;
            block.push((d, of_leaf.iter().map(|&c| c == class).collect()));
        }
        let counted_in = |family: &[View<'_>]| family.iter().any(|v| touches(universe, v, &block));
        if !counted_in(a) || !counted_in(b) {
            continue;
        }
        for (family, system) in [a, b].into_iter().zip(systems.iter_mut()) {
            if family.iter().any(|v| holds_block(universe, v, &block)) {
                continue;
            }
            let system =
                system.get_or_insert_with(|| System::of(universe, family, max_product).flatten());
            if !system.as_ref().is_some_and(|s| s.determines(&block)) {
                return false;
            }
        }
    }
    true
}

/// True if the view's published table counts some combination of `block` (per shared
/// dimension the leaves in it).
fn touches(universe: &Universe, view: &View<'_>, block: &[(usize, Vec<bool>)]) -> bool {
    let Some(layouts) = axis_layouts(universe, view.table.raw()) else {
        return true;
    };
    block.iter().all(|(d, inside)| {
        universe
            .leaves(*d)
            .iter()
            .zip(inside)
            .any(|(leaf, &inside)| {
                inside
                    && kept(universe, view.filters, *d, leaf)
                    && layouts
                        .iter()
                        .filter(|(dim, _)| dim == d)
                        .all(|(_, layout)| position_of(universe, *d, leaf, layout).is_some())
            })
    })
}

/// True if the view publishes (a number or a zero) a cell holding exactly the combinations
/// of `block`: on each shared dimension its leaves, on every other dimension all leaves.
fn holds_block(universe: &Universe, view: &View<'_>, block: &[(usize, Vec<bool>)]) -> bool {
    let table = view.table.raw();
    let Some(layouts) = axis_layouts(universe, table) else {
        return false;
    };
    let wanted = |d: usize, leaf: usize| -> bool {
        block
            .iter()
            .find(|(s, _)| *s == d)
            .is_none_or(|(_, inside)| inside[leaf])
    };
    // Dimensions without an axis: the filters must keep exactly the block.
    let mut off_axis: Vec<usize> = block.iter().map(|(d, _)| *d).collect();
    off_axis.extend(view.filters.iter().filter_map(|(dim, _)| universe.dim(dim)));
    off_axis.retain(|d| layouts.iter().all(|(dim, _)| dim != d));
    for d in off_axis {
        let exact = universe
            .leaves(d)
            .iter()
            .enumerate()
            .all(|(l, leaf)| kept(universe, view.filters, d, leaf) == wanted(d, l));
        if !exact {
            return false;
        }
    }
    // Per axis the position holding exactly the block's leaves (all on other dimensions).
    let mut flat = 0usize;
    for (d, layout) in &layouts {
        let n_positions = layout.holders.len();
        let mut held: Vec<Vec<usize>> = vec![Vec::new(); n_positions];
        let mut target: Vec<usize> = Vec::new();
        for (l, leaf) in universe.leaves(*d).iter().enumerate() {
            if wanted(*d, l) {
                target.push(l);
            }
            if !kept(universe, view.filters, *d, leaf) {
                continue;
            }
            if let Some(p) = position_of(universe, *d, leaf, layout) {
                for &q in &layout.holders[p] {
                    held[q].push(l);
                }
            }
        }
        let Some(q) = held.iter().position(|leaves| *leaves == target) else {
            return false;
        };
        flat = flat * n_positions + q;
    }
    let n_cols = table.n_cols().max(1);
    matches!(
        view.table.cell(flat / n_cols, flat % n_cols),
        Published::Value(_) | Published::Zero
    )
}

/// Per axis of `table` (rows, then columns): its dimension and layout; `None` if a
/// dimension is not the universe's.
fn axis_layouts(universe: &Universe, table: &Table) -> Option<Vec<(usize, AxisLayout)>> {
    table
        .row_axes()
        .iter()
        .chain(table.column_axes())
        .map(|axis| Some((universe.dim(axis.dimension())?, AxisLayout::of(axis))))
        .collect()
}
