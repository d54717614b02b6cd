//! Polygons: Baublöcke, their unions into Stadtteile and Stadtbezirke, conversion from
//! EPSG:25832 to WGS84 and GeoJSON text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::city::{City, det_cos, det_sin, ring_area};

/// A polygon: outer ring first (counter-clockwise), then holes (clockwise). Rings are open
/// (the first point is not repeated).
pub(crate) type Polygon = Vec<Vec<(f64, f64)>>;

/// Monotone stand-in for the signed turn angle from direction `a` to direction `b`
/// (left turns positive), without trigonometry.
fn turn_key(a: (f64, f64), b: (f64, f64)) -> f64 {
    let cross = a.0 * b.1 - a.1 * b.0;
    let dot = a.0 * b.0 + a.1 * b.1;
    let denom = cross.abs() + dot.abs();
    if denom == 0.0 {
        return 0.0;
    }
    let r = cross / denom;
    if dot >= 0.0 {
        r
    } else if cross >= 0.0 {
        2.0 - r
    } else {
        -2.0 - r
    }
}

/// The union of blocks that share corner vertices exactly, as polygons.
pub(crate) fn union(city: &City, blocks: &[usize]) -> Vec<Polygon> {
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &b in blocks {
        let c = city.blocks[b].corners;
        for i in 0..4 {
            edges.insert((c[i], c[(i + 1) % 4]));
        }
    }
    let boundary: Vec<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|&(u, v)| !edges.contains(&(v, u)))
        .collect();
    let mut outgoing: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(u, v) in &boundary {
        outgoing.entry(u).or_default().push(v);
    }
    let mut used: BTreeSet<(usize, usize)> = BTreeSet::new();
    let pos = |v: usize| city.vertices[v];
    let mut rings: Vec<Vec<(f64, f64)>> = Vec::new();
    for &(su, sv) in &boundary {
        if used.contains(&(su, sv)) {
            continue;
        }
        let mut ring = vec![pos(su)];
        let (mut u, mut v) = (su, sv);
        used.insert((u, v));
        let mut guard = 0;
        while v != su && guard < boundary.len() + 4 {
            guard += 1;
            ring.push(pos(v));
            let din = (pos(v).0 - pos(u).0, pos(v).1 - pos(u).1);
            let next = outgoing
                .get(&v)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&w| !used.contains(&(v, w)))
                .max_by(|&w1, &w2| {
                    let d1 = (pos(w1).0 - pos(v).0, pos(w1).1 - pos(v).1);
                    let d2 = (pos(w2).0 - pos(v).0, pos(w2).1 - pos(v).1);
                    turn_key(din, d1).total_cmp(&turn_key(din, d2))
                });
            let Some(w) = next else { break };
            used.insert((v, w));
            u = v;
            v = w;
        }
        if ring.len() >= 3 {
            rings.push(ring);
        }
    }
    let (outer, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| ring_area(r) > 0.0);
    let mut polys: Vec<Polygon> = outer.into_iter().map(|r| vec![r]).collect();
    for h in holes {
        let probe = h[0];
        if let Some(p) = polys.iter_mut().find(|p| contains(&p[0], probe)) {
            p.push(h);
        } else {
            polys.push(vec![h.into_iter().rev().collect()]);
        }
    }
    polys.sort_by(|a, b| ring_area(&b[0]).total_cmp(&ring_area(&a[0])));
    polys
}

