//! Evaluation against a ground truth (the synthetic city's `truth/records.csv`): precision,
//! recall and F1 of the matches of a linkage. Only counts leave this module.

use std::collections::HashMap;

use super::{LinkOptions, LinkRecord, Match, Prepared, RuleCount, link};
use crate::import::{Dataset, ImportOptions, Importer, Records, SourceKind};
use crate::locate::AddressIndex;

/// The true person behind every record: `file;sheet;row;person_id;…` as the synthetic city
/// writes it.
#[derive(Clone, Debug, Default)]
pub struct Truth {
    files: HashMap<String, u32>,
    persons: HashMap<String, u32>,
    rows: HashMap<(u32, u32), u32>,
}

impl Truth {
    /// Reads `truth/records.csv` (UTF-8, `;`, header line).
    pub fn parse(bytes: &[u8]) -> Result<Truth, String> {
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(bytes);
        let headers = reader.headers().map_err(|e| e.to_string())?.clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| format!("Spalte {name} fehlt in der Wahrheitsdatei"))
        };
        let (file, sheet, row, person) =
            (col("file")?, col("sheet")?, col("row")?, col("person_id")?);
        let mut truth = Truth::default();
        for record in reader.records() {
            let record = record.map_err(|e| e.to_string())?;
            let (Some(f), Some(s), Some(r), Some(p)) = (
                record.get(file),
                record.get(sheet),
                record.get(row),
                record.get(person),
            ) else {
                continue;
            };
            let Ok(r) = r.parse::<u32>() else {
                continue;
            };
            let next = truth.files.len() as u32;
            let file_id = *truth.files.entry(format!("{f}\u{0}{s}")).or_insert(next);
            let next = truth.persons.len() as u32;
            let person_id = *truth.persons.entry(p.to_string()).or_insert(next);
            truth.rows.insert((file_id, r), person_id);
        }
        Ok(truth)
    }

    /// Number of records known.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True if no record is known.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The person (dense id) behind row `row` of `file` (path as in the truth, e.g.
    /// `exports/akdn/…`) and sheet (empty for text files; tried empty if not found).
    pub fn person(&self, file: &str, sheet: &str, row: u32) -> Option<u32> {
        let id = self
            .files
            .get(&format!("{file}\u{0}{sheet}"))
            .or_else(|| self.files.get(&format!("{file}\u{0}")))?;
        self.rows.get(&(*id, row)).copied()
    }
}

/// Precision, recall and F1 of a linkage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quality {
    /// Matches made.
    pub predicted: usize,
    /// Matches joining records of the same person.
    pub correct: usize,
    /// The most correct one-to-one matches possible: per person the smaller of its record
    /// counts in A and B, summed.
    pub possible: usize,
}

impl Quality {
    /// Scores `matches` given the person behind each record of A and B.
    pub fn evaluate(a: &[Option<u32>], b: &[Option<u32>], matches: &[Match]) -> Quality {
        let mut counts: HashMap<u32, (usize, usize)> = HashMap::new();
        for p in a.iter().flatten() {
            counts.entry(*p).or_default().0 += 1;
        }
        for p in b.iter().flatten() {
            counts.entry(*p).or_default().1 += 1;
        }
        let possible = counts.values().map(|&(x, y)| x.min(y)).sum();
        let correct = matches
            .iter()
            .filter(|m| {
                let pa = a.get(m.a as usize).copied().flatten();
                let pb = b.get(m.b as usize).copied().flatten();
                pa.is_some() && pa == pb
            })
            .count();
        Quality {
            predicted: matches.len(),
            correct,
            possible,
        }
    }

