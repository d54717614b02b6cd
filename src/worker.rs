//! The pipeline worker: a thin adapter between the page's messages and a
//! [`lagebild_core::session::Session`], which holds the imported data in the worker's memory.
//! Only protected tables, aggregate quality figures and finished downloads leave it.

use std::borrow::Cow;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use lagebild_core::import::{ImportOptions, SAMPLE_BYTES, needs_whole_file};
use lagebild_core::reports::Stage;
use lagebild_core::session::{Content, Incoming, Session};

use crate::protocol::{FileContent, InputFile, Request, Response};

/// Runs `lagebild-core` in a Web Worker.
pub struct Pipeline {
    session: Session<FileContent>,
}

impl Worker for Pipeline {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Pipeline {
            session: Session::new(now_seconds).in_browser(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let mut on_progress = |stage: Stage, done: u32, total: u32, current: &str| {
            scope.respond(
                id,
                Response::Progress {
                    stage: stage.label().into(),
                    step: Some(stage),
                    done,
                    total,
                    current: current.into(),
                },
            );
        };
        let response = match msg {
            Request::Import(files) => {
                let files = files.into_iter().map(incoming).collect();
                Response::Imported(self.session.import(files, &mut on_progress))
            }
            Request::Demo => {
                task(scope, id, "Demodaten erzeugen");
                Response::Imported(self.session.import(demo_files(), &mut on_progress))
            }
            Request::Configure(mappings) => {
                self.session.set_mappings(mappings);
                return;
            }
            Request::Design(key, choice) => {
                self.session.choose_design(&key, choice);
                return;
            }
            Request::Publisher(publisher) => {
                self.session.set_publisher(publisher);
                return;
            }
            Request::Classification(texts) => {
                Response::Classification(self.session.set_classification(&texts))
            }
            Request::Retry(chosen) => Response::Reimported(self.session.retry(chosen)),
            Request::Date(file, answer) => {
                Response::Reimported(self.session.answer_date(file, answer).into_iter().collect())
            }
            Request::Process(settings) => match self.session.run(&settings, &mut on_progress) {
                Ok(set) => Response::Reports(set),
                Err(message) => Response::Failed(message),
            },
            Request::Crosstab(request, settings) => {
                task(scope, id, "Kreuztabelle zählen");
                match self.session.crosstab(&request, &settings) {
                    Ok(view) => Response::Crosstab(view),
                    Err(message) => Response::Failed(message),
                }
            }
            Request::CrosstabChoices(source) => {
                Response::CrosstabChoices(source, self.session.crosstab_choices(source))
            }
            Request::Download(what) => match self.session.download(&what) {
                Ok(download) => Response::Downloaded(download),
                Err(message) => Response::Failed(message),
            },
            Request::Remove(file) => {
                self.session.remove(file);
                Response::Removed(file)
            }
            Request::Reset => {
                self.session.reset();
                Response::ResetDone
            }
        };
        scope.respond(id, response);
    }
}

/// A dropped file as the session takes it (source detected from its columns).
fn incoming(file: InputFile) -> Incoming<FileContent> {
    Incoming::detected(&file.name, &file.path, file.content)
}

/// Tells the page a single task (not a pipeline stage) has started.
fn task(scope: &WorkerScope<Pipeline>, id: HandlerId, label: &str) {
    scope.respond(
        id,
        Response::Progress {
            stage: label.into(),
            step: None,
            done: 0,
            total: 1,
            current: String::new(),
        },
    );
}

/// Seconds on the browser's clock (the worker has no `std::time`).
fn now_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

impl Content for FileContent {
    fn size(&self) -> u64 {
        match self {
            FileContent::Bytes(bytes) => bytes.len() as u64,
            FileContent::Handle(file) => file.size() as u64,
        }
    }

    /// The first bytes, or the whole of a spreadsheet (XLSX, ODS, XLS: the unpacked size,
    /// repetitions and cell ranges count, see `needs_whole_file`).
    fn sample(&self) -> Result<Cow<'_, [u8]>, String> {
        match self {
            FileContent::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            FileContent::Handle(file) => {
                let head = file
                    .slice_with_f64_and_f64(0.0, SAMPLE_BYTES as f64)
                    .map_err(js_message)?;
                let head = read_blob(&head)?;
                if needs_whole_file(&head) {
                    read_blob(file).map(Cow::Owned)
                } else {
                    Ok(Cow::Owned(head))
                }
            }
        }
    }

    /// In memory already, or read from the browser's handle now.
    fn read(&self) -> Result<Cow<'_, [u8]>, String> {
        match self {
            FileContent::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            FileContent::Handle(file) => read_blob(file).map(Cow::Owned).map_err(|reason| {
                format!(
                    "Die Datei „{}“ konnte nicht gelesen werden ({reason}). Wurde sie nach der \
                     Auswahl verschoben, geändert oder gelöscht? Wählen Sie sie erneut aus.",
                    file.name()
                )
            }),
        }
    }
}

/// Reads a file or part of one into the worker's memory (synchronously: workers may).
fn read_blob(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let reader = web_sys::FileReaderSync::new().map_err(js_message)?;
    let buffer = reader.read_as_array_buffer(blob).map_err(js_message)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The message of a browser error.
fn js_message(error: wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unbekannter Fehler des Browsers".into())
}

/// The exports of the synthetic demo city (about 10,000 residents), as a user would drop them:
/// without the copies and subsets of other exports and without the map geometries.
fn demo_files() -> Vec<Incoming<FileContent>> {
    let Ok(output) =
        lagebild_synth::generate(&lagebild_synth::Config::new(lagebild_synth::Scale::Demo))
    else {
        return Vec::new();
    };
    output
        .manifest
        .files
        .iter()
        .filter(|e| e.subset_of.is_none() && e.duplicate_of.is_none())
        .filter_map(|e| {
            let file = output.file(&e.path)?;
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            let mut incoming =
                Incoming::detected(name, &e.path, FileContent::Bytes(file.bytes.clone()));
            incoming.options = ImportOptions {
                school_number: e.school_number.clone(),
                school_form: e.school_form.clone(),
                ..ImportOptions::default()
            };
            Some(incoming)
        })
        .collect()
}
