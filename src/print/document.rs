//! A printed document: A4 pages in one orientation, each with the page
//! header (office, title, subtitle, print date) and the footer (第 N 页 共 M
//! 页), and a cursor that flows paragraphs, fill-in lines, grids and tables
//! down the pages, breaking to a new page when the next piece does not fit.
//!
//! A document is cut into sections (one per service record, one per staff
//! member's cash handover): each starts on a new page with its own header
//! and numbers its own pages. A bare document (the 留言条) has neither header
//! nor footer: each half of its sheets is a form of its own, and the cursor
//! can be sent to either half ([`Half`]) and a cut line drawn between them.
//! A contract ([`Document::contract`], in `contract`) is headed like a
//! letter: the office on every page over a rule, the title large on its
//! first page only; its running text is laid out by `prose`.
//! Charts (`super::chart`) are placed in the flow as blocks of a given
//! height, side by side, moved whole to the next page if they do not fit.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Datelike, NaiveDateTime, Timelike};
use printpdf::{
    Date as PdfDate, DateTime as PdfDateTime, FontId, Offset as PdfOffset, PdfDocument, PdfFont,
    PdfSaveOptions, Time as PdfTime,
};

use super::canvas::{Canvas, THICK_PT};
use super::chart::Chart;
use super::font::{Face, face};
use super::grid::Grid;
use super::inline::{Run, flow};
use super::table::{FittedRow, Table, TableCell, TableLayout};
use super::text::wrap;
use super::{Align, Orientation, PrintError, TextStyle, pt_to_mm};
use crate::domain::Money;
use crate::i18n::{fill, t};

mod contract;
mod mark;
mod prose;

pub use prose::{Field, Prose};

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
/// Kept over and above what follows a table (`Table::keep_after_mm`).
const KEEP_SLACK_MM: f32 = 0.5;
/// Length of the rule after a signature label.
const SIGNATURE_RULE_MM: f32 = 35.0;
/// The pitch of fill-in lines, as a multiple of the type size: room to
/// write by hand on their blanks.
const WRITING_SPACING: f32 = 2.0;
/// Blank space on each side of the cut between two halves of a sheet.
const HALF_GAP_MM: f32 = 6.0;
/// The height a cut line takes in the flow, and its label's size.
const CUT_LINE_MM: f32 = 8.0;
const CUT_LABEL_STYLE: TextStyle = TextStyle::regular(7.5);
/// The cut line's dashes: 3 pt on, 3 pt off, a little heavier than a rule.
const CUT_DASH_PT: f32 = 3.0;
const CUT_LINE_PT: f32 = 0.6;
/// A cut line runs across the sheet, this close to its edges.
const CUT_EDGE_MM: f32 = 8.0;
/// Space between charts side by side.
const CHART_GAP_MM: f32 = 8.0;

/// A time of the app's clock as the PDF writes it (printpdf writes it as
/// `+00'00'`; the office's wall clock is what the clerk reads).
fn pdf_time(at: NaiveDateTime) -> PdfDateTime {
    let small = |n: u32| u8::try_from(n).unwrap_or(0);
    PdfDateTime::new_in_offset(
        PdfDate { year: at.year(), month: small(at.month()), day: small(at.day()) },
        PdfTime {
            hour: small(at.hour()),
            minute: small(at.minute()),
            second: small(at.second()),
            millisecond: 0,
        },
        PdfOffset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
    )
}

/// Documents made by this process so far: part of each one's subset tag.
static DOCUMENTS_MADE: AtomicU64 = AtomicU64::new(0);

/// The font's id, whose first six letters printpdf writes as the subset
/// tag (`ABCDEF+WenQuanYiMicroHei`): six capitals hashed (FNV-1a) from what
/// the document is, this process and how many documents it made before, so
/// that two PDFs merged into one never carry two different subsets of the
/// font under one name.
fn subset_tag(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let count = DOCUMENTS_MADE.fetch_add(1, Ordering::Relaxed);
    let ids = [u64::from(std::process::id()), count];
    let bytes =
        parts.iter().flat_map(|p| p.bytes().chain([0])).chain(ids.iter().flat_map(|n| n.to_le_bytes()));
    for byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut tag = String::with_capacity(6);
    for _ in 0..6 {
        tag.push(char::from(b'A' + (hash % 26) as u8));
        hash /= 26;
    }
    tag
}

