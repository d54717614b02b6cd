//! EWO-ALW (foreigners register): the Stichtag list (XLSX with title rows and a sum row), the
//! list one week earlier (UTF-8 CSV), the month's new and changed titles (two sheets, XLS via
//! LibreOffice) and the Duldung list (Windows-1252, `|`).

use super::{Aggregates, Ctx, NatStyle, Truth, file_key, planned, text_entry};
use crate::Error;
use crate::date::Date;
use crate::legal::{Category, FORMATS_MD_SPELLINGS, Law, StatusId, Style, UNPARSABLE, spell};
use crate::manifest::{FileEntry, Manifest, SheetEntry, SourceKind};
use crate::names::{Group, Sex};
use crate::noise::{Birth, Flags, Kind, Register};
use crate::output::{Cell, Encoding, Sink, TextFile, TextFormat, XlsxFile};
use crate::people::Person;
use crate::rng::{hash, tag, unit_of};

/// Header variant A (Stichtag XLSX).
pub(crate) const HEADER_A: [&str; 19] = [
    "AZR-Nummer",
    "Familienname (ges.)",
    "Vorname(n)",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangeh.",
    "Aufenthaltsart",
    "Erteilungsgrund",
    "erteilt am",
    "gültig bis",
    "Einreise",
    "Straße",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Ort",
    "Einzugsdatum",
    "Religion",
    "Familienstand",
];

/// Header variant B (CSV one week earlier).
pub(crate) const HEADER_B: [&str; 18] = [
    "AZR-Nr.",
    "Familienname",
    "Vornamen",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Aufenthaltsstatus",
    "Rechtsgrundlage",
    "ausgestellt am",
    "befristet bis",
    "Einreisedatum",
    "Strasse",
    "Hausnummer",
    "Hausnummernzusatz",
    "PLZ",
    "Wohnort",
    "Einzugsdatum",
    "Bemerkung",
];

/// Header variant C (new and changed titles of the month).
pub(crate) const HEADER_C: [&str; 15] = [
    "AZR Nr",
    "Name",
    "Vornamen",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangeh.",
    "Personenstatus",
    "Erteilungsgrundlage",
    "gültig ab",
    "gültig bis",
    "Ersteinreise",
    "Straße",
    "Hausnr.",
    "PLZ",
    "Ort",
];

/// Header variant D (Duldung list).
pub(crate) const HEADER_D: [&str; 16] = [
    "AZR Nr",
    "Name",
    "Vorname(n)",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Rechtsstellung",
    "Erteilungsgrund",
    "gültig ab",
    "befristet bis",
    "Zuzugsdatum",
    "Straße",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Ort",
];

const ORT: &str = "Gelsenkirchen";
const K_UNPARSABLE: u64 = 21;
const K_VARIANT: u64 = 22;
const K_STALE: u64 = 23;

/// Issue date and expiry of the document a status shows on `d`.
pub(crate) fn doc_dates(status: StatusId, since: Date, d: Date) -> (Date, Option<Date>) {
    use StatusId::*;
    let period = match status {
        Akn | Gestattung | Duldung60a | Duldung60aErmessen | Duldung60aAusbildung | Duldung60b
        | Duldung60c | Duldung60d => 6,
        Ausreisepflichtig | OhneStatus => 1,
        Visum => 3,
        _ if status.is_fiktion() => 3,
        Hum24 => return (since, Some(Date::ymd(2027, 3, 4))),
        Hum26Abs3 | Hum26Abs4 | Ne9 | DaEu9a | FreizuegEu => return (since, None),
        DuldungAuslG | HumAuslG30 => return (since, Some(since.add_months(6).add_days(-1))),
        _ => 24,
    };
    let months = since.months_until(d).max(0);
    let issued = since.add_months(months / period * period);
    (issued, Some(issued.add_months(period).add_days(-1)))
}

/// One ALW record as a snapshot shows it.
struct Rec {
    status: StatusId,
    since: Date,
    address: u32,
    moved_in: Date,
    stale: bool,
    present: bool,
}

