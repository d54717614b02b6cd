//! CSV/TXT reading: encodings, delimiter sniffing, header search, record building.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name so both extensions and the name-derived dates are hit.
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("EWO_Bestand_20261031.csv", rest),
        Some((_, rest)) => ("AKDN_2017-11.txt", rest),
        None => ("leer.csv", data),
    };
    lagebild_fuzz::import_and_check(name, body);
});
