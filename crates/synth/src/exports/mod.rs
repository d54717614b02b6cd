//! Writes every export, the ground truth and the manifest.

mod akdn;
mod alw;
mod ewo;
mod gliederung;
mod schild;

use std::collections::BTreeMap;

use crate::city::{self, City};
use crate::codes::Codes;
use crate::date::Date;
use crate::legal::Category;
use crate::manifest::{FileEntry, Manifest, TruthEntry};
use crate::names::{Names, Sex};
use crate::noise::{Applier, Flags};
use crate::output::{Encoding, Sink, TextFile, TextFormat};
use crate::people::{Dwelling, Person};
use crate::population::{self, ChunkInput};
use crate::refugees::{self, Refugees};
use crate::scale::Params;
use crate::text::Cp1252Fallback;
use crate::{Config, Error, Scale};

/// Everything the writers need.
pub(crate) struct Ctx {
    pub seed: u64,
    pub scale: Scale,
    pub noise: crate::Noise,
    pub params: Params,
    pub codes: Codes,
    pub names: Names,
    pub city: City,
    pub refugees: Refugees,
    /// Stichtag.
    pub s: Date,
    /// The snapshot one week earlier.
    pub p: Date,
    /// First day of the last complete month (report month of the monthly extracts).
    pub m: Date,
    /// Convert the files planned as XLS/ODS with LibreOffice.
    pub office: bool,
}

/// How a nationality is written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NatStyle {
    Code,
    Adjective,
    State,
    /// Short state name or the official long name.
    StateOrOfficial(bool),
}

impl Ctx {
    pub(crate) fn applier(&self) -> Applier<'_> {
        Applier {
            noise: &self.noise,
            seed: self.seed,
            names: &self.names,
        }
    }

    /// A nationality as text.
    pub(crate) fn nat(&self, code: u16, style: NatStyle) -> String {
        let key = format!("{code:03}");
        match (self.codes.nationality(&key), style) {
            (_, NatStyle::Code) | (None, _) => key,
            (Some(n), NatStyle::Adjective) => n.adjective.clone(),
            (Some(n), NatStyle::State) => n.state.clone(),
            (Some(n), NatStyle::StateOrOfficial(official)) => {
                if official {
                    n.official.clone()
                } else {
                    n.state.clone()
                }
            }
        }
    }

    /// Baublock key of an address.
    pub(crate) fn baublock(&self, a: u32) -> &str {
        &self.city.blocks[self.city.addresses[a as usize].block].key
    }

    /// Ground-truth label of a person's category at `d` (`kein Fluechtling` for foreigners
    /// without a refugee status, empty for Germans).
    pub(crate) fn category_at(&self, p: &Person, d: Date) -> (Option<Category>, &'static str) {
        if p.nationality_at(d).0 == 0 {
            return (None, "");
        }
        match p.status_at(d) {
            Some((s, _)) => (Some(s.def().category), s.def().sub),
            None => (None, ""),
        }
    }
}

/// A keyed permutation of `0..limit` (Feistel network over `bits` bits with cycle walking):
/// register numbers look random, are unique, and never reveal the truth id.
pub(crate) fn permute(x: u64, bits: u32, limit: u64, key: u64) -> u64 {
    let half = bits / 2;
    let mask = (1u64 << half) - 1;
    let mut v = x;
    loop {
        let (mut l, mut r) = (v >> half, v & mask);
        for round in 0..4u64 {
            let f = crate::rng::mix64(r ^ key.wrapping_add(round)) & mask;
            let nl = r;
            r = l ^ f;
            l = nl;
        }
        v = (l << half) | r;
        if v < limit {
            return v;
        }
    }
}

/// Register number of a person (Ordnungsmerkmal, 9 digits).
pub(crate) fn om(id: u32) -> String {
    format!("{:09}", permute(u64::from(id), 30, 1_000_000_000, 0x4F4D))
}

/// AZR number (12 digits).
pub(crate) fn azr(id: u32) -> String {
    format!(
        "{:012}",
        permute(u64::from(id), 40, 1_000_000_000_000, 0x415A52)
    )
}

/// Ground-truth streams.
pub(crate) struct Truth {
    records: TextFile,
    alw: TextFile,
    persons: TextFile,
}

fn truth_format() -> TextFormat {
    TextFormat {
        delimiter: ';',
        encoding: Encoding::Utf8,
        crlf: false,
        quote_all: false,
        no_quoting: false,
        fallback: Cp1252Fallback::Transliterate,
    }
}

