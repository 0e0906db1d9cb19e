//! Printing: the office's paper forms as PDF bytes.
//!
//! One small layout toolkit serves every form: A4 pages ([`Orientation`])
//! with 15 mm margins, the vendored font embedded and subset, text runs
//! measured from the face's advance widths ([`Align`]), ruled tables whose
//! heading repeats on every page ([`Table`]), and a page header (office,
//! title, period, print date) and footer (第 N 页 共 M 页) on every page
//! ([`Document`]). The forms are built on it: [`register_sheet`] is the first.
//!
//! Must not: read the database, the clock or files. Callers pass domain values
//! and "now" in and get bytes back; the words come from `i18n`.

mod canvas;
mod document;
mod font;
mod register_sheet;
mod table;
mod text;

pub use document::{Document, PageHeader, PrintedPdf};
pub use register_sheet::{PhoneDisplay, RegisterSheet, mask_phone, register_sheet};
pub use table::{Column, Fit, Table};

/// Millimetres per PostScript point.
const MM_PER_PT: f32 = 25.4 / 72.0;

fn pt_to_mm(pt: f32) -> f32 {
    pt * MM_PER_PT
}

/// Every way printing can fail; `i18n` turns these into sentences.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("the vendored font could not be read")]
    Font,
    #[error("the period ends ({to}) before it starts ({from})")]
    PeriodReversed { from: chrono::NaiveDate, to: chrono::NaiveDate },
    #[error("a table needs at least one column of positive width")]
    NoColumns,
}

/// How an A4 sheet is turned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    /// Width and height of the sheet in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Orientation::Portrait => (210.0, 297.0),
            Orientation::Landscape => (297.0, 210.0),
        }
    }
}

/// Where a run of text sits in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Centre,
    Right,
}

/// How a run of text looks: its size and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size_pt: f32,
    /// Drawn with a thin outline: the face has no bold cut of its own.
    pub bold: bool,
}

impl TextStyle {
    pub const fn regular(size_pt: f32) -> TextStyle {
        TextStyle { size_pt, bold: false }
    }

    pub const fn bold(size_pt: f32) -> TextStyle {
        TextStyle { size_pt, bold: true }
    }

    /// The height of one line of this text, in millimetres.
    pub fn line_height_mm(self) -> f32 {
        pt_to_mm(self.size_pt * LINE_SPACING)
    }
}

/// Line height as a multiple of the type size: loose enough for CJK.
const LINE_SPACING: f32 = 1.3;
