//! Ruled form grids: the boxed layout of a 记录表 or a 存根, where each row is
//! cut into cells of its own widths, label cells (房号, 服务人员) beside value
//! cells. A value cell holds text, or text with blanks and tick boxes
//! ([`Run`]), and may be ruled with writing lines for what is filled in by
//! hand. This file fits and draws rows; [`Document::grid`] places them and
//! breaks pages between rows.
//!
//! [`Document::grid`]: super::Document::grid

use super::canvas::{Canvas, THICK_PT, THIN_PT};
use super::font::Face;
use super::inline::{InlineLine, Run, flow};
use super::text::{fit_lines, word_size_pt};
use super::{Align, PrintError, TextStyle, pt_to_mm};

/// Space between a cell's rules and its text, across and down.
const PAD_X_MM: f32 = 1.8;
const PAD_Y_MM: f32 = 1.2;
/// A label cell's ground: lighter than a table heading, so that a page of
/// labels does not look heavy.
const LABEL_GREY: f32 = 0.94;
/// The pitch of the writing lines in a ruled cell, as a multiple of the type size.
const WRITING_PITCH: f32 = 2.1;
/// The writing lines are fainter than the cell's rules.
const WRITING_PT: f32 = 0.25;

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
enum Content {
    /// Wrapped, cut with `…` after the grid's `max_lines`.
    Text(String),
    /// Text with blanks and tick boxes; short by construction.
    Runs(Vec<Run>),
}

/// Whether a cell names a field or holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Label,
    Value,
}

/// One cell of a grid row.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    width_mm: f32,
    role: Role,
    content: Content,
    /// Writing lines drawn in the cell (0: none).
    writing_lines: usize,
    /// No rule between this cell and the one above: one label down
    /// several rows (使用材料 beside the materials' rows).
    joins_above: bool,
    /// The least height of the row this cell is in: room to sign.
    min_height_mm: f32,
    /// The most lines this cell's text shows, if not the grid's.
    max_lines: Option<usize>,
}

impl GridCell {
    fn new(width_mm: f32, role: Role, content: Content) -> GridCell {
        GridCell {
            width_mm,
            role,
            content,
            writing_lines: 0,
            joins_above: false,
            min_height_mm: 0.0,
            max_lines: None,
        }
    }

    /// A label (房号), centred on a light grey ground.
    pub fn label(text: impl Into<String>, width_mm: f32) -> GridCell {
        GridCell::new(width_mm, Role::Label, Content::Text(text.into()))
    }

    /// A value: text, left-aligned, wrapped. Empty text leaves the cell
    /// blank to be filled in by hand.
    pub fn value(text: impl Into<String>, width_mm: f32) -> GridCell {
        GridCell::new(width_mm, Role::Value, Content::Text(text.into()))
    }

    /// A value of text, blanks and tick boxes.
    pub fn runs(runs: Vec<Run>, width_mm: f32) -> GridCell {
        GridCell::new(width_mm, Role::Value, Content::Runs(runs))
    }

    /// The cell ruled with at least `lines` writing lines, its text written
    /// on them: room for the resident or the staff to write.
    pub fn ruled(self, lines: usize) -> GridCell {
        GridCell { writing_lines: lines, ..self }
    }

    /// The cell's row at least `height_mm` tall: room for a signature.
    pub fn at_least(self, height_mm: f32) -> GridCell {
        GridCell { min_height_mm: height_mm, ..self }
    }

    /// The cell's text on at most `lines` lines, cut with `…` after: a
    /// short value that must not make a form with no room to spare taller.
    pub fn at_most_lines(self, lines: usize) -> GridCell {
        GridCell { max_lines: Some(lines), ..self }
    }

    /// The cell without the rule above it: it continues the cell above
    /// (same edges) as one box down several rows.
    pub fn joined_above(self) -> GridCell {
        GridCell { joins_above: true, ..self }
    }
}

/// A grid: its rows, each a list of cells whose widths are scaled to fill
/// the body, and the look of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub rows: Vec<Vec<GridCell>>,
    pub style: TextStyle,
    /// The least height of a row: room to write a name by hand.
    pub min_row_mm: f32,
    /// The most lines a text cell shows.
    pub max_lines: usize,
}

impl Grid {
    /// 10.5 pt text, rows at least 9 mm, at most 6 lines a cell.
    pub fn new(rows: Vec<Vec<GridCell>>) -> Grid {
        Grid { rows, style: TextStyle::regular(10.5), min_row_mm: 9.0, max_lines: 6 }
    }

    /// Every row fitted across `left_mm .. left_mm + width_mm`.
    pub(crate) fn fit(
        &self,
        face: &Face,
        (left_mm, width_mm): (f32, f32),
    ) -> Result<Vec<GridRow>, PrintError> {
        self.rows.iter().map(|cells| self.fit_row(face, cells, left_mm, width_mm)).collect()
    }

    fn fit_row(
        &self,
        face: &Face,
        cells: &[GridCell],
        left_mm: f32,
        width_mm: f32,
    ) -> Result<GridRow, PrintError> {
        let total: f32 = cells.iter().map(|c| c.width_mm.max(0.0)).sum();
        if total <= 0.0 {
            return Err(PrintError::NoColumns);
        }
        let mut x = left_mm;
        let mut fitted = Vec::with_capacity(cells.len());
        for cell in cells {
            let width = cell.width_mm.max(0.0) * width_mm / total;
            fitted.push(self.fit_cell(face, cell, (x, width)));
            x += width;
        }
        let height_mm = fitted.iter().map(|c| c.height_mm).fold(self.min_row_mm, f32::max);
        Ok(GridRow { cells: fitted, height_mm })
    }

