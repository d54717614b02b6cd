//! Turning mapped rows into typed records, one function per source.

use crate::intern::{StringPool, Sym};
use crate::records::{
    Address, AddressEntry, BenefitRecord, Date, DwellingStatus, Foreigner, Names, NationalityCode,
    Origin, Pupil, Resident, Sex, YearMonth,
};

use super::fields::Field;
use super::grid::{Cell, Row, column_letters};
use super::report::{ImportReport, Location, RejectReason};
use super::values::{self, NationalityTable, ValueProblem, value_shape};

const FIELD_SLOTS: usize = 64;
static EMPTY: Cell = Cell::Empty;

/// Words that mark a sum or count row instead of a person ("Summe", "Anzahl Personen: 12").
const SUM_WORDS: [&str; 7] = [
    "anzahl",
    "summe",
    "gesamt",
    "insgesamt",
    "total",
    "gesamtsumme",
    "endsumme",
];

/// What a row builder needs besides the row.
pub struct Builder<'a> {
    /// Interned text of the dataset.
    pub pool: &'a mut StringPool,
    /// Nationality codes.
    pub nationalities: &'a NationalityTable,
    /// The file's report (unmapped values are counted here).
    pub report: &'a mut ImportReport,
    /// Index of the file in the dataset.
    pub file: u32,
    /// Index of the sheet among the sheets read (0 for text files).
    pub sheet: u16,
    /// Reference date for birth-date checks.
    pub reference: Option<Date>,
    /// Reporting month for files without a month column.
    pub month: Option<YearMonth>,
    /// School number given for the file.
    pub school_number: Sym,
    /// School form given for the file.
    pub school_form: Sym,
    /// Longest cell in bytes.
    pub max_cell_bytes: usize,
    columns: [Option<usize>; FIELD_SLOTS],
    headers: Vec<String>,
    /// Coded values decoded once per distinct text of the file (they repeat on every row).
    memo: CodedMemo,
}

/// Decoded coded values by their text as written.
#[derive(Default)]
struct CodedMemo {
    nationality: hashbrown::HashMap<String, Option<NationalityCode>>,
    sex: hashbrown::HashMap<String, Result<Sex, ValueProblem>>,
    dwelling: hashbrown::HashMap<String, Result<DwellingStatus, ValueProblem>>,
}

/// The value of `text` from `memo`, decoding it with `decode` the first time.
fn memoized<T: Copy>(
    memo: &mut hashbrown::HashMap<String, T>,
    text: &str,
    decode: impl FnOnce() -> T,
) -> T {
    if let Some(value) = memo.get(text) {
        return *value;
    }
    let value = decode();
    memo.insert(text.to_owned(), value);
    value
}

/// A rejected row: the reason and where.
pub type Rejection = (RejectReason, Location);