/// A ledger's running sums in fen (`Table::carry`), as its rows are placed.
struct Sums {
    /// This page's rows.
    page: Vec<i64>,
    /// Every page before this one: what 承前页 says.
    before: Vec<i64>,
    /// The height of a row of sums.
    row_mm: f32,
    /// Whether the table has run onto a second page.
    broke: bool,
}

impl Sums {
    /// `None` unless the table foots columns.
    fn new(layout: &TableLayout<'_>, face: &Face, table: &Table) -> Option<Sums> {
        let carry = table.carry.as_ref()?;
        let zeros = vec![Money::ZERO; carry.columns.len()];
        let row_mm = layout.fit_sums(face, t().print_page_subtotal, &zeros)?.height_mm;
        let page = vec![0; carry.columns.len()];
        Some(Sums { before: page.clone(), page, row_mm, broke: false })
    }

    fn add(&mut self, amounts: &[Money]) {
        for (sum, amount) in self.page.iter_mut().zip(amounts) {
            *sum = sum.saturating_add(amount.fen());
        }
    }

    /// The page's sums carried into what the pages before carried.
    fn turn_page(&mut self) {
        for (before, page) in self.before.iter_mut().zip(self.page.iter_mut()) {
            *before = before.saturating_add(std::mem::take(page));
        }
        self.broke = true;
    }
}

/// Rows of text as table cells.
fn text_cells(rows: &[Vec<String>]) -> Vec<Vec<TableCell>> {
    rows.iter().map(|row| row.iter().map(|text| TableCell::Text(text.clone())).collect()).collect()
}

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

/// One half of a portrait sheet cut across the middle: forms printed two
/// to a sheet (the 留言条).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    Upper,
    Lower,
}

/// How the pages of a document are headed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// A form: office, title and subtitle at the top of every page.
    Form,
    /// A contract: office and subtitle over a rule on every page, the title
    /// on a section's first page only.
    Contract,
}

/// A run of pages with one header, numbered on their own (第 N 页 共 M 页);
/// a bare section has no header and no page numbers.
struct Section {
    first_page: usize,
    header: Option<PageHeader>,
}

/// A document being laid out, page by page.
pub struct Document {
    face: &'static Face,
    pdf: PdfDocument,
    font: FontId,
    orientation: Orientation,
    heading: Heading,
    sections: Vec<Section>,
    /// Boxed at the top left of every page (草稿), if set.
    stamp: Option<String>,
    done: Vec<Canvas>,
    page: Canvas,
    /// Where the next piece goes, from the top of the current page.
    y_mm: f32,
    /// The top of the page body, below the header if there is one.
    top_mm: f32,
    /// The foot of the area being filled: the page body's or a half's.
    bottom_mm: f32,
}

impl Document {
    /// Starts the first page, with `header` at the top of every page and
    /// the page number at the foot.
    pub fn new(orientation: Orientation, header: PageHeader) -> Result<Document, PrintError> {
        let (title, office, at) = (header.title.clone(), header.office.clone(), header.printed_at);
        Document::start(orientation, (&title, &office, at), Some(header))
    }

    /// Starts the first page of a document with no page header or footer:
    /// each page is a form (or two) of its own. `title`, `office` and
    /// `printed_at` go into the PDF's properties only.
    pub fn bare(
        orientation: Orientation,
        title: &str,
        office: &str,
        printed_at: NaiveDateTime,
    ) -> Result<Document, PrintError> {
        Document::start(orientation, (title, office, printed_at), None)
    }

