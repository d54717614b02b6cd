//! The resident population of one Stadtteil besides the refugee households: German and
//! foreign households at every address, movers, persons who left or died in the past year and
//! persons with a Nebenwohnung. Generated per Stadtteil from its own random stream, so the
//! metropolis can be written one Stadtteil at a time.

use crate::city::City;
use crate::date::Date;
use crate::legal::StatusId;
use crate::names::{Group, Names, Sex};
use crate::people::{Dwelling, Marital, Person, Precision, birth_for_age, sample_age, sample_sex};
use crate::rng::{Rng, tag};

/// Id offset of persons of chunk `k` (refugee persons have ids below 10 million).
pub(crate) fn id_base(k: usize) -> u32 {
    (k as u32 + 1) * 10_000_000
}

/// Non-refugee foreign residents: (Destatis key, weight).
const FOREIGN_MIX: [(u16, f64); 31] = [
    (163, 30.0),
    (154, 9.0),
    (125, 9.0),
    (152, 8.0),
    (134, 4.0),
    (137, 4.0),
    (150, 3.0),
    (170, 3.0),
    (122, 2.0),
    (144, 2.0),
    (130, 1.5),
    (160, 2.0),
    (166, 1.5),
    (475, 1.5),
    (438, 1.0),
    (451, 2.5),
    (252, 2.0),
    (121, 1.0),
    (232, 1.0),
    (238, 1.0),
    (439, 1.0),
    (161, 1.0),
    (153, 0.5),
    (148, 1.0),
    (151, 0.5),
    (165, 1.0),
    (285, 0.5),
    (287, 0.5),
    (221, 0.5),
    (430, 0.5),
    (146, 0.5),
];

/// German residents by naming group, with the share holding a second nationality.
const GERMAN_MIX: [(Group, f64, u16, f64); 7] = [
    (Group::De, 82.0, 0, 0.0),
    (Group::Tr, 7.0, 163, 0.4),
    (Group::Pl, 4.0, 152, 0.5),
    (Group::Ru, 4.0, 160, 0.25),
    (Group::Bs, 1.0, 122, 0.2),
    (Group::Ar, 1.0, 451, 0.2),
    (Group::It, 1.0, 137, 0.3),
];

const EU: [u16; 12] = [154, 125, 152, 134, 137, 130, 161, 153, 148, 151, 165, 129];

/// What the generator needs to know about the Stadtteil.
pub(crate) struct ChunkInput<'a> {
    pub city: &'a City,
    pub names: &'a Names,
    pub seed: u64,
    pub stichtag: Date,
    pub k: usize,
    /// Refugee-simulation households living at each address of the city at the Stichtag.
    pub refugee_households_at: &'a [u16],
    /// Refugee-simulation residents of the Stadtteil (and how many are foreigners).
    pub refugee_residents: u32,
    pub refugee_foreigners: u32,
}

struct Gen<'a> {
    input: &'a ChunkInput<'a>,
    rng: Rng,
    persons: Vec<Person>,
    next_id: u32,
    next_household: u32,
    foreign_share: f64,
}

