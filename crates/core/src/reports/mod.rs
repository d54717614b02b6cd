//! The office's standard report set, built from imported files: which files are the current
//! snapshots, where each person lives (through [`crate::locate`]), who is a refugee (through
//! [`crate::classify`]), and the tables of `data/standard_tables.toml` counted from them.
//! The tables are raw; they leave this module only through [`crate::protect::protect`].

pub mod crosstab;
pub mod dimensions;
pub mod keys;
pub mod linked;
pub mod monthly;
pub mod population;
pub mod progress;
pub mod pupils;
pub mod refugees;
pub mod school_grades;
pub mod usage;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::classify::Category;
use crate::classify::pks::PksMapping;
use crate::classify::rules::Rules;
use crate::classify::series::Series;
use crate::import::{Dataset, ImportedFile, Records, SourceKind};
use crate::locate::{AddressIndex, LocateReport};
use crate::records::{AddressEntry, Date, YearMonth};
use crate::tabulate::{Counts, Period, Provenance, Table, TableDef, TabulateError};
pub use progress::{ProgressFn, Stage, StageTimes};

/// The layouts shipped with Lagebild.
pub const DEFAULT_TABLES_TOML: &str = include_str!("../../data/standard_tables.toml");
/// The age groups shipped with Lagebild (`von;bis;bezeichnung`, inclusive years).
pub const DEFAULT_AGE_GROUPS_CSV: &str = include_str!("../../data/altersgruppen.csv");

#[derive(Deserialize)]
struct TableFile {
    #[serde(default)]
    table: Vec<TableDef>,
}

/// Parses table layouts (TOML with `[[table]]` entries).
pub fn table_defs(toml_text: &str) -> Result<Vec<TableDef>, String> {
    toml::from_str::<TableFile>(toml_text)
        .map(|f| f.table)
        .map_err(|e| format!("Tabellendefinitionen nicht lesbar: {e}"))
}

/// The office's table definitions from a replacement for `standard_tables.toml`, checked
/// before use: readable, at least one table, every key once, no Kreuztabelle among them, and
/// every dimension one the report set builds. A German sentence says what is wrong.
pub fn standard_table_defs(toml_text: &str) -> Result<Vec<TableDef>, String> {
    let defs = table_defs(toml_text)?;
    if defs.is_empty() {
        return Err("Die Datei enthält keine Tabelle ([[table]]).".into());
    }
    let mut keys = std::collections::BTreeSet::new();
    for def in &defs {
        if !keys.insert(def.key.as_str()) {
            return Err(format!("Der Schlüssel „{}“ kommt mehrmals vor.", def.key));
        }
        if def.counts == Counts::Kreuztabelle {
            return Err(format!(
                "Die Tabelle „{}“ zählt „kreuztabelle“; das gibt es nur auf der Seite \
                 Kreuztabelle.",
                def.key
            ));
        }
        for axis in def.rows.iter().chain(&def.columns) {
            if !dimensions::KNOWN.contains(&axis.dimension.as_str()) {
                return Err(format!(
                    "Die Tabelle „{}“ nennt das Merkmal „{}“, das es nicht gibt (bekannt: {}).",
                    def.key,
                    axis.dimension,
                    dimensions::KNOWN.join(", ")
                ));
            }
        }
    }
    Ok(defs)
}

/// An age group: inclusive years, `to == None` for the open last group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgeGroup {
    /// First year of age.
    pub from: u16,
    /// Last year of age, `None` for "and older".
    pub to: Option<u16>,
    /// German label.
    pub label: String,
}

/// Parses age groups (`von;bis;bezeichnung`).
pub fn age_groups(csv_text: &str) -> Result<Vec<AgeGroup>, String> {
    let mut groups = Vec::new();
    for (i, line) in csv_text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split(';').collect();
        let from = cols
            .first()
            .and_then(|c| c.trim().parse().ok())
            .ok_or_else(|| format!("Altersgruppen, Zeile {}: „von“ fehlt", i + 1))?;
        let to = match cols.get(1).map(|c| c.trim()) {
            None | Some("") => None,
            Some(t) => Some(
                t.parse()
                    .map_err(|_| format!("Altersgruppen, Zeile {}: „bis“ ist keine Zahl", i + 1))?,
            ),
        };
        let label = cols
            .get(2)
            .map(|c| c.trim().to_string())
            .unwrap_or_default();
        groups.push(AgeGroup { from, to, label });
    }
    Ok(groups)
}

