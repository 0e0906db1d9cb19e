//! Running text of a contract or a letter: paragraphs (justified, the first
//! line indented two characters as Chinese prose is), numbered items with a
//! hanging indent (`1．` at the left, the text wrapped in a column beside it),
//! and lines of labelled fields side by side (甲方（签字）：____　日期：____).
//!
//! Each piece is laid out before it is placed, so that its height is known:
//! an item never splits across pages (unless it is taller than a page), and
//! [`Document::keep_together`] keeps a block of pieces on one page — a
//! clause's heading with its first item, a signature block whole.
//!
//! Must not: choose the words or the order of the pieces; the forms do.

use super::Document;
use crate::print::canvas::THIN_PT;
use crate::print::inline::{InlineLine, Run, UNDERLINE_EM, flow};
use crate::print::text::{clip, wrap_indented};
use crate::print::{Align, TextStyle, pt_to_mm};

/// The pitch of prose lines, as a multiple of the type size: looser than a
/// form's, for reading a page of clauses.
const PROSE_SPACING: f32 = 1.6;
/// The pitch of a line of fields: room to write and sign on the rules.
const FIELD_SPACING: f32 = 2.4;
/// How far in (in em) a paragraph's first line and an item's label start,
/// and how far the label's text column stands from the label.
const INDENT_EM: f32 = 2.0;
const HANG_EM: f32 = 1.6;
/// A line is justified only if no gap between characters grows past this
/// (in em): a line cut short by a long number is left ragged, not spaced out.
const MAX_GAP_EM: f32 = 0.35;
/// Space between two fields on a line, and between a value and its rule's ends.
const FIELD_GAP_MM: f32 = 6.0;
const FIELD_PAD_MM: f32 = 1.5;
/// Space after an item, so that items read apart.
const ITEM_SPACE_MM: f32 = 0.6;

/// A piece of running text.
#[derive(Debug, Clone, PartialEq)]
pub enum Prose {
    /// Text across the body, wrapped; `indent_em` sets in the first line of
    /// each paragraph (`\n`). Left-aligned text is justified but for the
    /// last line of a paragraph.
    Paragraph { text: String, style: TextStyle, indent_em: f32, align: Align },
    /// A numbered item: `label` (`1．`) set in from the left, the text
    /// wrapped in the column beside it (a hanging indent).
    Item { label: String, text: String, style: TextStyle },
    /// Fields side by side, each in an equal share of the body.
    Fields { fields: Vec<Field>, style: TextStyle },
    /// Blank space (none at the top of a page).
    Gap(f32),
}

/// One slot of a line of fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// The label, then the value written over a rule that runs to the end
    /// of the slot (cut with `…` if too long); an empty value is left to be
    /// written or signed by hand.
    Line { label: String, value: String },
    /// The label, then text with blanks of their own lengths (a date:
    /// `____年__月__日`), wrapped in the slot.
    Runs { label: String, runs: Vec<Run> },
    /// Nothing: the slot stays empty.
    Empty,
}

impl Prose {
    /// A paragraph flush left, justified.
    pub fn paragraph(text: impl Into<String>, style: TextStyle) -> Prose {
        Prose::Paragraph { text: text.into(), style, indent_em: 0.0, align: Align::Left }
    }

    /// A paragraph of Chinese prose: its first line set in two characters.
    pub fn indented(text: impl Into<String>, style: TextStyle) -> Prose {
        Prose::Paragraph { text: text.into(), style, indent_em: INDENT_EM, align: Align::Left }
    }

    /// Text placed by `align` (a centred note, a right-aligned number).
    pub fn aligned(text: impl Into<String>, style: TextStyle, align: Align) -> Prose {
        Prose::Paragraph { text: text.into(), style, indent_em: 0.0, align }
    }

    pub fn item(label: impl Into<String>, text: impl Into<String>, style: TextStyle) -> Prose {
        Prose::Item { label: label.into(), text: text.into(), style }
    }

    pub fn fields(fields: Vec<Field>, style: TextStyle) -> Prose {
        Prose::Fields { fields, style }
    }
}

