//! A small civil date type (proleptic Gregorian calendar), enough for registers: no time zones,
//! no clock. Days are counted from 1970-01-01 so arithmetic is plain integer arithmetic.

use std::fmt;
use std::str::FromStr;

/// A calendar date. Ordered, copyable, printed as `JJJJ-MM-TT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date for year, month (1-12) and day (1-31), or `None` if it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Like [`Date::from_ymd`] for dates known to be valid (internal constants).
    pub(crate) fn ymd(year: i32, month: u32, day: u32) -> Date {
        let day = day.clamp(1, days_in_month(year, month.clamp(1, 12)));
        Date(days_from_civil(year, month.clamp(1, 12), day))
    }

    /// Days since 1970-01-01.
    pub(crate) fn days(self) -> i32 {
        self.0
    }

    /// The date `days` after 1970-01-01.
    #[cfg(test)]
    pub(crate) fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// Year, month and day.
    pub fn parts(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.parts().0
    }

    /// The month (1-12).
    pub fn month(self) -> u32 {
        self.parts().1
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.parts().2
    }

    /// This date plus `n` days (negative goes back).
    pub(crate) fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// This date plus `n` months, the day clamped to the target month's length.
    pub(crate) fn add_months(self, n: i32) -> Date {
        let (y, m, d) = self.parts();
        let idx = y * 12 + (m as i32 - 1) + n;
        let (ny, nm) = (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1);
        Date::ymd(ny, nm, d)
    }

    /// The first day of this date's month.
    pub(crate) fn month_start(self) -> Date {
        let (y, m, _) = self.parts();
        Date::ymd(y, m, 1)
    }

    /// The last day of this date's month.
    pub(crate) fn month_end(self) -> Date {
        let (y, m, _) = self.parts();
        Date::ymd(y, m, days_in_month(y, m))
    }

    /// Whole years from `self` to `later` (age on `later` of a person born on `self`).
    pub(crate) fn years_until(self, later: Date) -> i32 {
        let (y1, m1, d1) = self.parts();
        let (y2, m2, d2) = later.parts();
        let mut years = y2 - y1;
        if (m2, d2) < (m1, d1) {
            years -= 1;
        }
        years
    }

    /// Whole months from `self` to `later` (negative if `later` is earlier).
    pub(crate) fn months_until(self, later: Date) -> i32 {
        let (y1, m1, d1) = self.parts();
        let (y2, m2, d2) = later.parts();
        let mut months = (y2 - y1) * 12 + m2 as i32 - m1 as i32;
        if d2 < d1 {
            months -= 1;
        }
        months
    }

    /// `TT.MM.JJJJ`.
    pub(crate) fn dmy(self) -> String {
        let (y, m, d) = self.parts();
        format!("{d:02}.{m:02}.{y:04}")
    }

    /// `T.M.JJJJ` (no leading zeros).
    pub(crate) fn dmy_short(self) -> String {
        let (y, m, d) = self.parts();
        format!("{d}.{m}.{y:04}")
    }

    /// `JJJJ-MM-TT`.
    pub(crate) fn iso(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `JJJJMMTT`.
    pub(crate) fn compact(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y:04}{m:02}{d:02}")
    }

    /// The Excel serial day number (1900 date system, as Excel counts it).
    pub(crate) fn excel_serial(self) -> f64 {
        // Excel's day 0 is 1899-12-30 for all dates after 1900-02-28.
        f64::from(self.0 - days_from_civil(1899, 12, 30))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl FromStr for Date {
    type Err = String;

    /// Parses `JJJJ-MM-TT` or `TT.MM.JJJJ`.
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("kein gültiges Datum: {s:?} (erwartet JJJJ-MM-TT oder TT.MM.JJJJ)");
        let nums: Vec<&str> = if s.contains('-') {
            s.split('-').collect()
        } else {
            s.split('.').rev().collect()
        };
        if nums.len() != 3 {
            return Err(bad());
        }
        let y: i32 = nums[0].trim().parse().map_err(|_| bad())?;
        let m: u32 = nums[1].trim().parse().map_err(|_| bad())?;
        let d: u32 = nums[2].trim().parse().map_err(|_| bad())?;
        Date::from_ymd(y, m, d).ok_or_else(bad)
    }
}

/// Whether `year` is a leap year.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days of a month.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_formats() {
        let d = Date::from_ymd(2026, 10, 31).unwrap();
        assert_eq!(d.parts(), (2026, 10, 31));
        assert_eq!(d.dmy(), "31.10.2026");
        assert_eq!(d.iso(), "2026-10-31");
        assert_eq!(Date::ymd(2017, 3, 5).dmy_short(), "5.3.2017");
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        for days in [-100_000, -1, 0, 1, 59, 60, 11_016, 20_000, 40_000] {
            let d = Date::from_days(days);
            let (y, m, dd) = d.parts();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
        }
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        assert!(Date::from_ymd(2024, 2, 29).is_some());
    }

    #[test]
    fn excel_serials_match_excel() {
        assert_eq!(Date::ymd(1900, 3, 1).excel_serial(), 61.0);
        assert_eq!(Date::ymd(2026, 10, 31).excel_serial(), 46326.0);
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(Date::ymd(2024, 1, 31).add_months(1), Date::ymd(2024, 2, 29));
        assert_eq!(
            Date::ymd(2024, 3, 15).add_months(-15),
            Date::ymd(2022, 12, 15)
        );
        assert_eq!(
            Date::ymd(2015, 3, 1).months_until(Date::ymd(2016, 6, 1)),
            15
        );
        assert_eq!(
            Date::ymd(2015, 3, 2).months_until(Date::ymd(2016, 6, 1)),
            14
        );
        assert_eq!(
            Date::ymd(1990, 5, 17).years_until(Date::ymd(2026, 5, 16)),
            35
        );
        assert_eq!("31.10.2026".parse::<Date>(), Ok(Date::ymd(2026, 10, 31)));
        assert!("2026-13-01".parse::<Date>().is_err());
    }
}
