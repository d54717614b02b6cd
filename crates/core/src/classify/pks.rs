//! The mapping of AKDN Personenkreisschlüssel (PKS) to a status group, a kind of benefit and
//! the AsylbLG § 1 Abs. 1 number. The real AKDN code list is not public: the shipped mapping
//! (`data/pks_example.toml`) is an EXAMPLE, flagged by [`PksMapping::is_example`], and the city
//! replaces it with its own file ([`PksMapping::from_toml`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::series_columns::{DeclaredColumn, DeclaredSum, SeriesColumns};
use crate::text::toml_error;

/// The shipped example mapping (`crates/core/data/pks_example.toml`).
pub const EXAMPLE_PKS_TOML: &str = include_str!("../../data/pks_example.toml");

/// The warning shown wherever the shipped example mapping is used.
pub const EXAMPLE_WARNING: &str = "Beispielzuordnung: Die Personenkreisschlüssel werden mit der mitgelieferten BEISPIEL-Zuordnung ausgewertet, nicht mit der echten Schlüsselliste von AKDN. Bitte die Zuordnung der Stadt laden.";

/// Status group of a PKS: the column group of the monthly table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusGroup {
    /// Asylbewerber (AsylbLG § 1 Abs. 1 Nr. 1, 1a, 7).
    Asylbewerber,
    /// Geduldete (Nr. 4, 5).
    Geduldete,
    /// Sonstige (Nr. 3, 6, ...).
    Sonstige,
}

impl StatusGroup {
    /// The spelling in the mapping file.
    pub fn label(self) -> &'static str {
        match self {
            StatusGroup::Asylbewerber => "Asylbewerber",
            StatusGroup::Geduldete => "Geduldete",
            StatusGroup::Sonstige => "Sonstige",
        }
    }

    fn parse(text: &str) -> Option<StatusGroup> {
        [
            StatusGroup::Asylbewerber,
            StatusGroup::Geduldete,
            StatusGroup::Sonstige,
        ]
        .into_iter()
        .find(|g| g.label().eq_ignore_ascii_case(text.trim()))
    }
}

/// Kind of AsylbLG benefit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Benefit {
    /// § 2 AsylbLG (Analogleistungen).
    P2,
    /// § 3 AsylbLG (Grundleistungen).
    P3,
    /// Only §§ 4-6 AsylbLG.
    P4to6,
    /// Another benefit group the office names in its mapping (e.g. `§1a`, the
    /// Leistungseinschränkung): the entry says with `spalte` in which column of the monthly
    /// table it counts, the text is kept in [`PksEntry::benefit_label`].
    Other,
}

impl Benefit {
    /// The spelling in the mapping file: `§2`, `§3`, `§§4-6` (`andere` for another group,
    /// whose own text is [`PksEntry::benefit_label`]).
    pub fn label(self) -> &'static str {
        match self {
            Benefit::P2 => "§2",
            Benefit::P3 => "§3",
            Benefit::P4to6 => "§§4-6",
            Benefit::Other => "andere",
        }
    }

    /// Reads `§2`, `§ 2`, `2`, `§§4-6`, `§§ 4-6`, `4-6`.
    fn parse(text: &str) -> Option<Benefit> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '§')
            .map(|c| if c == '–' { '-' } else { c })
            .collect();
        match compact.as_str() {
            "2" => Some(Benefit::P2),
            "3" => Some(Benefit::P3),
            "4-6" => Some(Benefit::P4to6),
            _ => None,
        }
    }
}

/// AsylbLG § 1 Abs. 1 numbers a PKS may name.
const ASYLBLG_NUMBERS: [&str; 8] = ["1", "1a", "2", "3", "4", "5", "6", "7"];

/// One code of the mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PksEntry {
    /// The code as written in the export.
    pub code: String,
    /// Status group.
    pub group: StatusGroup,
    /// Kind of benefit.
    pub benefit: Benefit,
    /// The benefit as the mapping writes it (`§2`, `§3`, `§§4-6`, or another group such as
    /// `§1a`).
    pub benefit_label: String,
    /// The column of the monthly table (an index into [`PksMapping::columns`]): given with
    /// `spalte`, or derived from the status group and the benefit as the header of
    /// `pks_example.toml` defines it.
    pub column: usize,
    /// True if the mapping set the column with `spalte`.
    pub column_given: bool,
    /// AsylbLG § 1 Abs. 1 Nr.
    pub asylblg_nr: String,
    /// Plain-text label.
    pub label: String,
}

