//! Export of protected tables: an XLSX workbook ([`xlsx::workbook`]) and one CSV per table
//! ([`csv::table`]). Every function takes only [`ProtectedTable`]s, which only
//! [`crate::protect::protect`] can make, so raw counts cannot be exported.
//!
//! Every output carries the title, per table its registers with their Stichtag or reporting
//! period ([`Provenance`]: never a file name, which can hold a person's name, and never a record
//! count, which would tell what a suppressed table hides), the rule applied with its result,
//! and the legend of symbols (". = gesperrt (Geheimhaltung), – = nichts vorhanden (0), x = Aussage
//! nicht sinnvoll").
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod csv;
pub mod svg;
pub mod xlsx;

use serde::{Deserialize, Serialize};

use crate::format;
use crate::protect::{ProtectedTable, ProtectionSettings, Published};
use crate::records::Date;
use crate::tabulate::{Position, Provenance, Role};

/// The registers behind a set of tables, each once, in a stable order.
pub fn sources_of(tables: &[ProtectedTable]) -> Vec<Provenance> {
    let mut all: Vec<Provenance> = tables
        .iter()
        .flat_map(|t| t.provenance().iter().copied())
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The lines naming a table's registers ("Quelle: …"), at least one.
pub(crate) fn source_lines(table: &ProtectedTable) -> Vec<String> {
    if table.provenance().is_empty() {
        return vec!["Quelle: keine angegeben".to_owned()];
    }
    table
        .provenance()
        .iter()
        .map(|p| format!("Quelle: {}", p.describe()))
        .collect()
}

/// What every export says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportMeta {
    /// Title of the report set, e.g. "Flüchtlingsstatistik Gelsenkirchen".
    pub title: String,
    /// Reference date (Stichtag), `None` if no loaded file gives one; also the fixed creation
    /// date of the workbook, so the same input gives the same bytes.
    pub reference_date: Option<Date>,
    /// Lagebild version.
    pub version: String,
    /// Rules and mappings in force, one short German line each (e.g. "PKS-Zuordnung:
    /// Beispielzuordnung", "§ 104c AufenthG: eigene Unterkategorie").
    pub rules: Vec<String>,
    /// The protection settings of the run.
    pub protection: ProtectionSettings,
    /// Who publishes (office and contact), on every sheet's footer, the contents sheet and
    /// the CSV; empty: not named.
    #[serde(default)]
    pub publisher: Publisher,
}

/// The publisher block of released files (a setting of the office).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    /// The office, e.g. "Stadt Gelsenkirchen, Referat 3/1 Statistik und Monitoring".
    #[serde(default)]
    pub office: String,
    /// Contact, e.g. "statistik@gelsenkirchen.de, Tel. 0209 169-0".
    #[serde(default)]
    pub contact: String,
}

impl Publisher {
    /// The lines naming the publisher ("Herausgeber: …", "Kontakt: …"), none if not set.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.office.trim().is_empty() {
            lines.push(format!("Herausgeber: {}", self.office.trim()));
        }
        if !self.contact.trim().is_empty() {
            lines.push(format!("Kontakt: {}", self.contact.trim()));
        }
        lines
    }
}

impl ExportMeta {
    /// Metadata with the current Lagebild version and no rules yet.
    pub fn new(
        title: &str,
        reference_date: Option<Date>,
        protection: ProtectionSettings,
    ) -> ExportMeta {
        ExportMeta {
            title: title.to_owned(),
            reference_date,
            version: crate::VERSION.to_owned(),
            rules: Vec::new(),
            protection,
            publisher: Publisher::default(),
        }
    }

    /// The Stichtag as written in exports: `TT.MM.JJJJ`, or "unbekannt".
    pub fn reference_text(&self) -> String {
        self.reference_date
            .map_or_else(|| "unbekannt".to_owned(), Date::to_german)
    }

    /// The Stichtag in download file names: `JJJJ-MM-TT`, or "ohne-stichtag".
    pub fn reference_stamp(&self) -> String {
        self.reference_date
            .map_or_else(|| "ohne-stichtag".to_owned(), |d| d.to_string())
    }
}

/// Why an export failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ExportError {
    /// A table does not fit on a worksheet.
    TooLarge {
        /// Title of the table.
        table: String,
        /// Rows needed.
        rows: usize,
        /// Columns needed.
        columns: usize,
    },
    /// The XLSX writer failed.
    Xlsx(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::TooLarge {
                table,
                rows,
                columns,
            } => write!(
                f,
                "Die Tabelle „{table}“ ist mit {} Zeilen und {} Spalten zu groß für ein \
                 Tabellenblatt (höchstens 1.048.576 Zeilen und 16.384 Spalten).",
                format::count(*rows as u64),
                format::count(*columns as u64)
            ),
            ExportError::Xlsx(detail) => {
                write!(
                    f,
                    "Die Excel-Datei konnte nicht geschrieben werden: {detail}"
                )
            }
        }
    }
}

