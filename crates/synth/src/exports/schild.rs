//! SchILD-NRW `SchuelerBasisdaten.dat` per school: `|`-separated, no quoting, Windows-1252,
//! CRLF, 50 or 58 columns. The school and its form are given by the directory name only.

use super::{Aggregates, Ctx, Truth, fallback_for, file_key, text_entry};
use crate::Error;
use crate::city::Schulform;
use crate::date::Date;
use crate::manifest::{Manifest, SourceKind};
use crate::names::{Group, Sex};
use crate::noise::{Birth, Flags, Kind, Register};
use crate::output::{Encoding, Sink, TextFile, TextFormat};
use crate::people::{Dwelling, Marital, Person, Precision, birth_for_age};
use crate::rng::{Rng, tag};
use crate::text::{Cp1252Fallback, sanitize_unquoted, to_cp1252_repr, umlauts_written_out};

/// The 50 columns (SchILD-NRW interface, ends with `Schulnr. neue Schule`).
pub(crate) const COLUMNS_50: [&str; 50] = [
    "Nachname",
    "Vorname",
    "Geburtsdatum",
    "Geschlecht",
    "Status",
    "PLZ",
    "Ort",
    "Straße",
    "Aussiedler",
    "1. Staatsang.",
    "Konfession",
    "StatistikKrz Konfession",
    "Aufnahmedatum",
    "Abmeldedatum Religionsunterricht",
    "Anmeldedatum Religionsunterricht",
    "Schulpflicht erf.",
    "Reform-Pädagogik",
    "Nr. Stammschule",
    "Jahr",
    "Abschnitt",
    "Jahrgang",
    "Klasse",
    "Schulgliederung",
    "OrgForm",
    "Klassenart",
    "Fachklasse",
    "Noch frei",
    "Verpflichtung Sprachförderkurs",
    "Teilnahme Sprachförderkurs",
    "Einschulungsjahr",
    "Übergangsempf. JG5",
    "Jahr Wechsel S1",
    "1. Schulform S1",
    "Jahr Wechsel S2",
    "Förderschwerpunkt",
    "2. Förderschwerpunkt",
    "Schwerstbehinderung",
    "Autist",
    "LS Schulnr.",
    "LS Schulform",
    "Herkunft",
    "LS Entlassdatum",
    "LS Jahrgang",
    "LS Versetzung",
    "LS Reformpädagogik",
    "LS Gliederung",
    "LS Fachklasse",
    "LS Abschluss",
    "Abschluss",
    "Schulnr. neue Schule",
];

/// The 8 further columns of the 58-column width.
pub(crate) const COLUMNS_EXTRA: [&str; 8] = [
    "Zuzugsjahr",
    "Geburtsland Schüler",
    "Geburtsland Mutter",
    "Geburtsland Vater",
    "Verkehrssprache",
    "Dauer Kindergartenbesuch",
    "Ende Eingliederungsphase",
    "Ende Anschlussförderung",
];

/// Neighbouring towns of pupils living outside the city: (PLZ, Ort).
const OUTSIDE: [(&str, &str); 6] = [
    ("45127", "Essen"),
    ("45699", "Herten"),
    ("45964", "Gladbeck"),
    ("44787", "Bochum"),
    ("44623", "Herne"),
    ("46236", "Bottrop"),
];

struct PupilRow {
    sort: (String, String),
    /// The finished line (fields joined by `|`, no line ending): kept compact, as the
    /// metropolis buffers hundreds of thousands of pupils until the files are written.
    line: String,
    person: u32,
    address: Option<u32>,
    flags: Flags,
}

/// Rows per school, collected over all Stadtteile and written at the end.
pub(crate) struct Schools {
    rows: Vec<Vec<PupilRow>>,
    outside: Vec<Person>,
    paths: Vec<String>,
    fallbacks: Vec<Cp1252Fallback>,
}

