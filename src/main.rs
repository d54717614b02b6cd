//! Lagebild in the browser: the Leptos client-side app.
//!
//! Components and wiring only; everything that computes lives in `lagebild-core`.

mod app;
pub mod bench;
mod components;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