/// The person's ALW record on `d`, if listed (present foreigners, and stale records of
/// foreigners who left within a year).
fn record(ctx: &Ctx, p: &Person, d: Date) -> Option<Rec> {
    if let Some((a, moved_in)) = p.address_at(d) {
        if p.nationality_at(d).0 == 0 {
            return None;
        }
        let (status, since) = p.status_at(d)?;
        return Some(Rec {
            status,
            since,
            address: a,
            moved_in,
            stale: false,
            present: true,
        });
    }
    let l = p.left_by(d)?;
    if d.days() - l.days() > 365
        || unit_of(ctx.seed, &[tag::NOISE, u64::from(p.id), K_STALE]) >= ctx.noise.stale
    {
        return None;
    }
    let before = l.add_days(-1);
    if p.nationality_at(before).0 == 0 {
        return None;
    }
    let (status, since) = p.status_at(before)?;
    let (address, moved_in) = p.last_address_before(l)?;
    Some(Rec {
        status,
        since,
        address,
        moved_in,
        stale: true,
        present: false,
    })
}

/// The legal basis text of a record, and whether it is unparsable.
fn legal_text(
    ctx: &Ctx,
    p: &Person,
    r: &Rec,
    house: Style,
    forced: Option<Style>,
    force_unparsable: bool,
    flags: &mut Flags,
) -> (String, bool) {
    let def = r.status.def();
    let law = if def.citation.law == Law::AsylG && r.since < Date::ymd(2015, 10, 24) {
        Law::AsylVfG
    } else {
        def.citation.law
    };
    let c = def.citation.under(law);
    let pid = u64::from(p.id);
    if force_unparsable
        || unit_of(ctx.seed, &[tag::NOISE, pid, K_UNPARSABLE]) < ctx.noise.legal_basis_unparsable
    {
        flags.add(Kind::LegalBasisUnparsable);
        let i = hash(ctx.seed, &[tag::NOISE, pid, K_UNPARSABLE, 1]) as usize % UNPARSABLE.len();
        return (UNPARSABLE[i].to_string(), true);
    }
    let style = if let Some(style) = forced {
        flags.add(Kind::LegalBasisVariant);
        style
    } else if unit_of(ctx.seed, &[tag::NOISE, pid, K_VARIANT]) < ctx.noise.legal_basis_variant {
        let i = hash(ctx.seed, &[tag::NOISE, pid, K_VARIANT, 1]) as usize % Style::ALL.len();
        let style = Style::ALL[i];
        if style != house {
            flags.add(Kind::LegalBasisVariant);
        }
        style
    } else {
        house
    };
    let mut text = spell(&c, style, r.status.keep_abs());
    // A Fiktionsbescheinigung names the title applied for: "… i. V. m. § 25 Abs. 2 AufenthG".
    if let Some(applied) = r.status.applied_for() {
        text.push_str(" i. V. m. ");
        text.push_str(&spell(&applied.def().citation, style, applied.keep_abs()));
    }
    (text, false)
}

struct Fields {
    family: String,
    given: String,
    birth: Birth,
    street: String,
    number: String,
    suffix: String,
    number_with_suffix: String,
    flags: Flags,
}

fn fields(ctx: &Ctx, p: &Person, r: &Rec, fit: &dyn Fn(&str, &mut Flags) -> String) -> Fields {
    let ap = ctx.applier();
    let mut flags = Flags::default();
    let (family, given) = ap.names(p, Register::Alw, &mut flags);
    let family = fit(&family, &mut flags);
    let given = fit(&given, &mut flags);
    let birth = ap.birth(p, Register::Alw, &mut flags);
    let a = &ctx.city.addresses[r.address as usize];
    let repr = ap.address(
        p.id,
        Register::Alw,
        &ctx.city.streets[a.street].name,
        a,
        &mut flags,
    );
    if !a.in_gliederung {
        flags.add(Kind::UnmatchedAddress);
    }
    if r.stale {
        flags.add(Kind::Stale);
    }
    Fields {
        family,
        given,
        birth,
        street: repr.street,
        number: repr.number,
        suffix: repr.suffix,
        number_with_suffix: repr.number_with_suffix,
        flags,
    }
}

fn birth_text(b: &Birth, f: fn(Date) -> String) -> String {
    match b {
        Birth::Date(d) => f(*d),
        Birth::Incomplete(s) => s.clone(),
    }
}

