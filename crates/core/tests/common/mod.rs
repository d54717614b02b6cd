//! What the integration tests share: the synthetic city's exports as the office would load
//! them.

#![allow(dead_code)]

use lagebild_synth::{FileEntry, Output};

/// The exports a user would load: no subsets or copies of other exports.
pub fn user_exports(output: &Output) -> impl Iterator<Item = &FileEntry> {
    output
        .manifest
        .files
        .iter()
        .filter(|e| e.subset_of.is_none() && e.duplicate_of.is_none())
}

/// The file name of a manifest path.
pub fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The bytes of a generated file.
pub fn bytes_of<'o>(output: &'o Output, entry: &FileEntry) -> &'o [u8] {
    &output.file(&entry.path).expect("generated file").bytes
}
