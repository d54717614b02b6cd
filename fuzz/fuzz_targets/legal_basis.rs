//! The legal-basis parser (`§ 25 Abs. 2 AufenthG`, `60a AufenthG`, …).
#![no_main]

use lagebild_core::classify::LegalBasis;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(basis) = LegalBasis::parse(&text) {
        // Whatever was understood can be named.
        assert!(!basis.law_as_cited().is_empty());
        let _ = format!("{basis:?}");
    }
});
