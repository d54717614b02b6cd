//! Exact intervals by maximum flow, for tables whose relations form a network.
//!
//! Many tables of the office have one hierarchical axis and one flat one (Baublöcke in
//! Stadtteilen in Stadtbezirken by category with a total). After leaving out the relations
//! that the others imply (the row sums of subtotal rows: they are sums of the row sums of
//! their parts), every cell lies in at most two relations, with opposite signs once some
//! relations are multiplied by -1: the relations are the nodes of a network, the cells its
//! edges, and each relation says that as much flows into its node as out of it (cells in one
//! relation only connect to a ground node).
//!
//! A table an attacker cannot rule out differs from the true one by a circulation that is zero
//! on published cells and keeps every suppressed cell at least 1 (or 0 where it is 0). So the
//! most a suppressed cell can rise is the most flow that can return from its head to its tail
//! through the other suppressed cells (forward without limit, backward as far as they can
//! fall), and the same for falling. This is the linear programme of [`super::lp`] solved
//! exactly (network matrices are totally unimodular), and since only widths up to the
//! threshold matter, a few augmenting paths decide it.
//!
//! Whether the relations left out are implied is not assumed but checked: a relation is
//! implied exactly when its coefficients are differences of node potentials.

use std::collections::BTreeSet;

use crate::tabulate::AxisRelation;

/// The ground node.
const GROUND: u32 = 0;
/// Most relations left out times cells, above which the check of implied relations is not
/// worth it and the linear programme is used instead.
const MAX_CHECK_WORK: usize = 50_000_000;

/// The relations of a table as a network: per cell the node it leaves and the node it
/// enters (relations are nodes `1..`, 0 is ground).
pub(crate) struct Network {
    ends: Vec<Option<(u32, u32)>>,
    incident: Vec<Vec<u32>>,
}

/// Reusable search state for [`Network::width`].
pub(crate) struct Scratch {
    stamp: Vec<u32>,
    generation: u32,
    /// Per node: the cell and direction it was reached by (true: along the cell).
    via: Vec<(u32, bool)>,
    /// Change of each cell's value on the flows found so far (cells touched listed).
    change: Vec<i64>,
    touched: Vec<u32>,
    queue: Vec<u32>,
}

impl Network {
    /// The network of `relations` over `n_cells` cells, if there is one: first with every
    /// relation, then leaving out, for one axis at a time, its relations that lie at sums of
    /// another axis (each checked to be implied by the rest).
    pub(crate) fn of(n_cells: usize, relations: &[AxisRelation]) -> Option<Network> {
        let axes: BTreeSet<usize> = relations.iter().map(|r| r.axis).collect();
        std::iter::once(None)
            .chain(axes.into_iter().map(Some))
            .find_map(|left_out| {
                let (dropped, kept): (Vec<&AxisRelation>, Vec<&AxisRelation>) = relations
                    .iter()
                    .partition(|r| r.on_sum && Some(r.axis) == left_out);
                if left_out.is_some() && dropped.is_empty() {
                    return None;
                }
                Network::build(n_cells, &kept, &dropped)
            })
    }

    fn build(n_cells: usize, kept: &[&AxisRelation], dropped: &[&AxisRelation]) -> Option<Self> {
        // Per cell its (node, coefficient) occurrences: +1 as sum, -1 as part.
        let mut occurs: Vec<Vec<(u32, i8)>> = vec![Vec::new(); n_cells];
        for (k, r) in kept.iter().enumerate() {
            let node = u32::try_from(k + 1).ok()?;
            let terms = std::iter::once((r.relation.total, 1i8))
                .chain(r.relation.parts.iter().map(|&p| (p, -1i8)));
            for (cell, coef) in terms {
                let list = occurs.get_mut(cell)?;
                if list.len() == 2 || list.iter().any(|&(n, _)| n == node) {
                    return None;
                }
                list.push((node, coef));
            }
        }
        let sign = signs(kept.len() + 1, &occurs)?;
        let n_nodes = kept.len() + 1;
        let mut incident: Vec<Vec<u32>> = vec![Vec::new(); n_nodes];
        let mut ends: Vec<Option<(u32, u32)>> = vec![None; n_cells];
        for (cell, list) in occurs.iter().enumerate() {
            let (mut tail, mut head) = (GROUND, GROUND);
            for &(node, coef) in list {
                if coef * sign[node as usize] > 0 {
                    head = node;
                } else {
                    tail = node;
                }
            }
            if list.is_empty() {
                continue;
            }
            let id = u32::try_from(cell).ok()?;
            ends[cell] = Some((tail, head));
            incident[tail as usize].push(id);
            incident[head as usize].push(id);
        }
        let network = Network { ends, incident };
        if dropped.len().saturating_mul(n_cells) > MAX_CHECK_WORK {
            return None;
        }
        dropped
            .iter()
            .all(|r| network.implies(r))
            .then_some(network)
    }

