//! Line charts of monthly tables.

use super::*;

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

/// "2017-11" -> (2017, 11).
pub(super) fn year_month(key: &str) -> Option<(i32, u32)> {
    let (y, m) = key.split_once('-')?;
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
