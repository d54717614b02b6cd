//! The monthly series "Entwicklung der Flüchtlingszahlen" from AKDN sozial exports: persons per
//! month by PKS in the layout of the office's table, and cases per month as a separate table.
//!
//! Persons are counted once per month. Who is one person ([`AkdnPersons`]):
//! - where the export has a person number, rows with the same number are one person and rows
//!   with different numbers never are;
//! - otherwise rows are one person only within the same case: the same case, family name,
//!   given names (both compared after folding case, umlauts and punctuation) and birth date;
//!   within a case, a row whose given names differ from an earlier row of the same family name
//!   and birth date by a single typing error (one letter missing, added, changed, or two
//!   neighbours swapped) is the same person entered twice;
//! - the same names and birth date in two cases are two persons (common names and birth dates
//!   as 01.01. or the year only make such namesakes frequent among refugees); their number is
//!   reported per month. Only if the benefit of one row ends in the month before the other's
//!   begins (Leistungsende before Leistungsbeginn) is it one person who changed case.
//!
//! If rows of one person carry different PKS, the first row (files in the order given, then
//! rows) decides; the number of such persons is reported. Months without any export between
//! the first and the last month are gaps (`None`), never zeros.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::pks::PksMapping;
use crate::import::{Dataset, Records};
use crate::intern::{StringPool, Sym};
use crate::records::{BenefitRecord, BirthDate, Date, YearMonth};
use crate::series_columns::{Cells, SeriesColumns, SeriesSum};
use crate::text::fold;

/// Persons of one month in the columns of the office's table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthCounts {
    /// Persons per column, in the order of the declared columns ([`PksMapping::columns`]).
    pub cells: Cells,
    /// Persons whose PKS is not in the mapping: in no column and not in the totals.
    pub unknown_pks: u64,
}

impl MonthCounts {
    /// The counts of a month given column by column (in the declared order).
    pub fn of(cells: &[u64]) -> MonthCounts {
        let mut counts = MonthCounts::default();
        for (slot, n) in counts.cells.iter_mut().zip(cells) {
            *slot = *n;
        }
        counts
    }

    /// Persons in column `index`.
    pub fn get(&self, index: usize) -> u64 {
        self.cells.get(index).copied().unwrap_or(0)
    }

    /// The value of a declared sum (Geduldete gesamt, ...).
    pub fn sum(&self, sum: &SeriesSum) -> u64 {
        SeriesColumns::sum_of(sum, &self.cells)
    }

    /// Insgesamt: every column (in the seed's layout Geduldete gesamt + Asylbewerber gesamt).
    pub fn insgesamt(&self) -> u64 {
        SeriesColumns::total(&self.cells)
    }

    /// All persons of the month, including those with an unknown PKS.
    pub fn persons(&self) -> u64 {
        self.insgesamt() + self.unknown_pks
    }

    fn add(&mut self, column: Option<usize>) {
        match column.and_then(|c| self.cells.get_mut(c)) {
            Some(slot) => *slot += 1,
            None => self.unknown_pks += 1,
        }
    }
}

/// One month of the persons table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeriesRow {
    /// The reporting month (shown as its first day, like the office's table).
    pub month: YearMonth,
    /// Counts; `None` = no export for this month (a gap).
    pub counts: Option<MonthCounts>,
}

/// One month of the cases table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseRow {
    /// The reporting month.
    pub month: YearMonth,
    /// Distinct case numbers; `None` = no export for this month (a gap).
    pub cases: Option<u64>,
}

