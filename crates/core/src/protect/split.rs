//! The differencing check of a release too large to be checked as a whole, split into two
//! families of tables checked each on its own.
//!
//! Family B holds the tables of some dimension no other table uses (the refugees by
//! nationality and Stadtbezirk); family A holds the rest (by category down to the Baublock).
//! The dimensions both use (the place) are cut into blocks by the classes of B's published
//! tables (the Stadtbezirke). A is checked together with B's margins over B's own dimensions
//! (the refugees per Stadtbezirk, which B publishes): whatever A and B tell about a block's
//! total, A's check sees it. The split is taken only if, for every block both families count
//! into, B determines the block's count and A (with B's margins) does too.
//!
//! Then every set of combinations whose count the release determines is, block by block, a
//! set A determines plus a set B determines: within a block a published cell of A is a
//! function of A's classes and one of B of B's classes; a sum of both that is 0 or 1
//! everywhere is constant in one of the two (else it takes three values), and that constant
//! is a multiple of the block's count, which both determine. So a count of 1 or 2 the release
//! determines is, in part, a count of 1 or 2 one family determines on its own. For a class
//! of combinations and a pair of classes that part is again a class or a pair of its family,
//! which its own check finds; boxes and cells are checked within each family, B's original
//! cells over the blocks also within A.
//!
//! Zeros and the rules between dimensions keep the blocks rectangular as long as no rule ties
//! a dimension of B alone to one A shows; a split that would need that is not taken.

use super::Threshold;
use super::refinement::{System, View, kept, leaf_classes, position_of};
use super::universe::{AxisLayout, Filter, Universe};
use super::{ProtectedTable, Published};
use crate::tabulate::{Role, Table};

/// Most blocks a split may cut the shared dimensions into.
const MAX_BLOCKS: usize = 10_000;