impl PksEntry {
    /// The column of the monthly table (an index into [`PksMapping::columns`]).
    pub fn column(&self) -> usize {
        self.column
    }
}

/// The key of the seed's column of a status group and a benefit, as the header of
/// `pks_example.toml` defines it; `None` for another benefit group (its entry names the
/// column).
fn derived_column(group: StatusGroup, benefit: Benefit) -> Option<&'static str> {
    match (group, benefit) {
        (_, Benefit::Other) => None,
        (StatusGroup::Sonstige, _) | (_, Benefit::P4to6) => Some("sonstige"),
        (StatusGroup::Geduldete, Benefit::P2) => Some("p2_geduldete"),
        (StatusGroup::Asylbewerber, Benefit::P2) => Some("p2_asylbewerber"),
        (StatusGroup::Asylbewerber, Benefit::P3) => Some("p3_asylbewerber"),
        (StatusGroup::Geduldete, Benefit::P3) => Some("p3_geduldete"),
    }
}

/// The PKS mapping in force.
#[derive(Clone, Debug)]
pub struct PksMapping {
    entries: BTreeMap<String, PksEntry>,
    columns: SeriesColumns,
    example: bool,
}

impl Default for PksMapping {
    /// The shipped example mapping.
    fn default() -> Self {
        PksMapping::example()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PksFile {
    #[serde(default)]
    pks: Vec<PksRow>,
    #[serde(default)]
    spalte: Vec<SpalteRow>,
    #[serde(default)]
    summe: Vec<SummeRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpalteRow {
    key: String,
    ueberschrift: String,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummeRow {
    key: String,
    ueberschrift: String,
    spalten: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PksRow {
    code: CodeText,
    status_group: String,
    benefit: String,
    asylblg_nr: CodeText,
    #[serde(default)]
    label: String,
    #[serde(default)]
    spalte: Option<String>,
}

/// A code written as text or as a number (`code = "11"` or `code = 11`).
#[derive(Deserialize)]
#[serde(untagged)]
enum CodeText {
    Text(String),
    Number(i64),
}

impl CodeText {
    fn text(&self) -> String {
        match self {
            CodeText::Text(t) => t.trim().to_string(),
            CodeText::Number(n) => n.to_string(),
        }
    }
}

impl PksMapping {
    /// The shipped example (flagged as such).
    pub fn example() -> PksMapping {
        let mut mapping = PksMapping::from_toml(EXAMPLE_PKS_TOML).unwrap_or_else(|_| PksMapping {
            entries: BTreeMap::new(),
            columns: SeriesColumns::seed(),
            example: true,
        });
        mapping.example = true;
        mapping
    }

    /// Parses a mapping file (format of `data/pks_example.toml`); errors are German messages.
    pub fn from_toml(text: &str) -> Result<PksMapping, String> {
        let file: PksFile =
            toml::from_str(text).map_err(|e| toml_error("PKS-Zuordnung", text, &e))?;
        if file.pks.is_empty() {
            return Err("PKS-Zuordnung: keine Einträge [[pks]]".to_string());
        }
        let columns = if file.spalte.is_empty() {
            if !file.summe.is_empty() {
                return Err(
                    "PKS-Zuordnung: Summen [[summe]] ohne Spalten [[spalte]]; bitte die Spalten \
                     der Monatsreihe mit [[spalte]] erklären oder die Summen weglassen"
                        .to_string(),
                );
            }
            SeriesColumns::seed()
        } else {
            let declared = file
                .spalte
                .into_iter()
                .map(|c| DeclaredColumn {
                    key: c.key,
                    heading: c.ueberschrift,
                    optional: c.optional,
                })
                .collect();
            let sums = file
                .summe
                .into_iter()
                .map(|s| DeclaredSum {
                    key: s.key,
                    heading: s.ueberschrift,
                    columns: s.spalten,
                })
                .collect();
            SeriesColumns::declared(declared, sums).map_err(|e| format!("PKS-Zuordnung: {e}"))?
        };
        let allowed = columns.keys().join(", ");
        let mut entries = BTreeMap::new();
        for (i, row) in file.pks.into_iter().enumerate() {
            let code = row.code.text();
            let context = format!("PKS-Zuordnung, Eintrag {} (code = \"{code}\")", i + 1);
            if code.is_empty() {
                return Err(format!("{context}: code ist leer"));
            }
            let group = StatusGroup::parse(&row.status_group).ok_or_else(|| {
                format!(
                    "{context}: status_group „{}“ unbekannt (erlaubt: Asylbewerber, Geduldete, Sonstige)",
                    row.status_group
                )
            })?;
            let benefit_text = row.benefit.trim();
            if benefit_text.is_empty() {
                return Err(format!(
                    "{context}: benefit ist leer (§2, §3, §§4-6 oder eine eigene Leistungsgruppe wie §1a)"
                ));
            }
            let benefit = Benefit::parse(benefit_text).unwrap_or(Benefit::Other);
            let benefit_label = match benefit {
                Benefit::Other => benefit_text.to_string(),
                known => known.label().to_string(),
            };
            let given = match row.spalte.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(columns.parse(text).ok_or_else(|| {
                    format!("{context}: spalte „{text}“ unbekannt (erlaubt: {allowed})")
                })?),
            };
            let derived = derived_column(group, benefit);
            let column = match (given, derived) {
                (Some(column), _) => column,
                (None, None) => {
                    return Err(format!(
                        "{context}: benefit „{benefit_text}“ ist keine Leistungsart der Monatsreihe (§2, §3, §§4-6); bitte mit spalte = \"…\" angeben, in welcher Spalte die Personen zählen (erlaubt: {allowed})"
                    ));
                }
                (None, Some(key)) => columns.index(key).ok_or_else(|| {
                    format!(
                        "{context}: Die erklärten Spalten der Monatsreihe haben keine Spalte „{key}“ für {} mit {}; bitte mit spalte = \"…\" angeben, in welcher Spalte die Personen zählen (erlaubt: {allowed})",
                        group.label(),
                        benefit_text
                    )
                })?,
            };
            let asylblg_nr = row.asylblg_nr.text();
            if !ASYLBLG_NUMBERS.contains(&asylblg_nr.as_str()) {
                return Err(format!(
                    "{context}: asylblg_nr „{asylblg_nr}“ unbekannt (erlaubt: {})",
                    ASYLBLG_NUMBERS.join(", ")
                ));
            }
            let entry = PksEntry {
                code: code.clone(),
                group,
                benefit,
                benefit_label,
                column,
                column_given: given.is_some(),
                asylblg_nr,
                label: row.label.trim().to_string(),
            };
            if entries.insert(code, entry).is_some() {
                return Err(format!("{context}: code kommt doppelt vor"));
            }
        }
        Ok(PksMapping {
            entries,
            columns,
            example: false,
        })
    }

    /// True for the shipped example mapping: every output must say so ([`EXAMPLE_WARNING`]).
    pub fn is_example(&self) -> bool {
        self.example
    }

    /// The entry of a code as written in an export (surrounding spaces ignored; leading zeros
    /// ignored if that is unambiguous: `011` = `11`).
    pub fn get(&self, code: &str) -> Option<&PksEntry> {
        let code = code.trim();
        if let Some(entry) = self.entries.get(code) {
            return Some(entry);
        }
        let stripped = code.trim_start_matches('0');
        if stripped.is_empty() {
            return None;
        }
        let mut found = self
            .entries
            .iter()
            .filter(|(k, _)| k.trim_start_matches('0') == stripped)
            .map(|(_, v)| v);
        match (found.next(), found.next()) {
            (Some(entry), None) => Some(entry),
            _ => None,
        }
    }

    /// All entries, ordered by code.
    pub fn entries(&self) -> impl Iterator<Item = &PksEntry> {
        self.entries.values()
    }

    /// The columns and sums of the monthly series (declared in the file, else the seed's).
    pub fn columns(&self) -> &SeriesColumns {
        &self.columns
    }

    /// The key of an entry's column in the `spalte` dimension.
    pub fn column_key(&self, entry: &PksEntry) -> &str {
        self.columns.key(entry.column)
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there are no codes.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The longest code the template takes over from an export: longer or other text in the PKS
/// column is not a code (shifted columns can put names there) and is only counted.
const MAX_TEMPLATE_CODE: usize = 8;

/// A template of the city's mapping file, filled with the codes `found` in the loaded exports:
/// a code the mapping in force knows keeps its entry (marked for checking if the mapping is the
/// example), an unknown code gets an entry to fill in, commented out so the file loads before
/// it is done. Only codes the mapping knows and codes of letters and digits with at least one
/// digit (at most 8 characters) are taken over; the number of other values is named in the
/// header. No counts, no names.
pub fn template(mapping: &PksMapping, found: &[String]) -> String {
    let mut codes: Vec<&str> = Vec::new();
    let mut not_codes = 0usize;
    for code in found {
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        // A code the mapping knows, or letters and digits with at least one digit: a given
        // name in a shifted column ("Ahmad") is never taken over.
        let looks_like_code = code.chars().count() <= MAX_TEMPLATE_CODE
            && code.chars().all(char::is_alphanumeric)
            && code.chars().any(|c| c.is_ascii_digit());
        if mapping.get(code).is_some() || looks_like_code {
            codes.push(code);
        } else {
            not_codes += 1;
        }
    }
    codes.sort_by(|a, b| (a.len(), *a).cmp(&(b.len(), *b)));
    codes.dedup();
    let mut out = String::from(
        "# Zuordnung der Personenkreisschlüssel (PKS) der Stadt – Vorlage aus Lagebild.\n\
         #\n\
         # Enthält jeden Schlüssel, der in den geladenen AKDN-Exporten vorkommt. Bitte für jeden\n\
         # Schlüssel status_group (Asylbewerber | Geduldete | Sonstige), benefit (§2 | §3 | §§4-6\n\
         # oder eine eigene Leistungsgruppe wie §1a, dann mit spalte), asylblg_nr (1, 1a, 2, 3, 4,\n\
         # 5, 6, 7) und label nach der Schlüsselliste von AKDN\n\
         # eintragen; auskommentierte Einträge (#) sind noch offen: die Zeichen # entfernen, wenn\n\
         # sie ausgefüllt sind. Dann in Lagebild unter Einstellungen als PKS-Zuordnung laden\n\
         # (Kommandozeile: --pks DATEI). Aufbau und Spalten der Monatsreihe: pks_example.toml.\n",
    );
    if mapping.is_example() {
        out.push_str(
            "#\n# ACHTUNG: Die bisher geltende Zuordnung ist die mitgelieferte BEISPIEL-Zuordnung;\n\
             # übernommene Einträge (\"aus der Beispielzuordnung\") bitte einzeln prüfen.\n",
        );
    }
    if not_codes > 0 {
        out.push_str(&format!(
            "#\n# {not_codes} weitere Werte der PKS-Spalte sind keine Schlüssel (ohne Ziffer, mit Leerzeichen\n\
             # oder Satzzeichen, oder länger als {MAX_TEMPLATE_CODE} Zeichen) und sind nicht übernommen; bitte\n\
             # die Exporte prüfen.\n"
        ));
    }
    if !mapping.columns().is_seed() {
        out.push_str("\n# Spalten und Summen der Monatsreihe, wie bisher erklärt.\n\n");
        out.push_str(&mapping.columns().to_toml());
    }
    for code in codes {
        out.push('\n');
        match mapping.get(code) {
            Some(entry) => {
                if mapping.is_example() {
                    out.push_str("# aus der Beispielzuordnung – bitte prüfen\n");
                }
                out.push_str(&format!(
                    "[[pks]]\ncode = \"{code}\"\nstatus_group = \"{}\"\nbenefit = \"{}\"\nasylblg_nr = \"{}\"\nlabel = \"{}\"\n",
                    entry.group.label(),
                    entry.benefit_label.replace(['"', '\\'], ""),
                    entry.asylblg_nr,
                    entry.label.replace(['"', '\\'], "")
                ));
                if entry.column_given {
                    out.push_str(&format!("spalte = \"{}\"\n", mapping.column_key(entry)));
                }
            }
            None => out.push_str(&format!(
                "# offen: Schlüssel {code}\n# [[pks]]\n# code = \"{code}\"\n# status_group = \"\"\n# benefit = \"\"\n# asylblg_nr = \"\"\n# label = \"\"\n"
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_names_every_code_found_and_loads() {
        let example = PksMapping::example();
        let found = vec![
            "21".to_owned(),
            " 11 ".to_owned(),
            "99".to_owned(),
            "21".to_owned(),
            "Mustermann, Max".to_owned(),
            "Ahmad".to_owned(),
        ];
        let text = template(&example, &found);
        assert!(text.contains("code = \"11\""), "{text}");
        assert!(text.contains("code = \"21\""));
        assert!(text.contains("# code = \"99\""), "an unknown code is open");
        assert!(text.contains("BEISPIEL-Zuordnung"));
        assert!(text.contains("2 weitere Werte der PKS-Spalte sind keine Schlüssel"));
        assert!(!text.contains("Mustermann"));
        assert!(!text.contains("Ahmad"));
        // The template loads as it is: the known codes, the open ones commented out.
        let loaded = PksMapping::from_toml(&text).expect("template loads");
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded.column_key(loaded.get("21").unwrap()), "p2_geduldete");
        // Filled in, the open code counts.
        let filled = text.replace("# [[pks]]\n# code = \"99\"\n# status_group = \"\"\n# benefit = \"\"\n# asylblg_nr = \"\"", "[[pks]]\ncode = \"99\"\nstatus_group = \"Geduldete\"\nbenefit = \"§3\"\nasylblg_nr = \"4\"");
        let filled = filled.replace("\n# label = \"\"\n", "\nlabel = \"neu\"\n");
        assert_eq!(PksMapping::from_toml(&filled).unwrap().len(), 3);
    }

    #[test]
    fn the_shipped_example_parses_and_is_flagged() {
        let m = PksMapping::example();
        assert!(m.is_example());
        assert_eq!(m.len(), 17);
        let own = PksMapping::from_toml(EXAMPLE_PKS_TOML).unwrap();
        assert!(
            !own.is_example(),
            "a file the user loads is not the example"
        );
        let e = m.get("21").unwrap();
        assert_eq!(
            (e.group, e.benefit, e.asylblg_nr.as_str()),
            (StatusGroup::Geduldete, Benefit::P2, "4")
        );
        assert_eq!(m.get(" 021 ").map(|e| e.code.as_str()), Some("21"));
        assert!(m.get("99").is_none());
        assert!(m.get("000").is_none());
    }

    #[test]
    fn columns_follow_the_header_comment() {
        let m = PksMapping::example();
        let col = |c: &str| m.column_key(m.get(c).unwrap());
        assert_eq!(col("11"), "p2_asylbewerber");
        assert_eq!(col("12"), "p3_asylbewerber");
        assert_eq!(col("13"), "sonstige", "Asylbewerber with §§ 4-6");
        assert_eq!(col("14"), "p3_asylbewerber");
        assert_eq!(col("21"), "p2_geduldete");
        assert_eq!(col("22"), "p3_geduldete");
        assert_eq!(col("23"), "sonstige", "Geduldete with §§ 4-6");
        assert_eq!(col("25"), "p3_geduldete");
        assert_eq!(col("31"), "sonstige", "group Sonstige with § 2");
        assert_eq!(col("35"), "sonstige");
        assert!(m.columns().is_seed());
    }

    #[test]
    fn a_city_file_replaces_the_example() {
        let m = PksMapping::from_toml(
            "[[pks]]\ncode = 7\nstatus_group = \"geduldete\"\nbenefit = \"§ 3\"\nasylblg_nr = 4\n\
             [[pks]]\ncode = \"A1\"\nstatus_group = \"Asylbewerber\"\nbenefit = \"§§ 4-6\"\nasylblg_nr = \"1a\"\n",
        )
        .unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m.column_key(m.get("7").unwrap()), "p3_geduldete");
        assert_eq!(m.get("A1").unwrap().benefit, Benefit::P4to6);
        assert!(m.get("11").is_none());
    }

    #[test]
    fn bad_files_give_german_messages() {
        let err = |t: &str| PksMapping::from_toml(t).unwrap_err();
        assert!(err("").contains("keine Einträge"));
        let row = |g: &str, b: &str, n: &str| {
            format!(
                "[[pks]]\ncode = \"1\"\nstatus_group = \"{g}\"\nbenefit = \"{b}\"\nasylblg_nr = \"{n}\"\n"
            )
        };
        assert!(
            err(&row("Flüchtlinge", "§2", "1")).contains("status_group „Flüchtlinge“ unbekannt")
        );
        assert!(
            err(&row("Geduldete", "§7", "1"))
                .contains("benefit „§7“ ist keine Leistungsart der Monatsreihe")
        );
        assert!(err(&row("Geduldete", " ", "1")).contains("benefit ist leer"));
        assert!(err(&row("Geduldete", "§2", "9")).contains("asylblg_nr „9“ unbekannt"));
        let twice = format!(
            "{}{}",
            row("Geduldete", "§2", "4"),
            row("Geduldete", "§3", "4")
        );
        assert!(err(&twice).contains("doppelt"));
        assert!(err("[[pks]]\ncode = \"1\"").starts_with("PKS-Zuordnung"));
        let sums_alone = format!(
            "{}[[summe]]\nkey = \"s\"\nueberschrift = \"S\"\nspalten = [\"a\"]\n",
            row("Geduldete", "§2", "4")
        );
        assert!(err(&sums_alone).contains("ohne Spalten"));
    }

    /// A city layout: Geduldete and Asylbewerber without the split by benefit, § 1a of its
    /// own, one sum.
    const CITY_COLUMNS: &str = "[[spalte]]\nkey = \"geduldete\"\nueberschrift = \"Geduldete\"\n\
        [[spalte]]\nkey = \"asyl\"\nueberschrift = \"Asylbewerber\"\n\
        [[spalte]]\nkey = \"p1a\"\nueberschrift = \"§ 1a eingeschränkt\"\noptional = true\n\
        [[summe]]\nkey = \"ohne_1a\"\nueberschrift = \"ohne § 1a\"\nspalten = [\"geduldete\", \"Asylbewerber\"]\n";

    #[test]
    fn a_city_file_declares_its_own_columns() {
        let entry = |code: &str, group: &str, benefit: &str, spalte: Option<&str>| {
            let spalte = spalte.map_or(String::new(), |s| format!("spalte = \"{s}\"\n"));
            format!(
                "[[pks]]\ncode = \"{code}\"\nstatus_group = \"{group}\"\nbenefit = \"{benefit}\"\nasylblg_nr = \"4\"\n{spalte}"
            )
        };
        let text = format!(
            "{CITY_COLUMNS}{}{}{}",
            entry("21", "Geduldete", "§2", Some("geduldete")),
            entry("11", "Asylbewerber", "§3", Some("Asylbewerber")),
            entry("19", "Asylbewerber", "§1a", Some("p1a")),
        );
        let m = PksMapping::from_toml(&text).unwrap();
        assert_eq!(m.columns().keys(), ["geduldete", "asyl", "p1a"]);
        assert_eq!(m.columns().sums()[0].columns, [0, 1]);
        assert_eq!(m.column_key(m.get("11").unwrap()), "asyl");
        assert_eq!(m.column_key(m.get("19").unwrap()), "p1a");
        // An entry without spalte needs a seed column the city did not declare.
        let missing = format!("{CITY_COLUMNS}{}", entry("21", "Geduldete", "§2", None));
        let err = PksMapping::from_toml(&missing).unwrap_err();
        assert!(err.contains("keine Spalte „p2_geduldete“"), "{err}");
        assert!(err.contains("erlaubt: geduldete, asyl, p1a"), "{err}");
        // The template keeps the declaration, so it loads with the same columns.
        let again = PksMapping::from_toml(&template(&m, &["21".into(), "19".into()])).unwrap();
        assert_eq!(again.columns(), m.columns());
        assert_eq!(again.len(), 2);
    }
}
