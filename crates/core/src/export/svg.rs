//! Charts and maps of protected tables as SVG text: a line chart of a monthly series
//! ([`line_chart`]) and a choropleth map of Stadtteile or Baublöcke ([`choropleth`]), and every
//! figure of a report set at once ([`report_figures`]).
//!
//! Both take only [`ProtectedTable`]s and draw only published values: a suppressed value (".")
//! is never drawn as a number (the line is interrupted, the area hatched and explained as
//! „geheim gehalten“), a month without data ("x") interrupts the line, an area without a value
//! is grey. The text in a figure is the table's title and labels, the area labels of the map,
//! published values and German explanations; nothing else. Numbers are written the German way.
//! The output is plain SVG 1.1 built as a string, accessible (`role="img"`, `<title>`,
//! `<desc>`), and deterministic: the same input gives the same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::format;
use crate::geo::{AreaMap, Level, Projection, canonical_key};
use crate::protect::{ProtectedTable, Published};
use crate::tabulate::{RatioUnit, Role, TOTAL_KEY};

/// A value column of a protected table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Count column `n` (0-based, before the derived columns).
    Count(usize),
    /// Derived ratio column `n`.
    Derived(usize),
}

impl Measure {
    /// The column whose (innermost) key or header is `name`: a count column by the key of its
    /// innermost column position (e.g. `_total`, `geduldete_gesamt`) or its label, else a
    /// derived column by its label.
    pub fn find(table: &ProtectedTable, name: &str) -> Option<Measure> {
        (0..table.n_cols())
            .find(|&c| {
                table
                    .column_positions(c)
                    .last()
                    .is_some_and(|p| p.key == name || p.label == name)
            })
            .map(Measure::Count)
            .or_else(|| {
                table
                    .derived_columns()
                    .iter()
                    .position(|d| d.label == name)
                    .map(Measure::Derived)
            })
    }

    /// German header of the column.
    pub fn label(self, table: &ProtectedTable) -> String {
        match self {
            Measure::Count(c) => {
                let labels: Vec<String> = table
                    .column_positions(c)
                    .iter()
                    .map(|p| p.label.clone())
                    .collect();
                if labels.is_empty() {
                    table.value_kind().label().to_owned()
                } else {
                    labels.join(" – ")
                }
            }
            Measure::Derived(k) => table
                .derived_columns()
                .get(k)
                .map(|d| d.label.clone())
                .unwrap_or_default(),
        }
    }

    fn value(self, table: &ProtectedTable, row: usize) -> Published {
        match self {
            Measure::Count(c) => table.cell(row, c),
            Measure::Derived(k) => table.derived(row, k),
        }
    }

    /// Decimal places and unit sign of the values.
    fn format(self, table: &ProtectedTable) -> (usize, &'static str) {
        match self {
            Measure::Count(_) => (0, ""),
            Measure::Derived(k) => table
                .derived_columns()
                .get(k)
                .map(|d| {
                    (
                        usize::from(d.decimals),
                        match d.unit {
                            RatioUnit::Percent => " %",
                            RatioUnit::PerMille => " ‰",
                        },
                    )
                })
                .unwrap_or((1, "")),
        }
    }
}

/// The number of a published value, `None` for ".", "x".
fn number(value: Published) -> Option<f64> {
    match value {
        Published::Value(n) => Some(n as f64),
        Published::Zero => Some(0.0),
        Published::Percent(x) | Published::PerMille(x) if x.is_finite() => Some(x),
        _ => None,
    }
}

/// Escapes text for XML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An identifier usable in `id` attributes: the table key reduced to `[a-z0-9-]`.
fn id_of(key: &str) -> String {
    let id: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    match id.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => id,
        _ => format!("abb-{id}"),
    }
}