/// `None` if the views cannot be mapped onto the universe, or their refinement is larger
/// than `max_product` combinations and cannot be split; else whether a value from 1 to
/// `threshold - 1` can be computed.
pub(super) fn discloses(
    universe: &Universe,
    views: &[View<'_>],
    threshold: Threshold,
    max_product: usize,
) -> Option<bool> {
    if let Some(mut system) = System::of(universe, views, max_product)? {
        return system.discloses(threshold);
    }
    // Too large as a whole: two families of tables that meet only in block totals both
    // determine are checked each on its own, B first; A with B's margins over B's own
    // dimensions, which B publishes (module documentation). Each step leaves A fewer
    // dimensions and B fewer tables, so the recursion ends.
    for candidate in candidates(universe, views)? {
        let (a, b) = candidate.families(views);
        let margins = candidate.margins_of_b(universe, &b);
        let mut a = a;
        a.extend(margins.iter().map(|(table, original, filters)| View {
            table,
            original,
            filters,
        }));
        if !candidate.determined(universe, &a, &b, max_product) {
            continue;
        }
        if discloses(universe, &b, threshold, max_product)? {
            return Some(true);
        }
        return discloses(universe, &a, threshold, max_product);
    }
    None
}

/// A way to cut the views into two families: which are in B, the dimensions only B uses,
/// and those both use.
pub(super) struct Candidate {
    in_b: Vec<bool>,
    own: Vec<usize>,
    shared: Vec<usize>,
}

/// The ways to split `views`, B as small as possible first: for each dimension not all
/// views use, B holds the views using it; none where a rule ties a dimension of B alone to
/// one A uses. `None` if a view's dimension is not the universe's.
pub(super) fn candidates(universe: &Universe, views: &[View<'_>]) -> Option<Vec<Candidate>> {
    let dims: Vec<Vec<usize>> = views
        .iter()
        .map(|v| dims_of(universe, v))
        .collect::<Option<_>>()?;
    let mut used: Vec<usize> = dims.iter().flatten().copied().collect();
    used.sort_unstable();
    used.dedup();
    let mut out: Vec<Candidate> = Vec::new();
    for &d in &used {
        let in_b: Vec<bool> = dims.iter().map(|ds| ds.contains(&d)).collect();
        if in_b.iter().all(|&b| b) || out.iter().any(|c| c.in_b == in_b) {
            continue;
        }
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
        out.push(Candidate { in_b, own, shared });
    }
    out.sort_by_key(|c| c.in_b.iter().filter(|&&b| b).count());
    Some(out)
}

impl Candidate {
    /// The views of A and of B.
    pub(super) fn families<'a>(&self, views: &[View<'a>]) -> (Vec<View<'a>>, Vec<View<'a>>) {
        let family = |side: bool| -> Vec<View<'a>> {
            views
                .iter()
                .zip(&self.in_b)
                .filter(|(_, b)| **b == side)
                .map(|(v, _)| *v)
                .collect()
        };
        (family(false), family(true))
    }

    /// B's tables reduced to their margins over B's own dimensions (the nationalities'
    /// total per Stadtbezirk), published and in their original design, with their filters:
    /// what B publishes of the blocks, for A's check (and B's original cells there, for the
    /// check of every cell). Not for a table filtered on, or with an unnamed key in, one of B's own
    /// dimensions (its margins would still depend on them).
    pub(super) fn margins_of_b(
        &self,
        universe: &Universe,
        b: &[View<'_>],
    ) -> Vec<(ProtectedTable, Table, Vec<Filter>)> {
        let own = |dim: &str| universe.dim(dim).is_some_and(|d| self.own.contains(&d));
        b.iter()
            .filter(|v| v.filters.iter().all(|(dim, _)| !own(dim)))
            .filter(|v| {
                let t = v.table.raw();
                t.row_axes().iter().chain(t.column_axes()).all(|axis| {
                    !own(axis.dimension())
                        || universe
                            .dim(axis.dimension())
                            .is_some_and(|d| universe.leaves(d).iter().all(|l| !l.is_empty()))
                })
            })
            .filter_map(|v| {
                Some((
                    v.table.margins_over(|dim| !own(dim))?,
                    super::margins_of(v.original, |dim| !own(dim))?.0,
                    v.filters.to_vec(),
                ))
            })
            .collect()
    }

    /// True if, for every block of B's classes of the shared dimensions that both families
    /// count into, each family determines the block's count (see [`totals_determined`]).
    pub(super) fn determined(
        &self,
        universe: &Universe,
        a: &[View<'_>],
        b: &[View<'_>],
        max_product: usize,
    ) -> bool {
        totals_determined(universe, a, b, &self.shared, max_product)
    }
}

/// The dimensions a view uses (on an axis of either design, or in a filter); an axis reduced
/// to its total uses its dimension only where a key of it is unnamed (counted nowhere).
fn dims_of(universe: &Universe, view: &View<'_>) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for t in [view.table.raw(), view.original] {
        for axis in t.row_axes().iter().chain(t.column_axes()) {
            let d = universe.dim(axis.dimension())?;
            let whole = axis.positions().iter().all(|p| p.role == Role::Total)
                && universe.leaves(d).iter().all(|l| !l.is_empty());
            if !whole {
                out.push(d);
            }
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
    // The blocks: B's classes by its published tables (its cells are sums over them).
    let tables: Vec<(&Table, &[Filter])> = b.iter().map(|v| (v.table.raw(), v.filters)).collect();
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
    let coverage_a: Option<Vec<Coverage<'_, '_>>> =
        a.iter().map(|v| Coverage::of(universe, v)).collect();
    let coverage_b: Option<Vec<Coverage<'_, '_>>> =
        b.iter().map(|v| Coverage::of(universe, v)).collect();
    let (Some(coverage_a), Some(coverage_b)) = (coverage_a, coverage_b) else {
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
        let counted_in = |c: &[Coverage<'_, '_>]| c.iter().any(|c| c.touches(universe, &block));
        if !counted_in(&coverage_a) || !counted_in(&coverage_b) {
            continue;
        }
        for ((family, covered), system) in [(a, &coverage_a), (b, &coverage_b)]
            .into_iter()
            .zip(systems.iter_mut())
        {
            if covered.iter().any(|c| c.holds_block(universe, &block)) {
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

/// What a view's published table counts, worked out once for all blocks: per axis its
/// dimension and, per position, the leaves it holds (kept by the filters).
struct Coverage<'v, 'a> {
    view: &'v View<'a>,
    axes: Vec<(usize, Vec<Vec<usize>>)>,
}

impl<'v, 'a> Coverage<'v, 'a> {
    /// `None` if a dimension of the table is not the universe's.
    fn of(universe: &Universe, view: &'v View<'a>) -> Option<Coverage<'v, 'a>> {
        let table = view.table.raw();
        let mut axes = Vec::new();
        for axis in table.row_axes().iter().chain(table.column_axes()) {
            let d = universe.dim(axis.dimension())?;
            let layout = AxisLayout::of(axis);
            let mut held: Vec<Vec<usize>> = vec![Vec::new(); layout.holders.len()];
            for (l, leaf) in universe.leaves(d).iter().enumerate() {
                if !kept(universe, view.filters, d, leaf) {
                    continue;
                }
                if let Some(p) = position_of(universe, d, leaf, &layout) {
                    for &q in &layout.holders[p] {
                        held[q].push(l);
                    }
                }
            }
            axes.push((d, held));
        }
        Some(Coverage { view, axes })
    }

    /// True if the table counts some combination of `block` (per shared dimension the
    /// leaves in it).
    fn touches(&self, universe: &Universe, block: &[(usize, Vec<bool>)]) -> bool {
        block.iter().all(|(d, inside)| {
            let on_axes: Vec<&Vec<Vec<usize>>> = self
                .axes
                .iter()
                .filter(|(dim, _)| dim == d)
                .map(|(_, held)| held)
                .collect();
            universe.leaves(*d).iter().enumerate().any(|(l, leaf)| {
                inside[l]
                    && kept(universe, self.view.filters, *d, leaf)
                    && on_axes
                        .iter()
                        .all(|held| held.iter().any(|leaves| leaves.contains(&l)))
            })
        })
    }

    /// True if the view publishes (a number or a zero) a cell holding exactly the
    /// combinations of `block`: on each shared dimension its leaves, on every other
    /// dimension all leaves.
    fn holds_block(&self, universe: &Universe, block: &[(usize, Vec<bool>)]) -> bool {
        let wanted = |d: usize, leaf: usize| -> bool {
            block
                .iter()
                .find(|(s, _)| *s == d)
                .is_none_or(|(_, inside)| inside[leaf])
        };
        let filters = self.view.filters;
        // Dimensions without an axis: the filters must keep exactly the block.
        let mut off_axis: Vec<usize> = block.iter().map(|(d, _)| *d).collect();
        off_axis.extend(filters.iter().filter_map(|(dim, _)| universe.dim(dim)));
        off_axis.retain(|d| self.axes.iter().all(|(dim, _)| dim != d));
        for d in off_axis {
            let exact = universe
                .leaves(d)
                .iter()
                .enumerate()
                .all(|(l, leaf)| kept(universe, filters, d, leaf) == wanted(d, l));
            if !exact {
                return false;
            }
        }
        // Per axis the position holding exactly the block's leaves (all on other dimensions).
        let mut flat = 0usize;
        for (d, held) in &self.axes {
            let target: Vec<usize> = (0..universe.leaves(*d).len())
                .filter(|&l| wanted(*d, l))
                .collect();
            let Some(q) = held.iter().position(|leaves| *leaves == target) else {
                return false;
            };
            flat = flat * held.len() + q;
        }
        let table = self.view.table;
        let n_cols = table.n_cols().max(1);
        matches!(
            table.cell(flat / n_cols, flat % n_cols),
            Published::Value(_) | Published::Zero
        )
    }
}
