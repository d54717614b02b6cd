//! What the integration tests share: the synthetic city's exports as the office would load
//! them, the exact differencing oracle and its rank, and deterministic random numbers.

#![allow(dead_code)]

use lagebild_core::session::{Incoming, Session};
use lagebild_core::tabulate::{CategoryDef, DimensionDef, LevelDef};
use lagebild_synth::{FileEntry, Output};

/// The exports a user would load: no subsets or copies of other exports.
pub fn user_exports(output: &Output) -> impl Iterator<Item = &FileEntry> {
    output
        .manifest
        .files
        .iter()
        .filter(|e| e.subset_of.is_none() && e.duplicate_of.is_none())
}

/// A session with the user exports of `output` that `keep` accepts imported, their sources
/// detected as in the app.
pub fn session_of(output: &Output, keep: impl Fn(&FileEntry) -> bool) -> Session<Vec<u8>> {
    let files: Vec<Incoming<Vec<u8>>> = user_exports(output)
        .filter(|e| keep(e))
        .map(|e| Incoming::detected(name_of(&e.path), &e.path, bytes_of(output, e).to_vec()))
        .collect();
    let mut session = Session::<Vec<u8>>::default();
    session.import(files, &mut |_, _, _, _| {});
    session
}

/// The AKDN exports of `output` whose report months all lie in `months` (one file per month
/// where the city writes one), as detected files; with the months they cover, each once.
pub fn akdn_exports_of(
    output: &Output,
    months: &[lagebild_core::records::YearMonth],
) -> (
    Vec<Incoming<Vec<u8>>>,
    Vec<lagebild_core::records::YearMonth>,
) {
    let mut files = Vec::new();
    let mut covered = Vec::new();
    for entry in user_exports(output) {
        if entry.source != lagebild_synth::SourceKind::Akdn || entry.report_months.is_empty() {
            continue;
        }
        let of_entry: Vec<lagebild_core::records::YearMonth> = entry
            .report_months
            .iter()
            .map(|m| {
                let (y, mo) = m.split_once('-').expect("JJJJ-MM");
                lagebild_core::records::YearMonth::new(
                    y.parse().expect("year"),
                    mo.parse().expect("month"),
                )
                .expect("a month")
            })
            .collect();
        if of_entry.iter().all(|m| months.contains(m)) {
            covered.extend(of_entry);
            files.push(Incoming::detected(
                name_of(&entry.path),
                &entry.path,
                bytes_of(output, entry).to_vec(),
            ));
        }
    }
    covered.sort();
    covered.dedup();
    (files, covered)
}

/// The file name of a manifest path.
pub fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The bytes of a generated file.
pub fn bytes_of<'o>(output: &'o Output, entry: &FileEntry) -> &'o [u8] {
    &output.file(&entry.path).expect("generated file").bytes
}

/// `csv` (a Meldewesen export) with the sex of its first `n` residents set to `d`, and the
/// one after them to `x`.
pub fn with_divers(csv: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, line) in csv.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let mut fields: Vec<Vec<u8>> = line.split(|&b| b == b';').map(<[u8]>::to_vec).collect();
        if (1..=n + 1).contains(&i) && fields.len() > 5 {
            fields[5] = if i <= n { b"d".to_vec() } else { b"x".to_vec() };
        }
        out.extend(fields.join(&b';'));
    }
    out
}

