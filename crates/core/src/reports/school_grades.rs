//! The rows of the pupils' table by Schulform and Jahrgang, as a code list
//! (`data/jahrgaenge.csv`): which Schulformen the table shows, and per Schulform its
//! Jahrgänge with their labels. A pupil's SchILD texts only choose among these rows; a text
//! the list does not know is counted under "sonstige Schulformen" or "sonstiger oder
//! unbekannter Jahrgang" and never becomes a label.

use crate::tabulate::{CategoryDef, DimensionDef, LevelDef};

use crate::schulform::{SCHULFORMEN, UNKNOWN, schulform_key};

/// The Jahrgänge shipped with Lagebild.
pub const DEFAULT_GRADES_CSV: &str = include_str!("../../data/jahrgaenge.csv");
/// Key of the Schulformen the list does not name.
pub const OTHER_FORMS: &str = "sonstige";
/// Key (after `Schulform|`) of a Jahrgang the list does not name for its Schulform.
pub const OTHER_GRADE: &str = "sonstige";
/// Key (after `Schulform|`) of the only Jahrgang row of a Schulform without Jahrgänge.
pub const ALL_GRADES: &str = "alle";

/// One Jahrgang of a Schulform.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Grade {
    /// Canonical code (the first spelling, normalised).
    code: String,
    /// Every spelling, normalised.
    spellings: Vec<String>,
    /// Row label.
    label: String,
}

/// The Schulformen and Jahrgänge of the pupils' table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolGrades {
    /// Schulform code and its Jahrgänge, in table order.
    forms: Vec<(String, Vec<Grade>)>,
}

impl Default for SchoolGrades {
    /// The shipped list.
    fn default() -> Self {
        SchoolGrades::from_csv(DEFAULT_GRADES_CSV).unwrap_or(SchoolGrades { forms: Vec::new() })
    }
}

/// A Jahrgang as compared: upper case without spaces, without a prefix "Jahrgang", "Jg." or
/// "Klasse", numbers without leading zeros and then written with two digits.
pub fn grade_code(text: &str) -> String {
    let mut folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    for prefix in ["JAHRGANG", "JG.", "JG", "KLASSE"] {
        if let Some(rest) = folded.strip_prefix(prefix) {
            folded = rest.to_string();
            break;
        }
    }
    if !folded.is_empty() && folded.chars().all(|c| c.is_ascii_digit()) {
        let digits = folded.trim_start_matches('0');
        return format!("{:0>2}", if digits.is_empty() { "0" } else { digits });
    }
    folded
}

