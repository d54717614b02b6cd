//! `lagebild report` end to end on the synthetic tiny city: the workbook it writes has the
//! standard tables, every one protected, and no cell holds 1 or 2.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use lagebild_synth::{Config, Scale, SourceKind, generate};

fn write_city(dir: &Path) -> Vec<(SourceKind, String)> {
    let output = generate(&Config::new(Scale::Tiny)).unwrap();
    let mut files = Vec::new();
    for entry in &output.manifest.files {
        if entry.subset_of.is_some() || entry.duplicate_of.is_some() {
            continue;
        }
        let file = output.file(&entry.path).unwrap();
        let path = dir.join(&entry.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.bytes).unwrap();
        files.push((entry.source, path.to_string_lossy().into_owned()));
    }
    files
}

#[test]
fn the_report_writes_only_protected_tables() {
    let dir = std::env::temp_dir().join(format!("lagebild-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = write_city(&dir);
    let pick = |kind: SourceKind, stichtag_only: bool| -> Vec<String> {
        files
            .iter()
            .filter(|(k, p)| {
                *k == kind && (!stichtag_only || p.contains("2026-10-31") || p.contains("20261031"))
            })
            .map(|(_, p)| p.clone())
            .collect()
    };
    let out = dir.join("bericht.xlsx");
    let csv_dir = dir.join("csv");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lagebild"));
    cmd.arg("report");
    for (flag, paths) in [
        ("--ewo", pick(SourceKind::Meldewesen, true)),
        ("--alw", pick(SourceKind::Alw, true)),
        ("--gliederung", pick(SourceKind::Gliederung, false)),
    ] {
        for p in paths {
            cmd.args([flag, &p]);
        }
    }
    cmd.arg("--akdn").args(pick(SourceKind::Akdn, false));
    cmd.args([
        "--out",
        out.to_str().unwrap(),
        "--csv",
        csv_dir.to_str().unwrap(),
    ]);
    let result = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(text.contains("Beispielzuordnung"), "{text}");
    assert!(text.contains("Regel angewandt: Tabellensperrung"), "{text}");

    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let sheets = workbook.sheet_names();
    assert_eq!(sheets.first().map(String::as_str), Some("Inhalt"));
    assert!(sheets.iter().any(|s| s == "Metadaten"));
    assert!(sheets.len() >= 2 + 10, "{sheets:?}");
    for sheet in sheets
        .iter()
        .filter(|s| *s != "Inhalt" && *s != "Metadaten")
    {
        let range = workbook.worksheet_range(sheet).unwrap();
        for value in range.used_cells().map(|(_, _, v)| v) {
            let small = match value {
                Data::Float(f) => *f == 1.0 || *f == 2.0,
                Data::Int(i) => *i == 1 || *i == 2,
                _ => false,
            };
            assert!(!small, "sheet {sheet} publishes a 1 or 2");
        }
    }
    let csvs = std::fs::read_dir(&csv_dir).unwrap().count();
    assert_eq!(csvs, sheets.len() - 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
