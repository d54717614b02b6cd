//! The file drop zone: staff drop the register exports here or pick them with a file dialog.
//! The page hands the browser's file handles to the worker, which reads each file when its
//! turn comes; the page itself never reads a file, and nothing is stored.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};

use crate::protocol::{FileContent, InputFile};

fn files_of(list: Option<FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Passes the chosen files on as handles, with their path below a chosen folder.
fn send(files: Vec<web_sys::File>, on_files: Callback<Vec<InputFile>>, on_reading: Callback<u32>) {
    if files.is_empty() {
        return;
    }
    on_reading.run(files.len() as u32);
    let chosen = files
        .into_iter()
        .map(|file| InputFile {
            name: file.name(),
            path: crate::interop::relative_path(&file),
            content: FileContent::Handle(file),
        })
        .collect();
    on_files.run(chosen);
}

/// Drop zone with a file picker.
#[component]
pub fn DropZone(
    /// Receives the chosen files (handles; the worker reads them).
    on_files: Callback<Vec<InputFile>>,
    /// Told how many files were chosen, before they are handed on.
    on_reading: Callback<u32>,
    /// Asks for the synthetic demo city.
    on_demo: Callback<()>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);

    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        send(
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
            send(files_of(input.files()), on_files, on_reading);
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
