//! The release as one protection problem: every table of a session (the standard set, each
//! Kreuztabelle made later) is checked against everything released before it, so that no
//! value of 1 or 2 can be computed by differencing published numbers of several tables.
//!
//! The check works on the records behind the tables ([`Universe`]: every combination of
//! dimension keys that occurs, with its count), on the common refinement of the tables
//! ([`super::refinement`]), or, if that is too large, on the records' own combinations with a
//! reader who knows which are empty (stricter): combinations no published cell tells apart
//! form a class, each with at least one person, so a set of 1 or 2 has at most two classes.
//! A table that would open a difference is designed once more with the merges of the tables
//! released before it ([`Recoding`], one per variable within a population) and checked
//! again; if it still would, all its values are suppressed and its report says why.
//!
//! Limits (docs/geheimhaltung.md, 3b): tables counted from other records (the monthly
//! series, the linked tables, the schools) are checked each for itself; bounds from
//! non-negativity across tables are checked only within a table by the cell suppression
//! audit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::refinement::{self, View};
use super::span::{Echelon, Random, neg};
use super::{ProtectedTable, ProtectionSettings, Threshold};
use crate::tabulate::recode::{MERGED_KEY_SEPARATOR, Recode, recode};
use crate::tabulate::{Axis, DimensionDef, Role, Table};

/// One recoding per variable: per dimension, the groups of category keys shown as one
/// category wherever a table shows two or more of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recoding {
    groups: BTreeMap<String, Vec<BTreeSet<String>>>,
}

impl Recoding {
    /// True if nothing is merged.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The merged groups of `dimension` (category keys).
    pub fn groups(&self, dimension: &str) -> &[BTreeSet<String>] {
        self.groups.get(dimension).map_or(&[], Vec::as_slice)
    }

    /// Takes over what `table` shows merged; true if that adds anything.
    pub fn absorb(&mut self, table: &Table) -> bool {
        let mut changed = false;
        for axis in table.row_axes().iter().chain(table.column_axes()) {
            for p in axis.positions() {
                if !matches!(p.role, Role::Category | Role::Subtotal)
                    || !p.key.contains(MERGED_KEY_SEPARATOR)
                {
                    continue;
                }
                let merged: BTreeSet<String> = p
                    .key
                    .split(MERGED_KEY_SEPARATOR)
                    .map(str::to_owned)
                    .collect();
                changed |= self.join(axis.dimension(), merged);
            }
        }
        changed
    }

    /// Adds `keys` as one group of `dimension`, joining every group it meets.
    fn join(&mut self, dimension: &str, keys: BTreeSet<String>) -> bool {
        let groups = self.groups.entry(dimension.to_owned()).or_default();
        if groups.iter().any(|g| keys.is_subset(g)) {
            return false;
        }
        let mut joined = keys;
        groups.retain(|g| {
            if g.is_disjoint(&joined) {
                true
            } else {
                joined.extend(g.iter().cloned());
                false
            }
        });
        groups.push(joined);
        groups.sort();
        true
    }

    /// Takes over every group of `other`.
    fn extend(&mut self, other: &Recoding) {
        for (dimension, groups) in &other.groups {
            for group in groups {
                self.join(dimension, group.clone());
            }
        }
    }

    /// `table` with every group merged where it shows two or more of its members that may
    /// be merged (siblings of one role; months only as neighbours).
    pub fn apply(&self, table: &Table) -> Table {
        let mut current = table.clone();
        for axis in table.row_axes().iter().chain(table.column_axes()) {
            for group in self.groups(axis.dimension()) {
                current = merge_group(current, axis.dimension(), group);
            }
        }
        current
    }
}

