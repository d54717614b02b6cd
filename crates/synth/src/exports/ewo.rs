//! EWO Meldewesen: the Stichtag snapshot (CSV, Windows-1252), the snapshot one week earlier
//! (XLSX), the month's moves (UTF-16 tab text) and the month's deregistrations (UTF-8 CSV).

use super::{Ctx, NatStyle, Truth, file_key, om, text_entry};
use crate::Error;
use crate::date::Date;
use crate::manifest::{FileEntry, Manifest, SheetEntry, SourceKind};
use crate::names::{Sex, typo};
use crate::noise::{Birth, Flags, Kind, Register};
use crate::output::{Cell, Encoding, Sink, TextFile, TextFormat, XlsxFile};
use crate::people::{Dwelling, Person};
use crate::rng::Rng;
use crate::text::Cp1252Fallback;

/// Header variant A (Stichtag CSV).
pub(crate) const HEADER_A: [&str; 19] = [
    "Ordnungsmerkmal",
    "Familienname",
    "Geburtsname",
    "Vornamen",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "weitere Staatsangehörigkeit",
    "Straße",
    "Straßenschlüssel",
    "Hausnummer",
    "Hausnummernzusatz",
    "PLZ",
    "Ort",
    "Wohnungsstatus",
    "Einzugsdatum",
    "Anmeldedatum",
    "Abmeldedatum",
    "Familienstand",
];

/// Header variant B (XLSX one week earlier).
pub(crate) const HEADER_B: [&str; 19] = [
    "OM",
    "Name",
    "Geburtsname",
    "Vorname(n)",
    "geb. am",
    "Geschlecht",
    "Staatsangehörigkeitsschlüssel",
    "2. Staatsangehörigkeit",
    "Strasse",
    "Strassenschluessel",
    "Hausnr.",
    "Zusatz",
    "PLZ",
    "Wohnort",
    "Art der Wohnung",
    "Einzug",
    "Anmeldedatum",
    "Abmeldedatum",
    "Familienstand",
];

/// Header variant C (moves of the month, UTF-16).
pub(crate) const HEADER_C: [&str; 17] = [
    "Personen-ID",
    "Nachname",
    "Vornamen",
    "Geb.-Datum",
    "Geschlecht",
    "1. Staatsangehörigkeit",
    "weitere",
    "Straßenname",
    "Str.-Schl.",
    "Hnr.",
    "Adresszusatz",
    "PLZ",
    "Ort",
    "Status",
    "Tag des Einzugs",
    "Anmeldedatum",
    "Familienstand",
];

/// Header variant D (deregistrations of the month).
pub(crate) const HEADER_D: [&str; 13] = [
    "Personennummer",
    "Familienname",
    "Vorname",
    "Geb.Datum",
    "Geschlecht",
    "Staatsangeh.",
    "Straße",
    "HNr",
    "PLZ",
    "Ort",
    "Wohnungsstatus",
    "Abmeldedatum",
    "Grund",
];

const ORT: &str = "Gelsenkirchen";

/// Deregistered persons stay in a snapshot for this many days.
const DEREGISTERED_VISIBLE_DAYS: i32 = 90;

/// What a snapshot shows of a person's residence.
#[derive(Clone, Copy)]
pub(crate) struct View {
    pub address: u32,
    pub moved_in: Date,
    pub registered: Date,
    pub deregistered: Option<Date>,
}

/// The person as the Meldewesen shows them on `d`, if listed.
pub(crate) fn view(p: &Person, d: Date) -> Option<View> {
    let registered = p.registered()?;
    if registered > d {
        return None;
    }
    if let Some(l) = p.left_by(d) {
        if d.days() - l.days() > DEREGISTERED_VISIBLE_DAYS {
            return None;
        }
        let (a, moved_in) = p.last_address_before(l)?;
        return Some(View {
            address: a,
            moved_in,
            registered,
            deregistered: Some(l),
        });
    }
    let (address, moved_in) = p.address_at(d)?;
    Some(View {
        address,
        moved_in,
        registered,
        deregistered: None,
    })
}

struct Fields {
    family: String,
    birth_name: String,
    given: String,
    birth: Birth,
    street: String,
    number: String,
    number_with_suffix: String,
    suffix: String,
    flags: Flags,
}

