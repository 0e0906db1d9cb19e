//! Ruled tables: columns with widths, a heading row, body rows whose cells
//! wrap or are cut to fit, or hold tick boxes and blanks to fill in by hand
//! ([`TableCell::Runs`]: the answers of a blank call list). This file fits
//! and draws rows; [`Document`] decides where pages break and repeats the
//! heading on each new page.
//!
//! [`Document`]: super::Document

use super::canvas::{Canvas, THICK_PT, THIN_PT};
use super::font::Face;
use super::inline::{InlineLine, Run, flow, widest_unit_mm};
use super::text::{
    MIN_WORD_SHARE, fit_lines, size_for_widest, widest_word_mm, word_size_pt, wrap, wrap_balanced,
};
use super::{Align, PrintError, TextStyle};
use crate::domain::Money;

/// Space between a cell's rules and its text, across and down.
const PAD_X_MM: f32 = 1.0;
const PAD_Y_MM: f32 = 0.75;
/// The pitch of lines inside a cell, as a multiple of the type size: set
/// solid as ledgers are (the rules keep rows apart), a little closer than
/// running text.
const CELL_LINE_SPACING: f32 = 1.2;
/// The heading row's background (light grey prints on every printer).
const HEADING_GREY: f32 = 0.9;

/// What happens to text wider than its cell. Nothing a form carries is cut:
/// a cell's text is only ever cut (with `…`) when it alone would not fit on
/// a whole page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fit {
    /// Further lines, as many as the text needs.
    #[default]
    Wrap,
    /// One line in smaller type (down to 3/4 size), for codes and amounts
    /// that read best unbroken; wrapped at that size if still too long.
    Shrink,
}

/// The smallest a shrinking cell's type gets, as a share of the table's.
const MIN_SHRINK: f32 = 0.75;

/// One column: its heading, its nominal width and how its cells are set.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub heading: String,
    /// The width it needs. Space left over on the page goes to the columns
    /// that grow; if the columns need more than the page, all shrink alike.
    pub width_mm: f32,
    /// This column's share of the space left over (0: fixed width).
    pub grow: f32,
    pub align: Align,
    pub fit: Fit,
}

impl Column {
    /// A left-aligned, wrapping column.
    pub fn new(heading: impl Into<String>, width_mm: f32) -> Column {
        Column { heading: heading.into(), width_mm, grow: 0.0, align: Align::Left, fit: Fit::Wrap }
    }

    /// Numbers and money: right-aligned.
    pub fn right(self) -> Column {
        Column { align: Align::Right, ..self }
    }

    /// Short codes and words: centred.
    pub fn centre(self) -> Column {
        Column { align: Align::Centre, ..self }
    }

    /// One line, in smaller type when too long.
    pub fn shrunk(self) -> Column {
        Column { fit: Fit::Shrink, ..self }
    }

    /// Takes `share` of the space the fixed columns leave.
    pub fn grow(self, share: f32) -> Column {
        Column { grow: share.max(0.0), ..self }
    }
}

/// A table: its columns, the size of its text, and what it says when empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub style: TextStyle,
    /// The most lines a cell of tick boxes and blanks ([`TableCell::Runs`])
    /// shows; text cells wrap to as many lines as they need.
    pub max_lines: usize,
    /// Printed across the whole table when there are no rows.
    pub empty_note: String,
    /// The least height of a body row: room to sign or write by hand.
    pub min_row_mm: f32,
    /// The height of what follows the table (a foot of totals and
    /// signatures), kept on the last row's page: the last row moves to the
    /// next page with it rather than leave it there alone.
    pub keep_after_mm: f32,
    /// Money columns footed page by page, as a ledger is: 本页小计 at the
    /// foot of every page of a table that runs onto more than one, 承前页
    /// (what the pages before carried) under the heading of each page after
    /// the first. The amounts come with the rows ([`Document::ledger_with_foot`]).
    ///
    /// [`Document::ledger_with_foot`]: super::Document::ledger_with_foot
    pub carry: Option<Carry>,
}

/// Which columns a ledger foots page by page, and where its rows say so.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Carry {
    /// The column whose cell reads 本页小计 or 承前页.
    pub label_column: usize,
    /// The money columns, in the order of each row's amounts.
    pub columns: Vec<usize>,
}