impl Field {
    pub fn line(label: impl Into<String>, value: impl Into<String>) -> Field {
        Field::Line { label: label.into(), value: value.into() }
    }

    pub fn runs(label: impl Into<String>, runs: Vec<Run>) -> Field {
        Field::Runs { label: label.into(), runs }
    }
}

/// What one line of a piece draws, placed across the page.
enum Mark {
    Text {
        text: String,
        style: TextStyle,
        span: (f32, f32),
        align: Align,
        justify: bool,
    },
    Inline {
        line: InlineLine,
        style: TextStyle,
        span: (f32, f32),
    },
    /// A rule under the line, from one x to another.
    Rule {
        from_mm: f32,
        to_mm: f32,
        below_mm: f32,
    },
}

/// A piece laid out: its lines, their pitch, the space after it, and
/// whether it may be split between pages.
struct Laid {
    lines: Vec<Vec<Mark>>,
    pitch_mm: f32,
    space_mm: f32,
    splits: bool,
}

impl Laid {
    fn height_mm(&self) -> f32 {
        self.lines.len() as f32 * self.pitch_mm + self.space_mm
    }
}

impl Document {
    /// One piece of prose at the cursor. A paragraph breaks between lines;
    /// an item or a line of fields moves whole to the next page if it does
    /// not fit on this one.
    pub fn prose(&mut self, piece: &Prose) {
        let laid = self.lay_out(piece);
        self.place(laid);
    }

    /// Pieces kept on one page: if they do not all fit on this one, they
    /// start the next (unless they would not fit on any page).
    pub fn keep_together(&mut self, pieces: &[Prose]) {
        let laid: Vec<Laid> = pieces.iter().map(|piece| self.lay_out(piece)).collect();
        let total_mm: f32 = laid.iter().map(Laid::height_mm).sum();
        if total_mm <= self.page_body_mm() {
            self.make_room(total_mm);
        }
        laid.into_iter().for_each(|laid| self.place(laid));
    }

    /// The height `pieces` take when placed together on one page.
    pub fn prose_height_mm(&self, pieces: &[Prose]) -> f32 {
        pieces.iter().map(|piece| self.lay_out(piece).height_mm()).sum()
    }

    /// The height of the current page's body, below the header.
    fn page_body_mm(&self) -> f32 {
        self.bottom_mm - self.top_mm
    }

    fn place(&mut self, laid: Laid) {
        let lines_mm = laid.lines.len() as f32 * laid.pitch_mm;
        if !laid.splits && lines_mm <= self.page_body_mm() {
            self.make_room(lines_mm);
        }
        for line in &laid.lines {
            self.make_room(laid.pitch_mm);
            let middle = self.y_mm + laid.pitch_mm / 2.0;
            line.iter().for_each(|mark| self.draw_mark(mark, middle));
            self.y_mm += laid.pitch_mm;
        }
        // Space at the top of a page only pushes the text down.
        if self.y_mm > self.top_mm {
            self.gap(laid.space_mm);
        }
    }

    fn draw_mark(&mut self, mark: &Mark, middle_mm: f32) {
        match mark {
            Mark::Text { text, style, span, align, justify: true } if *align == Align::Left => {
                let max_gap_mm = pt_to_mm(style.size_pt * MAX_GAP_EM);
                self.page.text_justified(self.face, text, *style, *span, middle_mm, max_gap_mm);
            }
            Mark::Text { text, style, span, align, .. } => {
                self.page.text(self.face, text, *style, *span, middle_mm, *align);
            }
            Mark::Inline { line, style, span } => {
                line.draw(&mut self.page, self.face, *style, *span, middle_mm, Align::Left);
            }
            Mark::Rule { from_mm, to_mm, below_mm } => {
                self.page.hline(middle_mm + below_mm, (*from_mm, *to_mm), THIN_PT);
            }
        }
    }