/// A coordinate with one decimal place, without "-0.0".
fn px(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded == 0.0 {
        "0".into()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// German number with `decimals` places (also negative).
fn german(x: f64, decimals: usize) -> String {
    format::decimal(x, decimals)
}

fn svg_open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" xml:lang=\"de\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-titel {id}-beschreibung\" \
         font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\">\n\
         <title id=\"{id}-titel\">{title}</title>\n<desc id=\"{id}-beschreibung\">{desc}</desc>\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        w = px(width),
        h = px(height),
        title = esc(title),
        desc = esc(desc),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
    let anchor = if anchor == "start" {
        String::new()
    } else {
        format!(" text-anchor=\"{anchor}\"")
    };
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\"{anchor}{extra}>{}</text>",
        px(x),
        px(y),
        esc(content)
    );
}

/// Size of a line chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartOptions {
    /// Width in pixels (default 800).
    pub width: f64,
    /// Height of the plot area in pixels (default 300); legend and notes come below it.
    pub plot_height: f64,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: 800.0,
            plot_height: 300.0,
        }
    }
}

/// Line colours, distinguishable with colour-vision deficiencies (after Okabe and Ito,
/// darkened for a contrast of at least 3:1 on white), and dash patterns as a second cue.
const LINE_COLOURS: [&str; 8] = [
    "#0072b2", "#b84a00", "#00785a", "#a8508a", "#000000", "#6a3d9a", "#5c5c5c", "#8a6d00",
];
const LINE_DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

/// The columns drawn by default: the margins (sums and total) if the table has more than four
/// count columns, else every count column.
pub fn default_series(table: &ProtectedTable) -> Vec<Measure> {
    let all: Vec<usize> = (0..table.n_cols()).collect();
    let margins: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&c| table.column_positions(c).iter().any(|p| p.is_margin()))
        .collect();
    let chosen = if all.len() > 4 && !margins.is_empty() {
        margins
    } else {
        all
    };
    chosen.into_iter().map(Measure::Count).collect()
}