/// Configuration of the standard report set.
#[derive(Clone, Debug)]
pub struct ReportConfig {
    /// Table layouts.
    pub tables: Vec<TableDef>,
    /// Age groups.
    pub age_groups: Vec<AgeGroup>,
    /// Classification rules.
    pub rules: Rules,
    /// PKS mapping.
    pub pks: PksMapping,
    /// Schulformen and Jahrgänge of the pupils' table.
    pub grades: school_grades::SchoolGrades,
    /// The analyst's design per table key (the planner's best where none is given).
    pub designs: BTreeMap<String, crate::protect::DesignChoice>,
    /// Who publishes the released files (office and contact).
    pub publisher: crate::export::Publisher,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            tables: table_defs(DEFAULT_TABLES_TOML).unwrap_or_default(),
            age_groups: age_groups(DEFAULT_AGE_GROUPS_CSV).unwrap_or_default(),
            rules: Rules::default(),
            pks: PksMapping::example(),
            grades: school_grades::SchoolGrades::default(),
            designs: BTreeMap::new(),
            publisher: crate::export::Publisher::default(),
        }
    }
}

/// Quality figures of a report run, for the analyst (counts only).
#[derive(Clone, Debug, Default)]
pub struct Quality {
    /// The Meldewesen snapshot used (file name) and its Stichtag.
    pub meldewesen: Option<(String, Option<Date>)>,
    /// The ALW snapshot used (file name) and its Stichtag.
    pub alw: Option<(String, Option<Date>)>,
    /// Address matching of the Meldewesen snapshot.
    pub located_residents: LocateReport,
    /// Address matching of the ALW snapshot.
    pub located_foreigners: LocateReport,
    /// Problems of the Gliederung table itself.
    pub gliederung_problems: Vec<String>,
    /// ALW records (counted) not classified (see the classification's needs-mapping list).
    pub unclassified: u64,
    /// The ALW snapshot's values that need a mapping or a decision, with counts (legal texts,
    /// never persons).
    pub needs_mapping: Vec<crate::classify::snapshot::MappingGap>,
    /// Per switch of the rules: persons of the ALW snapshot whose category it decides.
    pub switch_effects: Vec<(String, u64)>,
    /// ALW records removed as exact duplicates.
    pub alw_duplicates: u64,
    /// Meldewesen records removed as exact duplicates.
    pub ewo_duplicates: u64,
    /// Record linkage per pair of registers (records, matches, match rates, review band).
    pub linkage: Vec<linked::LinkQuality>,
    /// Pairs for the analyst's review per pair of registers (row locations, levels and
    /// weights only; for the screen, never for download).
    pub review: Vec<linked::ReviewList>,
    /// The AKDN month of the linked AsylbLG table.
    pub akdn_month: Option<YearMonth>,
    /// The Fortschreibung of the office's series table, if one was loaded.
    pub continuation: Option<crate::classify::fortschreibung::Continuation>,
    /// German notes (e.g. a missing source).
    pub notes: Vec<String>,
}

/// The standard report set: raw tables (to be protected) and quality figures.
#[derive(Clone, Debug)]
pub struct StandardReport {
    /// Stichtag of the report.
    pub reference_date: Option<Date>,
    /// Tables in the order of the layouts; tables whose source is missing are left out.
    pub tables: Vec<Table>,
    /// The monthly AsylbLG series, if AKDN files were loaded.
    pub series: Option<Series>,
    /// Quality figures.
    pub quality: Quality,
    /// By table key, the population tables by sex counted with `divers` and `ohne Angabe`
    /// assigned to männlich or weiblich by the birth month ([`keys::assigned_sex`]):
    /// what is published instead where they cannot be shown as their own columns.
    pub sex_assigned: std::collections::BTreeMap<String, Table>,
    /// The records the tables of the population and of the refugees are counted from, for
    /// checking the release as a whole ([`crate::protect::Release`]).
    pub universes: Vec<crate::protect::Universe>,
    /// The AKDN month of the table by PKS, if it is made.
    pub pks_month: Option<YearMonth>,
}

/// Name of the universe of the residents (Meldewesen snapshot).
pub const UNIVERSE_POPULATION: &str = "bevoelkerung";
/// Name of the universe of the refugees (ALW snapshot).
pub const UNIVERSE_REFUGEES: &str = "gefluechtete";

