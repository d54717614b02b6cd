//! Choropleth maps of area tables.

use super::classes::*;
use super::*;
use crate::geo::{Bounds, Polygon};
use crate::tabulate::recode::MERGED_KEY_SEPARATOR;

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
#[derive(Clone, Debug)]
pub struct MapOptions<'a> {
    /// Width in pixels (default 800); the height follows from the map's shape.
    pub width: f64,
    /// How the classes are formed.
    pub classification: Classification,
    /// Number of classes (default 5, at most 5).
    pub classes: usize,
    /// Stadtbezirk borders drawn over the areas.
    pub borders: Option<&'a AreaMap>,
    /// Lines below the notes (Stichtag, sources, protection, publisher; see [`caption`]),
    /// wrapped to the width.
    pub caption: Vec<String>,
    /// Title of the figure; `None`: the table's title.
    pub title: Option<String>,
}

impl Default for MapOptions<'_> {
    fn default() -> Self {
        MapOptions {
            width: 800.0,
            classification: Classification::Quantile,
            classes: 5,
            borders: None,
            caption: Vec::new(),
            title: None,
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
    let found = TableAreas::collect(table, column, map);
    let area_values: Vec<Option<Published>> = map
        .areas
        .iter()
        .map(|a| found.values.get(&a.key.canonical()).copied())
        .collect();
    let classes = MapClasses::new(table, column, &area_values, options);
    let fills: Vec<Fill> = area_values.iter().map(|v| classes.fill(*v)).collect();
    let measure_label = measure_label(table, column);
    let mut notes = map_notes(map, &fills, &found);
    notes.extend(wrap_lines(&options.caption, options.width.max(400.0)));
    let layout = MapLayout::new(map, options, classes.labels.len(), notes.len());
    let heading = options.title.as_deref().unwrap_or(table.title());
    let title = format!("{heading} – {measure_label}");
    let desc = map_description(table, map, &measure_label, &classes.labels, options, &notes);

    let mut out = String::with_capacity(16_384 + map.areas.len() * 200);
    svg_open(&mut out, &id, layout.width, layout.height, &title, &desc);
    write_hatching(&mut out, &pattern);
    text(
        &mut out,
        12.0,
        24.0,
        "start",
        " font-size=\"15\" font-weight=\"bold\"",
        heading,
    );
    if let Some(frame) = layout.frame() {
        let styles: Vec<AreaStyle> = fills
            .iter()
            .zip(&area_values)
            .map(|(fill, value)| classes.style(fill, *value, &pattern))
            .collect();
        write_areas(&mut out, map, &styles, &found.labels, &frame);
        if let Some(borders) = options.borders {
            write_borders(&mut out, borders, &frame);
        }
        if map.level != Level::Baublock {
            write_area_labels(&mut out, map, &found.labels, &frame);
        }
    }
    write_legend(
        &mut out,
        &layout,
        &measure_label,
        &classes,
        options,
        &pattern,
    );
    write_notes(&mut out, 12.0, layout.notes_top, &notes);
    out.push_str("</svg>\n");
    out
}

/// The published values of a table's rows at a map's level, by area key.
struct TableAreas {
    /// Published value per area (canonical key).
    values: HashMap<AreaKey, Published>,
    /// Area names as the table has them (from the Gliederung); the map file's own names are
    /// used only for areas the table does not have.
    labels: HashMap<AreaKey, String>,
}

impl TableAreas {
    /// The rows of `table` at the level of `map` whose other row positions are totals.
    fn collect(table: &ProtectedTable, column: Measure, map: &AreaMap) -> TableAreas {
        let mut found = TableAreas {
            values: HashMap::new(),
            labels: HashMap::new(),
        };
        let raum = table
            .row_axes()
            .iter()
            .position(|a| a.dimension() == "raum");
        let Some(ra) = raum else { return found };
        for r in 0..table.n_rows() {
            let positions = table.row_positions(r);
            let Some(p) = positions.get(ra) else { continue };
            let others_total = positions
                .iter()
                .enumerate()
                .all(|(i, q)| i == ra || q.role == Role::Total);
            // Areas merged by the publication planner share the merged row's value.
            let keys: Option<Vec<AreaKey>> = p
                .key
                .split(MERGED_KEY_SEPARATOR)
                .map(|k| AreaKey::parse(k).filter(|k| k.level() == map.level))
                .collect();
            let Some(keys) = keys else {
                continue;
            };
            if p.is_margin() || !others_total {
                continue;
            }
            let label = if keys.len() > 1 {
                format!("{} (zusammengefasst)", p.label)
            } else {
                p.label.clone()
            };
            for key in keys {
                let key = key.canonical();
                found.values.insert(key.clone(), column.value(table, r));
                found.labels.insert(key, label.clone());
            }
        }
        found
    }

    /// How many located areas of the table `map` does not have.
    fn missing_in(&self, map: &AreaMap) -> usize {
        let in_map: std::collections::HashSet<AreaKey> =
            map.areas.iter().map(|a| a.key.canonical()).collect();
        self.values
            .keys()
            .filter(|k| !k.is_unlocated() && !in_map.contains(*k))
            .count()
    }
}

/// How an area is filled.
enum Fill {
    /// The colour of a class.
    Class(usize),
    /// Hatched: the value is suppressed.
    Suppressed,
    /// Grey: no value.
    NoData,
}

/// The colour classes of a map: bounds, colours, legend labels and how values are written.
struct MapClasses {
    /// Lower bound of each class.
    bounds: Vec<f64>,
    /// Colour of each class.
    colours: Vec<&'static str>,
    /// Legend label of each class.
    labels: Vec<String>,
    /// Decimal places of the values.
    decimals: usize,
    /// Unit sign of the values ("" for counts).
    unit: &'static str,
}

impl MapClasses {
    /// The classes of the numeric `area_values` as `options` asks for them.
    fn new(
        table: &ProtectedTable,
        column: Measure,
        area_values: &[Option<Published>],
        options: &MapOptions<'_>,
    ) -> MapClasses {
        let mut sorted: Vec<f64> = area_values
            .iter()
            .flatten()
            .filter_map(|v| number(*v))
            .collect();
        sorted.sort_by(f64::total_cmp);
        let (decimals, unit) = column.format(table);
        let bounds = class_bounds(&sorted, options.classes, options.classification, decimals);
        let mut classes = MapClasses {
            colours: palette(bounds.len()),
            labels: Vec::new(),
            bounds,
            decimals,
            unit,
        };
        let whole = matches!(column, Measure::Count(_));
        classes.labels = (0..classes.bounds.len())
            .map(|j| {
                if whole {
                    classes.count_label(j, &sorted)
                } else {
                    classes.ratio_label(j, &sorted)
                }
            })
            .collect();
        classes
    }

    /// Label of class `j` of counts: from its bound to its largest value (for an empty class
    /// the next bound - 1).
    fn count_label(&self, j: usize, sorted: &[f64]) -> String {
        let lo = self.bounds[j];
        let next = self.bounds.get(j + 1).copied();
        let max = sorted.last().copied().unwrap_or(0.0);
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
    }

    /// Label of class `j` of ratios: "bis unter" the next bound, the last up to the largest
    /// value.
    fn ratio_label(&self, j: usize, sorted: &[f64]) -> String {
        let (lo, decimals, unit) = (self.bounds[j], self.decimals, self.unit);
        let max = sorted.last().copied().unwrap_or(0.0);
        match self.bounds.get(j + 1).copied() {
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

    /// The fill of an area with `value`.
    fn fill(&self, value: Option<Published>) -> Fill {
        let class_of = |x: f64| self.bounds.iter().rposition(|b| x >= *b).unwrap_or(0);
        match value {
            Some(Published::Suppressed) => Fill::Suppressed,
            Some(v) => number(v).map_or(Fill::NoData, |x| Fill::Class(class_of(x))),
            None => Fill::NoData,
        }
    }

    /// How an area with `fill` and `value` is drawn; `pattern` is the id of the hatching.
    fn style(&self, fill: &Fill, value: Option<Published>, pattern: &str) -> AreaStyle {
        match fill {
            Fill::Class(c) => AreaStyle {
                paint: self.colours.get(*c).copied().unwrap_or(NO_DATA).to_string(),
                state: "wert",
                shown: value
                    .map(|v| {
                        let t = v.to_german(self.decimals as u8);
                        format!("{t}{}", if t == "–" { "" } else { self.unit })
                    })
                    .unwrap_or_default(),
            },
            Fill::Suppressed => AreaStyle {
                paint: format!("url(#{pattern})"),
                state: "geheim",
                shown: "geheim gehalten („.“)".to_string(),
            },
            Fill::NoData => AreaStyle {
                paint: NO_DATA.to_string(),
                state: "ohne",
                shown: "keine Daten".to_string(),
            },
        }
    }
}

/// How one area is drawn.
struct AreaStyle {
    /// The `fill` attribute.
    paint: String,
    /// The second CSS class: `wert`, `geheim` or `ohne`.
    state: &'static str,
    /// The value as its tooltip shows it.
    shown: String,
}

/// The name of the measure in title, description and legend; counts with the value kind.
fn measure_label(table: &ProtectedTable, column: Measure) -> String {
    match column {
        Measure::Count(_) => format!("{} ({})", column.label(table), table.value_kind().label()),
        Measure::Derived(_) => column.label(table),
    }
}

/// "3 Stadtteile", "1 Stadtteil".
fn areas_of(n: usize, level: Level) -> String {
    format!(
        "{} {}",
        format::count(n as u64),
        if n == 1 {
            level.label()
        } else {
            level.plural()
        }
    )
}

/// The notes below a map: hatched and grey areas, no rows at the level, areas missing in the
/// map.
fn map_notes(map: &AreaMap, fills: &[Fill], found: &TableAreas) -> Vec<String> {
    let n_suppressed = fills
        .iter()
        .filter(|f| matches!(f, Fill::Suppressed))
        .count();
    let n_no_data = fills.iter().filter(|f| matches!(f, Fill::NoData)).count();
    let missing_in_map = found.missing_in(map);
    let mut notes = Vec::new();
    if n_suppressed > 0 {
        notes.push(format!(
            "Schraffiert: geheim gehalten („.“, Geheimhaltung) – {}.",
            areas_of(n_suppressed, map.level)
        ));
    }
    if n_no_data > 0 {
        notes.push(format!(
            "Grau: keine Daten – {}.",
            areas_of(n_no_data, map.level)
        ));
    }
    if found.values.is_empty() {
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
    notes
}

/// The description for screen readers: level, number of areas, table, column, classes and
/// notes.
fn map_description(
    table: &ProtectedTable,
    map: &AreaMap,
    measure_label: &str,
    class_labels: &[String],
    options: &MapOptions<'_>,
    notes: &[String],
) -> String {
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
    for note in notes {
        desc.push(' ');
        desc.push_str(note);
    }
    desc
}

/// Where the parts of a map go: title on top, map on the left, legend on the right, notes
/// below.
struct MapLayout {
    /// Width of the figure.
    width: f64,
    /// Height of the figure.
    height: f64,
    /// Width of the map part.
    map_w: f64,
    /// Height of the map part.
    map_h: f64,
    /// Top of map and legend.
    top: f64,
    /// Left edge of the legend.
    legend_x: f64,
    /// Top of the notes.
    notes_top: f64,
    /// Geographic extent of the areas and borders, if any.
    bounds: Option<Bounds>,
}

impl MapLayout {
    /// The layout of `map` with `n_classes` legend classes and `n_notes` notes.
    fn new(map: &AreaMap, options: &MapOptions<'_>, n_classes: usize, n_notes: usize) -> Self {
        let width = options.width.max(400.0);
        let map_w = (width * 0.68).round();
        let top = 44.0;
        let bounds = match (map.bounds(), options.borders.and_then(AreaMap::bounds)) {
            (Some(a), Some(b)) => Some(a.union(b)),
            (a, b) => a.or(b),
        };
        let map_h = bounds
            .map(|b| Projection::height_for(b, map_w - 24.0))
            .unwrap_or(300.0)
            .clamp(200.0, 1000.0);
        let legend_items = n_classes + 2;
        let legend_h = 48.0 + 22.0 * legend_items as f64;
        let notes_top = top + map_h.max(legend_h) + 8.0;
        MapLayout {
            width,
            height: notes_top + 18.0 * n_notes as f64 + 10.0,
            map_w,
            map_h,
            top,
            legend_x: map_w + 24.0,
            notes_top,
            bounds,
        }
    }

    /// The projection of the map part, if there is anything to draw.
    fn frame(&self) -> Option<MapFrame> {
        self.bounds.map(|b| MapFrame {
            projection: Projection::fit(b, self.map_w - 24.0, self.map_h),
            top: self.top,
        })
    }
}

/// The projection of geographic coordinates into the map part.
struct MapFrame {
    /// Fits the extent into the map part.
    projection: Projection,
    /// Top of the map part.
    top: f64,
}

impl MapFrame {
    /// SVG path data of `polygons`, repeated points left out.
    fn path(&self, polygons: &[Polygon]) -> String {
        let mut d = String::new();
        for polygon in polygons {
            for ring in polygon {
                let mut last = String::new();
                for (i, &(lon, lat)) in ring.iter().enumerate() {
                    let (x, y) = self.projection.apply(lon, lat);
                    let point = format!("{},{}", px(x + 12.0), px(y + self.top));
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
    }
}

/// The hatching pattern of suppressed areas.
fn write_hatching(out: &mut String, pattern: &str) {
    let _ = writeln!(
        out,
        "<defs><pattern id=\"{pattern}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#4d4d4d\" stroke-width=\"2.5\"/></pattern></defs>"
    );
}

/// One `<path>` per area of `map` in map order, styled and titled with the table's area name.
fn write_areas(
    out: &mut String,
    map: &AreaMap,
    styles: &[AreaStyle],
    labels: &HashMap<AreaKey, String>,
    frame: &MapFrame,
) {
    let _ = writeln!(
        out,
        "<g class=\"gebiete\" stroke=\"#7f7f7f\" stroke-width=\"{}\" fill-rule=\"evenodd\">",
        if map.level == Level::Baublock {
            "0.4"
        } else {
            "0.8"
        }
    );
    for (area, style) in map.areas.iter().zip(styles) {
        let _ = writeln!(
            out,
            "<path class=\"gebiet {}\" data-schluessel=\"{}\" fill=\"{}\" d=\"{}\"><title>{}: {}</title></path>",
            style.state,
            esc(&area.key.to_string()),
            style.paint,
            frame.path(&area.polygons),
            esc(labels.get(&area.key.canonical()).unwrap_or(&area.label)),
            esc(&style.shown)
        );
    }
    out.push_str("</g>\n");
}

/// The point where an area's name goes: the centroid of its largest outer ring (projected),
/// or the middle of its extent if that ring is degenerate.
fn label_point(polygons: &[Polygon], frame: &MapFrame) -> Option<(f64, f64)> {
    let mut best: Option<(f64, f64, f64)> = None;
    for polygon in polygons {
        let Some(ring) = polygon.first() else {
            continue;
        };
        let points: Vec<(f64, f64)> = ring
            .iter()
            .map(|&(lon, lat)| frame.projection.apply(lon, lat))
            .collect();
        let (mut area, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for (a, b) in points.iter().zip(points.iter().cycle().skip(1)) {
            let cross = a.0 * b.1 - b.0 * a.1;
            area += cross;
            cx += (a.0 + b.0) * cross;
            cy += (a.1 + b.1) * cross;
        }
        let size = area.abs() / 2.0;
        let centre = if size > 1e-6 {
            (cx / (3.0 * area), cy / (3.0 * area))
        } else {
            let xs = points.iter().map(|p| p.0);
            let ys = points.iter().map(|p| p.1);
            let (x0, x1) = (
                xs.clone().fold(f64::MAX, f64::min),
                xs.fold(f64::MIN, f64::max),
            );
            let (y0, y1) = (
                ys.clone().fold(f64::MAX, f64::min),
                ys.fold(f64::MIN, f64::max),
            );
            ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
        };
        if best.is_none_or(|(s, _, _)| size > s) {
            best = Some((size, centre.0, centre.1));
        }
    }
    best.map(|(_, x, y)| (x + 12.0, y + frame.top))
}

/// The names of the areas (Stadtteile, Stadtbezirke) at their label points, with a white
/// halo so they stay readable on every fill.
fn write_area_labels(
    out: &mut String,
    map: &AreaMap,
    labels: &HashMap<AreaKey, String>,
    frame: &MapFrame,
) {
    out.push_str(
        "<g class=\"beschriftung\" font-size=\"9\" text-anchor=\"middle\" fill=\"#1a1a1a\" \
         stroke=\"#ffffff\" stroke-width=\"2.5\" paint-order=\"stroke\" pointer-events=\"none\">\n",
    );
    for area in &map.areas {
        let Some((x, y)) = label_point(&area.polygons, frame) else {
            continue;
        };
        let name = labels.get(&area.key.canonical()).unwrap_or(&area.label);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            px(x),
            px(y + 3.0),
            esc(name)
        );
    }
    out.push_str("</g>\n");
}

/// The Stadtbezirk borders over the areas.
fn write_borders(out: &mut String, borders: &AreaMap, frame: &MapFrame) {
    out.push_str(
        "<g class=\"grenzen\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.6\" pointer-events=\"none\">\n",
    );
    for area in &borders.areas {
        let _ = writeln!(
            out,
            "<path data-schluessel=\"{}\" d=\"{}\"/>",
            esc(&area.key.to_string()),
            frame.path(&area.polygons)
        );
    }
    out.push_str("</g>\n");
}

/// The legend right of the map: measure, kind of classes, one box per class, hatched and grey.
fn write_legend(
    out: &mut String,
    layout: &MapLayout,
    measure_label: &str,
    classes: &MapClasses,
    options: &MapOptions<'_>,
    pattern: &str,
) {
    let (x, top) = (layout.legend_x, layout.top);
    out.push_str("<g class=\"legende\">\n");
    text(
        out,
        x,
        top + 14.0,
        "start",
        " font-weight=\"bold\"",
        measure_label,
    );
    text(
        out,
        x,
        top + 32.0,
        "start",
        " fill=\"#333333\"",
        match options.classification {
            Classification::Quantile => "Klassen nach Quantilen",
            Classification::EqualInterval => "gleich breite Klassen",
        },
    );
    let hatching = format!("url(#{pattern})");
    let items = classes
        .labels
        .iter()
        .map(String::as_str)
        .zip(classes.colours.iter().copied())
        .chain([
            ("geheim gehalten (.)", hatching.as_str()),
            ("keine Daten", NO_DATA),
        ]);
    for (i, (label, fill)) in items.enumerate() {
        let y = top + 48.0 + 22.0 * i as f64;
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"16\" fill=\"{fill}\" stroke=\"#7f7f7f\" stroke-width=\"0.8\"/>",
            px(x),
            px(y)
        );
        text(out, x + 32.0, y + 12.5, "start", "", label);
    }
    out.push_str("</g>\n");
}

/// The measure a map of `table` shows by default: the first derived ratio if there is one
/// (a share compares areas of different size), else the total column, else the first column.
pub fn default_map_measure(table: &ProtectedTable) -> Measure {
    if !table.derived_columns().is_empty() {
        return Measure::Derived(0);
    }
    Measure::find(table, TOTAL_KEY).unwrap_or(Measure::Count(0))
}
