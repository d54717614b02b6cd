//! The Fellegi-Sunter model: per comparison and level the probability m of the level among
//! true matches and u among non-matches; a pair's weight is the sum of `log2(m/u)` plus the
//! prior log-odds of a match.
//!
//! - u is counted on random pairs of the two registers (nearly all non-matches); for exact
//!   birth-date agreement, too rare for the sample, from the date frequencies.
//! - m (and the share of matches) is estimated by EM on the candidate pairs; inside EM the
//!   non-match distribution of the candidate pairs is estimated as well, because blocking
//!   makes non-matching candidates agree far more often than random pairs.
//! - Term frequency: exact agreement on a family name (and on the whole given names) uses the
//!   frequency of that name as its u, so `Yılmaz` = `Yılmaz` weighs less than a rare name.

use std::collections::HashMap;
use std::fmt;

use super::compare::{Comparison, Memo, NULL, Vector, compare_with};
use super::{LinkOptions, LinkRecord, NameId, Prepared};
use crate::records::BirthDate;

const N: usize = Comparison::ALL.len();
/// Position of the birth-date comparison.
const DATE: usize = 2;
const FLOOR: f64 = 1e-6;
/// Starting m per comparison and level, also the prior EM shrinks towards.
const DEFAULT_M: [&[f64]; N] = [
    &[0.02, 0.03, 0.05, 0.90],
    &[0.03, 0.04, 0.05, 0.88],
    &[0.02, 0.02, 0.01, 0.10, 0.85],
    &[0.02, 0.98],
    &[0.15, 0.05, 0.80],
];
/// Weight of the prior in pairs: decisive for a handful of records, negligible for a city.
const PRIOR_PAIRS: f64 = 10.0;
/// EM stops when no parameter (m, u among the candidate pairs, share of matches) moved by
/// more than this in an iteration. EM converges linearly here (each change about 0.6 of the
/// one before): 8 to 14 iterations at city scale, with the F1 of a tolerance of 1e-6.
const EM_TOLERANCE: f64 = 1e-4;

/// Estimated parameters of a linkage.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// m probabilities per comparison ([`Comparison::ALL`] order) and level.
    pub m: Vec<Vec<f64>>,
    /// u probabilities per comparison and level (random pairs).
    pub u: Vec<Vec<f64>>,
    /// Share of matches among the candidate pairs (EM).
    pub lambda: f64,
    /// Prior log2-odds of a match for a pair of records.
    pub prior_weight: f64,
    /// EM iterations run.
    pub iterations: usize,
    /// Random pairs used for u.
    pub random_pairs: usize,
    family_freq: Vec<u32>,
    given_freq: Vec<u32>,
    total: f64,
    term_frequency: bool,
}

/// Deterministic SplitMix64.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }
}

fn normalise(counts: &[f64]) -> Vec<f64> {
    let sum: f64 = counts.iter().sum();
    let n = counts.len() as f64;
    counts
        .iter()
        .map(|c| {
            if sum > 0.0 {
                (c / sum).max(FLOOR)
            } else {
                1.0 / n
            }
        })
        .collect()
}

