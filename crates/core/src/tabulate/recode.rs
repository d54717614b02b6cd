//! Global recoding of a counted table: coarser categories along the declared hierarchies and
//! groupings, without dropping anybody. Two operations on one axis, each giving a new table
//! whose every cell is the exact sum of cells of the old one:
//!
//! - [`Recode::Merge`]: two positions of the same role under the same parent become one
//!   (`Scholven und Hassel`); merged subtotals keep their children below them.
//! - [`Recode::Collapse`]: the finest level of a hierarchical axis goes, its parents become
//!   the categories (Baublock -> Stadtteil, Rechtsgrundlage -> Kategorie).
//! - [`Recode::Aggregate`]: the last step of a hierarchy: only the axis' total stays
//!   (Stadtbezirk -> Stadt, Kategorie -> alle).
//!
//! Merge and Collapse keep every margin, subtotal and named sum; the relations of the new
//! table follow from its axes as for any table.

use super::axis::{Axis, Position, Role};
use super::table::{DerivedColumn, Table};
use crate::area::AreaKey;

/// One recoding step on one axis of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recode {
    /// Merge the positions with keys `first` and `second` of the axis of dimension
    /// `dimension` (same role, same parent) into one, at the place of the earlier one.
    Merge {
        /// Dimension key of the axis.
        dimension: String,
        /// Key of the position that stays (and takes the other's people).
        first: String,
        /// Key of the position merged into it.
        second: String,
    },
    /// Drop the finest level of the axis of `dimension`: its parents become categories.
    Collapse {
        /// Dimension key of the axis.
        dimension: String,
    },
    /// Keep only the total of the axis of `dimension` (the whole city, all categories).
    Aggregate {
        /// Dimension key of the axis.
        dimension: String,
    },
}

impl Recode {
    /// Dimension key of the axis the step recodes.
    pub fn dimension(&self) -> &str {
        match self {
            Recode::Merge { dimension, .. }
            | Recode::Collapse { dimension }
            | Recode::Aggregate { dimension } => dimension,
        }
    }
}

/// What [`recode`] did not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecodeError {
    /// No axis of that dimension.
    NoAxis(String),
    /// A key that is no position of the axis.
    NoPosition(String),
    /// The positions cannot be merged (other role, other parent, a margin, the same one).
    NotSiblings(String, String),
    /// The axis has no level below another to drop.
    Flat(String),
}

impl std::fmt::Display for RecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecodeError::NoAxis(d) => write!(f, "die Tabelle hat kein Merkmal „{d}“"),
            RecodeError::NoPosition(k) => write!(f, "„{k}“ ist keine Zeile oder Spalte"),
            RecodeError::NotSiblings(a, b) => {
                write!(f, "„{a}“ und „{b}“ lassen sich nicht zusammenfassen")
            }
            RecodeError::Flat(d) => write!(f, "das Merkmal „{d}“ hat keine feinere Ebene"),
        }
    }
}

/// Key of a merged position: the keys joined with `+`.
pub const MERGED_KEY_SEPARATOR: &str = "+";

/// The parent of each position of `axis`: the subtotal whose parts hold it (`None` at the top
/// level and for margins).
pub fn parents(axis: &Axis) -> Vec<Option<usize>> {
    let mut parent = vec![None; axis.positions().len()];
    for (i, p) in axis.positions().iter().enumerate() {
        if p.role == Role::Subtotal {
            for &q in &p.parts {
                parent[q] = Some(i);
            }
        }
    }
    parent
}

/// True for a technical position: the addresses without a match in the Gliederung. It
/// merges only with another technical position, never with a real area.
pub fn is_technical(position: &Position) -> bool {
    position
        .key
        .split(MERGED_KEY_SEPARATOR)
        .any(AreaKey::is_unlocated_key)
}

/// True for an axis of months (every category key `JJJJ-MM`): merged neighbours are read as
/// one period ("01.01.2010 bis 01.03.2010").
pub fn is_periods(axis: &Axis) -> bool {
    all_category_keys(axis, |k| {
        let b = k.as_bytes();
        b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
    })
}

