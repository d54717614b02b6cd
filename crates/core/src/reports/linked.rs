//! The linked tables of the standard set (issue 7): registers joined by person through
//! [`crate::link`], then counted like every other table.
//!
//! - `asylblg_kategorie_stadtteil`: AsylbLG recipients of the latest AKDN month by the category
//!   of their ALW record (AKDN × ALW) and by the Stadtteil of their AKDN address; recipients
//!   without an ALW match form their own column.
//! - `schueler_schulform_jahrgang`, `schueler_stadtteil`: pupils (SchILD × ALW) by Schulform,
//!   Jahrgang and whether they are refugees (the linked ALW record is a refugee), refugee pupils
//!   by category and the Stadtteil of the linked ALW record; both are counted from the universe
//!   of the pupils ([`super::pupils`]).
//! - `alw_ohne_meldewesen`: refugees of the ALW snapshot without a Meldewesen match.
//!
//! The linkage quality per pair of registers (records, matches, review band) counts records,
//! not persons by a characteristic: it is a figure for the analyst's review (Qualität, "nur zur
//! Prüfung"), never part of the release.
//!
//! [`LinkedSources`] gathers the records of each side, [`LinkedSources::link`] links them,
//! [`LinkedSources::keys`] gives each record its table keys under any set of [`Links`] (the
//! tests pass the true links of the synthetic city), [`LinkedCounts`] adds them up.

use crate::area::{AreaKey, Level};
use crate::classify::pks::PksMapping;
use crate::classify::series::{AkdnPersons, PersonRow};
use crate::import::{Dataset, Records};
use crate::link::{LinkOptions, LinkRecord, Linkage, Prepared, Summary, explain, link};
use crate::locate::AddressIndex;
use crate::records::{BenefitRecord, Date, NationalityCode, Origin, Pupil, Resident, YearMonth};
use crate::tabulate::{Counts, Period, Provenance, Table, TableDef, TabulateError};

use super::dimensions::Dimensions;
use super::keys::{LinkPair, NO_MATCH, UNCLASSIFIED, assigned_sex, baublock_key, sex_key};
use super::pupils::{NO_REFUGEE_CATEGORY, status};
use super::refugees::RefugeeCounts;
use super::school_grades::{OTHER_FORMS, OTHER_GRADE, SchoolGrades};
use super::{Counter, Quality, Sources, count_into};

pub use crate::schulform::UNKNOWN;
/// SchILD status values of pupils who have left the school (8 = Abschluss, 9 = Abgang); they
/// are not counted.
pub const LEFT_STATUS: [&str; 2] = ["8", "9"];

/// The linkage quality of one pair of registers (counts only, for the analyst's screen; never
/// released).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkQuality {
    /// The pair.
    pub pair: LinkPair,
    /// Records, matches, match rates, review band, candidate pairs.
    pub summary: Summary,
}

/// Review-band pairs kept per pair of registers (the highest weights first).
pub const MAX_REVIEW_BAND: usize = 200;
/// Matches just above the match threshold kept per pair of registers (lowest weight first).
pub const MAX_JUST_ABOVE: usize = 50;

/// Where a record of a review pair comes from: file name, sheet and row, nothing personal
/// (the analyst looks the row up in the source file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowRef {
    /// File name as loaded.
    pub file: String,
    /// Sheet of a workbook, `None` for text files.
    pub sheet: Option<String>,
    /// 1-based row (line) number.
    pub row: u32,
}

impl RowRef {
    /// The location of `origin` in `dataset`.
    pub fn of(dataset: &Dataset, origin: Origin) -> RowRef {
        let report = dataset.files.get(origin.file as usize).map(|f| &f.report);
        RowRef {
            file: report.map(|r| r.file_name.clone()).unwrap_or_default(),
            sheet: report
                .and_then(|r| r.sheets.get(usize::from(origin.sheet)))
                .cloned(),
            row: origin.row,
        }
    }
}

/// One comparison of a review pair: German name, German agreement level and its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewComparison {
    /// The comparison (German, e.g. „Familienname“).
    pub comparison: String,
    /// The agreement level (German, „fehlt“ if a value is missing on either side).
    pub level: String,
    /// Weight of the level (`log2(m/u)`, 0 if missing).
    pub weight: f64,
    /// The weight is adjusted by the frequency of the agreeing name.
    pub term_frequency: bool,
}