impl Table {
    /// 8 pt text, at most 6 lines a cell.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            style: TextStyle::regular(8.0),
            max_lines: 6,
            empty_note: String::new(),
            min_row_mm: 0.0,
            keep_after_mm: 0.0,
            carry: None,
        }
    }
}

/// What one body cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum TableCell {
    /// Set as its column says ([`Fit`]).
    Text(String),
    /// Text with tick boxes and blanks, broken into lines as needed and
    /// where a text run has `\n` (up to the table's `max_lines`), set in
    /// the table's type whatever the column's fit: short by construction
    /// (☐满意 ☐基本满意 ☐不满意, one a line). The column's alignment places
    /// the lines as one block, each starting at its left: the boxes line up.
    Runs(Vec<Run>),
}

impl From<String> for TableCell {
    fn from(text: String) -> TableCell {
        TableCell::Text(text)
    }
}

impl From<&str> for TableCell {
    fn from(text: &str) -> TableCell {
        TableCell::Text(text.to_string())
    }
}

/// A cell's content broken into lines.
enum Lines {
    Text(Vec<String>),
    Runs(Vec<InlineLine>),
}

impl Lines {
    fn len(&self) -> usize {
        match self {
            Lines::Text(lines) => lines.len(),
            Lines::Runs(lines) => lines.len(),
        }
    }
}

/// One cell broken into lines, and the type size it is set in.
struct FittedCell {
    lines: Lines,
    size_pt: f32,
}

impl FittedCell {
    fn text(lines: Vec<String>, size_pt: f32) -> FittedCell {
        FittedCell { lines: Lines::Text(lines), size_pt }
    }
}

/// A row fitted to its columns: its cells and its height.
pub(crate) struct FittedRow {
    cells: Vec<FittedCell>,
    pub(crate) height_mm: f32,
    /// Set bold: a ledger's sums.
    bold: bool,
}

/// A table placed across the page: where each column starts and ends.
pub(crate) struct TableLayout<'a> {
    table: &'a Table,
    /// Column edges from left to right: one more than there are columns.
    edges_mm: Vec<f32>,
    heading: FittedRow,
    /// The most lines a cell can have and its row still fit on a page
    /// under the heading: only text longer than a page is ever cut.
    page_lines: usize,
}