/// The monthly series with its quality notes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    /// Persons per month, first to last month with data, gaps included.
    pub rows: Vec<SeriesRow>,
    /// Cases per month, same months.
    pub cases: Vec<CaseRow>,
    /// PKS codes not in the mapping, with the number of persons (per month) that had them.
    pub unknown_codes: Vec<(String, u64)>,
    /// Rows read.
    pub records: u64,
    /// Rows that repeated a person already counted in the same month.
    pub duplicates_removed: u64,
    /// Of these, rows whose given names differed by one typing error (same case).
    pub typo_duplicates: u64,
    /// Of these, rows of a person who changed case in the month (the benefit in one case
    /// ended before the other began).
    pub case_changes: u64,
    /// Persons (per month) whose rows carried different PKS; the first row decided.
    pub conflicting_pks: u64,
    /// Per month with any: persons counted although a person with the same names and birth
    /// date was already counted in another case of the month (namesakes, not merged).
    pub namesakes: Vec<(YearMonth, u64)>,
    /// The shipped example mapping was used: say so with [`super::pks::EXAMPLE_WARNING`].
    pub example_mapping: bool,
    /// The columns the months are counted in (the mapping's).
    pub columns: SeriesColumns,
    /// Persons of the last month with data by the mapping's code (those with a code not in
    /// the mapping under [`UNKNOWN_PKS_KEY`]), for the table by PKS.
    pub last_month_codes: BTreeMap<String, u64>,
    /// The last month with data.
    pub last_month: Option<YearMonth>,
    /// Persons of every month with data by the mapping's code (as
    /// [`Series::last_month_codes`]), for the release check of the tables by PKS.
    pub month_codes: BTreeMap<YearMonth, BTreeMap<String, u64>>,
}

#[derive(Default)]
struct MonthAcc {
    counts: MonthCounts,
    cases: HashSet<Sym>,
    /// Persons by the mapping's code; persons with an unknown code under [`UNKNOWN_PKS_KEY`].
    codes: BTreeMap<String, u64>,
}

/// Key of the persons whose PKS is not in the mapping, in [`Series::last_month_codes`].
pub const UNKNOWN_PKS_KEY: &str = "ohne_zuordnung";

/// A person of a month: by the export's person number, or by case, folded family and given
/// names and birth date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum PersonKey {
    Number(YearMonth, Sym),
    InCase(YearMonth, Sym, u32, u32, BirthDate),
}

/// A person counted by case and names, found again by its names alone.
#[derive(Clone, Copy, Debug)]
struct Counted {
    key: PersonKey,
    case: Sym,
    start: Option<Date>,
    end: Option<Date>,
}

impl Counted {
    /// True if one benefit ends before the other begins: one person who changed case.
    fn follows(&self, start: Option<Date>, end: Option<Date>) -> bool {
        let before = |end: Option<Date>, start: Option<Date>| matches!((end, start), (Some(e), Some(s)) if e < s);
        before(self.end, start) || before(end, self.start)
    }
}

/// Interns names by their folded form, so `Müller` and `MUELLER` are one key.
#[derive(Default)]
struct NameKeys {
    by_sym: HashMap<Sym, u32>,
    by_text: HashMap<String, u32>,
    texts: Vec<String>,
    /// Per key, the first spelling in lower case without punctuation, umlauts kept: a letter
    /// lost from `Gülsen` is one typing error there (`glsen`), two in the folded form.
    plain: Vec<String>,
}