/// The largest absolute difference between two parameter tables of the same shape.
fn max_change(new: &[Vec<f64>], old: &[Vec<f64>]) -> f64 {
    new.iter()
        .flatten()
        .zip(old.iter().flatten())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

impl Model {
    /// Estimates the model for registers `a` and `b` from the comparison vectors of their
    /// candidate pairs.
    pub fn estimate(
        p: &Prepared<'_>,
        a: &[LinkRecord],
        b: &[LinkRecord],
        vectors: &[Vector],
        options: &LinkOptions,
    ) -> Model {
        let mut family_freq = vec![0u32; p.name_count()];
        let mut given_freq = vec![0u32; p.name_count()];
        for r in a.iter().chain(b) {
            if let Some(f) = family_freq.get_mut(r.family as usize) {
                *f += 1;
            }
            if let Some(g) = given_freq.get_mut(r.given as usize) {
                *g += 1;
            }
        }
        // u from random pairs (Laplace-smoothed).
        let mut u_counts: Vec<Vec<f64>> = Comparison::ALL
            .iter()
            .map(|c| vec![0.5; c.levels()])
            .collect();
        let mut random_pairs = 0;
        if !a.is_empty() && !b.is_empty() {
            let mut rng = SplitMix(options.seed);
            let mut memo = Memo::default();
            for _ in 0..options.random_pairs {
                let (i, j) = (rng.below(a.len()), rng.below(b.len()));
                let v = compare_with(p, &mut memo, &a[i], &b[j]);
                for (k, &level) in v.levels.iter().enumerate() {
                    if let Some(c) = u_counts[k].get_mut(level as usize) {
                        *c += 1.0;
                    }
                }
                random_pairs += 1;
            }
        }
        let mut u: Vec<Vec<f64>> = u_counts.iter().map(|c| normalise(c)).collect();
        // Exact birth-date agreement is too rare for the sample: computed from the date
        // frequencies of both registers instead (Σ over dates of f_A · f_B).
        let mut dates: HashMap<BirthDate, (f64, f64)> = HashMap::new();
        for r in a.iter().filter(|r| !r.birth_date.is_partial()) {
            dates.entry(r.birth_date).or_default().0 += 1.0;
        }
        for r in b.iter().filter(|r| !r.birth_date.is_partial()) {
            dates.entry(r.birth_date).or_default().1 += 1.0;
        }
        if !a.is_empty() && !b.is_empty() {
            let (na, nb) = (a.len() as f64, b.len() as f64);
            let exact: f64 = dates.values().map(|(x, y)| x / na * (y / nb)).sum();
            if let Some(level) = u[DATE].last_mut() {
                *level = exact.max(FLOOR);
            }
        }

        // EM on the distinct patterns of the candidate pairs.
        let mut patterns: HashMap<[u8; N], f64> = HashMap::new();
        for v in vectors {
            *patterns.entry(v.levels).or_default() += 1.0;
        }
        let patterns: Vec<([u8; N], f64)> = patterns.into_iter().collect();
        let mut m: Vec<Vec<f64>> = DEFAULT_M.iter().map(|d| d.to_vec()).collect();
        let mut u_blocked: Vec<Vec<f64>> = Comparison::ALL
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let mut counts = vec![1.0; c.levels()];
                for (levels, n) in &patterns {
                    if let Some(x) = counts.get_mut(levels[k] as usize) {
                        *x += n;
                    }
                }
                normalise(&counts)
            })
            .collect();
        let mut lambda = 0.3;
        let total: f64 = patterns.iter().map(|(_, n)| n).sum();
        let mut iterations = 0;
        while iterations < options.em_iterations && total > 0.0 {
            iterations += 1;
            // Pseudo-counts from the default m keep rare levels (day/month swaps) from an m
            // of zero and a handful of records from a degenerate fit.
            let mut acc_m: Vec<Vec<f64>> = DEFAULT_M
                .iter()
                .map(|d| d.iter().map(|x| x * PRIOR_PAIRS).collect())
                .collect();
            let mut acc_u: Vec<Vec<f64>> = m.iter().map(|x| vec![0.5; x.len()]).collect();
            let mut matched = 0.0;
            for (levels, n) in &patterns {
                let (mut pm, mut pu) = (lambda, 1.0 - lambda);
                for (k, &level) in levels.iter().enumerate() {
                    if level != NULL {
                        pm *= m[k][level as usize];
                        pu *= u_blocked[k][level as usize];
                    }
                }
                let g = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
                matched += n * g;
                for (k, &level) in levels.iter().enumerate() {
                    if level != NULL {
                        acc_m[k][level as usize] += n * g;
                        acc_u[k][level as usize] += n * (1.0 - g);
                    }
                }
            }
            let new_m: Vec<Vec<f64>> = acc_m.iter().map(|c| normalise(c)).collect();
            let new_u: Vec<Vec<f64>> = acc_u.iter().map(|c| normalise(c)).collect();
            let new_lambda = (matched / total).clamp(FLOOR, 1.0 - FLOOR);
            let change = max_change(&new_m, &m)
                .max(max_change(&new_u, &u_blocked))
                .max((new_lambda - lambda).abs());
            m = new_m;
            u_blocked = new_u;
            lambda = new_lambda;
            if change < EM_TOLERANCE {
                break;
            }
        }
        let all_pairs = a.len() as f64 * b.len() as f64;
        let prior = if all_pairs > 0.0 {
            (lambda * total / all_pairs).clamp(1e-12, 1.0 - 1e-12)
        } else {
            0.5
        };
        Model {
            m,
            u,
            lambda,
            prior_weight: (prior / (1.0 - prior)).log2(),
            iterations,
            random_pairs,
            family_freq,
            given_freq,
            total: (a.len() + b.len()).max(1) as f64,
            term_frequency: options.term_frequency,
        }
    }

    /// The u of a level, adjusted by term frequency where it applies; also whether it was.
    fn u_of(&self, k: usize, level: u8, v: &Vector) -> (f64, bool) {
        let base = self.u[k][level as usize];
        if !self.term_frequency {
            return (base, false);
        }
        let freq = |table: &[u32], id: NameId| {
            table
                .get(id as usize)
                .map(|&f| (f64::from(f) / self.total).max(0.5 / self.total))
        };
        let adjusted = match (Comparison::ALL[k], level) {
            (Comparison::FamilyName, 3) if v.family_tf != 0 => freq(&self.family_freq, v.family_tf),
            (Comparison::GivenNames, 3) if v.given_tf != 0 => freq(&self.given_freq, v.given_tf),
            _ => None,
        };
        match adjusted {
            Some(u) => (u, true),
            None => (base, false),
        }
    }

    /// The match weight of a pair with comparison vector `v`.
    pub fn weight(&self, _p: &Prepared<'_>, _a: &LinkRecord, _b: &LinkRecord, v: &Vector) -> f64 {
        let mut w = self.prior_weight;
        for (k, &level) in v.levels.iter().enumerate() {
            if level != NULL && (level as usize) < self.m[k].len() {
                let (u, _) = self.u_of(k, level, v);
                w += (self.m[k][level as usize] / u).log2();
            }
        }
        w
    }

    /// The weight of a pair per comparison.
    pub fn explain(
        &self,
        _p: &Prepared<'_>,
        _a: &LinkRecord,
        _b: &LinkRecord,
        v: &Vector,
    ) -> Explanation {
        let mut parts = Vec::with_capacity(N);
        let mut total = self.prior_weight;
        for (k, &level) in v.levels.iter().enumerate() {
            let comparison = Comparison::ALL[k];
            if level == NULL || level as usize >= self.m[k].len() {
                parts.push(ExplainPart {
                    comparison,
                    level: None,
                    m: 1.0,
                    u: 1.0,
                    weight: 0.0,
                    term_frequency: false,
                });
                continue;
            }
            let (u, term_frequency) = self.u_of(k, level, v);
            let m = self.m[k][level as usize];
            let weight = (m / u).log2();
            total += weight;
            parts.push(ExplainPart {
                comparison,
                level: Some(level),
                m,
                u,
                weight,
                term_frequency,
            });
        }
        Explanation {
            parts,
            prior_weight: self.prior_weight,
            total,
            swapped: v.swapped,
        }
    }
}