/// Rank of a dense rational matrix (exact: fraction-free elimination in i128).
pub fn rank(mut m: Vec<Vec<i128>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for c in 0..cols {
        let Some(p) = (rank..m.len()).find(|&r| m[r][c] != 0) else {
            continue;
        };
        m.swap(rank, p);
        for r in 0..m.len() {
            if r != rank && m[r][c] != 0 {
                let (a, b) = (m[rank][c], m[r][c]);
                let pivot = m[rank].clone();
                for (x, p) in m[r].iter_mut().zip(&pivot) {
                    *x = *x * a - p * b;
                }
                let g = m[r].iter().fold(0i128, |g, &x| gcd(g, x.abs()));
                if g > 1 {
                    m[r].iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        rank += 1;
    }
    rank
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The differencing oracle: a set of combinations with a count of 1 or 2 whose indicator is
/// in the row space of the published cells `sets` (combinations, value), with `counts` per
/// combination. Combinations inside a published zero are known to be empty; a set of 1 or 2
/// holds at most two non-empty combinations and any of the (first twelve) empty ones, all of
/// which are tried.
pub fn set_of_one_or_two(counts: &[u64], sets: &[(Vec<usize>, u64)]) -> Option<Vec<usize>> {
    let known_zero: Vec<bool> = (0..counts.len())
        .map(|a| sets.iter().any(|(m, v)| *v == 0 && m.contains(&a)))
        .collect();
    let unknown: Vec<usize> = (0..counts.len()).filter(|&a| !known_zero[a]).collect();
    let rows: Vec<Vec<i128>> = sets
        .iter()
        .filter(|(_, v)| *v > 0)
        .map(|(m, _)| unknown.iter().map(|a| i128::from(m.contains(a))).collect())
        .collect();
    if rows.is_empty() {
        return None;
    }
    let base = rank(rows.clone());
    let full: Vec<usize> = (0..unknown.len())
        .filter(|&i| counts[unknown[i]] > 0)
        .collect();
    let empty: Vec<usize> = (0..unknown.len())
        .filter(|&i| counts[unknown[i]] == 0)
        .collect();
    let mut cores: Vec<Vec<usize>> = full.iter().map(|&i| vec![i]).collect();
    for (x, &i) in full.iter().enumerate() {
        for &j in &full[x + 1..] {
            cores.push(vec![i, j]);
        }
    }
    for core in cores {
        let n: u64 = core.iter().map(|&i| counts[unknown[i]]).sum();
        if !(1..=2).contains(&n) {
            continue;
        }
        for mask in 0u32..(1 << empty.len().min(12)) {
            let mut set = core.clone();
            set.extend(
                empty
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| mask & (1 << b) != 0)
                    .map(|(_, &i)| i),
            );
            let mut with = rows.clone();
            with.push(
                (0..unknown.len())
                    .map(|i| i128::from(set.contains(&i)))
                    .collect(),
            );
            if rank(with) == base {
                return Some(set.iter().map(|&i| unknown[i]).collect());
            }
        }
    }
    None
}

/// Deterministic pseudo-random numbers for the randomised checks.
pub struct Lcg(pub u64);

impl Lcg {
    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Rows of a truth CSV of `output` as maps from header to value.
pub fn truth(output: &Output, name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = String::from_utf8(
        output
            .file(&format!("truth/{name}"))
            .expect(name)
            .bytes
            .clone(),
    )
    .expect("utf-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(';').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split(';'))
                .map(|(h, v)| ((*h).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// The grand total of a table (its total row in its total column, or its only column).
pub fn total(table: &lagebild_core::tabulate::Table) -> u64 {
    use lagebild_core::tabulate::{TOTAL_KEY, index_of};
    let r = index_of(table.row_axes(), &[TOTAL_KEY]).expect("total row");
    let c = if table.column_axes().is_empty() {
        0
    } else {
        index_of(table.column_axes(), &[TOTAL_KEY]).expect("total column")
    };
    table.cell(r, c).unwrap_or(0)
}

/// The `raum` dimension of the small test cities: Stadtbezirke `(key, label)` over Stadtteile
/// `(key, Stadtbezirk)`, each Stadtteil labelled with its key.
pub fn raum(bezirke: &[(&str, &str)], stadtteile: &[(&str, &str)]) -> DimensionDef {
    DimensionDef {
        key: "raum".into(),
        label: "Gebiet".into(),
        levels: vec![
            LevelDef {
                key: "bezirk".into(),
                label: "Stadtbezirk".into(),
                categories: bezirke
                    .iter()
                    .map(|(k, l)| CategoryDef::new(*k, *l))
                    .collect(),
            },
            LevelDef {
                key: "stadtteil".into(),
                label: "Stadtteil".into(),
                categories: stadtteile
                    .iter()
                    .map(|(k, parent)| CategoryDef::child(*k, *k, *parent))
                    .collect(),
            },
        ],
        sums: Vec::new(),
    }
}
