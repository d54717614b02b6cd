//! The counted table: every cell of the cross product of the axes' positions (categories and
//! margins), built by counting items and summing up; plus the additive relations that tie
//! margins to their parts and the derived ratio columns.

use super::axis::{Axis, CompiledAxis, Position, compile};
use super::def::{DimensionDef, Page, RatioUnit, TableDef, ValueKind};
use super::error::TabulateError;
use super::provenance::Provenance;

/// Most cells (including margins) a table may have.
pub const MAX_CELLS: usize = 2_000_000;

/// An additive relation between cells: `cells[total] = Σ cells[parts]`, with cells addressed
/// by their flat index `row * n_cols + col`. Every margin, subtotal and named sum yields one
/// relation per combination of the other axes' positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// Flat index of the sum cell.
    pub total: usize,
    /// Flat indices of its parts.
    pub parts: Vec<usize>,
}

/// A relation with where it comes from in the table's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxisRelation {
    /// The axis it sums along (row axes first, then column axes).
    pub axis: usize,
    /// True if the relation lies at a sum position of another axis (e.g. the row sum of a
    /// subtotal row).
    pub on_sum: bool,
    /// The relation.
    pub relation: Relation,
}

/// A derived ratio column, resolved to cell coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct DerivedColumn {
    /// German column header.
    pub label: String,
    /// Percent or per mille.
    pub unit: RatioUnit,
    /// Decimal places shown.
    pub decimals: u8,
    /// Column of the numerator (same row).
    pub numerator_col: usize,
    /// Column of the denominator.
    pub denominator_col: usize,
    /// Row of the denominator; `None`: the same row.
    pub denominator_row: Option<usize>,
}

/// A counted table with all margins. Raw counts: there is no export path from here; protect it
/// with [`crate::protect::protect`] first.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    key: String,
    page: Page,
    title: String,
    sheet: Option<String>,
    value: ValueKind,
    notes: Vec<String>,
    rows: Vec<Axis>,
    columns: Vec<Axis>,
    n_rows: usize,
    n_cols: usize,
    cells: Vec<Option<u64>>,
    derived: Vec<DerivedColumn>,
    counted: u64,
    provenance: Vec<Provenance>,
}

/// Counts items into a table. Keys are given per item, one per axis: first the row axes, then
/// the column axes, in the order of the [`TableDef`].
#[derive(Clone, Debug)]
pub struct TableBuilder {
    key: String,
    page: Page,
    title: String,
    sheet: Option<String>,
    value: ValueKind,
    notes: Vec<String>,
    axes: Vec<CompiledAxis>,
    n_row_axes: usize,
    counts: Vec<u64>,
    gaps: Vec<Vec<bool>>,
    derived: Vec<DerivedColumn>,
    counted: u64,
}

fn product(lens: impl Iterator<Item = usize>) -> u128 {
    lens.fold(1u128, |acc, n| acc.saturating_mul(n as u128))
}

/// Flat index of a coordinate vector in mixed radix (last axis fastest).
pub(super) fn flat(coords: &[usize], lens: &[usize]) -> usize {
    coords
        .iter()
        .zip(lens)
        .fold(0usize, |acc, (&c, &n)| acc * n + c)
}

/// Coordinates of a flat index in mixed radix (last axis fastest).
pub(super) fn unflat(mut index: usize, lens: &[usize]) -> Vec<usize> {
    let mut coords = vec![0; lens.len()];
    for (slot, &n) in coords.iter_mut().zip(lens).rev() {
        if n > 0 {
            *slot = index % n;
            index /= n;
        }
    }
    coords
}

fn resolve_path(axes: &[Axis], path: &[String], derived: &str) -> Result<usize, TabulateError> {
    let unknown = || TabulateError::UnknownPosition {
        derived: derived.to_owned(),
        path: path.to_vec(),
    };
    if path.len() != axes.len() {
        return Err(unknown());
    }
    let mut index = 0usize;
    for (axis, key) in axes.iter().zip(path) {
        let i = axis.position_index(key).ok_or_else(unknown)?;
        index = index * axis.positions().len() + i;
    }
    Ok(index)
}