    /// Correct matches / matches made.
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    /// Correct matches / possible matches.
    pub fn recall(&self) -> f64 {
        if self.possible == 0 {
            1.0
        } else {
            self.correct as f64 / self.possible as f64
        }
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The exports of a synthetic city used for the evaluation, chosen from its `manifest.json`:
/// the newest Meldewesen and ALW snapshots (`EWO_Bestand_…`, `ALW_Auslaender_…`), the newest
/// single-month AKDN file, every SchILD file and the Gliederung CSV.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Meldewesen snapshot.
    pub meldewesen: String,
    /// ALW snapshot.
    pub alw: String,
    /// AKDN month.
    pub akdn: String,
    /// SchILD files.
    pub schild: Vec<String>,
    /// Gliederung address table, if any.
    pub gliederung: Option<String>,
}

impl Selection {
    /// Chooses the files from the bytes of `manifest.json`.
    pub fn from_manifest(bytes: &[u8]) -> Result<Selection, String> {
        let manifest: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("manifest.json: {e}"))?;
        let files = manifest
            .get("files")
            .and_then(|f| f.as_array())
            .ok_or("manifest.json: keine Dateiliste")?;
        let text = |f: &serde_json::Value, key: &str| {
            f.get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let mut best: HashMap<&str, (String, String)> = HashMap::new();
        let mut selection = Selection::default();
        for f in files {
            let (path, source) = (text(f, "path"), text(f, "source"));
            let months: Vec<String> = f
                .get("report_months")
                .and_then(|m| m.as_array())
                .map(|m| {
                    m.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let (slot, rank) = match source.as_str() {
                "Meldewesen" if path.contains("EWO_Bestand") => ("m", text(f, "snapshot_date")),
                "ALW" if path.contains("ALW_Auslaender") => ("a", text(f, "snapshot_date")),
                "AKDN" if months.len() == 1 => ("k", months[0].clone()),
                "SchILD" => {
                    selection.schild.push(path);
                    continue;
                }
                "Gliederung" if path.ends_with(".csv") => {
                    selection.gliederung = Some(path);
                    continue;
                }
                _ => continue,
            };
            let entry = best.entry(slot).or_default();
            if rank > entry.0 {
                *entry = (rank, path);
            }
        }
        let take = |slot: &str, what: &str| {
            best.get(slot)
                .map(|(_, p)| p.clone())
                .ok_or_else(|| format!("manifest.json: kein {what}-Export"))
        };
        selection.meldewesen = take("m", "Meldewesen")?;
        selection.alw = take("a", "ALW")?;
        selection.akdn = take("k", "AKDN")?;
        Ok(selection)
    }
}

/// The evaluation of one pair of registers.
#[derive(Clone, Debug)]
pub struct PairEval {
    /// German name of the pair, e.g. `ALW × Meldewesen`.
    pub name: &'static str,
    /// Records of A and B.
    pub records: (usize, usize),
    /// Precision, recall, F1.
    pub quality: Quality,
    /// Pairs per blocking rule.
    pub rules: Vec<RuleCount>,
    /// Distinct candidate pairs.
    pub candidate_pairs: usize,
    /// Pairs in the clerical review band.
    pub review: usize,
    /// Review pairs that are true matches.
    pub review_true: usize,
    /// EM iterations.
    pub em_iterations: usize,
    /// Seconds for the linkage (blocking to assignment), from the caller's clock.
    pub seconds: f64,
}

/// The evaluation of the linkages of a synthetic city.
#[derive(Clone, Debug)]
pub struct CityEval {
    /// ALW × Meldewesen, AKDN × ALW, SchILD × ALW (those whose registers were given).
    pub pairs: Vec<PairEval>,
    /// The files imported, with the source each was read as.
    pub files: Vec<(String, SourceKind)>,
    /// Seconds to import the exports.
    pub import_seconds: f64,
    /// Seconds to prepare the link records (normalised names, addresses).
    pub prepare_seconds: f64,
}

/// One export to evaluate: its path as the ground truth names it (e.g.
/// `exports/akdn/AKDN_AsylbLG_2026-10.xlsx`) and its source, if known (else detected).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalFile {
    /// Path as in `truth/records.csv`.
    pub path: String,
    /// Source kind; `None` detects it from the file as the import does.
    pub source: Option<SourceKind>,
}

impl Selection {
    /// The selected files with their sources.
    pub fn files(&self) -> Vec<EvalFile> {
        let known = |path: &String, source| EvalFile {
            path: path.clone(),
            source: Some(source),
        };
        let mut files = vec![
            known(&self.meldewesen, SourceKind::Meldewesen),
            known(&self.alw, SourceKind::Alw),
            known(&self.akdn, SourceKind::Akdn),
        ];
        files.extend(self.schild.iter().map(|p| known(p, SourceKind::Schild)));
        files.extend(
            self.gliederung
                .iter()
                .map(|p| known(p, SourceKind::Gliederung)),
        );
        files
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Imports the selected exports (`read` returns the bytes of a manifest path), links
/// ALW × Meldewesen, AKDN × ALW and SchILD × ALW and scores them against `truth`.
/// `clock` returns seconds (the caller's timer; none exists in plain WebAssembly).
pub fn evaluate_city(
    selection: &Selection,
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    truth: &Truth,
    options: &LinkOptions,
    clock: &dyn Fn() -> f64,
) -> Result<CityEval, String> {
    evaluate(&selection.files(), read, truth, options, clock, true)
}

/// Imports `files` (`read` returns the bytes of a path), links ALW × Meldewesen,
/// AKDN × ALW and SchILD × ALW where both registers are among the files, and scores the
/// linkages against `truth`. A Gliederung file, if given, adds Baublock comparisons.
pub fn evaluate_files(
    files: &[EvalFile],
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    truth: &Truth,
    options: &LinkOptions,
    clock: &dyn Fn() -> f64,
) -> Result<CityEval, String> {
    evaluate(files, read, truth, options, clock, false)
}

/// Imports, links and scores; `all_pairs` links all three pairs even if a register is
/// missing (then with no records on that side).
fn evaluate(
    files: &[EvalFile],
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    truth: &Truth,
    options: &LinkOptions,
    clock: &dyn Fn() -> f64,
    all_pairs: bool,
) -> Result<CityEval, String> {
    let start = clock();
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let mut paths: Vec<String> = Vec::new();
    let mut sources: Vec<(String, SourceKind)> = Vec::new();
    for file in files {
        let bytes = read(&file.path)?;
        let import_options = ImportOptions {
            source: file.source,
            ..ImportOptions::default()
        };
        let imported =
            importer.import(&mut dataset, file_name(&file.path), &bytes, &import_options);
        if let Some(e) = &imported.report.error {
            return Err(format!("{}: {e}", file.path));
        }
        let kind = match &imported.records {
            Records::Meldewesen(_) => SourceKind::Meldewesen,
            Records::Alw(_) => SourceKind::Alw,
            Records::Akdn(_) => SourceKind::Akdn,
            Records::Schild(_) => SourceKind::Schild,
            Records::Gliederung(_) => SourceKind::Gliederung,
            _ => return Err(format!("{}: keine Registerdatei", file.path)),
        };
        paths.push(file.path.clone());
        sources.push((file.path.clone(), kind));
    }
    let import_seconds = clock() - start;

    let start = clock();
    let index = dataset.files.iter().find_map(|f| match &f.records {
        Records::Gliederung(entries) => Some(AddressIndex::build(&dataset.pool, entries)),
        _ => None,
    });
    let mut prepared = Prepared::new(&dataset.pool, index.as_ref());
    let (mut melde, mut alw, mut akdn, mut schild) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for file in &dataset.files {
        match &file.records {
            Records::Meldewesen(r) => melde.extend(prepared.residents(r)),
            Records::Alw(r) => alw.extend(prepared.foreigners(r)),
            Records::Akdn(r) => akdn.extend(prepared.benefits(r)),
            Records::Schild(r) => schild.extend(prepared.pupils(r)),
            _ => {}
        }
    }
    let prepare_seconds = clock() - start;

    let persons = |records: &[LinkRecord]| -> Vec<Option<u32>> {
        records
            .iter()
            .map(|r| {
                let file = dataset.files.get(r.origin.file as usize)?;
                let path = paths.get(r.origin.file as usize)?;
                let sheet = file
                    .report
                    .sheets
                    .get(usize::from(r.origin.sheet))
                    .or(file.report.sheet.as_ref())
                    .map(String::as_str)
                    .unwrap_or_default();
                truth.person(path, sheet, r.origin.row)
            })
            .collect()
    };
    let given = |kind: SourceKind| sources.iter().any(|(_, k)| *k == kind);
    let mut pairs = Vec::new();
    for (name, a, b, kinds) in [
        (
            "ALW × Meldewesen",
            &alw,
            &melde,
            (SourceKind::Alw, SourceKind::Meldewesen),
        ),
        (
            "AKDN × ALW",
            &akdn,
            &alw,
            (SourceKind::Akdn, SourceKind::Alw),
        ),
        (
            "SchILD × ALW",
            &schild,
            &alw,
            (SourceKind::Schild, SourceKind::Alw),
        ),
    ] {
        let wanted = all_pairs || (given(kinds.0) && given(kinds.1));
        if !wanted {
            continue;
        }
        let start = clock();
        let linkage = link(&prepared, a, b, options);
        let seconds = clock() - start;
        let (pa, pb) = (persons(a), persons(b));
        let review_true = Quality::evaluate(&pa, &pb, &linkage.review).correct;
        pairs.push(PairEval {
            name,
            records: (a.len(), b.len()),
            quality: Quality::evaluate(&pa, &pb, &linkage.matches),
            rules: linkage.rules.clone(),
            candidate_pairs: linkage.candidate_pairs,
            review: linkage.review.len(),
            review_true,
            em_iterations: linkage.model.iterations,
            seconds,
        });
    }
    Ok(CityEval {
        pairs,
        files: sources,
        import_seconds,
        prepare_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_counts_one_to_one() {
        let a = [Some(1), Some(1), Some(2), None];
        let b = [Some(1), Some(3), Some(2)];
        let matches = [Match::new(0, 0, 5.0), Match::new(2, 1, 1.0)];
        let q = Quality::evaluate(&a, &b, &matches);
        assert_eq!((q.predicted, q.correct, q.possible), (2, 1, 2));
        assert!((q.f1() - 0.5).abs() < 1e-12);
        let truth =
            Truth::parse(b"file;sheet;row;person_id;noise\nx.csv;;2;P1;\nx.xlsx;Tab;3;P1;\n")
                .unwrap();
        assert_eq!(
            truth.person("x.csv", "", 2),
            truth.person("x.xlsx", "Tab", 3)
        );
        assert!(truth.person("x.csv", "", 3).is_none());
        assert_eq!(truth.len(), 2);
    }
}