/// Why a pair is listed for review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewKind {
    /// In the clerical review band, not linked.
    Band,
    /// Linked, with a weight just above the match threshold.
    JustAbove,
}

impl ReviewKind {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::Band => "Prüfband (nicht verknüpft)",
            ReviewKind::JustAbove => "knapp verknüpft",
        }
    }
}

/// A candidate pair for the analyst's review, with its weight per comparison. Holds row
/// locations, levels and weights only: no names, birth dates or addresses.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewPair {
    /// Record of register A.
    pub a: RowRef,
    /// Record of register B.
    pub b: RowRef,
    /// Why the pair is listed.
    pub kind: ReviewKind,
    /// Match weight (prior plus the comparisons' weights).
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
    /// Prior weight (log2-odds of a match).
    pub prior: f64,
    /// Family and given names were compared crosswise.
    pub swapped: bool,
    /// Per comparison.
    pub comparisons: Vec<ReviewComparison>,
}

/// The review pairs of one pair of registers (for the analyst's screen only).
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewList {
    /// The pair of registers.
    pub pair: LinkPair,
    /// Pairs in the review band in total (also those beyond [`MAX_REVIEW_BAND`]).
    pub band_total: usize,
    /// Review-band pairs (highest weight first), then linked pairs just above the threshold
    /// (lowest weight first).
    pub pairs: Vec<ReviewPair>,
}

/// Partner (index into the B records) of every A record of each pair, `None` without a match.
/// A pair is `None` when one of its registers was not loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// ALW refugees × Meldewesen.
    pub alw_meldewesen: Option<Vec<Option<u32>>>,
    /// AKDN × ALW.
    pub akdn_alw: Option<Vec<Option<u32>>>,
    /// SchILD × ALW.
    pub schild_alw: Option<Vec<Option<u32>>>,
}

impl Links {
    /// The partners of `pair`.
    pub fn get(&self, pair: LinkPair) -> Option<&Vec<Option<u32>>> {
        match pair {
            LinkPair::AlwMeldewesen => self.alw_meldewesen.as_ref(),
            LinkPair::AkdnAlw => self.akdn_alw.as_ref(),
            LinkPair::SchildAlw => self.schild_alw.as_ref(),
        }
    }
}

/// What the tables need of one ALW record.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AlwInfo {
    /// Key in the `alw_kategorie` dimension.
    class: String,
    /// Key in the `kategorie` dimension if a refugee.
    refugee: Option<String>,
    /// Key in the `raum` dimension.
    place: String,
}

/// The records of each side of the linked pairs, with what the tables need of each.
#[derive(Debug)]
pub struct LinkedSources<'a> {
    prepared: Prepared<'a>,
    /// The latest AKDN month, if AKDN files were loaded.
    pub akdn_month: Option<YearMonth>,
    /// ALW snapshot records without exact duplicates (B of AKDN × ALW and SchILD × ALW).
    pub foreigners: Vec<LinkRecord>,
    alw_info: Vec<AlwInfo>,
    /// Indices into `foreigners` of the refugees (A of ALW × Meldewesen, as `refugee_records`).
    pub refugees: Vec<u32>,
    /// The refugees' records.
    pub refugee_records: Vec<LinkRecord>,
    /// Records of non-Germans in the Meldewesen snapshot (B of ALW × Meldewesen), if loaded;
    /// deregistered persons are kept, so that a refugee who moved away finds their own record
    /// rather than someone else's. Germans (also with a second nationality) are left out:
    /// they cannot be in the foreigners register, and name twins among them caused false links.
    pub residents: Option<Vec<LinkRecord>>,
    /// Per record of `residents`: registered at the Stichtag (not deregistered).
    pub resident_registered: Vec<bool>,
    /// AsylbLG recipients of the latest month, one row per person (A of AKDN × ALW).
    pub recipients: Vec<LinkRecord>,
    recipient_places: Vec<String>,
    /// Pupils of the SchILD files without exact duplicates and leavers (A of SchILD × ALW).
    pub pupils: Vec<LinkRecord>,
    pupil_forms: Vec<String>,
    /// Per pupil: key in `raum` of the SchILD address.
    pupil_places: Vec<String>,
    /// Per pupil: keys in `geschlecht` and `geschlecht_zugeordnet`.
    pupil_sexes: Vec<[&'static str; 2]>,
    schild_loaded: bool,
}