impl Table {
    /// Starts a table from its definition; `dimensions` must contain every dimension it uses.
    pub fn builder(
        def: &TableDef,
        dimensions: &[DimensionDef],
    ) -> Result<TableBuilder, TabulateError> {
        let mut axes = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for axis_def in def.rows.iter().chain(&def.columns) {
            if seen.contains(&axis_def.dimension.as_str()) {
                return Err(TabulateError::DuplicateDimension {
                    dimension: axis_def.dimension.clone(),
                });
            }
            seen.push(axis_def.dimension.as_str());
            let dim = dimensions
                .iter()
                .find(|d| d.key == axis_def.dimension)
                .ok_or_else(|| TabulateError::UnknownDimension {
                    dimension: axis_def.dimension.clone(),
                })?;
            axes.push(compile(axis_def, dim)?);
        }
        let cells = product(axes.iter().map(|a| a.axis.positions().len()));
        if cells > MAX_CELLS as u128 {
            return Err(TabulateError::TooLarge {
                cells,
                limit: MAX_CELLS,
            });
        }
        let leaves = product(axes.iter().map(|a| a.leaves.len())) as usize;
        let n_row_axes = def.rows.len();
        let row_axes: Vec<Axis> = axes[..n_row_axes].iter().map(|a| a.axis.clone()).collect();
        let col_axes: Vec<Axis> = axes[n_row_axes..].iter().map(|a| a.axis.clone()).collect();
        let mut derived = Vec::new();
        for d in &def.derived {
            let numerator_col = resolve_path(&col_axes, &d.numerator, &d.label)?;
            let denominator_col = resolve_path(&col_axes, &d.denominator, &d.label)?;
            let denominator_row = match &d.denominator_row {
                None => None,
                Some(path) => Some(resolve_path(&row_axes, path, &d.label)?),
            };
            derived.push(DerivedColumn {
                label: d.label.clone(),
                unit: d.unit,
                decimals: d.decimals.min(6),
                numerator_col,
                denominator_col,
                denominator_row,
            });
        }
        Ok(TableBuilder {
            key: def.key.clone(),
            page: def.page,
            title: def.title.clone(),
            sheet: def.sheet.clone(),
            value: def.value,
            notes: def.notes.clone(),
            gaps: axes.iter().map(|a| vec![false; a.leaves.len()]).collect(),
            axes,
            n_row_axes,
            counts: vec![0; leaves],
            derived,
            counted: 0,
        })
    }

    /// Stable identifier from the definition.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The page of the app it is shown on.
    pub fn page(&self) -> Page {
        self.page
    }

    /// German title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// What the cells count.
    pub fn value_kind(&self) -> ValueKind {
        self.value
    }

