//! The shared code lists of `crates/core/data/` (PKS example mapping, nationality codes, default
//! spatial structure) and the synthetic layout parameters of `data/`, compiled in.

use serde::Deserialize;

use crate::Error;

const PKS_TOML: &str = include_str!("../../core/data/pks_example.toml");
const NATIONALITIES_CSV: &str = include_str!("../../core/data/nationalities.csv");
const GLIEDERUNG_CSV: &str = include_str!("../../core/data/gliederung_gelsenkirchen.csv");
const STADTTEILE_CSV: &str = include_str!("../data/stadtteile.csv");

/// Status group of a Personenkreisschlüssel (columns of the monthly table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum StatusGroup {
    Asylbewerber,
    Geduldete,
    Sonstige,
}

/// Kind of AsylbLG benefit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Benefit {
    /// § 2 Analogleistungen.
    P2,
    /// § 3 Grundleistungen.
    P3,
    /// Only §§ 4-6.
    P4to6,
}

impl Benefit {
    /// The spelling used in the PKS file.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Benefit::P2 => "§2",
            Benefit::P3 => "§3",
            Benefit::P4to6 => "§§4-6",
        }
    }
}

impl StatusGroup {
    /// The spelling used in the PKS file.
    pub(crate) fn label(self) -> &'static str {
        match self {
            StatusGroup::Asylbewerber => "Asylbewerber",
            StatusGroup::Geduldete => "Geduldete",
            StatusGroup::Sonstige => "Sonstige",
        }
    }
}

/// One PKS code of the example mapping.
#[derive(Clone, Debug)]
pub(crate) struct Pks {
    pub code: String,
    pub group: StatusGroup,
    /// The benefit of the column the code counts in.
    pub benefit: Benefit,
    pub asylblg_nr: String,
    /// A reduced benefit (Leistungseinschränkung nach § 1a AsylbLG), given to a share of the
    /// recipients of `benefit` only.
    pub reduced: bool,
}

#[derive(Deserialize)]
struct PksFile {
    pks: Vec<PksRow>,
}

#[derive(Deserialize)]
struct PksRow {
    code: String,
    status_group: String,
    benefit: String,
    asylblg_nr: String,
    spalte: Option<String>,
}

/// One nationality of the code table.
#[derive(Clone, Debug)]
pub(crate) struct Nationality {
    /// Destatis 3-digit key.
    pub code: String,
    /// Short state name ("Syrien").
    pub state: String,
    /// Adjective ("syrisch").
    pub adjective: String,
    /// Long official name, first alias ("Arabische Republik Syrien").
    pub official: String,
}

/// One Stadtteil with its Stadtbezirk and synthetic layout parameters.
#[derive(Clone, Debug)]
pub(crate) struct StadtteilDef {
    pub bezirk_nr: String,
    pub bezirk: String,
    pub nr: String,
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub area: f64,
    pub population: f64,
    pub foreigner_share: f64,
    pub refugee_weight: f64,
    pub plz: Vec<String>,
}

/// All code lists.
#[derive(Clone, Debug)]
pub(crate) struct Codes {
    pub pks: Vec<Pks>,
    pub nationalities: Vec<Nationality>,
    pub stadtteile: Vec<StadtteilDef>,
}

impl Codes {
    /// Parses the compiled-in lists.
    pub(crate) fn load() -> Result<Codes, Error> {
        Ok(Codes {
            pks: parse_pks(PKS_TOML)?,
            nationalities: parse_nationalities(NATIONALITIES_CSV)?,
            stadtteile: parse_stadtteile(GLIEDERUNG_CSV, STADTTEILE_CSV)?,
        })
    }

    /// The PKS code for an AsylbLG number and benefit.
    pub(crate) fn pks_for(&self, asylblg_nr: &str, benefit: Benefit) -> Option<&Pks> {
        let pks = || self.pks.iter().filter(|p| !p.reduced);
        pks()
            .find(|p| p.asylblg_nr == asylblg_nr && p.benefit == benefit)
            .or_else(|| {
                // No code of this benefit for the number (no §§ 4-6 code for Nr. 5): the code
                // of the benefit in the same status group (Geduldete §§ 4-6 for ausreisepflichtig),
                // never the § 2 code of the number, which needs the waiting time.
                let group = pks().find(|p| p.asylblg_nr == asylblg_nr)?.group;
                pks().find(|p| p.group == group && p.benefit == benefit)
            })
            .or_else(|| {
                // Fall back to another benefit kind of the same number.
                pks().find(|p| p.asylblg_nr == asylblg_nr)
            })
    }

    /// The code of a reduced benefit (§ 1a AsylbLG) for an AsylbLG number and benefit, if the
    /// mapping has one.
    pub(crate) fn reduced_for(&self, asylblg_nr: &str, benefit: Benefit) -> Option<&Pks> {
        self.pks
            .iter()
            .find(|p| p.reduced && p.asylblg_nr == asylblg_nr && p.benefit == benefit)
    }

    /// The nationality with a Destatis code.
    pub(crate) fn nationality(&self, code: &str) -> Option<&Nationality> {
        self.nationalities.iter().find(|n| n.code == code)
    }