/// Residence statuses of a non-refugee foreigner.
fn foreign_status(
    nat: u16,
    age: i32,
    entry: Date,
    s: Date,
    rng: &mut Rng,
) -> Vec<(Date, StatusId)> {
    use StatusId::*;
    if EU.contains(&nat) {
        return vec![(entry, FreizuegEu)];
    }
    let years = entry.years_until(s);
    if age < 18 {
        return if years >= 5 && rng.chance(0.3) {
            vec![(entry, Ae32), (entry.add_months(60), Ne9)]
        } else {
            vec![(entry, Ae32)]
        };
    }
    let pick = |rng: &mut Rng, opts: &[(StatusId, f64)]| {
        let w: Vec<f64> = opts.iter().map(|o| o.1).collect();
        opts[rng.weighted(&w)].0
    };
    let first = match nat {
        163 => pick(
            rng,
            &[
                (Ae30, 30.0),
                (Ae28, 20.0),
                (Arb, 25.0),
                (Ae16b, 8.0),
                (BlaueKarte, 5.0),
                (Ae18b, 5.0),
                (Visum, 2.0),
                (Fiktion, 5.0),
            ],
        ),
        150 | 170 | 122 | 144 | 121 | 140 => pick(
            rng,
            &[
                (Ae19c, 30.0),
                (Ae28, 15.0),
                (Ae30, 25.0),
                (Fiktion, 8.0),
                (Visum, 7.0),
                (Ae18a, 5.0),
            ],
        ),
        160 | 166 | 169 | 430 => pick(
            rng,
            &[
                (Ae28, 20.0),
                (Ae30, 25.0),
                (Ae16b, 15.0),
                (BlaueKarte, 15.0),
                (Ae18b, 15.0),
                (Fiktion, 10.0),
            ],
        ),
        475 | 438 | 451 => pick(
            rng,
            &[(Ae30, 35.0), (Ae28, 35.0), (Ae7, 15.0), (Fiktion, 15.0)],
        ),
        _ => pick(
            rng,
            &[
                (Ae16b, 25.0),
                (Ae18a, 8.0),
                (Ae18b, 12.0),
                (BlaueKarte, 12.0),
                (Ae28, 15.0),
                (Ae30, 15.0),
                (Visum, 5.0),
                (Fiktion, 8.0),
            ],
        ),
    };
    let mut out = vec![(entry, first)];
    let settles = matches!(first, Ae28 | Ae30 | Arb | Ae19c | Ae7 | BlaueKarte | Ae18b);
    if settles && years >= 6 && rng.chance(0.7) {
        let to = if rng.chance(0.8) { Ne9 } else { DaEu9a };
        out.push((entry.add_months(rng.range(60, 96)), to));
    }
    out.retain(|(d, _)| *d <= s);
    if out.is_empty() {
        out.push((entry, first));
    }
    out
}

