//! The records behind a set of tables ([`Universe`]) and how a table's cells map onto them
//! ([`AxisLayout`]); the stricter differencing check on the records' own combinations.

use std::collections::HashMap;

use super::span::{Echelon, Random, neg};
use super::{ProtectedTable, Threshold};
use crate::tabulate::recode::MERGED_KEY_SEPARATOR;
use crate::tabulate::{Axis, DimensionDef, Role, Table};

/// A filter of a Kreuztabelle: a dimension and the categories counted (any of them).
pub type Filter = (String, Vec<String>);

/// The records a set of tables is counted from: every combination of dimension keys that
/// occurs, with its count, and the hierarchy of each dimension (to roll keys up).
#[derive(Clone, Debug)]
pub struct Universe {
    name: String,
    dims: Vec<String>,
    keys: Vec<Vec<String>>,
    counts: Vec<u64>,
    /// Per dimension: key -> key of its parent category.
    parents: Vec<HashMap<String, String>>,
    /// Per dimension: every finest key (of the definition and of the records).
    leaves: Vec<Vec<String>>,
    /// Per dimension: finest key -> its index in `leaves`.
    leaf_index: Vec<HashMap<String, usize>>,
    /// Pairs of dimensions tied by a published rule (see [`Universe::with_ties`]).
    ties: Vec<(usize, usize)>,
    /// Tied pairs whose joint use calls for the stricter check too (see
    /// [`Universe::with_ties`]).
    strict: Vec<(usize, usize)>,
}

