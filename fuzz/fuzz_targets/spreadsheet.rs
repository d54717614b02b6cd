//! The spreadsheet reader wrapper: XLSX, XLS and ODS bytes through the importer.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, body) = match data.split_first() {
        Some((b, rest)) => (
            match b % 3 {
                0 => "AKDN_2017-11.xlsx",
                1 => "ALW_20261031.xls",
                _ => "EWO_20261031.ods",
            },
            rest,
        ),
        None => ("leer.xlsx", data),
    };
    lagebild_fuzz::import_and_check(name, body);
});
