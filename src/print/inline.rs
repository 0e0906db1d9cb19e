//! Lines of a form that mix text with fill-in blanks and tick boxes: the
//! 留言条's sentence (我们于 ____年__月__日 …), signature lines (客户签名 ____),
//! the 客户意见 boxes (☐满意 ☐基本满意 ☐不满意). A blank is an underline with
//! the value, when known, written over it; a tick box is a small square drawn
//! with rules, and its tick a drawn stroke (the face has neither ☐ nor ☑).
//!
//! Lines break as paragraphs do ([`super::text`]); a blank or a box is never
//! broken, nor parted from the text it touches (`____年`, `☐满意`).
//!
//! Must not: decide where on the page a line goes; the [`Document`] and the
//! grids do.
//!
//! [`Document`]: super::Document

use super::canvas::{Canvas, THIN_PT};
use super::font::Face;
use super::text::{clip, pieces};
use super::{Align, TextStyle, pt_to_mm};

/// Space between a blank's value and the ends of its underline.
const BLANK_PAD_MM: f32 = 1.5;
/// Where a blank's underline sits below the text's visual middle, in em.
pub(crate) const UNDERLINE_EM: f32 = 0.62;
/// A tick box's side, in em, and the space between it and its label.
const BOX_EM: f32 = 0.78;
const BOX_GAP_MM: f32 = 0.8;
/// The stroke of a tick box and of its tick.
const BOX_PT: f32 = 0.6;
const TICK_PT: f32 = 1.1;

/// One piece of a fill-in line.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text(String),
    /// A blank: an underline from `min_mm` to `max_mm` long (and never
    /// wider than the line) with `value` written over it, cut with `…` if
    /// longer; an empty value is left to be written by hand.
    Blank {
        value: String,
        min_mm: f32,
        max_mm: f32,
    },
    /// A tick box, ticked or empty.
    Tick {
        ticked: bool,
    },
}

impl Run {
    pub fn text(text: impl Into<String>) -> Run {
        Run::Text(text.into())
    }

    /// A blank as long as its value needs, at least `min_mm`.
    pub fn blank(value: impl Into<String>, min_mm: f32) -> Run {
        Run::Blank { value: value.into(), min_mm, max_mm: f32::INFINITY }
    }

    /// A blank of bounded length: a fixed-size form must not grow with
    /// what is written in it.
    pub fn blank_up_to(value: impl Into<String>, min_mm: f32, max_mm: f32) -> Run {
        Run::Blank { value: value.into(), min_mm, max_mm }
    }
}

/// `template` with each `{name}` listed in `fills` replaced by its run (a
/// blank, usually); all other text stays text.
pub fn template_runs(template: &str, fills: &[(&str, Run)]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|at| open + at) else { break };
        match fills.iter().find(|(name, _)| *name == &rest[open + 1..close]) {
            Some((_, run)) => {
                push_text(&mut runs, &rest[..open]);
                runs.push(run.clone());
            }
            None => push_text(&mut runs, &rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    push_text(&mut runs, rest);
    runs
}

fn push_text(runs: &mut Vec<Run>, text: &str) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(Run::Text(last)) => last.push_str(text),
        _ => runs.push(Run::text(text)),
    }
}

/// What a placed piece draws.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Text(String),
    Space,
    Blank(String),
    Tick(bool),
}

/// A piece measured: the smallest thing a line holds.
#[derive(Debug, Clone)]
struct Atom {
    item: Item,
    width_mm: f32,
}

/// One line laid out: its pieces, each at its offset from the line's start.
#[derive(Debug, Clone, Default)]
pub(crate) struct InlineLine {
    items: Vec<(f32, Atom)>,
    width_mm: f32,
}

/// The ways `runs` is cut into atoms at `size_pt` for lines `width_mm` wide.
fn atoms(face: &Face, runs: &[Run], size_pt: f32, width_mm: f32) -> Vec<Atom> {
    let mut out = Vec::new();
    for run in runs {
        match run {
            Run::Text(text) => text_atoms(face, text, size_pt, width_mm, &mut out),
            Run::Blank { value, min_mm, max_mm } => {
                let natural = face.width_mm(value.trim(), size_pt) + 2.0 * BLANK_PAD_MM;
                let width_mm = natural.max(*min_mm).min(*max_mm).min(width_mm);
                let value = clip(face, value, size_pt, width_mm - 2.0 * BLANK_PAD_MM);
                out.push(Atom { item: Item::Blank(value), width_mm });
            }
            Run::Tick { ticked } => {
                let width_mm = pt_to_mm(size_pt * BOX_EM) + BOX_GAP_MM;
                out.push(Atom { item: Item::Tick(*ticked), width_mm });
            }
        }
    }
    out
}

