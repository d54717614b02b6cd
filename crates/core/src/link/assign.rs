//! One-to-one assignment between two registers: greedy by descending weight, so each record
//! is matched at most once (a person appears once per register snapshot).

/// A scored pair of record indices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    /// Index in register A.
    pub a: u32,
    /// Index in register B.
    pub b: u32,
    /// Match weight (log2 Bayes factor including the prior).
    pub weight: f64,
}

impl Match {
    /// A scored pair.
    pub fn new(a: u32, b: u32, weight: f64) -> Self {
        Match { a, b, weight }
    }

    /// Match probability from the weight.
    pub fn probability(&self) -> f64 {
        1.0 / (1.0 + (-self.weight).exp2())
    }
}

/// Assigns pairs one-to-one: pairs at or above `threshold` become matches in order of weight;
/// of the others, those whose records are both still free form the review band (again at most
/// one per record).
pub fn one_to_one(
    mut scored: Vec<Match>,
    a_len: usize,
    b_len: usize,
    threshold: f64,
) -> (Vec<Match>, Vec<Match>) {
    scored.sort_by(|x, y| {
        y.weight
            .total_cmp(&x.weight)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    let mut used_a = vec![false; a_len];
    let mut used_b = vec![false; b_len];
    let mut matches = Vec::new();
    let mut rest = Vec::new();
    for m in scored {
        let (a, b) = (m.a as usize, m.b as usize);
        if a >= a_len || b >= b_len {
            continue;
        }
        if m.weight >= threshold {
            if !used_a[a] && !used_b[b] {
                used_a[a] = true;
                used_b[b] = true;
                matches.push(m);
            }
        } else {
            rest.push(m);
        }
    }
    let mut review = Vec::new();
    for m in rest {
        let (a, b) = (m.a as usize, m.b as usize);
        if !used_a[a] && !used_b[b] {
            used_a[a] = true;
            used_b[b] = true;
            review.push(m);
        }
    }
    (matches, review)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_assignment_is_one_to_one() {
        let pairs = vec![
            Match::new(0, 0, 10.0),
            Match::new(0, 1, 12.0),
            Match::new(1, 1, 11.0),
            Match::new(1, 0, 3.0),
            Match::new(2, 2, -2.0),
            Match::new(2, 1, -1.0),
        ];
        let (matches, review) = one_to_one(pairs, 3, 3, 0.0);
        let got: Vec<(u32, u32)> = matches.iter().map(|m| (m.a, m.b)).collect();
        assert_eq!(got, [(0, 1), (1, 0)]);
        let got: Vec<(u32, u32)> = review.iter().map(|m| (m.a, m.b)).collect();
        assert_eq!(got, [(2, 2)]);
        assert!((Match::new(0, 0, 0.0).probability() - 0.5).abs() < 1e-12);
    }
}