fn contains(ring: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut inside = false;
    let n = ring.len();
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn det_tan(x: f64) -> f64 {
    det_sin(x) / det_cos(x)
}

/// EPSG:25832 (UTM 32N, GRS80) to WGS84 longitude/latitude in degrees (inverse transverse
/// Mercator, Snyder's series; millimetre accuracy in the zone). Uses the deterministic sine,
/// so coordinates are the same on every platform.
pub(crate) fn utm32_to_wgs84(e: f64, n: f64) -> (f64, f64) {
    let a = 6_378_137.0;
    let f = 1.0 / 298.257_222_101;
    let k0 = 0.9996;
    let e2 = f * (2.0 - f);
    let ep2 = e2 / (1.0 - e2);
    let x = e - 500_000.0;
    let m = n / k0;
    let mu = m / (a * (1.0 - e2 / 4.0 - 3.0 * e2 * e2 / 64.0 - 5.0 * e2 * e2 * e2 / 256.0));
    let s = (1.0 - e2).sqrt();
    let e1 = (1.0 - s) / (1.0 + s);
    let phi1 = mu
        + (3.0 * e1 / 2.0 - 27.0 * e1 * e1 * e1 / 32.0) * det_sin(2.0 * mu)
        + (21.0 * e1 * e1 / 16.0 - 55.0 * e1 * e1 * e1 * e1 / 32.0) * det_sin(4.0 * mu)
        + (151.0 * e1 * e1 * e1 / 96.0) * det_sin(6.0 * mu)
        + (1097.0 * e1 * e1 * e1 * e1 / 512.0) * det_sin(8.0 * mu);
    let (sp, cp) = (det_sin(phi1), det_cos(phi1));
    let tp = det_tan(phi1);
    let c1 = ep2 * cp * cp;
    let t1 = tp * tp;
    let w = 1.0 - e2 * sp * sp;
    let n1 = a / w.sqrt();
    let r1 = a * (1.0 - e2) / (w * w.sqrt());
    let d = x / (n1 * k0);
    let (d2, d3) = (d * d, d * d * d);
    let (d4, d5, d6) = (d2 * d2, d2 * d3, d3 * d3);
    let lat = phi1
        - (n1 * tp / r1)
            * (d * d / 2.0 - (5.0 + 3.0 * t1 + 10.0 * c1 - 4.0 * c1 * c1 - 9.0 * ep2) * d4 / 24.0
                + (61.0 + 90.0 * t1 + 298.0 * c1 + 45.0 * t1 * t1 - 252.0 * ep2 - 3.0 * c1 * c1)
                    * d6
                    / 720.0);
    let lon = (d - (1.0 + 2.0 * t1 + c1) * d3 / 6.0
        + (5.0 - 2.0 * c1 + 28.0 * t1 - 3.0 * c1 * c1 + 8.0 * ep2 + 24.0 * t1 * t1) * d5 / 120.0)
        / cp;
    let deg = 180.0 / std::f64::consts::PI;
    (9.0 + lon * deg, lat * deg)
}

/// Coordinate reference system of a GeoJSON file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Crs {
    /// EPSG:25832 metres, written with a legacy `crs` member (as many GIS exports do).
    Utm32,
    /// WGS84 longitude/latitude (RFC 7946).
    Wgs84,
}

fn push_ring(out: &mut String, ring: &[(f64, f64)], crs: Crs) {
    out.push('[');
    for (i, &(x, y)) in ring.iter().chain(ring.first()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        match crs {
            Crs::Utm32 => {
                let _ = write!(out, "[{x:.2},{y:.2}]");
            }
            Crs::Wgs84 => {
                let (lon, lat) = utm32_to_wgs84(x, y);
                let _ = write!(out, "[{lon:.7},{lat:.7}]");
            }
        }
    }
    out.push(']');
}

/// A GeoJSON Feature with string properties; MultiPolygon if there are several parts.
pub(crate) fn feature(polys: &[Polygon], props: &[(&str, &str)], crs: Crs) -> String {
    let mut out = String::from("{\"type\":\"Feature\",\"properties\":{");
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(k));
        out.push(':');
        out.push_str(&json_string(v));
    }
    out.push_str("},\"geometry\":");
    let polygon = |out: &mut String, p: &Polygon| {
        out.push('[');
        for (i, ring) in p.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_ring(out, ring, crs);
        }
        out.push(']');
    };
    if polys.len() == 1 {
        out.push_str("{\"type\":\"Polygon\",\"coordinates\":");
        polygon(&mut out, &polys[0]);
    } else {
        out.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (i, p) in polys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            polygon(&mut out, p);
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

/// Opening of a FeatureCollection (the caller writes features separated by `,\n` and
/// closes with [`collection_end`]).
pub(crate) fn collection_start(name: &str, crs: Crs) -> String {
    match crs {
        Crs::Utm32 => format!(
            "{{\"type\":\"FeatureCollection\",\"name\":{},\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}}}},\"features\":[\n",
            json_string(name)
        ),
        Crs::Wgs84 => format!(
            "{{\"type\":\"FeatureCollection\",\"name\":{},\"features\":[\n",
            json_string(name)
        ),
    }
}

/// Closing of a FeatureCollection.
pub(crate) fn collection_end() -> &'static str {
    "\n]}\n"
}

/// A JSON string literal.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_to_wgs84_lands_in_gelsenkirchen() {
        let (lon, lat) = utm32_to_wgs84(366_800.0, 5_712_000.0);
        assert!((7.0..7.2).contains(&lon), "{lon}");
        assert!((51.45..51.6).contains(&lat), "{lat}");
        // Central meridian: easting 500000 is 9 degrees east.
        let (lon, _) = utm32_to_wgs84(500_000.0, 5_700_000.0);
        assert!((lon - 9.0).abs() < 1e-9);
    }

    #[test]
    fn turn_key_orders_turns() {
        let north = (0.0, 1.0);
        let west = (-1.0, 0.0);
        let east = (1.0, 0.0);
        let south = (0.0, -1.0);
        assert!(turn_key(north, west) > turn_key(north, north));
        assert!(turn_key(north, north) > turn_key(north, east));
        assert!(turn_key(north, south) > turn_key(north, west));
    }
}