/// The keys of every A record in the linked tables under a set of links: `None` where the
/// record is not counted in that table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordKeys {
    /// Per AsylbLG recipient: `[raum, alw_kategorie]`.
    pub asylblg: Vec<Option<Vec<String>>>,
    /// Per pupil: `[schulform, schueler]` (`gefluechtete` or `uebrige`).
    pub pupils_by_form: Vec<Option<Vec<String>>>,
    /// Per pupil: `[raum, kategorie]` for refugee pupils (raum of the linked ALW record).
    pub refugee_pupils_by_place: Vec<Option<Vec<String>>>,
    /// Per pupil: the key in the universe of the pupils ([`super::pupils::DIMS`]).
    pub pupils: Vec<Option<Vec<String>>>,
    /// Per ALW refugee: `[raum, kategorie]` if not matched with a resident registered at the
    /// Stichtag (no match, or the match is deregistered).
    pub alw_unmatched: Vec<Option<Vec<String>>>,
}

/// The counts of the linked tables; a table is `None` when its registers were not loaded.
#[derive(Clone, Debug, Default)]
pub struct LinkedCounts {
    /// The AKDN month of the AsylbLG table.
    pub akdn_month: Option<YearMonth>,
    /// `[raum, alw_kategorie]` -> AsylbLG recipients.
    pub asylblg: Option<Counter>,
    /// `[schulform, schueler]` -> pupils (refugees and the others).
    pub pupils_by_form: Option<Counter>,
    /// `[raum, kategorie]` -> refugee pupils.
    pub pupils_by_place: Option<Counter>,
    /// `[raum, kategorie]` -> ALW refugees without a Meldewesen match.
    pub alw_unmatched: Option<Counter>,
    /// The universe of the pupils ([`super::pupils::DIMS`]) -> pupils.
    pub pupils: Option<Counter>,
}

/// The AKDN rows of `month`, one per person, decided as the monthly series does
/// ([`AkdnPersons`]), and like the series only persons whose PKS `pks` knows: the linked
/// tables' totals equal the series' month, so no difference between them reveals the persons
/// with an unmapped PKS (they are counted on the Qualität page).
pub(crate) fn recipients_of<'a>(
    dataset: &'a Dataset,
    month: YearMonth,
    pks: &PksMapping,
) -> Vec<&'a BenefitRecord> {
    let mut persons = AkdnPersons::default();
    dataset
        .files
        .iter()
        .flat_map(|f| match &f.records {
            Records::Akdn(rows) => rows.as_slice(),
            _ => &[],
        })
        .filter(|r| r.month == month)
        .filter(|r| matches!(persons.admit(&dataset.pool, r), PersonRow::First { .. }))
        .filter(|r| pks.get(dataset.pool.get(r.pks)).is_some())
        .collect()
}

fn registered(r: &Resident, stichtag: Option<Date>) -> bool {
    match (r.deregistered, stichtag) {
        (None, _) => true,
        (Some(left), Some(day)) => left > day,
        (Some(_), None) => false,
    }
}

/// Germans (also with a second nationality) cannot be in the foreigners register.
fn is_german(r: &Resident) -> bool {
    r.nationality == Some(NationalityCode::GERMAN)
        || r.nationality_2 == Some(NationalityCode::GERMAN)
}

fn counted_pupil(pool: &crate::intern::StringPool, p: &Pupil) -> bool {
    !LEFT_STATUS.contains(&pool.get(p.status).trim())
}