fn sex_word(s: Sex) -> &'static str {
    match s {
        Sex::M => "männlich",
        Sex::W => "weiblich",
        Sex::D => "divers",
        Sex::X => "ohne Angabe",
    }
}

/// A row of the month's extract, kept until the file is written.
struct ExtractRow {
    person: u32,
    address: u32,
    cells: Vec<Cell>,
    titles: bool,
    category: Category,
    sub: &'static str,
    text: String,
    unparsable: bool,
    stale: bool,
    present: bool,
    flags: Flags,
}

/// The ALW writers.
pub(crate) struct Writers {
    a: XlsxFile,
    a_entry: FileEntry,
    a_rows: u64,
    wanted: Vec<(StatusId, Style, Law, &'static str, bool)>,
    unparsable_seen: bool,
    b: TextFile,
    b_entry: FileEntry,
    b_rows: u64,
    c_rows: Vec<ExtractRow>,
    d: TextFile,
    d_entry: FileEntry,
    d_rows: u64,
}

impl Writers {
    pub(crate) fn open(ctx: &Ctx, sink: &mut dyn Sink) -> Result<Writers, Error> {
        let path_a = format!(
            "exports/auslaenderwesen/ALW_Auslaender_{}.xlsx",
            ctx.s.iso()
        );
        let mut a = XlsxFile::new(&path_a, ctx.s, ctx.params.constant_memory, sink)?;
        a.add_sheet("Bestand")?;
        a.title(
            "Ausländerbehörde Gelsenkirchen – Bestandsliste Ausländerinnen und Ausländer",
            HEADER_A.len() as u16,
        )?;
        a.row(&[Cell::Text(format!("Stand: {}", ctx.s.dmy()))])?;
        a.blank_line();
        let header_row = a.header(&HEADER_A, 0)?;
        let mut a_entry = FileEntry::new(&path_a, SourceKind::Alw, "xlsx");
        a_entry.header_variant = "A".into();
        a_entry.header = HEADER_A.iter().map(|s| s.to_string()).collect();
        a_entry.header_row = header_row;
        a_entry.title_rows = header_row - 1;
        a_entry.sum_row = true;
        a_entry.merged_cells = 1;
        a_entry.date_formats = vec![
            "Excel-Datum".into(),
            "TT.MM.JJJJ (unvollständige Geburtsdaten als Text)".into(),
        ];
        a_entry.snapshot_date = Some(ctx.s.iso());
        a_entry.notes = "Titelzeilen über der Kopfzeile, Summenzeile am Ende; Erteilungsgrund in \
                         Langform (§ 25 Abs. 2 S. 1 Alt. 1 AufenthG) mit Schreibvarianten; \
                         Staatsangehörigkeit als Staatsname; Religion wird beim Import verworfen"
            .into();
        let wanted = FORMATS_MD_SPELLINGS
            .iter()
            .map(|(s, st, law, text)| (*s, *st, *law, *text, false))
            .collect();

        let path_b = format!("exports/auslaenderwesen/ALW_Auslaender_{}.csv", ctx.p.iso());
        let fb = TextFormat {
            delimiter: ';',
            encoding: Encoding::Utf8,
            crlf: false,
            quote_all: false,
            no_quoting: false,
            fallback: crate::text::Cp1252Fallback::Transliterate,
        };
        let mut b = TextFile::open(sink, &path_b, fb)?;
        b.row(sink, &HEADER_B)?;
        let mut b_entry = text_entry(&path_b, SourceKind::Alw, "csv", &fb);
        b_entry.header_variant = "B".into();
        b_entry.header = HEADER_B.iter().map(|s| s.to_string()).collect();
        b_entry.date_formats = vec!["JJJJ-MM-TT".into()];
        b_entry.snapshot_date = Some(ctx.p.iso());
        b_entry.notes = "Bestand eine Woche vor dem Stichtag; Rechtsgrundlage kompakt (§25 \
                         Abs.2 AufenthG); Bemerkung mit eingebetteten Semikolons und Zeilenumbrüchen"
            .into();

        let path_d = format!("exports/auslaenderwesen/ALW_Duldungen_{}.csv", ctx.s.iso());
        let fd = TextFormat {
            delimiter: '|',
            encoding: Encoding::Windows1252,
            crlf: true,
            quote_all: false,
            no_quoting: false,
            fallback: super::fallback_for(ctx, file_key(&path_d)),
        };
        let mut d = TextFile::open(sink, &path_d, fd)?;
        d.row(sink, &HEADER_D)?;
        let mut d_entry = text_entry(&path_d, SourceKind::Alw, "csv", &fd);
        d_entry.header_variant = "D".into();
        d_entry.header = HEADER_D.iter().map(|s| s.to_string()).collect();
        d_entry.date_formats = vec![
            "TT.MM.JJJJ (Geburtsdatum, Zuzugsdatum)".into(),
            "Excel-Seriennummer (gültig ab, befristet bis)".into(),
        ];
        d_entry.snapshot_date = Some(ctx.s.iso());
        d_entry.subset_of = Some(path_a.clone());
        d_entry.notes = "Liste der Geduldeten und Ausreisepflichtigen am Stichtag; Datumsangaben \
                         'gültig ab'/'befristet bis' als Excel-Seriennummern"
            .into();
        Ok(Writers {
            a,
            a_entry,
            a_rows: 0,
            wanted,
            unparsable_seen: false,
            b,
            b_entry,
            b_rows: 0,
            c_rows: Vec::new(),
            d,
            d_entry,
            d_rows: 0,
        })
    }

