//! The columns of the monthly series "Entwicklung der Flüchtlingszahlen": which count columns
//! the table has and which sums it shows beside them. The city declares them in its PKS file
//! (`[[spalte]]`, `[[summe]]`, see `data/pks_example.toml`); without a declaration the seed's
//! layout holds: § 2 Geduldete, § 2 Asylbewerber, § 3 Asylbewerber, § 3 Geduldete, sonstige,
//! Geduldete gesamt (einschl. sonstige), Asylbewerber gesamt. "Insgesamt" is always the sum of
//! every count column and is not declared.
//!
//! The series, the office's Datentabelle, the Fortschreibung and the released tables all read
//! their columns from here, so a declared column reaches every output.

use serde::Serialize;

/// The most count columns a series may declare.
pub const MAX_COLUMNS: usize = 16;

/// The counts of one month, in the order of the declared columns (unused slots are 0).
pub type Cells = [u64; MAX_COLUMNS];

/// A count column of the series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesColumn {
    /// Key in the `spalte` dimension of the reports (`p3_geduldete`).
    pub key: String,
    /// The heading of the released table and of the office's Datentabelle.
    pub heading: String,
    /// A Datentabelle may lack this column (its months then count 0 there).
    pub optional: bool,
}

/// A sum column shown beside the counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesSum {
    /// Key in the `spalte` dimension.
    pub key: String,
    /// The heading.
    pub heading: String,
    /// The count columns it adds up (indexes into [`SeriesColumns::columns`]).
    pub columns: Vec<usize>,
}

/// The declared columns and sums of the monthly series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesColumns {
    columns: Vec<SeriesColumn>,
    sums: Vec<SeriesSum>,
}

impl Default for SeriesColumns {
    /// The seed's layout.
    fn default() -> Self {
        SeriesColumns::seed()
    }
}

/// Key, heading and optionality of the seed's count columns.
const SEED_COLUMNS: [(&str, &str, bool); 5] = [
    ("p2_geduldete", "§ 2 Geduldete", false),
    ("p2_asylbewerber", "§ 2 Asylbewerber", false),
    ("p3_asylbewerber", "§ 3 Asylbewerber", false),
    ("p3_geduldete", "§ 3 Geduldete", false),
    ("sonstige", "sonstige", true),
];

/// Key of the seed's sum of Geduldete (including sonstige).
pub const GEDULDETE_GESAMT: &str = "geduldete_gesamt";
/// Key of the seed's sum of Asylbewerber.
pub const ASYLBEWERBER_GESAMT: &str = "asylbewerber_gesamt";

/// Compares headings and keys: case, spaces and underscores ignored.
pub(crate) fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// One `[[spalte]]` as written in a file.
#[derive(Clone, Debug)]
pub struct DeclaredColumn {
    /// `key`.
    pub key: String,
    /// `ueberschrift`.
    pub heading: String,
    /// `optional`.
    pub optional: bool,
}

/// One `[[summe]]` as written in a file.
#[derive(Clone, Debug)]
pub struct DeclaredSum {
    /// `key`.
    pub key: String,
    /// `ueberschrift`.
    pub heading: String,
    /// `spalten`: keys or headings of count columns.
    pub columns: Vec<String>,
}

impl SeriesColumns {
    /// The seed's layout.
    pub fn seed() -> SeriesColumns {
        let column = |(key, heading, optional): (&str, &str, bool)| DeclaredColumn {
            key: key.into(),
            heading: heading.into(),
            optional,
        };
        let sum = |key: &str, heading: &str, columns: &[&str]| DeclaredSum {
            key: key.into(),
            heading: heading.into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        };
        SeriesColumns::declared(
            SEED_COLUMNS.map(column).to_vec(),
            vec![
                sum(
                    GEDULDETE_GESAMT,
                    "Geduldete gesamt (einschl. sonstige)",
                    &["p2_geduldete", "p3_geduldete", "sonstige"],
                ),
                sum(
                    ASYLBEWERBER_GESAMT,
                    "Asylbewerber gesamt",
                    &["p2_asylbewerber", "p3_asylbewerber"],
                ),
            ],
        )
        .unwrap_or(SeriesColumns {
            columns: Vec::new(),
            sums: Vec::new(),
        })
    }

