//! The file drop zone: staff drop the register exports here or pick them with a file dialog.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};

/// A file the user handed to the app. Only its name and size are kept here; its content is read
/// later, in memory, by the import.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedFile {
    /// File name as shown by the operating system.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
}

fn collect(list: Option<FileList>) -> Vec<LoadedFile> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| LoadedFile {
            name: file.name(),
            size: file.size() as u64,
        })
        .collect()
}

/// Drop zone with a file picker; adds every dropped or picked file to `files`.
#[component]
pub fn DropZone(files: RwSignal<Vec<LoadedFile>>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let add = move |new: Vec<LoadedFile>| files.update(|all| all.extend(new));

    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        add(collect(ev.data_transfer().and_then(|dt| dt.files())));
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            add(collect(input.files()));
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
        </section>
    }
}