fn language(g: Group) -> &'static str {
    match g {
        Group::De => "deu",
        Group::Tr => "tur",
        Group::Ar => "ara",
        Group::Ku => "kur",
        Group::Af => "prs",
        Group::Ir => "fas",
        Group::Ua => "ukr",
        Group::Ru => "rus",
        Group::Pl => "pol",
        Group::Ro => "ron",
        Group::Bg => "bul",
        Group::Bs => "bos",
        Group::Sq => "sqi",
        Group::Gr => "ell",
        Group::It => "ita",
        Group::Wa => "eng",
        Group::Ea => "tir",
    }
}

fn religion(g: Group, rng: &mut Rng) -> (&'static str, &'static str) {
    match g {
        Group::Tr | Group::Ar | Group::Ku | Group::Af | Group::Ir | Group::Sq => {
            ("islamisch", "IS")
        }
        Group::Ua | Group::Ru | Group::Bg | Group::Ro | Group::Gr => ("orthodox", "OR"),
        Group::Pl | Group::It => ("katholisch", "KR"),
        _ => match rng.index(5) {
            0 | 1 => ("katholisch", "KR"),
            2 => ("evangelisch", "ER"),
            _ => ("ohne", "OH"),
        },
    }
}

/// First school year (August) of the Stichtag.
fn school_year(s: Date) -> i32 {
    if s.month() >= 8 {
        s.year()
    } else {
        s.year() - 1
    }
}

/// Form and grade (1-13) of a child, or `None` if not in a school of the city.
fn placement(p: &Person, s: Date, refugee: bool, rng: &mut Rng) -> Option<(Schulform, i32)> {
    let age = p.birth.years_until(Date::ymd(school_year(s), 9, 30));
    if !rng.chance(0.97) {
        return None;
    }
    match age {
        6..=9 => Some((Schulform::G, age - 5)),
        10..=15 => {
            let w = if refugee {
                [15.0, 15.0, 15.0, 45.0, 10.0]
            } else {
                [7.0, 18.0, 36.0, 33.0, 6.0]
            };
            let form = [
                Schulform::H,
                Schulform::R,
                Schulform::Gy,
                Schulform::Ge,
                Schulform::S,
            ][rng.weighted(&w)];
            Some((form, age - 5))
        }
        16..=18 => match rng.weighted(&[32.0, 16.0, 42.0, 10.0]) {
            0 => Some((Schulform::Gy, age - 5)),
            1 => Some((Schulform::Ge, age - 5)),
            2 => Some((Schulform::Bk, age - 15)),
            _ => None,
        },
        19..=21 if rng.chance(0.28) => Some((Schulform::Bk, (age - 18).min(3))),
        _ => None,
    }
}

fn grade_text(form: Schulform, grade: i32) -> (String, String) {
    match (form, grade) {
        (Schulform::Bk, g) => (format!("{g:02}"), format!("BK{g}A")),
        (_, 11) => ("EF".into(), "EF".into()),
        (_, 12) => ("Q1".into(), "Q1".into()),
        (_, 13) => ("Q2".into(), "Q2".into()),
        (_, g) => (
            format!("{g:02}"),
            format!("{g}{}", ['a', 'b', 'c'][(g as usize) % 3]),
        ),
    }
}

impl Schools {
    pub(crate) fn new(ctx: &Ctx) -> Schools {
        let paths: Vec<String> = ctx
            .city
            .schools
            .iter()
            .map(|school| {
                let slug: String = umlauts_written_out(&school.name)
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                format!(
                    "exports/schild/{}_{}/SchuelerBasisdaten.dat",
                    school.nr, slug
                )
            })
            .collect();
        let fallbacks = paths
            .iter()
            .map(|p| fallback_for(ctx, file_key(p)))
            .collect();
        Schools {
            rows: (0..ctx.city.schools.len()).map(|_| Vec::new()).collect(),
            outside: Vec::new(),
            paths,
            fallbacks,
        }
    }