impl<'a> Builder<'a> {
    /// A builder for rows whose columns map to `mapped` fields under `headers`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pool: &'a mut StringPool,
        nationalities: &'a NationalityTable,
        report: &'a mut ImportReport,
        file: u32,
        headers: Vec<String>,
        mapped: &[Option<Field>],
        max_cell_bytes: usize,
    ) -> Self {
        let mut columns = [None; FIELD_SLOTS];
        for (i, field) in mapped.iter().enumerate() {
            if let Some(field) = field {
                columns[*field as usize].get_or_insert(i);
            }
        }
        Builder {
            pool,
            nationalities,
            report,
            file,
            sheet: 0,
            reference: None,
            month: None,
            school_number: Sym::EMPTY,
            school_form: Sym::EMPTY,
            max_cell_bytes,
            columns,
            headers,
            memo: CodedMemo::default(),
        }
    }

    /// True if the file has a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.columns[field as usize].is_some()
    }

    fn cell<'r>(&self, row: &'r Row, field: Field) -> &'r Cell {
        self.columns[field as usize]
            .and_then(|i| row.cells.get(i))
            .unwrap_or(&EMPTY)
    }

    fn location(&self, row: &Row, field: Field, shape: bool) -> Location {
        let column = self.columns[field as usize].map(|i| {
            let header = self.headers.get(i).map(String::as_str).unwrap_or("");
            format!("Spalte {} „{header}“", column_letters(i))
        });
        let shape = shape.then(|| value_shape(&self.cell(row, field).as_text()));
        Location {
            row: row.number,
            column,
            shape,
        }
    }

    fn invalid(&self, row: &Row, field: Field, problem: ValueProblem) -> Rejection {
        (
            RejectReason::Invalid(field, problem),
            self.location(row, field, true),
        )
    }

    fn missing(&self, row: &Row, field: Field) -> Rejection {
        let reason = if *self.cell(row, field) == Cell::FormulaWithoutResult {
            RejectReason::FormulaWithoutResult(field)
        } else {
            RejectReason::Missing(field)
        };
        (reason, self.location(row, field, false))
    }

    /// Checks cell lengths and recognises sum rows; run before building.
    pub fn precheck(&self, row: &Row) -> Result<(), Rejection> {
        for (slot, column) in self.columns.iter().enumerate() {
            let (Some(i), Some(field)) = (column, field_of_slot(slot)) else {
                continue;
            };
            if let Some(Cell::Text(t)) = row.cells.get(*i)
                && t.len() > self.max_cell_bytes
            {
                return Err((
                    RejectReason::CellTooLong(field),
                    Location {
                        row: row.number,
                        column: self.location(row, field, false).column,
                        shape: Some(format!("{} Byte", t.len())),
                    },
                ));
            }
        }
        Ok(())
    }

    /// True if the row carries a sum word where a person would be.
    pub fn is_sum_row(row: &Row) -> bool {
        row.cells.iter().any(|c| match c {
            Cell::Text(t) => {
                let n = crate::text::fold(t);
                SUM_WORDS.iter().any(|w| n.starts_with(w))
            }
            _ => false,
        })
    }

    fn text(&mut self, row: &Row, field: Field) -> Sym {
        let cell = self.cell(row, field);
        let text = cell.as_text();
        if text.contains(char::is_whitespace) {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            self.pool.intern(&collapsed)
        } else {
            self.pool.intern(&text)
        }
    }

    fn required_text(&mut self, row: &Row, field: Field) -> Result<Sym, Rejection> {
        let sym = self.text(row, field);
        if sym == Sym::EMPTY {
            Err(self.missing(row, field))
        } else {
            Ok(sym)
        }
    }

    fn date(&self, row: &Row, field: Field) -> Result<Option<Date>, Rejection> {
        values::optional_date(self.cell(row, field)).map_err(|p| self.invalid(row, field, p))
    }

    fn nationality(&mut self, row: &Row, field: Field) -> Option<NationalityCode> {
        let cell = self.cell(row, field);
        if cell.is_blank() {
            return None;
        }
        let text = cell.as_text();
        let table = self.nationalities;
        let code = memoized(&mut self.memo.nationality, &text, || table.lookup(&text));
        if code.is_none() {
            self.report.unmapped(field, &text);
        }
        code
    }

    fn names(&mut self, row: &Row) -> Result<Names, Rejection> {
        Ok(Names {
            family: self.required_text(row, Field::FamilyName)?,
            given: self.required_text(row, Field::GivenNames)?,
            birth: self.text(row, Field::BirthName),
        })
    }

    fn birth_date(&self, row: &Row) -> Result<crate::records::BirthDate, Rejection> {
        let cell = self.cell(row, Field::BirthDate);
        if cell.is_blank() {
            return Err(self.missing(row, Field::BirthDate));
        }
        values::birth_date(cell, self.reference).map_err(|p| self.invalid(row, Field::BirthDate, p))
    }

    fn address(&mut self, row: &Row) -> Address {
        Address {
            street: self.text(row, Field::Street),
            street_key: self.text(row, Field::StreetKey),
            house_number: self.text(row, Field::HouseNumber),
            house_suffix: self.text(row, Field::HouseSuffix),
            postcode: self.text(row, Field::Postcode),
            city: self.text(row, Field::City),
        }
    }

    fn origin(&self, row: &Row) -> Origin {
        Origin {
            file: self.file,
            sheet: self.sheet,
            row: row.number,
        }
    }

    /// A Meldewesen row.
    pub fn resident(&mut self, row: &Row) -> Result<Resident, Rejection> {
        let names = self.names(row)?;
        let birth_date = self.birth_date(row)?;
        let sex_cell = self.cell(row, Field::Sex);
        if sex_cell.is_blank() {
            return Err(self.missing(row, Field::Sex));
        }
        let sex = memoized(&mut self.memo.sex, &sex_cell.as_text(), || {
            values::sex(sex_cell)
        })
        .map_err(|p| self.invalid(row, Field::Sex, p))?;
        if self.cell(row, Field::Nationality).is_blank() {
            return Err(self.missing(row, Field::Nationality));
        }
        let dwelling_cell = self.cell(row, Field::DwellingStatus);
        if dwelling_cell.is_blank() {
            return Err(self.missing(row, Field::DwellingStatus));
        }
        let dwelling = memoized(&mut self.memo.dwelling, &dwelling_cell.as_text(), || {
            values::dwelling(dwelling_cell)
        })
        .map_err(|p| self.invalid(row, Field::DwellingStatus, p))?;
        let address = self.address(row);
        if address.street == Sym::EMPTY {
            return Err(self.missing(row, Field::Street));
        }
        if address.house_number == Sym::EMPTY {
            return Err(self.missing(row, Field::HouseNumber));
        }
        let move_in = self.date(row, Field::MoveInDate)?;
        let registered = self.date(row, Field::RegistrationDate)?;
        let deregistered = self.date(row, Field::DeregistrationDate)?;
        Ok(Resident {
            origin: self.origin(row),
            person_key: self.text(row, Field::PersonKey),
            names,
            birth_date,
            sex,
            nationality: self.nationality(row, Field::Nationality),
            nationality_2: self.nationality(row, Field::Nationality2),
            address,
            dwelling,
            move_in,
            registered,
            deregistered,
            marital_status: self.text(row, Field::MaritalStatus),
        })
    }

    /// An ALW row.
    pub fn foreigner(&mut self, row: &Row) -> Result<Foreigner, Rejection> {
        let names = self.names(row)?;
        let birth_date = self.birth_date(row)?;
        let sex_cell = self.cell(row, Field::Sex);
        if sex_cell.is_blank() {
            return Err(self.missing(row, Field::Sex));
        }
        let sex = memoized(&mut self.memo.sex, &sex_cell.as_text(), || {
            values::sex(sex_cell)
        })
        .map_err(|p| self.invalid(row, Field::Sex, p))?;
        if self.cell(row, Field::Nationality).is_blank() {
            return Err(self.missing(row, Field::Nationality));
        }
        let issued_on = self.date(row, Field::IssuedOn)?;
        let valid_until = self.date(row, Field::ValidUntil)?;
        let entry_date = self.date(row, Field::EntryDate)?;
        let move_in = self.date(row, Field::MoveInDate)?;
        Ok(Foreigner {
            origin: self.origin(row),
            azr_number: self.text(row, Field::AzrNumber),
            names,
            birth_date,
            sex,
            nationality: self.nationality(row, Field::Nationality),
            // Empty Aufenthaltsart or Erteilungsgrund is information for the classification
            // ("ohne Status"), not a reason to drop the person.
            residence_kind: self.text(row, Field::ResidenceKind),
            legal_basis: self.text(row, Field::LegalBasis),
            issued_on,
            valid_until,
            entry_date,
            address: self.address(row),
            move_in,
        })
    }

    /// An AKDN row.
    pub fn benefit(&mut self, row: &Row) -> Result<BenefitRecord, Rejection> {
        let case_number = self.required_text(row, Field::CaseNumber)?;
        let names = self.names(row)?;
        let birth_date = self.birth_date(row)?;
        let sex_cell = self.cell(row, Field::Sex);
        let sex = if sex_cell.is_blank() {
            None
        } else {
            Some(values::sex(sex_cell).map_err(|p| self.invalid(row, Field::Sex, p))?)
        };
        let pks = self.required_text(row, Field::Pks)?;
        let month = if self.has(Field::ReportMonth) {
            let cell = self.cell(row, Field::ReportMonth);
            if cell.is_blank() {
                return Err(self.missing(row, Field::ReportMonth));
            }
            values::month(cell).map_err(|p| self.invalid(row, Field::ReportMonth, p))?
        } else {
            match self.month {
                Some(m) => m,
                None => return Err(self.missing(row, Field::ReportMonth)),
            }
        };
        let benefit_start = self.date(row, Field::BenefitStart)?;
        let benefit_end = self.date(row, Field::BenefitEnd)?;
        Ok(BenefitRecord {
            origin: self.origin(row),
            case_number,
            person_number: self.text(row, Field::PersonKey),
            names,
            birth_date,
            sex,
            address: self.address(row),
            pks,
            benefit_start,
            benefit_end,
            month,
        })
    }

    /// A SchILD row.
    pub fn pupil(&mut self, row: &Row) -> Result<Pupil, Rejection> {
        let names = self.names(row)?;
        let birth_date = self.birth_date(row)?;
        let sex_cell = self.cell(row, Field::Sex);
        let sex = if sex_cell.is_blank() {
            None
        } else {
            Some(values::schild_sex(sex_cell).map_err(|p| self.invalid(row, Field::Sex, p))?)
        };
        let year = |b: &Self, field: Field| -> Result<Option<u16>, Rejection> {
            let cell = b.cell(row, field);
            if cell.is_blank() {
                return Ok(None);
            }
            values::integer(cell)
                .ok()
                .and_then(|n| u16::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| b.invalid(row, field, ValueProblem::NotANumber))
        };
        let school_year = year(self, Field::SchoolYear)?;
        let arrival_year = year(self, Field::ArrivalYear)?;
        let school_number = match self.text(row, Field::SchoolNumber) {
            Sym::EMPTY => self.school_number,
            s => s,
        };
        let school_form = match self.text(row, Field::SchoolForm) {
            Sym::EMPTY => self.school_form,
            s => s,
        };
        Ok(Pupil {
            origin: self.origin(row),
            names,
            birth_date,
            sex,
            status: self.text(row, Field::PupilStatus),
            address: self.address(row),
            nationality: self.nationality(row, Field::Nationality),
            school_year,
            term: self.text(row, Field::SchoolTerm),
            grade: self.text(row, Field::Grade),
            class_name: self.text(row, Field::ClassName),
            branch: self.text(row, Field::SchoolBranch),
            org_form: self.text(row, Field::OrgForm),
            arrival_year,
            school_number,
            school_form,
        })
    }

    /// A Gliederung row.
    pub fn address_entry(&mut self, row: &Row) -> Result<AddressEntry, Rejection> {
        let address = self.address(row);
        if address.street == Sym::EMPTY && address.street_key == Sym::EMPTY {
            return Err(self.missing(row, Field::Street));
        }
        if address.house_number == Sym::EMPTY {
            return Err(self.missing(row, Field::HouseNumber));
        }
        let baublock = self.required_text(row, Field::Baublock)?;
        let stadtteil = self.required_text(row, Field::Stadtteil)?;
        let stadtbezirk = self.required_text(row, Field::Stadtbezirk)?;
        let coordinate = |b: &Self, field: Field| -> Result<Option<f64>, Rejection> {
            let cell = b.cell(row, field);
            if cell.is_blank() {
                return Ok(None);
            }
            values::decimal(cell)
                .map(Some)
                .map_err(|p| b.invalid(row, field, p))
        };
        let x = coordinate(self, Field::X)?;
        let y = coordinate(self, Field::Y)?;
        Ok(AddressEntry {
            origin: self.origin(row),
            address,
            baublock,
            stadtteil_nr: self.text(row, Field::StadtteilNr),
            stadtteil,
            stadtbezirk_nr: self.text(row, Field::StadtbezirkNr),
            stadtbezirk,
            x,
            y,
        })
    }
}

fn field_of_slot(slot: usize) -> Option<Field> {
    Field::ALL.get(slot).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_slot() {
        assert!(Field::ALL.len() <= FIELD_SLOTS);
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
        }
    }
}
