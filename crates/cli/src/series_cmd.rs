//! `lagebild series AKDN_FILE...`: the monthly series "Entwicklung der Flüchtlingszahlen"
//! (persons by PKS per month) and the cases per month from AKDN sozial exports.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use lagebild_core::classify::fortschreibung;
use lagebild_core::classify::pks::EXAMPLE_WARNING;
use lagebild_core::classify::{PksMapping, Series};
use lagebild_core::format;
use lagebild_core::import::{Dataset, ImportOptions, Limits, Records, SourceKind};
use lagebild_core::records::YearMonth;

use crate::common::{cell, import_file, importer, parse_month, read_text};

/// Arguments of `lagebild series`.
#[derive(Args)]
pub struct SeriesArgs {
    /// AKDN-sozial-Exporte (eine Datei je Monat oder eine Datei mit vielen Monaten; Monate
    /// dürfen sich überschneiden).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Zuordnung der Personenkreisschlüssel der Stadt (TOML im Format von pks_example.toml);
    /// ohne diese Angabe gilt die mitgelieferte BEISPIELZUORDNUNG.
    #[arg(long)]
    pks: Option<PathBuf>,
    /// Gespeicherte Spaltenzuordnung (JSON, wie die App sie speichert).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Berichtsmonat für Dateien ohne Monatsangabe (JJJJ-MM).
    #[arg(long, value_parser = parse_month)]
    month: Option<YearMonth>,
    /// Fortgeschriebene Datentabelle „Entwicklung der Flüchtlingszahlen“ des Amtes (XLSX, XLS,
    /// ODS oder CSV): wird mit den Monaten der AKDN-Dateien fortgeschrieben; Monate in beiden
    /// werden Zelle für Zelle verglichen.
    #[arg(long)]
    datentabelle: Option<PathBuf>,
}

fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter(|r| r.len() == columns)
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (i, c) in row.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(w.saturating_sub(c.chars().count()));
            if i == 0 || row.len() < columns {
                line.push_str(c);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(c);
            }
            line.push_str("  ");
        }
        println!("  {}", line.trim_end());
    }
}

fn print_series(series: &Series) {
    println!(
        "\nEntwicklung der Flüchtlingszahlen (Personen je Monat, ohne Doppelzählung; „–“ = null)"
    );
    let columns = &series.columns;
    let headers = std::iter::once("Monat")
        .chain(columns.columns().iter().map(|c| c.heading.as_str()))
        .chain(columns.sums().iter().map(|s| s.heading.as_str()))
        .chain(["Insgesamt", "PKS unbekannt"]);
    let mut rows: Vec<Vec<String>> = vec![headers.map(str::to_owned).collect()];
    for row in &series.rows {
        let month = row.month.first_day().to_german();
        match row.counts {
            Some(c) => rows.push(
                std::iter::once(month)
                    .chain((0..columns.columns().len()).map(|i| cell(c.get(i))))
                    .chain(columns.sums().iter().map(|s| cell(c.sum(s))))
                    .chain([cell(c.insgesamt()), cell(c.unknown_pks)])
                    .collect(),
            ),
            None => rows.push(vec![
                month,
                "Lücke: kein Export für diesen Monat".to_string(),
            ]),
        }
    }
    print_table(&rows);
    for sum in columns.sums() {
        let parts: Vec<&str> = sum.columns.iter().map(|&i| columns.heading(i)).collect();
        println!("  {} = {}", sum.heading, parts.join(" + "));
    }
    println!("  Insgesamt = alle Spalten; PKS unbekannt zählt nicht mit.");

    println!("\nFälle je Monat (verschiedene Aktenzeichen)");
    let mut cases: Vec<Vec<String>> = vec![vec!["Monat".into(), "Fälle".into()]];
    for row in &series.cases {
        cases.push(vec![
            row.month.first_day().to_german(),
            row.cases.map_or_else(|| "Lücke".to_string(), cell),
        ]);
    }
    print_table(&cases);

    println!();
    for (label, value) in lagebild_core::view::series_lines(series) {
        println!("{label}: {value}");
    }
    if !series.namesakes.is_empty() {
        let months: Vec<String> = series
            .namesakes
            .iter()
            .map(|(m, n)| format!("{} ({})", m.first_day().to_german(), format::count(*n)))
            .collect();
        println!("  Monate mit Namensgleichen: {}", months.join(", "));
    }
    let gaps = series.gaps();
    if !gaps.is_empty() {
        let list: Vec<String> = gaps.iter().map(|m| m.first_day().to_german()).collect();
        println!("Lücken (Monate ohne Export): {}", list.join(", "));
    }
    if series.unknown_codes.is_empty() {
        println!("Unbekannte Personenkreisschlüssel: keine");
    } else {
        println!(
            "Unbekannte Personenkreisschlüssel: {} Personen (je Monat gezählt) in keiner Spalte und nicht in „Insgesamt“:",
            format::count(series.persons_with_unknown_pks())
        );
        for (code, n) in &series.unknown_codes {
            println!("  {:>6}  PKS „{code}“", format::count(*n));
        }
    }
}

/// Runs the command; exit code 1 if a file could not be imported.
pub fn run(args: &SeriesArgs) -> Result<ExitCode, String> {
    let mapping = match &args.pks {
        Some(path) => PksMapping::from_toml(&read_text(path, "PKS-Zuordnung")?)?,
        None => PksMapping::example(),
    };
    if mapping.is_example() {
        println!("ACHTUNG – {EXAMPLE_WARNING}\n");
    } else if let Some(path) = &args.pks {
        println!(
            "PKS-Zuordnung: {} ({} Schlüssel)\n",
            path.display(),
            mapping.len()
        );
    }
    let mut importer = importer(args.mapping.as_deref(), Limits::default())?;
    importer.set_series_columns(mapping.columns().clone());
    let options = ImportOptions {
        source: Some(SourceKind::Akdn),
        report_month: args.month,
        ..ImportOptions::default()
    };
    let mut dataset = Dataset::default();
    let mut failed = 0;
    for path in &args.files {
        if !import_file(&importer, &mut dataset, path, &options)? {
            failed += 1;
        }
    }
    let series = Series::from_dataset(&dataset, &mapping);
    let (series, continuation) = match &args.datentabelle {
        Some(path) => {
            let options = ImportOptions {
                source: Some(SourceKind::Datentabelle),
                ..ImportOptions::default()
            };
            let at = dataset.files.len();
            if !import_file(&importer, &mut dataset, path, &options)? {
                failed += 1;
            }
            match dataset.files.get(at).map(|f| &f.records) {
                Some(Records::Datentabelle(table)) => {
                    let computed = (!series.rows.is_empty()).then_some(series);
                    let (series, continuation) =
                        fortschreibung::continue_series(table, computed, mapping.columns());
                    (series, Some(continuation))
                }
                _ => (series, None),
            }
        }
        None => (series, None),
    };
    if let Some(continuation) = &continuation {
        println!();
        for line in continuation.lines() {
            println!("{line}");
        }
    }
    if series.rows.is_empty() {
        println!("\nKeine AKDN-Datensätze: keine Monatsreihe.");
    } else {
        print_series(&series);
    }
    if series.example_mapping {
        println!("\nACHTUNG – {EXAMPLE_WARNING}");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
