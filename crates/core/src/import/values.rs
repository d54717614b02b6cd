//! Parsing of single values: dates (full, partial, Excel serial), months, sex, dwelling status,
//! nationalities, numbers stored as text. Each parser says what it expected when it fails.

use std::collections::HashMap;

use serde::Serialize;

use crate::records::{BirthDate, Date, DwellingStatus, NationalityCode, Sex, YearMonth};

use super::grid::Cell;
use crate::text::fold;

/// Why a value could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum ValueProblem {
    /// Not a date in any accepted notation.
    NotADate,
    /// Looks like a date but the day does not exist (e.g. 31.02.2017).
    ImpossibleDate,
    /// A birth date before 1900.
    BirthDateTooEarly,
    /// A birth date after the reference date.
    BirthDateInFuture,
    /// Not a month.
    NotAMonth,
    /// Not a recognised sex code.
    UnknownSex,
    /// Not a recognised dwelling status.
    UnknownDwelling,
    /// Not a number.
    NotANumber,
}

impl ValueProblem {
    /// What was expected, in German.
    pub fn expected(self) -> &'static str {
        match self {
            ValueProblem::NotADate => {
                "ein Datum (TT.MM.JJJJ, T.M.JJJJ, JJJJ-MM-TT oder Excel-Datum)"
            }
            ValueProblem::ImpossibleDate => "ein Datum, das es gibt (Tag passt nicht zum Monat)",
            ValueProblem::BirthDateTooEarly => "ein Geburtsdatum ab 1900",
            ValueProblem::BirthDateInFuture => "ein Geburtsdatum vor dem Stichtag",
            ValueProblem::NotAMonth => "einen Monat (MM.JJJJ, JJJJ-MM oder ein Datum)",
            ValueProblem::UnknownSex => {
                "m, w, d, x (oder männlich, weiblich, divers, ohne Angabe, 1-4)"
            }
            ValueProblem::UnknownDwelling => {
                "H/HW (Hauptwohnung), N/NW (Nebenwohnung) oder A/AW/E (alleinige Wohnung)"
            }
            ValueProblem::NotANumber => "eine Zahl",
        }
    }
}

/// Splits `TT.MM.JJJJ` / `T.M.JJJJ` / `JJJJ-MM-TT` into numbers (day, month, year) without
/// validating them; `None` if the text has another shape.
fn date_parts(text: &str) -> Option<(u32, u32, u32)> {
    let text = text.trim();
    // Drop a time of day ("01.02.2017 00:00:00", "2017-02-01T00:00:00").
    let text = text.split([' ', 'T']).next().unwrap_or(text);
    let numbers = |sep: char| -> Option<Vec<u32>> {
        let parts: Vec<&str> = text.split(sep).collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
            return None;
        }
        parts.iter().map(|p| p.parse().ok()).collect()
    };
    if let Some(n) = numbers('.') {
        let year = if n[2] < 100 { return None } else { n[2] };
        return Some((n[0], n[1], year));
    }
    for sep in ['-', '/'] {
        if let Some(n) = numbers(sep)
            && n[0] >= 1000
        {
            return Some((n[2], n[1], n[0]));
        }
    }
    None
}

fn excel_serial(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n),
        Cell::Text(t) => {
            let t = t.trim();
            (t.len() <= 8
                && !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b','))
            .then(|| t.replace(',', ".").parse::<f64>().ok())
            .flatten()
            .filter(|n| *n >= 1.0)
        }
        _ => None,
    }
}

/// A full date.
pub fn date(cell: &Cell) -> Result<Date, ValueProblem> {
    match cell {
        Cell::Date { year, month, day } => {
            return Date::new(*year, *month, *day).ok_or(ValueProblem::ImpossibleDate);
        }
        Cell::IsoDate(text) => return text_date(text),
        _ => {}
    }
    if let Some(serial) = excel_serial(cell)
        && (!cell.as_text().contains('.') || matches!(cell, Cell::Number(_)))
    {
        return Date::from_excel_serial(serial).ok_or(ValueProblem::NotADate);
    }
    text_date(&cell.as_text())
}

