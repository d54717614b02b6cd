//! `lagebild`: the Lagebild pipeline on the command line, for batch runs and benchmarks.
//! Prints for the analyst at the terminal; files are only written through the protected export.

mod import_cmd;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => import_cmd::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("lagebild: {message}");
            ExitCode::from(2)
        }
    }
}
