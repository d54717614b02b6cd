//! `lagebild import` as a user runs it.

use std::process::Command;

fn lagebild() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lagebild"))
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../core/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn imports_and_reports_each_file() {
    let out = lagebild()
        .args([
            "import",
            &fixture("alw_office.xls"),
            &fixture("alw_office.ods"),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Blatt „alw_office“"), "{text}");
    assert_eq!(
        text.matches("Zeilen gelesen: 3, übernommen: 3, abgewiesen: 0")
            .count(),
        2,
        "{text}"
    );
    assert!(
        text.contains("2 Dateien, 6 Datensätze, 0 mit Fehler"),
        "{text}"
    );
}

#[test]
fn a_mapping_file_maps_unknown_headers_and_bad_files_set_the_exit_code() {
    let dir = std::env::temp_dir().join(format!("lagebild-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("AKDN_2017-11.csv");
    std::fs::write(
        &data,
        "Az;Nachname;Rufname;Geb;Schlüssel Personenkreis\n1;Haddad;Ahmad;14.03.1988;21\n",
    )
    .unwrap();
    let mapping = dir.join("zuordnung.json");
    std::fs::write(
        &mapping,
        r#"{"source":"akdn","columns":{"Az":"case_number","Nachname":"family_name","Rufname":"given_names","Geb":"birth_date","Schlüssel Personenkreis":"pks"}}"#,
    )
    .unwrap();
    let without = lagebild()
        .args(["import", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(without.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&without.stdout).contains("FEHLER"));
    let with = lagebild()
        .args([
            "import",
            "--mapping",
            mapping.to_str().unwrap(),
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&with.stdout);
    assert!(with.status.success(), "{text}");
    assert!(text.contains("AKDN sozial"), "{text}");
    assert!(text.contains("übernommen: 1"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
