//! `lagebild report`: import -> classify -> locate -> tabulate -> protect -> export, end to end.
//! Writes only protected tables (XLSX, optionally CSV) and prints a short summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use lagebild_core::export::Publisher;
use lagebild_core::format;
use lagebild_core::import::{Asked, SourceKind};
use lagebild_core::protect::{
    DesignChoice, ProtectionMode, ProtectionSettings, TableDesign, Threshold,
};
use lagebild_core::records::{Date, YearMonth};
use lagebild_core::session::{ClassificationTexts, Incoming, Session};
use lagebild_core::view::{DownloadRequest, FileSummary, ReportSet};

use crate::common::{
    ExportPath, file_name, mappings, parse_date, parse_month, peak_memory_bytes, seconds,
};

/// Confidentiality modes on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// The office's rule: any 1 or 2 suppresses the whole table.
    Tabelle,
    /// Cell suppression with secondary suppression and LP audit.
    Zelle,
}

impl From<ModeArg> for ProtectionMode {
    fn from(mode: ModeArg) -> ProtectionMode {
        match mode {
            ModeArg::Tabelle => ProtectionMode::Tabelle,
            ModeArg::Zelle => ProtectionMode::Zelle,
        }
    }
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
    /// Fortgeschriebene Datentabelle „Entwicklung der Flüchtlingszahlen“ des Amtes (XLSX, XLS,
    /// ODS oder CSV): die Monatsreihe wird aus ihr und den Monaten der AKDN-Exporte gebildet;
    /// Monate in beiden werden Zelle für Zelle verglichen (veröffentlicht: die Datentabelle).
    #[arg(long)]
    datentabelle: Vec<PathBuf>,
    /// Die veröffentlichte Arbeitsmappe eines früheren Laufs (z. B. der Vorwoche): fehlt der
    /// frühere Meldewesen-Bestand, nimmt die Veränderung der Einwohnerzahl dessen
    /// veröffentlichte Werte je Stadtteil.
    #[arg(long)]
    vorwoche: Vec<PathBuf>,
    /// Herausgeber in Kopf- und Fußzeilen der Arbeitsmappe und in den CSV-Dateien, z. B.
    /// „Stadt Gelsenkirchen, Referat Statistik“.
    #[arg(long)]
    herausgeber: Option<String>,
    /// Kontakt für Rückfragen, z. B. eine E-Mail-Adresse des Amtes.
    #[arg(long)]
    kontakt: Option<String>,
    /// Geheimhaltung: tabelle (Vorgabe des Amtes) oder zelle.
    #[arg(long, value_enum, default_value = "tabelle")]
    mode: ModeArg,
    /// Jede Tabelle in ihrer ursprünglichen Gliederung: Eine Tabelle mit einem Wert von 1 oder
    /// 2 wird ganz gesperrt, statt zusammengefasst zu werden (Vorgabe bei `--mode tabelle`:
    /// der Veröffentlichungsplaner fasst sie zusammen, bis sie veröffentlicht werden kann).
    #[arg(long)]
    original: bool,
    /// Gestaltung einer Tabelle: `SCHLÜSSEL=N` zeigt die N-te Variante des Planers (1 = die
    /// Vorgabe, die am meisten Werte veröffentlicht), `SCHLÜSSEL=original` die ursprüngliche
    /// Gliederung (ganz gesperrt, wenn die Regel greift); mehrfach möglich. Die Varianten
    /// jeder Tabelle stehen in der Ausgabe unter „Tabellen“.
    #[arg(long, value_name = "TABELLE=VARIANTE", value_parser = parse_design)]
    gestaltung: Vec<(String, DesignChoice)>,
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
    /// Zuordnung nicht lesbarer Erteilungsgründe zu Fundstellen (TOML: je `[[wert]]` mit
    /// `text` und `fundstelle`).
    #[arg(long)]
    werte: Option<PathBuf>,
    /// Schalter der Klassifikationsregeln setzen, z. B. `spurwechsel_refugee=an` (an/aus);
    /// mehrfach möglich.
    #[arg(long, value_parser = switch_arg)]
    schalter: Vec<(String, bool)>,
    /// Eigene Tabellendefinitionen (TOML, Aufbau wie die mitgelieferte standard_tables.toml).
    #[arg(long)]
    tabellen: Option<PathBuf>,
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
    /// Zeiten je Arbeitsschritt, Speicherspitze und je Tabelle (gesperrt, veröffentlichte Werte,
    /// Zusammenfassungen) als JSON in diese Datei (für Benchmarks).
    #[arg(long)]
    timings: Option<PathBuf>,
}

