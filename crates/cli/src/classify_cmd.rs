//! `lagebild classify ALW_FILE...`: classifies the records of EWO-ALW exports at a Stichtag and
//! prints counts by category and sub-category, the Destatis grouping, conflicts and the
//! "needs mapping" list.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use lagebild_core::classify::rules::SWITCH_104C;
use lagebild_core::classify::{Category, ExpiredTitles, Rules, Snapshot, SnapshotOptions};
use lagebild_core::format;
use lagebild_core::import::{Dataset, ImportOptions, Limits, Records, SourceKind};
use lagebild_core::records::Date;

use crate::common::{cell, import_file, importer, parse_date, read_text};

/// What to do with expired titles.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExpiredArg {
    /// Mitzählen und markieren.
    Behalten,
    /// Nicht mitzählen.
    Entfernen,
}

/// § 104c AufenthG.
#[derive(Clone, Copy, ValueEnum)]
pub enum P104cArg {
    /// Als Flüchtling (Humanitaer, Unterkategorie § 104c).
    Fluechtling,
    /// Kein Flüchtling.
    KeinFluechtling,
}

/// Arguments of `lagebild classify`.
#[derive(Args)]
pub struct ClassifyArgs {
    /// EWO-ALW-Exporte (CSV, TXT, XLSX, XLS, ODS); jede Datei wird für sich ausgewertet.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Eigene Klassifikationsregeln (TOML im Format von rules.toml) statt der Vorgabe.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Zuordnung nicht lesbarer Erteilungsgründe zu Fundstellen (TOML: je `[[wert]]` mit
    /// `text` und `fundstelle`).
    #[arg(long)]
    werte: Option<PathBuf>,
    /// Gespeicherte Spaltenzuordnung (JSON, wie die App sie speichert).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Stichtag (JJJJ-MM-TT), sonst aus dem Dateinamen; ohne Stichtag wird die Gültigkeit
    /// nicht geprüft.
    #[arg(long, value_parser = parse_date)]
    stichtag: Option<Date>,
    /// Abgelaufene Titel (gültig bis vor dem Stichtag) mitzählen oder entfernen.
    #[arg(long, value_enum, default_value = "behalten")]
    abgelaufene: ExpiredArg,
    /// § 104c AufenthG zählen als (überschreibt die Einstellung der Regeldatei).
    #[arg(long = "p104c", value_enum)]
    p104c: Option<P104cArg>,
}

