//! Jaro and Jaro-Winkler similarity on the bytes of folded names (ASCII after
//! [`super::normalize::fold`]). Written here to keep the core free of dependencies.

/// Jaro similarity in `[0, 1]`; 1 for two empty strings.
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len() > 64 || b.len() > 64 {
        // Longer than any name: compare the first 64 bytes.
        return jaro(&a[..a.len().min(64)], &b[..b.len().min(64)]);
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut used_b = 0u64;
    let mut a_matched = [0u8; 64];
    let mut m = 0;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
            if used_b & (1 << j) == 0 && cb == ca {
                used_b |= 1 << j;
                a_matched[m] = ca;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut half_transpositions = 0;
    let mut k = 0;
    for (j, &cb) in b.iter().enumerate() {
        if used_b & (1 << j) != 0 {
            if a_matched[k] != cb {
                half_transpositions += 1;
            }
            k += 1;
        }
    }
    let m = m as f64;
    let t = (half_transpositions / 2) as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0
}

/// Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4 characters).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let j = jaro(a, b);
    let prefix = a
        .iter()
        .zip(b.iter())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count() as f64;
    j + prefix * 0.1 * (1.0 - j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.001
    }

    #[test]
    fn reference_values() {
        // Winkler (1990) / the usual textbook examples.
        assert!(close(jaro(b"martha", b"marhta"), 0.944));
        assert!(close(jaro_winkler("martha", "marhta"), 0.961));
        assert!(close(jaro_winkler("dwayne", "duane"), 0.840));
        assert!(close(jaro_winkler("dixon", "dicksonx"), 0.813));
        assert!(close(jaro_winkler("jones", "johnson"), 0.832));
        assert!(close(jaro_winkler("abc", "abc"), 1.0));
        assert!(close(jaro_winkler("abc", "xyz"), 0.0));
        assert!(close(jaro_winkler("", ""), 1.0));
        assert!(close(jaro_winkler("a", ""), 0.0));
        let long = "a".repeat(100);
        assert!(close(jaro_winkler(&long, &long), 1.0));
        let long_b = format!("{}b", "a".repeat(63));
        assert!(jaro_winkler(&long, &long_b) > 0.9);
    }
}
