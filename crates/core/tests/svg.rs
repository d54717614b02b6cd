//! Maps and charts on the synthetic city: the GeoJSON of the synthetic city covers every area
//! of its Gliederung, the choropleth maps of the standard report have one path per area and
//! hatch the suppressed ones, the line chart of the AsylbLG series breaks at months without
//! data, and every SVG is well-formed XML.

mod common;

use lagebild_core::area::AreaKey;
use lagebild_core::export::svg::{
    self, ChartOptions, Classification, Figure, FigureKind, MapOptions, Measure, choropleth,
    line_chart, report_figures,
};
use lagebild_core::geo::{AreaMap, GeoProblem, Level};
use lagebild_core::import::{Dataset, ImportOptions, Importer, Records};
use lagebild_core::locate::AddressIndex;
use lagebild_core::protect::{ProtectedTable, ProtectionMode, ProtectionSettings, Published};
use lagebild_core::reports::{self, ReportConfig, gliederung_entries, standard_report};
use lagebild_synth::{Config, Output, Scale, SourceKind, generate};

/// The synthetic city's files as the office would load them, GeoJSON included.
fn load(scale: Scale) -> (Output, Dataset) {
    load_without(scale, &[])
}

/// As [`load`], without the files whose name contains one of `skip` (months without data).
fn load_without(scale: Scale, skip: &[&str]) -> (Output, Dataset) {
    let output = generate(&Config::new(scale)).expect("synthetic city");
    let importer = Importer::default();
    let mut dataset = Dataset::default();
    for entry in common::user_exports(&output) {
        if matches!(entry.source, SourceKind::Schild) {
            continue;
        }
        let file = output.file(&entry.path).expect("file");
        let name = entry.path.rsplit('/').next().unwrap_or_default();
        if skip.iter().any(|s| name.contains(s)) {
            continue;
        }
        let imported = importer.import(&mut dataset, name, &file.bytes, &ImportOptions::default());
        assert!(imported.report.error.is_none(), "{}", imported.report);
    }
    (output, dataset)
}

fn maps(dataset: &Dataset) -> Vec<&AreaMap> {
    dataset.maps()
}

fn map(dataset: &Dataset, level: Level) -> &AreaMap {
    maps(dataset)
        .into_iter()
        .find(|m| m.level == level)
        .unwrap_or_else(|| panic!("no map of {level:?}"))
}

fn published(dataset: &Dataset, mode: ProtectionMode) -> reports::Published {
    let config = ReportConfig::default();
    let report = standard_report(dataset, &config).expect("report");
    let settings = ProtectionSettings {
        mode,
        ..ProtectionSettings::default()
    };
    reports::publish(report, &config, &settings, "Test")
}

fn table<'a>(published: &'a reports::Published, key: &str) -> &'a ProtectedTable {
    published
        .tables
        .iter()
        .find(|t| t.key() == key)
        .unwrap_or_else(|| panic!("table {key}"))
}

