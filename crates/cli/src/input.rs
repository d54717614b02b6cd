//! Reading the files named on the command line: only regular files, with the size limit checked
//! on the open handle, so that a device (a link to `/dev/zero`) cannot fill the memory and a
//! named pipe cannot block the run.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use lagebild_core::format;
use lagebild_core::import::Limits;

/// Largest settings file (rules, PKS mapping, column mapping) read.
const MAX_SETTINGS_BYTES: u64 = 16 << 20;

/// What a path that is not a regular file is, in German.
fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "eine benannte Pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "ein Gerät";
        }
        if t.is_socket() {
            return "ein Socket";
        }
    }
    if meta.is_dir() {
        "ein Verzeichnis"
    } else {
        "keine gewöhnliche Datei"
    }
}

fn refuse(path: &Path, meta: &Metadata) -> String {
    format!(
        "„{}“ ist {} und wird nicht gelesen. Bitte eine exportierte Datei angeben.",
        path.display(),
        kind_of(meta)
    )
}

/// The bytes of the regular file at `path`, at most `max_bytes`; a German message otherwise.
pub fn read_input(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let failed = |e: std::io::Error| format!("„{}“ lässt sich nicht lesen: {e}", path.display());
    // Looked at before opening: opening a named pipe would wait for a writer.
    let meta = std::fs::metadata(path).map_err(failed)?;
    if !meta.is_file() {
        return Err(refuse(path, &meta));
    }
    let file = File::open(path).map_err(failed)?;
    // And on the open handle: the path may have been replaced in between.
    let meta = file.metadata().map_err(failed)?;
    if !meta.is_file() {
        return Err(refuse(path, &meta));
    }
    let too_large = |size: u64| {
        format!(
            "„{}“ ist mit {} größer als die erlaubten {} (Option --max-file-mib).",
            path.display(),
            format::file_size(size),
            format::file_size(max_bytes)
        )
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > max_bytes {
        // It grew while it was read.
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// An export at `path` with the import's default size limit.
pub fn read_export(path: &Path) -> Result<Vec<u8>, String> {
    read_input(path, Limits::default().max_file_bytes)
}

/// A settings text (rules, PKS mapping, column mapping) at `path`; `what` names it.
pub fn read_settings(path: &Path, what: &str) -> Result<String, String> {
    let bytes = read_input(path, MAX_SETTINGS_BYTES).map_err(|e| format!("{what}: {e}"))?;
    String::from_utf8(bytes)
        .map_err(|_| format!("{what} „{}“ ist kein UTF-8-Text.", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_up_to_the_limit() {
        let dir = std::env::temp_dir().join(format!("lagebild-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.csv");
        std::fs::write(&path, b"a;b\n1;2\n").unwrap();
        assert_eq!(read_input(&path, 100).unwrap(), b"a;b\n1;2\n");
        let e = read_input(&path, 4).unwrap_err();
        assert!(e.contains("größer als die erlaubten"), "{e}");
        let e = read_input(&dir, 100).unwrap_err();
        assert!(e.contains("ein Verzeichnis"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
