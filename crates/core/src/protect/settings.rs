//! Protection settings: the mode and the threshold (never below the office's 3).

use serde::{Deserialize, Serialize};

/// How a table is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtectionMode {
    /// The office's rule (default): if any cell or margin is sensitive, every value of the
    /// table is replaced by ".".
    #[default]
    #[serde(alias = "Tabelle")]
    Tabelle,
    /// Cell suppression: sensitive cells and as few and small other cells as needed so that
    /// no suppressed cell can be narrowed down from the published ones (proved by LP).
    #[serde(alias = "Zelle")]
    Zelle,
}

impl ProtectionMode {
    /// German name of the rule.
    pub fn label(self) -> &'static str {
        match self {
            ProtectionMode::Tabelle => "Tabellensperrung",
            ProtectionMode::Zelle => "Zellsperrung",
        }
    }
}

/// How the tables of a release are laid out under the rule `Tabelle`.
///
/// Either way the tables of a release are checked together ([`super::Release`]), so a table
/// that would let a reader compute a value of 1 or 2 by differencing is not released.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableDesign {
    /// A table the rule would blank is first made coarser by the publication planner
    /// ([`super::plan`]) until it passes (default).
    #[default]
    Geplant,
    /// Every table in its original design; a table with a value of 1 or 2 is blanked (the
    /// strict original, chosen by the analyst).
    Original,
}

impl TableDesign {
    /// German description.
    pub fn label(self) -> &'static str {
        match self {
            TableDesign::Geplant => "Tabellen so zusammengefasst, dass sie veröffentlicht werden",
            TableDesign::Original => "ursprüngliche Gliederung (gesperrt, wenn nötig)",
        }
    }
}

/// The threshold: counts from 1 to `threshold - 1` are sensitive. At least 3 (the office's
/// rule: 1 and 2 are sensitive); a lower value cannot be constructed or deserialised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Threshold(u32);

impl Threshold {
    /// The smallest threshold allowed (the office's rule).
    pub const MIN: u32 = 3;

    /// A threshold of `value`, refused below [`Threshold::MIN`].
    pub fn new(value: u32) -> Result<Threshold, ProtectError> {
        if value < Threshold::MIN {
            Err(ProtectError::ThresholdTooLow { given: value })
        } else {
            Ok(Threshold(value))
        }
    }

    /// The threshold value.
    pub fn get(self) -> u32 {
        self.0
    }

    /// True for counts that must not be published: 1 to threshold - 1 (zeros are not
    /// sensitive).
    pub fn is_sensitive(self, count: u64) -> bool {
        count > 0 && count < u64::from(self.0)
    }

    /// German description of the sensitive values: "1 oder 2", "1 bis 4".
    pub fn sensitive_values(self) -> String {
        if self.0 == 3 {
            "1 oder 2".to_owned()
        } else {
            format!("1 bis {}", self.0 - 1)
        }
    }
}

impl Default for Threshold {
    fn default() -> Threshold {
        Threshold(Threshold::MIN)
    }
}

impl TryFrom<u32> for Threshold {
    type Error = ProtectError;

    fn try_from(value: u32) -> Result<Threshold, ProtectError> {
        Threshold::new(value)
    }
}

impl From<Threshold> for u32 {
    fn from(threshold: Threshold) -> u32 {
        threshold.0
    }
}

/// Mode and threshold. The default is the office's rule: `Tabelle` with threshold 3. The one
/// settings type of the app's settings file, the worker's messages and the command line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProtectionSettings {
    /// The mode.
    pub mode: ProtectionMode,
    /// The threshold.
    pub threshold: Threshold,
    /// Planned or original designs (only for `Tabelle`).
    pub design: TableDesign,
}

impl ProtectionSettings {
    /// German one-line description, e.g. "Tabellensperrung, Schwelle 3".
    pub fn describe(&self) -> String {
        format!(
            "{}, Schwelle {} (gesperrt werden Werte von {})",
            self.mode.label(),
            self.threshold.get(),
            self.threshold.sensitive_values()
        )
    }
}

/// Invalid protection settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ProtectError {
    /// A threshold below 3 was requested.
    ThresholdTooLow {
        /// The value requested.
        given: u32,
    },
}

impl std::fmt::Display for ProtectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtectError::ThresholdTooLow { given } => write!(
                f,
                "Die Geheimhaltungsschwelle muss mindestens {} sein (angegeben: {given}); \
                 eine niedrigere Schwelle ist nach den Regeln des Amtes nicht zulässig.",
                Threshold::MIN
            ),
        }
    }
}

impl std::error::Error for ProtectError {}

/// The analyst's choice of design for one table (mode `Tabelle` with planned designs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DesignChoice {
    /// The planner's alternative with this number (0: the one keeping the most information,
    /// the default); an alternative that no longer exists falls back to 0.
    Planned(usize),
    /// The original design, blanked if the rule would blank it.
    Original,
}

impl Default for DesignChoice {
    fn default() -> Self {
        DesignChoice::Planned(0)
    }
}
