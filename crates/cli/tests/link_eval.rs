//! `lagebild link-eval --truth DIR FILE…` and `--json` on the synthetic tiny city: the given
//! exports are linked (sources detected), scored against the truth, and the JSON carries
//! precision, recall, F1, time and pairs per register pair, never a name.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct City(PathBuf);

impl City {
    /// Writes every file of the tiny city (exports, truth, manifest) to a fresh directory.
    fn tiny(name: &str) -> City {
        let dir = std::env::temp_dir().join(format!("lagebild-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let output =
            lagebild_synth::generate(&lagebild_synth::Config::new(lagebild_synth::Scale::Tiny))
                .unwrap();
        for file in &output.files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &file.bytes).unwrap();
        }
        City(dir)
    }

    fn path(&self, relative: &str) -> String {
        self.0.join(relative).to_string_lossy().into_owned()
    }

    /// The files `--synth-dir` chooses: Stichtag snapshots, the last AKDN month, every SchILD
    /// file and the Gliederung CSV.
    fn linked_files(&self) -> Vec<String> {
        let mut files = vec![
            self.path("exports/meldewesen/EWO_Bestand_20261031.csv"),
            self.path("exports/auslaenderwesen/ALW_Auslaender_2026-10-31.xlsx"),
            self.path("exports/akdn/AKDN_AsylbLG_2026-10.xlsx"),
        ];
        let schild = self.0.join("exports/schild");
        let mut schools: Vec<PathBuf> = std::fs::read_dir(&schild)
            .unwrap()
            .map(|e| e.unwrap().path().join("SchuelerBasisdaten.dat"))
            .collect();
        schools.sort();
        files.extend(schools.iter().map(|p| p.to_string_lossy().into_owned()));
        files.push(self.path("exports/gliederung/Gliederung_Adressen.csv"));
        files
    }
}

impl Drop for City {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn lagebild(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lagebild"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", text(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

fn pair<'a>(value: &'a Value, name: &str) -> &'a Value {
    value["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pair"] == name)
        .unwrap_or_else(|| panic!("{name} fehlt: {value}"))
}

fn assert_no_personal_values(city: &Path, output: &str) {
    // Family names of the tiny city's Meldewesen export must not appear.
    let melde = std::fs::read(city.join("exports/meldewesen/EWO_Bestand_20261031.csv")).unwrap();
    let melde: String = melde.iter().map(|&b| b as char).collect();
    for line in melde.lines().skip(1).take(30) {
        let family = line.split(';').next().unwrap_or_default().trim();
        if family.len() > 3 {
            assert!(!output.contains(family), "{family} in der Ausgabe");
        }
    }
}

#[test]
fn truth_and_files_give_the_same_result_as_the_synth_dir() {
    let city = City::tiny("link-eval-truth");
    let files = city.linked_files();
    let truth_dir = city.path("truth");
    let mut args = vec!["link-eval", "--json", "--truth", truth_dir.as_str()];
    args.extend(files.iter().map(String::as_str));
    let by_files = lagebild(&args);
    let by_files_text = text(&by_files);
    let by_files = json(&by_files);
    let by_dir = json(&lagebild(&[
        "link-eval",
        "--json",
        "--synth-dir",
        &city.path(""),
    ]));

    let sources: Vec<&str> = by_files["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), files.len());
    assert_eq!(&sources[..3], ["meldewesen", "alw", "akdn"]);
    assert_eq!(sources.last(), Some(&"gliederung"));
    assert!(sources[3..sources.len() - 1].iter().all(|s| *s == "schild"));

    for name in ["ALW × Meldewesen", "AKDN × ALW", "SchILD × ALW"] {
        let (f, d) = (pair(&by_files, name), pair(&by_dir, name));
        for key in [
            "records_a",
            "records_b",
            "predicted",
            "correct",
            "possible",
            "candidate_pairs",
        ] {
            assert_eq!(f[key], d[key], "{name}: {key}");
        }
        assert!(f["possible"].as_u64().unwrap() > 0, "{name}");
        assert!(f["f1"].as_f64().unwrap() >= 0.95, "{name}: {f}");
        let (p, r) = (
            f["precision"].as_f64().unwrap(),
            f["recall"].as_f64().unwrap(),
        );
        assert!((f["f1"].as_f64().unwrap() - 2.0 * p * r / (p + r)).abs() < 1e-9);
        assert!(f["seconds"].as_f64().unwrap() >= 0.0);
        assert!(f["em_iterations"].as_u64().unwrap() >= 1);
        let rules = f["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 4);
        let new: u64 = rules.iter().map(|r| r["new_pairs"].as_u64().unwrap()).sum();
        assert_eq!(new, f["candidate_pairs"].as_u64().unwrap(), "{name}");
    }
    assert!(by_files["link_seconds"].as_f64().unwrap() >= 0.0);
    assert_no_personal_values(&city.0, &by_files_text);
}

#[test]
fn only_the_pairs_of_the_given_registers_are_linked() {
    let city = City::tiny("link-eval-pairs");
    let melde = city.path("exports/meldewesen/EWO_Bestand_20261031.csv");
    let alw = city.path("exports/auslaenderwesen/ALW_Auslaender_2026-10-31.xlsx");
    // The city directory itself is accepted as --truth as well.
    let out = lagebild(&[
        "link-eval",
        "--truth",
        &city.path(""),
        melde.as_str(),
        alw.as_str(),
    ]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("ALW × Meldewesen"), "{shown}");
    assert!(!shown.contains("AKDN × ALW"), "{shown}");
    assert!(!shown.contains("SchILD × ALW"), "{shown}");
    assert!(shown.contains("F1"), "{shown}");
    assert_no_personal_values(&city.0, &shown);

    let value = json(&lagebild(&[
        "link-eval",
        "--json",
        "--truth",
        &city.path("truth"),
        alw.as_str(),
        melde.as_str(),
    ]));
    assert_eq!(value["pairs"].as_array().unwrap().len(), 1);
    assert!(pair(&value, "ALW × Meldewesen")["f1"].as_f64().unwrap() >= 0.95);
}

#[test]
fn files_outside_the_city_and_missing_registers_are_refused() {
    let city = City::tiny("link-eval-refused");
    let other = City::tiny("link-eval-refused-other");
    let alw = city.path("exports/auslaenderwesen/ALW_Auslaender_2026-10-31.xlsx");
    let foreign = other.path("exports/meldewesen/EWO_Bestand_20261031.csv");
    let out = lagebild(&[
        "link-eval",
        "--truth",
        &city.path("truth"),
        alw.as_str(),
        foreign.as_str(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("nicht im Verzeichnis"),
        "{}",
        text(&out)
    );
    // Only one register: nothing to link.
    let out = lagebild(&["link-eval", "--truth", &city.path("truth"), alw.as_str()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("kein Registerpaar"), "{}", text(&out));
    // --truth needs files, and the two forms do not mix.
    assert!(
        !lagebild(&["link-eval", "--truth", &city.path("truth")])
            .status
            .success()
    );
    assert!(
        !lagebild(&[
            "link-eval",
            "--synth-dir",
            &city.path(""),
            "--truth",
            &city.path("truth"),
            alw.as_str(),
        ])
        .status
        .success()
    );
}