    fn lay_out(&self, piece: &Prose) -> Laid {
        match piece {
            Prose::Paragraph { text, style, indent_em, align } => {
                self.lay_out_paragraph(text, *style, *indent_em, *align)
            }
            Prose::Item { label, text, style } => self.lay_out_item(label, text, *style),
            Prose::Fields { fields, style } => self.lay_out_fields(fields, *style),
            Prose::Gap(mm) => Laid { lines: Vec::new(), pitch_mm: 0.0, space_mm: *mm, splits: true },
        }
    }

    fn lay_out_paragraph(&self, text: &str, style: TextStyle, indent_em: f32, align: Align) -> Laid {
        let (left, width) = self.body_span_mm();
        let indent = pt_to_mm(style.size_pt * indent_em);
        let mut lines = Vec::new();
        for paragraph in text.trim().split('\n') {
            let wrapped = wrap_indented(self.face, paragraph, style.size_pt, width - indent, width);
            let last = wrapped.len().saturating_sub(1);
            for (n, line) in wrapped.into_iter().enumerate() {
                let inset = if n == 0 { indent } else { 0.0 };
                let span = (left + inset, width - inset);
                lines.push(vec![Mark::Text { text: line, style, span, align, justify: n < last }]);
            }
        }
        Laid { lines, pitch_mm: pt_to_mm(style.size_pt * PROSE_SPACING), space_mm: 0.0, splits: true }
    }

    fn lay_out_item(&self, label: &str, text: &str, style: TextStyle) -> Laid {
        let (left, width) = self.body_span_mm();
        let em = pt_to_mm(style.size_pt);
        let label_x = left + INDENT_EM * em;
        let label_mm = self.face.width_mm(label, style.size_pt);
        let text_x = label_x + (HANG_EM * em).max(label_mm + 0.25 * em);
        let span = (text_x, left + width - text_x);
        let mut lines: Vec<Vec<Mark>> = Vec::new();
        for paragraph in text.trim().split('\n') {
            let wrapped = wrap_indented(self.face, paragraph, style.size_pt, span.1, span.1);
            let last = wrapped.len().saturating_sub(1);
            for (n, line) in wrapped.into_iter().enumerate() {
                lines.push(vec![Mark::Text {
                    text: line,
                    style,
                    span,
                    align: Align::Left,
                    justify: n < last,
                }]);
            }
        }
        if let Some(first) = lines.first_mut() {
            let label = label.to_string();
            // First in the line, so that the text reads back in order.
            first.insert(
                0,
                Mark::Text {
                    text: label,
                    style,
                    span: (label_x, label_mm),
                    align: Align::Left,
                    justify: false,
                },
            );
        }
        let pitch_mm = pt_to_mm(style.size_pt * PROSE_SPACING);
        Laid { lines, pitch_mm, space_mm: ITEM_SPACE_MM, splits: false }
    }

