//! AKDN sozial (AsylbLG billing): one CSV with the months 2010-2015 (as an old system wrote
//! them: upper case, Windows-1252) and one XLSX per month from 2016, in four layouts as the
//! software changed; two months as XLS and ODS from LibreOffice. Also the true monthly series
//! in the layout of the office's table "Entwicklung der Flüchtlingszahlen".

use std::collections::{BTreeMap, BTreeSet};

use super::{Ctx, Truth, file_key, planned, text_entry};
use crate::Error;
use crate::codes::{Benefit, StatusGroup};
use crate::date::Date;
use crate::manifest::{FileEntry, Manifest, SheetEntry, SourceKind, TruthEntry};
use crate::names::{Sex, typo};
use crate::noise::{Birth, Flags, Kind, Register};
use crate::output::{Cell, Encoding, Sink, TextFile, TextFormat, XlsxFile};
use crate::refugees::Entitlement;
use crate::rng::{Rng, hash, tag, unit_of};
use crate::text::upper;

/// Header of the history CSV (2010-2015).
pub(crate) const HEADER_H: [&str; 16] = [
    "Berichtsmonat",
    "Az.",
    "Name",
    "Vorname",
    "Geb.-Datum",
    "Geschlecht",
    "Straße",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Ort",
    "Pers.-Kreis",
    "Beginn",
    "Ende",
    "IBAN",
    "BIC",
];
/// Header variant A (2016-2018).
pub(crate) const HEADER_A: [&str; 14] = [
    "Aktenzeichen",
    "Name",
    "Vorname",
    "Geburtsdatum",
    "männl./weibl.",
    "Strasse",
    "Hausnr.",
    "PLZ oder Ort",
    "Ort",
    "IBAN",
    "BIC",
    "Pers.Kreis",
    "Beginn",
    "Ende",
];
/// Header variant B (2019-2021).
pub(crate) const HEADER_B: [&str; 16] = [
    "Fallnummer",
    "Familienname",
    "Vorname(n)",
    "Geb.-Datum",
    "Geschlecht",
    "Straße",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Ort",
    "IBAN",
    "BIC",
    "PKS",
    "Leistungsbeginn",
    "Leistungsende",
    "Abrechnungsmonat",
];
/// Header variant C (2022-2024).
pub(crate) const HEADER_C: [&str; 15] = [
    "Fall-Nr.",
    "Name",
    "Vorname",
    "Geburtsdatum",
    "Geschlecht",
    "Strasse",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Ort",
    "IBAN",
    "BIC",
    "Personenkreisschlüssel",
    "Leistungsbeginn",
    "Leistungsende",
];
/// Header variant D (from 2025).
pub(crate) const HEADER_D: [&str; 15] = [
    "Az.",
    "Name",
    "Vorname(n)",
    "Geburtsdatum",
    "Geschlecht",
    "Straße",
    "Hausnr.",
    "PLZ",
    "Ort",
    "IBAN",
    "BIC",
    "Personenkreis",
    "Beginn",
    "Ende",
    "Monat",
];

/// Persons per PKS code and cases of one month.
pub(crate) struct MonthCounts {
    pub month: Date,
    pub persons_by_pks: BTreeMap<String, u64>,
    pub cases: u64,
}

/// The true monthly series.
pub(crate) struct Monthly {
    pub months: Vec<MonthCounts>,
}

/// One row of a month.
struct Row {
    person: usize,
    ent: Entitlement,
    /// The case the row stands in (the household's, renumbered by a case change).
    case: u32,
    /// Leistungsbeginn: the episode's start, or the day the case began.
    start: Date,
    /// Leistungsende: the last day in this case, if it ends in the month.
    end: Option<Date>,
}

/// Share of household-months in which a household's case is renumbered (Fallwechsel, e.g. a
/// change of the responsible team): from a day in the month its members stand in a new case,
/// and in that month the export lists each member twice, in the old case up to the day before
/// (Leistungsende) and in the new one from that day (Leistungsbeginn). One person, two rows.
pub(crate) const CASE_CHANGE_RATE: f64 = 0.002;

