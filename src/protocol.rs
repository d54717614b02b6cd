//! Messages between the page and the worker. Requests carry the files the user chose; responses
//! carry progress, import reports, display-ready protected tables, aggregate quality figures and
//! finished downloads, never records.

use lagebild_core::export::Publisher;
use lagebild_core::import::{MappingSet, SourceKind};
use lagebild_core::protect::{DesignChoice, ProtectionSettings};
use lagebild_core::reports::Stage;
use lagebild_core::reports::crosstab::{CrosstabRequest, CrosstabSource, FilterChoice};
use serde::{Deserialize, Serialize};

pub use lagebild_core::import::need::{ColumnChoice, FieldChoice, MappingNeed};
pub use lagebild_core::session::{ClassificationTexts, DateAnswer};
pub use lagebild_core::view::FileId;
pub use lagebild_core::view::{
    DatingView, Download, DownloadRequest, Figure, FigureKind, FileSummary, NeedsMappingView,
    QualityLine, QualityView, ReportSet, ReviewComparisonView, ReviewListView, ReviewPairView,
    RowView, RunView, StageTime, TableView,
};

/// A file handed to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// File name.
    pub name: String,
    /// Path below a chosen folder ("schild/184549_Gymnasium_Buer/SchuelerBasisdaten.dat"),
    /// empty for single files.
    #[serde(default)]
    pub path: String,
    /// Content.
    pub content: FileContent,
}

/// A file's content as the worker gets it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FileContent {
    /// Bytes already in the worker's memory (the demo city).
    Bytes(#[serde(with = "serde_bytes")] Vec<u8>),
    /// A file the user chose: the browser's handle, read by the worker when its turn comes
    /// (the page never reads it; see [`crate::transfer`]).
    Handle(#[serde(with = "crate::transfer::handle")] web_sys::File),
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Import these files (added to what is already loaded).
    Import(Vec<InputFile>),
    /// Generate the synthetic demo city in the worker and import its exports.
    Demo,
    /// Compute, protect and describe the standard report set of everything loaded.
    Process(ProtectionSettings),
    /// Build a download from the last protected report set (or the last Kreuztabelle).
    Download(DownloadRequest),
    /// Count and protect a Kreuztabelle with the current protection settings.
    Crosstab(CrosstabRequest, ProtectionSettings),
    /// The filters the loaded data offer for a Kreuztabelle of this source.
    CrosstabChoices(CrosstabSource),
    /// Use these saved column mappings for every import from now on.
    Configure(MappingSet),
    /// Use these classification rules and PKS mapping (TOML texts; `None`: the shipped ones)
    /// for every report from now on; answered with [`Response::Classification`].
    Classification(ClassificationTexts),
    /// Import again, with the mappings in force, the files that needed a mapping or a check
    /// (their earlier import is replaced); the given file as the source the analyst chose.
    Retry(Option<(FileId, SourceKind)>),
    /// Import the file again with the Stichtag or reporting month the analyst gave (its
    /// earlier import is replaced); answered with [`Response::Reimported`].
    Date(FileId, DateAnswer),
    /// Show the table of this key in this design from the next run on (no answer).
    Design(String, DesignChoice),
    /// Name this publisher in every download from now on (no answer).
    Publisher(Publisher),
    /// Drop this file and its records (the other files stay); answered with
    /// [`Response::Removed`].
    Remove(FileId),
    /// Drop every record held by the worker.
    Reset,
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Work in progress: `done` of `total` steps of `stage`, on `current`.
    Progress {
        /// German name of the stage (e.g. "Einlesen").
        stage: String,
        /// The pipeline stage, for the bar per stage; `None` for a single task (demo data,
        /// Kreuztabelle).
        step: Option<Stage>,
        /// Steps done.
        done: u32,
        /// Steps in total.
        total: u32,
        /// What is being worked on (a file name).
        current: String,
    },
    /// Files were imported.
    Imported(Vec<FileSummary>),
    /// Files that needed a mapping, a Stichtag or a month were imported again (replacing
    /// their earlier import, by [`FileId`]).
    Reimported(Vec<FileSummary>),
    /// The protected report set.
    Reports(ReportSet),
    /// The protected Kreuztabelle.
    Crosstab(TableView),
    /// The classification texts were taken (`Ok`) or refused with a German reason; on a
    /// refusal the worker keeps what it had.
    Classification(Result<(), String>),
    /// The filters of a Kreuztabelle source (categories from the loaded data).
    CrosstabChoices(CrosstabSource, Vec<FilterChoice>),
    /// A download is ready.
    Downloaded(Download),
    /// Something failed: a German sentence with what to do next.
    Failed(String),
    /// The file and its records were dropped.
    Removed(FileId),
    /// All data dropped.
    ResetDone,
}