/// "2017-11" -> (2017, 11).
fn year_month(key: &str) -> Option<(i32, u32)> {
    let (y, m) = key.split_once('-')?;
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// A "nice" step (1, 2 or 5 times a power of ten) for about `ticks` intervals up to `max`.
fn nice_step(max: f64, ticks: f64) -> f64 {
    let raw = (max / ticks).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let factor = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    factor * magnitude
}

/// SVG line chart of a series whose rows are months (or other ordered categories): one line
/// per column in `columns` (see [`default_series`]), interrupted at months without data ("x")
/// and at suppressed values ("."), which are not drawn and counted in a note. Axis in German
/// number format, legend, title and description for screen readers.
pub fn line_chart(table: &ProtectedTable, columns: &[Measure], options: &ChartOptions) -> String {
    let id = id_of(table.key());
    let width = options.width.max(300.0);
    let plot_h = options.plot_height.max(100.0);
    let rows: Vec<usize> = (0..table.n_rows())
        .filter(|&r| !table.row_positions(r).iter().any(|p| p.is_margin()))
        .collect();
    let row_label = |r: usize| -> String {
        table
            .row_positions(r)
            .iter()
            .map(|p| p.label.clone())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let row_key = |r: usize| -> String {
        table
            .row_positions(r)
            .last()
            .map(|p| p.key.clone())
            .unwrap_or_default()
    };
    let months: Vec<Option<(i32, u32)>> = rows.iter().map(|&r| year_month(&row_key(r))).collect();
    let all_months = !months.is_empty() && months.iter().all(Option::is_some);
    let period = |i: usize| -> String {
        match months.get(i).copied().flatten() {
            Some((y, m)) if all_months => format!("{m:02}/{y}"),
            _ => rows.get(i).map(|&r| row_label(r)).unwrap_or_default(),
        }
    };

    // Values per series.
    let mut max = 0.0f64;
    let mut min = 0.0f64;
    let mut gaps = 0usize;
    let mut suppressed = 0usize;
    let mut decimals = 0usize;
    let mut unit = "";
    let series: Vec<Vec<Option<f64>>> = columns
        .iter()
        .map(|m| {
            let (d, u) = m.format(table);
            decimals = decimals.max(d);
            if !u.is_empty() {
                unit = u;
            }
            rows.iter()
                .map(|&r| {
                    let v = m.value(table, r);
                    match v {
                        Published::Suppressed => suppressed += 1,
                        Published::NotMeaningful => gaps += 1,
                        _ => {}
                    }
                    let x = number(v);
                    if let Some(x) = x {
                        max = max.max(x);
                        min = min.min(x);
                    }
                    x
                })
                .collect()
        })
        .collect();
    let drawn = series.iter().flatten().flatten().count();

    let step = nice_step((max - min).max(if decimals == 0 { 5.0 } else { 1.0 }), 5.0);
    let step = if decimals == 0 { step.max(1.0) } else { step };
    let y_max = (max / step).ceil().max(1.0) * step;
    let y_min = (min / step).floor() * step;
    let tick_decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().max(0.0) as usize
    };

    let left = 76.0;
    let right = 24.0;
    let top = 62.0;
    let x0 = left;
    let x1 = width - right;
    let y0 = top;
    let y1 = top + plot_h;
    let n = rows.len();
    let x_at = |i: usize| -> f64 {
        if n <= 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * i as f64 / (n - 1) as f64
        }
    };
    let y_at = |v: f64| -> f64 { y1 - (v - y_min) / (y_max - y_min) * (y1 - y0) };

    // Notes below the legend.
    let mut notes = Vec::new();
    if drawn == 0 && suppressed > 0 {
        notes.push(
            "Alle Werte sind geheim gehalten („.“, Geheimhaltung); es wird keine Linie gezeigt."
                .to_string(),
        );
    } else if suppressed > 0 {
        notes.push(format!(
            "{} {} geheim gehalten („.“, Geheimhaltung) und nicht dargestellt; die Linie ist dort unterbrochen.",
            format::count(suppressed as u64),
            if suppressed == 1 { "Wert ist" } else { "Werte sind" }
        ));
    }
    if gaps > 0 {
        notes.push(format!(
            "Lücken in den Linien: {} ohne Datenlieferung („x“).",
            if all_months { "Monate" } else { "Zeilen" }
        ));
    }
    if n == 0 || columns.is_empty() {
        notes.push("Die Tabelle enthält keine darstellbaren Werte.".to_string());
    }

    let legend_top = y1 + 48.0;
    let legend_h = 20.0 * columns.len() as f64;
    let notes_top = legend_top + legend_h + 8.0;
    let height = notes_top + 18.0 * notes.len() as f64 + 10.0;

    let labels: Vec<String> = columns.iter().map(|m| m.label(table)).collect();
    let mut desc = format!("Liniendiagramm: {}.", table.title());
    if n > 0 {
        let _ = write!(
            desc,
            " {} {} von {} bis {}",
            format::count(n as u64),
            if all_months { "Monate" } else { "Zeilen" },
            period(0),
            period(n - 1)
        );
    }
    if !labels.is_empty() {
        let _ = write!(desc, "; Linien: {}.", labels.join(", "));
    }
    if drawn > 0 {
        let _ = write!(
            desc,
            " Größter dargestellter Wert: {}{}.",
            german(max, decimals),
            unit
        );
    }
    for note in &notes {
        desc.push(' ');
        desc.push_str(note);
    }

    let mut out = String::with_capacity(8192 + n * 16 * columns.len().max(1));
    svg_open(&mut out, &id, width, height, table.title(), &desc);
    text(
        &mut out,
        12.0,
        24.0,
        "start",
        " font-size=\"15\" font-weight=\"bold\"",
        table.title(),
    );
    let axis_title = if unit.is_empty() {
        table.value_kind().label().to_string()
    } else {
        format!("Anteil in{unit}")
    };
    text(
        &mut out,
        12.0,
        48.0,
        "start",
        " fill=\"#333333\"",
        &axis_title,
    );

    // Grid and y axis.
    out.push_str("<g class=\"achse-y\" stroke=\"#d9d9d9\" stroke-width=\"1\">\n");
    let mut tick = y_min;
    let mut guard = 0;
    while tick <= y_max + step / 2.0 && guard < 50 {
        let y = y_at(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            px(x0),
            px(y),
            px(x1),
            px(y)
        );
        tick += step;
        guard += 1;
    }
    out.push_str("</g>\n<g class=\"beschriftung-y\" fill=\"#333333\">\n");
    let mut tick = y_min;
    let mut guard = 0;
    while tick <= y_max + step / 2.0 && guard < 50 {
        text(
            &mut out,
            x0 - 8.0,
            y_at(tick) + 4.0,
            "end",
            "",
            &german(tick, tick_decimals),
        );
        tick += step;
        guard += 1;
    }
    out.push_str("</g>\n");

    // x axis: years (January) for long month series, else every k-th row.
    let _ = writeln!(
        out,
        "<line class=\"achse-x\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>",
        px(x0),
        px(y1),
        px(x1),
        px(y1)
    );
    out.push_str("<g class=\"beschriftung-x\" fill=\"#333333\">\n");
    let mut ticks: Vec<(usize, String)> = Vec::new();
    if all_months && n > 24 {
        let years: Vec<(usize, i32)> = months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.filter(|(_, month)| *month == 1).map(|(y, _)| (i, y)))
            .collect();
        let every = years.len().div_ceil(14).max(1);
        for (j, (i, y)) in years.into_iter().enumerate() {
            if j % every == 0 {
                ticks.push((i, y.to_string()));
            }
        }
    } else if n > 0 {
        let every = n.div_ceil(10).max(1);
        for i in (0..n).step_by(every) {
            ticks.push((i, period(i)));
        }
    }
    for (i, label) in &ticks {
        let x = x_at(*i);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\"/>",
            px(x),
            px(y1),
            px(x),
            px(y1 + 5.0)
        );
        text(&mut out, x, y1 + 20.0, "middle", "", label);
    }
    out.push_str("</g>\n");

    // Lines: one group per column, one polyline per run of drawn values.
    for (s, values) in series.iter().enumerate() {
        let colour = LINE_COLOURS[s % LINE_COLOURS.len()];
        let dash = LINE_DASHES[(s / 2) % LINE_DASHES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            out,
            "<g class=\"reihe\" data-spalte=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}>",
            esc(&labels[s])
        );
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |out: &mut String, run: &mut Vec<(f64, f64)>| {
            match run.len() {
                0 => {}
                1 => {
                    let _ = writeln!(
                        out,
                        "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{colour}\" stroke=\"none\"/>",
                        px(run[0].0),
                        px(run[0].1)
                    );
                }
                _ => {
                    let points: Vec<String> = run
                        .iter()
                        .map(|(x, y)| format!("{},{}", px(*x), px(*y)))
                        .collect();
                    let _ = writeln!(out, "<polyline points=\"{}\"/>", points.join(" "));
                }
            }
            run.clear();
        };
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push((x_at(i), y_at(*v))),
                None => flush(&mut out, &mut run),
            }
        }
        flush(&mut out, &mut run);
        out.push_str("</g>\n");
    }

    // Legend.
    out.push_str("<g class=\"legende\">\n");
    for (s, label) in labels.iter().enumerate() {
        let y = legend_top + 20.0 * s as f64;
        let colour = LINE_COLOURS[s % LINE_COLOURS.len()];
        let dash = LINE_DASHES[(s / 2) % LINE_DASHES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
            px(x0),
            px(y - 4.0),
            px(x0 + 32.0),
            px(y - 4.0)
        );
        text(&mut out, x0 + 40.0, y, "start", "", label);
    }
    out.push_str("</g>\n");
    write_notes(&mut out, 12.0, notes_top, &notes);
    out.push_str("</svg>\n");
    out
}

