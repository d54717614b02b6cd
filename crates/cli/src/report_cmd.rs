//! `lagebild report`: import -> classify -> locate -> tabulate -> protect -> export, end to end.
//! Writes only protected tables (XLSX, optionally CSV) and prints a short summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use lagebild_core::classify::pks::PksMapping;
use lagebild_core::classify::rules::Rules;
use lagebild_core::export::{csv, xlsx};
use lagebild_core::format;
use lagebild_core::import::values::{NationalityTable, month_in_name, stichtag_in_name};
use lagebild_core::import::{
    Asked, Dataset, FieldCatalog, ImportOptions, Importer, Limits, MappingSet, SourceKind,
};
use lagebild_core::protect::{ProtectionMode, ProtectionSettings, Threshold};
use lagebild_core::records::{Date, YearMonth};
use lagebild_core::reports::linked::school_from_name;

use crate::classify_cmd::{parse_date, parse_month};
use lagebild_core::reports::{
    ReportConfig, Stage, StageTimes, publish_with_progress, standard_report_with_progress,
};

/// Confidentiality modes on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// The office's rule: any 1 or 2 suppresses the whole table.
    Tabelle,
    /// Cell suppression with secondary suppression and LP audit.
    Zelle,
}

/// Arguments of `lagebild report`.
#[derive(Args)]
pub struct ReportArgs {
    /// EWO-Meldewesen-Export(e).
    #[arg(long)]
    ewo: Vec<PathBuf>,
    /// EWO-ALW-Export(e).
    #[arg(long)]
    alw: Vec<PathBuf>,
    /// AKDN-sozial-Exporte (beliebig viele Monate).
    #[arg(long, num_args = 1..)]
    akdn: Vec<PathBuf>,
    /// Räumliche Gliederung (Adresstabelle).
    #[arg(long)]
    gliederung: Vec<PathBuf>,
    /// SchILD-Dateien; Schulnummer und Schulform aus dem Ordnernamen
    /// (`<Schulnummer>_<Schulname>`, z. B. `184549_Gymnasium_Buer`).
    #[arg(long, num_args = 1..)]
    schild: Vec<PathBuf>,
    /// Karten (GeoJSON der Stadtbezirke, Stadtteile, Baublöcke) für `--svg`.
    #[arg(long, num_args = 1..)]
    karte: Vec<PathBuf>,
    /// Geheimhaltung: tabelle (Vorgabe des Amtes) oder zelle.
    #[arg(long, value_enum, default_value = "tabelle")]
    mode: ModeArg,
    /// Schwelle der Geheimhaltung (mindestens 3).
    #[arg(long, default_value_t = 3)]
    threshold: u32,
    /// Gespeicherte Spaltenzuordnung (JSON).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Eigene Klassifikationsregeln (TOML).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Eigene PKS-Zuordnung (TOML).
    #[arg(long)]
    pks: Option<PathBuf>,
    /// Stichtag (JJJJ-MM-TT) der Meldewesen- und ALW-Dateien, deren Dateiname keinen eindeutigen
    /// Stichtag nennt.
    #[arg(long, value_parser = parse_date)]
    stichtag: Option<Date>,
    /// Berichtsmonat (JJJJ-MM) der AKDN-Dateien ohne Monatsspalte, deren Dateiname keinen
    /// eindeutigen Monat nennt.
    #[arg(long, value_parser = parse_month)]
    monat: Option<YearMonth>,
    /// Ausgabe-Arbeitsmappe (XLSX).
    #[arg(long)]
    out: PathBuf,
    /// Verzeichnis für je eine CSV-Datei pro Tabelle.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Verzeichnis für Diagramme und Karten (SVG).
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Zeiten je Arbeitsschritt und Speicherspitze als JSON in diese Datei (für Benchmarks).
    #[arg(long)]
    timings: Option<PathBuf>,
}

/// School number and Schulform of a SchILD file from its folder's name, else its own name.
fn school_of(path: &Path) -> (Option<String>, Option<String>) {
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let own = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (number, form) = school_from_name(&folder);
    let (own_number, own_form) = school_from_name(&own);
    (number.or(own_number), form.or(own_form))
}

fn read(path: &Path) -> Result<String, String> {
    crate::input::read_settings(path, "Einstellungsdatei")
}