/// True for an axis whose categories have an order: months, age groups (keys `a00`, `a01`,
/// …) or years of arrival (`j2015`, …, with the earlier years before and "unbekannt" last).
/// Its positions merge only with their neighbours (ages and years into spans), never with
/// the smallest elsewhere.
pub fn is_ordered(axis: &Axis) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
    is_periods(axis)
        || all_category_keys(axis, |k| {
            k.strip_prefix('a').is_some_and(|d| digits(d, 2)) || k == UNKNOWN_ORDINAL
        })
        || all_category_keys(axis, |k| {
            k.strip_prefix('j').is_some_and(|d| digits(d, 4))
                || k == EARLIER_ORDINAL
                || k == UNKNOWN_ORDINAL
        })
}

/// Key of the unknown age or year, last on an ordered axis.
pub const UNKNOWN_ORDINAL: &str = "unbekannt";
/// Key of the years of arrival before the first shown on its own.
pub const EARLIER_ORDINAL: &str = "frueher";

/// True if the axis has categories and every key of every category (merged ones too)
/// passes `ok`, and not all are the unknown.
fn all_category_keys(axis: &Axis, ok: impl Fn(&str) -> bool) -> bool {
    let mut categories = axis
        .positions()
        .iter()
        .filter(|p| p.role == Role::Category)
        .peekable();
    let mut known = false;
    categories.peek().is_some()
        && categories.all(|p| {
            p.key.split(MERGED_KEY_SEPARATOR).all(|k| {
                known |= k != UNKNOWN_ORDINAL;
                ok(k)
            })
        })
        && known
}

/// True if the categories of `axis` add up: it has a total. An axis without one lays out
/// measures or overlapping groups (Kennzahlen, "darunter …" columns, two Stichtage,
/// persons per month) whose sums mean nothing; its positions never merge.
pub fn is_additive(axis: &Axis) -> bool {
    axis.positions().iter().any(|p| p.role == Role::Total)
}

/// The named sums of `axis` that hold position `i`: two positions merge only if they are in
/// the same ones, so every named sum stays what its label says ("Geduldete gesamt").
pub fn sums_holding(axis: &Axis, i: usize) -> Vec<usize> {
    axis.positions()
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == Role::Sum && p.parts.contains(&i))
        .map(|(s, _)| s)
        .collect()
}

/// True if the positions `a` and `b` of `axis` can be merged: the axis adds up, both are
/// categories or both subtotals, under the same parent and in the same named sums, not the
/// same, both technical or neither; on an ordered axis (months, ages, years) only
/// neighbours.
pub fn mergeable(axis: &Axis, a: usize, b: usize) -> bool {
    let positions = axis.positions();
    let (Some(pa), Some(pb)) = (positions.get(a), positions.get(b)) else {
        return false;
    };
    let parents = parents(axis);
    let neighbours = || {
        let (lo, hi) = (a.min(b), a.max(b));
        !positions[lo + 1..hi].iter().any(|p| p.role == pa.role)
    };
    a != b
        && is_additive(axis)
        && pa.role == pb.role
        && matches!(pa.role, Role::Category | Role::Subtotal)
        && parents[a] == parents[b]
        && sums_holding(axis, a) == sums_holding(axis, b)
        && is_technical(pa) == is_technical(pb)
        && (!is_ordered(axis) || neighbours())
}

/// True if `axis` has a level below another (a subtotal with parts).
pub fn collapsible(axis: &Axis) -> bool {
    axis.positions()
        .iter()
        .any(|p| p.role == Role::Subtotal && !p.parts.is_empty())
}

/// Most parts a merged label names; more read "A, B und 5 weitere".
pub const MAX_LABEL_PARTS: usize = 4;

