//! `lagebild import FILE...`: reads exports and prints each file's import report.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use lagebild_core::format;
use lagebild_core::import::{Dataset, ImportOptions, Limits, SourceKind};
use lagebild_core::records::{Date, YearMonth};

use crate::common::{file_name, importer, parse_date, parse_month, peak_memory_bytes};

/// Source kinds as command-line values.
#[derive(Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// EWO Meldewesen.
    Meldewesen,
    /// EWO-ALW.
    Alw,
    /// AKDN sozial.
    Akdn,
    /// SchILD-NRW.
    Schild,
    /// Räumliche Gliederung.
    Gliederung,
}

impl From<SourceArg> for SourceKind {
    fn from(arg: SourceArg) -> Self {
        match arg {
            SourceArg::Meldewesen => SourceKind::Meldewesen,
            SourceArg::Alw => SourceKind::Alw,
            SourceArg::Akdn => SourceKind::Akdn,
            SourceArg::Schild => SourceKind::Schild,
            SourceArg::Gliederung => SourceKind::Gliederung,
        }
    }
}

/// Arguments of `lagebild import`.
#[derive(Args)]
pub struct ImportArgs {
    /// Exporte (CSV, TXT, XLSX, XLS, ODS, SchILD .dat).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Gespeicherte Spaltenzuordnung (JSON, wie die App sie speichert).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Quelle erzwingen statt erkennen.
    #[arg(long, value_enum)]
    source: Option<SourceArg>,
    /// Berichtsmonat für AKDN-Dateien ohne Monatsangabe (JJJJ-MM).
    #[arg(long, value_parser = parse_month)]
    month: Option<YearMonth>,
    /// Stichtag des Bestands (JJJJ-MM-TT), sonst aus dem Dateinamen.
    #[arg(long, value_parser = parse_date)]
    stichtag: Option<Date>,
    /// Schulnummer für SchILD-Dateien ohne Schulnummer-Spalte.
    #[arg(long)]
    school_number: Option<String>,
    /// Schulform für SchILD-Dateien ohne Schulform-Spalte.
    #[arg(long)]
    school_form: Option<String>,
    /// Größte Datei in MiB.
    #[arg(long, default_value_t = 1024)]
    max_file_mib: u64,
    /// Maschinenlesbare Ausgabe (eine JSON-Zeile je Datei, für Benchmarks).
    #[arg(long)]
    json: bool,
}

/// Runs the command; exit code 1 if any file could not be imported.
pub fn run(args: &ImportArgs) -> Result<ExitCode, String> {
    let limits = Limits {
        max_file_bytes: args.max_file_mib << 20,
        ..Limits::default()
    };
    let importer = importer(args.mapping.as_deref(), limits.clone())?;
    let options = ImportOptions {
        source: args.source.map(SourceKind::from),
        report_month: args.month,
        reference_date: args.stichtag,
        school_number: args.school_number.clone(),
        school_form: args.school_form.clone(),
        ..ImportOptions::default()
    };
    let mut dataset = Dataset::default();
    let mut failed = 0;
    for path in &args.files {
        let name = file_name(path);
        let bytes = crate::input::read_input(path, limits.max_file_bytes)?;
        let start = Instant::now();
        let file = importer.import(&mut dataset, &name, &bytes, &options);
        let took = start.elapsed().as_secs_f64();
        if args.json {
            let r = &file.report;
            let line = serde_json::json!({
                "file": name,
                "format": r.format.as_ref().map(|f| f.to_string()),
                "source": r.detection.as_ref().map(|d| d.source),
                "rows_read": r.rows_read,
                "rows_accepted": r.rows_accepted,
                "rows_rejected": r.rows_rejected(),
                "rows_rejected_unexpectedly": r.rows_rejected_unexpectedly(),
                "error": r.error.as_ref().map(|e| e.to_string()),
                "seconds": took,
                "input_bytes": bytes.len(),
                "peak_memory_bytes": peak_memory_bytes(),
            });
            println!("{line}");
        } else {
            print!("{}", file.report);
            println!(
                "  Dauer: {} s ({} Zeilen/s)",
                format::decimal(took, 2),
                format::count((file.report.rows_read as f64 / took.max(1e-9)) as u64)
            );
        }
        if file.report.error.is_some() {
            failed += 1;
        }
    }
    let records: usize = dataset.files.iter().map(|f| f.records.len()).sum();
    if args.json {
        return Ok(if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    println!(
        "\n{} Dateien, {} Datensätze, {} mit Fehler; {} verschiedene Texte ({}).",
        dataset.files.len(),
        format::count(records as u64),
        failed,
        format::count(dataset.pool.len() as u64),
        format::file_size(dataset.pool.text_bytes() as u64)
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