impl Truth {
    fn open(sink: &mut dyn Sink) -> Result<Truth, Error> {
        let mut records = TextFile::open(sink, "truth/records.csv", truth_format())?;
        records.row(
            sink,
            &[
                "file",
                "sheet",
                "row",
                "person_id",
                "address_id",
                "baublock",
                "noise",
            ],
        )?;
        let mut alw = TextFile::open(sink, "truth/alw_records.csv", truth_format())?;
        alw.row(
            sink,
            &[
                "file",
                "sheet",
                "row",
                "person_id",
                "category",
                "sub_category",
                "legal_basis",
                "spelling",
                "stale",
                "present",
            ],
        )?;
        let mut persons = TextFile::open(sink, "truth/persons.csv", truth_format())?;
        persons.row(
            sink,
            &[
                "person_id",
                "family_name",
                "birth_name",
                "given_names",
                "sex",
                "birth_date",
                "birth_precision",
                "nationality",
                "nationality_2",
                "naturalised",
                "origin",
                "household_id",
                "refugee_simulation",
                "entry_date",
                "registered",
                "left",
                "died",
                "resident",
                "dwelling",
                "address_id",
                "category",
                "sub_category",
                "asylblg_p2_excluded",
            ],
        )?;
        Ok(Truth {
            records,
            alw,
            persons,
        })
    }

    /// Links a record to its person (and the address it shows).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        &mut self,
        sink: &mut dyn Sink,
        file: &str,
        sheet: &str,
        row: u32,
        person: u32,
        address: Option<(u32, &str)>,
        flags: Flags,
    ) -> Result<(), Error> {
        let (a, b) = match address {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (String::new(), String::new()),
        };
        self.records.row(
            sink,
            &[
                file,
                sheet,
                &row.to_string(),
                &person.to_string(),
                &a,
                &b,
                &flags.label(),
            ],
        )?;
        Ok(())
    }

    /// The true category of an ALW record.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn alw(
        &mut self,
        sink: &mut dyn Sink,
        file: &str,
        sheet: &str,
        row: u32,
        person: u32,
        category: Category,
        sub: &str,
        text: &str,
        unparsable: bool,
        stale: bool,
        present: bool,
    ) -> Result<(), Error> {
        let sub = crate::legal::written_sub(sub, text, unparsable);
        let category = crate::legal::written_category(category, sub);
        self.alw.row(
            sink,
            &[
                file,
                sheet,
                &row.to_string(),
                &person.to_string(),
                category,
                sub,
                text,
                if unparsable { "unparsable" } else { "ok" },
                if stale { "1" } else { "0" },
                if present { "1" } else { "0" },
            ],
        )?;
        Ok(())
    }

    /// The person behind the records.
    pub(crate) fn person(
        &mut self,
        sink: &mut dyn Sink,
        ctx: &Ctx,
        p: &Person,
    ) -> Result<(), Error> {
        let s = ctx.s;
        let (cat, sub) = ctx.category_at(p, s);
        let present = p.present(s);
        let address = p
            .address_at(s)
            .or_else(|| p.last_address_before(s.add_days(1)))
            .map(|(a, _)| a.to_string())
            .unwrap_or_default();
        let d = |x: Option<Date>| x.map(|d| d.iso()).unwrap_or_default();
        self.persons.row(
            sink,
            &[
                p.id.to_string(),
                p.family.clone(),
                p.birth_name.clone().unwrap_or_default(),
                p.given.join(" "),
                p.sex.code().to_string(),
                p.birth.iso(),
                match p.precision {
                    crate::people::Precision::Full => "full".to_string(),
                    crate::people::Precision::Year => "year".to_string(),
                },
                format!("{:03}", p.nationality),
                p.nationality2
                    .map(|n| format!("{n:03}"))
                    .unwrap_or_default(),
                d(p.naturalised),
                p.group.code().to_string(),
                p.household.to_string(),
                if p.refugee_household.is_some() {
                    "1"
                } else {
                    "0"
                }
                .to_string(),
                d(p.entry),
                d(p.registered()),
                d(p.left_by(s)),
                if p.died { "1" } else { "0" }.to_string(),
                if present { "1" } else { "0" }.to_string(),
                p.dwelling.code().to_string(),
                address,
                cat.map(|c| c.label().to_string()).unwrap_or_default(),
                sub.to_string(),
                match p.refugee_household {
                    Some(h) if ctx.refugees.households[h as usize].p2_excluded => "1",
                    Some(_) => "0",
                    None => "",
                }
                .to_string(),
            ],
        )?;
        Ok(())
    }

    fn finish(self, sink: &mut dyn Sink) -> Result<(), Error> {
        self.records.finish(sink)?;
        self.alw.finish(sink)?;
        self.persons.finish(sink)?;
        Ok(())
    }
}