/// Text as the pieces a line may break between (a piece wider than the
/// line is broken between characters).
fn text_atoms(face: &Face, text: &str, size_pt: f32, width_mm: f32, out: &mut Vec<Atom>) {
    for piece in pieces(text) {
        let piece_mm = face.width_mm(&piece, size_pt);
        if piece.trim().is_empty() {
            out.push(Atom { item: Item::Space, width_mm: piece_mm });
        } else if piece_mm <= width_mm {
            out.push(Atom { item: Item::Text(piece), width_mm: piece_mm });
        } else {
            for c in piece.chars() {
                let c = c.to_string();
                out.push(Atom { width_mm: face.width_mm(&c, size_pt), item: Item::Text(c) });
            }
        }
    }
}

/// A line may break between `a` and `b`: at a space, or between two pieces
/// of text; never between a blank or box and what touches it.
fn may_break(a: &Atom, b: &Atom) -> bool {
    let text = |x: &Atom| matches!(x.item, Item::Text(_));
    a.item == Item::Space || b.item == Item::Space || (text(a) && text(b))
}

/// Atoms grouped into units that stay on one line.
fn units(atoms: Vec<Atom>) -> Vec<Vec<Atom>> {
    let mut out: Vec<Vec<Atom>> = Vec::new();
    for atom in atoms {
        match out.last_mut() {
            Some(unit) if unit.last().is_some_and(|last| !may_break(last, &atom)) => unit.push(atom),
            _ => out.push(vec![atom]),
        }
    }
    out
}

/// The width of the widest piece of `runs` that [`flow`] keeps on one line
/// when it can: a word, or a tick box with the word after it.
pub(crate) fn widest_unit_mm(face: &Face, runs: &[Run], size_pt: f32) -> f32 {
    let units = units(atoms(face, runs, size_pt, f32::INFINITY));
    units.iter().map(|unit| unit.iter().map(|a| a.width_mm).sum::<f32>()).fold(0.0, f32::max)
}

/// `runs` broken into lines no wider than `width_mm` (a single blank or
/// word wider than that is cut to fit).
pub(crate) fn flow(face: &Face, runs: &[Run], size_pt: f32, width_mm: f32) -> Vec<InlineLine> {
    let mut lines = Vec::new();
    let mut line = InlineLine::default();
    for unit in units(atoms(face, runs, size_pt, width_mm)) {
        let unit_mm: f32 = unit.iter().map(|a| a.width_mm).sum();
        let parts = if unit_mm > width_mm { unit.into_iter().map(|a| vec![a]).collect() } else { vec![unit] };
        for part in parts {
            let part_mm: f32 = part.iter().map(|a| a.width_mm).sum();
            if line.width_mm + part_mm > width_mm + 1e-3 && !line.items.is_empty() {
                lines.push(std::mem::take(&mut line).trimmed(face, size_pt));
            }
            // A space does not start a line that a break made.
            if part.iter().all(|a| a.item == Item::Space) && line.items.is_empty() && !lines.is_empty() {
                continue;
            }
            part.into_iter().for_each(|atom| line.push(atom));
        }
    }
    if !line.items.is_empty() {
        lines.push(line.trimmed(face, size_pt));
    }
    lines
}