/// The current case of every household, as case changes renumber them month by month.
struct Cases {
    /// Per household: its case and the day that case began (`None`: the original case).
    current: Vec<(u32, Option<Date>)>,
    next: u32,
}

impl Cases {
    fn new(ctx: &Ctx) -> Cases {
        let current: Vec<(u32, Option<Date>)> = ctx
            .refugees
            .households
            .iter()
            .map(|h| (h.case, None))
            .collect();
        let next = current.iter().map(|c| c.0).max().unwrap_or(0) + 1;
        Cases { current, next }
    }

    /// The day in `month` on which household `h` changes case, if it does.
    fn change_in(ctx: &Ctx, h: usize, month: Date) -> Option<Date> {
        let u = crate::rng::unit_of(ctx.seed, &[47, h as u64, month.days() as u64]);
        (u < CASE_CHANGE_RATE).then(|| month.add_days(1 + (u / CASE_CHANGE_RATE * 26.0) as i32))
    }
}

/// The era (layout) of a month.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    History,
    A,
    B,
    C,
    D,
}

fn era(m: Date) -> Era {
    match m.year() {
        ..=2015 => Era::History,
        2016..=2018 => Era::A,
        2019..=2021 => Era::B,
        2022..=2024 => Era::C,
        _ => Era::D,
    }
}

/// A synthetic IBAN with a valid check number (fictitious bank codes).
fn iban(seed: u64, case: u32) -> (String, String) {
    let h = hash(seed, &[41, u64::from(case)]);
    if h.is_multiple_of(5) {
        return (String::new(), String::new());
    }
    let banks = [
        ("42099911", "SYNTDE31XXX"),
        ("42099922", "SYNTDE32GEL"),
        ("36099933", "SYNTDE3EXXX"),
    ];
    let (blz, bic) = banks[(h >> 8) as usize % banks.len()];
    let account = format!("{:010}", (h >> 16) % 10_000_000_000);
    let digits = format!("{blz}{account}131400");
    let mut rem: u64 = 0;
    for c in digits.bytes() {
        rem = (rem * 10 + u64::from(c - b'0')) % 97;
    }
    let check = 98 - rem;
    (format!("DE{check:02}{blz}{account}"), bic.to_string())
}

fn sex_code(s: Sex, era: Era) -> &'static str {
    match (era, s) {
        (Era::A, Sex::M) => "männl.",
        (Era::A, _) => "weibl.",
        (Era::History | Era::C, Sex::M) => "M",
        (Era::History | Era::C, _) => "W",
        (_, Sex::M) => "m",
        (_, Sex::W) => "w",
        (_, Sex::D) => "d",
        (_, Sex::X) => "x",
    }
}

struct Fields {
    family: String,
    given: String,
    birth: Date,
    street: String,
    number: String,
    suffix: String,
    number_with_suffix: String,
    plz: String,
    address: u32,
    flags: Flags,
}

fn fields(
    ctx: &Ctx,
    person: usize,
    month: Date,
    fit: &dyn Fn(&str, &mut Flags) -> String,
) -> Option<Fields> {
    let p = &ctx.refugees.persons[person];
    let ap = ctx.applier();
    let mut flags = Flags::default();
    let (family, given) = ap.names(p, Register::Akdn, &mut flags);
    let family = fit(&family, &mut flags);
    let given = fit(&given, &mut flags);
    let birth = match ap.birth(p, Register::Akdn, &mut flags) {
        Birth::Date(d) => d,
        Birth::Incomplete(_) => p.birth,
    };
    let (address, _) = p.address_at(month)?;
    let a = &ctx.city.addresses[address as usize];
    let street = &ctx.city.streets[a.street];
    let repr = ap.address(p.id, Register::Akdn, &street.name, a, &mut flags);
    if !a.in_gliederung {
        flags.add(Kind::UnmatchedAddress);
    }
    Some(Fields {
        family,
        given,
        birth,
        street: repr.street,
        number: repr.number,
        suffix: repr.suffix,
        number_with_suffix: repr.number_with_suffix,
        plz: street.plz.clone(),
        address,
        flags,
    })
}