fn fields(ctx: &Ctx, p: &Person, address: u32, fit: &dyn Fn(&str, &mut Flags) -> String) -> Fields {
    let ap = ctx.applier();
    let mut flags = Flags::default();
    let (family, given) = ap.names(p, Register::Meldewesen, &mut flags);
    let family = fit(&family, &mut flags);
    let given = fit(&given, &mut flags);
    let birth_name = p
        .birth_name
        .as_ref()
        .map(|b| fit(b, &mut flags))
        .unwrap_or_default();
    let birth = ap.birth(p, Register::Meldewesen, &mut flags);
    let a = &ctx.city.addresses[address as usize];
    let street = &ctx.city.streets[a.street].name;
    let repr = ap.address(p.id, Register::Meldewesen, street, a, &mut flags);
    if !a.in_gliederung {
        flags.add(Kind::UnmatchedAddress);
    }
    Fields {
        family,
        birth_name,
        given,
        birth,
        street: repr.street,
        number: repr.number,
        number_with_suffix: repr.number_with_suffix,
        suffix: repr.suffix,
        flags,
    }
}

fn birth_text(b: &Birth, f: fn(Date) -> String) -> String {
    match b {
        Birth::Date(d) => f(*d),
        Birth::Incomplete(s) => s.clone(),
    }
}

fn birth_cell(b: &Birth) -> Cell {
    match b {
        Birth::Date(d) => Cell::Date(*d),
        Birth::Incomplete(s) => Cell::Text(s.clone()),
    }
}

/// A second row of a duplicated person: the register's second entry, often with another
/// spelling of the given name.
fn duplicate_of(mut f: Fields, seed: u64, id: u32) -> Fields {
    let mut rng = Rng::derive(seed, &[99, u64::from(id)]);
    if rng.chance(0.5) && !f.given.is_empty() {
        f.given = typo(&f.given, &mut rng);
    }
    f.flags.add(Kind::Duplicate);
    f
}

/// The four Meldewesen writers.
pub(crate) struct Writers {
    a: TextFile,
    a_entry: FileEntry,
    a_rows: u64,
    b: XlsxFile,
    b_entry: FileEntry,
    b_rows: u64,
    c: TextFile,
    c_entry: FileEntry,
    c_rows: u64,
    d: TextFile,
    d_entry: FileEntry,
    d_rows: u64,
}

