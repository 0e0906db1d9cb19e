//! Printing: the office's paper forms as PDF bytes.
//!
//! One small layout toolkit serves every form: A4 pages ([`Orientation`])
//! with 15 mm margins, the vendored font embedded and subset, text runs
//! measured from the face's advance widths ([`Align`]), ruled tables whose
//! heading repeats on every page ([`Table`]), ruled form grids of label and
//! value cells ([`Grid`]), fill-in lines of text, blanks and tick boxes
//! ([`Run`], also in a table's cells: [`TableCell`]), dashed cut lines and
//! half-sheet forms ([`Half`]), a large outlined mark across part of a page
//! (作废), and a page
//! header (office, title, period, print date) and footer (第 N 页 共 M 页)
//! per section of pages ([`Document`]), or a contract's header (the office
//! over a rule, the title on the first page) with running text: justified
//! paragraphs, numbered items with a hanging indent, lines of fields to
//! sign on, and blocks kept together on a page ([`Prose`], [`Field`]); and
//! charts of bars and lines over months or categories ([`Chart`]).
//!
//! The forms built on it (FORMS.md, RULES.md §11):
//! - [`register_sheet`]: 登记表, and the 维修登记表抄送单 (R-FU-5, [`SheetPurpose`]);
//! - [`message_slips`]: 留言条 with 存根, two to a sheet (R-FU-3);
//! - [`service_records`]: 居家服务情况记录表, one page per job (R-EX-1);
//! - [`round_sheet`]: 抄单表 of a copy-order round (R-DSP-1/2);
//! - [`cash_handovers`]: 现金交接单, one per staff member (R-FEE-2, R-FEE-5);
//! - [`service_agreement`]: 居家服务协议书, several pages, ten clauses after
//!   the national model contract (R-AG-2, R-AG-3, R-FEE-5), and the forms
//!   attached to it, one page each: [`agreement_amendment`] (变更书),
//!   [`agreement_renewal`] (续订书) and [`termination_notice`]
//!   (提前终止服务通知书, the written notice of R-AG-3);
//! - [`shopping_forms`]: 代客购物登记表, one sheet per log entry, its 第一联
//!   above a cut line and its 财务联 below, each with the serial number and
//!   作废 across both if void (R-SH-1 … R-SH-6, R-FEE-5); and
//!   [`shopping_log`]: the 代客购物登记簿 for a date range;
//! - [`revisit_sheet`]: 居家服务回访记录表, the month's revisit plan as a
//!   blank call list (tick boxes to answer by hand) or the filled record,
//!   with the plan's size and coverage at the foot (R-RV-1 … R-RV-4); and
//!   the quality department's 居家服务质量抽查记录表 (R-RV-5);
//! - [`monthly_report`]: 居家服务情况统计分析报告, the CS center's monthly
//!   report: cover, the month's figures in tables, the twelve months in
//!   charts ([`Chart`], drawn as vector lines and boxes), the clerk's
//!   analysis and suggestions, and the manager's approval (R-RV-4).
//!
//! Must not: read the database, the clock or files. Callers pass domain values
//! and "now" in and get bytes back; the words come from `i18n`.

mod agreement;
mod agreement_forms;
mod canvas;
mod cash_handover;
mod chart;
mod document;
mod font;
mod grid;
mod inline;
mod message_slip;
mod monthly_report;
mod register_sheet;
mod revisit;
mod round_sheet;
mod service_record;
mod shopping;
mod table;
mod text;
mod when;

pub use agreement::{AgreementDoc, Consolidation, OfficeParty, ResidentParty, service_agreement};
pub use agreement_forms::{
    AmendmentDoc, RenewalDoc, TerminationNotice, agreement_amendment, agreement_renewal, termination_notice,
};
pub use cash_handover::{CashHandover, CashLine, cash_handovers};
pub use chart::{Chart, Plot, Series};
pub use document::{Document, Field, Half, PageHeader, PrintedPdf, Prose};
pub use grid::{Grid, GridCell};
pub use inline::{Run, template_runs};
pub use message_slip::{MessageSlip, SlipSheet, message_slips};
pub use monthly_report::{ReportDoc, monthly_report};
pub use register_sheet::{
    PhoneDisplay, RegisterSheet, SheetPurpose, mask_phone, register_notes, register_sheet, relay_link_text,
};
pub use revisit::{RevisitLine, RevisitSheet, RevisitSheetKind, revisit_sheet};
pub use round_sheet::{RoundSheet, round_sheet};
pub use service_record::{ServiceRecordForm, service_records};
pub use shopping::{ShoppingForm, ShoppingLogRow, ShoppingLogSheet, shopping_forms, shopping_log};
pub use table::{Carry, Column, Fit, Table, TableCell};

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