/// `table` with the labels of positions merged from more than [`MAX_LABEL_PARTS`] parts
/// shortened to "A, B und N weitere" (the planner's list of merges names them all).
pub fn with_short_labels(table: &Table) -> Table {
    let shorten = |axis: &Axis| -> Axis {
        if is_ordered(axis) {
            return axis.clone();
        }
        let positions = axis
            .positions()
            .iter()
            .map(|p| {
                let n = p.key.split(MERGED_KEY_SEPARATOR).count();
                let mut p = p.clone();
                if n > MAX_LABEL_PARTS {
                    let head: Vec<&str> = p.label.splitn(3, ", ").take(2).collect();
                    p.label = format!("{} und {} weitere", head.join(", "), n - head.len());
                }
                p
            })
            .collect();
        Axis::from_positions(axis.dimension(), axis.label(), positions)
    };
    let rows = table.row_axes().iter().map(shorten).collect();
    let columns = table.column_axes().iter().map(shorten).collect();
    table.with_layout(
        rows,
        columns,
        table.cells().to_vec(),
        table.derived().to_vec(),
    )
}

/// A new axis and, per new position, the old positions whose cells it sums.
struct Mapped {
    axis: Axis,
    sources: Vec<Vec<usize>>,
}

/// "A und B", "A, B und C": the label of merged positions.
pub fn merged_label(first: &str, second: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for label in [first, second] {
        match label.rsplit_once(" und ") {
            Some((head, last)) => {
                parts.extend(head.split(", "));
                parts.push(last);
            }
            None => parts.push(label),
        }
    }
    match parts.split_last() {
        Some((last, head)) if !head.is_empty() => format!("{} und {last}", head.join(", ")),
        _ => parts.concat(),
    }
}

/// "01.01.2010 bis 01.03.2010": the label of merged neighbouring periods.
fn period_label(first: &str, second: &str) -> String {
    let start = first.split(" bis ").next().unwrap_or(first);
    let end = second.rsplit(" bis ").next().unwrap_or(second);
    format!("{start} bis {end}")
}

fn merge_axis(axis: &Axis, a: usize, b: usize) -> Mapped {
    // The earlier position stays, so a merged period keeps its place and reads forwards.
    let (a, b) = (a.min(b), a.max(b));
    let periods = is_periods(axis);
    let old = axis.positions();
    // Old index -> new index; `b` goes to where `a` lands.
    let mut new_index = vec![0usize; old.len()];
    let mut next = 0;
    for (i, slot) in new_index.iter_mut().enumerate() {
        if i != b {
            *slot = next;
            next += 1;
        }
    }
    new_index[b] = new_index[a];
    let mut positions = Vec::with_capacity(old.len() - 1);
    let mut sources = Vec::with_capacity(old.len() - 1);
    for (i, p) in old.iter().enumerate() {
        if i == b {
            continue;
        }
        let mut parts: Vec<usize> = Vec::new();
        let part_list: Vec<usize> = if i == a {
            p.parts.iter().chain(&old[b].parts).copied().collect()
        } else {
            p.parts.clone()
        };
        for q in part_list {
            let n = new_index[q];
            if !parts.contains(&n) {
                parts.push(n);
            }
        }
        let affinity = if i == a {
            let mut both: Vec<String> =
                p.affinity.iter().chain(&old[b].affinity).cloned().collect();
            both.sort();
            both.dedup();
            both
        } else {
            p.affinity.clone()
        };
        let (key, label, source) = if i == a {
            (
                format!("{}{MERGED_KEY_SEPARATOR}{}", p.key, old[b].key),
                if periods {
                    period_label(&p.label, &old[b].label)
                } else {
                    merged_label(&p.label, &old[b].label)
                },
                vec![a, b],
            )
        } else {
            (p.key.clone(), p.label.clone(), vec![i])
        };
        positions.push(Position {
            key,
            label,
            depth: p.depth,
            role: p.role,
            parts,
            affinity,
        });
        sources.push(source);
    }
    Mapped {
        axis: Axis::from_positions(axis.dimension(), axis.label(), positions),
        sources,
    }
}

