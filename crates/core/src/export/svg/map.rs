//! Choropleth maps of area tables.

use super::classes::*;
use super::*;

/// How the class breaks of a map are chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Classification {
    /// Quantiles: each class holds about as many areas (default).
    #[default]
    Quantile,
    /// Classes of equal width between the smallest and the largest value.
    EqualInterval,
}

/// Options of a choropleth map.
#[derive(Clone, Copy, Debug)]
pub struct MapOptions<'a> {
    /// Width in pixels (default 800); the height follows from the map's shape.
    pub width: f64,
    /// How the classes are formed.
    pub classification: Classification,
    /// Number of classes (default 5, at most 5).
    pub classes: usize,
    /// Stadtbezirk borders drawn over the areas.
    pub borders: Option<&'a AreaMap>,
}

impl Default for MapOptions<'_> {
    fn default() -> Self {
        MapOptions {
            width: 800.0,
            classification: Classification::Quantile,
            classes: 5,
            borders: None,
        }
    }
}

/// Fill of areas without a value.
pub(super) const NO_DATA: &str = "#d9d9d9";

/// A choropleth map: every area of `map` coloured by the class of its value in `column` of
/// `table` (a table with the `raum` dimension on the rows at the map's level), legend with
/// German numbers, suppressed areas hatched and explained („geheim gehalten“), areas without
/// a value grey. One `<path>` per area, in map order.
pub fn choropleth(
    table: &ProtectedTable,
    column: Measure,
    map: &AreaMap,
    options: &MapOptions<'_>,
) -> String {
    let id = id_of(&format!("{}-{}", table.key(), map.level.prefix()));
    let pattern = format!("{id}-schraffur");
    let width = options.width.max(400.0);

    // Published values of the table's rows of the map's level.
    let raum = table
        .row_axes()
        .iter()
        .position(|a| a.dimension() == "raum");
    let mut values: HashMap<AreaKey, Published> = HashMap::new();
    // Area names as the table has them (from the Gliederung); the map file's own names only
    // for areas the table does not have.
    let mut labels: HashMap<AreaKey, String> = HashMap::new();
    if let Some(ra) = raum {
        for r in 0..table.n_rows() {
            let positions = table.row_positions(r);
            let Some(p) = positions.get(ra) else { continue };
            let others_total = positions
                .iter()
                .enumerate()
                .all(|(i, q)| i == ra || q.role == Role::Total);
            let Some(key) = AreaKey::parse(&p.key).filter(|k| k.level() == map.level) else {
                continue;
            };
            if p.is_margin() || !others_total {
                continue;
            }
            let key = key.canonical();
            values.insert(key.clone(), column.value(table, r));
            labels.insert(key, p.label.clone());
        }
    }
    let in_map: std::collections::HashSet<AreaKey> =
        map.areas.iter().map(|a| a.key.canonical()).collect();
    let missing_in_map = values
        .keys()
        .filter(|k| !k.is_unlocated() && !in_map.contains(*k))
        .count();

    enum Fill {
        Class(usize),
        Suppressed,
        NoData,
    }
    let area_values: Vec<Option<Published>> = map
        .areas
        .iter()
        .map(|a| values.get(&a.key.canonical()).copied())
        .collect();
    let mut sorted: Vec<f64> = area_values
        .iter()
        .flatten()
        .filter_map(|v| number(*v))
        .collect();
    sorted.sort_by(f64::total_cmp);
    let whole = matches!(column, Measure::Count(_));
    let (decimals, unit) = column.format(table);
    let bounds = class_bounds(&sorted, options.classes, options.classification, decimals);
    let colours = palette(bounds.len());
    let class_of = |x: f64| -> usize { bounds.iter().rposition(|b| x >= *b).unwrap_or(0) };
    let fills: Vec<Fill> = area_values
        .iter()
        .map(|v| match v {
            Some(Published::Suppressed) => Fill::Suppressed,
            Some(v) => number(*v).map_or(Fill::NoData, |x| Fill::Class(class_of(x))),
            None => Fill::NoData,
        })
        .collect();
    let n_suppressed = fills
        .iter()
        .filter(|f| matches!(f, Fill::Suppressed))
        .count();
    let n_no_data = fills.iter().filter(|f| matches!(f, Fill::NoData)).count();

    // Class labels.
    let max = sorted.last().copied().unwrap_or(0.0);
    let class_labels: Vec<String> = bounds
        .iter()
        .enumerate()
        .map(|(j, &lo)| {
            let next = bounds.get(j + 1).copied();
            if whole {
                // The largest value in the class; for an empty class the next bound - 1.
                let below_next = sorted.partition_point(|&x| next.is_none_or(|b| x < b));
                let hi = match below_next.checked_sub(1).and_then(|i| sorted.get(i)) {
                    Some(&x) if x >= lo => x,
                    _ => next.map_or(max, |b| b - 1.0),
                };
                if hi <= lo {
                    german(lo, 0)
                } else {
                    format!("{} bis {}", german(lo, 0), german(hi, 0))
                }
            } else {
                match next {
                    Some(b) => format!(
                        "{} bis unter {}{unit}",
                        german(lo, decimals),
                        german(b, decimals)
                    ),
                    None if max > lo => format!(
                        "{} bis {}{unit}",
                        german(lo, decimals),
                        german(max, decimals)
                    ),
                    None => format!("{}{unit}", german(lo, decimals)),
                }
            }
        })
        .collect();

    // Layout: title, map on the left, legend on the right, notes below.
    let map_w = (width * 0.68).round();
    let legend_x = map_w + 24.0;
    let top = 44.0;
    let bounds_geo = match (map.bounds(), options.borders.and_then(AreaMap::bounds)) {
        (Some(a), Some(b)) => Some(a.union(b)),
        (a, b) => a.or(b),
    };
    let map_h = bounds_geo
        .map(|b| Projection::height_for(b, map_w - 24.0))
        .unwrap_or(300.0)
        .clamp(200.0, 1000.0);
    let legend_items = class_labels.len() + 2;
    let legend_h = 48.0 + 22.0 * legend_items as f64;

    let measure_label = match column {
        Measure::Count(_) => format!("{} ({})", column.label(table), table.value_kind().label()),
        Measure::Derived(_) => column.label(table),
    };
    let mut notes = Vec::new();
    if n_suppressed > 0 {
        notes.push(format!(
            "Schraffiert: geheim gehalten („.“, Geheimhaltung) – {} {}.",
            format::count(n_suppressed as u64),
            if n_suppressed == 1 {
                map.level.label()
            } else {
                map.level.plural()
            }
        ));
    }
    if n_no_data > 0 {
        notes.push(format!(
            "Grau: keine Daten – {} {}.",
            format::count(n_no_data as u64),
            if n_no_data == 1 {
                map.level.label()
            } else {
                map.level.plural()
            }
        ));
    }
    if values.is_empty() {
        notes.push(format!(
            "Die Tabelle enthält keine Zeilen für {}.",
            map.level.plural()
        ));
    }
    if missing_in_map > 0 {
        notes.push(format!(
            "{} Gebiete der Tabelle fehlen in der Karte.",
            format::count(missing_in_map as u64)
        ));
    }
    let notes_top = top + map_h.max(legend_h) + 8.0;
    let height = notes_top + 18.0 * notes.len() as f64 + 10.0;

    let title = format!("{} – {}", table.title(), measure_label);
    let mut desc = format!(
        "Karte der {} ({} Flächen): {}, Spalte „{}“.",
        map.level.plural(),
        format::count(map.areas.len() as u64),
        table.title(),
        measure_label
    );
    if !class_labels.is_empty() {
        let _ = write!(
            desc,
            " {} {} ({}): {}.",
            class_labels.len(),
            if class_labels.len() == 1 {
                "Klasse"
            } else {
                "Klassen"
            },
            match options.classification {
                Classification::Quantile => "Quantile",
                Classification::EqualInterval => "gleich breit",
            },
            class_labels.join("; ")
        );
    }
    for note in &notes {
        desc.push(' ');
        desc.push_str(note);
    }

    let mut out = String::with_capacity(16_384 + map.areas.len() * 200);
    svg_open(&mut out, &id, width, height, &title, &desc);
    let _ = writeln!(
        out,
        "<defs><pattern id=\"{pattern}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#4d4d4d\" stroke-width=\"2.5\"/></pattern></defs>"
    );
    text(
        &mut out,
        12.0,
        24.0,
        "start",
        " font-size=\"15\" font-weight=\"bold\"",
        table.title(),
    );

    if let Some(b) = bounds_geo {
        let projection = Projection::fit(b, map_w - 24.0, map_h);
        let path = |polygons: &[crate::geo::Polygon]| -> String {
            let mut d = String::new();
            for polygon in polygons {
                for ring in polygon {
                    let mut last = String::new();
                    for (i, &(lon, lat)) in ring.iter().enumerate() {
                        let (x, y) = projection.apply(lon, lat);
                        let point = format!("{},{}", px(x + 12.0), px(y + top));
                        if point == last {
                            continue;
                        }
                        d.push(if i == 0 { 'M' } else { 'L' });
                        d.push_str(&point);
                        last = point;
                    }
                    d.push('Z');
                }
            }
            d
        };
        let _ = writeln!(
            out,
            "<g class=\"gebiete\" stroke=\"#7f7f7f\" stroke-width=\"{}\" fill-rule=\"evenodd\">",
            if map.level == Level::Baublock {
                "0.4"
            } else {
                "0.8"
            }
        );
        for ((area, fill), value) in map.areas.iter().zip(&fills).zip(&area_values) {
            let (paint, state, shown) = match fill {
                Fill::Class(c) => (
                    colours.get(*c).copied().unwrap_or(NO_DATA).to_string(),
                    "wert",
                    value
                        .map(|v| {
                            let t = v.to_german(decimals as u8);
                            format!("{t}{}", if t == "–" { "" } else { unit })
                        })
                        .unwrap_or_default(),
                ),
                Fill::Suppressed => (
                    format!("url(#{pattern})"),
                    "geheim",
                    "geheim gehalten („.“)".to_string(),
                ),
                Fill::NoData => (NO_DATA.to_string(), "ohne", "keine Daten".to_string()),
            };
            let _ = writeln!(
                out,
                "<path class=\"gebiet {state}\" data-schluessel=\"{}\" fill=\"{paint}\" d=\"{}\"><title>{}: {}</title></path>",
                esc(&area.key.to_string()),
                path(&area.polygons),
                esc(labels.get(&area.key.canonical()).unwrap_or(&area.label)),
                esc(&shown)
            );
        }
        out.push_str("</g>\n");
        if let Some(borders) = options.borders {
            out.push_str(
                "<g class=\"grenzen\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.6\" pointer-events=\"none\">\n",
            );
            for area in &borders.areas {
                let _ = writeln!(
                    out,
                    "<path data-schluessel=\"{}\" d=\"{}\"/>",
                    esc(&area.key.to_string()),
                    path(&area.polygons)
                );
            }
            out.push_str("</g>\n");
        }
    }

    // Legend.
    out.push_str("<g class=\"legende\">\n");
    text(
        &mut out,
        legend_x,
        top + 14.0,
        "start",
        " font-weight=\"bold\"",
        &measure_label,
    );
    text(
        &mut out,
        legend_x,
        top + 32.0,
        "start",
        " fill=\"#333333\"",
        match options.classification {
            Classification::Quantile => "Klassen nach Quantilen",
            Classification::EqualInterval => "gleich breite Klassen",
        },
    );
    let mut y = top + 48.0;
    let mut item = |out: &mut String, fill: &str, label: &str| {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"16\" fill=\"{fill}\" stroke=\"#7f7f7f\" stroke-width=\"0.8\"/>",
            px(legend_x),
            px(y)
        );
        text(out, legend_x + 32.0, y + 12.5, "start", "", label);
        y += 22.0;
    };
    for (label, colour) in class_labels.iter().zip(&colours) {
        item(&mut out, colour, label);
    }
    item(&mut out, &format!("url(#{pattern})"), "geheim gehalten (.)");
    item(&mut out, NO_DATA, "keine Daten");
    out.push_str("</g>\n");
    write_notes(&mut out, 12.0, notes_top, &notes);
    out.push_str("</svg>\n");
    out
}

/// The measure a map of `table` shows by default: the first derived ratio if there is one
/// (a share compares areas of different size), else the total column, else the first column.
pub fn default_map_measure(table: &ProtectedTable) -> Measure {
    if !table.derived_columns().is_empty() {
        return Measure::Derived(0);
    }
    Measure::find(table, TOTAL_KEY).unwrap_or(Measure::Count(0))
}