/// The standard table `def` offered to the release: where its numbers come from (if the
/// release checks them across tables) and the populations whose recoding it shares. Tables
/// of the residents share one, tables of the refugees another (the refugee share too: its
/// residents per merged area are sums of published numbers); the school tables share the
/// universe of the pupils (the table by place counts its refugees). Tables of other
/// subpopulations (AsylbLG recipients by ALW category, refugees without a match) are designed
/// each for itself. The series and the table by PKS (of `pks_month`) are checked together in
/// the universe of the AsylbLG recipients.
pub fn offered(
    def: &TableDef,
    table: Table,
    pks_month: Option<YearMonth>,
) -> crate::protect::Offered {
    use crate::protect::Origin;
    let (origin, domains): (Option<Origin>, &[&str]) = match def.counts {
        Counts::AsylblgPersonen => (Some(Origin::of(monthly::UNIVERSE)), &[monthly::UNIVERSE]),
        Counts::AsylblgPks => (
            pks_month.map(|m| Origin {
                universe: monthly::UNIVERSE.to_owned(),
                filters: vec![("monat".to_owned(), vec![m.to_string()])],
            }),
            &[monthly::UNIVERSE],
        ),
        Counts::Bevoelkerung => (
            Some(Origin::of(UNIVERSE_POPULATION)),
            &[UNIVERSE_POPULATION],
        ),
        Counts::BevoelkerungVeraenderung => (None, &[UNIVERSE_POPULATION]),
        Counts::Gefluechtete => (Some(Origin::of(UNIVERSE_REFUGEES)), &[UNIVERSE_REFUGEES]),
        Counts::Fluechtlingsanteil => (None, &[UNIVERSE_REFUGEES]),
        Counts::SchuelerSchulform => (Some(Origin::of(pupils::UNIVERSE)), &[pupils::UNIVERSE]),
        Counts::SchuelerRaum => (
            Some(Origin {
                universe: pupils::UNIVERSE.to_owned(),
                filters: vec![("schueler".to_owned(), vec![pupils::REFUGEE.to_owned()])],
            }),
            &[pupils::UNIVERSE],
        ),
        _ => (None, &[]),
    };
    let mut domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
    if domains.is_empty() {
        domains.push(format!("tabelle:{}", def.key));
    }
    crate::protect::Offered {
        table,
        origin,
        domains,
    }
}

/// The switches of the classification rules as lines of the Metadaten sheet: what each
/// decided in this run.
pub fn switch_lines(rules: &crate::classify::rules::Rules) -> Vec<String> {
    use crate::classify::rules::{
        SWITCH_104C, SWITCH_FICTION, SWITCH_PERMANENT, SWITCH_SPURWECHSEL,
    };
    let line = |switch: &str, default: bool, what: &str, on: &str, off: &str| {
        let state = if rules.switch(switch).unwrap_or(default) {
            on
        } else {
            off
        };
        format!("{what}: {state}")
    };
    vec![
        line(
            SWITCH_104C,
            true,
            "§ 104c AufenthG",
            "eigene Unterkategorie unter humanitären Titeln",
            "kein Flüchtling",
        ),
        line(
            SWITCH_PERMANENT,
            true,
            "Niederlassungserlaubnis aus humanitären Gründen (§ 26 Abs. 3, 4) und § 23 Abs. 2",
            "Flüchtling, eigene Unterkategorien unter humanitären Titeln",
            "kein Flüchtling",
        ),
        line(
            SWITCH_SPURWECHSEL,
            false,
            "Spurwechsel (§ 16g, § 19d AufenthG)",
            "Flüchtling, eigene Unterkategorien unter humanitären Titeln",
            "kein Flüchtling (eigene Unterkategorien)",
        ),
        line(
            SWITCH_FICTION,
            false,
            "Fiktionsbescheinigung (§ 81 AufenthG)",
            "Flüchtling, wenn der beantragte Titel humanitär ist (eigene Unterkategorie)",
            "Entscheidung nötig (nicht zugeordnet, Liste „Zuordnung fehlt“)",
        ),
    ]
}

/// Note of a table whose `divers` and `ohne Angabe` are assigned by the birth month.
pub const SEX_ASSIGNED_NOTE: &str = "„divers“ und „ohne Angabe“ sind nach dem Geburtsmonat \
     „männlich“ (ungerade Monate) oder „weiblich“ (gerade Monate) zugeordnet, wie es das \
     Statistikamt Nord tut; als eigene Spalten bestünden sie die Geheimhaltung nicht.";

/// `def` with its `geschlecht` axis counted with the assigned sex, and the note saying so;
/// `None` if it has no such axis.
fn with_assigned_sex(def: &TableDef) -> Option<TableDef> {
    let mut def = def.clone();
    let axis = def
        .rows
        .iter_mut()
        .chain(def.columns.iter_mut())
        .find(|a| a.dimension == "geschlecht")?;
    axis.dimension = "geschlecht_zugeordnet".to_string();
    def.notes.push(SEX_ASSIGNED_NOTE.to_string());
    Some(def)
}