/// Checks, before anything is read, that the outputs can be written: the folders of `--out`
/// and `--timings` exist, the folders of `--csv` and `--svg` exist or can be made.
fn check_outputs(args: &ReportArgs) -> Result<(), String> {
    for (flag, file) in [
        ("--out", Some(&args.out)),
        ("--timings", args.timings.as_ref()),
    ] {
        let Some(file) = file else { continue };
        let folder = file.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(folder) = folder.filter(|p| !p.is_dir()) {
            return Err(format!(
                "Das Verzeichnis „{}“ für {flag} gibt es nicht. Bitte ein vorhandenes Verzeichnis angeben; es wurde nichts eingelesen.",
                folder.display()
            ));
        }
    }
    if args.out.is_dir() {
        return Err(format!(
            "„{}“ (--out) ist ein Verzeichnis; bitte den Namen der Arbeitsmappe angeben, z. B. „{}“. Es wurde nichts eingelesen.",
            args.out.display(),
            args.out.join("bericht.xlsx").display()
        ));
    }
    for (flag, folder) in [("--csv", &args.csv), ("--svg", &args.svg)] {
        if let Some(folder) = folder {
            std::fs::create_dir_all(folder).map_err(|e| {
                format!(
                    "Das Verzeichnis „{}“ für {flag} lässt sich nicht anlegen ({e}); es wurde nichts eingelesen.",
                    folder.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Runs the pipeline; exit code 1 if an input file could not be imported.
pub fn run(args: &ReportArgs) -> Result<ExitCode, String> {
    check_outputs(args)?;
    let mappings = match &args.mapping {
        Some(p) => MappingSet::from_json(&read(p)?)?,
        None => MappingSet::default(),
    };
    let mut config = ReportConfig::default();
    if let Some(p) = &args.rules {
        config.rules = Rules::from_toml(&read(p)?)?;
    }
    if let Some(p) = &args.pks {
        config.pks = PksMapping::from_toml(&read(p)?)?;
    }
    let settings = ProtectionSettings {
        mode: match args.mode {
            ModeArg::Tabelle => ProtectionMode::Tabelle,
            ModeArg::Zelle => ProtectionMode::Zelle,
        },
        threshold: Threshold::new(args.threshold).map_err(|e| e.to_string())?,
    };
    let importer = Importer::new(
        FieldCatalog::default_catalog(),
        mappings,
        NationalityTable::default_table(),
        Limits::default(),
    );
    let mut dataset = Dataset::default();
    let mut failed = 0;
    let clock = Instant::now();
    let mut times = StageTimes::default();
    let n_files = [
        &args.ewo,
        &args.alw,
        &args.akdn,
        &args.gliederung,
        &args.schild,
        &args.karte,
    ]
    .iter()
    .map(|p| p.len() as u32)
    .sum::<u32>();
    let mut rows_read = 0u64;
    times.record(Stage::Read, 0, n_files, clock.elapsed().as_secs_f64());
    let groups = [
        (SourceKind::Meldewesen, &args.ewo),
        (SourceKind::Alw, &args.alw),
        (SourceKind::Akdn, &args.akdn),
        (SourceKind::Gliederung, &args.gliederung),
        (SourceKind::Schild, &args.schild),
        (SourceKind::Karte, &args.karte),
    ];
    println!("Einlesen:");
    for (source, paths) in groups {
        for path in paths {
            let bytes = crate::input::read_export(path)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (school_number, school_form) = if source == SourceKind::Schild {
                school_of(path)
            } else {
                (None, None)
            };
            // The flags stand in where the file name gives no single date or month.
            let options = ImportOptions {
                source: Some(source),
                school_number,
                school_form,
                reference_date: args
                    .stichtag
                    .filter(|_| stichtag_in_name(&name).one().is_none()),
                report_month: args.monat.filter(|_| month_in_name(&name).one().is_none()),
                ..ImportOptions::default()
            };
            let file = importer.import(&mut dataset, &name, &bytes, &options);
            let r = &file.report;
            rows_read += r.rows_read;
            match &r.error {
                Some(e) => {
                    failed += 1;
                    println!("  {name}: FEHLER: {e}");
                }
                None => println!(
                    "  {name}: {} gelesen, {} übernommen, {} abgewiesen",
                    format::count(r.rows_read),
                    format::count(r.rows_accepted),
                    format::count(r.rows_rejected())
                ),
            }
            if let Some(dating) = &r.dating {
                let flag = match dating.asks() {
                    Some(Asked::Stichtag) => " (Option --stichtag JJJJ-MM-TT)",
                    Some(Asked::ReportMonth) => " (Option --monat JJJJ-MM)",
                    None => "",
                };
                match &r.error {
                    Some(_) => println!("    Bitte angeben{flag}"),
                    None => println!("    Hinweis: {}{flag}", dating.message()),
                }
            }
        }
    }
    times.record(Stage::Read, n_files, n_files, clock.elapsed().as_secs_f64());
    let mut on_stage = |stage: Stage, done: u32, total: u32| {
        times.record(stage, done, total, clock.elapsed().as_secs_f64());
    };
    let report = standard_report_with_progress(&dataset, &config, &mut on_stage)
        .map_err(|e| e.to_string())?;
    let q = &report.quality;
    println!("\nQualität:");
    for (label, located) in [
        ("Meldewesen", &q.located_residents),
        ("Ausländerwesen", &q.located_foreigners),
    ] {
        println!(
            "  {label}: {} Adressen zugeordnet, {} nicht zugeordnet ({} %)",
            format::count(located.matched),
            format::count(located.unmatched_total()),
            format::decimal(located.match_rate() * 100.0, 2)
        );
    }
    println!(
        "  Ausländerwesen: {} nicht klassifiziert (siehe „lagebild classify“), {} doppelte Zeilen entfernt; Meldewesen: {} doppelte Zeilen entfernt",
        format::count(q.unclassified),
        format::count(q.alw_duplicates),
        format::count(q.ewo_duplicates)
    );
    for l in &q.linkage {
        let s = &l.summary;
        println!(
            "  Verknüpfung {}: {} × {} Datensätze, {} verknüpft ({} % von A, {} % von B), Prüfband {}",
            l.pair.label(),
            format::count(s.records.0 as u64),
            format::count(s.records.1 as u64),
            format::count(s.matches as u64),
            format::decimal(s.match_rate_a * 100.0, 1),
            format::decimal(s.match_rate_b * 100.0, 1),
            format::count(s.review as u64)
        );
    }
    for note in q.notes.iter().chain(&q.gliederung_problems) {
        println!("  Hinweis: {note}");
    }
    if config.pks.is_example() {
        println!("  {}", lagebild_core::classify::pks::EXAMPLE_WARNING);
    }
    let published = publish_with_progress(
        report,
        &config,
        &settings,
        "Lagebild – Standardbericht",
        &mut on_stage,
    );
    let export_start = Instant::now();
    println!("\nTabellen ({}):", settings.describe());
    for table in &published.tables {
        println!("  {}: {}", table.title(), table.report().text());
    }
    let bytes = xlsx::workbook(&published.tables, &published.meta).map_err(|e| e.to_string())?;
    std::fs::write(&args.out, bytes).map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!("\nArbeitsmappe: {}", args.out.display());
    if let Some(dir) = &args.csv {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for table in &published.tables {
            let path = dir.join(format!("{}.csv", table.key()));
            std::fs::write(&path, csv::table(table, &published.meta))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!("CSV-Dateien: {}", dir.display());
    }
    if let Some(dir) = &args.svg {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let maps = lagebild_core::geo::maps(&dataset);
        for (name, text) in lagebild_core::export::svg::report_figures(&published, &maps) {
            std::fs::write(dir.join(&name), text).map_err(|e| format!("{name}: {e}"))?;
        }
        println!("Diagramme und Karten (SVG): {}", dir.display());
    }
    let export_seconds = export_start.elapsed().as_secs_f64();
    let peak = crate::import_cmd::peak_memory_bytes();
    let mut line: Vec<String> = times
        .seconds
        .iter()
        .map(|(stage, t)| format!("{} {} s", stage.label(), format::decimal(*t, 2)))
        .collect();
    line.push(format!("Ausgabe {} s", format::decimal(export_seconds, 2)));
    println!(
        "Zeiten: {}; Speicherspitze {}",
        line.join(", "),
        peak.map(format::file_size)
            .unwrap_or_else(|| "unbekannt".into())
    );
    if let Some(path) = &args.timings {
        let stages: serde_json::Map<String, serde_json::Value> = times
            .seconds
            .iter()
            .map(|(stage, t)| (format!("{stage:?}").to_lowercase(), (*t).into()))
            .collect();
        let json = serde_json::json!({
            "stages": stages,
            "export_seconds": export_seconds,
            "total_seconds": clock.elapsed().as_secs_f64(),
            "rows_read": rows_read,
            "files": n_files,
            "peak_memory_bytes": peak,
        });
        std::fs::write(path, json.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
