//! What the page and the command line show of a session: display-ready views of protected
//! tables, figures, file imports and quality figures, built once for both. Nothing in a view
//! is a raw count of a released table or a personal value; quality figures are exact counts
//! for the analyst's screen only and never part of a download.

use serde::{Deserialize, Serialize};

pub use crate::export::svg::{Figure, FigureKind};

use crate::export::Layout;
use crate::format;
use crate::import::need::MappingNeed;
use crate::import::{Asked, ImportReport};
use crate::protect::ProtectedTable;
use crate::reports::linked::{ReviewKind, ReviewList, RowRef};
use crate::reports::{ReportConfig, Stage, StageTimes, StandardReport};
use crate::tabulate::Page;

/// A file's identity in a session: given at its first import and kept when it is imported
/// again (after a mapping or a date was given). Two files of the same name (every school's
/// `SchuelerBasisdaten.dat`) are two files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FileId(pub u32);

/// One body row of a displayed table: labels, then published values as German text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowView {
    /// One label per row axis, with its indentation depth.
    pub labels: Vec<(String, u8)>,
    /// Published values ("1.234", "–", ".", "x", "12,5"), count columns then derived columns.
    pub values: Vec<String>,
    /// True for a sum or subtotal row.
    pub margin: bool,
}

/// A protected table, ready for display: nothing in it is a raw count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    /// Stable key of the table definition.
    pub key: String,
    /// The page of the app it is shown on.
    pub page: Page,
    /// German title.
    pub title: String,
    /// Number of label columns on the left.
    pub label_cols: usize,
    /// Header rows: label-column texts, then one text per value column.
    pub header: Vec<Vec<String>>,
    /// Body rows.
    pub rows: Vec<RowView>,
    /// Footnotes.
    pub notes: Vec<String>,
    /// The German sentence of the protection step (rule, why, result).
    pub protection: String,
    /// True if every value of the table is suppressed.
    pub all_suppressed: bool,
    /// What the planner merged (German, one line each); empty in the original design.
    #[serde(default)]
    pub merges: Vec<String>,
    /// For the analyst only (never exported): where the original design has values of 1 or
    /// 2, counted per row and column (never the values).
    #[serde(default)]
    pub why: Vec<String>,
    /// The planner's alternatives, the best first (German, one line each).
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// The alternative shown; `None` for the original design.
    #[serde(default)]
    pub chosen: Option<usize>,
    /// True: the values passed `protect` (always: a view can only be made of a protected
    /// table).
    pub protected: bool,
}

impl TableView {
    /// The display view of `table`, laid out as every export lays it out.
    pub fn of(table: &ProtectedTable) -> TableView {
        let layout = Layout::of(table);
        let rows = layout
            .rows
            .into_iter()
            .zip(layout.margin_rows)
            .zip(layout.table_rows)
            .map(|((labels, margin), r)| {
                let mut values: Vec<String> = (0..table.n_cols())
                    .map(|c| table.cell(r, c).to_german(0))
                    .collect();
                for (k, d) in table.derived_columns().iter().enumerate() {
                    values.push(table.derived(r, k).to_german(d.decimals));
                }
                RowView {
                    labels,
                    values,
                    margin,
                }
            })
            .collect();
        let report = table.report();
        TableView {
            key: table.key().to_owned(),
            page: table.page(),
            title: table.title().to_owned(),
            label_cols: layout.label_cols,
            header: layout.header,
            rows,
            notes: table.notes().to_vec(),
            protection: report.text(),
            all_suppressed: report.all_suppressed,
            merges: report.recoded.clone(),
            why: report.design.why.clone(),
            alternatives: report.design.alternatives.clone(),
            chosen: report.design.chosen,
            protected: true,
        }
    }
}

/// The Stichtag or reporting month a file's name does not give (or gives doubtfully), asked of
/// the analyst beside the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatingView {
    /// What is asked; `None` for a note that needs no answer (a month column that contradicts
    /// the file name counts).
    pub asks: Option<Asked>,
    /// German explanation.
    pub message: String,
}

/// What one file's import produced, for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The file's identity in the session (two files of the same name are two files).
    pub id: FileId,
    /// File name.
    pub name: String,
    /// The folder the file lies in as chosen (`184549_Gymnasium_Buer` for a school's SchILD
    /// export); empty for a single file.
    #[serde(default)]
    pub folder: String,
    /// Size in bytes.
    pub size: u64,
    /// Detected (or chosen) source, German label.
    pub source: Option<String>,
    /// Rows read below the header.
    pub rows_read: u64,
    /// Rows that became records.
    pub rows_accepted: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Rows rejected for other reasons than sum rows.
    pub rows_rejected_unexpectedly: u64,
    /// File-level error (German sentence), if the file could not be imported.
    pub error: Option<String>,
    /// The full import report (German text; shapes and counts, never names).
    pub report: String,
    /// Set if the file's columns should be checked in the mapping editor.
    pub mapping: Option<MappingNeed>,
    /// Set if the analyst should give the file's Stichtag or reporting month.
    #[serde(default)]
    pub dating: Option<DatingView>,
}

