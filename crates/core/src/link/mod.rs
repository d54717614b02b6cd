//! Record linkage across registers without a shared identifier (issue 7): EWO-ALW,
//! Meldewesen, AKDN sozial and SchILD-NRW linked by person.
//!
//! The pipeline: every record becomes a [`LinkRecord`] (names as ids of distinct normalised
//! names, birth date, sex, address key and Baublock), built by a [`Prepared`] that normalises
//! and codes each distinct name once. [`link`] then blocks ([`block`]), compares
//! ([`compare`]), estimates a Fellegi-Sunter model by EM with u from random pairs and
//! term-frequency adjustment ([`model`]), and assigns one-to-one ([`assign`]).
//! [`explain`] shows the weight of any candidate pair per comparison, for the analyst's screen.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod assign;
pub mod block;
pub mod compare;
pub mod eval;
pub mod jaro;
pub mod model;
pub mod normalize;
pub mod phonetic;

use std::collections::HashMap;

use crate::intern::{StringPool, Sym};
use crate::locate::{AddressIndex, normalize_street, parse_house_number};
use crate::records::{
    Address, BenefitRecord, BirthDate, Foreigner, Names, Origin, Pupil, Resident, Sex,
};

pub use assign::Match;
pub use block::{BlockingRule, RuleCount};
pub use compare::{Comparison, Vector};
pub use model::{Explanation, Model};
pub use normalize::NormName;

/// Id of a distinct normalised name in a [`Prepared`] (0 = no name).
pub type NameId = u32;

/// The common view of a record of any register, as linkage needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkRecord {
    /// Source row.
    pub origin: Origin,
    /// Family name.
    pub family: NameId,
    /// Given names.
    pub given: NameId,
    /// Birth name (0 if none).
    pub birth: NameId,
    /// Birth date (partial dates kept).
    pub birth_date: BirthDate,
    /// Sex, if known as male or female.
    pub sex: Option<Sex>,
    /// Normalised address (street + house number), if any.
    pub address: Option<u32>,
    /// Baublock of the address, if an address table was given and the address was found.
    pub baublock: Option<u32>,
}

/// Distinct normalised names and addresses of the records prepared so far.
#[derive(Debug)]
pub struct Prepared<'a> {
    pool: &'a StringPool,
    index: Option<&'a AddressIndex>,
    names: Vec<NormName>,
    name_ids: HashMap<String, NameId>,
    by_sym: HashMap<Sym, NameId>,
    addresses: HashMap<String, u32>,
    by_address: HashMap<Address, (Option<u32>, Option<u32>)>,
    baublock_by_key: HashMap<u32, u32>,
}

impl<'a> Prepared<'a> {
    /// Prepares records whose text lives in `pool`; with an address table, addresses are also
    /// compared by Baublock.
    pub fn new(pool: &'a StringPool, index: Option<&'a AddressIndex>) -> Self {
        let names = vec![NormName::default()];
        let mut name_ids = HashMap::new();
        name_ids.insert(String::new(), 0);
        Prepared {
            pool,
            index,
            names,
            name_ids,
            by_sym: HashMap::new(),
            addresses: HashMap::new(),
            by_address: HashMap::new(),
            baublock_by_key: HashMap::new(),
        }
    }

    /// The normalised name behind an id (the empty name for an unknown id).
    pub fn name(&self, id: NameId) -> &NormName {
        self.names.get(id as usize).unwrap_or(&self.names[0])
    }