    /// Writes the foreigners of one Stadtteil.
    pub(crate) fn chunk(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        agg: &mut Aggregates,
        persons: &[&Person],
    ) -> Result<(), Error> {
        let ap = ctx.applier();
        let key_a = file_key(&self.a.path);
        let key_b = file_key(&self.b.path);
        let mut dups_a = Vec::new();
        let mut dups_b = Vec::new();
        for &p in persons {
            if let Some(r) = record(ctx, p, ctx.s) {
                let k = ctx.city.stadtteil_of_address(r.address as usize);
                let def = r.status.def();
                let cat = def.category;
                let label = crate::legal::written_category(cat, def.sub);
                let entry = agg.refugees.entry((k, label)).or_default();
                entry.0 += 1;
                if r.present {
                    entry.1 += 1;
                }
                self.write_a(ctx, sink, truth, p, &r, false)?;
                if matches!(cat, Category::Duldung | Category::Sonstige) {
                    self.write_d(ctx, sink, truth, p, &r)?;
                }
                let (issued, _) = doc_dates(r.status, r.since, ctx.s);
                if r.present && issued >= ctx.m && issued <= ctx.m.month_end() {
                    self.extract(ctx, p, &r);
                }
                if ap.duplicate(p.id, key_a) {
                    dups_a.push((p, r));
                }
            }
            if let Some(r) = record(ctx, p, ctx.p) {
                self.write_b(ctx, sink, truth, p, &r, false)?;
                if ap.duplicate(p.id, key_b) {
                    dups_b.push((p, r));
                }
            }
        }
        for (p, r) in dups_a {
            self.write_a(ctx, sink, truth, p, &r, true)?;
        }
        for (p, r) in dups_b {
            self.write_b(ctx, sink, truth, p, &r, true)?;
        }
        Ok(())
    }

