//! ALW records at a reference date (Stichtag): category and sub-category of every record,
//! expired titles flagged (kept or dropped by a setting), counts, the Destatis grouping, the
//! "needs mapping" list and the conflicts between Erteilungsgrund and Aufenthaltsart.

use std::collections::{BTreeMap, HashMap};

use super::rules::{BasisOutcome, Classification, DecidedBy, Rules};
use super::{Category, DestatisGroup, natural_cmp};
use crate::intern::{StringPool, Sym};
use crate::records::{Date, Foreigner};

/// What to do with records whose title expired before the reference date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExpiredTitles {
    /// Count them, flagged (default: the register still lists the person).
    #[default]
    Keep,
    /// Leave them out of the counts.
    Drop,
}

/// Settings of a snapshot classification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnapshotOptions {
    /// Stichtag; without it no title counts as expired.
    pub reference_date: Option<Date>,
    /// Expired titles kept or dropped.
    pub expired: ExpiredTitles,
}

/// The result for one record (same order as the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordResult {
    /// Index into [`Snapshot::classes`].
    pub class: u32,
    /// `gültig bis` lies before the reference date.
    pub expired: bool,
    /// Counted (false only for expired titles with [`ExpiredTitles::Drop`]).
    pub counted: bool,
}

/// Why a value needs a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapKind {
    /// The Erteilungsgrund is not a readable citation.
    Unparsable,
    /// A readable citation without a rule.
    NoRule,
    /// No Erteilungsgrund and an Aufenthaltsart without a rule.
    ResidenceKind,
}

impl GapKind {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            GapKind::Unparsable => "Erteilungsgrund nicht lesbar",
            GapKind::NoRule => "keine Regel für den Erteilungsgrund",
            GapKind::ResidenceKind => "ohne Erteilungsgrund, Aufenthaltsart ohne Regel",
        }
    }
}

/// A value of the "needs mapping" list (legal texts, never personal data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingGap {
    /// Why.
    pub kind: GapKind,
    /// The value: the Erteilungsgrund as written (unparsable), its canonical form (no rule) or
    /// the Aufenthaltsart (`(leer)` if empty).
    pub value: String,
    /// Records with this value.
    pub count: u64,
    /// Of these, records the Aufenthaltsart still classified.
    pub classified_by_residence_kind: u64,
}

/// Records where Erteilungsgrund and Aufenthaltsart disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictCount {
    /// Aufenthaltsart as written.
    pub residence_kind: String,
    /// The legal basis, canonical.
    pub legal_basis: String,
    /// The category that was chosen.
    pub chosen: Category,
    /// The category of the other side.
    pub other: Category,
    /// Records.
    pub count: u64,
}

/// Counted records of one sub-category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubCount {
    /// Category (`None` = not classified).
    pub category: Option<Category>,
    /// Sub-category label (empty if not classified).
    pub sub_category: String,
    /// Counted records.
    pub count: u64,
}

/// The classification of an ALW export at a reference date.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Options used.
    pub options: SnapshotOptions,
    /// Distinct classifications (one per distinct Aufenthaltsart and Erteilungsgrund).
    pub classes: Vec<Classification>,
    /// One result per input record.
    pub records: Vec<RecordResult>,
    /// Counted records by category and sub-category, in report order.
    pub sub_counts: Vec<SubCount>,
    /// The "needs mapping" list, most frequent first.
    pub needs_mapping: Vec<MappingGap>,
    /// Conflicts between Erteilungsgrund and Aufenthaltsart, most frequent first.
    pub conflicts: Vec<ConflictCount>,
    /// Records with an expired title (kept or dropped).
    pub expired: u64,
    /// Records left out (expired and dropped).
    pub dropped: u64,
    /// Per switch of the rules ([`Rules::switches`]): counted records whose category the
    /// switch decides (flipping it would change their category).
    pub switch_effects: Vec<(String, u64)>,
}