/// The persons with AsylbLG benefits in a month, case by case (a person twice in the month
/// of a case change).
fn month_rows(ctx: &Ctx, month: Date, cases: &mut Cases) -> Vec<Row> {
    let next_month = month.add_months(1);
    let mut rows = Vec::new();
    for (hi, h) in ctx.refugees.households.iter().enumerate() {
        let first = h.residence.first().map_or(month, |r| r.0);
        if first > month {
            continue;
        }
        if let Some((t, None)) = h.residence.last()
            && *t <= month
            && h.members.iter().all(|&pi| {
                ctx.refugees.persons[pi]
                    .residence
                    .last()
                    .is_some_and(|(d, a)| a.is_none() && *d <= month)
            })
        {
            continue;
        }
        let before = cases.current[hi];
        let change_day = Cases::change_in(ctx, hi, month);
        let mut renumbered = false;
        for &pi in &h.members {
            let Some(ent) = ctx.refugees.entitlement(pi, month) else {
                continue;
            };
            let next = ctx.refugees.entitlement(pi, next_month).is_some();
            let end = (!next).then(|| month.month_end());
            let start = before.1.map_or(ent.since, |d| d.max(ent.since));
            let change = change_day.filter(|d| *d > start);
            let Some(day) = change else {
                rows.push(Row {
                    person: pi,
                    ent,
                    case: before.0,
                    start,
                    end,
                });
                continue;
            };
            if !renumbered {
                cases.current[hi] = (cases.next, Some(day));
                cases.next += 1;
                renumbered = true;
            }
            rows.push(Row {
                person: pi,
                ent,
                case: before.0,
                start,
                end: Some(day.add_days(-1)),
            });
            rows.push(Row {
                person: pi,
                ent,
                case: cases.current[hi].0,
                start: day,
                end,
            });
        }
    }
    rows
}

/// Writes all AKDN files; returns the true monthly counts.
pub(crate) fn write(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    truth: &mut Truth,
    manifest: &mut Manifest,
) -> Result<Monthly, Error> {
    let first = Date::ymd(2010, 1, 1);
    let last = ctx.m;
    let mut months = Vec::new();
    let ap = ctx.applier();

    // History CSV.
    let hist_end = Date::ymd(2015, 12, 1).min(last);
    let hist_path = format!(
        "exports/akdn/AKDN_AsylbLG_{}_bis_{}.csv",
        "2010-01",
        format_args!("{:04}-{:02}", hist_end.year(), hist_end.month())
    );
    let fh = TextFormat {
        delimiter: ';',
        encoding: Encoding::Windows1252,
        crlf: true,
        quote_all: false,
        no_quoting: false,
        fallback: super::fallback_for(ctx, file_key(&hist_path)),
    };
    let mut hist = TextFile::open(sink, &hist_path, fh)?;
    hist.row(sink, &HEADER_H)?;
    let mut hist_entry = text_entry(&hist_path, SourceKind::Akdn, "csv", &fh);
    hist_entry.header_variant = "H".into();
    hist_entry.header = HEADER_H.iter().map(|s| s.to_string()).collect();
    hist_entry.date_formats = vec!["TT.MM.JJJJ".into(), "MM/JJJJ (Berichtsmonat)".into()];
    hist_entry.report_month_from = Some("column".into());
    hist_entry.upper_case = true;
    hist_entry.notes = "Altbestand aus dem Vorgängersystem: viele Monate in einer Datei, Namen \
                        und Straßen in Großbuchstaben, IBAN/BIC (beim Import zu verwerfen)"
        .into();
    let mut hist_rows = 0u64;

    // Months converted by LibreOffice.
    let xls_month = Date::ymd(2017, 3, 1);
    let ods_month = Date::ymd(2021, 6, 1);

    let mut m = first;
    let mut current_cases = Cases::new(ctx);
    while m <= last {
        let rows = month_rows(ctx, m, &mut current_cases);
        let mut counts = MonthCounts {
            month: m,
            persons_by_pks: BTreeMap::new(),
            cases: 0,
        };
        let mut cases = BTreeSet::new();
        let mut persons = BTreeSet::new();
        for r in &rows {
            cases.insert(r.case);
            if persons.insert(r.person) {
                let code = pks_code(ctx, r);
                *counts.persons_by_pks.entry(code).or_default() += 1;
            }
        }
        counts.cases = cases.len() as u64;
        let era = era(m);
        if era == Era::History {
            let key = file_key(&hist_path);
            let mut dups = Vec::new();
            for r in &rows {
                if let Some(f) = {
                    let file = &hist;
                    fields(ctx, r.person, m, &|s: &str, fl: &mut Flags| file.fit(s, fl))
                } {
                    let dup =
                        ap.duplicate(ctx.refugees.persons[r.person].id, key ^ m.days() as u64);
                    if dup {
                        dups.push((r, f.flags));
                    }
                    write_hist(ctx, sink, truth, &mut hist, m, r, f)?;
                    hist_rows += 1;
                }
            }
            for (r, _) in dups {
                if let Some(mut f) = {
                    let file = &hist;
                    fields(ctx, r.person, m, &|s: &str, fl: &mut Flags| file.fit(s, fl))
                } {
                    f.flags.add(Kind::Duplicate);
                    write_hist(ctx, sink, truth, &mut hist, m, r, f)?;
                    hist_rows += 1;
                }
            }
            hist_entry
                .report_months
                .push(format!("{:04}-{:02}", m.year(), m.month()));
        } else {
            let target = if m == xls_month {
                Some("xls")
            } else if m == ods_month {
                Some("ods")
            } else {
                None
            };
            let entry = write_month(ctx, sink, truth, m, era, &rows, target)?;
            manifest.files.push(entry);
        }
        months.push(counts);
        m = m.add_months(1);
    }
    hist_entry.row_count = hist_rows;
    hist_entry.quoted_special = u64::from(hist.quoted_special);
    hist.finish(sink)?;
    manifest.files.push(hist_entry);
    Ok(Monthly { months })
}

