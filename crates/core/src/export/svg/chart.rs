//! Line charts of monthly tables.

use super::*;
use crate::tabulate::recode::MERGED_KEY_SEPARATOR;

/// Size of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartOptions {
    /// Width in pixels (default 800).
    pub width: f64,
    /// Height of the plot area in pixels (default 300); legend and notes come below it.
    pub plot_height: f64,
    /// Lines below the notes (Stichtag, sources, protection, publisher; see [`caption`]),
    /// wrapped to the width.
    pub caption: Vec<String>,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: 800.0,
            plot_height: 300.0,
            caption: Vec::new(),
        }
    }
}

/// Line colours, distinguishable with colour-vision deficiencies (after Okabe and Ito,
/// darkened for a contrast of at least 3:1 on white), and dash patterns as a second cue.
pub(super) const LINE_COLOURS: [&str; 8] = [
    "#0072b2", "#b84a00", "#00785a", "#a8508a", "#000000", "#6a3d9a", "#5c5c5c", "#8a6d00",
];
pub(super) const LINE_DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

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

/// "2017-11" -> (2017, 11); a period of merged months ("2017-11+2017-12") by its first.
pub(super) fn year_month(key: &str) -> Option<(i32, u32)> {
    let first = key.split(MERGED_KEY_SEPARATOR).next().unwrap_or(key);
    let (y, m) = first.split_once('-')?;
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// A "nice" step (1, 2 or 5 times a power of ten) for about `ticks` intervals up to `max`.
pub(super) fn nice_step(max: f64, ticks: f64) -> f64 {
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
    let rows = ChartRows::of(table);
    let series = SeriesValues::gather(table, columns, &rows.rows);
    let mut notes = chart_notes(&series, &rows);
    notes.extend(wrap_lines(&options.caption, options.width.max(300.0)));
    let layout = ChartLayout::new(options, &series, rows.len(), notes.len());
    let labels: Vec<String> = columns.iter().map(|m| m.label(table)).collect();
    let desc = chart_description(table, &rows, &labels, &series, &notes);

    let n = rows.len();
    let mut out = String::with_capacity(8192 + n * 16 * columns.len().max(1));
    svg_open(
        &mut out,
        &id,
        layout.width,
        layout.height,
        table.title(),
        &desc,
    );
    write_titles(&mut out, table, series.unit);
    write_y_axis(&mut out, &layout);
    write_x_axis(&mut out, &layout, &rows);
    for (s, values) in series.values.iter().enumerate() {
        write_line(&mut out, &layout, s, &labels[s], values);
    }
    write_legend(&mut out, &layout, &labels);
    write_notes(&mut out, 12.0, layout.notes_top, &notes);
    out.push_str("</svg>\n");
    out
}

/// The rows a chart draws (all but the margins) and, if their keys are months, the months.
struct ChartRows<'t> {
    /// The table.
    table: &'t ProtectedTable,
    /// Indices of the drawn rows.
    rows: Vec<usize>,
    /// Year and month of each drawn row, if its key is one.
    months: Vec<Option<(i32, u32)>>,
    /// Whether every drawn row is a month (and there is one).
    all_months: bool,
}

impl<'t> ChartRows<'t> {
    /// The rows of `table` that are not margins.
    fn of(table: &'t ProtectedTable) -> Self {
        let rows: Vec<usize> = (0..table.n_rows())
            .filter(|&r| !table.row_positions(r).iter().any(|p| p.is_margin()))
            .collect();
        let months: Vec<Option<(i32, u32)>> = rows
            .iter()
            .map(|&r| {
                let key = table
                    .row_positions(r)
                    .last()
                    .map(|p| p.key.clone())
                    .unwrap_or_default();
                year_month(&key)
            })
            .collect();
        let all_months = !months.is_empty() && months.iter().all(Option::is_some);
        ChartRows {
            table,
            rows,
            months,
            all_months,
        }
    }

    /// Number of drawn rows.
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// "Monate" or "Zeilen".
    fn noun(&self) -> &'static str {
        if self.all_months { "Monate" } else { "Zeilen" }
    }

    /// The `i`-th drawn row as shown: "MM/YYYY" for months, else its labels.
    fn period(&self, i: usize) -> String {
        let last_month = || {
            let r = *self.rows.get(i)?;
            let key = self.table.row_positions(r).last()?.key.clone();
            let last = key.rsplit(MERGED_KEY_SEPARATOR).next()?;
            year_month(last).filter(|_| key.contains(MERGED_KEY_SEPARATOR))
        };
        match self.months.get(i).copied().flatten() {
            Some((y, m)) if self.all_months => match last_month() {
                Some((y2, m2)) => format!("{m:02}/{y}–{m2:02}/{y2}"),
                None => format!("{m:02}/{y}"),
            },
            _ => self
                .rows
                .get(i)
                .map(|&r| {
                    self.table
                        .row_positions(r)
                        .iter()
                        .map(|p| p.label.clone())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default(),
        }
    }

    /// The labelled ticks of the x axis: years (January) for long month series, else every
    /// k-th row.
    fn x_ticks(&self) -> Vec<(usize, String)> {
        let n = self.len();
        let mut ticks: Vec<(usize, String)> = Vec::new();
        if self.all_months && n > 24 {
            let years: Vec<(usize, i32)> = self
                .months
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
                ticks.push((i, self.period(i)));
            }
        }
        ticks
    }
}