    /// The PDF's properties: its title, the office as author, and the
    /// caller's clock as the creation date (print never reads the clock).
    /// The font gets a subset tag of its own ([`subset_tag`]).
    pub(super) fn start(
        orientation: Orientation,
        (title, office, printed_at): (&str, &str, NaiveDateTime),
        header: Option<PageHeader>,
    ) -> Result<Document, PrintError> {
        let face = face()?;
        let mut pdf = PdfDocument::new(title);
        let info = &mut pdf.metadata.info;
        info.author = office.to_string();
        info.creator = t().app_title.to_string();
        info.subject = title.to_string();
        let created = pdf_time(printed_at);
        (info.creation_date, info.modification_date, info.metadata_date) = (created, created, created);
        let font = FontId(subset_tag(&[title, office, &printed_at.to_string()]));
        pdf.resources.fonts.map.insert(font.clone(), PdfFont::new(face.parsed().clone()));
        let page = Canvas::new(orientation.size_mm(), font.clone());
        let sections = vec![Section { first_page: 0, header }];
        let mut doc = Document {
            face,
            pdf,
            font,
            orientation,
            heading: Heading::Form,
            sections,
            stamp: None,
            done: Vec::new(),
            page,
            y_mm: 0.0,
            top_mm: 0.0,
            bottom_mm: 0.0,
        };
        doc.begin_page();
        Ok(doc)
    }

    /// The body's left edge and width.
    pub fn body_span_mm(&self) -> (f32, f32) {
        (MARGIN_MM, self.orientation.size_mm().0 - 2.0 * MARGIN_MM)
    }

    fn header(&self) -> Option<&PageHeader> {
        self.sections.last().and_then(|s| s.header.as_ref())
    }

    /// The foot of the page body: above the page number, if there is one.
    fn page_bottom_mm(&self) -> f32 {
        let footer = if self.header().is_some() { FOOTER_MM } else { 0.0 };
        self.orientation.size_mm().1 - MARGIN_MM - footer
    }

    /// Height left on the current page (or half).
    pub fn remaining_mm(&self) -> f32 {
        self.bottom_mm - self.y_mm
    }

    /// Pages so far, the current one included.
    pub fn page_count(&self) -> usize {
        self.done.len() + 1
    }

    /// Ends the current page and starts the next, header and all.
    pub fn new_page(&mut self) {
        let next = Canvas::new(self.orientation.size_mm(), self.font.clone());
        self.done.push(std::mem::replace(&mut self.page, next));
        self.begin_page();
    }

    /// Ends the current page and starts a section on the next, with its own
    /// header and page numbers: the next service record, the next staff
    /// member's handover.
    pub fn new_section(&mut self, header: PageHeader) {
        let next = Canvas::new(self.orientation.size_mm(), self.font.clone());
        self.done.push(std::mem::replace(&mut self.page, next));
        self.sections.push(Section { first_page: self.done.len(), header: Some(header) });
        self.begin_page();
    }

    /// The header, if any, and the cursor below it, the whole body to fill.
    fn begin_page(&mut self) {
        self.bottom_mm = self.page_bottom_mm();
        match (self.header().cloned(), self.heading) {
            (Some(header), Heading::Form) => self.draw_header(&header),
            (Some(header), Heading::Contract) => self.draw_contract_header(&header),
            (None, _) => self.y_mm = MARGIN_MM,
        }
        self.top_mm = self.y_mm;
    }

    /// Sends the cursor to the top of `half` of the current page. What
    /// follows should fit above the half's foot (the forms printed by halves
    /// bound what they print); what does not continues on a new page, never
    /// over the other half.
    pub fn enter_half(&mut self, half: Half) {
        let middle = self.orientation.size_mm().1 / 2.0;
        (self.y_mm, self.bottom_mm) = match half {
            Half::Upper => (self.top_mm, middle - HALF_GAP_MM),
            Half::Lower => (middle + HALF_GAP_MM, self.page_bottom_mm()),
        };
    }

    /// A dashed cut line across the middle of the page, between the halves.
    pub fn cut_between_halves(&mut self, label: &str) {
        let middle = self.orientation.size_mm().1 / 2.0;
        self.cut_at(middle, label);
    }