    /// Number of distinct normalised names, including the empty one.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    fn name_id(&mut self, sym: Sym) -> NameId {
        if let Some(&id) = self.by_sym.get(&sym) {
            return id;
        }
        let norm = normalize::normalize_name(self.pool.get(sym));
        let id = match self.name_ids.get(&norm.full) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as NameId;
                self.name_ids.insert(norm.full.clone(), id);
                self.names.push(norm);
                id
            }
        };
        self.by_sym.insert(sym, id);
        id
    }

    fn address(&mut self, address: &Address) -> (Option<u32>, Option<u32>) {
        if let Some(&known) = self.by_address.get(address) {
            return known;
        }
        let street = self.pool.get(address.street);
        let number = self.pool.get(address.house_number);
        // SchILD writes street and number in one field.
        let (street, number) = if number.trim().is_empty() {
            match street.find(|c: char| c.is_ascii_digit()) {
                Some(at) => (&street[..at], &street[at..]),
                None => (street, number),
            }
        } else {
            (street, number)
        };
        let street_norm = normalize_street(street);
        let house = parse_house_number(number, self.pool.get(address.house_suffix));
        let key = match house {
            Some(h) if !street_norm.is_empty() => {
                let text = format!("{street_norm}|{}|{}|{}", h.first, h.last, h.suffix);
                let next = self.addresses.len() as u32;
                Some(*self.addresses.entry(text).or_insert(next))
            }
            _ => None,
        };
        // Records whose number sits in the street field (SchILD) take the Baublock found for
        // the same normalised address in another register.
        let located = match (self.index, key) {
            (Some(index), Some(_)) if !self.pool.get(address.house_number).trim().is_empty() => {
                index.locate(self.pool, address).ok().map(|b| b.0)
            }
            _ => None,
        };
        if let (Some(k), Some(block)) = (key, located) {
            self.baublock_by_key.insert(k, block);
        }
        let baublock = located.or_else(|| key.and_then(|k| self.baublock_by_key.get(&k).copied()));
        self.by_address.insert(*address, (key, baublock));
        (key, baublock)
    }

    /// The link view of one record.
    pub fn record(
        &mut self,
        origin: Origin,
        names: &Names,
        birth_date: BirthDate,
        sex: Option<Sex>,
        address: &Address,
    ) -> LinkRecord {
        let (address, baublock) = self.address(address);
        LinkRecord {
            origin,
            family: self.name_id(names.family),
            given: self.name_id(names.given),
            birth: self.name_id(names.birth),
            birth_date,
            sex: sex.filter(|s| matches!(s, Sex::Male | Sex::Female)),
            address,
            baublock,
        }
    }

    /// Meldewesen records.
    pub fn residents(&mut self, records: &[Resident]) -> Vec<LinkRecord> {
        records
            .iter()
            .map(|r| self.record(r.origin, &r.names, r.birth_date, Some(r.sex), &r.address))
            .collect()
    }

    /// EWO-ALW records.
    pub fn foreigners(&mut self, records: &[Foreigner]) -> Vec<LinkRecord> {
        records
            .iter()
            .map(|r| self.record(r.origin, &r.names, r.birth_date, Some(r.sex), &r.address))
            .collect()
    }

    /// AKDN sozial records.
    pub fn benefits(&mut self, records: &[BenefitRecord]) -> Vec<LinkRecord> {
        records
            .iter()
            .map(|r| self.record(r.origin, &r.names, r.birth_date, r.sex, &r.address))
            .collect()
    }

    /// SchILD pupils.
    pub fn pupils(&mut self, records: &[Pupil]) -> Vec<LinkRecord> {
        records
            .iter()
            .map(|r| self.record(r.origin, &r.names, r.birth_date, r.sex, &r.address))
            .collect()
    }
}

/// Settings of a linkage; the defaults are the documented method.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkOptions {
    /// Blocking rules, in order.
    pub rules: Vec<BlockingRule>,
    /// Blocks with more pairs than this are skipped (and counted).
    pub max_block_pairs: u64,
    /// Random pairs drawn to estimate u.
    pub random_pairs: usize,
    /// Seed of the random pairs.
    pub seed: u64,
    /// EM iterations (at most).
    pub em_iterations: usize,
    /// Match weight (log2 Bayes factor including the prior) from which a pair is a match.
    pub match_weight: f64,
    /// Lower end of the clerical review band (weight); pairs between it and `match_weight`
    /// that were not assigned are listed for review.
    pub review_weight: f64,
    /// Adjust exact name agreement by the frequency of the name.
    pub term_frequency: bool,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            rules: BlockingRule::ALL.to_vec(),
            max_block_pairs: 250_000,
            random_pairs: 50_000,
            seed: 7,
            em_iterations: 40,
            match_weight: 0.0,
            review_weight: -6.0,
            term_frequency: true,
        }
    }
}

