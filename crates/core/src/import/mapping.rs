//! Column mappings as data: `source kind + header -> field`, saved by the app as a setting and
//! given to the CLI with `--mapping FILE`. Headers are matched normalised, so next month's file
//! with the same columns maps the same way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fields::{Field, FieldCatalog, SourceKind};
use super::grid::Row;
use crate::text::fold;

/// A user's mapping for one source: file header -> field. Headers not listed fall back to the
/// aliases of the field catalog; a header mapped to `null` is dropped even if an alias matches.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The source the mapping is for.
    pub source: Option<SourceKind>,
    /// Header as written in the file -> field (or `None` to drop the column).
    pub columns: BTreeMap<String, Option<Field>>,
}

/// A set of saved mappings, one per source: the JSON settings file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MappingSet {
    /// Mappings in the order they were saved.
    pub mappings: Vec<ColumnMapping>,
}

impl MappingSet {
    /// Reads a mapping set (or a single mapping) from JSON.
    pub fn from_json(text: &str) -> Result<Self, String> {
        if let Ok(set) = serde_json::from_str::<MappingSet>(text) {
            return Ok(set);
        }
        serde_json::from_str::<ColumnMapping>(text)
            .map(|m| MappingSet { mappings: vec![m] })
            .map_err(|e| format!("Zuordnungsdatei nicht lesbar: {e}"))
    }

    /// JSON for saving.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The mapping for `source`, if any.
    pub fn for_source(&self, source: SourceKind) -> Option<&ColumnMapping> {
        self.mappings.iter().find(|m| m.source == Some(source))
    }
}

/// How headers are turned into fields for one file: catalog aliases plus user mappings.
pub struct HeaderResolver<'a> {
    aliases: &'a BTreeMap<(SourceKind, String), Field>,
    catalog: &'a FieldCatalog,
    user: BTreeMap<(SourceKind, String), Option<Field>>,
}

impl<'a> HeaderResolver<'a> {
    /// A resolver over the catalog's aliases and the user's mappings.
    pub fn new(
        catalog: &'a FieldCatalog,
        aliases: &'a BTreeMap<(SourceKind, String), Field>,
        mappings: &MappingSet,
    ) -> Self {
        let mut user = BTreeMap::new();
        for mapping in &mappings.mappings {
            let sources: Vec<SourceKind> = match mapping.source {
                Some(s) => vec![s],
                None => SourceKind::ALL.to_vec(),
            };
            for (header, field) in &mapping.columns {
                for source in &sources {
                    user.insert((*source, fold(header)), *field);
                }
            }
        }
        HeaderResolver {
            aliases,
            catalog,
            user,
        }
    }

    /// The field a header means for a source.
    pub fn field(&self, source: SourceKind, header: &str) -> Option<Field> {
        let key = (source, fold(header));
        match self.user.get(&key) {
            Some(field) => *field,
            None => self.aliases.get(&key).copied(),
        }
    }

    /// Fields per column of a header row for a source; a field named twice keeps its first
    /// column.
    pub fn map_row(&self, source: SourceKind, header: &Row) -> Vec<Option<Field>> {
        let mut seen = Vec::new();
        header
            .cells
            .iter()
            .map(|cell| {
                let field = self.field(source, &cell.as_text())?;
                if seen.contains(&field) {
                    None
                } else {
                    seen.push(field);
                    Some(field)
                }
            })
            .collect()
    }

    /// Scores a candidate header row for a source: (required found, required total, fields
    /// found).
    pub fn score(&self, source: SourceKind, header: &Row) -> (usize, usize, usize) {
        let fields: Vec<Field> = self.map_row(source, header).into_iter().flatten().collect();
        let required: Vec<Field> = self
            .catalog
            .of(source)
            .filter(|s| s.required)
            .map(|s| s.field)
            .collect();
        let found = required.iter().filter(|f| fields.contains(f)).count();
        (found, required.len(), fields.len())
    }

    /// Required fields of a source missing from a mapped header.
    pub fn missing(&self, source: SourceKind, mapped: &[Option<Field>]) -> Vec<Field> {
        let required = self
            .catalog
            .of(source)
            .filter(|s| s.required)
            .map(|s| s.field);
        missing_fields(source, required, mapped)
    }
}

/// The fields a file of `source` needs that `mapped` (the field of each column) lacks: the
/// `required` fields of the catalog in their order, and for a Gliederung the street (Straße,
/// or Straßenschlüssel in its place). The import refuses a file with any of them missing; the
/// mapping editor lists them.
pub fn missing_fields(
    source: SourceKind,
    required: impl IntoIterator<Item = Field>,
    mapped: &[Option<Field>],
) -> Vec<Field> {
    let mut missing: Vec<Field> = required
        .into_iter()
        .filter(|field| !mapped.contains(&Some(*field)))
        .collect();
    if source == SourceKind::Gliederung {
        let has_street =
            mapped.contains(&Some(Field::Street)) || mapped.contains(&Some(Field::StreetKey));
        if !has_street && !missing.contains(&Field::Street) {
            missing.push(Field::Street);
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::grid::Cell;

    #[test]
    fn a_mapping_round_trips_through_json() {
        let mut mapping = ColumnMapping {
            source: Some(SourceKind::Akdn),
            columns: BTreeMap::new(),
        };
        mapping
            .columns
            .insert("Schlüssel Personenkreis".into(), Some(Field::Pks));
        mapping.columns.insert("IBAN".into(), None);
        let set = MappingSet {
            mappings: vec![mapping],
        };
        let json = set.to_json();
        assert!(json.contains("\"pks\""), "{json}");
        assert_eq!(MappingSet::from_json(&json).unwrap(), set);
    }

    #[test]
    fn user_mappings_win_over_aliases_and_match_normalised() {
        let catalog = FieldCatalog::default_catalog();
        let aliases = catalog.alias_index();
        let set = MappingSet::from_json(
            r#"{"source":"akdn","columns":{"Schlüssel Personenkreis":"pks","Name":null}}"#,
        )
        .unwrap();
        let resolver = HeaderResolver::new(&catalog, &aliases, &set);
        assert_eq!(
            resolver.field(SourceKind::Akdn, "SCHLUESSEL PERSONENKREIS"),
            Some(Field::Pks)
        );
        assert_eq!(resolver.field(SourceKind::Akdn, "Name"), None);
        assert_eq!(
            resolver.field(SourceKind::Akdn, "Vorname"),
            Some(Field::GivenNames)
        );
        let header = Row {
            number: 1,
            cells: vec![
                Cell::Text("Vorname".into()),
                Cell::Text("Vorname(n)".into()),
            ],
            problem: None,
        };
        assert_eq!(
            resolver.map_row(SourceKind::Akdn, &header),
            vec![Some(Field::GivenNames), None]
        );
    }
}