impl FileSummary {
    /// The summary of an import: its report, the mapping need and the date question.
    pub fn of(id: FileId, size: u64, report: &ImportReport, mapping: Option<MappingNeed>) -> Self {
        FileSummary {
            id,
            name: report.file_name.clone(),
            folder: String::new(),
            size,
            source: report
                .detection
                .as_ref()
                .map(|d| d.source.label().to_owned()),
            rows_read: report.rows_read,
            rows_accepted: report.rows_accepted,
            rows_rejected: report.rows_rejected(),
            rows_rejected_unexpectedly: report.rows_rejected_unexpectedly(),
            error: report.error.as_ref().map(ToString::to_string),
            report: report.to_string(),
            mapping,
            dating: report.dating.as_ref().map(|d| DatingView {
                asks: d.asks(),
                message: d.message(),
            }),
        }
    }

    /// The summary of a file that was not imported at all, with the German reason.
    pub fn unimported(id: FileId, name: &str, size: u64, reason: String) -> Self {
        FileSummary {
            id,
            name: name.to_owned(),
            folder: String::new(),
            size,
            source: None,
            rows_read: 0,
            rows_accepted: 0,
            rows_rejected: 0,
            rows_rejected_unexpectedly: 0,
            error: Some(reason.clone()),
            report: reason,
            mapping: None,
            dating: None,
        }
    }

    /// True if the analyst is asked something before the file counts (a mapping, a date).
    pub fn awaits_answer(&self) -> bool {
        self.mapping.is_some() || self.dating.as_ref().is_some_and(|d| d.asks.is_some())
    }

    /// Puts the summaries of files imported again in place of their earlier ones (by
    /// [`FileId`], so files of the same name stay apart); new files go to the end.
    pub fn replace_in(all: &mut Vec<FileSummary>, again: Vec<FileSummary>) {
        for summary in again {
            match all.iter_mut().find(|s| s.id == summary.id) {
                Some(slot) => *slot = summary,
                None => all.push(summary),
            }
        }
    }
}

/// One line of the quality view: a label and an exact figure (for the analyst only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityLine {
    /// What is counted (German).
    pub label: String,
    /// The figure, German formatted.
    pub value: String,
}

/// Quality figures of a run: exact counts, for checking only, never for download.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityView {
    /// Figures (snapshots used, address matching, unclassified, duplicates, linkage).
    pub lines: Vec<QualityLine>,
    /// German notes (missing sources, problems of the Gliederung, the example PKS mapping).
    pub notes: Vec<String>,
    /// Pairs for review per pair of registers (row locations and weights only).
    #[serde(default)]
    pub review: Vec<ReviewListView>,
    /// The list "Zuordnung fehlt" of the ALW snapshot: values and counts, never persons.
    #[serde(default)]
    pub needs_mapping: Vec<NeedsMappingView>,
}

/// One value of the list "Zuordnung fehlt" (a legal text, never personal data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsMappingView {
    /// Why the value needs a mapping (German).
    pub why: String,
    /// The value: the Erteilungsgrund as written (unreadable), its canonical form (no rule)
    /// or the Aufenthaltsart.
    pub value: String,
    /// Records with the value, German formatted.
    pub count: String,
    /// Of these, records the Aufenthaltsart still classified, German formatted.
    pub by_residence_kind: String,
    /// True for an unreadable value: the analyst can map it to a citation in the app.
    pub mappable: bool,
}