impl Universe {
    /// The universe `name` of the combinations in `counts` (keys in the order of `dims`);
    /// the hierarchies from `dimensions`.
    pub fn new<'a>(
        name: &str,
        dims: &[&str],
        counts: impl IntoIterator<Item = (&'a Vec<String>, &'a u64)>,
        dimensions: &[DimensionDef],
    ) -> Universe {
        let (keys, counts): (Vec<Vec<String>>, Vec<u64>) = counts
            .into_iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .unzip();
        let parents = dims
            .iter()
            .map(|d| {
                dimensions
                    .iter()
                    .find(|def| def.key == *d)
                    .map(|def| {
                        def.levels
                            .iter()
                            .flat_map(|l| &l.categories)
                            .filter_map(|c| Some((c.key.clone(), c.parent.clone()?)))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let mut leaves: Vec<Vec<String>> = dims
            .iter()
            .map(|d| {
                dimensions
                    .iter()
                    .find(|def| def.key == *d)
                    .and_then(|def| def.levels.last())
                    .map(|l| l.categories.iter().map(|c| c.key.clone()).collect())
                    .unwrap_or_default()
            })
            .collect();
        let mut leaf_index: Vec<HashMap<String, usize>> = leaves
            .iter()
            .map(|l| l.iter().enumerate().map(|(i, k)| (k.clone(), i)).collect())
            .collect();
        for key in &keys {
            for (d, k) in key.iter().enumerate().take(dims.len()) {
                if !leaf_index[d].contains_key(k) {
                    leaf_index[d].insert(k.clone(), leaves[d].len());
                    leaves[d].push(k.clone());
                }
            }
        }
        Universe {
            name: name.to_owned(),
            dims: dims.iter().map(|d| (*d).to_owned()).collect(),
            keys,
            counts,
            parents,
            leaves,
            leaf_index,
            ties: Vec::new(),
            strict: Vec::new(),
        }
    }

    /// The universe with pairs of dimensions tied by a published rule (e.g. the sex assigned
    /// by birth month follows the sex): a reader knows which of their combinations cannot
    /// occur, so the check takes every combination that does not occur as known to be empty.
    /// Where both dimensions of a `strict` pair are shown in one release, the stricter check
    /// on the records' own combinations runs as well.
    pub fn with_ties(mut self, pairs: &[(&str, &str)], strict: &[(&str, &str)]) -> Universe {
        let index = |pairs: &[(&str, &str)]| -> Vec<(usize, usize)> {
            pairs
                .iter()
                .filter_map(|(a, b)| Some((self.dim(a)?, self.dim(b)?)))
                .collect()
        };
        let ties = index(pairs);
        let strict = index(strict);
        self.ties = ties;
        self.strict = strict;
        self
    }

    /// True if both dimensions of a strict pair are among `dims`.
    pub(super) fn ties_used<'d>(&self, dims: impl Iterator<Item = &'d str>) -> bool {
        let used: Vec<usize> = dims.filter_map(|d| self.dim(d)).collect();
        self.strict
            .iter()
            .any(|(a, b)| used.contains(a) && used.contains(b))
    }

    /// The pairs of tied dimensions.
    pub(super) fn ties(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.ties.iter().copied()
    }

    /// Index of the dimension `name`.
    pub(super) fn dim(&self, name: &str) -> Option<usize> {
        self.dims.iter().position(|d| d == name)
    }

    /// The finest keys of dimension `d`.
    pub(super) fn leaves(&self, d: usize) -> &[String] {
        &self.leaves[d]
    }

    /// Index of the finest key `key` of dimension `d`.
    pub(super) fn leaf_index(&self, d: usize, key: &str) -> Option<usize> {
        self.leaf_index[d].get(key).copied()
    }

    /// The combinations with their counts.
    pub(super) fn atoms(&self) -> impl Iterator<Item = (&Vec<String>, &u64)> {
        self.keys.iter().zip(&self.counts)
    }

    /// True if `key` of dimension `d` is `category` or lies below it.
    pub(super) fn rolls_up_to(&self, d: usize, key: &str, category: &str) -> bool {
        self.lineage(d, key).any(|k| k == category)
    }

    /// The name tables refer to it by ([`super::Origin::universe`]).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `key` of dimension number `d` and its ancestors, finest first.
    pub(super) fn lineage<'k>(
        &'k self,
        d: usize,
        key: &'k str,
    ) -> impl Iterator<Item = &'k str> + 'k {
        std::iter::successors(Some(key), move |k| {
            self.parents[d].get(*k).map(String::as_str)
        })
        .take(16)
    }

    /// Per published cell of `table` counted from this universe with `filters`, the
    /// combinations it holds; `None` if the table is not counted from it as far as the
    /// counts show (then it cannot be checked).
    pub(super) fn cells_of(
        &self,
        table: &ProtectedTable,
        filters: &[Filter],
    ) -> Option<Vec<Vec<u32>>> {
        let n_cells = table.n_rows() * table.n_cols();
        let every_cell = (0..n_cells).any(|i| {
            matches!(
                table.cell(i / table.n_cols().max(1), i % table.n_cols().max(1)),
                super::Published::Suppressed | super::Published::NotMeaningful
            )
        });
        let (cells, sums) =
            self.holdings(table.row_axes(), table.column_axes(), filters, every_cell)?;
        let n_cols = table.n_cols().max(1);
        let mut out = Vec::new();
        for (i, atoms) in cells.into_iter().enumerate() {
            match table.cell(i / n_cols, i % n_cols) {
                super::Published::Value(v) => {
                    if v != sums[i] {
                        return None;
                    }
                    if !atoms.is_empty() {
                        out.push(atoms);
                    }
                }
                super::Published::Zero if sums[i] != 0 => return None,
                _ => {}
            }
        }
        Some(out)
    }

    /// Per cell of the raw `table` counted from this universe with `filters`, every
    /// combination it holds (margins included); `None` as for [`Universe::cells_of`].
    pub(super) fn atoms_of(&self, table: &Table, filters: &[Filter]) -> Option<Vec<Vec<u32>>> {
        let (cells, sums) = self.holdings(table.row_axes(), table.column_axes(), filters, true)?;
        let agrees = table
            .cells()
            .iter()
            .zip(&sums)
            .all(|(v, &n)| v.is_none_or(|v| v == n));
        agrees.then_some(cells)
    }

    /// Per cell of a table with these axes: the combinations it holds (every holding cell, or
    /// only the inner ones) and the count of records in it.
    fn holdings(
        &self,
        rows: &[Axis],
        columns: &[Axis],
        filters: &[Filter],
        every_cell: bool,
    ) -> Option<(Vec<Vec<u32>>, Vec<u64>)> {
        let axes: Vec<&Axis> = rows.iter().chain(columns).collect();
        let dims: Vec<usize> = axes
            .iter()
            .map(|a| self.dims.iter().position(|d| d == a.dimension()))
            .collect::<Option<_>>()?;
        let filters: Vec<(usize, &[String])> = filters
            .iter()
            .map(|(d, k)| Some((self.dims.iter().position(|x| x == d)?, k.as_slice())))
            .collect::<Option<_>>()?;
        let layouts: Vec<AxisLayout> = axes.iter().map(|a| AxisLayout::of(a)).collect();
        let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
        let n_cells: usize = lens.iter().product();
        let mut cells: Vec<Vec<u32>> = vec![Vec::new(); n_cells];
        let mut sums: Vec<u64> = vec![0; n_cells];
        let mut coords = vec![0usize; axes.len()];
        'atoms: for (atom, key) in self.keys.iter().enumerate() {
            for &(d, categories) in &filters {
                if !self
                    .lineage(d, &key[d])
                    .any(|k| categories.iter().any(|c| c == k))
                {
                    continue 'atoms;
                }
            }
            for (a, &d) in dims.iter().enumerate() {
                if key[d].is_empty() {
                    continue 'atoms;
                }
                match layouts[a].position(self.lineage(d, &key[d])) {
                    Some(p) => coords[a] = p,
                    None => return None,
                }
            }
            // Every cell holding the inner cell: per axis the position and its sums.
            let mut at = vec![0usize; axes.len()];
            loop {
                let index = at.iter().enumerate().fold(0usize, |acc, (a, &i)| {
                    acc * lens[a] + layouts[a].holders[coords[a]][i]
                });
                let inner = at.iter().all(|&i| i == 0);
                if inner || every_cell {
                    cells[index].push(atom as u32);
                }
                sums[index] += self.counts[atom];
                let mut a = axes.len();
                loop {
                    if a == 0 {
                        continue 'atoms;
                    }
                    a -= 1;
                    at[a] += 1;
                    if at[a] < layouts[a].holders[coords[a]].len() {
                        break;
                    }
                    at[a] = 0;
                }
            }
        }
        Some((cells, sums))
    }

    /// True if the published cells `rows` (combinations each) let a reader compute a value
    /// from 1 to `threshold - 1`: one class, or two classes together (see the module
    /// documentation).
    pub(super) fn discloses_on_records(&self, rows: &[&[u32]], threshold: Threshold) -> bool {
        let mut random = Random::new(0x4c61_6765_6269_6c64);
        let n = self.keys.len();
        // Class of an atom: the same published cells, by two random hashes of their set.
        let mut hash = vec![(0u64, 0u64); n];
        let mut seen = vec![false; n];
        for row in rows {
            let (r1, r2) = (random.next(), random.next());
            for &a in *row {
                let h = &mut hash[a as usize];
                h.0 = h.0.wrapping_add(r1);
                h.1 = h.1.wrapping_add(r2);
                seen[a as usize] = true;
            }
        }
        let mut class_of: HashMap<(u64, u64), u32> = HashMap::new();
        let mut class = vec![u32::MAX; n];
        let mut counts: Vec<u64> = Vec::new();
        for a in 0..n {
            if !seen[a] {
                continue;
            }
            let next = counts.len() as u32;
            let c = *class_of.entry(hash[a]).or_insert(next);
            if c == next {
                counts.push(0);
            }
            class[a] = c;
            counts[c as usize] += self.counts[a];
        }
        let mut matrix = Echelon::new(counts.len());
        for row in rows {
            let mut columns: Vec<u32> = row.iter().map(|&a| class[a as usize]).collect();
            columns.sort_unstable();
            columns.dedup();
            matrix.insert(&columns);
        }
        let x = matrix.kernel_vector(&mut random);
        let y = matrix.kernel_vector(&mut random);
        let limit = u64::from(threshold.get());
        let sensitive = |n: u64| n > 0 && n < limit;
        if (0..counts.len()).any(|c| x[c] == 0 && y[c] == 0 && sensitive(counts[c])) {
            return true;
        }
        // Pairs: classes whose kernel values cancel out.
        let mut small: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
        for c in 0..counts.len() {
            if counts[c] + 1 < limit {
                small.entry((x[c], y[c])).or_default().push(c);
            }
        }
        small.iter().any(|(&(a, b), classes)| {
            small.get(&(neg(a), neg(b))).is_some_and(|partners| {
                classes.iter().any(|&c| {
                    partners
                        .iter()
                        .any(|&d| d != c && sensitive(counts[c] + counts[d]))
                })
            })
        })
    }
}

