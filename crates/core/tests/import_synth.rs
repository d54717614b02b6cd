//! Every export of the synthetic city imports with no unexplained rejection, and the rows read
//! equal the rows the generator wrote (its manifest).

use lagebild_core::import::{Dataset, ImportOptions, Importer};
use lagebild_synth::{Config, Scale, SourceKind, generate};

fn check_scale(scale: Scale) {
    let output = generate(&Config::new(scale)).expect("synthetic city");
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    let mut checked = 0;
    for entry in &output.manifest.files {
        if matches!(entry.source, SourceKind::GeoJson) {
            continue;
        }
        let file = output.file(&entry.path).expect("file of the manifest");
        let name = entry.path.rsplit('/').next().unwrap_or(&entry.path);
        // What the app asks the user for a SchILD file: its school number and Schulform.
        let options = ImportOptions {
            school_number: entry.school_number.clone(),
            school_form: entry.school_form.clone(),
            ..ImportOptions::default()
        };
        let imported = importer.import(&mut dataset, name, &file.bytes, &options);
        let report = &imported.report;
        assert!(report.error.is_none(), "{}: {report}", entry.path);
        assert_eq!(
            report.rows_rejected_unexpectedly(),
            0,
            "{}: unexplained rejections\n{report}",
            entry.path
        );
        assert_eq!(
            report.rows_accepted + report.rows_rejected(),
            report.rows_read,
            "{}",
            entry.path
        );
        let sum_rows = u64::from(entry.sum_row);
        assert_eq!(
            report.rows_accepted + report.rows_rejected() - sum_rows,
            entry.row_count,
            "{}: rows read vs. rows written\n{report}",
            entry.path
        );
        assert!(
            report.unmapped_values.is_empty(),
            "{}: values not recognised\n{report}",
            entry.path
        );
        checked += 1;
    }
    assert!(checked > 20, "only {checked} files checked");
}

#[test]
fn the_tiny_city_imports_without_unexplained_rejections() {
    check_scale(Scale::Tiny);
}

#[test]
fn the_demo_city_imports_without_unexplained_rejections() {
    check_scale(Scale::Demo);
}
