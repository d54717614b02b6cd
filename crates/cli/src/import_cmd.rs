//! `lagebild import FILE...`: reads exports and prints each file's import report.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use lagebild_core::format;
use lagebild_core::import::values::NationalityTable;
use lagebild_core::import::{
    Dataset, FieldCatalog, ImportOptions, Importer, Limits, MappingSet, SourceKind,
};
use lagebild_core::records::{Date, YearMonth};

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

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if known.
pub(crate) fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn parse_month(text: &str) -> Result<YearMonth, String> {
    let (y, m) = text.split_once('-').ok_or("erwartet JJJJ-MM")?;
    y.parse()
        .ok()
        .zip(m.parse().ok())
        .and_then(|(y, m)| YearMonth::new(y, m))
        .ok_or_else(|| "erwartet JJJJ-MM".to_string())
}

fn parse_date(text: &str) -> Result<Date, String> {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => y
            .parse()
            .ok()
            .zip(m.parse().ok())
            .zip(d.parse().ok())
            .and_then(|((y, m), d)| Date::new(y, m, d))
            .ok_or_else(|| "erwartet JJJJ-MM-TT".to_string()),
        _ => Err("erwartet JJJJ-MM-TT".to_string()),
    }
}

/// Runs the command; exit code 1 if any file could not be imported.
pub fn run(args: &ImportArgs) -> Result<ExitCode, String> {
    let mappings = match &args.mapping {
        Some(path) => {
            let text = crate::input::read_settings(path, "Zuordnungsdatei")?;
            MappingSet::from_json(&text)?
        }
        None => MappingSet::default(),
    };
    let limits = Limits {
        max_file_bytes: args.max_file_mib << 20,
        ..Limits::default()
    };
    let importer = Importer::new(
        FieldCatalog::default_catalog(),
        mappings,
        NationalityTable::default_table(),
        limits.clone(),
    );
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
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
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