    fn write_a(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        r: &Rec,
        dup: bool,
    ) -> Result<(), Error> {
        let mut f = fields(ctx, p, r, &|s, _| s.to_string());
        if dup {
            f.flags.add(Kind::Duplicate);
        }
        // Make sure every spelling formats.md lists occurs (when legal-basis noise is on).
        let def = r.status.def();
        let law = if def.citation.law == Law::AsylG && r.since < Date::ymd(2015, 10, 24) {
            Law::AsylVfG
        } else {
            def.citation.law
        };
        let mut forced = None;
        if ctx.noise.legal_basis_variant > 0.0
            && !dup
            && let Some(w) = self.wanted.iter_mut().find(|w| {
                // The short styles do not show Satz and Alternative: any status of the
                // sub-category serves.
                let same =
                    w.0 == r.status || (w.1 != Style::Full && w.0.def().sub == r.status.def().sub);
                !w.4 && same && w.2 == law
            })
        {
            forced = Some(w.1);
            w.4 = true;
        }
        // At least one unparsable spelling per scale when that noise is on.
        let force_unparsable = ctx.noise.legal_basis_unparsable > 0.0
            && !self.unparsable_seen
            && self.a_rows >= 5
            && !dup
            && forced.is_none();
        let (text, unparsable) = legal_text(
            ctx,
            p,
            r,
            Style::Full,
            forced,
            force_unparsable,
            &mut f.flags,
        );
        self.unparsable_seen |= unparsable;
        for w in &mut self.wanted {
            if w.3 == text {
                w.4 = true;
            }
        }
        if self.a.sheet_full() {
            let n = self.a.sheets.len() + 1;
            self.a.add_sheet(&format!("Bestand ({n})"))?;
            self.a.header(&HEADER_A, 0)?;
        }
        let a = &ctx.city.addresses[r.address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, _) = p.nationality_at(if r.stale { r.moved_in } else { ctx.s });
        let (issued, valid) = doc_dates(r.status, r.since, ctx.s);
        let h = hash(ctx.seed, &[31, u64::from(p.id)]);
        let religion = match (p.group, h % 10) {
            (_, 0) => "",
            (_, 1) => "ohne",
            (
                Group::Tr | Group::Ar | Group::Ku | Group::Af | Group::Ir | Group::Sq | Group::Bs,
                2..=8,
            ) => "islamisch",
            (Group::Ua | Group::Ru | Group::Bg | Group::Ro | Group::Gr | Group::Ea, _) => {
                "orthodox"
            }
            (Group::Pl | Group::It | Group::Wa, _) => "römisch-katholisch",
            _ => "evangelisch",
        };
        let cells = [
            Cell::Text(super::azr(p.id)),
            Cell::Text(f.family),
            Cell::Text(f.given),
            match &f.birth {
                Birth::Date(d) => Cell::Date(*d),
                Birth::Incomplete(s) => Cell::Text(s.clone()),
            },
            Cell::Text(sex_word(p.sex).into()),
            Cell::Text(ctx.nat(nat, NatStyle::State)),
            Cell::Text(def.kind.into()),
            Cell::Text(text.clone()),
            Cell::Date(issued),
            valid.map_or(Cell::Empty, Cell::Date),
            p.entry.map_or(Cell::Empty, Cell::Date),
            Cell::Text(f.street),
            Cell::Text(f.number),
            Cell::Text(f.suffix),
            Cell::Text(street.plz.clone()),
            Cell::Text(ORT.into()),
            Cell::Date(r.moved_in),
            Cell::Text(religion.into()),
            Cell::Text(p.marital.word().into()),
        ];
        let row = self.a.row(&cells)?;
        self.a_rows += 1;
        let sheet = self.a.sheet_name().to_string();
        let path = self.a.path.clone();
        truth.record(
            sink,
            &path,
            &sheet,
            row,
            p.id,
            Some((r.address, ctx.baublock(r.address))),
            f.flags,
        )?;
        truth.alw(
            sink,
            &path,
            &sheet,
            row,
            p.id,
            def.category,
            def.sub,
            &text,
            unparsable,
            r.stale,
            r.present,
        )
    }

    fn write_b(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        r: &Rec,
        dup: bool,
    ) -> Result<(), Error> {
        let mut f = fields(ctx, p, r, &|s, _| s.to_string());
        if dup {
            f.flags.add(Kind::Duplicate);
        }
        let (text, unparsable) = legal_text(ctx, p, r, Style::Compact, None, false, &mut f.flags);
        let def = r.status.def();
        let a = &ctx.city.addresses[r.address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, _) = p.nationality_at(if r.stale { r.moved_in } else { ctx.p });
        let (issued, valid) = doc_dates(r.status, r.since, ctx.p);
        let remarkable = def.category != Category::KeinFluechtling || r.status.is_fiktion();
        let remark =
            match hash(ctx.seed, &[32, u64::from(p.id)]) % if remarkable { 8 } else { 1_000_000 } {
                0 => "Verlängerung beantragt; Termin folgt",
                1 => "Passersatzpapiere\nbeantragt",
                2 => "Wohnsitzauflage: Gelsenkirchen",
                3 => "Identität ungeklärt",
                4 => "Erwerbstätigkeit gestattet; Nebenbestimmung beachten",
                5 => "Anhörung erfolgt, Dolmetscher: \"arabisch\"",
                _ => "",
            };
        let row = [
            super::azr(p.id),
            f.family,
            f.given,
            birth_text(&f.birth, Date::iso),
            p.sex.code().to_string(),
            ctx.nat(nat, NatStyle::Adjective),
            def.kind.to_string(),
            text.clone(),
            issued.iso(),
            valid.map(|v| v.iso()).unwrap_or_default(),
            p.entry.map(|e| e.iso()).unwrap_or_default(),
            f.street,
            f.number,
            f.suffix,
            street.plz.clone(),
            ORT.to_string(),
            r.moved_in.iso(),
            remark.to_string(),
        ];
        let n = self.b.row(sink, &row)?;
        self.b_rows += 1;
        let path = self.b.path.clone();
        truth.record(
            sink,
            &path,
            "",
            n,
            p.id,
            Some((r.address, ctx.baublock(r.address))),
            f.flags,
        )?;
        truth.alw(
            sink,
            &path,
            "",
            n,
            p.id,
            def.category,
            def.sub,
            &text,
            unparsable,
            r.stale,
            r.present,
        )
    }