fn collapse_axis(axis: &Axis) -> Mapped {
    let old = axis.positions();
    let parents = parents(axis);
    // The finest level: categories under a subtotal; their parents become categories.
    let dropped: Vec<bool> = (0..old.len())
        .map(|i| old[i].role == Role::Category && parents[i].is_some())
        .collect();
    let promoted: Vec<bool> = (0..old.len())
        .map(|i| {
            old[i].role == Role::Subtotal
                && !old[i].parts.is_empty()
                && old[i].parts.iter().all(|&q| dropped[q])
        })
        .collect();
    let mut new_index: Vec<Option<usize>> = vec![None; old.len()];
    let mut next = 0;
    for i in 0..old.len() {
        if !dropped[i] {
            new_index[i] = Some(next);
            next += 1;
        }
    }
    let mut positions = Vec::with_capacity(next);
    let mut sources = Vec::with_capacity(next);
    for (i, p) in old.iter().enumerate() {
        if dropped[i] {
            continue;
        }
        let mut parts: Vec<usize> = Vec::new();
        if !promoted[i] {
            for &q in &p.parts {
                // A sum over dropped categories now sums their parents.
                let n = match new_index[q] {
                    Some(n) => Some(n),
                    None => parents[q].and_then(|parent| new_index[parent]),
                };
                if let Some(n) = n.filter(|n| !parts.contains(n)) {
                    parts.push(n);
                }
            }
        }
        positions.push(Position {
            key: p.key.clone(),
            label: p.label.clone(),
            depth: p.depth,
            role: if promoted[i] { Role::Category } else { p.role },
            parts,
            affinity: p.affinity.clone(),
        });
        sources.push(vec![i]);
    }
    Mapped {
        axis: Axis::from_positions(axis.dimension(), axis.label(), positions),
        sources,
    }
}

/// The axis reduced to its total; `None` if it has none.
fn aggregate_axis(axis: &Axis) -> Option<Mapped> {
    let (i, total) = axis
        .positions()
        .iter()
        .enumerate()
        .find(|(_, p)| p.role == Role::Total)?;
    Some(Mapped {
        axis: Axis::from_positions(
            axis.dimension(),
            axis.label(),
            vec![Position {
                parts: Vec::new(),
                ..total.clone()
            }],
        ),
        sources: vec![vec![i]],
    })
}

/// Applies `step` to `table`: a new table with the recoded axis, every cell the exact sum of
/// the old cells it covers (a gap if any of them is a gap). Derived ratio columns whose
/// columns no longer exist as they were are dropped.
pub fn recode(table: &Table, step: &Recode) -> Result<Table, RecodeError> {
    let dimension = step.dimension().to_owned();
    let axes: Vec<&Axis> = table.row_axes().iter().chain(table.column_axes()).collect();
    let at = axes
        .iter()
        .position(|a| a.dimension() == dimension)
        .ok_or_else(|| RecodeError::NoAxis(dimension.clone()))?;
    let axis = axes[at];
    let mapped = match step {
        Recode::Merge { first, second, .. } => {
            let find = |k: &String| {
                axis.position_index(k)
                    .ok_or_else(|| RecodeError::NoPosition(k.clone()))
            };
            let (a, b) = (find(first)?, find(second)?);
            if !mergeable(axis, a, b) {
                return Err(RecodeError::NotSiblings(first.clone(), second.clone()));
            }
            merge_axis(axis, a, b)
        }
        Recode::Collapse { .. } => {
            if !collapsible(axis) {
                return Err(RecodeError::Flat(dimension.clone()));
            }
            collapse_axis(axis)
        }
        Recode::Aggregate { .. } => {
            if axis.positions().iter().all(|p| p.role == Role::Total) {
                return Err(RecodeError::Flat(dimension.clone()));
            }
            aggregate_axis(axis).ok_or_else(|| RecodeError::Flat(dimension.clone()))?
        }
    };
    Ok(rebuild(table, at, mapped))
}

