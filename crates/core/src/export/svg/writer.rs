//! Writing SVG text: escaping, element ids, coordinates and German numbers, the document frame
//! and text elements.

use super::*;

/// The number of a published value, `None` for ".", "x".
pub(super) fn number(value: Published) -> Option<f64> {
    match value {
        Published::Value(n) => Some(n as f64),
        Published::Zero => Some(0.0),
        Published::Percent(x) | Published::PerMille(x) | Published::ChangePercent(x)
            if x.is_finite() =>
        {
            Some(x)
        }
        Published::Difference(d) => Some(d as f64),
        _ => None,
    }
}

/// Escapes text for XML content and attribute values.
pub(super) fn esc(text: &str) -> String {
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
pub(super) fn id_of(key: &str) -> String {
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
pub(super) fn px(x: f64) -> String {
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
pub(super) fn german(x: f64, decimals: usize) -> String {
    format::decimal(x, decimals)
}

pub(super) fn svg_open(
    out: &mut String,
    id: &str,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
) {
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

pub(super) fn text(out: &mut String, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
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

pub(super) fn write_notes(out: &mut String, x: f64, top: f64, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    out.push_str("<g class=\"hinweise\" fill=\"#333333\">\n");
    for (i, note) in notes.iter().enumerate() {
        text(out, x, top + 18.0 * i as f64 + 12.0, "start", "", note);
    }
    out.push_str("</g>\n");
}

/// `lines` broken at spaces so that each fits a figure `width` pixels wide (12 px text).
pub(super) fn wrap_lines(lines: &[String], width: f64) -> Vec<String> {
    let max = ((width - 24.0) / 6.4).floor().max(20.0) as usize;
    let mut out = Vec::new();
    for line in lines {
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > max {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}