fn text_date(text: &str) -> Result<Date, ValueProblem> {
    let (d, m, y) = date_parts(text).ok_or(ValueProblem::NotADate)?;
    let (Ok(y), Ok(m), Ok(d)) = (u16::try_from(y), u8::try_from(m), u8::try_from(d)) else {
        return Err(ValueProblem::ImpossibleDate);
    };
    Date::new(y, m, d).ok_or(ValueProblem::ImpossibleDate)
}

/// An optional date: blank is `Ok(None)`.
pub fn optional_date(cell: &Cell) -> Result<Option<Date>, ValueProblem> {
    if cell.is_blank() {
        Ok(None)
    } else {
        date(cell).map(Some)
    }
}

/// A birth date, possibly partial (`00.05.1990`, `00.00.1990`), checked to lie between 1900 and
/// `reference` (if given).
pub fn birth_date(cell: &Cell, reference: Option<Date>) -> Result<BirthDate, ValueProblem> {
    let parsed = match cell {
        Cell::Date { year, month, day } => {
            Date::new(*year, *month, *day).ok_or(ValueProblem::ImpossibleDate)?;
            BirthDate {
                year: *year,
                month: *month,
                day: *day,
            }
        }
        _ => match date(cell) {
            Ok(d) => BirthDate {
                year: d.year,
                month: d.month,
                day: d.day,
            },
            Err(ValueProblem::ImpossibleDate) => partial_birth_date(&cell.as_text())?,
            Err(e) => return Err(e),
        },
    };
    if parsed.year < 1900 {
        return Err(ValueProblem::BirthDateTooEarly);
    }
    if let Some(reference) = reference {
        let key = (parsed.year, parsed.month, parsed.day);
        if key > (reference.year, reference.month, reference.day) {
            return Err(ValueProblem::BirthDateInFuture);
        }
    }
    Ok(parsed)
}

fn partial_birth_date(text: &str) -> Result<BirthDate, ValueProblem> {
    let (d, m, y) = date_parts(text).ok_or(ValueProblem::NotADate)?;
    let year = u16::try_from(y).map_err(|_| ValueProblem::ImpossibleDate)?;
    if !(1000..=9999).contains(&year) {
        return Err(ValueProblem::ImpossibleDate);
    }
    match (d, m) {
        (0, 0) => Ok(BirthDate {
            year,
            month: 0,
            day: 0,
        }),
        (0, m @ 1..=12) => Ok(BirthDate {
            year,
            month: m as u8,
            day: 0,
        }),
        _ => Err(ValueProblem::ImpossibleDate),
    }
}

/// A reporting month: `MM.JJJJ`, `MM/JJJJ`, `JJJJ-MM`, `JJJJMM`, a date, or a German month name
/// with year (`November 2017`).
pub fn month(cell: &Cell) -> Result<YearMonth, ValueProblem> {
    if let Ok(d) = date(cell) {
        return Ok(d.month());
    }
    month_in_text(&cell.as_text()).ok_or(ValueProblem::NotAMonth)
}

const MONTH_NAMES: [&str; 12] = [
    "januar",
    "februar",
    "maerz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
];

