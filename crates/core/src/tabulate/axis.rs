//! Compiled axes: a dimension as laid out on the rows or columns of one table, as an ordered
//! list of positions (categories, subtotals, named sums, total), each sum knowing its parts.

use std::collections::{HashMap, HashSet};

use super::def::{AxisDef, DimensionDef, TOTAL_KEY};
use super::error::TabulateError;

/// What a position of an axis stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A category of the finest level shown: counted directly.
    Category,
    /// A category of a coarser level: the sum of its children.
    Subtotal,
    /// A named sum of the dimension.
    Sum,
    /// The total over the dimension.
    Total,
}

/// One row or column heading of an axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// Key (category key, sum key or [`TOTAL_KEY`]).
    pub key: String,
    /// German label.
    pub label: String,
    /// Indentation depth (0 for the coarsest level, sums and the total).
    pub depth: u8,
    /// What the position stands for.
    pub role: Role,
    /// Indices (in this axis) of the positions this one is the sum of; empty for categories.
    pub parts: Vec<usize>,
    /// The affinities of the categories it holds ([`super::CategoryDef::affinity`]), sorted;
    /// empty where none is given.
    pub affinity: Vec<String>,
}

impl Position {
    /// True for subtotals, sums and totals (margins), false for counted categories.
    pub fn is_margin(&self) -> bool {
        self.role != Role::Category
    }
}

/// A dimension laid out on one axis of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    dimension: String,
    label: String,
    positions: Vec<Position>,
}

impl Axis {
    /// An axis from its positions (parts by index into `positions`).
    pub(crate) fn from_positions(dimension: &str, label: &str, positions: Vec<Position>) -> Axis {
        Axis {
            dimension: dimension.to_owned(),
            label: label.to_owned(),
            positions,
        }
    }

    /// Key of the dimension.
    pub fn dimension(&self) -> &str {
        &self.dimension
    }

    /// German label of the dimension (header of its label column).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The positions in display order.
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    /// Index of the position with `key`.
    pub fn position_index(&self, key: &str) -> Option<usize> {
        self.positions.iter().position(|p| p.key == key)
    }

    /// Positions in an order where every sum comes after its parts.
    pub(crate) fn evaluation_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.positions.len());
        let mut done = vec![false; self.positions.len()];
        // Parts always have a finite depth in the definition graph (validated acyclic), so a
        // fixed number of sweeps suffices; each sweep adds every position whose parts are done.
        for _ in 0..=self.positions.len() {
            let mut progressed = false;
            for (i, p) in self.positions.iter().enumerate() {
                if !done[i] && p.parts.iter().all(|&q| done[q]) {
                    done[i] = true;
                    order.push(i);
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }
        order
    }
}

/// An axis plus what the builder needs to count into it.
#[derive(Clone, Debug)]
pub(crate) struct CompiledAxis {
    pub axis: Axis,
    /// Key (of the shown level or finer) -> leaf ordinal.
    pub lookup: HashMap<String, usize>,
    /// Leaf ordinal -> position index.
    pub leaves: Vec<usize>,
}

struct Draft {
    key: String,
    label: String,
    depth: u8,
    role: Role,
    part_keys: Vec<String>,
    affinity: Vec<String>,
}

fn invalid(dimension: &DimensionDef, detail: String) -> TabulateError {
    TabulateError::InvalidDimension {
        dimension: dimension.key.clone(),
        detail,
    }
}