impl<'a> LinkedSources<'a> {
    /// Gathers the records of every linked pair the loaded registers allow; `None` without an
    /// ALW snapshot (every pair needs it). `index` is the address table (`None` if none was
    /// loaded).
    pub fn gather(
        dataset: &'a Dataset,
        index: Option<&'a AddressIndex>,
        refugees: &RefugeeCounts,
        grades: &SchoolGrades,
        pks: &PksMapping,
    ) -> Option<LinkedSources<'a>> {
        let pool = &dataset.pool;
        let Records::Alw(alw) = &dataset.files.get(refugees.file)?.records else {
            return None;
        };
        let mut prepared = Prepared::new(pool, index);
        let place = |b| match index {
            Some(index) => baublock_key(&index.geography, b),
            None => AreaKey::unlocated(Level::Baublock).to_string(),
        };
        let mut foreigners = Vec::with_capacity(refugees.records.len());
        let mut alw_info = Vec::with_capacity(refugees.records.len());
        let mut refugee_ids = Vec::new();
        for (i, &(row, block)) in refugees.records.iter().enumerate() {
            let Some(f) = alw.get(row as usize) else {
                continue;
            };
            let category = refugees.category(i);
            let class = match &category {
                Some((c, _)) => c.code().to_string(),
                None => UNCLASSIFIED.to_string(),
            };
            let refugee = category.filter(|(c, _)| c.is_refugee()).map(|(_, key)| key);
            if refugee.is_some() {
                refugee_ids.push(foreigners.len() as u32);
            }
            foreigners.push(prepared.record(
                f.origin,
                &f.names,
                f.birth_date,
                Some(f.sex),
                &f.address,
            ));
            alw_info.push(AlwInfo {
                class,
                refugee,
                place: place(block),
            });
        }
        let refugee_records = refugee_ids
            .iter()
            .filter_map(|&i| foreigners.get(i as usize).copied())
            .collect();

        let mut resident_registered = Vec::new();
        let residents = super::current_snapshot(dataset, |r| matches!(r, Records::Meldewesen(_)))
            .and_then(|file| match &file.records {
                Records::Meldewesen(rows) => Some(
                    rows.iter()
                        .filter(|r| !is_german(r))
                        .map(|r| {
                            resident_registered.push(registered(r, file.report.reference_date));
                            prepared.record(
                                r.origin,
                                &r.names,
                                r.birth_date,
                                Some(r.sex),
                                &r.address,
                            )
                        })
                        .collect(),
                ),
                _ => None,
            });

        let akdn_month = dataset
            .files
            .iter()
            .flat_map(|f| match &f.records {
                Records::Akdn(rows) => rows.as_slice(),
                _ => &[],
            })
            .map(|r| r.month)
            .max();
        let month_rows = akdn_month
            .map(|m| recipients_of(dataset, m, pks))
            .unwrap_or_default();
        let recipient_places = match index {
            Some(index) => {
                let (located, _) = index.locate_all(pool, month_rows.iter().map(|r| &r.address));
                located.into_iter().map(place).collect()
            }
            None => vec![place(None); month_rows.len()],
        };
        let recipients = month_rows
            .iter()
            .map(|r| prepared.record(r.origin, &r.names, r.birth_date, r.sex, &r.address))
            .collect();

