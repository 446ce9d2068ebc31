//! The dashboard's charts, drawn as inline SVG: horizontal bars with a marked value,
//! and lines over periods. Every shape carries a `<title>` with its exact figure, so a
//! reader pointing at a bar sees the number behind it.

use std::fmt::Write as _;

use super::escape;

/// One bar: its label, its value (a fraction; None draws no bar) and the text beside it.
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub text: String,
}

/// A value marked across every bar (the city rate, the target).
pub struct Mark {
    pub value: f64,
    pub text: String,
}

/// One line of a line chart: a value (a fraction) per period, None for a gap.
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

const COLORS: [&str; 3] = ["#b71c1c", "#1565c0", "#2e7d32"];
const WIDTH: f64 = 380.0;
const LABEL: f64 = 78.0;
const TEXT: f64 = 96.0;
const ROW: f64 = 20.0;

/// The start of a chart of `width` × `height` units, with its title (shown, and
/// read out by screen readers).
fn open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         font-size=\"11\"><title>{t}</title><text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">{t}</text>",
        t = escape(title)
    )
}

/// Horizontal bars of fractions from 0 to `max`, with `mark` drawn as a dashed line.
pub fn bar_chart(title: &str, bars: &[Bar], mark: Option<&Mark>, max: f64) -> String {
    let plot = WIDTH - LABEL - TEXT;
    let top = 34.0;
    let bottom = top + ROW * bars.len() as f64;
    let height = bottom + 16.0;
    let x = |v: f64| LABEL + plot * (v / max).clamp(0.0, 1.0);
    let mut s = open(WIDTH, height, title);
    // The axis under the bars, so that the mark's label above them stands alone.
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let tx = x(tick * max);
        let _ = write!(
            s,
            "<line x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{bottom}\" stroke=\"#e4e7eb\"/>\
             <text x=\"{tx:.1}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"#7b8794\" font-size=\"9\">{p:.0}%</text>",
            ty = bottom + 11.0,
            p = 100.0 * tick * max
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + ROW * i as f64;
        let _ = write!(
            s,
            "<text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
            lx = LABEL - 4.0,
            ty = y + 13.0,
            label = escape(&bar.label)
        );
        if let Some(v) = bar.value {
            let _ = write!(
                s,
                "<rect x=\"{LABEL}\" y=\"{ry:.1}\" width=\"{w:.1}\" height=\"14\" fill=\"{c}\">\
                 <title>{label}：{text}</title></rect>",
                ry = y + 3.0,
                w = x(v) - LABEL,
                c = COLORS[0],
                label = escape(&bar.label),
                text = escape(&bar.text)
            );
        }
        let _ = write!(
            s,
            "<text x=\"{tx:.1}\" y=\"{ty:.1}\">{text}</text>",
            tx = WIDTH - TEXT + 4.0,
            ty = y + 13.0,
            text = escape(&bar.text)
        );
    }
    if let Some(m) = mark {
        let mx = x(m.value);
        let _ = write!(
            s,
            "<line x1=\"{mx:.1}\" y1=\"{a}\" x2=\"{mx:.1}\" y2=\"{b:.1}\" stroke=\"#f9a825\" \
             stroke-width=\"2\" stroke-dasharray=\"4 3\"><title>{t}</title></line>\
             <text x=\"{mx:.1}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"#8d6e00\" font-size=\"10\">{t}</text>",
            a = top - 4.0,
            b = bottom,
            ty = 28.0,
            t = escape(&m.text)
        );
    }
    s.push_str("</svg>");
    s
}

/// Lines of fractions over `periods`, 0 to 100%, with a legend.
pub fn line_chart(title: &str, periods: &[String], series: &[Series]) -> String {
    let (width, height) = (560.0, 260.0);
    let (left, right, top, bottom) = (40.0, 16.0, 40.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let step = plot_w / (periods.len().max(2) - 1) as f64;
    let px = |i: usize| left + step * i as f64;
    let py = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 1.0));
    let mut s = open(width, height, title);
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = py(tick);
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#e4e7eb\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"#7b8794\" font-size=\"9\">{p:.0}%</text>",
            x2 = width - right,
            tx = left - 4.0,
            ty = y + 3.0,
            p = 100.0 * tick
        );
    }
    // Every label when they fit, else about eight of them.
    let every = periods.len().div_ceil(8).max(1);
    for (i, p) in periods.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" fill=\"#52606d\" font-size=\"9\">{p}</text>",
            x = px(i),
            y = height - bottom + 14.0,
            p = escape(p)
        );
    }
    for (k, line) in series.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let points: Vec<String> = line
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", px(i), py(v))))
            .collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>",
            points.join(" ")
        );
        for (i, v) in line.values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"><title>{} {}：{:.1}%</title></circle>",
                    px(i),
                    py(*v),
                    escape(&periods[i]),
                    escape(&line.name),
                    100.0 * v
                );
            }
        }
        let lx = left + 120.0 * k as f64;
        let _ = write!(
            s,
            "<rect x=\"{lx}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{color}\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{name}</text>",
            y = height - 14.0,
            tx = lx + 14.0,
            ty = height - 5.0,
            name = escape(&line.name)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bar of 50% on a 0–100% axis ends halfway across the plot: the plot is
    /// 380 − 78 − 96 = 206 wide, so the bar is 103 wide; the mark at 40% is at
    /// 78 + 0.4 × 206 = 160.4.
    #[test]
    fn bars_are_as_long_as_their_values() {
        let bars = [Bar {
            label: "东城区".into(),
            value: Some(0.5),
            text: "50.0%".into(),
        }];
        let mark = Mark {
            value: 0.4,
            text: "目标 40.0%".into(),
        };
        let svg = bar_chart("组织覆盖率", &bars, Some(&mark), 1.0);
        assert!(svg.contains("width=\"103.0\""), "{svg}");
        assert!(svg.contains("x1=\"160.4\""), "{svg}");
        assert!(svg.contains("<title>东城区：50.0%</title>"));
    }
}
