//! Settings loaders: saved column mappings (JSON), GeoJSON maps, classification rules and PKS
//! mappings (TOML).
#![no_main]

use lagebild_core::classify::{PksMapping, Rules};
use lagebild_core::geo::AreaMap;
use lagebild_core::import::MappingSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    match selector % 4 {
        0 => {
            if let Ok(set) = MappingSet::from_json(&text) {
                // What was read can be saved and read back unchanged.
                let again = MappingSet::from_json(&set.to_json()).expect("round trip");
                assert_eq!(again, set);
            }
        }
        1 => {
            if let Ok(map) = AreaMap::from_geojson("stadtteile.geojson", body) {
                let _ = map.bounds();
            }
        }
        2 => {
            let _ = Rules::from_toml(&text);
        }
        _ => {
            let _ = PksMapping::from_toml(&text);
        }
    }
});