impl SchoolGrades {
    /// Parses a list (`schulform;jahrgang;bezeichnung`, lines starting with `#` are comments).
    /// Errors are German messages with the line.
    pub fn from_csv(text: &str) -> Result<SchoolGrades, String> {
        let mut forms: Vec<(String, Vec<Grade>)> = Vec::new();
        let mut header_seen = false;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            let at = |what: &str| format!("Jahrgangsliste, Zeile {}: {what}", i + 1);
            let cols: Vec<&str> = line.split(';').map(str::trim).collect();
            let [form, spellings, label] = cols.as_slice() else {
                return Err(at(
                    "erwartet werden drei Spalten „schulform;jahrgang;bezeichnung“",
                ));
            };
            let form = schulform_key(form);
            if form == UNKNOWN || !SCHULFORMEN.iter().any(|(code, _)| *code == form) {
                return Err(at(
                    "unbekannte Schulform (erlaubt sind die Kürzel der Schulstatistik NRW, z. B. G, GY, BK)",
                ));
            }
            let spellings: Vec<String> = spellings
                .split(',')
                .map(grade_code)
                .filter(|s| !s.is_empty())
                .collect();
            let Some(code) = spellings.first().cloned() else {
                return Err(at("der Jahrgang fehlt"));
            };
            if label.is_empty() {
                return Err(at("die Bezeichnung fehlt"));
            }
            let index = match forms.iter().position(|(f, _)| *f == form) {
                Some(index) => index,
                None => {
                    forms.push((form.clone(), Vec::new()));
                    forms.len() - 1
                }
            };
            let grades = &mut forms[index].1;
            if grades
                .iter()
                .any(|g| g.spellings.iter().any(|s| spellings.contains(s)))
            {
                return Err(at(
                    "der Jahrgang steht für diese Schulform schon in der Liste",
                ));
            }
            grades.push(Grade {
                code,
                spellings,
                label: (*label).to_string(),
            });
        }
        Ok(SchoolGrades { forms })
    }

    /// The `schulform` dimension key (`Schulform|Jahrgang`) of a pupil's Schulform and
    /// Jahrgang texts: always one of the rows of [`Self::dimension`].
    pub fn key(&self, school_form: &str, grade: &str) -> String {
        let form = schulform_key(school_form);
        let Some((form, grades)) = self.forms.iter().find(|(f, _)| *f == form) else {
            let form = if form == UNKNOWN {
                UNKNOWN
            } else {
                OTHER_FORMS
            };
            return format!("{form}|{ALL_GRADES}");
        };
        let code = grade_code(grade);
        let grade = grades
            .iter()
            .find(|g| g.spellings.contains(&code))
            .map_or(OTHER_GRADE, |g| g.code.as_str());
        format!("{form}|{grade}")
    }

    /// The `schulform` dimension: Schulform > Jahrgang, every row from the list.
    pub fn dimension(&self) -> DimensionDef {
        let label_of = |code: &str| {
            SCHULFORMEN
                .iter()
                .find(|(c, _)| *c == code)
                .map_or(code, |(_, label)| label)
                .to_string()
        };
        let mut forms: Vec<CategoryDef> = Vec::new();
        let mut grades: Vec<CategoryDef> = Vec::new();
        for (form, list) in &self.forms {
            forms.push(CategoryDef::new(form.clone(), label_of(form)));
            for g in list {
                grades.push(CategoryDef::child(
                    format!("{form}|{}", g.code),
                    g.label.clone(),
                    form.clone(),
                ));
            }
            grades.push(CategoryDef::child(
                format!("{form}|{OTHER_GRADE}"),
                "sonstiger oder unbekannter Jahrgang",
                form.clone(),
            ));
        }
        for (form, label) in [
            (OTHER_FORMS, "sonstige Schulformen"),
            (UNKNOWN, "Schulform unbekannt"),
        ] {
            forms.push(CategoryDef::new(form, label));
            grades.push(CategoryDef::child(
                format!("{form}|{ALL_GRADES}"),
                "alle Jahrgänge",
                form,
            ));
        }
        DimensionDef {
            key: "schulform".into(),
            label: "Schulform".into(),
            levels: vec![
                LevelDef {
                    key: "schulform".into(),
                    label: "Schulform".into(),
                    categories: forms,
                },
                LevelDef {
                    key: "jahrgang".into(),
                    label: "Schulform / Jahrgang".into(),
                    categories: grades,
                },
            ],
            sums: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_codes_ignore_spelling() {
        for text in ["5", "05", " 05 ", "Jahrgang 5", "Jg. 05", "Klasse 5"] {
            assert_eq!(grade_code(text), "05", "{text}");
        }
        assert_eq!(grade_code("ef"), "EF");
        assert_eq!(grade_code("q 1"), "Q1");
        assert_eq!(grade_code("0"), "00");
    }

    #[test]
    fn keys_are_rows_of_the_list_whatever_the_text() {
        let grades = SchoolGrades::default();
        assert_eq!(grades.key("GY", "Q1"), "GY|Q1");
        assert_eq!(grades.key("Gymnasium", "12"), "GY|Q1");
        assert_eq!(grades.key("G", "E2"), "G|02");
        assert_eq!(grades.key("BK", "03"), "BK|03");
        // A Jahrgang the Schulform does not have, and free text, never become a row.
        assert_eq!(grades.key("G", "07"), "G|sonstige");
        assert_eq!(grades.key("GY", "Mustermann Max 01.02.2010"), "GY|sonstige");
        assert_eq!(grades.key("Mustermann Max", "05"), "sonstige|alle");
        assert_eq!(grades.key("WB", "01"), "sonstige|alle");
        assert_eq!(grades.key("", "05"), "ohne|alle");
        let dim = grades.dimension();
        let keys: Vec<&str> = dim.levels[1]
            .categories
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        for key in ["GY|Q1", "G|02", "G|sonstige", "sonstige|alle", "ohne|alle"] {
            assert!(keys.contains(&key), "{key}");
        }
    }

    #[test]
    fn broken_lists_are_refused_with_the_line() {
        let err = |text: &str| SchoolGrades::from_csv(text).unwrap_err();
        assert!(err("schulform;jahrgang;bezeichnung\nXY;05;Jahrgang 5").contains("Zeile 2"));
        assert!(err("schulform;jahrgang;bezeichnung\nG;05").contains("drei Spalten"));
        assert!(err("schulform;jahrgang;bezeichnung\nG;01;J1\nG;1;J1 doppelt").contains("schon"));
        assert!(SchoolGrades::from_csv(DEFAULT_GRADES_CSV).is_ok());
    }
}
