//! Errors of table definitions and counting, each a German sentence.

/// Why a table cannot be built or an item cannot be counted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum TabulateError {
    /// The table refers to a dimension that was not supplied.
    UnknownDimension {
        /// Key of the dimension.
        dimension: String,
    },
    /// The same dimension is used twice in one table.
    DuplicateDimension {
        /// Key of the dimension.
        dimension: String,
    },
    /// The dimension definition is inconsistent.
    InvalidDimension {
        /// Key of the dimension.
        dimension: String,
        /// What is wrong (German).
        detail: String,
    },
    /// The axis names a level the dimension does not have.
    UnknownLevel {
        /// Key of the dimension.
        dimension: String,
        /// The level named.
        level: String,
    },
    /// A derived column refers to a position that does not exist.
    UnknownPosition {
        /// Label of the derived column.
        derived: String,
        /// The key path given.
        path: Vec<String>,
    },
    /// The table would have too many cells.
    TooLarge {
        /// Number of cells.
        cells: u128,
        /// The limit.
        limit: usize,
    },
    /// Counting got a different number of keys than the table has axes.
    WrongKeyCount {
        /// Number of axes (rows first, then columns).
        expected: usize,
        /// Number of keys given.
        got: usize,
    },
    /// A key that is neither a category of the shown level nor below it.
    UnknownKey {
        /// Key of the dimension.
        dimension: String,
        /// The key given.
        key: String,
    },
    /// A count exceeded the range of the counter.
    Overflow,
}

impl std::fmt::Display for TabulateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TabulateError::UnknownDimension { dimension } => write!(
                f,
                "Die Tabelle verwendet die Dimension „{dimension}“, die nicht definiert ist."
            ),
            TabulateError::DuplicateDimension { dimension } => write!(
                f,
                "Die Dimension „{dimension}“ kommt in der Tabelle mehrfach vor."
            ),
            TabulateError::InvalidDimension { dimension, detail } => write!(
                f,
                "Die Dimension „{dimension}“ ist fehlerhaft definiert: {detail}."
            ),
            TabulateError::UnknownLevel { dimension, level } => {
                write!(f, "Die Dimension „{dimension}“ hat keine Ebene „{level}“.")
            }
            TabulateError::UnknownPosition { derived, path } => write!(
                f,
                "Die abgeleitete Spalte „{derived}“ verweist auf „{}“, das es in der Tabelle \
                 nicht gibt.",
                path.join(" / ")
            ),
            TabulateError::TooLarge { cells, limit } => write!(
                f,
                "Die Tabelle hätte {cells} Zellen; erlaubt sind höchstens {limit}."
            ),
            TabulateError::WrongKeyCount { expected, got } => write!(
                f,
                "Zum Zählen werden {expected} Schlüssel erwartet (eine pro Dimension), \
                 angegeben wurden {got}."
            ),
            TabulateError::UnknownKey { dimension, key } => write!(
                f,
                "„{key}“ ist in der Dimension „{dimension}“ keine zählbare Kategorie."
            ),
            TabulateError::Overflow => write!(f, "Ein Zähler ist übergelaufen."),
        }
    }
}

impl std::error::Error for TabulateError {}
