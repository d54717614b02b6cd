//! The few browser calls the page needs beyond Leptos: terminating the worker, saving a
//! download, remembering settings (never data) and turning an SVG into a PNG. They live in
//! `src/page_helpers.js` (a classic script of the page, `globalThis.lagebildPage`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_namespace = lagebildPage)]
extern "C" {
    /// Where the pipeline worker's script is: `./worker_loader.js` next to the page, or the
    /// `blob:` URL the single-file build creates.
    pub fn worker_url() -> String;
    /// From now on, remembers the next Web Worker the page creates.
    pub fn capture_worker_begin();
    /// Stops remembering and returns the Web Worker created since [`capture_worker_begin`].
    pub fn capture_worker_end() -> JsValue;
    /// Terminates a Web Worker at once, whatever it is doing.
    pub fn terminate_worker(worker: &JsValue);
    /// Offers `bytes` as a download named `name` (Blob and a temporary link).
    pub fn save_bytes(name: &str, mime: &str, bytes: &[u8]);
    /// Draws `svg` on a canvas and offers it as a PNG download named `name`.
    pub fn save_svg_as_png(svg: &str, name: &str);
    /// The path of a file below the folder the user chose (empty for single files).
    pub fn relative_path(file: &web_sys::File) -> String;
    /// The remembered settings text under `key`, if any.
    pub fn settings_load(key: &str) -> Option<String>;
    /// Remembers the settings text `value` under `key`.
    pub fn settings_store(key: &str, value: &str);
    /// Forgets the settings under `key`.
    pub fn settings_forget(key: &str);
}
