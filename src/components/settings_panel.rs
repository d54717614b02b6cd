//! Settings on the Daten laden page: the confidentiality mode and threshold, saving and loading
//! the settings file (JSON), and forgetting what the browser remembered. Settings only, never
//! data.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use lagebild_core::protect::{ProtectionMode, TableDesign, Threshold};

use crate::client::{use_notice, use_pipeline, use_settings};
use crate::interop;
use crate::protocol::DownloadRequest;
use crate::settings::{NamedText, STORAGE_KEY, Settings};
use crate::state::Notice;

/// The settings panel.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let pipeline = use_pipeline();
    let current = use_settings();
    let notice = use_notice();
    let on_mode = move |ev: leptos::ev::Event| {
        let mode = match event_target_value(&ev).as_str() {
            "zelle" => ProtectionMode::Zelle,
            _ => ProtectionMode::Tabelle,
        };
        let mut settings = current.get_untracked();
        settings.protection.mode = mode;
        pipeline.apply_settings(settings);
    };
    let on_design = move |ev: leptos::ev::Event| {
        let mut settings = current.get_untracked();
        settings.protection.design = if event_target_checked(&ev) {
            TableDesign::Geplant
        } else {
            TableDesign::Original
        };
        pipeline.apply_settings(settings);
    };
    // A threshold below 3 is refused as on the command line; the one in force stays.
    let threshold_error = RwSignal::new(None::<String>);
    let on_threshold = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let parsed = value.trim().parse::<u32>().map_err(|_| {
            format!("„{value}“ ist keine ganze Zahl; die Schwelle bleibt unverändert.")
        });
        match parsed.and_then(|v| Threshold::new(v).map_err(|e| e.to_string())) {
            Ok(threshold) => {
                threshold_error.set(None);
                let mut settings = current.get_untracked();
                settings.protection.threshold = threshold;
                pipeline.apply_settings(settings);
            }
            // The input shows the threshold in force again (it tracks the error).
            Err(message) => threshold_error.set(Some(message)),
        }
    };
    let save = move |_| {
        let json = current.with_untracked(Settings::to_json);
        interop::save_bytes(
            "lagebild_einstellungen.json",
            "application/json",
            json.as_bytes(),
        );
    };
    let load = move |ev: leptos::ev::Event| {
        read_picked_text(ev, move |_name, text| match Settings::from_json(&text) {
            Ok(settings) => {
                pipeline.apply_settings(settings);
                notice.set(Some(Notice::hint(
                    "Einstellungen geladen. Sie gelten für Dateien, die Sie ab jetzt laden.",
                )));
            }
            Err(text) => notice.set(Some(Notice::error(text))),
        });
    };
    let forget = move |_| {
        interop::settings_forget(STORAGE_KEY);
        pipeline.apply_settings(Settings::default());
        interop::settings_forget(STORAGE_KEY);
        notice.set(Some(Notice::hint(
            "Die gespeicherten Einstellungen wurden aus diesem Browser entfernt; es gelten die Vorgaben.",
        )));
    };
    let mode_value = move || match current.with(|s| s.protection.mode) {
        ProtectionMode::Tabelle => "tabelle",
        ProtectionMode::Zelle => "zelle",
    };
    view! {
        <section class="settings" aria-labelledby="settings-title" data-testid="settings">
            <h2 id="settings-title">"Einstellungen"</h2>
            <div class="field-row">
                <label for="mode-select">"Geheimhaltung"</label>
                <select id="mode-select" data-testid="mode-select" on:change=on_mode prop:value=mode_value>
                    <option value="tabelle" selected=move || mode_value() == "tabelle">
                        "Tabellensperrung (Vorgabe des Amtes)"
                    </option>
                    <option value="zelle" selected=move || mode_value() == "zelle">
                        "Zellsperrung mit Prüfung"
                    </option>
                </select>
                <label for="threshold-input">"Schwelle"</label>
                <input
                    id="threshold-input"
                    data-testid="threshold"
                    type="number"
                    min="3"
                    step="1"
                    prop:value=move || {
                        threshold_error.track();
                        current.with(|s| s.protection.threshold.get().to_string())
                    }
                    on:change=on_threshold
                    aria-describedby="threshold-error"
                />
            </div>
            {move || threshold_error.get().map(|message| view! {
                <p class="error" id="threshold-error" role="alert" data-testid="threshold-error">{message}</p>
            })}
            <div class="field-row">
                <input
                    id="design-planned"
                    data-testid="design-planned"
                    type="checkbox"
                    prop:checked=move || current.with(|s| s.protection.design == TableDesign::Geplant)
                    on:change=on_design
                />
                <label for="design-planned">
                    "Tabellen zusammenfassen statt ganz sperren (Vorgabe; alle Tabellen und Kreuztabellen einer Sitzung werden gemeinsam gegen Differenzbildung geprüft)"
                </label>
            </div>
            <p class="hint">"Einstellungen (Geheimhaltung, Spaltenzuordnungen, Klassifikationsregeln, PKS-Zuordnung, Tabellendefinitionen, Herausgeber) merkt sich dieser Browser; Daten werden nie gespeichert."</p>
            <PublisherFields />
            <ClassificationFiles />
            <ClassificationSwitches />
            <div class="field-row">
                <button type="button" class="button secondary" data-testid="settings-save" on:click=save>
                    "Einstellungen speichern …"
                </button>
                <input
                    id="settings-file"
                    class="visually-hidden"
                    data-testid="settings-file"
                    type="file"
                    accept=".json,application/json"
                    on:change=load
                />
                <label class="button secondary" for="settings-file">"Einstellungen laden …"</label>
                <button type="button" class="button secondary" data-testid="settings-forget" on:click=forget>
                    "Gespeicherte Einstellungen vergessen"
                </button>
            </div>
        </section>
    }
}