impl Gen<'_> {
    fn new_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        group: Group,
        sex: Sex,
        age: i32,
        nat: u16,
        nat2: Option<u16>,
        family: &str,
        household: u32,
    ) -> Person {
        let s = self.input.stichtag;
        let birth = birth_for_age(&mut self.rng, age, s);
        let given = self.input.names.given(group, sex, &mut self.rng);
        Person {
            id: self.new_id(),
            household,
            family: family.to_string(),
            birth_name: None,
            given,
            sex,
            birth,
            precision: Precision::Full,
            group,
            nationality: nat,
            nationality2: nat2,
            naturalised: None,
            marital: Marital::Ledig,
            residence: Vec::new(),
            dwelling: Dwelling::Alleinige,
            status: Vec::new(),
            entry: None,
            refugee_household: None,
            died: false,
        }
    }

    /// A household's members (not yet placed).
    fn household(&mut self, foreign: bool) -> Vec<Person> {
        let hid = self.input.k as u32 * 10_000_000 + 10_000_000 + self.next_household;
        self.next_household += 1;
        let (group, nat, nat2_code, nat2_share) = if foreign {
            let w: Vec<f64> = FOREIGN_MIX.iter().map(|x| x.1).collect();
            let nat = FOREIGN_MIX[self.rng.weighted(&w)].0;
            (Group::for_nationality(&format!("{nat:03}")), nat, 0, 0.0)
        } else {
            let w: Vec<f64> = GERMAN_MIX.iter().map(|x| x.1).collect();
            let g = GERMAN_MIX[self.rng.weighted(&w)];
            (g.0, 0u16, g.2, g.3)
        };
        let names = self.input.names;
        let family = names.family(group, &mut self.rng);
        let u = self.rng.unit();
        let (single, couple, kids_p, single_parent) = if foreign {
            (0.33, 0.20, 0.32, 0.07)
        } else {
            (0.43, 0.30, 0.15, 0.06)
        };
        let mut spec: Vec<(Sex, i32, bool)> = Vec::new();
        if u < single {
            let age = sample_age(&mut self.rng, foreign, 18, 99);
            let sex = sample_sex(&mut self.rng, if age > 75 { 0.35 } else { 0.5 });
            spec.push((sex, age, true));
        } else if u < single + couple {
            let a = sample_age(&mut self.rng, foreign, 20, 92);
            let b = (a + self.rng.range(-6, 4)).clamp(18, 99);
            spec.push((Sex::M, a, true));
            spec.push((Sex::W, b, true));
        } else if u < single + couple + kids_p || u < single + couple + kids_p + single_parent {
            let two = u < single + couple + kids_p;
            let m = sample_age(&mut self.rng, foreign, 23, 52);
            if two {
                spec.push((Sex::M, (m + self.rng.range(-1, 6)).max(20), true));
            }
            spec.push((Sex::W, m, true));
            let n = 1 + self.rng.index(if foreign { 4 } else { 3 });
            for _ in 0..n {
                let sex = if self.rng.chance(0.51) {
                    Sex::M
                } else {
                    Sex::W
                };
                spec.push((sex, self.rng.range(0, (m - 19).clamp(0, 24)), false));
            }
        } else {
            let a = sample_age(&mut self.rng, foreign, 40, 70);
            spec.push((Sex::M, a, true));
            spec.push((Sex::W, (a - self.rng.range(0, 5)).max(18), true));
            spec.push((Sex::W, (a + self.rng.range(22, 30)).min(99), true));
            spec.push((
                if self.rng.chance(0.5) { Sex::M } else { Sex::W },
                self.rng.range(18, 26),
                false,
            ));
        }
        let mut members = Vec::new();
        let nat2 = if nat2_share > 0.0 && self.rng.chance(nat2_share) {
            Some(nat2_code)
        } else {
            None
        };
        let couple = spec.iter().filter(|x| x.2).count() >= 2;
        for (i, (sex, age, adult_role)) in spec.iter().enumerate() {
            let own_family = if i == 2 && *adult_role {
                names.family(group, &mut self.rng)
            } else {
                family.clone()
            };
            let mut p = self.person(group, *sex, *age, nat, nat2, &own_family, hid);
            if *age >= 18 {
                p.marital = if couple && i < 2 {
                    if self.rng.chance(0.8) {
                        Marital::Verheiratet
                    } else {
                        Marital::Ledig
                    }
                } else if *age >= 75 && self.rng.chance(0.55) {
                    Marital::Verwitwet
                } else if *age >= 35 && self.rng.chance(0.3) {
                    Marital::Geschieden
                } else if self.rng.chance(0.004) {
                    Marital::Lebenspartnerschaft
                } else {
                    Marital::Ledig
                };
                if p.marital == Marital::Verheiratet && *sex == Sex::W && self.rng.chance(0.75) {
                    p.birth_name = Some(names.family(group, &mut self.rng));
                }
            }
            members.push(p);
        }
        members
    }

    /// Places a household at an address with a residence history ending (or not) before
    /// the Stichtag.
    fn place(&mut self, members: &mut [Person], addr: u32, left: Option<Date>) {
        let s = self.input.stichtag;
        let oldest = members.iter().map(|p| p.age_at(s)).max().unwrap_or(30);
        let foreign = members.first().is_some_and(|p| p.nationality != 0);
        // Years at the address: skewed towards recent moves.
        let u = self.rng.unit();
        let span = f64::from(oldest.clamp(1, 45));
        let days_here = (u * u * span * 365.0) as i32;
        let moved_in = left.map_or(s, |l| l.add_days(-1)).add_days(-days_here);
        let born_here = !foreign && self.rng.chance(0.55);
        let mut registered = if born_here {
            members.iter().map(|p| p.birth).min().unwrap_or(moved_in)
        } else {
            let extra = (self.rng.unit() * f64::from((oldest - 18).max(0)) * 365.0 * 0.5) as i32;
            moved_in.add_days(-extra)
        };
        if registered > moved_in {
            registered = moved_in;
        }
        let prev = if registered < moved_in {
            Some(self.rng.index(self.input.city.addresses.len()) as u32)
        } else {
            None
        };
        let entry = if foreign {
            Some(
                registered
                    .add_days(-(self.rng.below(2_000) as i32) * i32::from(self.rng.chance(0.3))),
            )
        } else {
            None
        };
        for p in members.iter_mut() {
            let mut res = Vec::new();
            let own_start = registered.max(p.birth);
            if let Some(pa) = prev
                && own_start < moved_in
            {
                res.push((own_start, Some(pa)));
            }
            res.push((moved_in.max(p.birth), Some(addr)));
            if let Some(l) = left {
                res.push((l.max(moved_in.max(p.birth).add_days(1)), None));
            }
            p.residence = res;
            if foreign {
                let e = entry.map(|e| e.max(p.birth));
                let born_in_de = p.birth >= registered;
                p.entry = if born_in_de { None } else { e };
                let issued = p.entry.unwrap_or(p.birth);
                p.status = foreign_status(p.nationality, p.age_at(s), issued, s, &mut self.rng);
            }
        }
    }
}

