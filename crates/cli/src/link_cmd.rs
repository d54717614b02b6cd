//! `lagebild link-eval`: links the registers of a synthetic city (ALW × Meldewesen,
//! AKDN × ALW, SchILD × ALW) and prints precision, recall and F1 against its ground truth,
//! the pairs per blocking rule and the times. Two forms:
//!
//! - `--synth-dir DIR`: the files are chosen from the city's `manifest.json`;
//! - `--truth DIR FILE…`: the given export files (source detected as in `lagebild import`),
//!   scored against the ground truth in `DIR` (the city's `truth/` directory or the city
//!   directory itself).
//!
//! `--json` prints one JSON object instead of the table. Only counts, rates and times are
//! printed, never a record.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use lagebild_core::link::eval::{
    CityEval, EvalFile, Selection, Truth, evaluate_city, evaluate_files,
};
use lagebild_core::link::{BlockingRule, LinkOptions};

/// Arguments of `lagebild link-eval`.
#[derive(Args)]
pub struct LinkEvalArgs {
    /// Verzeichnis einer synthetischen Stadt (lagebild-synth --out DIR): manifest.json,
    /// exports/ und truth/records.csv; die Dateien werden aus manifest.json gewählt.
    #[arg(long = "synth-dir", conflicts_with_all = ["truth", "files"], required_unless_present = "truth")]
    synth_dir: Option<PathBuf>,
    /// Wahrheitsverzeichnis einer synthetischen Stadt (DIR/truth mit records.csv, oder die
    /// Stadt selbst); verknüpft werden die angegebenen Exportdateien.
    #[arg(long, requires = "files")]
    truth: Option<PathBuf>,
    /// Exportdateien der Stadt (Quelle wird erkannt wie bei `lagebild import`).
    files: Vec<PathBuf>,
    /// Ausgabe als ein JSON-Objekt (Präzision, Sensitivität, F1, Zeit und Paare je
    /// Registerpaar).
    #[arg(long)]
    json: bool,
    /// Schwelle des Übereinstimmungsgewichts (log2) für eine Verknüpfung.
    #[arg(long, default_value_t = LinkOptions::default().match_weight, allow_negative_numbers = true)]
    schwelle: f64,
    /// Untere Grenze des Prüfbands (log2-Gewicht).
    #[arg(long, default_value_t = LinkOptions::default().review_weight, allow_negative_numbers = true)]
    pruefband: f64,
    /// Zufallspaare für die u-Wahrscheinlichkeiten.
    #[arg(long, default_value_t = LinkOptions::default().random_pairs)]
    zufallspaare: usize,
    /// Blockungsregeln (Nummern 1-4, z. B. `1,2,3`): 1 Geburtsdatum, 2 Geburtsjahr +
    /// Familienname, 3 Vor- und Familienname, 4 Geburtsjahr + Vorname.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 2, 3, 4])]
    regeln: Vec<usize>,
    /// Ohne Anpassung an die Namenshäufigkeit.
    #[arg(long)]
    ohne_haeufigkeit: bool,
}

fn pct(x: f64) -> String {
    format!("{:.2} %", x * 100.0).replace('.', ",")
}

fn num(x: f64) -> String {
    format!("{x:.4}").replace('.', ",")
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    crate::input::read_export(path)
}

/// The files to link, each with its path as the truth names it, and the real paths.
struct Inputs {
    /// The manifest's choice (`--synth-dir`): all three pairs are linked.
    selection: Option<Selection>,
    files: Vec<EvalFile>,
    real: HashMap<String, PathBuf>,
    truth: PathBuf,
}

/// `--synth-dir DIR`: files from the manifest.
fn from_synth_dir(dir: &Path) -> Result<Inputs, String> {
    let selection = Selection::from_manifest(&read_file(&dir.join("manifest.json"))?)?;
    let files = selection.files();
    let real = files
        .iter()
        .map(|f| (f.path.clone(), dir.join(&f.path)))
        .collect();
    Ok(Inputs {
        selection: Some(selection),
        files,
        real,
        truth: dir.join("truth/records.csv"),
    })
}

/// `--truth DIR FILE…`: the given files, named relative to the city directory.
fn from_truth(dir: &Path, paths: &[PathBuf]) -> Result<Inputs, String> {
    let (root, truth) = if dir.join("records.csv").is_file() {
        (dir.join(".."), dir.join("records.csv"))
    } else {
        (dir.to_path_buf(), dir.join("truth/records.csv"))
    };
    let root = root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let mut files = Vec::new();
    let mut real = HashMap::new();
    for path in paths {
        let full = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let relative = full.strip_prefix(&root).map_err(|_| {
            format!(
                "{}: liegt nicht im Verzeichnis der synthetischen Stadt {}",
                path.display(),
                root.display()
            )
        })?;
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        real.insert(name.clone(), full);
        files.push(EvalFile {
            path: name,
            source: None,
        });
    }
    Ok(Inputs {
        selection: None,
        files,
        real,
        truth,
    })
}