/// Per axis: which position an inner key lands in, and which positions hold each position.
pub(super) struct AxisLayout {
    /// Key of a category (also each key of a merged one) -> its position.
    pub(super) category: HashMap<String, usize>,
    /// Per position: itself first, then every sum, subtotal and total that holds it.
    pub(super) holders: Vec<Vec<usize>>,
    /// The total, on an axis reduced to it (no categories): every key lands there.
    everything: Option<usize>,
}

impl AxisLayout {
    /// The layout of `axis`.
    pub(super) fn of(axis: &Axis) -> AxisLayout {
        let positions = axis.positions();
        let mut category = HashMap::new();
        for (i, p) in positions.iter().enumerate() {
            if p.role == Role::Category {
                for k in p.key.split(MERGED_KEY_SEPARATOR) {
                    category.insert(k.to_owned(), i);
                }
            }
        }
        let mut holders: Vec<Vec<usize>> = (0..positions.len()).map(|i| vec![i]).collect();
        // Each margin holds the positions its parts hold, transitively.
        for order in axis.evaluation_order() {
            let parts = positions[order].parts.clone();
            for part in parts {
                let mut below = vec![part];
                let mut k = 0;
                while k < below.len() {
                    let q = below[k];
                    below.extend(positions[q].parts.iter().copied());
                    k += 1;
                }
                for q in below {
                    if !holders[q].contains(&order) {
                        holders[q].push(order);
                    }
                }
            }
        }
        let everything = category
            .is_empty()
            .then(|| positions.iter().position(|p| p.role == Role::Total))
            .flatten();
        AxisLayout {
            category,
            holders,
            everything,
        }
    }