/// Share of the recipients of a benefit with a § 1a code whose benefit is reduced
/// (Leistungseinschränkung nach § 1a AsylbLG, e.g. in Dublin procedures).
const REDUCED_SHARE: f64 = 0.04;
const K_REDUCED: u64 = 41;

fn pks_code(ctx: &Ctx, r: &Row) -> String {
    let (nr, benefit) = (r.ent.nr, r.ent.benefit);
    let id = u64::from(ctx.refugees.persons[r.person].id);
    if let Some(p) = ctx.codes.reduced_for(nr, benefit)
        && unit_of(ctx.seed, &[tag::LEGAL_EDGES, id, K_REDUCED]) < REDUCED_SHARE
    {
        return p.code.clone();
    }
    ctx.codes
        .pks_for(nr, benefit)
        .map(|p| p.code.clone())
        .unwrap_or_else(|| format!("?{nr}"))
}

fn write_hist(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    truth: &mut Truth,
    hist: &mut TextFile,
    m: Date,
    r: &Row,
    f: Fields,
) -> Result<(), Error> {
    let p = &ctx.refugees.persons[r.person];
    let (iban, bic) = iban(ctx.seed, r.case);
    let end = r.end.map(|d| d.dmy()).unwrap_or_default();
    let row = [
        format!("{:02}/{:04}", m.month(), m.year()),
        r.case.to_string(),
        upper(&f.family),
        upper(&f.given),
        f.birth.dmy(),
        sex_code(p.sex, Era::History).to_string(),
        upper(&f.street),
        f.number,
        upper(&f.suffix),
        f.plz,
        "GELSENKIRCHEN".to_string(),
        pks_code(ctx, r),
        r.start.dmy(),
        end,
        iban,
        bic,
    ];
    let n = hist.row(sink, &row)?;
    let path = hist.path.clone();
    truth.record(
        sink,
        &path,
        "",
        n,
        p.id,
        Some((f.address, ctx.baublock(f.address))),
        f.flags,
    )
}