/// Finds a month in free text such as a file or sheet name: `..._2017-11...`, `...201711...`,
/// `...11_2017...`, `11.2017`, `November 2017`.
pub fn month_in_text(text: &str) -> Option<YearMonth> {
    let lower = fold(text);
    for (i, name) in MONTH_NAMES.iter().enumerate() {
        if let Some(pos) = lower.find(name) {
            let year: String = lower[pos + name.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Some(ym) = year
                .parse()
                .ok()
                .and_then(|y| YearMonth::new(y, i as u8 + 1))
            {
                return Some(ym);
            }
        }
    }
    // Digit groups separated by anything else.
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let plausible = |y: u32, m: u32| -> Option<YearMonth> {
        ((1990..=2100).contains(&y) && (1..=12).contains(&m))
            .then(|| YearMonth::new(y as u16, m as u8))
            .flatten()
    };
    for pair in groups.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            continue;
        };
        if a.len() == 4
            && b.len() <= 2
            && let Some(ym) = plausible(x, y)
        {
            return Some(ym);
        }
        if a.len() <= 2
            && b.len() == 4
            && let Some(ym) = plausible(y, x)
        {
            return Some(ym);
        }
    }
    for g in &groups {
        if g.len() == 6 || g.len() == 8 {
            let (Ok(y), Ok(m)) = (g[..4].parse::<u32>(), g[4..6].parse::<u32>()) else {
                continue;
            };
            if let Some(ym) = plausible(y, m) {
                return Some(ym);
            }
        }
    }
    None
}

/// What a file (or sheet) name says about a date or month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum InName<T> {
    /// Nothing date-like.
    Nothing,
    /// Exactly one value: taken.
    One(T),
    /// Several different values: none is taken, the analyst is asked.
    Ambiguous(Vec<T>),
}

impl<T: Copy + PartialEq> InName<T> {
    fn of(found: Vec<T>) -> InName<T> {
        let mut distinct: Vec<T> = Vec::new();
        for v in found {
            if !distinct.contains(&v) {
                distinct.push(v);
            }
        }
        match distinct.as_slice() {
            [] => InName::Nothing,
            [one] => InName::One(*one),
            _ => InName::Ambiguous(distinct),
        }
    }

    /// The value if the name gives exactly one.
    pub fn one(&self) -> Option<T> {
        match self {
            InName::One(v) => Some(*v),
            _ => None,
        }
    }

    /// The candidates of an ambiguous name (empty otherwise).
    pub fn candidates(&self) -> &[T] {
        match self {
            InName::Ambiguous(all) => all,
            _ => &[],
        }
    }
}

/// Separators between the parts of a date in a name.
const DATE_SEPARATORS: [char; 4] = ['-', '_', '.', ' '];

/// The runs of ASCII digits of a name, with the separator before the next run if exactly one
/// separator character stands between them.
fn digit_runs(text: &str) -> Vec<(&str, Option<char>)> {
    let mut runs: Vec<(&str, Option<char>)> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let from = &rest[start..];
        let len = from
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(from.len());
        let (digits, after) = from.split_at(len);
        let mut chars = after.chars();
        let separator = match (chars.next(), chars.next()) {
            (Some(sep), Some(next)) if DATE_SEPARATORS.contains(&sep) && next.is_ascii_digit() => {
                Some(sep)
            }
            _ => None,
        };
        runs.push((digits, separator));
        rest = after;
    }
    runs
}

fn plausible_year(y: u32) -> Option<u16> {
    (1990..=2100).contains(&y).then_some(y as u16)
}

fn name_date(y: u32, m: u32, d: u32) -> Option<Date> {
    Date::new(
        plausible_year(y)?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
    )
}

fn name_month(y: u32, m: u32) -> Option<YearMonth> {
    YearMonth::new(plausible_year(y)?, u8::try_from(m).ok()?)
}

