//! `lagebild`: the Lagebild pipeline on the command line.

use std::process::ExitCode;

const USAGE: &str = "\
lagebild – Flüchtlingsstatistik aus kommunalen Registern

Aufruf:
  lagebild --version     zeigt die Version
  lagebild --help        zeigt diese Hilfe
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("lagebild {}", lagebild_core::VERSION);
            ExitCode::SUCCESS
        }
        None | Some("--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("Unbekannter Befehl: {other}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