    /// Short name for a worksheet tab, if the definition gives one.
    pub fn sheet_name(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// Footnotes.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The table with one more footnote.
    pub fn with_note(mut self, note: &str) -> Table {
        self.notes.push(note.to_owned());
        self
    }

    /// The registers the table counts from, with their Stichtag or period.
    pub fn provenance(&self) -> &[Provenance] {
        &self.provenance
    }

    /// The same table with other axes, cells (row by row) and derived columns (a recoding of
    /// it, see [`super::recode`]).
    pub(crate) fn with_layout(
        &self,
        rows: Vec<Axis>,
        columns: Vec<Axis>,
        cells: Vec<Option<u64>>,
        derived: Vec<DerivedColumn>,
    ) -> Table {
        let n_rows = rows.iter().map(|a| a.positions().len()).product();
        let n_cols = columns.iter().map(|a| a.positions().len()).product();
        // Only the description is copied: the planner calls this once per step, and the
        // old axes and cells are replaced anyway.
        Table {
            key: self.key.clone(),
            page: self.page,
            title: self.title.clone(),
            sheet: self.sheet.clone(),
            value: self.value,
            notes: self.notes.clone(),
            rows,
            columns,
            n_rows,
            n_cols,
            cells,
            derived,
            counted: self.counted,
            provenance: self.provenance.clone(),
        }
    }

    /// The table with its registers named (sorted, each once).
    pub fn with_provenance(mut self, mut provenance: Vec<Provenance>) -> Table {
        provenance.sort();
        provenance.dedup();
        self.provenance = provenance;
        self
    }

    /// Row axes, outermost first.
    pub fn row_axes(&self) -> &[Axis] {
        &self.rows
    }

    /// Column axes, outermost first.
    pub fn column_axes(&self) -> &[Axis] {
        &self.columns
    }

    /// Number of rows (product of the row axes' positions).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of count columns (product of the column axes' positions).
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// The count in a cell; `None` for a gap (no data, shown as "x"), also when out of range.
    pub fn cell(&self, row: usize, col: usize) -> Option<u64> {
        if row >= self.n_rows || col >= self.n_cols {
            return None;
        }
        self.cells.get(row * self.n_cols + col).copied().flatten()
    }

    /// All cells, row by row (flat index `row * n_cols + col`).
    pub fn cells(&self) -> &[Option<u64>] {
        &self.cells
    }

    /// The positions of a row, one per row axis.
    pub fn row_positions(&self, row: usize) -> Vec<&Position> {
        positions_of(&self.rows, row)
    }

    /// The positions of a count column, one per column axis.
    pub fn column_positions(&self, col: usize) -> Vec<&Position> {
        positions_of(&self.columns, col)
    }

    /// True if the row or column of a cell is a margin on any axis.
    pub fn is_margin(&self, row: usize, col: usize) -> bool {
        self.row_positions(row).iter().any(|p| p.is_margin())
            || self.column_positions(col).iter().any(|p| p.is_margin())
    }

    /// Derived ratio columns.
    pub fn derived(&self) -> &[DerivedColumn] {
        &self.derived
    }

    /// Number of items counted (sum of all `add_count` calls).
    pub fn counted(&self) -> u64 {
        self.counted
    }

    /// Every additive relation between published cells: for each axis, each sum position and
    /// each combination of the other axes' positions, `sum cell = Σ part cells`. Relations whose
    /// sum cell is a gap are left out. These are the equations an attacker can use.
    pub fn relations(&self) -> Vec<Relation> {
        self.relations_by_axis()
            .into_iter()
            .map(|r| r.relation)
            .collect()
    }

    /// The same relations as [`Table::relations`], each with the axis it sums along and
    /// whether it lies at a sum position of another axis.
    pub fn relations_by_axis(&self) -> Vec<AxisRelation> {
        let axes: Vec<&Axis> = self.rows.iter().chain(&self.columns).collect();
        let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
        let is_sum = |a: usize, i: usize| {
            axes[a]
                .positions()
                .get(i)
                .is_some_and(|p| p.is_margin() && !p.parts.is_empty())
        };
        let mut out = Vec::new();
        for (a, axis) in axes.iter().enumerate() {
            let sums: Vec<(usize, &Position)> = axis
                .positions()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_margin() && !p.parts.is_empty())
                .collect();
            if sums.is_empty() {
                continue;
            }
            let mut other_lens = lens.clone();
            other_lens[a] = 1;
            let combos: usize = other_lens.iter().product();
            for combo in 0..combos {
                let mut coords = unflat(combo, &other_lens);
                let on_sum = coords
                    .iter()
                    .enumerate()
                    .any(|(b, &i)| b != a && is_sum(b, i));
                for (i, p) in &sums {
                    coords[a] = *i;
                    let total = flat(&coords, &lens);
                    if self.cells.get(total).copied().flatten().is_none() {
                        continue;
                    }
                    let parts = p
                        .parts
                        .iter()
                        .map(|&q| {
                            coords[a] = q;
                            flat(&coords, &lens)
                        })
                        .collect();
                    coords[a] = *i;
                    out.push(AxisRelation {
                        axis: a,
                        on_sum,
                        relation: Relation { total, parts },
                    });
                }
            }
        }
        out
    }
}

fn positions_of(axes: &[Axis], index: usize) -> Vec<&Position> {
    let lens: Vec<usize> = axes.iter().map(|a| a.positions().len()).collect();
    let coords = unflat(index, &lens);
    axes.iter()
        .zip(coords)
        .filter_map(|(a, c)| a.positions().get(c))
        .collect()
}

impl TableBuilder {
    /// Dimension keys in the order `add` expects the keys: row axes, then column axes.
    pub fn key_order(&self) -> Vec<&str> {
        self.axes.iter().map(|a| a.axis.dimension()).collect()
    }

    fn leaf_index<K: AsRef<str>>(&self, keys: &[K]) -> Result<usize, TabulateError> {
        if keys.len() != self.axes.len() {
            return Err(TabulateError::WrongKeyCount {
                expected: self.axes.len(),
                got: keys.len(),
            });
        }
        let mut index = 0usize;
        for (axis, key) in self.axes.iter().zip(keys) {
            let key = key.as_ref();
            let ordinal =
                axis.lookup
                    .get(key)
                    .copied()
                    .ok_or_else(|| TabulateError::UnknownKey {
                        dimension: axis.axis.dimension().to_owned(),
                        key: key.to_owned(),
                    })?;
            index = index * axis.leaves.len() + ordinal;
        }
        Ok(index)
    }

    /// Counts one item. Keys may name a category of the shown level or of any finer level
    /// (rolled up); sums, subtotals and totals cannot be counted into.
    pub fn add<K: AsRef<str>>(&mut self, keys: &[K]) -> Result<(), TabulateError> {
        self.add_count(keys, 1)
    }