impl Writers {
    pub(crate) fn open(ctx: &Ctx, sink: &mut dyn Sink) -> Result<Writers, Error> {
        let path_a = format!("exports/meldewesen/EWO_Bestand_{}.csv", ctx.s.compact());
        let fa = TextFormat {
            delimiter: ';',
            encoding: Encoding::Windows1252,
            crlf: true,
            quote_all: false,
            no_quoting: false,
            fallback: super::fallback_for(ctx, file_key(&path_a)),
        };
        let mut a = TextFile::open(sink, &path_a, fa)?;
        a.row(sink, &HEADER_A)?;
        let mut a_entry = text_entry(&path_a, SourceKind::Meldewesen, "csv", &fa);
        a_entry.header_variant = "A".into();
        a_entry.header = HEADER_A.iter().map(|s| s.to_string()).collect();
        a_entry.date_formats = vec!["TT.MM.JJJJ".into()];
        a_entry.snapshot_date = Some(ctx.s.iso());
        a_entry.notes = "Bestand am Stichtag; Abgemeldete der letzten 90 Tage mit Abmeldedatum; \
                         Geschlecht m/w/d/x; Staatsangehörigkeit als Adjektiv; Wohnungsstatus H/N/A"
            .into();

        let path_b = format!("exports/meldewesen/EWO_Bestand_{}.xlsx", ctx.p.compact());
        let mut b = XlsxFile::new(&path_b, ctx.p, ctx.params.constant_memory, sink)?;
        b.add_sheet("EWO Bestand")?;
        b.header(&HEADER_B, 2)?;
        let mut b_entry = FileEntry::new(&path_b, SourceKind::Meldewesen, "xlsx");
        b_entry.header_variant = "B".into();
        b_entry.header = HEADER_B.iter().map(|s| s.to_string()).collect();
        b_entry.trailing_empty_columns = 2;
        b_entry.date_formats = vec![
            "Excel-Datum".into(),
            "TT.MM.JJJJ (unvollständige Geburtsdaten als Text)".into(),
        ];
        b_entry.snapshot_date = Some(ctx.p.iso());
        b_entry.notes =
            "Bestand eine Woche vor dem Stichtag; OM als Zahl (führende Nullen fehlen); \
                         Geschlecht männlich/weiblich/divers/ohne Angabe; Staatsangehörigkeit als \
                         Destatis-Schlüssel; Art der Wohnung HW/NW/AW; Familienstand als Code; ab \
                         1.048.575 Datenzeilen weitere Tabellenblätter"
                .into();

        let month = format!("{:04}-{:02}", ctx.m.year(), ctx.m.month());
        let path_c = format!("exports/meldewesen/EWO_Zuzuege_{month}.txt");
        let fc = TextFormat {
            delimiter: '\t',
            encoding: Encoding::Utf16LeBom,
            crlf: true,
            quote_all: false,
            no_quoting: false,
            fallback: Cp1252Fallback::Transliterate,
        };
        let mut c = TextFile::open(sink, &path_c, fc)?;
        c.row(sink, &HEADER_C)?;
        let mut c_entry = text_entry(&path_c, SourceKind::Meldewesen, "txt", &fc);
        c_entry.header_variant = "C".into();
        c_entry.header = HEADER_C.iter().map(|s| s.to_string()).collect();
        c_entry.date_formats = vec!["T.M.JJJJ".into()];
        c_entry.report_months = vec![month.clone()];
        c_entry.report_month_from = Some("file name".into());
        c_entry.notes = "Zuzüge und Umzüge des Monats (Einzüge); Geschlecht 1/2/3/4; \
                         Staatsangehörigkeit als Staatsname oder amtlicher Name; Status H/N/E"
            .into();

        let path_d = format!("exports/meldewesen/EWO_Abmeldungen_{month}.csv");
        let fd = TextFormat {
            delimiter: ',',
            encoding: Encoding::Utf8Bom,
            crlf: false,
            quote_all: true,
            no_quoting: false,
            fallback: Cp1252Fallback::Transliterate,
        };
        let mut d = TextFile::open(sink, &path_d, fd)?;
        d.row(sink, &HEADER_D)?;
        let mut d_entry = text_entry(&path_d, SourceKind::Meldewesen, "csv", &fd);
        d_entry.header_variant = "D".into();
        d_entry.header = HEADER_D.iter().map(|s| s.to_string()).collect();
        d_entry.date_formats = vec!["JJJJ-MM-TT".into()];
        d_entry.report_months = vec![month];
        d_entry.report_month_from = Some("file name".into());
        d_entry.notes = "Abmeldungen (Wegzug, Tod) des Monats; Hausnummer mit Zusatz in HNr; \
                         Grund mit eingebetteten Kommas und Zeilenumbrüchen"
            .into();
        Ok(Writers {
            a,
            a_entry,
            a_rows: 0,
            b,
            b_entry,
            b_rows: 0,
            c,
            c_entry,
            c_rows: 0,
            d,
            d_entry,
            d_rows: 0,
        })
    }

    /// Writes the persons of one Stadtteil.
    pub(crate) fn chunk(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        persons: &[&Person],
    ) -> Result<(), Error> {
        let ap = ctx.applier();
        let key_a = file_key(&self.a.path);
        let key_b = file_key(&self.b.path);
        let mut dup_a: Vec<(&Person, View)> = Vec::new();
        let mut dup_b: Vec<(&Person, View)> = Vec::new();
        for &p in persons {
            if let Some(v) = view(p, ctx.s) {
                if ap.duplicate(p.id, key_a) {
                    dup_a.push((p, v));
                }
                self.write_a(ctx, sink, truth, p, &v, false)?;
            }
            if let Some(v) = view(p, ctx.p) {
                if ap.duplicate(p.id, key_b) {
                    dup_b.push((p, v));
                }
                self.write_b(ctx, sink, truth, p, &v, false)?;
            }
            let month_end = ctx.m.month_end().min(ctx.s);
            for (t, a) in &p.residence {
                // Moves into an address in the month (births are not moves).
                if let Some(a) = a
                    && *t >= ctx.m
                    && *t <= month_end
                    && *t != p.birth
                {
                    self.write_c(ctx, sink, truth, p, *a, *t)?;
                }
            }
            if let Some(l) = p.left_by(ctx.s)
                && l >= ctx.m
                && l <= month_end
                && let Some((a, _)) = p.last_address_before(l)
            {
                self.write_d(ctx, sink, truth, p, a, l)?;
            }
        }
        for (p, v) in dup_a {
            self.write_a(ctx, sink, truth, p, &v, true)?;
        }
        for (p, v) in dup_b {
            self.write_b(ctx, sink, truth, p, &v, true)?;
        }
        Ok(())
    }

