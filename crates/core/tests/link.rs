//! Record linkage (issue 7) on the synthetic city: ALW × Meldewesen, AKDN × ALW and
//! SchILD × ALW scored against the ground truth, plus the API on hand-made records.

use std::sync::OnceLock;

use lagebild_core::intern::StringPool;
use lagebild_core::link::eval::{CityEval, Quality, Selection, Truth, evaluate_city};
use lagebild_core::link::{LinkOptions, LinkRecord, Prepared, explain, link};
use lagebild_core::records::{Address, BirthDate, Names, Origin, Sex};
use lagebild_synth::{Config, Output, Scale, generate};

fn evaluate(out: &Output) -> CityEval {
    let manifest = out.file("manifest.json").expect("manifest.json");
    let selection = Selection::from_manifest(&manifest.bytes).expect("Auswahl");
    let truth = Truth::parse(&out.file("truth/records.csv").expect("truth").bytes).expect("truth");
    let mut read = |path: &str| {
        out.file(path)
            .map(|f| f.bytes.clone())
            .ok_or_else(|| format!("{path} fehlt"))
    };
    evaluate_city(
        &selection,
        &mut read,
        &truth,
        &LinkOptions::default(),
        &|| 0.0,
    )
    .expect("Auswertung")
}

fn tiny() -> &'static CityEval {
    static EVAL: OnceLock<CityEval> = OnceLock::new();
    EVAL.get_or_init(|| evaluate(&generate(&Config::new(Scale::Tiny)).expect("tiny city")))
}

fn demo() -> &'static CityEval {
    static EVAL: OnceLock<CityEval> = OnceLock::new();
    EVAL.get_or_init(|| evaluate(&generate(&Config::new(Scale::Demo)).expect("demo city")))
}

fn print(eval: &CityEval) {
    for p in &eval.pairs {
        let q = p.quality;
        println!(
            "{}: {:?} P {:.4} R {:.4} F1 {:.4} ({} / {} / {}), Kandidaten {}, Prüfband {}",
            p.name,
            p.records,
            q.precision(),
            q.recall(),
            q.f1(),
            q.correct,
            q.predicted,
            q.possible,
            p.candidate_pairs,
            p.review
        );
    }
}

fn check(eval: &CityEval, goals: [f64; 3]) {
    print(eval);
    for (p, goal) in eval.pairs.iter().zip(goals) {
        assert!(p.quality.possible > 0, "{}: keine wahren Paare", p.name);
        assert!(
            p.quality.f1() >= goal,
            "{}: F1 {:.4} < {goal}",
            p.name,
            p.quality.f1()
        );
        assert_eq!(p.rules.len(), 4);
        // EM converges (max. parameter change below 1e-4) well before its limit.
        assert!(
            p.em_iterations < LinkOptions::default().em_iterations,
            "{}: EM-Iterationen {}",
            p.name,
            p.em_iterations
        );
        let new: u64 = p.rules.iter().map(|r| r.new_pairs).sum();
        assert_eq!(new as usize, p.candidate_pairs, "{}", p.name);
    }
}

#[test]
fn tiny_city_links_against_the_truth() {
    check(tiny(), [0.98, 0.98, 0.98]);
}

#[test]
fn demo_city_links_against_the_truth() {
    check(demo(), [0.995, 0.995, 0.99]);
}