    /// A dashed cut line across the sheet at the cursor: where one part of
    /// a form is cut from the next (the 留言条 from its 存根).
    pub fn cut_line(&mut self, label: &str) {
        self.make_room(CUT_LINE_MM);
        self.cut_at(self.y_mm + CUT_LINE_MM / 2.0, label);
        self.y_mm += CUT_LINE_MM;
    }

    /// The dashes run edge to edge but for a gap where `label` says what to
    /// do (沿此线剪开; the face has no ✂).
    fn cut_at(&mut self, y_mm: f32, label: &str) {
        let width = self.orientation.size_mm().0;
        let gap = self.face.width_mm(label, CUT_LABEL_STYLE.size_pt) / 2.0 + 2.0;
        let centre = width / 2.0;
        for span in [(CUT_EDGE_MM, centre - gap), (centre + gap, width - CUT_EDGE_MM)] {
            self.page.dashed_hline(y_mm, span, CUT_LINE_PT, CUT_DASH_PT);
        }
        self.page.text(self.face, label, CUT_LABEL_STYLE, (0.0, width), y_mm, Align::Centre);
    }

    /// Breaks to a new page unless `height_mm` fits on this one.
    fn make_room(&mut self, height_mm: f32) {
        if height_mm > self.remaining_mm() {
            self.new_page();
        }
    }

    /// Breaks to a new page unless `height_mm` fits on this one, as long as
    /// it would fit on an empty page: keeps a heading with what it heads.
    pub fn keep_room(&mut self, height_mm: f32) {
        if height_mm <= self.bottom_mm - self.top_mm {
            self.make_room(height_mm);
        }
    }

    /// Charts side by side across the body, `height_mm` tall, as one block:
    /// on the next page if they do not fit on this one.
    pub fn charts(&mut self, charts: &[Chart], height_mm: f32) {
        self.keep_room(height_mm);
        let (left, width) = self.body_span_mm();
        let n = charts.len().max(1) as f32;
        let each_mm = (width - CHART_GAP_MM * (n - 1.0)) / n;
        for (i, chart) in charts.iter().enumerate() {
            let x = left + (each_mm + CHART_GAP_MM) * i as f32;
            chart.draw(&mut self.page, self.face, (x, self.y_mm), (each_mm, height_mm));
        }
        self.y_mm += height_mm;
        self.gap(HEADER_GAP_MM);
    }

