//! SchILD `SchuelerBasisdaten.dat` (pipe-separated, fixed column layouts).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    lagebild_fuzz::import_and_check("SchuelerBasisdaten.dat", data);
});