impl<'a> TableLayout<'a> {
    /// Spreads the columns across `left_mm .. left_mm + width_mm`, on pages
    /// whose body is `page_mm` tall. The space the fixed widths leave goes
    /// to the growing columns by their share times how much text `rows`
    /// put in them: a notes column mostly empty gives its room to the
    /// descriptions beside it, and rows stay short.
    pub(crate) fn new(
        face: &Face,
        table: &'a Table,
        (left_mm, width_mm): (f32, f32),
        page_mm: f32,
        rows: &[Vec<TableCell>],
    ) -> Result<TableLayout<'a>, PrintError> {
        let columns = room_for_words(face, table, rows, weighed_by_text(face, table, rows), width_mm);
        let widths = column_widths(&columns, width_mm).ok_or(PrintError::NoColumns)?;
        let widths = shortest_rows(face, table, &columns, rows, widths, width_mm);
        let mut edges_mm = vec![left_mm];
        for width in widths {
            edges_mm.push(edges_mm[edges_mm.len() - 1] + width);
        }
        let empty = FittedRow { cells: Vec::new(), height_mm: 0.0, bold: false };
        let mut layout = TableLayout { table, edges_mm, heading: empty, page_lines: usize::MAX };
        layout.heading = layout.fit_heading(face);
        let room_mm = page_mm - layout.heading.height_mm - 2.0 * PAD_Y_MM;
        layout.page_lines = ((room_mm / cell_line_mm(table.style)).floor() as usize).max(1);
        Ok(layout)
    }

    fn heading_style(&self) -> TextStyle {
        TextStyle::bold(self.table.style.size_pt)
    }

    /// The room for text inside column `i`.
    fn inner_width_mm(&self, i: usize) -> f32 {
        (self.edges_mm[i + 1] - self.edges_mm[i] - 2.0 * PAD_X_MM).max(0.0)
    }

    fn span_mm(&self) -> (f32, f32) {
        (self.edges_mm[0], self.edges_mm[self.edges_mm.len() - 1])
    }

    fn row_height_mm(&self, style: TextStyle, cells: &[FittedCell]) -> f32 {
        let lines = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0).max(1);
        lines as f32 * cell_line_mm(style) + 2.0 * PAD_Y_MM
    }

    fn fit_heading(&self, face: &Face) -> FittedRow {
        let size_pt = self.heading_style().size_pt;
        let cells: Vec<FittedCell> = (0..self.table.columns.len())
            .map(|i| {
                let width = self.inner_width_mm(i);
                let heading = &self.table.columns[i].heading;
                let size_pt = word_size_pt(face, heading, size_pt, width);
                let lines = wrap_balanced(face, heading, size_pt, width);
                FittedCell::text(lines, size_pt)
            })
            .collect();
        FittedRow { height_mm: self.row_height_mm(self.heading_style(), &cells), cells, bold: true }
    }

    pub(crate) fn heading_height_mm(&self) -> f32 {
        self.heading.height_mm
    }

    /// Fits one row's cells to the columns (missing cells are blank).
    pub(crate) fn fit_row(&self, face: &Face, cells: &[TableCell]) -> FittedRow {
        let cells: Vec<FittedCell> = (0..self.table.columns.len())
            .map(|i| match cells.get(i) {
                Some(TableCell::Text(text)) => self.fit_cell(face, i, text),
                Some(TableCell::Runs(runs)) => self.fit_runs(face, i, runs),
                None => self.fit_cell(face, i, ""),
            })
            .collect();
        let height_mm = self.row_height_mm(self.table.style, &cells).max(self.table.min_row_mm);
        FittedRow { height_mm, cells, bold: false }
    }

    fn fit_cell(&self, face: &Face, i: usize, text: &str) -> FittedCell {
        let size_pt = self.table.style.size_pt;
        let width = self.inner_width_mm(i);
        let size_pt = match self.table.columns[i].fit {
            Fit::Wrap => word_size_pt(face, text, size_pt, width),
            // The widest line decides: `¥80.00\n孙保洁` shrinks for neither.
            Fit::Shrink => {
                let natural =
                    text.lines().map(|line| face.width_mm(line.trim(), size_pt)).fold(0.0, f32::max);
                if natural > width { size_pt * (width / natural).max(MIN_SHRINK) } else { size_pt }
            }
        };
        FittedCell::text(fit_lines(face, text, size_pt, width, self.page_lines), size_pt)
    }

    fn fit_runs(&self, face: &Face, i: usize, runs: &[Run]) -> FittedCell {
        let width = self.inner_width_mm(i);
        // A box keeps its word (`☐ Dissatisfied`): set smaller rather than split.
        let size_pt = runs_size_pt(face, runs, self.table.style.size_pt, width);
        let mut lines: Vec<InlineLine> =
            split_at_newlines(runs).iter().flat_map(|runs| flow(face, runs, size_pt, width)).collect();
        lines.truncate(self.table.max_lines.clamp(1, self.page_lines));
        FittedCell { lines: Lines::Runs(lines), size_pt }
    }

    /// The one-cell row that says the table is empty.
    pub(crate) fn fit_note(&self, face: &Face) -> FittedRow {
        let (left, right) = self.span_mm();
        let size_pt = self.table.style.size_pt;
        let lines = fit_lines(face, &self.table.empty_note, size_pt, right - left - 2.0 * PAD_X_MM, 3);
        let cells = vec![FittedCell::text(lines, size_pt)];
        let height_mm = self.row_height_mm(self.table.style, &cells) + 2.0 * PAD_Y_MM;
        FittedRow { cells, height_mm, bold: false }
    }

    /// Draws the heading row with its top at `top_mm`; the table's top rule is thick.
    pub(crate) fn draw_heading(&self, canvas: &mut Canvas, face: &Face, top_mm: f32) {
        let (left, right) = self.span_mm();
        canvas.fill((left, top_mm), (right - left, self.heading.height_mm), HEADING_GREY);
        let aligns = vec![Align::Centre; self.table.columns.len()];
        self.draw_cells(canvas, face, &self.heading, top_mm, self.heading.bold, &aligns);
        canvas.hline(top_mm, (left, right), THICK_PT);
        self.draw_rules(canvas, top_mm, self.heading.height_mm);
    }

    /// Draws a body row with its top at `top_mm`.
    pub(crate) fn draw_row(&self, canvas: &mut Canvas, face: &Face, row: &FittedRow, top_mm: f32) {
        let aligns: Vec<Align> = self.table.columns.iter().map(|c| c.align).collect();
        self.draw_cells(canvas, face, row, top_mm, self.table.style.bold || row.bold, &aligns);
        self.draw_rules(canvas, top_mm, row.height_mm);
    }

    /// A row of the ledger's sums (本页小计, 承前页): `label` in the carry's
    /// label column, each sum in its money column, set bold.
    pub(crate) fn fit_sums(&self, face: &Face, label: &str, sums: &[Money]) -> Option<FittedRow> {
        let carry = self.table.carry.as_ref()?;
        let mut cells = vec![TableCell::Text(String::new()); self.table.columns.len()];
        for (column, sum) in carry.columns.iter().zip(sums) {
            if let Some(cell) = cells.get_mut(*column) {
                *cell = TableCell::Text(sum.to_string());
            }
        }
        if let Some(cell) = cells.get_mut(carry.label_column) {
            *cell = TableCell::Text(label.to_string());
        }
        Some(FittedRow { bold: true, ..self.fit_row(face, &cells) })
    }

    /// Draws the empty-table note across all columns.
    pub(crate) fn draw_note(&self, canvas: &mut Canvas, face: &Face, note: &FittedRow, top_mm: f32) {
        let (left, right) = self.span_mm();
        if let Some(cell) = note.cells.first() {
            let bold = self.table.style.bold;
            draw_cell(canvas, face, cell, ([left, right], top_mm, note.height_mm), bold, Align::Centre);
        }
        canvas.vline(left, (top_mm, top_mm + note.height_mm), THICK_PT);
        canvas.vline(right, (top_mm, top_mm + note.height_mm), THICK_PT);
        canvas.hline(top_mm + note.height_mm, (left, right), THIN_PT);
    }

    /// The table's bottom rule, drawn thick where the table (or its page part) ends.
    pub(crate) fn close(&self, canvas: &mut Canvas, bottom_mm: f32) {
        canvas.hline(bottom_mm, self.span_mm(), THICK_PT);
    }

    fn draw_cells(
        &self,
        canvas: &mut Canvas,
        face: &Face,
        row: &FittedRow,
        top_mm: f32,
        bold: bool,
        aligns: &[Align],
    ) {
        for (i, cell) in row.cells.iter().enumerate() {
            let edges = [self.edges_mm[i], self.edges_mm[i + 1]];
            draw_cell(canvas, face, cell, (edges, top_mm, row.height_mm), bold, aligns[i]);
        }
    }

    /// The row's vertical rules (outer ones thick) and its bottom rule.
    fn draw_rules(&self, canvas: &mut Canvas, top_mm: f32, height_mm: f32) {
        let last = self.edges_mm.len() - 1;
        for (i, x) in self.edges_mm.iter().enumerate() {
            let thickness = if i == 0 || i == last { THICK_PT } else { THIN_PT };
            canvas.vline(*x, (top_mm, top_mm + height_mm), thickness);
        }
        canvas.hline(top_mm + height_mm, self.span_mm(), THIN_PT);
    }
}