    /// True if the relation is a combination of the network's: its coefficients are the
    /// differences of potentials of the nodes (ground 0) along every cell.
    fn implies(&self, r: &AxisRelation) -> bool {
        let n_cells = self.ends.len();
        let mut coef: Vec<i64> = vec![0; n_cells];
        for (cell, c) in
            std::iter::once((r.relation.total, 1)).chain(r.relation.parts.iter().map(|&p| (p, -1)))
        {
            if cell >= n_cells || self.ends[cell].is_none() {
                return false;
            }
            coef[cell] += c;
        }
        let n_nodes = self.incident.len();
        let mut potential: Vec<Option<i64>> = vec![None; n_nodes];
        let mut queue: Vec<u32> = Vec::new();
        for start in 0..n_nodes {
            if potential[start].is_some() {
                continue;
            }
            potential[start] = Some(0);
            queue.push(start as u32);
            while let Some(node) = queue.pop() {
                let here = potential[node as usize].unwrap_or(0);
                for &cell in &self.incident[node as usize] {
                    let Some((tail, head)) = self.ends[cell as usize] else {
                        continue;
                    };
                    let c = coef[cell as usize];
                    // potential(head) - potential(tail) = coefficient.
                    let (other, value) = if tail == node {
                        (head, here + c)
                    } else {
                        (tail, here - c)
                    };
                    match potential[other as usize] {
                        Some(p) if p != value => return false,
                        Some(_) => {}
                        None => {
                            potential[other as usize] = Some(value);
                            queue.push(other);
                        }
                    }
                }
            }
            // Only ground's potential is fixed; the first component searched contains it.
        }
        true
    }

    /// Fresh search state for this network.
    pub(crate) fn scratch(&self) -> Scratch {
        Scratch {
            stamp: vec![0; self.incident.len()],
            generation: 0,
            via: vec![(0, false); self.incident.len()],
            change: vec![0; self.ends.len()],
            touched: Vec::new(),
            queue: Vec::new(),
        }
    }

    /// The width of the interval of the suppressed `cell` under `suppressed` (how far it can
    /// rise plus how far it can fall in a table that agrees with every published value and
    /// relation, with every suppressed cell of 1 or more staying at 1 or more), exact up to
    /// `cap` and `cap` beyond it.
    pub(crate) fn width(
        &self,
        cell: usize,
        values: &[Option<u64>],
        suppressed: &[bool],
        cap: u64,
        scratch: &mut Scratch,
    ) -> u64 {
        let Some((tail, head)) = self.ends.get(cell).copied().flatten() else {
            // In no relation: it can rise without limit.
            return cap;
        };
        let rise = self.max_flow(cell, head, tail, cap, values, suppressed, scratch);
        let room = slack(values, cell);
        let fall = if rise >= cap || room == 0 {
            0
        } else {
            self.max_flow(
                cell,
                tail,
                head,
                (cap - rise).min(room),
                values,
                suppressed,
                scratch,
            )
        };
        rise + fall
    }

    /// The most flow (up to `cap`) from `from` to `to` through the suppressed cells other
    /// than `skip`: along a cell without limit, against it as far as the cell can fall.
    #[allow(clippy::too_many_arguments)]
    fn max_flow(
        &self,
        skip: usize,
        from: u32,
        to: u32,
        cap: u64,
        values: &[Option<u64>],
        suppressed: &[bool],
        scratch: &mut Scratch,
    ) -> u64 {
        let mut total = 0u64;
        while total < cap {
            match self.augmenting_path(skip, from, to, values, suppressed, scratch) {
                None => break,
                Some(None) => {
                    total = cap;
                    break;
                }
                Some(Some(bottleneck)) => {
                    let amount = bottleneck.min(cap - total);
                    self.augment(from, to, amount as i64, scratch);
                    total += amount;
                }
            }
        }
        for &c in &scratch.touched {
            scratch.change[c as usize] = 0;
        }
        scratch.touched.clear();
        total
    }