    fn write_a(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        v: &View,
        dup: bool,
    ) -> Result<(), Error> {
        let mut f = {
            let file = &self.a;
            fields(ctx, p, v.address, &|s: &str, fl: &mut Flags| {
                file.fit(s, fl)
            })
        };
        if dup {
            f = duplicate_of(f, ctx.seed, p.id);
        }
        let a = &ctx.city.addresses[v.address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, nat2) = p.nationality_at(ctx.s);
        let row = [
            om(p.id),
            f.family,
            f.birth_name,
            f.given,
            birth_text(&f.birth, Date::dmy),
            p.sex.code().to_string(),
            ctx.nat(nat, NatStyle::Adjective),
            nat2.map(|n| ctx.nat(n, NatStyle::Adjective))
                .unwrap_or_default(),
            f.street,
            street.key.clone(),
            f.number,
            f.suffix,
            street.plz.clone(),
            ORT.to_string(),
            p.dwelling.code().to_string(),
            v.moved_in.dmy(),
            v.registered.dmy(),
            v.deregistered.map(|d| d.dmy()).unwrap_or_default(),
            p.marital.word().to_string(),
        ];
        let r = self.a.row(sink, &row)?;
        self.a_rows += 1;
        let path = self.a.path.clone();
        truth.record(
            sink,
            &path,
            "",
            r,
            p.id,
            Some((v.address, ctx.baublock(v.address))),
            f.flags,
        )
    }

    fn write_b(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        v: &View,
        dup: bool,
    ) -> Result<(), Error> {
        let mut f = fields(ctx, p, v.address, &|s, _| s.to_string());
        if dup {
            f = duplicate_of(f, ctx.seed, p.id);
        }
        if self.b.sheet_full() {
            let n = self.b.sheets.len() + 1;
            self.b.add_sheet(&format!("EWO Bestand ({n})"))?;
            self.b.header(&HEADER_B, 2)?;
        }
        let a = &ctx.city.addresses[v.address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, nat2) = p.nationality_at(ctx.p);
        let sex = match p.sex {
            Sex::M => "männlich",
            Sex::W => "weiblich",
            Sex::D => "divers",
            Sex::X => "ohne Angabe",
        };
        let dwelling = match p.dwelling {
            Dwelling::Alleinige => "AW",
            Dwelling::Haupt => "HW",
            Dwelling::Neben => "NW",
        };
        let om_number: f64 = om(p.id).parse().unwrap_or(0.0);
        let cells = [
            Cell::Number(om_number),
            Cell::Text(f.family),
            Cell::Text(f.birth_name),
            Cell::Text(f.given),
            birth_cell(&f.birth),
            Cell::Text(sex.into()),
            Cell::Text(ctx.nat(nat, NatStyle::Code)),
            Cell::Text(nat2.map(|n| ctx.nat(n, NatStyle::Code)).unwrap_or_default()),
            Cell::Text(f.street),
            Cell::Text(street.key.clone()),
            Cell::Text(f.number),
            Cell::Text(f.suffix),
            Cell::Text(street.plz.clone()),
            Cell::Text(ORT.into()),
            Cell::Text(dwelling.into()),
            Cell::Date(v.moved_in),
            Cell::Date(v.registered),
            v.deregistered.map_or(Cell::Empty, Cell::Date),
            Cell::Text(p.marital.code().into()),
        ];
        let r = self.b.row(&cells)?;
        self.b_rows += 1;
        let sheet = self.b.sheet_name().to_string();
        let path = self.b.path.clone();
        truth.record(
            sink,
            &path,
            &sheet,
            r,
            p.id,
            Some((v.address, ctx.baublock(v.address))),
            f.flags,
        )
    }

