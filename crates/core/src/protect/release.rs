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
//! released before it ([`Recoding`], one per variable within a population), and with those
//! of each released table alone carried across the rules by which one dimension determines
//! another ([`Recoding::carried`]: the table by form of protection grouped as the table by
//! legal basis), and checked again; if no design passes, all its values are suppressed and
//! its report says why. A dimension another determines is checked as the determining one
//! (`Universe::folded`).
//!
//! Limits (docs/geheimhaltung.md, 3b): tables counted from other records (the monthly
//! series, the linked tables, the schools) are checked each for itself; bounds from
//! non-negativity across tables are checked only within a table by the cell suppression
//! audit.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::refinement::{self, View};
pub use super::universe::Universe;
use super::{
    DesignChoice, ProtectedTable, ProtectionMode, ProtectionSettings, Published, Threshold,
};
use crate::tabulate::recode::{MERGED_KEY_SEPARATOR, Recode, recode};
use crate::tabulate::{Role, Table};

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

    /// The groups carried across the rules of `universe` by which one dimension determines
    /// another (the legal basis determines the form of protection): a group of legal bases
    /// merges the forms they have, and their ancestors level by level, so a table by form
    /// shows sums of what a table by legal basis shows.
    pub fn carried(&self, universe: &Universe) -> Recoding {
        let mut out = Recoding::default();
        for (from, to, image) in universe.functions() {
            for group in self.groups(universe.dim_name(from)) {
                // Per level from the top, the keys of `to` the group's records have.
                let mut levels: Vec<BTreeSet<String>> = Vec::new();
                for (leaf, target) in image {
                    if !group.iter().any(|g| universe.rolls_up_to(from, leaf, g)) {
                        continue;
                    }
                    let lineage: Vec<&str> = universe.lineage(to, target).collect();
                    for (depth, key) in lineage.iter().rev().enumerate() {
                        if levels.len() <= depth {
                            levels.push(BTreeSet::new());
                        }
                        levels[depth].insert((*key).to_owned());
                    }
                }
                for keys in levels.into_iter().filter(|k| k.len() > 1) {
                    out.join(universe.dim_name(to), keys);
                }
            }
        }
        out
    }

    /// `table` with every group merged where it shows two or more of its members that may
    /// be merged (siblings of one role; months only as neighbours). A group whose members
    /// have different parents merges once their parents are merged (two forms of protection
    /// of two statuses), so the groups are applied until nothing changes.
    pub fn apply(&self, table: &Table) -> Table {
        let mut current = table.clone();
        loop {
            let before = current.clone();
            for axis in table.row_axes().iter().chain(table.column_axes()) {
                for group in self.groups(axis.dimension()) {
                    current = merge_group(current, axis.dimension(), group);
                }
            }
            if current == before {
                return current;
            }
        }
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

pub use super::universe::Filter;

/// Where a table's numbers come from: the universe and the filters of a Kreuztabelle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// Name of the [`Universe`].
    pub universe: String,
    /// Only what falls, for every filter, into one of its categories is counted.
    pub filters: Vec<Filter>,
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

/// How many of the planner's alternatives a table of mode `Zelle` tries under the rule of the
/// whole table before the release blanks it.
const MAX_STRICT_ALTERNATIVES: usize = 4;

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
#[derive(Clone, Debug)]
pub struct Release {
    /// Per recoding domain, the merges in force.
    recodings: BTreeMap<String, Recoding>,
    universes: Vec<Universe>,
    /// Per universe (same index), the tables released so far.
    released: Vec<Vec<Released>>,
    /// The analyst's design per table key (the planner's best where none is given).
    choices: BTreeMap<String, DesignChoice>,
    /// Most combinations of the common refinement checked as a whole.
    max_product: usize,
}

impl Default for Release {
    fn default() -> Release {
        Release::new(Vec::new())
    }
}

/// A released table: as published, in its original design, and its filters.
#[derive(Clone, Debug)]
struct Released {
    table: ProtectedTable,
    original: Table,
    filters: Vec<Filter>,
    /// The records of each cell, traced once when a later table needs them (`None`: they
    /// cannot be traced).
    atoms: OnceCell<Option<Vec<Vec<u32>>>>,
}

impl Released {
    /// The records of each cell of the published table in `universe`.
    fn atoms(&self, universe: &Universe) -> Option<&[Vec<u32>]> {
        self.atoms
            .get_or_init(|| universe.atoms_of(self.table.raw(), &self.filters))
            .as_deref()
    }

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
            choices: BTreeMap::new(),
            max_product: refinement::MAX_PRODUCT,
        }
    }

    /// The same release checking a common refinement of at most `max_product` combinations
    /// as a whole; a larger one is split into families of tables checked on their own, or
    /// (where it cannot be split) checked on the records' own combinations.
    pub fn with_max_product(mut self, max_product: usize) -> Release {
        self.max_product = max_product;
        self
    }

    /// Uses the analyst's `choices` of design (per table key) for the tables protected next.
    pub fn with_choices(mut self, choices: BTreeMap<String, DesignChoice>) -> Release {
        self.choices = choices;
        self
    }

    /// Uses `choice` for the table of `key` protected next (a Kreuztabelle made again in
    /// another design).
    pub fn choose(&mut self, key: &str, choice: DesignChoice) {
        self.choices.insert(key.to_owned(), choice);
    }

    /// The design chosen for the table of `key`.
    fn choice(&self, key: &str) -> DesignChoice {
        self.choices.get(key).copied().unwrap_or_default()
    }

    /// True if a universe of that name is known.
    pub fn has_universe(&self, name: &str) -> bool {
        self.universes.iter().any(|u| u.name() == name)
    }

    /// True if `table` (counted as `origin` says) is a sum of records of its universe: every
    /// cell equals the count of the records it holds. False for an unknown universe.
    pub fn traces(&self, table: &Table, origin: &Origin) -> bool {
        self.universes
            .iter()
            .find(|u| u.name() == origin.universe)
            .is_some_and(|u| u.atoms_of(table, &origin.filters).is_some())
    }

    /// Adds `universe` unless one of its name is known.
    pub fn add_universe(&mut self, universe: Universe) {
        if !self.has_universe(universe.name()) {
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
        let designs: Vec<super::Design> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                progress(i as u32, n);
                super::design(
                    &t.table,
                    settings,
                    &Recoding::default(),
                    self.choice(t.table.key()),
                )
            })
            .collect();
        let protected: Vec<ProtectedTable> = designs
            .into_iter()
            .map(|d| super::protect_designed(d, settings))
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
                .and_then(|o| self.universes.iter().position(|u| u.name() == o.universe));
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
            atoms: OnceCell::new(),
        };
        for u in 0..self.universes.len() {
            let mut mine: Vec<&(usize, usize, Offered)> =
                checked.iter().filter(|(_, v, _)| *v == u).collect();
            if settings.mode == ProtectionMode::Zelle {
                // One pattern per cell, largest table first: a table whose cells it contains
                // (the Stadtteile of the Baublock table) takes over its pattern, which protects
                // there too (fewer relations only widen intervals).
                mine.sort_by_key(|(i, _, _)| std::cmp::Reverse(out[*i].raw().cells().len()));
                let mut before: Vec<Released> = Vec::new();
                for (i, _, o) in &mine {
                    let filters = o.origin.as_ref().map_or(&[][..], |o| &o.filters[..]);
                    let shared = self.shared(u, &before, out[*i].raw(), filters);
                    if let Some(shared) = shared.filter(|s| !agrees(&out[*i], s)) {
                        let designed = super::design(
                            &o.table,
                            settings,
                            &self.recoding(&o.domains),
                            self.choice(o.table.key()),
                        );
                        let aligned = super::protect_shared(designed, settings, &shared);
                        if !aligned.report().all_suppressed {
                            out[*i] = aligned;
                        }
                    }
                    before.push(released(&out[*i], o));
                }
            }
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
                    let designed = super::design(
                        &o.table,
                        settings,
                        &self.recoding(&o.domains),
                        self.choice(o.table.key()),
                    );
                    // The same design again (the release's merges change nothing here, or
                    // designs are not planned) would be protected the same way; in mode
                    // `Zelle` it is protected further, keeping the cells it shares with the
                    // tables before suppressed or published as there.
                    let same = designed.table == *out[*i].raw();
                    let filters = o.origin.as_ref().map_or(&[][..], |o| &o.filters[..]);
                    let again = if !same {
                        Some(super::protect_designed(designed, settings))
                    } else if settings.mode == ProtectionMode::Zelle {
                        self.shared(u, &admitted, &designed.table, filters)
                            .filter(|shared| !shared.is_empty())
                            .map(|shared| super::protect_shared(designed, settings, &shared))
                    } else {
                        None
                    };
                    // Under the rule of the whole table, first the designs aligned with one
                    // released table each (a table by form of protection grouped as the
                    // released table by legal basis shows only sums of what that table
                    // shows), then the one with all merges.
                    let again = again.filter(|again| !again.report().all_suppressed);
                    let refused = out[*i].raw();
                    let candidates: Vec<ProtectedTable> =
                        if settings.mode == ProtectionMode::Tabelle {
                            self.aligned(u, &admitted, o, refused, settings)
                                .into_iter()
                                .chain(again)
                                .collect()
                        } else {
                            again.into_iter().collect()
                        };
                    let admitted_again = candidates
                        .into_iter()
                        .find(|t| self.admits(u, &admitted, &released(t, o), threshold));
                    // In mode `Zelle`, a table whose own pattern cannot be released is
                    // designed and protected by the stricter rule of the whole table (the
                    // office's rule) before it is blanked, in the planner's alternatives from
                    // the finest: a coarser table without any value of 1 or 2 often passes
                    // where a pattern of suppressed cells cannot.
                    let admitted_again = admitted_again.or_else(|| {
                        if settings.mode != ProtectionMode::Zelle {
                            return None;
                        }
                        let strict = ProtectionSettings {
                            mode: ProtectionMode::Tabelle,
                            ..*settings
                        };
                        (0..MAX_STRICT_ALTERNATIVES).find_map(|k| {
                            let designed = super::design(
                                &o.table,
                                &strict,
                                &self.recoding(&o.domains),
                                DesignChoice::Planned(k),
                            );
                            if k > 0 && designed.info.chosen != Some(k) {
                                return None;
                            }
                            Some(
                                super::protect_designed(designed, &strict)
                                    .by_table_rule_for_release(),
                            )
                            .filter(|strict| {
                                !strict.report().all_suppressed
                                    && self.admits(u, &admitted, &released(strict, o), threshold)
                            })
                        })
                    });
                    // In mode `Zelle` the aligned designs come last (planned only if needed).
                    let admitted_again = admitted_again.or_else(|| {
                        if settings.mode == ProtectionMode::Tabelle {
                            return None;
                        }
                        self.aligned(u, &admitted, o, refused, settings)
                            .into_iter()
                            .find(|t| self.admits(u, &admitted, &released(t, o), threshold))
                    });
                    if let Some(again) = admitted_again {
                        admitted.push(released(&again, o));
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

    /// Designs of the table `offered` with the merges of one table released in universe `u`
    /// (or `admitted`) each, carried across the universe's rules ([`Recoding::carried`]),
    /// planned further where they still have a value of 1 or 2; by the rule of the whole
    /// table (the office's rule), other than the `refused` design. First those aligned with
    /// a table by the determining dimension's finest level (the table by legal basis: the
    /// design shows only sums of what it shows, so it passes where that table did), then
    /// the others; of these the one publishing the most values first. Empty for original
    /// designs and for a table that shows no dimension such a rule determines (the table by
    /// form of protection has one): each design is checked against the whole release.
    fn aligned(
        &self,
        u: usize,
        admitted: &[Released],
        offered: &Offered,
        refused: &Table,
        settings: &ProtectionSettings,
    ) -> Vec<ProtectedTable> {
        let universe = &self.universes[u];
        let table = &offered.table;
        let determined = table.row_axes().iter().chain(table.column_axes()).any(|a| {
            universe
                .functions()
                .any(|(_, to, _)| universe.dim_name(to) == a.dimension())
        });
        if settings.design != super::TableDesign::Geplant || !determined {
            return Vec::new();
        }
        let strict = ProtectionSettings {
            mode: ProtectionMode::Tabelle,
            ..*settings
        };
        let mut tables: Vec<Table> = vec![refused.clone()];
        let mut out: Vec<((bool, usize), ProtectedTable)> = Vec::new();
        // True if `table` shows a dimension that determines another at its finest level.
        let finest = |table: &Table| {
            table.row_axes().iter().chain(table.column_axes()).any(|a| {
                universe.functions().any(|(from, _, _)| {
                    universe.dim_name(from) == a.dimension()
                        && a.positions().iter().all(|p| {
                            p.role != Role::Category
                                || p.key
                                    .split(MERGED_KEY_SEPARATOR)
                                    .all(|k| universe.leaf_index(from, k).is_some())
                        })
                })
            })
        };
        for earlier in self.released[u].iter().chain(admitted) {
            let mut recoding = Recoding::default();
            if !recoding.absorb(earlier.table.raw()) {
                continue;
            }
            let carried = recoding.carried(universe);
            recoding.extend(&carried);
            let designed = super::design(
                &offered.table,
                &strict,
                &recoding,
                self.choice(offered.table.key()),
            );
            if tables.contains(&designed.table) {
                continue;
            }
            tables.push(designed.table.clone());
            let mut protected = super::protect_designed(designed, &strict);
            if protected.report().all_suppressed {
                continue;
            }
            if settings.mode != ProtectionMode::Tabelle {
                protected = protected.by_table_rule_for_release();
            }
            let derived = finest(earlier.table.raw());
            out.push(((derived, protected.published_values()), protected));
        }
        out.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
        out.into_iter().map(|(_, t)| t).collect()
    }

    /// What the tables released in universe `u` (and `admitted`) fix about the cells of
    /// `table`: a cell holding exactly the records of a cell published there is known, one
    /// of a cell only suppressed there must be suppressed too. `None` if the table's cells
    /// cannot be traced to the universe's records.
    fn shared(
        &self,
        u: usize,
        admitted: &[Released],
        table: &Table,
        filters: &[Filter],
    ) -> Option<super::cell::Shared> {
        let universe = &self.universes[u];
        let mine = universe.atoms_of(table, filters)?;
        let earlier: Vec<(&[Vec<u32>], &ProtectedTable)> = self.released[u]
            .iter()
            .chain(admitted)
            .filter_map(|r| Some((r.atoms(universe)?, &r.table)))
            .collect();
        // Per set of records: true if some table published it.
        let mut state: HashMap<&[u32], bool> = HashMap::new();
        for (atoms, t) in &earlier {
            let n_cols = t.n_cols().max(1);
            for (i, held) in atoms.iter().enumerate() {
                let published = match t.cell(i / n_cols, i % n_cols) {
                    Published::Value(_) | Published::Zero => true,
                    Published::Suppressed => false,
                    _ => continue,
                };
                if !held.is_empty() {
                    *state.entry(held.as_slice()).or_insert(published) |= published;
                }
            }
        }
        let mut shared = super::cell::Shared {
            forced: vec![false; mine.len()],
            known: vec![false; mine.len()],
        };
        for (i, held) in mine.iter().enumerate() {
            match state.get(held.as_slice()) {
                Some(true) => shared.known[i] = true,
                Some(false) => shared.forced[i] = true,
                None => {}
            }
        }
        Some(shared)
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
        // A dimension another determines (the form of protection, by the legal basis) is
        // checked as the determining one: one dimension where the rule makes two.
        let folded: Vec<Option<(ProtectedTable, Table, Vec<Filter>)>> = views
            .iter()
            .map(|v| {
                let (table, filters) = universe.folded(v.table.raw(), v.filters)?;
                let original = universe
                    .folded(v.original, v.filters)
                    .map_or_else(|| v.original.clone(), |(original, _)| original);
                Some((v.table.with_raw(table), original, filters))
            })
            .collect();
        let views: Vec<View<'_>> = views
            .iter()
            .zip(&folded)
            .map(|(v, f)| match f {
                Some((table, original, filters)) => View {
                    table,
                    original,
                    filters,
                },
                None => *v,
            })
            .collect();
        let views = &views[..];
        let tied = universe.ties_used(views.iter().flat_map(|v| {
            let t = v.table.raw();
            t.row_axes()
                .iter()
                .chain(t.column_axes())
                .map(|a| a.dimension())
                .chain(v.filters.iter().map(|(d, _)| d.as_str()))
        }));
        match super::split::discloses(universe, views, threshold, self.max_product) {
            // Both dimensions of a rule (the sex and the assigned sex) in one release: the
            // refinement does not see every difference between them, the stricter check does.
            Some(false) if tied => {}
            Some(found) => return found,
            None => {}
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
        let designed = super::design(
            &table,
            settings,
            &self.recoding(&domains),
            self.choice(table.key()),
        );
        let protected = super::protect_designed(designed, settings);
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

/// True if `table` already suppresses every non-zero cell `shared` forces and no cell it
/// knows.
fn agrees(table: &ProtectedTable, shared: &super::cell::Shared) -> bool {
    let suppressed = table.suppressed_mask();
    let values = table.raw().cells();
    suppressed.iter().enumerate().all(|(c, &s)| {
        let forced = shared.forced.get(c).copied().unwrap_or(false)
            && values.get(c).copied().flatten().is_some_and(|n| n > 0);
        let known = shared.known.get(c).copied().unwrap_or(false);
        (!forced || s) && (!known || !s)
    })
}
