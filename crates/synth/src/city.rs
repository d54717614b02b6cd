//! The synthetic city: outline, Baublöcke (cells of a jittered lattice, which look like street
//! blocks and share their corners exactly), Stadtteile (power-diagram groups of blocks with
//! target areas), streets walking across neighbouring blocks, addresses and schools.
//!
//! Coordinates are metres in ETRS89 / UTM zone 32N (EPSG:25832) around Gelsenkirchen.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::{Codes, StadtteilDef};
use crate::names::Names;
use crate::rng::{Rng, tag};
use crate::scale::Params;

/// Centre of the synthetic city in EPSG:25832 (near Gelsenkirchen).
pub(crate) const CENTER: (f64, f64) = (366_800.0, 5_712_000.0);
/// Semi-axes of the city outline at scale factor 1 (metres).
const SEMI_AXES: (f64, f64) = (4_900.0, 7_600.0);

/// Deterministic sine (Taylor series after range reduction; exact arithmetic only, so all
/// platforms agree bit for bit).
pub(crate) fn det_sin(x: f64) -> f64 {
    const TAU: f64 = std::f64::consts::TAU;
    const PI: f64 = std::f64::consts::PI;
    let mut r = x - (x / TAU).floor() * TAU;
    if r > PI {
        r -= TAU;
    }
    let mut term = r;
    let mut sum = r;
    let r2 = r * r;
    for k in 1..12 {
        term *= -r2 / f64::from((2 * k) * (2 * k + 1));
        sum += term;
    }
    sum
}

/// Deterministic cosine.
pub(crate) fn det_cos(x: f64) -> f64 {
    det_sin(x + std::f64::consts::FRAC_PI_2)
}

/// A Stadtteil of the city.
#[derive(Clone, Debug)]
pub(crate) struct Stadtteil {
    pub def: StadtteilDef,
    /// Index of the Stadtbezirk in `City::bezirke`.
    pub bezirk: usize,
    pub blocks: Vec<usize>,
    pub addresses: Vec<usize>,
    /// Target number of residents.
    pub population: f64,
}

/// A Baublock.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub key: String,
    pub stadtteil: usize,
    /// Lattice cell (column, row).
    pub cell: (usize, usize),
    /// Corner vertex indices, counter-clockwise.
    pub corners: [usize; 4],
    pub center: (f64, f64),
    /// Parks, industry, rail: no addresses.
    pub empty: bool,
}

/// A street.
#[derive(Clone, Debug)]
pub(crate) struct Street {
    pub name: String,
    pub key: String,
    pub plz: String,
}

/// An address (one building entrance).
#[derive(Clone, Debug)]
pub(crate) struct Address {
    pub street: usize,
    pub number: u32,
    pub suffix: Option<char>,
    /// The Gliederung writes the building as a range `number-range_end` (e.g. `12-14`).
    pub range_end: Option<u32>,
    pub block: usize,
    pub x: f64,
    pub y: f64,
    /// Households the building holds.
    pub capacity: u32,
    /// Collective accommodation for refugees (Übergangsheim).
    pub collective: bool,
    /// Listed in the Gliederung export (new buildings may be missing).
    pub in_gliederung: bool,
}

/// School forms of NRW (SchILD short codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Schulform {
    G,
    H,
    R,
    Gy,
    Ge,
    S,
    Bk,
}

impl Schulform {
    /// SchILD code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Schulform::G => "G",
            Schulform::H => "H",
            Schulform::R => "R",
            Schulform::Gy => "GY",
            Schulform::Ge => "GE",
            Schulform::S => "S",
            Schulform::Bk => "BK",
        }
    }

    /// Name prefix of schools of the form.
    fn prefix(self) -> &'static str {
        match self {
            Schulform::G => "Gemeinschaftsgrundschule",
            Schulform::H => "Hauptschule",
            Schulform::R => "Realschule",
            Schulform::Gy => "Gymnasium",
            Schulform::Ge => "Gesamtschule",
            Schulform::S => "Förderschule",
            Schulform::Bk => "Berufskolleg",
        }
    }

    /// All forms.
    pub(crate) const ALL: [Schulform; 7] = [
        Schulform::G,
        Schulform::H,
        Schulform::R,
        Schulform::Gy,
        Schulform::Ge,
        Schulform::S,
        Schulform::Bk,
    ];
}