/// Merges the positions of `dimension` that hold keys of `group`, pair by pair, as far as
/// they may be merged.
fn merge_group(mut table: Table, dimension: &str, group: &BTreeSet<String>) -> Table {
    loop {
        let Some(axis) = table
            .row_axes()
            .iter()
            .chain(table.column_axes())
            .find(|a| a.dimension() == dimension)
        else {
            return table;
        };
        let members: Vec<&str> = axis
            .positions()
            .iter()
            .filter(|p| matches!(p.role, Role::Category | Role::Subtotal))
            .filter(|p| p.key.split(MERGED_KEY_SEPARATOR).any(|k| group.contains(k)))
            .map(|p| p.key.as_str())
            .collect();
        let mut merged = None;
        'pairs: for (i, first) in members.iter().enumerate() {
            for second in &members[i + 1..] {
                let step = Recode::Merge {
                    dimension: dimension.to_owned(),
                    first: (*first).to_owned(),
                    second: (*second).to_owned(),
                };
                if let Ok(next) = recode(&table, &step) {
                    merged = Some(next);
                    break 'pairs;
                }
            }
        }
        match merged {
            Some(next) => table = next,
            None => return table,
        }
    }
}

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
        }
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

    /// The name tables refer to it by ([`Origin::universe`]).
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
    fn cells_of(
        &self,
        table: &ProtectedTable,
        filters: &[(String, String)],
    ) -> Option<Vec<Vec<u32>>> {
        let axes: Vec<&Axis> = table.row_axes().iter().chain(table.column_axes()).collect();
        let dims: Vec<usize> = axes
            .iter()
            .map(|a| self.dims.iter().position(|d| d == a.dimension()))
            .collect::<Option<_>>()?;
        let filters: Vec<(usize, &str)> = filters
            .iter()
            .map(|(d, k)| Some((self.dims.iter().position(|x| x == d)?, k.as_str())))
            .collect::<Option<_>>()?;
        let layouts: Vec<AxisLayout> = axes.iter().map(|a| AxisLayout::of(a)).collect();
        let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
        let n_cells = table.n_rows() * table.n_cols();
        let every_cell = (0..n_cells).any(|i| {
            matches!(
                table.cell(i / table.n_cols().max(1), i % table.n_cols().max(1)),
                super::Published::Suppressed | super::Published::NotMeaningful
            )
        });
        let mut cells: Vec<Vec<u32>> = vec![Vec::new(); n_cells];
        let mut sums: Vec<u64> = vec![0; n_cells];
        let mut coords = vec![0usize; axes.len()];
        'atoms: for (atom, key) in self.keys.iter().enumerate() {
            for &(d, category) in &filters {
                if !self.lineage(d, &key[d]).any(|k| k == category) {
                    continue 'atoms;
                }
            }
            for (a, &d) in dims.iter().enumerate() {
                if key[d].is_empty() {
                    continue 'atoms;
                }
                match self
                    .lineage(d, &key[d])
                    .find_map(|k| layouts[a].category.get(k))
                {
                    Some(&p) => coords[a] = p,
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

    /// True if the published cells `rows` (combinations each) let a reader compute a value
    /// from 1 to `threshold - 1`: one class, or two classes together (see the module
    /// documentation).
    fn discloses_on_records(&self, rows: &[&[u32]], threshold: Threshold) -> bool {
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
        AxisLayout { category, holders }
    }
}

/// Where a table's numbers come from: the universe and the filters (dimension, category)
/// of a Kreuztabelle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// Name of the [`Universe`].
    pub universe: String,
    /// Only what falls into each of these categories is counted.
    pub filters: Vec<(String, String)>,
}

impl Origin {
    /// All records of `universe`.
    pub fn of(universe: &str) -> Origin {
        Origin {
            universe: universe.to_owned(),
            filters: Vec::new(),
        }
    }
}

/// A table offered to the release: the raw table, where its numbers come from (`None`: not
/// from a universe the release checks across tables), and the recoding domains it shares
/// its merges with (tables of one population share one recoding per variable).
#[derive(Clone, Debug)]
pub struct Offered {
    /// The counted table.
    pub table: Table,
    /// Its universe and filters.
    pub origin: Option<Origin>,
    /// Names of the recoding domains (e.g. the universe's name; a table of both the
    /// population and the refugees is in both).
    pub domains: Vec<String>,
}

/// Everything released in a session: the recoding in force, the universes, and per universe
/// the published cells of every released table.
#[derive(Clone, Debug, Default)]
pub struct Release {
    /// Per recoding domain, the merges in force.
    recodings: BTreeMap<String, Recoding>,
    universes: Vec<Universe>,
    /// Per universe (same index), the tables released so far.
    released: Vec<Vec<Released>>,
}

/// A released table: as published, in its original design, and its filters.
#[derive(Clone, Debug)]
struct Released {
    table: ProtectedTable,
    original: Table,
    filters: Vec<(String, String)>,
}

impl Released {
    fn view(&self) -> View<'_> {
        View {
            table: &self.table,
            original: &self.original,
            filters: &self.filters,
        }
    }
}