impl QualityView {
    /// The quality figures of `report` computed with `config`.
    pub fn of(report: &StandardReport, config: &ReportConfig) -> QualityView {
        let q = &report.quality;
        let mut lines = Vec::new();
        let mut line = |label: String, value: String| lines.push(QualityLine { label, value });
        for (label, snapshot) in [
            ("Meldewesen-Bestand", &q.meldewesen),
            ("Ausländerwesen-Bestand", &q.alw),
        ] {
            let value = match snapshot {
                Some((file, Some(date))) => format!("{file} (Stichtag {})", date.to_german()),
                Some((file, None)) => format!("{file} (ohne Stichtag)"),
                None => "nicht geladen".to_owned(),
            };
            line(label.to_owned(), value);
        }
        for (label, located) in [
            ("Meldewesen", &q.located_residents),
            ("Ausländerwesen", &q.located_foreigners),
        ] {
            let total = located.matched + located.unmatched_total();
            if total == 0 {
                continue;
            }
            line(
                format!("{label}: Adressen zugeordnet"),
                format!(
                    "{} von {} ({} %)",
                    format::count(located.matched),
                    format::count(total),
                    format::decimal(located.match_rate() * 100.0, 2)
                ),
            );
            let mut by_reason = std::collections::BTreeMap::<&str, u64>::new();
            for ((_, miss), n) in &located.unmatched {
                *by_reason.entry(miss.label()).or_default() += n;
            }
            for (reason, n) in by_reason {
                line(
                    format!("{label}: nicht zugeordnet – {reason}"),
                    format::count(n),
                );
            }
        }
        line(
            "Ausländerwesen: nicht klassifiziert".to_owned(),
            format::count(q.unclassified),
        );
        line(
            "Ausländerwesen: doppelte Zeilen entfernt (gleiche AZR-Nummer oder ganz gleiche Zeile)"
                .to_owned(),
            format::count(q.alw_duplicates),
        );
        line(
            "Meldewesen: doppelte Zeilen entfernt (gleiches Ordnungsmerkmal oder ganz gleiche Zeile)"
                .to_owned(),
            format::count(q.ewo_duplicates),
        );
        if let Some(series) = &report.series {
            for (label, value) in series_lines(series) {
                line(label, value);
            }
            for (label, value) in pks_lines(series, &config.pks) {
                line(label, value);
            }
        }
        for l in &q.linkage {
            let s = &l.summary;
            line(
                format!("Verknüpfung {}", l.pair.label()),
                format!(
                    "{} × {} Datensätze, {} verknüpft ({} % von A, {} % von B), Prüfband {}",
                    format::count(s.records.0 as u64),
                    format::count(s.records.1 as u64),
                    format::count(s.matches as u64),
                    format::decimal(s.match_rate_a * 100.0, 1),
                    format::decimal(s.match_rate_b * 100.0, 1),
                    format::count(s.review as u64)
                ),
            );
        }
        let mut notes: Vec<String> = q
            .continuation
            .iter()
            .flat_map(|c| c.lines())
            .chain(q.notes.iter().chain(&q.gliederung_problems).cloned())
            .collect();
        if config.pks.is_example() {
            notes.push(crate::classify::pks::EXAMPLE_WARNING.to_owned());
        }
        let needs_mapping = q
            .needs_mapping
            .iter()
            .map(|g| NeedsMappingView {
                why: g.kind.label().to_owned(),
                value: g.value.clone(),
                count: crate::format::count(g.count),
                by_residence_kind: crate::format::count(g.classified_by_residence_kind),
                mappable: g.kind == crate::classify::snapshot::GapKind::Unparsable,
            })
            .collect();
        QualityView {
            lines,
            notes,
            review: q.review.iter().map(ReviewListView::of).collect(),
            needs_mapping,
        }
    }
}

/// Persons of the last AKDN month by PKS, labelled from the mapping (the codes it lacks in one
/// line): exact, for checking the mapping on the Qualität page only. The released table by PKS
/// (`asylblg_pks`) is protected with the series in one universe.
pub fn pks_lines(
    series: &crate::classify::series::Series,
    mapping: &crate::classify::PksMapping,
) -> Vec<(String, String)> {
    let Some(month) = series.last_month else {
        return Vec::new();
    };
    let month = format!("{:02}/{}", month.month, month.year);
    series
        .last_month_codes
        .iter()
        .map(|(code, n)| {
            let what = match mapping.get(code) {
                Some(e) if code != crate::classify::series::UNKNOWN_PKS_KEY => format!(
                    "PKS {}{} ({}, {})",
                    e.code,
                    if e.label.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", e.label)
                    },
                    e.group.label(),
                    e.benefit_label
                ),
                _ => "Schlüssel ohne Zuordnung".to_owned(),
            };
            (
                format!("AsylbLG (AKDN) {month}: {what}"),
                format!("{} Personen", format::count(*n)),
            )
        })
        .collect()
}