    fn write_d(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        r: &Rec,
    ) -> Result<(), Error> {
        let mut f = {
            let file = &self.d;
            fields(ctx, p, r, &|s: &str, fl: &mut Flags| file.fit(s, fl))
        };
        let (text, unparsable) =
            legal_text(ctx, p, r, Style::SpacedLetter, None, false, &mut f.flags);
        let def = r.status.def();
        let a = &ctx.city.addresses[r.address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, _) = p.nationality_at(if r.stale { r.moved_in } else { ctx.s });
        let (issued, valid) = doc_dates(r.status, r.since, ctx.s);
        let row = [
            super::azr(p.id),
            f.family,
            f.given,
            birth_text(&f.birth, Date::dmy),
            p.sex.code().to_uppercase(),
            ctx.nat(nat, NatStyle::State),
            def.kind.to_string(),
            text.clone(),
            format!("{}", issued.excel_serial()),
            valid
                .map(|v| format!("{}", v.excel_serial()))
                .unwrap_or_default(),
            p.registered().map(|d| d.dmy()).unwrap_or_default(),
            f.street,
            f.number,
            f.suffix,
            street.plz.clone(),
            ORT.to_string(),
        ];
        let n = self.d.row(sink, &row)?;
        self.d_rows += 1;
        let path = self.d.path.clone();
        truth.record(
            sink,
            &path,
            "",
            n,
            p.id,
            Some((r.address, ctx.baublock(r.address))),
            f.flags,
        )?;
        truth.alw(
            sink,
            &path,
            "",
            n,
            p.id,
            def.category,
            def.sub,
            &text,
            unparsable,
            r.stale,
            r.present,
        )
    }

    fn extract(&mut self, ctx: &Ctx, p: &Person, r: &Rec) {
        let mut f = fields(ctx, p, r, &|s, _| s.to_string());
        let (text, unparsable) = legal_text(ctx, p, r, Style::Paren, None, false, &mut f.flags);
        let def = r.status.def();
        let a = &ctx.city.addresses[r.address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, _) = p.nationality_at(ctx.s);
        let (issued, valid) = doc_dates(r.status, r.since, ctx.s);
        let kind = if r.status == StatusId::Akn {
            "BüMA / Ankunftsnachweis"
        } else {
            def.kind
        };
        let titles = !matches!(
            def.category,
            Category::Ankunftsnachweis
                | Category::Gestattung
                | Category::Duldung
                | Category::Sonstige
        );
        let cells = vec![
            Cell::Text(super::azr(p.id)),
            Cell::Text(f.family),
            Cell::Text(f.given),
            Cell::Text(birth_text(&f.birth, Date::dmy)),
            Cell::Text(sex_word(p.sex).into()),
            Cell::Text(ctx.nat(nat, NatStyle::State)),
            Cell::Text(kind.into()),
            Cell::Text(text.clone()),
            Cell::Text(issued.dmy()),
            Cell::Text(valid.map(|v| v.dmy()).unwrap_or_default()),
            Cell::Text(p.entry.map(|e| e.dmy()).unwrap_or_default()),
            Cell::Text(f.street),
            Cell::Text(f.number_with_suffix),
            Cell::Text(street.plz.clone()),
            Cell::Text(ORT.into()),
        ];
        self.c_rows.push(ExtractRow {
            person: p.id,
            address: r.address,
            cells,
            titles,
            category: def.category,
            sub: def.sub,
            text,
            unparsable,
            stale: r.stale,
            present: r.present,
            flags: f.flags,
        });
    }