/// Checks a dimension definition: levels, unique keys, parents, sums.
pub(crate) fn validate_dimension(dim: &DimensionDef) -> Result<(), TabulateError> {
    if dim.levels.is_empty() {
        return Err(invalid(dim, "sie hat keine Ebene".into()));
    }
    let mut keys: HashSet<&str> = HashSet::new();
    for (depth, level) in dim.levels.iter().enumerate() {
        if level.categories.is_empty() {
            return Err(invalid(
                dim,
                format!("die Ebene „{}“ hat keine Kategorie", level.label),
            ));
        }
        let coarser: HashSet<&str> = if depth == 0 {
            HashSet::new()
        } else {
            dim.levels[depth - 1]
                .categories
                .iter()
                .map(|c| c.key.as_str())
                .collect()
        };
        for cat in &level.categories {
            if cat.key == TOTAL_KEY || !keys.insert(cat.key.as_str()) {
                return Err(invalid(
                    dim,
                    format!("der Schlüssel „{}“ ist doppelt oder reserviert", cat.key),
                ));
            }
            match (&cat.parent, depth) {
                (None, 0) => {}
                (Some(_), 0) => {
                    return Err(invalid(
                        dim,
                        format!(
                            "„{}“ auf der obersten Ebene darf keine übergeordnete Kategorie haben",
                            cat.key
                        ),
                    ));
                }
                (Some(parent), _) if coarser.contains(parent.as_str()) => {}
                _ => {
                    return Err(invalid(
                        dim,
                        format!(
                            "„{}“ braucht eine übergeordnete Kategorie der Ebene „{}“",
                            cat.key,
                            dim.levels[depth - 1].label
                        ),
                    ));
                }
            }
        }
    }
    let finest: HashSet<&str> = dim
        .levels
        .last()
        .map(|l| l.categories.iter().map(|c| c.key.as_str()).collect())
        .unwrap_or_default();
    let mut sums_so_far: HashSet<&str> = HashSet::new();
    for sum in &dim.sums {
        if sum.key == TOTAL_KEY || !keys.insert(sum.key.as_str()) {
            return Err(invalid(
                dim,
                format!("der Schlüssel „{}“ ist doppelt oder reserviert", sum.key),
            ));
        }
        let mut parts: HashSet<&str> = HashSet::new();
        if sum.of.is_empty() {
            return Err(invalid(dim, format!("die Summe „{}“ ist leer", sum.key)));
        }
        for part in &sum.of {
            let known = finest.contains(part.as_str()) || sums_so_far.contains(part.as_str());
            if !known || !parts.insert(part.as_str()) {
                return Err(invalid(
                    dim,
                    format!(
                        "die Summe „{}“ nennt „{part}“, das keine Kategorie der feinsten Ebene \
                         oder frühere Summe ist (oder doppelt vorkommt)",
                        sum.key
                    ),
                ));
            }
        }
        sums_so_far.insert(sum.key.as_str());
    }
    Ok(())
}