/// The values of the series and what the chart says about them.
struct SeriesValues {
    /// Per column, the number drawn for each row (`None`: not drawn).
    values: Vec<Vec<Option<f64>>>,
    /// Largest drawn value (at least 0).
    max: f64,
    /// Smallest drawn value (at most 0).
    min: f64,
    /// Values without data ("x").
    gaps: usize,
    /// Suppressed values (".").
    suppressed: usize,
    /// Drawn values.
    drawn: usize,
    /// Most decimal places of the columns.
    decimals: usize,
    /// Unit sign of the (last) ratio column, "" for counts.
    unit: &'static str,
}

impl SeriesValues {
    /// The values of `columns` in `rows` of `table`.
    fn gather(table: &ProtectedTable, columns: &[Measure], rows: &[usize]) -> SeriesValues {
        let mut series = SeriesValues {
            values: Vec::with_capacity(columns.len()),
            max: 0.0,
            min: 0.0,
            gaps: 0,
            suppressed: 0,
            drawn: 0,
            decimals: 0,
            unit: "",
        };
        for m in columns {
            let (d, u) = m.format(table);
            series.decimals = series.decimals.max(d);
            if !u.is_empty() {
                series.unit = u;
            }
            let line: Vec<Option<f64>> = rows
                .iter()
                .map(|&r| series.add(m.value(table, r)))
                .collect();
            series.values.push(line);
        }
        series.drawn = series.values.iter().flatten().flatten().count();
        series
    }

    /// Counts `value` and returns the number drawn for it.
    fn add(&mut self, value: Published) -> Option<f64> {
        match value {
            Published::Suppressed => self.suppressed += 1,
            Published::NotMeaningful => self.gaps += 1,
            _ => {}
        }
        let x = number(value);
        if let Some(x) = x {
            self.max = self.max.max(x);
            self.min = self.min.min(x);
        }
        x
    }
}

/// The notes below the legend: suppressed values, gaps, nothing to draw.
fn chart_notes(series: &SeriesValues, rows: &ChartRows<'_>) -> Vec<String> {
    let suppressed = series.suppressed;
    let mut notes = Vec::new();
    if series.drawn == 0 && suppressed > 0 {
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
    if series.gaps > 0 {
        notes.push(format!(
            "Lücken in den Linien: {} ohne Datenlieferung („x“).",
            rows.noun()
        ));
    }
    if rows.rows.is_empty() || series.values.is_empty() {
        notes.push("Die Tabelle enthält keine darstellbaren Werte.".to_string());
    }
    notes
}

/// The description for screen readers: title, rows, lines, largest value and notes.
fn chart_description(
    table: &ProtectedTable,
    rows: &ChartRows<'_>,
    labels: &[String],
    series: &SeriesValues,
    notes: &[String],
) -> String {
    let n = rows.len();
    let mut desc = format!("Liniendiagramm: {}.", table.title());
    if n > 0 {
        let _ = write!(
            desc,
            " {} {} von {} bis {}",
            format::count(n as u64),
            rows.noun(),
            rows.period(0),
            rows.period(n - 1)
        );
    }
    if !labels.is_empty() {
        let _ = write!(desc, "; Linien: {}.", labels.join(", "));
    }
    if series.drawn > 0 {
        let _ = write!(
            desc,
            " Größter dargestellter Wert: {}{}.",
            german(series.max, series.decimals),
            series.unit
        );
    }
    for note in notes {
        desc.push(' ');
        desc.push_str(note);
    }
    desc
}

/// Where the parts of a chart go and the scale of its y axis: title on top, plot, x axis,
/// legend and notes below.
struct ChartLayout {
    /// Width of the figure.
    width: f64,
    /// Height of the figure.
    height: f64,
    /// Left edge of the plot.
    x0: f64,
    /// Right edge of the plot.
    x1: f64,
    /// Top of the plot.
    y0: f64,
    /// Bottom of the plot (the x axis).
    y1: f64,
    /// Number of rows along the x axis.
    n: usize,
    /// Lowest value of the y axis.
    y_min: f64,
    /// Highest value of the y axis.
    y_max: f64,
    /// Step between the y ticks.
    step: f64,
    /// Decimal places of the y tick labels.
    tick_decimals: usize,
    /// Top of the legend.
    legend_top: f64,
    /// Top of the notes.
    notes_top: f64,
}

impl ChartLayout {
    /// The layout of a chart of `series` over `n` rows with `n_notes` notes.
    fn new(options: &ChartOptions, series: &SeriesValues, n: usize, n_notes: usize) -> Self {
        let (max, min, decimals) = (series.max, series.min, series.decimals);
        let step = nice_step((max - min).max(if decimals == 0 { 5.0 } else { 1.0 }), 5.0);
        let step = if decimals == 0 { step.max(1.0) } else { step };
        let width = options.width.max(300.0);
        let top = 62.0;
        let y1 = top + options.plot_height.max(100.0);
        let legend_top = y1 + 48.0;
        let legend_h = 20.0 * series.values.len() as f64;
        let notes_top = legend_top + legend_h + 8.0;
        ChartLayout {
            width,
            height: notes_top + 18.0 * n_notes as f64 + 10.0,
            x0: 76.0,
            x1: width - 24.0,
            y0: top,
            y1,
            n,
            y_min: (min / step).floor() * step,
            y_max: (max / step).ceil().max(1.0) * step,
            step,
            tick_decimals: if step >= 1.0 {
                0
            } else {
                (-step.log10()).ceil().max(0.0) as usize
            },
            legend_top,
            notes_top,
        }
    }

    /// x of the `i`-th row (the middle if there is only one).
    fn x_at(&self, i: usize) -> f64 {
        let (x0, x1, n) = (self.x0, self.x1, self.n);
        if n <= 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * i as f64 / (n - 1) as f64
        }
    }

    /// y of the value `v`.
    fn y_at(&self, v: f64) -> f64 {
        self.y1 - (v - self.y_min) / (self.y_max - self.y_min) * (self.y1 - self.y0)
    }

    /// The values of the y ticks from the lowest to the highest (at most 50).
    fn y_ticks(&self) -> Vec<f64> {
        let mut ticks = Vec::new();
        let mut tick = self.y_min;
        while tick <= self.y_max + self.step / 2.0 && ticks.len() < 50 {
            ticks.push(tick);
            tick += self.step;
        }
        ticks
    }
}

