//! The pipeline worker: holds the imported data in the worker's memory and answers requests.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use lagebild_core::import::{Dataset, ImportOptions, Importer};

use crate::protocol::{FileSummary, InputFile, Request, Response};

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
                let files = files
                    .into_iter()
                    .map(|f| (f, ImportOptions::default()))
                    .collect();
                self.import(scope, id, files);
            }
            Request::Demo => {
                scope.respond(
                    id,
                    Response::Progress {
                        stage: "Demodaten erzeugen".into(),
                        done: 0,
                        total: 1,
                        current: String::new(),
                    },
                );
                let files = demo_files();
                self.import(scope, id, files);
            }
            Request::Reset => {
                self.dataset = Dataset::default();
                scope.respond(id, Response::ResetDone);
            }
        }
    }
}

/// The exports of the synthetic demo city (about 10,000 residents), as a user would drop them:
/// without the copies and subsets of other exports and without the map geometries.
fn demo_files() -> Vec<(InputFile, ImportOptions)> {
    let Ok(output) =
        lagebild_synth::generate(&lagebild_synth::Config::new(lagebild_synth::Scale::Demo))
    else {
        return Vec::new();
    };
    output
        .manifest
        .files
        .iter()
        .filter(|e| e.source != lagebild_synth::SourceKind::GeoJson)
        .filter(|e| e.subset_of.is_none() && e.duplicate_of.is_none())
        .filter_map(|e| {
            let file = output.file(&e.path)?;
            let name = e.path.rsplit('/').next().unwrap_or(&e.path).to_string();
            let options = ImportOptions {
                school_number: e.school_number.clone(),
                school_form: e.school_form.clone(),
                ..ImportOptions::default()
            };
            Some((
                InputFile {
                    name,
                    bytes: file.bytes.clone(),
                },
                options,
            ))
        })
        .collect()
}

impl Pipeline {
    fn import(
        &mut self,
        scope: &WorkerScope<Self>,
        id: HandlerId,
        files: Vec<(InputFile, ImportOptions)>,
    ) {
        let total = files.len() as u32;
        let mut summaries = Vec::with_capacity(files.len());
        for (i, (file, options)) in files.into_iter().enumerate() {
            scope.respond(
                id,
                Response::Progress {
                    stage: "Einlesen".into(),
                    done: i as u32,
                    total,
                    current: file.name.clone(),
                },
            );
            let imported =
                self.importer
                    .import(&mut self.dataset, &file.name, &file.bytes, &options);
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
}