        let mut keys = super::PersonKeys::new(pool);
        let mut seen = hashbrown::HashSet::new();
        let mut pupils = Vec::new();
        let mut pupil_forms = Vec::new();
        let mut pupil_places = Vec::new();
        let mut pupil_sexes = Vec::new();
        let mut schild_loaded = false;
        for file in &dataset.files {
            let Records::Schild(rows) = &file.records else {
                continue;
            };
            schild_loaded = true;
            for p in rows {
                if !counted_pupil(pool, p) || !seen.insert(keys.key(&p.names, p.birth_date)) {
                    continue;
                }
                pupil_forms.push(grades.key(pool.get(p.school_form), pool.get(p.grade)));
                let record = prepared.record(p.origin, &p.names, p.birth_date, p.sex, &p.address);
                pupil_places.push(place(record.baublock.map(crate::locate::BaublockId)));
                let sex = p.sex.unwrap_or(crate::records::Sex::Unspecified);
                pupil_sexes.push([sex_key(sex), assigned_sex(sex, p.birth_date)]);
                pupils.push(record);
            }
        }
        Some(LinkedSources {
            prepared,
            akdn_month,
            foreigners,
            alw_info,
            refugees: refugee_ids,
            refugee_records,
            residents,
            resident_registered,
            recipients,
            recipient_places,
            pupils,
            pupil_forms,
            pupil_places,
            pupil_sexes,
            schild_loaded,
        })
    }

    /// The A and B records of `pair`, `None` if one side was not loaded.
    pub fn sides(&self, pair: LinkPair) -> Option<(&[LinkRecord], &[LinkRecord])> {
        match pair {
            LinkPair::AlwMeldewesen => self
                .residents
                .as_deref()
                .map(|b| (self.refugee_records.as_slice(), b)),
            LinkPair::AkdnAlw => self
                .akdn_month
                .map(|_| (self.recipients.as_slice(), self.foreigners.as_slice())),
            LinkPair::SchildAlw => self
                .schild_loaded
                .then_some((self.pupils.as_slice(), self.foreigners.as_slice())),
        }
    }

    /// Links every pair whose registers were loaded.
    pub fn link(&self, options: &LinkOptions) -> (Links, Vec<LinkQuality>) {
        self.link_pairs(None, &LinkPair::ALL, options)
    }

    /// True if SchILD files were loaded.
    pub fn schild_loaded(&self) -> bool {
        self.schild_loaded
    }

    /// Links only `pair` (if its registers were loaded); the other pairs stay `None`.
    pub fn link_only(&self, pair: LinkPair, options: &LinkOptions) -> Links {
        self.link_pairs(None, &[pair], options).0
    }

    /// Links every pair whose registers were loaded; with `dataset`, also lists the pairs
    /// for review ([`ReviewList`]) in the result's third part.
    pub fn link_with_review(
        &self,
        dataset: &Dataset,
        options: &LinkOptions,
    ) -> (Links, Vec<LinkQuality>, Vec<ReviewList>) {
        let mut review = Vec::new();
        let (links, quality) =
            self.link_pairs(Some((dataset, &mut review)), &LinkPair::ALL, options);
        (links, quality, review)
    }

    /// The review list of one linkage.
    fn review_list(
        &self,
        dataset: &Dataset,
        pair: LinkPair,
        a: &[LinkRecord],
        b: &[LinkRecord],
        linkage: &Linkage,
    ) -> ReviewList {
        let mut band = linkage.review.clone();
        band.sort_by(|x, y| y.weight.total_cmp(&x.weight));
        let mut above = linkage.matches.clone();
        above.sort_by(|x, y| x.weight.total_cmp(&y.weight));
        let chosen = band
            .iter()
            .take(MAX_REVIEW_BAND)
            .map(|m| (m, ReviewKind::Band))
            .chain(
                above
                    .iter()
                    .take(MAX_JUST_ABOVE)
                    .map(|m| (m, ReviewKind::JustAbove)),
            );
        let pairs = chosen
            .filter_map(|(m, kind)| {
                let (ra, rb) = (a.get(m.a as usize)?, b.get(m.b as usize)?);
                let e = explain(&self.prepared, &linkage.model, ra, rb);
                Some(ReviewPair {
                    a: RowRef::of(dataset, ra.origin),
                    b: RowRef::of(dataset, rb.origin),
                    kind,
                    weight: e.total,
                    probability: e.probability(),
                    prior: e.prior_weight,
                    swapped: e.swapped,
                    comparisons: e
                        .parts
                        .iter()
                        .map(|p| ReviewComparison {
                            comparison: p.comparison.label().to_string(),
                            level: p
                                .level
                                .map_or("fehlt", |l| p.comparison.level_label(l))
                                .to_string(),
                            weight: p.weight,
                            term_frequency: p.term_frequency,
                        })
                        .collect(),
                })
            })
            .collect();
        ReviewList {
            pair,
            band_total: linkage.review.len(),
            pairs,
        }
    }

    fn link_pairs(
        &self,
        mut review: Option<(&Dataset, &mut Vec<ReviewList>)>,
        pairs: &[LinkPair],
        options: &LinkOptions,
    ) -> (Links, Vec<LinkQuality>) {
        let mut links = Links::default();
        let mut quality = Vec::new();
        for &pair in pairs {
            let Some((a, b)) = self.sides(pair) else {
                continue;
            };
            let linkage = link(&self.prepared, a, b, options);
            if let Some((dataset, lists)) = review.as_mut() {
                lists.push(self.review_list(dataset, pair, a, b, &linkage));
            }
            let mut partner = vec![None; a.len()];
            for m in &linkage.matches {
                if let Some(p) = partner.get_mut(m.a as usize) {
                    *p = Some(m.b);
                }
            }
            quality.push(LinkQuality {
                pair,
                summary: linkage.summary(a.len(), b.len()),
            });
            match pair {
                LinkPair::AlwMeldewesen => links.alw_meldewesen = Some(partner),
                LinkPair::AkdnAlw => links.akdn_alw = Some(partner),
                LinkPair::SchildAlw => links.schild_alw = Some(partner),
            }
        }
        (links, quality)
    }

    fn alw(&self, b: Option<u32>) -> Option<&AlwInfo> {
        b.and_then(|b| self.alw_info.get(b as usize))
    }

    /// The table keys of every A record under `links`.
    pub fn keys(&self, links: &Links) -> RecordKeys {
        let mut keys = RecordKeys::default();
        if let Some(partners) = &links.akdn_alw {
            keys.asylblg = self
                .recipient_places
                .iter()
                .enumerate()
                .map(|(i, place)| {
                    let class = self
                        .alw(partners.get(i).copied().flatten())
                        .map_or(NO_MATCH, |info| info.class.as_str());
                    Some(vec![place.clone(), class.to_string()])
                })
                .collect();
        }
        if let Some(partners) = &links.schild_alw {
            let refugee: Vec<Option<&AlwInfo>> = (0..self.pupils.len())
                .map(|i| {
                    self.alw(partners.get(i).copied().flatten())
                        .filter(|info| info.refugee.is_some())
                })
                .collect();
            keys.pupils_by_form = refugee
                .iter()
                .zip(&self.pupil_forms)
                .map(|(info, form)| Some(vec![form.clone(), status(info.is_some()).to_owned()]))
                .collect();
            keys.pupils = refugee
                .iter()
                .enumerate()
                .map(|(i, info)| {
                    let (place, category) = match info {
                        Some(info) => {
                            (info.place.clone(), info.refugee.clone().unwrap_or_default())
                        }
                        None => (self.pupil_places[i].clone(), NO_REFUGEE_CATEGORY.to_owned()),
                    };
                    let [sex, assigned] = self.pupil_sexes[i];
                    Some(vec![
                        self.pupil_forms[i].clone(),
                        status(info.is_some()).to_owned(),
                        place,
                        category,
                        sex.to_owned(),
                        assigned.to_owned(),
                    ])
                })
                .collect();
            keys.refugee_pupils_by_place = refugee
                .iter()
                .map(|info| {
                    info.and_then(|info| {
                        info.refugee
                            .as_ref()
                            .map(|k| vec![info.place.clone(), k.clone()])
                    })
                })
                .collect();
        }
        if let Some(partners) = &links.alw_meldewesen {
            keys.alw_unmatched = self
                .refugees
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    let partner = partners.get(i).copied().flatten();
                    if partner.is_some_and(|r| {
                        self.resident_registered
                            .get(r as usize)
                            .copied()
                            .unwrap_or(false)
                    }) {
                        return None;
                    }
                    let info = self.alw_info.get(b as usize)?;
                    info.refugee
                        .as_ref()
                        .map(|k| vec![info.place.clone(), k.clone()])
                })
                .collect();
        }
        keys
    }

    /// Counts the linked tables under `links`.
    pub fn count(&self, links: &Links) -> LinkedCounts {
        let keys = self.keys(links);
        let add_all = |rows: &[Option<Vec<String>>], counter: &mut Counter| {
            for key in rows.iter().flatten() {
                *counter.entry(key.clone()).or_default() += 1;
            }
        };
        let mut counts = LinkedCounts {
            akdn_month: self.akdn_month,
            ..LinkedCounts::default()
        };
        if links.akdn_alw.is_some() {
            let mut c = Counter::new();
            add_all(&keys.asylblg, &mut c);
            counts.asylblg = Some(c);
        }
        if links.schild_alw.is_some() {
            let mut by_form = Counter::new();
            add_all(&keys.pupils_by_form, &mut by_form);
            let mut by_place = Counter::new();
            add_all(&keys.refugee_pupils_by_place, &mut by_place);
            let mut pupils = Counter::new();
            add_all(&keys.pupils, &mut pupils);
            counts.pupils_by_form = Some(by_form);
            counts.pupils_by_place = Some(by_place);
            counts.pupils = Some(pupils);
        }
        if links.alw_meldewesen.is_some() {
            let mut c = Counter::new();
            add_all(&keys.alw_unmatched, &mut c);
            counts.alw_unmatched = Some(c);
        }
        counts
    }
}