fn write_month(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    truth: &mut Truth,
    m: Date,
    era: Era,
    rows: &[Row],
    target: Option<&str>,
) -> Result<FileEntry, Error> {
    let (y, mo) = (m.year(), m.month());
    let xlsx = match era {
        Era::B => format!("exports/akdn/AKDN_AsylbLG_{y:04}{mo:02}.xlsx"),
        Era::C => format!("exports/akdn/AsylbLG_Export_{mo:02}_{y:04}.xlsx"),
        _ => format!("exports/akdn/AKDN_AsylbLG_{y:04}-{mo:02}.xlsx"),
    };
    let (write_path, final_path, container) = match target {
        Some(t) => planned(ctx, &xlsx, t),
        None => (xlsx.clone(), xlsx.clone(), "xlsx".to_string()),
    };
    let mut x = XlsxFile::new(&write_path, m.month_end().add_days(5), false, sink)?;
    let mut e = FileEntry::new(&final_path, SourceKind::Akdn, &container);
    if target.is_some() && ctx.office {
        e.converted_from = Some(write_path.clone());
        e.converter = Some("LibreOffice".into());
    }
    e.report_months = vec![format!("{y:04}-{mo:02}")];
    let month_text = format!("{mo:02}/{y:04}");
    let header: &[&str] = match era {
        Era::A => {
            x.add_sheet("AsylbLG")?;
            x.title(
                &format!("AKDN-sozial – Export AsylbLG – Abrechnungsmonat {month_text}"),
                HEADER_A.len() as u16,
            )?;
            e.header_variant = "A".into();
            e.title_rows = 1;
            e.merged_cells = 1;
            e.sum_row = true;
            e.report_month_from = Some("file name".into());
            e.date_formats = vec!["TT.MM.JJJJ (als Text)".into()];
            e.notes = "Titelzeile über der Kopfzeile, Summenzeile; PLZ in 'PLZ oder Ort'; \
                       Berichtsmonat nur im Dateinamen (JJJJ-MM)"
                .into();
            &HEADER_A
        }
        Era::B => {
            x.add_sheet("Export")?;
            x.row(&[Cell::Text("AKDN-sozial Export AsylbLG".into())])?;
            x.row(&[Cell::Text(format!("Abrechnungsmonat: {month_text}"))])?;
            e.header_variant = "B".into();
            e.title_rows = 2;
            e.report_month_from = Some("column".into());
            e.date_formats = vec!["Excel-Datum".into()];
            e.notes = "Zwei Titelzeilen; Fallnummer und PKS als Zahlzellen; Abrechnungsmonat \
                       als Spalte (MM/JJJJ) und im Dateinamen (JJJJMM)"
                .into();
            &HEADER_B
        }
        Era::C => {
            let sheet = format!("{mo:02}_{y:04}");
            x.add_sheet(&sheet)?;
            x.title(
                &format!("Leistungsberechtigte nach dem AsylbLG – {month_text}"),
                HEADER_C.len() as u16,
            )?;
            x.group_header(&[
                (0, 0, "Fall"),
                (1, 4, "Person"),
                (5, 9, "Anschrift"),
                (10, 11, "Zahlung"),
                (12, 14, "Leistung"),
            ])?;
            e.header_variant = "C".into();
            e.title_rows = 2;
            e.merged_cells = 5;
            e.report_month_from = Some("file name".into());
            e.date_formats = vec![
                "TT.MM.JJJJ (Geburtsdatum, als Text)".into(),
                "Excel-Seriennummer ohne Datumsformat (Leistungsbeginn, Leistungsende)".into(),
            ];
            e.notes = "Titelzeile und verbundene Gruppenüberschriften über der Kopfzeile; \
                       Berichtsmonat im Dateinamen (MM_JJJJ) und Blattnamen"
                .into();
            &HEADER_C
        }
        _ => {
            x.add_sheet("Tabelle1")?;
            e.header_variant = "D".into();
            e.trailing_empty_columns = 3;
            e.report_month_from = Some("column".into());
            e.date_formats = vec!["Excel-Datum".into()];
            e.notes = "Keine Titelzeile; Monat als Datumsspalte (erster des Monats); leere \
                       formatierte Spalten rechts"
                .into();
            &HEADER_D
        }
    };
    let trailing = if era == Era::D { 3 } else { 0 };
    let header_row = x.header(header, trailing)?;
    e.header_row = header_row;
    e.header = header.iter().map(|s| s.to_string()).collect();
    let ap = ctx.applier();
    // Keyed by the XLSX name, so a converted month holds the same records.
    let key = file_key(&xlsx);
    let mut written = 0u64;
    let mut dups = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(f) = fields(ctx, r.person, m, &|s, _| s.to_string()) else {
            continue;
        };
        let p = &ctx.refugees.persons[r.person];
        if ap.duplicate(p.id, key) {
            dups.push(i);
        }
        write_row(ctx, sink, truth, &mut x, &final_path, m, era, r, f)?;
        written += 1;
    }
    for i in dups {
        let r = &rows[i];
        let Some(mut f) = fields(ctx, r.person, m, &|s, _| s.to_string()) else {
            continue;
        };
        let mut rng = Rng::derive(
            ctx.seed,
            &[43, u64::from(ctx.refugees.persons[r.person].id)],
        );
        if rng.chance(0.5) {
            f.given = typo(&f.given, &mut rng);
        }
        f.flags.add(Kind::Duplicate);
        write_row(ctx, sink, truth, &mut x, &final_path, m, era, r, f)?;
        written += 1;
    }
    if era == Era::A {
        x.blank_line();
        x.row(&[Cell::Text(format!("Summe: {written} Datensätze"))])?;
    }
    e.row_count = written;
    let sheets = x.finish(sink)?;
    e.sheets = sheets
        .into_iter()
        .map(|(name, rows)| SheetEntry { name, rows })
        .collect();
    Ok(e)
}