    /// True for the seed's layout.
    pub fn is_seed(&self) -> bool {
        *self == SeriesColumns::seed()
    }

    /// Checks a declaration; errors are German and name the entry.
    pub fn declared(
        columns: Vec<DeclaredColumn>,
        sums: Vec<DeclaredSum>,
    ) -> Result<SeriesColumns, String> {
        if columns.is_empty() {
            return Err("keine Spalte [[spalte]] erklärt".into());
        }
        if columns.len() > MAX_COLUMNS {
            return Err(format!(
                "{} Spalten [[spalte]] erklärt, höchstens {MAX_COLUMNS} sind möglich",
                columns.len()
            ));
        }
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut check = |what: &str, i: usize, key: &str, heading: &str| {
            let context = format!("{what}, Eintrag {} (key = \"{key}\")", i + 1);
            let valid = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(format!(
                    "{context}: key muss aus Kleinbuchstaben a–z, Ziffern und _ bestehen"
                ));
            }
            if key == "insgesamt" || compact(heading) == "insgesamt" {
                return Err(format!(
                    "{context}: „Insgesamt“ bildet Lagebild selbst (Summe aller Spalten)"
                ));
            }
            if heading.trim().is_empty() {
                return Err(format!("{context}: ueberschrift ist leer"));
            }
            if seen.iter().any(|(k, h)| k == key || *h == compact(heading)) {
                return Err(format!(
                    "{context}: key oder ueberschrift kommt doppelt vor"
                ));
            }
            seen.push((key.to_owned(), compact(heading)));
            Ok(())
        };
        for (i, c) in columns.iter().enumerate() {
            check("Spalte [[spalte]]", i, c.key.trim(), &c.heading)?;
        }
        for (i, s) in sums.iter().enumerate() {
            check("Summe [[summe]]", i, s.key.trim(), &s.heading)?;
        }
        let columns: Vec<SeriesColumn> = columns
            .into_iter()
            .map(|c| SeriesColumn {
                key: c.key.trim().to_owned(),
                heading: c.heading.trim().to_owned(),
                optional: c.optional,
            })
            .collect();
        let mut checked = SeriesColumns {
            columns,
            sums: Vec::new(),
        };
        for (i, s) in sums.into_iter().enumerate() {
            let context = format!("Summe [[summe]], Eintrag {} (key = \"{}\")", i + 1, s.key);
            if s.columns.is_empty() {
                return Err(format!("{context}: spalten ist leer"));
            }
            let mut parts = Vec::new();
            for name in &s.columns {
                let index = checked.parse(name).ok_or_else(|| {
                    format!(
                        "{context}: Spalte „{name}“ unbekannt (erklärt: {})",
                        checked.keys().join(", ")
                    )
                })?;
                if parts.contains(&index) {
                    return Err(format!("{context}: Spalte „{name}“ doppelt"));
                }
                parts.push(index);
            }
            parts.sort_unstable();
            checked.sums.push(SeriesSum {
                key: s.key.trim().to_owned(),
                heading: s.heading.trim().to_owned(),
                columns: parts,
            });
        }
        Ok(checked)
    }

    /// The count columns in the order of the table.
    pub fn columns(&self) -> &[SeriesColumn] {
        &self.columns
    }

    /// The sum columns in the order of the table.
    pub fn sums(&self) -> &[SeriesSum] {
        &self.sums
    }

    /// The keys of the count columns.
    pub fn keys(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.key.as_str()).collect()
    }

    /// The column of `key`.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// The column a text names: its key (`p3_geduldete`) or its heading (`§ 3 Geduldete`),
    /// case, spaces and underscores ignored.
    pub fn parse(&self, text: &str) -> Option<usize> {
        let wanted = compact(text);
        self.columns
            .iter()
            .position(|c| compact(&c.key) == wanted || compact(&c.heading) == wanted)
    }

    /// The key of column `index` (empty for an index out of range).
    pub fn key(&self, index: usize) -> &str {
        self.columns.get(index).map_or("", |c| c.key.as_str())
    }

    /// The heading of column `index`.
    pub fn heading(&self, index: usize) -> &str {
        self.columns.get(index).map_or("", |c| c.heading.as_str())
    }

    /// The value of `sum` in a month's `cells`.
    pub fn sum_of(sum: &SeriesSum, cells: &Cells) -> u64 {
        sum.columns.iter().map(|&i| cells[i]).sum()
    }

    /// Insgesamt: every count column of a month.
    pub fn total(cells: &Cells) -> u64 {
        cells.iter().sum()
    }

    /// The sum with key `key`, if declared.
    pub fn sum(&self, key: &str) -> Option<&SeriesSum> {
        self.sums.iter().find(|s| s.key == key)
    }

    /// The declaration as the PKS file writes it (for the template of the city's file).
    pub fn to_toml(&self) -> String {
        let quote = |t: &str| t.replace(['"', '\\'], "");
        let mut out = String::new();
        for c in &self.columns {
            out.push_str(&format!(
                "[[spalte]]\nkey = \"{}\"\nueberschrift = \"{}\"\n",
                c.key,
                quote(&c.heading)
            ));
            if c.optional {
                out.push_str("optional = true\n");
            }
            out.push('\n');
        }
        for s in &self.sums {
            let parts: Vec<String> = s
                .columns
                .iter()
                .map(|&i| format!("\"{}\"", self.key(i)))
                .collect();
            out.push_str(&format!(
                "[[summe]]\nkey = \"{}\"\nueberschrift = \"{}\"\nspalten = [{}]\n\n",
                s.key,
                quote(&s.heading),
                parts.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(key: &str, heading: &str) -> DeclaredColumn {
        DeclaredColumn {
            key: key.into(),
            heading: heading.into(),
            optional: false,
        }
    }

    #[test]
    fn the_seed_layout_has_five_columns_and_two_sums() {
        let seed = SeriesColumns::seed();
        assert_eq!(
            seed.keys(),
            [
                "p2_geduldete",
                "p2_asylbewerber",
                "p3_asylbewerber",
                "p3_geduldete",
                "sonstige"
            ]
        );
        assert_eq!(seed.sums().len(), 2);
        assert!(seed.is_seed());
        assert_eq!(seed.parse("§ 3 Geduldete"), Some(3));
        assert_eq!(seed.parse("P3_GEDULDETE"), Some(3));
        let mut cells = [0; MAX_COLUMNS];
        cells[..5].copy_from_slice(&[689, 494, 275, 475, 4]);
        let gesamt = |key| SeriesColumns::sum_of(seed.sum(key).unwrap(), &cells);
        assert_eq!(
            (gesamt(GEDULDETE_GESAMT), gesamt(ASYLBEWERBER_GESAMT)),
            (1168, 769)
        );
        assert_eq!(SeriesColumns::total(&cells), 1937);
    }

    #[test]
    fn declarations_are_checked() {
        let bad = |columns: Vec<DeclaredColumn>, sums: Vec<DeclaredSum>| {
            SeriesColumns::declared(columns, sums).unwrap_err()
        };
        assert!(bad(vec![], vec![]).contains("keine Spalte"));
        assert!(bad(vec![column("A b", "x")], vec![]).contains("Kleinbuchstaben"));
        assert!(bad(vec![column("a", "x"), column("b", "X")], vec![]).contains("doppelt"));
        assert!(bad(vec![column("a", "Insgesamt")], vec![]).contains("Insgesamt"));
        let sum = DeclaredSum {
            key: "s".into(),
            heading: "S".into(),
            columns: vec!["a".into(), "c".into()],
        };
        assert!(bad(vec![column("a", "A")], vec![sum]).contains("„c“ unbekannt"));
        let many = (0..=MAX_COLUMNS)
            .map(|i| column(&format!("c{i}"), &format!("C {i}")))
            .collect();
        assert!(bad(many, vec![]).contains("höchstens"));
    }
}
