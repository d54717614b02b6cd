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

/// Runs `lagebild` with `args`, stopping it after 20 s; `None` if it had to be stopped.
#[cfg(unix)]
fn run_briefly(args: &[&str]) -> Option<(std::process::ExitStatus, String)> {
    use std::io::Read;
    let mut child = lagebild()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return Some((status, stderr));
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Issue 16, finding 7: a path that is a link to /dev/zero ignored `--max-file-mib` and was
/// read until the memory ran out; a named pipe made the run hang. Only regular files are read,
/// the limit is checked on the open handle.
#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_at_once() {
    let dir = std::env::temp_dir().join(format!("lagebild-devices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zero = dir.join("EWO_Bestand_20261031.csv");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let pipe = dir.join("ALW_Bestand_20261031.csv");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    for (path, kind) in [
        (&zero, "ist ein Gerät"),
        (&pipe, "ist eine benannte Pipe (FIFO)"),
    ] {
        let (status, stderr) =
            run_briefly(&["import", path.to_str().unwrap(), "--max-file-mib", "1"])
                .unwrap_or_else(|| panic!("{}: the run did not end", path.display()));
        assert!(!status.success());
        assert!(
            stderr.contains(kind) && stderr.contains("wird nicht gelesen"),
            "{stderr}"
        );
    }
    // The limit counts for a regular file that is too large, before it is read.
    let big = dir.join("EWO_gross_20261031.csv");
    std::fs::write(&big, vec![b'a'; 2 << 20]).unwrap();
    let (status, stderr) =
        run_briefly(&["import", big.to_str().unwrap(), "--max-file-mib", "1"]).unwrap();
    assert!(!status.success());
    assert!(
        stderr.contains("größer als die erlaubten 1,0 MB"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