    /// A shortest path from `from` to `to` in the residual network: `None` if there is none,
    /// `Some(None)` if it has no limit, else `Some(Some(bottleneck))`.
    fn augmenting_path(
        &self,
        skip: usize,
        from: u32,
        to: u32,
        values: &[Option<u64>],
        suppressed: &[bool],
        scratch: &mut Scratch,
    ) -> Option<Option<u64>> {
        scratch.generation = scratch.generation.wrapping_add(1);
        if scratch.generation == 0 {
            scratch.stamp.iter_mut().for_each(|s| *s = 0);
            scratch.generation = 1;
        }
        let generation = scratch.generation;
        scratch.queue.clear();
        scratch.queue.push(from);
        scratch.stamp[from as usize] = generation;
        let mut next = 0;
        let mut reached = from == to;
        while next < scratch.queue.len() && !reached {
            let node = scratch.queue[next];
            next += 1;
            for &c in &self.incident[node as usize] {
                let cell = c as usize;
                if cell == skip || !suppressed.get(cell).copied().unwrap_or(false) {
                    continue;
                }
                let Some((tail, head)) = self.ends[cell] else {
                    continue;
                };
                let (other, along) = if tail == node {
                    (head, true)
                } else {
                    (tail, false)
                };
                if !along && residual(values, cell, scratch) == 0 {
                    continue;
                }
                if scratch.stamp[other as usize] == generation {
                    continue;
                }
                scratch.stamp[other as usize] = generation;
                scratch.via[other as usize] = (c, along);
                if other == to {
                    reached = true;
                    break;
                }
                scratch.queue.push(other);
            }
        }
        if !reached {
            return None;
        }
        let mut bottleneck: Option<u64> = None;
        let mut node = to;
        while node != from {
            let (c, along) = scratch.via[node as usize];
            let (tail, head) = self.ends[c as usize].unwrap_or((GROUND, GROUND));
            if !along {
                let r = residual(values, c as usize, scratch);
                bottleneck = Some(bottleneck.map_or(r, |b| b.min(r)));
            }
            node = if along { tail } else { head };
        }
        Some(bottleneck)
    }

    fn augment(&self, from: u32, to: u32, amount: i64, scratch: &mut Scratch) {
        let mut node = to;
        while node != from {
            let (c, along) = scratch.via[node as usize];
            let (tail, head) = self.ends[c as usize].unwrap_or((GROUND, GROUND));
            if scratch.change[c as usize] == 0 {
                scratch.touched.push(c);
            }
            scratch.change[c as usize] += if along { amount } else { -amount };
            node = if along { tail } else { head };
        }
    }
}

/// How far a suppressed cell can fall: to 1 if it is at least 1 (zeros are published, so a
/// "." is known to be 1 or more), else not at all.
fn slack(values: &[Option<u64>], cell: usize) -> u64 {
    values
        .get(cell)
        .copied()
        .flatten()
        .map_or(0, |v| v.saturating_sub(1))
}

/// How far a cell can still fall after the flows found so far.
fn residual(values: &[Option<u64>], cell: usize, scratch: &Scratch) -> u64 {
    let room = slack(values, cell) as i64 + scratch.change[cell];
    room.max(0) as u64
}

