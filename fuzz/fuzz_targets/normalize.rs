//! Address normalisation (street, house number) and name normalisation with Kölner Phonetik.
#![no_main]

use lagebild_core::link::normalize::normalize_name;
use lagebild_core::link::phonetic::koelner_phonetik;
use lagebild_core::locate::{normalize_street, parse_house_number};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (number, suffix) = text.split_at(
        text.char_indices()
            .nth(text.chars().count() / 2)
            .map_or(text.len(), |(i, _)| i),
    );

    let street = normalize_street(&text);
    assert!(
        street.chars().all(char::is_alphanumeric),
        "only letters and digits"
    );
    // Punctuation after a street does not change it (found by this target: `…straße\u{fffd}+`).
    assert_eq!(
        normalize_street(&format!("{text},")),
        street,
        "trailing punctuation"
    );

    if let Some(house) = parse_house_number(number, suffix) {
        assert!(
            !house.suffix.chars().any(char::is_whitespace),
            "suffix without spaces"
        );
    }

    let name = normalize_name(&text);
    assert_eq!(name.tokens.len(), name.token_phonetics.len());
    if name.full.is_empty() {
        assert!(name.is_empty());
    }
    let code = koelner_phonetik(&text);
    assert!(
        code.chars().all(|c| c.is_ascii_digit()),
        "Kölner Phonetik yields digits"
    );
});