#[allow(clippy::too_many_arguments)]
fn write_row(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    truth: &mut Truth,
    x: &mut XlsxFile,
    path: &str,
    m: Date,
    era: Era,
    r: &Row,
    f: Fields,
) -> Result<(), Error> {
    let p = &ctx.refugees.persons[r.person];
    let (iban, bic) = iban(ctx.seed, r.case);
    let pks = pks_code(ctx, r);
    let end = r.end;
    let t = |s: String| Cell::Text(s);
    let cells: Vec<Cell> = match era {
        Era::A => vec![
            t(r.case.to_string()),
            t(f.family),
            t(f.given),
            t(f.birth.dmy()),
            t(sex_code(p.sex, era).into()),
            t(f.street),
            t(f.number_with_suffix),
            t(f.plz),
            t("Gelsenkirchen".into()),
            t(iban),
            t(bic),
            t(pks),
            t(r.start.dmy()),
            t(end.map(|d| d.dmy()).unwrap_or_default()),
        ],
        Era::B => vec![
            Cell::Number(f64::from(r.case)),
            t(f.family),
            t(f.given),
            Cell::Date(f.birth),
            t(sex_code(p.sex, era).into()),
            t(f.street),
            t(f.number),
            t(f.suffix),
            t(f.plz),
            t("Gelsenkirchen".into()),
            t(iban),
            t(bic),
            pks.parse::<f64>()
                .map_or_else(|_| t(pks.clone()), Cell::Number),
            Cell::Date(r.start),
            end.map_or(Cell::Empty, Cell::Date),
            t(format!("{:02}/{:04}", m.month(), m.year())),
        ],
        Era::C => vec![
            t(r.case.to_string()),
            t(f.family),
            t(f.given),
            t(f.birth.dmy()),
            t(sex_code(p.sex, era).into()),
            t(f.street),
            t(f.number),
            t(f.suffix),
            t(f.plz),
            t("Gelsenkirchen".into()),
            t(iban),
            t(bic),
            t(pks),
            Cell::Number(r.start.excel_serial()),
            end.map_or(Cell::Empty, |d| Cell::Number(d.excel_serial())),
        ],
        _ => vec![
            t(r.case.to_string()),
            t(f.family),
            t(f.given),
            Cell::Date(f.birth),
            t(sex_code(p.sex, era).into()),
            t(f.street),
            t(f.number_with_suffix),
            t(f.plz),
            t("Gelsenkirchen".into()),
            t(iban),
            t(bic),
            t(pks),
            Cell::Date(r.start),
            end.map_or(Cell::Empty, Cell::Date),
            Cell::Date(m),
        ],
    };
    let row = x.row(&cells)?;
    let sheet = x.sheet_name().to_string();
    truth.record(
        sink,
        path,
        &sheet,
        row,
        p.id,
        Some((f.address, ctx.baublock(f.address))),
        f.flags,
    )
}

