//! Tabulation: the table model and the counting of items into it.
//!
//! A table is data, not code: a [`TableDef`] (serde, e.g. TOML) places [`DimensionDef`]s on
//! rows and columns and says which margins to show. A dimension is generic: ordered
//! categories with German labels in one or more hierarchy levels (e.g. Stadtbezirk >
//! Stadtteil > Baublock, Kategorie > Unterkategorie), plus optional named sums (e.g. the
//! AsylbLG series' "Geduldete gesamt" = § 2 Geduldete + § 3 Geduldete + Sonstige). The caller
//! counts items by giving, per item, one category key per axis; the builder knows nothing of
//! records. Margins (subtotals, sums, totals) are computed from the inner cells, so every
//! published sum equals the sum of its parts — the [`Relation`]s the cell suppression audit
//! uses as linear constraints.
//!
//! A month without data is a gap ([`TableBuilder::mark_gap`]), shown as "x", never as 0.
//! Derived ratio columns (shares, rates) name their numerator and denominator cells, so the
//! protection step can suppress a ratio whenever one of them is suppressed.
//!
//! A [`Table`] holds raw counts and has no export path: only a
//! [`crate::protect::ProtectedTable`] can be exported.
//!
//! ```
//! use lagebild_core::tabulate::{AxisDef, CategoryDef, DimensionDef, LevelDef, Table, TableDef};
//!
//! let raum = DimensionDef {
//!     key: "raum".into(),
//!     label: "Raum".into(),
//!     levels: vec![
//!         LevelDef {
//!             key: "bezirk".into(),
//!             label: "Stadtbezirk".into(),
//!             categories: vec![CategoryDef::new("1", "Gelsenkirchen-Mitte")],
//!         },
//!         LevelDef {
//!             key: "stadtteil".into(),
//!             label: "Stadtteil".into(),
//!             categories: vec![
//!                 CategoryDef::child("11", "Altstadt", "1"),
//!                 CategoryDef::child("12", "Bismarck", "1"),
//!             ],
//!         },
//!     ],
//!     sums: vec![],
//! };
//! let kategorie = DimensionDef::flat("kategorie", "Kategorie", &[
//!     ("Gestattung", "Aufenthaltsgestattung"),
//!     ("Duldung", "Duldung"),
//! ]);
//! let def = TableDef {
//!     key: "kategorie_stadtteil".into(),
//!     title: "Geflüchtete nach Kategorie und Stadtteil".into(),
//!     sheet: None,
//!     value: Default::default(),
//!     counts: Default::default(),
//!     page: Default::default(),
//!     rows: vec![AxisDef::new("raum").with_total("Gelsenkirchen")],
//!     columns: vec![AxisDef::new("kategorie").with_total("Insgesamt")],
//!     derived: vec![],
//!     notes: vec![],
//! };
//! let mut builder = Table::builder(&def, &[raum, kategorie]).unwrap();
//! // One call per person: the keys of the row axes, then of the column axes.
//! for (stadtteil, kategorie) in [("11", "Duldung"), ("12", "Duldung"), ("11", "Gestattung")] {
//!     builder.add(&[stadtteil, kategorie]).unwrap();
//! }
//! let table = builder.finish();
//! // Rows: Gelsenkirchen-Mitte, Altstadt, Bismarck, Gelsenkirchen; columns: two + Insgesamt.
//! assert_eq!((table.n_rows(), table.n_cols()), (4, 3));
//! assert_eq!(table.cell(3, 2), Some(3));
//! ```
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod axis;
mod def;
mod error;
mod provenance;
pub mod recode;
mod table;

pub use axis::{Axis, Position, Role};
pub use def::{
    AxisDef, CategoryDef, Counts, DerivedDef, DimensionDef, LevelDef, Page, RatioUnit, SumDef,
    TOTAL_KEY, TableDef, ValueKind,
};
pub use error::TabulateError;
pub use provenance::{Period, Provenance};
pub use table::{AxisRelation, DerivedColumn, MAX_CELLS, Relation, Table, TableBuilder, index_of};

#[cfg(test)]
mod tests;