/// The height of one line of `style` in a cell.
fn cell_line_mm(style: TextStyle) -> f32 {
    super::pt_to_mm(style.size_pt * CELL_LINE_SPACING)
}

/// One cell's lines, centred top to bottom between the cell's rules.
fn draw_cell(
    canvas: &mut Canvas,
    face: &Face,
    cell: &FittedCell,
    ([left, right], top_mm, height_mm): ([f32; 2], f32, f32),
    bold: bool,
    align: Align,
) {
    let style = TextStyle { size_pt: cell.size_pt, bold };
    let line_mm = cell_line_mm(style);
    let first_top = top_mm + (height_mm - cell.lines.len() as f32 * line_mm) / 2.0;
    let inner = (left + PAD_X_MM, right - left - 2.0 * PAD_X_MM);
    let middle = |n: usize| first_top + (n as f32 + 0.5) * line_mm;
    match &cell.lines {
        Lines::Text(lines) => {
            for (n, line) in lines.iter().enumerate() {
                canvas.text(face, line, style, inner, middle(n), align);
            }
        }
        // Placed as one block, each line from the block's left, so that
        // boxes one above the other line up whatever the column's alignment.
        Lines::Runs(lines) => {
            let block_mm = lines.iter().map(InlineLine::width_mm).fold(0.0, f32::max);
            let block_left = match align {
                Align::Left => inner.0,
                Align::Centre => inner.0 + (inner.1 - block_mm) / 2.0,
                Align::Right => inner.0 + inner.1 - block_mm,
            };
            for (n, line) in lines.iter().enumerate() {
                line.draw(canvas, face, style, (block_left, block_mm), middle(n), Align::Left);
            }
        }
    }
}