/// A school.
#[derive(Clone, Debug)]
pub(crate) struct School {
    /// Six-digit NRW Schulnummer (synthetic).
    pub nr: String,
    pub name: String,
    pub form: Schulform,
    pub stadtteil: usize,
    /// 50 or 58 columns in `SchuelerBasisdaten.dat`.
    pub width: usize,
}

/// The whole spatial structure.
#[derive(Clone, Debug)]
pub(crate) struct City {
    pub bezirke: Vec<(String, String)>,
    pub stadtteile: Vec<Stadtteil>,
    pub vertices: Vec<(f64, f64)>,
    pub blocks: Vec<Block>,
    pub streets: Vec<Street>,
    pub addresses: Vec<Address>,
    pub schools: Vec<School>,
}

impl City {
    /// Stadtteil index of an address.
    pub(crate) fn stadtteil_of_address(&self, a: usize) -> usize {
        self.blocks[self.addresses[a].block].stadtteil
    }
}

fn point_in_polygon(p: (f64, f64), poly: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let n = poly.len();
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = poly[i];
        let (xj, yj) = poly[j];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Shoelace area of a ring (positive if counter-clockwise).
pub(crate) fn ring_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    let mut s = 0.0;
    for i in 0..n {
        let (x1, y1) = ring[i];
        let (x2, y2) = ring[(i + 1) % n];
        s += x1 * y2 - x2 * y1;
    }
    s / 2.0
}