    fn lay_out_fields(&self, fields: &[Field], style: TextStyle) -> Laid {
        let (left, width) = self.body_span_mm();
        let slot_mm = width / fields.len().max(1) as f32;
        let mut lines: Vec<Vec<Mark>> = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let gap = if i + 1 < fields.len() { FIELD_GAP_MM } else { 0.0 };
            let span = (left + slot_mm * i as f32, slot_mm - gap);
            for (n, marks) in self.lay_out_field(field, style, span).into_iter().enumerate() {
                if lines.len() <= n {
                    lines.push(Vec::new());
                }
                lines[n].extend(marks);
            }
        }
        let pitch_mm = pt_to_mm(style.size_pt * FIELD_SPACING);
        Laid { lines, pitch_mm, space_mm: 0.0, splits: false }
    }

    /// One field's lines in its slot `span`.
    fn lay_out_field(&self, field: &Field, style: TextStyle, (x, width): (f32, f32)) -> Vec<Vec<Mark>> {
        match field {
            Field::Empty => Vec::new(),
            Field::Runs { label, runs } => {
                let mut all = vec![Run::text(label.clone())];
                all.extend(runs.iter().cloned());
                flow(self.face, &all, style.size_pt, width)
                    .into_iter()
                    .map(|line| vec![Mark::Inline { line, style, span: (x, width) }])
                    .collect()
            }
            Field::Line { label, value } => {
                let label_mm = self.face.width_mm(label, style.size_pt).min(width);
                let (from, to) = (x + label_mm, x + width);
                let room = (to - from - 2.0 * FIELD_PAD_MM).max(0.0);
                let value = clip(self.face, value, style.size_pt, room);
                let below_mm = pt_to_mm(style.size_pt * UNDERLINE_EM);
                let text =
                    |text: String, span| Mark::Text { text, style, span, align: Align::Left, justify: false };
                vec![vec![
                    text(label.clone(), (x, label_mm)),
                    Mark::Rule { from_mm: from, to_mm: to, below_mm },
                    text(value, (from + FIELD_PAD_MM, room)),
                ]]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::print::{Orientation, PageHeader};

    const STYLE: TextStyle = TextStyle::regular(10.5);

    fn contract() -> Document {
        let printed_at = NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(10, 0, 0)).unwrap();
        let header = PageHeader {
            office: "翠苑管理处".into(),
            title: "居家服务协议书".into(),
            subtitle: String::new(),
            printed_at,
        };
        Document::contract(Orientation::Portrait, header).unwrap()
    }

    /// The x of every text mark of a laid-out piece, line by line.
    fn text_xs(laid: &Laid) -> Vec<Vec<f32>> {
        let x = |mark: &Mark| match mark {
            Mark::Text { span, .. } => Some(span.0),
            _ => None,
        };
        laid.lines.iter().map(|line| line.iter().filter_map(x).collect()).collect()
    }

    #[test]
    fn an_item_hangs_its_lines_beside_its_label() {
        let doc = contract();
        let laid = doc.lay_out(&Prose::item("1．", "甲方应如实告知服务对象的健康状况。".repeat(6), STYLE));
        let xs = text_xs(&laid);
        assert!(xs.len() > 2, "{xs:?}");
        let (label, text) = (xs[0][0], xs[0][1]);
        assert!(label < text, "{xs:?}");
        assert!(xs[1..].iter().all(|line| line == &[text]), "{xs:?}");
    }

    #[test]
    fn a_paragraph_sets_in_its_first_line_only() {
        let doc = contract();
        let laid = doc.lay_out(&Prose::indented("根据有关法律法规订立本协议。".repeat(8), STYLE));
        let xs = text_xs(&laid);
        let left = doc.body_span_mm().0;
        assert!(xs[0][0] > left + 5.0, "{xs:?}");
        assert!(xs[1..].iter().all(|line| line == &[left]), "{xs:?}");
    }

    #[test]
    fn a_block_that_does_not_fit_starts_the_next_page_whole() {
        let mut doc = contract();
        let block = [
            Prose::paragraph("第八条　违约责任", STYLE),
            Prose::item("1．", "任何一方违约的，应承担责任。", STYLE),
        ];
        let block_mm: f32 = block.iter().map(|piece| doc.lay_out(piece).height_mm()).sum();
        doc.gap(doc.remaining_mm() - block_mm / 2.0);

        doc.keep_together(&block);

        assert_eq!(doc.page_count(), 2);
        assert!((doc.y_mm - doc.top_mm - block_mm).abs() < 1e-3, "{} {}", doc.y_mm - doc.top_mm, block_mm);
    }

    #[test]
    fn an_item_is_never_split_but_a_paragraph_is() {
        let mut doc = contract();
        let item = Prose::item("2．", "乙方应按约定提供服务。".repeat(8), STYLE);
        let line_mm = pt_to_mm(STYLE.size_pt * PROSE_SPACING);
        doc.gap(doc.remaining_mm() - line_mm * 1.5);
        doc.prose(&item);
        assert_eq!(doc.page_count(), 2, "the item moved whole");

        let mut doc = contract();
        doc.gap(doc.remaining_mm() - line_mm * 1.5);
        doc.prose(&Prose::indented("乙方应按约定提供服务。".repeat(8), STYLE));
        assert_eq!(doc.page_count(), 2);
        assert!(doc.y_mm - doc.top_mm < doc.lay_out(&item).height_mm() - line_mm, "one line stayed behind");
    }
}