/// The size at which the widest unit of `runs` (a box and its word) fits
/// `width_mm`, down to [`MIN_WORD_SHARE`] of `size_pt`; `size_pt` if it
/// does not fit even then. Stepped down, as a box's gap does not scale.
fn runs_size_pt(face: &Face, runs: &[Run], size_pt: f32, width_mm: f32) -> f32 {
    let mut size = size_for_widest(widest_unit_mm(face, runs, size_pt), size_pt, width_mm);
    while widest_unit_mm(face, runs, size) > width_mm {
        size *= 0.98;
        if size < size_pt * MIN_WORD_SHARE {
            let least = size_pt * MIN_WORD_SHARE;
            return if widest_unit_mm(face, runs, least) <= width_mm { least } else { size_pt };
        }
    }
    size
}

/// A growing column's text counts from this much (in mm of one line, on
/// average over the rows): an empty column keeps some room to write in.
const GROW_BASE_MM: f32 = 12.0;
/// One cell counts for at most this much: a single long note does not take
/// the width from every other row's description.
const GROW_CAP_MM: f32 = 150.0;

/// The columns with each growing one's share weighed by the text the rows
/// put in it (its mean width on one line, from [`GROW_BASE_MM`]).
fn weighed_by_text(face: &Face, table: &Table, rows: &[Vec<TableCell>]) -> Vec<Column> {
    let size_pt = table.style.size_pt;
    let mean_mm = |i: usize| {
        let total: f32 = rows
            .iter()
            .map(|row| match row.get(i) {
                Some(TableCell::Text(text)) => face.width_mm(text.trim(), size_pt).min(GROW_CAP_MM),
                _ => 0.0,
            })
            .sum();
        total / rows.len().max(1) as f32
    };
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| match column.grow > 0.0 && !rows.is_empty() {
            true => Column { grow: column.grow * (GROW_BASE_MM + mean_mm(i)), ..column.clone() },
            false => column.clone(),
        })
        .collect()
}

/// A column widened for its words asks for at most this much.
const WORD_CAP_MM: f32 = 30.0;
/// How much more room than its widest word a widened column takes.
const WORD_ROOM: f32 = 1.01;

/// The columns widened, as far as the page has room, so that the widest
/// word of each one's heading and cells fits (set as small as
/// [`word_size_pt`] goes): an English `Registered` or `Received` is then not
/// broken mid-word in a column sized for two Chinese characters. The columns
/// short by least are widened first, so the room fixes the most words.
/// Chinese needs one character's width, so Chinese tables keep their widths.
fn room_for_words(
    face: &Face,
    table: &Table,
    rows: &[Vec<TableCell>],
    mut columns: Vec<Column>,
    width_mm: f32,
) -> Vec<Column> {
    let body_pt = table.style.size_pt * MIN_WORD_SHARE;
    let heading_pt = TextStyle::bold(table.style.size_pt).size_pt * MIN_WORD_SHARE;
    let short_mm = |i: usize, column: &Column| {
        let cells = rows.iter().filter_map(|row| match row.get(i) {
            Some(TableCell::Text(text)) => Some(widest_word_mm(face, text, body_pt)),
            Some(TableCell::Runs(runs)) => Some(widest_unit_mm(face, runs, body_pt)),
            None => None,
        });
        let widest = cells.fold(widest_word_mm(face, &column.heading, heading_pt), f32::max);
        // A hair more than the word at the smallest size: exactly its width
        // left `word_size_pt` a share just under its floor, and the word broke.
        (widest.min(WORD_CAP_MM) * WORD_ROOM + 2.0 * PAD_X_MM - column.width_mm).max(0.0)
    };
    let mut short: Vec<(usize, f32)> =
        columns.iter().enumerate().map(|(i, c)| (i, short_mm(i, c))).filter(|(_, mm)| *mm > 0.0).collect();
    short.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut spare_mm = width_mm - columns.iter().map(|c| c.width_mm.max(0.0)).sum::<f32>();
    for (i, mm) in short {
        if mm > spare_mm {
            break;
        }
        columns[i].width_mm += mm;
        spare_mm -= mm;
    }
    columns
}

