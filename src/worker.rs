//! The pipeline worker: holds the imported data in the worker's memory and answers requests.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use lagebild_core::import::{Dataset, ImportOptions, Importer};

use crate::protocol::{FileSummary, Request, Response};

/// Runs `lagebild-core` in a Web Worker.
pub struct Pipeline {
    importer: Importer,
    dataset: Dataset,
}

impl Worker for Pipeline {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Pipeline {
            importer: Importer::default(),
            dataset: Dataset::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            Request::Import(files) => {
                let total = files.len() as u32;
                let mut summaries = Vec::with_capacity(files.len());
                for (i, file) in files.into_iter().enumerate() {
                    scope.respond(
                        id,
                        Response::Progress {
                            stage: "Einlesen".into(),
                            done: i as u32,
                            total,
                            current: file.name.clone(),
                        },
                    );
                    let imported = self.importer.import(
                        &mut self.dataset,
                        &file.name,
                        &file.bytes,
                        &ImportOptions::default(),
                    );
                    let r = &imported.report;
                    summaries.push(FileSummary {
                        name: file.name.clone(),
                        size: file.bytes.len() as u64,
                        source: r.detection.as_ref().map(|d| d.source.label().to_string()),
                        rows_read: r.rows_read,
                        rows_accepted: r.rows_accepted,
                        rows_rejected: r.rows_rejected(),
                        rows_rejected_unexpectedly: r.rows_rejected_unexpectedly(),
                        error: r.error.as_ref().map(ToString::to_string),
                        report: r.to_string(),
                    });
                }
                scope.respond(id, Response::Imported(summaries));
            }
            Request::Reset => {
                self.dataset = Dataset::default();
                scope.respond(id, Response::ResetDone);
            }
        }
    }
}
