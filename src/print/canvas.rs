//! One page being drawn: text runs, lines and filled boxes, placed in
//! millimetres from the page's top-left corner (the way a form is measured)
//! and turned into printpdf operations (which count from the bottom left).

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage,
    Point, Pt, Rect, TextItem, TextMatrix, TextRenderingMode,
};

use super::font::Face;
use super::{Align, MM_PER_PT, TextStyle, pt_to_mm};

/// The thin rule inside a table.
pub(crate) const THIN_PT: f32 = 0.4;
/// The rule around a table.
pub(crate) const THICK_PT: f32 = 0.9;
/// The outline that thickens a bold run, as a share of its size.
const BOLD_OUTLINE_EM: f32 = 0.03;
/// Where the visual middle of an ideograph sits above the baseline, in em;
/// used to centre a line of text in its box.
const MIDDLE_EM: f32 = 0.36;

/// The operations of one page, in drawing order.
pub(crate) struct Canvas {
    width_mm: f32,
    height_mm: f32,
    font: FontId,
    ops: Vec<Op>,
}

impl Canvas {
    pub(crate) fn new((width_mm, height_mm): (f32, f32), font: FontId) -> Canvas {
        Canvas { width_mm, height_mm, font, ops: Vec::new() }
    }

    fn point(&self, x_mm: f32, y_mm: f32) -> Point {
        Point::new(Mm(x_mm), Mm(self.height_mm - y_mm))
    }

    /// One line of text in the box `x_mm .. x_mm + width_mm`, its visual middle
    /// at `middle_mm` from the top. The caller has already fitted it.
    pub(crate) fn text(
        &mut self,
        face: &Face,
        text: &str,
        style: TextStyle,
        (x_mm, width_mm): (f32, f32),
        middle_mm: f32,
        align: Align,
    ) {
        let text = face.printable(text);
        if text.is_empty() {
            return;
        }
        let left_mm = match align {
            Align::Left => x_mm,
            Align::Centre => x_mm + (width_mm - face.width_mm(&text, style.size_pt)) / 2.0,
            Align::Right => x_mm + width_mm - face.width_mm(&text, style.size_pt),
        };
        self.show(text, style, (left_mm, middle_mm), 0.0);
    }

    /// One line of text starting at `x_mm`, stretched to end at `x_mm +
    /// width_mm` by equal space between its characters: a justified line of
    /// prose (两端对齐). A line that would need more than `max_gap_mm`
    /// between characters, or has one character, is set as it is.
    pub(crate) fn text_justified(
        &mut self,
        face: &Face,
        text: &str,
        style: TextStyle,
        (x_mm, width_mm): (f32, f32),
        middle_mm: f32,
        max_gap_mm: f32,
    ) {
        let text = face.printable(text);
        let gaps = text.chars().count().saturating_sub(1);
        let spare_mm = width_mm - face.width_mm(&text, style.size_pt);
        let gap_mm = if gaps == 0 || spare_mm <= 0.0 { 0.0 } else { spare_mm / gaps as f32 };
        let gap_mm = if gap_mm > max_gap_mm { 0.0 } else { gap_mm };
        self.show(text, style, (x_mm, middle_mm), gap_mm / MM_PER_PT);
    }

