//! Charts drawn as vector lines and boxes on the page (no images): bars
//! over months or categories, one or more series side by side in grey
//! shades told apart by a legend, and a line of values (a share in %) that
//! leaves gaps where a month has none. The value axis is ruled at a few
//! round ticks (steps of 1, 2 or 5 × 10ⁿ) with light gridlines.
//! [`Document::charts`] places charts in the flow of a page.
//!
//! Must not: compute the values or word the labels; the caller passes
//! both, already in the unit shown (yuan, %, a count).
//!
//! [`Document::charts`]: super::Document::charts

use super::canvas::{Canvas, THIN_PT};
use super::font::Face;
use super::text::clip;
use super::{Align, TextStyle, pt_to_mm};

/// The caption over a chart.
const CAPTION_STYLE: TextStyle = TextStyle::bold(9.0);
/// Legend, tick and category labels.
const LABEL_STYLE: TextStyle = TextStyle::regular(7.0);
/// A value written over its bar or point.
const VALUE_STYLE: TextStyle = TextStyle::regular(6.0);
/// About how many steps the value axis is cut into.
const TARGET_TICKS: usize = 5;
/// Bars and points stand for counts, yuan and whole percents: no tick
/// finer than one.
const MIN_STEP: f32 = 1.0;
/// The grey of each series' bars, darkest first: far enough apart to be
/// told apart on a grey-scale office printer. A fourth series repeats.
const SHADES: [f32; 3] = [0.25, 0.6, 0.88];
/// The share of a category's slot its group of bars takes.
const GROUP_SHARE: f32 = 0.72;
const GRIDLINE_GREY: f32 = 0.72;
const GRIDLINE_PT: f32 = 0.3;
const AXIS_PT: f32 = 0.6;
const BAR_OUTLINE_PT: f32 = 0.3;
const LINE_PT: f32 = 1.1;
/// The square that marks a point of a line.
const MARKER_MM: f32 = 1.3;
/// The legend's swatch and the space around its entries.
const SWATCH_MM: f32 = 2.6;
const LEGEND_GAP_MM: f32 = 5.0;
/// Space between the tick labels and the plot, and around the plot.
const PAD_MM: f32 = 1.5;

/// One series of bars: its name in the legend and a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f32>,
}

/// What a chart draws over its categories.
#[derive(Debug, Clone, PartialEq)]
pub enum Plot {
    /// Bars, one group per category, one bar per series; a legend when
    /// there is more than one series. `values_shown` writes each value over
    /// its bar (for few bars).
    Bars { series: Vec<Series>, values_shown: bool },
    /// A line through the values on an axis from 0 to `top` (100 for a
    /// share in %); a missing value breaks the line. Each value is written
    /// over its point.
    Line { values: Vec<Option<f32>>, top: f32 },
}

/// A chart: its caption, the categories along the bottom (`11月`, `2小时内`)
/// and what is drawn over them.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub caption: String,
    pub labels: Vec<String>,
    pub plot: Plot,
}

/// The value axis: ticks every `step` from 0 up to `top`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub(crate) step: f32,
    pub(crate) top: f32,
}

impl Axis {
    /// An axis from 0 that holds `max`, cut into about [`TARGET_TICKS`]
    /// round steps; one step high when there is nothing to show.
    pub(crate) fn holding(max: f32) -> Axis {
        let step = nice_step(max, TARGET_TICKS).max(MIN_STEP);
        let steps = (max / step - 1e-4).ceil().max(1.0);
        Axis { step, top: steps * step }
    }

    /// The tick values, 0 and `top` included.
    pub(crate) fn ticks(&self) -> Vec<f32> {
        let n = (self.top / self.step).round() as usize;
        (0..=n).map(|i| i as f32 * self.step).collect()
    }
}

/// The round step (1, 2 or 5 × 10ⁿ) that cuts `0 ..= max` into at most
/// about `ticks` steps: the smallest such step of at least `max / ticks`.
pub(crate) fn nice_step(max: f32, ticks: usize) -> f32 {
    let raw = max / ticks.max(1) as f32;
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f32.powf(raw.log10().floor());
    let normal = raw / magnitude;
    // A little slack: 20.000002 is a step of 20, not 50.
    let nice = [1.0, 2.0, 5.0].into_iter().find(|n| normal <= n * 1.0001).unwrap_or(10.0);
    nice * magnitude
}

/// A tick or a value as printed: whole numbers with thousands separators
/// (`12,000`), one decimal otherwise (`92.5`).
pub(crate) fn value_text(value: f32) -> String {
    let tenths = (value * 10.0).round() as i64;
    let whole = tenths / 10;
    let mut digits = whole.abs().to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    let sign = if tenths < 0 { "-" } else { "" };
    match tenths % 10 {
        0 => format!("{sign}{digits}{grouped}"),
        decimal => format!("{sign}{digits}{grouped}.{}", decimal.abs()),
    }
}