/// Signs (+1 or -1) for the nodes such that every cell with two occurrences has opposite
/// signed coefficients, if there are any.
fn signs(n_nodes: usize, occurs: &[Vec<(u32, i8)>]) -> Option<Vec<i8>> {
    // Per node: (other node, product of the two coefficients) per shared cell.
    let mut links: Vec<Vec<(u32, i8)>> = vec![Vec::new(); n_nodes];
    for list in occurs {
        if let [(a, ca), (b, cb)] = list.as_slice() {
            links[*a as usize].push((*b, ca * cb));
            links[*b as usize].push((*a, ca * cb));
        }
    }
    let mut sign: Vec<i8> = vec![0; n_nodes];
    let mut stack: Vec<u32> = Vec::new();
    for start in 0..n_nodes {
        if sign[start] != 0 {
            continue;
        }
        sign[start] = 1;
        stack.push(start as u32);
        while let Some(node) = stack.pop() {
            let s = sign[node as usize];
            for &(other, product) in &links[node as usize] {
                // s * ca = -(s_other * cb)  =>  s_other = -s * ca * cb.
                let wanted = -s * product;
                match sign[other as usize] {
                    0 => {
                        sign[other as usize] = wanted;
                        stack.push(other);
                    }
                    x if x != wanted => return None,
                    _ => {}
                }
            }
        }
    }
    Some(sign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabulate::Relation;

    fn rel(axis: usize, on_sum: bool, total: usize, parts: &[usize]) -> AxisRelation {
        AxisRelation {
            axis,
            on_sum,
            relation: Relation {
                total,
                parts: parts.to_vec(),
            },
        }
    }

    /// Rows: 0 = sum of 1 and 2; columns: 0, 1 and their total 2. Cells row * 3 + col.
    fn two_by_two() -> Vec<AxisRelation> {
        let mut out = Vec::new();
        for c in 0..3 {
            out.push(rel(0, c == 2, c, &[3 + c, 6 + c]));
        }
        for r in 0..3 {
            out.push(rel(1, r == 0, r * 3 + 2, &[r * 3, r * 3 + 1]));
        }
        out
    }

    /// Rows: 0 = 1 + 2, 1 = 3 + 4; columns: 0, 1 and their total 2. Cells row * 3 + col.
    fn hierarchy() -> Vec<AxisRelation> {
        let mut out = Vec::new();
        for c in 0..3 {
            out.push(rel(0, c == 2, c, &[3 + c, 6 + c]));
            out.push(rel(0, c == 2, 3 + c, &[9 + c, 12 + c]));
        }
        for r in 0..5 {
            out.push(rel(1, r < 2, r * 3 + 2, &[r * 3, r * 3 + 1]));
        }
        out
    }

    #[test]
    fn a_table_with_one_hierarchy_is_a_network_once_implied_sums_are_left_out() {
        let net = Network::of(15, &hierarchy()).expect("network");
        // The row sums of the subtotal rows are left out: their sum cells are edges still.
        assert!(net.ends.iter().all(Option::is_some));
        // With nothing that may be left out, a subtotal cell lies in three relations.
        let mut fixed = hierarchy();
        for r in &mut fixed {
            r.on_sum = false;
        }
        assert!(Network::of(15, &fixed).is_none());
    }

    #[test]
    fn a_relation_left_out_must_be_implied() {
        let all = hierarchy();
        let (dropped, kept): (Vec<&AxisRelation>, Vec<&AxisRelation>) =
            all.iter().partition(|r| r.axis == 1 && r.on_sum);
        assert!(Network::build(15, &kept, &dropped).is_some());
        // Without the column sums of the totals, the row sums of rows 0 and 1 say more.
        let fewer: Vec<&AxisRelation> = kept
            .into_iter()
            .filter(|r| r.relation.total % 3 != 2 || r.axis == 1)
            .collect();
        assert!(Network::build(15, &fewer, &dropped).is_none());
    }

    #[test]
    fn widths_match_the_rectangle_of_a_two_by_two_table() {
        // Inner cells 1 5 / 4 7 (rows 1, 2); a rectangle of suppressions.
        let values: Vec<Option<u64>> = [5, 12, 17, 1, 5, 6, 4, 7, 11]
            .into_iter()
            .map(Some)
            .collect();
        let net = Network::of(9, &two_by_two()).expect("network");
        let mut scratch = net.scratch();
        let mut suppressed = vec![false; 9];
        for c in [3, 4, 6, 7] {
            suppressed[c] = true;
        }
        // Cell 3 (value 1) cannot fall; it can rise by min(5, 4) - 1 = 3.
        assert_eq!(net.width(3, &values, &suppressed, 10, &mut scratch), 3);
        // Cell 4 (value 5) rises by 0 (cell 3 can't fall) and falls by 3 (cell 6 to 1).
        assert_eq!(net.width(4, &values, &suppressed, 10, &mut scratch), 3);
        // Capped.
        assert_eq!(net.width(4, &values, &suppressed, 2, &mut scratch), 2);
        // Only row 1 suppressed: each cell is pinned by its column.
        let mut row = vec![false; 9];
        row[3] = true;
        row[4] = true;
        assert_eq!(net.width(3, &values, &row, 10, &mut scratch), 0);
    }
}
