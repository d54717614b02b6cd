//! Typed records of every source, as the import delivers them to the later stages.
//! Text values are interned ([`Sym`]) in the [`crate::import::Dataset`]'s pool.

use serde::{Deserialize, Serialize};

use crate::intern::Sym;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Year (1000-9999).
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31, valid for the month.
    pub day: u8,
}

impl Date {
    /// A valid date, or `None` (e.g. 31.02.2017).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// The date `serial` days after Excel's day 0 in the 1900 system (Excel's 1900-02-29 bug
    /// included: serials from 61 on are one day ahead of the true count).
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let days = serial.floor() as i64;
        // Day 60 is the non-existent 1900-02-29; day 1 is 1900-01-01.
        let offset = if days >= 60 { days - 1 } else { days };
        Date::from_days_since_1900(offset - 1)
    }

    /// Days since 1900-01-01 (which is day 0).
    pub fn days_since_1900(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day) - days_from_civil(1900, 1, 1)
    }

    fn from_days_since_1900(days: i64) -> Option<Date> {
        let (y, m, d) = civil_from_days(days + days_from_civil(1900, 1, 1));
        u16::try_from(y).ok().and_then(|y| Date::new(y, m, d))
    }

    /// The first day of the month of this date.
    pub fn month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }

    /// `TT.MM.JJJJ`.
    pub fn to_german(self) -> String {
        format!("{:02}.{:02}.{:04}", self.day, self.month, self.year)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` of `year`.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil date algorithms.
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A month of a year, e.g. the reporting month of an AKDN export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    /// Year.
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
}

impl YearMonth {
    /// A valid month or `None`.
    pub fn new(year: u16, month: u8) -> Option<YearMonth> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    /// The following month.
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A birth date as the registers hold it: the day, or day and month, may be unknown
/// (`00.05.1990`, `00.00.1990`). Never completed to 1 January.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BirthDate {
    /// Year, always known.
    pub year: u16,
    /// Month 1-12, or 0 if unknown.
    pub month: u8,
    /// Day 1-31, or 0 if unknown.
    pub day: u8,
}

impl BirthDate {
    /// The full date if day and month are known.
    pub fn full(self) -> Option<Date> {
        Date::new(self.year, self.month, self.day)
    }

    /// True if the day (and maybe the month) is unknown.
    pub fn is_partial(self) -> bool {
        self.day == 0 || self.month == 0
    }

    /// Age in completed years at `on`; for partial dates the age assuming the latest possible
    /// birthday in the known period (so nobody is counted older than they may be).
    pub fn age_on(self, on: Date) -> Option<u16> {
        let (m, d) = match (self.month, self.day) {
            (0, _) => (12, 31),
            (m, 0) => (m, days_in_month(self.year, m)),
            (m, d) => (m, d),
        };
        let years = on.year.checked_sub(self.year)?;
        Some(if (on.month, on.day) < (m, d) {
            years.checked_sub(1)?
        } else {
            years
        })
    }
}

impl std::fmt::Display for BirthDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}.{:02}.{:04}", self.day, self.month, self.year)
    }
}

/// Sex as the registers record it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sex {
    /// männlich.
    Male,
    /// weiblich.
    Female,
    /// divers.
    Diverse,
    /// ohne Angabe.
    Unspecified,
}

impl Sex {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "männlich",
            Sex::Female => "weiblich",
            Sex::Diverse => "divers",
            Sex::Unspecified => "ohne Angabe",
        }
    }
}

/// Kind of dwelling of a registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DwellingStatus {
    /// Hauptwohnung.
    Main,
    /// Nebenwohnung.
    Secondary,
    /// alleinige Wohnung.
    Sole,
}

impl DwellingStatus {
    /// Counts towards the population (Haupt- and alleinige Wohnung).
    pub fn counts_as_population(self) -> bool {
        matches!(self, DwellingStatus::Main | DwellingStatus::Sole)
    }
}

/// Destatis Staatsangehörigkeitsschlüssel (3 digits; 000 = deutsch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NationalityCode(pub u16);

impl NationalityCode {
    /// German.
    pub const GERMAN: NationalityCode = NationalityCode(0);
}

/// Where a record came from: the file (index in the dataset), the sheet and its row.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Origin {
    /// Index of the file in the dataset.
    pub file: u32,
    /// Index into the file report's `sheets` (0 for text files).
    pub sheet: u16,
    /// 1-based row (line) number in the file or sheet.
    pub row: u32,
}

/// Names of a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Names {
    /// Family name.
    pub family: Sym,
    /// Given names, space-separated.
    pub given: Sym,
    /// Birth name, if recorded.
    pub birth: Sym,
}

/// A postal address as written in a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Address {
    /// Street name.
    pub street: Sym,
    /// Street key, if the system exports one.
    pub street_key: Sym,
    /// House number as written (may include a suffix or a range).
    pub house_number: Sym,
    /// House number suffix.
    pub house_suffix: Sym,
    /// Postcode.
    pub postcode: Sym,
    /// City.
    pub city: Sym,
}

/// A row of EWO Meldewesen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Resident {
    /// Source row.
    pub origin: Origin,
    /// Ordnungsmerkmal, if exported.
    pub person_key: Sym,
    /// Names.
    pub names: Names,
    /// Birth date.
    pub birth_date: BirthDate,
    /// Sex.
    pub sex: Sex,
    /// First nationality; `None` if the value was not recognised (see the import report).
    pub nationality: Option<NationalityCode>,
    /// Further nationality.
    pub nationality_2: Option<NationalityCode>,
    /// Address.
    pub address: Address,
    /// Haupt-, Neben- or alleinige Wohnung.
    pub dwelling: DwellingStatus,
    /// Move-in date.
    pub move_in: Option<Date>,
    /// Registration date.
    pub registered: Option<Date>,
    /// Deregistration date: set if the person left.
    pub deregistered: Option<Date>,
    /// Marital status as written.
    pub marital_status: Sym,
}

/// A row of EWO-ALW (foreigners register).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Foreigner {
    /// Source row.
    pub origin: Origin,
    /// AZR number, if exported.
    pub azr_number: Sym,
    /// Names.
    pub names: Names,
    /// Birth date.
    pub birth_date: BirthDate,
    /// Sex.
    pub sex: Sex,
    /// Nationality; `None` if not recognised.
    pub nationality: Option<NationalityCode>,
    /// Aufenthaltsart (free text).
    pub residence_kind: Sym,
    /// Erteilungsgrund (free-text legal citation).
    pub legal_basis: Sym,
    /// Date the title was issued.
    pub issued_on: Option<Date>,
    /// Date the title expires.
    pub valid_until: Option<Date>,
    /// Entry date.
    pub entry_date: Option<Date>,
    /// Address.
    pub address: Address,
    /// Move-in date.
    pub move_in: Option<Date>,
}

/// A person row of an AKDN sozial AsylbLG export.
#[derive(Clone, Debug, PartialEq)]
pub struct BenefitRecord {
    /// Source row.
    pub origin: Origin,
    /// Case (household) number.
    pub case_number: Sym,
    /// Person number of the export (`Sym::EMPTY` if it has none): rows with the same number
    /// are one person, rows with different numbers never.
    pub person_number: Sym,
    /// Names.
    pub names: Names,
    /// Birth date.
    pub birth_date: BirthDate,
    /// Sex, if exported.
    pub sex: Option<Sex>,
    /// Address.
    pub address: Address,
    /// Personenkreisschlüssel as written.
    pub pks: Sym,
    /// Start of benefits.
    pub benefit_start: Option<Date>,
    /// End of benefits.
    pub benefit_end: Option<Date>,
    /// Reporting month.
    pub month: YearMonth,
}

/// A pupil row of SchILD-NRW `SchuelerBasisdaten.dat`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pupil {
    /// Source row.
    pub origin: Origin,
    /// Names.
    pub names: Names,
    /// Birth date.
    pub birth_date: BirthDate,
    /// Sex, if recognised.
    pub sex: Option<Sex>,
    /// SchILD status (e.g. 2 = aktiv) as written.
    pub status: Sym,
    /// Address (street may include the house number).
    pub address: Address,
    /// First nationality; `None` if not recognised.
    pub nationality: Option<NationalityCode>,
    /// School year (`Jahr`).
    pub school_year: Option<u16>,
    /// Abschnitt.
    pub term: Sym,
    /// Jahrgang.
    pub grade: Sym,
    /// Klasse.
    pub class_name: Sym,
    /// Schulgliederung.
    pub branch: Sym,
    /// OrgForm.
    pub org_form: Sym,
    /// Year of arrival in Germany (58-column layout only).
    pub arrival_year: Option<u16>,
    /// School number (column added by the city, or given for the file).
    pub school_number: Sym,
    /// Schulform (column added by the city, or given for the file).
    pub school_form: Sym,
}

/// A row of the Gliederung address table.
#[derive(Clone, Debug, PartialEq)]
pub struct AddressEntry {
    /// Source row.
    pub origin: Origin,
    /// Address (street and/or street key, house number, suffix, postcode).
    pub address: Address,
    /// Baublock key.
    pub baublock: Sym,
    /// Stadtteil number.
    pub stadtteil_nr: Sym,
    /// Stadtteil name.
    pub stadtteil: Sym,
    /// Stadtbezirk number.
    pub stadtbezirk_nr: Sym,
    /// Stadtbezirk name.
    pub stadtbezirk: Sym,
    /// Easting (EPSG:25832), if given.
    pub x: Option<f64>,
    /// Northing (EPSG:25832), if given.
    pub y: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_validate_calendar_days() {
        assert!(Date::new(2017, 2, 31).is_none());
        assert!(Date::new(2016, 2, 29).is_some());
        assert!(Date::new(2017, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
    }

    #[test]
    fn excel_serials_follow_excel() {
        assert_eq!(Date::from_excel_serial(1.0), Date::new(1900, 1, 1));
        assert_eq!(Date::from_excel_serial(59.0), Date::new(1900, 2, 28));
        assert_eq!(Date::from_excel_serial(61.0), Date::new(1900, 3, 1));
        assert_eq!(Date::from_excel_serial(43101.0), Date::new(2018, 1, 1));
        assert_eq!(Date::from_excel_serial(46326.75), Date::new(2026, 10, 31));
        assert_eq!(Date::from_excel_serial(0.0), None);
    }

    #[test]
    fn ages_never_overstate_partial_birth_dates() {
        let on = Date::new(2026, 10, 31).unwrap();
        let full = BirthDate {
            year: 2000,
            month: 11,
            day: 1,
        };
        assert_eq!(full.age_on(on), Some(25));
        let month_only = BirthDate {
            year: 2000,
            month: 10,
            day: 0,
        };
        assert_eq!(month_only.age_on(on), Some(26));
        let year_only = BirthDate {
            year: 2000,
            month: 0,
            day: 0,
        };
        assert_eq!(year_only.age_on(on), Some(25));
        assert!(year_only.is_partial());
    }

    #[test]
    fn months_roll_over() {
        let dec = YearMonth::new(2017, 12).unwrap();
        assert_eq!(dec.next(), YearMonth::new(2018, 1).unwrap());
        assert_eq!(dec.to_string(), "2017-12");
    }
}
