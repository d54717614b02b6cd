//! `lagebild link-eval` on a small synthetic-city directory written here: it prints
//! precision, recall and F1 per pair of registers and never a name.

use std::path::PathBuf;
use std::process::Command;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("lagebild-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const MELDE: &str = "exports/meldewesen/EWO_Bestand_20261031.csv";
const ALW: &str = "exports/auslaenderwesen/ALW_Auslaender_2026-10-31.csv";
const AKDN: &str = "exports/akdn/AKDN_AsylbLG_2026-10.csv";

fn city(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.file(
        MELDE,
        "Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus\n\
         Haddad;Ahmad;14.03.1988;m;syrisch;Lindenstraße;12;H\n\
         Haddad;Lina;01.02.1990;w;syrisch;Lindenstraße;12;H\n\
         Rahimi;Reza;00.00.1995;m;afghanisch;Ahornweg;3;H\n\
         Yılmaz;Mehmet Ali;05.06.1970;m;türkisch;Birkenallee;7a;H\n\
         Müller;Anna;03.03.1980;w;deutsch;Ahornweg;5;H\n\
         Schmidt;Peter;04.04.1975;m;deutsch;Ahornweg;9;H\n",
    );
    dir.file(
        ALW,
        "Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangeh.;Aufenthaltsart;Erteilungsgrund;Straße;Hausnummer\n\
         Haddad;Ahmad;14.03.1988;männlich;syrisch;Aufenthaltserlaubnis;§ 25 Abs. 2 AufenthG;Lindenstr.;12\n\
         Hadad;Lina;01.02.1990;weiblich;syrisch;Aufenthaltserlaubnis;§ 25 Abs. 2 AufenthG;Lindenstr.;12\n\
         Rahimi;Reza;00.00.1995;männlich;afghanisch;Duldung;§ 60a AufenthG;Ahornweg;3\n\
         Yilmaz;Mehmet;05.06.1970;männlich;türkisch;Niederlassungserlaubnis;§ 9 AufenthG;Birkenallee;7 a\n",
    );
    dir.file(
        AKDN,
        "Fallnummer;Name;Vorname;Geburtsdatum;Geschlecht;PKS;Straße;Hausnr.\n\
         F1;Rahimi;Reza;01.01.1995;M;41;Ahornweg;3\n\
         F2;Nouri;Sara;07.07.1999;W;11;Ahornweg;1\n",
    );
    let manifest = format!(
        r#"{{"files": [
            {{"path": "{MELDE}", "source": "Meldewesen", "snapshot_date": "2026-10-31"}},
            {{"path": "{ALW}", "source": "ALW", "snapshot_date": "2026-10-31"}},
            {{"path": "{AKDN}", "source": "AKDN", "report_months": ["2026-10"]}}
        ]}}"#
    );
    dir.file("manifest.json", &manifest);
    let mut truth = String::from("file;sheet;row;person_id;address_id;baublock;noise\n");
    for (row, person) in ["P1", "P2", "P3", "P4", "P5", "P6"].iter().enumerate() {
        truth += &format!("{MELDE};;{};{person};;;\n", row + 2);
    }
    for (row, person) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
        truth += &format!("{ALW};;{};{person};;;\n", row + 2);
    }
    for (row, person) in ["P3", "P7"].iter().enumerate() {
        truth += &format!("{AKDN};;{};{person};;;\n", row + 2);
    }
    dir.file("truth/records.csv", &truth);
    dir
}

#[test]
fn link_eval_prints_quality_per_pair_and_no_names() {
    let dir = city("link-eval-quality");
    let out = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .args(["link-eval", "--synth-dir", dir.0.to_str().unwrap()])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    for expected in [
        "ALW × Meldewesen",
        "AKDN × ALW",
        "SchILD × ALW",
        "gleiches Geburtsdatum",
        "Geburtsjahr + Familienname (Kölner Phonetik)",
        "Präz.",
    ] {
        assert!(text.contains(expected), "{expected} fehlt:\n{text}");
    }
    let alw_line = text
        .lines()
        .find(|l| l.starts_with("ALW × Meldewesen"))
        .unwrap();
    let cells: Vec<&str> = alw_line.split_whitespace().collect();
    // Pair name (3 words), A, B, matches, possible, precision, recall, F1.
    assert_eq!(&cells[3..6], ["4", "6", "4"], "{alw_line}");
    assert_eq!(cells[7], "1,0000", "{alw_line}");
    for name in ["Haddad", "Rahimi", "Yilmaz", "Müller", "Reza", "1988"] {
        assert!(!text.contains(name), "{name} in der Ausgabe:\n{text}");
    }
}

#[test]
fn link_eval_refuses_unknown_rules_and_missing_dirs() {
    let dir = city("link-eval-refuses");
    let out = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .args([
            "link-eval",
            "--synth-dir",
            dir.0.to_str().unwrap(),
            "--regeln",
            "1,9",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Blockungsregel 9"));
    let out = Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .args(["link-eval", "--synth-dir", "/nonexistent/lagebild"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
