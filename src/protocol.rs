//! Messages between the page and the worker. Requests carry the files the user chose; responses
//! carry progress and reports, never records.

use serde::{Deserialize, Serialize};

/// A file handed to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// File name.
    pub name: String,
    /// Content.
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Import these files (added to what is already loaded).
    Import(Vec<InputFile>),
    /// Generate the synthetic demo city in the worker and import its exports.
    Demo,
    /// Drop every record held by the worker.
    Reset,
}

/// What one file's import produced, for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Detected (or chosen) source, German label.
    pub source: Option<String>,
    /// Rows read below the header.
    pub rows_read: u64,
    /// Rows that became records.
    pub rows_accepted: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Rows rejected for other reasons than sum rows.
    pub rows_rejected_unexpectedly: u64,
    /// File-level error (German sentence), if the file could not be imported.
    pub error: Option<String>,
    /// The full import report (German text; shapes and counts, never names).
    pub report: String,
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Work in progress: `done` of `total` steps of `stage`, on `current`.
    Progress {
        /// German name of the stage (e.g. "Einlesen").
        stage: String,
        /// Steps done.
        done: u32,
        /// Steps in total.
        total: u32,
        /// What is being worked on (a file name).
        current: String,
    },
    /// Files were imported.
    Imported(Vec<FileSummary>),
    /// All data dropped.
    ResetDone,
}
