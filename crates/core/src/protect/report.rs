//! What the protection step did, as numbers and as a German sentence for every output.

use serde::Serialize;

use super::settings::ProtectionSettings;

/// The rule that was actually applied to a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AppliedRule {
    /// Whole-table suppression (mode `Tabelle`).
    TableSuppression,
    /// Cell suppression with a proved pattern (mode `Zelle`).
    CellSuppression,
    /// Mode `Zelle` was requested but no pattern could be proved within the computing budget:
    /// the whole table was suppressed instead.
    CellSuppressionFallback,
    /// The table passed on its own, but released with the tables before it a reader could
    /// compute a value of 1 or 2 by differencing: every value is suppressed.
    ReleaseSuppression,
    /// Mode `Zelle` was requested, but the table's pattern of suppressed cells would let a
    /// reader compute a value of 1 or 2 together with the tables released before it: the
    /// table is designed and protected by the whole-table rule instead.
    ReleaseTableRule,
}

/// The result of protecting one table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProtectionReport {
    /// Settings in force.
    pub settings: ProtectionSettings,
    /// The rule applied.
    pub rule: AppliedRule,
    /// Cells (inner cells and margins) with a sensitive value.
    pub sensitive: usize,
    /// Cells suppressed because they are sensitive (mode `Zelle`).
    pub primary: usize,
    /// Cells suppressed to protect the sensitive ones (mode `Zelle`).
    pub secondary: usize,
    /// True if every value of the table is suppressed.
    pub all_suppressed: bool,
    /// True if the suppression pattern was proved safe (always true for whole-table
    /// suppression and for tables without sensitive cells).
    pub audit_passed: bool,
    /// What the publication planner merged so that the table passes (German, one line each);
    /// empty if the table is in its original design.
    pub recoded: Vec<String>,
    /// For the analyst's screen only, never in an export: why the original design does not
    /// pass and which designs the planner offers.
    pub design: DesignInfo,
}

/// How a table came to its design, for the analyst's screen (never exported): where the
/// original design has values of 1 or 2 (counted per row and column, never the values), the
/// planner's alternatives and which one is shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DesignInfo {
    /// Per row and per column of the original design with values of 1 or 2: its label and how
    /// many such cells it has, in table order (German, one line each).
    pub why: Vec<String>,
    /// The planner's passing designs, the best first (German, one line each: published
    /// values and what is merged).
    pub alternatives: Vec<String>,
    /// The alternative shown; `None` for the original design.
    pub chosen: Option<usize>,
}

/// Most merges named in the rule text; the rest are counted.
const MAX_MERGES_NAMED: usize = 8;

/// Most parts one merge names in the rule text ("A, B, C und D zusammengefasst"); longer
/// lists read "A, B und 7 weitere zusammengefasst".
const MAX_PARTS_NAMED: usize = 4;

/// A line of the planner's list, with a long list of parts shortened.
fn short_merge(line: &str) -> String {
    let Some(list) = line.strip_suffix(" zusammengefasst") else {
        return line.to_string();
    };
    let Some((head, last)) = list.rsplit_once(" und ") else {
        return line.to_string();
    };
    let mut parts: Vec<&str> = head.split(", ").collect();
    parts.push(last);
    if parts.len() <= MAX_PARTS_NAMED {
        return line.to_string();
    }
    format!(
        "{} und {} weitere zusammengefasst",
        parts[..2].join(", "),
        parts.len() - 2
    )
}

impl ProtectionReport {
    /// German name of the rule applied.
    pub fn rule_name(&self) -> &'static str {
        match self.rule {
            AppliedRule::TableSuppression => "Tabellensperrung",
            AppliedRule::CellSuppression => "Zellsperrung",
            AppliedRule::CellSuppressionFallback => "Tabellensperrung (Ersatz für Zellsperrung)",
            AppliedRule::ReleaseSuppression => "Tabellensperrung (Differenzierung)",
            AppliedRule::ReleaseTableRule => {
                "Tabellensperrung statt Zellsperrung (das Sperrmuster ließe mit den übrigen \
                 Tabellen eine Differenz zu)"
            }
        }
    }

    /// The German sentence every output carries: rule, why, and the result. It names no
    /// number of cells: how many cells are small, or how many were suppressed to protect them,
    /// would tell a reader what the suppression hides.
    pub fn text(&self) -> String {
        let t = self.settings.threshold;
        let values = t.sensitive_values();
        let head = format!(
            "Regel angewandt: {} (Schwelle {})",
            self.rule_name(),
            t.get()
        );
        if self.rule == AppliedRule::ReleaseSuppression {
            return format!(
                "{head}: Für sich allein hätte die Tabelle veröffentlicht werden können. \
                 Zusammen mit den Tabellen, die in dieser Sitzung schon veröffentlicht sind, \
                 ließe sich aber ein Wert von {values} durch Differenzbildung errechnen; \
                 daher sind alle Werte der Tabelle gesperrt („.“). Wählen Sie eine gröbere \
                 Gliederung oder andere Merkmale."
            );
        }
        if !self.recoded.is_empty() {
            let mut named: Vec<String> = self
                .recoded
                .iter()
                .take(MAX_MERGES_NAMED)
                .map(|line| short_merge(line))
                .collect();
            let more = self.recoded.len().saturating_sub(MAX_MERGES_NAMED);
            if more > 0 {
                named.push(format!("{more} weitere Zusammenfassungen"));
            }
            return format!(
                "{head}. In der ursprünglichen Gliederung hätte mindestens eine Zelle oder Summe \
                 einen Wert von {values}; damit die Tabelle veröffentlicht werden kann, ist sie \
                 vergröbert: {}. Keine Zelle und keine Summe hat jetzt einen Wert von \
                 {values}; niemand ist weggelassen.",
                named.join("; ")
            );
        }
        match self.rule {
            AppliedRule::TableSuppression | AppliedRule::ReleaseTableRule
                if self.sensitive == 0 =>
            {
                format!(
                    "{head}. Keine Zelle und keine Summe hat einen Wert von {values}; \
                     die Tabelle wird vollständig veröffentlicht."
                )
            }
            AppliedRule::TableSuppression | AppliedRule::ReleaseTableRule => format!(
                "{head}, weil mindestens eine Zelle oder Summe einen Wert von {values} hat; \
                 alle Werte der Tabelle sind gesperrt („.“)."
            ),
            AppliedRule::CellSuppression if self.sensitive == 0 => format!(
                "{head}. Keine Zelle und keine Summe hat einen Wert von {values}; \
                 nichts gesperrt."
            ),
            AppliedRule::CellSuppression => format!(
                "{head}: Zellen mit einem Wert von {values} und weitere Zellen zu ihrem Schutz \
                 sind gesperrt („.“); Prüfung bestanden (keine gesperrte Zelle lässt sich aus \
                 den veröffentlichten Werten und Summen genauer als auf eine Spanne von {} \
                 eingrenzen).",
                t.get()
            ),
            AppliedRule::ReleaseSuppression | AppliedRule::CellSuppressionFallback => format!(
                "{head}: Zellsperrung war angefordert, weil mindestens eine Zelle oder Summe \
                 einen Wert von {values} hat, ließ sich aber nicht in vertretbarer Rechenzeit \
                 als sicher nachweisen; daher sind alle Werte der Tabelle gesperrt („.“)."
            ),
        }
    }
}