/// The quality figures of the monthly AsylbLG series: who was counted once and why.
pub fn series_lines(series: &crate::classify::series::Series) -> Vec<(String, String)> {
    let months = series.namesakes.len();
    vec![
        (
            "AsylbLG (AKDN): Zeilen gelesen".to_owned(),
            format::count(series.records),
        ),
        (
            "AsylbLG (AKDN): Zeilen derselben Person im selben Monat (nicht doppelt gezählt)"
                .to_owned(),
            format!(
                "{} (davon {} mit Tippfehler im Vornamen im selben Fall, {} bei Fallwechsel im Monat)",
                format::count(series.duplicates_removed),
                format::count(series.typo_duplicates),
                format::count(series.case_changes)
            ),
        ),
        (
            "AsylbLG (AKDN): Namensgleiche mit gleichem Geburtsdatum in verschiedenen Fällen \
             (als eigene Personen gezählt)"
                .to_owned(),
            format!(
                "{} in {} {}",
                format::count(series.namesakes_total()),
                format::count(months as u64),
                if months == 1 { "Monat" } else { "Monaten" }
            ),
        ),
        (
            "AsylbLG (AKDN): Personen mit widersprüchlichem PKS (erste Zeile zählt)".to_owned(),
            format::count(series.conflicting_pks),
        ),
    ]
}

/// The review pairs of one pair of registers (nur zur Prüfung, never for download).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewListView {
    /// The pair of registers (German).
    pub label: String,
    /// German summary (pairs in the band, how many are shown).
    pub summary: String,
    /// The pairs.
    pub pairs: Vec<ReviewPairView>,
}

impl ReviewListView {
    /// The review pairs of one pair of registers, German formatted (no personal values).
    pub fn of(list: &ReviewList) -> ReviewListView {
        let shown_band = list
            .pairs
            .iter()
            .filter(|p| p.kind == ReviewKind::Band)
            .count();
        let above = list.pairs.len() - shown_band;
        ReviewListView {
            label: list.pair.label().to_owned(),
            summary: format!(
                "{} Paare im Prüfband, davon {} gezeigt; dazu {} knapp verknüpfte Paare (niedrigstes Gewicht zuerst).",
                format::count(list.band_total as u64),
                format::count(shown_band as u64),
                format::count(above as u64)
            ),
            pairs: list
                .pairs
                .iter()
                .map(|p| ReviewPairView {
                    a: row_ref(&p.a),
                    b: row_ref(&p.b),
                    kind: p.kind.label().to_owned(),
                    weight: format::decimal(p.weight, 2),
                    probability: format::decimal(p.probability * 100.0, 1),
                    prior: format::decimal(p.prior, 2),
                    swapped: p.swapped,
                    comparisons: p
                        .comparisons
                        .iter()
                        .map(|c| ReviewComparisonView {
                            comparison: c.comparison.clone(),
                            level: c.level.clone(),
                            weight: if c.term_frequency {
                                format!("{} (nach Namenshäufigkeit)", format::decimal(c.weight, 2))
                            } else {
                                format::decimal(c.weight, 2)
                            },
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A row location as the analyst looks it up: „Datei, Blatt X, Zeile N“.
fn row_ref(r: &RowRef) -> String {
    match &r.sheet {
        Some(sheet) => format!("{}, Blatt {sheet}, Zeile {}", r.file, r.row),
        None => format!("{}, Zeile {}", r.file, r.row),
    }
}

/// One candidate pair: where its two rows are, its weight and why (no personal values).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPairView {
    /// Row of register A (file, sheet, row).
    pub a: String,
    /// Row of register B (file, sheet, row).
    pub b: String,
    /// Why it is listed (German).
    pub kind: String,
    /// Match weight, German formatted.
    pub weight: String,
    /// Match probability in %, German formatted.
    pub probability: String,
    /// Prior weight, German formatted.
    pub prior: String,
    /// Family and given names were compared crosswise.
    pub swapped: bool,
    /// Per comparison.
    pub comparisons: Vec<ReviewComparisonView>,
}

/// One comparison of a review pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewComparisonView {
    /// Comparison (German).
    pub comparison: String,
    /// Agreement level (German).
    pub level: String,
    /// Weight, German formatted (with a note if adjusted by the name's frequency).
    pub weight: String,
}

/// The protected report set as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportSet {
    /// Stichtag, German date ("31.10.2026"); `None` if no loaded file gives one.
    pub reference_date: Option<String>,
    /// The protection settings in force (German).
    pub protection: String,
    /// The imported files (German one-liners: kind, file, records), for the Qualität page
    /// only: never part of a download.
    pub sources: Vec<String>,
    /// Rules in force (German one-liners).
    pub rules: Vec<String>,
    /// Protected tables in report order.
    pub tables: Vec<TableView>,
    /// Charts and maps.
    pub graphics: Vec<Figure>,
    /// Quality figures (nur zur Prüfung).
    pub quality: QualityView,
    /// Time per stage and memory of the run.
    pub run: RunView,
    /// Loaded files no report uses, with the reason (for the file list).
    #[serde(default)]
    pub unused: Vec<UnusedFile>,
    /// The switches of the classification rules with the persons each decides.
    #[serde(default)]
    pub switches: Vec<SwitchView>,
}

/// A switch of the classification rules with its effect on the counts of the last run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchView {
    /// Name in the rules file.
    pub name: String,
    /// German label.
    pub label: String,
    /// On or off in the last run.
    pub on: bool,
    /// Persons of the ALW snapshot whose category the switch decides, protected like a table
    /// under the office's rule: "–" for none, "." for all when any is 1 or 2 (below the
    /// threshold).
    pub persons: String,
}

impl SwitchView {
    /// The switches of `rules` with the persons each decides (`effects`, from the snapshot),
    /// protected as one table with `threshold`.
    pub fn list(
        rules: &crate::classify::rules::Rules,
        effects: &[(String, u64)],
        threshold: crate::protect::Threshold,
    ) -> Vec<SwitchView> {
        let count = |name: &str| effects.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
        let blanked = effects.iter().any(|(_, n)| threshold.is_sensitive(*n));
        rules
            .switches()
            .into_iter()
            .map(|(name, on)| {
                let label = crate::classify::rules::SWITCHES
                    .iter()
                    .find(|s| s.name == name)
                    .map_or_else(|| name.clone(), |s| s.label.to_owned());
                let persons = match count(&name) {
                    None => "x".to_owned(),
                    Some(_) if blanked => ".".to_owned(),
                    Some(0) => "–".to_owned(),
                    Some(n) => format::count(n),
                };
                SwitchView {
                    name,
                    label,
                    on,
                    persons,
                }
            })
            .collect()
    }
}

/// A loaded file that no report uses, and why (German), for the file list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnusedFile {
    /// The file.
    pub id: FileId,
    /// Why no report uses it and what to do.
    pub reason: String,
}

/// How long the run took per stage and how much memory the session holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// Seconds per stage, in run order.
    pub stages: Vec<StageTime>,
    /// The wasm memory (high-water mark) in bytes; 0 where not measured (natively).
    pub memory_bytes: u64,
}

impl RunView {
    /// The view of `times`, with the memory in use now.
    pub fn of(times: &StageTimes) -> RunView {
        RunView {
            stages: times
                .seconds
                .iter()
                .map(|&(stage, seconds)| StageTime { stage, seconds })
                .collect(),
            memory_bytes: wasm_memory_bytes(),
        }
    }
}

/// Size of the wasm linear memory: it only grows, so it is the high-water mark (0 natively).
fn wasm_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size::<0>() as u64 * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// Seconds of one stage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    /// The stage.
    pub stage: Stage,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// What to download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DownloadRequest {
    /// The whole report set as one XLSX workbook (as `lagebild report` writes it).
    Workbook,
    /// One table (by key) as an XLSX workbook.
    TableXlsx(String),
    /// One table (by key) as CSV.
    TableCsv(String),
    /// A template of the city's PKS mapping with every code of the loaded AKDN exports (a
    /// settings file: codes only, no counts).
    PksTemplate,
}

