//! The application shell: title, file drop zone and report area.

use leptos::prelude::*;

use crate::components::drop_zone::{DropZone, LoadedFile};
use crate::components::report_area::ReportArea;

/// The whole page. Holds the list of loaded files as the app's state.
#[component]
pub fn App() -> impl IntoView {
    let files = RwSignal::new(Vec::<LoadedFile>::new());
    view! {
        <header class="app-header">
            <h1 data-testid="app-title">"Lagebild"</h1>
            <p class="subtitle">"Flüchtlingsstatistik aus kommunalen Registern – alle Daten bleiben auf diesem Rechner."</p>
        </header>
        <main>
            <DropZone files=files />
            <ReportArea files=files.read_only() />
        </main>
        <footer class="app-footer">
            "Lagebild " {lagebild_core::VERSION} " · keine Übertragung, keine Speicherung von Einzeldaten"
        </footer>
    }
}