/// Herausgeber and Kontakt, named in the page header and footer of every downloaded workbook
/// and in every CSV.
#[component]
fn PublisherFields() -> impl IntoView {
    let pipeline = use_pipeline();
    let current = use_settings();
    let set = move |office: bool, ev: leptos::ev::Event| {
        let value = event_target_value(&ev).trim().to_owned();
        let mut settings = current.get_untracked();
        if office {
            settings.publisher.office = value;
        } else {
            settings.publisher.contact = value;
        }
        pipeline.apply_publisher(settings);
    };
    view! {
        <div class="field-row">
            <label for="publisher-office">"Herausgeber"</label>
            <input
                id="publisher-office"
                data-testid="publisher-office"
                type="text"
                size="40"
                placeholder="z. B. Stadt Gelsenkirchen, Statistik"
                prop:value=move || current.with(|s| s.publisher.office.clone())
                on:change=move |ev| set(true, ev)
            />
            <label for="publisher-contact">"Kontakt"</label>
            <input
                id="publisher-contact"
                data-testid="publisher-contact"
                type="text"
                size="30"
                placeholder="z. B. statistik@stadt.de"
                prop:value=move || current.with(|s| s.publisher.contact.clone())
                on:change=move |ev| set(false, ev)
            />
        </div>
    }
}

/// Which of the configuration texts a file input replaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClassificationKind {
    Rules,
    Pks,
    Tables,
}

/// Reads the text of the file picked in the input `ev` came from (a settings or rules file,
/// never data) and hands its name and text to `then`; the input is cleared so the same file
/// can be picked again. An unreadable file gives an empty text, which `then` refuses.
fn read_picked_text(ev: leptos::ev::Event, then: impl FnOnce(String, String) + 'static) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|l| l.get(0)) else {
        return;
    };
    input.set_value("");
    spawn_local(async move {
        let file = gloo_file::File::from(file);
        let name = file.name();
        let text = gloo_file::futures::read_as_text(&file)
            .await
            .unwrap_or_default();
        then(name, text);
    });
}

