//! Refugee households from 1995 to the Stichtag: arrivals with a nationality mix that changes
//! over time, status histories (Ankunftsnachweis -> Gestattung -> humanitarian title or
//! Duldung, later Niederlassungserlaubnis or naturalisation), addresses (collective
//! accommodation, flats, moves) and AsylbLG benefits per month.

use crate::city::City;
use crate::codes::Benefit;
use crate::date::Date;
use crate::legal::StatusId;
use crate::names::{Group, Names, Sex};
use crate::people::{Dwelling, Marital, Person, Precision, birth_for_age, sample_age};
use crate::rng::{Rng, tag, unit_of};
use crate::scale::Params;

/// Share of births that are twins (about 1.7 % of births in Germany): two children of one
/// household and case with the same birth date and family name.
pub(crate) const TWIN_RATE: f64 = 0.017;

/// Start of the synthetic refugee history.
const HISTORY_START: (i32, u32) = (1995, 1);

/// A refugee household (also an AsylbLG case while it receives benefits).
#[derive(Clone, Debug)]
pub(crate) struct Household {
    pub members: Vec<usize>,
    pub arrival: Date,
    /// AKDN case number.
    pub case: u32,
    pub residence: Vec<(Date, Option<u32>)>,
    /// Own income: no AsylbLG from this date.
    pub benefit_stop: Option<Date>,
    /// Only §§ 4-6 benefits in this window (before the stop).
    pub health_only: Option<(Date, Date)>,
    /// Follow-up asylum applications (AsylbLG § 1 Abs. 1 Nr. 7) in these windows.
    pub folge: Vec<(Date, Date)>,
    /// No § 2 benefits while geduldet: the household prolonged its stay abusively
    /// (§ 2 Abs. 1 AsylbLG), so it stays in § 3.
    pub p2_excluded: bool,
}

/// AsylbLG entitlement of a person in a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entitlement {
    pub nr: &'static str,
    pub benefit: Benefit,
    pub case: u32,
    /// First month of the current benefit episode.
    pub since: Date,
}

/// All refugee persons and households.
pub(crate) struct Refugees {
    pub persons: Vec<Person>,
    pub households: Vec<Household>,
}

/// Waiting time (months of stay) before § 2 benefits, valid on `d`.
pub(crate) fn waiting_months(d: Date) -> i32 {
    if d < Date::ymd(2015, 3, 1) {
        48
    } else if d < Date::ymd(2019, 8, 21) {
        15
    } else if d < Date::ymd(2024, 2, 27) {
        18
    } else {
        36
    }
}

/// § 24 holders receive AsylbLG until 31.05.2022; arrivals from 01.04.2025 again from
/// 01.01.2026 (synthetic assumption for the announced change).
const UA_ASYLBLG_END: (i32, u32, u32) = (2022, 6, 1);
const UA_RETURN_ARRIVALS: (i32, u32, u32) = (2025, 4, 1);
const UA_RETURN_FROM: (i32, u32, u32) = (2026, 1, 1);

impl Refugees {
    /// The AsylbLG entitlement of person `pi` in the month starting `d` (first of month).
    pub(crate) fn entitlement(&self, pi: usize, d: Date) -> Option<Entitlement> {
        let p = &self.persons[pi];
        let h = &self.households[p.refugee_household? as usize];
        if !p.present(d) || p.naturalised.is_some_and(|n| n <= d) {
            return None;
        }
        let health_only = h.health_only.is_some_and(|(a, b)| a <= d && d < b);
        if h.benefit_stop.is_some_and(|s| s <= d) && !health_only {
            return None;
        }
        let (status, since) = p.status_at(d)?;
        let mut nr = status.def().asylblg_nr?;
        match status {
            StatusId::Hum24 | StatusId::FiktionHum24 => {
                let (ey, em, ed) = UA_ASYLBLG_END;
                let (ry, rm, rd) = UA_RETURN_ARRIVALS;
                let (fy, fm, fd) = UA_RETURN_FROM;
                let early = d < Date::ymd(ey, em, ed);
                let late = h.arrival >= Date::ymd(ry, rm, rd) && d >= Date::ymd(fy, fm, fd);
                if !early && !late {
                    return None;
                }
            }
            StatusId::Hum25Abs5 if since.months_until(d) >= 18 => return None,
            _ => {}
        }
        let is_duldung = status.is_duldung();
        if is_duldung && h.folge.iter().any(|(a, b)| *a <= d && d < *b) {
            nr = "7";
        }
        if p.birth.months_until(d) < 3 && p.birth > h.arrival {
            nr = "6";
        }
        let benefit = if health_only {
            Benefit::P4to6
        } else if status == StatusId::Duldung60b || (is_duldung && h.p2_excluded) {
            Benefit::P3
        } else if h.arrival.months_until(d) >= waiting_months(d) {
            Benefit::P2
        } else {
            Benefit::P3
        };
        // The episode starts with the later of arrival in the city and the current status.
        let since = since.max(p.registered().unwrap_or(since)).month_start();
        Some(Entitlement {
            nr,
            benefit,
            case: h.case,
            since,
        })
    }
}

/// Persons per month arriving at Gelsenkirchen scale (refugee_factor 1), excluding § 24.
fn asylum_volume(m: Date) -> f64 {
    let (y, mo, _) = m.parts();
    match y {
        ..=1999 => 26.0,
        2000..=2004 => 16.0,
        2005..=2009 => 12.0,
        2010 => 20.0,
        2011 => 24.0,
        2012 => 36.0,
        2013 => 60.0,
        2014 => 105.0,
        2015 if mo <= 6 => 180.0,
        2015 => 380.0,
        2016 if mo <= 3 => 270.0,
        2016 => 100.0,
        2017 => 48.0,
        2018 => 38.0,
        2019 => 44.0,
        2020 => 28.0,
        2021 => 40.0,
        2022 => 55.0,
        2023 => 95.0,
        2024 => 56.0,
        2025 => 40.0,
        _ => 30.0,
    }
}

/// Ukrainian arrivals per month (temporary protection, § 24).
fn ukraine_volume(m: Date) -> f64 {
    let (y, mo, _) = m.parts();
    match (y, mo) {
        (2022, 3) => 700.0,
        (2022, 4) => 600.0,
        (2022, 5) => 300.0,
        (2022, _) if mo > 5 => 120.0,
        (2023, _) => 70.0,
        (2024, _) => 50.0,
        (2025, _) => 40.0,
        (y, _) if y >= 2026 => 30.0,
        _ => 0.0,
    }
}