fn write_notes(out: &mut String, x: f64, top: f64, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    out.push_str("<g class=\"hinweise\" fill=\"#333333\">\n");
    for (i, note) in notes.iter().enumerate() {
        text(out, x, top + 18.0 * i as f64 + 12.0, "start", "", note);
    }
    out.push_str("</g>\n");
}

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

/// Sequential palette for colour-vision deficiencies (ColorBrewer YlGnBu, 5 classes).
const MAP_COLOURS: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
/// Fill of areas without a value.
const NO_DATA: &str = "#d9d9d9";

fn palette(k: usize) -> Vec<&'static str> {
    let picks: &[usize] = match k {
        0 => &[],
        1 => &[2],
        2 => &[1, 4],
        3 => &[0, 2, 4],
        4 => &[0, 1, 3, 4],
        _ => &[0, 1, 2, 3, 4],
    };
    picks.iter().map(|&i| MAP_COLOURS[i]).collect()
}

/// Lower bounds of the classes (strictly increasing, first = smallest value) for `sorted`
/// values, rounded to `decimals` places (whole numbers for counts). Zeros ("–", nothing) form
/// a class of their own when there are other values, so that many empty areas do not swallow
/// the quantiles.
fn class_bounds(sorted: &[f64], k: usize, how: Classification, decimals: usize) -> Vec<f64> {
    let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let k = k.clamp(1, 5);
    let scale = 10f64.powi(i32::try_from(decimals.min(6)).unwrap_or(0));
    let round = |b: f64| (b * scale).ceil() / scale;
    let mut bounds = vec![lo];
    let rest: &[f64] = if lo == 0.0 && hi > 0.0 && k > 1 {
        let first_positive = sorted.partition_point(|&x| x <= 0.0);
        sorted.get(first_positive..).unwrap_or_default()
    } else {
        sorted
    };
    let Some(&rest_lo) = rest.first() else {
        return bounds;
    };
    let k_rest = if rest.len() < sorted.len() {
        bounds.push(round(rest_lo));
        k - 1
    } else {
        k
    };
    for j in 1..k_rest {
        let b = match how {
            Classification::Quantile => {
                let at = (j * rest.len()).div_ceil(k_rest).min(rest.len() - 1);
                rest[at]
            }
            Classification::EqualInterval => rest_lo + (hi - rest_lo) * j as f64 / k_rest as f64,
        };
        let b = round(b);
        if b > *bounds.last().unwrap_or(&lo) && b <= hi {
            bounds.push(b);
        }
    }
    bounds
}

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
    let mut values: HashMap<String, Published> = HashMap::new();
    // Area names as the table has them (from the Gliederung); the map file's own names only
    // for areas the table does not have.
    let mut labels: HashMap<String, String> = HashMap::new();
    if let Some(ra) = raum {
        for r in 0..table.n_rows() {
            let positions = table.row_positions(r);
            let Some(p) = positions.get(ra) else { continue };
            let others_total = positions
                .iter()
                .enumerate()
                .all(|(i, q)| i == ra || q.role == Role::Total);
            if p.is_margin() || !others_total || Level::of_key(&p.key) != Some(map.level) {
                continue;
            }
            values.insert(canonical_key(&p.key), column.value(table, r));
            labels.insert(canonical_key(&p.key), p.label.clone());
        }
    }
    let in_map: std::collections::HashSet<String> =
        map.areas.iter().map(|a| canonical_key(&a.key)).collect();
    let missing_in_map = values
        .keys()
        .filter(|k| !k.ends_with(":ohne") && !in_map.contains(*k))
        .count();

    enum Fill {
        Class(usize),
        Suppressed,
        NoData,
    }
    let area_values: Vec<Option<Published>> = map
        .areas
        .iter()
        .map(|a| values.get(&canonical_key(&a.key)).copied())
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
                esc(&area.key),
                path(&area.polygons),
                esc(labels.get(&canonical_key(&area.key)).unwrap_or(&area.label)),
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
                    esc(&area.key),
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