/// Rows sampled when the growing columns' widths are tried.
const SAMPLE_ROWS: usize = 120;
/// The space left over is tried in tenths among the growing columns.
const SHARE_STEPS: usize = 10;
/// More growing columns than this are left as weighed.
const MAX_TRIED_COLUMNS: usize = 4;

/// The widths that make the rows shortest: the space the fixed columns
/// leave is split among the growing columns every way in tenths, and the
/// split whose sampled rows take the fewest lines in all wins over
/// `weighed` (the split by text, kept on a tie). A column of two long
/// descriptions and one of a rare long note then share the page so that
/// neither makes its rows tall. The fixed widths are those of `columns`,
/// as [`room_for_words`] widened them: a split never takes back the room
/// that keeps an English word whole.
fn shortest_rows(
    face: &Face,
    table: &Table,
    columns: &[Column],
    rows: &[Vec<TableCell>],
    weighed: Vec<f32>,
    width_mm: f32,
) -> Vec<f32> {
    let growing: Vec<usize> = (0..columns.len()).filter(|i| columns[*i].grow > 0.0).collect();
    let nominal: Vec<f32> = columns.iter().map(|c| c.width_mm.max(0.0)).collect();
    let spare = width_mm - nominal.iter().sum::<f32>();
    if growing.len() < 2 || growing.len() > MAX_TRIED_COLUMNS || rows.is_empty() || spare <= 0.0 {
        return weighed;
    }
    let step = rows.len().div_ceil(SAMPLE_ROWS).max(1);
    let sample: Vec<&Vec<TableCell>> = rows.iter().step_by(step).collect();
    let size_pt = table.style.size_pt;
    let text = |row: &Vec<TableCell>, i: usize| match row.get(i) {
        Some(TableCell::Text(text)) => text.clone(),
        _ => String::new(),
    };
    let lines = |text: &str, width: f32| wrap(face, text, size_pt, (width - 2.0 * PAD_X_MM).max(1.0)).len();
    // Each sampled row's lines in the columns that do not move.
    let fixed: Vec<usize> = sample
        .iter()
        .map(|row| {
            (0..table.columns.len())
                .filter(|i| !growing.contains(i))
                .map(|i| lines(&text(row, i), weighed[i]))
                .max()
                .unwrap_or(1)
        })
        .collect();
    let cost = |widths: &[f32]| -> usize {
        sample
            .iter()
            .zip(&fixed)
            .map(|(row, fixed)| {
                growing.iter().map(|i| lines(&text(row, *i), widths[*i])).max().unwrap_or(1).max(*fixed)
            })
            .sum()
    };
    let mut best = (cost(&weighed), weighed);
    for shares in splits(growing.len(), SHARE_STEPS) {
        let mut widths = nominal.clone();
        for (i, share) in growing.iter().zip(&shares) {
            widths[*i] += spare * *share as f32 / SHARE_STEPS as f32;
        }
        let tried = cost(&widths);
        if tried < best.0 {
            best = (tried, widths);
        }
    }
    best.1
}

/// Every way to share `steps` among `parts` (each part a whole number).
fn splits(parts: usize, steps: usize) -> Vec<Vec<usize>> {
    if parts <= 1 {
        return vec![vec![steps; parts]];
    }
    (0..=steps)
        .flat_map(|first| {
            splits(parts - 1, steps - first).into_iter().map(move |mut rest| {
                rest.insert(0, first);
                rest
            })
        })
        .collect()
}