/// Nationality mix of asylum seekers by period: (Destatis key, weight).
fn nationality_mix(m: Date) -> &'static [(u16, f64)] {
    let y = m.year();
    match y {
        ..=1999 => &[
            (122, 30.0),
            (150, 20.0),
            (170, 10.0),
            (163, 12.0),
            (451, 10.0),
            (438, 6.0),
            (423, 6.0),
            (439, 6.0),
        ],
        2000..=2009 => &[
            (150, 16.0),
            (170, 14.0),
            (451, 10.0),
            (163, 12.0),
            (438, 14.0),
            (423, 8.0),
            (439, 8.0),
            (232, 6.0),
            (160, 6.0),
            (273, 3.0),
            (224, 3.0),
        ],
        2010..=2012 => &[
            (170, 15.0),
            (150, 12.0),
            (144, 8.0),
            (438, 12.0),
            (423, 10.0),
            (439, 8.0),
            (475, 6.0),
            (163, 5.0),
            (232, 5.0),
            (451, 5.0),
            (160, 6.0),
            (430, 3.0),
            (273, 3.0),
            (224, 3.0),
            (261, 2.0),
        ],
        2013..=2014 => &[
            (475, 30.0),
            (170, 12.0),
            (150, 8.0),
            (121, 6.0),
            (144, 6.0),
            (122, 3.0),
            (438, 8.0),
            (423, 8.0),
            (224, 6.0),
            (160, 3.0),
            (232, 3.0),
            (273, 3.0),
            (439, 2.0),
            (238, 2.0),
        ],
        2015 => &[
            (475, 38.0),
            (121, 10.0),
            (150, 9.0),
            (170, 5.0),
            (438, 11.0),
            (423, 11.0),
            (224, 4.0),
            (439, 3.0),
            (144, 3.0),
            (232, 2.0),
            (273, 2.0),
            (261, 1.0),
            (461, 1.0),
        ],
        2016 => &[
            (475, 36.0),
            (438, 15.0),
            (423, 17.0),
            (439, 5.0),
            (224, 5.0),
            (232, 4.0),
            (261, 3.0),
            (273, 3.0),
            (121, 3.0),
            (163, 3.0),
            (461, 2.0),
            (160, 2.0),
            (238, 2.0),
        ],
        2017..=2019 => &[
            (475, 30.0),
            (438, 13.0),
            (423, 10.0),
            (232, 7.0),
            (439, 6.0),
            (163, 8.0),
            (224, 5.0),
            (261, 5.0),
            (273, 4.0),
            (430, 4.0),
            (160, 3.0),
            (238, 2.0),
            (262, 2.0),
            (221, 1.0),
        ],
        2020..=2021 => &[
            (475, 35.0),
            (423, 18.0),
            (438, 12.0),
            (163, 8.0),
            (430, 5.0),
            (232, 4.0),
            (439, 4.0),
            (224, 4.0),
            (273, 4.0),
            (261, 3.0),
            (160, 2.0),
        ],
        2022..=2024 => &[
            (475, 32.0),
            (423, 22.0),
            (163, 15.0),
            (438, 8.0),
            (439, 5.0),
            (430, 4.0),
            (160, 3.0),
            (232, 2.0),
            (273, 3.0),
            (224, 2.0),
            (261, 2.0),
            (221, 2.0),
        ],
        _ => &[
            (475, 20.0),
            (423, 22.0),
            (163, 16.0),
            (438, 9.0),
            (439, 5.0),
            (273, 5.0),
            (224, 4.0),
            (160, 4.0),
            (430, 4.0),
            (261, 4.0),
            (232, 3.0),
            (221, 2.0),
            (277, 2.0),
        ],
    }
}

/// Naming group of an asylum seeker of a nationality (Kurds among Syrians, Iraqis and
/// Turkish applicants).
fn group_for(nat: u16, rng: &mut Rng) -> Group {
    match nat {
        475 if rng.chance(0.15) => Group::Ku,
        438 if rng.chance(0.5) => Group::Ku,
        163 if rng.chance(0.6) => Group::Ku,
        451 if rng.chance(0.5) => Group::Ku,
        _ => Group::for_nationality(&format!("{nat:03}")),
    }
}

fn is_balkan(nat: u16) -> bool {
    matches!(nat, 121 | 122 | 144 | 150 | 170)
}

/// Outcome of an asylum decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Protected(StatusId),
    Rejected,
}

/// Protection rates (GFK, subsidiary, Abschiebungsverbot) by nationality and decision date.
fn decide(nat: u16, d: Date, rng: &mut Rng) -> Outcome {
    let y = d.year();
    let (gfk, sub, abs3) = match nat {
        475 if d < Date::ymd(2016, 4, 1) => (0.95, 0.02, 0.0),
        475 => (0.38, 0.58, 0.01),
        224 => (0.75, 0.15, 0.03),
        438 if y <= 2016 => (0.6, 0.1, 0.02),
        438 => (0.2, 0.1, 0.05),
        423 if y <= 2020 => (0.15, 0.07, 0.25),
        423 => (0.2, 0.05, 0.6),
        439 => (0.35, 0.02, 0.03),
        273 => (0.3, 0.3, 0.05),
        163 if (2017..=2020).contains(&y) => (0.3, 0.01, 0.01),
        163 => (0.15, 0.01, 0.01),
        232 => (0.05, 0.01, 0.05),
        261 => (0.1, 0.02, 0.05),
        160 if y >= 2022 => (0.2, 0.02, 0.02),
        n if is_balkan(n) => (0.005, 0.0, 0.01),
        430 => (0.01, 0.0, 0.01),
        _ => (0.1, 0.03, 0.05),
    };
    let u = rng.unit();
    if u < gfk {
        if rng.chance(0.02) {
            Outcome::Protected(StatusId::Hum25Abs1)
        } else {
            Outcome::Protected(StatusId::Hum25Abs2Gfk)
        }
    } else if u < gfk + sub {
        Outcome::Protected(StatusId::Hum25Abs2Subsidiaer)
    } else if u < gfk + sub + abs3 {
        Outcome::Protected(StatusId::Hum25Abs3)
    } else {
        Outcome::Rejected
    }
}

fn months(rng: &mut Rng, mean: f64, spread: f64) -> i32 {
    rng.around(mean, spread).round().max(1.0) as i32
}

/// Path of a household: statuses, leaving date, naturalisation.
struct Path {
    status: Vec<(Date, StatusId)>,
    left: Option<Date>,
    naturalised: Option<Date>,
    protected_at: Option<(Date, StatusId)>,
    folge: Vec<(Date, Date)>,
}

struct Sim<'a> {
    rng: Rng,
    /// The run's seed: the titles at the legal edges are decided by a household's own key.
    seed: u64,
    end: Date,
    city: &'a City,
    names: &'a Names,
    persons: Vec<Person>,
    households: Vec<Household>,
    next_person: u32,
    birth_year_only: f64,
    flats: Vec<Vec<usize>>,
    flat_weights: Vec<f64>,
    collective: Vec<usize>,
}

/// The status of a path on `d` (the last one granted on or before `d`).
fn status_on(status: &[(Date, StatusId)], d: Date) -> Option<StatusId> {
    status_since(status, d).map(|x| x.0)
}

/// The status of a path on `d` and the day it was granted.
fn status_since(status: &[(Date, StatusId)], d: Date) -> Option<(StatusId, Date)> {
    status.iter().rev().find(|x| x.0 <= d).map(|x| (x.1, x.0))
}

