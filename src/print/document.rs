//! A printed document: A4 pages in one orientation, each with the page
//! header (office, title, subtitle, print date) and the footer (第 N 页 共 M
//! 页), and a cursor that flows paragraphs and tables down the pages,
//! breaking to a new page when the next piece does not fit.

use chrono::NaiveDateTime;
use printpdf::{FontId, PdfDocument, PdfSaveOptions};

use super::canvas::Canvas;
use super::font::{Face, face};
use super::table::{FittedRow, Table, TableLayout};
use super::text::wrap;
use super::{Align, Orientation, PrintError, TextStyle};
use crate::i18n::{fill, t};

/// The margin on every side.
pub const MARGIN_MM: f32 = 15.0;
/// Room kept at the foot of every page for the page number.
const FOOTER_MM: f32 = 7.0;
const OFFICE_STYLE: TextStyle = TextStyle::regular(11.0);
const TITLE_STYLE: TextStyle = TextStyle::bold(16.0);
const SUBTITLE_STYLE: TextStyle = TextStyle::regular(9.0);
const SMALL_STYLE: TextStyle = TextStyle::regular(7.5);
/// Space between the header and the body, and between body pieces.
const HEADER_GAP_MM: f32 = 2.5;
/// Length of the rule after a signature label.
const SIGNATURE_RULE_MM: f32 = 35.0;

/// What the top of every page says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageHeader {
    /// The office's name (管理处名称), above the title.
    pub office: String,
    /// The form's title, large and centred.
    pub title: String,
    /// One line under the title: the period, the desk, a count.
    pub subtitle: String,
    /// Shown small at the top right (打印日期).
    pub printed_at: NaiveDateTime,
}

/// A finished PDF and how many pages it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// A document being laid out, page by page.
pub struct Document {
    face: &'static Face,
    pdf: PdfDocument,
    font: FontId,
    orientation: Orientation,
    header: PageHeader,
    done: Vec<Canvas>,
    page: Canvas,
    /// Where the next piece goes, from the top of the current page.
    y_mm: f32,
}

impl Document {
    /// Starts the first page.
    pub fn new(orientation: Orientation, header: PageHeader) -> Result<Document, PrintError> {
        let face = face()?;
        let mut pdf = PdfDocument::new(&header.title);
        pdf.metadata.info.author = header.office.clone();
        pdf.metadata.info.creator = t().app_title.to_string();
        let font = pdf.add_font(face.parsed());
        let page = Canvas::new(orientation.size_mm(), font.clone());
        let mut doc = Document { face, pdf, font, orientation, header, done: Vec::new(), page, y_mm: 0.0 };
        doc.draw_header();
        Ok(doc)
    }

    /// The body's left edge and width.
    pub fn body_span_mm(&self) -> (f32, f32) {
        (MARGIN_MM, self.orientation.size_mm().0 - 2.0 * MARGIN_MM)
    }

    fn body_bottom_mm(&self) -> f32 {
        self.orientation.size_mm().1 - MARGIN_MM - FOOTER_MM
    }

    /// Height left on the current page.
    pub fn remaining_mm(&self) -> f32 {
        self.body_bottom_mm() - self.y_mm
    }

    /// Pages so far, the current one included.
    pub fn page_count(&self) -> usize {
        self.done.len() + 1
    }

    /// Ends the current page and starts the next, header and all.
    pub fn new_page(&mut self) {
        let next = Canvas::new(self.orientation.size_mm(), self.font.clone());
        self.done.push(std::mem::replace(&mut self.page, next));
        self.draw_header();
    }

    /// Breaks to a new page unless `height_mm` fits on this one.
    fn make_room(&mut self, height_mm: f32) {
        if height_mm > self.remaining_mm() {
            self.new_page();
        }
    }

    /// Blank space; at most to the end of the page.
    pub fn gap(&mut self, height_mm: f32) {
        self.y_mm = (self.y_mm + height_mm).min(self.body_bottom_mm());
    }

    /// A line of text, at `middle_mm` from the top, across the body.
    fn line(&mut self, text: &str, style: TextStyle, align: Align, middle_mm: f32) {
        let span = self.body_span_mm();
        self.page.text(self.face, text, style, span, middle_mm, align);
    }

    /// Text across the body, wrapped, flowing onto further pages if long.
    pub fn paragraph(&mut self, text: &str, style: TextStyle, align: Align) {
        let line_mm = style.line_height_mm();
        for line in wrap(self.face, text, style.size_pt, self.body_span_mm().1) {
            self.make_room(line_mm);
            self.line(&line, style, align, self.y_mm + line_mm / 2.0);
            self.y_mm += line_mm;
        }
    }

