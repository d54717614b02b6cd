//! The workbook goes to SharePoint as it is (issue 20): read by a second, independent reader
//! (openpyxl) and printed to PDF by LibreOffice, the workbook of the synthetic city has
//! readable unique sheet names, panes frozen at the header, months as dates, A4 pages one page
//! wide with the header rows repeated, a page header with title and Stichtag, a footer with
//! the page; each technical row once; and a table of a city's Stadtteile prints on one page,
//! the table on its first page.
//!
//! The tools come from `cargo xtask setup` (Python venv `.tools/py-venv` with openpyxl and
//! pypdf, LibreOffice). Where they are missing the test says so and passes, unless
//! `LAGEBILD_REQUIRE_TOOLS` is set (as `cargo xtask test` does): then it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use lagebild_core::protect::ProtectionSettings;
use lagebild_core::view::{DownloadRequest, ReportSet};
use lagebild_synth::{Config, Scale, generate};
use serde_json::Value;

fn tool(path: PathBuf, what: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("LAGEBILD_REQUIRE_TOOLS").is_none(),
        "{what} fehlt ({}): `cargo xtask setup` installiert es",
        path.display()
    );
    eprintln!("{what} fehlt ({}): Test übersprungen", path.display());
    None
}

fn python() -> Option<PathBuf> {
    let path = std::env::var_os("LAGEBILD_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/py-venv/bin/python"),
        PathBuf::from,
    );
    tool(path, "Python mit openpyxl und pypdf")
}

/// The city's workbook and the report set it was written from.
fn city_workbook() -> (Vec<u8>, ReportSet) {
    let output = generate(&Config::new(Scale::Demo)).expect("synthetic city");
    let mut session = common::session_of(&output, |_| true);
    let set = session
        .run(&ProtectionSettings::default(), &mut |_, _, _, _| {})
        .expect("report");
    let workbook = session
        .download(&DownloadRequest::Workbook)
        .expect("workbook");
    (workbook.bytes, set)
}

/// LibreOffice's PDF print of `xlsx` (in `dir`).
fn print_to_pdf(dir: &Path, xlsx: &Path) -> PathBuf {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let status = Command::new("/usr/bin/soffice")
        .args([profile.as_str(), "--headless", "--norestore"])
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(xlsx)
        .status()
        .expect("soffice");
    assert!(status.success());
    xlsx.with_extension("pdf")
}

fn facts(python: &Path, xlsx: &Path, pdf: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/workbook_facts.py");
    let out = Command::new(python)
        .arg(script)
        .arg(xlsx)
        .arg(pdf)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// `text` without whitespace: the PDF breaks long page headers into lines.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_city_workbook_is_publishable_as_it_is() {
    let Some(python) = python() else { return };
    let Some(_) = tool(PathBuf::from("/usr/bin/soffice"), "LibreOffice") else {
        return;
    };
    let (bytes, set) = city_workbook();
    let dir = std::env::temp_dir().join(format!("lagebild-publication-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xlsx = dir.join("lagebild.xlsx");
    std::fs::write(&xlsx, &bytes).unwrap();
    let pdf = print_to_pdf(&dir, &xlsx);
    let facts = facts(&python, &xlsx, &pdf);
    let sheets = facts["sheets"].as_array().unwrap();
    let pages: Vec<&str> = facts["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(text)
        .collect();

    // Inhalt, one sheet per table, Definitionen, Metadaten; names unique and whole words.
    let names: Vec<&str> = sheets.iter().map(|s| text(&s["name"])).collect();
    assert_eq!(names.len(), set.tables.len() + 3, "{names:?}");
    assert_eq!(names[0], "Inhalt");
    assert_eq!(names[names.len() - 2], "Definitionen");
    assert_eq!(names[names.len() - 1], "Metadaten");
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len(), "unique: {names:?}");
    for (i, name) in names[1..=set.tables.len()].iter().enumerate() {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(name.starts_with(&format!("{} ", i + 1)), "{name}");
        for word in name.split(' ').skip(1) {
            assert!(
                word.chars().count() >= 2 || word == "–",
                "a word cut: {name}"
            );
        }
    }

    for (table, sheet) in set.tables.iter().zip(&sheets[1..]) {
        let name = text(&sheet["name"]);
        let rows = sheet["rows"].as_array().unwrap();
        assert_eq!(text(&rows[0][0]), table.title, "{name}");
        // Frozen at the header: the row above the frozen pane is the header row, whose first
        // cell names the row dimension.
        let freeze = text(&sheet["freeze"]);
        let data_row: usize = freeze
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap_or_else(|_| panic!("{name}: no frozen pane ({freeze})"));
        assert!(
            data_row <= 12,
            "{name}: the table starts on the first screen"
        );
        let header = &rows[data_row - 2];
        assert_eq!(text(&header[0]), table.header.last().unwrap()[0], "{name}");
        // Print set-up.
        assert_eq!(sheet["paper"], 9, "{name}: A4");
        assert_eq!(sheet["fit_to_page"], true, "{name}");
        assert_eq!(
            sheet["fit_height"], 0,
            "{name}: as many pages high as needed"
        );
        assert_eq!(
            text(&sheet["print_titles"]),
            format!("${}:${}", data_row - table.header.len(), data_row - 1),
            "{name}: header rows repeated"
        );
        assert!(
            table
                .title
                .starts_with(text(&sheet["header"]).trim_end_matches('…'))
        );
        assert!(
            text(&sheet["header_right"]).starts_with("Stichtag "),
            "{name}"
        );
        assert_eq!(text(&sheet["footer"]), "Seite &P von &N", "{name}");
        // Each technical row once.
        let column_a: Vec<&str> = sheet["column_a"]
            .as_array()
            .unwrap()
            .iter()
            .map(text)
            .collect();
        assert!(
            column_a
                .iter()
                .filter(|t| **t == "Adresse nicht zugeordnet")
                .count()
                <= 1,
            "{name}: {column_a:?}"
        );
        // The first printed page of the table shows the table (its header row), not only the
        // lines above it.
        // Pages of a sheet start with its page header.
        let page_header = squash(text(&sheet["header"]).trim_end_matches('…'));
        let first_page = pages
            .iter()
            .find(|p| squash(p).starts_with(&page_header))
            .unwrap_or_else(|| panic!("{name} not printed"));
        assert!(
            first_page.contains(table.header.last().unwrap()[0].as_str()),
            "{name}: {first_page}"
        );
    }

    // Months are dates shown as MM.JJJJ.
    let monthly = sheets
        .iter()
        .find(|s| text(&s["name"]).ends_with("AsylbLG Personen je Monat"))
        .expect("monthly series");
    assert_eq!(text(&monthly["first_date_format"]), "mm.yyyy");

    // A table of the city's Stadtteile (5 Stadtbezirke, 18 Stadtteile, "Adresse nicht
    // zugeordnet" and the city) prints on one page.
    let key = "bevoelkerung_geschlecht";
    let index = set.tables.iter().position(|t| t.key == key).expect(key);
    let table = &set.tables[index];
    assert!(table.rows.len() >= 24, "{} rows", table.rows.len());
    let title = table.title.as_str();
    let printed: Vec<&&str> = pages
        .iter()
        .filter(|p| squash(p).starts_with(&squash(title)))
        .collect();
    assert_eq!(printed.len(), 1, "{title}: {} pages", printed.len());
    for row in &table.rows {
        assert!(
            printed[0].contains(row.labels[0].0.as_str()),
            "{}",
            row.labels[0].0
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