impl Snapshot {
    /// Classifies ALW records (from one export) with `rules`.
    pub fn compute<'a>(
        pool: &StringPool,
        records: impl IntoIterator<Item = &'a Foreigner>,
        rules: &Rules,
        options: SnapshotOptions,
    ) -> Snapshot {
        let mut index: HashMap<(Sym, Sym), u32> = HashMap::new();
        let mut snapshot = Snapshot {
            options,
            ..Snapshot::default()
        };
        // The rules with each switch flipped; per class, which switches decide its category.
        let flipped: Vec<(String, Rules)> = rules
            .switches()
            .into_iter()
            .map(|(name, on)| {
                let mut other = rules.clone();
                other.set_switch(&name, !on);
                (name, other)
            })
            .collect();
        let mut decided_by_switch: Vec<Vec<bool>> = Vec::new();
        let mut effects = vec![0u64; flipped.len()];
        let mut subs: BTreeMap<(Option<Category>, String), u64> = BTreeMap::new();
        let mut gaps: BTreeMap<(GapKind, String), (u64, u64)> = BTreeMap::new();
        let mut conflicts: BTreeMap<(String, String, Category, Category), u64> = BTreeMap::new();
        for f in records {
            let pair = (f.residence_kind, f.legal_basis);
            let class = match index.get(&pair) {
                Some(&c) => c,
                None => {
                    let c = snapshot.classes.len() as u32;
                    let (kind, basis) = (pool.get(f.residence_kind), pool.get(f.legal_basis));
                    let classification = rules.classify(kind, basis);
                    decided_by_switch.push(
                        flipped
                            .iter()
                            .map(|(_, other)| {
                                other.classify(kind, basis).category != classification.category
                            })
                            .collect(),
                    );
                    snapshot.classes.push(classification);
                    index.insert(pair, c);
                    c
                }
            };
            let Some(classification) = snapshot.classes.get(class as usize) else {
                continue;
            };
            let expired = matches!(
                (f.valid_until, options.reference_date),
                (Some(until), Some(stichtag)) if until < stichtag
            );
            let counted = !(expired && options.expired == ExpiredTitles::Drop);
            snapshot.expired += u64::from(expired);
            snapshot.dropped += u64::from(!counted);
            snapshot.records.push(RecordResult {
                class,
                expired,
                counted,
            });
            if counted {
                *subs
                    .entry((classification.category, classification.sub_category.clone()))
                    .or_default() += 1;
                if let Some(decides) = decided_by_switch.get(class as usize) {
                    for (n, d) in effects.iter_mut().zip(decides) {
                        *n += u64::from(*d);
                    }
                }
            }
            let by_kind = u64::from(classification.decided_by == DecidedBy::ResidenceKind);
            let gap = match (&classification.basis, classification.decided_by) {
                (BasisOutcome::Unparsable, _) => Some((
                    GapKind::Unparsable,
                    pool.get(f.legal_basis).trim().to_string(),
                )),
                (BasisOutcome::NoRule(b), _) => Some((GapKind::NoRule, b.to_string())),
                (BasisOutcome::Empty, DecidedBy::Nothing) => {
                    let kind = pool.get(f.residence_kind).trim();
                    let value = if kind.is_empty() { "(leer)" } else { kind };
                    Some((GapKind::ResidenceKind, value.to_string()))
                }
                _ => None,
            };
            if let Some(key) = gap {
                let entry = gaps.entry(key).or_default();
                entry.0 += 1;
                entry.1 += by_kind;
            }
            if let (Some(other), Some(chosen)) =
                (classification.conflict_with, classification.category)
            {
                let basis = match &classification.basis {
                    BasisOutcome::Rule(b) | BasisOutcome::NoRule(b) => b.to_string(),
                    BasisOutcome::Empty | BasisOutcome::Unparsable => String::new(),
                };
                *conflicts
                    .entry((
                        pool.get(f.residence_kind).trim().to_string(),
                        basis,
                        chosen,
                        other,
                    ))
                    .or_default() += 1;
            }
        }
        let mut sub_counts: Vec<SubCount> = subs
            .into_iter()
            .map(|((category, sub_category), count)| SubCount {
                category,
                sub_category,
                count,
            })
            .collect();
        // Categories in report order, unclassified last; sub-categories in legal order.
        sub_counts.sort_by(|a, b| {
            let rank = |c: Option<Category>| c.map_or(Category::ALL.len(), |c| c as usize);
            rank(a.category)
                .cmp(&rank(b.category))
                .then_with(|| natural_cmp(&a.sub_category, &b.sub_category))
        });
        snapshot.sub_counts = sub_counts;
        snapshot.switch_effects = flipped
            .into_iter()
            .map(|(name, _)| name)
            .zip(effects)
            .collect();
        let mut needs: Vec<MappingGap> = gaps
            .into_iter()
            .map(|((kind, value), (count, by_kind))| MappingGap {
                kind,
                value,
                count,
                classified_by_residence_kind: by_kind,
            })
            .collect();
        needs.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.value.cmp(&b.value))
        });
        snapshot.needs_mapping = needs;
        let mut conflicts: Vec<ConflictCount> = conflicts
            .into_iter()
            .map(
                |((residence_kind, legal_basis, chosen, other), count)| ConflictCount {
                    residence_kind,
                    legal_basis,
                    chosen,
                    other,
                    count,
                },
            )
            .collect();
        conflicts.sort_by_key(|c| std::cmp::Reverse(c.count));
        snapshot.conflicts = conflicts;
        snapshot
    }

    /// The classification of the `i`-th input record.
    pub fn class_of(&self, i: usize) -> Option<&Classification> {
        self.records
            .get(i)
            .and_then(|r| self.classes.get(r.class as usize))
    }

    /// Counted records.
    pub fn counted(&self) -> u64 {
        self.sub_counts.iter().map(|s| s.count).sum()
    }

    /// Counted records per category (every category, zeros included), then the unclassified.
    pub fn by_category(&self) -> Vec<(Option<Category>, u64)> {
        let mut out: Vec<(Option<Category>, u64)> = Category::ALL
            .into_iter()
            .map(|c| {
                let n = self
                    .sub_counts
                    .iter()
                    .filter(|s| s.category == Some(c))
                    .map(|s| s.count)
                    .sum();
                (Some(c), n)
            })
            .collect();
        out.push((None, self.unclassified()));
        out
    }

    /// Counted refugees (the four categories).
    pub fn refugees(&self) -> u64 {
        self.sub_counts
            .iter()
            .filter(|s| s.category.is_some_and(Category::is_refugee))
            .map(|s| s.count)
            .sum()
    }

    /// Counted records without a category.
    pub fn unclassified(&self) -> u64 {
        self.sub_counts
            .iter()
            .filter(|s| s.category.is_none())
            .map(|s| s.count)
            .sum()
    }

    /// Records whose Erteilungsgrund is not readable (counted or not).
    pub fn unparsable(&self) -> u64 {
        self.needs_mapping
            .iter()
            .filter(|g| g.kind == GapKind::Unparsable)
            .map(|g| g.count)
            .sum()
    }

    /// Counted refugees in Destatis' grouping of Schutzsuchende.
    pub fn destatis(&self) -> Vec<(DestatisGroup, u64)> {
        DestatisGroup::ALL
            .into_iter()
            .map(|g| {
                let n = self
                    .sub_counts
                    .iter()
                    .filter(|s| s.category.and_then(Category::destatis_group) == Some(g))
                    .map(|s| s.count)
                    .sum();
                (g, n)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{Address, BirthDate, Names, Origin, Sex};

    fn foreigner(pool: &mut StringPool, kind: &str, basis: &str, until: Option<Date>) -> Foreigner {
        Foreigner {
            origin: Origin {
                file: 0,
                sheet: 0,
                row: 0,
            },
            azr_number: Sym::EMPTY,
            names: Names {
                family: pool.intern("X"),
                given: pool.intern("Y"),
                birth: Sym::EMPTY,
            },
            birth_date: BirthDate {
                year: 1990,
                month: 1,
                day: 1,
            },
            sex: Sex::Female,
            nationality: None,
            residence_kind: pool.intern(kind),
            legal_basis: pool.intern(basis),
            issued_on: None,
            valid_until: until,
            entry_date: None,
            address: Address::default(),
            move_in: None,
        }
    }

    fn d(y: u16, m: u8, day: u8) -> Option<Date> {
        Date::new(y, m, day)
    }

    fn sample(pool: &mut StringPool) -> Vec<Foreigner> {
        let ae = "Aufenthaltserlaubnis";
        vec![
            foreigner(pool, "Duldung", "§ 60a Abs. 2 S. 1 AufenthG", d(2026, 1, 1)),
            foreigner(pool, "Duldung", "60 a AufenthG", d(2026, 12, 31)),
            foreigner(pool, "Aufenthaltsgestattung", "§ 55 AsylVfG", None),
            foreigner(pool, "Ankunftsnachweis", "§ 63a AsylG", None),
            foreigner(pool, ae, "25 II AufenthG", None),
            foreigner(pool, ae, "AufenthG 25/2", None),
            foreigner(pool, ae, "§ 104c AufenthG", None),
            foreigner(pool, "Duldung", "§ 25 Abs. 2 AufenthG", None),
            foreigner(pool, "Duldung", "§ 25 Abs. 2 AufenthG", None),
            foreigner(pool, ae, "siehe Akte", None),
            foreigner(pool, ae, "siehe Akte", None),
            foreigner(pool, "Duldung", "siehe Akte", None),
            foreigner(pool, ae, "§ 60 Abs. 5 AufenthG", None),
            foreigner(pool, "", "", None),
            foreigner(pool, ae, "§ 18b AufenthG", None),
            foreigner(
                pool,
                "Grenzübertrittsbescheinigung",
                "§ 50 Abs. 1 AufenthG",
                None,
            ),
        ]
    }

    #[test]
    fn counts_by_category_and_sub_category() {
        let mut pool = StringPool::new();
        let records = sample(&mut pool);
        let s = Snapshot::compute(
            &pool,
            &records,
            &Rules::default(),
            SnapshotOptions::default(),
        );
        let subs: Vec<(Option<&str>, &str, u64)> = s
            .sub_counts
            .iter()
            .map(|c| {
                (
                    c.category.map(Category::code),
                    c.sub_category.as_str(),
                    c.count,
                )
            })
            .collect();
        assert_eq!(
            subs,
            [
                (Some("Ankunftsnachweis"), "§ 63a AsylG", 1),
                (Some("Gestattung"), "§ 55 AsylG", 1),
                (Some("Duldung"), "§ 60a", 3),
                (Some("Humanitaer"), "§ 25 Abs. 2", 4),
                (Some("Humanitaer"), "§ 104c", 1),
                (Some("sonstige"), "§ 50", 1),
                (Some("kein Fluechtling"), "§ 18b", 1),
                (None, "", 4),
            ]
        );
        assert_eq!(s.refugees(), 10);
        assert_eq!(s.counted(), 16);
        assert_eq!(s.unclassified(), 4);
        assert_eq!(
            s.destatis(),
            [
                (DestatisGroup::Offen, 2),
                (DestatisGroup::Anerkannt, 5),
                (DestatisGroup::Abgelehnt, 3)
            ]
        );
        assert_eq!(s.class_of(4).unwrap().sub_category, "§ 25 Abs. 2");
        assert_eq!(s.classes.len(), 14, "classified once per distinct pair");
        let by_cat = s.by_category();
        assert_eq!(by_cat.len(), 7);
        assert_eq!(by_cat[6], (None, 4));
    }

    #[test]
    fn needs_mapping_and_conflicts_are_listed_with_counts() {
        let mut pool = StringPool::new();
        let records = sample(&mut pool);
        let s = Snapshot::compute(
            &pool,
            &records,
            &Rules::default(),
            SnapshotOptions::default(),
        );
        let gaps: Vec<(GapKind, &str, u64, u64)> = s
            .needs_mapping
            .iter()
            .map(|g| {
                (
                    g.kind,
                    g.value.as_str(),
                    g.count,
                    g.classified_by_residence_kind,
                )
            })
            .collect();
        assert_eq!(
            gaps,
            [
                (GapKind::Unparsable, "siehe Akte", 3, 1),
                (GapKind::NoRule, "§ 60 Abs. 5 AufenthG", 1, 0),
                (GapKind::ResidenceKind, "(leer)", 1, 0),
            ]
        );
        assert_eq!(s.unparsable(), 3);
        assert_eq!(s.conflicts.len(), 1);
        let c = &s.conflicts[0];
        assert_eq!(
            (
                c.residence_kind.as_str(),
                c.legal_basis.as_str(),
                c.chosen,
                c.other,
                c.count
            ),
            (
                "Duldung",
                "§ 25 Abs. 2 AufenthG",
                Category::Humanitaer,
                Category::Duldung,
                2
            )
        );
    }

    #[test]
    fn expired_titles_are_flagged_and_kept_or_dropped() {
        let mut pool = StringPool::new();
        let records = sample(&mut pool);
        let rules = Rules::default();
        let keep = SnapshotOptions {
            reference_date: d(2026, 10, 31),
            expired: ExpiredTitles::Keep,
        };
        let s = Snapshot::compute(&pool, &records, &rules, keep);
        assert_eq!((s.expired, s.dropped, s.counted()), (1, 0, 16));
        assert!(s.records[0].expired && s.records[0].counted);
        assert!(!s.records[1].expired);
        let drop = SnapshotOptions {
            expired: ExpiredTitles::Drop,
            ..keep
        };
        let s = Snapshot::compute(&pool, &records, &rules, drop);
        assert_eq!((s.expired, s.dropped, s.counted()), (1, 1, 15));
        assert!(!s.records[0].counted);
        assert_eq!(
            s.sub_counts
                .iter()
                .find(|c| c.sub_category == "§ 60a")
                .map(|c| c.count),
            Some(2)
        );
        let no_date = Snapshot::compute(&pool, &records, &rules, SnapshotOptions::default());
        assert_eq!(no_date.expired, 0, "without a Stichtag nothing expires");
    }

    #[test]
    fn the_104c_switch_moves_the_count() {
        let mut pool = StringPool::new();
        let records = sample(&mut pool);
        let mut rules = Rules::default();
        rules.set_switch(super::super::rules::SWITCH_104C, false);
        let s = Snapshot::compute(&pool, &records, &rules, SnapshotOptions::default());
        assert_eq!(s.refugees(), 9);
        assert!(
            s.sub_counts.iter().any(
                |c| c.category == Some(Category::KeinFluechtling) && c.sub_category == "§ 104c"
            )
        );
    }
}
