//! Colour classes of choropleth maps: the palette and the class bounds.

use super::*;

/// Sequential palette for colour-vision deficiencies (ColorBrewer YlGnBu, 5 classes).
pub(super) const MAP_COLOURS: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];

pub(super) fn palette(k: usize) -> Vec<&'static str> {
    let picks: &[usize] = match k {
        0 => &[],
        1 => &[2],
        2 => &[1, 4],
        3 => &[0, 2, 4],
        4 => &[0, 1, 3, 4],
        _ => &[0, 1, 2, 3, 4],
    };
    picks.iter().map(|&i| MAP_COLOURS[i]).collect()
}

/// Lower bounds of the classes (strictly increasing, first = smallest value) for `sorted`
/// values, rounded to `decimals` places (whole numbers for counts). Zeros ("–", nothing) form
/// a class of their own when there are other values, so that many empty areas do not swallow
/// the quantiles.
pub(super) fn class_bounds(
    sorted: &[f64],
    k: usize,
    how: Classification,
    decimals: usize,
) -> Vec<f64> {
    let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let k = k.clamp(1, 5);
    let scale = 10f64.powi(i32::try_from(decimals.min(6)).unwrap_or(0));
    let round = |b: f64| (b * scale).ceil() / scale;
    let mut bounds = vec![lo];
    let rest: &[f64] = if lo == 0.0 && hi > 0.0 && k > 1 {
        let first_positive = sorted.partition_point(|&x| x <= 0.0);
        sorted.get(first_positive..).unwrap_or_default()
    } else {
        sorted
    };
    let Some(&rest_lo) = rest.first() else {
        return bounds;
    };
    let k_rest = if rest.len() < sorted.len() {
        bounds.push(round(rest_lo));
        k - 1
    } else {
        k
    };
    for j in 1..k_rest {
        let b = match how {
            Classification::Quantile => {
                let at = (j * rest.len()).div_ceil(k_rest).min(rest.len() - 1);
                rest[at]
            }
            Classification::EqualInterval => rest_lo + (hi - rest_lo) * j as f64 / k_rest as f64,
        };
        let b = round(b);
        if b > *bounds.last().unwrap_or(&lo) && b <= hi {
            bounds.push(b);
        }
    }
    bounds
}