/// Checks that `text` is well-formed XML: one root element, every tag closed in order,
/// attributes quoted, only the five predefined entities or character references, no `<` or
/// raw `&` in text or attribute values. Returns the element names in document order.
fn well_formed(text: &str) -> Vec<String> {
    fn entity_ok(rest: &str) -> usize {
        let end = rest.find(';').expect("entity without ;");
        let name = &rest[1..end];
        assert!(
            matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || (name.starts_with("#x") && u32::from_str_radix(&name[2..], 16).is_ok())
                || (name.starts_with('#') && name[1..].parse::<u32>().is_ok()),
            "bad entity &{name};"
        );
        end + 1
    }
    fn check_text(s: &str) {
        let mut i = 0;
        while let Some(at) = s[i..].find('&') {
            i += at;
            i += entity_ok(&s[i..]);
        }
        assert!(!s.contains('<'), "raw < in {s:?}");
    }
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut roots = 0;
    let mut rest = text;
    if let Some(r) = rest.strip_prefix("<?xml") {
        rest = &r[r.find("?>").expect("xml declaration") + 2..];
    }
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            check_text(rest);
            assert!(
                rest.trim().is_empty() || !stack.is_empty(),
                "text outside root"
            );
            break;
        };
        let (content, tail) = rest.split_at(lt);
        check_text(content);
        assert!(
            content.trim().is_empty() || !stack.is_empty(),
            "text outside the root element"
        );
        if let Some(r) = tail.strip_prefix("<!--") {
            let end = r.find("-->").expect("comment end");
            rest = &r[end + 3..];
            continue;
        }
        let gt = tail.find('>').expect("tag end");
        let tag = &tail[1..gt];
        rest = &tail[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().expect("closing tag without opening");
            assert_eq!(open, name.trim(), "tags cross");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        assert!(
            !name.is_empty()
                && name.chars().next().unwrap().is_ascii_alphabetic()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c)),
            "bad element name {name:?}"
        );
        // Attributes: name="value" pairs, each name once.
        let mut attrs = tag[name_end..].trim();
        let mut seen = Vec::new();
        while !attrs.is_empty() {
            let eq = attrs.find('=').expect("attribute without =");
            let attr = attrs[..eq].trim();
            assert!(
                !attr.is_empty() && !attr.contains(char::is_whitespace),
                "{attr:?}"
            );
            assert!(!seen.contains(&attr), "attribute {attr} twice");
            seen.push(attr);
            let after = attrs[eq + 1..].trim_start();
            let quote = after.chars().next().expect("attribute value");
            assert!(quote == '"' || quote == '\'', "unquoted attribute {attr}");
            let end = after[1..].find(quote).expect("attribute value end") + 1;
            check_text(&after[1..end]);
            attrs = after[end + 1..].trim_start();
        }
        if stack.is_empty() {
            roots += 1;
        }
        names.push(name.to_string());
        if !self_closing {
            stack.push(name.to_string());
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert_eq!(roots, 1, "exactly one root element");
    names
}

#[test]
fn the_xml_checker_rejects_broken_documents() {
    assert_eq!(
        well_formed("<svg><g a=\"1\"/><text>a &amp; b</text></svg>\n"),
        ["svg", "g", "text"]
    );
    for bad in [
        "<svg><g></svg>",
        "<svg a=1></svg>",
        "<svg>a & b</svg>",
        "<svg></svg><svg></svg>",
        "<svg a=\"1\" a=\"2\"></svg>",
    ] {
        assert!(
            std::panic::catch_unwind(|| well_formed(bad)).is_err(),
            "{bad}"
        );
    }
}

fn check_maps_cover_the_gliederung(scale: Scale) {
    let (_, dataset) = load(scale);
    let index = AddressIndex::build(&dataset.pool, &gliederung_entries(&dataset));
    let geo = &index.geography;
    assert!(!geo.stadtteile.is_empty() && !geo.baubloecke.is_empty());
    let stadtteile = map(&dataset, Level::Stadtteil);
    let bloecke = map(&dataset, Level::Baublock);
    let bezirke = map(&dataset, Level::Stadtbezirk);
    // Keys match the `raum` dimension exactly, not only after normalising.
    let has = |m: &AreaMap, key: &str| m.areas.iter().any(|a| a.key.to_string() == key);
    for t in &geo.stadtteile {
        let key = format!("st:{}", t.nr);
        assert!(has(stadtteile, &key), "{key} without area");
        let area = stadtteile.area(&AreaKey::parse(&key).unwrap()).unwrap();
        assert_eq!(area.label, t.name);
        assert_eq!(
            area.parent.as_ref().map(|p| p.to_string()),
            Some(format!("bz:{}", geo.bezirke[t.bezirk].nr))
        );
    }
    for b in &geo.baubloecke {
        let key = format!("bb:{}", b.key);
        assert!(has(bloecke, &key), "{key} without area");
    }
    for b in &geo.bezirke {
        assert!(has(bezirke, &format!("bz:{}", b.nr)));
    }
    assert_eq!(stadtteile.areas.len(), geo.stadtteile.len());
    // The synthetic Baublock file also has blocks without addresses (parks, industry).
    assert!(bloecke.areas.len() >= geo.baubloecke.len());
    // Both coordinate systems land on the same place: every Baublock's first point lies in
    // the box of the Stadtteile (WGS84 file) around it.
    let b = stadtteile.bounds().unwrap();
    for area in &bloecke.areas {
        let (lon, lat) = area.polygons[0][0][0];
        assert!(
            lon >= b.min_lon - 1e-4
                && lon <= b.max_lon + 1e-4
                && lat >= b.min_lat - 1e-4
                && lat <= b.max_lat + 1e-4,
            "{} outside",
            area.key
        );
    }
    // The import report counts features like rows.
    for f in dataset
        .files
        .iter()
        .filter(|f| matches!(f.records, Records::Karte(_)))
    {
        assert_eq!(f.report.rows_read, f.report.rows_accepted, "{}", f.report);
        assert_eq!(f.report.rows_accepted as usize, f.records.len());
    }
}