impl LinkedCounts {
    /// Links the registers with the default options and counts the linked tables; records
    /// the linkage quality and notes on missing registers in `quality`. `None` without an ALW
    /// snapshot.
    pub fn compute(
        dataset: &Dataset,
        index: Option<&AddressIndex>,
        refugees: Option<&RefugeeCounts>,
        grades: &SchoolGrades,
        pks: &PksMapping,
        quality: &mut Quality,
    ) -> Option<LinkedCounts> {
        let Some(refugees) = refugees else {
            quality.notes.push(
                "Kein Ausländerwesen (EWO-ALW) geladen: die verknüpften Tabellen fehlen.".into(),
            );
            return None;
        };
        let sources = LinkedSources::gather(dataset, index, refugees, grades, pks)?;
        if sources.residents.is_none() {
            quality.notes.push(
                "Kein Meldewesen geladen: die Tabelle der Geflüchteten ohne Treffer im Meldewesen fehlt."
                    .into(),
            );
        }
        if sources.akdn_month.is_none() {
            quality.notes.push(
                "Keine AKDN-Dateien geladen: die Tabelle der AsylbLG-Empfänger nach Kategorie und Stadtteil fehlt."
                    .into(),
            );
        }
        if !sources.schild_loaded {
            quality.notes.push(
                "Keine SchILD-Dateien geladen: die Tabellen der geflüchteten Schülerinnen und Schüler fehlen."
                    .into(),
            );
        } else {
            let forms = &sources.pupil_forms;
            if forms.iter().any(|k| k.starts_with("ohne|")) {
                quality.notes.push(
                    "Für einige SchILD-Dateien ist die Schulform unbekannt: Zeile „Schulform unbekannt“. Bitte die Schulform je Datei angeben."
                        .into(),
                );
            }
            let rows_of_the_list = [
                (
                    format!("{OTHER_FORMS}|"),
                    "an einer Schulform, die die Jahrgangsliste nicht führt: Zeile „sonstige Schulformen“",
                ),
                (
                    format!("|{OTHER_GRADE}"),
                    "mit einem Jahrgang, den die Jahrgangsliste für ihre Schulform nicht kennt (oder ohne Jahrgang): Zeile „sonstiger oder unbekannter Jahrgang“",
                ),
            ];
            for (marker, what) in rows_of_the_list {
                let n = forms.iter().filter(|k| k.contains(marker.as_str())).count();
                if n > 0 {
                    quality.notes.push(format!(
                        "SchILD: {} Schülerinnen und Schüler {what}.",
                        crate::format::count(n as u64)
                    ));
                }
            }
        }
        let (links, linkage, review) = sources.link_with_review(dataset, &LinkOptions::default());
        quality.linkage = linkage.clone();
        quality.review = review;
        quality.akdn_month = sources.akdn_month;
        Some(sources.count(&links))
    }