/// The result of linking register A with register B.
#[derive(Clone, Debug)]
pub struct Linkage {
    /// One-to-one matches (indices into A and B), best first.
    pub matches: Vec<Match>,
    /// Pairs in the clerical review band whose records were not matched otherwise.
    pub review: Vec<Match>,
    /// Pairs per blocking rule.
    pub rules: Vec<RuleCount>,
    /// Distinct candidate pairs compared.
    pub candidate_pairs: usize,
    /// The estimated model.
    pub model: Model,
}

/// The linkage quality summary of one pair of registers (counts only, fit for any output).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Records of A and B.
    pub records: (usize, usize),
    /// One-to-one matches.
    pub matches: usize,
    /// Share of A's records matched.
    pub match_rate_a: f64,
    /// Share of B's records matched.
    pub match_rate_b: f64,
    /// Pairs in the clerical review band.
    pub review: usize,
    /// Candidate pairs compared.
    pub candidate_pairs: usize,
}

impl Linkage {
    /// Quality summary: match rates and the size of the review band.
    pub fn summary(&self, a_len: usize, b_len: usize) -> Summary {
        let rate = |n: usize| {
            if n == 0 {
                0.0
            } else {
                self.matches.len() as f64 / n as f64
            }
        };
        Summary {
            records: (a_len, b_len),
            matches: self.matches.len(),
            match_rate_a: rate(a_len),
            match_rate_b: rate(b_len),
            review: self.review.len(),
            candidate_pairs: self.candidate_pairs,
        }
    }

    /// Indices of A's records without a match (e.g. ALW refugees not in the Meldewesen).
    pub fn unmatched_a(&self, a_len: usize) -> Vec<u32> {
        let mut matched = vec![false; a_len];
        for m in &self.matches {
            if let Some(x) = matched.get_mut(m.a as usize) {
                *x = true;
            }
        }
        (0..a_len as u32)
            .filter(|&i| !matched[i as usize])
            .collect()
    }
}

/// Links records `a` with records `b` (both prepared by `prepared`).
pub fn link(
    prepared: &Prepared<'_>,
    a: &[LinkRecord],
    b: &[LinkRecord],
    options: &LinkOptions,
) -> Linkage {
    let (pairs, rules) = block::candidates(prepared, a, b, &options.rules, options.max_block_pairs);
    let mut memo = compare::Memo::default();
    let vectors: Vec<Vector> = pairs
        .iter()
        .map(|&(i, j)| compare::compare_with(prepared, &mut memo, &a[i as usize], &b[j as usize]))
        .collect();
    let model = Model::estimate(prepared, a, b, &vectors, options);
    let scored: Vec<Match> = pairs
        .iter()
        .zip(&vectors)
        .filter_map(|(&(i, j), v)| {
            let weight = model.weight(prepared, &a[i as usize], &b[j as usize], v);
            (weight >= options.review_weight).then(|| Match::new(i, j, weight))
        })
        .collect();
    let (matches, review) = assign::one_to_one(scored, a.len(), b.len(), options.match_weight);
    Linkage {
        matches,
        review,
        rules,
        candidate_pairs: pairs.len(),
        model,
    }
}

/// The weight of a candidate pair per comparison, for the analyst's screen only.
pub fn explain(
    prepared: &Prepared<'_>,
    model: &Model,
    a: &LinkRecord,
    b: &LinkRecord,
) -> Explanation {
    let vector = compare::compare(prepared, a, b);
    model.explain(prepared, a, b, &vector)
}