    /// Writes the extract and closes every file.
    pub(crate) fn finish(
        self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        manifest: &mut Manifest,
    ) -> Result<(), Error> {
        let Writers {
            mut a,
            mut a_entry,
            a_rows,
            b,
            mut b_entry,
            b_rows,
            c_rows,
            d,
            mut d_entry,
            d_rows,
            ..
        } = self;
        a.blank_line();
        a.row(&[Cell::Text(format!(
            "Anzahl Personen: {}",
            crate::text::thousands(a_rows)
        ))])?;
        a_entry.row_count = a_rows;
        let sheets = a.finish(sink)?;
        a_entry.sheets = sheets
            .into_iter()
            .map(|(name, rows)| SheetEntry { name, rows })
            .collect();
        b_entry.row_count = b_rows;
        b_entry.quoted_special = u64::from(b.quoted_special);
        b.finish(sink)?;
        d_entry.row_count = d_rows;
        d_entry.quoted_special = u64::from(d.quoted_special);
        d.finish(sink)?;

        // The month's extract: two sheets, titles merged, dates as text.
        let month = format!("{:04}-{:02}", ctx.m.year(), ctx.m.month());
        let xlsx = format!("exports/auslaenderwesen/ALW_Zugaenge_{month}.xlsx");
        let (write_path, final_path, container) = planned(ctx, &xlsx, "xls");
        let mut c = XlsxFile::new(&write_path, ctx.s, false, sink)?;
        let mut c_entry = FileEntry::new(&final_path, SourceKind::Alw, &container);
        for (sheet, titles) in [("Aufenthaltstitel", true), ("Gestattung_Duldung", false)] {
            c.add_sheet(sheet)?;
            c.title(
                &format!(
                    "Zugänge und Änderungen {:02}/{:04} – {}",
                    ctx.m.month(),
                    ctx.m.year(),
                    if titles {
                        "Aufenthaltstitel"
                    } else {
                        "Aufenthaltsgestattung, Duldung, Ausreisepflicht"
                    }
                ),
                HEADER_C.len() as u16,
            )?;
            c.header(&HEADER_C, 0)?;
            for r in c_rows.iter().filter(|r| r.titles == titles) {
                let row = c.row(&r.cells)?;
                let address = Some((r.address, ctx.baublock(r.address)));
                truth.record(sink, &final_path, sheet, row, r.person, address, r.flags)?;
                truth.alw(
                    sink,
                    &final_path,
                    sheet,
                    row,
                    r.person,
                    r.category,
                    r.sub,
                    &r.text,
                    r.unparsable,
                    r.stale,
                    r.present,
                )?;
            }
        }
        c_entry.row_count = c_rows.len() as u64;
        c_entry.header_variant = "C".into();
        c_entry.header = HEADER_C.iter().map(|s| s.to_string()).collect();
        c_entry.header_row = 2;
        c_entry.title_rows = 1;
        c_entry.merged_cells = 2;
        c_entry.date_formats = vec!["TT.MM.JJJJ (als Text)".into()];
        c_entry.report_months = vec![month];
        c_entry.report_month_from = Some("file name".into());
        c_entry.subset_of = Some(a_entry.path.clone());
        c_entry.notes = "Neu erteilte und verlängerte Dokumente des Monats, zwei Tabellenblätter; \
                         Erteilungsgrundlage mit Absatz in Klammern (§ 25 (2) AufenthG)"
            .into();
        if ctx.office {
            c_entry.converted_from = Some(write_path.clone());
            c_entry.converter = Some("LibreOffice".into());
        }
        let sheets = c.finish(sink)?;
        c_entry.sheets = sheets
            .into_iter()
            .map(|(name, rows)| SheetEntry { name, rows })
            .collect();
        manifest.files.extend([a_entry, b_entry, c_entry, d_entry]);
        Ok(())
    }
}