/// The table with axis number `at` (rows first, then columns) replaced.
fn rebuild(table: &Table, at: usize, mapped: Mapped) -> Table {
    let n_row_axes = table.row_axes().len();
    let old_axes: Vec<&Axis> = table.row_axes().iter().chain(table.column_axes()).collect();
    let old_lens: Vec<usize> = old_axes.iter().map(|a| a.positions().len()).collect();
    let mut sources: Vec<Vec<Vec<usize>>> = old_lens
        .iter()
        .map(|&n| (0..n).map(|i| vec![i]).collect())
        .collect();
    sources[at] = mapped.sources;
    let new_lens: Vec<usize> = sources.iter().map(Vec::len).collect();
    let cells = sum_cells(table.cells(), &old_lens, &new_lens, at, &sources[at]);
    let mut replaced = Some(mapped.axis);
    let mut axes: Vec<Axis> = old_axes
        .iter()
        .enumerate()
        .map(|(i, a)| match replaced.take_if(|_| i == at) {
            Some(axis) => axis,
            None => (*a).clone(),
        })
        .collect();
    let columns: Vec<Axis> = axes.split_off(n_row_axes);
    let rows = axes;
    let column_map: Option<Vec<Option<usize>>> =
        (at >= n_row_axes).then(|| old_to_new(&sources[n_row_axes..], &old_lens[n_row_axes..]));
    let row_map =
        (at < n_row_axes).then(|| old_to_new(&sources[..n_row_axes], &old_lens[..n_row_axes]));
    let derived: Vec<DerivedColumn> = table
        .derived()
        .iter()
        .filter_map(|d| {
            let col = |c: usize| match &column_map {
                Some(map) => map.get(c).copied().flatten(),
                None => Some(c),
            };
            let row = |r: usize| match &row_map {
                Some(map) => map.get(r).copied().flatten(),
                None => Some(r),
            };
            Some(DerivedColumn {
                numerator_col: col(d.numerator_col)?,
                denominator_col: col(d.denominator_col)?,
                denominator_row: match d.denominator_row {
                    Some(r) => Some(row(r)?),
                    None => None,
                },
                ..d.clone()
            })
        })
        .collect();
    table.with_layout(rows, columns, cells, derived)
}

/// Old flat index -> new flat index over some axes, for indices that map one to one.
fn old_to_new(sources: &[Vec<Vec<usize>>], old_lens: &[usize]) -> Vec<Option<usize>> {
    let old_total: usize = old_lens.iter().product();
    let mut map = vec![None; old_total];
    // Per axis, old position -> new position where the new one takes exactly that one.
    let single: Vec<Vec<Option<usize>>> = sources
        .iter()
        .zip(old_lens)
        .map(|(s, &n)| {
            let mut to = vec![None; n];
            for (new, parts) in s.iter().enumerate() {
                if let [one] = parts.as_slice()
                    && let Some(slot) = to.get_mut(*one)
                {
                    *slot = Some(new);
                }
            }
            to
        })
        .collect();
    let new_lens: Vec<usize> = sources.iter().map(Vec::len).collect();
    for (old, slot) in map.iter_mut().enumerate() {
        let mut rest = old;
        let mut new = 0usize;
        let mut scale = 1usize;
        let mut whole = true;
        for ((to, &n), &new_n) in single.iter().zip(old_lens).zip(&new_lens).rev() {
            let c = rest % n.max(1);
            rest /= n.max(1);
            match to.get(c).copied().flatten() {
                Some(p) => new += p * scale,
                None => {
                    whole = false;
                    break;
                }
            }
            scale *= new_n;
        }
        if whole {
            *slot = Some(new);
        }
    }
    map
}

/// The cells of the recoded table: only axis `at` changed, position `c` of it sums the old
/// positions `sources[c]`; a gap if any part is a gap.
fn sum_cells(
    old: &[Option<u64>],
    old_lens: &[usize],
    new_lens: &[usize],
    at: usize,
    sources: &[Vec<usize>],
) -> Vec<Option<u64>> {
    // Cells are laid out with the last axis fastest: `outer` blocks of `inner` cells per
    // position of axis `at`.
    let outer: usize = old_lens[..at].iter().product();
    let inner: usize = old_lens[at + 1..].iter().product();
    let (old_n, new_n) = (old_lens[at], new_lens[at]);
    let mut cells = Vec::with_capacity(outer * new_n * inner);
    for o in 0..outer {
        for parts in sources.iter().take(new_n) {
            for i in 0..inner {
                let mut sum = Some(0u64);
                for &p in parts {
                    let cell = old.get((o * old_n + p) * inner + i).copied().flatten();
                    sum = match (sum, cell) {
                        (Some(s), Some(c)) => Some(s.saturating_add(c)),
                        _ => None,
                    };
                }
                cells.push(sum);
            }
        }
    }
    cells
}