    /// Text with its left end at `x_mm` and its visual middle at
    /// `middle_mm`, `spacing_pt` after each character (PDF `Tc`, reset
    /// after: it outlives the text object).
    fn show(&mut self, text: String, style: TextStyle, (x_mm, middle_mm): (f32, f32), spacing_pt: f32) {
        if text.is_empty() {
            return;
        }
        let baseline_mm = middle_mm + pt_to_mm(style.size_pt * MIDDLE_EM);
        let pos = self.point(x_mm, baseline_mm);
        self.ops.push(Op::StartTextSection);
        self.ops
            .push(Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(style.size_pt) });
        if style.bold {
            self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(style.size_pt * BOLD_OUTLINE_EM) });
        }
        if spacing_pt != 0.0 {
            self.ops.push(Op::SetCharacterSpacing { multiplier: spacing_pt });
        }
        self.ops.push(Op::SetTextCursor { pos });
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
        if spacing_pt != 0.0 {
            self.ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
        }
        if style.bold {
            self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill });
        }
        self.ops.push(Op::EndTextSection);
    }

    /// A straight rule from one point to another.
    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness_pt: f32) {
        let points = [from, to].map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawLine { line: Line { points: points.to_vec(), is_closed: false } });
    }

    /// A horizontal rule at `y_mm` from `x0_mm` to `x1_mm`.
    pub(crate) fn hline(&mut self, y_mm: f32, (x0_mm, x1_mm): (f32, f32), thickness_pt: f32) {
        self.line((x0_mm, y_mm), (x1_mm, y_mm), thickness_pt);
    }

    /// A vertical rule at `x_mm` from `y0_mm` down to `y1_mm`.
    pub(crate) fn vline(&mut self, x_mm: f32, (y0_mm, y1_mm): (f32, f32), thickness_pt: f32) {
        self.line((x_mm, y0_mm), (x_mm, y1_mm), thickness_pt);
    }

    /// A line through `points` in `grey` (`0.0` black … `1.0` white): a
    /// chart's gridline or its line of values.
    pub(crate) fn polyline(&mut self, points: &[(f32, f32)], thickness_pt: f32, grey: f32) {
        if points.len() < 2 {
            return;
        }
        let points = points.iter().map(|(x, y)| LinePoint { p: self.point(*x, *y), bezier: false }).collect();
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineColor { col: Color::Greyscale(Greyscale::new(grey, None)) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// A dashed horizontal rule (dashes and gaps of `dash_pt`): where a
    /// sheet is cut. The dash pattern is reset afterwards.
    pub(crate) fn dashed_hline(&mut self, y_mm: f32, span_mm: (f32, f32), thickness_pt: f32, dash_pt: f32) {
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[dash_pt, dash_pt]) });
        self.hline(y_mm, span_mm, thickness_pt);
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// The outline of a square with its top-left corner at `(x_mm, y_mm)`.
    pub(crate) fn square(&mut self, corner: (f32, f32), side_mm: f32, thickness_pt: f32) {
        self.frame(corner, (side_mm, side_mm), thickness_pt);
    }

    /// The outline of a box with its top-left corner at `(x_mm, y_mm)`.
    pub(crate) fn frame(
        &mut self,
        (x_mm, y_mm): (f32, f32),
        (width_mm, height_mm): (f32, f32),
        thickness_pt: f32,
    ) {
        let corners = [
            (x_mm, y_mm),
            (x_mm + width_mm, y_mm),
            (x_mm + width_mm, y_mm + height_mm),
            (x_mm, y_mm + height_mm),
        ];
        let points = corners.map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawLine { line: Line { points: points.to_vec(), is_closed: true } });
    }

    /// A tick (√) inside the square at `(x_mm, y_mm)`: the face has no ☑.
    pub(crate) fn tick(&mut self, (x_mm, y_mm): (f32, f32), side_mm: f32, thickness_pt: f32) {
        let at = |fx: f32, fy: f32| (x_mm + side_mm * fx, y_mm + side_mm * fy);
        let stroke = [at(0.18, 0.52), at(0.42, 0.8), at(0.85, 0.18)];
        let points = stroke.map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawLine { line: Line { points: points.to_vec(), is_closed: false } });
    }

    /// A box filled with grey (`0.0` black … `1.0` white), no outline.
    pub(crate) fn fill(&mut self, (x_mm, y_mm): (f32, f32), (width_mm, height_mm): (f32, f32), grey: f32) {
        let bottom_left = self.point(x_mm, y_mm + height_mm);
        let rectangle = Rect {
            mode: Some(PaintMode::Fill),
            ..Rect::from_xywh(bottom_left.x, bottom_left.y, Mm(width_mm).into(), Mm(height_mm).into())
        };
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale::new(grey, None)) });
        self.ops.push(Op::DrawRectangle { rectangle });
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// `text` drawn in outline only (so that what lies under it stays
    /// readable), in `grey`, its visual middle at `centre_mm`, turned
    /// `angle_deg` anticlockwise: a mark stamped across a form (作废).
    pub(crate) fn outlined_text_turned(
        &mut self,
        face: &Face,
        text: &str,
        (size_pt, outline_pt): (f32, f32),
        centre_mm: (f32, f32),
        (angle_deg, grey): (f32, f32),
    ) {
        let text = face.printable(text);
        if text.is_empty() {
            return;
        }
        let (cos, sin) = (angle_deg.to_radians().cos(), angle_deg.to_radians().sin());
        // From the middle of the text back to its start on the baseline,
        // in the turned text's own directions (PDF y grows upwards).
        let half_mm = face.width_mm(&text, size_pt) / 2.0;
        let drop_mm = pt_to_mm(size_pt * MIDDLE_EM);
        let centre = self.point(centre_mm.0, centre_mm.1);
        let x_pt = centre.x.0 - (half_mm * cos - drop_mm * sin) / MM_PER_PT;
        let y_pt = centre.y.0 - (half_mm * sin + drop_mm * cos) / MM_PER_PT;
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineColor { col: Color::Greyscale(Greyscale::new(grey, None)) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(outline_pt) });
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(size_pt) });
        self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Stroke });
        self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Raw([cos, sin, -sin, cos, x_pt, y_pt]) });
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
        self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill });
        self.ops.push(Op::EndTextSection);
        self.ops.push(Op::RestoreGraphicsState);
    }

    pub(crate) fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(self.width_mm), Mm(self.height_mm), self.ops)
    }
}