/// Prints rows of (label, count) with the counts aligned right.
fn print_rows(rows: &[(String, String)]) {
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let num = rows
        .iter()
        .map(|(_, n)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (label, n) in rows {
        let pad = width - label.chars().count();
        println!("  {label}{}  {n:>num$}", " ".repeat(pad), num = num.max(6));
    }
}

fn print_snapshot(s: &Snapshot, rules: &Rules) {
    let mut rows: Vec<(String, String)> =
        vec![("Kategorie / Unterkategorie".into(), "Anzahl".into())];
    for (category, n) in s.by_category() {
        let label = match category {
            Some(c) => format!("{} [{}]", c.label(), c.code()),
            None => "nicht zugeordnet (Zuordnung fehlt)".to_string(),
        };
        if category.is_none() && n == 0 {
            continue;
        }
        rows.push((label, cell(n)));
        for sub in s
            .sub_counts
            .iter()
            .filter(|c| c.category.is_some() && c.category == category)
        {
            rows.push((format!("    {}", sub.sub_category), cell(sub.count)));
        }
        if category == Some(Category::Humanitaer) {
            rows.push(("Flüchtlinge insgesamt".into(), cell(s.refugees())));
        }
    }
    rows.push(("Datensätze gezählt".into(), cell(s.counted())));
    print_rows(&rows);

    println!("\nDestatis „Schutzsuchende“ (zweite Sicht auf die Flüchtlinge):");
    let destatis: Vec<(String, String)> = s
        .destatis()
        .into_iter()
        .map(|(g, n)| (g.label().to_string(), cell(n)))
        .collect();
    print_rows(&destatis);

    match s.options.reference_date {
        Some(d) => println!(
            "\nAbgelaufene Titel (gültig bis vor dem {}): {}{}",
            d.to_german(),
            format::count(s.expired),
            match s.options.expired {
                ExpiredTitles::Keep => " – mitgezählt und markiert".to_string(),
                ExpiredTitles::Drop =>
                    format!(" – entfernt, nicht gezählt: {}", format::count(s.dropped)),
            }
        ),
        None => println!("\nKein Stichtag: Gültigkeit der Titel nicht geprüft."),
    }
    let by_104c = if rules.switch(SWITCH_104C) == Some(false) {
        "kein Flüchtling"
    } else {
        "Flüchtling (Humanitaer, Unterkategorie § 104c)"
    };
    println!("§ 104c AufenthG zählt als: {by_104c}");

    if s.conflicts.is_empty() {
        println!("\nWidersprüche Aufenthaltsart / Erteilungsgrund: keine");
    } else {
        let total: u64 = s.conflicts.iter().map(|c| c.count).sum();
        println!(
            "\nWidersprüche Aufenthaltsart / Erteilungsgrund: {} Datensätze",
            format::count(total)
        );
        for c in &s.conflicts {
            println!(
                "  {:>6}  Aufenthaltsart „{}“, Erteilungsgrund „{}“: gezählt als {}, nicht als {}",
                format::count(c.count),
                c.residence_kind,
                c.legal_basis,
                c.chosen.code(),
                c.other.code()
            );
        }
    }

    if s.needs_mapping.is_empty() {
        println!("\nZuordnung fehlt: nichts");
    } else {
        let total: u64 = s.needs_mapping.iter().map(|g| g.count).sum();
        println!(
            "\nZuordnung fehlt: {} Werte, {} Datensätze (davon Erteilungsgrund nicht lesbar: {})",
            format::count(s.needs_mapping.len() as u64),
            format::count(total),
            format::count(s.unparsable())
        );
        for g in &s.needs_mapping {
            let fallback = if g.classified_by_residence_kind > 0 {
                format!(
                    " (davon {} über die Aufenthaltsart zugeordnet)",
                    format::count(g.classified_by_residence_kind)
                )
            } else {
                String::new()
            };
            println!(
                "  {:>6}  „{}“ – {}{fallback}",
                format::count(g.count),
                g.value,
                g.kind.label()
            );
        }
    }
}

/// Runs the command; exit code 1 if a file could not be imported.
pub fn run(args: &ClassifyArgs) -> Result<ExitCode, String> {
    let mut rules = match &args.rules {
        Some(path) => Rules::from_toml(&read_text(path, "Regeldatei")?)?,
        None => Rules::shipped(),
    };
    if let Some(path) = &args.werte {
        let values = lagebild_core::classify::values::ValueMappings::from_toml(&read_text(
            path,
            "Wertezuordnung",
        )?)?;
        rules = rules.with_values(values);
    }
    match args.p104c {
        Some(P104cArg::Fluechtling) => rules.set_switch(SWITCH_104C, true),
        Some(P104cArg::KeinFluechtling) => rules.set_switch(SWITCH_104C, false),
        None => {}
    }
    let importer = importer(args.mapping.as_deref(), Limits::default())?;
    let options = ImportOptions {
        source: Some(SourceKind::Alw),
        reference_date: args.stichtag,
        ..ImportOptions::default()
    };
    let expired = match args.abgelaufene {
        ExpiredArg::Behalten => ExpiredTitles::Keep,
        ExpiredArg::Entfernen => ExpiredTitles::Drop,
    };
    println!(
        "Regeln: {}",
        match &args.rules {
            Some(path) => format!("Datei {}", path.display()),
            None => "mitgelieferte Vorgabe (rules.toml)".to_string(),
        }
    );
    let mut failed = 0;
    for path in &args.files {
        let mut dataset = Dataset::default();
        println!();
        if !import_file(&importer, &mut dataset, path, &options)? {
            failed += 1;
            continue;
        }
        let Some(file) = dataset.files.first() else {
            continue;
        };
        let Records::Alw(records) = &file.records else {
            println!("  keine EWO-ALW-Datensätze");
            failed += 1;
            continue;
        };
        let snapshot_options = SnapshotOptions {
            reference_date: args.stichtag.or(file.report.reference_date),
            expired,
        };
        let snapshot = Snapshot::compute(&dataset.pool, records, &rules, snapshot_options);
        print_snapshot(&snapshot, &rules);
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
