//! Where the numbers of a table come from, as released with it: the kind of register and its
//! Stichtag or reporting period. Never a file name (it can hold a person's name) and never a
//! record count (it would tell what a suppressed table hides); those are for the Qualität page.

use serde::{Deserialize, Serialize};

use crate::import::SourceKind;
use crate::records::{Date, YearMonth};

/// The date or period a register's numbers refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Period {
    /// A snapshot at a Stichtag.
    Stichtag(Date),
    /// A snapshot whose Stichtag is not known (neither given nor in the file name).
    UnknownStichtag,
    /// Reporting months, first to last (equal for one month).
    Months(YearMonth, YearMonth),
    /// A register without a date of its own (the räumliche Gliederung).
    Undated,
}

/// One register behind a released table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The kind of register.
    pub source: SourceKind,
    /// Its Stichtag or reporting period.
    pub period: Period,
}

impl Provenance {
    /// A snapshot register at `stichtag` (unknown if `None`).
    pub fn snapshot(source: SourceKind, stichtag: Option<Date>) -> Provenance {
        Provenance {
            source,
            period: stichtag.map_or(Period::UnknownStichtag, Period::Stichtag),
        }
    }

    /// German one-liner without file names or counts, e.g. "EWO-ALW (Ausländerwesen),
    /// Stichtag 24.10.2026" or "AKDN sozial (AsylbLG), Berichtsmonate 10/2016 bis 04/2018".
    pub fn describe(&self) -> String {
        let label = self.source.label();
        let month = |m: YearMonth| format!("{:02}/{}", m.month, m.year);
        match self.period {
            Period::Stichtag(d) => format!("{label}, Stichtag {}", d.to_german()),
            Period::UnknownStichtag => format!("{label}, Stichtag unbekannt"),
            Period::Months(a, b) if a == b => format!("{label}, Berichtsmonat {}", month(a)),
            Period::Months(a, b) => {
                format!("{label}, Berichtsmonate {} bis {}", month(a), month(b))
            }
            Period::Undated => label.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_without_file_names_or_counts() {
        let d = Date {
            year: 2026,
            month: 10,
            day: 24,
        };
        let m = |month| YearMonth::new(2017, month).unwrap();
        assert_eq!(
            Provenance::snapshot(SourceKind::Alw, Some(d)).describe(),
            "EWO-ALW (Ausländerwesen), Stichtag 24.10.2026"
        );
        assert_eq!(
            Provenance::snapshot(SourceKind::Meldewesen, None).describe(),
            "EWO Meldewesen, Stichtag unbekannt"
        );
        let months = |a, b| Provenance {
            source: SourceKind::Akdn,
            period: Period::Months(a, b),
        };
        assert_eq!(
            months(m(1), m(11)).describe(),
            "AKDN sozial (AsylbLG), Berichtsmonate 01/2017 bis 11/2017"
        );
        assert_eq!(
            months(m(11), m(11)).describe(),
            "AKDN sozial (AsylbLG), Berichtsmonat 11/2017"
        );
        let g = Provenance {
            source: SourceKind::Gliederung,
            period: Period::Undated,
        };
        assert_eq!(g.describe(), "Räumliche Gliederung (Adressen)");
    }
}
