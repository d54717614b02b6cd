//! `lagebild link-eval --synth-dir DIR`: links the registers of a synthetic city
//! (ALW × Meldewesen, AKDN × ALW, SchILD × ALW) and prints precision, recall and F1 against
//! its ground truth, the pairs per blocking rule and the times. Only counts and rates are
//! printed, never a record.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use lagebild_core::link::eval::{Selection, Truth, evaluate_city};
use lagebild_core::link::{BlockingRule, LinkOptions};

/// Arguments of `lagebild link-eval`.
#[derive(Args)]
pub struct LinkEvalArgs {
    /// Verzeichnis einer synthetischen Stadt (lagebild-synth --out DIR): manifest.json,
    /// exports/ und truth/records.csv.
    #[arg(long = "synth-dir", alias = "truth")]
    synth_dir: PathBuf,
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

/// Runs `lagebild link-eval`.
pub fn run(args: &LinkEvalArgs) -> Result<ExitCode, String> {
    let dir = &args.synth_dir;
    let read_path = |path: &str| {
        std::fs::read(dir.join(path)).map_err(|e| format!("{}: {e}", dir.join(path).display()))
    };
    let selection = Selection::from_manifest(&read_path("manifest.json")?)?;
    let start = Instant::now();
    let truth = Truth::parse(&read_path("truth/records.csv")?)?;
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
    let mut read = |path: &str| read_path(path);
    let eval = evaluate_city(&selection, &mut read, &truth, &options, &clock)?;

    println!("Verknüpfungsgüte gegen die Wahrheit der synthetischen Stadt");
    println!(
        "Dateien: {} | {} | {} | {} SchILD-Dateien",
        selection.meldewesen,
        selection.alw,
        selection.akdn,
        selection.schild.len()
    );
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
    Ok(ExitCode::SUCCESS)
}