/// Titles at the legal edges of the law, added to a household's path: the Altfallregelung
/// (§ 104a, § 104b) of long-time Geduldete, the "Spurwechsel" titles § 19d (since 2020 under
/// that number) and § 16g (since 01.03.2024), and Fiktionsbescheinigungen (§ 81) "i. V. m."
/// the humanitarian title being extended or the § 24 title a new arrival from Ukraine waits
/// for. Decided by the household's own key, not the shared stream, so the rest of the city
/// stays as it was.
#[allow(clippy::too_many_arguments)]
fn legal_edges(
    seed: u64,
    end: Date,
    hid: u32,
    arrival: Date,
    nat: u16,
    young_adult: bool,
    has_young: bool,
    mut path: Path,
) -> Path {
    use StatusId::*;
    let u = |k: u64| unit_of(seed, &[tag::LEGAL_EDGES, u64::from(hid), k]);
    let days = |k: u64, n: f64| (u(k) * n) as i32;
    let here = |path: &Path, d: Date| path.left.is_none_or(|l| l > d) && d < end;
    // From `at` on, the path continues with `tail` instead of what it had.
    let replace = |path: &mut Path, at: Date, tail: &[(Date, StatusId)]| {
        path.status.retain(|x| x.0 < at);
        path.status.extend(tail.iter().filter(|x| x.0 < end));
        if path.protected_at.is_some_and(|(d, _)| d >= at) {
            path.protected_at = None;
        }
    };
    // Altfallregelung: a Duldung on 01.07.2007 after 8 years in Germany (6 with children).
    let cut = Date::ymd(2007, 7, 1);
    let years = if has_young { 6 } else { 8 };
    if status_on(&path.status, cut).is_some_and(StatusId::is_duldung)
        && arrival.add_months(12 * years) <= cut
        && here(&path, cut)
        && u(1) < 0.45
    {
        let at = cut.add_days(30 + days(2, 540.0));
        let title = if has_young && u(3) < 0.25 {
            Hum104b
        } else {
            Hum104a
        };
        // Most § 104a holders moved on to § 23 Abs. 1 (IMK extension) or back to a Duldung;
        // a few keep the title to this day, like the children with § 104b.
        let next = Date::ymd(2010, 1, 1).add_days(days(5, 720.0));
        let v = if title == Hum104b { 1.0 } else { u(4) };
        let mut tail = vec![(at, title)];
        if v < 0.65 {
            tail.push((next, Hum23Abs1));
        } else if v < 0.85 {
            tail.push((next, Duldung60a));
        }
        replace(&mut path, at, &tail);
    }
    // § 19d: qualified Geduldete in employment, after two years of Duldung.
    let from = Date::ymd(2020, 3, 1);
    let check = from.add_days(days(10, (end.days() - from.days()).max(1) as f64));
    if let Some((s, since)) = status_since(&path.status, check)
        && s.is_duldung()
        && since.months_until(check) >= 24
        && here(&path, check)
        && u(11) < 0.04
    {
        replace(&mut path, check, &[(check, Ae19d)]);
    }
    // § 16g: Ausbildung of Geduldeten, most from an Ausbildungsduldung; § 19d after it.
    let from = Date::ymd(2024, 3, 1);
    let check = from.add_days(days(12, (end.days() - from.days()).max(1) as f64));
    if let Some(s) = status_on(&path.status, check)
        && s.is_duldung()
        && here(&path, check)
    {
        let p = if matches!(s, Duldung60c | Duldung60aAusbildung) {
            0.5
        } else if young_adult {
            0.05
        } else {
            0.0
        };
        if u(13) < p {
            let done = check.add_months(36);
            replace(&mut path, check, &[(check, Ae16g), (done, Ae19d)]);
        }
    }
    // Fiktionsbescheinigung while the humanitarian title is extended.
    if let Some((s, since)) = status_since(&path.status, end)
        && let Some(fiktion) = s.extension_fiktion()
        && here(&path, end.add_days(-1))
        && u(20) < 0.05
    {
        let at = end.add_days(-1 - days(21, 120.0));
        if at > since {
            replace(&mut path, at, &[(at, fiktion)]);
        }
    }
    // A new arrival from Ukraine waits for the § 24 title with a Fiktionsbescheinigung.
    if nat == 166
        && path.status.first().map(|x| x.1) == Some(Hum24)
        && end.days() - arrival.days() < 150
        && u(30) < 0.7
    {
        let granted = arrival.add_days(60 + days(31, 90.0));
        replace(
            &mut path,
            arrival,
            &[(arrival, FiktionHum24), (granted, Hum24)],
        );
        path.protected_at = Some((arrival, Hum24));
    }
    path
}

/// The Duldung a household gets on `d` (variants by period and age).
fn duldung_variant(d: Date, young_adult: bool, rng: &mut Rng) -> StatusId {
    let u = rng.unit();
    if d >= Date::ymd(2019, 8, 21) && u < 0.10 {
        StatusId::Duldung60b
    } else if u < 0.15 {
        StatusId::Duldung60aErmessen
    } else if young_adult && u < 0.23 {
        if d >= Date::ymd(2020, 1, 1) {
            StatusId::Duldung60c
        } else if d >= Date::ymd(2016, 8, 6) {
            StatusId::Duldung60aAusbildung
        } else {
            StatusId::Duldung60a
        }
    } else if d >= Date::ymd(2020, 1, 1) && u < 0.25 {
        StatusId::Duldung60d
    } else {
        StatusId::Duldung60a
    }
}