    /// Signature lines side by side: each label followed by a rule to sign on.
    pub fn signatures(&mut self, labels: &[&str], style: TextStyle) {
        let line_mm = style.line_height_mm() * 2.0;
        self.make_room(line_mm);
        let (left, width) = self.body_span_mm();
        let slot_mm = width / labels.len().max(1) as f32;
        let middle = self.y_mm + line_mm * 0.6;
        for (i, label) in labels.iter().enumerate() {
            let x = left + slot_mm * i as f32;
            self.page.text(self.face, label, style, (x, slot_mm), middle, Align::Left);
            let start = x + self.face.width_mm(label, style.size_pt) + 1.0;
            let rule_y = middle + super::pt_to_mm(style.size_pt) * 0.45;
            self.page.hline(rule_y, (start, start + SIGNATURE_RULE_MM), super::canvas::THIN_PT);
        }
        self.y_mm += line_mm;
    }

    /// A ruled table; its heading repeats at the top of every page it runs
    /// onto. With no rows it prints its `empty_note` in one wide row.
    pub fn table(&mut self, table: &Table, rows: &[Vec<String>]) -> Result<(), PrintError> {
        let layout = TableLayout::new(self.face, table, self.body_span_mm())?;
        let first = match rows.first() {
            Some(row) => layout.fit_row(self.face, row),
            None => layout.fit_note(self.face),
        };
        // Never a heading alone at the foot of a page.
        self.make_room(layout.heading_height_mm() + first.height_mm);
        self.table_heading(&layout);
        if rows.is_empty() {
            layout.draw_note(&mut self.page, self.face, &first, self.y_mm);
            self.y_mm += first.height_mm;
        } else {
            self.table_row(&layout, &first);
            for row in &rows[1..] {
                let fitted = layout.fit_row(self.face, row);
                self.table_row(&layout, &fitted);
            }
        }
        layout.close(&mut self.page, self.y_mm);
        self.gap(HEADER_GAP_MM);
        Ok(())
    }

    fn table_heading(&mut self, layout: &TableLayout<'_>) {
        layout.draw_heading(&mut self.page, self.face, self.y_mm);
        self.y_mm += layout.heading_height_mm();
    }

    /// A body row; if it does not fit, the table closes here and continues,
    /// heading first, on the next page.
    fn table_row(&mut self, layout: &TableLayout<'_>, row: &FittedRow) {
        if row.height_mm > self.remaining_mm() {
            layout.close(&mut self.page, self.y_mm);
            self.new_page();
            self.table_heading(layout);
        }
        layout.draw_row(&mut self.page, self.face, row, self.y_mm);
        self.y_mm += row.height_mm;
    }

    /// The header at the top of the current page; the cursor goes below it.
    fn draw_header(&mut self) {
        let t = t();
        let mut y = MARGIN_MM;
        let office_mm = OFFICE_STYLE.line_height_mm();
        let printed = fill(t.print_printed_at, &[("at", &self.header.printed_at.format("%Y-%m-%d %H:%M"))]);
        let header = self.header.clone();
        self.line(&header.office, OFFICE_STYLE, Align::Centre, y + office_mm / 2.0);
        self.line(&printed, SMALL_STYLE, Align::Right, y + office_mm / 2.0);
        y += office_mm;
        for (text, style) in [(&header.title, TITLE_STYLE), (&header.subtitle, SUBTITLE_STYLE)] {
            let line_mm = style.line_height_mm();
            let text = super::text::clip(self.face, text, style.size_pt, self.body_span_mm().1);
            self.line(&text, style, Align::Centre, y + line_mm / 2.0);
            y += line_mm;
        }
        self.y_mm = y + HEADER_GAP_MM;
    }

    /// Numbers every page (第 N 页 共 M 页) and writes the PDF, the font
    /// embedded and cut down to the glyphs used.
    pub fn finish(mut self) -> PrintedPdf {
        let last =
            std::mem::replace(&mut self.page, Canvas::new(self.orientation.size_mm(), self.font.clone()));
        self.done.push(last);
        let total = self.done.len();
        let middle = self.orientation.size_mm().1 - MARGIN_MM - SMALL_STYLE.line_height_mm() / 2.0;
        let span = self.body_span_mm();
        let pages = std::mem::take(&mut self.done)
            .into_iter()
            .enumerate()
            .map(|(i, mut canvas)| {
                let footer = fill(t().print_page_of, &[("n", &(i + 1)), ("m", &total)]);
                canvas.text(self.face, &footer, SMALL_STYLE, span, middle, Align::Centre);
                canvas.into_page()
            })
            .collect();
        let options = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
        let bytes = self.pdf.with_pages(pages).save(&options, &mut Vec::new());
        PrintedPdf { bytes, pages: total }
    }
}