/// One comparison of an explained pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExplainPart {
    /// The comparison.
    pub comparison: Comparison,
    /// Agreement level, `None` if a value is missing (weight 0).
    pub level: Option<u8>,
    /// m probability of the level.
    pub m: f64,
    /// u probability of the level (term-frequency adjusted if `term_frequency`).
    pub u: f64,
    /// `log2(m/u)`.
    pub weight: f64,
    /// The u is the frequency of the agreeing name.
    pub term_frequency: bool,
}

/// Why a pair has its weight: per comparison the level and its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// Per comparison.
    pub parts: Vec<ExplainPart>,
    /// Prior log2-odds.
    pub prior_weight: f64,
    /// Total weight (prior plus parts).
    pub total: f64,
    /// Family and given names were compared crosswise.
    pub swapped: bool,
}

impl Explanation {
    /// Match probability.
    pub fn probability(&self) -> f64 {
        1.0 / (1.0 + (-self.total).exp2())
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<14} {:<60} {:>8}", "Vergleich", "Stufe", "Gewicht")?;
        for part in &self.parts {
            let label = match part.level {
                Some(level) => part.comparison.level_label(level).to_string(),
                None => "fehlt (neutral)".to_string(),
            };
            let label = if part.term_frequency {
                format!("{label}, Namenshäufigkeit berücksichtigt")
            } else {
                label
            };
            writeln!(
                f,
                "{:<14} {:<60} {:>+8.2}",
                part.comparison.label(),
                label,
                part.weight
            )?;
        }
        if self.swapped {
            writeln!(f, "(Vor- und Familienname über Kreuz verglichen)")?;
        }
        writeln!(
            f,
            "{:<14} {:<60} {:>+8.2}",
            "Vorannahme", "", self.prior_weight
        )?;
        write!(
            f,
            "{:<14} {:<60} {:>+8.2}  (Wahrscheinlichkeit {:.4})",
            "Summe",
            "",
            self.total,
            self.probability()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::StringPool;
    use crate::link::{LinkOptions, link};
    use crate::records::{Address, Names, Origin, Sex};

    /// Two registers holding the same 300 persons without any error, plus 100 others each:
    /// EM converges long before the iteration limit, and every pair is found.
    #[test]
    fn em_stops_early_on_easy_data() {
        let syllables = [
            "ka", "lo", "mi", "ra", "se", "tu", "ven", "dor", "bal", "zim", "nek", "po", "gri",
            "fa", "shu", "len", "ob", "ter", "wa", "xi",
        ];
        let mut rng = SplitMix(42);
        let mut word = |parts: usize| -> String {
            (0..parts)
                .map(|_| syllables[rng.below(syllables.len())])
                .collect()
        };
        let mut pool = StringPool::new();
        let mut people = Vec::new();
        for n in 0..500 {
            let (family, given) = (word(3), word(2));
            let names = Names {
                family: pool.intern(&family),
                given: pool.intern(&given),
                birth: pool.intern(""),
            };
            let date = BirthDate {
                day: (n * 7 % 28 + 1) as u8,
                month: (n * 5 % 12 + 1) as u8,
                year: 1940 + (n * 11 % 80) as u16,
            };
            let sex = if n % 2 == 0 { Sex::Female } else { Sex::Male };
            people.push((names, date, sex));
        }
        let mut prepared = Prepared::new(&pool, None);
        let mut side = |file: u32, range: std::ops::Range<usize>| -> Vec<LinkRecord> {
            people[range]
                .iter()
                .enumerate()
                .map(|(row, (names, date, sex))| {
                    let origin = Origin {
                        file,
                        sheet: 0,
                        row: row as u32 + 2,
                    };
                    prepared.record(origin, names, *date, Some(*sex), &Address::default())
                })
                .collect()
        };
        // A: persons 0..400, B: persons 100..500; persons 100..400 are in both.
        let a = side(0, 0..400);
        let b = side(1, 100..500);
        let options = LinkOptions::default();
        let linkage = link(&prepared, &a, &b, &options);
        let iterations = linkage.model.iterations;
        assert!(
            iterations > 1 && iterations < options.em_iterations / 2,
            "EM-Iterationen {iterations}"
        );
        assert_eq!(linkage.matches.len(), 300);
        assert!(linkage.matches.iter().all(|m| m.a == m.b + 100));
    }

    #[test]
    fn default_m_fits_the_comparisons() {
        assert_eq!(Comparison::ALL[DATE], Comparison::BirthDate);
        for (k, c) in Comparison::ALL.iter().enumerate() {
            assert_eq!(DEFAULT_M[k].len(), c.levels(), "{c:?}");
            assert!((DEFAULT_M[k].iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }
}