impl Sim<'_> {
    fn path(&mut self, arrival: Date, nat: u16, young_adult: bool, has_young: bool) -> Path {
        let rng = &mut self.rng;
        let end = self.end.add_months(1);
        let mut st: Vec<(Date, StatusId)> = Vec::new();
        let mut left = None;
        let mut naturalised = None;
        let mut protected_at = None;
        let mut folge = Vec::new();
        let mut t = arrival;

        // Ukraine: temporary protection at once.
        if nat == 166 && arrival >= Date::ymd(2022, 2, 24) {
            st.push((t, StatusId::Hum24));
            let mut y = t;
            while y < end {
                y = y.add_months(12);
                if rng.chance(0.14) {
                    left = Some(y.add_days(-(rng.below(300) as i32)));
                    break;
                }
            }
            return Path {
                status: st,
                left,
                naturalised,
                protected_at: Some((arrival, StatusId::Hum24)),
                folge,
            };
        }
        // Admission programmes: a humanitarian title at once.
        let programme = match (nat, arrival.year()) {
            (475, 2013..=2015) if rng.chance(0.06) => Some(StatusId::Hum23Abs1),
            (475, 2016..=2024) if rng.chance(0.03) => Some(StatusId::Hum23Abs4),
            (423, 2021) if rng.chance(0.06) => Some(StatusId::Hum22),
            (423, 2022..=2025) if rng.chance(0.08) => Some(StatusId::Hum23Abs2),
            _ => None,
        };
        let mut state: Option<StatusId> = programme;
        if state.is_none() {
            st.push((t, StatusId::Akn));
            let akn_days = rng.range(10, 75);
            t = t.add_days(akn_days);
            st.push((t, StatusId::Gestattung));
            let y = t.year();
            let proc = match y {
                ..=2009 => months(rng, 18.0, 8.0),
                2010..=2013 => months(rng, 8.0, 3.0),
                2014 => months(rng, 10.0, 4.0),
                2015 if is_balkan(nat) => months(rng, 4.0, 2.0),
                2015 => months(rng, 14.0, 5.0),
                2016 => months(rng, 10.0, 4.0),
                2017..=2021 => months(rng, 6.0, 3.0),
                _ => months(rng, 8.0, 3.0),
            };
            t = t.add_months(proc);
            if t >= end {
                return Path {
                    status: st,
                    left,
                    naturalised,
                    protected_at,
                    folge,
                };
            }
            let mut outcome = decide(nat, t, rng);
            if outcome == Outcome::Rejected && !is_balkan(nat) && rng.chance(0.6) {
                // Appeal: the Gestattung continues during the court procedure.
                t = t.add_months(months(rng, 16.0, 8.0));
                if t >= end {
                    return Path {
                        status: st,
                        left,
                        naturalised,
                        protected_at,
                        folge,
                    };
                }
                if rng.chance(0.12) {
                    outcome = Outcome::Protected(if rng.chance(0.5) {
                        StatusId::Hum25Abs3
                    } else {
                        StatusId::Hum25Abs2Gfk
                    });
                }
            }
            match outcome {
                Outcome::Protected(s) => state = Some(s),
                Outcome::Rejected => {
                    let p_leave = if is_balkan(nat) { 0.7 } else { 0.25 };
                    if rng.chance(p_leave) {
                        st.push((t, StatusId::Ausreisepflichtig));
                        left = Some(t.add_months(months(rng, 3.0, 2.0)));
                        return Path {
                            status: st,
                            left,
                            naturalised,
                            protected_at,
                            folge,
                        };
                    }
                    if rng.chance(0.12) {
                        let kind = if rng.chance(0.7) {
                            StatusId::Ausreisepflichtig
                        } else {
                            StatusId::OhneStatus
                        };
                        st.push((t, kind));
                        t = t.add_months(months(rng, 3.0, 2.0));
                        if rng.chance(0.4) {
                            left = Some(t);
                            return Path {
                                status: st,
                                left,
                                naturalised,
                                protected_at,
                                folge,
                            };
                        }
                    }
                }
            }
        }
        // Duldung loop (if not protected).
        if state.is_none() {
            let mut dul = duldung_variant(t, young_adult, rng);
            if t < Date::ymd(2005, 1, 1) && rng.chance(0.3) {
                dul = StatusId::DuldungAuslG;
            }
            st.push((t, dul));
            let dul_since = t;
            while t < end {
                t = t.add_months(6);
                let years = arrival.months_until(t) / 12;
                if rng.chance(0.05) {
                    left = Some(t);
                    break;
                }
                if rng.chance(0.03) {
                    let until = t.add_months(months(rng, 6.0, 3.0));
                    folge.push((t, until));
                }
                let eligible_104c = t >= Date::ymd(2023, 1, 1)
                    && t < Date::ymd(2026, 1, 1)
                    && dul_since <= Date::ymd(2022, 10, 31)
                    && arrival <= Date::ymd(2017, 10, 31);
                if eligible_104c && rng.chance(0.25) {
                    st.push((t, StatusId::Hum104c));
                    let after = t.add_months(18);
                    let u = rng.unit();
                    if u < 0.55 {
                        st.push((after, StatusId::Hum25b));
                        state = Some(StatusId::Hum25b);
                        t = after;
                    } else if u < 0.9 {
                        st.push((after, StatusId::Duldung60a));
                        t = after;
                        continue;
                    } else {
                        left = Some(after);
                    }
                    break;
                }
                if t.months_until(self.end) < -1 {
                    break;
                }
                let since_dul = dul_since.months_until(t);
                let u = rng.unit();
                let s = if since_dul >= 18 && u < 0.03 {
                    Some(StatusId::Hum25Abs5)
                } else if has_young && years >= if t.year() >= 2023 { 3 } else { 4 } && u < 0.06 {
                    Some(StatusId::Hum25a)
                } else if t >= Date::ymd(2015, 8, 1) && years >= 6 && u < 0.10 {
                    Some(StatusId::Hum25b)
                } else if u < 0.103 {
                    Some(StatusId::Hum23a)
                } else {
                    None
                };
                if let Some(s) = s {
                    st.push((t, s));
                    state = Some(s);
                    break;
                }
                if rng.chance(0.08) {
                    let v = duldung_variant(t, young_adult, rng);
                    if st.last().map(|x| x.1) != Some(v) {
                        st.push((t, v));
                    }
                }
            }
        }
        // Humanitarian loop.
        if let (Some(s), None) = (state, left) {
            if st.last().map(|x| x.1) != Some(s) {
                st.push((t, s));
            }
            protected_at = Some((t, s));
            let mut cur = s;
            let granted = t;
            let mut y = t;
            while y < end {
                y = y.add_months(12);
                let years = granted.months_until(y) / 12;
                let in_de = arrival.months_until(y) / 12;
                if rng.chance(0.045) {
                    left = Some(y.add_days(-(rng.below(200) as i32)));
                    break;
                }
                let nat_years = if y >= Date::ymd(2024, 6, 27) { 5 } else { 6 };
                let naturalises = matches!(nat, 475 | 224 | 438 | 423 | 439 | 273)
                    && in_de >= nat_years
                    && y >= Date::ymd(2019, 1, 1);
                if naturalises && rng.chance(0.10) {
                    naturalised = Some(y.add_days(-(rng.below(300) as i32)));
                    break;
                }
                let next = match cur {
                    StatusId::Hum25Abs2Gfk | StatusId::Hum25Abs1 if years >= 3 => {
                        rng.chance(0.15).then_some(StatusId::Hum26Abs3)
                    }
                    StatusId::Hum25Abs2Subsidiaer
                    | StatusId::Hum25Abs3
                    | StatusId::Hum25Abs5
                    | StatusId::Hum25a
                    | StatusId::Hum25b
                    | StatusId::Hum23Abs1
                    | StatusId::Hum23Abs2
                    | StatusId::Hum23Abs4
                    | StatusId::Hum22
                        if years >= 5 =>
                    {
                        rng.chance(0.08).then_some(StatusId::Hum26Abs4)
                    }
                    StatusId::Hum25Abs5 if years >= 2 => {
                        rng.chance(0.1).then_some(StatusId::Hum25b)
                    }
                    _ => None,
                };
                if let Some(n) = next {
                    st.push((y, n));
                    cur = n;
                }
            }
        }
        Path {
            status: st,
            left,
            naturalised,
            protected_at,
            folge,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_person(
        &mut self,
        group: Group,
        sex: Sex,
        age: i32,
        at: Date,
        nat: u16,
        family: &str,
        household: u32,
    ) -> usize {
        let id = self.next_person;
        self.next_person += 1;
        let birth = birth_for_age(&mut self.rng, age, at);
        let given = self.names.given(group, sex, &mut self.rng);
        let precision = if nat != 166 && self.rng.chance(self.birth_year_only) {
            Precision::Year
        } else {
            Precision::Full
        };
        let birth = if precision == Precision::Year {
            // Authorities record 1 January (or 00.00.) of a plausible year.
            Date::ymd(birth.year(), 1, 1)
        } else {
            birth
        };
        self.persons.push(Person {
            id,
            household,
            family: family.to_string(),
            birth_name: None,
            given,
            sex,
            birth,
            precision,
            group,
            nationality: nat,
            nationality2: None,
            naturalised: None,
            marital: Marital::Ledig,
            residence: Vec::new(),
            dwelling: Dwelling::Alleinige,
            status: Vec::new(),
            entry: Some(at),
            refugee_household: Some(household),
            died: false,
        });
        self.persons.len() - 1
    }

    /// Members (sex, age) of a household arriving on `at`.
    fn composition(&mut self, nat: u16, at: Date) -> Vec<(Sex, i32)> {
        let rng = &mut self.rng;
        let adult = |rng: &mut Rng, lo: i32, hi: i32| sample_age(rng, true, lo, hi);
        let kids = |rng: &mut Rng, mother_age: i32, n: usize| -> Vec<(Sex, i32)> {
            (0..n)
                .map(|_| {
                    let max = (mother_age - 18).clamp(0, 17);
                    let sex = if rng.chance(0.5) { Sex::M } else { Sex::W };
                    (sex, rng.range(0, max))
                })
                .collect()
        };
        let u = rng.unit();
        let _ = at;
        if nat == 166 {
            if u < 0.45 {
                let m = adult(rng, 24, 50);
                let n = 1 + rng.index(3);
                let mut v = vec![(Sex::W, m)];
                v.extend(kids(rng, m, n));
                v
            } else if u < 0.60 {
                vec![(Sex::W, adult(rng, 18, 60))]
            } else if u < 0.75 {
                let a = adult(rng, 60, 85);
                if rng.chance(0.5) {
                    vec![(Sex::W, a), (Sex::M, (a + rng.range(-3, 5)).max(60))]
                } else {
                    vec![(Sex::W, a)]
                }
            } else if u < 0.90 {
                let m = adult(rng, 24, 45);
                let n = 1 + rng.index(3);
                let mut v = vec![(Sex::W, m), (Sex::M, (m + rng.range(-2, 6)).max(18))];
                v.extend(kids(rng, m, n));
                v
            } else {
                vec![(Sex::M, adult(rng, 55, 75))]
            }
        } else if u < 0.45 {
            vec![(Sex::M, adult(rng, 18, 35))]
        } else if u < 0.50 {
            vec![(Sex::W, adult(rng, 18, 40))]
        } else if u < 0.58 {
            let a = adult(rng, 20, 45);
            vec![(Sex::M, a), (Sex::W, (a - rng.range(0, 6)).max(18))]
        } else if u < 0.93 {
            let f = adult(rng, 24, 50);
            let m = (f - rng.range(0, 8)).max(19);
            let n = 1 + rng.index(4);
            let mut v = vec![(Sex::M, f), (Sex::W, m)];
            v.extend(kids(rng, m, n));
            v
        } else {
            let m = adult(rng, 22, 45);
            let n = 1 + rng.index(3);
            let mut v = vec![(Sex::W, m)];
            v.extend(kids(rng, m, n));
            v
        }
    }

    /// A flat for a refugee household (weighted by the Stadtteile used for it).
    fn flat(&mut self) -> u32 {
        let k = self.rng.weighted(&self.flat_weights);
        let list = &self.flats[k];
        if list.is_empty() {
            return self.rng.index(self.city.addresses.len()) as u32;
        }
        list[self.rng.index(list.len())] as u32
    }

    /// Address timeline of a household from `arrival` to `left`.
    fn residence(
        &mut self,
        arrival: Date,
        nat: u16,
        left: Option<Date>,
    ) -> Vec<(Date, Option<u32>)> {
        let mut res = Vec::new();
        let y = arrival.year();
        let p_collective = if nat == 166 {
            0.2
        } else if (2014..=2017).contains(&y) {
            0.8
        } else {
            0.5
        };
        let mut t = arrival;
        if !self.collective.is_empty() && self.rng.chance(p_collective) {
            let c = self.collective[self.rng.index(self.collective.len())] as u32;
            res.push((t, Some(c)));
            let stay = if (2015..=2016).contains(&y) {
                months(&mut self.rng, 15.0, 6.0)
            } else {
                months(&mut self.rng, 8.0, 5.0)
            };
            t = t.add_months(stay);
        }
        let end = left
            .unwrap_or(self.end.add_months(1))
            .min(self.end.add_months(1));
        if t < end {
            let f = self.flat();
            res.push((t, Some(f)));
            let mut y = t;
            loop {
                y = y.add_months(12);
                if y >= end {
                    break;
                }
                if self.rng.chance(0.07) {
                    let when = y.add_days(-(self.rng.below(330) as i32));
                    let f = self.flat();
                    if res.last().map(|r| r.1) != Some(Some(f))
                        && when > res.last().map_or(t, |r| r.0)
                    {
                        res.push((when, Some(f)));
                    }
                }
            }
        }
        if let Some(l) = left {
            let l = l.max(res.last().map_or(arrival, |r| r.0).add_days(1));
            res.push((l, None));
        }
        res
    }

    /// A child born into a household on `birth` (takes the household's status and
    /// addresses from then on); `None` if the household was not in the city then.
    fn newborn(
        &mut self,
        (group, nat, hid): (Group, u16, u32),
        family: &str,
        birth: Date,
        path: &Path,
        residence: &[(Date, Option<u32>)],
    ) -> Option<usize> {
        let mut res: Vec<(Date, Option<u32>)> = Vec::new();
        if let Some((_, a)) = residence.iter().rev().find(|(d, _)| *d <= birth) {
            res.push((birth, *a));
        }
        res.extend(residence.iter().filter(|(d, _)| *d > birth).copied());
        if res.first().is_none_or(|r| r.1.is_none()) {
            return None;
        }
        let sex = if self.rng.chance(0.51) {
            Sex::M
        } else {
            Sex::W
        };
        let pi = self.new_person(group, sex, 0, birth, nat, family, hid);
        let p = &mut self.persons[pi];
        p.birth = birth;
        p.precision = Precision::Full;
        p.entry = None;
        p.status = path
            .status
            .iter()
            .filter(|(d, _)| *d > birth)
            .copied()
            .collect();
        let at_birth = path
            .status
            .iter()
            .rev()
            .find(|(d, _)| *d <= birth)
            .map(|(_, s)| *s);
        if let Some(s) = at_birth {
            let s = if s == StatusId::Akn {
                StatusId::Gestattung
            } else {
                s
            };
            p.status.insert(0, (birth, s));
        }
        p.residence = res;
        if let Some(n) = path.naturalised {
            p.naturalised = Some(n.max(birth));
            p.nationality2 = Some(nat);
        }
        Some(pi)
    }

    /// Gives `twin` a first given name other than its sibling's (parents do not give twins
    /// the same name; similar ones they do).
    fn name_twin(&mut self, twin: usize, sibling: usize, group: Group) {
        for _ in 0..20 {
            if self.persons[twin].given.first() != self.persons[sibling].given.first() {
                return;
            }
            let sex = self.persons[twin].sex;
            self.persons[twin].given = self.names.given(group, sex, &mut self.rng);
        }
    }

    /// One household arriving on `arrival`.
    fn household(&mut self, arrival: Date, nat: u16, forced: Option<Forced>) {
        let hid = self.households.len() as u32;
        let group = group_for(nat, &mut self.rng);
        let members_spec = match &forced {
            Some(f) if f.family => vec![(Sex::W, 34), (Sex::M, 38), (Sex::M, 9), (Sex::W, 5)],
            Some(f) => vec![(if f.female { Sex::W } else { Sex::M }, f.age)],
            None => self.composition(nat, arrival),
        };
        let family = self.names.family(group, &mut self.rng);
        let mut members = Vec::new();
        for (sex, age) in &members_spec {
            let pi = self.new_person(group, *sex, *age, arrival, nat, &family, hid);
            members.push(pi);
        }
        // Married couples.
        if members_spec.len() >= 2 && members_spec[0].1 >= 18 && members_spec[1].1 >= 18 {
            self.persons[members[0]].marital = Marital::Verheiratet;
            self.persons[members[1]].marital = Marital::Verheiratet;
        }
        let young_adult = members_spec.iter().any(|(_, a)| (18..=27).contains(a));
        let has_young = members_spec.iter().any(|(_, a)| (10..=20).contains(a));
        let path = match &forced {
            Some(f) => Path {
                status: f.status.clone(),
                left: None,
                naturalised: None,
                protected_at: None,
                folge: f.folge.clone(),
            },
            None => {
                let path = self.path(arrival, nat, young_adult, has_young);
                legal_edges(
                    self.seed,
                    self.end,
                    hid,
                    arrival,
                    nat,
                    young_adult,
                    has_young,
                    path,
                )
            }
        };
        let residence = self.residence(arrival, nat, path.left);
        let case = 5_000_000 + ((u64::from(hid) * 7_919 + 13) % 4_999_999) as u32;
        let (benefit_stop, health_only) = match &forced {
            Some(f) => (f.stop, f.health),
            None => {
                if self.rng.chance(0.45) {
                    let stop = arrival.add_months(months(&mut self.rng, 40.0, 20.0));
                    let health = if self.rng.chance(0.35) {
                        Some((stop.add_months(-months(&mut self.rng, 4.0, 2.0)), stop))
                    } else {
                        None
                    };
                    (Some(stop), health)
                } else {
                    (None, None)
                }
            }
        };
        for &pi in &members {
            let p = &mut self.persons[pi];
            p.status = path.status.clone();
            p.residence = residence.clone();
            if let Some(n) = path.naturalised {
                p.naturalised = Some(n);
                p.nationality2 = Some(nat);
            }
        }
        // Newborns while in the city (household with a woman aged 18-42).
        let mother = members.iter().copied().find(|&pi| {
            self.persons[pi].sex == Sex::W && (18..=42).contains(&self.persons[pi].age_at(arrival))
        });
        if let Some(mi) = mother
            && forced.is_none()
        {
            let end = path.left.unwrap_or(self.end).min(self.end);
            let mut t = arrival.add_months(10);
            while t < end {
                if self.rng.chance(0.09) && self.persons[mi].age_at(t) <= 44 {
                    let birth = t.add_days(-(self.rng.below(365) as i32));
                    let born = (group, nat, hid);
                    if let Some(pi) = self.newborn(born, &family, birth, &path, &residence) {
                        members.push(pi);
                        if self.rng.chance(TWIN_RATE)
                            && let Some(twin) =
                                self.newborn(born, &family, birth, &path, &residence)
                        {
                            self.name_twin(twin, pi, group);
                            members.push(twin);
                        }
                    }
                }
                t = t.add_months(12);
            }
        }
        if let Some(birth) = forced.as_ref().and_then(|f| f.baby)
            && let Some(pi) = self.newborn((group, nat, hid), &family, birth, &path, &residence)
        {
            members.push(pi);
        }
        // Family reunion for single men with protection before 2021.
        if let (Some((td, s)), true) = (path.protected_at, members_spec.len() == 1) {
            let eligible = matches!(nat, 475 | 224 | 438 | 423)
                && members_spec[0].0 == Sex::M
                && members_spec[0].1 >= 20
                && td.year() <= 2020
                && matches!(s, StatusId::Hum25Abs2Gfk | StatusId::Hum25Abs2Subsidiaer);
            if eligible && self.rng.chance(0.35) {
                let join = td.add_months(months(&mut self.rng, 16.0, 6.0));
                let still = residence
                    .iter()
                    .rev()
                    .find(|(d, _)| *d <= join)
                    .and_then(|r| r.1);
                if let Some(addr) = still
                    && join < self.end
                {
                    let husband_age = self.persons[members[0]].age_at(join);
                    let wife_age = (husband_age - self.rng.range(0, 6)).max(18);
                    let n_kids = self.rng.index(4);
                    let sub_after =
                        s == StatusId::Hum25Abs2Subsidiaer && join >= Date::ymd(2018, 8, 1);
                    let mut spec = vec![(Sex::W, wife_age)];
                    for _ in 0..n_kids {
                        let sex = if self.rng.chance(0.5) { Sex::M } else { Sex::W };
                        spec.push((sex, self.rng.range(0, (wife_age - 18).clamp(0, 16))));
                    }
                    self.persons[members[0]].marital = Marital::Verheiratet;
                    for (i, (sex, age)) in spec.into_iter().enumerate() {
                        let pi = self.new_person(group, sex, age, join, nat, &family, hid);
                        let status = if sub_after {
                            StatusId::Ae36
                        } else if i == 0 {
                            StatusId::Ae30
                        } else {
                            StatusId::Ae32
                        };
                        let p = &mut self.persons[pi];
                        p.status = vec![(join, status)];
                        if i == 0 {
                            p.marital = Marital::Verheiratet;
                        }
                        let mut res = vec![(join, Some(addr))];
                        res.extend(residence.iter().filter(|(d, _)| *d > join).copied());
                        p.residence = res;
                        if let Some(n) = path.naturalised {
                            p.naturalised = Some(n.max(join.add_months(12)));
                            p.nationality2 = Some(nat);
                        }
                        members.push(pi);
                    }
                }
            }
        }
        let p2_excluded = forced.is_none() && self.rng.chance(0.35);
        self.households.push(Household {
            members,
            arrival,
            case,
            residence,
            benefit_stop,
            health_only,
            folge: path.folge,
            p2_excluded,
        });
    }
}

/// A household with a prescribed history (so every status and PKS code occurs at every
/// scale).
#[derive(Clone, Debug)]
struct Forced {
    status: Vec<(Date, StatusId)>,
    family: bool,
    female: bool,
    age: i32,
    stop: Option<Date>,
    health: Option<(Date, Date)>,
    folge: Vec<(Date, Date)>,
    baby: Option<Date>,
}

/// The coverage households for a Stichtag: (arrival, nationality, forced history).
fn coverage(s: Date) -> Vec<(Date, u16, Forced)> {
    use StatusId::*;
    let f = |status: Vec<(Date, StatusId)>| Forced {
        status,
        family: false,
        female: false,
        age: 31,
        stop: None,
        health: None,
        folge: Vec::new(),
        baby: None,
    };
    let ago = |m: i32| s.add_months(-m);
    let mut out: Vec<(Date, u16, Forced)> = Vec::new();
    let simple = |status: StatusId, nat: u16, arrival_ago: i32, status_ago: i32| {
        let arr = ago(arrival_ago);
        let mut st = vec![(arr, Akn), (arr.add_days(30), Gestattung)];
        if status != Gestattung {
            st.push((ago(status_ago), status));
        }
        (arr, nat, f(st))
    };
    let akn = s.month_start().add_days(-10);
    out.push((akn, 423, f(vec![(akn, Akn)])));
    out.push(simple(Gestattung, 475, 8, 0));
    // A Gestattung issued under the old AsylVfG, still running (court procedure).
    let old = Date::ymd(2015, 5, 11);
    out.push((
        old,
        438,
        f(vec![(old, Akn), (Date::ymd(2015, 6, 15), Gestattung)]),
    ));
    for (status, nat) in [
        (Duldung60a, 150),
        (Duldung60a, 121),
        (Hum25Abs2Gfk, 224),
        (Hum25Abs2Gfk, 475),
        (Hum25Abs2Subsidiaer, 475),
        (Duldung60aErmessen, 121),
        (Duldung60b, 232),
        (Duldung60c, 423),
        (Duldung60d, 430),
        (Hum25Abs1, 439),
        (Hum25Abs2Gfk, 475),
        (Hum25Abs2Subsidiaer, 475),
        (Hum25Abs3, 423),
        (Hum25Abs4, 160),
        (Hum25Abs4a, 232),
        (Hum25Abs4b, 154),
        (Hum25Abs5, 451),
        (Hum25a, 438),
        (Hum25b, 150),
        (Hum23a, 170),
        (Ausreisepflichtig, 144),
        (OhneStatus, 430),
    ] {
        out.push(simple(status, nat, 60, 20));
    }
    // Ausbildungsduldung under the old § 60a Abs. 2 S. 4 (2016-2019), still held.
    out.push(simple(Duldung60aAusbildung, 261, 110, 90));
    let arr = ago(80);
    out.push((
        arr,
        475,
        f(vec![
            (arr, Akn),
            (arr.add_days(40), Gestattung),
            (arr.add_months(9), Hum25Abs2Gfk),
            (ago(14), Hum26Abs3),
        ]),
    ));
    out.push((
        arr,
        224,
        f(vec![
            (arr, Akn),
            (arr.add_days(40), Gestattung),
            (arr.add_months(9), Hum25Abs2Subsidiaer),
            (ago(10), Hum26Abs4),
        ]),
    ));
    for (status, nat) in [
        (Hum22, 423),
        (Hum23Abs1, 475),
        (Hum23Abs2, 423),
        (Hum23Abs4, 475),
    ] {
        let arr = ago(30);
        out.push((arr, nat, f(vec![(arr, status)])));
    }
    // § 104c: granted within the last 18 months (only possible from 2023).
    if ago(10) >= Date::ymd(2023, 1, 1) {
        let arr = ago(120);
        out.push((
            arr,
            150,
            f(vec![
                (arr, Akn),
                (arr.add_days(30), Gestattung),
                (arr.add_months(14), Duldung60a),
                (ago(10), Hum104c),
            ]),
        ));
    }
    // Legacy citations: Duldung and Aufenthaltsbefugnis under the old Ausländergesetz.
    let a = Date::ymd(2001, 3, 12);
    out.push((
        a,
        451,
        f(vec![(a, Gestattung), (Date::ymd(2003, 6, 2), DuldungAuslG)]),
    ));
    let a = Date::ymd(1999, 9, 20);
    out.push((
        a,
        150,
        f(vec![(a, Gestattung), (Date::ymd(2002, 9, 1), HumAuslG30)]),
    ));
    // § 24: a family of March 2022 (AsylbLG until May 2022) and a late arrival (AsylbLG again
    // from 2026).
    let ua = Date::ymd(2022, 3, 18);
    if ua < s {
        let mut fam = f(vec![(ua, Hum24)]);
        fam.family = true;
        out.push((ua, 166, fam));
    }
    let ua2 = Date::ymd(2025, 6, 10);
    if ua2 < s {
        let mut w = f(vec![(ua2, Hum24)]);
        w.female = true;
        out.push((ua2, 166, w));
    }
    // PKS coverage: §§ 4-6 episodes, follow-up applications, § 2 for Nr. 5.
    let arr = ago(48);
    let mut g = f(vec![(arr, Akn), (arr.add_days(20), Gestattung)]);
    g.stop = Some(ago(2));
    g.health = Some((ago(8), ago(2)));
    out.push((arr, 423, g));
    let arr = ago(70);
    let mut d = f(vec![
        (arr, Akn),
        (arr.add_days(20), Gestattung),
        (ago(50), Duldung60a),
    ]);
    d.stop = Some(ago(3));
    d.health = Some((ago(9), ago(3)));
    d.folge = vec![(ago(30), ago(24)), (ago(44), ago(40))];
    out.push((arr, 438, d));
    let arr = ago(70);
    let mut r = f(vec![
        (arr, Akn),
        (arr.add_days(20), Gestattung),
        (ago(44), Ausreisepflichtig),
    ]);
    r.folge = Vec::new();
    out.push((arr, 430, r));
    let arr = ago(66);
    let mut h = f(vec![
        (arr, Akn),
        (arr.add_days(20), Gestattung),
        (ago(12), Hum25Abs5),
    ]);
    h.stop = Some(ago(4));
    h.health = Some((ago(8), ago(4)));
    out.push((arr, 451, h));
    // A family with a baby under § 3 and one under § 2 (AsylbLG Nr. 6).
    let arr = ago(10);
    let mut fam = f(vec![(arr, Akn), (arr.add_days(20), Gestattung)]);
    fam.family = true;
    fam.baby = Some(ago(2).add_days(5));
    out.push((arr, 423, fam));
    let arr = ago(60);
    let mut fam2 = f(vec![(arr, Akn), (arr.add_days(20), Gestattung)]);
    fam2.family = true;
    fam2.baby = Some(ago(2).add_days(9));
    out.push((arr, 475, fam2));
    // Follow-up application under § 3 and Nr. 5 under § 3.
    let arr = ago(30);
    let mut d2 = f(vec![
        (arr, Akn),
        (arr.add_days(20), Gestattung),
        (ago(20), Duldung60a),
    ]);
    d2.folge = vec![(ago(10), ago(6))];
    out.push((arr, 423, d2));
    let arr = ago(12);
    out.push((
        arr,
        232,
        f(vec![
            (arr, Akn),
            (arr.add_days(20), Gestattung),
            (ago(4), Ausreisepflichtig),
        ]),
    ));
    out
}

/// Runs the refugee simulation.
pub(crate) fn simulate(
    params: &Params,
    seed: u64,
    city: &City,
    names: &Names,
    stichtag: Date,
    birth_year_only: f64,
) -> Refugees {
    let k = city.stadtteile.len();
    let mut flats: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (ai, a) in city.addresses.iter().enumerate() {
        if !a.collective && a.capacity >= 2 {
            flats[city.stadtteil_of_address(ai)].push(ai);
        }
    }
    let flat_weights: Vec<f64> = city
        .stadtteile
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if flats[i].is_empty() {
                0.0
            } else {
                s.def.refugee_weight * s.population
            }
        })
        .collect();
    let collective: Vec<usize> = (0..city.addresses.len())
        .filter(|&a| city.addresses[a].collective)
        .collect();
    let mut sim = Sim {
        rng: Rng::derive(seed, &[tag::REFUGEES]),
        seed,
        end: stichtag,
        city,
        names,
        persons: Vec::new(),
        households: Vec::new(),
        next_person: 1,
        birth_year_only,
        flats,
        flat_weights,
        collective,
    };
    let start = Date::ymd(HISTORY_START.0, HISTORY_START.1, 1);
    let mut m = start;
    let mut carry = 0.0f64;
    let mut carry_ua = 0.0f64;
    while m <= stichtag {
        let mix = nationality_mix(m);
        let weights: Vec<f64> = mix.iter().map(|(_, w)| *w).collect();
        // Households of about 2.3 persons.
        carry += asylum_volume(m) * params.refugee_factor / 2.3;
        while carry >= 1.0 || sim.rng.chance(carry) {
            carry -= 1.0;
            let nat = mix[sim.rng.weighted(&weights)].0;
            let day = sim.rng.range(0, 27);
            let arrival = m.add_days(day);
            if arrival <= stichtag {
                sim.household(arrival, nat, None);
            }
        }
        carry = carry.max(0.0);
        carry_ua += ukraine_volume(m) * params.refugee_factor / 2.0;
        while carry_ua >= 1.0 || sim.rng.chance(carry_ua) {
            carry_ua -= 1.0;
            let arrival = m.add_days(sim.rng.range(0, 27)).max(Date::ymd(2022, 2, 24));
            if arrival <= stichtag {
                sim.household(arrival, 166, None);
            }
        }
        carry_ua = carry_ua.max(0.0);
        m = m.add_months(1);
    }
    let mut cov_rng = Rng::derive(seed, &[tag::COVERAGE]);
    std::mem::swap(&mut sim.rng, &mut cov_rng);
    for (arrival, nat, forced) in coverage(stichtag) {
        if arrival < stichtag {
            sim.household(arrival, nat, Some(forced));
        }
    }
    // Keep only households that lived in the city after mid-2009 (earlier ones never show
    // up in an export).
    let cutoff = Date::ymd(2009, 7, 1);
    let keep: Vec<bool> = sim
        .households
        .iter()
        .map(|h| {
            h.members.iter().any(|&pi| {
                sim.persons[pi]
                    .left_by(stichtag)
                    .is_none_or(|l| l >= cutoff)
            })
        })
        .collect();
    let mut persons = Vec::new();
    let mut households = Vec::new();
    for (h, kept) in sim.households.into_iter().zip(keep) {
        if !kept {
            continue;
        }
        let new_id = households.len() as u32;
        let mut members = Vec::new();
        for pi in h.members {
            let mut p = sim.persons[pi].clone();
            p.refugee_household = Some(new_id);
            p.household = new_id;
            p.id = persons.len() as u32 + 1;
            members.push(persons.len());
            persons.push(p);
        }
        households.push(Household {
            members,
            case: 5_000_000 + ((u64::from(new_id) * 7_919 + 13) % 4_999_999) as u32,
            ..h
        });
    }
    Refugees {
        persons,
        households,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(status: Vec<(Date, StatusId)>) -> Path {
        Path {
            status,
            left: None,
            naturalised: None,
            protected_at: None,
            folge: Vec::new(),
        }
    }

    /// The titles `legal_edges` gives households 0..n of the path `status`, with the days.
    fn edges(
        status: &[(Date, StatusId)],
        arrival: Date,
        nat: u16,
        young: (bool, bool),
        n: u32,
    ) -> Vec<Vec<(Date, StatusId)>> {
        let end = Date::ymd(2026, 10, 31);
        (0..n)
            .map(|hid| {
                let p = path_of(status.to_vec());
                legal_edges(7, end, hid, arrival, nat, young.0, young.1, p).status
            })
            .collect()
    }

    fn share(paths: &[Vec<(Date, StatusId)>], s: StatusId) -> f64 {
        paths.iter().filter(|p| p.iter().any(|x| x.1 == s)).count() as f64 / paths.len() as f64
    }

    #[test]
    fn the_altfallregelung_needs_a_duldung_on_the_stichtag_after_eight_or_six_years() {
        use StatusId::*;
        let long = [
            (Date::ymd(1998, 1, 10), Akn),
            (Date::ymd(1998, 2, 1), Gestattung),
            (Date::ymd(1999, 3, 1), Duldung60a),
        ];
        // Eight years by 01.07.2007: about 45 % get § 104a, families sometimes § 104b.
        let single = edges(&long, Date::ymd(1998, 1, 10), 238, (false, false), 2000);
        assert!((0.38..0.52).contains(&share(&single, Hum104a)));
        assert_eq!(share(&single, Hum104b), 0.0);
        let family = edges(&long, Date::ymd(1998, 1, 10), 238, (false, true), 2000);
        assert!(share(&family, Hum104b) > 0.05);
        for p in single.iter().chain(&family) {
            assert!(p.windows(2).all(|w| w[0].0 <= w[1].0), "{p:?}");
            if let Some(at) = p.iter().find(|x| matches!(x.1, Hum104a | Hum104b)) {
                assert!(at.0 > Date::ymd(2007, 7, 1), "{p:?}");
            }
        }
        // Too short in Germany (six years, no children), or no Duldung on the Stichtag: never.
        let short = [
            (Date::ymd(2001, 1, 10), Akn),
            (Date::ymd(2001, 2, 1), Duldung60a),
        ];
        let paths = edges(&short, Date::ymd(2001, 1, 10), 238, (false, false), 500);
        assert_eq!(share(&paths, Hum104a), 0.0);
        let protected = [
            (Date::ymd(1998, 1, 10), Gestattung),
            (Date::ymd(1999, 3, 1), Hum25Abs1),
        ];
        let paths = edges(&protected, Date::ymd(1998, 1, 10), 238, (false, true), 500);
        assert_eq!(share(&paths, Hum104a) + share(&paths, Hum104b), 0.0);
    }

    #[test]
    fn spurwechsel_comes_from_a_duldung_16g_only_since_march_2024() {
        use StatusId::*;
        let ausbildung = [
            (Date::ymd(2018, 1, 10), Gestattung),
            (Date::ymd(2019, 1, 1), Duldung60c),
        ];
        let paths = edges(
            &ausbildung,
            Date::ymd(2018, 1, 10),
            224,
            (true, false),
            2000,
        );
        assert!(share(&paths, Ae16g) > 0.3, "{}", share(&paths, Ae16g));
        assert!(share(&paths, Ae19d) > 0.01);
        for p in &paths {
            for x in p {
                match x.1 {
                    Ae16g => assert!(x.0 >= Date::ymd(2024, 3, 1), "{p:?}"),
                    Ae19d => assert!(x.0 >= Date::ymd(2020, 3, 1), "{p:?}"),
                    _ => {}
                }
            }
        }
        // A humanitarian title is no Duldung: no Spurwechsel.
        let protected = [(Date::ymd(2018, 1, 10), Hum25Abs3)];
        let paths = edges(&protected, Date::ymd(2018, 1, 10), 224, (true, false), 500);
        assert_eq!(share(&paths, Ae16g) + share(&paths, Ae19d), 0.0);
    }

    #[test]
    fn a_fiktionsbescheinigung_names_the_title_it_waits_for() {
        use StatusId::*;
        let protected = [(Date::ymd(2019, 5, 1), Hum25Abs2Subsidiaer)];
        let paths = edges(
            &protected,
            Date::ymd(2018, 1, 10),
            475,
            (false, false),
            2000,
        );
        let f = share(&paths, FiktionHum25Abs2);
        assert!((0.03..0.07).contains(&f), "{f}");
        for p in paths.iter().filter(|p| p.iter().any(|x| x.1.is_fiktion())) {
            let last = p.last().unwrap();
            assert_eq!(last.1.applied_for(), Some(Hum25Abs2Gfk));
            assert!(last.0 > Date::ymd(2026, 6, 1) && last.0 < Date::ymd(2026, 10, 31));
        }
        // A new arrival from Ukraine: Fiktion first, the § 24 title after it.
        let arrival = Date::ymd(2026, 8, 1);
        let paths = edges(&[(arrival, Hum24)], arrival, 166, (false, false), 500);
        let waiting: Vec<_> = paths.iter().filter(|p| p[0].1 == FiktionHum24).collect();
        assert!((0.6..0.8).contains(&(waiting.len() as f64 / 500.0)));
        for p in waiting {
            assert!(
                p.iter().skip(1).all(|x| x.1 == Hum24 && x.0 > arrival),
                "{p:?}"
            );
        }
        // An arrival of a year ago has its title.
        let arrival = Date::ymd(2025, 9, 1);
        let paths = edges(&[(arrival, Hum24)], arrival, 166, (false, false), 200);
        assert_eq!(share(&paths, FiktionHum24), 0.0);
    }

    #[test]
    fn waiting_times_follow_the_law() {
        assert_eq!(waiting_months(Date::ymd(2015, 2, 1)), 48);
        assert_eq!(waiting_months(Date::ymd(2015, 3, 1)), 15);
        assert_eq!(waiting_months(Date::ymd(2019, 8, 1)), 15);
        assert_eq!(waiting_months(Date::ymd(2019, 9, 1)), 18);
        assert_eq!(waiting_months(Date::ymd(2024, 2, 1)), 18);
        assert_eq!(waiting_months(Date::ymd(2024, 3, 1)), 36);
    }
}