impl std::error::Error for ExportError {}

/// The explanation of the `Zelle` audit, for the metadata.
pub const AUDIT_CRITERION: &str = "Zellsperrung: Für jede gesperrte Zelle wird per linearer \
Optimierung berechnet, welchen kleinsten und größten Wert sie angesichts aller veröffentlichten \
Werte und Summen annehmen kann; die Spanne muss mindestens so groß wie die Schwelle sein.";

/// Text of a published value in an export: counts without thousands separators, ratios with a
/// decimal comma, changes with their sign ("+12", "-5", "0"), symbols as they are.
pub(crate) fn plain(value: Published, decimals: u8) -> String {
    match value {
        Published::Value(n) => n.to_string(),
        Published::Percent(x) | Published::PerMille(x) | Published::ChangePercent(x) => {
            format!("{:.*}", usize::from(decimals), x).replace('.', ",")
        }
        Published::Difference(d) if d > 0 => format!("+{d}"),
        Published::Difference(d) => d.to_string(),
        other => other.symbol().unwrap_or_default().to_owned(),
    }
}

/// The header and label texts of a table as laid out in every export and on the page.
pub struct Layout {
    /// Number of label columns (one per row axis, at least one).
    pub label_cols: usize,
    /// Header rows: label-column texts then one text per value column (counts, derived).
    pub header: Vec<Vec<String>>,
    /// Per row: the label texts and the indentation depth of each.
    pub rows: Vec<Vec<(String, u8)>>,
    /// Per row: true if the row is a margin on any row axis.
    pub margin_rows: Vec<bool>,
    /// Per row: the row of the table it shows. A category that is the only part of a subtotal
    /// of the same label (e.g. "Adresse nicht zugeordnet" as Stadtbezirk and as its only
    /// Stadtteil) is shown once, as the subtotal, so a column sum counts it once.
    pub table_rows: Vec<usize>,
}

impl Layout {
    /// Lays out `table`.
    pub fn of(table: &ProtectedTable) -> Layout {
        let n_row_axes = table.row_axes().len();
        let n_col_axes = table.column_axes().len();
        let label_cols = n_row_axes.max(1);
        let header_rows = n_col_axes.max(1);
        let mut header = Vec::with_capacity(header_rows);
        for h in 0..header_rows {
            let mut line = vec![String::new(); label_cols];
            if h + 1 == header_rows {
                for (slot, axis) in line.iter_mut().zip(table.row_axes()) {
                    *slot = axis.label().to_owned();
                }
            }
            for c in 0..table.n_cols() {
                let text = if n_col_axes == 0 {
                    table.value_kind().label().to_owned()
                } else {
                    table
                        .column_positions(c)
                        .get(h)
                        .map(|p| p.label.clone())
                        .unwrap_or_default()
                };
                line.push(text);
            }
            for d in table.derived_columns() {
                line.push(if h + 1 == header_rows {
                    d.label.clone()
                } else {
                    String::new()
                });
            }
            header.push(line);
        }
        // Positions that only repeat their subtotal (same label, its only part), by address.
        let echoes: std::collections::HashSet<*const Position> = table
            .row_axes()
            .iter()
            .flat_map(|axis| {
                let positions = axis.positions();
                positions
                    .iter()
                    .filter(|s| s.role == Role::Subtotal && s.parts.len() == 1)
                    .filter_map(|s| {
                        let child = positions.get(s.parts[0])?;
                        (child.label == s.label).then_some(child as *const Position)
                    })
            })
            .collect();
        let mut rows = Vec::with_capacity(table.n_rows());
        let mut margin_rows = Vec::with_capacity(table.n_rows());
        let mut table_rows = Vec::with_capacity(table.n_rows());
        for r in 0..table.n_rows() {
            let positions = table.row_positions(r);
            if positions
                .iter()
                .any(|p| echoes.contains(&(*p as *const Position)))
            {
                continue;
            }
            table_rows.push(r);
            margin_rows.push(positions.iter().any(|p| p.is_margin()));
            if n_row_axes == 0 {
                rows.push(vec![(table.value_kind().label().to_owned(), 0)]);
            } else {
                rows.push(
                    positions
                        .iter()
                        .map(|p| (p.label.clone(), p.depth))
                        .collect(),
                );
            }
        }
        Layout {
            label_cols,
            header,
            rows,
            margin_rows,
            table_rows,
        }
    }
}