#[test]
fn geojson_of_tiny_covers_every_area_of_the_gliederung() {
    check_maps_cover_the_gliederung(Scale::Tiny);
}

#[test]
fn geojson_of_demo_covers_every_area_of_the_gliederung() {
    check_maps_cover_the_gliederung(Scale::Demo);
}

/// The published value of every area row of a spatial table, by key.
/// The published value of every area of the table's rows; areas the publication planner
/// merged share the merged row's value.
fn area_values(table: &ProtectedTable, measure: Measure) -> Vec<(String, Published)> {
    (0..table.n_rows())
        .filter_map(|r| {
            let p = table.row_positions(r)[0].clone();
            (!p.is_margin() && !p.key.ends_with(":ohne")).then(|| {
                let v = match measure {
                    Measure::Count(c) => table.cell(r, c),
                    Measure::Derived(k) => table.derived(r, k),
                };
                p.key
                    .split('+')
                    .map(|k| (k.to_string(), v))
                    .collect::<Vec<_>>()
            })
        })
        .flatten()
        .collect()
}

/// The `<path class="gebiet …">` elements of a map: (key, fill, title text).
fn area_paths(svg: &str) -> Vec<(String, String, String)> {
    svg.split("<path class=\"gebiet ")
        .skip(1)
        .map(|s| {
            let attr = |name: &str| {
                let start = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                s[start..start + s[start..].find('"').unwrap()].to_string()
            };
            let title_start = s.find("<title>").unwrap() + 7;
            let title = s[title_start..title_start + s[title_start..].find("</title>").unwrap()]
                .to_string();
            (attr("data-schluessel"), attr("fill"), title)
        })
        .collect()
}

fn check_choropleth(published: &reports::Published, dataset: &Dataset, key: &str, level: Level) {
    let table = table(published, key);
    let map = map(dataset, level);
    let borders = map_opt(dataset, Level::Stadtbezirk);
    let measure = Measure::find(table, "_total").expect("total column");
    for classification in [Classification::Quantile, Classification::EqualInterval] {
        let options = MapOptions {
            classification,
            borders,
            ..MapOptions::default()
        };
        let svg = choropleth(table, measure, map, &options);
        let names = well_formed(&svg);
        assert_eq!(names[0], "svg");
        assert!(svg.contains("role=\"img\""));
        assert!(names.iter().any(|n| n == "title") && names.iter().any(|n| n == "desc"));
        assert_eq!(
            svg,
            choropleth(table, measure, map, &options),
            "deterministic"
        );

        let paths = area_paths(&svg);
        assert_eq!(paths.len(), map.areas.len(), "{key}: one path per area");
        let values = area_values(table, measure);
        let pattern = format!(
            "url(#{}-{}-schraffur)",
            key.replace('_', "-"),
            level.prefix()
        );
        assert!(svg.contains(&format!(
            "<pattern id=\"{}\"",
            &pattern[5..pattern.len() - 1]
        )));
        let mut suppressed = 0;
        for (area_key, fill, title) in &paths {
            let value = values.iter().find(|(k, _)| k == area_key).map(|(_, v)| *v);
            match value {
                Some(Published::Suppressed) => {
                    suppressed += 1;
                    assert_eq!(fill, &pattern, "{area_key} not hatched");
                    assert!(title.ends_with("geheim gehalten („.“)"), "{title}");
                }
                Some(v @ (Published::Value(_) | Published::Zero)) => {
                    assert!(
                        fill.starts_with('#') && fill != "#d9d9d9",
                        "{area_key}: {fill}"
                    );
                    assert!(title.ends_with(&format!(": {}", v.to_german(0))), "{title}");
                }
                _ => {
                    assert_eq!(fill, "#d9d9d9", "{area_key} without data is grey");
                    assert!(title.ends_with("keine Daten"), "{title}");
                }
            }
        }
        if suppressed > 0 {
            assert!(
                svg.contains("geheim gehalten (.)"),
                "legend explains the hatching"
            );
            assert!(svg.contains("Schraffiert: geheim gehalten"));
        }
        // Nothing but published values: no suppressed area's title holds a number.
        if table.report().all_suppressed {
            assert_eq!(suppressed, values.len().min(paths.len()).max(suppressed));
            assert!(
                !svg.contains(" bis "),
                "no class legend for a suppressed table"
            );
        }
    }
}