/// The title and, above the y axis, what the values are.
fn write_titles(out: &mut String, table: &ProtectedTable, unit: &str) {
    text(
        out,
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
    text(out, 12.0, 48.0, "start", " fill=\"#333333\"", &axis_title);
}

/// The horizontal grid lines and the labels of the y axis.
fn write_y_axis(out: &mut String, layout: &ChartLayout) {
    let ticks = layout.y_ticks();
    out.push_str("<g class=\"achse-y\" stroke=\"#d9d9d9\" stroke-width=\"1\">\n");
    for &tick in &ticks {
        let y = layout.y_at(tick);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            px(layout.x0),
            px(y),
            px(layout.x1),
            px(y)
        );
    }
    out.push_str("</g>\n<g class=\"beschriftung-y\" fill=\"#333333\">\n");
    for &tick in &ticks {
        text(
            out,
            layout.x0 - 8.0,
            layout.y_at(tick) + 4.0,
            "end",
            "",
            &german(tick, layout.tick_decimals),
        );
    }
    out.push_str("</g>\n");
}

/// The x axis with its ticks and labels.
fn write_x_axis(out: &mut String, layout: &ChartLayout, rows: &ChartRows<'_>) {
    let (x0, x1, y1) = (layout.x0, layout.x1, layout.y1);
    let _ = writeln!(
        out,
        "<line class=\"achse-x\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>",
        px(x0),
        px(y1),
        px(x1),
        px(y1)
    );
    out.push_str("<g class=\"beschriftung-x\" fill=\"#333333\">\n");
    for (i, label) in &rows.x_ticks() {
        let x = layout.x_at(*i);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\"/>",
            px(x),
            px(y1),
            px(x),
            px(y1 + 5.0)
        );
        text(out, x, y1 + 20.0, "middle", "", label);
    }
    out.push_str("</g>\n");
}

/// Colour and dash attribute of the `s`-th line.
fn line_style(s: usize) -> (&'static str, String) {
    let colour = LINE_COLOURS[s % LINE_COLOURS.len()];
    let dash = LINE_DASHES[(s / 2) % LINE_DASHES.len()];
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    };
    (colour, dash)
}

/// The `s`-th line: one group, one polyline per run of drawn values (a dot for a single one).
fn write_line(
    out: &mut String,
    layout: &ChartLayout,
    s: usize,
    label: &str,
    values: &[Option<f64>],
) {
    let (colour, dash) = line_style(s);
    let _ = writeln!(
        out,
        "<g class=\"reihe\" data-spalte=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}>",
        esc(label)
    );
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => run.push((layout.x_at(i), layout.y_at(*v))),
            None => write_run(out, &mut run, colour),
        }
    }
    write_run(out, &mut run, colour);
    out.push_str("</g>\n");
}

/// Writes and empties a run of points: a polyline, a dot for a single point, nothing if empty.
fn write_run(out: &mut String, run: &mut Vec<(f64, f64)>, colour: &str) {
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
}

/// The legend below the plot: a line sample and the label of each column.
fn write_legend(out: &mut String, layout: &ChartLayout, labels: &[String]) {
    let x0 = layout.x0;
    out.push_str("<g class=\"legende\">\n");
    for (s, label) in labels.iter().enumerate() {
        let y = layout.legend_top + 20.0 * s as f64;
        let (colour, dash) = line_style(s);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
            px(x0),
            px(y - 4.0),
            px(x0 + 32.0),
            px(y - 4.0)
        );
        text(out, x0 + 40.0, y, "start", "", label);
    }
    out.push_str("</g>\n");
}
