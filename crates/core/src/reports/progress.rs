//! The stages of a report run, in the order they run, for a progress display per stage.

use serde::{Deserialize, Serialize};

/// One stage of the pipeline from dropped files to protected tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// Reading the exports (one step per file).
    Read,
    /// The Gliederung index and the residents' Baublöcke.
    Locate,
    /// Legal bases to refugee categories (ALW snapshot, AsylbLG months).
    Classify,
    /// Record linkage between the registers.
    Link,
    /// Counting the tables of the standard set (one step per table).
    Tabulate,
    /// The confidentiality rule on every table (one step per table).
    Protect,
}

impl Stage {
    /// Every stage in run order.
    pub const ALL: [Stage; 6] = [
        Stage::Read,
        Stage::Locate,
        Stage::Classify,
        Stage::Link,
        Stage::Tabulate,
        Stage::Protect,
    ];

    /// German name shown next to the stage's progress bar.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Read => "Einlesen",
            Stage::Locate => "Räumlich zuordnen",
            Stage::Classify => "Klassifizieren",
            Stage::Link => "Verknüpfen",
            Stage::Tabulate => "Auszählen",
            Stage::Protect => "Geheimhaltung prüfen",
        }
    }
}

/// Receives progress: `stage`, steps done and steps in total (`done == total` ends the stage).
pub type ProgressFn<'a> = dyn FnMut(Stage, u32, u32) + 'a;

/// Wall time per stage, measured from progress events with a clock the caller supplies (the
/// core has none that works in the browser).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTimes {
    /// Seconds per finished stage, in the order they finished; a stage run twice (two
    /// imports) adds up.
    pub seconds: Vec<(Stage, f64)>,
    running: Option<(Stage, f64)>,
}

impl StageTimes {
    /// Seconds per stage by the stage's name in lower case (`read`, `protect`, …), for
    /// timings files.
    pub fn by_name(&self) -> std::collections::BTreeMap<String, f64> {
        self.seconds
            .iter()
            .map(|(stage, t)| (format!("{stage:?}").to_lowercase(), *t))
            .collect()
    }

    /// Records a progress event at `now` (seconds on any monotonic clock).
    pub fn record(&mut self, stage: Stage, done: u32, total: u32, now: f64) {
        if done == 0 || self.running.is_none_or(|(s, _)| s != stage) {
            self.running = Some((stage, now));
        }
        if done >= total
            && let Some((s, start)) = self.running.take()
        {
            let elapsed = (now - start).max(0.0);
            match self.seconds.iter_mut().find(|(t, _)| *t == s) {
                Some((_, sum)) => *sum += elapsed,
                None => self.seconds.push((s, elapsed)),
            }
        }
    }

    /// Only the time of [`Stage::Read`]: the start of a new report run on the same import.
    pub fn read_only(&self) -> StageTimes {
        StageTimes {
            seconds: self
                .seconds
                .iter()
                .copied()
                .filter(|(s, _)| *s == Stage::Read)
                .collect(),
            running: None,
        }
    }

    /// Seconds of `stage`, if it finished.
    pub fn of(&self, stage: Stage) -> Option<f64> {
        self.seconds
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, t)| *t)
    }

    /// Seconds of all finished stages.
    pub fn total(&self) -> f64 {
        self.seconds.iter().map(|(_, t)| t).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_times_add_up_per_stage() {
        let mut times = StageTimes::default();
        times.record(Stage::Read, 0, 2, 1.0);
        times.record(Stage::Read, 1, 2, 1.5);
        times.record(Stage::Read, 2, 2, 3.0);
        times.record(Stage::Locate, 0, 1, 3.0);
        times.record(Stage::Locate, 1, 1, 3.25);
        // A second import adds to the first.
        times.record(Stage::Read, 0, 1, 10.0);
        times.record(Stage::Read, 1, 1, 11.0);
        // A stage without steps takes no time.
        times.record(Stage::Link, 0, 0, 12.0);
        assert_eq!(times.of(Stage::Read), Some(3.0));
        assert_eq!(times.of(Stage::Locate), Some(0.25));
        assert_eq!(times.of(Stage::Link), Some(0.0));
        assert_eq!(times.of(Stage::Protect), None);
        assert_eq!(times.total(), 3.25);
        assert_eq!(
            times.seconds.iter().map(|s| s.0).collect::<Vec<_>>(),
            [Stage::Read, Stage::Locate, Stage::Link]
        );
    }
}
