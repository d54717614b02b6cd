//! The records behind a set of tables ([`Universe`]) and how a table's cells map onto them
//! ([`AxisLayout`]); the stricter differencing check on the records' own combinations.

use std::collections::HashMap;

use super::span::{Echelon, Random, neg};
use super::{ProtectedTable, Threshold};
use crate::tabulate::recode::MERGED_KEY_SEPARATOR;
use crate::tabulate::{Axis, DimensionDef, Role, Table};

/// Prefix of the key of a category no record's key maps to, on an axis shown on the
/// determining dimension ([`Universe::folded`]).
const FOLDED_EMPTY: &str = "~";

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
    /// Pairs where one dimension determines the other ([`Universe::with_functions`]):
    /// (determining, determined, finest key -> finest key).
    functions: Vec<(usize, usize, HashMap<String, String>)>,
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
            functions: Vec::new(),
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

    /// The universe with pairs of dimensions where the first determines the second by a
    /// published rule (the rules file names the form of protection of each legal basis):
    /// the check sees the second as the first ([`Universe::folded`]). A pair the records
    /// contradict (a key of the first with two of the second) is left out.
    pub fn with_functions(mut self, pairs: &[(&str, &str)]) -> Universe {
        self.functions = pairs
            .iter()
            .filter_map(|(a, b)| {
                let (from, to) = (self.dim(a)?, self.dim(b)?);
                Some((from, to, self.image(from, to)?))
            })
            .collect();
        self
    }

    /// The finest key of dimension `to` each finest key of dimension `from` occurs with, if
    /// every key of `from` occurs with one key of `to` only.
    fn image(&self, from: usize, to: usize) -> Option<HashMap<String, String>> {
        let mut image: HashMap<String, String> = HashMap::new();
        for key in &self.keys {
            let (x, y) = (key.get(from)?, key.get(to)?);
            if x.is_empty() || y.is_empty() {
                return None;
            }
            match image.get(x) {
                Some(known) if known != y => return None,
                Some(_) => {}
                None => {
                    image.insert(x.clone(), y.clone());
                }
            }
        }
        Some(image)
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

    /// Name of dimension number `d`.
    pub(super) fn dim_name(&self, d: usize) -> &str {
        &self.dims[d]
    }

    /// The pairs of dimensions where the first determines the second by a published rule,
    /// each with the finest key of the second per finest key of the first.
    pub(super) fn functions(
        &self,
    ) -> impl Iterator<Item = (usize, usize, &HashMap<String, String>)> + '_ {
        self.functions.iter().map(|(f, t, image)| (*f, *t, image))
    }

    /// `table` (counted with `filters`) with every axis and filter on a dimension another
    /// determines ([`Universe::with_functions`]) shown on the determining one: a category holds
    /// the keys whose image it is (the form "Duldung" the legal bases of a Duldung), so the
    /// check sees one dimension where the rule makes two. `None` if there is nothing to
    /// show so, or the table already shows the determining dimension.
    pub(super) fn folded(&self, table: &Table, filters: &[Filter]) -> Option<(Table, Vec<Filter>)> {
        let shown: Vec<&str> = table
            .row_axes()
            .iter()
            .chain(table.column_axes())
            .map(Axis::dimension)
            .collect();
        let fold = |dimension: &str| {
            let to = self.dim(dimension)?;
            self.functions.iter().find(|(from, t, _)| {
                *t == to
                    && !shown.contains(&self.dims[*from].as_str())
                    && !filters.iter().any(|(d, _)| *d == self.dims[*from])
            })
        };
        if !shown.iter().any(|d| fold(d).is_some())
            && !filters.iter().any(|(d, _)| fold(d).is_some())
        {
            return None;
        }
        // The keys of `from` whose image lies in one of `categories` of `to`.
        let preimage = |(_, to, image): &(usize, usize, HashMap<String, String>),
                        categories: &[&str]|
         -> Vec<String> {
            let mut keys: Vec<String> = image
                .iter()
                .filter(|(_, y)| categories.iter().any(|c| self.rolls_up_to(*to, y, c)))
                .map(|(x, _)| x.clone())
                .collect();
            keys.sort_unstable();
            keys
        };
        let axis = |axis: &Axis| -> Axis {
            let Some(function) = fold(axis.dimension()) else {
                return axis.clone();
            };
            let positions = axis
                .positions()
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    if p.role == Role::Category {
                        let categories: Vec<&str> = p.key.split(MERGED_KEY_SEPARATOR).collect();
                        let keys = preimage(function, &categories);
                        // A category no key maps to keeps a key no record has.
                        p.key = if keys.is_empty() {
                            format!("{FOLDED_EMPTY}{}", p.key)
                        } else {
                            keys.join(MERGED_KEY_SEPARATOR)
                        };
                    }
                    p
                })
                .collect();
            Axis::from_positions(&self.dims[function.0], axis.label(), positions)
        };
        let rows = table.row_axes().iter().map(axis).collect();
        let columns = table.column_axes().iter().map(axis).collect();
        let filters = filters
            .iter()
            .map(|(d, categories)| match fold(d) {
                Some(function) => {
                    let categories: Vec<&str> = categories.iter().map(String::as_str).collect();
                    (
                        self.dims[function.0].clone(),
                        preimage(function, &categories),
                    )
                }
                None => (d.clone(), categories.clone()),
            })
            .collect();
        let table = table.with_layout(
            rows,
            columns,
            table.cells().to_vec(),
            table.derived().to_vec(),
        );
        Some((table, filters))
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
            affinity: Vec::new(),
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

    /// Category > legal basis (b1, b2, b3) and status > form (f1, f2, f3).
    fn definitions() -> [DimensionDef; 2] {
        use crate::tabulate::{CategoryDef, LevelDef};
        let dimension = |key: &str, top: (&str, &str), below: (&str, [&str; 3])| DimensionDef {
            key: key.into(),
            label: key.into(),
            levels: vec![
                LevelDef {
                    key: top.0.into(),
                    label: top.0.into(),
                    categories: vec![CategoryDef::new(top.1, top.1)],
                },
                LevelDef {
                    key: below.0.into(),
                    label: below.0.into(),
                    categories: below
                        .1
                        .iter()
                        .map(|k| CategoryDef::child(*k, *k, top.1))
                        .collect(),
                },
            ],
            sums: Vec::new(),
        };
        [
            dimension(
                "kategorie",
                ("kategorie", "hum"),
                ("unterkategorie", ["b1", "b2", "b3"]),
            ),
            dimension(
                "schutzstatus",
                ("status", "anerkannt"),
                ("schutzform", ["f1", "f2", "f3"]),
            ),
        ]
    }

    /// The legal bases with their form and count, the form following the legal basis.
    fn with_rule(bases: &[(&str, &str, u64)]) -> Universe {
        let counts: Vec<(Vec<String>, u64)> = bases
            .iter()
            .map(|(b, f, n)| (vec![(*b).to_owned(), (*f).to_owned()], *n))
            .collect();
        Universe::new(
            "u",
            &["kategorie", "schutzstatus"],
            counts.iter().map(|(k, n)| (k, n)),
            &definitions(),
        )
        .with_ties(&[("kategorie", "schutzstatus")], &[])
        .with_functions(&[("kategorie", "schutzstatus")])
    }

    /// A table by status and form (subtotal and total) of the records `filters` keep.
    fn by_form(u: &Universe, filters: &[Filter]) -> Table {
        use crate::tabulate::{AxisDef, Counts, Page, TableDef, ValueKind};
        let def = TableDef {
            key: "t".into(),
            title: "t".into(),
            sheet: None,
            value: ValueKind::Persons,
            counts: Counts::Gefluechtete,
            page: Page::Raeumlich,
            rows: vec![
                AxisDef::new("schutzstatus")
                    .with_total("Insgesamt")
                    .with_subtotals(true),
            ],
            columns: Vec::new(),
            derived: Vec::new(),
            notes: Vec::new(),
        };
        let mut builder = Table::builder(&def, &definitions()).expect("builder");
        for (key, &n) in u.atoms() {
            let kept = filters.iter().all(|(d, categories)| {
                let d = u.dim(d).expect("dimension");
                categories.iter().any(|c| u.rolls_up_to(d, &key[d], c))
            });
            if kept {
                builder.add_count(&[key[1].as_str()], n).expect("count");
            }
        }
        builder.finish()
    }

    #[test]
    fn a_table_by_form_shown_by_legal_basis_holds_the_same_records_in_every_cell() {
        // f3 has no legal basis: its row holds nobody either way.
        let u = with_rule(&[("b1", "f1", 1), ("b2", "f2", 4), ("b3", "f1", 5)]);
        for filters in [
            Vec::new(),
            vec![("schutzstatus".to_owned(), vec!["f1".to_owned()])],
        ] {
            let table = by_form(&u, &filters);
            let (folded, folded_filters) = u.folded(&table, &filters).expect("folded");
            assert!(
                folded
                    .row_axes()
                    .iter()
                    .all(|a| a.dimension() == "kategorie"),
            );
            assert_eq!(
                folded_filters,
                filters
                    .iter()
                    .map(|_| (
                        "kategorie".to_owned(),
                        vec!["b1".to_owned(), "b3".to_owned()]
                    ))
                    .collect::<Vec<_>>()
            );
            let atoms = u.atoms_of(&table, &filters).expect("traced");
            assert_eq!(u.atoms_of(&folded, &folded_filters), Some(atoms));
        }
    }

    #[test]
    fn a_rule_the_records_contradict_is_not_taken_as_a_function() {
        let u = with_rule(&[("b1", "f1", 1), ("b1", "f2", 4)]);
        assert_eq!(u.functions().count(), 0);
        assert!(u.folded(&by_form(&u, &[]), &[]).is_none());
    }
}
