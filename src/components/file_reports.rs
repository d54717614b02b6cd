//! The loaded files with their import reports: detected source, rows read, accepted and
//! rejected, and the full report (shapes and counts, never names); a wrongly loaded file can
//! be removed from the session.

use lagebild_core::format;
use leptos::prelude::*;

use std::collections::HashMap;

use lagebild_core::import::{Asked, SourceKind};

use crate::client::{use_notice, use_pipeline, use_report_set};
use crate::components::confirm::{Question, use_confirm};
use crate::protocol::{DateAnswer, FileId, FileSummary};
use crate::state::Notice;

/// Groups open at first if they hold at most this many files.
const OPEN_UP_TO: usize = 10;

/// The loaded files of one source.
#[derive(Clone, Debug, PartialEq)]
pub struct FileGroup {
    /// German label of the source; "Quelle nicht erkannt" for files of no recognised source.
    pub source: String,
    /// The files in import order; SchILD files by school folder.
    pub files: Vec<FileSummary>,
}

impl FileGroup {
    /// True for SchILD, whose files (every school's `SchuelerBasisdaten.dat`) are told apart by
    /// their school's folder.
    pub fn by_school(&self) -> bool {
        self.source == SourceKind::Schild.label()
    }

    /// Open at first: small groups, and every group with a file that needs the analyst (not
    /// read, or a mapping, Stichtag or month to give).
    pub fn open_at_first(&self) -> bool {
        self.files.len() <= OPEN_UP_TO
            || self
                .files
                .iter()
                .any(|f| f.error.is_some() || f.awaits_answer())
    }

    /// The group in one line: files, rows taken, files not read, questions open.
    pub fn summary(&self) -> String {
        let n = self.files.len();
        let accepted: u64 = self.files.iter().map(|f| f.rows_accepted).sum();
        let mut line = format!(
            "{} {}, {} Zeilen übernommen",
            format::count(n as u64),
            if n == 1 { "Datei" } else { "Dateien" },
            format::count(accepted)
        );
        let failed = self.files.iter().filter(|f| f.error.is_some()).count();
        if failed > 0 {
            line.push_str(&format!(", {failed} nicht eingelesen"));
        }
        let asked = self.files.iter().filter(|f| f.awaits_answer()).count();
        if asked > 0 {
            line.push_str(&format!(", {asked} mit offener Frage"));
        }
        line
    }
}

/// The loaded files by source, in the order the office names the sources (maps after them,
/// files of no recognised source last); SchILD files sorted by school folder.
pub fn by_source(files: &[FileSummary]) -> Vec<FileGroup> {
    let known: Vec<&str> = SourceKind::ALL
        .into_iter()
        .chain([
            SourceKind::Karte,
            SourceKind::Datentabelle,
            SourceKind::ReleasedWorkbook,
        ])
        .map(SourceKind::label)
        .collect();
    let mut groups: Vec<FileGroup> = Vec::new();
    for file in files {
        let source = file.source.as_deref().unwrap_or(UNKNOWN_SOURCE);
        match groups.iter_mut().find(|g| g.source == source) {
            Some(group) => group.files.push(file.clone()),
            None => groups.push(FileGroup {
                source: source.to_owned(),
                files: vec![file.clone()],
            }),
        }
    }
    let rank = |g: &FileGroup| match known.iter().position(|k| *k == g.source) {
        Some(i) => i,
        None if g.source == UNKNOWN_SOURCE => known.len() + 1,
        None => known.len(),
    };
    groups.sort_by_key(rank);
    for group in groups.iter_mut().filter(|g| g.by_school()) {
        group.files.sort_by(|a, b| a.folder.cmp(&b.folder));
    }
    groups
}

/// The group of files whose source was not recognised.
const UNKNOWN_SOURCE: &str = "Quelle nicht erkannt";

/// The loaded files grouped by source, or a hint when nothing is loaded yet.
#[component]
pub fn FileReports(
    /// One summary per imported file.
    summaries: ReadSignal<Vec<FileSummary>>,
) -> impl IntoView {
    let pipeline = use_pipeline();
    let busy = Memo::new(move |_| pipeline.is_busy());
    let reports = use_report_set();
    // Why no report uses a file, by file (known once the reports are made).
    let unused = Memo::new(move |_| {
        reports.with(|r| {
            r.as_ref()
                .map(|r| r.unused.iter().map(|u| (u.id, u.reason.clone())).collect())
                .unwrap_or_default()
        })
    });
    // Which groups the analyst opened or closed, kept while the list changes.
    let opened = RwSignal::new(HashMap::<String, bool>::new());
    view! {
        <section class="report-area" data-testid="report-area" aria-labelledby="report-area-title">
            <h2 id="report-area-title">"Geladene Dateien"</h2>
            <Show
                when=move || !summaries.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="empty" data-testid="report-empty">
                        "Noch keine Daten geladen. Ziehen Sie Exporte in das Feld „Daten laden“."
                    </p>
                }
            >
                <div class="file-groups" data-testid="file-list">
                    {move || {
                        summaries.with(|all| by_source(all))
                            .into_iter()
                            .map(|group| view! { <FileGroupView group=group busy=busy opened=opened unused=unused /> })
                            .collect_view()
                    }}
                </div>
            </Show>
        </section>
    }
}