    /// The category position of the first of `keys` (a leaf and its ancestors) the axis shows;
    /// the total on an axis reduced to it.
    pub(super) fn position<'k>(&self, mut keys: impl Iterator<Item = &'k str>) -> Option<usize> {
        keys.find_map(|k| self.category.get(k).copied())
            .or(self.everything)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn universe(counts: &[u64]) -> Universe {
        let keys: Vec<Vec<String>> = (0..counts.len()).map(|i| vec![format!("k{i}")]).collect();
        Universe::new("u", &["d"], keys.iter().zip(counts), &[])
    }

    #[test]
    fn the_stricter_check_finds_a_class_computed_as_a_difference() {
        // a + b + c = 11 and a + b = 10 published: c = 1 is computed.
        let u = universe(&[5, 5, 1]);
        let threshold = Threshold::default();
        assert!(u.discloses_on_records(&[&[0, 1, 2], &[0, 1]], threshold));
        // a + b + c alone: nothing is computed.
        assert!(!u.discloses_on_records(&[&[0, 1, 2]], threshold));
        // a + b + c and a published: b + c = 6 is computed, each alone is not.
        assert!(!u.discloses_on_records(&[&[0, 1, 2], &[0]], threshold));
    }

    #[test]
    fn an_axis_reduced_to_its_total_holds_every_key() {
        let position = |key: &str, role, parts| crate::tabulate::Position {
            key: key.into(),
            label: key.into(),
            depth: 0,
            role,
            parts,
        };
        let total = Axis::from_positions(
            "raum",
            "Gebiet",
            vec![position("_total", Role::Total, vec![])],
        );
        let layout = AxisLayout::of(&total);
        assert_eq!(layout.position(["st:01", "bz:1"].into_iter()), Some(0));
        let split = Axis::from_positions(
            "raum",
            "Gebiet",
            vec![
                position("st:01", Role::Category, vec![]),
                position("_total", Role::Total, vec![0]),
            ],
        );
        let layout = AxisLayout::of(&split);
        assert_eq!(layout.position(["st:01"].into_iter()), Some(0));
        assert_eq!(layout.position(["st:02", "bz:2"].into_iter()), None);
    }

    #[test]
    fn the_stricter_check_finds_two_single_persons_together() {
        // a + b + c = 12 and a = 10 published: b + c = 2 (one person each) is computed.
        let u = universe(&[10, 1, 1]);
        let threshold = Threshold::default();
        assert!(u.discloses_on_records(&[&[0, 1, 2], &[0]], threshold));
    }
}