impl InlineLine {
    /// Adds `atom` at the end; text joins the text before it, so a line
    /// draws (and reads back) as few runs as it can.
    fn push(&mut self, atom: Atom) {
        let width_mm = atom.width_mm;
        let joined = match (self.items.last_mut(), &atom.item) {
            (Some((_, last)), Item::Text(piece)) => match &mut last.item {
                Item::Text(text) => {
                    text.push_str(piece);
                    last.width_mm += width_mm;
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !joined {
            self.items.push((self.width_mm, atom));
        }
        self.width_mm += width_mm;
    }

    /// The line without the spaces at its end.
    fn trimmed(mut self, face: &Face, size_pt: f32) -> InlineLine {
        while self.items.last().is_some_and(|(_, a)| a.item == Item::Space) {
            self.items.pop();
        }
        if let Some((_, Atom { item: Item::Text(text), width_mm })) = self.items.last_mut() {
            text.truncate(text.trim_end().len());
            *width_mm = face.width_mm(text, size_pt);
        }
        self.width_mm = self.items.last().map(|(x, a)| x + a.width_mm).unwrap_or(0.0);
        self
    }

    /// How wide the line is drawn.
    pub(crate) fn width_mm(&self) -> f32 {
        self.width_mm
    }

    /// Draws the line in the box `x_mm .. x_mm + width_mm`, its visual
    /// middle at `middle_mm`.
    pub(crate) fn draw(
        &self,
        canvas: &mut Canvas,
        face: &Face,
        style: TextStyle,
        (x_mm, width_mm): (f32, f32),
        middle_mm: f32,
        align: Align,
    ) {
        let left = match align {
            Align::Left => x_mm,
            Align::Centre => x_mm + (width_mm - self.width_mm) / 2.0,
            Align::Right => x_mm + width_mm - self.width_mm,
        };
        for (offset, atom) in &self.items {
            let span = (left + offset, atom.width_mm);
            match &atom.item {
                Item::Text(text) => canvas.text(face, text, style, span, middle_mm, Align::Left),
                Item::Space => {}
                Item::Blank(value) => {
                    let under = middle_mm + pt_to_mm(style.size_pt * UNDERLINE_EM);
                    canvas.hline(under, (span.0, span.0 + span.1), THIN_PT);
                    canvas.text(face, value, style, span, middle_mm, Align::Centre);
                }
                Item::Tick(ticked) => {
                    let side = pt_to_mm(style.size_pt * BOX_EM);
                    let corner = (span.0, middle_mm - side / 2.0);
                    canvas.square(corner, side, BOX_PT);
                    if *ticked {
                        canvas.tick(corner, side, TICK_PT);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::font::face;
    use super::*;

    fn texts(line: &InlineLine) -> Vec<String> {
        line.items
            .iter()
            .map(|(_, a)| match &a.item {
                Item::Text(t) => t.clone(),
                Item::Space => " ".into(),
                Item::Blank(v) => format!("[{v}]"),
                Item::Tick(t) => format!("<{t}>"),
            })
            .collect()
    }

    #[test]
    fn a_template_becomes_text_and_blanks() {
        let fills = [("year", Run::blank("2026", 10.0)), ("service", Run::blank("", 20.0))];
        let runs = template_runs("我们于 {year}年{x}提供 {service} 服务", &fills);
        assert_eq!(
            runs,
            [
                Run::text("我们于 "),
                Run::blank("2026", 10.0),
                Run::text("年{x}提供 "),
                Run::blank("", 20.0),
                Run::text(" 服务"),
            ]
        );
    }

    #[test]
    fn blanks_stay_with_the_text_they_touch() {
        let face = face().unwrap();
        let runs =
            template_runs("上门时间 {y}年{m}月", &[("y", Run::blank("", 12.0)), ("m", Run::blank("", 7.0))]);
        let narrow = face.width_mm("上门时间", 10.0) + 15.0;
        let lines = flow(face, &runs, 10.0, narrow);
        assert_eq!(lines.len(), 2, "{:?}", lines.iter().map(texts).collect::<Vec<_>>());
        assert_eq!(texts(&lines[1]), ["[]", "年", "[]", "月"]);
    }

    #[test]
    fn lines_fit_their_width_and_lose_their_edge_spaces() {
        let face = face().unwrap();
        let runs = vec![Run::text("因您不在家未能完成。请您回家后致电 "), Run::blank("0755-12345678", 30.0)];
        let width = 40.0;
        let lines = flow(face, &runs, 10.0, width);
        assert!(lines.len() >= 2);
        for line in &lines {
            assert!(line.width_mm <= width + 1e-3, "{:?}", texts(line));
            assert!(!texts(line).last().is_some_and(|t| t.ends_with(' ')), "{:?}", texts(line));
        }
        assert_eq!(texts(lines.last().unwrap()).last().unwrap(), "[0755-12345678]");
    }

    #[test]
    fn a_bounded_blank_cuts_its_value() {
        let face = face().unwrap();
        let long = "厨房油烟机拆洗、灶台去油污、橱柜内外清洁";
        let lines = flow(face, &[Run::blank_up_to(long, 10.0, 30.0)], 10.0, 100.0);
        assert_eq!(lines.len(), 1);
        assert!((lines[0].width_mm - 30.0).abs() < 1e-3, "{}", lines[0].width_mm);
        let value = texts(&lines[0]).concat();
        assert!(value.starts_with("[厨房") && value.ends_with("…]"), "{value}");
    }

    #[test]
    fn the_widest_unit_is_a_box_with_its_word() {
        let face = face().unwrap();
        let runs = vec![Run::Tick { ticked: false }, Run::text("Dissatisfied")];
        let word = face.width_mm("Dissatisfied", 10.0);
        let unit = widest_unit_mm(face, &runs, 10.0);
        assert!(unit > word, "{unit} is the box and the word, more than the word's {word}");
        assert_eq!(flow(face, &runs, 10.0, unit + 0.01).len(), 1, "on one line when it fits");
    }

    #[test]
    fn a_tick_box_keeps_its_label() {
        let face = face().unwrap();
        let runs = vec![
            Run::Tick { ticked: true },
            Run::text("满意　"),
            Run::Tick { ticked: false },
            Run::text("不满意"),
        ];
        let lines = flow(face, &runs, 10.0, 100.0);
        assert_eq!(texts(&lines[0]), ["<true>", "满意", " ", "<false>", "不满意"]);
    }
}
