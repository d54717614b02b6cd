//! The analyst's settings: protection mode and threshold, saved column mappings, the city's
//! rules and tables, and the publisher named in downloads. Saved to
//! and loaded from a JSON file, and remembered in the browser's local storage. Settings only:
//! never data, never file contents.

use lagebild_core::classify::values::ValueMapping;
use lagebild_core::export::Publisher;
use lagebild_core::import::MappingSet;
use lagebild_core::protect::ProtectionSettings;
use serde::{Deserialize, Serialize};

use crate::interop;
use crate::protocol::ClassificationTexts;

/// Key of the settings in the browser's local storage.
pub const STORAGE_KEY: &str = "lagebild.einstellungen";

/// Format marker of the settings file.
const FORMAT: &str = "lagebild-einstellungen";

/// Settings of the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Format marker, so a wrong file is recognised.
    #[serde(default = "format_marker")]
    pub format: String,
    /// Confidentiality mode and threshold (`mode`, `threshold` in the file; a threshold below
    /// 3 is refused).
    #[serde(flatten)]
    pub protection: ProtectionSettings,
    /// Column mappings, one per source.
    #[serde(default)]
    pub mappings: MappingSet,
    /// The city's own classification rules (TOML), if loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<NamedText>,
    /// The city's own PKS mapping (TOML), if loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pks: Option<NamedText>,
    /// The office's own table definitions (TOML, shape of `standard_tables.toml`), if loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<NamedText>,
    /// Who publishes the downloads (office and contact, on every page and in every CSV).
    #[serde(default)]
    pub publisher: Publisher,
    /// The office's mapping of unreadable Erteilungsgrund values to citations (values only,
    /// never persons).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueMapping>,
    /// Switches of the classification rules set here (name -> on), over the rules file's.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub switches: std::collections::BTreeMap<String, bool>,
}

/// A configuration text with the name of the file it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedText {
    /// File name, shown in the settings.
    pub name: String,
    /// Content (TOML).
    pub text: String,
}

fn format_marker() -> String {
    FORMAT.to_owned()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: format_marker(),
            protection: ProtectionSettings::default(),
            mappings: MappingSet::default(),
            rules: None,
            pks: None,
            tables: None,
            publisher: Publisher::default(),
            values: Vec::new(),
            switches: std::collections::BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The settings remembered in this browser, or the defaults.
    pub fn remembered() -> Settings {
        interop::settings_load(STORAGE_KEY)
            .and_then(|text| Settings::from_json(&text).ok())
            .unwrap_or_default()
    }

    /// Remembers these settings in this browser.
    pub fn remember(&self) {
        interop::settings_store(STORAGE_KEY, &self.to_json());
    }

    /// Reads a settings file; a plain mapping file (as `lagebild --mapping` takes) is accepted
    /// too. A threshold below 3 is refused with the same German sentence as on the command
    /// line.
    pub fn from_json(text: &str) -> Result<Settings, String> {
        match serde_json::from_str::<Settings>(text) {
            Ok(settings) if settings.format == FORMAT => return Ok(settings),
            Err(e) if text.contains(FORMAT) => {
                return Err(format!(
                    "Die Einstellungsdatei lässt sich nicht verwenden: {e}. Es gelten weiter die \
                     bisherigen Einstellungen."
                ));
            }
            _ => {}
        }
        MappingSet::from_json(text)
            .map(|mappings| Settings {
                mappings,
                ..Settings::default()
            })
            .map_err(|_| {
                "Die Datei ist keine Lagebild-Einstellungsdatei. Wählen Sie eine Datei, die Sie \
                 zuvor mit „Einstellungen speichern“ gesichert haben."
                    .to_owned()
            })
    }

    /// The classification texts for the worker.
    pub fn classification(&self) -> ClassificationTexts {
        ClassificationTexts {
            rules: self.rules.as_ref().map(|r| r.text.clone()),
            pks: self.pks.as_ref().map(|p| p.text.clone()),
            tables: self.tables.as_ref().map(|t| t.text.clone()),
            values: self.values.clone(),
            switches: self.switches.clone(),
        }
    }

    /// The settings file's JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use lagebild_core::protect::{ProtectionMode, Threshold};

    use super::*;

    #[test]
    fn settings_round_trip_and_refuse_a_threshold_below_three() {
        let settings = Settings {
            protection: ProtectionSettings {
                mode: ProtectionMode::Zelle,
                threshold: Threshold::new(5).expect("5"),
                ..ProtectionSettings::default()
            },
            ..Settings::default()
        };
        assert_eq!(Settings::from_json(&settings.to_json()), Ok(settings));
        // Files saved before the settings type was shared still load.
        let old = r#"{"format":"lagebild-einstellungen","mode":"Zelle","threshold":4}"#;
        let old = Settings::from_json(old).expect("old settings");
        assert_eq!(old.protection.mode, ProtectionMode::Zelle);
        assert_eq!(old.protection.threshold.get(), 4);
        // A threshold of 2 is refused with the command line's sentence.
        let low = r#"{"format":"lagebild-einstellungen","threshold":2}"#;
        let refusal = Settings::from_json(low).expect_err("threshold 2");
        let cli = Threshold::new(2).expect_err("threshold 2").to_string();
        assert!(refusal.contains(&cli), "{refusal}");
        assert!(Settings::from_json("{\"x\": 1").is_err());
        let own = Settings {
            rules: Some(NamedText {
                name: "regeln.toml".into(),
                text: "[settings]\n".into(),
            }),
            ..Settings::default()
        };
        let back = Settings::from_json(&own.to_json()).expect("settings");
        assert_eq!(back, own);
        assert_eq!(back.classification().rules.as_deref(), Some("[settings]\n"));
        assert_eq!(back.classification().pks, None);
    }
}