/// `runs` cut where a text run has `\n`: the lines a cell starts afresh.
fn split_at_newlines(runs: &[Run]) -> Vec<Vec<Run>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    for run in runs {
        let Run::Text(text) = run else {
            line.push(run.clone());
            continue;
        };
        for (n, part) in text.split('\n').enumerate() {
            if n > 0 {
                lines.push(std::mem::take(&mut line));
            }
            if !part.is_empty() {
                line.push(Run::text(part));
            }
        }
    }
    lines.push(line);
    lines
}

/// Each column's width: what it needs, plus its share of what is left over;
/// all scaled down alike if they need more than `width_mm`. `None` when
/// there is nothing to lay out.
fn column_widths(columns: &[Column], width_mm: f32) -> Option<Vec<f32>> {
    let needed: Vec<f32> = columns.iter().map(|c| c.width_mm.max(0.0)).collect();
    let total: f32 = needed.iter().sum();
    let shares: f32 = columns.iter().map(|c| c.grow).sum();
    if total <= 0.0 && shares <= 0.0 {
        return None;
    }
    let spare = width_mm - total;
    if spare < 0.0 || shares <= 0.0 {
        return Some(needed.iter().map(|w| w * width_mm / total).collect());
    }
    Some(needed.iter().zip(columns).map(|(w, c)| w + spare * c.grow / shares).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(widths: &[f32]) -> f32 {
        widths.iter().sum()
    }

    #[test]
    fn spare_width_goes_to_the_growing_columns() {
        let columns = [
            Column::new("编号", 20.0),
            Column::new("内容", 30.0).grow(3.0),
            Column::new("备注", 10.0).grow(1.0),
        ];
        let widths = column_widths(&columns, 100.0).unwrap();
        assert_eq!(widths, [20.0, 60.0, 20.0]);
    }

    #[test]
    fn too_wide_columns_shrink_alike() {
        let columns = [Column::new("编号", 100.0), Column::new("内容", 100.0).grow(1.0)];
        let widths = column_widths(&columns, 100.0).unwrap();
        assert_eq!(widths, [50.0, 50.0]);
        assert!((sum(&widths) - 100.0).abs() < 1e-4);
    }

    #[test]
    fn runs_start_a_new_line_at_each_newline() {
        let runs = [
            Run::Tick { ticked: false },
            Run::text("满意\n"),
            Run::Tick { ticked: true },
            Run::text("不满意"),
        ];
        assert_eq!(
            split_at_newlines(&runs),
            [
                vec![Run::Tick { ticked: false }, Run::text("满意")],
                vec![Run::Tick { ticked: true }, Run::text("不满意")],
            ]
        );
    }

    #[test]
    fn the_space_left_is_split_every_way_in_tenths() {
        assert_eq!(splits(2, 2), [vec![0, 2], vec![1, 1], vec![2, 0]]);
        assert_eq!(splits(3, 10).len(), 66);
        assert!(splits(3, 10).iter().all(|s| s.iter().sum::<usize>() == 10));
    }

    /// The register in English: `Registered` in a status column sized for
    /// three Chinese characters, beside two growing columns of long text.
    #[test]
    fn a_split_of_the_growing_columns_keeps_the_room_widened_for_a_word() {
        let face = super::super::font::face().unwrap();
        let table = Table::new(vec![
            Column::new("Status", 8.0),
            Column::new("Details", 20.0).grow(1.0),
            Column::new("Notes", 10.0).grow(1.0),
        ]);
        let rows: Vec<Vec<TableCell>> = (1..8)
            .map(|n| vec!["Registered".into(), "a long description ".repeat(n).into(), "a note".into()])
            .collect();
        let layout = TableLayout::new(face, &table, (0.0, 120.0), 200.0, &rows).unwrap();
        let word = widest_word_mm(face, "Registered", table.style.size_pt * MIN_WORD_SHARE);
        assert!(layout.inner_width_mm(0) + 1e-3 >= word, "{} < {word}", layout.inner_width_mm(0));
        let fitted = layout.fit_row(face, &rows[0]);
        assert_eq!(fitted.cells[0].lines.len(), 1, "Registered on one line");
    }

    #[test]
    fn no_columns_is_an_error() {
        assert_eq!(column_widths(&[], 100.0), None);
        assert_eq!(column_widths(&[Column::new("编号", 0.0)], 100.0), None);
    }
}