/// `text` in lower case, letters and digits only, umlauts as written.
fn plain(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

impl NameKeys {
    fn key(&mut self, pool: &StringPool, sym: Sym) -> u32 {
        if let Some(&k) = self.by_sym.get(&sym) {
            return k;
        }
        let folded = fold(pool.get(sym));
        let k = match self.by_text.get(&folded) {
            Some(&k) => k,
            None => {
                let k = self.texts.len() as u32;
                self.texts.push(folded.clone());
                self.plain.push(plain(pool.get(sym)));
                self.by_text.insert(folded, k);
                k
            }
        };
        self.by_sym.insert(sym, k);
        k
    }

    fn text(&self, key: u32) -> &str {
        self.texts.get(key as usize).map_or("", String::as_str)
    }

    /// True if the names of `a` and `b` (`b` written as `b_plain`, see [`plain`]) are one
    /// typing error apart, folded or as written.
    fn one_typo_apart(&self, a: u32, b: u32, b_plain: &str) -> bool {
        one_typo_apart(self.text(a), self.text(b))
            || self
                .plain
                .get(a as usize)
                .is_some_and(|p| one_typo_apart(p, b_plain))
    }
}

/// True if `a` and `b` differ by exactly one typing error: one character deleted, inserted or
/// replaced, or two neighbours swapped. Both names need two characters and one of them three
/// (`Ali` and `Ai` match, `Al` and `A` never).
fn one_typo_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().min(b.len()) < 2 || a.len().max(b.len()) < 3 || a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len() as i64 - rb.len() as i64 {
        0 => {
            ra.get(1..) == rb.get(1..)
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 => ra.get(1..) == Some(rb),
        -1 => rb.get(1..) == Some(ra),
        _ => false,
    }
}

/// The rule that decides which AKDN rows of a month are one person (see the module
/// documentation). The monthly series and the linked AsylbLG tables count persons by it alike.
#[derive(Default)]
pub struct AkdnPersons {
    names: NameKeys,
    /// Person -> PKS text of its first row.
    first: HashMap<PersonKey, Sym>,
    /// Key of a row of a person who changed case -> the key the person was counted under.
    moved: HashMap<PersonKey, PersonKey>,
    /// (month, case, family, birth) -> given names of the persons counted in that case.
    in_case: HashMap<(YearMonth, Sym, u32, BirthDate), Vec<u32>>,
    /// (month, family, given, birth) -> the persons counted with these in the month.
    by_name: HashMap<(YearMonth, u32, u32, BirthDate), Vec<Counted>>,
}

/// What [`AkdnPersons::admit`] decided about a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonRow {
    /// The first row of a person in its month: count it.
    First {
        /// A person with the same names and birth date is already counted in another case
        /// of the month (a namesake, counted as a person of its own).
        namesake: bool,
    },
    /// Another row of a person already counted in that month.
    Again {
        /// The PKS text of the person's first row.
        first_pks: Sym,
        /// The given names differ from the first row's by one typing error.
        typo: bool,
        /// The row stands in another case the person changed to (or from) in the month.
        case_change: bool,
    },
}

impl AkdnPersons {
    /// Decides whether `r` is a new person of its month or repeats one.
    pub fn admit(&mut self, pool: &StringPool, r: &BenefitRecord) -> PersonRow {
        self.admit_keyed(pool, r).0
    }

    fn admit_keyed(&mut self, pool: &StringPool, r: &BenefitRecord) -> (PersonRow, PersonKey) {
        if r.person_number != Sym::EMPTY {
            let key = PersonKey::Number(r.month, r.person_number);
            if let Some(&first_pks) = self.first.get(&key) {
                let again = PersonRow::Again {
                    first_pks,
                    typo: false,
                    case_change: false,
                };
                return (again, key);
            }
            self.first.insert(key, r.pks);
            return (PersonRow::First { namesake: false }, key);
        }
        let family = self.names.key(pool, r.names.family);
        let mut given = self.names.key(pool, r.names.given);
        let case_key = (r.month, r.case_number, family, r.birth_date);
        let exact = PersonKey::InCase(r.month, r.case_number, family, given, r.birth_date);
        let mut typo = false;
        if !self.first.contains_key(&exact)
            && !self.moved.contains_key(&exact)
            && let Some(earlier) = self.in_case.get(&case_key).and_then(|gs| {
                let written = plain(pool.get(r.names.given));
                gs.iter()
                    .copied()
                    .find(|&g| self.names.one_typo_apart(g, given, &written))
            })
        {
            typo = true;
            given = earlier;
        }
        let key = PersonKey::InCase(r.month, r.case_number, family, given, r.birth_date);
        let counted_as = self.moved.get(&key).copied().unwrap_or(key);
        if let Some(&first_pks) = self.first.get(&counted_as) {
            let again = PersonRow::Again {
                first_pks,
                typo,
                case_change: counted_as != key,
            };
            return (again, counted_as);
        }
        let (start, end) = (r.benefit_start, r.benefit_end);
        let same_names = self
            .by_name
            .entry((r.month, family, given, r.birth_date))
            .or_default();
        let others = same_names.iter().filter(|c| c.case != r.case_number);
        if let Some(earlier) = others.clone().find(|c| c.follows(start, end)).copied() {
            let counted_as = earlier.key;
            self.moved.insert(key, counted_as);
            // A later row of the new case with a typo in the given names finds the person.
            self.in_case.entry(case_key).or_default().push(given);
            let first_pks = self.first.get(&counted_as).copied().unwrap_or(r.pks);
            let again = PersonRow::Again {
                first_pks,
                typo: false,
                case_change: true,
            };
            return (again, counted_as);
        }
        let namesake = others.count() > 0;
        same_names.push(Counted {
            key,
            case: r.case_number,
            start,
            end,
        });
        self.first.insert(key, r.pks);
        self.in_case.entry(case_key).or_default().push(given);
        (PersonRow::First { namesake }, key)
    }
}

