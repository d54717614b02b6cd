//! What an attacker can compute exactly from published sums: the row space of a 0/1 matrix
//! (published cells over classes of people), by sparse Gaussian elimination modulo the prime
//! 2^61 - 1, and random vectors of its kernel.
//!
//! A set of classes has a value the published sums determine exactly if and only if its
//! indicator vector lies in the row space, that is, if every kernel vector sums to zero over
//! it. One random kernel vector decides that for every set at once, wrong only with
//! probability 1/(2^61 - 1) per set, and then only in the cautious direction (a set taken
//! for computable that is not).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The prime modulus.
const P: u64 = (1 << 61) - 1;

fn mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(P)) as u64
}

/// `a + b` modulo P.
pub(super) fn add(a: u64, b: u64) -> u64 {
    let s = a + b;
    if s >= P { s - P } else { s }
}

/// `-a` modulo P.
pub(super) fn neg(a: u64) -> u64 {
    if a == 0 { 0 } else { P - a }
}

fn inverse(a: u64) -> u64 {
    // Fermat: a^(P-2).
    let (mut base, mut exp, mut out) = (a, P - 2, 1u64);
    while exp > 0 {
        if exp & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    out
}

/// A deterministic stream of pseudo-random numbers (SplitMix64).
pub(super) struct Random(u64);

impl Random {
    /// A stream from `seed`.
    pub(super) fn new(seed: u64) -> Random {
        Random(seed)
    }

    /// The next number.
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 1 to P - 1.
    fn nonzero(&mut self) -> u64 {
        1 + self.next() % (P - 1)
    }
}

/// A matrix in row echelon form, built row by row: every stored row starts with 1 in its
/// pivot column and has no entry in a column that was a pivot when it was stored.
pub(super) struct Echelon {
    /// Per column, the row whose pivot it is (sorted by column).
    pivots: Vec<Option<Vec<(u32, u64)>>>,
    scratch: Vec<u64>,
    queued: Vec<bool>,
}

impl Echelon {
    /// An empty matrix over `columns` columns.
    pub(super) fn new(columns: usize) -> Echelon {
        Echelon {
            pivots: vec![None; columns],
            scratch: vec![0; columns],
            queued: vec![false; columns],
        }
    }

    /// Adds the 0/1 row with ones in `columns` (each below the number of columns).
    pub(super) fn insert(&mut self, columns: &[u32]) {
        let mut heap: BinaryHeap<Reverse<u32>> = BinaryHeap::with_capacity(columns.len());
        for &c in columns {
            let at = c as usize;
            if at >= self.scratch.len() {
                continue;
            }
            self.scratch[at] = add(self.scratch[at], 1);
            if !self.queued[at] {
                self.queued[at] = true;
                heap.push(Reverse(c));
            }
        }
        let mut reduced: Vec<(u32, u64)> = Vec::new();
        while let Some(Reverse(c)) = heap.pop() {
            let at = c as usize;
            self.queued[at] = false;
            let v = std::mem::take(&mut self.scratch[at]);
            if v == 0 {
                continue;
            }
            match &self.pivots[at] {
                Some(pivot) => {
                    for &(j, pv) in &pivot[1..] {
                        let ju = j as usize;
                        self.scratch[ju] = add(self.scratch[ju], neg(mul(v, pv)));
                        if !self.queued[ju] {
                            self.queued[ju] = true;
                            heap.push(Reverse(j));
                        }
                    }
                }
                None => reduced.push((c, v)),
            }
        }
        if let Some(&(lead, v)) = reduced.first() {
            let scale = inverse(v);
            for entry in &mut reduced {
                entry.1 = mul(entry.1, scale);
            }
            self.pivots[lead as usize] = Some(reduced);
        }
    }

    /// A random vector `x` with `A x = 0` for every row inserted.
    pub(super) fn kernel_vector(&self, random: &mut Random) -> Vec<u64> {
        let n = self.pivots.len();
        let mut x = vec![0u64; n];
        for (c, pivot) in self.pivots.iter().enumerate() {
            if pivot.is_none() {
                x[c] = random.nonzero();
            }
        }
        // A pivot row has entries only right of its pivot: solve from the right.
        for c in (0..n).rev() {
            if let Some(row) = &self.pivots[c] {
                let sum = row[1..]
                    .iter()
                    .fold(0u64, |acc, &(j, v)| add(acc, mul(v, x[j as usize])));
                x[c] = neg(sum);
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernel(columns: usize, rows: &[&[u32]]) -> Vec<u64> {
        let mut m = Echelon::new(columns);
        for r in rows {
            m.insert(r);
        }
        m.kernel_vector(&mut Random::new(7))
    }

    #[test]
    fn a_column_fixed_by_the_rows_is_zero_in_the_kernel() {
        // a + b + c and a + b published: c is computable, a and b are not.
        let x = kernel(3, &[&[0, 1, 2], &[0, 1]]);
        assert_eq!(x[2], 0);
        assert_ne!(x[0], 0);
        assert_eq!(add(x[0], x[1]), 0);
    }

    #[test]
    fn the_kernel_vector_solves_every_row() {
        let rows: [&[u32]; 4] = [&[0, 1, 2, 3], &[0, 4], &[1, 2, 4], &[3, 5]];
        let x = kernel(6, &rows);
        for r in rows {
            assert_eq!(r.iter().fold(0, |acc, &j| add(acc, x[j as usize])), 0);
        }
    }

    #[test]
    fn inverse_and_negation_are_exact() {
        for a in [1u64, 2, 3, 12_345, P - 1] {
            assert_eq!(mul(a, inverse(a)), 1);
            assert_eq!(add(a, neg(a)), 0);
        }
    }
}