/// Dates and months written in a name, in order: full dates (`JJJJ-MM-TT`, `TT.MM.JJJJ`,
/// `JJJJMMTT`; `-`, `_`, `.` or a space between the parts, one-digit day or month only between
/// dots) and months (`JJJJ-MM`, `MM_JJJJ`
/// with a two-digit month, `JJJJMM`, `November 2017`). A full date also counts as its month.
fn dated_parts(text: &str) -> (Vec<Date>, Vec<YearMonth>) {
    let runs = digit_runs(text);
    let number = |i: usize| runs[i].0.parse::<u32>().ok();
    let len = |i: usize| runs[i].0.len();
    let (mut dates, mut months) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < runs.len() {
        // Three runs with one and the same separator: a full date.
        if i + 2 < runs.len()
            && runs[i].1.is_some()
            && runs[i].1 == runs[i + 1].1
            && let (Some(a), Some(b), Some(c)) = (number(i), number(i + 1), number(i + 2))
        {
            // Day and month with one digit only between dots (`5.12.2017`), else two.
            let dotted = runs[i].1 == Some('.');
            let date = match (len(i), len(i + 1), len(i + 2)) {
                (4, 2, 2) => name_date(a, b, c),
                (2, 2, 4) => name_date(c, b, a),
                (1..=2, 1..=2, 4) if dotted => name_date(c, b, a),
                _ => None,
            };
            if let Some(date) = date {
                dates.push(date);
                months.push(date.month());
                i += 3;
                continue;
            }
        }
        // Two runs with a separator: a month.
        if i + 1 < runs.len()
            && runs[i].1.is_some()
            && let (Some(a), Some(b)) = (number(i), number(i + 1))
        {
            let month = match (len(i), len(i + 1)) {
                (4, 2) => name_month(a, b),
                (2, 4) => name_month(b, a),
                _ => None,
            };
            if let Some(month) = month {
                months.push(month);
                i += 2;
                continue;
            }
        }
        // One run alone: JJJJMMTT or JJJJMM.
        let digits = runs[i].0;
        let part = |r: std::ops::Range<usize>| digits[r].parse::<u32>().ok();
        match digits.len() {
            8 => {
                if let Some(date) = part(0..4)
                    .zip(part(4..6))
                    .zip(part(6..8))
                    .and_then(|((y, m), d)| name_date(y, m, d))
                {
                    dates.push(date);
                    months.push(date.month());
                }
            }
            6 => {
                if let Some(month) = part(0..4)
                    .zip(part(4..6))
                    .and_then(|(y, m)| name_month(y, m))
                {
                    months.push(month);
                }
            }
            _ => {}
        }
        i += 1;
    }
    let folded = fold(text);
    for (i, name) in MONTH_NAMES.iter().enumerate() {
        for (pos, _) in folded.match_indices(name) {
            let year: String = folded[pos + name.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if year.len() == 4
                && let Some(month) = year.parse().ok().and_then(|y| name_month(y, i as u32 + 1))
            {
                months.push(month);
            }
        }
    }
    (dates, months)
}

/// The Stichtag a file name gives: taken only if the name holds exactly one date
/// (`EWO_Bestand_20261031.csv`); a name with two different dates
/// (`Export_01.02.1990_2026-10-24.csv`) is ambiguous and gives none.
pub fn stichtag_in_name(name: &str) -> InName<Date> {
    InName::of(dated_parts(name).0)
}

/// The reporting month a file or sheet name gives: taken only if every date and month of the
/// name is the same month (`AKDN_Export_Teil_1_2017-11.xlsx` gives 11/2017;
/// `AKDN_vom_05.12.2017_fuer_2017-11.xlsx` is ambiguous).
pub fn month_in_name(name: &str) -> InName<YearMonth> {
    InName::of(dated_parts(name).1)
}

/// Sex: `m, w, d, x`, `männlich, weiblich, divers, ohne Angabe`, `1, 2, 3, 4`, `männl., weibl.`.
pub fn sex(cell: &Cell) -> Result<Sex, ValueProblem> {
    let text = fold(&cell.as_text());
    match text.as_str() {
        "m" | "maennlich" | "maennl" | "1" | "mann" => Ok(Sex::Male),
        "w" | "weiblich" | "weibl" | "2" | "f" | "frau" => Ok(Sex::Female),
        "d" | "divers" | "3" => Ok(Sex::Diverse),
        "x" | "ohneangabe" | "oa" | "4" | "unbekannt" => Ok(Sex::Unspecified),
        _ => Err(ValueProblem::UnknownSex),
    }
}

/// Sex in SchILD-NRW, whose numeric codes differ from the registers': `3` = männlich,
/// `4` = weiblich (SVWS-NRW key list); letters and words as in [`sex`].
pub fn schild_sex(cell: &Cell) -> Result<Sex, ValueProblem> {
    match fold(&cell.as_text()).as_str() {
        "3" => Ok(Sex::Male),
        "4" => Ok(Sex::Female),
        "1" | "2" => Err(ValueProblem::UnknownSex),
        _ => sex(cell),
    }
}

/// Dwelling status: `H/HW`, `N/NW`, `A/AW/E` or the words.
pub fn dwelling(cell: &Cell) -> Result<DwellingStatus, ValueProblem> {
    let text = fold(&cell.as_text());
    match text.as_str() {
        "h" | "hw" | "hauptwohnung" | "haupt" => Ok(DwellingStatus::Main),
        "n" | "nw" | "nebenwohnung" | "neben" => Ok(DwellingStatus::Secondary),
        "a" | "aw" | "e" | "alleinigewohnung" | "alleinige" | "einzigewohnung" => {
            Ok(DwellingStatus::Sole)
        }
        _ => Err(ValueProblem::UnknownDwelling),
    }
}

/// A whole number, also when stored as text (`"2017"`, `2017.0`).
pub fn integer(cell: &Cell) -> Result<i64, ValueProblem> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 => Ok(*n as i64),
        _ => cell
            .as_text()
            .trim()
            .parse()
            .map_err(|_| ValueProblem::NotANumber),
    }
}