/// A finished download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Download {
    /// Suggested file name.
    pub file_name: String,
    /// MIME type.
    pub mime: String,
    /// Content.
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::SwitchView;
    use crate::classify::rules::{Rules, SWITCH_104C, SWITCH_FICTION};
    use crate::protect::Threshold;

    /// The persons per switch are protected as one table: any 1 or 2 blanks them all, none
    /// shows "–", a switch the run did not count shows "x".
    #[test]
    fn switch_effects_are_protected_as_one_table() {
        let rules = Rules::default();
        let threshold = Threshold::new(3).unwrap();
        let shown = |effects: &[(String, u64)]| -> Vec<(String, String)> {
            SwitchView::list(&rules, effects, threshold)
                .into_iter()
                .map(|s| (s.name, s.persons))
                .collect()
        };
        let effects = [(SWITCH_104C.to_owned(), 12), (SWITCH_FICTION.to_owned(), 0)];
        let list = shown(&effects);
        assert_eq!(list.len(), 5);
        assert!(list.contains(&(SWITCH_104C.to_owned(), "12".to_owned())));
        assert!(list.contains(&(SWITCH_FICTION.to_owned(), "–".to_owned())));
        assert!(list.iter().any(|(_, p)| p == "x"));
        let effects = [(SWITCH_104C.to_owned(), 12), (SWITCH_FICTION.to_owned(), 2)];
        assert!(shown(&effects).iter().all(|(_, p)| p == "." || p == "x"));
    }
}