/// Population counts and refugee counts gathered while writing.
#[derive(Default)]
pub(crate) struct Aggregates {
    /// (snapshot 0 = Stichtag / 1 = week before, Stadtteil, sex, German) -> persons.
    pub population: BTreeMap<(u8, usize, &'static str, bool), u64>,
    /// (Stadtteil, category label as the shipped rules decide it) -> (persons in the ALW
    /// Stichtag export, of them resident).
    pub refugees: BTreeMap<(usize, &'static str), (u64, u64)>,
    /// (school form, category label) -> pupils.
    pub pupils: BTreeMap<(String, String), u64>,
}

/// A text export's manifest fields.
pub(crate) fn text_entry(
    path: &str,
    source: crate::SourceKind,
    container: &str,
    f: &TextFormat,
) -> FileEntry {
    let mut e = FileEntry::new(path, source, container);
    e.encoding = Some(f.encoding.label().to_string());
    e.delimiter = Some(f.delimiter.to_string());
    e.line_ending = Some(if f.crlf { "CRLF" } else { "LF" }.to_string());
    e.quoting = Some(
        if f.no_quoting {
            "none"
        } else if f.quote_all {
            "all"
        } else {
            "minimal"
        }
        .to_string(),
    );
    if f.encoding == Encoding::Windows1252 {
        e.cp1252_fallback = Some(
            match f.fallback {
                Cp1252Fallback::Transliterate => "transliterate",
                Cp1252Fallback::QuestionMark => "?",
            }
            .to_string(),
        );
    }
    e
}

/// The fallback of a Windows-1252 file (per file, from the noise knob).
pub(crate) fn fallback_for(ctx: &Ctx, file_key: u64) -> Cp1252Fallback {
    if ctx.applier().file_unit(file_key, 1) < ctx.noise.cp1252_question_mark {
        Cp1252Fallback::QuestionMark
    } else {
        Cp1252Fallback::Transliterate
    }
}

/// A stable key of a file name (for per-file decisions).
pub(crate) fn file_key(path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Builds the context: code lists, city, refugee histories.
pub(crate) fn context(config: &Config, office: bool) -> Result<Ctx, Error> {
    config.validate()?;
    let codes = Codes::load()?;
    let names = Names::load()?;
    let params = Params::of(config.scale);
    let s = config.stichtag;
    let city = city::build(
        &params,
        config.seed,
        &codes,
        &names,
        config.noise.unmatched_address,
    );
    let refugees = refugees::simulate(
        &params,
        config.seed,
        &city,
        &names,
        s,
        config.noise.birth_year_only,
    );
    let m = if s == s.month_end() {
        s.month_start()
    } else {
        s.month_start().add_months(-1)
    };
    Ok(Ctx {
        seed: config.seed,
        scale: config.scale,
        noise: config.noise.clone(),
        params,
        codes,
        names,
        city,
        refugees,
        s,
        p: s.add_days(-7),
        m,
        office,
    })
}

/// Generates everything into the sink; returns the manifest (also written as
/// `manifest.json`).
pub(crate) fn run(config: &Config, sink: &mut dyn Sink, office: bool) -> Result<Manifest, Error> {
    let ctx = context(config, office)?;
    let mut manifest = Manifest {
        generator: format!("lagebild-synth {}", env!("CARGO_PKG_VERSION")),
        scale: config.scale.name().to_string(),
        seed: config.seed,
        stichtag: ctx.s.iso(),
        noise: config
            .noise
            .rates()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        office: if office {
            "LibreOffice".to_string()
        } else {
            "skipped: XLS/ODS variants written as XLSX".to_string()
        },
        files: Vec::new(),
        truth: Vec::new(),
    };
    let mut truth = Truth::open(sink)?;
    let mut agg = Aggregates::default();

    gliederung::write(&ctx, sink, &mut manifest)?;

    // Where refugee-simulation persons are written (Stadtteil of their address at the
    // Stichtag, or of their last address if they left in the year before).
    let s = ctx.s;
    let city = &ctx.city;
    let mut households_at = vec![0u16; city.addresses.len()];
    for h in &ctx.refugees.households {
        if let Some((Some(a), _)) = h
            .residence
            .iter()
            .rev()
            .find(|(d, _)| *d <= s)
            .map(|(d, a)| (*a, *d))
        {
            households_at[a as usize] = households_at[a as usize].saturating_add(1);
        }
    }
    let mut chunk_of: Vec<Option<usize>> = Vec::with_capacity(ctx.refugees.persons.len());
    let mut residents = vec![0u32; city.stadtteile.len()];
    let mut foreigners = vec![0u32; city.stadtteile.len()];
    for p in &ctx.refugees.persons {
        let k = if let Some((a, _)) = p.address_at(s) {
            let k = city.stadtteil_of_address(a as usize);
            residents[k] += 1;
            if p.nationality_at(s).0 != 0 {
                foreigners[k] += 1;
            }
            Some(k)
        } else if p.left_by(s).is_some_and(|l| l >= s.add_days(-365)) {
            p.last_address_before(s.add_days(1))
                .map(|(a, _)| city.stadtteil_of_address(a as usize))
        } else {
            None
        };
        chunk_of.push(k);
        truth.person(sink, &ctx, p)?;
    }

    write_status_history(&ctx, sink, &mut manifest)?;

    let mut ewo = ewo::Writers::open(&ctx, sink)?;
    let mut alw = alw::Writers::open(&ctx, sink)?;
    let mut schools = schild::Schools::new(&ctx);
    for k in 0..city.stadtteile.len() {
        let input = ChunkInput {
            city,
            names: &ctx.names,
            seed: ctx.seed,
            stichtag: s,
            k,
            refugee_households_at: &households_at,
            refugee_residents: residents[k],
            refugee_foreigners: foreigners[k],
        };
        let mut chunk = population::generate(&input);
        for p in &chunk {
            truth.person(sink, &ctx, p)?;
        }
        let refugee_people: Vec<&Person> = ctx
            .refugees
            .persons
            .iter()
            .zip(&chunk_of)
            .filter(|(_, c)| **c == Some(k))
            .map(|(p, _)| p)
            .collect();
        let mut all: Vec<&Person> = chunk.iter().collect();
        all.extend(refugee_people);
        all.sort_by_cached_key(|p| om(p.id));
        for p in &all {
            for (tag, d) in [(0u8, ctx.s), (1u8, ctx.p)] {
                if let Some((a, _)) = p.address_at(d)
                    && p.dwelling != Dwelling::Neben
                {
                    let st = city.stadtteil_of_address(a as usize);
                    let german = p.nationality_at(d).0 == 0;
                    let sex = match p.sex {
                        Sex::M => "m",
                        Sex::W => "w",
                        Sex::D => "d",
                        Sex::X => "x",
                    };
                    *agg.population.entry((tag, st, sex, german)).or_default() += 1;
                }
            }
        }
        ewo.chunk(&ctx, sink, &mut truth, &all)?;
        alw.chunk(&ctx, sink, &mut truth, &mut agg, &all)?;
        schools.chunk(&ctx, &all, &mut agg);
        chunk.clear();
    }
    ewo.finish(sink, &mut manifest)?;
    alw.finish(&ctx, sink, &mut truth, &mut manifest)?;
    schools.finish(&ctx, sink, &mut truth, &mut manifest)?;
    let monthly = akdn::write(&ctx, sink, &mut truth, &mut manifest)?;
    truth.finish(sink)?;

    write_aggregates(&ctx, sink, &agg, &monthly, &mut manifest)?;
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| Error::Data(format!("manifest: {e}")))?;
    sink.put("manifest.json", json.into_bytes())?;
    Ok(manifest)
}

/// Status histories of the refugee simulation (every status with its start date).
fn write_status_history(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    manifest: &mut Manifest,
) -> Result<(), Error> {
    let path = "truth/status_history.csv";
    let mut f = TextFile::open(sink, path, truth_format())?;
    f.row(
        sink,
        &[
            "person_id",
            "from",
            "residence_kind",
            "category",
            "sub_category",
            "asylblg_nr",
        ],
    )?;
    for p in &ctx.refugees.persons {
        for (d, s) in &p.status {
            let def = s.def();
            f.row(
                sink,
                &[
                    p.id.to_string(),
                    d.iso(),
                    def.kind.to_string(),
                    def.category.label().to_string(),
                    def.sub.to_string(),
                    def.asylblg_nr.unwrap_or("").to_string(),
                ],
            )?;
        }
    }
    f.finish(sink)?;
    manifest.truth.push(TruthEntry {
        path: path.to_string(),
        description: "Residence status history of every person of the refugee simulation (start date of each status; AsylbLG § 1 number it can entitle to)".to_string(),
    });
    Ok(())
}

fn truth_file(
    sink: &mut dyn Sink,
    manifest: &mut Manifest,
    path: &str,
    description: &str,
    rows: &[Vec<String>],
) -> Result<(), Error> {
    let mut f = TextFile::open(sink, path, truth_format())?;
    for r in rows {
        f.row(sink, r)?;
    }
    f.finish(sink)?;
    manifest.truth.push(TruthEntry {
        path: path.to_string(),
        description: description.to_string(),
    });
    Ok(())
}

fn write_aggregates(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    agg: &Aggregates,
    monthly: &akdn::Monthly,
    manifest: &mut Manifest,
) -> Result<(), Error> {
    for (path, description) in [
        (
            "truth/records.csv",
            "Every data record of every export: file, sheet, spreadsheet row (1-based, as a spreadsheet program shows it; header and title rows count), true person, true address and its Baublock, noise kinds applied",
        ),
        (
            "truth/alw_records.csv",
            "Every ALW record: true category and sub-category of the legal basis it shows, the text written, whether the spelling is unparsable, stale records (person left), presence at the Stichtag",
        ),
        (
            "truth/persons.csv",
            "Every person behind a record: true names, birth date, nationality, residence, category at the Stichtag",
        ),
        (
            "truth/addresses.csv",
            "Every address with its true Baublock, Stadtteil and Stadtbezirk; in_gliederung = 0 for addresses missing from the Gliederung export",
        ),
    ] {
        manifest.truth.push(TruthEntry {
            path: path.to_string(),
            description: description.to_string(),
        });
    }
    let city = &ctx.city;
    // Population by Stadtbezirk and Stadtteil.
    let mut by_bezirk: BTreeMap<(u8, usize), u64> = BTreeMap::new();
    let mut rows_st = vec![vec![
        "stichtag".to_string(),
        "stadtbezirk_nr".to_string(),
        "stadtteil_nr".to_string(),
        "stadtteil".to_string(),
        "sex".to_string(),
        "nationality_group".to_string(),
        "persons".to_string(),
    ]];
    for ((tag, st, sex, german), n) in &agg.population {
        let t = &city.stadtteile[*st];
        *by_bezirk.entry((*tag, t.bezirk)).or_default() += n;
        rows_st.push(vec![
            if *tag == 0 { ctx.s } else { ctx.p }.iso(),
            t.def.bezirk_nr.clone(),
            t.def.nr.clone(),
            t.def.name.clone(),
            sex.to_string(),
            if *german { "deutsch" } else { "nichtdeutsch" }.to_string(),
            n.to_string(),
        ]);
    }
    let mut rows_bz = vec![vec![
        "stichtag".to_string(),
        "stadtbezirk_nr".to_string(),
        "stadtbezirk".to_string(),
        "persons".to_string(),
    ]];
    for ((tag, b), n) in &by_bezirk {
        rows_bz.push(vec![
            if *tag == 0 { ctx.s } else { ctx.p }.iso(),
            city.bezirke[*b].0.clone(),
            city.bezirke[*b].1.clone(),
            n.to_string(),
        ]);
    }
    truth_file(
        sink,
        manifest,
        "truth/population_by_stadtbezirk.csv",
        "Population (Hauptwohnung and alleinige Wohnung, not deregistered) by Stadtbezirk at the Stichtag and one week earlier",
        &rows_bz,
    )?;
    truth_file(
        sink,
        manifest,
        "truth/population_by_stadtteil.csv",
        "Population by Stadtteil, sex and German/non-German at the Stichtag and one week earlier",
        &rows_st,
    )?;
    // Refugees by category and Stadtteil.
    let mut rows = vec![vec![
        "stadtbezirk_nr".to_string(),
        "stadtbezirk".to_string(),
        "stadtteil_nr".to_string(),
        "stadtteil".to_string(),
        "category".to_string(),
        "persons_register".to_string(),
        "persons_resident".to_string(),
    ]];
    for (k, t) in city.stadtteile.iter().enumerate() {
        let labels = Category::ALL.map(Category::label);
        for c in labels.into_iter().chain([crate::legal::NOT_DECIDED]) {
            let (reg, res) = agg.refugees.get(&(k, c)).copied().unwrap_or((0, 0));
            rows.push(vec![
                t.def.bezirk_nr.clone(),
                city.bezirke[t.bezirk].1.clone(),
                t.def.nr.clone(),
                t.def.name.clone(),
                c.to_string(),
                reg.to_string(),
                res.to_string(),
            ]);
        }
    }
    truth_file(
        sink,
        manifest,
        "truth/refugees_by_category_stadtteil.csv",
        "Distinct persons of the ALW Stichtag export by true category of the record (as the shipped rules decide it: a Fiktionsbescheinigung is \"nicht zugeordnet\") and true Stadtteil of the address shown; persons_resident excludes stale records of persons who left",
        &rows,
    )?;
    // Pupils by school form and category.
    let mut rows = vec![vec![
        "schulform".to_string(),
        "category".to_string(),
        "pupils".to_string(),
    ]];
    for ((form, cat), n) in &agg.pupils {
        rows.push(vec![form.clone(), cat.clone(), n.to_string()]);
    }
    truth_file(
        sink,
        manifest,
        "truth/pupils_by_schulform.csv",
        "Pupils (distinct persons in SchILD files) by Schulform and true category at the Stichtag (deutsch for Germans)",
        &rows,
    )?;
    akdn::write_truth(ctx, sink, monthly, manifest)?;
    let meta = serde_json::json!({
        "generator": format!("lagebild-synth {}", env!("CARGO_PKG_VERSION")),
        "scale": ctx.scale.name(),
        "seed": ctx.seed,
        "stichtag": ctx.s.iso(),
        "previous_snapshot": ctx.p.iso(),
        "report_month": format!("{:04}-{:02}", ctx.m.year(), ctx.m.month()),
        "noise": ctx.noise.rates().into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>(),
        "definitions": {
            "refugee": "category in Ankunftsnachweis, Gestattung, Duldung, Humanitaer (office definition, domain.md)",
            "104c": "§ 104c AufenthG counts as Humanitaer, sub-category '§ 104c'",
            "sonstige": "vollziehbar ausreisepflichtig without Duldung (Grenzübertrittsbescheinigung, ohne Status): not a refugee",
            "old_law": "§ 55 AuslG = Duldung (sub-category '§ 55 AuslG'), § 30 AuslG = Humanitaer ('§ 30 AuslG'), § 55 AsylVfG = Gestattung ('§ 55 AsylG')",
            "population": "persons with Hauptwohnung or alleinige Wohnung, registered on the date and not deregistered",
            "asylblg_table": "persons per month (deduplicated): sonstige = status group Sonstige or benefit §§4-6; Geduldete gesamt = §2 Geduldete + §3 Geduldete + sonstige; Asylbewerber gesamt = §2 + §3 Asylbewerber; Insgesamt = both",
            "waiting_time": "§ 2 after 48 months (until 02/2015), 15 (from 03/2015), 18 (from 21.08.2019), 36 (from 27.02.2024), evaluated on the first day of the month",
        },
    });
    let text = serde_json::to_string_pretty(&meta).map_err(|e| Error::Data(e.to_string()))?;
    sink.put("truth/meta.json", text.into_bytes())?;
    manifest.truth.push(TruthEntry {
        path: "truth/meta.json".to_string(),
        description: "Run parameters and the definitions behind the truth".to_string(),
    });
    Ok(())
}

/// Where a file planned as XLS/ODS is written: with LibreOffice, an XLSX in `.staging/` that
/// the native writer converts; without, the XLSX itself. Returns (write path, final path,
/// final container).
pub(crate) fn planned(ctx: &Ctx, xlsx_path: &str, target: &str) -> (String, String, String) {
    if ctx.office {
        let stem = xlsx_path.strip_suffix(".xlsx").unwrap_or(xlsx_path);
        (
            format!(".staging/{xlsx_path}"),
            format!("{stem}.{target}"),
            target.to_string(),
        )
    } else {
        (
            xlsx_path.to_string(),
            xlsx_path.to_string(),
            "xlsx".to_string(),
        )
    }
}