/// Hand-made records: spellings, swaps and partial dates that must still link, and
/// explanations that add up.
#[test]
fn variants_link_and_explanations_add_up() {
    let mut pool = StringPool::new();
    let rec = |pool: &mut StringPool, f: &str, g: &str, d: (u8, u8, u16), sex: Sex| {
        let names = Names {
            family: pool.intern(f),
            given: pool.intern(g),
            birth: pool.intern(""),
        };
        (
            names,
            BirthDate {
                day: d.0,
                month: d.1,
                year: d.2,
            },
            sex,
        )
    };
    let a_src = [
        rec(
            &mut pool,
            "Müller",
            "Anna Maria",
            (14, 3, 1990),
            Sex::Female,
        ),
        rec(&mut pool, "Yılmaz", "Mehmet", (0, 0, 1985), Sex::Male),
        rec(&mut pool, "Ahmad", "Mohammed Ali", (3, 7, 2001), Sex::Male),
        rec(&mut pool, "Łukasiewicz", "Piotr", (0, 5, 1979), Sex::Male),
        rec(&mut pool, "Okafor", "Chidi", (5, 5, 2000), Sex::Male),
    ];
    let b_src = [
        rec(&mut pool, "MUELLER", "Maria", (14, 3, 1990), Sex::Female),
        rec(&mut pool, "Yilmaz", "Mehmet", (1, 1, 1985), Sex::Male),
        rec(&mut pool, "Mohammed Ali", "Ahmad", (7, 3, 2001), Sex::Male),
        rec(&mut pool, "?ukasiewicz", "Piotr", (12, 5, 1979), Sex::Male),
        rec(&mut pool, "Berhe", "Amanuel", (10, 10, 1984), Sex::Male),
    ];
    let mut prepared = Prepared::new(&pool, None);
    let side = |prepared: &mut Prepared<'_>, src: &[(Names, BirthDate, Sex)], file: u32| {
        src.iter()
            .enumerate()
            .map(|(i, (n, d, s))| {
                let origin = Origin {
                    file,
                    sheet: 0,
                    row: i as u32 + 2,
                };
                prepared.record(origin, n, *d, Some(*s), &Address::default())
            })
            .collect::<Vec<LinkRecord>>()
    };
    let a = side(&mut prepared, &a_src, 0);
    let b = side(&mut prepared, &b_src, 1);
    let options = LinkOptions {
        random_pairs: 1_000,
        ..LinkOptions::default()
    };
    let linkage = link(&prepared, &a, &b, &options);
    // With five records the prior of the model (default m) carries EM. Every true pair is a
    // candidate (the four blocking rules together), is matched, and outweighs the unrelated
    // one.
    assert_eq!(linkage.rules.len(), 4);
    assert!(linkage.candidate_pairs >= 4);
    assert!(linkage.matches.iter().all(|m| m.a == m.b));
    let mut got: Vec<(u32, u32)> = linkage.matches.iter().map(|m| (m.a, m.b)).collect();
    got.sort_unstable();
    assert_eq!(got, [(0, 0), (1, 1), (2, 2), (3, 3)]);
    let persons: Vec<Option<u32>> = (0..5).map(Some).collect();
    let q = Quality::evaluate(&persons, &persons, &linkage.matches);
    assert_eq!(q.possible, 5);
    assert_eq!(q.correct, q.predicted);
    let unrelated = explain(&prepared, &linkage.model, &a[4], &b[4]).total;
    for i in 0..4 {
        assert!(explain(&prepared, &linkage.model, &a[i], &b[i]).total > unrelated);
    }
    let wildcard = explain(&prepared, &linkage.model, &a[3], &b[3]);
    assert_eq!(wildcard.parts[0].level, Some(3), "? passt auf Ł");
    assert_eq!(wildcard.parts[2].level, Some(3), "00.05. passt auf 12.05.");
    for m in &linkage.matches {
        let e = explain(
            &prepared,
            &linkage.model,
            &a[m.a as usize],
            &b[m.b as usize],
        );
        assert!((e.total - m.weight).abs() < 1e-9);
        let sum: f64 = e.parts.iter().map(|p| p.weight).sum::<f64>() + e.prior_weight;
        assert!((sum - e.total).abs() < 1e-9);
        assert!(e.to_string().contains("Geburtsdatum"));
    }
    let summary = linkage.summary(a.len(), b.len());
    assert_eq!((summary.matches, summary.records), (4, (5, 5)));
    assert!((summary.match_rate_a - 0.8).abs() < 1e-12);
    assert_eq!(linkage.unmatched_a(a.len()), [4]);
    let swapped = explain(&prepared, &linkage.model, &a[2], &b[2]);
    assert!(swapped.swapped);
    assert_eq!(swapped.parts[0].level, Some(3));
    assert_eq!(swapped.parts[1].level, Some(3));
    assert_eq!(swapped.parts[2].level, Some(2), "Tag und Monat vertauscht");
    let year_only = explain(&prepared, &linkage.model, &a[1], &b[1]);
    assert_eq!(
        year_only.parts[2].level,
        Some(3),
        "00.00.1985 passt auf 01.01.1985"
    );
}
