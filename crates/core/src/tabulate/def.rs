//! Declarative table definitions: dimensions with hierarchies and named sums, and tables that
//! place dimensions on rows and columns. Everything here is plain data (serde), so a new table
//! is a TOML or JSON text, not code.
//!
//! ```toml
//! key = "fluechtlinge_stadtteil"
//! title = "Geflüchtete nach Kategorie und Stadtteil"
//! value = "persons"
//!
//! [[rows]]
//! dimension = "raum"
//! level = "stadtteil"      # finest level shown; finer keys are rolled up
//! subtotals = true         # Stadtbezirk rows as subtotals
//! total = "Gelsenkirchen insgesamt"
//!
//! [[columns]]
//! dimension = "kategorie"
//! total = "Insgesamt"
//!
//! [[derived]]
//! label = "Anteil an der Stadt in %"
//! numerator = ["_total"]
//! denominator = ["_total"]
//! denominator_row = ["_total"]
//! ```

use serde::{Deserialize, Serialize};

use crate::records::YearMonth;

/// The key by which derived columns refer to the total position of an axis.
pub const TOTAL_KEY: &str = "_total";

/// What a table's cells count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Persons.
    #[default]
    Persons,
    /// Cases (Fälle, e.g. AsylbLG households).
    Cases,
}

impl ValueKind {
    /// German label, e.g. for the single value column of a table without column dimensions.
    pub fn label(self) -> &'static str {
        match self {
            ValueKind::Persons => "Personen",
            ValueKind::Cases => "Fälle",
        }
    }
}

/// One category of a dimension level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    /// Key the caller passes when counting (unique within the dimension).
    pub key: String,
    /// German label shown in the table.
    pub label: String,
    /// Key of the parent category in the next coarser level; required below the first level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Key of the categories this one is akin to (the legal bases of one form of
    /// protection): where a table has to be coarsened, siblings of one affinity are merged
    /// with each other before with others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<String>,
}

impl CategoryDef {
    /// A category without parent.
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> CategoryDef {
        CategoryDef {
            key: key.into(),
            label: label.into(),
            parent: None,
            affinity: None,
        }
    }

    /// A category below `parent` (a key of the next coarser level).
    pub fn child(
        key: impl Into<String>,
        label: impl Into<String>,
        parent: impl Into<String>,
    ) -> CategoryDef {
        CategoryDef {
            key: key.into(),
            label: label.into(),
            parent: Some(parent.into()),
            affinity: None,
        }
    }

    /// The category akin to the others of `affinity` (see [`CategoryDef::affinity`]).
    pub fn with_affinity(mut self, affinity: impl Into<String>) -> CategoryDef {
        self.affinity = Some(affinity.into());
        self
    }
}

/// One level of a hierarchical dimension, e.g. "Stadtbezirk" or "Stadtteil".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    /// Key of the level, used by [`AxisDef::level`].
    pub key: String,
    /// German label, e.g. "Stadtteil".
    pub label: String,
    /// Ordered categories (display order).
    pub categories: Vec<CategoryDef>,
}

/// A named sum of categories of the finest level (or of earlier sums) within a dimension, e.g.
/// "Geduldete gesamt" = "§ 2 Geduldete" + "§ 3 Geduldete" + "Sonstige". Published as a column
/// (or row) of its own and used as an additive relation by the cell suppression audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SumDef {
    /// Key (unique within the dimension).
    pub key: String,
    /// German label.
    pub label: String,
    /// Keys of the summands: categories of the finest level or sums declared before this one.
    pub of: Vec<String>,
}

/// A dimension: ordered categories in one or more hierarchy levels (coarse to fine), plus
/// optional named sums. Generic: nothing here knows about space, legal status or months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionDef {
    /// Key by which tables refer to the dimension.
    pub key: String,
    /// German label, shown as the header of the label column.
    pub label: String,
    /// Levels from coarse to fine; at least one.
    pub levels: Vec<LevelDef>,
    /// Named sums over the finest level, shown after the categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sums: Vec<SumDef>,
}