    /// Blank space; at most to the end of the page.
    pub fn gap(&mut self, height_mm: f32) {
        self.y_mm = (self.y_mm + height_mm).min(self.bottom_mm);
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

    /// Text with fill-in blanks and tick boxes, across the body, wrapped;
    /// lines far enough apart to write on.
    pub fn inline(&mut self, runs: &[Run], style: TextStyle, align: Align) {
        let line_mm = pt_to_mm(style.size_pt * WRITING_SPACING);
        let span = self.body_span_mm();
        for line in flow(self.face, runs, style.size_pt, span.1) {
            self.make_room(line_mm);
            line.draw(&mut self.page, self.face, style, span, self.y_mm + line_mm / 2.0, align);
            self.y_mm += line_mm;
        }
    }

    /// One line holding several texts, each in its own style and placed
    /// across the body by its own alignment: a title centred with the form's
    /// number at the right. Each text is cut to the body's width.
    pub fn spread_line(&mut self, parts: &[(&str, TextStyle, Align)]) {
        let line_mm = parts.iter().map(|(_, style, _)| style.line_height_mm()).fold(0.0, f32::max);
        self.make_room(line_mm);
        let span = self.body_span_mm();
        for (text, style, align) in parts {
            let text = super::text::clip(self.face, text, style.size_pt, span.1);
            self.page.text(self.face, &text, *style, span, self.y_mm + line_mm / 2.0, *align);
        }
        self.y_mm += line_mm;
    }

    /// A ruled form grid across the body. Rows never split; a row that
    /// does not fit closes the grid here and continues it on the next page.
    pub fn grid(&mut self, grid: &Grid) -> Result<(), PrintError> {
        let rows = grid.fit(self.face, self.body_span_mm())?;
        let mut open = false;
        for row in &rows {
            let Some(span) = row.span_mm() else { continue };
            if row.height_mm > self.remaining_mm() {
                if open {
                    self.page.hline(self.y_mm, span, THICK_PT);
                    open = false;
                }
                self.new_page();
            }
            row.draw(&mut self.page, self.face, grid.style, self.y_mm);
            if !open {
                self.page.hline(self.y_mm, span, THICK_PT);
                open = true;
            }
            self.y_mm += row.height_mm;
        }
        if let Some(span) = rows.last().and_then(|row| row.span_mm()) {
            self.page.hline(self.y_mm, span, THICK_PT);
        }
        Ok(())
    }

    /// Signature lines side by side: each label followed by a rule to sign on.
    pub fn signatures<S: AsRef<str>>(&mut self, labels: &[S], style: TextStyle) {
        let line_mm = style.line_height_mm() * 2.0;
        self.make_room(line_mm);
        let (left, width) = self.body_span_mm();
        let slot_mm = width / labels.len().max(1) as f32;
        let middle = self.y_mm + line_mm * 0.6;
        for (i, label) in labels.iter().map(AsRef::as_ref).enumerate() {
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
        self.table_cells(table, &text_cells(rows))
    }

    /// A table and its foot — totals, signatures — drawn by `foot` after
    /// it, kept with the table's last rows: when the foot does not fit
    /// under them, the last row goes to the next page with it, so that a
    /// signature block or a total never stands alone on a page.
    pub fn table_with_foot(
        &mut self,
        table: &Table,
        rows: &[Vec<String>],
        foot: impl Fn(&mut Document),
    ) -> Result<(), PrintError> {
        self.cells_with_foot(table, &text_cells(rows), foot)
    }

    /// [`Document::table_with_foot`] for cells of any kind.
    pub fn cells_with_foot(
        &mut self,
        table: &Table,
        rows: &[Vec<TableCell>],
        foot: impl Fn(&mut Document),
    ) -> Result<(), PrintError> {
        let foot_mm = self.height_of(&foot);
        self.table_cells(&Table { keep_after_mm: table.keep_after_mm.max(foot_mm), ..table.clone() }, rows)?;
        self.keep_room(foot_mm);
        foot(self);
        Ok(())
    }

    /// The height `draw` takes from the top of an empty page: drawn on a
    /// scratch page that is then thrown away, the cursor put back. A page's
    /// body when it runs longer.
    fn height_of(&mut self, draw: &impl Fn(&mut Document)) -> f32 {
        let scratch = Canvas::new(self.orientation.size_mm(), self.font.clone());
        let page = std::mem::replace(&mut self.page, scratch);
        let (y_mm, top_mm, bottom_mm, done) = (self.y_mm, self.top_mm, self.bottom_mm, self.done.len());
        self.y_mm = self.top_mm;
        draw(self);
        let height_mm = if self.done.len() > done { bottom_mm - top_mm } else { self.y_mm - top_mm };
        self.done.truncate(done);
        (self.page, self.y_mm, self.top_mm, self.bottom_mm) = (page, y_mm, top_mm, bottom_mm);
        height_mm
    }

    /// A ruled table whose cells may hold tick boxes and blanks as well as
    /// text; laid out as [`Document::table`].
    pub fn table_cells(&mut self, table: &Table, rows: &[Vec<TableCell>]) -> Result<(), PrintError> {
        self.place_table(table, rows, &[])
    }

    /// A ledger: a table whose money columns (`table.carry`) are footed
    /// page by page — 本页小计 at the foot of each page, 承前页 under the
    /// heading of the next — with its foot kept as in
    /// [`Document::table_with_foot`]. `amounts[n]` are row `n`'s amounts,
    /// one per carried column.
    pub fn ledger_with_foot(
        &mut self,
        table: &Table,
        rows: &[Vec<String>],
        amounts: &[Vec<Money>],
        foot: impl Fn(&mut Document),
    ) -> Result<(), PrintError> {
        let foot_mm = self.height_of(&foot);
        let table = Table { keep_after_mm: table.keep_after_mm.max(foot_mm), ..table.clone() };
        self.place_table(&table, &text_cells(rows), amounts)?;
        self.keep_room(foot_mm);
        foot(self);
        Ok(())
    }

    fn place_table(
        &mut self,
        table: &Table,
        rows: &[Vec<TableCell>],
        amounts: &[Vec<Money>],
    ) -> Result<(), PrintError> {
        let page_mm = self.bottom_mm - self.top_mm;
        let layout = TableLayout::new(self.face, table, self.body_span_mm(), page_mm, rows)?;
        let mut sums = Sums::new(&layout, self.face, table);
        let first = match rows.first() {
            Some(row) => layout.fit_row(self.face, row),
            None => layout.fit_note(self.face),
        };
        // What follows the table goes with its last row (a little more than
        // it measures, so that rounding never leaves it alone after all).
        let after_mm =
            if table.keep_after_mm > 0.0 { table.keep_after_mm + HEADER_GAP_MM + KEEP_SLACK_MM } else { 0.0 };
        let first_after = if rows.len() > 1 { 0.0 } else { after_mm };
        // Never a heading alone at the foot of a page.
        let sums_mm = sums.as_ref().map_or(0.0, |s| s.row_mm);
        self.make_room_if_it_fits(layout.heading_height_mm() + first.height_mm + sums_mm, first_after);
        self.table_heading(&layout);
        if rows.is_empty() {
            layout.draw_note(&mut self.page, self.face, &first, self.y_mm);
            self.y_mm += first.height_mm;
        } else {
            let no_amounts = Vec::new();
            let amounts_of = |n: usize| amounts.get(n).unwrap_or(&no_amounts);
            self.table_row(&layout, (&first, amounts_of(0)), 0.0, &mut sums);
            for (n, row) in rows.iter().enumerate().skip(1) {
                let fitted = layout.fit_row(self.face, row);
                let after = if n + 1 == rows.len() { after_mm } else { 0.0 };
                self.table_row(&layout, (&fitted, amounts_of(n)), after, &mut sums);
            }
        }
        // The last page's subtotal, when there were pages before it.
        if let Some(sums) = sums.as_ref().filter(|s| s.broke) {
            self.sums_row(&layout, t().print_page_subtotal, &sums.page);
        }
        layout.close(&mut self.page, self.y_mm);
        self.gap(HEADER_GAP_MM);
        Ok(())
    }

    /// Breaks to a new page unless `height_mm` fits on this one with
    /// `after_mm` below it; `after_mm` is let go if the two would not fit
    /// together on any page.
    fn make_room_if_it_fits(&mut self, height_mm: f32, after_mm: f32) {
        let page_mm = self.bottom_mm - self.top_mm;
        let keep = if height_mm + after_mm <= page_mm { after_mm } else { 0.0 };
        self.make_room(height_mm + keep);
    }

    fn table_heading(&mut self, layout: &TableLayout<'_>) {
        layout.draw_heading(&mut self.page, self.face, self.y_mm);
        self.y_mm += layout.heading_height_mm();
    }

    /// A body row and its amounts; if it does not fit (with `after_mm`
    /// below it, for the last row, and room for a ledger's 本页小计), the
    /// table closes here — with the page's subtotal — and continues,
    /// heading and 承前页 first, on the next page.
    fn table_row(
        &mut self,
        layout: &TableLayout<'_>,
        (row, amounts): (&FittedRow, &[Money]),
        after_mm: f32,
        sums: &mut Option<Sums>,
    ) {
        let sums_mm = sums.as_ref().map_or(0.0, |s| s.row_mm);
        let page_mm = self.bottom_mm - self.top_mm - layout.heading_height_mm() - 2.0 * sums_mm;
        let keep = if row.height_mm + after_mm <= page_mm { after_mm } else { 0.0 };
        if row.height_mm + keep + sums_mm > self.remaining_mm() {
            if let Some(sums) = sums.as_ref() {
                self.sums_row(layout, t().print_page_subtotal, &sums.page);
            }
            layout.close(&mut self.page, self.y_mm);
            self.new_page();
            self.table_heading(layout);
            if let Some(sums) = sums.as_mut() {
                sums.turn_page();
                let carried = sums.before.clone();
                self.sums_row(layout, t().print_carried_forward, &carried);
            }
        }
        layout.draw_row(&mut self.page, self.face, row, self.y_mm);
        self.y_mm += row.height_mm;
        if let Some(sums) = sums.as_mut() {
            sums.add(amounts);
        }
    }

    /// A row of sums (本页小计, 承前页) at the cursor.
    fn sums_row(&mut self, layout: &TableLayout<'_>, label: &str, fen: &[i64]) {
        let money: Vec<Money> = fen.iter().map(|f| Money::from_fen(*f).unwrap_or(Money::ZERO)).collect();
        if let Some(row) = layout.fit_sums(self.face, label, &money) {
            layout.draw_row(&mut self.page, self.face, &row, self.y_mm);
            self.y_mm += row.height_mm;
        }
    }

    /// The header at the top of the current page; the cursor goes below it.
    fn draw_header(&mut self, header: &PageHeader) {
        let t = t();
        let mut y = MARGIN_MM;
        let office_mm = OFFICE_STYLE.line_height_mm();
        let printed = fill(t.print_printed_at, &[("at", &header.printed_at.format("%Y-%m-%d %H:%M"))]);
        self.line(&header.office, OFFICE_STYLE, Align::Centre, y + office_mm / 2.0);
        self.line(&printed, SMALL_STYLE, Align::Right, y + office_mm / 2.0);
        y += office_mm;
        for (text, style) in [(&header.title, TITLE_STYLE), (&header.subtitle, SUBTITLE_STYLE)] {
            if text.is_empty() {
                continue;
            }
            let line_mm = style.line_height_mm();
            let text = super::text::clip(self.face, text, style.size_pt, self.body_span_mm().1);
            self.line(&text, style, Align::Centre, y + line_mm / 2.0);
            y += line_mm;
        }
        self.y_mm = y + HEADER_GAP_MM;
    }

    /// Numbers the pages of every headed section (第 N 页 共 M 页) and
    /// writes the PDF, the font embedded and cut down to the glyphs used.
    pub fn finish(mut self) -> PrintedPdf {
        let last =
            std::mem::replace(&mut self.page, Canvas::new(self.orientation.size_mm(), self.font.clone()));
        self.done.push(last);
        let total = self.done.len();
        let mut pages = Vec::with_capacity(total);
        let canvases = std::mem::take(&mut self.done);
        let mut canvases = canvases.into_iter();
        for (i, section) in self.sections.iter().enumerate() {
            let end = self.sections.get(i + 1).map_or(total, |next| next.first_page);
            let count = end - section.first_page;
            for (n, mut canvas) in canvases.by_ref().take(count).enumerate() {
                if section.header.is_some() {
                    self.footer(&mut canvas, n + 1, count);
                }
                if let Some(stamp) = &self.stamp {
                    self.draw_stamp(&mut canvas, stamp);
                }
                pages.push(canvas.into_page());
            }
        }
        let options = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
        let bytes = self.pdf.with_pages(pages).save(&options, &mut Vec::new());
        PrintedPdf { bytes, pages: total }
    }

    /// 第 N 页 共 M 页 at the foot of a page.
    fn footer(&self, canvas: &mut Canvas, n: usize, of: usize) {
        let middle = self.orientation.size_mm().1 - MARGIN_MM - SMALL_STYLE.line_height_mm() / 2.0;
        let footer = fill(t().print_page_of, &[("n", &n), ("m", &of)]);
        canvas.text(self.face, &footer, SMALL_STYLE, self.body_span_mm(), middle, Align::Centre);
    }
}