/// Lays out `dim` as described by `def`.
pub(crate) fn compile(def: &AxisDef, dim: &DimensionDef) -> Result<CompiledAxis, TabulateError> {
    validate_dimension(dim)?;
    let shown = match &def.level {
        None => dim.levels.len() - 1,
        Some(level) => dim
            .levels
            .iter()
            .position(|l| &l.key == level)
            .ok_or_else(|| TabulateError::UnknownLevel {
                dimension: dim.key.clone(),
                level: level.clone(),
            })?,
    };
    if !dim.sums.is_empty() && shown + 1 != dim.levels.len() {
        return Err(invalid(
            dim,
            "ihre Summen setzen voraus, dass die feinste Ebene gezeigt wird".into(),
        ));
    }

    let mut drafts: Vec<Draft> = Vec::new();
    let mut top_keys: Vec<String> = Vec::new();
    if def.subtotals && shown > 0 {
        outline(dim, 0, None, shown, &mut drafts);
        top_keys = dim.levels[0]
            .categories
            .iter()
            .map(|c| c.key.clone())
            .collect();
    } else {
        for cat in &dim.levels[shown].categories {
            top_keys.push(cat.key.clone());
            drafts.push(Draft {
                key: cat.key.clone(),
                label: cat.label.clone(),
                depth: 0,
                role: Role::Category,
                part_keys: Vec::new(),
                affinity: cat.affinity.iter().cloned().collect(),
            });
        }
    }
    for sum in &dim.sums {
        drafts.push(Draft {
            key: sum.key.clone(),
            label: sum.label.clone(),
            depth: 0,
            role: Role::Sum,
            part_keys: sum.of.clone(),
            affinity: Vec::new(),
        });
    }
    if let Some(label) = &def.total {
        let total = Draft {
            key: TOTAL_KEY.to_owned(),
            label: label.clone(),
            depth: 0,
            role: Role::Total,
            part_keys: top_keys,
            affinity: Vec::new(),
        };
        if def.total_first {
            drafts.insert(0, total);
        } else {
            drafts.push(total);
        }
    }

    let index: HashMap<String, usize> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.key.clone(), i))
        .collect();
    let positions: Vec<Position> = drafts
        .into_iter()
        .map(|d| Position {
            parts: d
                .part_keys
                .iter()
                .filter_map(|k| index.get(k).copied())
                .collect(),
            key: d.key,
            label: d.label,
            depth: d.depth,
            role: d.role,
            affinity: d.affinity,
        })
        .collect();
    let leaves: Vec<usize> = positions
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == Role::Category)
        .map(|(i, _)| i)
        .collect();
    let ordinal: HashMap<&str, usize> = leaves
        .iter()
        .enumerate()
        .map(|(o, &i)| (positions[i].key.as_str(), o))
        .collect();

    // Every key of the shown level and below maps to the leaf it rolls up to.
    let mut lookup: HashMap<String, usize> = HashMap::new();
    let mut ancestor: HashMap<&str, usize> = HashMap::new();
    for cat in &dim.levels[shown].categories {
        if let Some(&o) = ordinal.get(cat.key.as_str()) {
            ancestor.insert(cat.key.as_str(), o);
        }
    }
    for level in &dim.levels[shown + 1..] {
        let mut next: HashMap<&str, usize> = HashMap::new();
        for cat in &level.categories {
            if let Some(&o) = cat.parent.as_deref().and_then(|p| ancestor.get(p)) {
                next.insert(cat.key.as_str(), o);
            }
        }
        for (k, o) in &ancestor {
            lookup.insert((*k).to_owned(), *o);
        }
        ancestor = next;
    }
    for (k, o) in ancestor {
        lookup.insert(k.to_owned(), o);
    }

    Ok(CompiledAxis {
        axis: Axis {
            dimension: dim.key.clone(),
            label: dim.levels[shown].label.clone(),
            positions,
        },
        lookup,
        leaves,
    })
}

/// Depth-first outline of the hierarchy from `depth` down to `shown`: each coarser category
/// followed by its children.
fn outline(
    dim: &DimensionDef,
    depth: usize,
    parent: Option<&str>,
    shown: usize,
    out: &mut Vec<Draft>,
) {
    let Some(level) = dim.levels.get(depth) else {
        return;
    };
    for cat in &level.categories {
        if cat.parent.as_deref() != parent && depth > 0 {
            continue;
        }
        let depth_u8 = u8::try_from(depth).unwrap_or(u8::MAX);
        if depth == shown {
            out.push(Draft {
                key: cat.key.clone(),
                label: cat.label.clone(),
                depth: depth_u8,
                role: Role::Category,
                part_keys: Vec::new(),
                affinity: cat.affinity.iter().cloned().collect(),
            });
        } else {
            let children: Vec<String> = dim.levels[depth + 1]
                .categories
                .iter()
                .filter(|c| c.parent.as_deref() == Some(cat.key.as_str()))
                .map(|c| c.key.clone())
                .collect();
            out.push(Draft {
                key: cat.key.clone(),
                label: cat.label.clone(),
                depth: depth_u8,
                role: Role::Subtotal,
                part_keys: children,
                affinity: cat.affinity.iter().cloned().collect(),
            });
            outline(dim, depth + 1, Some(cat.key.as_str()), shown, out);
        }
    }
}