/// The switches of the classification rules, each with the persons of the last run whose
/// category it decides (protected: "." for all when any is 1 or 2). Changing one saves it
/// with the settings and makes the reports again.
#[component]
fn ClassificationSwitches() -> impl IntoView {
    let pipeline = use_pipeline();
    let current = use_settings();
    let reports = crate::client::use_report_set();
    let switches =
        move || reports.with(|r| r.as_ref().map(|r| r.switches.clone()).unwrap_or_default());
    view! {
        <fieldset class="classification-switches" data-testid="switches">
            <legend>"Schalter der Klassifikation"</legend>
            {move || {
                let list = switches();
                if list.is_empty() {
                    view! { <p>"Die Schalter und wie viele Personen sie betreffen, erscheinen mit den ersten Berichten."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {list.into_iter().map(|s| {
                                let name = s.name.clone();
                                let id = format!("switch-{}", s.name);
                                let label_for = id.clone();
                                view! {
                                    <li data-testid="switch" data-name=s.name.clone()>
                                        <input
                                            id=id
                                            type="checkbox"
                                            data-testid="switch-toggle"
                                            prop:checked=s.on
                                            on:change=move |ev| {
                                                let mut next = current.get_untracked();
                                                next.switches.insert(name.clone(), event_target_checked(&ev));
                                                pipeline.propose_classification(next);
                                            }
                                        />
                                        <label for=label_for>{s.label}</label>
                                        " – betrifft "
                                        <span data-testid="switch-persons">{s.persons}</span>
                                        " Personen im Bestand des Ausländerwesens"
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p class="hint">"Personen, deren Kategorie der Schalter entscheidet; geheimgehalten wie eine Tabelle („.“: gesperrt, „–“: niemand). Nicht Teil der Veröffentlichung."</p>
                    }.into_any()
                }
            }}
        </fieldset>
    }
}

/// The city's own classification rules and PKS mapping (TOML files, as the CLI's `--rules` and
/// `--pks`) and the office's table definitions: load, see which is in force, go back to the
/// shipped one.
#[component]
fn ClassificationFiles() -> impl IntoView {
    let pipeline = use_pipeline();
    let current = use_settings();
    let load = move |kind: ClassificationKind, ev: leptos::ev::Event| {
        read_picked_text(ev, move |name, text| {
            let mut settings = current.get_untracked();
            let named = Some(NamedText { name, text });
            match kind {
                ClassificationKind::Rules => settings.rules = named,
                ClassificationKind::Pks => settings.pks = named,
                ClassificationKind::Tables => settings.tables = named,
            }
            pipeline.propose_classification(settings);
        });
    };
    let reset = move |kind: ClassificationKind| {
        let mut settings = current.get_untracked();
        match kind {
            ClassificationKind::Rules => settings.rules = None,
            ClassificationKind::Pks => settings.pks = None,
            ClassificationKind::Tables => settings.tables = None,
        }
        pipeline.propose_classification(settings);
    };
    let in_force = move |kind: ClassificationKind| {
        current.with(|s| {
            let own = match kind {
                ClassificationKind::Rules => &s.rules,
                ClassificationKind::Pks => &s.pks,
                ClassificationKind::Tables => &s.tables,
            };
            match (own, kind) {
                (Some(t), _) => format!("eigene Datei „{}“", t.name),
                (None, ClassificationKind::Rules) => "mitgelieferte Regeln".to_owned(),
                (None, ClassificationKind::Pks) => {
                    "mitgelieferte BEISPIEL-Zuordnung (bitte durch die der Stadt ersetzen)"
                        .to_owned()
                }
                (None, ClassificationKind::Tables) => "mitgelieferte Standardtabellen".to_owned(),
            }
        })
    };
    let has_own = move |kind: ClassificationKind| {
        current.with(|s| match kind {
            ClassificationKind::Rules => s.rules.is_some(),
            ClassificationKind::Pks => s.pks.is_some(),
            ClassificationKind::Tables => s.tables.is_some(),
        })
    };
    let row = move |kind: ClassificationKind, title: &'static str, key: &'static str| {
        let input_id = format!("{key}-file");
        let label_for = input_id.clone();
        view! {
            <div class="field-row">
                <span class="setting-name">{title}": "</span>
                <span data-testid=format!("{key}-in-force")>{move || in_force(kind)}</span>
                <input
                    id=input_id
                    class="visually-hidden"
                    data-testid=format!("{key}-file")
                    type="file"
                    accept=".toml,text/plain"
                    on:change=move |ev| load(kind, ev)
                />
                <label class="button secondary" for=label_for>{format!("{title} laden …")}</label>
                <Show when=move || has_own(kind)>
                    <button
                        type="button"
                        class="button secondary"
                        data-testid=format!("{key}-reset")
                        on:click=move |_| reset(kind)
                    >
                        "Mitgelieferte verwenden"
                    </button>
                </Show>
            </div>
        }
    };
    view! {
        <div class="classification-files" data-testid="classification-files">
            {row(ClassificationKind::Rules, "Klassifikationsregeln", "rules")}
            {row(ClassificationKind::Pks, "PKS-Zuordnung", "pks")}
            {row(ClassificationKind::Tables, "Tabellendefinitionen", "tables")}
            <div class="field-row">
                <button
                    type="button"
                    class="button secondary"
                    data-testid="pks-template"
                    title="Eine TOML-Datei mit jedem Personenkreisschlüssel der geladenen AKDN-Exporte, zum Ausfüllen nach der Schlüsselliste der Stadt (nur Schlüssel, keine Anzahlen)"
                    on:click=move |_| pipeline.download(DownloadRequest::PksTemplate)
                >
                    "Vorlage der PKS-Zuordnung herunterladen"
                </button>
            </div>
        </div>
    }
}