fn map_opt(dataset: &Dataset, level: Level) -> Option<&AreaMap> {
    maps(dataset).into_iter().find(|m| m.level == level)
}

#[test]
fn choropleth_maps_of_the_standard_report_on_tiny() {
    let (_, dataset) = load(Scale::Tiny);
    for mode in [ProtectionMode::Tabelle, ProtectionMode::Zelle] {
        let published = published(&dataset, mode);
        check_choropleth(
            &published,
            &dataset,
            "kategorie_stadtteil",
            Level::Stadtteil,
        );
        check_choropleth(&published, &dataset, "kategorie_baublock", Level::Baublock);
    }
    // In Zelle mode some Baublöcke are suppressed and others published: both kinds appear
    // (the Baublock table for itself; released with the Stadtteil table, whose suppressions
    // differ, the release refuses it on the tiny city).
    let report = standard_report(&dataset, &ReportConfig::default()).expect("report");
    let raw = report
        .tables
        .into_iter()
        .find(|t| t.key() == "kategorie_baublock")
        .expect("Baublock table");
    let zelle = ProtectionSettings {
        mode: ProtectionMode::Zelle,
        ..ProtectionSettings::default()
    };
    let t = &lagebild_core::protect::protect(raw, &zelle);
    let values = area_values(t, Measure::find(t, "_total").unwrap());
    assert!(values.iter().any(|(_, v)| *v == Published::Suppressed));
    assert!(values.iter().any(|(_, v)| matches!(v, Published::Value(_))));
}

#[test]
fn a_map_of_a_share_has_percent_classes() {
    let (_, dataset) = load(Scale::Tiny);
    let published = published(&dataset, ProtectionMode::Zelle);
    let t = table(&published, "bevoelkerung_herkunft");
    let measure = svg::default_map_measure(t);
    assert_eq!(measure, Measure::Derived(0));
    let svg = choropleth(
        t,
        measure,
        map(&dataset, Level::Stadtteil),
        &MapOptions::default(),
    );
    well_formed(&svg);
    assert!(svg.contains(" bis unter "), "class legend");
    assert!(svg.contains(" %"));
    assert!(svg.contains("Anteil Nichtdeutsche in %"));
}