/// What a figure draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FigureKind {
    /// A line chart of a monthly table.
    Diagramm,
    /// A choropleth map of an area table.
    Karte,
}

impl FigureKind {
    /// German name.
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::Diagramm => "Diagramm",
            FigureKind::Karte => "Karte",
        }
    }
}

/// An SVG chart or map drawn from the protected values of one table.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figure {
    /// Key of the table it shows.
    pub key: String,
    /// The page of the app its table is shown on.
    pub page: crate::tabulate::Page,
    /// What it draws.
    pub kind: FigureKind,
    /// German title: the table's title and the kind ("… (Karte)").
    pub title: String,
    /// File name for the SVG download (`<key>.svg`, `<key>_karte.svg`).
    pub file_name: String,
    /// The SVG document.
    pub svg: String,
}

impl Figure {
    fn of(table: &ProtectedTable, kind: FigureKind, svg: String) -> Figure {
        let stem = id_of(table.key()).replace('-', "_");
        Figure {
            key: table.key().to_owned(),
            page: table.page(),
            kind,
            title: format!("{} ({})", table.title(), kind.label()),
            file_name: match kind {
                FigureKind::Diagramm => format!("{stem}.svg"),
                FigureKind::Karte => format!("{stem}_karte.svg"),
            },
            svg,
        }
    }
}