    /// Counts `count` items with the same keys (pre-aggregated input).
    pub fn add_count<K: AsRef<str>>(
        &mut self,
        keys: &[K],
        count: u64,
    ) -> Result<(), TabulateError> {
        let index = self.leaf_index(keys)?;
        let counted = self
            .counted
            .checked_add(count)
            .ok_or(TabulateError::Overflow)?;
        let slot = self.counts.get_mut(index).ok_or(TabulateError::Overflow)?;
        *slot = slot.checked_add(count).ok_or(TabulateError::Overflow)?;
        self.counted = counted;
        Ok(())
    }

    /// Marks a category of the dimension `dimension` as a gap (e.g. a month without data):
    /// all its cells, and every margin that includes it, become "x" instead of a count.
    pub fn mark_gap(&mut self, dimension: &str, key: &str) -> Result<(), TabulateError> {
        let unknown = || TabulateError::UnknownKey {
            dimension: dimension.to_owned(),
            key: key.to_owned(),
        };
        let a = self
            .axes
            .iter()
            .position(|a| a.axis.dimension() == dimension)
            .ok_or_else(|| TabulateError::UnknownDimension {
                dimension: dimension.to_owned(),
            })?;
        let axis = &self.axes[a];
        let pos = axis.axis.position_index(key).ok_or_else(unknown)?;
        let ordinal = axis
            .leaves
            .iter()
            .position(|&p| p == pos)
            .ok_or_else(unknown)?;
        self.gaps[a][ordinal] = true;
        Ok(())
    }

    /// Computes all margins and returns the table.
    pub fn finish(self) -> Table {
        let lens: Vec<usize> = self.axes.iter().map(|a| a.axis.positions().len()).collect();
        let leaf_lens: Vec<usize> = self.axes.iter().map(|a| a.leaves.len()).collect();
        let total: usize = lens.iter().product();
        let mut cells: Vec<Option<u64>> = vec![None; total];
        // Inner cells from the counts.
        for (li, &count) in self.counts.iter().enumerate() {
            let leaf_coords = unflat(li, &leaf_lens);
            let gap = leaf_coords
                .iter()
                .enumerate()
                .any(|(a, &o)| self.gaps[a].get(o).copied().unwrap_or(false));
            let coords: Vec<usize> = leaf_coords
                .iter()
                .enumerate()
                .map(|(a, &o)| self.axes[a].leaves.get(o).copied().unwrap_or(0))
                .collect();
            if let Some(cell) = cells.get_mut(flat(&coords, &lens)) {
                *cell = if gap { None } else { Some(count) };
            }
        }
        // Margins, one axis after the other; a cell whose last margin axis is `a` is written in
        // pass `a` from cells that are final by then.
        for (a, axis) in self.axes.iter().enumerate() {
            let order = axis.axis.evaluation_order();
            let mut other_lens = lens.clone();
            other_lens[a] = 1;
            let combos: usize = other_lens.iter().product();
            for combo in 0..combos {
                let mut coords = unflat(combo, &other_lens);
                for &i in &order {
                    let parts = &axis.axis.positions()[i].parts;
                    if axis.axis.positions()[i].role == super::axis::Role::Category {
                        continue;
                    }
                    let mut sum = Some(0u64);
                    for &q in parts {
                        coords[a] = q;
                        let part = cells.get(flat(&coords, &lens)).copied().flatten();
                        sum = match (sum, part) {
                            (Some(s), Some(p)) => Some(s.saturating_add(p)),
                            _ => None,
                        };
                    }
                    coords[a] = i;
                    if let Some(cell) = cells.get_mut(flat(&coords, &lens)) {
                        *cell = sum;
                    }
                }
            }
        }
        let rows: Vec<Axis> = self.axes[..self.n_row_axes]
            .iter()
            .map(|a| a.axis.clone())
            .collect();
        let columns: Vec<Axis> = self.axes[self.n_row_axes..]
            .iter()
            .map(|a| a.axis.clone())
            .collect();
        let n_rows = rows.iter().map(|a| a.positions().len()).product();
        let n_cols = columns.iter().map(|a| a.positions().len()).product();
        Table {
            key: self.key,
            page: self.page,
            title: self.title,
            sheet: self.sheet,
            value: self.value,
            notes: self.notes,
            rows,
            columns,
            n_rows,
            n_cols,
            cells,
            derived: self.derived,
            counted: self.counted,
            provenance: Vec::new(),
        }
    }
}

/// The row (or column) index of a key path, one key per axis, e.g. `["1", TOTAL_KEY]` with
/// [`super::TOTAL_KEY`] for a total.
pub fn index_of(axes: &[Axis], path: &[&str]) -> Option<usize> {
    let owned: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
    resolve_path(axes, &owned, "").ok()
}