    fn write_c(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        address: u32,
        moved_in: Date,
    ) -> Result<(), Error> {
        let f = fields(ctx, p, address, &|s, _| s.to_string());
        let a = &ctx.city.addresses[address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, nat2) = p.nationality_at(moved_in);
        let sex = match p.sex {
            Sex::M => "1",
            Sex::W => "2",
            Sex::D => "3",
            Sex::X => "4",
        };
        let dwelling = match p.dwelling {
            Dwelling::Alleinige => "E",
            Dwelling::Haupt => "H",
            Dwelling::Neben => "N",
        };
        let row = [
            om(p.id),
            f.family,
            f.given,
            birth_text(&f.birth, Date::dmy_short),
            sex.to_string(),
            ctx.nat(nat, NatStyle::StateOrOfficial(p.id.is_multiple_of(3))),
            nat2.map(|n| ctx.nat(n, NatStyle::State))
                .unwrap_or_default(),
            f.street,
            street.key.clone(),
            f.number,
            f.suffix,
            street.plz.clone(),
            ORT.to_string(),
            dwelling.to_string(),
            moved_in.dmy_short(),
            p.registered().map(|d| d.dmy_short()).unwrap_or_default(),
            p.marital.code().to_string(),
        ];
        let r = self.c.row(sink, &row)?;
        self.c_rows += 1;
        let path = self.c.path.clone();
        truth.record(
            sink,
            &path,
            "",
            r,
            p.id,
            Some((address, ctx.baublock(address))),
            f.flags,
        )
    }

    fn write_d(
        &mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        p: &Person,
        address: u32,
        left: Date,
    ) -> Result<(), Error> {
        let f = fields(ctx, p, address, &|s, _| s.to_string());
        let a = &ctx.city.addresses[address as usize];
        let street = &ctx.city.streets[a.street];
        let (nat, _) = p.nationality_at(left);
        let dwelling = match p.dwelling {
            Dwelling::Alleinige => "E",
            Dwelling::Haupt => "HW",
            Dwelling::Neben => "NW",
        };
        let mut rng = Rng::derive(ctx.seed, &[77, u64::from(p.id)]);
        let grund = if p.died {
            "Tod".to_string()
        } else {
            let u = rng.unit();
            if u < 0.55 {
                let to = [
                    "Essen",
                    "Bochum",
                    "Gladbeck",
                    "Herten",
                    "Bottrop",
                    "Herne",
                    "Dortmund",
                    "Recklinghausen",
                    "Essen, Stadtteil Altenessen",
                    "Marl, Ortsteil Hüls",
                ];
                format!("Wegzug nach {}", to[rng.index(to.len())])
            } else if u < 0.85 {
                let state = if nat == 0 {
                    "Niederlande".to_string()
                } else {
                    ctx.nat(nat, NatStyle::State)
                };
                format!("Wegzug ins Ausland\nZielstaat: {state}")
            } else {
                "Abmeldung von Amts wegen".to_string()
            }
        };
        let row = [
            om(p.id),
            f.family,
            f.given,
            birth_text(&f.birth, Date::iso),
            p.sex.code().to_string(),
            ctx.nat(nat, NatStyle::Adjective),
            f.street,
            f.number_with_suffix,
            street.plz.clone(),
            ORT.to_string(),
            dwelling.to_string(),
            left.iso(),
            grund,
        ];
        let r = self.d.row(sink, &row)?;
        self.d_rows += 1;
        let path = self.d.path.clone();
        truth.record(
            sink,
            &path,
            "",
            r,
            p.id,
            Some((address, ctx.baublock(address))),
            f.flags,
        )
    }

    /// Closes the files and records them in the manifest.
    pub(crate) fn finish(self, sink: &mut dyn Sink, manifest: &mut Manifest) -> Result<(), Error> {
        let Writers {
            a,
            mut a_entry,
            a_rows,
            b,
            mut b_entry,
            b_rows,
            c,
            mut c_entry,
            c_rows,
            d,
            mut d_entry,
            d_rows,
        } = self;
        a_entry.quoted_special = u64::from(a.quoted_special);
        a_entry.row_count = a_rows;
        a.finish(sink)?;
        let sheets = b.finish(sink)?;
        b_entry.sheets = sheets
            .into_iter()
            .map(|(name, rows)| SheetEntry { name, rows })
            .collect();
        b_entry.row_count = b_rows;
        c_entry.row_count = c_rows;
        c_entry.quoted_special = u64::from(c.quoted_special);
        c.finish(sink)?;
        d_entry.row_count = d_rows;
        d_entry.quoted_special = u64::from(d.quoted_special);
        d.finish(sink)?;
        manifest.files.extend([a_entry, b_entry, c_entry, d_entry]);
        Ok(())
    }
}