/// Generates the non-refugee persons of Stadtteil `input.k`.
pub(crate) fn generate(input: &ChunkInput) -> Vec<Person> {
    let city = input.city;
    let st = &city.stadtteile[input.k];
    let s = input.stichtag;
    let target = st.population;
    let others = (target - f64::from(input.refugee_residents)).max(1.0);
    let foreign_target = st.def.foreigner_share * target - f64::from(input.refugee_foreigners);
    let mut g = Gen {
        input,
        rng: Rng::derive(input.seed, &[tag::CHUNK, input.k as u64]),
        persons: Vec::new(),
        next_id: id_base(input.k),
        next_household: 0,
        foreign_share: (foreign_target / others).clamp(0.0, 0.9),
    };
    // Households at the addresses (minus refugee households living there), in a shuffled
    // order, until the Stadtteil's target population is reached; buildings left over stay
    // vacant, and if the buildings are full, further households move in anywhere.
    let target_persons = (target - f64::from(input.refugee_residents)).max(0.0);
    let target_foreign = foreign_target.max(0.0);
    let mut order: Vec<usize> = st
        .addresses
        .iter()
        .copied()
        .filter(|&a| !city.addresses[a].collective)
        .collect();
    for i in (1..order.len()).rev() {
        let j = g.rng.index(i + 1);
        order.swap(i, j);
    }
    let mut persons = 0.0f64;
    let mut foreign_persons = 0.0f64;
    let base = g.foreign_share * 0.8;
    let next_household = |g: &mut Gen, ai: usize, persons: &mut f64, foreign_persons: &mut f64| {
        let expected = target_foreign * (*persons / target_persons.max(1.0));
        let p = (base + (expected - *foreign_persons) / 20.0).clamp(0.0, 1.0);
        let foreign = g.rng.chance(p);
        let mut members = g.household(foreign);
        g.place(&mut members, ai as u32, None);
        // Occasional secondary residence elsewhere (Hauptwohnung here).
        for p in &mut members {
            if p.age_at(s) >= 18 && g.rng.chance(0.04) {
                p.dwelling = Dwelling::Haupt;
            }
        }
        *persons += members.len() as f64;
        if foreign {
            *foreign_persons += members.len() as f64;
        }
        g.persons.extend(members);
    };
    'fill: for &ai in &order {
        let addr = &city.addresses[ai];
        let slots = i64::from(addr.capacity) - i64::from(input.refugee_households_at[ai]);
        for _ in 0..slots.max(0) {
            if persons >= target_persons {
                break 'fill;
            }
            next_household(&mut g, ai, &mut persons, &mut foreign_persons);
        }
    }
    while persons < target_persons && !order.is_empty() {
        let ai = order[g.rng.index(order.len())];
        next_household(&mut g, ai, &mut persons, &mut foreign_persons);
    }
    if st.addresses.is_empty() {
        return g.persons;
    }
    // Nebenwohnungen (main residence elsewhere): students and commuters.
    let neben = (target * 0.03).round() as usize;
    for _ in 0..neben {
        let ai = st.addresses[g.rng.index(st.addresses.len())];
        let foreign = g.rng.chance(g.foreign_share * 0.7);
        let mut members = g.household(foreign);
        members.truncate(1);
        if let Some(p) = members.first_mut() {
            let age = if g.rng.chance(0.6) {
                g.rng.range(19, 30)
            } else {
                g.rng.range(31, 64)
            };
            p.birth = birth_for_age(&mut g.rng, age, s);
            p.dwelling = Dwelling::Neben;
            p.marital = Marital::Ledig;
        }
        g.place(&mut members, ai as u32, None);
        g.persons.extend(members);
    }
    // Persons who left the city or died in the year before the Stichtag.
    let departed = (target * 0.075).round() as usize;
    let mut n = 0;
    while n < departed {
        let ai = st.addresses[g.rng.index(st.addresses.len())];
        let foreign = g.rng.chance(g.foreign_share * 1.4);
        let mut members = g.household(foreign);
        if g.rng.chance(0.6) {
            members.truncate(1);
        }
        let left = s.add_days(-(g.rng.below(365) as i32));
        let old = members.first().is_some_and(|p| p.age_at(s) >= 72);
        let died = old && g.rng.chance(0.6);
        if died {
            members.truncate(1);
        }
        g.place(&mut members, ai as u32, Some(left));
        for p in &mut members {
            p.died = died;
        }
        n += members.len();
        g.persons.extend(members);
    }
    g.persons
}
