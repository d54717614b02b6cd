//! `lagebild-synth`: writes a synthetic city (exports, ground truth, manifest) to a directory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use lagebild_synth::{Config, Noise, Scale, WriteOptions, write_to_dir};

const USAGE: &str = "\
lagebild-synth: deterministische synthetische Stadt mit Registerexporten und Ground Truth

Aufruf:
  lagebild-synth --scale tiny|demo|city|metropolis --seed N --out DIR [Optionen]

Optionen:
  --stichtag JJJJ-MM-TT   Stichtag (Standard 2026-10-31)
  --noise default|none    Rauschen: realistisch (Standard) oder keines
  --rate NAME=WERT        eine Rauschrate setzen (mehrfach möglich, z. B. --rate typo=0.05)
  --no-office             XLS/ODS-Varianten nicht mit LibreOffice konvertieren (bleiben XLSX)
  -h, --help              diese Hilfe
";

fn parse(args: &[String]) -> Result<(Config, PathBuf, WriteOptions), String> {
    let mut config = Config::new(Scale::Tiny);
    let mut out = None;
    let mut options = WriteOptions::default();
    let mut rates: Vec<(String, f64)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let mut value = || {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("{arg} braucht einen Wert"))
        };
        match arg {
            "--scale" => config.scale = value()?.parse()?,
            "--seed" => {
                config.seed = value()?
                    .parse()
                    .map_err(|_| "--seed erwartet eine Zahl".to_string())?;
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--stichtag" => config.stichtag = value()?.parse()?,
            "--noise" => {
                config.noise = match value()?.as_str() {
                    "default" => Noise::default(),
                    "none" => Noise::none(),
                    other => return Err(format!("--noise {other}: erwartet default oder none")),
                };
            }
            "--rate" => {
                let v = value()?;
                let (name, rate) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--rate {v}: erwartet NAME=WERT"))?;
                let rate: f64 = rate
                    .parse()
                    .map_err(|_| format!("--rate {v}: Wert ist keine Zahl"))?;
                rates.push((name.to_string(), rate));
            }
            "--no-office" => options.office = false,
            other => return Err(format!("unbekannte Option {other}")),
        }
        i += 1;
    }
    for (name, rate) in rates {
        if !config.noise.set(&name, rate) {
            return Err(format!("unbekannte Rauschrate {name}"));
        }
    }
    let out = out.ok_or("--out DIR fehlt")?;
    Ok((config, out, options))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return if args.is_empty() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    }
    let (config, out, options) = match parse(&args) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("lagebild-synth: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    match write_to_dir(&config, &out, &options) {
        Ok(manifest) => {
            let rows: u64 = manifest.files.iter().map(|f| f.row_count).sum();
            println!(
                "lagebild-synth: {} Exportdateien ({} Datensätze), {} Ground-Truth-Dateien in {} \
                 ({:.1} s; Größe {}, Seed {}, Stichtag {}, Office: {})",
                manifest.files.len(),
                rows,
                manifest.truth.len(),
                out.display(),
                start.elapsed().as_secs_f64(),
                config.scale,
                config.seed,
                config.stichtag,
                manifest.office
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lagebild-synth: {e}");
            ExitCode::FAILURE
        }
    }
}
