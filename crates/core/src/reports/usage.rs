//! Which loaded files feed no report, and why: an older snapshot beside the current one, a
//! second Datentabelle, school data without the foreigners register. The file list marks
//! them, so the analyst does not take a loaded export for a used one.

use crate::import::{Dataset, ImportedFile, Records};

use super::{current_snapshot, office_series_chosen, population};

/// A loaded file no report uses, with the German reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// Index of the file in [`Dataset::files`].
    pub file: usize,
    /// Why no report uses it and what to do (German).
    pub reason: String,
}

/// Every read file with records that no report of [`super::standard_report`] uses, in file
/// order. Files that could not be read are not listed (their error says why).
pub fn unused_files(dataset: &Dataset) -> Vec<Unused> {
    let date = |f: &ImportedFile| {
        f.report
            .reference_date
            .map_or_else(|| "unbekannt".to_owned(), |d| d.to_german())
    };
    let ewo = current_snapshot(dataset, |r| matches!(r, Records::Meldewesen(_)));
    let ewo_before = ewo
        .and_then(|f| f.report.reference_date)
        .and_then(|d| population::previous_snapshot(dataset, d))
        .map(|(f, _)| f);
    let released = ewo
        .and_then(|f| f.report.reference_date)
        .filter(|_| ewo_before.is_none())
        .and_then(|d| population::released_before(dataset, d));
    let alw = current_snapshot(dataset, |r| matches!(r, Records::Alw(_)));
    let office = office_series_chosen(dataset);
    let has_gliederung = dataset
        .files
        .iter()
        .any(|f| matches!(&f.records, Records::Gliederung(rows) if !rows.is_empty()));
    let same = |a: Option<&ImportedFile>, b: &ImportedFile| a.is_some_and(|a| std::ptr::eq(a, b));
    let mut unused = Vec::new();
    for (i, file) in dataset.files.iter().enumerate() {
        if file.report.error.is_some() || file.records.is_empty() {
            continue;
        }
        let reason = match &file.records {
            Records::Meldewesen(_) if !same(ewo, file) && !same(ewo_before, file) => {
                let current = ewo.map(date).unwrap_or_default();
                Some(match ewo_before {
                    _ if file.report.reference_date.is_none() => format!(
                        "Diese Meldewesen-Datei hat keinen Stichtag (etwa Zuzüge oder Abmeldungen \
                         eines Monats) und geht in keinen Bericht ein: die Berichte zählen den \
                         Bestand vom {current}. Ist sie ein Bestand, geben Sie den Stichtag im \
                         Dateinamen an."
                    ),
                    Some(before) => format!(
                        "Kein Bericht nutzt diesen Meldewesen-Bestand (Stichtag {}): die Berichte \
                         zählen den Bestand vom {current}, die Veränderung gegenüber dem vom {}.",
                        date(file),
                        date(before)
                    ),
                    None => format!(
                        "Kein Bericht nutzt diesen Meldewesen-Bestand (Stichtag {}): die Berichte \
                         zählen den Bestand vom {current}. Als Vorbestand dient nur ein Bestand \
                         mit früherem Stichtag.",
                        date(file)
                    ),
                })
            }
            Records::Alw(_) if !same(alw, file) => Some(format!(
                "Kein Bericht nutzt diesen ALW-Bestand (Stichtag {}): die Berichte zählen den \
                 Bestand vom {}. Frühere ALW-Bestände gehen in keinen Bericht ein.",
                date(file),
                alw.map(date).unwrap_or_default()
            )),
            Records::Schild(_) if alw.is_none() => Some(
                "Die Schülerdaten gehen nur mit einem ALW-Bestand in die Berichte ein (Schülerinnen \
                 und Schüler mit Fluchthintergrund). Laden Sie den ALW-Bestand dazu."
                    .to_owned(),
            ),
            Records::Karte(_) if !has_gliederung => Some(
                "Karten zeigen räumliche Tabellen, und die brauchen die räumliche Gliederung. \
                 Laden Sie die Adresstabelle dazu."
                    .to_owned(),
            ),
            Records::Released(_) if !same(released, file) => Some(match ewo {
                None => "Eine veröffentlichte Arbeitsmappe dient nur als Vorwoche des \
                         Meldewesen-Bestands; laden Sie den aktuellen Bestand dazu."
                    .to_owned(),
                Some(_) if ewo_before.is_some() => "Der frühere Meldewesen-Bestand ist geladen: \
                     die Veränderung zählt ihn selbst, nicht die veröffentlichte Arbeitsmappe."
                    .to_owned(),
                Some(current) => format!(
                    "Die Veränderung nutzt die jüngste Arbeitsmappe vor dem Stichtag {} \
                     (Stichtag dieser: {}).",
                    date(current),
                    date(file)
                ),
            }),
            Records::Datentabelle(_) if !same(office, file) => Some(
                "Es wird nur eine Datentabelle fortgeschrieben: die, die am weitesten reicht. \
                 Diese geht in keinen Bericht ein."
                    .to_owned(),
            ),
            _ => None,
        };
        if let Some(reason) = reason {
            unused.push(Unused { file: i, reason });
        }
    }
    unused
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, Importer};
    use lagebild_synth::{Config, Scale, SourceKind, generate};

    /// The tiny city's exports of the sources `keep` names (no copies); the first file of
    /// each source once more under the name `again` gives, if any.
    fn dataset(keep: &[SourceKind]) -> Dataset {
        dataset_with(keep, None)
    }

    fn dataset_with(keep: &[SourceKind], again: Option<&str>) -> Dataset {
        let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
        let importer = Importer::default();
        let mut dataset = Dataset::default();
        for entry in &output.manifest.files {
            if !keep.contains(&entry.source)
                || entry.subset_of.is_some()
                || entry.duplicate_of.is_some()
            {
                continue;
            }
            let file = output.file(&entry.path).expect("file");
            let name = entry.path.rsplit('/').next().unwrap_or_default();
            importer.import(&mut dataset, name, &file.bytes, &ImportOptions::default());
            if let Some(again) = again.filter(|_| dataset.files.len() == 1) {
                importer.import(&mut dataset, again, &file.bytes, &ImportOptions::default());
            }
        }
        dataset
    }

    #[test]
    fn older_snapshots_are_unused_the_previous_one_feeds_the_change() {
        // The tiny city has two snapshots; a third, older one is a copy under an older date.
        let dataset = dataset_with(&[SourceKind::Meldewesen], Some("EWO_Bestand_20260930.csv"));
        let dates: Vec<_> = dataset
            .files
            .iter()
            .filter_map(|f| f.report.reference_date)
            .collect();
        assert!(dates.len() >= 3, "{dates:?}");
        let mut sorted = dates.clone();
        sorted.sort();
        let (current, before) = (sorted[sorted.len() - 1], sorted[sorted.len() - 2]);
        let unused = unused_files(&dataset);
        assert_eq!(unused.len(), dataset.files.len() - 2, "{unused:?}");
        for u in &unused {
            let Some(date) = dataset.files[u.file].report.reference_date else {
                // Moves and deregistrations of a month.
                assert!(u.reason.contains("keinen Stichtag"), "{u:?}");
                continue;
            };
            assert!(date < before, "{u:?}");
            assert!(
                u.reason.contains(&format!("Stichtag {}", date.to_german())),
                "{u:?}"
            );
            assert!(
                u.reason.contains(&format!("vom {}", current.to_german())),
                "{u:?}"
            );
            assert!(
                u.reason
                    .contains(&format!("dem vom {}", before.to_german())),
                "{u:?}"
            );
        }
    }

    #[test]
    fn school_data_is_used_only_with_the_foreigners_register() {
        let without = dataset(&[SourceKind::Schild]);
        let unused = unused_files(&without);
        assert!(!unused.is_empty());
        assert_eq!(unused.len(), without.files.len(), "{unused:?}");
        assert!(unused.iter().all(|u| u.reason.contains("ALW-Bestand")));
        let with = dataset(&[SourceKind::Schild, SourceKind::Alw]);
        let unused = unused_files(&with);
        assert!(
            unused
                .iter()
                .all(|u| !matches!(with.files[u.file].records, Records::Schild(_))),
            "{unused:?}"
        );
    }
}