impl DimensionDef {
    /// A dimension with a single level of `(key, label)` categories.
    pub fn flat(key: &str, label: &str, categories: &[(&str, &str)]) -> DimensionDef {
        DimensionDef {
            key: key.to_owned(),
            label: label.to_owned(),
            levels: vec![LevelDef {
                key: key.to_owned(),
                label: label.to_owned(),
                categories: categories
                    .iter()
                    .map(|(k, l)| CategoryDef::new(*k, *l))
                    .collect(),
            }],
            sums: Vec::new(),
        }
    }

    /// A dimension of consecutive months from `first` to `last` (inclusive), keyed `JJJJ-MM`
    /// (e.g. `2016-10`) and labelled with the first of the month (`01.10.2016`), as in the
    /// office's monthly series. Empty if `last` is before `first`.
    pub fn months(key: &str, label: &str, first: YearMonth, last: YearMonth) -> DimensionDef {
        let mut categories = Vec::new();
        let mut month = first;
        while month <= last && categories.len() < 12 * 200 {
            categories.push(CategoryDef::new(
                month.to_string(),
                month.first_day().to_german(),
            ));
            month = month.next();
        }
        DimensionDef {
            key: key.to_owned(),
            label: label.to_owned(),
            levels: vec![LevelDef {
                key: key.to_owned(),
                label: label.to_owned(),
                categories,
            }],
            sums: Vec::new(),
        }
    }

    /// Adds a named sum (builder style).
    pub fn with_sum(mut self, key: &str, label: &str, of: &[&str]) -> DimensionDef {
        self.sums.push(SumDef {
            key: key.to_owned(),
            label: label.to_owned(),
            of: of.iter().map(|s| (*s).to_owned()).collect(),
        });
        self
    }
}

/// How a dimension is laid out on the rows or the columns of a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisDef {
    /// Key of the dimension.
    pub dimension: String,
    /// Finest level shown (its key); default the dimension's finest level. Keys of finer levels
    /// are rolled up to it when counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Show the coarser levels as subtotals, each before its children (default: yes).
    #[serde(default = "yes")]
    pub subtotals: bool,
    /// Label of the total over the dimension (e.g. "Insgesamt"); no total if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// Put the total first instead of last.
    #[serde(default, skip_serializing_if = "is_false")]
    pub total_first: bool,
}

fn yes() -> bool {
    true
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl AxisDef {
    /// The dimension at its finest level, with subtotals and without total.
    pub fn new(dimension: &str) -> AxisDef {
        AxisDef {
            dimension: dimension.to_owned(),
            level: None,
            subtotals: true,
            total: None,
            total_first: false,
        }
    }

    /// Adds a total with the given label (builder style).
    pub fn with_total(mut self, label: &str) -> AxisDef {
        self.total = Some(label.to_owned());
        self
    }

    /// Shows the dimension down to `level` only (builder style).
    pub fn at_level(mut self, level: &str) -> AxisDef {
        self.level = Some(level.to_owned());
        self
    }

    /// Switches subtotals of coarser levels on or off (builder style).
    pub fn with_subtotals(mut self, subtotals: bool) -> AxisDef {
        self.subtotals = subtotals;
        self
    }
}

/// The unit of a derived ratio column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioUnit {
    /// Per hundred (%).
    #[default]
    Percent,
    /// Per thousand (‰), e.g. a rate per 1.000 inhabitants.
    PerMille,
    /// Absolute change: numerator − denominator (e.g. Einwohner now − a week ago), signed.
    /// Not a count of persons: the difference of two published counts.
    Difference,
    /// Change in percent: (numerator / denominator − 1) × 100, signed.
    ChangePercent,
}

impl RatioUnit {
    /// The factor applied to numerator / denominator.
    pub fn factor(self) -> f64 {
        match self {
            RatioUnit::Percent | RatioUnit::ChangePercent => 100.0,
            RatioUnit::PerMille => 1000.0,
            RatioUnit::Difference => 1.0,
        }
    }

