//! A contract's heading (a letter's too): the office's name, and the
//! subtitle if any, over a rule on every page; the title large on a
//! section's first page only; and a stamp boxed at the top left of every
//! page (草稿 on a draft). Page numbers are the document's, as for a form.

use super::{
    Document, HEADER_GAP_MM, Heading, MARGIN_MM, OFFICE_STYLE, SMALL_STYLE, SUBTITLE_STYLE, Section,
};
use crate::i18n::{fill, t};
use crate::print::canvas::{Canvas, THIN_PT};
use crate::print::text::clip;
use crate::print::{Align, Orientation, PageHeader, PrintError, TextStyle, pt_to_mm};

/// A contract's title, on its first page: larger than a form's.
const CONTRACT_TITLE_STYLE: TextStyle = TextStyle::bold(20.0);
/// Space around a contract's title.
const CONTRACT_TITLE_GAP_MM: f32 = 5.0;
/// The stamp: its type, the space inside its box, and the box's line.
const STAMP_STYLE: TextStyle = TextStyle::bold(13.0);
const STAMP_PAD_MM: f32 = 1.6;
const STAMP_PT: f32 = 1.0;

impl Document {
    /// Starts the first page of a contract or a letter: the office's name
    /// (and the subtitle, if any) over a rule at the top of every page, the
    /// title large on the first page of each section only, and the page
    /// number at the foot.
    pub fn contract(orientation: Orientation, header: PageHeader) -> Result<Document, PrintError> {
        // A document titled only in its running head (the monthly report,
        // whose cover sets the title) takes that head as the PDF's title.
        let title = if header.title.trim().is_empty() { &header.subtitle } else { &header.title }.clone();
        let (office, at) = (header.office.clone(), header.printed_at);
        let mut doc = Document::start(orientation, (&title, &office, at), None)?;
        doc.heading = Heading::Contract;
        doc.sections = vec![Section { first_page: 0, header: Some(header) }];
        doc.begin_page();
        Ok(doc)
    }

    /// Marks every page, those already made included, with `text` in a box
    /// at the top left, beside the office's name: 草稿 on a draft. Drawn when
    /// the document is finished.
    pub fn stamp(&mut self, text: &str) {
        self.stamp = Some(text.to_string());
    }

    /// The office (and the print date) over a thin rule on every page, the
    /// subtitle centred under them; the title, large, on a section's first
    /// page only. The cursor goes below.
    pub(super) fn draw_contract_header(&mut self, header: &PageHeader) {
        let t = t();
        let mut y = MARGIN_MM;
        let office_mm = OFFICE_STYLE.line_height_mm();
        let printed = fill(t.print_printed_at, &[("at", &header.printed_at.format("%Y-%m-%d %H:%M"))]);
        self.line(&header.office, OFFICE_STYLE, Align::Centre, y + office_mm / 2.0);
        self.line(&printed, SMALL_STYLE, Align::Right, y + office_mm / 2.0);
        y += office_mm;
        if !header.subtitle.is_empty() {
            let line_mm = SUBTITLE_STYLE.line_height_mm();
            let text = clip(self.face, &header.subtitle, SUBTITLE_STYLE.size_pt, self.body_span_mm().1);
            self.line(&text, SUBTITLE_STYLE, Align::Centre, y + line_mm / 2.0);
            y += line_mm;
        }
        let (left, width) = self.body_span_mm();
        self.page.hline(y + 0.8, (left, left + width), THIN_PT);
        y += 0.8 + HEADER_GAP_MM;
        let first_of_section = self.sections.last().is_some_and(|s| s.first_page == self.done.len());
        if first_of_section && !header.title.is_empty() {
            let line_mm = CONTRACT_TITLE_STYLE.line_height_mm();
            let title = clip(self.face, &header.title, CONTRACT_TITLE_STYLE.size_pt, width);
            y += CONTRACT_TITLE_GAP_MM / 2.0;
            self.line(&title, CONTRACT_TITLE_STYLE, Align::Centre, y + line_mm / 2.0);
            y += line_mm + CONTRACT_TITLE_GAP_MM / 2.0;
        }
        self.y_mm = y;
    }

    /// `text` boxed at the top left, level with the office's name and
    /// clear of the body.
    pub(super) fn draw_stamp(&self, canvas: &mut Canvas, text: &str) {
        let text_mm = (self.face.width_mm(text, STAMP_STYLE.size_pt), pt_to_mm(STAMP_STYLE.size_pt));
        let size = (text_mm.0 + 2.0 * STAMP_PAD_MM, text_mm.1 + 2.0 * STAMP_PAD_MM);
        let corner = (MARGIN_MM, MARGIN_MM + OFFICE_STYLE.line_height_mm() / 2.0 - size.1 / 2.0);
        canvas.frame(corner, size, STAMP_PT);
        let middle = corner.1 + size.1 / 2.0;
        canvas.text(self.face, text, STAMP_STYLE, (corner.0, size.0), middle, Align::Centre);
    }
}