/// Among the files of `pick`'s source, the snapshot with the latest Stichtag (from the file
/// name or the options), the largest one on a tie; files without a Stichtag (monthly moves,
/// deregistrations) only if no file has one.
pub fn current_snapshot(dataset: &Dataset, pick: fn(&Records) -> bool) -> Option<&ImportedFile> {
    dataset
        .files
        .iter()
        .filter(|f| pick(&f.records) && !f.records.is_empty())
        .max_by_key(|f| (f.report.reference_date, f.records.len()))
}

/// The Gliederung rows of every Gliederung file.
pub fn gliederung_entries(dataset: &Dataset) -> Vec<AddressEntry> {
    dataset
        .files
        .iter()
        .filter_map(|f| match &f.records {
            Records::Gliederung(rows) => Some(rows.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Builds every table of the standard set the loaded sources allow.
pub fn standard_report(
    dataset: &Dataset,
    config: &ReportConfig,
) -> Result<StandardReport, TabulateError> {
    standard_report_with_progress(dataset, config, &mut |_, _, _| {})
}

/// [`standard_report`], telling `progress` where it is: the stages [`Stage::Locate`] to
/// [`Stage::Tabulate`] in order, each starting with 0 and ending with `done == total`.
pub fn standard_report_with_progress(
    dataset: &Dataset,
    config: &ReportConfig,
    progress: &mut ProgressFn<'_>,
) -> Result<StandardReport, TabulateError> {
    let mut quality = Quality::default();
    progress(Stage::Locate, 0, 2);
    let entries = gliederung_entries(dataset);
    let index = AddressIndex::build(&dataset.pool, &entries);
    quality.gliederung_problems = index.problems.clone();
    if entries.is_empty() {
        quality
            .notes
            .push("Keine räumliche Gliederung geladen: räumliche Tabellen fehlen.".into());
    }
    progress(Stage::Locate, 1, 2);
    let population =
        population::PopulationCounts::compute(dataset, &index, &config.age_groups, &mut quality);
    progress(Stage::Locate, 2, 2);

    progress(Stage::Classify, 0, 2);
    let series = dataset
        .files
        .iter()
        .any(|f| matches!(f.records, Records::Akdn(_)))
        .then(|| Series::from_dataset(dataset, &config.pks));
    let akdn_months = series
        .as_ref()
        .and_then(|s| Some((s.rows.first()?.month, s.rows.last()?.month)));
    let office = office_series(dataset, &mut quality);
    let series = match office {
        Some(table) => {
            let (continued, continuation) = crate::classify::fortschreibung::continue_series(
                table,
                series,
                config.pks.columns(),
            );
            quality.continuation = Some(continuation);
            // A table that could not be continued and no AKDN export: no series.
            Some(continued).filter(|s| !s.rows.is_empty())
        }
        None => series,
    };
    progress(Stage::Classify, 1, 2);
    let refugees = refugees::RefugeeCounts::compute(dataset, &index, config, &mut quality);
    progress(Stage::Classify, 2, 2);

    progress(Stage::Link, 0, 1);
    let linked = linked::LinkedCounts::compute(
        dataset,
        (!entries.is_empty()).then_some(&index),
        refugees.as_ref(),
        &config.grades,
        &config.pks,
        &mut quality,
    );
    progress(Stage::Link, 1, 1);
    let reference_date = population
        .as_ref()
        .and_then(|p| p.reference_date)
        .or(refugees.as_ref().and_then(|r| r.reference_date));

    let found = dimensions::Found {
        months: series
            .as_ref()
            .and_then(|s| Some((s.rows.first()?.month, s.rows.last()?.month))),
        akdn_month: linked.as_ref().and_then(|l| l.akdn_month),
        refugees: refugees.as_ref().map(|r| r.found()).unwrap_or_default(),
        ..population.as_ref().map(|p| p.found()).unwrap_or_default()
    };
    let dims = dimensions::Dimensions::build(&index.geography, config, &found);
    if let Some(s) = &series
        && !s.unknown_codes.is_empty()
    {
        let codes: Vec<String> = s
            .unknown_codes
            .iter()
            .map(|(code, n)| format!("„{code}“ ({})", crate::format::count(*n)))
            .collect();
        let n = s.persons_with_unknown_pks();
        quality.notes.push(format!(
            "AKDN: {} (je Monat gezählt) {} einen Personenkreisschlüssel ohne Zuordnung und \
             {} in keiner Spalte der Monatsreihe und nicht in „Insgesamt“: {}. Bitte die \
             PKS-Zuordnung ergänzen.",
            if n == 1 {
                "1 Person".to_string()
            } else {
                format!("{} Personen", crate::format::count(n))
            },
            if n == 1 { "hat" } else { "haben" },
            if n == 1 { "steht" } else { "stehen" },
            codes.join(", ")
        ));
    }
    let sources = Sources::of(dataset, akdn_months, population.as_ref(), refugees.as_ref());
    let series_sources: Vec<Provenance> = akdn_months
        .map(|_| sources.akdn)
        .into_iter()
        .chain(office.and_then(|t| t.span()).map(|(a, b)| Provenance {
            source: SourceKind::Datentabelle,
            period: Period::Months(a, b),
        }))
        .collect();
    // The series by code in one universe with the table by PKS of its last month; that
    // table only where the month's row of the series is counted from the exports.
    let from_exports = |month: YearMonth| {
        quality
            .continuation
            .as_ref()
            .is_none_or(|c| c.continued.contains(&month))
    };
    let pks_month = series
        .as_ref()
        .and_then(|s| s.last_month)
        .filter(|m| from_exports(*m));
    // Its persons one by one (for Kreuztabellen of the AsylbLG recipients), where they add up
    // to the series' month.
    let detail = series.as_ref().zip(pks_month).and_then(|(s, month)| {
        let detail = monthly::MonthDetail::compute(dataset, &index, config, month);
        s.month_codes
            .get(&month)
            .is_some_and(|codes| detail.agrees_with(codes))
            .then_some(detail)
    });
    let by_code = series
        .as_ref()
        .map(|s| monthly::counts_by_code(s, from_exports, &config.pks, detail.as_ref()));
    let mut tables = Vec::new();
    let mut sex_assigned = std::collections::BTreeMap::new();
    let n_defs = config.tables.len() as u32;
    for (i, def) in config.tables.iter().enumerate() {
        progress(Stage::Tabulate, i as u32, n_defs);
        let table = match def.counts {
            Counts::AsylblgPersonen => series
                .as_ref()
                .map(|s| monthly::persons(def, &dims, s).map(|t| (t, series_sources.clone()))),
            Counts::AsylblgPks => by_code.as_ref().zip(pks_month).map(|(c, month)| {
                monthly::by_code(def, &dims, c, month).map(|t| {
                    let period = Provenance {
                        source: SourceKind::Akdn,
                        period: Period::Months(month, month),
                    };
                    (t, vec![period])
                })
            }),
            Counts::AsylblgFaelle => series
                .as_ref()
                .map(|s| monthly::cases(def, &dims, s).map(|t| (t, vec![sources.akdn]))),
            Counts::Gefluechtete => refugees.as_ref().filter(|_| !entries.is_empty()).map(|r| {
                r.table(def, &dims)
                    .map(|t| (t, vec![sources.alw, sources.gliederung]))
            }),
            Counts::AsylblgVerknuepft
            | Counts::SchuelerSchulform
            | Counts::SchuelerRaum
            | Counts::AlwOhneMeldewesen => linked
                .as_ref()
                .filter(|_| !linked::needs_places(def.counts) || !entries.is_empty())
                .and_then(|l| l.table(def, &dims, &sources)),
            Counts::BevoelkerungVeraenderung => population
                .as_ref()
                .filter(|_| !entries.is_empty())
                .and_then(|p| population::change(def, &dims, p))
                .map(|t| {
                    t.map(|t| {
                        let mut registers = vec![sources.ewo, sources.gliederung];
                        registers.extend(sources.ewo_before);
                        (t, registers)
                    })
                }),
            Counts::Fluechtlingsanteil => match (&population, &refugees) {
                (Some(p), Some(r)) if !entries.is_empty() => Some(
                    population::refugee_share(def, &dims, p, r)
                        .map(|t| (t, vec![sources.ewo, sources.alw, sources.gliederung])),
                ),
                _ => None,
            },
            Counts::Bevoelkerung => population
                .as_ref()
                .filter(|_| !entries.is_empty())
                .map(|p| {
                    p.table(def, &dims)
                        .map(|t| (t, vec![sources.ewo, sources.gliederung]))
                }),
            // Counted by the Kreuztabelle, never part of the standard set.
            Counts::Kreuztabelle => None,
        };
        if let Some(table) = table {
            let (table, registers) = table?;
            if def.counts == Counts::Bevoelkerung
                && let (Some(p), Some(assigned)) = (&population, with_assigned_sex(def))
            {
                let alternative = p.table(&assigned, &dims)?;
                sex_assigned.insert(
                    def.key.clone(),
                    alternative.with_provenance(registers.clone()),
                );
            }
            let uses_pks = matches!(def.counts, Counts::AsylblgPersonen | Counts::AsylblgPks);
            let table = if uses_pks && akdn_months.is_some() && config.pks.is_example() {
                table.with_note(crate::classify::pks::EXAMPLE_WARNING)
            } else {
                table
            };
            tables.push(table.with_provenance(registers));
        }
    }
    progress(Stage::Tabulate, n_defs, n_defs);
    let mut universes = Vec::new();
    if let Some(p) = &population {
        universes.push(
            crate::protect::Universe::new(
                UNIVERSE_POPULATION,
                &population::DIMS,
                &p.counts,
                &dims.all,
            )
            .with_ties(&population::TIES, &population::TIES[..1]),
        );
    }
    if let Some(counts) = &by_code {
        universes.push(
            crate::protect::Universe::new(monthly::UNIVERSE, &monthly::DIMS, counts, &dims.all)
                .with_ties(&monthly::TIES, &[]),
        );
    }
    if let Some(r) = &refugees {
        universes.push(
            crate::protect::Universe::new(UNIVERSE_REFUGEES, &refugees::DIMS, &r.counts, &dims.all)
                .with_ties(&refugees::TIES, &refugees::TIES[..1])
                .with_functions(&refugees::FUNCTIONS),
        );
    }
    if let Some(counts) = linked.as_ref().and_then(|l| l.pupils.as_ref()) {
        universes.push(pupils::universe(counts, &dims.all));
    }
    Ok(StandardReport {
        pks_month,
        reference_date,
        tables,
        series,
        quality,
        sex_assigned,
        universes,
    })
}

/// The office's series table to continue: of several, the one reaching the latest month (the
/// others are named in a note).
fn office_series<'d>(
    dataset: &'d Dataset,
    quality: &mut Quality,
) -> Option<&'d crate::import::series_table::OfficeSeries> {
    let chosen = office_series_chosen(dataset)?;
    for file in &dataset.files {
        if matches!(&file.records, Records::Datentabelle(t) if !t.months.is_empty())
            && !std::ptr::eq(file, chosen)
        {
            quality.notes.push(format!(
                "Mehrere Datentabellen geladen: fortgeschrieben wird „{}“ (reicht am weitesten), \
                 nicht „{}“.",
                chosen.report.file_name, file.report.file_name
            ));
        }
    }
    match &chosen.records {
        Records::Datentabelle(table) => Some(table),
        _ => None,
    }
}

/// The file of the office's series table that is continued: of several, the one reaching the
/// latest month.
pub(crate) fn office_series_chosen(dataset: &Dataset) -> Option<&ImportedFile> {
    dataset
        .files
        .iter()
        .filter_map(|f| match &f.records {
            Records::Datentabelle(t) if !t.months.is_empty() => Some((f, t)),
            _ => None,
        })
        .max_by_key(|(_, t)| t.span().map(|(_, last)| last))
        .map(|(f, _)| f)
}

/// The registers of a report run as its released tables name them: kind and Stichtag or
/// period, never a file name or a record count.
#[derive(Clone, Copy, Debug)]
pub struct Sources {
    /// The current Meldewesen snapshot.
    pub ewo: Provenance,
    /// The previous Meldewesen snapshot, if one was loaded.
    pub ewo_before: Option<Provenance>,
    /// The current ALW snapshot.
    pub alw: Provenance,
    /// The AKDN months of the series.
    pub akdn: Provenance,
    /// The SchILD files (their latest Stichtag, if any is known).
    pub schild: Provenance,
    /// The räumliche Gliederung.
    pub gliederung: Provenance,
}

impl Sources {
    /// The registers behind the counts of a run; `months`: the first and last AKDN month.
    pub fn of(
        dataset: &Dataset,
        months: Option<(YearMonth, YearMonth)>,
        population: Option<&population::PopulationCounts>,
        refugees: Option<&refugees::RefugeeCounts>,
    ) -> Sources {
        let schild_date = dataset
            .files
            .iter()
            .filter(|f| matches!(f.records, Records::Schild(_)))
            .filter_map(|f| f.report.reference_date)
            .max();
        Sources {
            ewo: Provenance::snapshot(
                SourceKind::Meldewesen,
                population.and_then(|p| p.reference_date),
            ),
            ewo_before: population.and_then(|p| p.previous.as_ref()).map(|p| {
                let source = if p.published {
                    SourceKind::ReleasedWorkbook
                } else {
                    SourceKind::Meldewesen
                };
                Provenance::snapshot(source, Some(p.reference_date))
            }),
            alw: Provenance::snapshot(SourceKind::Alw, refugees.and_then(|r| r.reference_date)),
            akdn: Provenance {
                source: SourceKind::Akdn,
                period: months.map_or(Period::UnknownStichtag, |(a, b)| Period::Months(a, b)),
            },
            schild: Provenance::snapshot(SourceKind::Schild, schild_date),
            gliederung: Provenance {
                source: SourceKind::Gliederung,
                period: Period::Undated,
            },
        }
    }
}

/// The imported files as the Qualität page lists them: "EWO-ALW (Ausländerwesen): alw.csv
/// (12.345 Datensätze)". File names and record counts are for the analyst's screen only: they
/// never go into a released table (a file name can hold a person's name, a count would tell
/// what a suppressed table hides).
pub fn file_lines(dataset: &Dataset) -> Vec<String> {
    dataset
        .files
        .iter()
        .filter(|f| f.report.error.is_none())
        .map(|f| {
            let kind = f
                .report
                .detection
                .as_ref()
                .map_or("unbekannte Quelle", |d| d.source.label());
            let n = f.records.len() as u64;
            format!(
                "{kind}: {} ({} {})",
                f.report.file_name,
                crate::format::count(n),
                if n == 1 { "Datensatz" } else { "Datensätze" }
            )
        })
        .collect()
}

/// Keys of the refugee categories in table order.
pub const REFUGEE_CATEGORIES: [Category; 4] = [
    Category::Ankunftsnachweis,
    Category::Gestattung,
    Category::Duldung,
    Category::Humanitaer,
];

/// Counts by a tuple of dimension keys.
pub type Counter = BTreeMap<Vec<String>, u64>;

/// Counts `counter` (keyed by the dimensions `dims`, in that order) into the table `def`.
/// Items whose key for one of the table's dimensions is empty are not counted in it (e.g.
/// Germans in the nationality table).
pub fn count_into(
    def: &TableDef,
    dimensions: &dimensions::Dimensions,
    counter: &Counter,
    dims: &[&str],
) -> Result<Table, TabulateError> {
    let mut builder = Table::builder(def, &dimensions.all)?;
    let positions: Vec<usize> = builder
        .key_order()
        .iter()
        .map(|d| {
            dims.iter()
                .position(|k| k == d)
                .ok_or_else(|| TabulateError::UnknownDimension {
                    dimension: (*d).to_string(),
                })
        })
        .collect::<Result<_, _>>()?;
    for (key, n) in counter {
        let keys: Vec<&str> = positions.iter().map(|&p| key[p].as_str()).collect();
        if keys.iter().any(|k| k.is_empty()) {
            continue;
        }
        builder.add_count(&keys, *n)?;
    }
    Ok(builder.finish())
}

/// The rows of one register snapshot that stand for distinct persons (indices, in order) and
/// how many rows repeated a person: rows with the same register identifier (AZR-Nummer,
/// Ordnungsmerkmal) are one person and rows with different identifiers never are; rows without
/// an identifier repeat a person only if the whole row (`content`: every field but where the
/// row stands) is equal. Namesakes with the same birth date are kept apart.
pub(crate) fn distinct_persons<T, K: std::hash::Hash + Eq>(
    rows: &[T],
    identifier: impl Fn(&T) -> crate::intern::Sym,
    content: impl Fn(&T) -> K,
) -> (Vec<u32>, u64) {
    let mut ids = hashbrown::HashSet::new();
    let mut contents = hashbrown::HashSet::new();
    let kept: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let id = identifier(r);
            if id == crate::intern::Sym::EMPTY {
                contents.insert(content(r))
            } else {
                ids.insert(id)
            }
        })
        .map(|(i, _)| i as u32)
        .collect();
    let repeated = (rows.len() - kept.len()) as u64;
    (kept, repeated)
}