/// Where the plot's parts lie on the page, in millimetres.
struct Frame {
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
}

impl Frame {
    fn width(&self) -> f32 {
        self.right - self.left
    }

    /// The y of `value` on `axis`.
    fn y_of(&self, value: f32, axis: Axis) -> f32 {
        let share = (value / axis.top).clamp(0.0, 1.0);
        self.bottom - share * (self.bottom - self.top)
    }
}

impl Chart {
    fn legend(&self) -> Vec<&str> {
        match &self.plot {
            Plot::Bars { series, .. } if series.len() > 1 => series.iter().map(|s| s.name.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    fn axis(&self) -> Axis {
        match &self.plot {
            Plot::Bars { series, .. } => {
                let max = series.iter().flat_map(|s| &s.values).copied().fold(0.0, f32::max);
                Axis::holding(max)
            }
            Plot::Line { top, .. } => Axis { step: nice_step(*top, TARGET_TICKS), top: *top },
        }
    }

    /// Draws the chart in the box at `(x, y)` of size `(width, height)`.
    pub(crate) fn draw(
        &self,
        canvas: &mut Canvas,
        face: &Face,
        (x, y): (f32, f32),
        (width, height): (f32, f32),
    ) {
        let mut top = y;
        let caption_mm = CAPTION_STYLE.line_height_mm();
        let caption = clip(face, &self.caption, CAPTION_STYLE.size_pt, width);
        canvas.text(face, &caption, CAPTION_STYLE, (x, width), top + caption_mm / 2.0, Align::Centre);
        top += caption_mm;
        let legend = self.legend();
        let label_mm = LABEL_STYLE.line_height_mm();
        if !legend.is_empty() {
            draw_legend(canvas, face, &legend, (x, width), top + label_mm / 2.0);
            top += label_mm;
        }
        let axis = self.axis();
        let ticks = axis.ticks();
        let tick_mm =
            ticks.iter().map(|v| face.width_mm(&value_text(*v), LABEL_STYLE.size_pt)).fold(0.0, f32::max);
        let frame = Frame {
            left: x + tick_mm + PAD_MM,
            right: x + width - PAD_MM,
            // Room over the top tick for its label and a value over the tallest bar.
            top: top + pt_to_mm(VALUE_STYLE.size_pt) + PAD_MM,
            bottom: y + height - label_mm - PAD_MM / 2.0,
        };
        if frame.width() <= 0.0 || frame.bottom <= frame.top {
            return;
        }
        for tick in &ticks {
            let ty = frame.y_of(*tick, axis);
            if *tick > 0.0 {
                canvas.polyline(&[(frame.left, ty), (frame.right, ty)], GRIDLINE_PT, GRIDLINE_GREY);
            }
            canvas.text(face, &value_text(*tick), LABEL_STYLE, (x, tick_mm), ty, Align::Right);
        }
        match &self.plot {
            Plot::Bars { series, values_shown } => {
                self.draw_bars(canvas, face, &frame, axis, series, *values_shown)
            }
            Plot::Line { values, .. } => self.draw_line(canvas, face, &frame, axis, values),
        }
        canvas.hline(frame.bottom, (frame.left, frame.right), AXIS_PT);
        canvas.vline(frame.left, (frame.top, frame.bottom), AXIS_PT);
        let slot = self.slot_mm(&frame);
        for (i, label) in self.labels.iter().enumerate() {
            let text = clip(face, label, LABEL_STYLE.size_pt, slot);
            let span = (frame.left + slot * i as f32, slot);
            canvas.text(
                face,
                &text,
                LABEL_STYLE,
                span,
                frame.bottom + PAD_MM / 2.0 + label_mm / 2.0,
                Align::Centre,
            );
        }
    }

    fn slot_mm(&self, frame: &Frame) -> f32 {
        frame.width() / self.labels.len().max(1) as f32
    }

    fn draw_bars(
        &self,
        canvas: &mut Canvas,
        face: &Face,
        frame: &Frame,
        axis: Axis,
        series: &[Series],
        values_shown: bool,
    ) {
        let slot = self.slot_mm(frame);
        let group = slot * GROUP_SHARE;
        let bar = group / series.len().max(1) as f32;
        for i in 0..self.labels.len() {
            let group_left = frame.left + slot * i as f32 + (slot - group) / 2.0;
            for (j, s) in series.iter().enumerate() {
                let Some(value) = s.values.get(i).copied() else { continue };
                let bar_top = frame.y_of(value, axis);
                let corner = (group_left + bar * j as f32, bar_top);
                let size = (bar, frame.bottom - bar_top);
                if size.1 > 0.0 {
                    canvas.fill(corner, size, SHADES[j % SHADES.len()]);
                    canvas.frame(corner, size, BAR_OUTLINE_PT);
                }
                if values_shown {
                    let middle = bar_top - pt_to_mm(VALUE_STYLE.size_pt) * 0.7;
                    let span = (corner.0 - bar, bar * 3.0);
                    canvas.text(face, &value_text(value), VALUE_STYLE, span, middle, Align::Centre);
                }
            }
        }
    }

    fn draw_line(&self, canvas: &mut Canvas, face: &Face, frame: &Frame, axis: Axis, values: &[Option<f32>]) {
        let slot = self.slot_mm(frame);
        let point = |i: usize, v: f32| (frame.left + slot * (i as f32 + 0.5), frame.y_of(v, axis));
        let mut run: Vec<(f32, f32)> = Vec::new();
        for (i, value) in values.iter().enumerate().take(self.labels.len()) {
            match value {
                Some(v) => run.push(point(i, *v)),
                None => canvas.polyline(&std::mem::take(&mut run), LINE_PT, 0.0),
            }
        }
        canvas.polyline(&run, LINE_PT, 0.0);
        for (i, value) in values.iter().enumerate().take(self.labels.len()) {
            let Some(v) = value else { continue };
            let (px, py) = point(i, *v);
            let half = MARKER_MM / 2.0;
            canvas.fill((px - half, py - half), (MARKER_MM, MARKER_MM), 0.0);
            let middle = py - half - pt_to_mm(VALUE_STYLE.size_pt) * 0.7;
            canvas.text(face, &value_text(*v), VALUE_STYLE, (px - slot / 2.0, slot), middle, Align::Centre);
        }
    }
}

/// The series' swatches and names in a row, centred over the chart.
fn draw_legend(canvas: &mut Canvas, face: &Face, names: &[&str], (x, width): (f32, f32), middle: f32) {
    let entry = |name: &str| SWATCH_MM + 1.0 + face.width_mm(name, LABEL_STYLE.size_pt);
    let total: f32 = names.iter().map(|n| entry(n)).sum::<f32>() + LEGEND_GAP_MM * (names.len() as f32 - 1.0);
    let mut left = x + ((width - total) / 2.0).max(0.0);
    for (j, name) in names.iter().enumerate() {
        let corner = (left, middle - SWATCH_MM / 2.0);
        canvas.fill(corner, (SWATCH_MM, SWATCH_MM), SHADES[j % SHADES.len()]);
        canvas.frame(corner, (SWATCH_MM, SWATCH_MM), THIN_PT);
        let text_x = left + SWATCH_MM + 1.0;
        canvas.text(face, name, LABEL_STYLE, (text_x, entry(name)), middle, Align::Left);
        left += entry(name) + LEGEND_GAP_MM;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(7.0, 5), 2.0);
        assert_eq!(nice_step(5.0, 5), 1.0);
        assert_eq!(nice_step(23.0, 5), 5.0);
        assert_eq!(nice_step(48.0, 5), 10.0);
        assert_eq!(nice_step(1000.0, 5), 200.0);
        assert_eq!(nice_step(12_345.0, 5), 5_000.0);
        assert!((nice_step(1.2, 5) - 0.5).abs() < 1e-6);
        assert_eq!(nice_step(0.0, 5), 1.0);
        assert_eq!(nice_step(f32::NAN, 5), 1.0);
    }

    #[test]
    fn the_axis_holds_the_largest_value_in_whole_steps() {
        assert_eq!(Axis::holding(100.0), Axis { step: 20.0, top: 100.0 });
        assert_eq!(Axis::holding(101.0), Axis { step: 50.0, top: 150.0 });
        assert_eq!(Axis::holding(7.0), Axis { step: 2.0, top: 8.0 });
        assert_eq!(Axis::holding(3.0), Axis { step: 1.0, top: 3.0 });
        assert_eq!(Axis::holding(12_345.0), Axis { step: 5_000.0, top: 15_000.0 });
        assert_eq!(Axis::holding(0.0), Axis { step: 1.0, top: 1.0 });
        assert_eq!(Axis::holding(0.4), Axis { step: 1.0, top: 1.0 }, "no step finer than one");
        assert_eq!(Axis::holding(7.0).ticks(), [0.0, 2.0, 4.0, 6.0, 8.0]);
    }

    #[test]
    fn values_print_whole_with_separators_or_to_one_decimal() {
        assert_eq!(value_text(0.0), "0");
        assert_eq!(value_text(15_000.0), "15,000");
        assert_eq!(value_text(1_234_567.0), "1,234,567");
        assert_eq!(value_text(92.5), "92.5");
        assert_eq!(value_text(100.0), "100");
        assert_eq!(value_text(-1_500.0), "-1,500");
    }
}