/// `KEY=N` (N from 1) or `KEY=original`.
fn parse_design(text: &str) -> Result<(String, DesignChoice), String> {
    let (key, value) = text.split_once('=').ok_or_else(|| {
        format!("„{text}“: erwartet TABELLE=VARIANTE, z. B. kategorie_stadtteil=2")
    })?;
    let choice = match value.trim() {
        "original" => DesignChoice::Original,
        n => match n.parse::<usize>() {
            Ok(n) if n >= 1 => DesignChoice::Planned(n - 1),
            _ => {
                return Err(format!(
                    "„{value}“: erwartet eine Variante ab 1 oder „original“"
                ));
            }
        },
    };
    Ok((key.trim().to_owned(), choice))
}

/// `NAME=an|aus` (also `true`/`false`) of `--schalter`.
fn switch_arg(text: &str) -> Result<(String, bool), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("„{text}“: erwartet NAME=an oder NAME=aus"))?;
    let on = match value.trim() {
        "an" | "true" | "ja" => true,
        "aus" | "false" | "nein" => false,
        other => return Err(format!("„{other}“: erwartet an oder aus")),
    };
    Ok((name.trim().to_owned(), on))
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

/// The files of the source flags, each as the source its flag names.
fn given_files(args: &ReportArgs) -> Vec<Incoming<ExportPath>> {
    let groups = [
        (SourceKind::Meldewesen, &args.ewo),
        (SourceKind::Alw, &args.alw),
        (SourceKind::Akdn, &args.akdn),
        (SourceKind::Gliederung, &args.gliederung),
        (SourceKind::Schild, &args.schild),
        (SourceKind::Karte, &args.karte),
        (SourceKind::Datentabelle, &args.datentabelle),
        (SourceKind::ReleasedWorkbook, &args.vorwoche),
    ];
    groups
        .into_iter()
        .flat_map(|(source, paths)| paths.iter().map(move |p| (source, p)))
        .map(|(source, path)| {
            let name = file_name(path);
            let shown = path.to_string_lossy().into_owned();
            Incoming::given(&name, &shown, ExportPath(path.clone()), source)
                .with_fallback_dates(args.stichtag, args.monat)
        })
        .collect()
}