/// Identity of a person within one export, for removing exact duplicate rows: family and
/// given names (case ignored) and birth date, as small copyable keys. Every distinct name is
/// folded to lower case once; a key is then two numbers and the birth date.
pub(crate) struct PersonKeys<'p> {
    pool: &'p crate::intern::StringPool,
    /// Folded id per symbol index (`u32::MAX`: not folded yet).
    folded: Vec<u32>,
    ids: hashbrown::HashMap<String, u32>,
}

impl<'p> PersonKeys<'p> {
    /// Keys over the names of `pool`.
    pub(crate) fn new(pool: &'p crate::intern::StringPool) -> Self {
        PersonKeys {
            pool,
            folded: Vec::new(),
            ids: hashbrown::HashMap::new(),
        }
    }

    fn fold(&mut self, sym: crate::intern::Sym) -> u32 {
        let i = sym.index();
        if i >= self.folded.len() {
            self.folded.resize(i + 1, u32::MAX);
        }
        if self.folded[i] == u32::MAX {
            let lower = self.pool.get(sym).to_lowercase();
            let next = self.ids.len() as u32;
            self.folded[i] = *self.ids.entry(lower).or_insert(next);
        }
        self.folded[i]
    }

    /// The key of a person: equal exactly when both names are equal ignoring case and the
    /// birth dates are equal.
    pub(crate) fn key(
        &mut self,
        names: &crate::records::Names,
        birth: crate::records::BirthDate,
    ) -> (u32, u32, crate::records::BirthDate) {
        (self.fold(names.family), self.fold(names.given), birth)
    }
}