/// Every figure of a report set in table order: a line chart (`<key>.svg`) of each table whose
/// rows are months, and a map (`<key>_karte.svg`) of each table whose rows are areas of a
/// level one of `maps` covers, with the Stadtbezirk borders if a Stadtbezirk map is among
/// `maps`.
pub fn report_figures(published: &crate::reports::Published, maps: &[&AreaMap]) -> Vec<Figure> {
    let borders = maps.iter().copied().find(|m| m.level == Level::Stadtbezirk);
    let mut figures = Vec::new();
    for table in &published.tables {
        let Some(first) = table.row_axes().first() else {
            continue;
        };
        if first.dimension() == "monat" {
            let svg = line_chart(table, &default_series(table), &ChartOptions::default());
            figures.push(Figure::of(table, FigureKind::Diagramm, svg));
        } else if first.dimension() == "raum" {
            let level = first
                .positions()
                .iter()
                .filter(|p| !p.is_margin())
                .filter_map(|p| Level::of_key(&p.key))
                .max();
            let Some(map) = level.and_then(|l| maps.iter().copied().find(|m| m.level == l)) else {
                continue;
            };
            let options = MapOptions {
                borders: borders.filter(|_| map.level != Level::Stadtbezirk),
                ..MapOptions::default()
            };
            let svg = choropleth(table, default_map_measure(table), map, &options);
            figures.push(Figure::of(table, FigureKind::Karte, svg));
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            esc("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(esc("x\u{1}y"), "x y");
        assert_eq!(id_of("Kategorie Stadtteil/ä"), "kategorie-stadtteil--");
        assert_eq!(id_of("1a"), "abb-1a");
    }

    #[test]
    fn coordinates_have_one_decimal_and_no_negative_zero() {
        assert_eq!(px(-0.01), "0");
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.345), "12.3");
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(1000.0, 5.0), 200.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(0.9, 5.0), 0.2);
    }

    #[test]
    fn class_bounds_are_increasing_and_whole_for_counts() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(
            class_bounds(&v, 5, Classification::Quantile, 0),
            vec![1.0, 21.0, 41.0, 61.0, 81.0]
        );
        assert_eq!(
            class_bounds(&v, 5, Classification::EqualInterval, 0),
            vec![1.0, 21.0, 41.0, 61.0, 81.0]
        );
        // Many equal values: fewer classes, never an empty or repeated bound.
        let v = [3.0, 3.0, 3.0, 3.0, 10.0];
        assert_eq!(
            class_bounds(&v, 5, Classification::Quantile, 0),
            vec![3.0, 10.0]
        );
        assert_eq!(
            class_bounds(&[2.5], 5, Classification::EqualInterval, 1),
            vec![2.5]
        );
        assert!(class_bounds(&[], 5, Classification::Quantile, 0).is_empty());
        // Zeros get a class of their own; the rest is split into quantiles.
        let mut v = vec![0.0; 50];
        v.extend([3.0, 4.0, 5.0, 8.0, 9.0, 12.0, 20.0, 33.0]);
        assert_eq!(
            class_bounds(&v, 5, Classification::Quantile, 0),
            vec![0.0, 3.0, 5.0, 9.0, 20.0]
        );
        // Ratios: bounds rounded (up) to the decimals shown.
        let v = [1.234, 2.0, 5.55, 7.01, 9.9];
        assert_eq!(
            class_bounds(&v, 3, Classification::EqualInterval, 1),
            vec![1.234, 4.2, 7.1]
        );
    }

    #[test]
    fn month_keys() {
        assert_eq!(year_month("2017-11"), Some((2017, 11)));
        assert_eq!(year_month("2017-13"), None);
        assert_eq!(year_month("st:04"), None);
    }
}