impl Release {
    /// An empty release over `universes`.
    pub fn new(universes: Vec<Universe>) -> Release {
        let released = vec![Vec::new(); universes.len()];
        Release {
            recodings: BTreeMap::new(),
            universes,
            released,
        }
    }

    /// True if a universe of that name is known.
    pub fn has_universe(&self, name: &str) -> bool {
        self.universes.iter().any(|u| u.name == name)
    }

    /// Adds `universe` unless one of its name is known.
    pub fn add_universe(&mut self, universe: Universe) {
        if !self.has_universe(&universe.name) {
            self.universes.push(universe);
            self.released.push(Vec::new());
        }
    }

    /// The recoding in force for a table of `domains`.
    pub fn recoding(&self, domains: &[String]) -> Recoding {
        let mut out = Recoding::default();
        for d in domains {
            if let Some(r) = self.recodings.get(d) {
                out.extend(r);
            }
        }
        out
    }

    /// Takes over what `table` of `domains` shows merged; true if that adds anything.
    fn absorb(&mut self, table: &Table, domains: &[String]) -> bool {
        let mut changed = false;
        for d in domains {
            changed |= self.recodings.entry(d.clone()).or_default().absorb(table);
        }
        changed
    }

    /// Protects a set of tables released together (the standard set): designs them with one
    /// recoding per variable (under planned designs of `Tabelle`), protects each, and
    /// suppresses every table that, added in order, would open a difference.
    pub fn protect_all(
        &mut self,
        tables: Vec<Offered>,
        settings: &ProtectionSettings,
        progress: &mut dyn FnMut(u32, u32),
    ) -> Vec<ProtectedTable> {
        let n = tables.len() as u32;
        let designs: Vec<(Table, Vec<String>)> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                progress(i as u32, n);
                super::design(&t.table, settings, &Recoding::default())
            })
            .collect();
        let protected: Vec<ProtectedTable> = designs
            .into_iter()
            .map(|(t, merges)| super::protect_designed(t, merges, settings))
            .collect();
        let out = self.admit_all(protected, tables, settings);
        progress(n, n);
        out
    }

    /// Checks `tables` (with what they were offered as) in order against the release. A
    /// table that would open a difference is designed once more with the merges of the
    /// tables released before it in its domains (one recoding per variable) and checked
    /// again; if it still would, all its values are suppressed. The others are released.
    fn admit_all(
        &mut self,
        tables: Vec<ProtectedTable>,
        offered: Vec<Offered>,
        settings: &ProtectionSettings,
    ) -> Vec<ProtectedTable> {
        let threshold = settings.threshold;
        let mut out: Vec<ProtectedTable> = Vec::with_capacity(tables.len());
        let mut checked: Vec<(usize, usize, Offered)> = Vec::new();
        for (table, offered) in tables.into_iter().zip(offered) {
            let universe = offered
                .origin
                .as_ref()
                .and_then(|o| self.universes.iter().position(|u| u.name == o.universe));
            if let Some(u) = universe.filter(|_| !table.report().all_suppressed) {
                checked.push((out.len(), u, offered));
            } else {
                for d in &offered.domains {
                    self.recodings
                        .entry(d.clone())
                        .or_default()
                        .absorb(table.raw());
                }
            }
            out.push(table);
        }
        let released = |table: &ProtectedTable, offered: &Offered| Released {
            table: table.clone(),
            original: offered.table.clone(),
            filters: offered
                .origin
                .as_ref()
                .map(|o| o.filters.clone())
                .unwrap_or_default(),
        };
        for u in 0..self.universes.len() {
            let mine: Vec<&(usize, usize, Offered)> =
                checked.iter().filter(|(_, v, _)| *v == u).collect();
            if mine.is_empty() {
                continue;
            }
            let candidates: Vec<Released> =
                mine.iter().map(|(i, _, o)| released(&out[*i], o)).collect();
            let together: Vec<View<'_>> = self.released[u]
                .iter()
                .chain(&candidates)
                .map(Released::view)
                .collect();
            let passes = !self.discloses(u, &together, threshold);
            let mut admitted: Vec<Released> = Vec::new();
            if passes {
                admitted = candidates;
            } else {
                for ((i, _, o), candidate) in mine.iter().zip(candidates) {
                    if self.admits(u, &admitted, &candidate, threshold) {
                        admitted.push(candidate);
                        self.absorb(out[*i].raw(), &o.domains);
                        continue;
                    }
                    let (table, merges) =
                        super::design(&o.table, settings, &self.recoding(&o.domains));
                    let again = super::protect_designed(table, merges, settings);
                    let retry = released(&again, o);
                    if !again.report().all_suppressed
                        && self.admits(u, &admitted, &retry, threshold)
                    {
                        admitted.push(retry);
                        self.absorb(again.raw(), &o.domains);
                        out[*i] = again;
                    } else {
                        out[*i] = out[*i].clone().refused_by_release();
                    }
                }
            }
            if passes {
                for (i, _, o) in &mine {
                    self.absorb(out[*i].raw(), &o.domains);
                }
            }
            self.released[u].extend(admitted);
        }
        out
    }

    /// True if `candidate` can be released in universe `u` after what is released and
    /// `admitted`.
    fn admits(
        &self,
        u: usize,
        admitted: &[Released],
        candidate: &Released,
        threshold: Threshold,
    ) -> bool {
        let views: Vec<View<'_>> = self.released[u]
            .iter()
            .chain(admitted)
            .chain(std::iter::once(candidate))
            .map(Released::view)
            .collect();
        !self.discloses(u, &views, threshold)
    }

    /// True if `views` of universe `u` let a reader compute a value from 1 to `threshold -
    /// 1`: on the common refinement of the tables, or (if that is too large) on the records'
    /// own combinations, where the reader is taken to know which combinations are empty.
    fn discloses(&self, u: usize, views: &[View<'_>], threshold: Threshold) -> bool {
        let universe = &self.universes[u];
        if let Some(found) = refinement::discloses(universe, views, threshold) {
            return found;
        }
        let mut rows: Vec<Vec<u32>> = Vec::new();
        for view in views {
            match universe.cells_of(view.table, view.filters) {
                Some(cells) => rows.extend(cells),
                None => return true,
            }
        }
        let rows: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
        universe.discloses_on_records(&rows, threshold)
    }

    /// Protects one more table (a Kreuztabelle) within the release: designed with the
    /// recoding in force (and planned further if it has to be), protected, and checked
    /// against everything released before; suppressed if it would open a difference.
    pub fn protect_one(
        &mut self,
        offered: Offered,
        settings: &ProtectionSettings,
    ) -> ProtectedTable {
        let Offered {
            table,
            origin,
            domains,
        } = offered;
        let (designed, merges) = super::design(&table, settings, &self.recoding(&domains));
        let protected = super::protect_designed(designed, merges, settings);
        let fallback = protected.clone();
        let mut out = self.admit_all(
            vec![protected],
            vec![Offered {
                table,
                origin,
                domains: domains.clone(),
            }],
            settings,
        );
        out.pop().unwrap_or_else(|| fallback.refused_by_release())
    }
}
