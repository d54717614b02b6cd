//! The file drop zone: staff drop the register exports here or pick them with a file dialog.
//! Files are read into memory here and handed to the worker; nothing is stored.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};

use lagebild_core::import::{WASM_BUDGET_BYTES, check_transfer};

use crate::app::{AppState, Notice};
use crate::protocol::InputFile;

fn files_of(list: Option<FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads the files' bytes (in memory only) and passes them on; a selection the page cannot
/// even hand over (judged from the sizes, before anything is read) is refused with advice.
fn read_and_send(
    state: AppState,
    files: Vec<web_sys::File>,
    on_files: Callback<Vec<InputFile>>,
    on_reading: Callback<u32>,
) {
    if files.is_empty() {
        return;
    }
    let sizes: Vec<(String, u64)> = files.iter().map(|f| (f.name(), f.size() as u64)).collect();
    if let Err(refusal) = check_transfer(
        sizes.iter().map(|(name, size)| (name.as_str(), *size)),
        WASM_BUDGET_BYTES,
    ) {
        state.notice.set(Some(Notice {
            error: true,
            text: format!("Die Dateien wurden nicht eingelesen. {refusal}"),
        }));
        return;
    }
    on_reading.run(files.len() as u32);
    spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            let path = crate::interop::relative_path(&file);
            let file = gloo_file::File::from(file);
            let name = file.name();
            // A file that cannot be read is handed on empty: the import reports it.
            let bytes = gloo_file::futures::read_as_bytes(&file)
                .await
                .unwrap_or_default();
            read.push(InputFile { name, path, bytes });
        }
        on_files.run(read);
    });
}

/// Drop zone with a file picker.
#[component]
pub fn DropZone(
    /// Receives the files read into memory.
    on_files: Callback<Vec<InputFile>>,
    /// Told how many files are being read, before reading starts.
    on_reading: Callback<u32>,
    /// Asks for the synthetic demo city.
    on_demo: Callback<()>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let state = expect_context::<AppState>();

    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        read_and_send(
            state,
            files_of(ev.data_transfer().and_then(|dt| dt.files())),
            on_files,
            on_reading,
        );
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            read_and_send(state, files_of(input.files()), on_files, on_reading);
            input.set_value("");
        }
    };

    view! {
        <section
            class="drop-zone"
            class:dragging=move || dragging.get()
            data-testid="drop-zone"
            aria-labelledby="drop-zone-title"
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2 id="drop-zone-title">"Daten laden"</h2>
            <p>"Exporte aus Meldewesen, Ausländerwesen, AKDN sozial, SchILD und der räumlichen Gliederung hierher ziehen."</p>
            <input
                id="file-input"
                class="visually-hidden"
                data-testid="file-input"
                type="file"
                multiple
                on:change=on_change
            />
            <label class="button" for="file-input">"Dateien auswählen …"</label>
            " "
            <input
                id="folder-input"
                class="visually-hidden"
                data-testid="folder-input"
                type="file"
                multiple
                prop:webkitdirectory=true
                on:change=on_change
            />
            <label
                class="button secondary"
                for="folder-input"
                title="Einen Ordner mit allen Exporten wählen, z. B. mit den SchILD-Ordnern der Schulen (Schulnummer und Schulform aus dem Ordnernamen)"
            >
                "Ordner auswählen …"
            </label>
            " "
            <button
                class="button secondary"
                data-testid="demo-data"
                title="Erzeugt eine erfundene Stadt mit rund 10.000 Einwohnern und lädt ihre Exporte"
                on:click=move |_| on_demo.run(())
            >
                "Demodaten laden"
            </button>
        </section>
    }
}
