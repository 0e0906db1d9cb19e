//! Excel export: the office's tables as `.xlsx` bytes (rust_xlsxwriter).
//!
//! One small sheet writer ([`SheetTable`] → [`workbook`]) serves every
//! table: a title row (the office, what the table is, the period), the
//! header row frozen under it, typed cells ([`Cell`]: text, whole numbers,
//! real Excel dates and date-times, money as a number of yuan formatted
//! `#,##0.00`), and column widths from the widest text, a CJK character
//! counting as two. The tables built on it ([`register_table`],
//! [`shopping_log_table`], [`revisit_table`]) have the same rows and
//! columns as their printed forms in `print`, whose row values they reuse;
//! [`figures_workbook`] writes the 统计 tab's figures, a sheet per kind.
//!
//! Must not: read the database, the clock or files. Callers pass domain
//! values in and get bytes back; the words come from `i18n`. Money is
//! turned from fen into yuan only here, at the edge, for the spreadsheet.

mod sheet;
mod stats;
mod tables;

pub use sheet::{Cell, ExportedXlsx, SheetTable, workbook, workbook_of};
pub use stats::figures_workbook;
pub use tables::{RegisterExport, history_table, register_table, revisit_table, shopping_log_table};

/// Why a workbook could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The writer refused the workbook (a date outside Excel's range, too
    /// many rows); the cause is the writer's own words.
    #[error("the workbook could not be written: {0}")]
    Workbook(String),
    #[error("the period ends on {to}, before it starts on {from}")]
    PeriodReversed { from: chrono::NaiveDate, to: chrono::NaiveDate },
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> ExportError {
        ExportError::Workbook(e.to_string())
    }
}
