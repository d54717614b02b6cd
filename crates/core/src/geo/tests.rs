use super::*;

fn square(x: f64, y: f64, d: f64) -> String {
    format!(
        "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
        x + d,
        x + d,
        y + d,
        y + d
    )
}

fn collection(features: &[String]) -> String {
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
        features.join(",")
    )
}

fn feature(props: &str, geometry: &str) -> String {
    format!("{{\"type\":\"Feature\",\"properties\":{{{props}}},\"geometry\":{geometry}}}")
}

fn polygon(x: f64, y: f64) -> String {
    format!(
        "{{\"type\":\"Polygon\",\"coordinates\":{}}}",
        square(x, y, 0.01)
    )
}

#[test]
fn reads_stadtteile_with_polygon_and_multipolygon() {
    let multi = format!(
        "{{\"type\":\"MultiPolygon\",\"coordinates\":[{},{}]}}",
        square(7.0, 51.5, 0.01),
        square(7.1, 51.5, 0.01)
    );
    let text = collection(&[
        feature(
            "\"stadtteil_nr\":\"04\",\"stadtteil\":\"Feldmark\",\"stadtbezirk_nr\":\"1\"",
            &polygon(7.05, 51.52),
        ),
        feature("\"Stadtteil-Nr\":7,\"Stadtteil\":\"Erle\"", &multi),
    ]);
    let map = AreaMap::from_geojson("stadtteile.geojson", text.as_bytes()).unwrap();
    assert_eq!(map.level, Level::Stadtteil);
    assert_eq!(map.areas.len(), 2);
    assert_eq!(map.areas[0].key.to_string(), "st:04");
    assert_eq!(map.areas[0].label, "Feldmark");
    assert_eq!(
        map.areas[0]
            .parent
            .as_ref()
            .map(|p| p.to_string())
            .as_deref(),
        Some("bz:1")
    );
    assert_eq!(map.areas[1].key.to_string(), "st:7");
    assert_eq!(map.areas[1].polygons.len(), 2);
    // The closing point is dropped.
    assert_eq!(map.areas[0].polygons[0][0].len(), 4);
    assert_eq!(
        map.area(&key("st:4")).map(|a| a.label.as_str()),
        Some("Feldmark")
    );
    assert_eq!(
        map.area(&key("st:07")).map(|a| a.label.as_str()),
        Some("Erle")
    );
    let b = map.bounds().unwrap();
    assert!((b.min_lon - 7.0).abs() < 1e-9 && (b.max_lon - 7.11).abs() < 1e-9);
}

#[test]
fn reads_baubloecke_in_utm_and_detects_the_crs() {
    let utm = "{\"type\":\"Polygon\",\"coordinates\":[[[366800,5712000],[366900,5712000],[366900,5712100],[366800,5712000]]]}";
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}}}},\"features\":[{}]}}",
        feature("\"baublock\":\"104001\",\"stadtteil_nr\":\"04\"", utm)
    );
    let parsed = parse("b.geojson", text.as_bytes(), &GeoLimits::default()).unwrap();
    assert_eq!(parsed.map.level, Level::Baublock);
    let area = &parsed.map.areas[0];
    assert_eq!(area.key.to_string(), "bb:104001");
    assert_eq!(area.label, "104001");
    assert_eq!(
        area.parent.as_ref().map(|p| p.to_string()).as_deref(),
        Some("st:04")
    );
    let (lon, lat) = area.polygons[0][0][0];
    assert!((7.0..7.2).contains(&lon) && (51.45..51.6).contains(&lat));
    // Without a crs member, metres are taken as EPSG:25832 (and said so); with the zone
    // prefix of EPSG:4647 too.
    let prefixed = utm.replace("[366", "[32366");
    let text = collection(&[feature("\"baublock\":\"1\"", &prefixed)]);
    let parsed = parse("b.geojson", text.as_bytes(), &GeoLimits::default()).unwrap();
    assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
    let (lon2, lat2) = parsed.map.areas[0].polygons[0][0][0];
    assert!((lon - lon2).abs() < 1e-12 && (lat - lat2).abs() < 1e-12);
}