/// A decimal number, also as text with a German decimal comma.
pub fn decimal(cell: &Cell) -> Result<f64, ValueProblem> {
    match cell {
        Cell::Number(n) => Ok(*n),
        _ => {
            let text = cell.as_text();
            let text = text.trim();
            let normalised = if text.contains(',') {
                text.replace('.', "").replace(',', ".")
            } else {
                text.to_string()
            };
            normalised.parse().map_err(|_| ValueProblem::NotANumber)
        }
    }
}

/// The nationality code table (`data/nationalities.csv`): Destatis codes, state names,
/// adjectives and other spellings.
#[derive(Clone, Debug)]
pub struct NationalityTable {
    by_name: HashMap<String, NationalityCode>,
    labels: HashMap<NationalityCode, String>,
}

/// The table shipped with Lagebild.
pub const DEFAULT_NATIONALITIES_CSV: &str = include_str!("../../data/nationalities.csv");

impl NationalityTable {
    /// Reads a `;`-separated table with header `code;state;adjective;aliases[;note]`;
    /// aliases are `|`-separated.
    pub fn from_csv(text: &str) -> Result<Self, String> {
        let mut by_name = HashMap::new();
        let mut labels = HashMap::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split(';').collect();
            let code: u16 = cols
                .first()
                .and_then(|c| c.trim().parse().ok())
                .ok_or_else(|| {
                    format!("Staatsangehörigkeiten, Zeile {}: Schlüssel fehlt", i + 1)
                })?;
            let code = NationalityCode(code);
            let state = cols.get(1).copied().unwrap_or("").trim();
            labels.insert(code, state.to_string());
            let mut names = vec![format!("{:03}", code.0), code.0.to_string()];
            names.extend(cols.get(1..3).into_iter().flatten().map(|s| s.to_string()));
            if let Some(aliases) = cols.get(3) {
                names.extend(aliases.split('|').map(str::to_string));
            }
            for name in names {
                let key = fold(&name);
                if !key.is_empty() {
                    by_name.entry(key).or_insert(code);
                }
            }
        }
        Ok(NationalityTable { by_name, labels })
    }

    /// The shipped table.
    pub fn default_table() -> Self {
        Self::from_csv(DEFAULT_NATIONALITIES_CSV).unwrap_or(NationalityTable {
            by_name: HashMap::new(),
            labels: HashMap::new(),
        })
    }

    /// The code for a name, adjective, alias or code; `None` if unknown.
    pub fn lookup(&self, value: &str) -> Option<NationalityCode> {
        self.by_name.get(&fold(value)).copied()
    }

    /// The state name of a code.
    pub fn label(&self, code: NationalityCode) -> Option<&str> {
        self.labels.get(&code).map(String::as_str)
    }
}