/// Writes the monthly truth tables.
pub(crate) fn write_truth(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    monthly: &Monthly,
    manifest: &mut Manifest,
) -> Result<(), Error> {
    let fmt = super::truth_format();
    let path = "truth/asylblg_monthly.csv";
    let mut f = TextFile::open(sink, path, fmt)?;
    f.row(
        sink,
        &[
            "monat",
            "p2_geduldete",
            "p2_asylbewerber",
            "p3_asylbewerber",
            "p3_geduldete",
            "sonstige",
            "geduldete_gesamt",
            "asylbewerber_gesamt",
            "insgesamt",
            "faelle",
        ],
    )?;
    let path_d = "truth/asylblg_monthly_detail.csv";
    let mut fd = TextFile::open(sink, path_d, fmt)?;
    fd.row(
        sink,
        &[
            "monat",
            "pks",
            "status_group",
            "benefit",
            "asylblg_nr",
            "persons",
        ],
    )?;
    for mc in &monthly.months {
        let (mut p2g, mut p2a, mut p3a, mut p3g, mut sonst) = (0u64, 0u64, 0u64, 0u64, 0u64);
        for (code, n) in &mc.persons_by_pks {
            let pks = ctx.codes.pks.iter().find(|p| p.code == *code);
            let (group, benefit, nr) = match pks {
                Some(p) => (p.group, p.benefit, p.asylblg_nr.as_str()),
                None => (StatusGroup::Sonstige, Benefit::P3, "?"),
            };
            match (group, benefit) {
                (StatusGroup::Geduldete, Benefit::P2) => p2g += n,
                (StatusGroup::Asylbewerber, Benefit::P2) => p2a += n,
                (StatusGroup::Asylbewerber, Benefit::P3) => p3a += n,
                (StatusGroup::Geduldete, Benefit::P3) => p3g += n,
                _ => sonst += n,
            }
            fd.row(
                sink,
                &[
                    mc.month.dmy(),
                    code.clone(),
                    group.label().to_string(),
                    benefit.label().to_string(),
                    nr.to_string(),
                    n.to_string(),
                ],
            )?;
        }
        let ged = p2g + p3g + sonst;
        let asy = p2a + p3a;
        f.row(
            sink,
            &[
                mc.month.dmy(),
                p2g.to_string(),
                p2a.to_string(),
                p3a.to_string(),
                p3g.to_string(),
                sonst.to_string(),
                ged.to_string(),
                asy.to_string(),
                (ged + asy).to_string(),
                mc.cases.to_string(),
            ],
        )?;
    }
    f.finish(sink)?;
    fd.finish(sink)?;
    manifest.truth.push(TruthEntry {
        path: path.to_string(),
        description: "Monthly AsylbLG persons in the layout of the office's table (seed): § 2 Geduldete, § 2 Asylbewerber, § 3 Asylbewerber, § 3 Geduldete, sonstige (group Sonstige or benefit §§4-6), Geduldete gesamt (incl. sonstige), Asylbewerber gesamt, Insgesamt; cases (Fälle) separately".to_string(),
    });
    manifest.truth.push(TruthEntry {
        path: path_d.to_string(),
        description:
            "Monthly AsylbLG persons per PKS code with its group, benefit and AsylbLG number"
                .to_string(),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_have_valid_check_digits() {
        for case in 0..200 {
            let (iban, bic) = iban(5, case);
            if iban.is_empty() {
                continue;
            }
            assert_eq!(iban.len(), 22);
            assert!(bic.starts_with("SYNT"));
            // Move the first four characters to the end, letters to numbers, mod 97 == 1.
            let rearranged = format!("{}{}", &iban[4..], "1314") + &iban[2..4];
            let mut rem = 0u64;
            for c in rearranged.bytes() {
                rem = (rem * 10 + u64::from(c - b'0')) % 97;
            }
            assert_eq!(rem, 1, "{iban}");
        }
    }
}