    /// The Stadtbezirke as (nr, name), in table order.
    pub(crate) fn bezirke(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for t in &self.stadtteile {
            if !out.iter().any(|(nr, _)| *nr == t.bezirk_nr) {
                out.push((t.bezirk_nr.clone(), t.bezirk.clone()));
            }
        }
        out
    }
}

fn parse_pks(text: &str) -> Result<Vec<Pks>, Error> {
    let file: PksFile =
        toml::from_str(text).map_err(|e| Error::Data(format!("pks_example.toml: {e}")))?;
    file.pks
        .into_iter()
        .map(|row| {
            let group = match row.status_group.as_str() {
                "Asylbewerber" => StatusGroup::Asylbewerber,
                "Geduldete" => StatusGroup::Geduldete,
                "Sonstige" => StatusGroup::Sonstige,
                other => {
                    return Err(Error::Data(format!(
                        "pks_example.toml: unknown status_group {other:?}"
                    )));
                }
            };
            // The § 1a reduction counts in the Grundleistungen column its entry names.
            let (benefit, reduced) = match (row.benefit.as_str(), row.spalte.as_deref()) {
                ("§2", None) => (Benefit::P2, false),
                ("§3", None) => (Benefit::P3, false),
                ("§§4-6", None) => (Benefit::P4to6, false),
                ("§1a", Some("p3_asylbewerber" | "p3_geduldete")) => (Benefit::P3, true),
                (other, spalte) => {
                    return Err(Error::Data(format!(
                        "pks_example.toml: unknown benefit {other:?} (spalte {spalte:?})"
                    )));
                }
            };
            Ok(Pks {
                code: row.code,
                group,
                benefit,
                asylblg_nr: row.asylblg_nr,
                reduced,
            })
        })
        .collect()
}

/// Data lines of a `;` CSV with a header line; `#` lines are comments.
fn csv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(';').map(str::trim).collect())
}

fn parse_nationalities(text: &str) -> Result<Vec<Nationality>, Error> {
    let mut out = Vec::new();
    for cols in csv_rows(text) {
        if cols.len() < 4 {
            return Err(Error::Data(format!("nationalities.csv: bad row {cols:?}")));
        }
        let official = cols[3]
            .split('|')
            .find(|a| a.chars().count() > 3)
            .unwrap_or(cols[1])
            .to_string();
        out.push(Nationality {
            code: cols[0].to_string(),
            state: cols[1].to_string(),
            adjective: cols[2].to_string(),
            official,
        });
    }
    Ok(out)
}

fn parse_f64(s: &str, what: &str) -> Result<f64, Error> {
    s.parse()
        .map_err(|_| Error::Data(format!("stadtteile.csv: bad number {s:?} ({what})")))
}

fn parse_stadtteile(gliederung: &str, params: &str) -> Result<Vec<StadtteilDef>, Error> {
    let mut out = Vec::new();
    for cols in csv_rows(gliederung) {
        if cols.len() < 4 {
            return Err(Error::Data(format!(
                "gliederung_gelsenkirchen.csv: bad row {cols:?}"
            )));
        }
        let p = csv_rows(params)
            .find(|p| p.first() == Some(&cols[2]))
            .ok_or_else(|| Error::Data(format!("stadtteile.csv: no parameters for {}", cols[2])))?;
        if p.len() < 8 {
            return Err(Error::Data(format!("stadtteile.csv: bad row {p:?}")));
        }
        out.push(StadtteilDef {
            bezirk_nr: cols[0].to_string(),
            bezirk: cols[1].to_string(),
            nr: cols[2].to_string(),
            name: cols[3].to_string(),
            x: parse_f64(p[1], "x")?,
            y: parse_f64(p[2], "y")?,
            area: parse_f64(p[3], "area")?,
            population: parse_f64(p[4], "population")?,
            foreigner_share: parse_f64(p[5], "foreigner_share")?,
            refugee_weight: parse_f64(p[6], "refugee_weight")?,
            plz: p[7].split('|').map(str::to_string).collect(),
        });
    }
    if out.is_empty() {
        return Err(Error::Data(
            "gliederung_gelsenkirchen.csv: no Stadtteile".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lists_load_and_cover_every_combination() {
        let codes = Codes::load().unwrap();
        assert_eq!(codes.stadtteile.len(), 18);
        assert_eq!(codes.bezirke().len(), 5);
        for g in [
            StatusGroup::Asylbewerber,
            StatusGroup::Geduldete,
            StatusGroup::Sonstige,
        ] {
            for b in [Benefit::P2, Benefit::P3, Benefit::P4to6] {
                assert!(
                    codes.pks.iter().any(|p| p.group == g && p.benefit == b),
                    "{g:?} {b:?}"
                );
            }
        }
        for nr in ["1", "1a", "3", "4", "5", "6", "7"] {
            assert!(codes.pks.iter().any(|p| p.asylblg_nr == nr), "Nr. {nr}");
        }
        let mut seen = std::collections::BTreeSet::new();
        for p in &codes.pks {
            assert!(seen.insert(p.code.clone()), "duplicate PKS {}", p.code);
        }
        assert_eq!(codes.nationality("475").unwrap().adjective, "syrisch");
        assert_eq!(
            codes.nationality("475").unwrap().official,
            "Arabische Republik Syrien"
        );
        assert_eq!(codes.nationality("224").unwrap().state, "Eritrea");
        assert_eq!(codes.nationality("439").unwrap().state, "Iran");
    }
}
