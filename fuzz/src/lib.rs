//! Shared checks of the fuzz targets: every import must account for each row it read, and
//! never need much more memory than the estimate the browser refuses files by (an 11 KB ODS
//! once needed 6 GB where the estimate said 65 MB).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use lagebild_core::import::{Dataset, ImportOptions, ImportedFile, Importer, estimate_sample};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the system allocator's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = IN_USE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Memory an import may need beyond its estimate: the estimate is for large files; a small one
/// needs its report, the text pool and the readers' buffers.
const SLACK_BYTES: usize = 64 << 20;

/// One importer for all inputs: building the field catalog per input would dominate the time.
fn importer() -> &'static Importer {
    static IMPORTER: OnceLock<Importer> = OnceLock::new();
    IMPORTER.get_or_init(Importer::default)
}

/// Imports `bytes` as `name` into a fresh dataset and checks the report's invariants.
pub fn import_and_check(name: &str, bytes: &[u8]) {
    let importer = importer();
    let estimate = estimate_sample(name, bytes.len() as u64, bytes);
    let mut dataset = Dataset::default();
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let file = importer.import(&mut dataset, name, bytes, &ImportOptions::default());
    let needed = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    check(file);
    // The estimate is an upper bound (with room for small files), and a file it refuses is one
    // the import refuses too.
    let bound = usize::try_from(estimate.peak_bytes)
        .unwrap_or(usize::MAX)
        .saturating_mul(2)
        .saturating_add(SLACK_BYTES);
    assert!(
        needed <= bound,
        "the import needed {needed} bytes, the estimate said {} ({estimate:?})",
        estimate.peak_bytes
    );
    if let Some(reason) = &estimate.refused {
        assert!(file.report.error.is_some(), "refused by the estimate ({reason}), read by the import");
    }
    // A second file of the same run must not be affected by the first.
    let file = importer.import(
        &mut dataset,
        "zweite.csv",
        GOOD_CSV,
        &ImportOptions::default(),
    );
    assert!(file.report.error.is_none(), "{}", file.report);
    assert_eq!(file.records.len(), 1, "{}", file.report);
}

/// A small valid Meldewesen file imported after each fuzzed input.
const GOOD_CSV: &[u8] = "Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus\nMüller;Eva;01.02.1980;w;deutsch;Ringstraße;2;H\n".as_bytes();

/// The invariants of one imported file.
pub fn check(file: &ImportedFile) {
    let report = &file.report;
    // Display must not panic and must say something.
    assert!(!report.to_string().is_empty());
    if let Some(error) = &report.error {
        assert!(!error.to_string().is_empty());
        assert!(file.records.is_empty());
        return;
    }
    assert_eq!(
        report.rows_accepted + report.rows_rejected(),
        report.rows_read,
        "accepted + rejected = read"
    );
    assert_eq!(report.rows_accepted as usize, file.records.len());
}