/// Runs the pipeline; exit code 1 if an input file could not be imported.
pub fn run(args: &ReportArgs) -> Result<ExitCode, String> {
    check_outputs(args)?;
    let clock_start = seconds();
    let mut session = Session::<ExportPath>::new(seconds);
    session.set_mappings(mappings(args.mapping.as_deref())?);
    session.set_classification(&ClassificationTexts {
        rules: args.rules.as_deref().map(read).transpose()?,
        pks: args.pks.as_deref().map(read).transpose()?,
        tables: args.tabellen.as_deref().map(read).transpose()?,
        values: match args.werte.as_deref() {
            Some(path) => lagebild_core::classify::values::ValueMappings::from_toml(&read(path)?)?
                .list()
                .to_vec(),
            None => Vec::new(),
        },
        switches: args.schalter.iter().cloned().collect(),
    })?;
    session.set_publisher(Publisher {
        office: args.herausgeber.clone().unwrap_or_default(),
        contact: args.kontakt.clone().unwrap_or_default(),
    });
    let settings = ProtectionSettings {
        mode: args.mode.into(),
        threshold: Threshold::new(args.threshold).map_err(|e| e.to_string())?,
        design: if args.original {
            TableDesign::Original
        } else {
            TableDesign::Geplant
        },
    };
    for (key, choice) in &args.gestaltung {
        if !session.config().tables.iter().any(|d| &d.key == key) {
            return Err(format!(
                "--gestaltung: Es gibt keine Tabelle „{key}“ (Schlüssel wie in standard_tables.toml)."
            ));
        }
        session.choose_design(key, *choice);
    }
    println!("Einlesen:");
    let summaries = session.import(given_files(args), &mut |_, _, _, _| {});
    summaries.iter().for_each(print_import);
    let set = session.run(&settings, &mut |_, _, _, _| {})?;
    print_report_set(&set);
    for unused in &set.unused {
        if let Some(file) = summaries.iter().find(|f| f.id == unused.id) {
            println!("  Nicht genutzt: {}: {}", file.name, unused.reason);
        }
    }
    let export_start = Instant::now();
    write_outputs(args, &session, &set)?;
    let export_seconds = export_start.elapsed().as_secs_f64();
    let peak = peak_memory_bytes();
    let times = session.times();
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
        let tables = session.outcomes();
        let json = serde_json::json!({
            "tables": tables,
            "stages": times.by_name(),
            "export_seconds": export_seconds,
            "total_seconds": seconds() - clock_start,
            "rows_read": summaries.iter().map(|f| f.rows_read).sum::<u64>(),
            "files": summaries.len(),
            "peak_memory_bytes": peak,
        });
        std::fs::write(path, json.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(if summaries.iter().all(|f| f.error.is_none()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The quality figures and the protection of every table, for the analyst at the terminal.
fn print_report_set(set: &ReportSet) {
    println!("\nQualität:");
    for line in &set.quality.lines {
        println!("  {}: {}", line.label, line.value);
    }
    for note in &set.quality.notes {
        println!("  Hinweis: {note}");
    }
    println!("\nTabellen ({}):", set.protection);
    for table in &set.tables {
        println!("  {}: {}", table.title, table.protection);
        if table.alternatives.len() > 1 || (table.chosen.is_none() && !table.why.is_empty()) {
            for (i, a) in table.alternatives.iter().enumerate() {
                let mark = if table.chosen == Some(i) { "*" } else { " " };
                println!("   {mark} {}={}: {a}", table.key, i + 1);
            }
            let mark = if table.chosen.is_none() { "*" } else { " " };
            println!(
                "   {mark} {}=original: ursprüngliche Gliederung (ganz gesperrt)",
                table.key
            );
        }
    }
}

/// Writes the workbook, and the CSV files and figures if asked for: only what the session's
/// downloads and figures hold, all protected.
fn write_outputs(
    args: &ReportArgs,
    session: &Session<ExportPath>,
    set: &ReportSet,
) -> Result<(), String> {
    let workbook = session.download(&DownloadRequest::Workbook)?;
    std::fs::write(&args.out, workbook.bytes)
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!("\nArbeitsmappe: {}", args.out.display());
    if let Some(dir) = &args.csv {
        for table in &set.tables {
            let csv = session.download(&DownloadRequest::TableCsv(table.key.clone()))?;
            let path = dir.join(format!("{}.csv", table.key));
            std::fs::write(&path, csv.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!("CSV-Dateien: {}", dir.display());
    }
    if let Some(dir) = &args.svg {
        for figure in &set.graphics {
            std::fs::write(dir.join(&figure.file_name), &figure.svg)
                .map_err(|e| format!("{}: {e}", figure.file_name))?;
        }
        println!("Diagramme und Karten (SVG): {}", dir.display());
    }
    Ok(())
}

/// One file's import, as one or two lines.
fn print_import(file: &FileSummary) {
    let name = &file.name;
    match &file.error {
        Some(e) => println!("  {name}: FEHLER: {e}"),
        None => println!(
            "  {name}: {} gelesen, {} übernommen, {} abgewiesen",
            format::count(file.rows_read),
            format::count(file.rows_accepted),
            format::count(file.rows_rejected)
        ),
    }
    if let Some(dating) = &file.dating {
        let flag = match dating.asks {
            Some(Asked::Stichtag) => " (Option --stichtag JJJJ-MM-TT)",
            Some(Asked::ReportMonth) => " (Option --monat JJJJ-MM)",
            None => "",
        };
        match &file.error {
            Some(_) => println!("    Bitte angeben{flag}"),
            None => println!("    Hinweis: {}{flag}", dating.message),
        }
    }
}