    /// Counts a linked table into its layout, with the registers it counts from; `None` if its
    /// registers were not loaded or the key is not a linked table.
    pub fn table(
        &self,
        def: &TableDef,
        dims: &Dimensions,
        sources: &Sources,
    ) -> Option<Result<(Table, Vec<Provenance>), TabulateError>> {
        let akdn = self.akdn_month.map(|m| Provenance {
            source: crate::import::SourceKind::Akdn,
            period: Period::Months(m, m),
        });
        let (counter, axes, registers): (&Counter, [&str; 2], Vec<Provenance>) = match def.counts {
            Counts::AsylblgVerknuepft => (
                self.asylblg.as_ref()?,
                ["raum", "alw_kategorie"],
                [akdn, Some(sources.alw), Some(sources.gliederung)]
                    .into_iter()
                    .flatten()
                    .collect(),
            ),
            Counts::SchuelerSchulform => (
                self.pupils_by_form.as_ref()?,
                ["schulform", "schueler"],
                vec![sources.schild, sources.alw],
            ),
            Counts::SchuelerRaum => (
                self.pupils_by_place.as_ref()?,
                ["raum", "kategorie"],
                vec![sources.schild, sources.alw, sources.gliederung],
            ),
            Counts::AlwOhneMeldewesen => (
                self.alw_unmatched.as_ref()?,
                ["raum", "kategorie"],
                vec![sources.alw, sources.ewo, sources.gliederung],
            ),
            _ => return None,
        };
        let mut def = def.clone();
        if def.counts == Counts::AsylblgVerknuepft
            && let Some(month) = self.akdn_month
        {
            def.notes
                .insert(0, format!("AKDN-Monat: {:02}/{}.", month.month, month.year));
        }
        Some(count_into(&def, dims, counter, &axes).map(|t| (t, registers)))
    }
}

/// Whether a linked table needs the address table (its rows are places).
pub fn needs_places(counts: Counts) -> bool {
    matches!(
        counts,
        Counts::AsylblgVerknuepft | Counts::SchuelerRaum | Counts::AlwOhneMeldewesen
    )
}