/// Runs `lagebild link-eval`.
pub fn run(args: &LinkEvalArgs) -> Result<ExitCode, String> {
    let inputs = match (&args.synth_dir, &args.truth) {
        (Some(dir), _) => from_synth_dir(dir)?,
        (None, Some(dir)) => from_truth(dir, &args.files)?,
        (None, None) => return Err("--synth-dir oder --truth angeben".into()),
    };
    let start = Instant::now();
    let truth = Truth::parse(&read_file(&inputs.truth)?)?;
    let truth_seconds = start.elapsed().as_secs_f64();
    let options = LinkOptions {
        match_weight: args.schwelle,
        review_weight: args.pruefband.min(args.schwelle),
        random_pairs: args.zufallspaare,
        term_frequency: !args.ohne_haeufigkeit,
        rules: args
            .regeln
            .iter()
            .map(|&n| {
                n.checked_sub(1)
                    .and_then(|i| BlockingRule::ALL.get(i).copied())
                    .ok_or_else(|| format!("Blockungsregel {n} gibt es nicht (1-4)"))
            })
            .collect::<Result<_, _>>()?,
        ..LinkOptions::default()
    };
    let clock_start = Instant::now();
    let clock = || clock_start.elapsed().as_secs_f64();
    let mut read = |path: &str| match inputs.real.get(path) {
        Some(real) => read_file(real),
        None => Err(format!("{path}: unbekannte Datei")),
    };
    let eval = match &inputs.selection {
        Some(selection) => evaluate_city(selection, &mut read, &truth, &options, &clock)?,
        None => evaluate_files(&inputs.files, &mut read, &truth, &options, &clock)?,
    };
    if eval.pairs.is_empty() {
        return Err(
            "kein Registerpaar zu verknüpfen: ALW mit Meldewesen, AKDN oder SchILD angeben".into(),
        );
    }
    if args.json {
        println!("{}", json(&eval, truth_seconds));
        return Ok(ExitCode::SUCCESS);
    }
    print_table(&eval, truth_seconds);
    Ok(ExitCode::SUCCESS)
}

/// The evaluation as one JSON object (counts, rates and seconds only).
fn json(eval: &CityEval, truth_seconds: f64) -> serde_json::Value {
    let link_seconds: f64 = eval.pairs.iter().map(|p| p.seconds).sum();
    let pairs: Vec<serde_json::Value> = eval
        .pairs
        .iter()
        .map(|p| {
            let q = p.quality;
            serde_json::json!({
                "pair": p.name,
                "records_a": p.records.0,
                "records_b": p.records.1,
                "predicted": q.predicted,
                "correct": q.correct,
                "possible": q.possible,
                "precision": q.precision(),
                "recall": q.recall(),
                "f1": q.f1(),
                "candidate_pairs": p.candidate_pairs,
                "review": p.review,
                "review_true": p.review_true,
                "em_iterations": p.em_iterations,
                "seconds": p.seconds,
                "rules": p.rules.iter().map(|r| serde_json::json!({
                    "rule": r.rule.label(),
                    "pairs": r.pairs,
                    "new_pairs": r.new_pairs,
                    "skipped_pairs": r.skipped_pairs,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "files": eval.files.iter().map(|(path, source)| serde_json::json!({
            "path": path,
            "source": source,
        })).collect::<Vec<_>>(),
        "import_seconds": eval.import_seconds,
        "truth_seconds": truth_seconds,
        "prepare_seconds": eval.prepare_seconds,
        "link_seconds": link_seconds,
        "pairs": pairs,
    })
}

fn print_table(eval: &CityEval, truth_seconds: f64) {
    println!("Verknüpfungsgüte gegen die Wahrheit der synthetischen Stadt");
    let mut counts: Vec<(lagebild_core::import::SourceKind, usize)> = Vec::new();
    for (_, source) in &eval.files {
        match counts.iter_mut().find(|(s, _)| s == source) {
            Some((_, n)) => *n += 1,
            None => counts.push((*source, 1)),
        }
    }
    let listed: Vec<String> = counts
        .iter()
        .map(|(source, n)| format!("{} {n}", source.label()))
        .collect();
    println!("Dateien: {}", listed.join(", "));
    println!(
        "Einlesen {:.2} s, Wahrheit {:.2} s, Vorbereitung (Namen, Adressen) {:.2} s",
        eval.import_seconds, truth_seconds, eval.prepare_seconds
    );
    println!();
    println!(
        "{:<18} {:>8} {:>8} {:>10} {:>10} {:>8} {:>8} {:>8} {:>10} {:>9} {:>8}",
        "Paar",
        "A",
        "B",
        "Treffer",
        "möglich",
        "Präz.",
        "Sensit.",
        "F1",
        "Kandidaten",
        "Prüfband",
        "Zeit"
    );
    let mut total_seconds = 0.0;
    for p in &eval.pairs {
        let q = p.quality;
        total_seconds += p.seconds;
        println!(
            "{:<18} {:>8} {:>8} {:>10} {:>10} {:>8} {:>8} {:>8} {:>10} {:>9} {:>7.3}s",
            p.name,
            p.records.0,
            p.records.1,
            q.predicted,
            q.possible,
            num(q.precision()),
            num(q.recall()),
            num(q.f1()),
            p.candidate_pairs,
            p.review,
            p.seconds
        );
    }
    println!();
    println!("Paare je Blockungsregel (neu = von keiner früheren Regel gefunden):");
    for p in &eval.pairs {
        println!("  {}:", p.name);
        for r in &p.rules {
            let skipped = if r.skipped_pairs > 0 {
                format!(", übersprungen {}", r.skipped_pairs)
            } else {
                String::new()
            };
            println!(
                "    {:<48} {:>9} Paare, neu {:>9}{skipped}",
                r.rule.label(),
                r.pairs,
                r.new_pairs
            );
        }
        println!(
            "    Verknüpfungsrate A {}, Prüfband {} Paare (davon wahr {}), EM-Iterationen {}",
            pct(if p.records.0 == 0 {
                0.0
            } else {
                p.quality.predicted as f64 / p.records.0 as f64
            }),
            p.review,
            p.review_true,
            p.em_iterations
        );
    }
    println!();
    println!(
        "Verknüpfen gesamt {total_seconds:.2} s (ohne Einlesen; mit Vorbereitung {:.2} s)",
        total_seconds + eval.prepare_seconds
    );
}