impl Series {
    /// Computes the series from AKDN person rows (any number of files, months may overlap).
    pub fn compute<'a>(
        pool: &StringPool,
        records: impl IntoIterator<Item = &'a BenefitRecord>,
        mapping: &PksMapping,
    ) -> Series {
        let mut months: BTreeMap<YearMonth, MonthAcc> = BTreeMap::new();
        let mut persons = AkdnPersons::default();
        let mut conflicted: HashSet<PersonKey> = HashSet::new();
        let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
        let mut namesakes: BTreeMap<YearMonth, u64> = BTreeMap::new();
        let mut series = Series {
            example_mapping: mapping.is_example(),
            columns: mapping.columns().clone(),
            ..Series::default()
        };
        for r in records {
            series.records += 1;
            let acc = months.entry(r.month).or_default();
            acc.cases.insert(r.case_number);
            match persons.admit_keyed(pool, r) {
                (PersonRow::First { namesake }, _) => {
                    if namesake {
                        *namesakes.entry(r.month).or_default() += 1;
                    }
                }
                (
                    PersonRow::Again {
                        first_pks,
                        typo,
                        case_change,
                    },
                    key,
                ) => {
                    series.duplicates_removed += 1;
                    series.typo_duplicates += u64::from(typo);
                    series.case_changes += u64::from(case_change);
                    let same = first_pks == r.pks
                        || matches!(
                            (mapping.get(pool.get(first_pks)), mapping.get(pool.get(r.pks))),
                            (Some(a), Some(b)) if a.code == b.code
                        );
                    if !same && conflicted.insert(key) {
                        series.conflicting_pks += 1;
                    }
                    continue;
                }
            }
            let code = pool.get(r.pks);
            let entry = mapping.get(code);
            if entry.is_none() {
                *unknown.entry(code.trim().to_string()).or_default() += 1;
            }
            acc.counts.add(entry.map(|e| e.column()));
            let key = entry.map_or(UNKNOWN_PKS_KEY, |e| e.code.as_str());
            match acc.codes.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    acc.codes.insert(key.to_owned(), 1);
                }
            }
        }
        if let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) {
            let mut month = first;
            loop {
                let acc = months.get(&month);
                series.rows.push(SeriesRow {
                    month,
                    counts: acc.map(|a| a.counts),
                });
                series.cases.push(CaseRow {
                    month,
                    cases: acc.map(|a| a.cases.len() as u64),
                });
                if month >= last {
                    break;
                }
                month = month.next();
            }
        }
        series.month_codes = months
            .iter()
            .map(|(month, acc)| (*month, acc.codes.clone()))
            .collect();
        if let Some((month, acc)) = months.iter_mut().next_back() {
            series.last_month = Some(*month);
            series.last_month_codes = std::mem::take(&mut acc.codes);
        }
        let mut unknown: Vec<(String, u64)> = unknown.into_iter().collect();
        unknown.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        series.unknown_codes = unknown;
        series.namesakes = namesakes.into_iter().collect();
        series
    }

    /// Persons counted beside a namesake in another case, summed over the months.
    pub fn namesakes_total(&self) -> u64 {
        self.namesakes.iter().map(|(_, n)| n).sum()
    }

    /// Computes the series from every AKDN file of a dataset, in import order.
    pub fn from_dataset(dataset: &Dataset, mapping: &PksMapping) -> Series {
        let records = dataset.files.iter().flat_map(|f| match &f.records {
            Records::Akdn(r) => r.as_slice(),
            _ => &[],
        });
        Series::compute(&dataset.pool, records, mapping)
    }

    /// The PKS values of the loaded AKDN exports, each once (as written, trimmed), for the
    /// template of the city's mapping ([`super::pks::template`]).
    pub fn pks_values(dataset: &Dataset) -> Vec<String> {
        let mut seen = HashSet::new();
        for file in &dataset.files {
            if let Records::Akdn(rows) = &file.records {
                seen.extend(rows.iter().map(|r| r.pks));
            }
        }
        let mut values: Vec<String> = seen
            .into_iter()
            .map(|sym| dataset.pool.get(sym).trim().to_owned())
            .collect();
        values.sort();
        values.dedup();
        values
    }

    /// Months between the first and the last month without an export.
    pub fn gaps(&self) -> Vec<YearMonth> {
        self.rows
            .iter()
            .filter(|r| r.counts.is_none())
            .map(|r| r.month)
            .collect()
    }

    /// Persons (per month) with a PKS not in the mapping.
    pub fn persons_with_unknown_pks(&self) -> u64 {
        self.unknown_codes.iter().map(|(_, n)| n).sum()
    }

    /// The counts of a month, if it has data.
    pub fn month(&self, month: YearMonth) -> Option<MonthCounts> {
        self.rows
            .iter()
            .find(|r| r.month == month)
            .and_then(|r| r.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{Address, Names, Origin};

    struct Rows {
        pool: StringPool,
        rows: Vec<BenefitRecord>,
    }

    impl Rows {
        fn new() -> Rows {
            Rows {
                pool: StringPool::new(),
                rows: Vec::new(),
            }
        }

        fn add(
            &mut self,
            month: (u16, u8),
            case: &str,
            family: &str,
            given: &str,
            day: u8,
            pks: &str,
        ) {
            let mut s = |t: &str| self.pool.intern(t);
            let record = BenefitRecord {
                origin: Origin {
                    file: 0,
                    sheet: 0,
                    row: 0,
                },
                case_number: s(case),
                person_number: Sym::EMPTY,
                names: Names {
                    family: s(family),
                    given: s(given),
                    birth: Sym::EMPTY,
                },
                birth_date: BirthDate {
                    year: 1990,
                    month: 1,
                    day,
                },
                sex: None,
                address: Address::default(),
                pks: s(pks),
                benefit_start: None,
                benefit_end: None,
                month: YearMonth::new(month.0, month.1).unwrap(),
            };
            self.rows.push(record);
        }

        fn series(&self, mapping: &PksMapping) -> Series {
            Series::compute(&self.pool, &self.rows, mapping)
        }
    }

    #[test]
    fn the_person_rule_admits_each_person_once_a_month() {
        let mut rows = Rows::new();
        rows.add((2026, 10), "F1", "Müller", "Mohammed", 1, "21");
        rows.add((2026, 10), "F1", "MUELLER", "Mohamed", 1, "31");
        rows.add((2026, 10), "F2", "Müller", "Mohamed", 1, "21");
        rows.add((2026, 10), "F1", "Müller", "Anna", 1, "21");
        rows.add((2026, 11), "F1", "Müller", "Mohammed", 1, "21");
        let mut persons = AkdnPersons::default();
        let decided: Vec<PersonRow> = rows
            .rows
            .iter()
            .map(|r| persons.admit(&rows.pool, r))
            .collect();
        let first_pks = rows.rows[0].pks;
        assert_eq!(
            decided,
            vec![
                PersonRow::First { namesake: false },
                PersonRow::Again {
                    first_pks,
                    typo: true,
                    case_change: false
                },
                // Another case: the typo rule joins only within a case.
                PersonRow::First { namesake: false },
                PersonRow::First { namesake: false },
                PersonRow::First { namesake: false },
            ]
        );
    }

    fn ym(y: u16, m: u8) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn columns_totals_and_the_identity() {
        let mut r = Rows::new();
        let codes = [
            "21", "21", "11", "12", "12", "12", "22", "23", "13", "31", "35",
        ];
        for (i, code) in codes.iter().enumerate() {
            r.add(
                (2017, 11),
                &format!("F{i}"),
                &format!("Name{i}"),
                "A",
                1,
                code,
            );
        }
        let s = r.series(&PksMapping::example());
        let c = s.month(ym(2017, 11)).unwrap();
        assert_eq!(c.cells[..6], [2, 1, 3, 1, 4, 0]);
        let sum = |key| c.sum(s.columns.sum(key).unwrap());
        let geduldete = sum(crate::series_columns::GEDULDETE_GESAMT);
        let asyl = sum(crate::series_columns::ASYLBEWERBER_GESAMT);
        assert_eq!((geduldete, asyl), (2 + 1 + 4, 4));
        assert_eq!(c.insgesamt(), 11);
        assert_eq!(c.insgesamt(), geduldete + asyl);
        assert!(s.example_mapping);
    }

    #[test]
    fn the_seed_row_of_november_2017_satisfies_the_identity() {
        let c = MonthCounts::of(&[689, 494, 275, 475, 4]);
        let seed = SeriesColumns::seed();
        let sums: Vec<u64> = seed.sums().iter().map(|s| c.sum(s)).collect();
        assert_eq!(sums, [1168, 769]);
        assert_eq!(c.insgesamt(), 1937);
    }

    #[test]
    fn persons_are_deduplicated_within_a_case_and_month_not_across_months() {
        let mut r = Rows::new();
        r.add((2017, 11), "1", "Müller", "Anna Maria", 1, "12");
        r.add((2017, 11), "1", "MUELLER", "anna-maria", 1, "12");
        r.add((2017, 11), "1", "Müller", "Anna Maria", 1, "22");
        r.add((2017, 11), "1", "Müller", "Anna Maria", 2, "12");
        r.add((2017, 12), "1", "Müller", "Anna Maria", 1, "12");
        let s = r.series(&PksMapping::example());
        let nov = s.month(ym(2017, 11)).unwrap();
        assert_eq!(nov.persons(), 2, "two birth dates, two persons");
        assert_eq!(
            nov.get(2),
            2,
            "the first row's PKS decides (§ 3 Asylbewerber)"
        );
        assert_eq!(s.month(ym(2017, 12)).unwrap().persons(), 1);
        assert_eq!(s.duplicates_removed, 2);
        assert_eq!(s.conflicting_pks, 1);
        assert_eq!(s.records, 5);
        assert!(s.namesakes.is_empty());
    }

    #[test]
    fn namesakes_in_different_cases_are_two_persons() {
        let mut r = Rows::new();
        r.add((2024, 3), "100", "Ahmad", "Mohammad", 1, "21");
        r.add((2024, 3), "200", "AHMAD", "Mohammad", 1, "21");
        r.add((2024, 3), "300", "Ahmad", "Mohammad", 1, "12");
        r.add((2024, 4), "100", "Ahmad", "Mohammad", 1, "21");
        let s = r.series(&PksMapping::example());
        assert_eq!(s.month(ym(2024, 3)).unwrap().persons(), 3);
        assert_eq!(s.month(ym(2024, 4)).unwrap().persons(), 1);
        assert_eq!((s.duplicates_removed, s.conflicting_pks), (0, 0));
        assert_eq!(s.namesakes, [(ym(2024, 3), 2)]);
        assert_eq!(s.namesakes_total(), 2);
    }

    #[test]
    fn one_person_listed_twice_in_one_case_is_one_person() {
        let mut r = Rows::new();
        r.add((2024, 3), "100", "Ahmad", "Mohammad", 1, "21");
        r.add((2024, 3), "100", "Ahmad", "Mohammad", 1, "21");
        r.add((2024, 3), "100", "Ahmad", "Fatima", 1, "21");
        let s = r.series(&PksMapping::example());
        assert_eq!(s.month(ym(2024, 3)).unwrap().persons(), 2);
        assert_eq!((s.duplicates_removed, s.typo_duplicates), (1, 0));
        assert!(s.namesakes.is_empty());
    }

    #[test]
    fn a_person_who_changes_case_in_the_month_is_one_person() {
        let date = |d: u8| Some(Date::new(2024, 3, d).unwrap());
        let mut r = Rows::new();
        r.add((2024, 3), "100", "Ahmad", "Mohammad", 1, "21");
        r.rows[0].benefit_end = date(14);
        r.add((2024, 3), "200", "Ahmad", "Mohammad", 1, "21");
        r.rows[1].benefit_start = date(15);
        // A namesake whose benefit runs through the month stays a person of its own.
        r.add((2024, 3), "300", "Ahmad", "Mohammad", 1, "21");
        r.rows[2].benefit_start = date(1);
        // The new case's row listed twice, once with a typo, is still the one person.
        r.add((2024, 3), "200", "Ahmad", "Mohammad", 1, "21");
        r.rows[3].benefit_start = date(15);
        r.add((2024, 3), "200", "Ahmad", "Mohamad", 1, "21");
        r.rows[4].benefit_start = date(15);
        let s = r.series(&PksMapping::example());
        assert_eq!(s.month(ym(2024, 3)).unwrap().persons(), 2);
        assert_eq!((s.duplicates_removed, s.case_changes), (3, 3));
        assert_eq!(s.typo_duplicates, 1);
        assert_eq!(s.namesakes_total(), 1);
    }

    #[test]
    fn a_person_number_decides_over_names_and_cases() {
        let mut r = Rows::new();
        for (case, number, given) in [
            ("100", "P1", "Mohammad"),
            ("200", "P1", "Mohamad"),
            ("100", "P2", "Mohammad"),
            ("100", "P3", "Mohammad"),
        ] {
            r.add((2024, 3), case, "Ahmad", given, 1, "21");
            let n = r.pool.intern(number);
            r.rows.last_mut().unwrap().person_number = n;
        }
        let s = r.series(&PksMapping::example());
        assert_eq!(s.month(ym(2024, 3)).unwrap().persons(), 3);
        assert_eq!(s.duplicates_removed, 1);
    }

    #[test]
    fn a_typo_duplicate_within_a_case_is_one_person() {
        let mut r = Rows::new();
        r.add((2017, 11), "7", "Haddad", "Mohammed", 1, "21");
        r.add((2017, 11), "7", "Haddad", "Mohamed", 1, "21");
        r.add((2017, 11), "7", "Haddad", "Mohammde", 1, "21");
        r.add((2017, 11), "8", "Haddad", "Mohamed", 1, "21");
        r.add((2017, 11), "7", "Haddad", "Ahmad", 1, "21");
        // A letter with an umlaut lost: one typing error as written, two folded.
        r.add((2017, 11), "7", "Kara", "Yağmur Gülsen", 1, "21");
        r.add((2017, 11), "7", "Kara", "Yağmur Glsen", 1, "21");
        let s = r.series(&PksMapping::example());
        assert_eq!(s.month(ym(2017, 11)).unwrap().persons(), 4);
        assert_eq!((s.duplicates_removed, s.typo_duplicates), (3, 3));
    }

    #[test]
    fn one_typing_error_apart() {
        assert!(one_typo_apart("mohammed", "mohamed"));
        assert!(one_typo_apart("mohamed", "mohammed"));
        assert!(one_typo_apart("anna", "anan"));
        assert!(one_typo_apart("anna", "anja"));
        assert!(one_typo_apart("lina", "linah"));
        assert!(!one_typo_apart("anna", "anna"));
        assert!(!one_typo_apart("ali", "ola"));
        assert!(
            one_typo_apart("ai", "ali"),
            "a letter lost from a short name"
        );
        assert!(!one_typo_apart("al", "a"));
        assert!(!one_typo_apart("al", "ak"));
        assert!(!one_typo_apart("anna", "anke"));
        assert!(!one_typo_apart("mohammed", "muhamad"));
    }

    #[test]
    fn gaps_are_gaps_not_zeros() {
        let mut r = Rows::new();
        r.add((2017, 11), "1", "A", "B", 1, "21");
        r.add((2018, 2), "1", "A", "B", 1, "21");
        let s = r.series(&PksMapping::example());
        let months: Vec<_> = s.rows.iter().map(|r| r.month.to_string()).collect();
        assert_eq!(months, ["2017-11", "2017-12", "2018-01", "2018-02"]);
        assert_eq!(s.gaps(), [ym(2017, 12), ym(2018, 1)]);
        assert_eq!(s.rows[1].counts, None);
        assert_eq!(s.cases[2].cases, None);
        assert_eq!(s.cases[3].cases, Some(1));
        assert!(
            Series::compute(&r.pool, &[], &PksMapping::example())
                .rows
                .is_empty()
        );
    }

    #[test]
    fn cases_are_distinct_case_numbers() {
        let mut r = Rows::new();
        r.add((2017, 11), "100", "A", "X", 1, "21");
        r.add((2017, 11), "100", "A", "Y", 1, "21");
        r.add((2017, 11), "100", "A", "Z", 1, "12");
        r.add((2017, 11), "200", "B", "X", 1, "12");
        r.add((2017, 12), "100", "A", "X", 1, "21");
        let s = r.series(&PksMapping::example());
        let cases: Vec<_> = s.cases.iter().map(|c| c.cases).collect();
        assert_eq!(cases, [Some(2), Some(1)]);
        assert_eq!(s.month(ym(2017, 11)).unwrap().persons(), 4);
    }

    #[test]
    fn unknown_codes_are_counted_and_kept_out_of_the_columns() {
        let mut r = Rows::new();
        r.add((2017, 11), "1", "A", "X", 1, "99");
        r.add((2017, 11), "1", "A", "Y", 1, "99");
        r.add((2017, 11), "2", "B", "X", 1, "XY");
        r.add((2017, 11), "2", "B", "Y", 1, "21");
        let s = r.series(&PksMapping::example());
        assert_eq!(
            s.unknown_codes,
            [("99".to_string(), 2), ("XY".to_string(), 1)]
        );
        assert_eq!(s.persons_with_unknown_pks(), 3);
        let c = s.month(ym(2017, 11)).unwrap();
        assert_eq!((c.unknown_pks, c.insgesamt(), c.persons()), (3, 1, 4));
    }

    #[test]
    fn a_city_mapping_is_not_the_example() {
        let mut r = Rows::new();
        r.add((2017, 11), "1", "A", "X", 1, "G");
        let m = PksMapping::from_toml(
            "[[pks]]\ncode = \"G\"\nstatus_group = \"Geduldete\"\nbenefit = \"§2\"\nasylblg_nr = \"4\"\n",
        )
        .unwrap();
        let s = r.series(&m);
        assert!(!s.example_mapping);
        assert_eq!(s.month(ym(2017, 11)).unwrap().get(0), 1);
    }
}
