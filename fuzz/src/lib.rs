//! Shared checks of the fuzz targets: every import must account for each row it read.

use std::sync::OnceLock;

use lagebild_core::import::{Dataset, ImportOptions, ImportedFile, Importer};

/// One importer for all inputs: building the field catalog per input would dominate the time.
fn importer() -> &'static Importer {
    static IMPORTER: OnceLock<Importer> = OnceLock::new();
    IMPORTER.get_or_init(Importer::default)
}

/// Imports `bytes` as `name` into a fresh dataset and checks the report's invariants.
pub fn import_and_check(name: &str, bytes: &[u8]) {
    let importer = importer();
    let mut dataset = Dataset::default();
    let file = importer.import(&mut dataset, name, bytes, &ImportOptions::default());
    check(file);
    // A second file of the same run must not be affected by the first.
    let file = importer.import(
        &mut dataset,
        "zweite.csv",
        GOOD_CSV,
        &ImportOptions::default(),
    );
    assert!(file.report.error.is_none(), "{}", file.report);
    assert_eq!(file.records.len(), 1, "{}", file.report);
}

/// A small valid Meldewesen file imported after each fuzzed input.
const GOOD_CSV: &[u8] = "Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus\nMüller;Eva;01.02.1980;w;deutsch;Ringstraße;2;H\n".as_bytes();

/// The invariants of one imported file.
pub fn check(file: &ImportedFile) {
    let report = &file.report;
    // Display must not panic and must say something.
    assert!(!report.to_string().is_empty());
    if let Some(error) = &report.error {
        assert!(!error.to_string().is_empty());
        assert!(file.records.is_empty());
        return;
    }
    assert_eq!(
        report.rows_accepted + report.rows_rejected(),
        report.rows_read,
        "accepted + rejected = read"
    );
    assert_eq!(report.rows_accepted as usize, file.records.len());
}