#[test]
fn line_chart_of_the_asylblg_series_breaks_at_months_without_data() {
    // Two months without delivery.
    let (_, dataset) = load_without(Scale::Tiny, &["AsylbLG_2017-03", "AsylbLG_2017-04"]);
    let published = published(&dataset, ProtectionMode::Zelle);
    let t = table(&published, "asylblg_monat");
    let columns = svg::default_series(t);
    assert_eq!(
        columns.len(),
        3,
        "Geduldete gesamt, Asylbewerber gesamt, Insgesamt"
    );
    let chart = line_chart(t, &columns, &ChartOptions::default());
    let names = well_formed(&chart);
    assert_eq!(names[0], "svg");
    assert!(chart.contains("role=\"img\""));
    assert_eq!(chart, line_chart(t, &columns, &ChartOptions::default()));

    let groups: Vec<&str> = chart.split("<g class=\"reihe\"").skip(1).collect();
    assert_eq!(
        groups.len(),
        columns.len(),
        "one group of segments per column"
    );
    let mut months_without_data = 0;
    for (measure, group) in columns.iter().zip(&groups) {
        let group = &group[..group.find("</g>").unwrap()];
        assert!(group.contains(&format!("data-spalte=\"{}\"", measure.label(t))));
        // Expected runs of drawn values between "x" and "." cells.
        let Measure::Count(c) = *measure else {
            unreachable!()
        };
        let mut runs = Vec::new();
        let mut current = 0;
        for r in 0..t.n_rows() {
            match t.cell(r, c) {
                Published::Value(_) | Published::Zero => current += 1,
                other => {
                    if other == Published::NotMeaningful {
                        months_without_data += 1;
                    }
                    if current > 0 {
                        runs.push(current);
                    }
                    current = 0;
                }
            }
        }
        if current > 0 {
            runs.push(current);
        }
        let polylines: Vec<&str> = group.split("<polyline points=\"").skip(1).collect();
        let circles = group.matches("<circle").count();
        assert_eq!(polylines.len(), runs.iter().filter(|&&n| n > 1).count());
        assert_eq!(circles, runs.iter().filter(|&&n| n == 1).count());
        for (points, n) in polylines.iter().zip(runs.iter().filter(|&&n| n > 1)) {
            let points = &points[..points.find('"').unwrap()];
            assert_eq!(points.split(' ').count(), *n);
        }
    }
    assert_eq!(
        months_without_data,
        2 * columns.len(),
        "two months without data"
    );
    assert!(chart.contains("ohne Datenlieferung („x“)"));
    // German axis numbers: thousands with a dot, never a comma-grouped or plain 4-digit
    // number on the y axis.
    let y_labels: Vec<&str> = chart
        .split("<g class=\"beschriftung-y\"")
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap()
        .split("<text")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            &s[..s.find('<').unwrap()]
        })
        .collect();
    assert!(y_labels.len() >= 3);
    for label in &y_labels {
        assert!(
            label
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-'),
            "{label}"
        );
        if label.len() > 3 && !label.contains(',') {
            assert!(label.contains('.'), "German thousands: {label}");
        }
    }
}

#[test]
fn suppressed_series_values_are_not_drawn_and_the_chart_says_so() {
    let (_, dataset) = load(Scale::Tiny);
    let published = published(&dataset, ProtectionMode::Tabelle);
    for t in &published.tables {
        if t.key() != "asylblg_monat" && t.key() != "asylblg_faelle" {
            continue;
        }
        let chart = line_chart(t, &svg::default_series(t), &ChartOptions::default());
        well_formed(&chart);
        let suppressed = (0..t.n_rows())
            .flat_map(|r| (0..t.n_cols()).map(move |c| (r, c)))
            .any(|(r, c)| t.cell(r, c) == Published::Suppressed);
        if t.report().all_suppressed {
            assert!(!chart.contains("<polyline"), "nothing drawn");
            assert!(chart.contains("Alle Werte sind geheim gehalten"));
        } else if suppressed {
            assert!(chart.contains("geheim gehalten („.“, Geheimhaltung)"));
        }
    }
}