    fn fit_cell(&self, face: &Face, cell: &GridCell, (x_mm, width_mm): (f32, f32)) -> FittedCell {
        let inner = (width_mm - 2.0 * PAD_X_MM).max(0.0);
        // An English label such as `Requirements` in a column sized for four
        // Chinese characters is set a little smaller rather than broken mid-word.
        let size_pt = match &cell.content {
            Content::Text(text) => word_size_pt(face, text, self.style.size_pt, inner),
            Content::Runs(_) => self.style.size_pt,
        };
        let lines = match &cell.content {
            Content::Text(text) => {
                let max_lines = cell.max_lines.unwrap_or(self.max_lines).max(cell.writing_lines);
                fit_lines(face, text, size_pt, inner, max_lines)
                    .into_iter()
                    .flat_map(|line| flow(face, &[Run::Text(line)], size_pt, inner))
                    .collect()
            }
            Content::Runs(runs) => flow(face, runs, size_pt, inner),
        };
        let pitch = self.pitch_mm(cell);
        let rows = lines.len().max(cell.writing_lines).max(1);
        let height_mm = (rows as f32 * pitch + 2.0 * PAD_Y_MM).max(cell.min_height_mm);
        FittedCell {
            x_mm,
            width_mm,
            role: cell.role,
            writing_lines: cell.writing_lines,
            joins_above: cell.joins_above,
            lines,
            height_mm,
            size_pt,
        }
    }

    /// The height of one line of `cell`: wider where it is written on.
    fn pitch_mm(&self, cell: &GridCell) -> f32 {
        if cell.writing_lines > 0 {
            pt_to_mm(self.style.size_pt * WRITING_PITCH)
        } else {
            self.style.line_height_mm()
        }
    }
}

/// A cell fitted to its place in the row.
pub(crate) struct FittedCell {
    x_mm: f32,
    width_mm: f32,
    role: Role,
    writing_lines: usize,
    joins_above: bool,
    lines: Vec<InlineLine>,
    height_mm: f32,
    /// The grid's size, or smaller for a word that would not fit at it.
    size_pt: f32,
}

/// A row fitted across the body: its cells and its height.
pub(crate) struct GridRow {
    cells: Vec<FittedCell>,
    pub(crate) height_mm: f32,
}

impl GridRow {
    /// Draws the row with its top at `top_mm`: grounds, text, the rules
    /// above its cells (unless a cell joins the one above) and between them
    /// (outer ones thick). The rule below is the next row's, or the grid's
    /// closing rule. Rules come after the grounds so that no ground hides one.
    pub(crate) fn draw(&self, canvas: &mut Canvas, face: &Face, style: TextStyle, top_mm: f32) {
        for cell in &self.cells {
            if cell.role == Role::Label {
                canvas.fill((cell.x_mm, top_mm), (cell.width_mm, self.height_mm), LABEL_GREY);
            }
            let style = TextStyle { size_pt: cell.size_pt, ..style };
            if cell.writing_lines > 0 {
                cell.draw_ruled(canvas, face, style, top_mm, self.height_mm);
            } else {
                cell.draw_centred(canvas, face, style, top_mm, self.height_mm);
            }
        }
        let bottom = top_mm + self.height_mm;
        let last = self.cells.len().saturating_sub(1);
        for (i, cell) in self.cells.iter().enumerate() {
            if !cell.joins_above {
                canvas.hline(top_mm, (cell.x_mm, cell.x_mm + cell.width_mm), THIN_PT);
            }
            let thickness = if i == 0 { THICK_PT } else { THIN_PT };
            canvas.vline(cell.x_mm, (top_mm, bottom), thickness);
            if i == last {
                canvas.vline(cell.x_mm + cell.width_mm, (top_mm, bottom), THICK_PT);
            }
        }
    }

    /// The row's left and right edges.
    pub(crate) fn span_mm(&self) -> Option<(f32, f32)> {
        let first = self.cells.first()?;
        let last = self.cells.last()?;
        Some((first.x_mm, last.x_mm + last.width_mm))
    }
}

impl FittedCell {
    fn inner(&self) -> (f32, f32) {
        (self.x_mm + PAD_X_MM, (self.width_mm - 2.0 * PAD_X_MM).max(0.0))
    }

    fn align(&self) -> Align {
        match self.role {
            Role::Label => Align::Centre,
            Role::Value => Align::Left,
        }
    }

    /// The lines as a block centred top to bottom.
    fn draw_centred(&self, canvas: &mut Canvas, face: &Face, style: TextStyle, top_mm: f32, height_mm: f32) {
        let line_mm = style.line_height_mm();
        let first_top = top_mm + (height_mm - self.lines.len() as f32 * line_mm) / 2.0;
        for (n, line) in self.lines.iter().enumerate() {
            let middle = first_top + (n as f32 + 0.5) * line_mm;
            line.draw(canvas, face, style, self.inner(), middle, self.align());
        }
    }

    /// Writing lines down the cell, the text written on them from the top.
    fn draw_ruled(&self, canvas: &mut Canvas, face: &Face, style: TextStyle, top_mm: f32, height_mm: f32) {
        let rows = self.lines.len().max(self.writing_lines).max(1);
        let pitch = (height_mm - 2.0 * PAD_Y_MM) / rows as f32;
        let first = top_mm + PAD_Y_MM;
        let (x, width) = self.inner();
        for n in 0..rows {
            let rule = first + (n as f32 + 1.0) * pitch;
            // The last line is written on the cell's own bottom rule.
            if n + 1 < rows {
                canvas.hline(rule, (x, x + width), WRITING_PT);
            }
            if let Some(line) = self.lines.get(n) {
                let middle = rule - pitch * 0.42;
                line.draw(canvas, face, style, (x, width), middle, self.align());
            }
        }
    }
}