    fn pick_school(
        ctx: &Ctx,
        form: Schulform,
        home_stadtteil: Option<usize>,
        rng: &mut Rng,
    ) -> Option<usize> {
        let city = &ctx.city;
        let all: Vec<usize> = (0..city.schools.len())
            .filter(|&i| city.schools[i].form == form)
            .collect();
        if all.is_empty() {
            return None;
        }
        if let Some(k) = home_stadtteil {
            let near: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| {
                    let st = city.schools[i].stadtteil;
                    if form == Schulform::G {
                        st == k
                    } else {
                        city.stadtteile[st].bezirk == city.stadtteile[k].bezirk
                    }
                })
                .collect();
            if !near.is_empty() && rng.chance(0.8) {
                return Some(near[rng.index(near.len())]);
            }
        }
        Some(all[rng.index(all.len())])
    }

    /// Adds the pupils among the persons of one Stadtteil.
    pub(crate) fn chunk(&mut self, ctx: &Ctx, persons: &[&Person], agg: &mut Aggregates) {
        let s = ctx.s;
        for &p in persons {
            if p.dwelling == Dwelling::Neben || p.age_at(s) < 5 || p.age_at(s) > 22 {
                continue;
            }
            let Some((address, _)) = p.address_at(s) else {
                continue;
            };
            let mut rng = Rng::derive(ctx.seed, &[tag::SCHOOLS, u64::from(p.id)]);
            let (cat, _) = ctx.category_at(p, s);
            let refugee = cat.is_some_and(|c| c.is_refugee());
            let Some((form, grade)) = placement(p, s, refugee, &mut rng) else {
                continue;
            };
            let home = ctx.city.stadtteil_of_address(address as usize);
            let Some(school) = Self::pick_school(ctx, form, Some(home), &mut rng) else {
                continue;
            };
            let row = self.row(ctx, p, Some(address), school, form, grade, &mut rng);
            let label = match cat {
                Some(c) => c.label().to_string(),
                None => "deutsch".to_string(),
            };
            *agg.pupils
                .entry((form.code().to_string(), label))
                .or_default() += 1;
            self.rows[school].push(row);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        ctx: &Ctx,
        p: &Person,
        address: Option<u32>,
        school: usize,
        form: Schulform,
        grade: i32,
        rng: &mut Rng,
    ) -> PupilRow {
        let s = ctx.s;
        let ap = ctx.applier();
        let mut flags = Flags::default();
        let (family, given) = ap.names(p, Register::Schild, &mut flags);
        let fit = |s: &str, flags: &mut Flags| {
            let (out, changed) = to_cp1252_repr(s, self.fallbacks[school]);
            if changed {
                flags.add(match self.fallbacks[school] {
                    Cp1252Fallback::Transliterate => Kind::Cp1252Transliterated,
                    Cp1252Fallback::QuestionMark => Kind::Cp1252QuestionMark,
                });
            }
            out
        };
        let family = fit(&family, &mut flags);
        let given = fit(&given, &mut flags);
        let birth = match ap.birth(p, Register::Schild, &mut flags) {
            Birth::Date(d) => d,
            Birth::Incomplete(_) => p.birth,
        };
        let (plz, ort, street) = match address {
            Some(a) => {
                let ad = &ctx.city.addresses[a as usize];
                let st = &ctx.city.streets[ad.street];
                let repr = ap.address(p.id, Register::Schild, &st.name, ad, &mut flags);
                if !ad.in_gliederung {
                    flags.add(Kind::UnmatchedAddress);
                }
                (
                    st.plz.clone(),
                    "Gelsenkirchen".to_string(),
                    format!("{} {}", repr.street, repr.number_with_suffix),
                )
            }
            None => {
                let (plz, ort) = OUTSIDE[(p.id as usize) % OUTSIDE.len()];
                let stem =
                    &ctx.names.street_stems[(p.id as usize * 7) % ctx.names.street_stems.len()];
                (
                    plz.to_string(),
                    ort.to_string(),
                    format!("{stem}straße {}", 1 + p.id % 60),
                )
            }
        };
        let sex = match p.sex {
            Sex::M => "3",
            Sex::W => "4",
            Sex::D => "5",
            Sex::X => "6",
        };
        let (nat, _) = p.nationality_at(s);
        let (konf, konf_krz) = religion(p.group, rng);
        let sy = school_year(s);
        let first_grade = match form {
            Schulform::G => 1,
            Schulform::Bk => 1,
            _ => 5,
        };
        let entry_year = sy - (grade - first_grade).max(0);
        let arrived = p.entry.filter(|e| *e > p.birth.add_months(12));
        let aufnahme = match arrived {
            Some(e) if e.year() > entry_year => e.add_days(14),
            _ => Date::ymd(entry_year, 8, 1).add_days(rng.range(0, 20)),
        };
        let (jahrgang, klasse) = grade_text(form, grade);
        let einschulung = p.birth.year() + 6;
        let sek = form != Schulform::G;
        let ls = if sek {
            ctx.city
                .schools
                .iter()
                .find(|x| x.form == Schulform::G)
                .map(|x| x.nr.clone())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let born_abroad = arrived.is_some();
        let birth_country = if born_abroad {
            format!("{:03}", p.nationality)
        } else {
            "000".to_string()
        };
        let recent = arrived.filter(|e| e.add_months(36) > s);
        let sprachfoerderung = if recent.is_some() { "J" } else { "N" };
        let mut fields: Vec<String> = vec![
            family.clone(),
            given.clone(),
            birth.dmy(),
            sex.into(),
            "2".into(),
            plz,
            ort,
            street,
            if p.group == Group::Ru && rng.chance(0.3) {
                "J"
            } else {
                "N"
            }
            .into(),
            format!("{nat:03}"),
            konf.into(),
            konf_krz.into(),
            aufnahme.dmy(),
            String::new(),
            String::new(),
            if grade >= 10 { "J" } else { "N" }.into(),
            String::new(),
            String::new(),
            sy.to_string(),
            "1".into(),
            jahrgang,
            klasse,
            if matches!(form, Schulform::G) {
                String::new()
            } else {
                form.code().to_string()
            },
            if rng.chance(0.6) { "G" } else { "H" }.into(),
            String::new(),
            if form == Schulform::Bk {
                "10100".into()
            } else {
                String::new()
            },
            String::new(),
            sprachfoerderung.into(),
            sprachfoerderung.into(),
            einschulung.to_string(),
            String::new(),
            if sek {
                (einschulung + 4).to_string()
            } else {
                String::new()
            },
            if sek {
                form.code().to_string()
            } else {
                String::new()
            },
            if grade >= 11 {
                (einschulung + 10).to_string()
            } else {
                String::new()
            },
            if form == Schulform::S {
                ["LE", "ES", "SQ", "GG"][rng.index(4)].into()
            } else {
                String::new()
            },
            String::new(),
            "N".into(),
            "N".into(),
            ls,
            if sek { "G".into() } else { String::new() },
            String::new(),
            if sek {
                Date::ymd(einschulung + 4, 7, 1).dmy()
            } else {
                String::new()
            },
            if sek { "04".into() } else { String::new() },
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        if ctx.city.schools[school].width == 58 {
            fields.extend([
                arrived.map(|e| e.year().to_string()).unwrap_or_default(),
                birth_country.clone(),
                birth_country.clone(),
                birth_country,
                if born_abroad || rng.chance(0.3) {
                    language(p.group).to_string()
                } else {
                    "deu".to_string()
                },
                if born_abroad {
                    "0"
                } else {
                    ["1", "2", "3"][rng.index(3)]
                }
                .into(),
                recent.map(|e| e.add_months(24).dmy()).unwrap_or_default(),
                recent.map(|e| e.add_months(48).dmy()).unwrap_or_default(),
            ]);
        }
        let line = fields
            .iter()
            .map(|f| sanitize_unquoted(f, '|'))
            .collect::<Vec<_>>()
            .join("|");
        PupilRow {
            sort: (umlauts_written_out(&family), umlauts_written_out(&given)),
            line,
            person: p.id,
            address,
            flags,
        }
    }

    /// Adds pupils from neighbouring towns and writes one file per school.
    pub(crate) fn finish(
        mut self,
        ctx: &Ctx,
        sink: &mut dyn Sink,
        truth: &mut Truth,
        manifest: &mut Manifest,
    ) -> Result<(), Error> {
        let city = &ctx.city;
        let mut next_id = 900_000_000u32;
        let mut rng = Rng::derive(ctx.seed, &[tag::SCHOOLS, 1]);
        for i in 0..city.schools.len() {
            let school = &city.schools[i];
            if school.form == Schulform::G {
                continue;
            }
            let n = (self.rows[i].len() as f64 * 0.03).round().max(1.0) as usize;
            for _ in 0..n {
                let g = [
                    Group::De,
                    Group::De,
                    Group::De,
                    Group::Tr,
                    Group::Pl,
                    Group::Ar,
                ][rng.index(6)];
                let sex = if rng.chance(0.5) { Sex::M } else { Sex::W };
                let (lo, hi) = match school.form {
                    Schulform::Bk => (16, 20),
                    Schulform::Gy | Schulform::Ge => (10, 18),
                    _ => (10, 15),
                };
                let age = rng.range(lo, hi);
                let birth = birth_for_age(&mut rng, age, Date::ymd(school_year(ctx.s), 9, 30));
                let nat = if g == Group::De {
                    0
                } else {
                    g.nationality().parse().unwrap_or(0)
                };
                let p = Person {
                    id: next_id,
                    household: next_id,
                    family: ctx.names.family(g, &mut rng),
                    birth_name: None,
                    given: ctx.names.given(g, sex, &mut rng),
                    sex,
                    birth,
                    precision: Precision::Full,
                    group: g,
                    nationality: nat,
                    nationality2: None,
                    naturalised: None,
                    marital: Marital::Ledig,
                    residence: Vec::new(),
                    dwelling: Dwelling::Alleinige,
                    status: Vec::new(),
                    entry: None,
                    refugee_household: None,
                    died: false,
                };
                next_id += 1;
                let grade = match school.form {
                    Schulform::Bk => (age - 15).clamp(1, 3),
                    _ => (age - 5).clamp(5, 13),
                };
                let row = self.row(ctx, &p, None, i, school.form, grade, &mut rng);
                self.rows[i].push(row);
                self.outside.push(p);
            }
        }
        for p in &self.outside {
            truth.person(sink, ctx, p)?;
        }
        for (i, rows) in self.rows.iter_mut().enumerate() {
            let school = &city.schools[i];
            rows.sort_by(|a, b| a.sort.cmp(&b.sort).then(a.person.cmp(&b.person)));
            let path = self.paths[i].clone();
            let fmt = TextFormat {
                delimiter: '|',
                encoding: Encoding::Windows1252,
                crlf: true,
                quote_all: false,
                no_quoting: true,
                fallback: self.fallbacks[i],
            };
            let mut f = TextFile::open(sink, &path, fmt)?;
            let mut header: Vec<&str> = COLUMNS_50.to_vec();
            if school.width == 58 {
                header.extend(COLUMNS_EXTRA);
            }
            f.row(sink, &header)?;
            for r in rows.iter() {
                let n = f.line(sink, &r.line)?;
                let address = r.address.map(|a| (a, ctx.baublock(a)));
                truth.record(sink, &path, "", n, r.person, address, r.flags)?;
            }
            let mut e = text_entry(&path, SourceKind::Schild, "dat", &fmt);
            e.header_variant = format!("{} Spalten", school.width);
            e.header = header.iter().map(|s| s.to_string()).collect();
            e.row_count = rows.len() as u64;
            e.date_formats = vec!["TT.MM.JJJJ".into()];
            e.school_number = Some(school.nr.clone());
            e.school_form = Some(school.form.code().to_string());
            e.snapshot_date = Some(ctx.s.iso());
            e.notes = format!(
                "{}; Geschlecht 3 = männlich, 4 = weiblich (SchILD-Kodierung); Straße mit \
                 Hausnummer in einem Feld; Staatsangehörigkeit als Destatis-Schlüssel; keine \
                 Schulnummer in der Datei",
                school.name
            );
            f.finish(sink)?;
            manifest.files.push(e);
        }
        Ok(())
    }
}