#[test]
fn report_figures_name_one_file_per_chart_and_map() {
    let (_, dataset) = load(Scale::Tiny);
    let published = published(&dataset, ProtectionMode::Zelle);
    let mut meta = published.meta.clone();
    meta.publisher.office = "Stadt Gelsenkirchen, Statistik".into();
    let figures = report_figures(&published.tables, &maps(&dataset), &meta);
    let names: Vec<&str> = figures.iter().map(|f| f.file_name.as_str()).collect();
    let stamp = meta.reference_stamp();
    assert!(stamp.starts_with("20"), "{stamp}");
    for expected in [
        "asylblg_monat",
        "asylblg_faelle",
        "kategorie_bezirk_karte",
        "kategorie_stadtteil_karte",
        "kategorie_baublock_karte",
        "fluechtlingsanteil_karte",
    ] {
        let expected = format!("{expected}_{stamp}.svg");
        assert!(
            names.contains(&expected.as_str()),
            "{expected} in {names:?}"
        );
    }
    for figure in &figures {
        let elements = well_formed(&figure.svg);
        assert_eq!(elements[0], "svg", "{}", figure.file_name);
        let table = published
            .tables
            .iter()
            .find(|t| t.key() == figure.key)
            .expect("its table");
        // Ready to paste into a report: Stichtag, sources, protection and publisher inside.
        let svg = &figure.svg;
        assert!(
            svg.contains(&format!("Stichtag: {}", meta.reference_text())),
            "{}",
            figure.file_name
        );
        for source in table.provenance() {
            assert!(
                svg.contains(&format!("Quelle: {}", source.describe())),
                "{}",
                figure.file_name
            );
        }
        assert!(
            svg.contains("Geheimhaltung: Zellsperrung"),
            "{}",
            figure.file_name
        );
        assert!(svg.contains("Herausgeber: Stadt Gelsenkirchen, Statistik"));
    }
    // Maps of Stadtteile name their areas; Baublock maps do not (too many).
    let stadtteile = figures
        .iter()
        .find(|f| f.file_name == format!("kategorie_stadtteil_karte_{stamp}.svg"))
        .unwrap();
    assert!(stadtteile.svg.contains("<g class=\"beschriftung\""));
    assert!(
        stadtteile.svg.contains(">Buer</text>"),
        "{}",
        stadtteile.svg
    );
    let bloecke = figures
        .iter()
        .find(|f| f.file_name == format!("kategorie_baublock_karte_{stamp}.svg"))
        .unwrap();
    assert!(!bloecke.svg.contains("<g class=\"beschriftung\""));
    // A table by category: one map per category it shows, titled so.
    let table = published
        .tables
        .iter()
        .find(|t| t.key() == "kategorie_stadtteil")
        .unwrap();
    let categories: Vec<String> = (0..table.n_cols())
        .filter_map(|c| table.column_positions(c).last().copied())
        .filter(|p| !p.is_margin())
        .map(|p| p.label.clone())
        .collect();
    let per_category: Vec<&Figure> = figures
        .iter()
        .filter(|f| {
            f.key == "kategorie_stadtteil"
                && f.file_name != format!("kategorie_stadtteil_karte_{stamp}.svg")
        })
        .collect();
    if categories.len() >= 2 {
        assert_eq!(per_category.len(), categories.len(), "{names:?}");
        for (figure, label) in per_category.iter().zip(&categories) {
            assert!(
                figure.title.contains(&format!(": {label} (Karte)")),
                "{}",
                figure.title
            );
        }
    }
    // Without maps only the charts.
    let charts = report_figures(&published.tables, &[], &meta);
    assert!(charts.iter().all(|f| f.kind == FigureKind::Diagramm));
    assert!(
        charts
            .iter()
            .any(|f| f.file_name == format!("asylblg_monat_{stamp}.svg"))
    );
}

#[test]
fn broken_synthetic_geojson_gives_german_errors() {
    let output = generate(&Config::new(Scale::Tiny)).expect("synthetic city");
    let bytes = &output
        .file("exports/geo/stadtteile.geojson")
        .expect("stadtteile")
        .bytes;
    // Cut off in the middle.
    let err = AreaMap::from_geojson("stadtteile.geojson", &bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(err.problem, GeoProblem::NotJson { .. }));
    assert!(err.to_string().contains("kein gültiges JSON"), "{err}");
    // A geometry replaced by a point: the feature number and what was expected.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let second = text
        .match_indices("{\"type\":\"Feature\"")
        .nth(1)
        .unwrap()
        .0;
    let geometry = second + text[second..].find("\"geometry\":").unwrap() + 11;
    let end = geometry + text[geometry..].find("}}").unwrap() + 1;
    let broken = format!(
        "{}{{\"type\":\"Point\",\"coordinates\":[7.1,51.5]}}{}",
        &text[..geometry],
        &text[end..]
    );
    let err = AreaMap::from_geojson("stadtteile.geojson", broken.as_bytes()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("Kartendatei „stadtteile.geojson“: Objekt 2: "),
        "{message}"
    );
    assert!(
        message.contains("erwartet Polygon oder MultiPolygon"),
        "{message}"
    );
}