/// The standard report, protected and described: what every download is made of.
pub struct Published {
    /// Protected tables in report order.
    pub tables: Vec<crate::protect::ProtectedTable>,
    /// Metadata for the export (Stichtag, sources, rules in force, protection).
    pub meta: crate::export::ExportMeta,
    /// What is released, for checking every table made later in the session against it.
    pub release: crate::protect::Release,
}

/// True if a population table by sex is published with the assigned sex: under planned
/// designs of `Tabelle`, when its original design does not pass.
pub(crate) fn shows_assigned_sex(
    table: &Table,
    settings: &crate::protect::ProtectionSettings,
) -> bool {
    settings.mode == crate::protect::ProtectionMode::Tabelle
        && settings.design == crate::protect::TableDesign::Geplant
        && table
            .cells()
            .iter()
            .any(|v| v.is_some_and(|n| settings.threshold.is_sensitive(n)))
}

/// Protects every table of `report` with `settings` and describes the run for the export.
pub fn publish(
    report: StandardReport,
    config: &ReportConfig,
    settings: &crate::protect::ProtectionSettings,
    title: &str,
) -> Published {
    publish_with_progress(report, config, settings, title, &mut |_, _, _| {})
}

/// [`publish`], telling `progress` about [`Stage::Protect`] (one step per table).
pub fn publish_with_progress(
    report: StandardReport,
    config: &ReportConfig,
    settings: &crate::protect::ProtectionSettings,
    title: &str,
    progress: &mut ProgressFn<'_>,
) -> Published {
    let mut meta = crate::export::ExportMeta::new(title, report.reference_date, *settings);
    meta.publisher = config.publisher.clone();
    meta.rules.push(if config.pks.is_example() {
        crate::classify::pks::EXAMPLE_WARNING.to_string()
    } else {
        "PKS-Zuordnung: von der Stadt geladen".to_string()
    });
    meta.rules.extend(switch_lines(&config.rules));
    meta.rules.push(format!(
        "Adressen ohne Zuordnung zur Gliederung: in der Zeile „{}“",
        keys::UNLOCATED_LABEL
    ));
    let mut sex_assigned = report.sex_assigned;
    let pks_month = report.pks_month;
    let designs: Vec<crate::protect::Offered> = report
        .tables
        .into_iter()
        .map(|table| {
            let table = match sex_assigned.remove(table.key()) {
                Some(assigned) if shows_assigned_sex(&table, settings) => assigned,
                _ => table,
            };
            match config.tables.iter().find(|d| d.key == table.key()) {
                Some(def) => offered(def, table, pks_month),
                None => crate::protect::Offered {
                    domains: vec![format!("tabelle:{}", table.key())],
                    table,
                    origin: None,
                },
            }
        })
        .collect();
    let mut release =
        crate::protect::Release::new(report.universes).with_choices(config.designs.clone());
    let tables = release.protect_all(designs, settings, &mut |done, total| {
        progress(Stage::Protect, done, total)
    });
    Published {
        tables,
        meta,
        release,
    }
}

#[cfg(test)]
mod tests {
    use super::PersonKeys;
    use crate::intern::StringPool;
    use crate::records::{BirthDate, Names};

    #[test]
    fn person_keys_ignore_case_only() {
        let mut pool = StringPool::new();
        let mut names = |family: &str, given: &str| Names {
            family: pool.intern(family),
            given: pool.intern(given),
            birth: pool.intern(""),
        };
        let a = names("Müller", "Eva");
        let b = names("MÜLLER", "eva");
        let c = names("Mueller", "Eva");
        let d = names("Eva", "Müller");
        let born = BirthDate {
            year: 1980,
            month: 2,
            day: 1,
        };
        let other_day = BirthDate { day: 2, ..born };
        let mut keys = PersonKeys::new(&pool);
        assert_eq!(keys.key(&a, born), keys.key(&b, born));
        assert_ne!(keys.key(&a, born), keys.key(&c, born));
        assert_ne!(keys.key(&a, born), keys.key(&d, born));
        assert_ne!(keys.key(&a, born), keys.key(&a, other_day));
    }
}