#[test]
fn bad_features_are_left_out_with_number_and_reason() {
    let text = collection(&[
        feature(
            "\"stadtbezirk_nr\":\"1\",\"stadtbezirk\":\"Mitte\"",
            &polygon(7.0, 51.5),
        ),
        feature(
            "\"stadtbezirk_nr\":\"2\"",
            "{\"type\":\"Point\",\"coordinates\":[7,51]}",
        ),
        feature("\"stadtbezirk\":\"Ohne Nummer\"", &polygon(7.0, 51.5)),
        feature("\"stadtbezirk_nr\":\"3\"", "null"),
        feature(
            "\"stadtbezirk_nr\":\"4\"",
            "{\"type\":\"Polygon\",\"coordinates\":[[[7,51],[7.1,51]]]}",
        ),
        feature(
            "\"stadtbezirk_nr\":\"5\"",
            "{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",51],[7.1,51],[7,52]]]}",
        ),
        feature("\"stadtbezirk_nr\":\"6\"", &polygon(700.0, 51.5)),
        "17".to_string(),
        feature("\"stadtbezirk_nr\":\"1\"", &polygon(7.2, 51.5)),
    ]);
    let parsed = parse("bezirke.geojson", text.as_bytes(), &GeoLimits::default()).unwrap();
    assert_eq!(parsed.map.level, Level::Stadtbezirk);
    assert_eq!(parsed.features_read, 9);
    assert_eq!(parsed.features_accepted, 2);
    assert_eq!(parsed.map.areas.len(), 1);
    assert_eq!(parsed.map.areas[0].polygons.len(), 2, "merged");
    let problems: Vec<(usize, FeatureProblem)> = parsed
        .rejected
        .iter()
        .map(|r| (r.number, r.problem))
        .collect();
    assert_eq!(
        problems,
        vec![
            (2, FeatureProblem::UnsupportedGeometry),
            (3, FeatureProblem::MissingKey),
            (4, FeatureProblem::NoGeometry),
            (5, FeatureProblem::RingTooShort),
            (6, FeatureProblem::BadCoordinates),
            (7, FeatureProblem::OutOfRange),
            (8, FeatureProblem::NotAFeature),
        ]
    );
    let err = AreaMap::from_geojson("bezirke.geojson", text.as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("„bezirke.geojson“"), "{text}");
    assert!(text.contains("Objekt 2"), "{text}");
    assert!(
        text.contains("erwartet Polygon oder MultiPolygon"),
        "{text}"
    );
    assert!(text.contains("„Point“"), "{text}");
}

#[test]
fn bad_files_give_german_errors() {
    let limits = GeoLimits::default();
    let cases: Vec<(&[u8], &str)> = vec![
        (b"{\"type\":", "kein gültiges JSON"),
        (b"not json at all", "kein gültiges JSON"),
        (b"[1,2,3]", "keine GeoJSON-FeatureCollection"),
        (
            b"{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}",
            "„Feature“",
        ),
        (b"{\"type\":\"FeatureCollection\"}", "ohne Liste „features“"),
        (b"{\"type\":\"FeatureCollection\",\"features\":[]}", "keine verwendbare Fläche"),
        (
            b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"gid\":1},\"geometry\":null}]}",
            "„gid“",
        ),
        (
            b"{\"type\":\"FeatureCollection\",\"crs\":{\"properties\":{\"name\":\"EPSG:31466\"}},\"features\":[{\"properties\":{\"baublock\":1}}]}",
            "„EPSG:31466“ wird nicht unterstützt",
        ),
        (b"\xff\xfe\x00", "kein gültiges JSON"),
    ];
    for (bytes, expected) in cases {
        let err = parse("karte.json", bytes, &limits).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("Kartendatei „karte.json“: "), "{text}");
        assert!(text.contains(expected), "{text} should contain {expected}");
    }
    // Deep nesting is refused by the JSON reader's recursion limit, without a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse("tief.json", deep.as_bytes(), &limits).is_err());
}

#[test]
fn limits_are_enforced() {
    let text = collection(&[
        feature("\"baublock\":\"1\"", &polygon(7.0, 51.5)),
        feature("\"baublock\":\"2\"", &polygon(7.0, 51.5)),
    ]);
    let small = |f: fn(&mut GeoLimits)| {
        let mut limits = GeoLimits::default();
        f(&mut limits);
        parse("k.geojson", text.as_bytes(), &limits)
            .unwrap_err()
            .problem
    };
    assert!(matches!(
        small(|l| l.max_bytes = 10),
        GeoProblem::TooLarge { .. }
    ));
    assert!(matches!(
        small(|l| l.max_features = 1),
        GeoProblem::TooManyFeatures { count: 2, limit: 1 }
    ));
    assert!(matches!(
        small(|l| l.max_points = 6),
        GeoProblem::TooManyPoints { limit: 6 }
    ));
}

/// The area key written `written`.
fn key(written: &str) -> AreaKey {
    AreaKey::parse(written).expect(written)
}

#[test]
fn projection_keeps_the_aspect_ratio() {
    let b = Bounds {
        min_lon: 7.0,
        min_lat: 51.4,
        max_lon: 7.2,
        max_lat: 51.6,
    };
    let p = Projection::fit(b, 600.0, 600.0);
    let (x0, y0) = p.apply(7.0, 51.6);
    let (x1, y1) = p.apply(7.2, 51.4);
    assert!(y0.abs() < 1e-9 && (y1 - 600.0).abs() < 1e-9);
    // Longitude is shortened by cos(51.5°) ≈ 0.62 and centred.
    let w = x1 - x0;
    assert!((w / 600.0 - 51.5f64.to_radians().cos()).abs() < 1e-3, "{w}");
    assert!((x0 - (600.0 - w) / 2.0).abs() < 1e-9);
}