/// The shape of a value without its content: digits become `9`, letters `A`/`a`, other
/// characters stay; at most 16 characters. Lets a report say what a bad value looked like
/// without showing a name or a birth date.
pub fn value_shape(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(16)
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_uppercase() {
                'A'
            } else if c.is_alphabetic() {
                'a'
            } else {
                c
            }
        })
        .collect();
    if text.chars().count() > 16 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn dates_in_every_accepted_notation() {
        let expect = Date::new(2017, 2, 1).unwrap();
        for text in [
            "01.02.2017",
            "1.2.2017",
            "2017-02-01",
            "01.02.2017 00:00:00",
            "2017-02-01T00:00:00",
        ] {
            assert_eq!(date(&t(text)), Ok(expect), "{text}");
        }
        assert_eq!(date(&Cell::Number(42767.0)), Ok(expect));
        assert_eq!(date(&t("42767")), Ok(expect), "Excel serial stored as text");
        assert_eq!(
            date(&Cell::Date {
                year: 2017,
                month: 2,
                day: 1
            }),
            Ok(expect)
        );
        assert_eq!(date(&Cell::IsoDate("2017-02-01".into())), Ok(expect));
        assert_eq!(date(&t("31.02.2017")), Err(ValueProblem::ImpossibleDate));
        assert_eq!(date(&t("gestern")), Err(ValueProblem::NotADate));
        assert_eq!(optional_date(&t(" ")), Ok(None));
    }

    #[test]
    fn partial_birth_dates_stay_partial() {
        assert_eq!(
            birth_date(&t("00.05.1990"), None),
            Ok(BirthDate {
                year: 1990,
                month: 5,
                day: 0
            })
        );
        assert_eq!(
            birth_date(&t("00.00.1990"), None),
            Ok(BirthDate {
                year: 1990,
                month: 0,
                day: 0
            })
        );
        assert_eq!(
            birth_date(&t("05.00.1990"), None),
            Err(ValueProblem::ImpossibleDate)
        );
        assert_eq!(
            birth_date(&t("01.01.1899"), None),
            Err(ValueProblem::BirthDateTooEarly)
        );
        let reference = Date::new(2026, 10, 31);
        assert_eq!(
            birth_date(&t("01.11.2026"), reference),
            Err(ValueProblem::BirthDateInFuture)
        );
        assert!(birth_date(&t("31.10.2026"), reference).is_ok());
    }

    #[test]
    fn months_from_cells_and_file_names() {
        let nov = YearMonth::new(2017, 11).unwrap();
        for text in [
            "AKDN_2017-11.xlsx",
            "export_201711.csv",
            "AsylbLG_11_2017.xlsx",
            "November 2017",
            "Nov-Daten 11.2017",
        ] {
            assert_eq!(month_in_text(text), Some(nov), "{text}");
        }
        assert_eq!(month_in_text("AKDN_export.xlsx"), None);
        assert_eq!(month(&t("01.11.2017")), Ok(nov));
        assert_eq!(month(&t("2017-11")), Ok(nov));
    }

    #[test]
    fn dates_from_file_names_only_when_unambiguous() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        let nov = YearMonth::new(2017, 11).unwrap();
        for name in [
            "AKDN_2017-11.xlsx",
            "export_201711.csv",
            "AsylbLG_11_2017.xlsx",
            "Daten November 2017.xlsx",
            "Nov-Daten 11.2017.csv",
            "AKDN_Export_Teil_1_2017-11.xlsx",
            "AKDN_2017-11-30.xlsx",
        ] {
            assert_eq!(month_in_name(name), InName::One(nov), "{name}");
        }
        assert_eq!(month_in_name("AKDN_export.xlsx"), InName::Nothing);
        assert_eq!(
            month_in_name("AKDN_vom_05.12.2017_fuer_2017-11.xlsx"),
            InName::Ambiguous(vec![YearMonth::new(2017, 12).unwrap(), nov])
        );
        assert_eq!(
            month_in_name("AKDN_AsylbLG_2010-01_bis_2015-12.csv")
                .candidates()
                .len(),
            2
        );
        assert_eq!(
            stichtag_in_name("EWO_Bestand_20261031.csv"),
            InName::One(d(2026, 10, 31))
        );
        assert_eq!(
            stichtag_in_name("ALW_Auslaender_2026-10-31.xlsx"),
            InName::One(d(2026, 10, 31))
        );
        assert_eq!(
            stichtag_in_name("Bestand vom 31.10.2026.csv"),
            InName::One(d(2026, 10, 31))
        );
        assert_eq!(
            stichtag_in_name("AKDN_vom_05.12.2017_fuer_2017-11.xlsx"),
            InName::One(d(2017, 12, 5))
        );
        assert_eq!(
            stichtag_in_name("Mustermann_01.02.1990_2026-10-24.csv"),
            InName::Ambiguous(vec![d(1990, 2, 1), d(2026, 10, 24)])
        );
        assert_eq!(
            stichtag_in_name("ALW_Zugaenge_2026-10.xlsx"),
            InName::Nothing
        );
        assert_eq!(
            stichtag_in_name("Export_Teil_1_2_2026.csv"),
            InName::Nothing
        );
        // A date written twice is still one date.
        assert_eq!(
            stichtag_in_name("EWO_20261031_Bestand_2026-10-31.csv"),
            InName::One(d(2026, 10, 31))
        );
    }

    #[test]
    fn sex_and_dwelling_codes() {
        for (text, expect) in [
            ("m", Sex::Male),
            ("W", Sex::Female),
            ("männl.", Sex::Male),
            ("weiblich", Sex::Female),
            ("3", Sex::Diverse),
            ("x", Sex::Unspecified),
            ("ohne Angabe", Sex::Unspecified),
        ] {
            assert_eq!(sex(&t(text)), Ok(expect), "{text}");
        }
        assert_eq!(sex(&t("q")), Err(ValueProblem::UnknownSex));
        assert_eq!(schild_sex(&t("3")), Ok(Sex::Male));
        assert_eq!(schild_sex(&t("4")), Ok(Sex::Female));
        assert_eq!(schild_sex(&t("w")), Ok(Sex::Female));
        for (text, expect) in [
            ("H", DwellingStatus::Main),
            ("HW", DwellingStatus::Main),
            ("NW", DwellingStatus::Secondary),
            ("E", DwellingStatus::Sole),
            ("alleinige Wohnung", DwellingStatus::Sole),
        ] {
            assert_eq!(dwelling(&t(text)), Ok(expect), "{text}");
        }
    }

    #[test]
    fn nationalities_by_code_name_and_adjective() {
        let table = NationalityTable::default_table();
        let syria = Some(NationalityCode(475));
        for text in [
            "475",
            "Syrien",
            "syrisch",
            "Arabische Republik Syrien",
            "SYRISCH",
        ] {
            assert_eq!(table.lookup(text), syria, "{text}");
        }
        assert_eq!(table.lookup("000"), Some(NationalityCode::GERMAN));
        assert_eq!(table.lookup("deutsch"), Some(NationalityCode::GERMAN));
        assert_eq!(table.lookup("Absurdistan"), None);
    }

    #[test]
    fn shapes_hide_values() {
        assert_eq!(value_shape("31.02.2017"), "99.99.9999");
        assert_eq!(value_shape("Müller"), "Aaaaaa");
        assert_eq!(
            value_shape("ein sehr langer Wert hier"),
            "aaa aaaa aaaaaa …"
        );
    }

    #[test]
    fn numbers_stored_as_text() {
        assert_eq!(integer(&t("2017")), Ok(2017));
        assert_eq!(integer(&Cell::Number(2017.0)), Ok(2017));
        assert_eq!(decimal(&t("365.123,5")), Ok(365123.5));
        assert_eq!(decimal(&t("abc")), Err(ValueProblem::NotANumber));
    }
}
