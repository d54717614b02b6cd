//! Writing to disk: a streaming sink (the metropolis never holds its records in memory) and
//! the conversion of the XLS/ODS variants with LibreOffice.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::Workbook;

use crate::manifest::Manifest;
use crate::output::{Sink, xlsx_err};
use crate::{Config, Error};

/// Options of [`write_to_dir`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOptions {
    /// Convert the XLS/ODS variants with LibreOffice (`soffice`); if it is not installed,
    /// generation fails rather than silently skipping them. `false` writes them as XLSX.
    pub office: bool,
}

impl Default for WriteOptions {
    fn default() -> WriteOptions {
        WriteOptions { office: true }
    }
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Io(format!("{what} {}: {e}", path.display()))
}

/// Streams files into a directory.
struct DirSink {
    root: PathBuf,
    streams: Vec<Option<BufWriter<File>>>,
}

impl DirSink {
    fn path(&self, rel: &str) -> Result<PathBuf, Error> {
        let p = self.root.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err("cannot create", parent, e))?;
        }
        Ok(p)
    }
}

impl Sink for DirSink {
    fn put(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let p = self.path(path)?;
        fs::write(&p, bytes).map_err(|e| io_err("cannot write", &p, e))
    }

    fn open(&mut self, path: &str) -> Result<usize, Error> {
        let p = self.path(path)?;
        let f = File::create(&p).map_err(|e| io_err("cannot create", &p, e))?;
        self.streams
            .push(Some(BufWriter::with_capacity(1 << 20, f)));
        Ok(self.streams.len() - 1)
    }

    fn write(&mut self, id: usize, bytes: &[u8]) -> Result<(), Error> {
        let root = self.root.clone();
        match self.streams.get_mut(id).and_then(Option::as_mut) {
            Some(w) => w
                .write_all(bytes)
                .map_err(|e| io_err("cannot write into", &root, e)),
            None => Err(Error::Io(format!("stream {id} is not open"))),
        }
    }

    fn close(&mut self, id: usize) -> Result<(), Error> {
        let root = self.root.clone();
        match self.streams.get_mut(id).and_then(Option::take) {
            Some(mut w) => w.flush().map_err(|e| io_err("cannot write into", &root, e)),
            None => Err(Error::Io(format!("stream {id} is not open"))),
        }
    }

    fn save_workbook(&mut self, path: &str, wb: &mut Workbook) -> Result<(), Error> {
        let p = self.path(path)?;
        wb.save(&p).map_err(xlsx_err)
    }

    fn tempdir(&self) -> Option<String> {
        let dir = self.root.join(".staging").join("tmp");
        fs::create_dir_all(&dir).ok()?;
        Some(dir.to_string_lossy().into_owned())
    }
}

/// The LibreOffice executable, if installed.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["soffice", "libreoffice"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Whether LibreOffice (`soffice`) is on the `PATH`.
pub fn office_available() -> bool {
    soffice().is_some()
}

/// Generates the city into `dir` (created if missing; previous `exports/`, `truth/` and
/// `manifest.json` there are replaced). Streams every large file, so the metropolis scale
/// fits in memory. Returns the manifest.
pub fn write_to_dir(
    config: &Config,
    dir: &Path,
    options: &WriteOptions,
) -> Result<Manifest, Error> {
    config.validate()?;
    let office = if options.office {
        Some(soffice().ok_or_else(|| {
            Error::Office(
                "soffice nicht gefunden: LibreOffice installieren (cargo xtask setup) oder \
                 ohne Office-Konvertierung erzeugen (--no-office)"
                    .into(),
            )
        })?)
    } else {
        None
    };
    fs::create_dir_all(dir).map_err(|e| io_err("cannot create", dir, e))?;
    for sub in ["exports", "truth", ".staging"] {
        let p = dir.join(sub);
        if p.exists() {
            fs::remove_dir_all(&p).map_err(|e| io_err("cannot remove", &p, e))?;
        }
    }
    let mut sink = DirSink {
        root: dir.to_path_buf(),
        streams: Vec::new(),
    };
    let manifest = crate::exports::run(config, &mut sink, office.is_some())?;
    drop(sink);
    if let Some(soffice) = office {
        convert(&soffice, dir, &manifest)?;
    }
    let staging = dir.join(".staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| io_err("cannot remove", &staging, e))?;
    }
    Ok(manifest)
}

/// Converts the staged XLSX files to XLS/ODS with LibreOffice, one call per target format
/// and directory.
fn convert(soffice: &Path, dir: &Path, manifest: &Manifest) -> Result<(), Error> {
    let mut jobs: Vec<(String, PathBuf, Vec<PathBuf>)> = Vec::new();
    for e in &manifest.files {
        let Some(src) = &e.converted_from else {
            continue;
        };
        let target = dir.join(&e.path);
        let outdir = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.to_path_buf());
        let filter = match e.container.as_str() {
            "xls" => "xls:MS Excel 97",
            "ods" => "ods:calc8",
            other => return Err(Error::Office(format!("unknown target {other}"))),
        };
        match jobs
            .iter_mut()
            .find(|(f, o, _)| f == filter && *o == outdir)
        {
            Some(job) => job.2.push(dir.join(src)),
            None => jobs.push((filter.to_string(), outdir, vec![dir.join(src)])),
        }
    }
    let profile = dir.join(".staging").join("lo-profile");
    fs::create_dir_all(&profile).map_err(|e| io_err("cannot create", &profile, e))?;
    let profile_url = format!(
        "file://{}",
        profile.canonicalize().unwrap_or(profile.clone()).display()
    );
    for (filter, outdir, files) in jobs {
        fs::create_dir_all(&outdir).map_err(|e| io_err("cannot create", &outdir, e))?;
        let out = Command::new(soffice)
            .arg(format!("-env:UserInstallation={profile_url}"))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                &filter,
                "--outdir",
            ])
            .arg(&outdir)
            .args(&files)
            .output()
            .map_err(|e| Error::Office(format!("soffice konnte nicht gestartet werden: {e}")))?;
        if !out.status.success() {
            return Err(Error::Office(format!(
                "soffice beendet mit {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )));
        }
    }
    for e in &manifest.files {
        if e.converted_from.is_some() {
            let p = dir.join(&e.path);
            if !p.is_file() {
                return Err(Error::Office(format!(
                    "{} wurde nicht erzeugt",
                    p.display()
                )));
            }
        }
    }
    Ok(())
}