/// Builds the city for the scale parameters.
pub(crate) fn build(
    params: &Params,
    seed: u64,
    codes: &Codes,
    names: &Names,
    unmatched_rate: f64,
) -> City {
    let mut rng = Rng::derive(seed, &[tag::CITY]);
    let sf = params.area_factor;
    let (a, b) = (SEMI_AXES.0 * sf, SEMI_AXES.1 * sf);
    let (cx, cy) = CENTER;

    // Outline: a wobbly ellipse (star-shaped polygon).
    let phases: Vec<f64> = (0..4).map(|_| rng.unit() * std::f64::consts::TAU).collect();
    let n_out = 96;
    let outline: Vec<(f64, f64)> = (0..n_out)
        .map(|i| {
            let t = std::f64::consts::TAU * f64::from(i) / f64::from(n_out);
            let r = 1.0
                + 0.07 * det_sin(2.0 * t + phases[0])
                + 0.06 * det_sin(3.0 * t + phases[1])
                + 0.04 * det_sin(5.0 * t + phases[2])
                + 0.025 * det_sin(9.0 * t + phases[3]);
            (cx + a * r * det_cos(t), cy + b * r * det_sin(t))
        })
        .collect();
    let area = ring_area(&outline).abs();
    let spacing = (area / params.blocks as f64).sqrt();

    // Jittered lattice.
    let (minx, maxx) = outline.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (miny, maxy) = outline.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let nx = ((maxx - minx) / spacing).ceil() as usize + 3;
    let ny = ((maxy - miny) / spacing).ceil() as usize + 3;
    let x0 = minx - spacing;
    let y0 = miny - spacing;
    let mut vertices = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let jx = (rng.unit() - 0.5) * 0.56 * spacing;
            let jy = (rng.unit() - 0.5) * 0.56 * spacing;
            vertices.push((
                round2(x0 + i as f64 * spacing + jx),
                round2(y0 + j as f64 * spacing + jy),
            ));
        }
    }
    let vid = |i: usize, j: usize| j * nx + i;
    let mut blocks: Vec<Block> = Vec::new();
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            let corners = [vid(i, j), vid(i + 1, j), vid(i + 1, j + 1), vid(i, j + 1)];
            let center = corners.iter().fold((0.0, 0.0), |acc, &v| {
                (acc.0 + vertices[v].0 / 4.0, acc.1 + vertices[v].1 / 4.0)
            });
            if point_in_polygon(center, &outline) {
                blocks.push(Block {
                    key: String::new(),
                    stadtteil: 0,
                    cell: (i, j),
                    corners,
                    center,
                    empty: false,
                });
            }
        }
    }

    // Stadtteile: power diagram with weights tuned to the target areas.
    let defs = &codes.stadtteile;
    let seeds: Vec<(f64, f64)> = defs.iter().map(|d| (cx + d.x * a, cy + d.y * b)).collect();
    let total_area: f64 = defs.iter().map(|d| d.area).sum();
    let targets: Vec<f64> = defs
        .iter()
        .map(|d| d.area / total_area * blocks.len() as f64)
        .collect();
    let mut weights = vec![0.0f64; defs.len()];
    let cell_area = spacing * spacing;
    let assign = |p: (f64, f64), w: &[f64]| -> usize {
        let mut best = 0;
        let mut best_d = f64::MAX;
        for (k, s) in seeds.iter().enumerate() {
            let d = sq(p.0 - s.0) + sq(p.1 - s.1) - w[k];
            if d < best_d {
                best_d = d;
                best = k;
            }
        }
        best
    };
    for _ in 0..60 {
        let mut counts = vec![0.0f64; defs.len()];
        for bl in &blocks {
            counts[assign(bl.center, &weights)] += 1.0;
        }
        for k in 0..defs.len() {
            weights[k] += 0.8 * (targets[k] - counts[k]) * cell_area;
        }
    }
    for bl in &mut blocks {
        bl.stadtteil = assign(bl.center, &weights);
    }
    // Every Stadtteil gets at least two blocks: steal the nearest ones.
    for (k, &s) in seeds.iter().enumerate() {
        while blocks.iter().filter(|b| b.stadtteil == k).count() < 2 {
            let counts: Vec<usize> = (0..defs.len())
                .map(|t| blocks.iter().filter(|b| b.stadtteil == t).count())
                .collect();
            let nearest = blocks
                .iter()
                .enumerate()
                .filter(|(_, b)| b.stadtteil != k && counts[b.stadtteil] > 2)
                .min_by(|(_, p), (_, q)| {
                    let dp = sq(p.center.0 - s.0) + sq(p.center.1 - s.1);
                    let dq = sq(q.center.0 - s.0) + sq(q.center.1 - s.1);
                    dp.total_cmp(&dq)
                })
                .map(|(i, _)| i);
            match nearest {
                Some(i) => blocks[i].stadtteil = k,
                None => break,
            }
        }
    }

    let bezirke = codes.bezirke();
    let mut stadtteile: Vec<Stadtteil> = defs
        .iter()
        .map(|d| Stadtteil {
            def: d.clone(),
            bezirk: bezirke
                .iter()
                .position(|(nr, _)| *nr == d.bezirk_nr)
                .unwrap_or(0),
            blocks: Vec::new(),
            addresses: Vec::new(),
            population: 0.0,
        })
        .collect();
    let pop_total: f64 = defs.iter().map(|d| d.population).sum();
    for (k, st) in stadtteile.iter_mut().enumerate() {
        st.population = defs[k].population / pop_total * params.residents as f64;
    }

    // Block keys: north to south, west to east within the Stadtteil.
    let max_blocks = (0..defs.len())
        .map(|k| blocks.iter().filter(|b| b.stadtteil == k).count())
        .max()
        .unwrap_or(1);
    let width = max_blocks.to_string().len().max(3);
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    order.sort_by_key(|&i| {
        (
            blocks[i].stadtteil,
            usize::MAX - blocks[i].cell.1,
            blocks[i].cell.0,
        )
    });
    let mut counter = vec![0usize; defs.len()];
    for &i in &order {
        let k = blocks[i].stadtteil;
        counter[k] += 1;
        blocks[i].key = format!("{}{}{:0width$}", defs[k].bezirk_nr, defs[k].nr, counter[k]);
        stadtteile[k].blocks.push(i);
    }
    // Empty blocks (parks, industry, rail), but never all blocks of a Stadtteil.
    for st in &stadtteile {
        for (n, &bi) in st.blocks.iter().enumerate() {
            if n > 0 && rng.chance(0.08) {
                blocks[bi].empty = true;
            }
        }
    }

    let cell_index: BTreeMap<(usize, usize), usize> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (b.cell, i))
        .collect();

    // Streets and addresses per Stadtteil.
    let mut street_rng = Rng::derive(seed, &[tag::STREETS]);
    let mut streets: Vec<Street> = Vec::new();
    let mut used_names: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut addresses: Vec<Address> = Vec::new();
    let unique_scope_stadtteil = params.residents > 1_000_000;
    let addr_total = params.addresses as f64;
    for (k, stadtteil) in stadtteile.iter().enumerate() {
        let live: Vec<usize> = stadtteil
            .blocks
            .iter()
            .copied()
            .filter(|&bi| !blocks[bi].empty)
            .collect();
        if live.is_empty() {
            continue;
        }
        let n_addr = ((stadtteil.population / params.residents as f64) * addr_total)
            .round()
            .max(3.0) as usize;
        // Addresses per block.
        let bw: Vec<f64> = live.iter().map(|_| 0.3 + street_rng.unit() * 1.7).collect();
        let bw_sum: f64 = bw.iter().sum();
        let mut per_block: Vec<usize> = bw
            .iter()
            .map(|w| (w / bw_sum * n_addr as f64).floor() as usize)
            .collect();
        let mut assigned: usize = per_block.iter().sum();
        let mut idx = 0;
        while assigned < n_addr {
            let n = per_block.len();
            per_block[idx % n] += 1;
            assigned += 1;
            idx += 1;
        }
        // Streets: walks over neighbouring live blocks until every live block is covered.
        let live_set: BTreeSet<usize> = live.iter().copied().collect();
        let mut covered: BTreeSet<usize> = BTreeSet::new();
        let mut block_streets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut street_walks: Vec<(usize, Vec<usize>)> = Vec::new();
        for &start in &live {
            if covered.contains(&start) {
                continue;
            }
            let len = 1 + street_rng.index(4);
            let mut walk = vec![start];
            let mut cur = start;
            for _ in 0..len {
                let (ci, cj) = blocks[cur].cell;
                let mut nbrs = Vec::new();
                for (di, dj) in [(1i64, 0i64), (-1, 0), (0, 1), (0, -1)] {
                    let ni = ci as i64 + di;
                    let nj = cj as i64 + dj;
                    if ni < 0 || nj < 0 {
                        continue;
                    }
                    if let Some(&nb) = cell_index.get(&(ni as usize, nj as usize))
                        && live_set.contains(&nb)
                        && !walk.contains(&nb)
                    {
                        nbrs.push(nb);
                    }
                }
                if nbrs.is_empty() {
                    break;
                }
                cur = *street_rng.pick(&nbrs);
                walk.push(cur);
            }
            let plz = street_rng.pick(&stadtteil.def.plz).clone();
            let scope = if unique_scope_stadtteil { k } else { 0 };
            let name = street_name(names, &mut street_rng, scope, &mut used_names);
            let si = streets.len();
            streets.push(Street {
                name,
                key: String::new(),
                plz,
            });
            for &bl in &walk {
                covered.insert(bl);
                block_streets.entry(bl).or_default().push(si);
            }
            street_walks.push((si, walk));
        }
        // Numbering: each street numbers its addresses block by block along the walk, odd
        // numbers on one side and even on the other.
        let mut street_slots: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (pos, &bl) in live.iter().enumerate() {
            let options = &block_streets[&bl];
            for _ in 0..per_block[pos] {
                let si = *street_rng.pick(options);
                street_slots.entry(si).or_default().push(bl);
            }
        }
        for (si, walk) in &street_walks {
            let Some(slots) = street_slots.get(si) else {
                continue;
            };
            let mut next = [1u32, 2u32];
            let mut side = 0usize;
            for &bl in walk {
                let n_here = slots.iter().filter(|&&b| b == bl).count();
                for _ in 0..n_here {
                    let (number, suffix, range_end) = if street_rng.chance(0.06) && next[side] > 2 {
                        let base = next[side] - 2;
                        let letter = if street_rng.chance(0.7) { 'a' } else { 'b' };
                        (base, Some(letter), None)
                    } else if street_rng.chance(0.012) {
                        let n = next[side];
                        next[side] += 4;
                        (n, None, Some(n + 2))
                    } else {
                        let n = next[side];
                        next[side] += 2;
                        (n, None, None)
                    };
                    let (x, y) = point_in_block(&vertices, &blocks[bl], &mut street_rng);
                    addresses.push(Address {
                        street: *si,
                        number,
                        suffix,
                        range_end,
                        block: bl,
                        x,
                        y,
                        capacity: 1,
                        collective: false,
                        in_gliederung: true,
                    });
                    side = 1 - side;
                }
            }
        }
    }
    // A suffix address must not duplicate an existing one: drop duplicates.
    let mut seen: BTreeSet<(usize, u32, Option<char>)> = BTreeSet::new();
    addresses.retain(|a| seen.insert((a.street, a.number, a.suffix)));
    // Streets without addresses are dropped from the index too (keep their slot).
    // Street keys: alphabetical order, step 5 (like real Straßenschlüssel lists).
    let mut sorted: Vec<usize> = (0..streets.len()).collect();
    sorted.sort_by(|&p, &q| streets[p].name.cmp(&streets[q].name).then(p.cmp(&q)));
    for (rank, &si) in sorted.iter().enumerate() {
        streets[si].key = format!("{:05}", (rank + 1) * 5);
    }

    // Capacities (households) so that households x size ~ residents per Stadtteil.
    let mut cap_rng = Rng::derive(seed, &[tag::CITY, 2]);
    for (ai, addr) in addresses.iter_mut().enumerate() {
        let k = blocks[addr.block].stadtteil;
        let urban = defs[k].foreigner_share;
        let u = cap_rng.unit();
        let base = if u < 0.45 - urban {
            1.0
        } else if u < 0.60 - urban / 2.0 {
            2.0 + cap_rng.below(2) as f64
        } else if u < 0.85 {
            4.0 + cap_rng.below(6) as f64
        } else {
            10.0 + cap_rng.below(16) as f64
        };
        addr.capacity = base as u32;
        addr.in_gliederung =
            crate::rng::unit_of(seed, &[tag::CITY, 3, ai as u64]) >= unmatched_rate;
        stadtteile[k].addresses.push(ai);
    }
    for st in &stadtteile {
        let households = st.population / 2.15;
        let cap: f64 = st
            .addresses
            .iter()
            .map(|&a| f64::from(addresses[a].capacity))
            .sum();
        let factor = households / cap.max(1.0);
        for &a in &st.addresses {
            let c = (f64::from(addresses[a].capacity) * factor).round().max(1.0);
            addresses[a].capacity = c as u32;
        }
    }
    // Collective accommodation: a few large buildings in the Stadtteile most used for it.
    let n_collective = params.collective_sites.max(1);
    let mut cands: Vec<usize> = (0..addresses.len())
        .filter(|&a| addresses[a].suffix.is_none())
        .collect();
    cands.sort_by(|&p, &q| {
        let wp = defs[blocks[addresses[p].block].stadtteil].refugee_weight;
        let wq = defs[blocks[addresses[q].block].stadtteil].refugee_weight;
        wq.total_cmp(&wp).then(p.cmp(&q))
    });
    let top = cands.len().min(n_collective * 12).max(1);
    let mut chosen = BTreeSet::new();
    let mut guard = 0;
    while chosen.len() < n_collective.min(cands.len()) && guard < 10_000 {
        guard += 1;
        let a = cands[cap_rng.index(top)];
        let st = blocks[addresses[a].block].stadtteil;
        if chosen
            .iter()
            .all(|&c: &usize| blocks[addresses[c].block].stadtteil != st || chosen.len() >= 18)
        {
            chosen.insert(a);
        }
    }
    for a in chosen {
        addresses[a].collective = true;
        addresses[a].in_gliederung = true;
    }

    let schools = build_schools(params, seed, &stadtteile, &streets, &addresses);
    City {
        bezirke,
        stadtteile,
        vertices,
        blocks,
        streets,
        addresses,
        schools,
    }
}

