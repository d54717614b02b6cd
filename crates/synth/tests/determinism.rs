//! Same seed, same bytes: in memory, on disk, and through LibreOffice (cell contents).

#![cfg(feature = "native")]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Cell, fnv, sheets};
use lagebild_synth::{Config, Scale, WriteOptions, generate, office_available, write_to_dir};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lagebild-synth-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn files_on_disk(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read_dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    out
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_another_city() {
    let a = generate(&Config::new(Scale::Tiny)).expect("a");
    let b = generate(&Config::new(Scale::Tiny)).expect("b");
    let hashes = |o: &lagebild_synth::Output| -> Vec<(String, u64)> {
        o.files
            .iter()
            .map(|f| (f.path.clone(), fnv(&f.bytes)))
            .collect()
    };
    assert_eq!(hashes(&a), hashes(&b));
    assert!(a.files.len() > 100);
    let mut c = Config::new(Scale::Tiny);
    c.seed = 2;
    let c = generate(&c).expect("c");
    let path = "exports/meldewesen/EWO_Bestand_20261031.csv";
    assert_ne!(
        a.file(path).map(|f| fnv(&f.bytes)),
        c.file(path).map(|f| fnv(&f.bytes))
    );
}

#[test]
fn writing_to_disk_streams_exactly_the_bytes_of_the_memory_generation() {
    let config = Config::new(Scale::Tiny);
    let memory = generate(&config).expect("memory");
    let dir = temp_dir("disk");
    let manifest = write_to_dir(&config, &dir, &WriteOptions { office: false }).expect("disk");
    assert_eq!(manifest, memory.manifest);
    let disk = files_on_disk(&dir);
    let mem: BTreeMap<String, Vec<u8>> = memory
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    assert_eq!(
        disk.keys().collect::<Vec<_>>(),
        mem.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &mem {
        assert!(disk[path] == *bytes, "{path} differs on disk");
    }
    let _ = fs::remove_dir_all(&dir);
}

fn cell_texts(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    sheets(bytes)
        .into_iter()
        .map(|(name, rows)| {
            let rows = rows
                .into_iter()
                .map(|r| {
                    let mut t: Vec<String> = r
                        .iter()
                        .map(|c| match c {
                            // LibreOffice may store integral numbers differently; compare values.
                            Cell::Number(n) | Cell::Date(n) => format!("{n}"),
                            other => other.text(),
                        })
                        .collect();
                    while t.last().is_some_and(String::is_empty) {
                        t.pop();
                    }
                    t
                })
                .filter(|r| !r.is_empty())
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn libreoffice_conversions_are_real_xls_and_ods_with_stable_contents() {
    if !office_available() {
        assert!(
            std::env::var_os("LAGEBILD_SYNTH_NO_OFFICE").is_some(),
            "LibreOffice (soffice) is missing: install it (cargo xtask setup) or set \
             LAGEBILD_SYNTH_NO_OFFICE=1 to skip this test knowingly"
        );
        return;
    }
    let config = Config::new(Scale::Tiny);
    let memory = generate(&config).expect("memory");
    let (d1, d2) = (temp_dir("office1"), temp_dir("office2"));
    let m1 = write_to_dir(&config, &d1, &WriteOptions::default()).expect("run 1");
    let m2 = write_to_dir(&config, &d2, &WriteOptions::default()).expect("run 2");
    assert_eq!(m1, m2);
    let converted: Vec<_> = m1
        .files
        .iter()
        .filter(|e| e.converted_from.is_some())
        .collect();
    let kinds: Vec<&str> = converted.iter().map(|e| e.container.as_str()).collect();
    assert!(
        kinds.contains(&"xls") && kinds.contains(&"ods"),
        "{kinds:?}"
    );
    let f1 = files_on_disk(&d1);
    let f2 = files_on_disk(&d2);
    assert_eq!(f1.keys().collect::<Vec<_>>(), f2.keys().collect::<Vec<_>>());
    assert!(
        !f1.keys().any(|k| k.starts_with(".staging")),
        "staging left behind"
    );
    for (path, bytes) in &f1 {
        let is_converted = converted.iter().any(|e| &e.path == path);
        if is_converted {
            // Real BIFF8 (OLE2) or ODF files whose cells equal the XLSX the library writes.
            if path.ends_with(".xls") {
                assert!(
                    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
                    "{path} is not OLE2"
                );
            } else {
                assert!(bytes.starts_with(b"PK"), "{path} is not a zip");
                assert!(
                    bytes
                        .windows(46)
                        .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet")
                );
            }
            assert_eq!(
                cell_texts(bytes),
                cell_texts(&f2[path]),
                "{path} differs between runs"
            );
            let stem = path.rsplit_once('.').map(|(s, _)| s).unwrap_or(path);
            let source = memory
                .file(&format!("{stem}.xlsx"))
                .expect("XLSX of the same file");
            assert_eq!(
                cell_texts(bytes),
                cell_texts(&source.bytes),
                "{path} lost content"
            );
        } else {
            assert!(*bytes == f2[path], "{path} differs between runs");
            // Everything else is what the library generates in memory (paths of converted
            // files aside, the truth names the converted file).
            if let Some(m) = memory.file(path)
                && !path.starts_with("truth/")
                && path != "manifest.json"
            {
                assert!(
                    m.bytes == *bytes,
                    "{path} differs from the memory generation"
                );
            }
        }
    }
    let _ = fs::remove_dir_all(&d1);
    let _ = fs::remove_dir_all(&d2);
}