/// The files of one source under a line that sums them up; large groups start closed.
#[component]
fn FileGroupView(
    /// The group.
    group: FileGroup,
    /// True while the worker is busy.
    busy: Memo<bool>,
    /// Open or closed by the analyst, per source.
    opened: RwSignal<HashMap<String, bool>>,
    /// Why no report uses a file, by file.
    unused: Memo<HashMap<FileId, String>>,
) -> impl IntoView {
    let source = group.source.clone();
    let ids: Vec<FileId> = group.files.iter().map(|f| f.id).collect();
    let unused_count = move || {
        let n = unused.with(|u| ids.iter().filter(|id| u.contains_key(id)).count());
        (n > 0).then(|| {
            view! {
                <span class="unused-count" data-testid="file-group-unused">
                    {format!(", {n} von keinem Bericht genutzt")}
                </span>
            }
        })
    };
    let open = opened
        .with_untracked(|o| o.get(&source).copied())
        .unwrap_or_else(|| group.open_at_first());
    let by_school = group.by_school();
    let summary = group.summary();
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        opened.update(|o| {
            o.insert(source.clone(), open);
        });
    };
    view! {
        <details
            class="file-group"
            data-testid="file-group"
            data-source=group.source.clone()
            prop:open=open
            on:toggle=on_toggle
        >
            <summary data-testid="file-group-summary">
                <strong>{group.source.clone()}</strong>": "{summary}{unused_count}
            </summary>
            <table class="file-list">
                <thead>
                    <tr>
                        <th scope="col">{if by_school { "Schule (Ordner) / Datei" } else { "Datei" }}</th>
                        <th scope="col">"Größe"</th>
                        <th scope="col">"Quelle"</th>
                        <th scope="col">"Zeilen"</th>
                        <th scope="col">"übernommen"</th>
                        <th scope="col">"abgewiesen"</th>
                        <th scope="col"><span class="visually-hidden">"Aktion"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {group
                        .files
                        .into_iter()
                        .map(|file| view! { <FileRow file=file busy=busy show_folder=by_school unused=unused /> })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// One file: a summary row and, below it, the import report.
#[component]
fn FileRow(
    /// The file.
    file: FileSummary,
    /// True while the worker is busy (files are removed between runs only).
    busy: Memo<bool>,
    /// Show the file's folder before its name (a SchILD file's school).
    show_folder: bool,
    /// Why no report uses a file, by file.
    unused: Memo<HashMap<FileId, String>>,
) -> impl IntoView {
    let failed = file.error.is_some();
    let id = file.id;
    let reason = move || unused.with(|u| u.get(&id).cloned());
    let badge = move || {
        reason().map(|reason| {
            view! {
                " "
                <span class="badge unused" data-testid="file-unused" title=reason>
                    "von keinem Bericht genutzt"
                </span>
            }
        })
    };
    let reason_line = move || {
        reason()
            .map(|reason| view! { <p class="hint" data-testid="file-unused-reason">{reason}</p> })
    };
    let folder = (show_folder && !file.folder.is_empty()).then(|| {
        view! { <span class="file-folder" data-testid="file-folder">{file.folder.clone()}" / "</span> }
    });
    let source = file
        .source
        .clone()
        .unwrap_or_else(|| "nicht erkannt".to_string());
    view! {
        <tr class:failed=failed class:unused=move || reason().is_some() data-testid="file-row">
            <td>{folder}{file.name.clone()}{badge}</td>
            <td class="number">{format::file_size(file.size)}</td>
            <td>{source}</td>
            <td class="number">{format::count(file.rows_read)}</td>
            <td class="number">{format::count(file.rows_accepted)}</td>
            <td class="number">{format::count(file.rows_rejected)}</td>
            <td><RemoveFile file=file.id name=file.name.clone() busy=busy /></td>
        </tr>
        <tr class="report-row">
            <td colspan="7">
                {reason_line}
                {file.error.clone().map(|e| view! { <p class="error" data-testid="file-error">{e}</p> })}
                {file.dating.clone().map(|dating| match dating.asks {
                    Some(asks) => view! { <DatingInput file=file.id asks=asks message=dating.message /> }.into_any(),
                    None => view! { <p class="hint" data-testid="dating-note">{dating.message}</p> }.into_any(),
                })}
                <details>
                    <summary>"Einlesebericht"</summary>
                    <pre data-testid="file-report">{file.report.clone()}</pre>
                </details>
            </td>
        </tr>
    }
}

/// The Stichtag or reporting month of one file, asked of the analyst when the file name gives
/// none, several, or one the data contradict; the file is read again with the answer.
#[component]
fn DatingInput(file: FileId, asks: Asked, message: String) -> impl IntoView {
    let pipeline = use_pipeline();
    let notice = use_notice();
    let value = RwSignal::new(String::new());
    let (label, kind) = match asks {
        Asked::Stichtag => ("Stichtag", "date"),
        Asked::ReportMonth => ("Berichtsmonat", "month"),
    };
    let apply = move |_| match DateAnswer::parse(asks, &value.get_untracked()) {
        Some(answer) => pipeline.date(file, answer),
        None => notice.set(Some(Notice::error(format!(
            "Bitte wählen Sie zuerst einen gültigen {label}."
        )))),
    };
    view! {
        <div class="dating" data-testid="dating">
            <p data-testid="dating-message">{message}</p>
            <label>
                {label}" "
                <input
                    type=kind
                    data-testid="dating-input"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
            " "
            <button type="button" data-testid="dating-apply" on:click=apply>
                "Übernehmen und neu einlesen"
            </button>
        </div>
    }
}

/// "Entfernen": drops one file and its records from the session after asking; the reports
/// are made again from the other files.
#[component]
fn RemoveFile(
    /// The file.
    file: FileId,
    /// Its name, for the question.
    name: String,
    /// True while the worker is busy.
    busy: Memo<bool>,
) -> impl IntoView {
    let pipeline = use_pipeline();
    let confirm = use_confirm();
    let label = format!("„{name}“ aus der Sitzung entfernen");
    let ask = move |_| {
        confirm.ask(Question {
            title: format!("„{name}“ entfernen?"),
            text: "Die Datei und alle aus ihr übernommenen Datensätze werden aus dieser Sitzung \
                   entfernt; die Berichte werden aus den übrigen Dateien neu erstellt. Die Datei \
                   auf Ihrem Rechner bleibt unverändert."
                .into(),
            go_ahead: "Entfernen",
            keep: "Behalten",
            on_confirm: Callback::new(move |()| pipeline.remove_file(file)),
            stands: None,
        });
    };
    view! {
        <button
            type="button"
            class="button secondary small"
            data-testid="remove-file"
            aria-label=label
            disabled=move || busy.get()
            on:click=ask
        >
            "Entfernen"
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::DatingView;

    fn file(id: u32, name: &str, folder: &str, source: Option<SourceKind>) -> FileSummary {
        FileSummary {
            id: FileId(id),
            name: name.into(),
            folder: folder.into(),
            size: 10,
            source: source.map(|s| s.label().to_owned()),
            rows_read: 4,
            rows_accepted: 3,
            rows_rejected: 1,
            rows_rejected_unexpectedly: 0,
            error: None,
            report: String::new(),
            mapping: None,
            dating: None,
        }
    }

    #[test]
    fn files_are_grouped_by_source_in_the_offices_order_schools_by_folder() {
        let files = vec![
            file(0, "kaputt.xlsx", "", None),
            file(
                1,
                "SchuelerBasisdaten.dat",
                "184549_Realschule_Buer",
                Some(SourceKind::Schild),
            ),
            file(2, "AKDN_2017-11.csv", "akdn", Some(SourceKind::Akdn)),
            file(
                3,
                "SchuelerBasisdaten.dat",
                "180927_Gymnasium",
                Some(SourceKind::Schild),
            ),
            file(
                4,
                "EWO_Bestand_20261031.csv",
                "",
                Some(SourceKind::Meldewesen),
            ),
            file(5, "Baubloecke.geojson", "", Some(SourceKind::Karte)),
        ];
        let groups = by_source(&files);
        let sources: Vec<&str> = groups.iter().map(|g| g.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                SourceKind::Meldewesen.label(),
                SourceKind::Akdn.label(),
                SourceKind::Schild.label(),
                SourceKind::Karte.label(),
                "Quelle nicht erkannt",
            ]
        );
        let schools: Vec<&str> = groups[2].files.iter().map(|f| f.folder.as_str()).collect();
        assert_eq!(schools, ["180927_Gymnasium", "184549_Realschule_Buer"]);
        assert!(groups[2].by_school() && !groups[1].by_school());
        assert_eq!(groups[2].summary(), "2 Dateien, 6 Zeilen übernommen");
    }

    #[test]
    fn large_groups_start_closed_unless_a_file_needs_the_analyst() {
        let many: Vec<FileSummary> = (0..=OPEN_UP_TO as u32)
            .map(|i| file(i, &format!("AKDN_{i}.csv"), "", Some(SourceKind::Akdn)))
            .collect();
        let group = &by_source(&many)[0];
        assert!(!group.open_at_first());
        assert!(by_source(&many[..OPEN_UP_TO])[0].open_at_first());
        let mut asked = many.clone();
        asked[3].dating = Some(DatingView {
            asks: Some(Asked::ReportMonth),
            message: "Berichtsmonat?".into(),
        });
        asked[4].error = Some("kaputt".into());
        let group = &by_source(&asked)[0];
        assert!(group.open_at_first());
        assert_eq!(
            group.summary(),
            "11 Dateien, 33 Zeilen übernommen, 1 nicht eingelesen, 1 mit offener Frage"
        );
    }
}