fn sq(x: f64) -> f64 {
    x * x
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A point inside a block (bilinear interpolation of the quad).
fn point_in_block(vertices: &[(f64, f64)], b: &Block, rng: &mut Rng) -> (f64, f64) {
    let u = 0.15 + 0.7 * rng.unit();
    let v = 0.15 + 0.7 * rng.unit();
    let p = |i: usize| vertices[b.corners[i]];
    let (p0, p1, p2, p3) = (p(0), p(1), p(2), p(3));
    let x =
        (1.0 - u) * (1.0 - v) * p0.0 + u * (1.0 - v) * p1.0 + u * v * p2.0 + (1.0 - u) * v * p3.0;
    let y =
        (1.0 - u) * (1.0 - v) * p0.1 + u * (1.0 - v) * p1.1 + u * v * p2.1 + (1.0 - u) * v * p3.1;
    (round2(x), round2(y))
}

/// A new street name, unique within `scope` (the whole city, or a Stadtteil at metropolis
/// scale where, as in merged big cities, names repeat across districts).
fn street_name(
    names: &Names,
    rng: &mut Rng,
    scope: usize,
    used: &mut BTreeSet<(usize, String)>,
) -> String {
    for attempt in 0..400 {
        let u = rng.unit();
        let name = if u < 0.62 {
            let stem = rng.pick(&names.street_stems);
            let suffix = rng.pick(&names.street_suffixes);
            format!("{stem}{suffix}")
        } else if u < 0.72 {
            let adj = rng.pick(&names.street_adjectives);
            let suffix = ["Straße", "Straße", "Weg", "Allee", "Platz"][rng.index(5)];
            format!("{adj} {suffix}")
        } else if u < 0.86 {
            let person = rng.pick(&names.street_persons).replace(' ', "-");
            let suffix = ["Straße", "Straße", "Straße", "Weg", "Platz", "Allee"][rng.index(6)];
            format!("{person}-{suffix}")
        } else if u < 0.95 {
            let place = rng.pick(&names.street_places_m);
            let prep = if place.ends_with("grund")
                || place.ends_with("hain")
                || place.ends_with("kamp")
                || place.ends_with("hof")
            {
                "Im"
            } else {
                "Am"
            };
            format!("{prep} {place}")
        } else {
            let place = rng.pick(&names.street_places_f);
            format!("An der {place}")
        };
        // After many attempts, qualify the name like real cities do ("Alte ...").
        let name = if attempt > 300 {
            format!("Alte {name}")
        } else {
            name
        };
        if used.insert((scope, name.clone())) {
            return name;
        }
    }
    let name = format!("Neue Straße {}", used.len() + 1);
    used.insert((scope, name.clone()));
    name
}

fn build_schools(
    params: &Params,
    seed: u64,
    stadtteile: &[Stadtteil],
    streets: &[Street],
    addresses: &[Address],
) -> Vec<School> {
    let mut rng = Rng::derive(seed, &[tag::SCHOOLS]);
    let mut schools = Vec::new();
    let pops: Vec<f64> = stadtteile.iter().map(|s| s.population).collect();
    let mut used_names = BTreeSet::new();
    let mut nr = 180_000 + rng.below(9_000) as u32;
    for form in Schulform::ALL {
        let count = params.schools(form);
        for i in 0..count {
            // Grundschulen spread over all Stadtteile, the others by population.
            let k = if form == Schulform::G && i < stadtteile.len() {
                i
            } else {
                rng.weighted(&pops)
            };
            let st = &stadtteile[k];
            let name = if st.addresses.is_empty() {
                format!("{} {}", form.prefix(), st.def.name)
            } else {
                let a = st.addresses[rng.index(st.addresses.len())];
                let street = &streets[addresses[a].street].name;
                let base = format!("{} {}", form.prefix(), street);
                if used_names.contains(&base) {
                    format!("{} {} {}", form.prefix(), st.def.name, i + 1)
                } else {
                    base
                }
            };
            used_names.insert(name.clone());
            nr += 1 + rng.below(40) as u32;
            schools.push(School {
                nr: format!("{nr:06}"),
                name,
                form,
                stadtteil: k,
                width: if schools.len() % 2 == 0 { 58 } else { 50 },
            });
        }
    }
    schools
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_trig_is_accurate() {
        for i in -40..40 {
            let x = f64::from(i) * 0.37;
            assert!((det_sin(x) - x.sin()).abs() < 1e-12, "{x}");
            assert!((det_cos(x) - x.cos()).abs() < 1e-12, "{x}");
        }
    }

    #[test]
    fn ring_area_of_a_square() {
        assert_eq!(
            ring_area(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]),
            4.0
        );
        assert!(point_in_polygon(
            (1.0, 1.0),
            &[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
        ));
    }
}
