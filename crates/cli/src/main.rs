//! `lagebild`: the Lagebild pipeline on the command line, for batch runs and benchmarks.
//! Prints for the analyst at the terminal; files are only written through the protected export.

mod classify_cmd;
mod common;
mod import_cmd;
mod input;
mod link_cmd;
mod report_cmd;
mod series_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lagebild – Flüchtlingsstatistik aus kommunalen Registern.
#[derive(Parser)]
#[command(name = "lagebild", version = lagebild_core::VERSION, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Liest Exporte ein und zeigt je Datei den Einlesebericht (Quelle, Zeilen, Ablehnungen).
    Import(import_cmd::ImportArgs),
    /// Ordnet EWO-ALW-Datensätze zu (Flüchtlingskategorie und Unterkategorie) und zeigt die
    /// Zählung, die Destatis-Gruppen und die Liste „Zuordnung fehlt“.
    Classify(classify_cmd::ClassifyArgs),
    /// Zeigt die Monatsreihe „Entwicklung der Flüchtlingszahlen“ aus AKDN-sozial-Exporten.
    Series(series_cmd::SeriesArgs),
    /// Verknüpft die Register einer synthetischen Stadt und zeigt Präzision, Sensitivität und
    /// F1 je Registerpaar gegen die Wahrheit (nur Zählungen).
    LinkEval(link_cmd::LinkEvalArgs),
    /// Erstellt den Standardbericht: einlesen, klassifizieren, räumlich zuordnen, tabellieren,
    /// geheimhalten und als Excel-Arbeitsmappe (und CSV) schreiben.
    Report(Box<report_cmd::ReportArgs>),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => import_cmd::run(&args),
        Command::Classify(args) => classify_cmd::run(&args),
        Command::Series(args) => series_cmd::run(&args),
        Command::Report(args) => report_cmd::run(&args),
        Command::LinkEval(args) => link_cmd::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("lagebild: {message}");
            ExitCode::from(2)
        }
    }
}
