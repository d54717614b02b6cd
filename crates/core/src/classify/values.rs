//! The office's value mapping: Erteilungsgrund values the parser cannot read, or reads
//! without a rule (internal code lists of the ALW software, abbreviations), each mapped to a
//! legal citation that the rules then decide. Values and citations only, never persons; saved
//! with the settings in the app and read from a TOML file by the command line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::legal_basis::LegalBasis;
use crate::text::fold;

/// One mapped value: the raw text as the export writes it and the citation it stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueMapping {
    /// The Erteilungsgrund as the export writes it (compared without case, umlauts, spaces
    /// and punctuation).
    pub value: String,
    /// The legal citation it stands for, e.g. `§ 25 Abs. 2 AufenthG`.
    pub citation: String,
}

/// The mapped values, ready for lookup.
#[derive(Clone, Debug, Default)]
pub struct ValueMappings {
    by_value: BTreeMap<String, LegalBasis>,
    list: Vec<ValueMapping>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValuesFile {
    #[serde(default)]
    wert: Vec<ValueRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueRow {
    text: String,
    fundstelle: String,
}

impl ValueMappings {
    /// The mappings of `list`; a German error naming the first entry whose value is empty,
    /// whose citation cannot be read or whose value is mapped twice.
    pub fn new(list: &[ValueMapping]) -> Result<ValueMappings, String> {
        let mut by_value = BTreeMap::new();
        for (i, m) in list.iter().enumerate() {
            let context = format!("Zuordnung {} („{}“)", i + 1, m.value.trim());
            let key = fold(&m.value);
            if key.is_empty() {
                return Err(format!("{context}: der Wert ist leer"));
            }
            let basis = LegalBasis::parse(&m.citation).ok_or_else(|| {
                format!(
                    "{context}: die Fundstelle „{}“ ist nicht lesbar (z. B. „§ 25 Abs. 2 \
                     AufenthG“, „§ 60a AufenthG“, „§ 55 AsylG“)",
                    m.citation.trim()
                )
            })?;
            if by_value.insert(key, basis).is_some() {
                return Err(format!("{context}: der Wert ist schon zugeordnet"));
            }
        }
        Ok(ValueMappings {
            by_value,
            list: list.to_vec(),
        })
    }

    /// Reads a file of `[[wert]]` entries with `text` and `fundstelle`.
    pub fn from_toml(text: &str) -> Result<ValueMappings, String> {
        let file: ValuesFile = toml::from_str(text)
            .map_err(|e| crate::text::toml_error("Wertezuordnung", text, &e))?;
        let list: Vec<ValueMapping> = file
            .wert
            .into_iter()
            .map(|r| ValueMapping {
                value: r.text,
                citation: r.fundstelle,
            })
            .collect();
        ValueMappings::new(&list)
    }

    /// The citation a raw value is mapped to.
    pub fn get(&self, raw: &str) -> Option<&LegalBasis> {
        if self.by_value.is_empty() {
            return None;
        }
        self.by_value.get(&fold(raw))
    }

    /// The mappings as given.
    pub fn list(&self) -> &[ValueMapping] {
        &self.list
    }

    /// True without any mapping.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(value: &str, citation: &str) -> ValueMapping {
        ValueMapping {
            value: value.into(),
            citation: citation.into(),
        }
    }

    #[test]
    fn values_are_found_in_any_spelling_and_bad_entries_are_named() {
        let m = ValueMappings::new(&[mapping("AE-HUM 25/2", "§ 25 Abs. 2 AufenthG")]).unwrap();
        assert_eq!(
            m.get("ae hum 25/2").map(ToString::to_string).as_deref(),
            Some("§ 25 Abs. 2 AufenthG")
        );
        assert!(m.get("AE-HUM 25/3").is_none());
        let err = ValueMappings::new(&[mapping("x", "irgendwas")]).unwrap_err();
        assert!(
            err.contains("Fundstelle „irgendwas“ ist nicht lesbar"),
            "{err}"
        );
        let err =
            ValueMappings::new(&[mapping("x", "§ 24 AufenthG"), mapping("X", "§ 23 AufenthG")])
                .unwrap_err();
        assert!(
            err.contains("Zuordnung 2 („X“): der Wert ist schon zugeordnet"),
            "{err}"
        );
        let from_file = ValueMappings::from_toml(
            "[[wert]]\ntext = \"Dul.\"\nfundstelle = \"§ 60a AufenthG\"\n",
        )
        .unwrap();
        assert_eq!(from_file.list().len(), 1);
        assert!(
            ValueMappings::from_toml("[[wert]]\ntxt = \"a\"\n")
                .unwrap_err()
                .starts_with("Wertezuordnung, Zeile")
        );
    }
}