    /// The unit sign.
    pub fn sign(self) -> &'static str {
        match self {
            RatioUnit::Percent | RatioUnit::ChangePercent => "%",
            RatioUnit::PerMille => "‰",
            RatioUnit::Difference => "",
        }
    }
}

/// A derived column: a share or rate computed per row from two count cells of the same table.
/// It is suppressed wherever its numerator or denominator is suppressed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedDef {
    /// German column header, e.g. "Anteil in %".
    pub label: String,
    /// The numerator's column: one position key per column axis ([`TOTAL_KEY`] for a total).
    pub numerator: Vec<String>,
    /// The denominator's column, keyed like the numerator.
    pub denominator: Vec<String>,
    /// The denominator's row (one key per row axis); absent: the same row as the numerator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator_row: Option<Vec<String>>,
    /// Percent (default) or per mille.
    #[serde(default)]
    pub unit: RatioUnit,
    /// Decimal places shown (default 1, at most 6).
    #[serde(default = "one")]
    pub decimals: u8,
}

fn one() -> u8 {
    1
}

/// Which records and counter fill a table of the report set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counts {
    /// Persons of the monthly AsylbLG series (AKDN).
    AsylblgPersonen,
    /// Cases of the monthly AsylbLG series (AKDN).
    AsylblgFaelle,
    /// Refugees of the ALW snapshot by area, category or legal basis.
    Gefluechtete,
    /// Residents of the Meldewesen snapshot (default: a table of the population).
    #[default]
    Bevoelkerung,
    /// Change of the residents since the previous snapshot.
    BevoelkerungVeraenderung,
    /// Refugees per resident by area.
    Fluechtlingsanteil,
    /// AsylbLG recipients of the last month linked to the ALW.
    AsylblgVerknuepft,
    /// Pupils (SchILD) by Schulform and Jahrgang, refugees linked to the ALW.
    SchuelerSchulform,
    /// Refugee pupils by area.
    SchuelerRaum,
    /// ALW refugees without a match in the Meldewesen.
    AlwOhneMeldewesen,
    /// Persons of the last AKDN month by PKS (checked with the series in one universe).
    AsylblgPks,
    /// A Kreuztabelle (counted by the Kreuztabelle itself).
    Kreuztabelle,
}

/// The page of the app a table is shown on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    /// Monatsreihe: the monthly AsylbLG series.
    Monatsreihe,
    /// Räumliche Verteilung: refugees by area.
    Raeumlich,
    /// Bevölkerung aktuell: the weekly population report.
    Bevoelkerung,
    /// Schulen: pupils (linked).
    Schulen,
    /// Leistungsbezug: AsylbLG benefits (linked); also where a table without a page goes.
    #[default]
    Leistungsbezug,
    /// Qualität: figures for checking.
    Qualitaet,
    /// Kreuztabelle: the general tool.
    Kreuztabelle,
}

/// A table: title, what is counted, the dimensions on rows and columns (nested in the given
/// order, the first outermost), derived columns and footnotes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// Stable identifier, e.g. `asylblg_monat`.
    pub key: String,
    /// German title.
    pub title: String,
    /// Short German name for a worksheet tab (at most 28 characters, unique in the set), e.g.
    /// "Geflüchtete Stadtteil"; without one the title is shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// What the cells count.
    #[serde(default)]
    pub value: ValueKind,
    /// Which records and counter fill it (report set).
    #[serde(default)]
    pub counts: Counts,
    /// The page it is shown on.
    #[serde(default)]
    pub page: Page,
    /// Row axes, outermost first; none gives a single row.
    #[serde(default)]
    pub rows: Vec<AxisDef>,
    /// Column axes, outermost first; none gives a single value column.
    #[serde(default)]
    pub columns: Vec<AxisDef>,
    /// Derived ratio columns, appended after the count columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<DerivedDef>,
    /// Footnotes shown below the table (e.g. breaks in a series).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}
